import Foundation
import PodmortemCorrelate
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// `Diagnoser` cites a finding's lines in place and folds with arrays by number
/// (docs/architecture.md "Speed after ingest: two cores"). The code it replaced is kept below as
/// the reference, unchanged, because the findings must be the same to the byte: the pods' findings on every sample of the repository and on seeded random states,
/// and the fold on seeded random lists of findings (absorbing rules, nested subjects, chains,
/// hostile text).
@Suite struct DiagnoserInPlaceTests {
  // MARK: The reference: the Diagnoser's code before, kept whole.

  /// `Diagnoser.absorbs` as it is built (the reference fold reads the same table).
  static func absorbs(_ rules: [any DiagnosisRule]) -> [String: Set<String>] {
    Dictionary(rules.map { ($0.description.id, Set($0.description.absorbs)) }) { a, b in a.union(b) }
  }

  static func referenceCited(_ finding: Finding, pod: PodHistory) -> Finding {
    guard finding.evidence.isEmpty else { return finding }
    var f = finding
    f.evidence = Array(Set(pod.snapshots.flatMap(\.evidence))).sorted()
    return f
  }

  static func referenceSubject(_ outer: Subject, contains inner: Subject) -> Bool {
    outer.namespace == inner.namespace && outer.pod == inner.pod && outer.object == inner.object
      && (outer.container == nil || outer.container == inner.container)
  }

  static func referenceFold(_ findings: [Finding], table: [String: Set<String>]) -> [Finding] {
    guard findings.count > 1 else { return findings }
    let ordered = Diagnoser.sorted(findings)
    var absorber: [Int?] = Array(repeating: nil, count: ordered.count)
    for (i, symptom) in ordered.enumerated() {
      absorber[i] = ordered.indices.first { j in
        j != i && table[ordered[j].ruleID, default: []].contains(symptom.ruleID)
          && referenceSubject(ordered[j].subject, contains: symptom.subject)
      }
    }
    func root(_ i: Int) -> Int {
      var current = i
      var seen: Set<Int> = [i]
      while let next = absorber[current], !seen.contains(next) {
        seen.insert(next)
        current = next
      }
      return current
    }
    var result: [Int: Finding] = [:]
    var folded: [Int: [String]] = [:]
    for i in ordered.indices where root(i) == i { result[i] = ordered[i] }
    for i in ordered.indices where root(i) != i {
      let r = root(i)
      guard var cause = result[r] else { continue }
      let symptom = ordered[i]
      for fact in symptom.facts where cause.fact(fact.key) == nil { cause.facts.append(fact) }
      let known = EvidenceRanking.Sorted(cause.evidence)
      cause.evidence += symptom.evidence.filter { !known.contains($0) }
      cause.severity = max(cause.severity, symptom.severity)
      cause.explanation += "\n" + symptom.explanation
      folded[r, default: []].append(symptom.ruleID)
      result[r] = cause
    }
    for (r, ids) in folded {
      result[r]?.facts.append(
        KeyValue(Diagnoser.alsoExplainsFact, Array(Set(ids)).sorted().joined(separator: ",")))
    }
    return result.keys.sorted().compactMap { result[$0] }
  }

  static func referenceDiagnose(_ pod: PodHistory, in state: CorrelatedState, rules: [any DiagnosisRule])
    -> [Finding]
  {
    let table = absorbs(rules)
    let pod = pod.preparedForRules()
    let probes = PodProbes(pod)
    return Diagnoser.sorted(
      referenceFold(rules.flatMap { $0.diagnose(pod, probes: probes, in: state) }, table: table).map {
        referenceCited($0, pod: pod)
      })
  }

  /// The same findings, byte for byte: `==` compares strings by canonical equivalence, the
  /// encoder writes their bytes.
  static func bytes(_ findings: [Finding]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(findings)
  }

  // MARK: Inputs

  static let hostile = [
    "", "web", "Kelvin \u{212A}", "\u{130}stanbul", "cafe\u{301}", "caf\u{E9}", "a\rb", "nul\u{0}x", "tab\there",
    String(repeating: "x", count: 5_000), "ünïcødé", "e\u{301}\u{302}",
  ]

