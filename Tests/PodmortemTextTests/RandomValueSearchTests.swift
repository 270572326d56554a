import Foundation
import PodmortemTestSupport
import PodmortemText
import Testing

/// The `random-value` rule's byte search (`RandomValueSearch`) against its regex, and the masker
/// that asks it against a masker that runs the regex alone (docs/architecture.md "Secrets").
/// The regex loop below is the reference: it is how `SecretMasker.candidates` found the rule's
/// candidates before the byte search, kept so the two can be compared on the samples and on
/// seeded hostile text.
@Suite("the random-value rule's byte search against its regex")
struct RandomValueSearchTests {
  static let rule = SecretRules.all.first { $0.id == "random-value" } ?? SecretRules.all[0]

  /// The regex's successive matches, each search starting where the last match ended, as
  /// `SecretMasker.candidates` asked for them before the byte search: the reference. Nil when
  /// PCRE2 stopped at a limit.
  static func regexRanges(_ text: String) -> [Range<Int>]? {
    var found: [Range<Int>] = []
    var from = 0
    let count = text.utf8.count
    while from <= count {
      let match: RegexMatch?
      do {
        match = try rule.regex.firstMatch(in: text, from: from)
      } catch {
        return nil
      }
      guard let match else { break }
      // The rule's regex matches at least 16 bytes: an empty match would be a bug here.
      guard !match.utf8Range.isEmpty else { return nil }
      found.append(match.utf8Range)
      from = match.utf8Range.upperBound
    }
    return found
  }

  static func byteRanges(_ text: String) -> [Range<Int>]? {
    Array(text.utf8).withUnsafeBufferPointer { RandomValueSearch.ranges($0) }
  }

  /// Seeded texts around `=`: word bytes, quotes, spaces and tabs before and after it, value runs
  /// of 14 to 18 bytes and longer, `:` and `@` after a run, secrets, names and digests, and the
  /// hostile pieces (NUL, CR, tab, a Kelvin sign, a dotted capital İ, combining accents, cut
  /// UTF-8, a non-ASCII byte right before `=` or a quote).
  static func equalsTexts(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    let valueBytes = Array("ABCxyz0189+/=_.~-".utf8)
    var pieces: [String] = [
      "=", "=", "==", "a", "Z", "9", "_", "\"", "'", " ", "  ", "\t", ":", "@", "-", ".", "/", "~", "+", ",", ";", "&",
      "(", ")", "\n", "\r", "\u{0}", "é", "e\u{301}", "\u{212A}", "\u{130}", "K", "İ", "ı", "☃", "🦀", "\u{202E}",
      "\u{2039}redacted:3\u{203A}", "key=", "pod=\"", "TOKEN='", "x\"=", "x'= \"", "é=", "é\"=",
      "pod=\"kube-system/coredns-5d78c9869d-abcde\"", "SESSION_COOKIE_KEY=Zx9kP2mQ7rT4vW8y1aB3",
      "GIT_COMMIT=9f3349a9880eb1485ce417658b4d83b5852c5293", "image=registry.example.com:5000/app",
      "user=Zx9kP2mQ7rT4vW8y1aB3@host", "a=Zx9kP2mQ7rT4vW8y1aB3:", "podUID=30e1938b-b5b9-5090-bbe2-d2012366fb27",
      String(decoding: [0xC3], as: UTF8.self), String(decoding: [0xE2, 0x84], as: UTF8.self),
    ]
    for length in [1, 8, 14, 15, 16, 17, 18, 24, 40] {
      pieces.append(String(decoding: (0..<length).map { _ in valueBytes[rng.below(valueBytes.count)] }, as: UTF8.self))
    }
    return (0..<count).map { _ in
      (0..<rng.below(24)).map { _ in pieces[rng.below(pieces.count)] }.joined()
    }
  }

  /// Each secret of the rule's examples and a near miss at every offset of a kubelet-like line,
  /// and split by a non-ASCII character.
  static func embeddedTexts() -> [String] {
    let line = #"I1127 00:00:00.001288    4187 prober.go:107] "Probe failed" pod="ns/web-0" output="é ok""#
    let inserts = [
      "SESSION_COOKIE_KEY=Zx9kP2mQ7rT4vW8y1aB3", "key=m8lV4r52siA7YekKg3tl", "key='m8lV4r52siA7YekKg3tl'",
      "key = \"m8lV4r52siA7YekKg3tl\"", "key=m8lV4r52siA7YekKg3tl:80", "key=m8lV4r52siA7YekKg3tl@host",
      "key=m8lV4r52é siA7YekKg3tl", "POD_NAME=inventory-6d8f7b5c9-zt8mx",
    ]
    var texts: [String] = []
    for insert in inserts {
      let bytes = Array(line.utf8)
      for offset in 0...bytes.count {
        texts.append(String(decoding: bytes[..<offset] + Array(insert.utf8) + bytes[offset...], as: UTF8.self))
      }
    }
    return texts
  }

