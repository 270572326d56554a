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

  /// An identity as `byIdentity`'s key: one reference, with its hash computed once. A dictionary
  /// copies a stored key to compare it with the one looked for, and an `EventIdentity` is eleven
  /// fields, nine of them strings: keyed by the identity itself, every "Event occurred" line
  /// retained and released the nine strings of each key it was compared with, cold on a long log
  /// (`perf`, docs/architecture.md "Speed of the kubelet-log path"). Equal keys are equal
  /// identities, as before: the hashes (equal for equal identities) and then the identities are
  /// compared.
  struct Key: Hashable, Sendable {
    final class Box: Sendable {
      let identity: EventIdentity
      let hash: Int

      init(_ identity: EventIdentity) {
        self.identity = identity
        hash = identity.hashValue
      }
    }

    let box: Box

    init(_ identity: EventIdentity) { box = Box(identity) }

    var identity: EventIdentity { box.identity }

    static func == (a: Key, b: Key) -> Bool {
      a.box === b.box || (a.box.hash == b.box.hash && a.box.identity == b.box.identity)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(box.hash) }
  }

  var byIdentity: [Key: Gathered] = [:]

  /// Takes one log record if it is an "Event occurred" line; false otherwise.
  mutating func add(_ log: LogRecord) -> Bool {
    guard log.patternID == Self.patternID, let event = Self.event(from: log) else { return false }
    var hasher = Hasher()
    hasher.combine(log.evidence.ref)
    // Changed in place: a copy taken out of the dictionary and stored back would copy the set of
    // line hashes on every line (copy on write), which grows with the identity's lines.
    Self.gather(
      log, line: hasher.finalize(),
      into: &byIdentity[Key(EventIdentity(event)), default: Gathered(event: event, lines: [])])
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
    byIdentity.map { key, gathered in (Self.observation(gathered), key.identity) }
  }

  /// `events`, handed to `body` one at a time and let go of as they are: an identity's line
  /// hashes and kept lines are freed once its event is made, and no array of every event is
  /// built beside the event book they go into. On the 128 MiB gzip run the heap peaked there,
  /// with the whole log and that array live (docs/architecture.md "Memory of the kubelet-log
  /// run"). The order is the dictionary's, as `events`'s is: the book's merge does not depend on
  /// the order of its events. The log is left empty.
  mutating func drainEvents(_ body: (Event, EventIdentity) -> Void) {
    while let (key, gathered) = byIdentity.popFirst() { body(Self.observation(gathered), key.identity) }
    byIdentity = [:]
  }

  /// The event of one identity's lines, with its evidence sample.
  private static func observation(_ gathered: Gathered) -> Event {
    var e = gathered.event
    var sample = EvidenceSample()
    for line in gathered.first + gathered.last { sample.insert([line]) }
    e.evidence = sample.lines
    return e
  }

  /// The event a line records, from the key/value fields the kubelet log parser unquoted.
  ///
  /// Read in one pass over the fields and the captures, and on the UTF-8 of the object and of
  /// the capture names where they are ASCII: there every `Character` is one byte (a CR LF pair is
  /// one `Character` of two, neither of them `/`), and `String.hasPrefix` on ASCII compares bytes,
  /// so the answer is `eventByCharacters`'s. Any other object or capture name is read as there.
  /// Splitting and slicing by `Character` was most of the cost of an "Event occurred" line
  /// (issue 16, callgrind; docs/architecture.md "Speed of the kubelet-log path").
  static func event(from log: LogRecord) -> Event? {
    var object: String?
    var reason: String?
    var type: String?
    var kind: String?
    var fieldPath: String?
    var message: String?
    // The first field of each name, as `LogRecord.field` finds it.
    for kv in log.fields {
      switch kv.key {
      case "object": if object == nil { object = kv.value }
      case "reason": if reason == nil { reason = kv.value }
      case "type": if type == nil { type = kv.value }
      case "kind": if kind == nil { kind = kv.value }
      case "fieldPath": if fieldPath == nil { fieldPath = kv.value }
      case "message": if message == nil { message = kv.value }
      default: break
      }
    }
    guard let object, let reason, let type else { return nil }
    guard let (namespace, name) = splitObject(object) else { return eventByCharacters(from: log) }
    guard !name.isEmpty else { return nil }
    var event = Event(
      involved: ObjectRef(
        kind: kind, namespace: namespace, name: name, fieldPath: fieldPath.flatMap { $0.isEmpty ? nil : $0 }),
      type: EventType(type), reason: reason, message: message ?? "", sourceComponent: "kubelet",
      count: 1, firstSeen: log.time, lastSeen: log.time)
    // What Ingest recognised in the message (`event.`-prefixed captures).
    var patternID: String?
    var patternSeen = false
    var captures: [KeyValue] = []
    for kv in log.captures {
      if !patternSeen, kv.key == "event.pattern" {
        patternID = kv.value
        patternSeen = true
      }
      switch eventCapture(kv.key) {
      case .none: continue
      case .ascii(let rest): if kv.key != "event.pattern" { captures.append(KeyValue(rest, kv.value)) }
      case .other:
        if kv.key.hasPrefix(prefix), kv.key != "event.pattern" {
          captures.append(KeyValue(String(kv.key.dropFirst(prefix.count)), kv.value))
        }
      }
    }
    event.patternID = patternID
    event.captures = captures
    return event
  }

  private static let prefix = "event."

  /// What a capture name is to `event(from:)`, read on its bytes.
  private enum CaptureName {
    /// Its bytes do not begin `event.`: nor do its `Character`s, since none of `event.` has
    /// another canonically equivalent spelling.
    case none
    /// An ASCII name that begins `event.`, and what follows.
    case ascii(String)
    /// Any other name that begins `event.` by its bytes: read by `Character`.
    case other
  }

  private static func eventCapture(_ key: String) -> CaptureName {
    let read = key.utf8.withContiguousStorageIfAvailable { b -> CaptureName in
      guard b.count >= 6, b[0] == 0x65, b[1] == 0x76, b[2] == 0x65, b[3] == 0x6E, b[4] == 0x74, b[5] == 0x2E
      else { return .none }
      for byte in b where byte >= 0x80 { return .other }
      return .ascii(String(decoding: UnsafeBufferPointer(rebasing: b[6...]), as: UTF8.self))
    }
    return read ?? .other
  }

  /// `object` as `eventByCharacters` splits it — `split(separator: "/", maxSplits: 1)`, empty
  /// parts left out: the namespace and the name when there are two parts, else no namespace and
  /// the whole object — read on its bytes; nil when `object` is not ASCII.
  static func splitObject(_ object: String) -> (namespace: String?, name: String)? {
    let read = object.utf8.withContiguousStorageIfAvailable { b -> (namespace: String?, name: String)? in
      for byte in b where byte >= 0x80 { return nil }
      let slash = UInt8(ascii: "/")
      var start = 0
      for i in 0..<b.count where b[i] == slash {
        if i != start {
          // The first part ends here; the rest is the second part unless it is empty.
          guard i + 1 < b.count else { return (nil, object) }
          return (
            String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self),
            String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)...]), as: UTF8.self)
          )
        }
        start = i + 1
      }
      return (nil, object)
    }
    return read ?? nil
  }

  /// `event(from:)` by `Character`, as it was: the reference its tests compare with, and the
  /// reading of a non-ASCII object.
  static func eventByCharacters(from log: LogRecord) -> Event? {
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
    event.patternID = log.capture("event.pattern")
    event.captures = log.captures.compactMap { kv in
      guard kv.key.hasPrefix("event."), kv.key != "event.pattern" else { return nil }
      return KeyValue(String(kv.key.dropFirst("event.".count)), kv.value)
    }
    return event
  }
}
