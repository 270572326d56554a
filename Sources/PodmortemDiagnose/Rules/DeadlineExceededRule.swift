import PodmortemCorrelate
import PodmortemModel

/// A pod killed for running past `activeDeadlineSeconds` (REFERENCE.md §3.4, §8.4).
///
/// The kubelet fails the pod with reason `DeadlineExceeded`, "Pod was active on the node longer
/// than the specified deadline", and kills its containers.
package struct DeadlineExceededRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "pod.deadline-exceeded", category: .deadlineExceeded, title: "pod exceeded its active deadline",
    rationale: "activeDeadlineSeconds bounds how long a pod may be active on a node; past it the kubelet kills the "
      + "containers and marks the pod Failed with reason DeadlineExceeded (§8.4)",
    absorbs: ["container.exit-code"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let events = pod.events("DeadlineExceeded")
    guard pod.latest.reason == "DeadlineExceeded" || !events.isEmpty else { return [] }
    var facts: [KeyValue] = [KeyValue("reason", "DeadlineExceeded")]
    if let start = pod.latest.startTime, let now = pod.now(in: state) {
      facts.append(.int("activeSeconds", Int(now.timeIntervalSince(start.midpoint))))
    }
    return [
      Self.description.finding(
        .critical, pod.subject(), title: "pod killed: active longer than activeDeadlineSeconds",
        explanation:
          "The kubelet failed the pod with reason DeadlineExceeded ('\(pod.latest.message ?? events.last?.message ?? "")'): "
          + "it was active on the node longer than spec.activeDeadlineSeconds and its containers were killed.",
        remedy: "raise activeDeadlineSeconds (set on the pod or by a Job's template) or make the work finish sooner",
        facts: facts, evidence: pod.latest.evidence + events.evidence)
    ]
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "job pod past its deadline",
      .pod("report-28391-x7k2p", phase: "Failed") { p in
        p.snapshot.reason = "DeadlineExceeded"
        p.snapshot.message = "Pod was active on the node longer than the specified deadline"
        p.podLine("Reason:           DeadlineExceeded")
        p.event(.normal, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline")
      },
      expect: [
        ExpectedFinding(
          ruleID: "pod.deadline-exceeded", category: .deadlineExceeded, severity: .critical,
          facts: [KeyValue("reason", "DeadlineExceeded")], evidenceLines: ["Reason:           DeadlineExceeded"])
      ]),
    RuleExample("a running pod", .pod("report-1") { p in p.container("job") }),
  ]
}
