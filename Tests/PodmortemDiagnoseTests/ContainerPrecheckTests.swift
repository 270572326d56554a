import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// Five rules ask each container's fields in place before their loops, which copied every
/// container whole to ask (`OOMKilledRule.anyOOMKilledRun`, `ContainerConfigErrorRule.anyWaiting`,
/// `ImagePullFailingRule.anyWaiting`, `CrashLoopBackOffRule.mayLoop`,
/// `ContainerExitRule.mayHaveExited`; docs/architecture.md "Speed of the other rules"), and three
/// titles and an explanation are written piece by piece. The references are the rules' loops as
/// they were (still in the rules, now run only when the check passes) and the interpolations the
/// texts replaced, kept below: the same findings byte for byte on seeded pods whose containers are
/// listed (hostile names, every waiting reason the rules know and others, terminations with exit
/// codes from `Int.min` to `Int.max`, hostile reasons and messages, restart counts absent, negative
/// and huge, back-off, `Failed` and pull events, pull lines) and on every shipped sample.
@Suite struct ContainerPrecheckTests {
  static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  static let names = [
    "web", "db", "wéb", "we\u{301}b", "\u{212A}", "\u{130}", "a\r", "a\u{0}b", "\tc", "",
    String(repeating: "x", count: 5_000), ContainerSnapshot.unknownName,
  ]
  static let texts = [
    "", "boom", "Kelvin \u{212A}", "\u{130}stanbul", "cafe\u{301}", "a\rb", "nul\u{0}x", "tab\there",
    String(repeating: "y", count: 3_000), "e\u{301}\u{302}",
  ]
  static let waitingReasons: [String?] = [
    nil, "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "ContainerCreating",
    "crashLoopBackOff", "CrashLoopBackOff\u{0}", "\u{212A}", "",
  ]
  static let terminationReasons: [String?] = [
    nil, "OOMKilled", "Error", "ContainerStatusUnknown", "StartError", "ContainerCannotRun", "Completed",
    "oomkilled", "OOMKilled\r", "O\u{212A}", "",
  ]
  static let exitCodes = [0, 0, 1, 2, 126, 127, 128, 130, 137, 143, 159, 160, 255, -1, Int.min, Int.max]
  /// Restart counts of the seeded pods (`PodHistory.endedRunLog` takes one from a running
  /// container's count, checked, so `Int.min` is among them).
  static let restarts: [Int?] = [nil, 0, 1, 2, 4, 5, 6, 12, -1, Int.max, Int.min]
  static let eventReasons = ["BackOff", "Failed", "Killing", "Evicted", "Pulled", "backOff"]
  static let eventPatterns: [String?] = [
    nil, "event.backoff-restarting", "event.backoff-pulling-image", "event.failed-pull-image",
    "event.error-image-pull", "event.container-error", "event.failed-create-docker-container",
    "event.failedsync-image-pull", "event.other",
  ]
  static let pullLines: [String?] = [nil, "node.containerd-pull-no-progress", "node.kubelet-pull-failed", "x"]

  static func termination(_ rng: inout SplitMix64) -> Termination {
    Termination(
      reason: pick(terminationReasons, &rng), message: rng.below(3) == 0 ? nil : pick(texts, &rng),
      exitCode: pick(exitCodes, &rng))
  }

  static func state(_ rng: inout SplitMix64) -> ContainerState? {
    switch rng.below(5) {
    case 0: return nil
    case 1: return .running(startedAt: nil)
    case 2: return .terminated(termination(&rng))
    default: return .waiting(reason: pick(waitingReasons, &rng), message: rng.below(2) == 0 ? nil : pick(texts, &rng))
    }
  }

