import PodmortemCorrelate
import PodmortemModel

/// A pod the kubelet evicted under node pressure, with the numbers from its message (REFERENCE.md §8.2, §3.4).
///
/// `The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container web
/// was using 1Gi, request is 100Mi, has larger consumption of memory.` STATUS often shows `Error`
/// or `ContainerStatusUnknown` instead of `Evicted`; `status.reason` keeps it.
package struct EvictedRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "pod.evicted", category: .evicted, title: "pod evicted",
    rationale: "the kubelet evicts pods when a node signal crosses its threshold, starting with pods using most "
      + "above their requests; the message carries the threshold, what was available and each container's usage (§8.2)",
    absorbs: ["container.exit-code"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let events = pod.events("Evicted")
    guard pod.latest.reason == "Evicted" || !events.isEmpty else { return [] }
    let message = pod.latest.message ?? events.last?.message ?? ""
    let parsed = Self.parse(message)
    var facts: [KeyValue] = []
    for (key, value) in [
      ("resource", parsed.resource), ("threshold", parsed.threshold), ("available", parsed.available),
      ("container", parsed.container), ("usage", parsed.usage), ("request", parsed.request),
    ] {
      if let value { facts.append(KeyValue(key, value)) }
    }
    let replaced = pod.latest.controlledBy != nil
    return [
      Self.description.finding(
        replaced ? .warning : .critical, pod.subject(),
        title: "pod evicted: node low on \(parsed.resource ?? "a resource")",
        explanation: Self.explanation(parsed, message: message, replaced: replaced),
        remedy: Self.remedy(parsed), facts: facts, evidence: pod.latest.evidence + events.evidence)
    ]
  }

  struct Parsed {
    var resource, threshold, available, container, usage, request: String?
  }

  static func parse(_ message: String) -> Parsed {
    func between(_ start: String, _ end: String) -> String? {
      guard let s = message.range(of: start) else { return nil }
      let rest = message[s.upperBound...]
      guard let e = rest.range(of: end) else { return nil }
      return String(rest[..<e.lowerBound])
    }
    var p = Parsed()
    p.resource = between("low on resource: ", ". ") ?? between("low on resource: ", ".")
    p.threshold = between("Threshold quantity: ", ",")
    p.available = between("available: ", ". ") ?? between("available: ", ".")
    p.container = between("Container ", " was using")
    p.usage = between("was using ", ",")
    p.request = between("request is ", ",")
    return p
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "memory pressure, container far above its request",
      .pod("web-5d4f8b7c9-abcde", phase: "Failed") { p in
        p.snapshot.reason = "Evicted"
        p.snapshot.controlledBy = "ReplicaSet/web-5d4f8b7c9"
        p.snapshot.message =
          "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. "
          + "Container web was using 1Gi, request is 100Mi, has larger consumption of memory. "
        p.podLine("Reason:           Evicted")
        p.container("web", state: .terminated(Termination(reason: "ContainerStatusUnknown", exitCode: 137)))
      },
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .warning,
          facts: [
            KeyValue("resource", "memory"), KeyValue("threshold", "100Mi"), KeyValue("available", "51200Ki"),
            KeyValue("container", "web"), KeyValue("usage", "1Gi"), KeyValue("request", "100Mi"),
          ], evidenceLines: ["Reason:           Evicted"])
      ]),
    RuleExample("a running pod", .pod("web-1") { p in p.container("web") }),
  ]
}

fileprivate extension EvictedRule {
  static func explanation(_ p: Parsed, message: String, replaced: Bool) -> String {
    var text = "The kubelet evicted the pod: '\(message.trimmingCharacters(in: .whitespaces))'."
    if let threshold = p.threshold, let available = p.available, let resource = p.resource {
      text += " The node's available \(resource) (\(available)) fell below the eviction threshold (\(threshold))."
    }
    if let container = p.container, let usage = p.usage, let request = p.request {
      text +=
        " Container '\(container)' used \(usage) against a request of \(request), which ranks it first for eviction."
    }
    text +=
      replaced
      ? " Its controller creates a replacement; the evicted pod object stays until deleted." : " Nothing recreates it."
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
