import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `SharedPodValues` replaces a snapshot's labels, lists, conditions and container tables only by
/// copies of exactly their bytes (docs/architecture.md "Memory of the EventList and describe
/// paths"). The reference is the snapshot as it came, unshared: every shared snapshot must be equal
/// to it, print the same bytes (every field; tables in their iteration order), and hold the same
/// bytes in every value shared, its tables of the same capacity; on the shipped samples and on seeded hostile values
/// (strings `==` calls equal but whose bytes differ among them).
struct SharedPodValuesTests {
  /// Every observable byte of `a` and `b` is the same.
  static func expectIdentical(_ a: PodSnapshot, _ b: PodSnapshot, _ note: String) {
    #expect(a == b, "\(note)")
    #expect(Array(String(reflecting: a).utf8) == Array(String(reflecting: b).utf8), "\(note)")
    // The values shared, byte by byte and in their order (tables as they iterate).
    #expect(bytes(a.labels) == bytes(b.labels), "\(note)")
    #expect(a.labels.capacity == b.labels.capacity, "\(note)")
    #expect(bytes(a.finalizers) == bytes(b.finalizers), "\(note)")
    #expect(bytes(a.tolerations) == bytes(b.tolerations), "\(note)")
    #expect(a.conditions.map { Self.bytes($0) } == b.conditions.map { Self.bytes($0) }, "\(note)")
    #expect(a.containers.count == b.containers.count, "\(note)")
    for (x, y) in zip(a.containers, b.containers) {
      #expect(bytes(x.limits) == bytes(y.limits), "\(note)")
      #expect(bytes(x.requests) == bytes(y.requests), "\(note)")
      #expect(x.limits.capacity == y.limits.capacity, "\(note)")
      #expect(x.requests.capacity == y.requests.capacity, "\(note)")
      #expect(bytes(x.environmentNames) == bytes(y.environmentNames), "\(note)")
    }
  }

