import Foundation

/// The object an event is about (`involvedObject` in core/v1, `regarding` in events.k8s.io/v1).
package struct ObjectRef: Hashable, Sendable, Codable, CustomStringConvertible {
  /// `Pod`, `Node`, `ReplicaSet` …; nil when the text does not say (describe omits it).
  package var kind: String?
  package var namespace: String?
  package var name: String
  package var uid: String?
  /// `spec.containers{web}` for container events; nil when unknown.
  package var fieldPath: String?
  /// For an object the input does not name (an Events table pasted without the describe above
  /// it): the line where that pasted block begins. Each block is its own unnamed subject, so two
  /// pastes of different pods stay apart (docs/findings-schema.md, `subject`).
  package var pastedAt: SourceRef?

  package init(
    kind: String? = nil, namespace: String? = nil, name: String, uid: String? = nil, fieldPath: String? = nil,
    pastedAt: SourceRef? = nil
  ) {
    self.kind = kind
    self.namespace = namespace
    self.name = name
    self.uid = uid
    self.fieldPath = fieldPath
    self.pastedAt = pastedAt
  }

  /// True for the object of an unnamed pasted block.
  package var isUnnamed: Bool { name.isEmpty && pastedAt != nil }

  /// The container named by `fieldPath` (`spec.containers{web}` → `web`), if any.
  ///
  /// An ASCII path is read from its bytes: there every `Character` is one byte (a CR LF pair is
  /// one `Character` of two, and neither byte is a brace), so the first `{` and the last `}` are
  /// the same bytes `Character` search finds. Rules ask this of every event of every pod, and the
  /// `Character` search was most of its cost (issue 16, perf); any other path is searched by
  /// `Character`, as before (`containerName(characters:)`).
  package var containerName: String? {
    guard let path = fieldPath else { return nil }
    let read = path.utf8.withContiguousStorageIfAvailable { bytes -> (ascii: Bool, name: String?) in
      var open = -1
      var close = -1
      for i in 0..<bytes.count {
        let b = bytes[i]
        if b >= 0x80 { return (false, nil) }
        if b == UInt8(ascii: "{") && open < 0 { open = i }
        if b == UInt8(ascii: "}") { close = i }
      }
      guard open >= 0, open < close else { return (true, nil) }
      return (true, String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self))
    }
    if let read, read.ascii { return read.name }
    return Self.containerName(characters: path)
  }

  /// The container named by `path`, found by `Character`: the first `{`, the last `}`.
  package static func containerName(characters path: String) -> String? {
    guard let open = path.firstIndex(of: "{"), let close = path.lastIndex(of: "}"), open < close else { return nil }
    return String(path[path.index(after: open)..<close])
  }

  package var description: String {
    if isUnnamed, let pastedAt { return "(name not shown, pasted at \(pastedAt))" }
    let k = kind.map { "\($0.lowercased())/" } ?? ""
    let ns = namespace.map { "\($0)/" } ?? ""
    return "\(ns)\(k)\(name)"
  }
}

/// `Normal` or `Warning`; anything else is kept verbatim.
package enum EventType: Hashable, Sendable, Codable, CustomStringConvertible {
  case normal
  case warning
  case other(String)

  package init(_ text: String) {
    switch text {
    case "Normal": self = .normal
    case "Warning": self = .warning
    default: self = .other(text)
    }
  }

  package var description: String {
    switch self {
    case .normal: "Normal"
    case .warning: "Warning"
    case .other(let s): s
    }
  }

  package init(from decoder: Decoder) throws {
    self.init(try decoder.singleValueContainer().decode(String.self))
  }

  package func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}

/// One Kubernetes event as one source saw it.
///
/// Times are ranges: text gives ages (`2m (x5 over 10m)` — docs/kubernetes.md §1.6: the first age is
/// the LAST occurrence, the second the FIRST), JSON gives whole seconds or microseconds.
package struct Event: Hashable, Sendable, Codable {
  package var involved: ObjectRef
  package var type: EventType
  package var reason: String
  package var message: String
  /// `source.component`, or `reportingController` when that is empty.
  package var sourceComponent: String?
  /// `source.host`, or `reportingInstance`.
  package var sourceHost: String?
  /// The event object's name (`web-0.187b1c2d3e4f5a6b`) when the source shows it.
  package var eventName: String?
  /// `count`, or `series.count`; nil when the source does not say (a new-style event, or one row).
  package var count: Int?
  /// When the event first happened (firstTimestamp, or eventTime).
  package var firstSeen: TimeRange?
  /// When the event last happened (lastTimestamp, or series.lastObservedTime).
  package var lastSeen: TimeRange?
  /// True when the event came through events.k8s.io (a series whose count lags, docs/kubernetes.md §5.2).
  package var isSeries: Bool
  /// The watch verb when the event came from a watch stream (`ADDED`, `MODIFIED`, `DELETED`).
  package var watchType: String?
  /// The lines this event was read from.
  package var evidence: [Evidence]
  /// The event pattern (`patterns/event-messages.json`) the message matched, and what it captured:
  /// Ingest recognises the wording once; later stages read these instead of the text.
  package var patternID: String?
  package var captures: [KeyValue] = []

  /// The value a pattern captured as `key`.
  package func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }

  package init(
    involved: ObjectRef, type: EventType, reason: String, message: String, sourceComponent: String? = nil,
    sourceHost: String? = nil, eventName: String? = nil, count: Int? = nil, firstSeen: TimeRange? = nil,
    lastSeen: TimeRange? = nil, isSeries: Bool = false, watchType: String? = nil, evidence: [Evidence] = []
  ) {
    self.involved = involved
    self.type = type
    self.reason = reason
    self.message = message
    self.sourceComponent = sourceComponent
    self.sourceHost = sourceHost
    self.eventName = eventName
    self.count = count
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
    self.isSeries = isSeries
    self.watchType = watchType
    self.evidence = evidence
  }
}
