import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// The probe rules' reading as first written, kept as the reference for the one that replaced it
/// (docs/architecture.md "Speed of the probe rules").
extension ProbeFailures {
  /// `events.evidence + kills.evidence + logs.map(\.log.evidence) + erroredLogs.map(\.log.evidence)
  /// + termination`, over lines copied into lists of their own (`PodProbes.lines(_:container:)`).
  static func decisive(
    events: [MergedEvent], kills: [MergedEvent], logs: [PodProbes.Line], erroredLogs: [PodProbes.Line],
    termination: [Evidence]
  ) -> [Evidence] {
    var count = logs.count &+ erroredLogs.count &+ termination.count
    for i in events.indices { count &+= events[i].evidence.count }
    for i in kills.indices { count &+= kills[i].evidence.count }
    var out: [Evidence] = []
    out.reserveCapacity(count)
    for i in events.indices { out.append(contentsOf: events[i].evidence) }
    for i in kills.indices { out.append(contentsOf: kills[i].evidence) }
    for i in logs.indices { out.append(logs[i].log.evidence) }
    for i in erroredLogs.indices { out.append(erroredLogs[i].log.evidence) }
    out.append(contentsOf: termination)
    return out
  }

  /// The tally over the failed events copied into a list of their own (`PodProbes.failures`).
  static func tally(
    _ failed: [(MergedEvent, ProbeFailureMessage)]
  ) -> (outright: Int, errored: Int, latest: Int?) {
    var outright = 0
    var errored = 0
    var latest: Int?
    for i in failed.indices {
      if failed[i].1.errored {
        errored += failed[i].0.count
      } else {
        outright += failed[i].0.count
        if let kept = latest {
          if isEarlier(failed[kept].0, failed[i].0) { latest = i }
        } else {
          latest = i
        }
      }
    }
    return (outright, errored, latest)
  }

  /// `facts` as first written: a list literal, grown by each append and by the spec's four.
  var listedFacts: [KeyValue] {
    var facts = [KeyValue("probe", kind.rawValue), KeyValue("mode", mode.rawValue), .int("failures", failures)]
    if errored > 0 { facts.append(.int("errored", errored)) }
    if let statusCode { facts.append(.int("statusCode", statusCode)) }
    if let spec {
      facts += [
        .int("failureThreshold", spec.failureThreshold), .int("periodSeconds", spec.periodSeconds),
        .int("timeoutSeconds", spec.timeoutSeconds), .int("initialDelaySeconds", spec.initialDelaySeconds),
      ]
    }
    return facts
  }
}

/// `ProbeFailures.init` as first written: the failed events and the lines copied out of
/// `PodProbes` into lists of their own, and `self` read while it was built.
private struct ReferenceProbeFailures {
  var kind: ProbeSpec.Kind
  var container: ContainerSnapshot
  var spec: ProbeSpec?
  var events: [MergedEvent]
  var failures: Int
  var errored: Int
  var mode: ProbeMode
  var statusCode: Int?
  var latestOutput: String
  var kills: [MergedEvent]
  var decisive: [Evidence]
  var evidence: [Evidence]

