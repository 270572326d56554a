import Foundation
import PodmortemCorrelate
import PodmortemModel

/// Findings about nodes themselves, for input that shows a node but none of its pods (a pasted
/// `kubectl describe node`, a bundle's nodes.json): Ready `False`/`Unknown`, and the pressure
/// conditions that make the eviction manager act (docs/kubernetes.md §8.2, §8.3).
///
/// When a pod on the node already has a `node.not-ready` finding, that finding is the one per cause
/// and the node's own NotReady finding is left out.
package struct NodeFindings: Sendable {
  package init() {}

  /// The rule ids of these findings (`node.not-ready` is also a catalog rule), for what names rules
  /// (a config file's ignore and override entries).
  package static let ruleIDs = ["node.condition", "node.not-ready"]

  /// Conditions that mean trouble when `True` (Ready means trouble when it is not).
  static let pressure: [(type: String, effect: String)] = [
    (
      "MemoryPressure",
      "the kubelet's eviction manager evicts pods (BestEffort first, then Burstable over their requests) and new BestEffort pods are not scheduled"
    ),
    (
      "DiskPressure",
      "the kubelet garbage-collects images and evicts pods using ephemeral storage; new pods are not scheduled"
    ),
    ("PIDPressure", "the kubelet evicts pods to free process IDs; new pods are not scheduled"),
    ("NetworkUnavailable", "the node's network is not configured: pods on it cannot reach the cluster network"),
  ]

  package func diagnose(_ state: CorrelatedState, podFindings: [Finding]) -> [Finding] {
    let coveredByPods = Set(podFindings.filter { $0.ruleID == "node.not-ready" }.compactMap { $0.fact("node") })
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
      for (type, effect) in Self.pressure {
        guard let c = node.conditions.first(where: { $0.type == type }), c.status == "True" else { continue }
        findings.append(
          Finding(
            ruleID: "node.condition", category: .nodeNotReady, severity: .warning,
            subject: Subject(object: Self.subject(name)), title: "\(Self.label(name)) has \(type)",
            explanation: "\(Self.label(name).capitalisedFirst) reports \(type)=True\(Self.why(c)): \(effect).",
            remedy: "free the resource on the node or move workloads off it; 'kubectl describe node "
              + "\(name.isEmpty ? "<node>" : name)' shows allocated resources, and the kubelet log shows what the "
              + "eviction manager did",
            facts: (name.isEmpty ? [] : [KeyValue("node", name)])
              + [KeyValue("condition", type), KeyValue("status", "True")],
            evidence: Self.lines(node, of: type)))
      }
    }
    findings += Self.pressureFromEvents(
      state.events, nodes: state.nodes, podsEvicted: podFindings.contains { $0.ruleID == "pod.evicted" })
    let reported = Set(findings.compactMap { $0.ruleID == "node.not-ready" ? $0.fact("node") : nil })
    findings += Self.networkNotReady(state.nodeLogs, skipping: reported.union(coveredByPods))
    return findings
  }

  /// The pressure condition each status a kubelet node event reports (`event.node-status-change`'s
  /// `status` capture) sets, and to what ([k/k] pkg/kubelet/nodestatus/setters.go).
  static let pressureStatuses: [String: (condition: String, holds: Bool)] = [
    "NodeHasInsufficientMemory": ("MemoryPressure", true), "NodeHasSufficientMemory": ("MemoryPressure", false),
    "NodeHasDiskPressure": ("DiskPressure", true), "NodeHasNoDiskPressure": ("DiskPressure", false),
    "NodeHasInsufficientPID": ("PIDPressure", true), "NodeHasSufficientPID": ("PIDPressure", false),
  ]

  /// Pressure from a node's events alone (a node's Events table pasted without its Conditions): the
  /// latest NodeHas… event of a condition says whether it holds, and EvictionThresholdMet says the
  /// eviction manager is reclaiming (docs/kubernetes.md §9.1). A condition the node's own snapshot
  /// shows is reported from that snapshot instead. EvictionThresholdMet without a condition event is
  /// raised only when no evicted pod's finding already tells of the eviction (one finding per cause).
  static func pressureFromEvents(
    _ events: [MergedEvent], nodes: [String: NodeSnapshot], podsEvicted: Bool = false
  ) -> [Finding] {
    let relevant = events.filter {
      $0.patternID == "event.eviction-threshold-met"
        || ($0.patternID == "event.node-status-change" && pressureStatuses[$0.capture("status") ?? ""] != nil)
    }
    // The node: the event's object, else the one its message names, else the kubelet's host.
    var byNode = Dictionary(grouping: relevant) { e -> String in
      if e.involved.kind?.lowercased() == "node", !e.involved.name.isEmpty { return e.involved.name }
      return e.capture("node") ?? e.sourceHost ?? ""
    }
    // Events that name no node beside the events of exactly one named node are that node's (a
    // node's Events table whose status messages name it and whose EvictionThresholdMet does not).
    if let unnamed = byNode[""], byNode.count == 2, let only = byNode.keys.first(where: { !$0.isEmpty }) {
      byNode[only, default: []] += unnamed
      byNode[""] = nil
    }
    var findings: [Finding] = []
    for (name, events) in byNode.sorted(by: { $0.key < $1.key }) {
      let shown = Set(nodes[name]?.conditions.map(\.type) ?? [])
      let evictions = events.filter { $0.patternID == "event.eviction-threshold-met" }
      let changes = Dictionary(grouping: events.filter { $0.patternID == "event.node-status-change" }) {
        pressureStatuses[$0.capture("status") ?? ""]?.condition ?? ""
      }
      var reported = false
      for (condition, changes) in changes.sorted(by: { $0.key < $1.key }) where !condition.isEmpty {
        guard !shown.contains(condition),
          let rise = changes.filter({ Self.holds($0) == true }).max(by: Self.earlier)
        else { continue }
        let relief = changes.filter { Self.holds($0) == false }.max(by: Self.earlier)
        var caveat = ""
        if let relief {
          let r = relief.lastSeen
          let p = rise.lastSeen
          // Relieved after it rose: the condition no longer holds.
          if let r, let p, r.earliest >= p.latest { continue }
          // Relieved before it rose only when both times are known and apart.
          let before = r.flatMap { r in p.map { r.latest <= $0.earliest } } ?? false
          if !before {
            caveat =
              " The input does not show whether \(relief.capture("status") ?? relief.reason) came after it, so it may have cleared."
          }
        }
        findings.append(
          pressure(
            name, condition, rise, evictions: evictions, caveat: caveat, severity: caveat.isEmpty ? .warning : .info))
        reported = true
      }
      // Pressure relieved after the last EvictionThresholdMet: the threshold no longer holds.
      let relievedAfter = events.contains { e in
        guard holds(e) == false, let r = e.lastSeen, let v = evictions.max(by: Self.earlier)?.lastSeen else {
          return false
        }
        return r.earliest >= v.latest
      }
      if !reported, !podsEvicted, !relievedAfter, let last = evictions.max(by: Self.earlier) {
        let subject = Self.subject(name)
        let label = Self.label(name)
        findings.append(
          Finding(
            ruleID: "node.condition", category: .nodeNotReady, severity: .warning, subject: Subject(object: subject),
            title: "\(label): eviction threshold met (\(last.count) time\(last.count == 1 ? "" : "s"))",
            explanation:
              "The kubelet's eviction manager recorded EvictionThresholdMet ('\(last.message)')\(Self.seen(last)): "
              + "a hard or soft eviction threshold was crossed, so the kubelet reclaims the resource by removing unused "
              + "images and dead containers and then by evicting pods, BestEffort first, then Burstable over their "
              + "requests. The node's conditions are not in the input.",
            remedy:
              "'kubectl describe node \(name.isEmpty ? "<node>" : name)' shows the pressure condition and what is "
              + "allocated; free the resource or move workloads off the node, and set requests and limits",
            facts: (name.isEmpty ? [] : [KeyValue("node", name)]) + [KeyValue("reason", "EvictionThresholdMet")],
            evidence: last.evidence))
      }
    }
    return findings
  }

  /// The subject of a finding about node `name`; a node the input never names (a Conditions table
  /// or node Events pasted alone) is "the pasted node" (docs/findings-schema.md, `subject`).
  static func subject(_ name: String) -> String { name.isEmpty ? "the pasted node (name not shown)" : "node/\(name)" }

  /// `node 'n1'`, or `the pasted node` when the input does not name it.
  static func label(_ name: String) -> String { name.isEmpty ? "the pasted node" : "node '\(name)'" }

  private static func holds(_ e: MergedEvent) -> Bool? { pressureStatuses[e.capture("status") ?? ""]?.holds }

  private static func earlier(_ a: MergedEvent, _ b: MergedEvent) -> Bool {
    (a.lastSeen?.latest ?? .distantPast) < (b.lastSeen?.latest ?? .distantPast)
  }

  private static func seen(_ e: MergedEvent) -> String {
    let times = e.count == 1 ? "" : ", \(e.count) times"
    return e.lastSeen.map { " (last \(when($0))\(times))" } ?? (times.isEmpty ? "" : " (\(e.count) times)")
  }

  private static func pressure(
    _ name: String, _ condition: String, _ rise: MergedEvent, evictions: [MergedEvent], caveat: String,
    severity: Severity
  ) -> Finding {
    let effect = Self.pressure.first { $0.type == condition }?.effect ?? "the kubelet evicts pods"
    let subject = Self.subject(name)
    let label = Self.label(name)
    var text =
      "The kubelet recorded \(rise.capture("status") ?? rise.reason)\(seen(rise)), so \(condition) is True: \(effect)."
    if let eviction = evictions.max(by: earlier) {
      text += " The eviction manager recorded EvictionThresholdMet ('\(eviction.message)')\(seen(eviction))."
    }
    text += caveat + " The node's Conditions table is not in the input."
    var facts = [
      KeyValue("condition", condition), KeyValue("status", "True"),
      KeyValue("reason", rise.capture("status") ?? rise.reason),
    ]
    if !name.isEmpty { facts.insert(KeyValue("node", name), at: 0) }
    return Finding(
      ruleID: "node.condition", category: .nodeNotReady, severity: severity, subject: Subject(object: subject),
      title: "\(label) has \(condition) (from its events)", explanation: text,
      remedy:
        "free the resource on the node or move workloads off it; 'kubectl describe node \(name.isEmpty ? "<node>" : name)' "
        + "shows allocated resources, and the kubelet log shows what the eviction manager did",
      facts: facts, evidence: rise.evidence + (evictions.max(by: earlier)?.evidence ?? []))
  }

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
      return Finding(
        ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical, subject: Subject(object: subject),
        title: "\(host.isEmpty ? "node" : "node '\(host)'") NotReady: container runtime network not ready (\(reason))",
        explanation: "The kubelet says the container runtime's network is not ready (\(reason): '\(message)'), "
          + "written \(lines.count) time\(lines.count == 1 ? "" : "s"). While it is, the kubelet reports the node "
          + "NotReady and cannot create the sandbox of any pod that needs the pod network, so those pods stay "
          + "ContainerCreating. The log alone does not show the node object, so whether the node controller has "
          + "tainted it yet is not known here.",
        remedy: "make the CNI plugin ready on the node: its daemonset pod running, a config in /etc/cni/net.d and "
          + "its binaries in /opt/cni/bin; the plugin's own logs say why it is not",
        facts: facts, evidence: [last.evidence] + lines.dropLast().suffix(2).map(\.evidence))
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
        "\(label(name).capitalisedFirst) is Ready=Unknown\(why(ready)): its kubelet stopped reporting, so the node controller "
        + "could not hear from it within node-monitor-grace-period (50s since 1.32, 40s before)."
    case "NotReady":
      text =
        "\(label(name).capitalisedFirst) is NotReady in 'kubectl get nodes': its Ready condition is False (the kubelet reports it "
        + "cannot run pods) or Unknown (the kubelet stopped reporting); the row cannot tell which, and "
        + "'kubectl describe node \(name)' shows the condition with its reason."
    default:
      text = "\(label(name).capitalisedFirst) is Ready=False\(why(ready)): its kubelet reports that it cannot run pods."
    }
    text += " Its pods are marked NotReady and leave Service endpoints; with the default tolerations "
    text += "(not-ready/unreachable NoExecute for 300s) the taint manager deletes them 5 minutes after the taint, and "
    text += "pods already bound to the node stay Terminating until the kubelet confirms or the Node object is deleted "
    text += "(or tainted node.kubernetes.io/out-of-service)."
    if let since = events.first(where: { $0.reason == "NodeNotReady" })?.lastSeen {
      text += " The node controller recorded NodeNotReady \(Self.when(since))."
    }
    let taints = node.taints.filter { $0.contains("unreachable") || $0.contains("not-ready") }
    if !taints.isEmpty { text += " Taints: \(taints.joined(separator: ", "))." }
    return Finding(
      ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
      subject: Subject(object: Self.subject(name)),
      title: ready.status == "NotReady"
        ? "\(label(name)) is NotReady" : "\(label(name)) is NotReady (Ready=\(ready.status))", explanation: text,
      remedy: unknown || ready.status == "NotReady"
        ? "check the node itself: is it up, is the kubelet running ('systemctl status kubelet', 'journalctl -u kubelet'), "
          + "can it reach the API server; if the machine is gone, delete the Node object so its pods are rescheduled"
        : "read the Ready condition's message and the kubelet log on the node (container runtime, CNI, disk)",
      facts: [KeyValue("node", name), KeyValue("nodeReady", ready.status)]
        + (ready.reason.map { [KeyValue("reason", $0)] } ?? []),
      evidence: (ready.status == "NotReady" ? node.evidence : readyEvidence(node, ready))
        + events.filter { $0.reason == "NodeNotReady" }.flatMap(\.evidence))
  }

  /// `at 00:12:40Z`, or `between 00:12:00Z and 00:13:00Z` for a time known from an age.
  private static func when(_ r: TimeRange) -> String {
    let style = Date.ISO8601FormatStyle(timeZone: .gmt)
    func second(_ d: Date) -> String { Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded()).formatted(style) }
    return r.width < 1 ? "at \(second(r.midpoint))" : "between \(second(r.earliest)) and \(second(r.latest))"
  }

  private static func why(_ c: PodCondition) -> String {
    switch (c.reason, c.message) {
    case (let r?, let m?): " (\(r): \(m))"
    case (let r?, nil): " (\(r))"
    case (nil, let m?): " (\(m))"
    case (nil, nil): ""
    }
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

  /// The line that shows condition `type`, else all the node's lines.
  private static func lines(_ node: NodeSnapshot, of type: String) -> [Evidence] {
    node.conditionEvidence[type].map { [$0] } ?? node.evidence
  }

  /// A Ready condition `readyFromOtherSigns` read from a taint.
  private static func inferredFromTaint(_ ready: PodCondition) -> Bool {
    ready.message == taintedUnreachable || ready.message == taintedNotReady
  }

  static let taintedUnreachable = "tainted node.kubernetes.io/unreachable"
  static let taintedNotReady = "tainted node.kubernetes.io/not-ready"
}

extension String {
  /// The string with its first letter in upper case (`the pasted node` → `The pasted node`).
  fileprivate var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
