import Foundation
import PodmortemTestSupport
import PodmortemText
import Testing

/// The rules' required bytes (`SecretRule.requires`: a text of at most `SecretRule.requiresUpTo`
/// bytes without one of them does not run the rule's regex) against a masker that runs every rule
/// whose literal occurs, as the masker did before: the reference (docs/architecture.md "Secrets").
/// Both mask the samples, seeded hostile text around `://`, `@`, `?`, `&`, `;`, `=` and the
/// credential names (caseless spellings with a Kelvin sign and a long s, which PCRE2 matches as
/// `k` and `s`), and texts just under and over the length bound built to make the regexes work
/// hard; they must give the same bytes, hits and tokens.
@Suite("rules skipped for a missing required byte against running them")
struct SecretRequiresTests {
  static let reference = SecretMasker(
    rules: SecretRules.all.map { rule in
      var rule = rule
      rule.requires = []
      return rule
    })

  /// Seeded texts of the pieces the rules that require a byte look for: URLs with and without
  /// user info, query strings, assignments and fields, their names in every case and in the
  /// spellings PCRE2 folds caselessly to ASCII, and the hostile pieces (NUL, CR, tab, a Kelvin
  /// sign, a dotted capital İ, combining accents, cut UTF-8).
  static func requiresTexts(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    let pieces: [String] = [
      "://", "http://", "https://", "postgres://app", "a://", "://b", "@", "@host", "@db.prod:5432/app", ":", ":pw",
      ":s3cr3t-pw", "user", "Zx9kP2mQ7rT4vW8y1aB3", "?", "&", ";", "=", "==", "token", "TOKEN", "Token", "password",
      "PASSWORD", "passwd", "pwd", "pass", "secret", "SECRET", "key", "KEY", "apikey", "api_key", "sig",
      "signature", "auth", "X-Amz-", "client_", "db.", "a-", "\u{212A}ey", "\u{17F}ecret", "pa\u{17F}\u{17F}",
      "\u{17F}ig", "to\u{212A}en", "\u{212A}", "\u{17F}", "\u{130}", "İ", "ı", "é", "e\u{301}", "☃", "\"", "'", " ",
      "\t", "\n", "\r", "\u{0}", "/", "#", "<", ">", "-", "_", ".", "9f8e7d6c5b", "hunter22", "AbC%2Bdef123%3D",
      "<set to the key 'password' in secret 'db'>", "***HIDDEN***", "$(VAR)", "x", "Q",
      String(decoding: [0xC3], as: UTF8.self), String(decoding: [0xE2, 0x84], as: UTF8.self),
      String(decoding: [0xC5], as: UTF8.self),
    ]
    return (0..<count).map { _ in
      (0..<rng.below(20)).map { _ in pieces[rng.below(pieces.count)] }.joined()
    }
  }

  /// Texts near `SecretRule.requiresUpTo` bytes, each without a byte its rules require, built so
  /// the regexes take long runs and give them back: the bound's claim that PCRE2 cannot stop at
  /// its limits there, tested.
  static func longTexts() -> [String] {
    let bound = SecretRule.requiresUpTo
    var texts: [String] = []
    for length in [bound - 1, bound, bound + 1] {
      func fill(_ head: String, _ unit: String) -> String {
        var text = head
        while text.utf8.count + unit.utf8.count <= length { text += unit }
        while text.utf8.count < length { text += "x" }
        return text
      }
      texts += [
        fill("a://", "b"), fill("a://b:", "c"), fill("", "a://b:c"), fill("", "a://"), fill("a://", ":"),
        fill("?", "a_"), fill("", "?a_"), fill("", "?key"), fill("", "&sig;"), fill("?", "a1."),
        fill("password", " "), fill("", "password"), fill("", "secret_key"), fill("token\"", "\t"),
        fill("", "api-key "), fill("a://b:", "c") + "@", fill("?", "a_") + "token=abcdef",
        fill("password", " ") + "=hunter22",
      ]
    }
    return texts
  }

  @Test("a masker that skips a rule missing a required byte masks as one that runs it, token for token")
  func maskAsRunningEveryRule() {
    let masker = SecretMasker()
    let texts =
      ScanReferenceTests.sampleTexts() + ScanReferenceTests.randomTexts(count: 5_000, seed: 0x4E0_1E5)
      + Self.requiresTexts(count: 30_000, seed: 0x40_3D) + Self.longTexts() + [""]
    var differing = 0
    var skipped = 0
    var masked = 0
    for text in texts {
      var hits: [String] = []
      var referenceHits: [String] = []
      let out = masker.mask(text, hits: &hits)
      let expected = Self.reference.mask(text, hits: &referenceHits)
      if Array(out.utf8) != Array(expected.utf8) || hits != referenceHits
        || masker.holdsSecret(text) != Self.reference.holdsSecret(text)
      {
        differing += 1
        if differing <= 5 { Issue.record("masking differs on \(text.prefix(300).debugDescription)") }
      }
      let utf8 = text.utf8
      let query = utf8.contains { [0x3F, 0x26, 0x3B].contains($0) }
      let url = Array(utf8).firstRange(of: Array("://".utf8)) != nil
      if (url && !utf8.contains(0x40)) || (query && !utf8.contains(0x3D)) { skipped += 1 }
      let requiring = ["url-password", "url-token-user", "query-secret", "secret-assignment"]
      if referenceHits.contains(where: requiring.contains) { masked += 1 }
    }
    #expect(differing == 0)
    // The comparison saw texts a rule was skipped on and texts those rules mask.
    #expect(skipped > 5_000)
    #expect(masked > 1_000)
    #expect(masker.distinctSecrets == Self.reference.distinctSecrets)
  }

  @Test("every required byte is a byte of its rule's pattern")
  func requiredBytesInThePattern() {
    var required = 0
    for rule in SecretRules.all {
      for byte in rule.requires {
        required += 1
        #expect(rule.regex.pattern.contains(byte), "\(rule.id)")
      }
    }
    #expect(required == 4)
  }
}