  init?(_ kind: ProbeSpec.Kind, container: ContainerSnapshot, in pod: PodHistory, probes: PodProbes) {
    guard probes.mayHaveFailed(kind) else { return nil }
    let failed = probes.failures(kind, container: container.name, in: pod)
    let kills = probes.kills(kind, container: container.name, in: pod)
    let (logs, erroredLogs) = probes.lines(kind, container: container.name)
    guard !failed.isEmpty || !kills.isEmpty || !logs.isEmpty || !erroredLogs.isEmpty else { return nil }
    self.kind = kind
    self.container = container
    spec = self.container.probes[kind]
    events = failed.map(\.0)
    self.kills = kills
    let (outrightCount, erroredCount, latestOutright) = ProbeFailures.tally(failed)
    failures = outrightCount + logs.count
    errored = erroredCount + erroredLogs.count
    let latest = (latestOutright ?? (failed.isEmpty ? nil : failed.count - 1)).map { failed[$0] }
    if let latest {
      latestOutput = latest.1.output
      (mode, statusCode) =
        latest.1.errored
        ? (.errored, nil)
        : ProbeFailureMessage.mode(
          detail: latest.1.detailMode, statusCode: latest.0.capture("statusCode"), handler: spec?.handler)
    } else if let log = logs.last {
      latestOutput = decodedCapture(log, "output") ?? log.log.field("output") ?? ""
      (mode, statusCode) = ProbeFailureMessage.mode(
        detail: decodedCapture(log, "mode"), statusCode: decodedCapture(log, "statusCode"), handler: spec?.handler)
    } else if let log = erroredLogs.last {
      latestOutput = decodedCapture(log, "error") ?? decodedCapture(log, "output") ?? ""
      let (classified, code) = ProbeFailureMessage.mode(
        detail: decodedCapture(log, "mode"), statusCode: decodedCapture(log, "statusCode"), handler: spec?.handler)
      (mode, statusCode) = classified == .unknown || classified == .execFailed ? (.errored, nil) : (classified, code)
    } else {
      latestOutput = ""
      (mode, statusCode) = (.unknown, nil)
    }
    decisive = ProbeFailures.decisive(
      events: events, kills: kills, logs: logs, erroredLogs: erroredLogs,
      termination: self.container.terminationEvidence)
    let all = self.container.allEvidence
    evidence = all.isEmpty ? decisive : decisive + all
  }
}

/// The probe rules' loops as first written: every container handed out by `compactMap`, the
/// facts grown append by append.
private enum ReferenceProbeRules {
  static func liveness(_ pod: PodHistory, probes: PodProbes) -> [Finding] {
    guard probes.mayHaveFailed(.liveness) else { return [] }
    return pod.containers([.container, .initContainer]).compactMap { container -> Finding? in
      guard let f = ProbeFailures(.liveness, container: container, in: pod, probes: probes) else { return nil }
      return livenessFinding(f, pod: pod)
    }
  }

  private static func livenessFinding(_ f: ProbeFailures, pod: PodHistory) -> Finding {
    typealias Rule = LivenessProbeFailingRule
    let restarts = f.container.restartCount ?? 0
    let kills = f.kills.totalCount
    let killed = kills > 0 || (restarts > 0 && f.failures >= (f.spec?.failureThreshold ?? 3))
    var facts = f.listedFacts
    facts.append(.int("kills", kills))
    if f.container.restartCount != nil { facts.append(.int("restarts", restarts)) }
    if let exit = f.container.lastTermination?.exitCode { facts.append(.int("exitCode", exit)) }
    let model = f.spec.map(ProbeModel.init)
    var slowStart: (run: Double, threshold: Int)?
    if let model, killed, f.container.probes[.startup] == nil, let run = lastRunSeconds(f.container) {
      let grace = Double(pod.latest.terminationGracePeriodSeconds ?? TerminationModel.defaultGraceSeconds)
      if run <= model.restartLatency.upperBound + grace {
        let threshold = model.suggestedStartupFailureThreshold(coveringStartOf: 2 * run)
        slowStart = (run, threshold)
        facts.append(.int("suggestedStartupFailureThreshold", threshold))
      }
    }
    if let model {
      facts.append(.seconds("detectSeconds", model.detection))
      facts.append(.seconds("restartLatencySeconds", model.restartLatency))
    }
    let severity: Severity = killed ? .critical : .warning
    let errors = pod.endedRunErrors(f.container.name)
    return Rule.description.finding(
      severity, pod.subject(f.container.name), title: Rule.title(f, kills: kills),
      explanation: Rule.explanation(f, kills: kills, restarts: restarts, model: model, slowStart: slowStart),
      remedy: Rule.remedy(f, slowStart: slowStart, logs: pod.previousLogs(f.container.name)), facts: facts,
      decisive: errors.isEmpty ? f.decisive : f.decisive + errors, evidence: f.evidence)
  }

  private static func lastRunSeconds(_ container: ContainerSnapshot) -> Double? {
    guard let last = container.lastTermination, let start = last.startedAt, let end = last.finishedAt else {
      return nil
    }
    return end.midpoint.timeIntervalSince(start.midpoint)
  }

