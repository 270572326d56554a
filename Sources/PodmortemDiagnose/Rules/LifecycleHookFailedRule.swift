import PodmortemCorrelate
import PodmortemModel

/// postStart and preStop hooks that fail, and a preStop hook that outlasts the grace period
/// (docs/kubernetes.md §8.2).
///
/// A failed postStart kills the container (`FailedPostStartHook`, waiting reason
/// `PostStartHookError`). A failed preStop is only `PreStopHook failed`, with no detail. A preStop
/// that runs longer than the grace period is cut there and the container gets 2 s of SIGTERM,
/// then SIGKILL: `sleep 40` with grace 30 exits 137 at 32 s.
///
/// Examples, in `Examples/LifecycleHookFailedRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a postStart hook that fails gets the container killed
/// - near miss: a delete in progress: Stopping container, no hook failure
/// - fires: sleep 40 with grace 30 while terminating: SIGKILL at 32 s
/// - fires: postStart failure
/// - near miss: preStop shorter than the grace period
/// - fires: an older kubelet's hook event, pasted as a row without its table: the error is in the message
/// - near miss: an Events table alone: a delete's Stopping container with no hook failure
package struct LifecycleHookFailedRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "lifecycle.hook-failed", category: .lifecycleHook, title: "lifecycle hook failing",
    rationale: "a postStart failure kills the container; a preStop hook is capped at the grace period and then "
      + "leaves at least 2 s before SIGKILL (§8.2)",
    absorbs: ["container.exit-code", "crashloop.backoff", "termination.grace-expired"])

  package init() {}

  /// The reasons of the hook events this rule reads (`events("FailedPostStartHook", …)` and
  /// `events("FailedPreStopHook", …)` below), asked of the pod before its containers.
  static let hookReasons = ["FailedPostStartHook", "FailedPreStopHook"]

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: reading.reasons, in: state)
  }

  /// The findings, the reasons of the pod's events read once from `reasons` (`PodEventReasons`,
  /// read once per pod by the `Diagnoser`): a pod with no hook event is not asked for them.
  func diagnose(_ pod: PodHistory, reasons: PodEventReasons, in state: CorrelatedState) -> [Finding] {
    // Containers known by name only show no waiting reason and no preStop hook, so a container
    // has a finding here only by a hook event: a pod with none has no finding, and its
    // containers need not be copied to find that out (`BareContainerTests` holds it to the loop).
    let postStartEvents = reasons.has(.failedPostStartHook)
    let preStopEvents = reasons.has(.failedPreStopHook)
    if pod.containersShowNoRuns, !postStartEvents, !preStopEvents { return [] }
    var findings: [Finding] = []
    let grace =
      pod.latest.deletionGracePeriodSeconds ?? pod.latest.terminationGracePeriodSeconds
      ?? TerminationModel.defaultGraceSeconds
    for container in pod.containers([.container, .initContainer]) {
      let postStart = postStartEvents ? pod.events("FailedPostStartHook", container: container.name) : []
      if !postStart.isEmpty || container.waitingReason == "PostStartHookError" {
        findings.append(
          Self.description.finding(
            .critical, pod.subject(container.name), title: "postStart hook failing on container '\(container.name)'",
            explanation: Self.postStartExplanation(
              container, count: postStart.totalCount, eventError: Self.hookError(in: postStart)),
            remedy:
              "make the postStart hook succeed (or remove it); its error is in the waiting message and the kubelet log",
            facts: [KeyValue("hook", "postStart"), .int("failures", max(1, postStart.totalCount))]
              + (Self.hookExitCode(in: postStart).map { [.int("exitCode", $0)] } ?? []),
            decisive: postStart.evidence + container.waitingEvidence, evidence: container.evidence))
      }
      let preStop = preStopEvents ? pod.events("FailedPreStopHook", container: container.name) : []
      let sleep = container.preStop.flatMap(TerminationModel.preStopSleepSeconds)
      let timeline = TerminationModel.killTimeline(graceSeconds: grace, preStopSeconds: sleep)
      if !preStop.isEmpty || timeline.preStopOutlastsGrace {
        var facts: [KeyValue] = [KeyValue("hook", "preStop"), .int("graceSeconds", grace)]
        if let sleep { facts.append(.int("preStopSeconds", sleep)) }
        facts.append(.int("sigkillAfterSeconds", timeline.sigkillAfterSeconds))
        // The hook command's own exit code when the event shows it, else the container's likely one.
        if let exit = Self.hookExitCode(in: preStop) ?? timeline.likelyExitCode { facts.append(.int("exitCode", exit)) }
        if !preStop.isEmpty { facts.append(.int("failures", preStop.totalCount)) }
        let severity: Severity = !preStop.isEmpty || pod.isTerminating ? .warning : .info
        findings.append(
          Self.description.finding(
            severity, pod.subject(container.name),
            title: Self.preStopTitle(container, failed: !preStop.isEmpty, timeline),
            explanation: Self.preStopExplanation(
              failed: preStop.totalCount, eventError: Self.hookError(in: preStop), sleep: sleep, timeline),
            remedy: Self.preStopRemedy(failed: !preStop.isEmpty, sleep: sleep, timeline), facts: facts,
            decisive: preStop.evidence, evidence: container.evidence))
      }
    }
    return findings
  }
}

