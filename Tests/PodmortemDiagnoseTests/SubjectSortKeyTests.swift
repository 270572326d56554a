import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// `Diagnoser.sorted` orders subjects by a description it builds itself (`Diagnoser.sortKey`, one
/// string of the right room) instead of `Subject.description` (an array joined, then
/// interpolated; issue 16, perf). `description` stays in `PodmortemModel`, unchanged, and is the
/// reference here: on seeded random subjects (each part nil, empty or built from hostile pieces:
/// a Kelvin sign, a dotted capital I, combining accents, CR, NUL, tabs, separators of its own) the
/// key must hold exactly its bytes, and the findings must sort as the plain comparator sorts them.
@Suite struct SubjectSortKeyTests {
  private static let pieces = [
    "a", "b", "web-0", "/", " ", "(", ")", " (", "\u{212A}", "K", "\u{130}", "e\u{301}", "\u{E9}", "\u{301}", "\r",
    "\r\n",
    "\u{0}", "\t", "日本", "kube-system", String(repeating: "x", count: 40),
  ]

  /// A part of a subject: nil, empty, or up to four of `pieces` (SortKeyBytesTests too).
  static func part(_ rng: inout SplitMix64, _ pieces: [String] = pieces) -> String? {
    switch rng.next() % 4 {
    case 0: return nil
    case 1: return ""
    default:
      var s = ""
      for _ in 0..<Int(rng.next() % 5) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
      return s
    }
  }

  private static func subject(_ rng: inout SplitMix64) -> Subject {
    Subject(namespace: part(&rng), pod: part(&rng), container: part(&rng), object: part(&rng))
  }

  @Test func keyHoldsTheDescriptionsBytes() {
    var rng = SplitMix64(seed: 16_172)
    for _ in 0..<20_000 {
      let s = Self.subject(&rng)
      #expect(Array(Diagnoser.sortKey(s).utf8) == Array(s.description.utf8), "\(s)")
    }
    for s in [Subject(), Subject(namespace: ""), Subject(pod: ""), Subject(object: ""), Subject(container: "")] {
      #expect(Array(Diagnoser.sortKey(s).utf8) == Array(s.description.utf8), "\(s)")
    }
  }

  @Test func findingsSortAsThePlainComparatorSortsThem() {
    var rng = SplitMix64(seed: 16_173)
    for round in 0..<300 {
      let findings = (0..<Int(rng.next() % 40)).map { i in
        Finding(
          ruleID: ["probe.liveness-failing", "crashloop.backoff"][Int(rng.next() % 2)], category: .volume,
          severity: Severity.allCases[Int(rng.next() % UInt64(Severity.allCases.count))],
          subject: Self.subject(&rng), title: ["", "t"][Int(rng.next() % 2)], explanation: "finding \(i)", remedy: "")
      }
      #expect(Diagnoser.sorted(findings) == Self.plainlySorted(findings), "round \(round)")
    }
  }

  /// `findings` in the plain comparator's order: most severe first, then by subject
  /// (`Subject.<`), rule id and title (FoldTablesTests too).
  static func plainlySorted(_ findings: [Finding]) -> [Finding] {
    findings.sorted {
      if $0.severity != $1.severity { return $0.severity > $1.severity }
      if $0.subject != $1.subject { return $0.subject < $1.subject }
      if $0.ruleID != $1.ruleID { return $0.ruleID < $1.ruleID }
      return $0.title < $1.title
    }
  }
}
