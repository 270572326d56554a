import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// One of `values`, chosen by `rng`.
private func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[Int(rng.next() % UInt64(values.count))] }

/// Findings from a small alphabet, so severities, subjects, rule ids and titles tie often, and some
/// different subjects share a description (`a/b` is both namespace a pod b and the object `a/b`).
/// Each explanation is unique: it tells apart findings the order cannot, so a test sees ties' order.
private func findings(_ count: Int, seed: UInt64) -> [Finding] {
  var rng = SplitMix64(seed: seed)
  let subjects = [
    Subject(namespace: "a", pod: "b"), Subject(object: "a/b"), Subject(namespace: "a", pod: "b", container: "c"),
    Subject(namespace: "a", pod: "bb"), Subject(pod: "b"), Subject(object: "node/n1"), Subject(),
  ]
  return (0..<count).map { i in
    Finding(
      ruleID: pick(["probe.liveness-failing", "crashloop.backoff", "exit.nonzero"], &rng),
      category: .volume, severity: pick(Severity.allCases, &rng),
      subject: pick(subjects, &rng), title: pick(["", "t", "u"], &rng),
      explanation: "finding \(i)", remedy: "")
  }
}

/// The order as first written: the plain comparator, subjects compared by `Subject.<`.
private func reference(_ findings: [Finding]) -> [Finding] { SubjectSortKeyTests.plainlySorted(findings) }

@Test func sortedOrdersFindingsExactlyAsThePlainComparatorDoes() {
  for seed in UInt64(0)..<200 {
    let input = findings(Int(seed % 40), seed: seed)
    #expect(Diagnoser.sorted(input) == reference(input), "seed \(seed)")
  }
}

/// `Diagnoser.rank` orders severities as `Severity`'s `<` does, on every pair.
@Test func severityRanksAreTheSeveritiesOrder() {
  for a in Severity.allCases {
    for b in Severity.allCases {
      #expect((Diagnoser.rank(a) < Diagnoser.rank(b)) == (a < b), "\(a) \(b)")
      #expect((Diagnoser.rank(a) == Diagnoser.rank(b)) == (a == b), "\(a) \(b)")
    }
  }
}

/// Long lists, where the sort merges runs and compares far more often, against the plain
/// comparator: severities, subjects (some sharing a description), rule ids and titles tie often.
@Test func sortedOrdersLongListsAsThePlainComparatorDoes() {
  for seed in UInt64(1_000)..<1_040 {
    let input = findings(200 + Int(seed % 7) * 150, seed: seed)
    #expect(Diagnoser.sorted(input) == reference(input), "seed \(seed)")
  }
}

@Test func foldLeavesASingleFindingAsItIs() {
  let diagnoser = Diagnoser()
  #expect(diagnoser.fold([]).isEmpty)
  for seed in UInt64(0)..<20 {
    let one = findings(1, seed: seed)
    #expect(diagnoser.fold(one) == one, "seed \(seed)")
  }
}

/// The containers of a pod known only from events, as first written: each event's object read
/// field by field.
private func referenceContainers(_ pod: PodHistory) -> [String] {
  var order: [(name: String, role: ContainerSnapshot.Role)] = []
  func add(_ name: String?, _ role: ContainerSnapshot.Role = .container) {
    guard let name, !name.isEmpty else { return }
    if let i = order.firstIndex(where: { $0.name == name }) {
      if role == .initContainer { order[i].role = role }
    } else {
      order.append((name, role))
    }
  }
  for event in pod.events {
    let role: ContainerSnapshot.Role =
      event.involved.fieldPath?.hasPrefix("spec.initContainers") == true ? .initContainer : .container
    add(event.containerName ?? event.capture("container"), role)
  }
  if order.isEmpty, !pod.events.isEmpty { add(ContainerSnapshot.unknownName) }
  return order.map { "\($0.name) \($0.role)" }
}

