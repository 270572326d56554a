import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// A pod's log records by pattern are read once for all its rules (`PodLogIndex`, issue 16). The
/// reference is each rule's filter of the pod's records as it was, kept here: on seeded random
/// pods (ids the rules read, others, none, runs of one id, ids with hostile spellings: a Kelvin
/// sign, a dotted capital I, an accent composed and combining, NUL, CR, a tab, empty and huge)
/// the index must answer the same records in the same order.
@Suite struct PodLogIndexTests {

  private static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  /// Every id the rules ask for, and hostile ones beside them.
  private static let ids: [String] =
    KernelOOMKillRule.killPatterns + [KernelOOMKillRule.nodeWide] + SandboxFailingRule.logPatterns
    + Array(ImagePullFailingRule.logPatterns) + Array(VolumeMountFailingRule.logPatterns) + [
      "kubelet.scheduler-no-fit", "container.go-panic", "kubelet.probe-failed", "", "caf\u{E9}", "cafe\u{301}",
      "\u{212A}ubelet.oom", "Kubelet.oom", "\u{130}d", "a\u{0}b", "a\rb", "a\tb", String(repeating: "p", count: 70_000),
    ]

  private static let names = ["web", "sidecar", "\u{212A}", "we\u{301}b", "w\u{E9}b", "", "a\u{0}b"]

