import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// A pod whose snapshot lists no containers (an EventList's, a kubelet log's) knows its containers
/// by the names its events and lines give, and they show no run: `OOMKilledRule`,
/// `ContainerExitRule` and `CrashLoopBackOffRule` answer such a pod before copying its containers
/// (`PodHistory.containersShowNoRuns`, issue 16). The reference is each rule's own loop, kept as it
/// was: the same pod with the same containers listed in its snapshot, so that the shortcut does
/// not apply and the loops run over the very containers the shortcut answers for. Seeded random
/// pods with hostile names (non-ASCII, a Kelvin sign, a dotted capital I, combining accents, CR,
/// NUL, tabs, empty, huge), back-off events, panic lines and status columns.
@Suite struct BareContainerTests {

  private static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  private static let names = [
    "web", "init-db", "wéb", "we\u{301}b", "\u{212A}", "\u{130}", "a\r", "a\u{0}b", "\tc", "",
    String(repeating: "x", count: 5_000), ContainerSnapshot.unknownName,
  ]
  private static let reasons = ["BackOff", "backOff", "Failed", "Killing", "Unhealthy", "Evicted", "BackOff\u{0}"]
  private static let eventPatterns: [String?] = [
    nil, "event.backoff-restarting", "event.backoff-pulling", "event.probe-killing", "event.other",
  ]
  private static let logPatterns: [String?] = [nil, "container.go-panic", "kubelet.probe-failed", "container.other"]
  private static let statuses: [String?] = [nil, "OOMKilled", "Init:OOMKilled", "CrashLoopBackOff", "Running", ""]

