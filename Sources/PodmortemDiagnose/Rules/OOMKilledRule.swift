import PodmortemCorrelate
import PodmortemModel

/// A container killed by the kernel's OOM killer: terminated reason `OOMKilled`, exit 137
/// (docs/kubernetes.md §8.4).
///
/// Examples, in `Examples/OOMKilledRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: OOMKilled at a 256Mi limit, crash-looping at restart 7
/// - near miss: 137 with reason Error is a SIGKILL, not an OOM kill
/// - fires: crash-looping at a 256Mi limit
/// - fires: OOMKilled once, running again
/// - near miss: 137 without OOMKilled is not an OOM kill
/// - fires: a describe fragment cut after the reason: OOMKilled without its exit code
/// - fires: a get pods row whose STATUS is OOMKilled
/// - near miss: Last State lines alone: 137 with reason Error is a SIGKILL, not an OOM kill
/// - fires: containerStatuses YAML alone: OOMKilled at restart 7, running again
package struct OOMKilledRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "container.oom-killed", category: .oomKilled, title: "container OOMKilled",
    rationale: "reason OOMKilled means the container crossed its memory limit and the kernel sent SIGKILL "
      + "(exit 137); only the reason, not the exit code, tells an OOM kill from a grace-period kill (§8.4)",
    absorbs: ["crashloop.backoff", "container.exit-code", "init.container-failing", "container.kernel-oom-kill"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    // Containers known by name alone have no termination and no terminated reason: neither loop
    // below finds one (`PodHistory.containersShowNoRuns`).
    if pod.containersShowNoRuns { return Self.fromStatusColumn(pod).map { [$0] } ?? [] }
    let found = Self.anyOOMKilledRun(pod) ? perContainer(pod) : []
    if !found.isEmpty { return found }
    // No container with only a terminated reason of `OOMKilled` (most pods): the filter's list is
    // empty, and the filter, which copied every container to test it, is not run (`anyCutOff`).
    let cut =
      Self.anyCutOff(pod)
      ? pod.containers([.container, .initContainer]).filter {
        $0.lastTermination == nil && $0.terminatedReasonOnly == "OOMKilled"
      } : []
    if !cut.isEmpty { return cut.map { Self.withoutExitCode($0, pod: pod) } }
    return Self.fromStatusColumn(pod).map { [$0] } ?? []
  }

  /// A Terminated state with reason OOMKilled whose exit code the paste cut off.
  static func withoutExitCode(_ container: ContainerSnapshot, pod: PodHistory) -> Finding {
    var facts = [KeyValue("reason", "OOMKilled")]
    if let restarts = container.restartCount { facts.append(.int("restarts", restarts)) }
    if let limit = container.limits["memory"] { facts.append(KeyValue("memoryLimit", limit)) }
    return description.finding(
      .critical, pod.subject(container.name), title: "container '\(container.name)' OOMKilled",
      explanation:
        "Container '\(container.name)' was terminated with reason OOMKilled: it crossed its memory limit and "
        + "the kernel killed it. The input does not show the exit code, the restart count or when it happened.",
      remedy: remedy(container), facts: facts, decisive: container.terminationEvidence,
      evidence: container.evidence)
  }

  /// A `get pods` row whose STATUS is `OOMKilled` (or `Init:OOMKilled`): the last container's
  /// termination reason, without its exit code or the container's name (docs/kubernetes.md §3.4).
  static func fromStatusColumn(_ pod: PodHistory) -> Finding? {
    guard let status = pod.latest.displayStatus, status == "OOMKilled" || status == "Init:OOMKilled" else {
      return nil
    }
    var facts = [KeyValue("reason", "OOMKilled")]
    if let restarts = pod.latest.restarts { facts.append(.int("restarts", restarts)) }
    let restartsText = pod.latest.restarts.map { " (\($0) restarts across the pod's containers)" } ?? ""
    let which = status.hasPrefix("Init:") ? "an init container" : "a container"
    return description.finding(
      .critical, pod.subject(),
      title: "\(which) OOMKilled\(restartsText)",
      explanation: "The pod's STATUS is \(status): \(which) last ended because it crossed its memory limit and the "
        + "kernel killed it. The row does not say which container, its exit code or its limit.",
      remedy: "find the container with 'kubectl describe pod' (Last State: Terminated, Reason: OOMKilled) and "
        + "raise its memory limit, or find why it uses more memory than expected",
      facts: facts, evidence: pod.latest.evidence)
  }

  /// Whether a container's last termination has reason `OOMKilled`: the guard `perContainer` asks
  /// of each, read in place. Without one every container answers nil there, so most pods skip
  /// the loop, which copied every container whole to ask (about 1,000 instructions a container,
  /// callgrind on 1,000 describes; docs/architecture.md "Speed of the other rules").
  /// `ContainerPrecheckTests` holds the loop empty whenever this is false.
  static func anyOOMKilledRun(_ pod: PodHistory) -> Bool {
    let containers = pod.containers([.container, .initContainer])
    for i in containers.indices where containers[i].lastTermination?.reason == "OOMKilled" { return true }
    return false
  }

  /// Whether a container has a terminated reason of `OOMKilled` and no termination shown: the
  /// filter's test, read in place (`ContainerPrecheckTests` holds the filter empty whenever this
  /// is false).
  static func anyCutOff(_ pod: PodHistory) -> Bool {
    let containers = pod.containers([.container, .initContainer])
    for i in containers.indices
    where containers[i].terminatedReasonOnly == "OOMKilled" && containers[i].lastTermination == nil {
      return true
    }
    return false
  }

  func perContainer(_ pod: PodHistory) -> [Finding] {
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
        remedy: Self.remedy(container), facts: facts, decisive: container.terminationEvidence,
        evidence: container.evidence)
    }
  }
}

fileprivate extension OOMKilledRule {
  static func explanation(_ container: ContainerSnapshot, last: Termination, restarts: Int, recovered: Bool) -> String {
    var text = "Container '\(container.name)' used more memory than its limit"
    if let limit = container.limits["memory"] { text += " (\(limit))" }
    text +=
      last.exitCode == 137
      ? " and the kernel OOM killer ended it with SIGKILL: exit code 137 = 128 + 9."
      : " and the kernel OOM killer killed a process in it; the runtime recorded reason OOMKilled with exit code "
        + "\(last.exitCode), the main process's own (a killed child process, or a main process that handled the loss)."
    text += " It has restarted \(times(restarts))"
    text += recovered ? " and is running again; it will be killed again when usage climbs back." : "."
    if container.limits["memory"] == nil {
      // No spec in the input (no image, no resources shown): the limit is unknown, not absent.
      text +=
        container.image == nil && container.limits.isEmpty && container.requests.isEmpty
        ? " The input does not show the container's spec, so its memory limit is not known."
        : " It has no memory limit of its own: the limit came from a LimitRange default or the node ran out."
    }
    return text
  }

  static func remedy(_ container: ContainerSnapshot) -> String {
    "raise resources.limits.memory for '\(container.name)' above its peak usage, or reduce that usage "
      + "(heap settings such as -Xmx must stay below the limit)"
  }
}
