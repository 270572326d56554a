import PodmortemCorrelate
import PodmortemModel

/// The kernel's OOM killer at work in a pod's memory cgroup, seen in the node's own logs (dmesg,
/// syslog `kernel:`, `docker events`, the kubelet's `Got sys oom event`) when the pod object is not
/// in the input (docs/kubernetes.md §10.4).
///
/// The kernel kills one process of the cgroup; the container ends `OOMKilled` only when that
/// process is its main one, so the finding says what the lines cannot tell.
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

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let lines = pod.logs.filter { log in
      log.patternID.map { Self.killPatterns.contains($0) || $0 == Self.nodeWide } ?? false
    }
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

  package static let examples: [RuleExample] = [
    RuleExample(
      "dmesg of a memory cgroup OOM, no pod object",
      .text(
        #"""
        [ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB, anon-rss:164992kB, file-rss:52176kB, shmem-rss:92kB, UID:0 pgtables:1372kB oom_score_adj:986
        [ 7063.263325] oom_reaper: reaped process 63214 (uwsgi), now anon-rss:0kB, file-rss:0kB, shmem-rss:92kB
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.kernel-oom-kill", category: .oomKilled, severity: .warning,
          facts: [KeyValue("process", "uwsgi"), KeyValue("pid", "63214"), KeyValue("kills", "1")],
          evidenceLines: [1])
      ]),
    RuleExample(
      "journald kernel line of a 5.x kernel: the cgroup names the pod uid and the container",
      .text(
        #"""
        Jul 23 18:56:46 node-1 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-5e0b9d27c3f4a81e.scope,mems_allowed=0,oom_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8a3f2c1d_6b7e_4d90_a5c3_e1f07b92d468.slice,task_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8a3f2c1d_6b7e_4d90_a5c3_e1f07b92d468.slice/cri-containerd-5e0b9d27c3f4a81e.scope,task=dd,pid=38287,uid=0
        Jul 23 18:56:46 node-1 kernel: Memory cgroup out of memory: Killed process 38287 (dd) total-vm:1043484kB, anon-rss:262144kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:556kB oom_score_adj:999
        """#, now: "2026-07-23T19:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.kernel-oom-kill", category: .oomKilled, severity: .warning,
          facts: [
            KeyValue("process", "dd"), KeyValue("kills", "1"), KeyValue("constraint", "CONSTRAINT_MEMCG"),
            KeyValue("podUID", "8a3f2c1d-6b7e-4d90-a5c3-e1f07b92d468"), KeyValue("containerID", "5e0b9d27c3f4a81e"),
          ],
          evidenceLines: [1, 2])
      ]),
    RuleExample(
      "docker events name the pod and container",
      .text(
        #"""
        2019-05-04T18:05:45.011072877-05:00 container oom 7c41e0b9d5a2f38e6b1d94c07a3f5e28d9b16c4a70e3f2d8b5a19c6e04d7f3a2 (image=sha256:d9c3a1f07b5e, io.kubernetes.container.name=notebook, io.kubernetes.pod.name=jupyter-ann, io.kubernetes.pod.namespace=jhub, name=k8s_notebook_jupyter-ann_jhub_3b2d8f16_0)
        """#, now: "2019-05-04T23:10:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.kernel-oom-kill", category: .oomKilled, severity: .warning, container: "notebook",
          facts: [KeyValue("kills", "1")], evidenceLines: [1])
      ]),
    RuleExample(
      "near miss: the cgroup's memory statistics alone are no kill",
      .text(
        #"""
        [ 7063.247407] Memory cgroup stats for /kubepods/pod2c7e81b9-da9c-11e7-9d36-5254b04e7a13: cache:32KB rss:524188KB rss_huge:370688KB mapped_file:0KB swap:524356KB
        [ 7063.247410] oom_reaper: reaped process 63214 (uwsgi), now anon-rss:0kB, file-rss:0kB, shmem-rss:92kB
        """#, now: "2026-11-27T01:00:00Z")),
  ]
}