  private static func pod(_ rng: inout SplitMix64) -> PodHistory {
    var logs: [LogRecord] = []
    var id: String? = nil
    for i in 0..<rng.below(40) {
      // Runs of one id, as a probe failing every period writes them.
      if rng.next() % 3 != 0 { id = rng.next() % 6 == 0 ? nil : pick(ids, &rng) }
      let text = "line \(i) \(pick(names, &rng))"
      var log = LogRecord(
        origin: rng.next() % 2 == 0 ? .container : .kubelet, message: text,
        evidence: Evidence(ref: SourceRef(source: "k.log", line: i + 1), text: text))
      log.patternID = id
      log.container = rng.next() % 3 == 0 ? nil : pick(names, &rng)
      for key in ["volume", "process", "pid", "error", "container", "image", "reason", "message"]
      where rng.next() % 3 == 0 {
        log.captures.append(KeyValue(key, pick(names, &rng)))
      }
      logs.append(log)
    }
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    if rng.next() % 2 == 0 { snapshot.containers = [ContainerSnapshot(name: "web")] }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: [],
      logs: PodLogs(logs))
  }

  /// The filters the rules ran, as they were.
  private static func referenceQueries(_ pod: PodHistory) -> [[PackedLog]] {
    [
      pod.logs.filter { log in
        log.patternID.map { KernelOOMKillRule.killPatterns.contains($0) || $0 == KernelOOMKillRule.nodeWide } ?? false
      },
      pod.logs.filter { log in log.patternID.map { SandboxFailingRule.logPatterns.contains($0) } ?? false },
      pod.logs.filter { log in log.patternID.map(ImagePullFailingRule.logPatterns.contains) ?? false },
      pod.logs.filter { log in log.patternID.map(VolumeMountFailingRule.logPatterns.contains) ?? false },
      pod.logs.filter { $0.patternID == "kubelet.scheduler-no-fit" },
      pod.logs.filter { $0.patternID == "container.go-panic" },
    ]
  }

  /// What the rules ask the index now.
  private static func indexQueries(_ index: PodLogIndex) -> [[PackedLog]] {
    [
      index.logs(KernelOOMKillRule.linePatterns), index.logs(SandboxFailingRule.logPatterns),
      index.logs(ImagePullFailingRule.logPatternList), index.logs(VolumeMountFailingRule.logPatternList),
      index.logs("kubelet.scheduler-no-fit"), index.logs("container.go-panic"),
    ]
  }

  @Test func rulesQueriesAreTheirFilters() {
    var rng = SplitMix64(seed: 2_916)
    var found = [Int](repeating: 0, count: 6)
    for _ in 0..<2_000 {
      let pod = Self.pod(&rng)
      let index = PodLogIndex(pod.logs)
      let expected = Self.referenceQueries(pod)
      let answered = Self.indexQueries(index)
      #expect(answered == expected)
      for q in expected.indices where !expected[q].isEmpty { found[q] += 1 }
    }
    #expect(found.allSatisfy { $0 > 100 })
  }

  /// Any list of ids (repeated, hostile, equal as Swift compares strings but spelled apart): the
  /// records the filter on the list selects, in order; `isEmpty` when there are none.
  @Test func anyListIsTheFilter() {
    var rng = SplitMix64(seed: 2_917)
    var nonEmpty = 0
    for _ in 0..<3_000 {
      let pod = Self.pod(&rng)
      let index = PodLogIndex(pod.logs)
      let asked = (0..<rng.below(6)).map { _ in Self.pick(Self.ids, &rng) }
      let expected = pod.logs.filter { $0.patternID.map(asked.contains) ?? false }
      #expect(index.logs(asked) == expected)
      #expect(index.isEmpty(asked) == expected.isEmpty)
      if !expected.isEmpty { nonEmpty += 1 }
      // One id alone, as asked with a string.
      if let first = asked.first { #expect(index.logs(first) == pod.logs.filter { $0.patternID == first }) }
    }
    #expect(nonEmpty > 1_000)
  }

  /// Pods with few distinct ids (told apart by searching them) and with more than
  /// `PodLogIndex.searchedIds` (told apart by a dictionary built then), ids spelled apart yet
  /// equal as Swift compares strings among them: every list asked is the filter on the list.
  @Test func fewAndManyIdsAreTheFilter() {
    var rng = SplitMix64(seed: 2_919)
    var few = 0
    var many = 0
    for round in 0..<1_500 {
      var logs: [LogRecord] = []
      let distinct = 1 + rng.below(3 * PodLogIndex.searchedIds)
      for i in 0..<rng.below(60) {
        var log = LogRecord(
          origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "k.log", line: i + 1), text: "l"))
        let k = rng.below(distinct)
        log.patternID = k < Self.ids.count && rng.below(2) == 0 ? Self.ids[k] : "p\(k)"
        logs.append(log)
      }
      let pod = PodHistory(
        key: PodKey(namespace: "prod", name: "app-0"), snapshots: [],
        latest: PodSnapshot(name: "app-0", namespace: "prod"),
        logs: PodLogs(logs))
      let index = PodLogIndex(pod.logs)
      var seen: [String] = []
      for log in logs { if let id = log.patternID, !seen.contains(id) { seen.append(id) } }
      if seen.count > PodLogIndex.searchedIds { many += 1 } else { few += 1 }
      for _ in 0..<4 {
        let asked = (0..<rng.below(6)).map { _ in
          rng.below(2) == 0 ? Self.pick(Self.ids, &rng) : "p\(rng.below(distinct + 2))"
        }
        let expected = pod.logs.filter { $0.patternID.map(asked.contains) ?? false }
        #expect(index.logs(asked) == expected, "round \(round)")
        #expect(index.isEmpty(asked) == expected.isEmpty, "round \(round)")
      }
    }
    #expect(few > 300)
    #expect(many > 300)
  }

  /// The rules that read the index draw through the `Diagnoser`'s reading the findings they draw
  /// alone (which index the pod themselves).
  @Test func rulesDrawTheSameThroughTheReading() {
    var rng = SplitMix64(seed: 2_918)
    let rules: [any DiagnosisRule] = [
      KernelOOMKillRule(), SandboxFailingRule(), ImagePullFailingRule(), VolumeMountFailingRule(),
      FailedSchedulingRule(), ContainerExitRule(),
    ]
    let state = CorrelatedState()
    var drawn = 0
    for _ in 0..<500 {
      let pod = Self.pod(&rng).preparedForRules()
      let reading = PodReading(pod)
      for rule in rules {
        let alone = rule.diagnose(pod, in: state)
        #expect(rule.diagnose(pod, reading: reading, in: state) == alone)
        drawn += alone.count
      }
    }
    #expect(drawn > 500)
  }
}