  static func readiness(_ pod: PodHistory, probes: PodProbes, in state: CorrelatedState) -> [Finding] {
    typealias Rule = ReadinessProbeFailingRule
    guard probes.mayHaveFailed(.readiness) else { return [] }
    return pod.containers([.container, .initContainer]).compactMap { container -> Finding? in
      guard let f = ProbeFailures(.readiness, container: container, in: pod, probes: probes) else { return nil }
      let ready = container.ready == true
      let restarts = container.restartCount ?? 0
      var facts = f.listedFacts
      facts.append(KeyValue("ready", ready ? "true" : "false"))
      facts.append(.int("restarts", restarts))
      let window = Rule.startupWindow(f, restarts: restarts)
      if window != nil { facts.append(KeyValue("startupOnly", "true")) }
      let starting = !ready && window.map { end in pod.now(in: state).map { $0 <= end } ?? false } == true
      let threshold = f.spec?.failureThreshold ?? Rule.defaultFailureThreshold
      let below = container.ready == nil && f.kills.isEmpty && f.failures > 0 && f.failures < threshold
      if below { facts.append(KeyValue("belowThreshold", "true")) }
      return Rule.description.finding(
        ready || starting || below ? .info : .warning, pod.subject(container.name),
        title: below ? Rule.belowTitle(f, threshold: threshold) : Rule.title(f, ready: ready),
        explanation: Rule.explanation(f, ready: ready, restarts: restarts, belowThreshold: below ? threshold : nil),
        remedy: Rule.remedy(f), facts: facts, decisive: f.decisive, evidence: f.evidence)
    }
  }

  static func startup(_ pod: PodHistory, probes: PodProbes) -> [Finding] {
    typealias Rule = StartupProbeFailingRule
    guard probes.mayHaveFailed(.startup) else { return [] }
    return pod.containers([.container, .initContainer]).compactMap { container -> Finding? in
      guard let f = ProbeFailures(.startup, container: container, in: pod, probes: probes) else { return nil }
      let kills = f.kills.totalCount
      let restarts = container.restartCount ?? 0
      let started = container.started == true || container.ready == true
      var facts = f.listedFacts + [.int("kills", kills), .int("restarts", restarts)]
      var suggestion: Int?
      if let spec = f.spec {
        let model = ProbeModel(spec)
        facts.append(.int("startupBudgetSeconds", Int(saturating: model.startupBudget)))
        if kills > 0 {
          let threshold = model.suggestedStartupFailureThreshold(coveringStartOf: 2 * model.startupBudget)
          suggestion = threshold
          facts.append(.int("suggestedFailureThreshold", threshold))
        }
      }
      let severity: Severity = kills > 0 ? .critical : (started ? .info : .warning)
      return Rule.description.finding(
        severity, pod.subject(container.name), title: Rule.title(f, kills: kills),
        explanation: Rule.explanation(f, kills: kills, started: started),
        remedy: Rule.remedy(f, suggestion: suggestion, logs: pod.previousLogs(f.container.name)), facts: facts,
        decisive: f.decisive + pod.endedRunErrors(f.container.name), evidence: f.evidence)
    }
  }
}

/// `ProbeFailures` reads the failed events and the lines where `PodProbes` keeps them and builds
/// itself from locals; the probe rules read the containers by index and reserve their facts
/// (docs/architecture.md "Speed of the probe rules"). On seeded pods with hostile captures (from
/// `PodProbesTests`) whose listed containers carry drawn probes, states and counts (Kelvin signs,
/// a dotted İ, combining accents, NUL, CR, tabs, empty and huge texts, the extremes of the
/// numbers ingest lets through), every field, every fact and every finding must be the one the
/// code as first written gives, byte for byte.
@Suite struct ProbeFailuresTests {
  private static let texts = [
    "", "web", "\u{212A}", "\u{130}", "we\u{301}b", "a\u{0}b", "x\r", "\tz", String(repeating: "h", count: 70_000),
  ]
  private static let numbers = [0, 1, 3, 10, 30, -1, Int(Int32.max), Int(Int32.min)]
  private static let small = [0, 1, 2, 3, 5, 10, 30]

