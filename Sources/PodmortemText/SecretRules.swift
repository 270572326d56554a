import Foundation

/// One shape of secret the masker recognises (docs/architecture.md "Secrets").
///
/// A rule runs only when one of its `literals` occurs in the text (ASCII, compared caselessly: the
/// cheap prefilter); then its regex finds candidates. The regex's whole match is the secret (a
/// `\K` drops the context in front, a lookahead checks the context after), and `accept` may still
/// turn a candidate down (too short, a placeholder, not random enough). `examples` are texts with
/// the secrets the rule must mask in them; `nearMisses` are texts no rule may mask anything in.
/// Tests run both, so a rule cannot drift from what it documents.
package struct SecretRule: Sendable {
  package struct Example: Sendable {
    package let text: String
    /// Every secret in `text`, in order.
    package let secrets: [String]
    package init(_ text: String, _ secrets: [String]) {
      self.text = text
      self.secrets = secrets
    }
  }

  /// A masking pass scans a whole message or log line for every candidate, so it gets more
  /// backtracking room than a pattern matched once per line (a hit still fails closed: the
  /// masker masks the rest of the text).
  static let limits = RegexLimits(
    matchLimit: 20_000_000, depthLimit: 100_000, heapLimitKiB: 20_000, jitStackBytes: 1 << 20)

  /// The longest text whose missing `requires` byte is taken to mean no match. The regexes that
  /// require a byte read each byte of a text a bounded number of times (each run they take ends
  /// at a byte outside its class and is given back byte by byte at most once an attempt, and
  /// only attempts starting at the few places a run can follow read it), so on 64 KiB PCRE2 stays
  /// far below `limits` and can only answer "no match" (the bound `RandomValueSearch` answers
  /// within too); a longer text runs the regex, which may stop at a limit and mask the rest.
  package static let requiresUpTo = 1 << 16

  package let id: String
  package let literals: [String]
  package let regex: Regex
  package let accept: @Sendable (_ candidate: String, _ match: RegexMatch) -> Bool
  /// The regex's search done on bytes, for a rule whose regex is cheap to follow byte by byte and
  /// whose `accept` reads only the candidate; the masker asks it first and runs the regex only
  /// where it does not answer (a `var` so a test can take it away and compare with the regex).
  package var byteSearch: SecretByteSearch?
  /// Bytes the text holds wherever the regex matches: a literal byte of the pattern outside any
  /// alternative or optional part (the `@` a URL's user info ends with, in a lookahead; the `=`
  /// of an assignment, before its `\K`), ASCII punctuation, which has no other case, even
  /// caselessly, and is no byte of a longer UTF-8 character. A text of at most
  /// `requiresUpTo` bytes without one of them has no match, so the masker does not run the
  /// regex on it (a `var` so a test can take it away and compare with the regex;
  /// docs/architecture.md "Secrets").
  package var requires: [String]
  package let examples: [Example]
  package let nearMisses: [String]

  init(
    _ id: String, literals: [String], regex pattern: String, caseless: Bool = false, requires: [String] = [],
    accept: @escaping @Sendable (String, RegexMatch) -> Bool = { candidate, _ in !SecretShape.isPlaceholder(candidate)
    },
    byteSearch: SecretByteSearch? = nil,
    examples: [Example], nearMisses: [String] = []
  ) {
    let punctuation = { (b: UInt8) in (0x21...0x2F).contains(b) || (0x3A...0x40).contains(b) }
    precondition(
      requires.allSatisfy { $0.utf8.count == 1 && $0.utf8.allSatisfy(punctuation) },
      "secret rule \(id): a required byte is one ASCII punctuation byte")
    self.id = id
    self.byteSearch = byteSearch
    self.requires = requires
    self.literals = literals.map { $0.lowercased() }
    // The patterns are fixed strings tested by SecretRuleTests: a compile failure is a bug in this file.
    do {
      self.regex = try Regex(pattern, caseless: caseless, limits: Self.limits)
    } catch {
      preconditionFailure("secret rule \(id): \(error)")
    }
    self.accept = accept
    self.examples = examples
    self.nearMisses = nearMisses
  }
}

