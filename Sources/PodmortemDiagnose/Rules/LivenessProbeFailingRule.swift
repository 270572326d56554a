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
    // No liveness probe event or line: `ProbeFailures` is nil for every container, so none is
    // copied to ask it (docs/architecture.md "Diagnosis: read a pod once").
    guard probes.mayHaveFailed(.liveness) else { return [] }
    // The containers read where they are, by index: `compactMap` handed each one out as a copy
    // (every string and array of it retained, then released) only to be asked about, and most
    // have no failure (docs/architecture.md "Speed of the probe rules").
    let containers = pod.containers([.container, .initContainer])
    var found: [Finding] = []
    for i in containers.indices {
      guard let f = ProbeFailures.read(.liveness, container: containers[i], in: pod, probes: probes) else { continue }
      found.append(finding(f, pod: pod))
    }
    return found
  }

  private func finding(_ f: ProbeFailures, pod: PodHistory) -> Finding {
    let restarts = f.container.restartCount ?? 0
    let kills = f.kills.totalCount
    let killed = kills > 0 || (restarts > 0 && f.failures >= (f.spec?.failureThreshold ?? 3))
    let model = f.spec.map(ProbeModel.init)
    var slowStart: (run: Double, threshold: Int)?
    if let model, killed, f.container.probes[.startup] == nil, let run = Self.lastRunSeconds(f.container) {
      let grace = Double(pod.latest.terminationGracePeriodSeconds ?? TerminationModel.defaultGraceSeconds)
      if run <= model.restartLatency.upperBound + grace {
        let threshold = model.suggestedStartupFailureThreshold(coveringStartOf: 2 * run)
        slowStart = (run, threshold)
      }
    }
    // Appended to the facts' own list, made with room for exactly these (`facts(reserving:)`), in
    // the order they were first appended in; not joined into a new one with a list of one.
    let exitCode = f.container.lastTermination?.exitCode
    var extra = 1
    if f.container.restartCount != nil { extra += 1 }
    if exitCode != nil { extra += 1 }
    if slowStart != nil { extra += 1 }
    if f.hasSpec { extra += 2 }
    var facts = f.facts(reserving: extra)
    facts.append(.int("kills", kills))
    if f.container.restartCount != nil { facts.append(.int("restarts", restarts)) }
    if let exit = exitCode { facts.append(.int("exitCode", exit)) }
    if let slowStart { facts.append(.int("suggestedStartupFailureThreshold", slowStart.threshold)) }
    if let model {
      facts.append(.seconds("detectSeconds", model.detection))
      facts.append(.seconds("restartLatencySeconds", model.restartLatency))
    }
    let severity: Severity = killed ? .critical : .warning
    // `f.decisive + errors`: joining an empty list still copied every line of the first.
    let errors = pod.endedRunErrors(f.container.name)
    return Self.description.finding(
      severity, pod.subject(f.container.name), title: Self.title(f, kills: kills),
      explanation: Self.explanation(f, kills: kills, restarts: restarts, model: model, slowStart: slowStart),
      remedy: Self.remedy(f, slowStart: slowStart, logs: pod.previousLogs(f.container.name)), facts: facts,
      decisive: errors.isEmpty ? f.decisive : f.decisive + errors, evidence: f.evidence)
  }

  private static func lastRunSeconds(_ container: ContainerSnapshot) -> Double? {
    guard let last = container.lastTermination, let start = last.startedAt, let end = last.finishedAt else {
      return nil
    }
    return end.midpoint.timeIntervalSince(start.midpoint)
  }
}

