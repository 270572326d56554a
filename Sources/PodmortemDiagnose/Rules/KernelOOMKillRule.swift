import PodmortemCorrelate
import PodmortemModel

/// The kernel's OOM killer at work in a pod's memory cgroup, seen in the node's own logs (dmesg,
/// syslog `kernel:`, `docker events`, the kubelet's `Got sys oom event`) when the pod object is not
/// in the input (docs/kubernetes.md §10.4).
///
/// The kernel kills one process of the cgroup; the container ends `OOMKilled` only when that
/// process is its main one, so the finding says what the lines cannot tell.
///
/// Examples, in `Examples/KernelOOMKillRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: dmesg of a memory cgroup OOM, no pod object
/// - fires: journald kernel line of a 5.x kernel: the cgroup names the pod uid and the container
/// - fires: docker events name the pod and container
/// - near miss: near miss: the cgroup's memory statistics alone are no kill
package struct KernelOOMKillRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "container.kernel-oom-kill", category: .oomKilled, title: "kernel OOM killer in a container",
    rationale: "a memory cgroup at its limit makes the kernel kill a process in it; the container restarts as "
      + "OOMKilled (exit 137) only when the killed process is its main one (§10.4, §8.4)")

  package init() {}

  /// The lines of one OOM kill, most telling first: each names the victim.
  static let killPatterns = [
    "node.oom-kill-constraint", "node.memcg-oom-kill", "node.memcg-limit-task", "node.docker-container-oom",
    "kubelet.oom-event", "node.killed-process",
  ]
  /// A node-wide OOM (no cgroup limit): the same kill, but the node ran out, not the container.
  static let nodeWide = "node.oom-kill"
  /// The kill patterns and the node-wide one: the lines the rule reads.
  static let linePatterns = killPatterns + [nodeWide]

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: PodLogIndex(pod.logs), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: reading.logs, in: state)
  }

  /// The findings, the pod's log records read by pattern from `index` (`PodLogIndex`, read once
  /// per pod by the `Diagnoser`).
  func diagnose(_ pod: PodHistory, logs index: PodLogIndex, in state: CorrelatedState) -> [Finding] {
    let lines = index.logs(Self.linePatterns)
    guard !lines.isEmpty else { return [] }
    // One kill writes several lines (older kernels: `Kill process` then `Killed process`): count the
    // kills of the pattern that saw most of them.
    let perPattern = Dictionary(grouping: lines, by: { $0.patternID ?? "" })
    let kills =
      perPattern.filter { $0.key != "node.killed-process" }.values.map(\.count).max()
      ?? perPattern["node.killed-process"]?.count ?? lines.count
    let decisive = Self.killPatterns.lazy.compactMap { id in lines.last { $0.patternID == id } }.first ?? lines.last
    let process = lines.lazy.compactMap { $0.capture("process") }.last
    let pid = lines.lazy.compactMap { $0.capture("pid") }.last
    let global = perPattern[Self.nodeWide] != nil && perPattern.count == 1
    let container = lines.lazy.compactMap(\.container).first
    var facts: [KeyValue] = [.int("kills", kills)]
    if let process { facts.append(KeyValue("process", process)) }
    if let pid { facts.append(KeyValue("pid", pid)) }
    for key in ["constraint", "podUID", "containerID"] {
      if let value = lines.lazy.compactMap({ $0.capture(key) }).last { facts.append(KeyValue(key, value)) }
    }
    let victim = process.map { "'\($0)'" + (pid.map { " (pid \($0))" } ?? "") } ?? "a process"
    var explanation =
      global
      ? "The node ran out of memory and the kernel's OOM killer killed \(victim)"
      : "The kernel's OOM killer killed \(victim) in a container's memory cgroup: the container reached its memory limit"
    explanation += kills > 1 ? " (\(kills) kills in the input)." : "."
    explanation +=
      " When the killed process is the container's main process the container ends OOMKilled with exit code 137 and "
      + "is restarted; a killed child process (a worker) leaves the container running. The input does not show "
      + "which, nor the pod's memory limit."
    if let uid = facts.first(where: { $0.key == "podUID" })?.value, pod.key.name.isEmpty {
      explanation += " The cgroup names the pod by its uid \(uid)."
    }
    let evidence = ([decisive].compactMap { $0 } + lines).map(\.evidence)
    return [
      Self.description.finding(
        .warning, pod.subject(container),
        title: "kernel OOM killer killed \(victim)" + (container.map { " in container '\($0)'" } ?? ""),
        explanation: explanation,
        remedy: global
          ? "the node is overcommitted: set memory requests close to real usage, and limits, so the scheduler and the "
            + "eviction manager act before the kernel does"
          : "raise the container's memory limit or lower its usage (heap size, worker count); "
            + "'kubectl describe pod' shows Last State OOMKilled when the main process was the one killed",
        facts: facts, evidence: evidence)
    ]
  }
}