fileprivate extension LifecycleHookFailedRule {
  /// The hook's error as older kubelets put it in the event (event.lifecycle-hook-failed); newer
  /// ones record only `PostStartHook failed` / `PreStopHook failed`.
  static func hookError(in events: [MergedEvent]) -> String? {
    events.last { $0.patternID == "event.lifecycle-hook-failed" }?.message
  }

  /// The hook command's exit code, as the hook's error was recognised (patterns/details.json,
  /// domain hook-error).
  static func hookExitCode(in events: [MergedEvent]) -> Int? {
    events.last { $0.capture("exitCode") != nil }?.capture("exitCode").flatMap { Plausible.int32($0) }
  }

  static func postStartExplanation(_ container: ContainerSnapshot, count: Int, eventError: String? = nil) -> String {
    var text = "The postStart hook of '\(container.name)' failed"
    if count > 0 { text += " \(times(count))" }
    text +=
      "; the kubelet kills a container whose postStart hook fails (Killing message 'FailedPostStartHook') "
      + "and restarts it under the usual back-off."
    if let message = container.waitingMessage ?? eventError { text += " Hook error: '\(message)'." }
    return text
  }

  static func preStopTitle(_ container: ContainerSnapshot, failed: Bool, _ t: TerminationModel.KillTimeline) -> String {
    failed
      ? "preStop hook failing on container '\(container.name)'"
      : "preStop hook of container '\(container.name)' outlasts the \(t.graceSeconds)s grace period"
  }

  static func preStopExplanation(
    failed: Int, eventError: String? = nil, sleep: Int?, _ t: TerminationModel.KillTimeline
  ) -> String {
    var text = ""
    if failed > 0, let eventError {
      text += "The preStop hook failed \(times(failed)): '\(eventError)'. The kubelet then sends SIGTERM anyway. "
    } else if failed > 0 {
      text +=
        "The preStop hook failed \(times(failed)). The event says only 'PreStopHook failed' so that secrets do not "
        + "leak; the kubelet log line 'PreStop hook failed' has the error. The kubelet then sends SIGTERM anyway. "
    }
    if let sleep, t.preStopOutlastsGrace {
      text +=
        "The hook sleeps \(sleep)s but the grace period is \(t.graceSeconds)s: the hook is cut off at "
        + "\(t.preStopSeconds)s, then the container gets the minimum \(t.termToKillSeconds)s of SIGTERM and SIGKILL "
        + "follows at \(t.preStopSeconds)s + \(t.termToKillSeconds)s = \(t.sigkillAfterSeconds)s: exit code 137."
    }
    return trimmedWhitespace(text)
  }

  static func preStopRemedy(failed: Bool, sleep: Int?, _ t: TerminationModel.KillTimeline) -> String {
    var steps: [String] = []
    if let sleep, t.preStopOutlastsGrace {
      steps.append(
        "raise terminationGracePeriodSeconds above \(sleep)s plus the time the process needs after SIGTERM, "
          + "or shorten the preStop sleep")
    }
    if failed { steps.append("read the kubelet log for 'PreStop hook failed' and fix the hook command or endpoint") }
    return steps.joined(separator: "; ")
  }
}
