import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The YAML sniffer's three prefix questions answered from the bytes of an ASCII line, held to
/// the sniffer as it was, kept here as the reference (docs/architecture.md, "Sniffing a head of
/// long lines").
@Suite struct YAMLSniffMarksTests {
  /// `YAMLObjectParser.sniff(head:info:)` as it was, kept as the reference: every prefix asked by
  /// characters.
  static func referenceSniff(head: [Line]) -> Int {
    var sawAPIVersion = false
    var sawKind = false
    var first = true
    for line in head {
      let text = line.text
      if text.allSatisfy(\.isWhitespace) || text.hasPrefix("#") { continue }
      if first {
        first = false
        if ObjectStreamParser.opensJSON(text[...]) { return 0 }
      }
      let trimmed = text.drop { $0 == " " || $0 == "-" }
      if trimmed.hasPrefix("apiVersion: ") { sawAPIVersion = true }
      if trimmed.hasPrefix("kind: ") { sawKind = true }
    }
    if sawAPIVersion && sawKind { return 85 }
    if sawAPIVersion || sawKind { return 40 }
    return YAMLFragment.looksLikePodStatus(head.map { Substring($0.text) }) ? 45 : 0
  }

  /// Lines on either side of each question: comments, dashes and spaces before the keys, the keys
  /// cut, without their space, with a CR, a combining mark on the space or a Kelvin sign.
  static let madeLines: [String] = {
    let leads = ["", " ", "-", "- ", "--", " - - ", "\t", "#", "# ", "\u{212A}", "e\u{301}"]
    let bodies = [
      "apiVersion: v1", "kind: Pod", "apiVersion:", "kind:", "apiVersion:v1", "kind:\r\n", "kind: \u{301}Pod",
      "kind \u{301}: Pod", "\u{212A}ind: Pod", "apiVersion: \r", "apiversion: v1", "Kind: Pod", "kin", "", "status:",
      "{\"kind\": \"Pod\"}", "[1]", "#kind: Pod", "\u{0}kind: Pod", "kind:\u{0} Pod",
    ]
    return leads.flatMap { l in bodies.map { l + $0 } }
  }()

  @Test func everyLineIsMarkedAsTheCharactersMarkIt() {
    var marked = 0
    for text in Self.madeLines + SampleLines.all + BundleShortcutInputs.strings(count: 20_000, seed: 1835) {
      let new = YAMLObjectParser.sniffMarks(text)
      let old = YAMLObjectParser.sniffMarksByCharacters(text)
      #expect(new == old, "\(text.debugDescription)")
      if old.apiVersion || old.kind { marked += 1 }
    }
    #expect(marked > 40)
  }

  @Test func seededHeadsScoreAsTheReferenceScores() {
    var rng = SplitMix64(seed: 1836)
    let seeded = BundleShortcutInputs.strings(count: 2_000, seed: 1837)
    let status = StatusLineKindTests.madeLines
    var scores = Set<Int>()
    for _ in 0..<3_000 {
      let head: [Line] = (0..<rng.below(40)).map { n in
        let text =
          switch rng.below(3) {
          case 0: Self.madeLines[rng.below(Self.madeLines.count)]
          case 1: status[rng.below(status.count)]
          default: seeded[rng.below(seeded.count)]
          }
        return Line(number: n + 1, text: text)
      }
      let reference = Self.referenceSniff(head: head)
      #expect(YAMLObjectParser.sniff(head: head, info: SourceInfo(name: "x")) == reference)
      scores.insert(reference)
    }
    let all = SampleLines.all
    for start in stride(from: 0, to: all.count, by: 89) {
      let head = all[start..<min(all.count, start + 400)].enumerated().map { Line(number: $0 + 1, text: $1) }
      #expect(YAMLObjectParser.sniff(head: head, info: SourceInfo(name: "x")) == Self.referenceSniff(head: head))
    }
    #expect(scores == [0, 40, 45, 85])
  }
}
