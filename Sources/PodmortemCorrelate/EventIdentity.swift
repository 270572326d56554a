import Foundation
import PodmortemModel
import PodmortemText

/// The identity of an event: the fields of the legacy recorder's dedup key (docs/kubernetes.md §5.1
/// `getEventKey`), normalised so that every source spells them the same way.
///
/// A field a source does not show is nil, and nil is a wildcard, not a value: describe's
/// `From: kubelet` has no host, describe has no uid or kind, `get events` has no field path.
/// Two identities are compatible when every field both know is equal.
package struct EventIdentity: Hashable, Comparable, Sendable {
  /// The prefix the aggregator puts on the event that replaces ten similar ones (§5.1 step 1).
  package static let combinedPrefix = "(combined from similar events): "

  package var namespace: String?
  /// Lower-cased: `get events` prints `pod/web-0`, `kubectl events` and JSON `Pod/web-0` (§3.1, §3.3).
  package var kind: String?
  package var name: String
  package var uid: String?
  package var fieldPath: String?
  package var type: String
  package var reason: String
  package var component: String?
  package var host: String?
  /// The message without a field-path prefix; for a combined event only the prefix, because its
  /// message tracks the latest similar event while the object stays the same (§5.1 step 1).
  package var message: String
  /// The pasted block an unnamed object's events came from (`ObjectRef.pastedAt`): not a wildcard,
  /// so the events of two unnamed blocks never merge into one object's.
  package var pastedAt: SourceRef?

  /// `text.hasPrefix(prefix)` for a `prefix` that begins with an ASCII byte: false at once when
  /// `text` begins with another ASCII byte. That byte is then `text`'s first scalar, which
  /// canonical reordering never moves (its combining class is 0), so `text`'s first `Character`
  /// decomposes to a first scalar other than the prefix's and is not canonically equal to the
  /// prefix's first `Character`; any other text asks `hasPrefix` (`EventIdentityTrimBytesTests`).
  static func mayBegin(_ text: String, with prefix: String) -> Bool {
    if let t = text.utf8.first, let p = prefix.utf8.first, t < 0x80, p < 0x80, t != p { return false }
    return text.hasPrefix(prefix)
  }

  /// Hashes the name, reason and message only: identities that differ are nearly always told
  /// apart by those, and `EventBook.add` hashes every event's identity, where all eleven fields
  /// (the synthesized hash) cost about 2,500 instructions (issue 16, callgrind). Equal identities
  /// still hash equal: `==` compares these three among the rest, each as `String` compares it
  /// (canonical equivalence), and each is hashed as `String` hashes it. No output depends on a
  /// hash value: the hasher's seed changes from run to run.
  package func hash(into hasher: inout Hasher) {
    hasher.combine(name)
    hasher.combine(reason)
    hasher.combine(message)
  }

  /// True for the event the aggregator created in place of similar ones.
  package var isCombined: Bool { message == Self.combinedPrefix }

  /// How many of the optional fields are known; more specific identities anchor less specific ones.
  package var knownFields: Int {
    // Counted without building an array: this runs for every identity in every merge.
    var n = 0
    if namespace != nil { n += 1 }
    if kind != nil { n += 1 }
    if uid != nil { n += 1 }
    if fieldPath != nil { n += 1 }
    if component != nil { n += 1 }
    if host != nil { n += 1 }
    return n
  }

  /// True when every field both identities know is equal.
  package func isCompatible(with other: EventIdentity) -> Bool {
    name == other.name && type == other.type && reason == other.reason && message == other.message
      && Self.agree(namespace, other.namespace) && Self.agree(kind, other.kind) && Self.agree(uid, other.uid)
      && Self.agree(fieldPath, other.fieldPath) && Self.agree(component, other.component)
      && Self.agree(host, other.host) && pastedAt == other.pastedAt
  }

  /// Fills the fields this identity lacks from a compatible one.
  package mutating func fill(from other: EventIdentity) {
    namespace = namespace ?? other.namespace
    kind = kind ?? other.kind
    uid = uid ?? other.uid
    fieldPath = fieldPath ?? other.fieldPath
    component = component ?? other.component
    host = host ?? other.host
  }

  /// The aggregator's key (§5.1 step 1): everything but the message and the field path.
  package var aggregateKey: [String?] {
    [namespace, kind, name, uid, type, reason, component, host, pastedAt?.description]
  }

  /// A total order for deterministic output; nil sorts before any value.
  package static func < (lhs: EventIdentity, rhs: EventIdentity) -> Bool {
    withUnsafePointer(to: lhs) { a in withUnsafePointer(to: rhs) { b in precedes(a, b) } }
  }

  /// `<` on identities in place, compared field by field without building keys: each field is
  /// read where it lies, so sorting every identity of a merge copies none of them.
  package static func precedes(_ pa: UnsafePointer<EventIdentity>, _ pb: UnsafePointer<EventIdentity>) -> Bool {
    if let o = order(pa.pointee.namespace, pb.pointee.namespace) { return o }
    if let o = order(pa.pointee.kind, pb.pointee.kind) { return o }
    if pa.pointee.name != pb.pointee.name { return pa.pointee.name < pb.pointee.name }
    return precedesAfterName(pa, pb)
  }

  /// `precedes` from the uid on, for identities whose namespace, kind and name are equal.
  static func precedesAfterName(_ pa: UnsafePointer<EventIdentity>, _ pb: UnsafePointer<EventIdentity>) -> Bool {
    if let o = order(pa.pointee.uid, pb.pointee.uid) { return o }
    if let o = order(pa.pointee.fieldPath, pb.pointee.fieldPath) { return o }
    if pa.pointee.type != pb.pointee.type { return pa.pointee.type < pb.pointee.type }
    if pa.pointee.reason != pb.pointee.reason { return pa.pointee.reason < pb.pointee.reason }
    if let o = order(pa.pointee.component, pb.pointee.component) { return o }
    if let o = order(pa.pointee.host, pb.pointee.host) { return o }
    if pa.pointee.message != pb.pointee.message { return pa.pointee.message < pb.pointee.message }
    if pa.pointee.pastedAt == nil && pb.pointee.pastedAt == nil { return false }
    return order(pa.pointee.pastedAt?.description, pb.pointee.pastedAt?.description) ?? false
  }

  /// The positions of `identities` in the merge's order: more known fields first, then `precedes`
  /// (`EventBook.drainMerged`). Sorting with `precedes` compared the namespace, the kind and the
  /// name as strings in every comparison, `==` then `<` (each a call into the runtime for a string
  /// longer than fifteen bytes), and most comparisons decide on the name (issue 16, callgrind:
  /// 250 instructions a comparison on 1,000 describes). Each of those three fields is given a rank
  /// once per distinct value instead (`addRanks`): the values sorted with `String`'s `<`, equal
  /// ones (`==`, canonically) given one rank, nil ranked first. Ranks then
  /// order as the strings do and are equal exactly when the strings are, so one word holding the
  /// count of unknown fields and the three ranks orders two identities as the first four steps of
  /// the comparison do, and a tie is decided by `precedesAfterName`: every comparison gives the
  /// answer the old one gave, so the stable sort gives the same order. Only where every one of
  /// those values is ASCII (`addRanks`); otherwise the identities are sorted as before. `MergeOrderTests` keeps
  /// the sort with `precedes` as the reference.
  package static func mergeOrder(_ identities: [EventIdentity]) -> [Int] {
    let count = identities.count
    // Twenty bits a rank: more identities than that (never met; a hostile input could try) are
    // sorted as before, since their ranks might not fit.
    guard count < rankLimit else { return referenceMergeOrder(identities) }
    return identities.withUnsafeBufferPointer { ids -> [Int] in
      guard let base = ids.baseAddress else { return [] }
      var keys = [UInt64](repeating: 0, count: count)
      let ascii = keys.withUnsafeMutableBufferPointer { keys in
        for i in 0..<count { keys[i] = UInt64(6 - ids[i].knownFields) << 60 }
        return addRanks(count, shift: 40, into: keys) { ids[$0].namespace }
          && addRanks(count, shift: 20, into: keys) { ids[$0].kind }
          && addRanks(count, shift: 0, into: keys) { ids[$0].name }
      }
      guard ascii else { return referenceMergeOrder(identities) }
      return keys.withUnsafeBufferPointer { keys in
        ids.indices.sorted { a, b in
          keys[a] != keys[b] ? keys[a] < keys[b] : precedesAfterName(base + a, base + b)
        }
      }
    }
  }

  /// The sort `mergeOrder` stands for, and what it falls back to past `rankLimit` identities.
  static func referenceMergeOrder(_ identities: [EventIdentity]) -> [Int] {
    let known = identities.map(\.knownFields)
    return identities.withUnsafeBufferPointer { ids -> [Int] in
      guard let base = ids.baseAddress else { return [] }
      return ids.indices.sorted { a, b in
        known[a] != known[b] ? known[a] > known[b] : precedes(base + a, base + b)
      }
    }
  }

  /// Ranks fit in twenty bits: 0 for nil, 1 and up for the distinct values in order.
  static let rankLimit = (1 << 20) - 1

  /// Adds to each key the rank of `field(i)` among the distinct values of the field, shifted left
  /// by `shift`. Values equal to the one before (`==`; the same storage compares at once, and an
  /// event list or a describe gives the events of one object in a row) are one run; the runs'
  /// values are sorted with `<` (one comparison a step, where `precedes` made two, `!=` then `<`)
  /// and neighbours in that order share a rank when they are `==`. A table of the distinct values
  /// was tried first: hashing every value and growing the table cost more than the comparisons
  /// it saved on an event list, whose names are nearly all distinct (24.4M instructions for the
  /// sort, against 21.0M before, callgrind).
  ///
  /// Returns false, the keys unfinished, when a value is not ASCII. On ASCII `String`'s `<` is the
  /// bytes' order and `==` their equality, a total order, so each rank comparison answers as the
  /// string comparison does. On seeded identities with non-ASCII values (a Kelvin sign, a dotted
  /// capital I, accents composed and decomposed) the ranked sort and the sort with `precedes`
  /// differed in 5 of 400 rounds; the sort with `precedes` is kept for those (`mergeOrder`), as
  /// their order was not examined further in the time there was.
  @inline(__always)
  static func addRanks(
    _ count: Int, shift: UInt64, into keys: UnsafeMutableBufferPointer<UInt64>, _ field: (Int) -> String?
  ) -> Bool {
    // The first value of each run; `runOf[i]` is the run of identity `i` plus one, 0 for nil.
    var runs: [String] = []
    var runOf = [Int](repeating: 0, count: count)
    for i in 0..<count {
      guard let value = field(i) else { continue }
      if let last = runs.last, last == value {
        runOf[i] = runs.count
        continue
      }
      guard ASCIISearch.isContiguousASCII(value) else {
        return false
      }
      runs.append(value)
      runOf[i] = runs.count
    }
    var rankOfRun = [Int](repeating: 0, count: runs.count + 1)
    runs.withUnsafeBufferPointer { runs in
      let sorted = runs.indices.sorted { runs[$0] < runs[$1] }
      var rank = 0
      for (k, run) in sorted.enumerated() {
        if k == 0 || runs[sorted[k - 1]] != runs[run] { rank += 1 }
        rankOfRun[run + 1] = rank
      }
    }
    for i in 0..<count { keys[i] |= UInt64(rankOfRun[runOf[i]]) << shift }
    return true
  }

  /// `a < b` with nil first, or nil when they are equal.
  @inline(__always)
  private static func order(_ a: String?, _ b: String?) -> Bool? {
    switch (a, b) {
    case (nil, nil): return nil
    case (nil, _): return true
    case (_, nil): return false
    case (let a?, let b?): return a == b ? nil : a < b
    }
  }

  private static func agree(_ a: String?, _ b: String?) -> Bool {
    guard let a, let b else { return true }
    return a == b
  }

  private static func nonEmpty(_ s: String?) -> String? {
    guard let s else { return nil }
    let t = trimmed(s)
    return t.isEmpty ? nil : t
  }

  static func trimmed(_ s: String) -> String {
    // Most messages need no trimming; checking the ends first avoids a copy per record. The ends'
    // bytes first: a UTF-8 string whose first byte is below 0x80 begins with that scalar, and one
    // whose last byte is below 0x80 ends with it (every byte of a longer scalar is 0x80 or more),
    // so printable ASCII bytes at both ends answer as the scalars below do, without the scalar
    // view's decoding (about 230 instructions a field, seven fields an event;
    // docs/architecture.md "Speed of the EventList path"; `EventIdentityTrimTests`).
    // Both bytes are read in one look at the string's storage: `utf8.first` and `utf8.last` went
    // through the collection's generic getters, about 100 instructions of the 166 a call on the
    // 8 MiB EventList (docs/architecture.md "Speed of the EventList path").
    if printableEnds(s) { return s }
    guard let f = s.unicodeScalars.first, let l = s.unicodeScalars.last else { return s }
    // Printable ASCII at both ends (0x21–0x7E: none of it is white space or a newline) answers
    // without fetching the character set, whose getter is a dynamic cast (issue 16, perf).
    if (0x21...0x7E).contains(f.value) && (0x21...0x7E).contains(l.value) { return s }
    let space = CharacterSet.whitespacesAndNewlines
    guard space.contains(f) || space.contains(l) else { return s }
    return s.trimmingCharacters(in: space)
  }

  /// Whether the first and the last byte of `s` are both printable ASCII (0x21–0x7E), read where
  /// the bytes lie; a string that cannot lend them asks `utf8.first` and `utf8.last`, as before.
  @inline(__always)
  static func printableEnds(_ s: String) -> Bool {
    if let ends = s.utf8.withContiguousStorageIfAvailable({ b -> Bool in
      guard let f = b.first, let l = b.last else { return false }
      return (0x21...0x7E).contains(f) && (0x21...0x7E).contains(l)
    }) {
      return ends
    }
    guard let f = s.utf8.first, let l = s.utf8.last else { return false }
    return (0x21...0x7E).contains(f) && (0x21...0x7E).contains(l)
  }

  /// Whether `s` holds a comma byte (`utf8.contains`), read where the bytes lie with `memchr`:
  /// the generic `contains` over the view was about 300 instructions a describe's `kubelet`.
  static func holdsComma(_ s: String) -> Bool {
    if let found = s.utf8.withContiguousStorageIfAvailable({ b -> Bool in
      guard let base = b.baseAddress else { return false }
      return memchr(base, Int32(UInt8(ascii: ",")), b.count) != nil
    }) {
      return found
    }
    return s.utf8.contains(UInt8(ascii: ","))
  }

  /// `spec.containers{web}: Liveness probe failed: …` → (`spec.containers{web}`, `Liveness probe failed: …`).
  static func splitFieldPathPrefix(_ message: String) -> (String, String)? {
    guard Self.mayBegin(message, with: "spec.") || Self.mayBegin(message, with: "implicitly required container "),
      let marker = message.range(of: "}: ")
    else { return nil }
    let path = String(message[..<message.index(after: marker.lowerBound)])
    guard !path.contains(" ") || path.hasPrefix("implicitly required container ") else { return nil }
    return (path, String(message[marker.upperBound...]))
  }
}

