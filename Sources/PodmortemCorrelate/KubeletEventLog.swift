import Foundation
import PodmortemModel

/// The kubelet's own record of the events it sends: `"Event occurred" object="ns/name"
/// fieldPath="spec.containers{web}" kind="Pod" … type="Warning" reason="Unhealthy" message="…"`,
/// one log line per occurrence (docs/kubernetes.md §5.1, V(3)).
///
/// Each line is one occurrence of an event the API may also show. The lines of one identity are
/// gathered into one observation — count = the distinct lines, first and last seen = the first and
/// last line — so that next to the event object's own count it is the same occurrences counted
/// twice (the larger count stands), not a new object per line. Lines seen twice (one log given
/// twice) count once: the observation depends only on the set of lines.
struct KubeletEventLog: Sendable {
  /// The pattern that recognises the line (patterns/kubelet.json).
  static let patternID = "kubelet.event-occurred"

  struct Gathered: Sendable {
    var event: Event
    /// Hashes of the source lines already counted.
    var lines: Set<Int>
    /// The `EvidenceSample.keep` first and last lines, in `lineOrder`, each once: what an
    /// `EvidenceSample` given every line keeps (an occurrence here is one line), gathered without
    /// building arrays per line; the sample is made of them once, in `events`.
    var first: [Evidence] = []
    var last: [Evidence] = []
  }

  var byIdentity: [EventIdentity: Gathered] = [:]

  /// Takes one log record if it is an "Event occurred" line; false otherwise.
  mutating func add(_ log: LogRecord) -> Bool {
    guard log.patternID == Self.patternID, let event = Self.event(from: log) else { return false }
    var hasher = Hasher()
    hasher.combine(log.evidence.ref)
    // Changed in place: a copy taken out of the dictionary and stored back would copy the set of
    // line hashes on every line (copy on write), which grows with the identity's lines.
    Self.gather(
      log, line: hasher.finalize(), into: &byIdentity[EventIdentity(event), default: Gathered(event: event, lines: [])])
    return true
  }

  static func gather(_ log: LogRecord, line: Int, into gathered: inout Gathered) {
    guard gathered.lines.insert(line).inserted else { return }
    gathered.event.count = gathered.lines.count
    if let t = log.time {
      gathered.event.firstSeen = gathered.event.firstSeen.map { $0.earliest <= t.earliest ? $0 : t } ?? t
      gathered.event.lastSeen = gathered.event.lastSeen.map { $0.latest >= t.latest ? $0 : t } ?? t
    }
    keepFirst(&gathered.first, log.evidence)
    keepLast(&gathered.last, log.evidence)
  }

  /// `EvidenceSample`'s order on the lines of one-line occurrences.
  private static func lineOrder(_ a: Evidence, _ b: Evidence) -> Bool {
    a.ref != b.ref ? a.ref < b.ref : a.text < b.text
  }

  /// Inserts `e` into ascending `list` if it is among the `keep` smallest; a repeat is ignored.
  static func keepFirst(_ list: inout [Evidence], _ e: Evidence) {
    if list.count == EvidenceSample.keep, let last = list.last, !lineOrder(e, last) { return }
    guard !list.contains(e) else { return }
    list.insert(e, at: list.firstIndex { lineOrder(e, $0) } ?? list.endIndex)
    if list.count > EvidenceSample.keep { list.removeLast() }
  }

  /// Inserts `e` into ascending `list` if it is among the `keep` largest; a repeat is ignored.
  static func keepLast(_ list: inout [Evidence], _ e: Evidence) {
    if list.count == EvidenceSample.keep, let first = list.first, !lineOrder(first, e) { return }
    // In source order (the usual case) `e` is the largest: it goes last, the smallest out.
    if let end = list.last, lineOrder(end, e) {
      if list.count == EvidenceSample.keep { list.removeFirst() }
      list.append(e)
      return
    }
    guard !list.contains(e) else { return }
    list.insert(e, at: list.firstIndex { lineOrder(e, $0) } ?? list.endIndex)
    if list.count > EvidenceSample.keep { list.removeFirst() }
  }

  /// One observation per identity, with its evidence sample.
  var events: [(Event, EventIdentity)] {
    byIdentity.map { identity, gathered in
      var e = gathered.event
      var sample = EvidenceSample()
      for line in gathered.first + gathered.last { sample.insert([line]) }
      e.evidence = sample.lines
      return (e, identity)
    }
  }

  /// The event a line records, from the key/value fields the kubelet log parser unquoted.
  static func event(from log: LogRecord) -> Event? {
    guard let object = log.field("object"), let reason = log.field("reason"), let type = log.field("type") else {
      return nil
    }
    let parts = object.split(separator: "/", maxSplits: 1).map(String.init)
    let (namespace, name) = parts.count == 2 ? (Optional(parts[0]), parts[1]) : (nil, object)
    guard !name.isEmpty else { return nil }
    let fieldPath = log.field("fieldPath").flatMap { $0.isEmpty ? nil : $0 }
    var event = Event(
      involved: ObjectRef(kind: log.field("kind"), namespace: namespace, name: name, fieldPath: fieldPath),
      type: EventType(type), reason: reason, message: log.field("message") ?? "", sourceComponent: "kubelet",
      count: 1, firstSeen: log.time, lastSeen: log.time)
    // What Ingest recognised in the message (`event.`-prefixed captures).
    event.patternID = log.capture("event.pattern")
    event.captures = log.captures.compactMap { kv in
      guard kv.key.hasPrefix("event."), kv.key != "event.pattern" else { return nil }
      return KeyValue(String(kv.key.dropFirst("event.".count)), kv.value)
    }
    return event
  }
}
