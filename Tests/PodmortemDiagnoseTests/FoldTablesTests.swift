import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// What the fold and the sorts read without hashing or writing again (docs/architecture.md
/// "Diagnosis: read a pod once"): `AbsorbTable` against the dictionary of sets it replaces, and
/// the fold and the sort of findings in runs of subjects spelled apart yet equal.
@Suite struct FoldTablesTests {
  /// Hostile spellings: canonically equal pairs (a Kelvin sign and `K`, a composed and a
  /// combining accent, a dotted capital I and its decomposition), NUL, CR, a tab, empty, long.
  private static let pieces = [
    "a", "b", "K", "\u{212A}", "\u{E9}", "e\u{301}", "\u{130}", "I\u{307}", "\u{0}", "\r", "\r\n", "\t", ";",
    "\u{37E}", "`", "\u{1FEF}", "-", ".", "日本", String(repeating: "x", count: 300),
  ]

  private static func text(_ rng: inout SplitMix64) -> String {
    var s = ""
    for _ in 0..<Int(rng.next() % 4) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
    return s
  }

  /// The dictionary the Diagnoser builds from its rules, as it builds it.
  private static func dictionary(_ rules: [any DiagnosisRule]) -> [String: Set<String>] {
    Dictionary(rules.map { ($0.description.id, Set($0.description.absorbs)) }) { a, b in a.union(b) }
  }

  /// `table.entry` and `table.absorbs` give the dictionary's and the sets' answers for `asked`.
  private static func check(_ dictionary: [String: Set<String>], asked: [String], _ note: String) {
    let table = AbsorbTable(dictionary)
    for id in asked {
      let entry = table.entry(id)
      let set = dictionary[id]
      #expect((entry != nil) == (set.map { !$0.isEmpty } ?? false), "\(note) \(Array(id.unicodeScalars))")
      guard let entry, let set else { continue }
      for other in asked {
        #expect(table.absorbs(entry, other) == set.contains(other), "\(note) \(Array(other.unicodeScalars))")
      }
    }
  }

  @Test func absorbTableAnswersAsTheShippedRulesDictionary() {
    let dictionary = Self.dictionary(RuleCatalog.all)
    var asked = Array(dictionary.keys) + dictionary.values.flatMap { $0 }
    // Spelled apart: upper case, a Kelvin sign for a `k`'s upper case, one byte off, empty.
    asked += asked.map { $0.uppercased() } + asked.map { $0 + "\u{0}" } + asked.map { String($0.dropLast()) }
    asked += ["", "container.\u{212A}ernel-oom-kill", "CONTAINER.KERNEL-OOM-KILL", "container.exit-code\r"]
    Self.check(dictionary, asked: asked, "shipped")
    #expect(dictionary.values.flatMap { $0 }.allSatisfy(AbsorbTable.isPlainASCII))
  }

  @Test func absorbTableAnswersAsSeededHostileDictionaries() {
    var rng = SplitMix64(seed: 36_016)
    for round in 0..<600 {
      var ids: [String] = []
      for _ in 0..<Int(rng.next() % 12) { ids.append(Self.text(&rng)) }
      var dictionary: [String: Set<String>] = [:]
      for id in ids {
        var set = Set<String>()
        for _ in 0..<Int(rng.next() % 4) { set.insert(ids.isEmpty ? "" : ids[Int(rng.next() % UInt64(ids.count))]) }
        if rng.next() % 3 == 0 { set.insert(Self.text(&rng)) }
        dictionary[id, default: []].formUnion(set)
      }
      var asked = ids
      for _ in 0..<8 { asked.append(Self.text(&rng)) }
      Self.check(dictionary, asked: asked, "round \(round)")
    }
  }

  /// `isPlainASCII` says a text has no other spelling: then each of the pieces `==` to it is it.
  @Test func plainASCIITextsHaveNoOtherSpelling() {
    for a in Self.pieces {
      for b in Self.pieces where a == b && AbsorbTable.isPlainASCII(a) {
        #expect(Array(a.utf8) == Array(b.utf8), "\(Array(a.unicodeScalars)) \(Array(b.unicodeScalars))")
      }
    }
    #expect(!AbsorbTable.isPlainASCII("K") && !AbsorbTable.isPlainASCII(";") && !AbsorbTable.isPlainASCII("`"))
    #expect(!AbsorbTable.isPlainASCII("\u{E9}") && AbsorbTable.isPlainASCII("") && AbsorbTable.isPlainASCII("a.b-c"))
  }

  /// Findings in runs of equal subjects, each run's subjects spelled apart yet `==` (a Kelvin
  /// sign for `K`, a combining accent for a composed one), with hostile parts.
  private static func findingsInRuns(_ rng: inout SplitMix64) -> [Finding] {
    var out: [Finding] = []
    let runs = Int(rng.next() % 30)
    for _ in 0..<runs {
      let tail = text(&rng)
      let named = rng.next() % 5 != 0
      let plain = Subject(
        namespace: rng.next() % 4 == 0 ? nil : "ns" + text(&rng), pod: named ? "K\u{E9}" + tail : nil,
        container: rng.next() % 2 == 0 ? nil : "c" + text(&rng), object: rng.next() % 6 == 0 ? "node/n" : nil)
      var other = plain
      if named { other.pod = "\u{212A}e\u{301}" + tail }
      for _ in 0..<(1 + Int(rng.next() % 5)) {
        out.append(
          Finding(
            ruleID: ["probe.liveness-failing", "crashloop.backoff", "container.exit-code"][Int(rng.next() % 3)],
            category: .volume, severity: Severity.allCases[Int(rng.next() % UInt64(Severity.allCases.count))],
            subject: rng.next() % 2 == 0 ? plain : other, title: ["", "t"][Int(rng.next() % 2)],
            explanation: "finding \(out.count)", remedy: ""))
      }
    }
    return out
  }

  @Test func foldAndSortOfRunsOfEqualSubjectsAreTheReferences() {
    var rng = SplitMix64(seed: 36_017)
    for round in 0..<400 {
      let findings = Self.findingsInRuns(&rng)
      #expect(Diagnoser.sorted(findings) == SubjectSortKeyTests.plainlySorted(findings), "round \(round)")
      let fold = Diagnoser().foldInOrder(findings).findings
      #expect(
        fold == DiagnoserInPlaceTests.referenceFold(findings, table: Self.dictionary(RuleCatalog.all)), "round \(round)"
      )
    }
  }
}
