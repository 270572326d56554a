import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `PatternCatalog.firstMatch` answers as the code before its shortcuts (the matchers looked at in
/// order before the literal walk, anchored regexes passed over when the text does not begin with
/// their start: docs/architecture.md "Speed of the kubelet-log path"): the first pattern of the
/// kind, in the catalog's order, whose literals all occur (`Literal.occurs`) and whose regex
/// matches, each regex run at most once, so a regex that meets its match limit is counted once
/// per text it was run on, as before. The reference is that loop, kept here. Checked on a catalog
/// of anchored, unanchored, literal-free and catastrophic patterns, ordered so that texts are
/// answered in the look in order, after it, and by the walk from every place the look can stop,
/// on seeded texts spliced from their pieces and hostile bytes; and on the shipped kinds.
@Suite struct LookInOrderTests {
  /// A limit a catastrophic regex meets within a few thousand steps.
  static let low = RegexLimits(matchLimit: 2_000, depthLimit: 2_000, heapLimitKiB: 20_000, jitStackBytes: 1 << 20)

  static func pattern(_ id: String, _ literals: [String], _ regex: String, limited: Bool = false) throws -> Pattern {
    let compiled = try Regex(regex, limits: limited ? low : .standard)
    return Pattern(
      id: id, kinds: [.kubelet], literals: literals, regex: compiled, file: "test", sets: [KeyValue("set", id)])
  }

  /// Met in this order; the two `stuck` ones meet their limit on a run of `x` or `q` with no
  /// match after it (their last byte, `y` or `r`, occurs further on, so PCRE2 does not rule the
  /// text out before it starts).
  static func patterns() throws -> [Pattern] {
    try [
      pattern("alpha", ["Alpha"], #"^"Alpha (?<a>\w+)"#),
      pattern("stuck-open", ["xx"], #"(?:x|x)+y"#, limited: true),
      pattern("beta", ["Beta", "zz"], #"^"Beta" (?<b>\w+)"#),
      pattern("free", [], #"^(?:"Gamma|Delta)(?<g>\w*)"#),
      pattern("omega", ["Omega"], #"Omega (?<o>\d+)"#),
      pattern("stuck-anchored", ["Beta"], #"^"Beta" (?:q|q)+r"#, limited: true),
      pattern("epsilon", ["Epsilon", "ps"], #"(?<e>Epsilon)"#),
      pattern("waiting", [": "], #"^(?<r>Err|Img)\w*: (?<rest>.*)$"#),
      pattern("alpha-late", [], #"^"Alpha(?<late>.*)$"#),
      pattern("open-late", ["Late", "te"], #"Late(?<l>\w+)"#),
      pattern("last", ["Z"], #"(?<z>Z+)"#),
    ]
  }

  /// The first match as it was made: each pattern in order, its literals, then its regex.
  static func reference(_ patterns: [Pattern], _ text: String, _ failures: inout [String: Int]) -> [[UInt8]]? {
    for pattern in patterns where pattern.passesPrefilter(text) {
      do {
        if let found = try pattern.regex.namedCaptures(in: text) {
          let captures = found.map { KeyValue($0.name, $0.value) } + pattern.sets
          return bytes(PatternHit(patternID: pattern.id, captures: captures))
        }
      } catch {
        failures[pattern.id, default: 0] += 1
      }
    }
    return nil
  }

  /// `count` texts made by `text`, each looked up in a catalogue of `patterns` as the kubelet kind
  /// and compared with the reference loop, hit byte for byte; then every limit failure counted as
  /// often as the reference met it. The reference's failures and the number of hits.
  static func compared(
    _ patterns: [Pattern], texts count: Int, _ text: () -> String
  ) -> (failures: [String: Int], hits: Int) {
    let catalog = PatternCatalog(patterns: patterns)
    var expected: [String: Int] = [:]
    var hits = 0
    for _ in 0..<count {
      let text = text()
      let old = reference(patterns, text, &expected)
      #expect(bytes(catalog.firstMatch(text, kind: .kubelet)) == old, "\(text.debugDescription)")
      if old != nil { hits += 1 }
    }
    let counted = Dictionary(uniqueKeysWithValues: catalog.matchFailures.map { ($0.id, $0.count) })
    #expect(counted == expected)
    return (expected, hits)
  }

  static func bytes(_ hit: PatternHit?) -> [[UInt8]]? {
    hit.map { hit in [Array(hit.patternID.utf8)] + hit.captures.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] } }
  }

  static let pieces = [
    #""Alpha "#, #""Alpha"#, #""Beta" "#, "Beta", "zz", "Omega 12", "Omega x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx!",
    "y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx!y", #""Beta" qqqqqqqqqqqqqqqqqqqqqqqqqqqq!r"#,
    "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", "Epsilon", "ps", ": ", "Err", "Img", #""Gamma"#, "Delta", "Late", "Lateral",
    "te", "Z", "ZZ", "word", " ", #"""#, "\u{0}", "\r", "\t", "\u{212A}", "\u{130}", "e\u{301}", "é", "",
  ]

  static func text(_ rng: inout SplitMix64) -> String {
    (0..<(1 + rng.below(6))).map { _ in pieces[rng.below(pieces.count)] }.joined()
  }

  @Test(arguments: 0..<4)
  func firstMatchIsTheFirstPatternInOrder(seed: UInt64) throws {
    var rng = SplitMix64(seed: 32_300 + seed)
    let (expected, hits) = Self.compared(try Self.patterns(), texts: 1_000) { Self.text(&rng) }
    #expect(expected["stuck-open", default: 0] >= 5)
    #expect(expected["stuck-anchored", default: 0] >= 5)
    #expect(hits > 300)
  }

  /// The shipped kinds, on their patterns' examples and counterexamples and texts spliced from
  /// them with hostile pieces, against the same loop (no details: `RecognitionSameTests` in the
  /// ingest tests holds those).
  @Test(arguments: 0..<2)
  func shippedKindsAnswerAsTheLoopInOrder(seed: UInt64) {
    var rng = SplitMix64(seed: 32_400 + seed)
    let shipped = PatternCatalog.shipped(diagnostics: { _ in })
    let plain = PatternCatalog(
      patterns: shipped.patterns.map { pattern in
        Pattern(
          id: pattern.id, kinds: pattern.kinds, literals: pattern.literals.map(\.text), regex: pattern.regex,
          file: pattern.file, detail: pattern.detail, sets: pattern.sets)
      })
    let examples = shipped.patterns.flatMap { $0.examples.map(\.text) + $0.counterexamples }
    var unused: [String: Int] = [:]
    for kind in PatternKind.allCases {
      let ofKind = plain.patterns.filter { $0.kinds.contains(kind) && $0.detail == nil }
      for _ in 0..<300 {
        var text = examples[rng.below(examples.count)]
        if rng.below(2) == 0 { text = Self.pieces[rng.below(Self.pieces.count)] + text }
        if rng.below(3) == 0 { text += examples[rng.below(examples.count)] }
        #expect(
          Self.bytes(plain.firstMatch(text, kind: kind)) == Self.reference(ofKind, text, &unused),
          "\(kind): \(text.debugDescription)")
      }
    }
  }
}
