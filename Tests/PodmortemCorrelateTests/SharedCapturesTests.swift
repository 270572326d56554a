import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `EventBook.SharedCaptures` compares and hashes the pairs where they lie (docs/architecture.md
/// "Speed of the EventList path"): its `==` must be the arrays' `==` (`Array.==` of `KeyValue`,
/// kept here as the reference), on seeded arrays of hostile keys and values, the same storage,
/// copies of it, fresh strings of the same bytes and canonically equal spellings, and equal
/// arrays must hash equal. `MergeOrderTests` holds the set's sharing to `Set<[KeyValue]>`.
@Suite("shared captures compare as the arrays")
struct SharedCapturesTests {
  static let pieces = [
    "", "a", "K", "\u{212A}", "\u{130}", "I", "caf\u{E9}", "cafe\u{301}", "\u{301}", "\r", "\0", "\t", "503",
    "\(Int.min)", "\(Int.max)", "code", "probe", String(repeating: "x", count: 300),
  ]

  static func text(_ rng: inout SplitMix64) -> String {
    (0..<rng.below(3)).map { _ in pieces[rng.below(pieces.count)] }.joined()
  }

  /// `captures` again: the same storage, a copy, fresh strings of the same bytes, or the other
  /// spelling of its accents (equal by `==`, other bytes).
  static func variant(_ captures: [KeyValue], _ rng: inout SplitMix64) -> [KeyValue] {
    switch rng.below(5) {
    case 0: return captures
    case 1: return Array(captures[...])
    case 2: return captures.map { KeyValue(String(decoding: Array($0.key.utf8), as: UTF8.self), $0.value) }
    case 3: return captures.map { KeyValue($0.key, $0.value.decomposedStringWithCanonicalMapping) }
    default: return captures.map { KeyValue($0.key.precomposedStringWithCanonicalMapping, $0.value) }
    }
  }

  @Test("== is the arrays' ==, and equal arrays hash equal")
  func equalAsArrays() {
    var rng = SplitMix64(seed: 0x5CA9)
    let huge = [KeyValue("code", String(repeating: "y", count: 100_000) + "\u{212A}")]
    for round in 0..<20_000 {
      let a: [KeyValue] =
        round == 0 ? huge : (0..<rng.below(5)).map { _ in KeyValue(Self.text(&rng), Self.text(&rng)) }
      var b =
        rng.below(2) == 0
        ? Self.variant(a, &rng) : (0..<rng.below(5)).map { _ in KeyValue(Self.text(&rng), Self.text(&rng)) }
      if rng.below(6) == 0, !b.isEmpty { b[rng.below(b.count)].value = Self.text(&rng) }
      if rng.below(8) == 0 { b.append(KeyValue(Self.text(&rng), Self.text(&rng))) }
      let (x, y) = (EventBook.SharedCaptures(captures: a), EventBook.SharedCaptures(captures: b))
      #expect((x == y) == (a == b), "round \(round)")
      #expect((y == x) == (b == a), "round \(round)")
      #expect(x == x)
      if x == y { #expect(x.hashValue == y.hashValue, "round \(round)") }
    }
  }
}
