import PodmortemCorrelate
import PodmortemModel

/// A node that is NotReady or unreachable: about each pod on it the input shows, else about the node
/// itself (docs/kubernetes.md §8.3, §9.3).
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
/// - fires: a describe node whose kubelet stopped posting status: Ready Unknown
/// - near miss: a describe node that is Ready
/// - fires: `kubectl get nodes` rows alone: NotReady, without saying whether Ready is False or Unknown
/// - near miss: `kubectl get nodes` rows alone: every node Ready, one cordoned
/// - fires: the kubelet's journal alone: the container runtime network is not ready
/// - near miss: the kubelet's journal alone: the node became ready
/// - fires: a node whose Ready is False, no pod of it shown
package struct NodeNotReadyRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "node.not-ready", category: .nodeNotReady, title: "node not ready",
    rationale: "when a node stops reporting, its pods are marked not ready and, after the 300 s default "
      + "toleration, deleted; they stay Terminating until the node returns or is removed (§8.3). A node shown "
      + "without its pods is reported itself, from its Ready condition, its `get nodes` STATUS, its taints or the "
      + "kubelet's own network-not-ready lines", scopes: [.pod, .node])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: reading.reasons, in: state)
  }

  /// The findings, the reasons of the pod's events read once from `reasons` (`PodEventReasons`,
  /// read once per pod by the `Diagnoser`): a pod with no `NodeNotReady` event is not asked for them.
  func diagnose(_ pod: PodHistory, reasons: PodEventReasons, in state: CorrelatedState) -> [Finding] {
    let node = pod.latest.node.flatMap { state.nodes[$0] }
    let nodeReady = node?.conditions.first { $0.type == "Ready" }
    let notReadyEvents = reasons.has(.nodeNotReady) ? pod.events("NodeNotReady") : []
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

  package func diagnoseNodes(in state: CorrelatedState, podFindings: [Finding]) -> [Finding] {
    let coveredByPods = Self.nodes(of: podFindings)
    var findings: [Finding] = []
    for name in state.nodes.keys.sorted() {
      guard let node = state.nodes[name] else { continue }
      let events = state.events.filter { $0.involved.name == name && $0.involved.kind?.lowercased() == "node" }
      if let ready = node.conditions.first(where: { $0.type == "Ready" }) ?? Self.readyFromStatus(node)
        ?? Self.readyFromOtherSigns(node),
        ready.status != "True", !coveredByPods.contains(name)
      {
        findings.append(Self.notReady(node, ready, events: events))
      }
    }
    let reported = Set(findings.compactMap { $0.fact("node") })
    return findings + Self.networkNotReady(state.nodeLogs, skipping: reported.union(coveredByPods))
  }
}

extension NodeNotReadyRule {
  /// The `node` facts of this rule's pod findings:
  /// `Set(podFindings.filter { $0.ruleID == id }.compactMap { $0.fact("node") })`, the findings
  /// read in place, where the filter copied every pod finding to test its rule (about 550
  /// instructions a finding with its release, callgrind on the 8 MiB EventList;
  /// docs/architecture.md "Speed of the other rules"). `ContainerPrecheckTests` holds it to the
  /// filter.
  static func nodes(of podFindings: [Finding]) -> Set<String> {
    var nodes = Set<String>()
    for i in podFindings.indices where podFindings[i].ruleID == description.id {
      if let node = podFindings[i].fact("node") { nodes.insert(node) }
    }
    return nodes
  }
}

/// A node's own NotReady, for input that shows the node but none of its pods on it (a pasted
/// `kubectl describe node` or `kubectl get nodes`, a bundle's nodes.json, the kubelet's journal):
/// docs/kubernetes.md §8.3. When a pod on the node already has this rule's finding, that finding
/// is the one per cause and the node's own is left out.
extension NodeNotReadyRule {
  /// The kubelet's own `Container runtime network not ready` lines (kubelet.runtime-network-not-ready):
  /// while the runtime's network (the CNI plugin) is not ready, the kubelet reports the node
  /// NotReady (`KubeletNotReady`, "container runtime network not ready") and no pod sandbox needing
  /// the pod network can be created ([k/k] pkg/kubelet/kubelet_node_status.go).
  static func networkNotReady(_ logs: [LogRecord], skipping: Set<String>) -> [Finding] {
    let lines = logs.filter { $0.patternID == "kubelet.runtime-network-not-ready" }
    return Dictionary(grouping: lines, by: { $0.node ?? "" }).sorted { $0.key < $1.key }.compactMap { host, lines in
      guard !skipping.contains(host), let last = lines.last else { return nil }
      let reason = last.capture("reason") ?? "NetworkPluginNotReady"
      let message = last.capture("message") ?? ""
      let subject = host.isEmpty ? "the node whose kubelet log was pasted (name not shown)" : "node/\(host)"
      var facts = [KeyValue("nodeReady", "False"), KeyValue("reason", reason), .int("lines", lines.count)]
      if !host.isEmpty { facts.insert(KeyValue("node", host), at: 0) }
      return description.finding(
        .critical, Subject(object: subject),
        title: "\(host.isEmpty ? "node" : "node '\(host)'") NotReady: container runtime network not ready (\(reason))",
        explanation: "The kubelet says the container runtime's network is not ready (\(reason): '\(message)'), "
          + "written \(lines.count) time\(lines.count == 1 ? "" : "s"). While it is, the kubelet reports the node "
          + "NotReady and cannot create the sandbox of any pod that needs the pod network, so those pods stay "
          + "ContainerCreating. The log alone does not show the node object, so whether the node controller has "
          + "tainted it yet is not known here.",
        remedy: "make the CNI plugin ready on the node: its daemonset pod running, a config in /etc/cni/net.d and "
          + "its binaries in /opt/cni/bin; the plugin's own logs say why it is not",
        facts: facts, decisive: [last.evidence] + lines.dropLast().suffix(2).map(\.evidence), evidence: [])
    }
  }

