import PodmortemCorrelate
import PodmortemModel

/// A startup probe failing, and the kubelet killing the container when its budget runs out
/// (REFERENCE.md §6.2, §6.3).
///
/// While the startup probe has not succeeded, liveness and readiness do not run. After
/// initialDelay + failureThreshold × period without success the container is killed
/// (`Container web failed startup probe, will be restarted`).
package struct StartupProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.startup-failing", category: .probeFailure, title: "startup probe failing",
    rationale: "a startup probe that does not succeed within initialDelay + failureThreshold × period gets the "
      + "container killed (§6.2); single failures before success are normal",
    absorbs: ["crashloop.backoff", "container.exit-code", "probe.readiness-failing"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let f = ProbeFailures(.startup, container: container, in: pod) else { return nil }
      let kills = f.kills.totalCount
      let restarts = container.restartCount ?? 0
      let started = container.started == true || container.ready == true
      var facts = f.facts + [.int("kills", kills), .int("restarts", restarts)]
      var suggestion: Int?
      if let spec = f.spec {
        let model = ProbeModel(spec)
        facts.append(.int("startupBudgetSeconds", Int(model.startupBudget)))
        if kills > 0 {
          let threshold = model.suggestedStartupFailureThreshold(coveringStartOf: 2 * model.startupBudget)
          suggestion = threshold
          facts.append(.int("suggestedFailureThreshold", threshold))
        }
      }
      let severity: Severity = kills > 0 ? .critical : (started ? .info : .warning)
      return Self.description.finding(
        severity, pod.subject(container.name), title: Self.title(f, kills: kills),
        explanation: Self.explanation(f, kills: kills, started: started),
        remedy: Self.remedy(f, suggestion: suggestion), facts: facts, evidence: f.evidence)
    }
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "budget of 30s too short for a slow JVM",
      .pod("java-0") { p in
        p.container(
          "app", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(Termination(reason: "Error", exitCode: 137)), restarts: 4,
          probes: [.startup: .http(8080, "/started"), .liveness: .http(8080, "/healthz")])
        p.event(
          .warning, "Unhealthy",
          "Startup probe failed: Get \"http://10.1.2.3:8080/started\": dial tcp 10.1.2.3:8080: connect: connection refused",
          count: 15, lastAgo: 40, firstAgo: 400)
        p.event(.normal, "Killing", "Container app failed startup probe, will be restarted", count: 4, lastAgo: 40)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.startup-failing", category: .probeFailure, severity: .critical, container: "app",
          facts: [
            KeyValue("probe", "startup"), KeyValue("mode", "refused"), .int("kills", 4),
            .int("startupBudgetSeconds", 30),
            .int("suggestedFailureThreshold", 9),
          ], evidenceLines: ["Startup probe failed", "failed startup probe", "Startup:"])
      ]),
    RuleExample(
      "two failures before a successful start",
      .pod("java-1") { p in
        p.container("app", ready: true, probes: [.startup: .http(8080, "/started", failure: 30)])
        p.event(.warning, "Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 503", count: 2)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.startup-failing", category: .probeFailure, severity: .info, facts: [.int("kills", 0)])
      ]),
    RuleExample(
      "no startup failures", .pod("java-2") { p in p.container("app", probes: [.startup: .http(8080, "/")]) }),
  ]
}

fileprivate extension StartupProbeFailingRule {
  static func title(_ f: ProbeFailures, kills: Int) -> String {
    kills > 0
      ? "startup probe failing (\(f.mode.rawValue)): container '\(f.container.name)' killed \(kills) times before it started"
      : "startup probe failed \(f.failures) times on container '\(f.container.name)'"
  }

  static func explanation(_ f: ProbeFailures, kills: Int, started: Bool) -> String {
    var text =
      "\(f.specText.prefix(1).uppercased())\(f.specText.dropFirst()) failed \(f.failures) times: \(f.modeText)."
    if let spec = f.spec {
      let budget = Int(ProbeModel(spec).startupBudget)
      text +=
        " The container has \(spec.initialDelaySeconds)s + \(spec.failureThreshold) × \(spec.periodSeconds)s = "
        + "\(budget)s to start before it is killed."
    }
    if kills > 0 {
      text += " It was killed \(kills) times: the application needs longer than that to start."
    } else if started {
      text += " It started in the end: an Unhealthy event is written for every failed attempt, so a few are normal."
    }
    return text
  }

  static func remedy(_ f: ProbeFailures, suggestion: Int?) -> String {
    var steps: [String] = []
    if let suggestion, let spec = f.spec {
      steps.append(
        "raise the startupProbe failureThreshold to \(suggestion) (\(suggestion * spec.periodSeconds)s at "
          + "periodSeconds \(spec.periodSeconds), twice the current budget with 50 % headroom)")
    }
    if let modeRemedy = f.modeRemedy { steps.append(modeRemedy) }
    steps.append("check the start-up logs: 'kubectl logs --previous' on container '\(f.container.name)'")
    return steps.joined(separator: "; ")
  }
}
