import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A node under pressure: a condition that makes the kubelet's eviction manager act
/// (`MemoryPressure`, `DiskPressure`, `PIDPressure`) or a node without its network
/// (`NetworkUnavailable`), from the node's Conditions table, or from its events alone: the latest
/// `NodeHas…` status event of a condition, and `EvictionThresholdMet` (docs/kubernetes.md §8.2, §9.1).
///
/// Examples, in `Examples/NodeConditionRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a describe node whose DiskPressure is True while it is Ready
/// - near miss: a describe node with every pressure condition False
/// - fires: Conditions rows alone, one wrapped mid-reason: the pasted node, unnamed, has MemoryPressure
/// - fires: a node's Events alone: the latest NodeHasInsufficientMemory, then EvictionThresholdMet
/// - fires: EvictionThresholdMet alone: the kubelet's host is the node
/// - near miss: a node's Events alone: the memory pressure was relieved after it rose
/// - near miss: a node's Events alone: the eviction manager acted, then the pressure was relieved
/// - near miss: `kubectl get events` rows: EvictionThresholdMet beside the pod it evicted is that pod's finding
/// - fires: a node with PIDPressure True
/// - fires: a node's describe cut to its Taints line: the disk-pressure taint says DiskPressure holds
/// - near miss: a node's describe cut to a Taints line of its own choosing: no condition taint, no finding
package struct NodeConditionRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "node.condition", category: .nodeNotReady, title: "node condition",
    rationale: "a True pressure condition means the kubelet's eviction manager reclaims the resource, evicting pods "
      + "BestEffort first and new pods are not scheduled; the kubelet records each change as a NodeHas… event and "
      + "each reclaim as EvictionThresholdMet (§8.2, §9.1)", scopes: [.node])

  package init() {}

  package func diagnoseNodes(in state: CorrelatedState, podFindings: [Finding]) -> [Finding] {
    var findings: [Finding] = []
    for name in state.nodes.keys.sorted() {
      guard let node = state.nodes[name] else { continue }
      for (type, effect) in Self.pressure {
        guard let c = node.conditions.first(where: { $0.type == type }) else {
          // No such condition shown, but the taint the node lifecycle controller puts on while it
          // holds (`node.kubernetes.io/disk-pressure:NoSchedule`, docs/kubernetes.md §9.1).
          if let taint = Self.conditionTaints[type], node.taints.contains(where: { $0.hasPrefix(taint + ":") }) {
            findings.append(
              Self.description.finding(
                .warning, Subject(object: NodeFindings.subject(name)),
                title: "\(NodeFindings.label(name)) has \(type)",
                explanation:
                  "\(NodeFindings.label(name).capitalisedFirst) carries the \(taint) taint, which the node lifecycle "
                  + "controller sets while \(type) is True: \(effect). The Conditions table is not in the input.",
                remedy: "free the resource on the node or move workloads off it; 'kubectl describe node "
                  + "\(name.isEmpty ? "<node>" : name)' shows the condition and allocated resources",
                facts: (name.isEmpty ? [] : [KeyValue("node", name)])
                  + [KeyValue("condition", type), KeyValue("status", "True"), KeyValue("from", "taint")],
                decisive: node.taintEvidence.isEmpty ? node.evidence : node.taintEvidence, evidence: []))
          }
          continue
        }
        guard c.status == "True" else { continue }
        findings.append(
          Self.description.finding(
            .warning, Subject(object: NodeFindings.subject(name)), title: "\(NodeFindings.label(name)) has \(type)",
            explanation:
              "\(NodeFindings.label(name).capitalisedFirst) reports \(type)=True\(NodeFindings.why(c)): \(effect).",
            remedy: "free the resource on the node or move workloads off it; 'kubectl describe node "
              + "\(name.isEmpty ? "<node>" : name)' shows allocated resources, and the kubelet log shows what the "
              + "eviction manager did",
            facts: (name.isEmpty ? [] : [KeyValue("node", name)])
              + [KeyValue("condition", type), KeyValue("status", "True")],
            decisive: node.conditionEvidence[type].map { [$0] } ?? node.evidence, evidence: []))
      }
    }
    return findings
      + Self.pressureFromEvents(
        state.events, nodes: state.nodes, podsEvicted: podFindings.contains { $0.ruleID == "pod.evicted" })
  }

  /// The taint the node lifecycle controller adds while each condition holds
  /// ([k/k] pkg/controller/nodelifecycle, `nodeConditionToTaintKeyStatusMap`).
  static let conditionTaints: [String: String] = [
    "MemoryPressure": "node.kubernetes.io/memory-pressure", "DiskPressure": "node.kubernetes.io/disk-pressure",
    "PIDPressure": "node.kubernetes.io/pid-pressure", "NetworkUnavailable": "node.kubernetes.io/network-unavailable",
  ]

  /// Conditions that mean trouble when `True`, and what the kubelet does about each.
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
        let subject = NodeFindings.subject(name)
        let label = NodeFindings.label(name)
        findings.append(
          Self.description.finding(
            .warning, Subject(object: subject),
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
            decisive: last.evidence, evidence: []))
      }
    }
    return findings
  }

  private static func holds(_ e: MergedEvent) -> Bool? { pressureStatuses[e.capture("status") ?? ""]?.holds }

  private static func earlier(_ a: MergedEvent, _ b: MergedEvent) -> Bool {
    (a.lastSeen?.latest ?? .distantPast) < (b.lastSeen?.latest ?? .distantPast)
  }

  private static func seen(_ e: MergedEvent) -> String {
    let times = e.count == 1 ? "" : ", \(e.count) times"
    return e.lastSeen.map { " (last \(NodeFindings.when($0))\(times))" } ?? (times.isEmpty ? "" : " (\(e.count) times)")
  }

  private static func pressure(
    _ name: String, _ condition: String, _ rise: MergedEvent, evictions: [MergedEvent], caveat: String,
    severity: Severity
  ) -> Finding {
    let effect = Self.pressure.first { $0.type == condition }?.effect ?? "the kubelet evicts pods"
    let subject = NodeFindings.subject(name)
    let label = NodeFindings.label(name)
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
    return description.finding(
      severity, Subject(object: subject),
      title: "\(label) has \(condition) (from its events)", explanation: text,
      remedy:
        "free the resource on the node or move workloads off it; 'kubectl describe node \(name.isEmpty ? "<node>" : name)' "
        + "shows allocated resources, and the kubelet log shows what the eviction manager did",
      facts: facts, decisive: rise.evidence + (evictions.max(by: earlier)?.evidence ?? []), evidence: [])
  }
}
