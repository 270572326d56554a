import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The YAML sniffer's pod-status lines read from their bytes, held to the loop it replaced, kept
/// here as the reference (docs/architecture.md, "Sniffing a head of long lines").
@Suite struct StatusLineKindTests {
  /// `YAMLFragment.looksLikePodStatus` as it was, kept as the reference: a `String` made of every
  /// line and its prefixes asked by characters.
  static func referenceLooksLikePodStatus(_ lines: [Substring]) -> Bool {
    var keys = 0
    var others = 0
    var statusKey = false
    for (index, line) in lines.enumerated() {
      if keys + (lines.count - index) < 4 * others { return false }
      let line = Substring(YAMLFragment.unemphasised(String(line)))
      let body = line.drop { $0 == " " }
      if body.isEmpty || body.hasPrefix("```") || body.hasPrefix("~~~") || body.hasPrefix("#")
        || PasteDecoration.isRule(body)
        || PasteDecoration.isElision(body)
      {
        continue
      }
      if let k = YAMLFragment.key(line) {
        keys += 1
        statusKey =
          statusKey || YAMLFragment.podStatusKeys.contains(k) || YAMLFragment.containerStatusKeys.contains(k)
          || YAMLFragment.stateKeys.contains(k)
          || k == "status"
      } else if body.hasPrefix("- ") || body.hasPrefix("\"") || body.first?.isLowercase == true || body == "-" {
        keys += 1
      } else {
        others += 1
      }
    }
    return statusKey && keys >= 3 && keys >= 4 * others
  }

  /// Lines of a pasted status and near misses on every test the kind asks: bold keys and values,
  /// fences, comments, rules, elisions, list marks, quotes, capitals, CR, non-ASCII first characters.
  static let madeLines: [String] = {
    let bodies = [
      "status:", "containerStatuses:", "state:", "lastState:", "**lastState**:", "- **name**: app", "message: **x**",
      "restartCount: 3", "terminated:", "waiting:", "- name: app", "-", "- ", "-x", "\"quoted", "continued text",
      "Name: x", "Ready", "```", "```yaml", "``", "~~~", "~~", "#", "# note", "***", "* * *", "___", "**", "*a",
      "_a", "...", "…", ". . .", "[...]", "<snip>", "snip", "SNIP", "s", "S", "", "ẞtate:", "\u{212A}ind: x",
      "\u{130}mage: x", "e\u{301}x: 1", "x\r", "\r\n", "-\r", "a\tb", "\u{0}", "phase: Running", "reason:",
      "9lives", "(...)", "<x>", "[x]", "(x", ".x",
    ]
    let indents = ["", " ", "    ", "  - "]
    return indents.flatMap { i in bodies.map { i + $0 } }
  }()

  @Test func everyLineIsTheKindTheCharactersSay() {
    var quick = 0
    let lines = Self.madeLines + SampleLines.all + BundleShortcutInputs.strings(count: 20_000, seed: 1830)
    var kinds = Set<String>()
    for text in lines {
      let line = Substring(text)
      let new = YAMLFragment.statusLineKind(line)
      #expect(new == YAMLFragment.statusLineKindByCharacters(line), "\(text.debugDescription)")
      kinds.insert("\(new)")
      if text.utf8.allSatisfy({ $0 < 0x80 }) && !text.contains("**") { quick += 1 }
    }
    #expect(kinds.count == 5 && quick > 10_000)
  }

  @Test func seededHeadsGetTheReferenceAnswer() {
    var rng = SplitMix64(seed: 1831)
    let seeded = BundleShortcutInputs.strings(count: 2_000, seed: 1832)
    var yes = 0
    var no = 0
    for _ in 0..<3_000 {
      let count = rng.below(60)
      let head: [Substring] = (0..<count).map { _ in
        Substring(rng.below(5) == 0 ? seeded[rng.below(seeded.count)] : Self.madeLines[rng.below(Self.madeLines.count)])
      }
      let reference = Self.referenceLooksLikePodStatus(head)
      #expect(YAMLFragment.looksLikePodStatus(head) == reference, "\(head)")
      if reference { yes += 1 } else { no += 1 }
    }
    #expect(yes > 100 && no > 100)
  }

  @Test func sampleHeadsGetTheReferenceAnswer() {
    let all = SampleLines.all.map { Substring($0) }
    for start in stride(from: 0, to: all.count, by: 97) {
      let head = Array(all[start..<min(all.count, start + 400)])
      let reference = Self.referenceLooksLikePodStatus(head)
      #expect(YAMLFragment.looksLikePodStatus(head) == reference)
    }
    let pasted = Self.madeLines.filter { !$0.hasPrefix("  - ") }.map { Substring($0) }
    #expect(YAMLFragment.looksLikePodStatus(pasted) == Self.referenceLooksLikePodStatus(pasted))
    #expect(all.count > 1_000)
  }
}
