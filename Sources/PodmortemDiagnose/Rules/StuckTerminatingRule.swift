import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A pod still Terminating after its grace deadline, and what holds it (REFERENCE.md §8.1–§8.3, §1.2).
///
/// deletionTimestamp = request + grace, so during the grace period describe prints
/// `Terminating (lasts <invalid>)`: that is normal and yields no finding. Past the deadline, the
/// finalizers, a lost node, a kill the runtime cannot finish or a volume that will not unmount keep it.
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
    } else if latest.evidence.contains(where: { $0.text.contains("<invalid>") }) {
      return []
    }
    var signals = TerminationModel.StuckSignals()
    signals.finalizers = latest.finalizers
    let nodeReady = latest.node.flatMap { state.nodes[$0] }?.conditions.first { $0.type == "Ready" }?.status
    let nodeEvents = pod.events.filter { $0.reason == "NodeNotReady" || $0.message.contains("Marking for deletion") }
    signals.nodeNotReady =
      (nodeReady != nil && nodeReady != "True") || latest.reason == "NodeLost" || !nodeEvents.isEmpty
    let kill = pod.events.filter { $0.reason == "FailedKillPod" || $0.reason == "KillContainerError" }
    let unmount = pod.events.filter {
      $0.reason == "FailedUnmount" || $0.message.contains("UnmountVolume.TearDown failed")
    }
    let hook = pod.events.filter { $0.reason == "FailedPreStopHook" }
    signals.failedKillPod = !kill.isEmpty
    signals.failedUnmount = !unmount.isEmpty
    signals.failedPreStopHook = !hook.isEmpty
    let causes = TerminationModel.stuckCauses(signals)
    if let overdue, overdue.upperBound <= TerminationModel.stuckAfterSeconds, causes == [.unknown] { return [] }
    if overdue == nil, causes == [.unknown] { return [] }
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
    let evidence =
      latest.evidence + nodeEvents.evidence + kill.evidence + unmount.evidence + hook.evidence
      + (latest.node.flatMap { state.nodes[$0]?.evidence } ?? [])
    return [
      Self.description.finding(
        .critical, pod.subject(), title: Self.title(causes, overdue: overdue),
        explanation: Self.explanation(causes, overdue: overdue, grace: grace, latest: latest, kills: kill.totalCount),
        remedy: Self.remedy(causes, latest: latest), facts: facts, evidence: evidence)
    ]
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "finalizer and failed kills, 47 minutes past the deadline",
      .pod("worker-0") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionTimestamp = ExamplePod.ago(47 * 60)
        p.snapshot.deletionGracePeriodSeconds = 30
        p.snapshot.finalizers = ["example.com/drain-protection"]
        p.podLine("Status:           Terminating (lasts 47m)")
        p.container("worker", preStop: "exec [sleep 40]")
        p.event(.warning, "FailedPreStopHook", "PreStopHook failed", lastAgo: 47 * 60)
        p.event(
          .warning, "FailedKillPod",
          "error killing pod: failed to \"KillContainer\" for \"worker\" with KillContainerError: "
            + "\"rpc error: code = DeadlineExceeded desc = context deadline exceeded\"", count: 22, lastAgo: 60,
          firstAgo: 46 * 60)
      },
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .critical,
          facts: [
            KeyValue("cause", "kill-failed"), KeyValue("causes", "kill-failed,finalizers,prestop-hook-failed"),
            KeyValue("overdueSeconds", "2820"), .int("graceSeconds", 30),
            KeyValue("finalizers", "example.com/drain-protection"), .int("failedKills", 22),
          ], evidenceLines: ["Terminating (lasts 47m)", "FailedKillPod", "FailedPreStopHook"])
      ]),
    RuleExample(
      "node NotReady holds the pod",
      .pod("db-0") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionTimestamp = ExamplePod.ago(600)
        p.node("node-1", ready: "Unknown", reason: "NodeStatusUnknown")
        p.container("db")
      },
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, facts: [KeyValue("cause", "node-unreachable")],
          evidenceLines: ["Ready  Unknown"])
      ]),
    RuleExample(
      "Terminating (lasts <invalid>) during the grace period is normal",
      .pod("web-0") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionTimestamp = TimeRange(exactly: ExamplePod.now.addingTimeInterval(20))
        p.snapshot.deletionGracePeriodSeconds = 30
        p.snapshot.finalizers = ["example.com/x"]
        p.podLine("Status:           Terminating (lasts <invalid>)")
        p.container("web", preStop: "exec [sleep 40]")
      }),
    RuleExample(
      "lasts <invalid> with no deletion time parsed",
      .pod("web-1") { p in
        p.snapshot.terminating = true
        p.podLine("Status:           Terminating (lasts <invalid>)")
        p.container("web")
      }),
  ]
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