@Test func containersOfAnEventsOnlyPodAreThoseTheFieldByFieldReadingFinds() {
  let paths: [String?] = [
    nil, "spec.containers{web}", "spec.initContainers{init}", "spec.initContainers{web}", "spec.containers{}",
    "spec.containers{", "spec.containers}web{", "spec.containers{side}", "{x}",
  ]
  for seed in UInt64(0)..<200 {
    var rng = SplitMix64(seed: seed)
    let events = (0..<Int(seed % 7)).map { _ in
      var event = MergedEvent(
        involved: ObjectRef(
          kind: "Pod", namespace: "ns", name: "p", fieldPath: pick(paths, &rng)),
        type: .warning, reason: "BackOff", message: "m", count: 1)
      if let name = pick(["web", "side", "", nil], &rng), Bool.random(using: &rng) {
        event.captures = [KeyValue("container", name)]
      }
      return event
    }
    let pod = PodHistory(
      key: PodKey(namespace: "ns", name: "p"), snapshots: [], latest: PodSnapshot(name: "p", namespace: "ns"),
      events: events)
    let found = pod.containers([.container, .initContainer]).map { "\($0.name) \($0.role)" }
    #expect(found == referenceContainers(pod), "seed \(seed)")
  }
}

/// `ProbeFailures.probeType` spells each kind out; the reference is the table it replaces, built
/// from the kinds' raw values, kept here to hold every kind (one added later included) to it.
@Test func probeTypesAreTheKindsCapitalised() {
  let reference = Dictionary(
    uniqueKeysWithValues: ProbeSpec.Kind.allCases.map {
      ($0, $0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst())
    })
  for kind in ProbeSpec.Kind.allCases { #expect(ProbeFailures.probeType(kind) == reference[kind]) }
  #expect(ProbeSpec.Kind.allCases.map(ProbeFailures.probeType) == ["Liveness", "Readiness", "Startup"])
}

/// A pod's folded findings are sorted again only when `foldInOrder` says the fold's order is not
/// the sorted one. The reference is the chain as first written, `sorted(fold(findings))`: the
/// same list on seeded findings whose rules absorb one another (so severities are raised), whose
/// severities, subjects, rule ids and titles tie, and whose different subjects share a
/// description (`a/b` as a namespace and pod and as an object).
@Test func foldInOrderSortsAgainOnlyWhenSortingWouldMoveAFinding() {
  let diagnoser = Diagnoser()
  let rules = [
    "probe.liveness-failing", "crashloop.backoff", "container.exit-code", "probe.readiness-failing",
    "container.oom-killed", "init.container-failing", "container.kernel-oom-kill", "pod.evicted",
  ]
  let subjects = [
    Subject(namespace: "a", pod: "b"), Subject(object: "a/b"), Subject(namespace: "a", pod: "b", container: "c"),
    Subject(namespace: "a", pod: "b", container: "d"), Subject(container: "c", object: "a/b"),
    Subject(namespace: "a", pod: "b", container: "\u{212A}"), Subject(namespace: "a", pod: "b", container: "e\u{301}"),
  ]
  var inOrder = 0
  var sortedAgain = 0
  for seed in UInt64(0)..<3_000 {
    var rng = SplitMix64(seed: seed)
    let input = (0..<rng.below(9)).map { i in
      Finding(
        ruleID: pick(rules, &rng), category: .volume, severity: pick(Severity.allCases, &rng),
        subject: pick(subjects, &rng), title: pick(["", "t", "u"], &rng), explanation: "finding \(i)", remedy: "",
        facts: [KeyValue("n", "\(i)")])
    }
    let pass = diagnoser.foldInOrder(input)
    let chain = pass.inOrder ? pass.findings : Diagnoser.sorted(pass.findings)
    #expect(chain == Diagnoser.sorted(diagnoser.fold(input)), "seed \(seed)")
    #expect(pass.findings == diagnoser.fold(input), "seed \(seed)")
    if pass.inOrder { inOrder += 1 } else { sortedAgain += 1 }
  }
  // Both ways are taken.
  #expect(inOrder > 100)
  #expect(sortedAgain > 10)
}

/// `Diagnoser.permuted` moves items along a permutation's cycles; the reference is the `map` it
/// replaces, on seeded permutations of findings (fixed points, one long cycle, many short ones)
/// and of their sort keys, and on lists of positions that are not a permutation (repeated or
/// missing indices), which it answers by the `map` itself.
@Test func permutedIsTheMapItReplaces() {
  var rng = SplitMix64(seed: 0x9E12_3A7)
  for seed in UInt64(0)..<600 {
    let input = findings(Int(seed % 70), seed: seed)
    var positions = Array(input.indices)
    switch seed % 3 {
    case 0: positions.reverse()
    case 1:
      // Fisher–Yates
      for i in positions.indices.reversed() where i > 0 { positions.swapAt(i, rng.below(i + 1)) }
    default:
      // Neighbours swapped: cycles of two, some fixed points.
      for i in stride(from: 1, to: positions.count, by: 3) { positions.swapAt(i - 1, i) }
    }
    let reference = positions.map { input[$0] }
    #expect(Diagnoser.permuted(input, positions) == reference, "seed \(seed)")
    let keys = input.map { Diagnoser.sortKey($0.subject) }
    #expect(Diagnoser.permuted(keys, positions) == positions.map { keys[$0] }, "seed \(seed)")
  }
  let five = findings(5, seed: 7)
  for positions in [[0, 0, 1, 2, 3], [4, 3, 2, 1], [2, 2, 2, 2, 2], [], [1, 0, 3, 2, 4, 0]] {
    #expect(Diagnoser.permuted(five, positions) == positions.map { five[$0] }, "\(positions)")
  }
}

/// `Diagnoser.keepingCauses` moves the kept findings to the front and drops the rest: the filter
/// it replaces, on seeded lists and marks (none kept, all kept, every other).
@Test func keepingCausesIsTheFilter() {
  var rng = SplitMix64(seed: 0xCA05E5)
  for seed in UInt64(0)..<600 {
    let input = findings(Int(seed % 40), seed: seed)
    let keep: [Bool] =
      switch seed % 4 {
      case 0: input.map { _ in false }
      case 1: input.map { _ in true }
      default: input.map { _ in rng.below(3) != 0 }
      }
    var kept = input
    Diagnoser.keepingCauses(&kept, keep)
    #expect(kept == zip(input, keep).filter(\.1).map(\.0), "seed \(seed)")
  }
}

/// The containers of a pod known only from its log records, as first written: the records read
/// through `PodLogs`' own iteration, a record's `container` else its `containerName` field.
private func referenceLogContainers(_ pod: PodHistory) -> [String] {
  var order: [String] = []
  for log in pod.logs {
    guard let name = log.container ?? log.field("containerName"), !name.isEmpty else { continue }
    if !order.contains(where: { $0 == name }) { order.append(name) }
  }
  if order.isEmpty, pod.logs.contains(where: { $0.patternID != nil }) { order.append(ContainerSnapshot.unknownName) }
  return order
}

/// A pod known from kubelet lines alone names its containers by the records' `container`, else
/// their `containerName` field, read in place (`PodLogs.packed`); the reference reads them
/// through the list's iteration, on seeded pods with hostile names (a Kelvin sign against a K,
/// a dotted capital I, an accent composed and combining, NUL, CR, a tab, empty, 10,000 bytes).
@Test func containersOfALogsOnlyPodAreThoseTheListsIterationFinds() {
  let names: [String?] = [
    nil, "", "web", "K\u{212A}", "KK", "\u{130}stanbul", "cafe\u{301}", "caf\u{E9}", "a\rb", "nul\u{0}x", "tab\there",
    String(repeating: "w", count: 10_000),
  ]
  var named = 0
  for seed in UInt64(0)..<1_000 {
    var rng = SplitMix64(seed: seed)
    let logs = (0..<rng.below(9)).map { i in
      var log = LogRecord(
        origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "k.log", line: i + 1), text: "l \(i)")
      )
      log.container = pick(names, &rng)
      if let field = pick(names, &rng) { log.fields = [KeyValue("containerName", field)] }
      if rng.below(2) == 0 { log.patternID = pick(["kubelet.probe-failed", "kubelet.x"], &rng) }
      return log
    }
    let pod = PodHistory(
      key: PodKey(namespace: "ns", name: "p"), snapshots: [], latest: PodSnapshot(name: "p", namespace: "ns"),
      logs: PodLogs(logs))
    let found = pod.containers([.container, .initContainer]).map(\.name)
    #expect(found.elementsEqual(referenceLogContainers(pod)) { $0.utf8.elementsEqual($1.utf8) }, "seed \(seed)")
    #expect(pod.preparedForRules().containers().map(\.name) == found, "seed \(seed)")
    if found.contains(where: { $0 != ContainerSnapshot.unknownName }) { named += 1 }
  }
  #expect(named > 300)
}

