import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// A pod the scheduler cannot place, with the per-node reasons decomposed (docs/kubernetes.md §9.2).
///
/// Examples, in `Examples/FailedSchedulingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: kube-scheduler's log alone: no fit on 254 nodes
/// - fires: PodScheduled False with the events gone: the reason is not in the input
/// - fires: a control-plane taint and too little cpu; preemption cannot help
/// - near miss: placed once the autoscaler added a node: the old FailedScheduling is history
/// - fires: taint plus insufficient cpu, preemption cannot help
/// - fires: unbound PVC (prefilter)
/// - near miss: scheduled later: old FailedScheduling is history
/// - near miss: headerless rows: placed once the autoscaler added a node, the old FailedScheduling is history
package struct FailedSchedulingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "scheduling.failed", category: .failedScheduling, title: "pod cannot be scheduled",
    rationale: "FailedScheduling says, per filter, how many nodes rejected the pod and whether preemption can help "
      + "(§9.2); the PodScheduled condition keeps the untruncated message")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: PodLogIndex(pod.logs), reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: reading.logs, reasons: reading.reasons, in: state)
  }

  /// The findings, the pod's log records read by pattern from `index` (`PodLogIndex`, read once
  /// per pod by the `Diagnoser`), and the reasons of its events from `reasons` (`PodEventReasons`):
  /// a pod with no event of a reason asked is not asked for those events.
  func diagnose(
    _ pod: PodHistory, logs index: PodLogIndex, reasons: PodEventReasons, in state: CorrelatedState
  ) -> [Finding] {
    // No condition at all (an EventList's pods, a kubelet log's): `condition` below is nil, so a
    // pod on a node is scheduled, and one with no `FailedScheduling` event and no scheduler line
    // returns at the check after the query; answered here without reading the conditions, which
    // copied the absent one several times (about 400 instructions a pod, callgrind on the 8 MiB
    // EventList; docs/architecture.md "Speed of the other rules").
    if pod.latest.conditions.isEmpty {
      if pod.latest.node != nil || pod.isTerminal { return [] }
      if !reasons.has(.failedScheduling) && index.logs("kubelet.scheduler-no-fit").isEmpty { return [] }
    }
    let condition = pod.latest.conditions.first { $0.type == "PodScheduled" }
    let scheduled = condition?.status == "True" || (condition == nil && pod.latest.node != nil)
    guard !scheduled, !pod.isTerminal else { return [] }
    let events = reasons.has(.failedScheduling) ? pod.events("FailedScheduling") : []
    let logs = index.logs("kubelet.scheduler-no-fit")
    // No condition, no event and no scheduler line: nothing below can say the pod waits for a
    // node (the answer is the guard's, further down), so nothing is sorted or parsed to find out.
    if condition == nil, events.isEmpty, logs.isEmpty { return [] }
    // No node shown (an Events table alone): a `Scheduled` event after the last FailedScheduling
    // placed the pod, as a node would say (docs/kubernetes.md §9.2).
    if condition == nil, let lastFailure = events.compactMap({ $0.lastSeen?.latest }).max(),
      pod.events.contains(where: { e in
        e.patternID == "event.scheduled" && ((e.lastSeen ?? e.firstSeen)?.earliest).map { $0 > lastFailure } == true
      })
    {
      return []
    }
    let latestEvent = events.max { ($0.lastSeen?.latest ?? .distantPast) < ($1.lastSeen?.latest ?? .distantPast) }
    // kube-scheduler's own log says what the event says (kubelet.scheduler-no-fit): `logs`.
    let parsed =
      condition?.message.flatMap(SchedulingMessage.init) ?? latestEvent.flatMap { SchedulingMessage($0.message) }
      // An older event's per-node breakdown when the latest says less (`pod has unbound immediate
      // PersistentVolumeClaims`, a prefilter message).
      ?? events.sorted { ($0.lastSeen?.latest ?? .distantPast) > ($1.lastSeen?.latest ?? .distantPast) }
      .lazy.compactMap { SchedulingMessage($0.message) }.first
      ?? logs.last?.capture("error").flatMap(SchedulingMessage.init)
    // PodScheduled False alone (the Events table cut off or already expired) still says the pod
    // waits for a node; the finding then says the scheduler's reason is not in the input.
    guard parsed != nil || latestEvent != nil || !logs.isEmpty || condition?.status == "False" else { return [] }
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
    if !events.isEmpty {
      facts.append(.int("attempts", events.totalCount))
    } else if !logs.isEmpty {
      facts.append(.int("attempts", logs.count))
    }
    return [
      Self.description.finding(
        .critical, pod.subject(), title: Self.title(parsed),
        explanation: Self.explanation(parsed, raw: latestEvent?.message), remedy: Self.remedy(parsed), facts: facts,
        decisive: events.evidence + logs.map(\.evidence), evidence: pod.latest.evidence)
    ]
  }

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
    guard let parsed else {
      guard let raw else {
        return "The pod's PodScheduled condition is False: no node has been assigned. The input shows neither the "
          + "scheduler's FailedScheduling event nor the condition's message, so why no node fits is not known here."
      }
      return "The scheduler says: '\(raw)'."
    }
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
    guard let parsed else {
      return "read the scheduler's reason: 'kubectl get events --field-selector reason=FailedScheduling' or "
        + "the PodScheduled condition's message in 'kubectl get pod -o yaml'"
    }
    if let prefilter = parsed.prefilter { return SchedulingReason(prefilter).nextStep }
    var seen: Set<String> = []
    return parsed.entries.sorted { $0.count > $1.count }.compactMap { entry in
      seen.insert(entry.reason.id).inserted ? entry.reason.nextStep : nil
    }.joined(separator: "; ")
  }
}
