import PodmortemCorrelate
import PodmortemModel

/// A pod on a node that is NotReady or unreachable (docs/kubernetes.md §8.3, §9.3).
///
/// The node controller marks pods not ready (`NodeNotReady` "Node is not ready"); the taint manager
/// deletes them after tolerationSeconds (300 s by default, "Marking for deletion Pod ns/name").
///
/// Examples, in `Examples/NodeNotReadyRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: the kubelet on node-2 stopped posting status (describe pod, then describe node)
/// - near miss: the node came back: the pod is Ready again after a NodeNotReady blip
/// - fires: node stopped posting status
/// - near miss: node recovered
/// - fires: `kubectl get events` rows alone: the node controller's NodeNotReady and the taint manager's deletion
/// - near miss: a node's Events alone: cordoned (NodeNotSchedulable) is not NotReady
package struct NodeNotReadyRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "node.not-ready", category: .nodeNotReady, title: "pod's node not ready",
    rationale: "when a node stops reporting, its pods are marked not ready and, after the 300 s default "
      + "toleration, deleted; they stay Terminating until the node returns or is removed (§8.3)")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let node = pod.latest.node.flatMap { state.nodes[$0] }
    let nodeReady = node?.conditions.first { $0.type == "Ready" }
    let notReadyEvents = pod.events("NodeNotReady")
    let marked = pod.events.filter { $0.patternID == "event.marking-for-deletion" }
    let podReady = pod.latest.conditions.first { $0.type == "Ready" }?.status
    let nodeDown = nodeReady.map { $0.status != "True" } ?? false
    let eventsDown = !notReadyEvents.isEmpty && podReady != "True" && nodeReady?.status != "True"
    guard nodeDown || eventsDown || pod.latest.reason == "NodeLost" else { return [] }
    var facts: [KeyValue] = [.int("tolerationSeconds", 300)]
    if let name = pod.latest.node { facts.append(KeyValue("node", name)) }
    if let status = nodeReady?.status { facts.append(KeyValue("nodeReady", status)) }
    if !marked.isEmpty { facts.append(KeyValue("markedForDeletion", "true")) }
    return [
      Self.description.finding(
        .critical, pod.subject(), title: "node \(pod.latest.node.map { "'\($0)' " } ?? "")is not ready",
        explanation: Self.explanation(pod.latest.node, readiness: nodeReady, marked: !marked.isEmpty),
        remedy: "check the node: kubelet status, network, disk and memory pressure ('kubectl describe node'); pods "
          + "come back when it reports Ready again",
        facts: facts, evidence: pod.latest.evidence + notReadyEvents.evidence + marked.evidence + (node?.evidence ?? [])
      )
    ]
  }
}

fileprivate extension NodeNotReadyRule {
  static func explanation(_ node: String?, readiness: PodCondition?, marked: Bool) -> String {
    var text = "The pod's node \(node.map { "'\($0)' " } ?? "")"
    if let readiness {
      text += "reports Ready=\(readiness.status)\(readiness.reason.map { " (\($0))" } ?? "")."
    } else {
      text += "was reported not ready."
    }
    text +=
      " The node controller marks its pods not ready after node-monitor-grace-period (50s since 1.32), "
      + "and the taint manager deletes them after their not-ready/unreachable toleration (300s by default)."
    if marked { text += " This pod has been marked for deletion." }
    return text
  }
}