  private static func pod(_ rng: inout SplitMix64) -> PodHistory {
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    snapshot.displayStatus = pick(statuses, &rng)
    if rng.next() % 4 == 0 { snapshot.reason = "Evicted" }
    if rng.next() % 5 == 0 { snapshot.terminating = true }
    var events: [MergedEvent] = []
    for i in 0..<rng.below(6) {
      let name = pick(names, &rng)
      let path: String? = pick(
        [nil, "spec.containers{\(name)}", "spec.initContainers{\(name)}", "spec.containers"], &rng)
      var event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: path),
        type: .warning, reason: pick(reasons, &rng), message: "m\(i) \(name)", count: 1 + rng.below(4),
        evidence: [Evidence(ref: SourceRef(source: "e.txt", line: i + 1), text: "e\(i)")])
      event.patternID = pick(eventPatterns, &rng)
      if rng.next() % 2 == 0 { event.captures = [KeyValue("container", pick(names, &rng))] }
      events.append(event)
    }
    var logs: [LogRecord] = []
    for i in 0..<rng.below(5) {
      let text = "panic: line \(i) \(pick(names, &rng))"
      var log = LogRecord(
        origin: rng.next() % 2 == 0 ? .container : .kubelet, message: text,
        evidence: Evidence(ref: SourceRef(source: "c.log", line: i + 1), text: text))
      log.patternID = pick(logPatterns, &rng)
      log.container = rng.next() % 3 == 0 ? nil : pick(names, &rng)
      if rng.next() % 2 == 0 { log.captures = [KeyValue("message", pick(names, &rng))] }
      logs.append(log)
    }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events,
      logs: PodLogs(logs))
  }

  /// `pod` with its known containers listed in its snapshot: the same containers in the same
  /// order, which the rules then read through their loops.
  private static func listed(_ pod: PodHistory) -> PodHistory {
    let known = pod.containers(.all)
    var latest = pod.latest
    latest.containers = known
    var copy = pod
    copy.latest = latest
    copy.snapshots = [latest]
    return copy
  }

  @Test func containersKnownByNameShowNoRun() {
    var rng = SplitMix64(seed: 24_016)
    var seen = 0
    for _ in 0..<3_000 {
      let raw = Self.pod(&rng)
      for pod in [raw, raw.preparedForRules()] {
        #expect(pod.containersShowNoRuns)
        for container in pod.containers(.all) {
          #expect(container.state == nil && container.lastState == nil && container.restartCount == nil)
          #expect(container.terminatedReasonOnly == nil && container.lastTermination == nil)
          #expect(container.waitingReason == nil && !container.isRunning)
          seen += 1
        }
        let listed = Self.listed(pod)
        #expect(listed.containers(.all) == pod.containers(.all))
        #expect(!listed.containersShowNoRuns || pod.containers(.all).isEmpty)
      }
    }
    #expect(seen > 2_000)
  }

  @Test func rulesAnswerAsTheirLoops() {
    var rng = SplitMix64(seed: 16_024)
    let state = CorrelatedState()
    let rules: [any DiagnosisRule] = [OOMKilledRule(), ContainerExitRule(), CrashLoopBackOffRule()]
    var found = [0, 0, 0]
    var compared = 0
    for _ in 0..<3_000 {
      let raw = Self.pod(&rng)
      let reference = Self.listed(raw)
      guard !reference.containersShowNoRuns else { continue }
      compared += 1
      for pod in [raw, raw.preparedForRules()] {
        for (r, rule) in rules.enumerated() {
          let new = rule.diagnose(pod, in: state)
          let old = rule.diagnose(reference.preparedForRules(), in: state)
          #expect(new == old, "\(type(of: rule))")
          found[r] += new.count
        }
      }
    }
    #expect(compared > 1_500)
    // Each rule finds something on these pods (the status column, panic lines, back-off events),
    // so the comparison is not of empty answers only.
    #expect(found.allSatisfy { $0 > 50 }, "\(found)")
  }

  // MARK: - Rules that ask the pod's events of every container

  private static let eventRules: [String: [String?]] = [
    "Failed": [
      nil, "event.container-error", "event.failed-create-docker-container", "event.failed-pull-image",
      "event.error-image-pull", "event.waiting-to-start-pull", "event.other",
    ],
    "failed": ["event.container-error", "event.failed-pull-image"],
    "FailedSync": [nil, "event.failedsync-image-pull"],
    "ErrImageNeverPull": [nil], "BackOff": [nil, "event.backoff-pulling-image", "event.backoff-restarting"],
    "FailedPostStartHook": [nil], "failedPostStartHook": [nil], "FailedPreStopHook": [nil],
    "failedPreStopHook": [nil], "Started": [nil], "Pulled": [nil], "Unhealthy": [nil], "FailedPreStopHook\u{0}": [nil],
  ]
  private static let pullLines: [String?] = [
    nil, "kubelet.image-pull-failed", "node.containerd-pull-failed", "x.other",
  ]

  /// A bare pod whose events and lines are the ones `ImagePullFailingRule`,
  /// `ContainerConfigErrorRule` and `LifecycleHookFailedRule` read, or others, or none.
  private static func eventPod(_ rng: inout SplitMix64) -> PodHistory {
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    if rng.next() % 5 == 0 { snapshot.terminating = true }
    if rng.next() % 4 == 0 { snapshot.terminationGracePeriodSeconds = pick([0, 30, -5, 86_400], &rng) }
    let reasons = eventRules.keys.sorted()
    var events: [MergedEvent] = []
    for i in 0..<rng.below(4) {
      let name = pick(names, &rng)
      let path: String? = pick(
        [nil, "spec.containers{\(name)}", "spec.initContainers{\(name)}", "spec.containers"], &rng)
      let reason = pick(reasons, &rng)
      var event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: path),
        type: .warning, reason: reason, message: "m\(i) \(name)", count: 1 + rng.below(4),
        evidence: [Evidence(ref: SourceRef(source: "e.txt", line: i + 1), text: "e\(i)")])
      event.patternID = pick(eventRules[reason] ?? [nil], &rng)
      for key in ["container", "configError", "image", "reason", "exitCode"] where rng.next() % 3 == 0 {
        event.captures.append(KeyValue(key, pick(names, &rng)))
      }
      events.append(event)
    }
    var logs: [LogRecord] = []
    for i in 0..<rng.below(3) {
      let text = "pull \(i) \(pick(names, &rng))"
      var log = LogRecord(
        origin: .kubelet, message: text, evidence: Evidence(ref: SourceRef(source: "k.log", line: i + 1), text: text))
      log.patternID = pick(pullLines, &rng)
      log.container = rng.next() % 3 == 0 ? nil : pick(names, &rng)
      if rng.next() % 2 == 0 { log.captures = [KeyValue("image", pick(names, &rng))] }
      logs.append(log)
    }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events,
      logs: PodLogs(logs))
  }

  /// `ImagePullFailingRule` asks a container's events only when the pod has an event its lists
  /// keep (`pullEvents`: an `ErrImageNeverPull` or one of the pull patterns): the same findings as
  /// asking whenever the pod has an event of the four reasons, on seeded pods bare and listed
  /// (crash loops' `BackOff`, pull back-offs, failed syncs, other patterns, none, pull lines).
  @Test func imagePullAsksEventsAsBefore() {
    var rng = SplitMix64(seed: 35_016)
    let state = CorrelatedState()
    let rule = ImagePullFailingRule()
    var found = 0
    var narrowed = 0
    for _ in 0..<3_000 {
      let raw = Self.eventPod(&rng)
      for pod in [raw, raw.preparedForRules(), Self.listed(raw).preparedForRules()] {
        let index = PodLogIndex(pod.logs)
        let reasons = PodEventReasons(pod)
        let new = rule.diagnose(pod, logs: index, reasons: reasons, in: state)
        let reference = rule.diagnose(pod, logs: index, reasons: reasons, in: state, askPatterns: false)
        #expect(new == reference)
        found += new.count
        if reasons.hasAny(ImagePullFailingRule.eventReasonKinds), !reasons.has(.errImageNeverPull),
          !ImagePullFailingRule.hasPullPattern(pod)
        {
          narrowed += 1
        }
      }
    }
    #expect(found > 300)
    #expect(narrowed > 300)
  }

  /// `ImagePullFailingRule.hasPullPattern` is the `Set`'s answer for every event: the patterns, ids
  /// of their lengths and others, spelled with a Kelvin sign, a dotted capital I, a combining
  /// accent, NUL, CR and a tab, and the patterns' own texts (ASCII, with no character another
  /// decomposes to).
  @Test func hasPullPatternIsTheSet() {
    var rng = SplitMix64(seed: 35_017)
    let patterns = Array(ImagePullFailingRule.pullEventPatterns)
    for id in patterns {
      #expect(id.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != 0x3B && $0 != 0x60 })
    }
    var ids: [String?] = [nil, "", "event.backoff-restarting", "event.other", "\u{0}", "\t"] + patterns
    for id in patterns {
      ids.append(id.uppercased())
      ids.append(id + "\u{301}")
      ids.append(String(id.dropLast()) + "\u{212A}")
      ids.append(String(id.dropLast()) + "\u{130}")
      ids.append(String(id.dropLast()) + "\r")
      ids.append("e\u{301}" + id.dropFirst())
    }
    var found = 0
    for _ in 0..<2_000 {
      let events = (0..<rng.below(4)).map { i in
        var event = MergedEvent(
          involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: nil), type: .warning,
          reason: "BackOff", message: "m", count: 1,
          evidence: [Evidence(ref: SourceRef(source: "e.txt", line: i + 1), text: "e")])
        event.patternID = Self.pick(ids, &rng)
        return event
      }
      var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
      snapshot.phase = "Pending"
      let pod = PodHistory(
        key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events)
      let reference = events.contains { $0.patternID.map(ImagePullFailingRule.pullEventPatterns.contains) ?? false }
      #expect(ImagePullFailingRule.hasPullPattern(pod) == reference)
      if reference { found += 1 }
    }
    #expect(found > 200)
  }

  /// A bare pod with no event of their reasons (or patterns) and no pull line has no finding of
  /// these rules: their answer before any container is copied is the loops' answer over the same
  /// containers listed.
  @Test func eventRulesAnswerAsTheirLoops() {
    var rng = SplitMix64(seed: 16_025)
    let state = CorrelatedState()
    let rules: [any DiagnosisRule] = [ImagePullFailingRule(), ContainerConfigErrorRule(), LifecycleHookFailedRule()]
    var found = [0, 0, 0]
    var compared = 0
    for _ in 0..<3_000 {
      let raw = Self.eventPod(&rng)
      let reference = Self.listed(raw)
      guard !reference.containersShowNoRuns else { continue }
      compared += 1
      let old = rules.map { $0.diagnose(reference.preparedForRules(), in: state) }
      for pod in [raw, raw.preparedForRules()] {
        let reading = PodReading(pod)
        for (r, rule) in rules.enumerated() {
          let new = rule.diagnose(pod, in: state)
          #expect(new == old[r], "\(type(of: rule))")
          #expect(rule.diagnose(pod, reading: reading, in: state) == old[r], "\(type(of: rule))")
          found[r] += new.count
        }
      }
    }
    #expect(compared > 1_500)
    #expect(found.allSatisfy { $0 > 50 }, "\(found)")
  }
}
