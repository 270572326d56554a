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
    /// The text of the identity's first line gathered: the kept lines are stored as where they
    /// differ from it (`KeptLine`).
    var shared = ""
    /// The `EvidenceSample.keep` first and last lines, in `lineOrder`, each once: what an
    /// `EvidenceSample` given every line keeps (an occurrence here is one line), gathered without
    /// building arrays per line; the sample is made of them once, in `events`.
    var firstKept: [KeptLine] = []
    var lastKept: [KeptLine] = []

    /// The first lines, as they were given.
    var first: [Evidence] { firstKept.map { $0.evidence(shared) } }
    /// The last lines, as they were given.
    var last: [Evidence] { lastKept.map { $0.evidence(shared) } }
  }

  /// A kept line of an identity, as the bytes where it differs from the identity's first line
  /// (`Gathered.shared`): its start as long as it is the first line's start, then `middle`, then
  /// the first line's end from `tailFrom`. The lines of one identity are one template (klog's
  /// header, then the same message and fields), so a kept klog line is its time's few differing
  /// digits, which a `String` of at most 15 bytes holds without an allocation: each kept line was
  /// a whole line's string before, 3.6 MB of a half's heap on the bench log (2,000 identities, six
  /// lines each; docs/architecture.md "Memory of the kubelet-log run"). The cuts are at scalar
  /// boundaries of the line, so `middle` is its own bytes and the three parts put together are
  /// the line's bytes again (`KubeletEventKeptTests`).
  struct KeptLine: Sendable {
    var ref: SourceRef
    var middle: String
    /// How many bytes the line shares with the start of `shared`.
    var head: Int
    /// Where in `shared` the line's common end begins.
    var tailFrom: Int

    init(_ e: Evidence, shared: String) {
      ref = e.ref
      let (p, q, from) = PackedLog.withUTF8(e.text) { t in
        PackedLog.withUTF8(shared) { s in Self.cuts(t, s) }
      }
      head = p
      tailFrom = from
      middle =
        p == 0 && q == e.text.utf8.count
        ? e.text
        : PackedLog.withUTF8(e.text) { t in
          String(decoding: UnsafeBufferPointer(rebasing: t[p..<q]), as: UTF8.self)
        }
    }

    /// Where `t` stops being `s`'s start (`p`), where its end as long as `s`'s end begins (`q`,
    /// at or after `p`), and where that end begins in `s`; both cuts on scalar boundaries of `t`.
    ///
    /// The line itself (an identity's first line, kept in both lists, is `shared`: most calls on a
    /// log of few repeats) is answered at once, and the start is compared eight bytes a step, the
    /// first differing byte of a step found from the lowest set bit of the words' difference read
    /// little-endian; where the byte loop before walked a line's whole start a byte at a time
    /// (`KubeletEventKeptTests` keeps it and compares both).
    static func cuts(_ t: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int) {
      let n = min(t.count, s.count)
      guard n > 0, let tb = t.baseAddress, let sb = s.baseAddress else { return (0, t.count, s.count) }
      // The same bytes: the whole line is `shared`'s start, nothing is left for the end.
      if t.count == s.count, tb == sb || memcmp(tb, sb, n) == 0 { return (n, n, n) }
      var p = 0
      while n - p >= 8 {
        let a = UInt64(littleEndian: UnsafeRawPointer(tb + p).loadUnaligned(as: UInt64.self))
        let b = UInt64(littleEndian: UnsafeRawPointer(sb + p).loadUnaligned(as: UInt64.self))
        if a != b {
          p += (a ^ b).trailingZeroBitCount >> 3
          break
        }
        p += 8
      }
      if n - p < 8 { while p < n, tb[p] == sb[p] { p += 1 } }
      // The common end, eight bytes a step, then a byte at a time; never reaching back past `p`.
      let room = n - p
      var c = 0
      while room - c >= 8,
        UnsafeRawPointer(tb + (t.count - c - 8)).loadUnaligned(as: UInt64.self)
          == UnsafeRawPointer(sb + (s.count - c - 8)).loadUnaligned(as: UInt64.self)
      {
        c += 8
      }
      while c < room, tb[t.count - 1 - c] == sb[s.count - 1 - c] { c += 1 }
      while p > 0, p < t.count, tb[p] & 0xC0 == 0x80 { p -= 1 }
      var q = t.count - c
      while q < t.count, tb[q] & 0xC0 == 0x80 { q += 1 }
      return (p, q, s.count - (t.count - q))
    }

    /// The line's text: `shared`'s first `head` bytes, `middle`, `shared` from `tailFrom`.
    func text(_ shared: String) -> String {
      if head == 0 && tailFrom >= shared.utf8.count { return middle }
      return PackedLog.withUTF8(shared) { s in
        PackedLog.withUTF8(middle) { m in
          let tail = s.count - tailFrom
          return String(unsafeUninitializedCapacity: head + m.count + tail) { out in
            guard let o = out.baseAddress else { return 0 }
            if head > 0, let sb = s.baseAddress { o.initialize(from: sb, count: head) }
            if m.count > 0, let mb = m.baseAddress { (o + head).initialize(from: mb, count: m.count) }
            if tail > 0, let sb = s.baseAddress { (o + head + m.count).initialize(from: sb + tailFrom, count: tail) }
            return head + m.count + tail
          }
        }
      }
    }

    func evidence(_ shared: String) -> Evidence { Evidence(ref: ref, text: text(shared)) }
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
  /// The key of each identity a line's identity fields (`withIdentityFields`) were seen to make.
  var memo = IdentityMemo()

  /// Takes one log record if it is an "Event occurred" line; false otherwise.
  ///
  /// A line whose identity fields are byte for byte those of a line before it has that line's
  /// identity, so its key is taken from `memo` and its event is not built: the event, its
  /// identity, the key's allocation and hash were 34M of `add`'s 45M instructions on a slice
  /// where nearly every line repeats an identity (callgrind, docs/architecture.md "Speed of the
  /// kubelet-log path"). The key found is checked in the dictionary (`index(forKey:)`), so a
  /// log merged or drained since answers as before; a line the memo cannot take (a field name
  /// not ASCII, 1 KiB of identity fields) and every first line of an identity take the way
  /// before, `addBuildingEvent`. `KubeletEventMemoTests` keeps that way as the reference.
  mutating func add(_ log: LogRecord) -> Bool {
    guard let id = log.patternID, Self.isEventPattern(id) else { return false }
    // The closures read the memo and the fields only: one that captured `log` copied the whole
    // record into its context and destroyed the copy (4M instructions on the slice).
    let seen = Self.withIdentityFields(log.fields) { raw -> (hash: UInt64, key: Key?) in
      let hash = IdentityMemo.hash(raw)
      return (hash, self.memo.key(for: raw, hash: hash))
    }
    if let key = seen?.key, let at = byIdentity.index(forKey: key) {
      Self.gather(log, line: Self.lineHash(log), into: &byIdentity.values[at])
      return true
    }
    guard let key = addBuildingEvent(log) else { return false }
    // Bounded by the identities: many spellings of one identity (a kind as `Pod` and `pod`, a
    // message's trailing blank) do not grow it past them.
    if let seen, self.memo.count < 2 * byIdentity.count + 64 {
      _ = Self.withIdentityFields(log.fields) { raw in self.memo.insert(raw, hash: seen.hash, key: key) }
    }
    return true
  }

  /// Whether `id` is `patternID`, on its length first: a string equal to it as a `String` is its
  /// very bytes (it is ASCII without `K`, `;` or `` ` ``, the only ASCII a non-ASCII character is
  /// canonically equivalent to alone), so one of another length is not equal, and the
  /// comparison (62 instructions a line, most of them lines of other patterns) is not made.
  @inline(__always)
  static func isEventPattern(_ id: String) -> Bool {
    id.utf8.count == patternID.utf8.count && id == patternID
  }

  /// `add` as it was: the line's event built, its identity made and looked up. Returns the key
  /// the dictionary holds for it, nil when the line is no event.
  mutating func addBuildingEvent(_ log: LogRecord) -> Key? {
    guard let event = Self.event(from: log) else { return nil }
    let key = Key(EventIdentity(event))
    // Changed in place: a copy taken out of the dictionary and stored back would copy the set of
    // line hashes on every line (copy on write), which grows with the identity's lines.
    Self.gather(log, line: Self.lineHash(log), into: &byIdentity[key, default: Gathered(event: event, lines: [])])
    return byIdentity.index(forKey: key).map { byIdentity.keys[$0] }
  }

  /// What tells two lines of one identity apart: the hash of the line's place.
  static func lineHash(_ log: LogRecord) -> Int {
    var hasher = Hasher()
    hasher.combine(log.evidence.ref)
    return hasher.finalize()
  }

  /// `body` given the fields an event's identity is made of, as bytes: for each of `object`,
  /// `reason`, `type`, `kind`, `fieldPath` and `message`, the first field of that name
  /// (`event(from:)` and `eventByCharacters` read those and nothing else of the line into the
  /// identity: `EventIdentity(event)` reads the object, kind, field path, type, reason and
  /// message, and the constant component), written as a presence byte and, when present, its
  /// length in four bytes and its bytes. Equal bytes are equal fields, so an equal identity. Nil
  /// when a field's name is not ASCII (the names are found on their bytes, which is `String`
  /// equality only for ASCII: none of the six holds `K`, `;` or `` ` ``, the only ASCII a
  /// non-ASCII character is canonically equivalent to alone) or the bytes exceed 1 KiB.
  static func withIdentityFields<R>(_ fields: [KeyValue], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    fields.withUnsafeBufferPointer { fields -> R? in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: 6) { first -> R? in
        first.initialize(repeating: -1)
        for i in fields.indices {
          let name = PackedLog.withUTF8(fields[i].key) { identityName($0) }
          if name < 0 { return nil }
          if name < 6, first[name] < 0 { first[name] = i }
        }
        var size = 0
        for k in 0..<6 {
          size += 1
          if first[k] >= 0 { size += 4 + fields[first[k]].value.utf8.count }
        }
        guard size <= identityRoom else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: identityRoom) { room -> R in
          var at = 0
          for k in 0..<6 {
            guard first[k] >= 0 else {
              room[at] = 0
              at += 1
              continue
            }
            PackedLog.withUTF8(fields[first[k]].value) { v in
              room[at] = 1
              for b in 0..<4 { room[at + 1 + b] = UInt8(truncatingIfNeeded: v.count >> (8 * b)) }
              at += 5
              if let from = v.baseAddress, v.count > 0, let to = room.baseAddress {
                (to + at).initialize(from: from, count: v.count)
              }
              at += v.count
            }
          }
          return body(UnsafeBufferPointer(rebasing: room[..<at]))
        }
      }
    }
  }

  /// `withIdentityFields`'s most bytes: on the stack (`withUnsafeTemporaryAllocation` of at most
  /// 1,024 bytes asks nothing of the runtime). The bench's lines need about 150.
  static let identityRoom = 1_024

  /// Which of `withIdentityFields`'s six names `k` is (0 to 5), 6 for another ASCII name, -1 when
  /// `k` is not ASCII.
  private static func identityName(_ k: UnsafeBufferPointer<UInt8>) -> Int {
    for b in k where b >= 0x80 { return -1 }
    switch k.count {
    case 4: return named(k, "type") ? 2 : named(k, "kind") ? 3 : 6
    case 6: return named(k, "object") ? 0 : named(k, "reason") ? 1 : 6
    case 7: return named(k, "message") ? 5 : 6
    case 9: return named(k, "fieldPath") ? 4 : 6
    default: return 6
    }
  }

  private static func named(_ k: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
    name.withUTF8Buffer { PackedLog.same(k, $0) }
  }

  /// A table from a line's identity fields (`withIdentityFields`'s bytes) to the key of the
  /// identity they made: open addressing, a power of two of places, at most half full.
  struct IdentityMemo: Sendable {
    struct Entry: Sendable {
      var hash: UInt64
      var raw: [UInt8]
      var key: Key?
    }

    private var entries: [Entry] = []
    private(set) var count = 0

    /// A hash of the bytes for the table's places, eight bytes a step; equal bytes hash alike, and
    /// a place is taken only after its bytes are compared.
    static func hash(_ raw: UnsafeBufferPointer<UInt8>) -> UInt64 {
      let n = raw.count
      var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
      guard let base = raw.baseAddress else { return h }
      var p = 0
      while n - p >= 8 {
        let w = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
        h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        p += 8
      }
      while p < n {
        h = (h ^ UInt64(base[p])) &* 0x0000_0100_0000_01B3
        p += 1
      }
      return h ^ (h >> 29)
    }

    /// The key stored for these bytes, if any.
    func key(for raw: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Key? {
      entries.withUnsafeBufferPointer { e -> Key? in
        guard !e.isEmpty else { return nil }
        let mask = e.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while let key = e[i].key {
          if e[i].hash == hash, e[i].raw.withUnsafeBufferPointer({ PackedLog.same($0, raw) }) { return key }
          i = (i + 1) & mask
        }
        return nil
      }
    }

    /// Stores `key` for these bytes, which are not stored yet.
    mutating func insert(_ raw: UnsafeBufferPointer<UInt8>, hash: UInt64, key: Key) {
      if 2 * (count + 1) > entries.count { grow() }
      place(Entry(hash: hash, raw: Array(raw), key: key))
      count += 1
    }

    private mutating func place(_ entry: Entry) {
      let mask = entries.count - 1
      var i = Int(truncatingIfNeeded: entry.hash) & mask
      while entries[i].key != nil { i = (i + 1) & mask }
      entries[i] = entry
    }

    private mutating func grow() {
      let old = entries
      entries = Array(repeating: Entry(hash: 0, raw: [], key: nil), count: max(64, 2 * old.count))
      for entry in old where entry.key != nil { place(entry) }
    }
  }

  static func gather(_ log: LogRecord, line: Int, into gathered: inout Gathered) {
    guard gathered.lines.insert(line).inserted else { return }
    gathered.event.count = gathered.lines.count
    if let t = log.time {
      gathered.event.firstSeen = gathered.event.firstSeen.map { $0.earliest <= t.earliest ? $0 : t } ?? t
      gathered.event.lastSeen = gathered.event.lastSeen.map { $0.latest >= t.latest ? $0 : t } ?? t
    }
    // The first line gathered enters both lists, which never empty again.
    if gathered.firstKept.isEmpty { gathered.shared = log.evidence.text }
    keepFirst(&gathered, log.evidence)
    keepLast(&gathered, log.evidence)
  }

  /// `EvidenceSample`'s order on the lines of one-line occurrences: `e` before the kept line `k`
  /// (`before`), or `k` before `e`; the text is built only for lines of one place.
  private static func lineOrder(_ e: Evidence, before k: KeptLine, _ shared: String) -> Bool {
    e.ref != k.ref ? e.ref < k.ref : e.text < k.text(shared)
  }

  private static func lineOrder(_ k: KeptLine, before e: Evidence, _ shared: String) -> Bool {
    k.ref != e.ref ? k.ref < e.ref : k.text(shared) < e.text
  }

  /// Whether `list` holds `e`: the same place and the same text.
  private static func holds(_ list: [KeptLine], _ e: Evidence, _ shared: String) -> Bool {
    list.contains { $0.ref == e.ref && $0.text(shared) == e.text }
  }

  /// Inserts `e` into ascending `firstKept` if it is among the `keep` smallest; a repeat is
  /// ignored. What `keepFirst` on an array of `Evidence` did (`KubeletEventKeptTests` keeps it).
  static func keepFirst(_ g: inout Gathered, _ e: Evidence) {
    let shared = g.shared
    if g.firstKept.count == EvidenceSample.keep, let last = g.firstKept.last, !lineOrder(e, before: last, shared) {
      return
    }
    guard !holds(g.firstKept, e, shared) else { return }
    let at = g.firstKept.firstIndex { lineOrder(e, before: $0, shared) } ?? g.firstKept.endIndex
    g.firstKept.insert(KeptLine(e, shared: shared), at: at)
    if g.firstKept.count > EvidenceSample.keep { g.firstKept.removeLast() }
  }

  /// Inserts `e` into ascending `lastKept` if it is among the `keep` largest; a repeat is
  /// ignored. What `keepLast` on an array of `Evidence` did (`KubeletEventKeptTests` keeps it).
  static func keepLast(_ g: inout Gathered, _ e: Evidence) {
    let shared = g.shared
    if g.lastKept.count == EvidenceSample.keep, let first = g.lastKept.first, !lineOrder(first, before: e, shared) {
      return
    }
    // In source order (the usual case) `e` is the largest: it goes last, the smallest out.
    if let end = g.lastKept.last, lineOrder(end, before: e, shared) {
      if g.lastKept.count == EvidenceSample.keep { g.lastKept.removeFirst() }
      g.lastKept.append(KeptLine(e, shared: shared))
      return
    }
    guard !holds(g.lastKept, e, shared) else { return }
    let at = g.lastKept.firstIndex { lineOrder(e, before: $0, shared) } ?? g.lastKept.endIndex
    g.lastKept.insert(KeptLine(e, shared: shared), at: at)
    if g.lastKept.count > EvidenceSample.keep { g.lastKept.removeFirst() }
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
    memo = IdentityMemo()
    while let (key, gathered) = byIdentity.popFirst() { body(Self.observation(gathered), key.identity) }
    byIdentity = [:]
  }

  /// The event of one identity's lines, with its evidence sample.
  private static func observation(_ gathered: Gathered) -> Event {
    var e = gathered.event
    let first = gathered.first
    let last = gathered.last
    // The kept lines in one ascending run, or the same lines twice: they are the sample's lines
    // (`EvidenceSample.ofSingleLines`), without building and sorting the sample.
    if let lines = EvidenceSample.ofSingleLines(first, last) {
      e.evidence = lines
      return e
    }
    var sample = EvidenceSample()
    for line in first + last { sample.insert([line]) }
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
