import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// `Diagnoser.sorted` compares ASCII sort keys as bytes in one buffer (`SortKeyBytes`) instead of
/// as strings of their own (docs/architecture.md "Diagnosis: read a pod once"). The references:
/// `Diagnoser.sortKey`'s bytes for each key, the strings' `<` and `==` for each comparison, and
/// the plain comparator (`Subject.<`) for the order; on ASCII subjects, which take the bytes, and
/// on hostile ones (a Kelvin sign, a dotted capital I, composed and combining accents, NUL, CR,
/// a tab, DEL), which send the sort back to the strings.
@Suite struct SortKeyBytesTests {
  private static let ascii = [
    "a", "b", "web-0", "/", " ", "(", ")", " (", "K", "k", "\u{0}", "\r", "\r\n", "\t", "\u{7F}", "~", "0",
    "kube-system", String(repeating: "x", count: 40),
  ]
  private static let hostile = ["\u{212A}", "\u{130}", "e\u{301}", "\u{E9}", "\u{301}", "日本", "\u{80}"]

  private static func subject(_ rng: inout SplitMix64, _ pieces: [String]) -> Subject {
    let part = SubjectSortKeyTests.part
    return Subject(
      namespace: part(&rng, pieces), pod: part(&rng, pieces), container: part(&rng, pieces), object: part(&rng, pieces))
  }

  private static func findings(_ rng: inout SplitMix64, count: Int, _ pieces: [String]) -> [Finding] {
    // A few subjects shared, so keys tie and the later comparisons decide.
    let subjects = (0..<(1 + count / 3)).map { _ in subject(&rng, pieces) }
    return (0..<count).map { i in
      Finding(
        ruleID: ["probe.liveness-failing", "crashloop.backoff", "exit.nonzero"][Int(rng.next() % 3)],
        category: .volume, severity: Severity.allCases[Int(rng.next() % UInt64(Severity.allCases.count))],
        subject: subjects[Int(rng.next() % UInt64(subjects.count))], title: ["", "t", "u"][Int(rng.next() % 3)],
        explanation: "finding \(i)", remedy: "")
    }
  }

  @Test func bytesAreTheKeysAndCompareAsTheStrings() {
    var rng = SplitMix64(seed: 36_018)
    for round in 0..<300 {
      let findings = Self.findings(&rng, count: Int(rng.next() % 30), Self.ascii)
      guard let keys = SortKeyBytes(findings) else {
        Issue.record("round \(round): ASCII keys refused")
        continue
      }
      let strings = findings.map { Diagnoser.sortKey($0.subject) }
      keys.withKeys { k in
        for i in findings.indices {
          #expect(k.key(i) == Array(strings[i].utf8), "round \(round) \(i)")
          #expect(SortKeyBytes.length(findings[i].subject) == strings[i].utf8.count)
          for j in findings.indices {
            let c = k.compare(i, j)
            #expect((c < 0) == (strings[i] < strings[j]), "round \(round) \(i) \(j)")
            #expect((c == 0) == (strings[i] == strings[j]), "round \(round) \(i) \(j)")
          }
        }
      }
    }
  }

  @Test func aKeyPastASCIISendsTheSortBackToTheStrings() {
    var rng = SplitMix64(seed: 36_019)
    var refused = 0
    for round in 0..<300 {
      let findings = Self.findings(&rng, count: 1 + Int(rng.next() % 30), Self.ascii + Self.hostile)
      let pastASCII = findings.contains { Diagnoser.sortKey($0.subject).utf8.contains { $0 >= 0x80 } }
      #expect((SortKeyBytes(findings) == nil) == pastASCII, "round \(round)")
      if pastASCII { refused += 1 }
    }
    #expect(refused > 50)
  }

  @Test func findingsSortAsThePlainComparatorSortsThem() {
    var rng = SplitMix64(seed: 36_020)
    for round in 0..<300 {
      let pieces = round % 2 == 0 ? Self.ascii : Self.ascii + Self.hostile
      let findings = Self.findings(&rng, count: Int(rng.next() % 40), pieces)
      #expect(Diagnoser.sorted(findings) == SubjectSortKeyTests.plainlySorted(findings), "round \(round)")
    }
    // Long lists, where the sort merges runs.
    for round in 0..<20 {
      let findings = Self.findings(&rng, count: 300 + round * 40, Self.ascii)
      #expect(Diagnoser.sorted(findings) == SubjectSortKeyTests.plainlySorted(findings), "long round \(round)")
    }
  }
}