/// The title, explanation and remedy, each gathered as its pieces and written once into a string
/// of exactly their length (`TextPieces`). Built as interpolations joined by `+` and `+=`, every
/// piece was a string of its own, copied and grown again on each join (the explanation 14,000
/// instructions a finding on an EventList, callgrind); appended to one reserved string and then
/// copied to its own length (`compacted`, so the report kept no spare capacity: the 128 MB
/// EventList's peak RSS), still about 350 instructions a piece and 10,900 an explanation. The same
/// pieces in the same order; `ProbeFindingTextTests` keeps the interpolated texts as the reference
/// (docs/architecture.md "Diagnosis: read a pod once").
extension LivenessProbeFailingRule {
  static func title(_ f: ProbeFailures, kills: Int) -> String {
    return TextPieces.written { text in
      text.add("liveness probe failing (")
      text.add(f.mode.rawValue)
      if kills > 0 {
        text.add("): container '")
        text.add(f.container.name)
        text.add("' killed ")
        text.addTimes(kills)
      } else {
        text.add(") on container '")
        text.add(f.container.name)
        text.add("'")
      }
    }
  }

  static func explanation(
    _ f: ProbeFailures, kills: Int, restarts: Int, model: ProbeModel?, slowStart: (run: Double, threshold: Int)?
  ) -> String {
    return TextPieces.written { text in
      f.addOpening(to: &text)
      if let model, let spec = f.spec {
        let threshold = String(spec.failureThreshold)
        let period = String(spec.periodSeconds)
        text.add(" The kubelet kills the container after ")
        text.add(threshold)
        text.add(" consecutive failures, ")
        text.add(Seconds.format(model.detection))
        text.add(" after the endpoint stops answering ((")
        text.add(threshold)
        text.add(" − 1) × ")
        text.add(period)
        text.add("s to ")
        text.add(threshold)
        text.add(" × ")
        text.add(period)
        text.add("s + ")
        text.add(String(spec.timeoutSeconds))
        text.add("s timeout).")
      }
      if kills > 0 {
        text.add(" The kubelet killed the container ")
        text.addTimes(kills)
        text.add(" (Killing x")
        text.add(String(kills))
        text.add(")")
        if let exit = f.container.lastTermination?.exitCode {
          let meaning = ExitCodes.explain(exit, reason: f.container.lastTermination?.reason)
          text.add("; the last run exited ")
          text.add(String(exit))
          text.add(" (")
          text.add(meaning.summary)
          text.add(")")
        }
        if f.container.restartCount == nil {
          text.add("; the input does not show the restart count.")
        } else {
          text.add("; the container has restarted ")
          text.addTimes(restarts)
          text.add(".")
        }
      } else if restarts == 0 {
        text.add(" No kill is recorded yet: the failures have not reached the threshold in a row.")
      }
      if let slowStart, let model, let spec = f.spec {
        let period = String(spec.periodSeconds)
        text.add(" The last run lasted only ")
        text.add(Seconds.format(slowStart.run))
        text.add(", within the ")
        text.add(Seconds.format(model.restartLatency))
        text.add(" a never-answering container survives (initialDelay ")
        text.add(String(spec.initialDelaySeconds))
        text.add("s + ")
        text.add(String(spec.failureThreshold))
        text.add(" × ")
        text.add(period)
        text.add("s ± ")
        text.add(period)
        text.add("s): the probe is killing a container that has not finished starting.")
      }
      if f.errored > 0 {
        text.add(" ")
        text.add(counted(f.errored, "attempt"))
        text.add(" errored; errored attempts do not count toward failureThreshold.")
      }
      f.addUnknowns(to: &text)
    }
  }

  /// The steps, joined by `; `, as `[String].joined(separator:)` joined them (the reference in
  /// `ProbeFindingTextTests`).
  static func remedy(_ f: ProbeFailures, slowStart: (run: Double, threshold: Int)?, logs: String) -> String {
    return TextPieces.written { text in
      if let slowStart, let spec = f.spec {
        text.add("add a startupProbe with the same handler, periodSeconds: ")
        text.add(String(spec.periodSeconds))
        text.add(" and failureThreshold: ")
        text.add(String(slowStart.threshold))
        text.add(" (")
        text.add(String(slowStart.threshold * spec.periodSeconds))
        text.add("s to start, covering twice the ")
        text.add(Seconds.format(slowStart.run))
        text.add(" it ran with 50 % headroom); liveness checks begin only after it succeeds; ")
      }
      if f.addModeRemedy(to: &text) { text.add("; ") }
      text.add("read the killed run's log: ")
      text.add(logs)
    }
  }
}
