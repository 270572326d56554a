import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KubectlLine.withTokensRead()` (the sniffer reads a line's words once for every headerless
/// layout) gives the words `tokens` reads, on seeded random lines with tabs, placeholders that join
/// (`<none>`, `<unknown>`, `<invalid>`), backquotes, CR and non-ASCII text, and on lines already held.
struct KubectlLineTokensTests {
  static let pieces = [
    "a", "web-0", "1/1", "Running", "5m", " ", " ", "  ", "\t", "<none>", "<unknown>", "<invalid>", "<", ">", "`",
    "é", "\r", "I1127", "01:00:00.000000", "Warning", "Unhealthy", "pod/web-0", "(5m", "ago)", "Liveness probe failed:",
  ]

  @Test func theWordsAreTheOnesTokensReads() {
    var rng = SplitMix64(seed: 0x70C3_5EED)
    for n in 0..<20_000 {
      var text = ""
      for _ in 0..<rng.below(12) { text += Self.pieces[rng.below(Self.pieces.count)] }
      let line = KubectlLine(Line(number: n + 1, text: text))
      let read = line.withTokensRead()
      #expect(read.tokens == line.tokens, "\(text.debugDescription)")
      #expect(read.text == line.text && read.number == line.number && read.textID == line.textID)
      let held = line.held(as: 7)
      #expect(held.withTokensRead().tokens == held.tokens && held.withTokensRead().textID == 7)
    }
  }
}
