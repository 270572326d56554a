import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `EventIdentity.trimmed` answers printable ASCII ends without asking the character set (issue
/// 16, perf): on seeded random strings it must trim exactly as
/// `trimmingCharacters(in: .whitespacesAndNewlines)`, which it did before.
@Suite struct EventIdentityTrimTests {
  private static let pieces = [
    " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "\u{7F}", "\u{1F}", "!",
    "~", "a", "Back-off", "é", "\u{301}", "日", "\r\n", "",
  ]

  @Test func trimsAsFoundationTrims() {
    var rng = SplitMix64(seed: 1616)
    for _ in 0..<20_000 {
      let length = Int(rng.next() % 7)
      var text = ""
      for _ in 0..<length { text += Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }
      #expect(
        EventIdentity.trimmed(text) == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
    }
  }
}
