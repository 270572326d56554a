import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A pod killed for running past `activeDeadlineSeconds` (docs/kubernetes.md §3.4, §8.4).
///
/// The kubelet fails the pod with reason `DeadlineExceeded`, "Pod was active on the node longer
/// than the specified deadline", and kills its containers.
///
/// Examples, in `Examples/DeadlineExceededRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a Job pod killed at activeDeadlineSeconds 1800
/// - near miss: a Job pod that finished inside its deadline
/// - fires: job pod past its deadline
/// - near miss: a running pod
/// - fires: a Job's own deadline, from the Job's Events table
/// - near miss: a Job's Events table alone: the Job completed inside its deadline
/// - fires: a get pods row whose STATUS is DeadlineExceeded: the pod's own deadline, its start not shown
package struct DeadlineExceededRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "pod.deadline-exceeded", category: .deadlineExceeded, title: "pod exceeded its active deadline",
    rationale: "activeDeadlineSeconds bounds how long a pod may be active on a node; past it the kubelet kills the "
      + "containers and marks the pod Failed with reason DeadlineExceeded (§8.4)",
    absorbs: ["container.exit-code"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: reading.reasons, in: state)
  }

  /// The findings, the reasons of the pod's events read once from `reasons` (`PodEventReasons`,
  /// read once per pod by the `Diagnoser`): a pod with no `DeadlineExceeded` event is not asked for them.
  func diagnose(_ pod: PodHistory, reasons: PodEventReasons, in state: CorrelatedState) -> [Finding] {
    let events = reasons.has(.deadlineExceeded) ? pod.events("DeadlineExceeded") : []
    guard pod.latest.reason == "DeadlineExceeded" || !events.isEmpty else { return [] }
    // The Job controller's event is about the Job's own deadline, not a pod's (docs/kubernetes.md §8.4).
    if pod.latest.reason == nil, !events.isEmpty, events.allSatisfy({ $0.sourceComponent == "job-controller" }) {
      return [Self.jobDeadline(pod, events: events)]
    }
    var facts: [KeyValue] = [KeyValue("reason", "DeadlineExceeded")]
    if let start = pod.latest.startTime, let end = Self.killedAt(pod, events: events) ?? pod.now(in: state) {
      facts.append(.int("activeSeconds", Int(saturating: end.timeIntervalSince(start.midpoint).rounded())))
    }
    return [
      Self.description.finding(
        .critical, pod.subject(), title: "pod killed: active longer than activeDeadlineSeconds",
        explanation:
          "The kubelet failed the pod with reason DeadlineExceeded ('\(pod.latest.message ?? events.last?.message ?? "")'): "
          + "it was active on the node longer than spec.activeDeadlineSeconds and its containers were killed.",
        remedy: "raise activeDeadlineSeconds (set on the pod or by a Job's template) or make the work finish sooner",
        facts: facts, decisive: events.evidence, evidence: pod.latest.evidence)
    ]
  }

  /// A Job past its own `spec.activeDeadlineSeconds`: the Job controller deletes the Job's running
  /// pods and fails the Job with reason DeadlineExceeded. The pasted events belong to the Job.
  private static func jobDeadline(_ pod: PodHistory, events: [MergedEvent]) -> Finding {
    description.finding(
      .critical, pod.subject(), title: "Job killed: active longer than its activeDeadlineSeconds",
      explanation: "The Job controller says '\(events.last?.message ?? "")': the Job ran longer than its "
        + "spec.activeDeadlineSeconds, so the controller deleted its running pods and marked the Job failed with "
        + "reason DeadlineExceeded. These events belong to the Job; the input does not show its pods' own state.",
      remedy: "raise the Job's activeDeadlineSeconds or make the work finish sooner; 'kubectl describe job' shows "
        + "the deadline and the pods it created",
      facts: [KeyValue("reason", "DeadlineExceeded"), KeyValue("object", "job")], evidence: events.evidence)
  }

  /// When the deadline ended the pod: its containers' last finishedAt, else the first DeadlineExceeded
  /// event. The pod stopped being active then, not at capture time.
  private static func killedAt(_ pod: PodHistory, events: [MergedEvent]) -> Date? {
    let finished = pod.latest.containers.compactMap { $0.lastTermination?.finishedAt?.midpoint }.max()
    return finished ?? events.compactMap { $0.firstSeen?.midpoint }.min()
  }
}
