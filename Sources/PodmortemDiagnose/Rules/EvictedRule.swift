import PodmortemCorrelate
import PodmortemModel

/// A pod the kubelet evicted under node pressure, with the numbers from its message (docs/kubernetes.md §8.2, §3.4).
///
/// `The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container web
/// was using 1Gi, request is 100Mi, has larger consumption of memory.` STATUS often shows `Error`
/// or `ContainerStatusUnknown` instead of `Evicted`; `status.reason` keeps it.
///
/// Examples, in `Examples/EvictedRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: memory pressure: the container used 1Gi against a 100Mi request
/// - near miss: a running pod with the same 100Mi memory request, not evicted
/// - fires: memory pressure, container far above its request
/// - fires: the fixture's evicted importer: exit 137 after the eviction's kill, replaced by its ReplicaSet: warning
/// - fires: evicted, and the pasted replacement from the same ReplicaSet is running: info
/// - fires: a bare pod evicted: nothing recreates it, critical
/// - near miss: a running pod
/// - fires: an Events table alone: evicted for memory, the container far above its request
/// - fires: a get pods row whose STATUS is Evicted
/// - fires: a 1.6 pod's status YAML alone: the message names the condition, not the resource
/// - fires: a get events row: a pod turned away for the node's MemoryPressure, its name a poster's placeholder
/// - fires: a 1.33 pod's status YAML: no reason, the eviction told by its DisruptionTarget condition
/// - near miss: a pod drained by the eviction API: its DisruptionTarget condition is no node pressure
/// - near miss: a node's Events alone: memory pressure came and went, no pod evicted
package struct EvictedRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "pod.evicted", category: .evicted, title: "pod evicted",
    rationale: "the kubelet evicts pods when a node signal crosses its threshold, starting with pods using most "
      + "above their requests; the message carries the threshold, what was available and each container's usage (§8.2)",
    absorbs: ["container.exit-code", "termination.grace-expired"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: reading.reasons, in: state, run: reading.run)
  }

  /// The findings, the reasons of the pod's events read once from `reasons` (`PodEventReasons`,
  /// read once per pod by the `Diagnoser`): a pod with no `Evicted` event is not asked for them.
  /// `run`, when given, knows the state's pods by controller (`RunReading.pods(controlledBy:in:)`).
  func diagnose(
    _ pod: PodHistory, reasons: PodEventReasons, in state: CorrelatedState, run: RunReading? = nil
  ) -> [Finding] {
    let events = reasons.has(.evicted) ? pod.events("Evicted") : []
    // A pod the kubelet ended for node pressure, said by its DisruptionTarget condition (1.26+),
    // whose own status may have no reason (docs/kubernetes.md §9.1).
    let disruption = pod.latest.conditions.first {
      $0.type == "DisruptionTarget" && $0.status == "True" && $0.patternID == "event.evicted-low-resource"
    }
    guard pod.latest.reason == "Evicted" || !events.isEmpty || disruption != nil else { return [] }
    let message = pod.latest.message ?? events.last?.message ?? disruption?.message ?? ""
    let parsed = Self.parsed(
      pod.latest.message != nil
        ? pod.latest.messageCaptures : events.last?.captures ?? disruption?.messageCaptures ?? [])
    var facts: [KeyValue] = [KeyValue("reason", "Evicted")]
    for (key, value) in [
      ("resource", parsed.resource), ("threshold", parsed.threshold), ("available", parsed.available),
      ("container", parsed.container), ("usage", parsed.usage), ("request", parsed.request),
    ] {
      if let value { facts.append(KeyValue(key, value)) }
    }
    // Severity (docs/kubernetes.md §8.2): a bare pod is gone for good (critical); a controller's
    // pod is replaced by the controller (warning: the node pressure may strike again); and once
    // the input shows the replacement running, the workload is whole again (info).
    let controlled = pod.latest.controlledBy != nil
    let replacement = run.map { Self.replacement(of: pod, in: state, run: $0) } ?? Self.replacement(of: pod, in: state)
    if let replacement { facts.append(KeyValue("replacedBy", replacement.key.name)) }
    let severity: Severity = !controlled ? .critical : replacement != nil ? .info : .warning
    return [
      Self.description.finding(
        severity, pod.subject(),
        title: "pod evicted: node low on \(parsed.resource ?? "a resource")",
        explanation: Self.explanation(
          parsed, message: message, replaced: controlled, replacement: replacement?.key.name),
        remedy: Self.remedy(parsed), facts: facts, decisive: events.evidence,
        evidence: pod.latest.evidence)
    ]
  }

  /// A running pod of the same controller, created after the evicted pod when both creation times
  /// are known: the replacement the controller made.
  static func replacement(of pod: PodHistory, in state: CorrelatedState) -> PodHistory? {
    guard let owner = pod.latest.controlledBy else { return nil }
    // Fields read through the array in place: copying each PodHistory to test it cost a quarter of
    // a 10,000-pod run (bench/run.sh, perf).
    let pods = state.pods
    return replacement(of: pod, among: pods.indices.lazy.filter { pods[$0].latest.controlledBy == owner }, in: pods)
  }

  /// `replacement(of:in:)`, asking only the pods of the same controller (`run` knows them by
  /// controller, in the state's order) instead of testing every pod's: the same pods are tested,
  /// in the same order, by the same conditions. `RunReadingTests` holds it to the scan.
  static func replacement(of pod: PodHistory, in state: CorrelatedState, run: RunReading) -> PodHistory? {
    guard let owner = pod.latest.controlledBy else { return nil }
    return replacement(of: pod, among: run.pods(controlledBy: owner, in: state), in: state.pods)
  }

  /// The first of `pods` at `positions` (the pods of `pod`'s controller, in the state's order)
  /// that is running, another pod of the same namespace, not evicted, not terminating, and not
  /// created before `pod`.
  private static func replacement(
    of pod: PodHistory, among positions: some Sequence<Int>, in pods: [PodHistory]
  ) -> PodHistory? {
    for i in positions where pods[i].latest.phase == "Running" {
      guard pods[i].key != pod.key, pods[i].key.namespace == pod.key.namespace, pods[i].latest.reason != "Evicted",
        !pods[i].latest.terminating, pods[i].latest.deletionTimestamp == nil
      else { continue }
      if let mine = pod.latest.creationTime, let theirs = pods[i].latest.creationTime,
        theirs.latest <= mine.earliest
      {
        continue
      }
      return pods[i]
    }
    return nil
  }

  struct Parsed {
    var resource, threshold, available, container, usage, request: String?
  }

  /// The eviction message as recognised (event.evicted-low-resource and its detail eviction-usage).
  /// The resource each pressure condition is about (docs/kubernetes.md §9.1).
  static let pressureResources = ["Memory": "memory", "Disk": "disk", "PID": "pids"]

  static func parsed(_ captures: [KeyValue]) -> Parsed {
    func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }
    // Before 1.7 the message named the node condition (`[MemoryPressure]`), not the resource; a pod
    // the kubelet turned away for a pressure condition (`The node had condition: [MemoryPressure].`)
    // names it too. One condition names one resource; a list of several names none.
    let condition = capture("conditions").flatMap { $0.hasSuffix("Pressure") ? String($0.dropLast(8)) : nil }
    let pressured = (capture("pressure") ?? condition).map { pressureResources[$0] ?? $0.lowercased() }
    return Parsed(
      resource: capture("resource") ?? pressured, threshold: capture("threshold"), available: capture("available"),
      container: capture("container"), usage: capture("usage"), request: capture("request"))
  }
}

fileprivate extension EvictedRule {
  static func explanation(_ p: Parsed, message: String, replaced: Bool, replacement: String?) -> String {
    var text = "The kubelet evicted the pod: '\(trimmedWhitespace(message))'."
    if let threshold = p.threshold, let available = p.available, let resource = p.resource {
      text += " The node's available \(resource) (\(available)) fell below the eviction threshold (\(threshold))."
    }
    if let container = p.container, let usage = p.usage, let request = p.request {
      text +=
        " Container '\(container)' used \(usage) against a request of \(request), which ranks it first for eviction."
    }
    if let replacement {
      text +=
        " Pod '\(replacement)' of the same controller is running in its place; the evicted pod object stays "
        + "until deleted."
    } else {
      text +=
        replaced
        ? " Its controller creates a replacement; the evicted pod object stays until deleted."
        : " Nothing recreates it."
    }
    return text
  }

  static func remedy(_ p: Parsed) -> String {
    if let container = p.container, let resource = p.resource {
      return
        "set '\(container)' \(resource) requests close to its real usage (and a limit), or give the node more \(resource)"
    }
    return "size requests to real usage and check what fills the node ('kubectl describe node' conditions)"
  }
}