// The initializers are declared here, outside the struct's body, so that the struct keeps its
// synthesized memberwise initializer, `init(namespace:kind:name:uid:fieldPath:type:reason:
// component:host:message:pastedAt:)` (each optional field defaulting to nil), which builds the
// value in one step. An initializer that sets `self`'s fields one by one, as these did, was
// compiled (Swift 6.3, `-O`) to build the identity in a local, copy it into the result (eleven
// strings retained) and destroy the local (released again): about 560 instructions an event, 3.7M
// of `EventIdentity.init`'s 11.8M on the 8 MiB EventList (docs/architecture.md "Speed of the
// EventList path"; `IdentityInOneStepTests` keeps the field-by-field initializer as the reference).
extension EventIdentity {
  /// The identity of `event`, and its message cleaned of a field-path prefix.
  ///
  /// The event is borrowed: taken (an initializer's default), every caller copied it first, each
  /// of its strings retained and released again here (docs/architecture.md "Speed of the
  /// EventList path").
  package init(_ event: borrowing Event) {
    let (fieldPath, message, component, host) = Self.cleaned(event)
    // The whole value given at once through the synthesized memberwise initializer (above).
    self = EventIdentity(
      namespace: Self.nonEmpty(event.involved.namespace), kind: Self.nonEmpty(event.involved.kind)?.lowercased(),
      name: event.involved.name, uid: Self.nonEmpty(event.involved.uid), fieldPath: fieldPath,
      type: event.type.description, reason: event.reason, component: component, host: host,
      message: Self.mayBegin(message, with: Self.combinedPrefix) ? Self.combinedPrefix : message,
      pastedAt: event.involved.name.isEmpty ? event.involved.pastedAt : nil)
  }