  static func allTexts() -> [String] {
    ScanReferenceTests.sampleTexts() + ScanReferenceTests.randomTexts(count: 10_000, seed: 0xE9_0A15)
      + equalsTexts(count: 30_000, seed: 0x3D3D) + embeddedTexts()
      + [
        "", String(repeating: "a=", count: 40_000) + ":", "a=" + String(repeating: "Ab9", count: 30_000) + "@",
        "a=" + String(repeating: " ", count: 70_000) + String(repeating: "Zx9kP2mQ", count: 4),
        "k=" + String(repeating: "Zx9kP2mQ", count: 9_000), String(repeating: "Ab9x=", count: 20_000),
        // As long as the byte search answers: a run, spaces, `=` after `=`.
        "a=" + String(repeating: " ", count: 60_000) + String(repeating: "Zx9kP2mQ", count: 4),
        "k=" + String(repeating: "Zx9kP2mQ", count: 8_000), String(repeating: "Ab9x=", count: 13_000),
        String(repeating: "a= ", count: 21_000), String(repeating: "x=\"Ab9", count: 10_000),
      ]
  }

  @Test("the byte search gives the regex's matches wherever it answers, and answers nearly everywhere")
  func byteSearchAsTheRegex() {
    #expect(Self.rule.id == "random-value")
    #expect(Self.rule.byteSearch != nil)
    var answered = 0
    var declined = 0
    var withMatches = 0
    var differing = 0
    for text in Self.allTexts() {
      guard let bytes = Self.byteRanges(text) else {
        declined += 1
        continue
      }
      answered += 1
      if !bytes.isEmpty { withMatches += 1 }
      let regex = Self.regexRanges(text)
      if regex != bytes {
        differing += 1
        if differing <= 5 { Issue.record("byte search differs on \(text.prefix(300).debugDescription)") }
      }
    }
    #expect(differing == 0)
    #expect(withMatches > 1_000)
    #expect(answered > 2 * declined)
    // The texts too long for it and the runs before `:` and `@` were left to the regex.
    #expect(declined > 10)
  }

  @Test("every byte before `=`, before and after a quote, inside, after and right after a value")
  func everyByteInEveryPlace() {
    var differing = 0
    for b in UInt8(0)...255 {
      let value = Array("Zx9kP2mQ7rT4vW8y1aB3".utf8)
      let places: [[UInt8]] = [
        [b] + Array("=".utf8) + value, Array("x".utf8) + [b] + Array("=".utf8) + value,
        Array("k".utf8) + [b, 0x3D] + value, Array("k=".utf8) + [b] + value, Array("k=\"".utf8) + [b] + value,
        Array("k=".utf8) + value.prefix(8) + [b] + value.dropFirst(8), Array("k=".utf8) + value + [b],
        Array("k=".utf8) + value + [b, 0x41], Array("k=".utf8) + value.prefix(15) + [b],
      ]
      for bytes in places {
        // Through `String`, as the masker gets text: a lone byte from 0x80 on is repaired.
        let text = String(decoding: bytes, as: UTF8.self)
        guard let found = Self.byteRanges(text) else { continue }
        if found != Self.regexRanges(text) {
          differing += 1
          if differing <= 5 { Issue.record("byte search differs on \(text.debugDescription)") }
        }
      }
    }
    #expect(differing == 0)
  }

  @Test("a masker with the byte search masks as one with the regex alone, token for token")
  func maskerAsTheRegexAlone() {
    let masker = SecretMasker()
    let regexOnly = SecretMasker(
      rules: SecretRules.all.map { rule in
        var rule = rule
        rule.byteSearch = nil
        return rule
      })
    var differing = 0
    var masked = 0
    for text in Self.allTexts() {
      var hits: [String] = []
      var referenceHits: [String] = []
      let out = masker.mask(text, hits: &hits)
      let reference = regexOnly.mask(text, hits: &referenceHits)
      if hits.contains("random-value") { masked += 1 }
      if Array(out.utf8) != Array(reference.utf8) || hits != referenceHits {
        differing += 1
        if differing <= 5 { Issue.record("masking differs on \(text.prefix(300).debugDescription)") }
      }
    }
    #expect(differing == 0)
    #expect(masked > 1_000)
    #expect(masker.distinctSecrets == regexOnly.distinctSecrets)
  }
}