/// The secret shapes podmortem masks, most specific first (each rule runs on the text the rules
/// before it left, so a JWT inside `token=` is masked once, as a JWT). Sources for the shapes:
/// RFC 3986 §3.2.1 (userinfo), RFC 6750 §2.1 and RFC 7617 §2 (Bearer, Basic), RFC 7519 §3 (JWT),
/// RFC 7468 §2 (PEM), https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
/// (access key ids), https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
/// (GitHub), https://docs.gitlab.com/ee/security/token_overview.html (GitLab),
/// https://api.slack.com/authentication/token-types (Slack).
package enum SecretRules {
  /// Names whose value is a credential whatever it looks like (`DB_PASSWORD`, `client_secret`,
  /// `aws_secret_access_key`, `GITHUB_TOKEN`): the name ends with one of these.
  static let credentialNames =
    "password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|credentials?|signature"
  static let credentialLiterals = ["pass", "secret", "token", "key", "credential", "signature"]

  package static let all: [SecretRule] = [
    SecretRule(
      "private-key", literals: ["-----begin"],
      regex:
        #"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----\K[\s\S]+?(?=-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\z)"#,
      accept: { candidate, _ in !candidate.allSatisfy { $0.isWhitespace || $0 == "\\" || $0 == "n" } },
      examples: [
        .init(
          "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----",
          ["\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n"]),
        .init(
          #"key: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----""#,
          [#"\nb3BlbnNzaC1rZXktdjE=\n"#]),
        // Cut off (a termination message is capped at 4096 bytes): everything after BEGIN goes.
        .init(
          "-----BEGIN EC PRIVATE KEY----- MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5",
          [
            " MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5"
          ]),
      ],
      nearMisses: ["-----BEGIN CERTIFICATE-----", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD"]),
    SecretRule(
      "jwt", literals: ["eyj"],
      regex: #"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"#,
      examples: [
        .init(
          "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlX2J5dGVz and more",
          ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlX2J5dGVz"])
      ],
      nearMisses: ["eyJhbGciOiJIUzI1NiJ9 alone is only a header"]),
    SecretRule(
      "aws-access-key-id", literals: ["akia", "asia", "abia", "acca"],
      regex: #"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])"#,
      examples: [.init("aws_access_key_id=AKIAIOSFODNN7EXAMPLE", ["AKIAIOSFODNN7EXAMPLE"])],
      nearMisses: ["AKIAshort", "role AROAIOSFODNN7EXAMPLE is an id, not a key"]),
    SecretRule(
      "github-token", literals: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
      regex: #"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"#,
      examples: [
        .init(
          "git clone https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/o/r",
          ["ghp_0123456789abcdefghijABCDEFGHIJ012345"])
      ],
      nearMisses: ["ghp_short"]),
    SecretRule(
      "gitlab-token", literals: ["glpat-"], regex: #"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}"#,
      examples: [.init("PRIVATE-TOKEN glpat-xXq9R2mZ7vT4kP8wL3nB", ["glpat-xXq9R2mZ7vT4kP8wL3nB"])]),
    SecretRule(
      "slack-token", literals: ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"],
      regex: #"(?<![A-Za-z0-9_])xox[abprs]-[A-Za-z0-9-]{10,}"#,
      examples: [.init("SLACK xoxb-1234567890-abcdefghijkl", ["xoxb-1234567890-abcdefghijkl"])]),
    SecretRule(
      "url-password", literals: ["://"],
      regex: #"(?<=[A-Za-z0-9])://[^\s/?#@:'"<>]*:\K[^\s/?#@'"<>]+(?=@)"#, requires: ["@"],
      examples: [
        .init("dial postgres://app:s3cr3t-pw@db.prod:5432/app failed", ["s3cr3t-pw"]),
        .init("https://user:pass@host", ["pass"]),
      ],
      nearMisses: [
        "Image ID: docker-pullable://registry.example.com:5000/shop/app@sha256:1bfd6cac592f050db93bcda87c06e18c",
        "ssh://git@github.com/o/r", "http://10.0.0.1:8080/healthz",
      ]),
    SecretRule(
      "url-token-user", literals: ["://"],
      regex: #"(?<=[A-Za-z0-9])://\K[^\s/?#@:'"<>]{16,}(?=@)"#, requires: ["@"],
      accept: { candidate, _ in SecretShape.isRandom(candidate, minimumLength: 16) },
      examples: [.init("https://Zx9kP2mQ7rT4vW8y1aB3@git.example.com/r.git", ["Zx9kP2mQ7rT4vW8y1aB3"])],
      nearMisses: ["https://deploy-bot-readonly@git.example.com/r.git"]),
    SecretRule(
      "authorization", literals: ["bearer", "basic"],
      regex: #"(?<![A-Za-z0-9])(?:bearer|basic)[ \t]+\K[A-Za-z0-9._~+/-]{8,}=*"#, caseless: true,
      accept: { candidate, _ in
        // "Basic authentication", "bearer token": words, not credentials.
        !SecretShape.isPlaceholder(candidate) && candidate.contains { !$0.isLowercase }
      },
      examples: [
        .init("Authorization: Bearer abc123DEF456ghi789", ["abc123DEF456ghi789"]),
        .init("-H 'Authorization: Basic dXNlcjpwYXNzd29yZA=='", ["dXNlcjpwYXNzd29yZA=="]),
      ],
      nearMisses: ["Basic authentication failed", "no bearer token supplied", "Bearer realm=\"kubernetes\""]),
    SecretRule(
      "query-secret", literals: ["?", "&", ";"],
      regex:
        #"[?&;](?:[A-Za-z0-9]+[_.-])*(?<name>token|password|passwd|pwd|pass|secret|key|apikey|sig|signature|auth)=\K[^&\s#"'<>]+"#,
      caseless: true, requires: ["="],
      accept: { candidate, match in
        let weak = ["key", "sig", "auth"].contains((match["name"] ?? "").lowercased())
        return !SecretShape.isPlaceholder(candidate) && candidate.count >= (weak ? 6 : 3)
      },
      examples: [
        .init("GET /healthz?user=a&token=9f8e7d6c5b&x=1", ["9f8e7d6c5b"]),
        .init("https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=AbC%2Bdef123%3D", ["AbC%2Bdef123%3D"]),
        .init(
          "https://s3/b/o?X-Amz-Signature=5f1e2d3c4b5a&X-Amz-Security-Token=IQoJb3JpZ2lu",
          [
            "5f1e2d3c4b5a", "IQoJb3JpZ2lu",
          ]),
      ],
      nearMisses: ["http://svc/?key=a", "GET /search?q=password-reset&page=2"]),
    SecretRule(
      "secret-assignment", literals: credentialLiterals,
      regex:
        #"(?:(?<=[A-Za-z0-9_.-])(?<prefixed>)|)(?<name>\#(credentialNames))["']?[ \t]*=[ \t]*(?:"\K[^"\n]*(?=")|'\K[^'\n]*(?=')|\K[^\s"',;&(){}\[\]<>]+)"#,
      caseless: true, requires: ["="],
      accept: { candidate, match in
        candidate.count >= 3 && !SecretShape.isPlaceholder(candidate)
          && !SecretShape.isObjectName(candidate, name: SecretShape.name(match))
      },
      examples: [
        .init("connecting with password=hunter22 to db", ["hunter22"]),
        .init("MYSQL_ROOT_PASSWORD='p@ss word'", ["p@ss word"]),
        .init(
          "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          [
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
          ]),
        .init("--client-secret=abc.def.123 --token=tok3n", ["abc.def.123", "tok3n"]),
      ],
      nearMisses: [
        "password-reset requested", "passwordless=true", "max_tokens=4096 is a count", "key=a",
        #"E1127 "Failed to get secret" secret="default/db-creds" err="not found""#,
        "token=$(cat /var/run/secrets/token)", "password=<set to the key 'password' in secret 'db'>",
        "password=***HIDDEN***",
      ]),
    SecretRule(
      "secret-field", literals: credentialLiterals,
      regex:
        #"(?:(?<=[A-Za-z0-9_.-])(?<prefixed>)|)(?<name>\#(credentialNames))["']?[ \t]*:[ \t]*(?:"\K[^"\n]*(?=")|'\K[^'\n]*(?=')|\K(?<bare>[^\s"',;&(){}\[\]<>]+))"#,
      caseless: true,
      accept: { candidate, match in
        guard !SecretShape.isPlaceholder(candidate), !SecretShape.isObjectName(candidate, name: SecretShape.name(match))
        else { return false }
        guard match["bare"] != nil else { return true }
        return SecretShape.isFieldValue(candidate, in: match)
      },
      examples: [
        .init("passwd: hunter2", ["hunter2"]),
        .init(#"{"user":"app","password":"correct horse"}"#, ["correct horse"]),
        .init("      DB_PASSWORD:  changeme", ["changeme"]),
        .init("{User:app Password:Tr0ub4dor Host:db}", ["Tr0ub4dor"]),
      ],
      nearMisses: [
        "error getting token: x509: certificate signed by unknown authority",
        "failed to refresh token: context deadline exceeded",
        "Error: couldn't find key password in Secret default/db-creds",
        "      DB_PASSWORD:  <set to the key 'password' in secret 'db-creds'>  Optional: false",
        "  secret: secretName: web-tls", "TokenExpirationSeconds:  3607", #""serviceAccountToken": {"#,
        "imagePullSecrets: [", "tokenRequests: (none)",
        "/var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-b4676 (ro)",
      ]),
    SecretRule(
      "random-value", literals: ["="],
      regex:
        #"(?:(?<=[A-Za-z0-9_])|(?<=[A-Za-z0-9_]["']))=[ \t]*["']?\K[A-Za-z0-9+/=_.~-]{16,}(?![A-Za-z0-9+/=_.~:@-])"#,
      accept: { candidate, _ in SecretShape.isRandom(candidate, minimumLength: 16) },
      byteSearch: SecretByteSearch(
        ranges: RandomValueSearch.ranges, accept: { SecretShape.isRandom($0, minimumLength: 16) }),
      examples: [
        .init("SESSION_COOKIE_KEY=Zx9kP2mQ7rT4vW8y1aB3 started", ["Zx9kP2mQ7rT4vW8y1aB3"]),
        .init("key=m8lV4r52siA7YekKg3tl", ["m8lV4r52siA7YekKg3tl"]),
      ],
      nearMisses: [
        "IMAGE=registry.example.com/team/app-v2", "POD_NAME=inventory-6d8f7b5c9-zt8mx",
        "GIT_COMMIT=9f3349a9880eb1485ce417658b4d83b5852c5293", "POD_UID=30e1938b-b5b9-5090-bbe2-d2012366fb27",
        "resourceVersion=549961", "JAVA_OPTS=-XX:MaxRAMPercentage=75.0",
        "digest=sha256:1bfd6cac592f050db93bcda87c06e18c6b72be7219a6e888d25a53f5a1280762",
        "KUBERNETES_SERVICE_HOST=10.96.0.1", "pod=svapp-3b1d07c9e5a2f48b6c0d71-0_svc-app(5d0e2b17-8c4a)",
        "pod=web-7f9c4d8b6x2kq9zt4mw8r-abcde",
      ]),
    SecretRule(
      "base64-line", literals: [SecretRules.longBase64Run],
      regex: #"(?m)^[ \t]*\K[A-Za-z0-9+/]{40,}={0,2}(?=[ \t]*$)"#,
      accept: { candidate, _ in SecretShape.hasAllClasses(candidate) },
      examples: [
        // A PEM body line cited on its own, its BEGIN line elsewhere.
        .init(
          "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
          ["MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"])
      ],
      nearMisses: [
        "9f3349a9880eb1485ce417658b4d83b5852c5293c917cddd15b483748bbd9106",
        "sha256:1bfd6cac592f050db93bcda87c06e18c6b72be7219a6e888d25a53f5a1280762",
      ]),
  ]

  /// A pseudo-literal: the prefilter reports it when the text holds a run of at least 40 base64
  /// characters (a PEM body line, a bare key).
  package static let longBase64Run = "\u{0}base64-run"
}

/// Judgements about what a candidate value looks like, shared by the rules.
package enum SecretShape {
  /// Values that stand in for a secret rather than being one: empty, a mask another tool wrote,
  /// a variable reference, a format verb, `<set to the key …>`, `null`.
  package static func isPlaceholder(_ value: String) -> Bool {
    let t = trimmed(value)
    if t.isEmpty || t.contains("\u{2039}redacted:") || t.contains("***HIDDEN***") { return true }
    if t.allSatisfy({ "*xX•.#-_?".contains($0) }) { return true }
    if t.hasPrefix("$") || t.hasPrefix("<") || t.hasPrefix("{{") || t.hasPrefix("%") || t.hasPrefix("[") {
      return true
    }
    let words: Set<String> = [
      "null", "nil", "none", "true", "false", "redacted", "hidden", "undefined", "empty", "secret", "password",
      "token", "string", "required", "optional",
    ]
    return words.contains(t.lowercased())
  }

  /// `text` without leading and trailing ASCII whitespace (cheaper than Foundation's trimming,
  /// which the masker would call for every candidate).
  package static func trimmed(_ text: String) -> Substring {
    let isSpace = { (c: Character) in c == " " || c == "\t" || c == "\n" || c == "\r" }
    guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return text[first...last]
  }

  /// The credential name a match of the pair rules found, `x` in front when identifier
  /// characters precede it (`client_secret` is not the bare name `secret`).
  static func name(_ match: RegexMatch) -> String {
    (match["prefixed"] == nil ? "" : "x") + (match["name"] ?? "")
  }

  /// A Kubernetes object reference, which a diagnosis needs, not a credential: `namespace/name`
  /// after any name (klog's `secret="default/db-creds"`), or a name with a dash or dot after a
  /// name that is exactly `secret` (`secret=db-creds`).
  package static func isObjectName(_ value: String, name: String) -> Bool {
    let parts = value.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, parts.allSatisfy({ isDNSName(String($0)) }) else { return false }
    if parts.count == 2 { return true }
    let bare = name.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "-_.\"'"))
    return (bare == "secret" || bare == "secrets") && (value.contains("-") || value.contains("."))
  }

  private static func isDNSName(_ s: String) -> Bool {
    guard let first = s.utf8.first, let last = s.utf8.last else { return false }
    let ok = s.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x2E }
    return ok && first != 0x2D && last != 0x2D
  }

  /// For `name: value` without quotes, where prose uses colons too ("invalid token: expired"):
  /// the value is the last thing on its line (YAML, describe's environment), or it has a digit, an
  /// upper-case letter or a symbol and does not open another clause (`token: x509: …`).
  package static func isFieldValue(_ value: String, in match: RegexMatch) -> Bool {
    let bytes = Array(match.subject.utf8)
    var i = match.utf8Range.upperBound
    if value.hasSuffix(":") || (i < bytes.count && bytes[i] == UInt8(ascii: ":")) { return false }
    if value.hasPrefix("/") || value.contains("://") { return false }
    while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
    if i == bytes.count || bytes[i] == UInt8(ascii: "\n") || bytes[i] == UInt8(ascii: "\r") {
      return !value.allSatisfy(\.isNumber) || value.count >= 4
    }
    if value.allSatisfy(\.isNumber) { return false }
    return value.contains { $0.isNumber || $0.isUppercase || "!@#$%^&*+=~?".contains($0) }
  }

  /// Upper-case and lower-case letters and digits all present (random base64 of 40 characters
  /// nearly always has all three; hex digests and words do not).
  package static func hasAllClasses(_ value: String) -> Bool {
    var upper = false
    var lower = false
    var digit = false
    for b in value.utf8 {
      switch b {
      case 0x41...0x5A: upper = true
      case 0x61...0x7A: lower = true
      case 0x30...0x39: digit = true
      default: break
      }
    }
    return upper && lower && digit
  }

  /// Whether `value` looks like a generated credential rather than a name, a path, a version or a
  /// digest: a long unbroken segment (names and paths break at `.` `/` `-` `_` `:`) mixing letters
  /// and digits, not hex (digests, UIDs and container ids are hex).
  package static func isRandom(_ value: String, minimumLength: Int) -> Bool {
    var value = value
    return value.withUTF8 { isRandom($0, minimumLength: minimumLength) }
  }

  /// `isRandom` on the value's bytes (the random-value rule's byte search asks it of a candidate
  /// without making a `String` of it). A separator is found by its bit in two 64-bit masks, not
  /// by comparing each byte with an array of the six (about 900 instructions a candidate on a
  /// kubelet log's values; docs/architecture.md "Secrets"); `SecretShapeTests` keeps the array's
  /// loop as the reference.
  package static func isRandom(_ bytes: UnsafeBufferPointer<UInt8>, minimumLength: Int) -> Bool {
    guard bytes.count >= minimumLength else { return false }
    // `.` `-` `/` `:` (below 0x40) and `_` `~` (from 0x40 to 0x7F), one bit each.
    let below40: UInt64 = 1 << 0x2D | 1 << 0x2E | 1 << 0x2F | 1 << 0x3A
    let from40: UInt64 = 1 << (0x5F - 0x40) | 1 << (0x7E - 0x40)
    // The longest segment between separators, found without allocating.
    var best = 0..<0
    var segments = 0
    var start = 0
    for i in 0...bytes.count {
      if i < bytes.count {
        let b = bytes[i]
        let separator =
          b < 0x40 ? below40 >> UInt64(b) & 1 != 0 : b < 0x80 && from40 >> UInt64(b &- 0x40) & 1 != 0
        guard separator else { continue }
      }
      if i > start {
        segments += 1
        if i - start > best.count { best = start..<i }
      }
      start = i + 1
    }
    guard best.count >= 12 else { return false }
    var upper = false
    var lower = false
    var hexOnly = true
    var digits = 0
    var switches = 0
    var previousDigit: Bool?
    for b in bytes[best] {
      let isDigit = (0x30...0x39).contains(b)
      if isDigit { digits += 1 }
      if (0x41...0x5A).contains(b) { upper = true }
      if (0x61...0x7A).contains(b) { lower = true }
      if !isDigit && !(0x61...0x66).contains(b) && !(0x41...0x46).contains(b) { hexOnly = false }
      if let p = previousDigit, p != isDigit { switches += 1 }
      previousDigit = isDigit
    }
    // Digests, UIDs and container ids are hex; Kubernetes object names, host names and versions
    // are lower-case parts joined by `-` and `.`.
    if hexOnly || (segments > 1 && !upper) { return false }
    guard digits > 0, digits < best.count else { return false }
    return (upper && lower) || switches >= 4
  }
}
