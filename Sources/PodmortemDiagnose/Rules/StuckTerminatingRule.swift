import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A pod still Terminating after its grace deadline, and what holds it (docs/kubernetes.md §8.1–§8.3, §1.2).
///
/// deletionTimestamp = request + grace, so during the grace period describe prints
/// `Terminating (lasts <invalid>)`: that is normal and yields no finding. Past the deadline, the
/// finalizers, a lost node, a kill the runtime cannot finish or a volume that will not unmount keep it.
///
/// Examples, in `Examples/StuckTerminatingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: the runtime cannot kill the container: 47m past the grace deadline
/// - fires: node lost: Terminating with reason NodeLost
/// - near miss: Terminating (lasts <invalid>) inside the grace period is a normal delete
/// - near miss: 15s past the deadline with nothing holding it: the kubelet is still cleaning up
/// - fires: the fixture's legacy-sync: Succeeded, kept 47 minutes by a finalizer whose controller is gone: warning
/// - fires: a running container held only by a finalizer: critical
/// - fires: finalizer and failed kills, 47 minutes past the deadline
/// - fires: node NotReady holds the pod
/// - near miss: Terminating (lasts <invalid>) during the grace period is normal
/// - near miss: lasts <invalid> with no deletion time parsed
/// - fires: the describe's status lines and Events alone: the runtime cannot kill the container, 47m past the deadline
/// - near miss: the describe's status lines and Events alone: Terminating (lasts <invalid>) inside the grace period
/// - fires: get pods rows alone: Terminating with no container ready, since when not shown (info)
/// - near miss: a get pods row Terminating with its container still ready: the kubelet is stopping it
package struct StuckTerminatingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "terminating.stuck", category: .stuckTerminating, title: "pod stuck Terminating",
    rationale: "the kubelet kills within grace + 2 s and then deletes the pod; a pod past its deletionTimestamp "
      + "is held by finalizers, an unreachable node, a failed kill or a volume teardown (§8.3)",
    absorbs: ["lifecycle.hook-failed", "node.not-ready", "container.exit-code"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    guard pod.isTerminating else { return [] }
    let latest = pod.latest
    let now = pod.now(in: state)
    var overdue: ClosedRange<Double>?
    if let deletion = latest.deletionTimestamp, let now {
      switch TerminationModel.deletionPhase(deletionTimestamp: deletion, now: now) {
      case .withinGrace: return []
      case .overdue(let by): overdue = by
      }
    } else if latest.deletionInFuture {
      return []
    }
    var signals = TerminationModel.StuckSignals()
    signals.finalizers = latest.finalizers
    let nodeReady = latest.node.flatMap { state.nodes[$0] }?.conditions.first { $0.type == "Ready" }?.status
    let nodeEvents = pod.events.filter { $0.reason == "NodeNotReady" || $0.patternID == "event.marking-for-deletion" }
    signals.nodeNotReady =
      (nodeReady != nil && nodeReady != "True") || latest.reason == "NodeLost" || !nodeEvents.isEmpty
    let kill = pod.events.filter { $0.reason == "FailedKillPod" || $0.reason == "KillContainerError" }
    let unmount = pod.events.filter {
      $0.reason == "FailedUnmount"
        || ($0.patternID == "event.volume-operation-failed" && $0.capture("operation") == "UnmountVolume.TearDown")
    }
    let hook = pod.events.filter { $0.reason == "FailedPreStopHook" }
    signals.failedKillPod = !kill.isEmpty
    signals.failedUnmount = !unmount.isEmpty
    signals.failedPreStopHook = !hook.isEmpty
    let causes = TerminationModel.stuckCauses(signals)
    if let overdue, overdue.upperBound <= TerminationModel.stuckAfterSeconds, causes == [.unknown] { return [] }
    if overdue == nil, causes == [.unknown] { return Self.sinceUnknown(pod) }
    let grace = latest.deletionGracePeriodSeconds ?? latest.terminationGracePeriodSeconds
    var facts: [KeyValue] = [
      KeyValue("cause", causes.first?.rawValue ?? "unknown"),
      KeyValue("causes", causes.map(\.rawValue).joined(separator: ",")),
    ]
    if let overdue { facts.append(.seconds("overdueSeconds", overdue)) }
    if let grace { facts.append(.int("graceSeconds", grace)) }
    if !latest.finalizers.isEmpty { facts.append(KeyValue("finalizers", latest.finalizers.joined(separator: ","))) }
    if let node = latest.node { facts.append(KeyValue("node", node)) }
    if !kill.isEmpty { facts.append(.int("failedKills", kill.totalCount)) }
    let decisive = latest.deletionEvidence + nodeEvents.evidence + kill.evidence + unmount.evidence + hook.evidence
    let evidence = latest.evidence + (latest.node.flatMap { state.nodes[$0]?.evidence } ?? [])
    // Severity: a pod whose containers all completed (exit 0) and that only finalizers keep has
    // nothing left to run and holds no name a controller waits for to recreate it (docs/kubernetes.md
    // §8.3): a controller is broken, the workload is not down — warning. Anything else still
    // holding a pod past its deadline is critical.
    let severity: Severity = Self.completed(pod) && causes == [.finalizers] ? .warning : .critical
    if severity != .critical { facts.append(KeyValue("completed", "true")) }
    return [
      Self.description.finding(
        severity, pod.subject(), title: Self.title(causes, overdue: overdue),
        explanation: Self.explanation(causes, overdue: overdue, grace: grace, latest: latest, kills: kill.totalCount),
        remedy: Self.remedy(causes, latest: latest), facts: facts, decisive: decisive, evidence: evidence)
    ]
  }

  /// A pod a `get pods` row (or a console) shows Terminating with none of its containers ready,
  /// and nothing saying when the delete began: AGE counts from the pod's creation, not from the
  /// delete (docs/kubernetes.md §3.4). Its containers have stopped, so only the API object is
  /// left — normal for the few seconds until the kubelet confirms, stuck if it stays. What the input
  /// cannot tell is said, at info severity; with containers still ready the kubelet is still
  /// stopping them, and nothing is drawn.
  static func sinceUnknown(_ pod: PodHistory) -> [Finding] {
    let latest = pod.latest
    guard latest.deletionTimestamp == nil, latest.terminating, let ready = latest.ready, ready.ready == 0,
      ready.total > 0
    else { return [] }
    let facts = [KeyValue("cause", "unknown"), KeyValue("causes", "unknown"), KeyValue("ready", "0/\(ready.total)")]
    let explanation =
      "kubectl shows the pod Terminating with none of its \(ready.total == 1 ? "container" : "\(ready.total) containers") "
      + "ready: the kubelet has stopped them, and only the API object is left. A delete normally ends within the grace "
      + "period (30s unless the pod sets another) and the kubelet's confirmation; the input does not show when this one "
      + "began (AGE counts from the pod's creation), so whether it is stuck is not known. If it still shows Terminating "
      + "after the grace period, finalizers or an unreachable node hold it."
    let name = latest.name.isEmpty ? "POD" : latest.name
    let namespace = latest.namespace.map { " -n \($0)" } ?? ""
    let remedy =
      "see what holds it: kubectl get pod\(namespace) \(name) -o jsonpath='{.metadata.deletionTimestamp} "
      + "{.metadata.finalizers} {.spec.nodeName}' and check that node with kubectl get node"
    return [
      Self.description.finding(
        .info, pod.subject(), title: "pod Terminating with no container ready (since when is not shown)",
        explanation: explanation, remedy: remedy, facts: facts, decisive: latest.evidence, evidence: [])
    ]
  }

  /// True when the pod finished successfully: phase Succeeded, or every app container terminated
  /// with exit code 0.
  static func completed(_ pod: PodHistory) -> Bool {
    if pod.latest.phase == "Succeeded" { return true }
    let containers = pod.containers([.container])
    return !containers.isEmpty
      && containers.allSatisfy { c in
        if case .terminated(let t) = c.state { t.exitCode == 0 } else { false }
      }
  }
}

