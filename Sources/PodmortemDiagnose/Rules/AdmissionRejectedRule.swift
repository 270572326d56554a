import PodmortemCorrelate
import PodmortemModel

/// A pod the kubelet refused after the scheduler placed it (docs/kubernetes.md §9.2).
///
/// The kubelet runs its own admission checks when a pod reaches the node
/// (pkg/kubelet/lifecycle/predicate.go): a node-affinity or taint mismatch seen with the node's
/// current labels, or a resource the node no longer has room for. A refused pod is marked Failed at
/// once with the check's name as its reason (`NodeAffinity`, `OutOfcpu`, `UnexpectedAdmissionError`)
/// and a message such as `Pod Predicate NodeAffinity failed`; it is never retried, so its owner must
/// create a new pod.
///
/// Examples, in `Examples/AdmissionRejectedRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a pod failed at admission by a node-affinity mismatch
/// - fires: a pod failed at admission for lack of memory
/// - near miss: an evicted pod is not an admission failure
/// - fires: the describe's status lines and container alone: rejected by node affinity
/// - near miss: the describe's status lines and container alone: Failed with reason Evicted is an eviction
/// - fires: a get pods row whose STATUS is the admission check's name
package struct AdmissionRejectedRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "scheduling.admission-rejected", category: .failedScheduling, title: "kubelet rejected the pod at admission",
    rationale: "the kubelet re-checks a scheduled pod against the node; a failed check fails the pod for good with "
      + "the check's name as its reason (§9.2)")

  package init() {}

  /// The reasons `predicate.go` sets besides `OutOf<resource>`.
  static let reasons: Set<String> = [
    "NodeAffinity", "NodeName", "NodePorts", "TaintToleration", "NodeSelectorMismatching", "InvalidNodeInfo",
    "UnexpectedAdmissionError", "UnexpectedPredicateFailureType", "PodFitsHostPorts", "MatchNodeSelector",
  ]

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    guard pod.latest.phase == "Failed", let reason = pod.latest.reason,
      Self.reasons.contains(reason) || (reason.hasPrefix("OutOf") && reason.count > 5)
    else { return [] }
    let message = pod.latest.message ?? ""
    var facts = [KeyValue("reason", reason)]
    if reason.hasPrefix("OutOf") { facts.append(KeyValue("resource", String(reason.dropFirst(5)))) }
    if let node = pod.latest.node { facts.append(KeyValue("node", node)) }
    let what =
      reason.hasPrefix("OutOf")
      ? "the node had no room left for its \(reason.dropFirst(5)) request when the pod arrived"
      : "the node failed the kubelet's \(reason) check when the pod arrived"
    let shown = message.isEmpty ? "" : " ('\(message)')"
    return [
      Self.description.finding(
        .critical, pod.subject(), title: "pod rejected by the kubelet: \(reason)",
        explanation: "The scheduler placed the pod, but \(what)\(shown). The kubelet failed the pod at admission and "
          + "will not retry it; its containers never started. The input does not show whether the owner has "
          + "created a replacement.",
        remedy: reason.hasPrefix("OutOf")
          ? "delete the failed pod (its owner creates a new one); if it recurs, look for static pods or other "
            + "pods the scheduler does not see using the node's resources"
          : "check the node's labels and taints against the pod's nodeSelector, affinity and tolerations "
            + "(a label changed after scheduling); delete the failed pod so its owner creates a new one",
        facts: facts, evidence: pod.latest.evidence)
    ]
  }
}
