import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemCorrelate

/// The finish's set of known pod names found by the names' bytes (`Correlator.KnownPodNames`,
/// docs/architecture.md "Speed of the EventList path") held to `Set<PodName>`, the code it
/// replaced, and the slots under it held to a scan.
private let asciiPieces = ["", "a", "ab", "b", "web-0", "default", "K", "I", "pod-1", "pod-10", "\0", "\r", "\t", " "]
private let otherPieces = ["\u{212A}", "\u{130}", "caf\u{E9}", "cafe\u{301}", "\u{301}", "日", "\r\n"]

private func text(_ rng: inout SplitMix64, pieces count: Int, ascii: Bool) -> String {
  var s = ""
  for _ in 0..<rng.below(count + 1) {
    if !ascii && rng.below(4) == 0 {
      s += otherPieces[rng.below(otherPieces.count)]
    } else {
      s += asciiPieces[rng.below(asciiPieces.count)]
    }
  }
  if rng.below(200) == 0 { s += String(repeating: "x", count: 70_000) }
  if rng.below(3) == 0 { s += String(rng.below(1 << 20)) }
  return s
}

@Suite("the known pod names by their bytes answer as the set of names")
struct KnownPodNamesTests {
  @Test("insert and contains(where:) as Set<PodName>, ASCII throughout and turning to the set midway")
  func asTheSet() {
    var rng = SplitMix64(seed: 3_407)
    for round in 0..<400 {
      // From a round in four, a name that is not ASCII may come at any point: the table then
      // turns into the set with what it held.
      let turnsAt = round % 4 == 0 ? rng.below(80) : Int.max
      let count = round % 25 == 0 ? 3_000 : rng.below(120)
      let first = (0..<rng.below(20)).map { _ in
        Correlator.PodName(namespace: text(&rng, pieces: 1, ascii: true), name: text(&rng, pieces: 2, ascii: true))
      }
      var known = Correlator.KnownPodNames(first)
      var reference = Set(first)
      for i in 0..<count {
        let ascii = i < turnsAt
        // Names met before come again, so that inserts find them.
        let name: Correlator.PodName
        if rng.below(3) == 0, let again = reference.randomElement(using: &rng) {
          name = again
        } else {
          // Namespaces of any text in a round in three: they are compared, never placed by.
          name = Correlator.PodName(
            namespace: text(&rng, pieces: 1, ascii: ascii && round % 3 != 1), name: text(&rng, pieces: 2, ascii: ascii))
        }
        let inserted = known.insert(name)
        #expect(inserted == reference.insert(name).inserted, "round \(round), name \(i)")
        if rng.below(8) == 0 {
          let probe = text(&rng, pieces: 2, ascii: ascii)
          #expect(
            known.contains { $0.name == probe } == reference.contains { $0.name == probe }, "round \(round)")
        }
      }
      for name in reference {
        let inserted = known.insert(name)
        #expect(!inserted, "round \(round)")
      }
      known.removeAll()
      if let any = reference.first {
        let inserted = known.insert(any)
        #expect(inserted)
      }
    }
    // Canonically equal spellings: an ASCII name held, the other spelling met later is the same name.
    var known = Correlator.KnownPodNames([Correlator.PodName(namespace: "K", name: "web")])
    let kelvin = known.insert(Correlator.PodName(namespace: "\u{212A}", name: "web"))
    let precomposed = known.insert(Correlator.PodName(namespace: "K", name: "caf\u{E9}"))
    let decomposed = known.insert(Correlator.PodName(namespace: "\u{212A}", name: "cafe\u{301}"))
    #expect(!kelvin && precomposed && !decomposed)
    // An ASCII name in namespaces equal only canonically: one name, held by the bytes' table.
    var spaced = Correlator.KnownPodNames([Correlator.PodName(namespace: "caf\u{E9}", name: "web")])
    let canonical = spaced.insert(Correlator.PodName(namespace: "cafe\u{301}", name: "web"))
    let other = spaced.insert(Correlator.PodName(namespace: "cafe", name: "web"))
    #expect(!canonical && other)
  }

  @Test("the slots find what a scan finds, under colliding and grown mixes")
  func slotsAsScan() {
    var rng = SplitMix64(seed: 3_409)
    for round in 0..<200 {
      var slots = MixedSlots()
      var held: [(mix: UInt64, key: Int, position: Int)] = []
      for i in 0..<rng.below(round % 20 == 0 ? 2_000 : 100) {
        // Few tags, so that slots collide; keys repeat under one mix.
        let mix = UInt64(rng.below(round % 2 == 0 ? 8 : 1 << 30)) << 32 | UInt64(rng.below(1 << 20))
        let key = rng.below(50)
        let look = slots.look(mix, within: .max) { p in held[p].key == key && held[p].mix >> 32 == mix >> 32 }
        let found: (slot: Int, position: Int)? =
          switch look {
          case .held(let slot, let position): (slot, position)
          case .absent, .crowded: nil
          }
        #expect(look != .crowded)
        let scan = held.firstIndex { $0.mix >> 32 == mix >> 32 && $0.key == key }
        #expect(found?.position == scan, "round \(round), \(i)")
        // Within the limit a look gives the same answer, or says it walked too far.
        let bounded = slots.look(mix) { p in held[p].key == key && held[p].mix >> 32 == mix >> 32 }
        #expect(bounded == look || bounded == .crowded)
        if let found, rng.below(2) == 0 {
          // Replace the position the slot holds with a new entry of the same key.
          held.append((mix, key, held.count))
          held[found.position].key = -1
          slots.replace(slot: found.slot, position: held.count - 1)
        } else if found == nil {
          slots.insert(mix, position: held.count)
          held.append((mix, key, held.count))
        }
      }
      #expect(slots.count <= held.count)
    }
  }
}

