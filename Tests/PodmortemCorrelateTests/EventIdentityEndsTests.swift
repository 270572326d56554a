import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// The identity's byte questions read where the bytes lie (`EventIdentity.printableEnds`,
/// `EventIdentity.holdsComma`; docs/architecture.md "Speed of the EventList path"), held to the
/// view's `first`, `last` and `contains` they replaced.
@Suite("an identity field's end bytes and comma read in place answer as the UTF-8 view")
struct EventIdentityEndsTests {
  private static let pieces = [
    "", "a", ",", " ", "\t", "\r", "\n", "\r\n", "\0", "\u{7F}", "~", "!", "K", "\u{212A}", "\u{130}", "caf\u{E9}",
    "cafe\u{301}", "\u{301}", "\u{A0}", "\u{2028}", "日", "kubelet", "node-1", "kubelet, node-1",
  ]

  @Test("on seeded hostile strings, small and large")
  func asTheView() {
    var rng = SplitMix64(seed: 3_415)
    for round in 0..<30_000 {
      var s = ""
      for _ in 0..<rng.below(6) { s += Self.pieces[rng.below(Self.pieces.count)] }
      if rng.below(50) == 0 { s += String(repeating: "x", count: 70_000) + Self.pieces[rng.below(Self.pieces.count)] }
      // A substring's copy and a string of another origin besides the literal's.
      let forms = [s, String(Substring(s)), String(decoding: Array(s.utf8), as: UTF8.self)]
      for t in forms {
        let viewEnds: Bool = {
          guard let f = t.utf8.first, let l = t.utf8.last else { return false }
          return (0x21...0x7E).contains(f) && (0x21...0x7E).contains(l)
        }()
        #expect(EventIdentity.printableEnds(t) == viewEnds, "round \(round)")
        #expect(EventIdentity.holdsComma(t) == t.utf8.contains(UInt8(ascii: ",")), "round \(round)")
        if viewEnds { #expect(EventIdentity.trimmed(t) == t) }
      }
    }
  }
}
