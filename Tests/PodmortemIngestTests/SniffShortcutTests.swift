import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The sniffers' shortcuts (an elision answered by its first byte, bold found by its bytes first,
/// a pod status given up once the lines left cannot make it one) answer as the code they replaced,
/// kept here as the reference, on seeded random lines that mix the characters each shortcut is about.
struct SniffShortcutTests {
  // The code as it was before the shortcuts.
  static func oldIsElision(_ t: Substring) -> Bool {
    let lowered = t.lowercased()
    if ["[...]", "(...)", "<...>", "<snip>", "[snip]", "snip", "<snipped>", "[truncated]"].contains(lowered) {
      return true
    }
    let dots = t.filter { $0 == "." || $0 == "…" }.count
    return dots >= 1 && t.allSatisfy { $0 == "." || $0 == "…" || $0 == " " } && (dots >= 3 || t.contains("…"))
  }

  static func oldUnemphasised(_ line: String) -> String {
    guard line.contains("**") else { return line }
    var text = Substring(line)
    let indent = text.prefix { $0 == " " }
    var body = text.dropFirst(indent.count)
    if body.hasPrefix("- **") {
      body = "- " + body.dropFirst(4)
    } else if body.hasPrefix("**") {
      body = body.dropFirst(2)
    }
    let keyStart = body.hasPrefix("- ") ? body.index(body.startIndex, offsetBy: 2) : body.startIndex
    if let range = body.range(of: "**:"), !body[keyStart..<range.lowerBound].contains(" ") {
      body = body[..<range.lowerBound] + body[body.index(range.lowerBound, offsetBy: 2)...]
    }
    if body.hasSuffix("**") { body = body.dropLast(2) }
    text = indent + body
    return String(text)
  }

  static func oldLooksLikePodStatus(_ lines: [Substring]) -> Bool {
    var keys = 0
    var others = 0
    var statusKey = false
    for line in lines {
      let line = Substring(oldUnemphasised(String(line)))
      let body = line.drop { $0 == " " }
      if body.isEmpty || body.hasPrefix("```") || body.hasPrefix("~~~") || body.hasPrefix("#")
        || PasteDecoration.isRule(body)
        || oldIsElision(body)
      {
        continue
      }
      if let k = YAMLFragment.key(line) {
        keys += 1
        statusKey =
          statusKey || YAMLFragment.podStatusKeys.contains(k) || YAMLFragment.containerStatusKeys.contains(k)
          || YAMLFragment.stateKeys.contains(k) || k == "status"
      } else if body.hasPrefix("- ") || body.hasPrefix("\"") || body.first?.isLowercase == true || body == "-" {
        keys += 1
      } else {
        others += 1
      }
    }
    return statusKey && keys >= 3 && keys >= 4 * others
  }

  /// Pieces that make elisions, bold keys and status lines likely, and characters that are hard
  /// for each shortcut: a Kelvin sign and a dotted capital I (which lower to ASCII), a combining
  /// accent after `*` or `.`, CR, NUL, a lone ellipsis, fullwidth `＊`.
  static let pieces: [String] = [
    ".", ".", "…", " ", " ", "*", "**", "**:", "[", "]", "(", ")", "<", ">", "s", "S", "snip", "SNIP", "[...]",
    "<snipped>", "[truncated]", "\u{212A}", "\u{130}", "\u{301}", "\r", "\0", "＊", "-", "- ", ":", ": ",
    "phase", "state", "lastState", "restartCount", "status", "Name", "Status", "waiting", "\"", "x", "é", "#", "```",
    "~~~", "---", "ſ",
  ]

  static func randomLine(_ rng: inout SplitMix64) -> String {
    var line = ""
    for _ in 0..<rng.below(7) { line += pieces[rng.below(pieces.count)] }
    return line
  }

  @Test func anElisionIsAnsweredAsBefore() {
    var rng = SplitMix64(seed: 0x5EED_E115)
    for _ in 0..<40_000 {
      let line = Self.randomLine(&rng)
      #expect(PasteDecoration.isElision(line[...]) == Self.oldIsElision(line[...]), "\(line.debugDescription)")
    }
    for fixed in ["...", "…", ". . .", "[...]", "<SNIP>", "Snip", "s", "..", ".\u{301}..", "", " ", "\u{212A}"] {
      #expect(PasteDecoration.isElision(fixed[...]) == Self.oldIsElision(fixed[...]), "\(fixed.debugDescription)")
    }
  }

  @Test func boldIsTakenOffAsBefore() {
    var rng = SplitMix64(seed: 0xB01D)
    for _ in 0..<40_000 {
      let line = Self.randomLine(&rng)
      #expect(YAMLFragment.unemphasised(line) == Self.oldUnemphasised(line), "\(line.debugDescription)")
    }
  }

  @Test func aPodStatusIsRecognisedAsBefore() {
    var rng = SplitMix64(seed: 0x57A7_0005)
    var yes = 0
    for _ in 0..<20_000 {
      // Mostly YAML-like heads, some describe-like, of 0 to 12 lines.
      let yamlish = rng.below(3) != 0
      let lines: [Substring] = (0..<rng.below(13)).map { _ in
        let indent = String(repeating: " ", count: rng.below(5))
        if yamlish && rng.below(4) != 0 {
          let key = ["phase", "state", "ready", "status", "podIP", "image", "name", "- name", "**phase**"][rng.below(9)]
          return Substring(indent + key + ": " + Self.randomLine(&rng))
        }
        return Substring(indent + Self.randomLine(&rng))
      }
      let new = YAMLFragment.looksLikePodStatus(lines)
      #expect(new == Self.oldLooksLikePodStatus(lines), "\(lines)")
      if new { yes += 1 }
    }
    // Both answers occur, so the comparison covers both.
    #expect(yes > 100 && yes < 19_900)
  }
}
