import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A liveness probe failing, and the kubelet killing the container for it (REFERENCE.md §6.2, §6.3).
///
/// Every failed attempt emits `Unhealthy`; after failureThreshold consecutive failures the kubelet
/// kills the container (`Killing … failed liveness probe, will be restarted`), so the exits (137
/// or 143), the restart count and the CrashLoopBackOff that follow are this one cause.
package struct LivenessProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.liveness-failing", category: .probeFailure, title: "liveness probe failing",
    rationale: "after failureThreshold consecutive liveness failures the kubelet kills and restarts the container "
      + "(§6.2); the kill, the exit code, the restarts and the back-off are symptoms of this one cause",
    absorbs: ["crashloop.backoff", "container.exit-code", "probe.readiness-failing"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let failures = ProbeFailures(.liveness, container: container, in: pod) else { return nil }
      return finding(failures, pod: pod)
    }
  }

  private func finding(_ f: ProbeFailures, pod: PodHistory) -> Finding {
    let restarts = f.container.restartCount ?? 0
    let kills = f.kills.totalCount
    let killed = kills > 0 || (restarts > 0 && f.failures >= (f.spec?.failureThreshold ?? 3))
    var facts = f.facts + [.int("kills", kills), .int("restarts", restarts)]
    if let exit = f.container.lastTermination?.exitCode { facts.append(.int("exitCode", exit)) }
    let model = f.spec.map(ProbeModel.init)
    var slowStart: (run: Double, threshold: Int)?
    if let model, killed, f.container.probes[.startup] == nil, let run = Self.lastRunSeconds(f.container) {
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
    return Self.description.finding(
      severity, pod.subject(f.container.name), title: Self.title(f, kills: kills),
      explanation: Self.explanation(f, kills: kills, restarts: restarts, model: model, slowStart: slowStart),
      remedy: Self.remedy(f, slowStart: slowStart), facts: facts, evidence: f.evidence)
  }

  private static func lastRunSeconds(_ container: ContainerSnapshot) -> Double? {
    guard let last = container.lastTermination, let start = last.startedAt, let end = last.finishedAt else {
      return nil
    }
    return end.midpoint.timeIntervalSince(start.midpoint)
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "timeout kills a crash-looping container (REFERENCE §11)",
      .pod("web-0") { p in
        p.container(
          "web", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 137, startedAt: ExamplePod.ago(299), finishedAt: ExamplePod.ago(266))
          ),
          restarts: 9, probes: [.liveness: .http(80, "/healthz")])
        p.event(
          .warning, "Unhealthy",
          "Liveness probe failed: Get \"http://10.244.1.7:80/healthz\": context deadline exceeded "
            + "(Client.Timeout exceeded while awaiting headers)", count: 27, lastAgo: 242, firstAgo: 3120)
        p.event(
          .normal, "Killing", "Container web failed liveness probe, will be restarted", count: 9, lastAgo: 242,
          firstAgo: 3060)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "web",
          facts: [
            KeyValue("probe", "liveness"), KeyValue("mode", "timeout"), .int("failures", 27), .int("kills", 9),
            .int("restarts", 9), .int("exitCode", 137), .int("timeoutSeconds", 1),
            .int("suggestedStartupFailureThreshold", 10),
          ],
          evidenceLines: ["Liveness probe failed", "failed liveness probe", "Liveness:", "Restart Count:  9"])
      ]),
    RuleExample(
      "empty exec output still counts as a failure",
      .pod("worker-0") { p in
        p.container(
          "worker", state: .running(startedAt: ExamplePod.ago(20)),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 143, startedAt: ExamplePod.ago(3000), finishedAt: ExamplePod.ago(25))
          ),
          restarts: 1, probes: [.liveness: .exec(["cat", "/tmp/healthy"])])
        p.event(.warning, "Unhealthy", "Liveness probe failed: ", count: 3, lastAgo: 30, firstAgo: 50)
        p.event(.normal, "Killing", "Container worker failed liveness probe, will be restarted", lastAgo: 30)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "worker",
          facts: [KeyValue("mode", "exec-failed"), .int("kills", 1), .int("exitCode", 143)])
      ]),
    RuleExample(
      "readiness failures alone are not liveness failures",
      .pod("web-1") { p in
        p.container("web", probes: [.readiness: .http(8080, "/ready")])
        p.event(.warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 4)
      }),
    RuleExample(
      "a healthy pod", .pod("web-2") { p in p.container("web", probes: [.liveness: .http(8080, "/healthz")]) }),
  ]
}

fileprivate extension LivenessProbeFailingRule {
  static func title(_ f: ProbeFailures, kills: Int) -> String {
    kills > 0
      ? "liveness probe failing (\(f.mode.rawValue)): container '\(f.container.name)' killed \(kills) times"
      : "liveness probe failing (\(f.mode.rawValue)) on container '\(f.container.name)'"
  }

  static func explanation(
    _ f: ProbeFailures, kills: Int, restarts: Int, model: ProbeModel?, slowStart: (run: Double, threshold: Int)?
  ) -> String {
    var text =
      "\(f.specText.prefix(1).uppercased())\(f.specText.dropFirst()) failed \(f.failures) times: \(f.modeText)."
    if let model, let spec = f.spec {
      text +=
        " The kubelet kills the container after \(spec.failureThreshold) consecutive failures, "
        + "\(Seconds.format(model.detection)) after the endpoint stops answering "
        + "((\(spec.failureThreshold) − 1) × \(spec.periodSeconds)s to \(spec.failureThreshold) × \(spec.periodSeconds)s "
        + "+ \(spec.timeoutSeconds)s timeout)."
    }
    if kills > 0 {
      text += " It did so \(kills) times (Killing x\(kills))"
      if let exit = f.container.lastTermination?.exitCode {
        let meaning = ExitCodes.explain(exit, reason: f.container.lastTermination?.reason)
        text += "; the last run exited \(exit) (\(meaning.summary))"
      }
      text += "; the container has restarted \(restarts) times."
    } else if restarts == 0 {
      text += " No kill is recorded yet: the failures have not reached the threshold in a row."
    }
    if let slowStart, let model, let spec = f.spec {
      text +=
        " The last run lasted only \(Seconds.format(slowStart.run)), within the \(Seconds.format(model.restartLatency))"
        + " a never-answering container survives (initialDelay \(spec.initialDelaySeconds)s + \(spec.failureThreshold)"
        + " × \(spec.periodSeconds)s ± \(spec.periodSeconds)s): the probe is killing a container that has not finished"
        + " starting."
    }
    if f.errored > 0 {
      text += " \(f.errored) attempts errored; errored attempts do not count toward failureThreshold."
    }
    return text
  }

  static func remedy(_ f: ProbeFailures, slowStart: (run: Double, threshold: Int)?) -> String {
    var steps: [String] = []
    if let slowStart, let spec = f.spec {
      steps.append(
        "add a startupProbe with the same handler, periodSeconds: \(spec.periodSeconds) and failureThreshold: "
          + "\(slowStart.threshold) (\(slowStart.threshold * spec.periodSeconds)s to start, covering twice the "
          + "\(Seconds.format(slowStart.run)) it ran with 50 % headroom); liveness checks begin only after it succeeds")
    }
    if let modeRemedy = f.modeRemedy { steps.append(modeRemedy) }
    steps.append("read the previous run's logs: 'kubectl logs --previous' on container '\(f.container.name)'")
    return steps.joined(separator: "; ")
  }
}