  /// The Ready condition a `get nodes` STATUS cell stands for, when no condition rows were pasted:
  /// `Ready` is True; `NotReady` is False or Unknown, which the row cannot tell apart.
  static func readyFromStatus(_ node: NodeSnapshot) -> PodCondition? {
    guard let status = node.displayStatus?.split(separator: ",").first else { return nil }
    switch status {
    case "Ready": return PodCondition(type: "Ready", status: "True")
    case "NotReady": return PodCondition(type: "Ready", status: "NotReady")
    case "Unknown": return PodCondition(type: "Ready", status: "Unknown")
    default: return nil
    }
  }

  /// The Ready condition other parts of a node say, when its row was cut off: the node controller
  /// sets every condition to Unknown with reason `NodeStatusUnknown` when the kubelet stops
  /// reporting, and taints a node `node.kubernetes.io/unreachable` (Ready Unknown) or
  /// `node.kubernetes.io/not-ready` (Ready False) ([k/k] pkg/controller/nodelifecycle).
  static func readyFromOtherSigns(_ node: NodeSnapshot) -> PodCondition? {
    if let c = node.conditions.first(where: { $0.status == "Unknown" && $0.reason == "NodeStatusUnknown" }) {
      return PodCondition(type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: c.message)
    }
    if node.taints.contains(where: { $0.hasPrefix("node.kubernetes.io/unreachable") }) {
      return PodCondition(type: "Ready", status: "Unknown", message: taintedUnreachable)
    }
    if node.taints.contains(where: { $0.hasPrefix("node.kubernetes.io/not-ready") }) {
      return PodCondition(type: "Ready", status: "False", message: taintedNotReady)
    }
    return nil
  }

  private static func notReady(_ node: NodeSnapshot, _ ready: PodCondition, events: [MergedEvent]) -> Finding {
    let name = node.name
    let unknown = ready.status == "Unknown"
    var text: String
    switch ready.status {
    case "Unknown":
      text =
        "\(NodeFindings.label(name).capitalisedFirst) is Ready=Unknown\(NodeFindings.why(ready)): its kubelet stopped reporting, so the node controller "
        + "could not hear from it within node-monitor-grace-period (50s since 1.32, 40s before)."
    case "NotReady":
      text =
        "\(NodeFindings.label(name).capitalisedFirst) is NotReady in 'kubectl get nodes': its Ready condition is False (the kubelet reports it "
        + "cannot run pods) or Unknown (the kubelet stopped reporting); the row cannot tell which, and "
        + "'kubectl describe node \(name)' shows the condition with its reason."
    default:
      text =
        "\(NodeFindings.label(name).capitalisedFirst) is Ready=False\(NodeFindings.why(ready)): its kubelet reports that it cannot run pods."
    }
    text += " Its pods are marked NotReady and leave Service endpoints; with the default tolerations "
    text += "(not-ready/unreachable NoExecute for 300s) the taint manager deletes them 5 minutes after the taint, and "
    text += "pods already bound to the node stay Terminating until the kubelet confirms or the Node object is deleted "
    text += "(or tainted node.kubernetes.io/out-of-service)."
    if let since = events.first(where: { $0.reason == "NodeNotReady" })?.lastSeen {
      text += " The node controller recorded NodeNotReady \(NodeFindings.when(since))."
    }
    let taints = node.taints.filter { $0.contains("unreachable") || $0.contains("not-ready") }
    if !taints.isEmpty { text += " Taints: \(taints.joined(separator: ", "))." }
    return description.finding(
      .critical, Subject(object: NodeFindings.subject(name)),
      title: ready.status == "NotReady"
        ? "\(NodeFindings.label(name)) is NotReady" : "\(NodeFindings.label(name)) is NotReady (Ready=\(ready.status))",
      explanation: text,
      remedy: unknown || ready.status == "NotReady"
        ? "check the node itself: is it up, is the kubelet running ('systemctl status kubelet', 'journalctl -u kubelet'), "
          + "can it reach the API server; if the machine is gone, delete the Node object so its pods are rescheduled"
        : "read the Ready condition's message and the kubelet log on the node (container runtime, CNI, disk)",
      facts: [KeyValue("node", name), KeyValue("nodeReady", ready.status)]
        + (ready.reason.map { [KeyValue("reason", $0)] } ?? []),
      decisive: (ready.status == "NotReady" ? node.evidence : readyEvidence(node, ready))
        + events.filter { $0.reason == "NodeNotReady" }.flatMap(\.evidence), evidence: [])
  }

  /// The decisive lines of a Ready condition: its row, or, when it was inferred, the
  /// NodeStatusUnknown rows or the taints; else all the node's lines.
  private static func readyEvidence(_ node: NodeSnapshot, _ ready: PodCondition) -> [Evidence] {
    if ready.reason == "NodeStatusUnknown" {
      let rows = node.conditions.filter { $0.reason == "NodeStatusUnknown" }.compactMap {
        node.conditionEvidence[$0.type]
      }
      if !rows.isEmpty { return rows }
    }
    if let row = node.conditionEvidence["Ready"] { return [row] }
    if inferredFromTaint(ready), !node.taintEvidence.isEmpty { return node.taintEvidence }
    return node.evidence
  }

  /// A Ready condition `readyFromOtherSigns` read from a taint.
  private static func inferredFromTaint(_ ready: PodCondition) -> Bool {
    ready.message == taintedUnreachable || ready.message == taintedNotReady
  }

  static let taintedUnreachable = "tainted node.kubernetes.io/unreachable"
  static let taintedNotReady = "tainted node.kubernetes.io/not-ready"
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
