import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `SharedPodValues.same` compares strings with `memcmp` (`UTF8Bytes.same`) and tables by index,
/// where it stepped through the bytes one by one and through `zip` (docs/architecture.md "Speed
/// of the EventList path"). The steps are kept as `sameBySteps`, the reference: on seeded hostile
/// strings and tables (a Kelvin sign and `K`, a dotted capital I, composed and decomposed
/// accents, NUL, CR, tab, empty and 70,000-byte values; strings `==` calls equal whose bytes
/// differ; tables of equal contents built in other orders or with other room), both answer alike.
@Suite struct SharedPodValuesSameTests {
  private static let pieces = [
    "", "a", "K", "\u{212A}", "\u{130}", "I", "é", "e\u{301}", "\r", "\u{0}", "\t", "app", "web-0",
    "kubernetes.io/name", "0123456789abcdef", String(repeating: "x", count: 70_000),
  ]

  private static func text(_ rng: inout SplitMix64) -> String {
    var s = ""
    for _ in 0..<Int(rng.next() % 4) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
    // A native copy now and then: the same bytes in another storage, or a bridged-looking one.
    return rng.next() % 3 == 0 ? String(decoding: Array(s.utf8), as: UTF8.self) : s
  }

  private static func table(_ rng: inout SplitMix64) -> [String: String] {
    var t: [String: String] = [:]
    if rng.next() % 4 == 0 { t.reserveCapacity(Int(rng.next() % 20)) }
    for _ in 0..<Int(rng.next() % 5) { t[text(&rng)] = text(&rng) }
    return t
  }

  @Test func stringsCompareAsTheSteps() {
    var rng = SplitMix64(seed: 0x5A3E)
    for round in 0..<20_000 {
      let a = Self.text(&rng)
      let b = rng.next() % 3 == 0 ? String(decoding: Array(a.utf8), as: UTF8.self) : Self.text(&rng)
      #expect(SharedPodValues.same(a, b) == SharedPodValues.sameBySteps(a, b), "round \(round)")
      #expect(SharedPodValues.same(a, b) == (Array(a.utf8) == Array(b.utf8)), "round \(round)")
    }
    // Canonically equal, different bytes: not the same.
    #expect(!SharedPodValues.same("K", "\u{212A}"))
    #expect(!SharedPodValues.same("é", "e\u{301}"))
    #expect(SharedPodValues.same("", ""))
  }

  @Test func tablesCompareAsTheSteps() {
    var rng = SplitMix64(seed: 0x7AB1)
    for round in 0..<5_000 {
      let a = Self.table(&rng)
      let b: [String: String]
      switch rng.next() % 4 {
      case 0: b = a
      case 1:
        // The same pairs inserted in another order, perhaps with other room.
        var c: [String: String] = [:]
        if rng.next() % 2 == 0 { c.reserveCapacity(a.capacity) }
        for (k, v) in a.shuffled(using: &rng) { c[String(decoding: Array(k.utf8), as: UTF8.self)] = v }
        b = c
      case 2:
        var c = a
        if let k = c.keys.first { c[k] = Self.text(&rng) }
        b = c
      default: b = Self.table(&rng)
      }
      #expect(SharedPodValues.same(a, b) == SharedPodValues.sameBySteps(a, b), "round \(round)")
    }
  }
}
