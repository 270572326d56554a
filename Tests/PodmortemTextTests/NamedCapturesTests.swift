import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `Regex.namedCaptures(in:)` is what recognition reads of a match (`MatchIndex.first`): it must be
/// `firstMatch(in:)?.captures`, name for name and byte for byte, on every regex and text
/// (docs/architecture.md "Speed of the kubelet-log path"). Seeded texts (SplitMix64): every
/// shipped pattern's examples and counterexamples, pieces of them spliced, and hostile bytes.
@Suite struct NamedCapturesTests {
  static let catalog = PatternCatalog.shipped(diagnostics: { _ in })

  /// Regexes with unnamed, optional, alternative and `\K` groups beside the shipped ones.
  static let extra = [
    #"(?<a>x)?(y)(?<b>z)?"#, #"(?<zeta>\d+)-(\d+)-(?<alpha>\d+)?"#, #"(?<p>a)b\K(?<c>c)?"#, #"^(?<w>\w*)$"#,
    #"(?<e>é|e\x{301})+"#, #"(a)|(?<only>b)"#,
  ]

  static func same(_ a: [(name: String, value: String)]?, _ b: [(name: String, value: String)]?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.count == b.count
      && zip(a, b).allSatisfy { $0.name == $1.name && Array($0.value.utf8) == Array($1.value.utf8) }
  }

  @Test(arguments: 0..<8)
  func namedCapturesAreTheFirstMatchsCaptures(seed: UInt64) throws {
    var rng = SplitMix64(seed: 16_000 + seed)
    let patterns = Self.catalog.patterns
    let texts = patterns.flatMap { $0.examples.map(\.text) + $0.counterexamples }
    let regexes = try patterns.map(\.regex) + Self.extra.map { try Regex($0) }
    let hostile = ["", "\r\n", "\u{0}", "é", "e\u{301}", "\u{212A}", "🙂", "\"", "\\", " ", "abc", "12-34-"]
    for _ in 0..<150 {
      var text = texts[Int.random(in: 0..<texts.count, using: &rng)]
      if Bool.random(using: &rng) {
        // Spliced: a piece of another text or a hostile piece, at a random byte (repaired).
        var bytes = Array(text.utf8)
        let other =
          Bool.random(using: &rng)
          ? texts[Int.random(in: 0..<texts.count, using: &rng)]
          : hostile[Int.random(in: 0..<hostile.count, using: &rng)]
        bytes.insert(contentsOf: Array(other.utf8), at: Int.random(in: 0...bytes.count, using: &rng))
        text = String(decoding: bytes, as: UTF8.self)
      }
      for regex in regexes {
        let old = try? regex.firstMatch(in: text)
        let new = try? regex.namedCaptures(in: text)
        #expect(Self.same(old?.captures, new), "\(regex.pattern) on \(text)")
      }
    }
  }

  @Test func aMatchWithoutNamedGroupsCapturesNothing() throws {
    let regex = try Regex(#"(a)(b)"#)
    #expect(try regex.namedCaptures(in: "xab")?.isEmpty == true)
    #expect(try regex.namedCaptures(in: "xa") == nil)
  }
}