/// Texts equal as Swift compares them yet spelled apart (a Kelvin sign and a K, an accent
/// composed and combining), a dotted capital I, NUL, CR, a tab, empty and 10,000 bytes.
private let hostileTexts = [
  "K", "\u{212A}", "caf\u{E9}", "cafe\u{301}", "\u{130}", "I", "nul\u{0}x", "a\rb", "tab\there", "",
  String(repeating: "x", count: 10_000),
]

/// `Diagnoser.lacking` compares a few lines pair by pair and searches more sorted: the sorted
/// search it replaces (`EvidenceRanking.Sorted.contains`), on seeded lines with hostile texts,
/// few and many (past `pairsCompared`), repeated and spelled apart.
@Test func lackingIsTheSortedSearch() {
  var rng = SplitMix64(seed: 0x1AC_4196)
  var compared = 0
  var searched = 0
  for round in 0..<3_000 {
    let sources = ["a.txt", "b.log", "caf\u{E9}.txt", "cafe\u{301}.txt"]
    func lines(_ n: Int) -> [Evidence] {
      (0..<n).map { _ in
        Evidence(ref: SourceRef(source: pick(sources, &rng), line: rng.below(4)), text: pick(hostileTexts, &rng))
      }
    }
    let big = round % 5 == 0
    let known = lines(rng.below(big ? 120 : 12))
    let asked = lines(rng.below(big ? 120 : 12)) + (rng.below(2) == 0 ? Array(known.prefix(3)) : [])
    let sorted = EvidenceRanking.Sorted(known)
    let reference = asked.filter { !sorted.contains($0) }
    let found = Diagnoser.lacking(asked, in: known)
    #expect(found == reference, "round \(round)")
    #expect(found.map { Array($0.text.utf8) } == reference.map { Array($0.text.utf8) }, "round \(round)")
    if known.count * asked.count <= Diagnoser.pairsCompared { compared += 1 } else { searched += 1 }
  }
  #expect(compared > 1_000)
  #expect(searched > 300)
}