  private static func handler(_ rng: inout SplitMix64) -> ProbeHandler {
    let pick = { (rng: inout SplitMix64) in PodProbesTests.pick(texts, &rng) }
    switch rng.below(5) {
    case 0:
      return .httpGet(
        scheme: PodProbesTests.pick(["HTTP", "https", "\u{212A}"], &rng), host: pick(&rng),
        port: pick(&rng), path: pick(&rng))
    case 1: return .tcpSocket(host: pick(&rng), port: pick(&rng))
    case 2: return .exec(command: (0..<rng.below(3)).map { _ in pick(&rng) })
    case 3: return .grpc(port: pick(&rng), service: pick(&rng))
    default: return .unknown
    }
  }

  /// Fills in a listed container: probes of drawn kinds and settings, readiness, restarts, the
  /// running or ended state, the last termination and evidence lines.
  static func decorate(_ c: inout ContainerSnapshot, _ rng: inout SplitMix64, numbers: [Int]) {
    for kind in ProbeSpec.Kind.allCases where rng.below(3) != 0 {
      c.probes[kind] = ProbeSpec(
        handler: handler(&rng), initialDelaySeconds: PodProbesTests.pick(numbers, &rng),
        timeoutSeconds: PodProbesTests.pick(numbers, &rng), periodSeconds: PodProbesTests.pick(numbers, &rng),
        failureThreshold: PodProbesTests.pick(numbers, &rng),
        evidence: rng.below(2) == 0 ? nil : Evidence(ref: SourceRef(source: "d.txt", line: 40), text: kind.rawValue))
    }
    c.ready = PodProbesTests.pick([nil, true, false], &rng)
    c.started = PodProbesTests.pick([nil, true, false], &rng)
    c.restartCount = PodProbesTests.pick([nil, 0, 1, 7, Int(Int32.max)], &rng)
    let base = Date(timeIntervalSince1970: 1_800_000_000)
    let started = TimeRange(exactly: base.addingTimeInterval(-Double(rng.below(4_000))))
    let ended = Termination(
      reason: PodProbesTests.pick([nil, "Error", "OOMKilled", "\u{212A}"], &rng),
      exitCode: PodProbesTests.pick(
        [0, 1, 137, 143, Int(Int32.max), Int(Int32.min)], &rng),
      startedAt: rng.below(3) == 0 ? nil : started,
      finishedAt: rng.below(3) == 0 ? nil : TimeRange(exactly: base.addingTimeInterval(Double(rng.below(200)))))
    switch rng.below(4) {
    case 0: c.state = .running(startedAt: started)
    case 1: c.state = .terminated(ended)
    case 2: c.state = .running(startedAt: nil)
    default: c.state = nil
    }
    if rng.below(2) == 0 { c.lastState = .terminated(ended) }
    if rng.below(2) == 0 { c.stateEvidence = [Evidence(ref: SourceRef(source: "d.txt", line: 20), text: "State")] }
    if rng.below(2) == 0 {
      c.lastStateEvidence = [Evidence(ref: SourceRef(source: "d.txt", line: 21), text: "Last State")]
    }
    if rng.below(2) == 0 { c.evidence = [Evidence(ref: SourceRef(source: "d.txt", line: 10), text: c.name)] }
  }