@Suite("the pods' positions found by their names' bytes give what the arrays by name gave")
struct PodPositionsByBytesTests {
  @Test("ASCII names found by their bytes; names that are not ASCII asked of the dictionary")
  func sameAsArrays() {
    var rng = SplitMix64(seed: 3_411)
    for round in 0..<400 {
      // All ASCII in most rounds (the bytes' table); one name in ten rounds is not (the dictionary).
      let allASCII = round % 10 != 0
      let histories = (0..<rng.below(round % 40 == 1 ? 3_000 : 40)).map { _ in
        PodKeyOrderTests.history(
          PodKey(namespace: text(&rng, pieces: 1, ascii: true), name: text(&rng, pieces: 1, ascii: allASCII)))
      }
      // Names asked: ASCII and not, some equal to a held name only canonically (asked before and
      // after the dictionary is built).
      let asking = (0..<8).map { _ in text(&rng, pieces: 1, ascii: rng.below(2) == 0) }
      PodPositionsTests.compare(histories, asking: asking, round: round)
    }
    let histories = ["K", "web", "K", "caf\u{E9}"].map {
      PodKeyOrderTests.history(PodKey(namespace: "default", name: $0))
    }
    let ascii = Correlator.PodPositions(Array(histories.prefix(3)))
    #expect(ascii.first("web") == 1)
    #expect(ascii.first("\u{212A}") == 0)
    #expect(ascii.positions("\u{212A}") == [0, 2])
    #expect(ascii.first("K") == 0)
    let mixed = Correlator.PodPositions(histories)
    #expect(mixed.first("cafe\u{301}") == 3)
    #expect(mixed.positions("K") == [0, 2])
  }
}

/// Names made to mix alike, as input written against the unseeded mix can be (`MixedSlots`): the
/// slots give up after `MixedSlots.longestWalk` slots and the set or dictionary they replaced
/// answers, so a look costs a bounded walk and never a walk over every name held.
@Suite("names made to mix alike are answered by the set and the dictionary")
struct CollidingPodNamesTests {
  /// `UTF8Bytes.mixed`'s step, written again here to make names its way: for two 16-byte names
  /// the mix after the first word, xored with the second word, decides the rest, so any first
  /// word with the second chosen to keep that xor gives the same mix.
  private static func step(_ h: UInt64, _ word: UInt64) -> UInt64 {
    let m = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
    return m ^ (m >> 29)
  }

  /// `count` distinct ASCII names of 16 bytes with one mix.
  static func colliding(_ count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    let start = UInt64(16) &* 0xC2B2_AE3D_27D4_EB4F
    let word = { (bytes: [UInt8]) in bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } }
    let firstWord = (0..<8).map { _ in UInt8(0x61 + rng.below(26)) }
    let secondWord = (0..<8).map { _ in UInt8(0x61 + rng.below(26)) }
    let keep = step(start, word(firstWord)) ^ word(secondWord)
    var names: [String] = []
    var seen = Set<String>()
    while names.count < count {
      let first = (0..<8).map { _ in UInt8(0x61 + rng.below(26)) }
      let second = step(start, word(first)) ^ keep
      let bytes = withUnsafeBytes(of: second) { Array($0) }
      guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { continue }
      let name = String(decoding: first + bytes, as: UTF8.self)
      if seen.insert(name).inserted { names.append(name) }
    }
    return names
  }

  @Test("the names made here do mix alike")
  func namesCollide() {
    let names = Self.colliding(300, seed: 5)
    #expect(Set(names.map { UTF8Bytes.mixed($0) }).count == 1)
  }

  @Test("the slots say crowded past the longest walk, and only then")
  func slotsCrowd() {
    var slots = MixedSlots()
    let mix: UInt64 = 0xABCD_0123_4567_89EF
    for i in 0..<MixedSlots.longestWalk {
      #expect(slots.look(mix) { _ in false } == .absent)
      slots.insert(mix, position: i)
      #expect(!slots.crowded)
    }
    #expect(slots.look(mix) { _ in false } == .crowded)
    // A position met within the walk is still found (where the growth put it).
    let three = slots.look(mix) { $0 == 3 }
    if case .held(_, let position) = three { #expect(position == 3) } else { Issue.record("\(three)") }
    slots.insert(mix, position: MixedSlots.longestWalk)
    #expect(slots.crowded)
  }

  @Test("the known names, made to mix alike, answer as the set and end in it")
  func knownNames() {
    let names = Self.colliding(2_000, seed: 7)
    var known = Correlator.KnownPodNames()
    var set = Set<Correlator.PodName>()
    for (i, name) in (names + names.prefix(500)).enumerated() {
      let pod = Correlator.PodName(namespace: i % 3 == 0 ? "default" : "other", name: name)
      #expect(known.insert(pod) == set.insert(pod).inserted)
    }
    #expect(known.bySet)
    let probe = Correlator.PodName(namespace: "default", name: names[0])
    #expect(known.contains { $0 == probe } == set.contains(probe))
  }

  @Test("the pods' positions, their names made to mix alike, are the arrays by name")
  func positions() {
    let names = Self.colliding(1_000, seed: 9)
    let histories = (0..<1_500).map { i in
      PodKeyOrderTests.history(PodKey(namespace: "default", name: names[(i * 7) % names.count]))
    }
    PodPositionsTests.compare(histories, asking: Self.colliding(50, seed: 11), round: 0)
  }
}
