import Foundation
import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// Two questions the kubectl sniffer asks of every line of a head now stop early:
/// `ConsolePodDetails.label` at a first character that is not a capital, `DescribeReader.cutName`
/// at the fourth character when no colon came before it. These tests hold each to the code it
/// replaced, kept here as the reference, on every distinct sample line and seeded hostile lines.
@Suite struct SniffShortcutTests {
  /// `ConsolePodDetails.label` as it was: the key trimmed and counted before its first character
  /// was looked at.
  static func referenceLabel(_ text: Substring) -> ConsolePodDetails.Label? {
    var key = text
    if key.last == ":" { key = key.dropLast() }
    while key.last == " " || key.last == "\t" { key = key.dropLast() }
    guard !key.isEmpty, key.dropFirst(30).isEmpty, key.first?.isUppercase == true else { return nil }
    let lower = key.lowercased()
    if let label = ConsolePodDetails.labels[lower] { return label }
    let words = key.split(separator: " ")
    if words.count == 2, words[0] == "Container", ConsolePodDetails.isDNSLabel(words[1]) {
      return .container(String(words[1]))
    }
    return nil
  }

  /// `DescribeReader.cutName` as it was: the first colon looked for along the whole line.
  static func referenceCutName(_ line: KubectlLine) -> Substring? {
    let body = line.body
    guard let colon = body.firstIndex(of: ":"), ["ame", "me", "e", ""].contains(body[..<colon]) else { return nil }
    let after = body[body.index(after: colon)...]
    guard after.first == " " || after.first == "\t" else { return nil }
    let value = after.drop { $0 == " " || $0 == "\t" }
    return DescribeReader.isObjectName(value) ? value : nil
  }

  /// Lines on either side of each shortcut: labels with and without colons, tabs and trailing
  /// blanks, cut names of every length, colons just before and after the fourth character.
  static let madeLines: [String] = [
    "Name:", "Name", "Status:  ", "Restart Count:\t", "Container kiosk", "Container Kiosk", "container kiosk",
    "ame:  web-0",
    "me:  web-0", "e:  web-0", ":  web-0", "Xme:  web-0", "ame:web-0", "ame: \tweb-0", "amex:  web-0", "abc:  web-0",
    "ame\u{301}:  web-0", "é:  web-0", "\u{212A}ame:  x", "İme:  x", "Name\u{301}:", "\u{301}Name:", " Name:",
    "\tName:",
    "Last State:", "Ready:  ", "Node:", "Namespace:", "A:", "A", ":", "", "Ä:", "Éame:  web-0",
    String(repeating: "N", count: 31) + ":", String(repeating: "N", count: 30) + ":",
    // Around the byte gates of `label` and `cutName`: a mark on the first or second character, a
    // CR LF pair first, each cut name's bytes with one changed.
    "A\u{301}:", "a\u{301}:", "N\u{345}ame:", "\r\nName:", "n", "N", "1:", "e\u{301}:  web-0", ":\u{301}  web-0",
    "am:  web-0", "ae:  web-0", "mex:  web-0", "ex:  web-0", "m:  web-0",
  ]

  static let lines: [String] = {
    var rng = SplitMix64(seed: 1719)
    let seeded = (0..<20_000).map { _ -> String in
      if rng.below(2) == 0 {
        var chars = Array(madeLines[rng.below(madeLines.count)])
        let piece = SampleLines.hostile[rng.below(SampleLines.hostile.count)]
        chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
        return String(chars)
      }
      return String(SampleLines.random(&rng).prefix(400))
    }
    return madeLines + SampleLines.all + seeded
  }()

  @Test func labelAnswersAsTheReference() {
    var labels = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      for body in [line.body, text[...]] {
        let new = ConsolePodDetails.label(body)
        #expect(new == Self.referenceLabel(body), "\(text)")
        if new != nil { labels += 1 }
      }
    }
    #expect(labels > 100)
  }

  @Test func cutNameAnswersAsTheReference() {
    var names = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      let new = DescribeReader.cutName(line)
      #expect(new == Self.referenceCutName(line), "\(text)")
      if new != nil { names += 1 }
    }
    #expect(names >= 5)
  }
}