/// `Diagnoser.sameLine` is `precedes` asked both ways: every pair of seeded lines with hostile
/// sources and texts (spelled apart yet equal as Swift compares them) and line numbers from
/// `Int.min` to `Int.max`.
@Test func sameLineIsNeitherPrecedes() {
  var rng = SplitMix64(seed: 0x5A3E_11E)
  let sources = ["a.txt", "b.log", "caf\u{E9}.txt", "cafe\u{301}.txt", "", "\u{212A}", "K"]
  let numbers = [0, 1, 2, -1, Int.min, Int.max]
  var equal = 0
  for _ in 0..<300 {
    let lines = (0..<12).map { _ in
      Evidence(ref: SourceRef(source: pick(sources, &rng), line: pick(numbers, &rng)), text: pick(hostileTexts, &rng))
    }
    for a in lines {
      for b in lines {
        let reference = !EvidenceRanking.precedes(a, b) && !EvidenceRanking.precedes(b, a)
        #expect(Diagnoser.sameLine(a, b) == reference)
        if reference { equal += 1 }
      }
    }
  }
  #expect(equal > 3_600)
}

/// `Diagnoser.distinctSorted` is `Array(Set(ids)).sorted()`, byte for byte (the spelling a `Set`
/// keeps of ids equal as Swift compares them), on seeded lists short and long.
@Test func distinctSortedIsTheSetSorted() {
  var rng = SplitMix64(seed: 0xD157_1C7)
  let ids = ["probe.liveness-failing", "crashloop.backoff", "container.exit-code"] + hostileTexts
  for round in 0..<3_000 {
    let list = (0..<rng.below(round % 4 == 0 ? 40 : 8)).map { _ in pick(ids, &rng) }
    let reference = Array(Set(list)).sorted()
    let found = Diagnoser.distinctSorted(list)
    #expect(found == reference, "round \(round)")
    #expect(found.map { Array($0.utf8) } == reference.map { Array($0.utf8) }, "round \(round)")
  }
}

/// `Diagnoser.hasFact` answers `Finding.fact(key) != nil`, keys spelled apart included.
@Test func hasFactIsTheFindingsFact() {
  var rng = SplitMix64(seed: 0xFAC7)
  for round in 0..<2_000 {
    var finding = findings(1, seed: UInt64(round))[0]
    finding.facts = (0..<rng.below(6)).map { _ in KeyValue(pick(hostileTexts, &rng), pick(hostileTexts, &rng)) }
    let key = pick(hostileTexts, &rng)
    #expect(Diagnoser.hasFact(finding.facts, key) == (finding.fact(key) != nil), "round \(round)")
  }
}
