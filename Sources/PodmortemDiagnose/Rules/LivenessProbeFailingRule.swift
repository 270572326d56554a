import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A liveness probe failing, and the kubelet killing the container for it (docs/kubernetes.md §6.2, §6.3).
///
/// Every failed attempt emits `Unhealthy`; after failureThreshold consecutive failures the kubelet
/// kills the container (`Killing … failed liveness probe, will be restarted`), so the exits (137
/// or 143), the restart count and the CrashLoopBackOff that follow are this one cause.
///
/// Examples, in `Examples/LivenessProbeFailingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: liveness timeouts: killed x9, exit 137, back-off 5m (docs/kubernetes.md §6.2, §7.1): one finding
/// - fires: exec probe with no output: describe trims the message to "Liveness probe failed:"
/// - near miss: readiness failing, no restarts: not a liveness finding
/// - fires: `kubectl get events -o wide` alone: the probe kills without the pod status
/// - fires: timeout kills a crash-looping container (docs/kubernetes.md §6.2, §7.1)
/// - fires: empty exec output still counts as a failure
/// - near miss: readiness failures alone are not liveness failures
/// - near miss: a healthy pod
/// - fires: an Events table alone: three exec failures and the kill, the pod and its spec not shown
/// - near miss: headerless rows of a startup probe's kill: not a liveness failure
package struct LivenessProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.liveness-failing", category: .probeFailure, title: "liveness probe failing",
    rationale: "after failureThreshold consecutive liveness failures the kubelet kills and restarts the container "
      + "(§6.2); the kill, the exit code, the restarts and the back-off are symptoms of this one cause",
    absorbs: ["crashloop.backoff", "container.exit-code", "probe.readiness-failing"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, probes: PodProbes(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, probes: PodProbes, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let failures = ProbeFailures(.liveness, container: container, in: pod, probes: probes) else { return nil }
      return finding(failures, pod: pod)
    }
  }

  private func finding(_ f: ProbeFailures, pod: PodHistory) -> Finding {
    let restarts = f.container.restartCount ?? 0
    let kills = f.kills.totalCount
    let killed = kills > 0 || (restarts > 0 && f.failures >= (f.spec?.failureThreshold ?? 3))
    var facts = f.facts + [.int("kills", kills)]
    if f.container.restartCount != nil { facts.append(.int("restarts", restarts)) }
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
      remedy: Self.remedy(f, slowStart: slowStart, logs: pod.previousLogs(f.container.name)), facts: facts,
      decisive: f.decisive + pod.endedRunErrors(f.container.name), evidence: f.evidence)
  }

  private static func lastRunSeconds(_ container: ContainerSnapshot) -> Double? {
    guard let last = container.lastTermination, let start = last.startedAt, let end = last.finishedAt else {
      return nil
    }
    return end.midpoint.timeIntervalSince(start.midpoint)
  }
}

/// The title and explanation, each written piece by piece into one string reserved for them all:
/// built as interpolations joined by `+` and `+=`, every piece was a string of its own, copied and
/// grown again on each join (the explanation 14,000 instructions a finding on an EventList,
/// callgrind). The same pieces in the same order; `ProbeFindingTextTests` keeps the interpolated
/// texts as the reference (docs/architecture.md "Diagnosis: read a pod once").
/// The explanation, reserved for its longest case, is copied to its own length (`compacted`) so
/// the report does not keep the spare capacity; a title's reservation is within 40 bytes of its
/// length and is kept as it is.
extension LivenessProbeFailingRule {
  static func title(_ f: ProbeFailures, kills: Int) -> String {
    let name = f.container.name
    let mode = f.mode.rawValue
    var text = String()
    text.reserveCapacity(name.utf8.count + mode.utf8.count + 64)
    text += "liveness probe failing ("
    text += mode
    if kills > 0 {
      text += "): container '"
      text += name
      text += "' killed "
      text += times(kills)
    } else {
      text += ") on container '"
      text += name
      text += "'"
    }
    return text
  }

  static func explanation(
    _ f: ProbeFailures, kills: Int, restarts: Int, model: ProbeModel?, slowStart: (run: Double, threshold: Int)?
  ) -> String {
    // Room for the fixed words and numbers below (under 900 bytes).
    var text = String()
    let unknowns = f.openExplanation(&text, reserving: 900)
    if let model, let spec = f.spec {
      let threshold = String(spec.failureThreshold)
      let period = String(spec.periodSeconds)
      text += " The kubelet kills the container after "
      text += threshold
      text += " consecutive failures, "
      text += Seconds.format(model.detection)
      text += " after the endpoint stops answering (("
      text += threshold
      text += " − 1) × "
      text += period
      text += "s to "
      text += threshold
      text += " × "
      text += period
      text += "s + "
      text += String(spec.timeoutSeconds)
      text += "s timeout)."
    }
    if kills > 0 {
      text += " The kubelet killed the container "
      text += times(kills)
      text += " (Killing x"
      text += String(kills)
      text += ")"
      if let exit = f.container.lastTermination?.exitCode {
        let meaning = ExitCodes.explain(exit, reason: f.container.lastTermination?.reason)
        text += "; the last run exited "
        text += String(exit)
        text += " ("
        text += meaning.summary
        text += ")"
      }
      if f.container.restartCount == nil {
        text += "; the input does not show the restart count."
      } else {
        text += "; the container has restarted "
        text += times(restarts)
        text += "."
      }
    } else if restarts == 0 {
      text += " No kill is recorded yet: the failures have not reached the threshold in a row."
    }
    if let slowStart, let model, let spec = f.spec {
      let period = String(spec.periodSeconds)
      text += " The last run lasted only "
      text += Seconds.format(slowStart.run)
      text += ", within the "
      text += Seconds.format(model.restartLatency)
      text += " a never-answering container survives (initialDelay "
      text += String(spec.initialDelaySeconds)
      text += "s + "
      text += String(spec.failureThreshold)
      text += " × "
      text += period
      text += "s ± "
      text += period
      text += "s): the probe is killing a container that has not finished starting."
    }
    if f.errored > 0 {
      text += " "
      text += counted(f.errored, "attempt")
      text += " errored; errored attempts do not count toward failureThreshold."
    }
    text += unknowns
    return compacted(text)
  }
}

fileprivate extension LivenessProbeFailingRule {
  static func remedy(_ f: ProbeFailures, slowStart: (run: Double, threshold: Int)?, logs: String) -> String {
    var steps: [String] = []
    if let slowStart, let spec = f.spec {
      steps.append(
        "add a startupProbe with the same handler, periodSeconds: \(spec.periodSeconds) and failureThreshold: "
          + "\(slowStart.threshold) (\(slowStart.threshold * spec.periodSeconds)s to start, covering twice the "
          + "\(Seconds.format(slowStart.run)) it ran with 50 % headroom); liveness checks begin only after it succeeds")
    }
    if let modeRemedy = f.modeRemedy { steps.append(modeRemedy) }
    steps.append("read the killed run's log: \(logs)")
    return steps.joined(separator: "; ")
  }
}
