import PodmortemCorrelate
import PodmortemModel

extension KernelOOMKillRule {
  package static let examples: [RuleExample] = [
    RuleExample(
      "dmesg of a memory cgroup OOM, no pod object",
      .text(
        #"""
        ▶[ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB, anon-rss:164992kB, file-rss:52176kB, shmem-rss:92kB, UID:0 pgtables:1372kB oom_score_adj:986
        [ 7063.263325] oom_reaper: reaped process 63214 (uwsgi), now anon-rss:0kB, file-rss:0kB, shmem-rss:92kB
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.kernel-oom-kill", category: .oomKilled, severity: .warning,
          facts: [KeyValue("process", "uwsgi"), KeyValue("pid", "63214"), KeyValue("kills", "1")])
      ]),
    RuleExample(
      "journald kernel line of a 5.x kernel: the cgroup names the pod uid and the container",
      .text(
        #"""
        ▶Jul 23 18:56:46 node-1 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-5e0b9d27c3f4a81e.scope,mems_allowed=0,oom_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8a3f2c1d_6b7e_4d90_a5c3_e1f07b92d468.slice,task_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8a3f2c1d_6b7e_4d90_a5c3_e1f07b92d468.slice/cri-containerd-5e0b9d27c3f4a81e.scope,task=dd,pid=38287,uid=0
        ▶Jul 23 18:56:46 node-1 kernel: Memory cgroup out of memory: Killed process 38287 (dd) total-vm:1043484kB, anon-rss:262144kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:556kB oom_score_adj:999
        """#, now: "2026-07-23T19:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.kernel-oom-kill", category: .oomKilled, severity: .warning,
          facts: [
            KeyValue("process", "dd"), KeyValue("kills", "1"), KeyValue("constraint", "CONSTRAINT_MEMCG"),
            KeyValue("podUID", "8a3f2c1d-6b7e-4d90-a5c3-e1f07b92d468"), KeyValue("containerID", "5e0b9d27c3f4a81e"),
          ])
      ]),
    RuleExample(
      "docker events name the pod and container",
      .text(
        #"""
        ▶2019-05-04T18:05:45.011072877-05:00 container oom 7c41e0b9d5a2f38e6b1d94c07a3f5e28d9b16c4a70e3f2d8b5a19c6e04d7f3a2 (image=sha256:d9c3a1f07b5e, io.kubernetes.container.name=notebook, io.kubernetes.pod.name=jupyter-ann, io.kubernetes.pod.namespace=jhub, name=k8s_notebook_jupyter-ann_jhub_3b2d8f16_0)
        """#, now: "2019-05-04T23:10:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.kernel-oom-kill", category: .oomKilled, severity: .warning, container: "notebook",
          facts: [KeyValue("kills", "1")])
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
