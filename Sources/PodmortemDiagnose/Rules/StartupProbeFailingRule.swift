import PodmortemCorrelate
import PodmortemModel

/// A startup probe failing, and the kubelet killing the container when its budget runs out
/// (docs/kubernetes.md §6.2, §6.3).
///
/// While the startup probe has not succeeded, liveness and readiness do not run. After
/// initialDelay + failureThreshold × period without success the container is killed
/// (`Container web failed startup probe, will be restarted`).
///
/// Examples, in `Examples/StartupProbeFailingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a 30s start-up budget for a JVM that needs longer
/// - near miss: readiness refused while starting; the startup probe itself never failed
/// - fires: budget of 30s too short for a slow JVM
/// - fires: two failures before a successful start
/// - near miss: no startup failures
/// - fires: `journalctl -u kubelet` lines alone: two startup failures, no kill yet
/// - near miss: a container's lines alone: a startup probe configured, the container started and ready
package struct StartupProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.startup-failing", category: .probeFailure, title: "startup probe failing",
    rationale: "a startup probe that does not succeed within initialDelay + failureThreshold × period gets the "
      + "container killed (§6.2); single failures before success are normal",
    absorbs: ["crashloop.backoff", "container.exit-code", "probe.readiness-failing"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, probes: PodProbes(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, probes: PodProbes, in state: CorrelatedState) -> [Finding] {
    // No startup probe event or line: `ProbeFailures` is nil for every container, so none is
    // copied to ask it (docs/architecture.md "Diagnosis: read a pod once").
    guard probes.mayHaveFailed(.startup) else { return [] }
    // The containers read where they are, by index: `compactMap` handed each one out as a copy
    // only to be asked about (docs/architecture.md "Speed of the probe rules"). A container with
    // a failure is `f.container`, the copy `ProbeFailures` keeps of it.
    let containers = pod.containers([.container, .initContainer])
    var found: [Finding] = []
    for i in containers.indices {
      guard let f = ProbeFailures.read(.startup, container: containers[i], in: pod, probes: probes) else { continue }
      found.append(finding(f, pod: pod))
    }
    return found
  }

  private func finding(_ f: ProbeFailures, pod: PodHistory) -> Finding {
    let kills = f.kills.totalCount
    let restarts = f.container.restartCount ?? 0
    let started = f.container.started == true || f.container.ready == true
    let model = f.spec.map(ProbeModel.init)
    // The facts' own list, made with room for exactly these (`facts(reserving:)`), in the order
    // `f.facts + [kills, restarts]` and the appends gave.
    var facts = f.facts(reserving: 2 + (model == nil ? 0 : kills > 0 ? 2 : 1))
    facts.append(.int("kills", kills))
    facts.append(.int("restarts", restarts))
    var suggestion: Int?
    if let model {
      facts.append(.int("startupBudgetSeconds", Int(saturating: model.startupBudget)))
      if kills > 0 {
        let threshold = model.suggestedStartupFailureThreshold(coveringStartOf: 2 * model.startupBudget)
        suggestion = threshold
        facts.append(.int("suggestedFailureThreshold", threshold))
      }
    }
    let severity: Severity = kills > 0 ? .critical : (started ? .info : .warning)
    // `f.decisive + errors`: joining an empty list still copied every line of the first.
    let errors = pod.endedRunErrors(f.container.name)
    return Self.description.finding(
      severity, pod.subject(f.container.name), title: Self.title(f, kills: kills),
      explanation: Self.explanation(f, kills: kills, started: started),
      remedy: Self.remedy(f, suggestion: suggestion, logs: pod.previousLogs(f.container.name)), facts: facts,
      decisive: errors.isEmpty ? f.decisive : f.decisive + errors, evidence: f.evidence)
  }
}

extension StartupProbeFailingRule {
  static func title(_ f: ProbeFailures, kills: Int) -> String {
    kills > 0
      ? "startup probe failing (\(f.mode.rawValue)): container '\(f.container.name)' killed \(times(kills)) before it started"
      : "startup probe failed \(times(f.failures)) on container '\(f.container.name)'"
  }

  static func explanation(_ f: ProbeFailures, kills: Int, started: Bool) -> String {
    var text =
      "\(f.sentenceSpecText) \(f.attemptsText): \(f.modeText)."
    if let spec = f.spec {
      let budget = Int(saturating: ProbeModel(spec).startupBudget)
      text +=
        " The container has \(spec.initialDelaySeconds)s + \(spec.failureThreshold) × \(spec.periodSeconds)s = "
        + "\(budget)s to start before it is killed."
    }
    if kills > 0 {
      text += " It was killed \(times(kills)): the application needs longer than that to start."
    } else if started {
      text += " It started in the end: an Unhealthy event is written for every failed attempt, so a few are normal."
    }
    return text + f.unknownsText
  }

  static func remedy(_ f: ProbeFailures, suggestion: Int?, logs: String) -> String {
    var steps: [String] = []
    if let suggestion, let spec = f.spec {
      steps.append(
        "raise the startupProbe failureThreshold to \(suggestion) (\(suggestion * spec.periodSeconds)s at "
          + "periodSeconds \(spec.periodSeconds), twice the current budget with 50 % headroom)")
    }
    if let modeRemedy = f.modeRemedy { steps.append(modeRemedy) }
    steps.append("check the start-up log: \(logs)")
    return steps.joined(separator: "; ")
  }
}