  /// The initializer before it built the value in one step, each field set on `self` (the
  /// reference of `IdentityInOneStepTests`).
  init(bySteps event: borrowing Event) {
    let (fieldPath, message, component, host) = Self.cleaned(event)
    self.pastedAt = event.involved.name.isEmpty ? event.involved.pastedAt : nil
    self.namespace = Self.nonEmpty(event.involved.namespace)
    self.kind = Self.nonEmpty(event.involved.kind)?.lowercased()
    self.name = event.involved.name
    self.uid = Self.nonEmpty(event.involved.uid)
    self.fieldPath = fieldPath
    self.type = event.type.description
    self.reason = event.reason
    self.component = component
    self.host = host
    self.message = Self.mayBegin(message, with: Self.combinedPrefix) ? Self.combinedPrefix : message
  }

  /// The field path, the message (cleaned of a field-path prefix), the component and the host of
  /// `event`, as both initializers read them.
  @inline(__always)
  private static func cleaned(
    _ event: borrowing Event
  ) -> (fieldPath: String?, message: String, component: String?, host: String?) {
    var fieldPath = Self.nonEmpty(event.involved.fieldPath)
    var message = Self.trimmed(event.message)
    // ≥1.35 describe prefixes the message with the field path (§1.6); a parser may leave it there.
    if let (path, rest) = Self.splitFieldPathPrefix(message), fieldPath == nil || fieldPath == path {
      fieldPath = path
      message = rest
    }
    var component = Self.nonEmpty(event.sourceComponent)
    var host = Self.nonEmpty(event.sourceHost)
    // `get events -o wide` SOURCE is `kubelet, node-1` (§3.1); so was describe's From before 1.20 (§1.7).
    // The bytes are looked at first: a `Character` search walks grapheme clusters (about 3,000
    // instructions for a describe's `kubelet`), and a string without the byte has no comma. With
    // it, the search is the `Character` one, which does not take a comma a combining mark follows.
    if host == nil, let c = component, Self.holdsComma(c), let comma = c.firstIndex(of: ",") {
      host = Self.nonEmpty(String(c[c.index(after: comma)...]))
      component = Self.nonEmpty(String(c[..<comma]))
    }
    return (fieldPath, message, component, host)
  }
}
