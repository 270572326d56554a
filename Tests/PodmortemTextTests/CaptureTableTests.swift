import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `Regex.namedCapturePairs(in:then:)` takes a capture of 16 to 128 bytes from its scratch's table
/// of the strings its group made last when the bytes are the same (docs/architecture.md "Speed of
/// the kubelet-log path"). The reference is the code before, `ReferencePairs`: each named group's
/// bytes decoded on their own (`String(decoding:as:)`, as `firstMatch(in:)` still does), then the
/// pattern's `sets`; kept here so the table is held to it. Compared byte for byte (`==` would take a
/// precomposed `é` for `e` and an accent) on every shipped pattern's examples and on seeded
/// sequences that repeat values, near misses of one length and canonically equivalent spellings,
/// so held strings are met, replaced and collided with. `RecognitionSameTests` holds the catalog
/// to its reference (which reads `namedCaptures`) on every sample line.
@Suite struct CaptureTableTests {
  static let catalog = PatternCatalog.shipped(diagnostics: { _ in })
  static let extra = [KeyValue("set", "value")]

  /// The pairs as the code before made them, a string decoded for every capture.
  enum ReferencePairs {
    static func pairs(_ regex: Regex, _ text: String, _ extra: [KeyValue]) throws -> [KeyValue]? {
      try regex.firstMatch(in: text).map { $0.captures.map { KeyValue($0.name, $0.value) } + extra }
    }
  }

  static func bytes(_ pairs: [KeyValue]?) -> [[UInt8]]? {
    pairs.map { $0.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] } }
  }

  static func check(_ regex: Regex, _ text: String) {
    let new = Result { try regex.namedCapturePairs(in: text, then: extra) }
    let old = Result { try ReferencePairs.pairs(regex, text, extra) }
    switch (new, old) {
    case (.success(let n), .success(let o)):
      #expect(bytes(n) == bytes(o), "\(regex.pattern) on \(text.debugDescription)")
    case (.failure(let n), .failure(let o)):
      #expect(n as? RegexError == o as? RegexError, "\(regex.pattern) on \(text.debugDescription)")
    default:
      Issue.record("one threw, the other did not: \(regex.pattern) on \(text.debugDescription)")
    }
  }

  @Test func everyShippedExampleTwiceOver() {
    let patterns = Self.catalog.patterns
    let texts = patterns.flatMap { $0.examples.map(\.text) + $0.counterexamples }
    #expect(texts.count > 100)
    // Twice: the second time every held string is met again.
    for _ in 0..<2 {
      for pattern in patterns {
        for text in pattern.examples.map(\.text) + pattern.counterexamples { Self.check(pattern.regex, text) }
      }
    }
  }

  /// Values for the seeded texts: short and long, repeated, one byte apart at the same length,
  /// `é` precomposed and decomposed, a Kelvin sign beside a `K`, a dotted capital I, NUL, CR,
  /// tabs, past 128 bytes, and invalid UTF-8 (repaired when the text is made, as input is).
  static let values: [String] = {
    var values = [
      "", "a", "worker", String(repeating: "a", count: 40), "Liveness", String(repeating: "x", count: 15),
      String(repeating: "x", count: 16),
      String(repeating: "y", count: 16), "prod/app-a9488d-00011", "prod/app-a9488d-00012", "prod/app-a9488e-00011",
      "a9488d99-c5e7-4a15-fc37-daf6146d3f31", "a9488d99-c5e7-4a15-fc37-daf6146d3f32", "caf\u{E9}-pod-0000000001",
      "cafe\u{301}-pod-0000000001", "\u{212A}elvin-sign-pod-00001", "Kelvin-sign-pod-000001",
      "\u{130}stanbul-pod-000001",
      "nul\u{0}inside-the-value-00", "cr\rinside-the-value-000", "tab\tinside-the-value-00",
      String(repeating: "z", count: 127), String(repeating: "z", count: 128), String(repeating: "z", count: 129),
      String(repeating: "é", count: 64), String(repeating: "e\u{301}", count: 40), "🙂🙂🙂🙂🙂🙂",
      String(decoding: Array("cut-utf8-value-0000".utf8) + [0xE2, 0x80], as: UTF8.self),
    ]
    values += values.filter { $0.utf8.count > 16 }.map { String($0.dropLast()) + "Q" }
    return values
  }()

  /// Regexes that capture whatever lies between separators, so any value is a capture.
  static func regexes() throws -> [Regex] {
    [
      try Regex(#"^(?<a>[^|]*)\|(?<b>[^|]*)\|(?<c>[^|]*)$"#),
      try Regex(#"pod="(?<pod>[^"]*)" uid="(?<uid>[^"]*)"(?: extra="(?<extra>[^"]*)")?"#),
      try Regex(#"(?<one>[^|]+)\|(?<one2>[^|]+)?"#, caseless: true),
      try Regex(#"(?<p>[^|]+)\|\K(?<k>[^|]*)"#),
      // Catastrophic under a small match limit: a value of many `a`s not followed by `|` fails
      // with a limit error in both, and its captures are never made.
      try Regex(
        #"^(?<many>(?:a|a|[^|])+)+\|(?<rest>.*)$"#,
        limits: RegexLimits(matchLimit: 2_000, depthLimit: 1_000, heapLimitKiB: 1_000, jitStackBytes: 1 << 16)),
    ]
  }

  @Test(arguments: 0..<6)
  func seededRepeatsAreDecodedAsBefore(seed: UInt64) throws {
    let regexes = try Self.regexes()
    var rng = SplitMix64(seed: 24_016 + seed)
    let values = Self.values
    // A few values recur often (as a pod's name does), others rarely.
    let hot = (0..<4).map { _ in values[Int.random(in: 0..<values.count, using: &rng)] }
    func value() -> String {
      Int.random(in: 0..<3, using: &rng) < 2
        ? hot[Int.random(in: 0..<hot.count, using: &rng)] : values[Int.random(in: 0..<values.count, using: &rng)]
    }
    for _ in 0..<400 {
      let (a, b, c) = (value(), value(), value())
      var texts = [
        "\(a)|\(b)|\(c)", "pod=\"\(a)\" uid=\"\(b)\"", "pod=\"\(a)\" uid=\"\(b)\" extra=\"\(c)\"", "\(a)|\(b)",
      ]
      // Cut anywhere (repaired), so a value ends inside a character now and then.
      let whole = Array(texts[0].utf8)
      texts.append(String(decoding: whole.prefix(Int.random(in: 0...whole.count, using: &rng)), as: UTF8.self))
      for text in texts {
        for regex in regexes { Self.check(regex, text) }
      }
    }
  }

  /// Two threads matching one regex each take a scratch of their own: every answer is still the
  /// reference's.
  @Test func concurrentMatchesOfOneRegexAnswerAsBefore() async throws {
    let regex = try Self.regexes()[1]
    let texts = Self.values.flatMap { a in Self.values.prefix(8).map { "pod=\"\(a)\" uid=\"\($0)\"" } }
    await withTaskGroup(of: Int.self) { group in
      for _ in 0..<4 {
        group.addTask {
          var checked = 0
          for text in texts {
            let new = try? regex.namedCapturePairs(in: text, then: [])
            let old = try? ReferencePairs.pairs(regex, text, [])
            #expect(Self.bytes(new) == Self.bytes(old), "\(text.debugDescription)")
            checked += 1
          }
          return checked
        }
      }
      var total = 0
      for await checked in group { total += checked }
      #expect(total == 4 * texts.count)
    }
  }
}