  static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  static func pod(_ i: Int, _ rng: inout SplitMix64) -> PodHistory {
    let name = rng.below(5) == 0 ? "app-\(pick(hostile, &rng))-\(i)" : "app-\(i % 7)-\(i)"
    let namespace = pick(["prod", "dev", "K\u{212A}"], &rng)
    var snapshot = PodSnapshot(name: name, namespace: namespace)
    snapshot.node = pick(["n1", "n2", nil], &rng)
    snapshot.phase = pick(["Running", "Pending", "Failed", "Succeeded"], &rng)
    snapshot.reason = pick([nil, "Evicted", "DeadlineExceeded"], &rng)
    snapshot.containers = (0..<(1 + rng.below(3))).map { c in
      var container = ContainerSnapshot(name: pick(["web", "db", "side\u{301}car", "c\(c)"], &rng))
      container.restartCount = rng.below(12)
      container.state = pick(
        [
          .waiting(reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container"),
          .waiting(reason: "ImagePullBackOff", message: "Back-off pulling image \"nginx:nope\""),
          .waiting(reason: "CreateContainerConfigError", message: "secret \"x\" not found"),
          .running(startedAt: nil), .waiting(reason: "ContainerCreating", message: nil),
        ], &rng)
      container.lastState = pick(
        [
          nil, .terminated(Termination(reason: "OOMKilled", message: nil, exitCode: 137)),
          .terminated(Termination(reason: "Error", message: "panic: \(pick(hostile, &rng))", exitCode: 1)),
        ], &rng)
      return container
    }
    // Some pods cite no line of their own: a finding then cites none, and no pod lines stand in.
    snapshot.evidence =
      rng.below(6) == 0
      ? [] : [Evidence(ref: SourceRef(source: "d.txt", line: i * 10 + 1), text: "Name: \(name)")]
    let events = (0..<rng.below(5)).map { j in
      MergedEvent(
        involved: ObjectRef(
          kind: "Pod", namespace: namespace, name: name, fieldPath: pick(["spec.containers{web}", nil], &rng)),
        type: .warning,
        reason: pick(["Unhealthy", "BackOff", "FailedScheduling", "Killing", "Failed", "FailedMount"], &rng),
        message: pick(
          [
            "Liveness probe failed: HTTP probe failed with statuscode: 500",
            "0/3 nodes are available: 3 Insufficient memory.", "Back-off restarting failed container",
            "Readiness probe failed: connection refused", "Container web failed liveness probe, will be restarted",
            "Startup probe failed: \(pick(hostile, &rng))",
          ], &rng), count: 1 + j,
        evidence: rng.below(4) == 0
          ? [] : [Evidence(ref: SourceRef(source: "d.txt", line: i * 10 + 2 + j), text: "event")])
    }
    return PodHistory(
      key: PodKey(namespace: namespace, name: name), snapshots: [snapshot], latest: snapshot, events: events)
  }

  static let samples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("samples")

  static func state(reading path: String) -> CorrelatedState {
    var correlator = Correlator()
    let capture = CaptureTime(date: Date(timeIntervalSince1970: 1_795_741_200), origin: .input)
    let ingestor = Ingestor()
    InputReader(diagnostics: { _ in }).read([path]) { info, reader in
      let context = ParseContext(source: info, captureTime: capture, diagnostics: { _ in })
      let account = ingestor.ingest(&reader, context: context) { correlator.add($0) }
      if let t = account.captureTime { correlator.note(t) }
    }
    return correlator.finishReleasing()
  }

  // MARK: Tests

  @Test func everySampleGivesTheReferenceFindings() throws {
    let cases = try FileManager.default.contentsOfDirectory(atPath: Self.samples.path)
      .filter { $0 != "manifest.json" }.sorted()
    #expect(cases.count > 20)
    let diagnoser = Diagnoser()
    var found = 0
    for name in cases {
      let state = Self.state(reading: Self.samples.appendingPathComponent(name).path)
      let reference = state.pods.flatMap { Self.referenceDiagnose($0, in: state, rules: diagnoser.rules) }
      let new = diagnoser.diagnosePods(state)
      #expect(new == reference, "\(name)")
      #expect(try Self.bytes(new) == Self.bytes(reference), "\(name)")
      found += reference.count
    }
    #expect(found > 50)
  }

  @Test func seededStatesGiveTheReferenceFindings() throws {
    var rng = SplitMix64(seed: 19_016)
    let diagnoser = Diagnoser()
    var found = 0
    var cited = 0
    for round in 0..<60 {
      var state = CorrelatedState()
      state.pods = (0..<rng.below(40)).map { Self.pod($0, &rng) }
      state.events = state.pods.flatMap(\.events)
      let reference = state.pods.flatMap { Self.referenceDiagnose($0, in: state, rules: diagnoser.rules) }
      let one = diagnoser.diagnosePods(state)
      let two = diagnoser.diagnosePods(state, twoThreadsFrom: 2)
      #expect(one == reference, "round \(round)")
      #expect(two == reference, "round \(round)")
      #expect(try Self.bytes(one) == Self.bytes(reference), "round \(round)")
      found += reference.count
      cited += reference.filter { $0.facts.contains { $0.key == Diagnoser.alsoExplainsFact } }.count
    }
    #expect(found > 200)
    #expect(cited > 10)
  }

  @Test func seededFoldsGiveTheReferenceFold() throws {
    var rng = SplitMix64(seed: 1_916)
    let diagnoser = Diagnoser()
    let table = Self.absorbs(diagnoser.rules)
    // Rule ids that absorb others and those they absorb, and ids no rule knows; a made-up table
    // with a cycle as well, since the real one has none.
    let ids = Array(Set(table.keys).union(table.values.flatMap { $0 })).sorted() + ["user.x", "K\u{212A}"]
    var cyclic = table
    cyclic["a.one"] = ["a.two"]
    cyclic["a.two"] = ["a.three", "a.one"]
    cyclic["a.three"] = ["a.one"]
    let cyclicIDs = ids + ["a.one", "a.two", "a.three"]
    // A third of the rounds draw from one absorbing rule and what it absorbs, so that most of
    // them fold something.
    let absorbing = table.filter { !$0.value.isEmpty }.keys.sorted()
    var folds = 0
    for round in 0..<3_000 {
      let useCycle = round % 3 == 0
      let focus = Self.pick(absorbing, &rng)
      let pool = useCycle ? cyclicIDs : round % 3 == 1 ? [focus] + (table[focus] ?? []).sorted() : ids
      let findings = (0..<rng.below(9)).map { _ in
        Finding(
          ruleID: Self.pick(pool, &rng), category: Self.pick(FindingCategory.allCases, &rng),
          severity: Self.pick(Severity.allCases, &rng),
          subject: Subject(
            namespace: Self.pick(["prod", nil, "K\u{212A}"], &rng), pod: Self.pick(["web-0", "web-1", nil], &rng),
            container: Self.pick([nil, nil, "web", "cafe\u{301}", "caf\u{E9}"], &rng),
            object: Self.pick([nil, nil, "node/n1"], &rng)),
          title: Self.pick(Self.hostile, &rng), explanation: Self.pick(Self.hostile, &rng), remedy: "r",
          facts: (0..<rng.below(4)).map { _ in
            KeyValue(Self.pick(["probe", "restarts", "mode", "\u{130}"], &rng), Self.pick(Self.hostile, &rng))
          },
          evidence: (0..<rng.below(4)).map { _ in
            Evidence(
              ref: SourceRef(source: Self.pick(["a.txt", "b.txt"], &rng), line: rng.below(6)),
              text: Self.pick(Self.hostile, &rng))
          })
      }
      let reference = Self.referenceFold(findings, table: useCycle ? cyclic : table)
      var folder = diagnoser
      if useCycle {
        // The same table through the Diagnoser's own path: rules whose descriptions absorb so.
        folder.rules =
          diagnoser.rules + [CycleOne(), CycleTwo(), CycleThree()]
      }
      let new = folder.fold(findings)
      #expect(new == reference, "round \(round)")
      #expect(try Self.bytes(new) == Self.bytes(reference), "round \(round)")
      if new.count < findings.count { folds += 1 }
    }
    #expect(folds > 150, "\(folds) rounds folded")
  }
}

/// Rules that find nothing and absorb one another: the fold's table with a cycle in it.
private struct CycleOne: DiagnosisRule {
  static let description = RuleDescription(
    id: "a.one", category: .containerExit, title: "one", rationale: "test", absorbs: ["a.two"])
  static let examples: [RuleExample] = []
}

private struct CycleTwo: DiagnosisRule {
  static let description = RuleDescription(
    id: "a.two", category: .containerExit, title: "two", rationale: "test", absorbs: ["a.three", "a.one"])
  static let examples: [RuleExample] = []
}

private struct CycleThree: DiagnosisRule {
  static let description = RuleDescription(
    id: "a.three", category: .containerExit, title: "three", rationale: "test", absorbs: ["a.one"])
  static let examples: [RuleExample] = []
}
