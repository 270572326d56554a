import PodmortemModel
import PodmortemText

/// The values of pod snapshots that repeat from capture to capture and from pod to pod (labels,
/// tolerations, finalizers, conditions, each container's limits, requests and variable names),
/// held once (docs/architecture.md "Memory of the EventList and describe paths"). A describe in a
/// loop captures a pod ten times, and a deployment's pods carry the same labels and limits: each
/// snapshot held its own copy of every table and list, kept to the end of the run in the pod's
/// history. A value is replaced only by one of exactly its bytes, in the same order (a table also
/// of the same capacity, so its iteration order is the same), so nothing any reader sees changes;
/// `==` is not enough (it compares strings canonically: a Kelvin sign equals a `K`). The memo is
/// a fixed table by hash, the last value whose hash fell in each place: forgetting costs only a
/// copy, and it holds at most `places` values of each kind.
package struct SharedPodValues: Sendable {
  /// Places of each table; a power of two.
  static let places = 4096

  private var tables: [[String: String]?] = []
  private var lists: [[String]?] = []
  private var conditionLists: [[PodCondition]?] = []
  /// How many values were replaced by a copy held already (for tests).
  package private(set) var replaced = 0

  package init() {}

  /// `pod` with each of its repeated values replaced by the copy held here, when one is.
  package mutating func share(_ pod: inout PodSnapshot) {
    if let held = shared(pod.labels) { pod.labels = held }
    if let held = shared(pod.finalizers) { pod.finalizers = held }
    if let held = shared(pod.tolerations) { pod.tolerations = held }
    if let held = shared(pod.conditions) { pod.conditions = held }
    // The containers are written only where a value is replaced: the array is most often shared
    // with the record it came from, and a write copies it.
    for i in pod.containers.indices {
      let limits = shared(pod.containers[i].limits)
      let requests = shared(pod.containers[i].requests)
      let names = shared(pod.containers[i].environmentNames)
      if let limits { pod.containers[i].limits = limits }
      if let requests { pod.containers[i].requests = requests }
      if let names { pod.containers[i].environmentNames = names }
    }
  }

  /// The copy of `table` held here when one of exactly its bytes is; `table` is held otherwise.
  mutating func shared(_ table: [String: String]) -> [String: String]? {
    guard !table.isEmpty else { return nil }
    var h = Self.basis
    for (key, value) in table {
      Self.mix(key, into: &h)
      Self.mix(value, into: &h)
    }
    return Self.held(table, hash: h, in: &tables, replaced: &replaced) { Self.same($0, $1) }
  }

  /// The copy of `list` held here when one of exactly its bytes is; `list` is held otherwise.
  mutating func shared(_ list: [String]) -> [String]? {
    guard !list.isEmpty else { return nil }
    var h = Self.basis
    for s in list { Self.mix(s, into: &h) }
    return Self.held(list, hash: h, in: &lists, replaced: &replaced) { Self.same($0, $1) }
  }

  /// The copy of `conditions` held here when one of exactly its bytes is; held otherwise.
  mutating func shared(_ conditions: [PodCondition]) -> [PodCondition]? {
    guard !conditions.isEmpty else { return nil }
    var h = Self.basis
    for c in conditions {
      Self.mix(c.type, into: &h)
      Self.mix(c.status, into: &h)
      Self.mix(c.reason, into: &h)
      Self.mix(c.message, into: &h)
    }
    return Self.held(conditions, hash: h, in: &conditionLists, replaced: &replaced) { Self.same($0, $1) }
  }

  /// The copy in `slots` at the place of hash `h` when `same` says it is one of exactly
  /// `value`'s bytes (counted in `replaced`); otherwise `value` takes that place and nil is
  /// returned. The slots are made on first use.
  @inline(__always)
  private static func held<T>(
    _ value: T, hash h: UInt64, in slots: inout [T?], replaced: inout Int, same: (T, T) -> Bool
  ) -> T? {
    let place = Self.place(h)
    if slots.isEmpty { slots = Array(repeating: nil, count: Self.places) }
    if let held = slots[place], same(held, value) {
      replaced += 1
      return held
    }
    slots[place] = value
    return nil
  }

  /// The place of hash `h`: its high bits folded onto the low ones.
  private static func place(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h ^ (h >> 32)) & UInt64(places - 1)) }

  /// FNV-1a, a few instructions a byte: with `Hasher` the memo took 4 % of the instructions of
  /// 1,000 describes (callgrind, docs/architecture.md "Memory of the EventList and describe
  /// paths"). The hash only places a value; `same` decides.
  static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
  static let prime: UInt64 = 0x100_0000_01b3

  /// The bytes of `s`, then their count (so that two strings in a row hash apart from one).
  static func mix(_ s: String, into h: inout UInt64) {
    var x = h
    let done: Void? = s.utf8.withContiguousStorageIfAvailable { bytes in
      for b in bytes { x = (x ^ UInt64(b)) &* prime }
    }
    if done == nil { for b in s.utf8 { x = (x ^ UInt64(b)) &* prime } }
    h = (x ^ UInt64(truncatingIfNeeded: s.utf8.count)) &* prime
  }

  static func mix(_ s: String?, into h: inout UInt64) {
    guard let s else {
      h = (h ^ 0xff) &* prime
      return
    }
    mix(s, into: &h)
  }

  /// The same bytes: `==` on strings is canonical equivalence, which is not enough to swap one
  /// for the other without changing a byte of output.
  static func same(_ a: String, _ b: String) -> Bool {
    // One string's two copies (its storage shared, or one small string) are the same bits;
    // most values here are, their strings shared as they were read (`KubectlStrings`).
    if unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self) { return true }
    // The bytes compared with `memcmp` where they lie (`UTF8Bytes.same`): `elementsEqual` over
    // two buffers stepped byte by byte, about 1,000 instructions a compare on 1,000 describes
    // (docs/architecture.md "Speed of the EventList path"). `sameBySteps` is the reference.
    return UTF8Bytes.same(a, b)
  }

  /// `same(_:_:)` on strings as it was, the bytes stepped through one by one (the reference of
  /// `SharedPodValuesSameTests`).
  static func sameBySteps(_ a: String, _ b: String) -> Bool {
    if unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self) { return true }
    guard a.utf8.count == b.utf8.count else { return false }
    let compared = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y in x.elementsEqual(y) }
    }
    if let compared, let compared { return compared }
    return a.utf8.elementsEqual(b.utf8)
  }

  static func same(_ a: String?, _ b: String?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let a?, let b?): return same(a, b)
    default: return false
    }
  }

  /// The same keys and values, byte for byte, met in the same order, and the same capacity: a
  /// copy that iterates, and grows, as the table does.
  static func same(_ a: [String: String], _ b: [String: String]) -> Bool {
    guard a.count == b.count, a.capacity == b.capacity else { return false }
    // Both walked by index, each pair read where it lies: through `zip`, each step built an
    // optional pair of pairs (four strings retained) and destroyed it, about 1,000 of the 1,470
    // instructions a compare (docs/architecture.md "Speed of the EventList path").
    var i = a.startIndex
    var j = b.startIndex
    while i != a.endIndex {
      guard same(a.keys[i], b.keys[j]), same(a.values[i], b.values[j]) else { return false }
      a.formIndex(after: &i)
      b.formIndex(after: &j)
    }
    return true
  }

  /// `same(_:_:)` on tables as it was, through `zip` (the reference of `SharedPodValuesSameTests`).
  static func sameBySteps(_ a: [String: String], _ b: [String: String]) -> Bool {
    guard a.count == b.count, a.capacity == b.capacity else { return false }
    return zip(a, b).allSatisfy { sameBySteps($0.key, $1.key) && sameBySteps($0.value, $1.value) }
  }

  static func same(_ a: [String], _ b: [String]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
  }

  /// Every field of every condition of the same bytes, which makes them equal (`==`) too: the
  /// fields compared here are all a `PodCondition` has (`conditionFields`, held to the type's
  /// fields by `SharedPodValuesTests`), so asking `==` after them, as the memo did, compared
  /// every string again (canonically) for no other answer: 9.1M of the 19.1M instructions of the
  /// memo on 1,000 describes (callgrind, docs/architecture.md "Memory of the EventList and
  /// describe paths").
  static func same(_ a: [PodCondition], _ b: [PodCondition]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        for i in a.indices {
          guard same(a[i].type, b[i].type), same(a[i].status, b[i].status), same(a[i].reason, b[i].reason),
            same(a[i].message, b[i].message), same(a[i].patternID, b[i].patternID),
            same(a[i].messageCaptures, b[i].messageCaptures)
          else { return false }
        }
        return true
      }
    }
  }

  /// The names of the fields of a `PodCondition` and of a `KeyValue` that `same` compares: every
  /// field they have, or `same` would not imply `==` (`SharedPodValuesTests` checks them against
  /// the types' own fields).
  static let conditionFields = ["type", "status", "reason", "message", "patternID", "messageCaptures"]
  static let keyValueFields = ["key", "value"]

  static func same(_ a: [KeyValue], _ b: [KeyValue]) -> Bool {
    guard a.count == b.count else { return false }
    for i in a.indices where !same(a[i].key, b[i].key) || !same(a[i].value, b[i].value) { return false }
    return true
  }
}