fileprivate extension StuckTerminatingRule {
  static func title(_ causes: [TerminationModel.StuckCause], overdue: ClosedRange<Double>?) -> String {
    let how = overdue.map { " \(Seconds.format($0.lowerBound)) past its grace deadline" } ?? ""
    return "pod stuck Terminating\(how) (\(causes.first?.rawValue ?? "unknown"))"
  }

  static func explanation(
    _ causes: [TerminationModel.StuckCause], overdue: ClosedRange<Double>?, grace: Int?, latest: PodSnapshot, kills: Int
  ) -> String {
    var text = "deletionTimestamp is the delete request plus the grace period"
    if let grace { text += " (\(grace)s)" }
    text += ", and describe's 'lasts' counts from it."
    if let overdue {
      text +=
        " The deadline passed \(Seconds.format(overdue)) ago; the kubelet sends SIGKILL at most 2s after it, "
        + "so the pod should long be gone."
    }
    for cause in causes {
      switch cause {
      case .nodeUnreachable:
        text +=
          " The node \(latest.node.map { "'\($0)' " } ?? "")is not Ready: no kubelet confirms the termination, "
          + "so the pod stays until the Node object is deleted or tainted out-of-service."
      case .killFailed: text += " The runtime failed to stop the container (FailedKillPod x\(kills))."
      case .volumeTeardown: text += " A volume fails to unmount; the kubelet waits for it before the final delete."
      case .finalizers:
        text +=
          " Finalizers \(latest.finalizers.map { "'\($0)'" }.joined(separator: ", ")) keep the object until "
          + "their controller removes them."
      case .preStopHookFailed:
        text +=
          " The preStop hook failed (the event carries no detail; the kubelet log has it); a failed hook "
          + "alone does not block the kill."
      case .unknown: text += " Nothing in the input says what holds it."
      }
    }
    return text
  }

  static func remedy(_ causes: [TerminationModel.StuckCause], latest: PodSnapshot) -> String {
    switch causes.first ?? .unknown {
    case .nodeUnreachable:
      return "bring the node back, or if it is gone delete the Node object or taint it "
        + "'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute'; force deletion risks two copies of a StatefulSet pod"
    case .killFailed: return "check the container runtime on the node (crictl ps, the kubelet and containerd logs)"
    case .volumeTeardown:
      return
        "find the mount that fails to unmount in the kubelet log (UnmountVolume.TearDown) and fix the storage driver"
    case .finalizers:
      return
        "find the controller that owns \(latest.finalizers.map { "'\($0)'" }.joined(separator: ", ")) and let it finish; "
        + "only remove a finalizer by hand when that controller is gone"
    case .preStopHookFailed: return "read the kubelet log for 'PreStop hook failed' to see the hook's error"
    case .unknown: return "look at the kubelet log on the node for this pod"
    }
  }
}