  @Test func answersAsFirstWritten() {
    var rng = SplitMix64(seed: 35)
    var seen = (found: 0, withSpec: 0, withLatest: 0, facts: 0)
    for _ in 0..<3_000 {
      let pod = PodProbesTests.pod(&rng) { c, rng in Self.decorate(&c, &rng, numbers: Self.numbers) }
      let probes = PodProbes(pod)
      var asked = pod.containers([.container, .initContainer, .ephemeral])
      for name in PodProbesTests.names + PodProbesTests.askedNames {
        var c = ContainerSnapshot(name: name)
        Self.decorate(&c, &rng, numbers: Self.numbers)
        asked.append(c)
      }
      for container in asked {
        for kind in ProbeSpec.Kind.allCases {
          let old = ReferenceProbeFailures(kind, container: container, in: pod, probes: probes)
          let new = ProbeFailures(kind, container: container, in: pod, probes: probes)
          #expect((old == nil) == (new == nil))
          guard let old, let new else { continue }
          seen.found += 1
          if old.spec != nil { seen.withSpec += 1 }
          if !old.latestOutput.isEmpty { seen.withLatest += 1 }
          #expect(new.kind == old.kind && new.container == old.container && new.spec == old.spec)
          #expect(new.events == old.events && new.kills == old.kills)
          #expect(new.failures == old.failures && new.errored == old.errored)
          #expect(new.mode == old.mode && new.statusCode == old.statusCode)
          #expect(Array(new.latestOutput.utf8) == Array(old.latestOutput.utf8))
          #expect(new.decisive == old.decisive && new.evidence == old.evidence)
          #expect(new.decisive.map { Array($0.text.utf8) } == old.decisive.map { Array($0.text.utf8) })
          #expect(new.evidence.map { Array($0.text.utf8) } == old.evidence.map { Array($0.text.utf8) })
          // The facts, reserved for any number more, are the list as first written.
          for extra in [0, 1, 6, -1] {
            let facts = new.facts(reserving: extra)
            #expect(facts == new.listedFacts)
            #expect(facts.map { Array($0.value.utf8) } == new.listedFacts.map { Array($0.value.utf8) })
            seen.facts += 1
          }
          #expect(new.facts == new.listedFacts)
        }
      }
    }
    #expect(seen.found > 2_000 && seen.withSpec > 1_000 && seen.withLatest > 500)
  }

  /// The three probe rules' findings are the loops' as first written, byte for byte. The
  /// numbers are those ingest lets through (range-checked int32s: docs/architecture.md "What must
  /// hold"), kept small where the rules multiply them, as they were before.
  @Test func rulesAnswerAsFirstWritten() {
    var rng = SplitMix64(seed: 36)
    let state = CorrelatedState()
    var seen = (liveness: 0, readiness: 0, startup: 0, withSpec: 0)
    for _ in 0..<3_000 {
      let pod = PodProbesTests.pod(&rng) { c, rng in Self.decorate(&c, &rng, numbers: Self.small) }
      let probes = PodProbes(pod)
      let pairs: [([Finding], [Finding])] = [
        (
          LivenessProbeFailingRule().diagnose(pod, probes: probes, in: state),
          ReferenceProbeRules.liveness(
            pod, probes: probes)
        ),
        (
          ReadinessProbeFailingRule().diagnose(pod, probes: probes, in: state),
          ReferenceProbeRules.readiness(
            pod, probes: probes, in: state)
        ),
        (
          StartupProbeFailingRule().diagnose(pod, probes: probes, in: state),
          ReferenceProbeRules.startup(
            pod, probes: probes)
        ),
      ]
      for (new, old) in pairs {
        #expect(new == old)
        #expect(Self.bytes(new) == Self.bytes(old))
      }
      seen.liveness += pairs[0].0.count
      seen.readiness += pairs[1].0.count
      seen.startup += pairs[2].0.count
      seen.withSpec += pairs.reduce(0) { $0 + $1.0.filter { $0.facts.contains { $0.key == "periodSeconds" } }.count }
    }
    #expect(seen.liveness > 300 && seen.readiness > 300 && seen.startup > 300)
    #expect(seen.withSpec > 100, "\(seen.withSpec) findings with a spec")
  }

  /// Every text of the findings as bytes: `==` on strings is canonical equivalence.
  private static func bytes(_ findings: [Finding]) -> [[UInt8]] {
    findings.flatMap { f in
      [f.title, f.explanation, f.remedy, f.subject.description].map { Array($0.utf8) }
        + f.facts.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] }
        + f.evidence.map { Array($0.text.utf8) }
    }
  }
}

/// A probe line's capture as `PodProbes.Line.capture(_:)` read it before the line kept its
/// captures' places (`PackedLog.firstCaptures`): every capture of the record decoded, the first
/// named `key` taken.
func decodedCapture(_ line: PodProbes.Line, _ key: String) -> String? {
  line.log.captures.first { $0.key == key }?.value
}
