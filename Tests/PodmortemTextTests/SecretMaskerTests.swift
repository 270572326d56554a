import PodmortemTestSupport
import PodmortemText
import Testing

/// The secret shapes as documented by their own examples (docs/architecture.md "Secrets").
@Suite("secret masking")
struct SecretMaskerTests {
  static func token(_ n: Int) -> String { "\(SecretMasker.tokenPrefix)\(n)\(SecretMasker.tokenSuffix)" }

  struct RuleExample: CustomTestStringConvertible, Sendable {
    let rule: SecretRule
    let example: SecretRule.Example
    var testDescription: String { "\(rule.id): \(example.text.prefix(60))" }
  }

  static let examples = SecretRules.all.flatMap { rule in rule.examples.map { RuleExample(rule: rule, example: $0) } }
  static let nearMisses = SecretRules.all.flatMap(\.nearMisses)

  @Test("each rule alone masks exactly the secrets its example lists, numbered in order", arguments: examples)
  func ruleExample(_ case_: RuleExample) {
    let masker = SecretMasker(rules: [case_.rule])
    var hits: [String] = []
    let masked = masker.mask(case_.example.text, hits: &hits)
    var expected = ""
    var rest = Substring(case_.example.text)
    for (i, secret) in case_.example.secrets.enumerated() {
      guard let r = rest.range(of: secret) else {
        Issue.record("example does not contain its secret '\(secret)'")
        return
      }
      expected += rest[..<r.lowerBound] + Self.token(i + 1)
      rest = rest[r.upperBound...]
    }
    expected += rest
    #expect(masked == expected)
    #expect(hits == Array(repeating: case_.rule.id, count: case_.example.secrets.count))
  }

  @Test("with every rule, no example's secret survives", arguments: examples)
  func allRules(_ case_: RuleExample) {
    let masked = SecretMasker().mask(case_.example.text)
    for secret in case_.example.secrets { #expect(!masked.contains(secret), "\(secret) in \(masked)") }
  }

  @Test("near misses are left alone by every rule", arguments: nearMisses)
  func nearMiss(_ text: String) {
    #expect(SecretMasker().mask(text) == text)
  }

  @Test("the same secret gets the same token; another secret the next number; masking twice changes nothing")
  func stableTokens() {
    let masker = SecretMasker()
    let first = masker.mask("password=hunter22 then token=abc123xyz")
    let second = masker.mask("again: password=hunter22")
    #expect(first == "password=\(Self.token(1)) then token=\(Self.token(2))")
    #expect(second == "again: password=\(Self.token(1))")
    #expect(masker.mask(first) == first)
    #expect(masker.distinctSecrets == 2)
  }

  @Test("overlapping shapes are masked once, by the most specific rule")
  func overlap() {
    var hits: [String] = []
    let text = "url?token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2ln&x=1"
    #expect(SecretMasker().mask(text, hits: &hits) == "url?token=\(Self.token(1))&x=1")
    #expect(hits == ["jwt"])
  }

  @Test("text without any rule's literal comes back as it was")
  func prefilter() {
    let text = "Back-off restarting failed container app in pod web-0_default(0f8e)"
    #expect(SecretMasker().mask(text) == text)
    #expect(SecretMasker().mask("") == "")
  }

  @Test("a PEM block inside a multi-line message goes whole, its markers stay")
  func pemBlock() {
    let text = """
      loaded key:
      -----BEGIN RSA PRIVATE KEY-----
      MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
      VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK
      -----END RSA PRIVATE KEY-----
      done
      """
    let masked = SecretMasker().mask(text)
    #expect(!masked.contains("MIIEow") && !masked.contains("VTLw7o"))
    #expect(masked.contains("-----BEGIN RSA PRIVATE KEY-----\(Self.token(1))-----END RSA PRIVATE KEY-----"))
    #expect(masked.hasSuffix("\ndone"))
  }

  @Test("the prefilter finds the literals the scan it replaced found, on seeded random text")
  func prefilterAsBefore() {
    var rng = SplitMix64(seed: 6_464)
    // Every literal in mixed case, cut short, at the text's end; base64 runs around the
    // threshold; bytes next to the literals' own; non-ASCII.
    var pieces = SecretRules.all.flatMap(\.literals).filter { $0 != SecretRules.longBase64Run }
    pieces +=
      pieces.map { $0.uppercased() } + pieces.map { String($0.dropLast()) } + pieces.map { String($0.prefix(2)) }
    pieces += [
      String(repeating: "Ab9+", count: 9), String(repeating: "Zz/0", count: 10), "a", "A", "=", "?", "&", ";", ":", "/",
      "-", "_", " ", "\n", "é", "☃", "\u{0}", "x", "P", "T", "k", "S",
    ]
    let masker = SecretMasker()
    for _ in 0..<20_000 {
      let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
        pieces[Int.random(in: pieces.indices, using: &rng)]
      }
      .joined()
      #expect(masker.literalsPresent(text) == masker.literalsPresentByFirstByte(text), "\(text)")
    }
  }

  @Test("regex matches can start at an offset and still see the text before it")
  func regexOffset() throws {
    let regex = try Regex(#"(?<=a)b"#)
    #expect(try regex.firstMatch(in: "abab", from: 2)?.utf8Range == 3..<4)
    #expect(try regex.firstMatch(in: "abab", from: 4) == nil)
    #expect(try regex.firstMatch(in: "abab", from: 9) == nil)
  }
}

@Suite("visible control characters")
struct VisibleTextTests {
  @Test("escape sequences, BEL, OSC 52, C1 and bidi controls are spelled out; newline and tab stay")
  func controls() {
    #expect(VisibleText.escapingControls("red \u{1B}[31mX\u{1B}[0m") == #"red \x1b[31mX\x1b[0m"#)
    #expect(VisibleText.escapingControls("\u{1B}]52;c;aGVsbG8=\u{07}") == #"\x1b]52;c;aGVsbG8=\x07"#)
    #expect(VisibleText.escapingControls("a\u{9B}2Jb\u{7F}\r") == #"a\x9b2Jb\x7f\x0d"#)
    #expect(VisibleText.escapingControls("abc\u{202E}def") == #"abc\u{202e}def"#)
    #expect(VisibleText.escapingControls("a\u{0}b") == #"a\x00b"#)
    #expect(VisibleText.escapingControls("line1\n\tline2 — ünïcode ✓") == "line1\n\tline2 — ünïcode ✓")
  }
}
