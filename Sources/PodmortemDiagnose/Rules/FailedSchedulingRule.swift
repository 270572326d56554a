import PodmortemCorrelate
import PodmortemModel

/// A pod the scheduler cannot place, with the per-node reasons decomposed (REFERENCE.md §9.2).
package struct FailedSchedulingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "scheduling.failed", category: .failedScheduling, title: "pod cannot be scheduled",
    rationale: "FailedScheduling says, per filter, how many nodes rejected the pod and whether preemption can help "
      + "(§9.2); the PodScheduled condition keeps the untruncated message")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let condition = pod.latest.conditions.first { $0.type == "PodScheduled" }
    let scheduled = condition?.status == "True" || (condition == nil && pod.latest.node != nil)
    guard !scheduled, !pod.isTerminal else { return [] }
    let events = pod.events("FailedScheduling")
    let latestEvent = events.max { ($0.lastSeen?.latest ?? .distantPast) < ($1.lastSeen?.latest ?? .distantPast) }
    let parsed =
      condition?.message.flatMap(SchedulingMessage.init) ?? latestEvent.flatMap { SchedulingMessage($0.message) }
    guard parsed != nil || latestEvent != nil else { return [] }
    var facts: [KeyValue] = []
    if let parsed {
      facts.append(.int("nodes", parsed.totalNodes))
      if let primary = parsed.entries.max(by: { $0.count < $1.count }) {
        facts.append(KeyValue("primaryReason", primary.reason.id))
      } else if parsed.prefilter != nil {
        facts.append(KeyValue("primaryReason", SchedulingReason(parsed.prefilter ?? "").id))
      }
      facts.append(KeyValue("reasons", parsed.entries.map { "\($0.count) \($0.text)" }.joined(separator: "; ")))
      if parsed.preemption != nil {
        facts.append(KeyValue("preemption", parsed.preemptionCannotHelp ? "cannot-help" : "possible"))
      }
      if parsed.truncated { facts.append(KeyValue("truncated", "true")) }
    }
    if !events.isEmpty { facts.append(.int("attempts", events.totalCount)) }
    return [
      Self.description.finding(
        .critical, pod.subject(), title: Self.title(parsed),
        explanation: Self.explanation(parsed, raw: latestEvent?.message), remedy: Self.remedy(parsed), facts: facts,
        evidence: pod.latest.evidence + events.evidence)
    ]
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "taint plus insufficient cpu, preemption cannot help",
      .pod("web-0", node: nil, phase: "Pending") { p in
        p.container("web", state: .waiting(reason: nil, message: nil))
        p.event(
          .warning, "FailedScheduling",
          "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            + "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
            + "2 No preemption victims found for incoming pod.", count: 5, from: "default-scheduler")
      },
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.failed", category: .failedScheduling, severity: .critical,
          facts: [
            .int("nodes", 3), KeyValue("primaryReason", "insufficient-cpu"), KeyValue("preemption", "cannot-help"),
            KeyValue(
              "reasons", "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }; 2 Insufficient cpu"
            ),
          ], evidenceLines: ["FailedScheduling", "Node:             <none>"])
      ]),
    RuleExample(
      "unbound PVC (prefilter)",
      .pod("db-0", node: nil, phase: "Pending") { p in
        p.event(
          .warning, "FailedScheduling", "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
          from: "default-scheduler")
      },
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.failed", category: .failedScheduling, facts: [KeyValue("primaryReason", "unbound-pvcs")])
      ]),
    RuleExample(
      "scheduled later: old FailedScheduling is history",
      .pod("web-1") { p in
        p.container("web")
        p.event(.warning, "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory.", lastAgo: 3000)
      }),
  ]
}

fileprivate extension FailedSchedulingRule {
  static func title(_ parsed: SchedulingMessage?) -> String {
    guard let parsed else { return "pod cannot be scheduled" }
    if let prefilter = parsed.prefilter { return "pod cannot be scheduled: \(prefilter)" }
    let top = parsed.entries.sorted { $0.count > $1.count }.first
    return "pod cannot be scheduled on any of \(parsed.totalNodes) nodes"
      + (top.map { " (\($0.count) \($0.text))" } ?? "")
  }

  static func explanation(_ parsed: SchedulingMessage?, raw: String?) -> String {
    guard let parsed else { return "The scheduler says: '\(raw ?? "")'." }
    var text = "None of the \(parsed.totalNodes) nodes fits."
    if let prefilter = parsed.prefilter {
      text += " Scheduling stopped before the node filters: \(prefilter)."
    } else {
      text +=
        " Per filter: "
        + parsed.entries.map { "\($0.count) node(s) rejected with '\($0.text)'" }.joined(separator: ", ")
        + "."
      let sum = parsed.entries.reduce(0) { $0 + $1.count }
      if sum > parsed.totalNodes { text += " A node can fail several filters, so the counts add up to \(sum)." }
    }
    if let preemption = parsed.preemption {
      text +=
        parsed.preemptionCannotHelp
        ? " Preemption cannot help: " : " Preemption: "
      text += preemption.map { "\($0.count) \($0.text)" }.joined(separator: ", ") + "."
    }
    if parsed.truncated {
      text += " The event message was truncated at 1024 bytes; the PodScheduled condition has all of it."
    }
    return text
  }

  static func remedy(_ parsed: SchedulingMessage?) -> String {
    guard let parsed else { return "read the scheduler's message" }
    if let prefilter = parsed.prefilter { return SchedulingReason(prefilter).nextStep }
    var seen: Set<String> = []
    return parsed.entries.sorted { $0.count > $1.count }.compactMap { entry in
      seen.insert(entry.reason.id).inserted ? entry.reason.nextStep : nil
    }.joined(separator: "; ")
  }
}
