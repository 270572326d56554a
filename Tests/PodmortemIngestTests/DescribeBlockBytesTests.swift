import Foundation
import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The byte-level answers the describe block gives on ASCII text are the `Character`-level (and
/// Foundation) answers they replaced (docs/architecture.md "Speed of the describe path"): every
/// sample line's body and seeded random texts, ASCII and not (a combining mark after `=`, a
/// no-break space, `)` with an accent).
@Suite struct DescribeBlockBytesTests {
  static func randomTexts(seed: String, count: Int) -> [Substring] {
    var rng = SplitMix64(seed: SplitMix64.seed(seed))
    let pieces = [
      "a", "app", "=", "-", " ", "\t", ":", ")", "(", " (v1:metadata.name)", " (v1:metadata.namespace)", "web-0", "é",
      "\u{301}", "\u{A0}", "=\u{301}", ")\u{301}", "│", "x=y", "<none>",
    ]
    return (0..<count).map { _ in
      let text = (0..<Int.random(in: 0..<8, using: &rng)).map { _ in
        pieces[Int.random(in: 0..<pieces.count, using: &rng)]
      }
      .joined()
      // A slice of a longer string, as a line's body or value is.
      return ("  " + text + " ").dropFirst(2).dropLast()
    }
  }

  static var texts: [Substring] {
    KubectlBytesTests.lines.map { KubectlLine(Line(number: 1, text: $0)).body }
      + randomTexts(seed: "DescribeBlockBytesTests", count: 20_000)
  }

  @Test func firstEqualsIsTheCharacterSearch() {
    var found = 0
    for text in Self.texts {
      let index = DescribeBlock.firstEquals(text)
      #expect(index == text.firstIndex(of: "="), "\(text)")
      if let index {
        found += 1
        #expect(String(text[..<index]) == String(text[..<text.firstIndex(of: "=")!]), "\(text)")
        #expect(
          String(text[text.index(after: index)...]) == String(text[text.index(after: text.firstIndex(of: "=")!)...]))
      }
    }
    #expect(found > 2_000)
  }

  /// `downwardName` returns early when the last byte is not `)`: no text without one ends in
  /// either suffix.
  @Test func downwardSuffixesEndInAParenthesisByte() {
    var suffixed = 0
    for text in Self.texts {
      let either = text.hasSuffix(" (v1:metadata.name)") || text.hasSuffix(" (v1:metadata.namespace)")
      if either {
        suffixed += 1
        #expect(text.utf8.last == 0x29, "\(text)")
      }
    }
    #expect(suffixed > 200)
  }

  /// An environment line's name holds no space: the byte test on ASCII, `contains(" ")` otherwise.
  @Test func spaceTestIsContains() {
    for text in Self.texts where KubectlBytes.isASCII(text.utf8) {
      #expect(KubectlBytes.contains(text.utf8, 0x20) == text.contains(" "), "\(text)")
    }
  }
}
