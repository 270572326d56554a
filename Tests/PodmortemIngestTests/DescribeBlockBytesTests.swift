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

  // MARK: fields' values

  // The node and host split, the `Terminating` prefix, the condition status, the environment
  // name's colon and the probe value's tab, each held to the code it replaced (kept below as the
  // reference) on the values of every sample line and seeded hostile texts (a Kelvin sign, a dotted
  // capital I, accents both ways, NUL, CR, tabs, a `/` or `:` with a combining mark).

  /// Values of fields: sample bodies and values, and seeded texts of hostile pieces.
  static let fieldTexts: [Substring] = {
    var rng = SplitMix64(seed: 2413)
    let pieces = [
      "a", "node-1", "/", "//", "10.0.0.1", " ", "\t", ":", "=", "Terminating", "Terminatin", "Terminating\u{301}",
      " (lasts 5s)", "True", "False", "Unknown", "True\u{301}", "\u{212A}", "K", "İ", "i\u{307}", "é", "e\u{301}",
      "\u{0}", "\r", "<none>", "/\u{301}", ":\u{301}", "\u{A0}", "│", "POD_NAME", "web-0 (v1:metadata.name)",
    ]
    var texts: [Substring] = []
    for text in KubectlBytesTests.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      texts.append(line.body)
      if let field = line.field { texts.append(field.value) }
      texts.append(contentsOf: line.tokens)
    }
    for _ in 0..<20_000 {
      let text = (0..<rng.below(8)).map { _ in pieces[rng.below(pieces.count)] }.joined()
      // A slice of a longer string, as a line's body or value is.
      texts.append(("  " + text + " ").dropFirst(2).dropLast())
    }
    return texts
  }()

  @Test func nodeAndHostIsTheSplit() {
    var hosts = 0
    for text in Self.fieldTexts {
      // The split as it was.
      let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
      for isASCII in KubectlBytes.isASCII(text.utf8) ? [true, false] : [false] {
        let (node, host) = DescribeBlock.nodeAndHost(text, isASCII: isASCII)
        #expect(node == parts[0] && String(node) == String(parts[0]), "\(text)")
        #expect(host.map(String.init) == (parts.count > 1 ? String(parts[1]) : nil), "\(text)")
        #expect(host.flatMap { Cells.value($0) } == (parts.count > 1 ? Cells.value(parts[1]) : nil), "\(text)")
        if host != nil { hosts += 1 }
      }
    }
    #expect(hosts > 2_000)
  }

  @Test func prefixTestIsHasPrefix() {
    var terminating = 0
    for text in Self.fieldTexts {
      for isASCII in KubectlBytes.isASCII(text.utf8) ? [true, false] : [false] {
        let new = DescribeBlock.hasPrefix(text, "Terminating", isASCII: isASCII)
        #expect(new == text.hasPrefix("Terminating"), "\(text)")
        if new { terminating += 1 }
      }
    }
    #expect(terminating > 300)
  }

  @Test func conditionStatusIsTheArraysContains() {
    var statuses = 0
    for text in Self.fieldTexts {
      let new = DescribeBlock.isConditionStatus(text)
      #expect(new == ["True", "False", "Unknown"].contains(text), "\(text)")
      if new { statuses += 1 }
    }
    #expect(statuses > 300)
  }

  /// A label's value starts where `index(after:)` of its `=` says, and is the same string.
  @Test func afterEqualsIsTheCharacterStep() {
    var labels = 0
    let extra: [Substring] = ["a=\u{301}b", "a=\r\nb", "=", "a=", "\u{212A}=İ", "e\u{301}=x", "a=\u{0}", "a\u{A0}=\tb"]
    for text in Self.texts + Self.fieldTexts + extra {
      guard let eq = DescribeBlock.firstEquals(text) else { continue }
      let new = DescribeBlock.afterEquals(text, eq)
      let reference = text.index(after: eq)
      #expect(new == reference, "\(text)")
      #expect(Array(String(text[new...]).utf8) == Array(String(text[reference...]).utf8), "\(text)")
      labels += 1
    }
    #expect(labels > 1_000)
  }

  /// The condition's status made from the literal is the string made from the token, and there
  /// exactly when the array's `contains` says it is a status.
  @Test func conditionStatusLiteralIsTheToken() {
    var statuses = 0
    for text in Self.fieldTexts + ["Type", "Status", "T\u{0}ue", "True ", "TRUE"] {
      let new = DescribeBlock.conditionStatus(text)
      let reference = ["True", "False", "Unknown"].contains(text) ? String(text) : nil
      #expect(new == reference, "\(text)")
      #expect(new.map { Array($0.utf8) } == reference.map { Array($0.utf8) }, "\(text)")
      #expect((new != nil) == DescribeBlock.isConditionStatus(text), "\(text)")
      if new != nil { statuses += 1 }
    }
    #expect(statuses > 300)
  }

  /// The Conditions header's words compared by their bytes are the words compared with `==`.
  @Test func conditionHeaderWordsAreTheStringCompare() {
    var headers = 0
    let words: [Substring] = Self.fieldTexts + ["Type", "Status", "Type\u{301}", "Typ", "type", "Status\u{0}"]
    for text in words {
      let type = KubectlBytes.equals(text.utf8, "Type")
      let status = KubectlBytes.equals(text.utf8, "Status")
      #expect(type == (text == "Type"), "\(text)")
      #expect(status == (text == "Status"), "\(text)")
      if type || status { headers += 1 }
    }
    #expect(headers >= 2)
  }

  /// An environment line's name ends at its first colon; its value starts after it.
  @Test func colonIsTheCharacterSearch() {
    var found = 0
    for text in Self.fieldTexts {
      let reference = text.firstIndex(of: ":")
      for isASCII in KubectlBytes.isASCII(text.utf8) ? [true, false] : [false] {
        let colon = DescribeBlock.firstColon(text, isASCII: isASCII)
        #expect(colon == reference, "\(text)")
        guard let colon, let reference else { continue }
        found += 1
        let after = isASCII ? text.utf8.index(after: colon) : text.index(after: colon)
        #expect(String(text[..<colon]) == String(text[..<reference]), "\(text)")
        #expect(String(text[after...]) == String(text[text.index(after: reference)...]), "\(text)")
      }
    }
    #expect(found > 2_000)
  }

  /// A probe value's tab, found with `memchr`, is the tab the view's bytes hold.
  @Test func tabTestIsTheBytesContains() {
    var tabs = 0
    for text in Self.fieldTexts {
      let new = KubectlBytes.contains(text.utf8, 0x09)
      #expect(new == text.utf8.contains(0x09), "\(text)")
      if new { tabs += 1 }
    }
    #expect(tabs > 500)
  }
}
