import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// A finding's evidence is ranked and deduplicated by sorting (`EvidenceRanking`), not through
/// `Set<Evidence>`. On seeded random lines (few sources and line numbers so that lines repeat,
/// texts with two spellings of one accent and a Kelvin sign, which `String` holds equal) the
/// ranking must be the `Set`-based one, byte for byte, and membership must be `Set`'s.
@Suite struct EvidenceRankingTests {

  private static let sources = ["a.txt", "b.log", "bundle.tar.gz!ns/x.json", "caf\u{E9}.txt", "cafe\u{301}.txt"]
  private static let texts = [
    "Warning  BackOff  kubelet  Back-off restarting failed container", "Ready: False", "", "caf\u{E9}",
    "cafe\u{301}", "K", "\u{212A}", "  State:  Waiting", "line\r", "x",
  ]

  private static func line(_ rng: inout SplitMix64) -> Evidence {
    let source = sources[Int(rng.next() % UInt64(sources.count))]
    let text = texts[Int(rng.next() % UInt64(texts.count))]
    return Evidence(ref: SourceRef(source: source, line: Int(rng.next() % 4)), text: text)
  }

  private static func lines(_ rng: inout SplitMix64) -> [Evidence] {
    (0..<Int(rng.next() % 24)).map { _ in line(&rng) }
  }

  /// What `RuleDescription.finding` computed before.
  private static func rankedBySet(decisive: [Evidence], evidence: [Evidence]) -> [Evidence] {
    let order: (Evidence, Evidence) -> Bool = { ($0.ref, $0.text) < ($1.ref, $1.text) }
    var first: [Evidence] = []
    var seen: Set<Evidence> = []
    for line in decisive where seen.insert(line).inserted { first.append(line) }
    return first + Set(evidence).subtracting(seen).sorted(by: order)
  }

  /// Equal and spelt with the same bytes.
  private static func same(_ a: [Evidence], _ b: [Evidence]) -> Bool {
    a.count == b.count
      && zip(a, b).allSatisfy { x, y in
        x.ref.line == y.ref.line && x.ref.source.utf8.elementsEqual(y.ref.source.utf8)
          && x.text.utf8.elementsEqual(y.text.utf8)
      }
  }

  @Test func rankingIsTheSetBasedRankingByteForByte() {
    var rng = SplitMix64(seed: 0xE51D_E1CE)
    for round in 0..<4000 {
      let decisive = Self.lines(&rng)
      let evidence = rng.next() % 4 == 0 ? decisive + Self.lines(&rng) : Self.lines(&rng)
      let expected = Self.rankedBySet(decisive: decisive, evidence: evidence)
      let ranked = EvidenceRanking.ranked(decisive: decisive, evidence: evidence)
      #expect(Self.same(ranked, expected), "round \(round): \(ranked) against \(expected)")
    }
  }

  @Test func membershipIsTheSetsMembership() {
    var rng = SplitMix64(seed: 0x5E7_0F_11E5)
    for round in 0..<4000 {
      let lines = Self.lines(&rng)
      let sorted = EvidenceRanking.Sorted(lines)
      let set = Set(lines)
      #expect(sorted.count == set.count, "round \(round)")
      for _ in 0..<8 {
        let probe = Self.line(&rng)
        #expect(sorted.contains(probe) == set.contains(probe), "round \(round): \(probe) in \(lines)")
      }
    }
  }

  /// Hostile texts: a Kelvin sign against a K, a dotted capital I, an accent composed and
  /// combining, NUL, CR, a tab, empty and 10,000 bytes.
  private static let hostileTexts = [
    "K", "\u{212A}", "\u{130}", "I", "caf\u{E9}", "cafe\u{301}", "nul\u{0}x", "a\rb", "tab\there", "",
    String(repeating: "x", count: 10_000),
  ]

  /// `lines` sorted by the reference order and each kept once: a list already in order, each
  /// line before the next, which `Sorted` keeps without positions or marks.
  private static func inOrder(_ lines: [Evidence]) -> [Evidence] {
    var out: [Evidence] = []
    for line in lines.sorted(by: { ($0.ref, $0.text) < ($1.ref, $1.text) }) {
      if let last = out.last, !((last.ref, last.text) < (line.ref, line.text)) { continue }
      out.append(line)
    }
    return out
  }

  /// Lists already in order, the common case `Sorted` answers without sorting: the ranking and
  /// membership are the `Set`s', byte for byte, on seeded lines with hostile texts.
  @Test func listsAlreadyInOrderRankAsTheSetBasedRanking() {
    var rng = SplitMix64(seed: 0x1D_0DE5)
    func line() -> Evidence {
      let source = Self.sources[Int(rng.next() % UInt64(Self.sources.count))]
      let text = Self.hostileTexts[Int(rng.next() % UInt64(Self.hostileTexts.count))]
      return Evidence(ref: SourceRef(source: source, line: Int(rng.next() % 6)), text: text)
    }
    var ordered = 0
    for round in 0..<4000 {
      let decisive = Self.inOrder((0..<Int(rng.next() % 12)).map { _ in line() })
      let more = (0..<Int(rng.next() % 12)).map { _ in line() }
      let evidence = rng.next() % 2 == 0 ? Self.inOrder(decisive + more) : decisive + Self.inOrder(more)
      if evidence.count > 1, zip(evidence, evidence.dropFirst()).allSatisfy(EvidenceRanking.precedes) { ordered += 1 }
      let expected = Self.rankedBySet(decisive: decisive, evidence: evidence)
      let ranked = EvidenceRanking.ranked(decisive: decisive, evidence: evidence)
      #expect(Self.same(ranked, expected), "round \(round)")
      let sorted = EvidenceRanking.Sorted(evidence)
      let set = Set(evidence)
      #expect(sorted.count == set.count, "round \(round)")
      for probe in more + [line(), line()] {
        #expect(sorted.contains(probe) == set.contains(probe), "round \(round)")
      }
    }
    #expect(ordered > 1_000)
  }

  @Test func emptyAndSingleLists() {
    let a = Evidence(ref: SourceRef(source: "a", line: 1), text: "x")
    #expect(EvidenceRanking.ranked(decisive: [], evidence: []).isEmpty)
    #expect(EvidenceRanking.ranked(decisive: [a, a], evidence: [a]) == [a])
    #expect(EvidenceRanking.ranked(decisive: [], evidence: [a, a]) == [a])
    #expect(!EvidenceRanking.Sorted([]).contains(a))
  }
}