  static func bytes(_ table: [String: String]) -> [[UInt8]] {
    table.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] }
  }
  static func bytes(_ list: [String]) -> [[UInt8]] { list.map { Array($0.utf8) } }
  static func bytes(_ c: PodCondition) -> [[UInt8]?] {
    [c.type, c.status, c.reason, c.message, c.patternID].map { $0.map { Array($0.utf8) } }
      + c.messageCaptures.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] }.map { Optional($0) }
  }

  /// The pods every sample's records describe, read twice (two reads hold two copies of each value).
  static func samplePods() throws -> [(name: String, pod: PodSnapshot)] {
    var pods: [(name: String, pod: PodSnapshot)] = []
    for _ in 0..<2 {
      for name in try ReleasingFinishTests.cases() {
        for case .pod(let pod) in ReleasingFinishTests.records(ofCase: name) { pods.append((name, pod)) }
      }
    }
    return pods
  }

  @Test func sharedSnapshotsAreTheSamplesOwn() throws {
    let pods = try Self.samplePods()
    #expect(pods.count > 20)
    var values = SharedPodValues()
    for (name, pod) in pods {
      var shared = pod
      values.share(&shared)
      Self.expectIdentical(shared, pod, name)
    }
    // The second reading's values are the first's copies.
    #expect(values.replaced > pods.count / 4)
  }

  /// Strings equal to `==` in pairs (canonically equivalent) with different bytes, control
  /// characters, a huge one and the empty one.
  static let hostile = [
    "K", "\u{212A}", "I\u{307}", "\u{130}", "caf\u{E9}", "cafe\u{301}", "a\0b", "a\rb", "a\tb", "", "256Mi",
    "app", String(repeating: "x", count: 5_000),
  ]

  static func pick(_ rng: inout SplitMix64) -> String { hostile[Int.random(in: hostile.indices, using: &rng)] }

  /// A table of up to three pairs, built in a random order and perhaps with room to spare, so equal
  /// tables may iterate in different orders or differ in capacity.
  static func table(_ rng: inout SplitMix64) -> [String: String] {
    var pairs: [(String, String)] = []
    for _ in 0..<Int.random(in: 0...3, using: &rng) { pairs.append((pick(&rng), pick(&rng))) }
    pairs.shuffle(using: &rng)
    var t: [String: String] = [:]
    if Bool.random(using: &rng) { t.reserveCapacity(Int.random(in: 1...40, using: &rng)) }
    for (k, v) in pairs { t[k] = v }
    return t
  }

  static func list(_ rng: inout SplitMix64) -> [String] {
    (0..<Int.random(in: 0...3, using: &rng)).map { _ in pick(&rng) }
  }

  static func snapshot(_ rng: inout SplitMix64) -> PodSnapshot {
    var s = PodSnapshot(name: pick(&rng), namespace: "shop")
    s.labels = table(&rng)
    s.finalizers = list(&rng)
    s.tolerations = list(&rng)
    s.conditions = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
      var c = PodCondition(
        type: pick(&rng), status: pick(&rng), reason: Bool.random(using: &rng) ? pick(&rng) : nil,
        message: Bool.random(using: &rng) ? pick(&rng) : nil)
      if Bool.random(using: &rng) {
        c.patternID = pick(&rng)
        c.messageCaptures = [KeyValue(pick(&rng), pick(&rng))]
      }
      return c
    }
    s.containers = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
      var c = ContainerSnapshot(name: pick(&rng))
      c.limits = table(&rng)
      c.requests = table(&rng)
      c.environmentNames = list(&rng)
      return c
    }
    return s
  }

  @Test(arguments: 0..<100)
  func sharedHostileSnapshotsAreTheirOwn(seed: Int) {
    var rng = SplitMix64(seed: UInt64(seed))
    var values = SharedPodValues()
    for i in 0..<60 {
      let pod = Self.snapshot(&rng)
      var shared = pod
      values.share(&shared)
      Self.expectIdentical(shared, pod, "seed \(seed) snapshot \(i)")
    }
    // Short lists of a few strings repeat within 60 snapshots: some were shared.
    #expect(values.replaced > 0, "seed \(seed)")
  }

  /// Values of the same bytes are shared, in any number of copies: the memo does its work.
  @Test func exactCopiesAreShared() {
    var rng = SplitMix64(seed: 7)
    var values = SharedPodValues()
    let pod = Self.snapshot(&rng)
    var first = pod
    first.labels = ["app": "web", "K": "\u{212A}"]
    first.tolerations = ["a\0b", "\u{130}"]
    values.share(&first)
    #expect(values.replaced == 0)
    // Rebuilt from fresh strings: equal, not the same storage; given the held copy.
    var second = first
    second.tolerations = first.tolerations.map { String(decoding: Array($0.utf8), as: UTF8.self) }
    #expect(Self.base(second.tolerations) != Self.base(first.tolerations))
    values.share(&second)
    #expect(values.replaced >= 1)
    #expect(Self.base(second.tolerations) == Self.base(first.tolerations))
    // A dotted capital I spelt apart and a Kelvin sign are equal to `==` to what is held, but
    // never shared.
    var other = PodSnapshot(name: "web-0", namespace: "shop")
    other.tolerations = ["a\0b", "I\u{307}"]
    other.labels = ["app": "web", "\u{212A}": "K"]
    #expect(other.tolerations == first.tolerations)
    let before = values.replaced
    values.share(&other)
    #expect(values.replaced == before)
    #expect(other.tolerations.map { Array($0.utf8) } == [Array("a\0b".utf8), Array("I\u{307}".utf8)])
    #expect(other.labels.keys.contains { Array($0.utf8) == Array("\u{212A}".utf8) })
  }

  static func base(_ list: [String]) -> UnsafePointer<String>? { list.withUnsafeBufferPointer { $0.baseAddress } }
}

