import PodmortemCorrelate
import PodmortemModel

/// A container killed by the kernel's OOM killer: terminated reason `OOMKilled`, exit 137
/// (REFERENCE.md §8.4).
package struct OOMKilledRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "container.oom-killed", category: .oomKilled, title: "container OOMKilled",
    rationale: "reason OOMKilled means the container crossed its memory limit and the kernel sent SIGKILL "
      + "(exit 137); only the reason, not the exit code, tells an OOM kill from a grace-period kill (§8.4)",
    absorbs: ["crashloop.backoff", "container.exit-code", "init.container-failing"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let last = container.lastTermination, last.reason == "OOMKilled" else { return nil }
      let restarts = container.restartCount ?? 0
      let recovered = container.isRunning && container.ready != false
      var facts: [KeyValue] = [
        .int("exitCode", last.exitCode), KeyValue("signal", "SIGKILL"), .int("restarts", restarts),
      ]
      if let limit = container.limits["memory"] { facts.append(KeyValue("memoryLimit", limit)) }
      if let request = container.requests["memory"] { facts.append(KeyValue("memoryRequest", request)) }
      return Self.description.finding(
        recovered ? .warning : .critical, pod.subject(container.name),
        title: "container '\(container.name)' OOMKilled (\(restarts) restarts)",
        explanation: Self.explanation(container, last: last, restarts: restarts, recovered: recovered),
        remedy: Self.remedy(container), facts: facts, evidence: container.evidence)
    }
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "crash-looping at a 256Mi limit",
      .pod("api-7d9f8b6c5d-x2x7k") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(Termination(reason: "OOMKilled", exitCode: 137)), restarts: 7,
          limits: ["memory": "256Mi"])
      },
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical, container: "api",
          facts: [.int("exitCode", 137), .int("restarts", 7), KeyValue("memoryLimit", "256Mi")],
          evidenceLines: ["Reason:       OOMKilled", "memory:  256Mi"])
      ]),
    RuleExample(
      "OOMKilled once, running again",
      .pod("api-1") { p in
        p.container("api", lastState: .terminated(Termination(reason: "OOMKilled", exitCode: 137)), restarts: 1)
      },
      expect: [ExpectedFinding(ruleID: "container.oom-killed", category: .oomKilled, severity: .warning)]),
    RuleExample(
      "137 without OOMKilled is not an OOM kill",
      .pod("api-2") { p in
        p.container("api", lastState: .terminated(Termination(reason: "Error", exitCode: 137)), restarts: 1)
      }),
  ]
}

fileprivate extension OOMKilledRule {
  static func explanation(_ container: ContainerSnapshot, last: Termination, restarts: Int, recovered: Bool) -> String {
    var text = "Container '\(container.name)' used more memory than its limit"
    if let limit = container.limits["memory"] { text += " (\(limit))" }
    text += " and the kernel OOM killer ended it with SIGKILL: exit code \(last.exitCode) = 128 + 9."
    text += " It has restarted \(restarts) times"
    text += recovered ? " and is running again; it will be killed again when usage climbs back." : "."
    if container.limits["memory"] == nil {
      text += " It has no memory limit of its own: the limit came from a LimitRange default or the node ran out."
    }
    return text
  }

  static func remedy(_ container: ContainerSnapshot) -> String {
    "raise resources.limits.memory for '\(container.name)' above its peak usage, or reduce that usage "
      + "(heap settings such as -Xmx must stay below the limit)"
  }
}