  static func pod(_ rng: inout SplitMix64) -> PodHistory {
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    snapshot.displayStatus = pick([nil, "OOMKilled", "Init:OOMKilled", "CrashLoopBackOff", "Running"], &rng)
    if rng.below(5) == 0 { snapshot.reason = "Evicted" }
    if rng.below(6) == 0 { snapshot.terminating = true }
    snapshot.containers = (0..<(1 + rng.below(3))).map { _ in
      var container = ContainerSnapshot(
        name: pick(names, &rng), role: rng.below(4) == 0 ? .initContainer : .container)
      container.state = state(&rng)
      container.lastState = rng.below(2) == 0 ? nil : .terminated(termination(&rng))
      container.restartCount = pick(restarts, &rng)
      container.ready = pick([nil, true, false], &rng)
      if rng.below(5) == 0 { container.terminatedReasonOnly = pick(terminationReasons, &rng) }
      if rng.below(4) == 0 {
        container.waitingDetail = [KeyValue(pick(["pullError", "configError", "name", "x"], &rng), pick(texts, &rng))]
      }
      if rng.below(3) == 0 { container.limits["memory"] = pick(["128Mi", "", "\u{212A}"], &rng) }
      container.stateEvidence = [Evidence(ref: SourceRef(source: "d.txt", line: 1 + rng.below(9)), text: "state")]
      container.evidence = (0..<rng.below(4)).map {
        Evidence(ref: SourceRef(source: "d.txt", line: 10 + $0), text: pick(texts, &rng))
      }
      return container
    }
    var events: [MergedEvent] = []
    for i in 0..<rng.below(4) {
      let name = pick(snapshot.containers, &rng).name
      let path: String? = pick([nil, "spec.containers{\(name)}", "spec.initContainers{\(name)}"], &rng)
      var event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: path),
        type: .warning, reason: pick(eventReasons, &rng), message: "m\(i) \(pick(texts, &rng))",
        count: 1 + rng.below(4), evidence: [Evidence(ref: SourceRef(source: "e.txt", line: i + 1), text: "e\(i)")])
      event.patternID = pick(eventPatterns, &rng)
      if rng.below(2) == 0 { event.captures = [KeyValue("configError", pick(["secret-missing", "x"], &rng))] }
      events.append(event)
    }
    var logs: [LogRecord] = []
    if rng.below(5) == 0 {
      let text = "pull \(pick(texts, &rng))"
      var log = LogRecord(
        origin: .kubelet, message: text, evidence: Evidence(ref: SourceRef(source: "k.log", line: 1), text: text))
      log.patternID = pick(pullLines, &rng)
      log.container = rng.below(2) == 0 ? nil : pick(names, &rng)
      logs.append(log)
    }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events,
      logs: PodLogs(logs))
  }

  // MARK: The references: the rules' answers before the checks.

  static func referenceOOM(_ pod: PodHistory) -> [Finding] {
    if pod.containersShowNoRuns { return OOMKilledRule.fromStatusColumn(pod).map { [$0] } ?? [] }
    let found = OOMKilledRule().perContainer(pod)
    if !found.isEmpty { return found }
    let cut = pod.containers([.container, .initContainer]).filter {
      $0.lastTermination == nil && $0.terminatedReasonOnly == "OOMKilled"
    }
    if !cut.isEmpty { return cut.map { OOMKilledRule.withoutExitCode($0, pod: pod) } }
    return OOMKilledRule.fromStatusColumn(pod).map { [$0] } ?? []
  }

  static func referenceConfigError(_ pod: PodHistory, reasons: PodEventReasons) -> [Finding] {
    if pod.containersShowNoRuns,
      !pod.events.contains(where: { $0.patternID.map(ContainerConfigErrorRule.eventPatterns.contains) ?? false })
    {
      return []
    }
    return ContainerConfigErrorRule().loop(pod, failedEvents: reasons.has(.failed))
  }

  static func referenceCrashLoop(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let backOffs = pod.events.filter { $0.patternID == "event.backoff-restarting" }
    if backOffs.isEmpty && pod.containersShowNoRuns { return [] }
    return CrashLoopBackOffRule().loop(pod, backOffs: backOffs, run: nil, in: state)
  }

  static func referenceExits(_ pod: PodHistory) -> [Finding] {
    if pod.containersShowNoRuns { return [] }
    return ContainerExitRule.exitLoop(pod)
  }

  static func referenceExitTitle(_ container: ContainerSnapshot, _ last: Termination, _ meaning: ExitCodes.Meaning)
    -> String
  {
    "container '\(container.name)' exited with code \(last.exitCode) (\(meaning.summary))"
  }

  static func referenceExitExplanation(
    _ container: ContainerSnapshot, _ last: Termination, _ meaning: ExitCodes.Meaning
  ) -> String {
    var text = "Container '\(container.name)' exited with code \(last.exitCode)"
    if let signal = meaning.signal, let name = meaning.signalName {
      text += " = 128 + \(signal): it was killed by \(name)"
    } else {
      text += ": \(meaning.summary)"
    }
    if let reason = last.reason { text += " (reason \(reason))" }
    if let message = last.message { text += "; message '\(message)'" }
    text += "."
    if last.exitCode == 137 {
      text += " Without reason OOMKilled a 137 is the SIGKILL that follows an expired grace period, not a memory limit."
    }
    return text
  }

  static func referenceCrashLoopTitle(_ container: ContainerSnapshot, restarts: Int, cause: String, last: Termination?)
    -> String
  {
    let why: String
    switch cause {
    case "oom": why = "OOMKilled"
    case "liveness": why = "killed by its liveness probe"
    case "startup": why = "killed by its startup probe"
    default: why = last.map { "exit code \($0.exitCode)" } ?? "exiting"
    }
    return "container '\(container.name)' in CrashLoopBackOff after \(restarts) restarts (\(why))"
  }

  static func bytes(_ findings: [Finding]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(findings)
  }

  // MARK: Tests

  /// Each rule's findings are its loop's, byte for byte, and a check that says no means the loop
  /// finds nothing; raw and prepared pods alike.
  @Test func rulesAnswerAsTheirLoops() throws {
    var rng = SplitMix64(seed: 36_016)
    let state = CorrelatedState()
    var found = [0, 0, 0, 0, 0]
    var skipped = [0, 0, 0, 0, 0]
    for _ in 0..<3_000 {
      let raw = Self.pod(&rng)
      for pod in [raw, raw.preparedForRules()] {
        let reading = PodReading(pod)
        let reasons = PodEventReasons(pod)

        let oom = OOMKilledRule().diagnose(pod, in: state)
        #expect(try Self.bytes(oom) == Self.bytes(Self.referenceOOM(pod)))
        if !OOMKilledRule.anyOOMKilledRun(pod) {
          #expect(OOMKilledRule().perContainer(pod).isEmpty)
          skipped[0] += 1
        }
        if !OOMKilledRule.anyCutOff(pod) {
          #expect(
            pod.containers([.container, .initContainer]).filter {
              $0.lastTermination == nil && $0.terminatedReasonOnly == "OOMKilled"
            }.isEmpty)
        }
        found[0] += oom.count

        let config = ContainerConfigErrorRule().diagnose(pod, reasons: reasons, in: state)
        #expect(try Self.bytes(config) == Self.bytes(Self.referenceConfigError(pod, reasons: reasons)))
        if !reasons.has(.failed), !ContainerConfigErrorRule.anyWaiting(pod) {
          #expect(ContainerConfigErrorRule().loop(pod, failedEvents: false).isEmpty)
          skipped[1] += 1
        }
        found[1] += config.count

        let index = PodLogIndex(pod.logs)
        let pull = ImagePullFailingRule().diagnose(pod, logs: index, reasons: reasons, in: state)
        let pullReference = ImagePullFailingRule().diagnose(
          pod, logs: index, reasons: reasons, in: state, askPatterns: false)
        #expect(try Self.bytes(pull) == Self.bytes(pullReference))
        if !ImagePullFailingRule.anyWaiting(pod.containers([.container, .initContainer])) { skipped[2] += 1 }
        found[2] += pull.count

        let loop = CrashLoopBackOffRule().diagnose(pod, run: nil, in: state)
        #expect(try Self.bytes(loop) == Self.bytes(Self.referenceCrashLoop(pod, in: state)))
        #expect(try Self.bytes(CrashLoopBackOffRule().diagnose(pod, reading: reading, in: state)) == Self.bytes(loop))
        if !CrashLoopBackOffRule.mayLoop(pod) {
          #expect(CrashLoopBackOffRule().loop(pod, backOffs: [], run: nil, in: state).isEmpty)
          skipped[3] += 1
        }
        found[3] += loop.count

        let exits = ContainerExitRule.exits(pod)
        #expect(try Self.bytes(exits) == Self.bytes(Self.referenceExits(pod)))
        if !ContainerExitRule.mayHaveExited(pod) {
          #expect(ContainerExitRule.exitLoop(pod).isEmpty)
          skipped[4] += 1
        }
        found[4] += exits.count
      }
    }
    #expect(found.allSatisfy { $0 > 100 }, "\(found)")
    #expect(skipped.allSatisfy { $0 > 500 }, "\(skipped)")
  }

  /// The titles and the explanation written piece by piece are the interpolations' bytes.
  @Test func textsAreTheInterpolations() {
    var rng = SplitMix64(seed: 36_017)
    let causes = ["oom", "liveness", "startup", "start-error", "signal", "exit-code", "unknown", "", "\u{212A}"]
    for _ in 0..<5_000 {
      var container = ContainerSnapshot(name: Self.pick(Self.names, &rng))
      container.restartCount = Self.pick(Self.restarts, &rng)
      let last = Self.termination(&rng)
      let meaning = ExitCodes.explain(last)
      #expect(
        Array(ContainerExitRule.title(container, last, meaning).utf8)
          == Array(Self.referenceExitTitle(container, last, meaning).utf8))
      #expect(
        Array(ContainerExitRule.explanation(container, last, meaning).utf8)
          == Array(Self.referenceExitExplanation(container, last, meaning).utf8))
      let restarts = Self.pick(Self.restarts, &rng) ?? 0
      let cause = Self.pick(causes, &rng)
      let shown: Termination? = rng.below(3) == 0 ? nil : last
      #expect(
        Array(CrashLoopBackOffRule.title(container, restarts: restarts, cause: cause, last: shown).utf8)
          == Array(Self.referenceCrashLoopTitle(container, restarts: restarts, cause: cause, last: shown).utf8))
    }
  }

  /// `ContainerConfigErrorRule.hasEventPattern` is `contains` on the two patterns, for ids of
  /// their lengths spelled with a Kelvin sign, a dotted capital I, a combining accent, NUL, CR, upper
  /// case, and seeded mixes.
  @Test func eventPatternIsContains() {
    var rng = SplitMix64(seed: 36_018)
    var ids: [String?] = [nil, "", "event.other", "event.backoff-restarting"]
    for id in ContainerConfigErrorRule.eventPatterns {
      ids += [id, id.uppercased(), id + "\u{0}", String(id.dropLast()) + "\r", "e\u{301}" + id.dropFirst()]
      ids += [id.replacingOccurrences(of: "k", with: "\u{212A}"), "\u{130}" + id.dropFirst(), String(id.dropLast())]
      ids += [id.replacingOccurrences(of: "e", with: "\u{E9}"), String(id.reversed())]
    }
    var found = 0
    for _ in 0..<2_000 {
      let events = (0..<rng.below(4)).map { i in
        var event = MergedEvent(
          involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: nil), type: .warning,
          reason: "Failed", message: "m", count: 1,
          evidence: [Evidence(ref: SourceRef(source: "e.txt", line: i + 1), text: "e")])
        event.patternID = Self.pick(ids, &rng)
        return event
      }
      let snapshot = PodSnapshot(name: "app-0", namespace: "prod")
      let pod = PodHistory(
        key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events)
      let reference = pod.events.contains { $0.patternID.map(ContainerConfigErrorRule.eventPatterns.contains) ?? false }
      #expect(ContainerConfigErrorRule.hasEventPattern(pod) == reference)
      if reference { found += 1 }
    }
    #expect(found > 200)
  }

  /// The pull patterns' length mask holds every pattern (each under 64 bytes), and the mask of
  /// `ImagePullFailingRule`'s reasons answers as the list does on seeded pods.
  @Test func pullMasksAreTheLists() {
    #expect(ImagePullFailingRule.pullEventPatternBytes.allSatisfy { $0.count < 64 })
    #expect(ImagePullFailingRule.pullEventPatternBytes.count == ImagePullFailingRule.pullEventPatterns.count)
    for id in ImagePullFailingRule.pullEventPatterns { #expect(ImagePullFailingRule.isPullPattern(id)) }
    var rng = SplitMix64(seed: 36_022)
    for _ in 0..<2_000 {
      let pod = Self.pod(&rng)
      let reasons = PodEventReasons(pod)
      #expect(
        reasons.hasAny(mask: ImagePullFailingRule.eventReasonMask)
          == reasons.hasAny(ImagePullFailingRule.eventReasonKinds))
    }
  }

  /// `NodeNotReadyRule.nodes(of:)` is the filter it replaced, on seeded lists of findings (this
  /// rule's and others', `node` facts absent, repeated, hostile, canonically equal but spelled apart).
  @Test func coveredNodesAreTheFilter() {
    var rng = SplitMix64(seed: 36_019)
    let ids = [
      NodeNotReadyRule.description.id, "crashloop.backoff", "node.other", NodeNotReadyRule.description.id + "\u{0}",
    ]
    let nodes = ["n1", "n2", "caf\u{E9}", "cafe\u{301}", "\u{212A}", "K", "", "\r"]
    var covered = 0
    for _ in 0..<2_000 {
      let findings = (0..<rng.below(12)).map { _ in
        Finding(
          ruleID: Self.pick(ids, &rng), category: .nodeNotReady, severity: .critical,
          subject: Subject(object: "node/x"),
          title: "t", explanation: "e", remedy: "r",
          facts: (0..<rng.below(3)).map { _ in
            KeyValue(Self.pick(["node", "reason", "Node"], &rng), Self.pick(nodes, &rng))
          }, evidence: [])
      }
      let reference = Set(
        findings.filter { $0.ruleID == NodeNotReadyRule.description.id }.compactMap { $0.fact("node") })
      let new = NodeNotReadyRule.nodes(of: findings)
      #expect(new == reference)
      #expect(
        new.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
          == reference.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
      covered += new.count
    }
    #expect(covered > 500)
  }

  /// `EvidenceRanking.joined` is `a + b + c + d`, element for element, on seeded lists (empty or
  /// not, repeated and hostile lines).
  @Test func joinedIsPlus() {
    var rng = SplitMix64(seed: 36_020)
    for _ in 0..<3_000 {
      let lists = (0..<4).map { _ in
        (0..<(rng.below(3) == 0 ? 0 : rng.below(4))).map { _ in
          Evidence(
            ref: SourceRef(source: Self.pick(["a", "\u{212A}"], &rng), line: rng.below(5)),
            text: Self.pick(Self.texts, &rng))
        }
      }
      let new = EvidenceRanking.joined(lists[0], lists[1], lists[2], lists[3])
      let reference = lists[0] + lists[1] + lists[2] + lists[3]
      #expect(new.map(\.ref) == reference.map(\.ref))
      #expect(new.map { Array($0.text.utf8) } == reference.map { Array($0.text.utf8) })
      let two = EvidenceRanking.joined(lists[0], lists[1])
      #expect(two.map { Array($0.text.utf8) } == (lists[0] + lists[1]).map { Array($0.text.utf8) })
      #expect(two.map(\.ref) == (lists[0] + lists[1]).map(\.ref))
    }
  }

  /// On every shipped sample the five rules give their loops' findings, byte for byte.
  @Test func everySampleGivesTheLoopsFindings() throws {
    let cases = try FileManager.default.contentsOfDirectory(atPath: DiagnoserInPlaceTests.samples.path)
      .filter { $0 != "manifest.json" }.sorted()
    #expect(cases.count > 20)
    var found = 0
    for name in cases {
      let state = DiagnoserInPlaceTests.state(reading: DiagnoserInPlaceTests.samples.appendingPathComponent(name).path)
      for raw in state.pods {
        let pod = raw.preparedForRules()
        let reasons = PodEventReasons(pod)
        let index = PodLogIndex(pod.logs)
        #expect(
          try Self.bytes(OOMKilledRule().diagnose(pod, in: state)) == Self.bytes(Self.referenceOOM(pod)), "\(name)")
        #expect(
          try Self.bytes(ContainerConfigErrorRule().diagnose(pod, reasons: reasons, in: state))
            == Self.bytes(Self.referenceConfigError(pod, reasons: reasons)), "\(name)")
        #expect(
          try Self.bytes(ImagePullFailingRule().diagnose(pod, logs: index, reasons: reasons, in: state))
            == Self.bytes(
              ImagePullFailingRule().diagnose(pod, logs: index, reasons: reasons, in: state, askPatterns: false)),
          "\(name)")
        let loop = CrashLoopBackOffRule().diagnose(pod, run: nil, in: state)
        #expect(try Self.bytes(loop) == Self.bytes(Self.referenceCrashLoop(pod, in: state)), "\(name)")
        let exits = ContainerExitRule.exits(pod)
        #expect(try Self.bytes(exits) == Self.bytes(Self.referenceExits(pod)), "\(name)")
        found += loop.count + exits.count
      }
    }
    #expect(found > 10)
  }
}