/// The conditions' comparison of `SharedPodValues` asks no `==` after their bytes
/// (docs/architecture.md "Memory of the EventList and describe paths"): it must answer as the
/// comparison before it (the bytes, then `==`) on seeded hostile conditions, pairs equal to `==`
/// with other bytes among them, and compare every field the types have.
struct SharedConditionsTests {
  /// The comparison as it was: every string of the same bytes, then `==`.
  static func sameBefore(_ a: [PodCondition], _ b: [PodCondition]) -> Bool {
    guard a.count == b.count else { return false }
    let bytes = zip(a, b).allSatisfy { x, y in
      SharedPodValues.same(x.type, y.type) && SharedPodValues.same(x.status, y.status)
        && SharedPodValues.same(x.reason, y.reason) && SharedPodValues.same(x.message, y.message)
        && SharedPodValues.same(x.patternID, y.patternID)
        && x.messageCaptures.count == y.messageCaptures.count
        && zip(x.messageCaptures, y.messageCaptures).allSatisfy {
          SharedPodValues.same($0.key, $1.key) && SharedPodValues.same($0.value, $1.value)
        }
    }
    return bytes && a == b
  }

  @Test func comparesEveryFieldTheTypesHave() {
    let condition = Mirror(reflecting: PodCondition(type: "Ready", status: "True")).children.map(\.label)
    #expect(condition == SharedPodValues.conditionFields.map { Optional($0) })
    let pair = Mirror(reflecting: KeyValue("k", "v")).children.map(\.label)
    #expect(pair == SharedPodValues.keyValueFields.map { Optional($0) })
  }

  /// A condition from hostile strings; `near` is `c` with one field changed, perhaps only in bytes.
  static func condition(_ rng: inout SplitMix64) -> PodCondition {
    let pick = { (rng: inout SplitMix64) in SharedPodValuesTests.pick(&rng) }
    var c = PodCondition(
      type: pick(&rng), status: pick(&rng), reason: Bool.random(using: &rng) ? pick(&rng) : nil,
      message: Bool.random(using: &rng) ? pick(&rng) : nil)
    if Bool.random(using: &rng) { c.patternID = pick(&rng) }
    c.messageCaptures = (0..<Int.random(in: 0...2, using: &rng)).map { _ in KeyValue(pick(&rng), pick(&rng)) }
    return c
  }

  static func near(_ c: PodCondition, _ rng: inout SplitMix64) -> PodCondition {
    var d = c
    let other = SharedPodValuesTests.pick(&rng)
    switch Int.random(in: 0..<8, using: &rng) {
    case 0: d.type = other
    case 1: d.status = other
    case 2: d.reason = Bool.random(using: &rng) ? other : nil
    case 3: d.message = Bool.random(using: &rng) ? other : nil
    case 4: d.patternID = Bool.random(using: &rng) ? other : nil
    case 5: d.messageCaptures.append(KeyValue(other, other))
    case 6 where !d.messageCaptures.isEmpty: d.messageCaptures[0].value = other
    // The same text in fresh storage: equal bytes, other bits.
    default: d.type = String(decoding: Array(d.type.utf8), as: UTF8.self)
    }
    return d
  }

  @Test(arguments: 0..<40)
  func answersAsBefore(seed: Int) {
    var rng = SplitMix64(seed: UInt64(9_000 + seed))
    var equal = 0
    var different = 0
    for _ in 0..<500 {
      let a = (0..<Int.random(in: 0...3, using: &rng)).map { _ in Self.condition(&rng) }
      var b = a
      if !b.isEmpty, Int.random(in: 0..<3, using: &rng) > 0 {
        let i = Int.random(in: b.indices, using: &rng)
        b[i] = Self.near(b[i], &rng)
      } else if Bool.random(using: &rng) {
        b.append(Self.condition(&rng))
      }
      let before = Self.sameBefore(a, b)
      #expect(SharedPodValues.same(a, b) == before, "seed \(seed)")
      #expect(SharedPodValues.same(b, a) == Self.sameBefore(b, a), "seed \(seed)")
      if before { equal += 1 } else { different += 1 }
    }
    #expect(equal > 50 && different > 50, "seed \(seed)")
  }
}
