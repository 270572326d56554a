import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `SharedBytes` tells the held string itself by the address of its bytes, and a line the line memo
/// holds is made of the copy `KubectlStrings` holds: the same answers as the look by bytes
/// (docs/architecture.md "Speed of the describe path").
@Suite struct SharedBytesAddressTests {
  /// Texts of the samples and seeded hostile ones (a Kelvin sign, a dotted capital I, accents spelt
  /// both ways, NUL, CR, tabs, emoji), more distinct ones than the table's slots, the empty one, the
  /// longest held and a 100,000-byte one.
  static func texts(seed: String) -> [String] {
    var rng = SplitMix64(seed: SplitMix64.seed(seed))
    let pieces = [
      "\u{212A}", "\u{130}", "e\u{301}", "\u{E9}", "\u{0}", "\r", "\t", " ", "a", "b", "Ready:", "False",
      "\u{1F600}", "-", ":", "    Restart Count:  ", "0", "9",
    ]
    var texts = KubectlBytesTests.sampleLines
    for _ in 0..<9000 {
      let count = Int.random(in: 0..<24, using: &rng)
      texts.append((0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined())
    }
    texts += ["", String(repeating: "x", count: KubectlStrings.longest), String(repeating: "y", count: 100_000)]
    return texts
  }

  /// `replacement` (the look by address first) against `copiedReplacement` (by bytes only) on one
  /// seeded sequence: texts, copies of them in storage of their own made and freed all along (so
  /// that freed storage is used again for other bytes), strings a table returned, and strings
  /// returned long ago whose slot another text has taken since. The same answer, the same storage,
  /// and `held` answering as a copy of the reference table would without changing either.
  @Test func theLookByAddressIsTheLookByBytes() {
    var rng = SplitMix64(seed: SplitMix64.seed("theLookByAddressIsTheLookByBytes"))
    let texts = Self.texts(seed: "theLookByAddressIsTheLookByBytes texts")
    var byAddress = SharedBytes()
    var byBytes = SharedBytes()
    var returned: [String] = []
    var old: [String] = []
    var replaced = 0
    var identical = 0
    var heldAsked = 0
    for step in 0..<120_000 {
      let text: String
      switch Int.random(in: 0..<8, using: &rng) {
      case 0, 1: text = texts[Int.random(in: 0..<texts.count, using: &rng)]
      case 2, 3:
        text = String(decoding: Array(texts[Int.random(in: 0..<texts.count, using: &rng)].utf8), as: UTF8.self)
      case 4: text = old.isEmpty ? texts[0] : old[Int.random(in: 0..<old.count, using: &rng)]
      default: text = returned.isEmpty ? texts[1] : returned[Int.random(in: 0..<returned.count, using: &rng)]
      }
      if step % 5 == 0 {
        // `held`: what the reference would give, with neither table changed.
        var probe = byBytes
        let expected = probe.copiedReplacement(text, longest: KubectlStrings.longest)
        let got = byAddress.held(text, longest: KubectlStrings.longest)
        #expect(
          (got == nil) == (expected == nil || KubectlStringsTests.storage(expected!) == nil), "\(text.debugDescription)"
        )
        if let got, let expected {
          #expect(KubectlStringsTests.storage(got) == KubectlStringsTests.storage(expected))
          #expect(got.utf8.elementsEqual(text.utf8))
        }
        heldAsked += 1
        continue
      }
      let got = byAddress.replacement(text, longest: KubectlStrings.longest)
      let expected = byBytes.copiedReplacement(text, longest: KubectlStrings.longest)
      #expect((got == nil) == (expected == nil), "\(text.debugDescription)")
      if let got, let expected {
        #expect(KubectlStringsTests.storage(got) == KubectlStringsTests.storage(expected), "\(text.debugDescription)")
        #expect(got.utf8.elementsEqual(text.utf8))
        replaced += 1
      } else if text.utf8.count >= SharedBytes.shortest, text.utf8.count <= KubectlStrings.longest {
        identical += 1
      }
      returned.append(got ?? text)
      if returned.count > 3000 {
        old += returned.prefix(50)
        returned.removeFirst(1500)
        if old.count > 2000 { old.removeFirst(1000) }
      }
    }
    #expect(replaced > 10_000)
    #expect(identical > 10_000)
    #expect(heldAsked > 10_000)
  }

  /// A parser whose memo holds lines made of the shared copies reads the same records as one
  /// without the memo, on the describe samples repeated so that their lines are held and cited
  /// again and again.
  @Test func heldLinesAreTheSharedCopies() {
    var text = ""
    for (name, lines) in KubectlBytesTests.sampleFiles where name.hasSuffix(".txt") {
      text += lines.joined(separator: "\n") + "\n"
    }
    let repeated = String(repeating: text, count: 3)
    let withMemo = parseKubectl(repeated).records
    let context = ParseContext(
      source: SourceInfo(name: "paste.txt"), captureTime: capture, diagnostics: { _ in },
      keepEnvironmentValues: false)
    var plain = KubectlTextParser(context: context, memo: false)
    var reader = LineReader(string: repeated)
    var records: [Record] = []
    while let line = reader.next() { _ = plain.feed(line) { records.append($0) } }
    plain.finish { records.append($0) }
    #expect(withMemo.count == records.count)
    #expect(records.count > 1000)
    // Field by field; a record's printed form is not compared: the order of its dictionaries
    // differs from one instance to the next.
    for (a, b) in zip(withMemo, records) { #expect(a == b) }
  }
}
