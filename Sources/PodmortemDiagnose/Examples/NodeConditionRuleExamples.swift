import PodmortemCorrelate
import PodmortemModel

extension NodeConditionRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "a describe node whose DiskPressure is True while it is Ready",
      .text(
        #"""
        Name:               worker-3
        Roles:              <none>
        Labels:             kubernetes.io/hostname=worker-3
        Annotations:        node.alpha.kubernetes.io/ttl: 0
        CreationTimestamp:  Mon, 02 Nov 2026 08:00:00 +0000
        Taints:             node.kubernetes.io/disk-pressure:NoSchedule
        Unschedulable:      false
        Conditions:
          Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
          ----             ------    -----------------                 ------------------                ------              -------
          MemoryPressure   False     Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
        ▶  DiskPressure     True      Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletHasDiskPressure   kubelet has disk pressure
          Ready            True      Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletReady   kubelet is posting ready status
        Events:            <none>
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.condition", category: .nodeNotReady, severity: .warning,
          facts: [KeyValue("node", "worker-3"), KeyValue("condition", "DiskPressure"), KeyValue("status", "True")])
      ]),
    RuleExample(
      "a describe node with every pressure condition False",
      .text(
        #"""
        Name:               worker-3
        Roles:              <none>
        Labels:             kubernetes.io/hostname=worker-3
        Annotations:        node.alpha.kubernetes.io/ttl: 0
        CreationTimestamp:  Mon, 02 Nov 2026 08:00:00 +0000
        Taints:             <none>
        Unschedulable:      false
        Conditions:
          Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
          ----             ------    -----------------                 ------------------                ------              -------
          MemoryPressure   False     Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
          DiskPressure     False     Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletHasNoDiskPressure   kubelet has no disk pressure
          PIDPressure      False     Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletHasSufficientPID   kubelet has sufficient PID available
          Ready            True      Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletReady   kubelet is posting ready status
        Events:            <none>
        """#, now: "2026-11-27T01:00:00Z")),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §9.1).
    RuleExample(
      "Conditions rows alone, one wrapped mid-reason: the pasted node, unnamed, has MemoryPressure",
      .text(
        "▶MemoryPressure \tTrue \tFri, 27 Nov 2026 00:12:40 +0000 \tFri, 27 Nov 2026 00:02:40 +0000 \t"
          + "KubeletHasInsufficientM\nemory \tkubelet has insufficient memory available\n"
          + "DiskPressure \tFalse \tFri, 27 Nov 2026 00:12:40 +0000 \tFri, 27 Nov 2026 00:02:40 +0000 \t"
          + "KubeletHasNoDiskPressure \tkubelet has no disk pressure\n", now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.condition", category: .nodeNotReady, severity: .warning,
          facts: [KeyValue("condition", "MemoryPressure"), KeyValue("status", "True")])
      ]),
    RuleExample(
      "a node's Events alone: the latest NodeHasInsufficientMemory, then EvictionThresholdMet",
      .text(
        #"""
        Events:
          Type     Reason                     Age                 From                 Message
          Normal   NodeHasSufficientMemory    50m (x2 over 3d)     kubelet, worker-7    Node worker-7 status is now: NodeHasSufficientMemory
        ▶  Normal   NodeHasInsufficientMemory  20m (x3 over 2d)     kubelet, worker-7    Node worker-7 status is now: NodeHasInsufficientMemory
        ▶  Warning  EvictionThresholdMet       5m (x12 over 2d)     kubelet, worker-7    Attempting to reclaim memory
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.condition", category: .nodeNotReady, severity: .warning,
          facts: [
            KeyValue("node", "worker-7"), KeyValue("condition", "MemoryPressure"), KeyValue("status", "True"),
            KeyValue("reason", "NodeHasInsufficientMemory"),
          ])
      ]),
    RuleExample(
      "EvictionThresholdMet alone: the kubelet's host is the node",
      .text(
        #"""
        Events:
          Type     Reason                Age              From               Message
        ▶  Warning  EvictionThresholdMet  2m (x4 over 9m)  kubelet, worker-2  Attempting to reclaim ephemeral-storage
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.condition", category: .nodeNotReady, severity: .warning,
          facts: [KeyValue("node", "worker-2"), KeyValue("reason", "EvictionThresholdMet")])
      ]),
    RuleExample(
      "a node's Events alone: the memory pressure was relieved after it rose",
      .text(
        #"""
        Events:
          Type     Reason                     Age     From                 Message
          Normal   NodeHasInsufficientMemory  50m     kubelet, worker-7    Node worker-7 status is now: NodeHasInsufficientMemory
          Normal   NodeHasSufficientMemory    20m     kubelet, worker-7    Node worker-7 status is now: NodeHasSufficientMemory
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "a node's Events alone: the eviction manager acted, then the pressure was relieved",
      .text(
        #"""
        Events:
          Type     Reason                     Age   From     Message
          Warning  EvictionThresholdMet       14m   kubelet  Attempting to reclaim memory
          Normal   NodeHasInsufficientMemory  14m   kubelet  Node node-1 status is now: NodeHasInsufficientMemory
          Normal   NodeHasSufficientMemory    9m    kubelet  Node node-1 status is now: NodeHasSufficientMemory
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "`kubectl get events` rows: EvictionThresholdMet beside the pod it evicted is that pod's finding",
      .text(
        #"""
        LAST SEEN   TYPE      REASON                 OBJECT                  MESSAGE
        10m         Warning   EvictionThresholdMet   node/worker-2           Attempting to reclaim ephemeral-storage
        9m          Warning   Evicted                pod/web-5d4f8b7c9-x2x9k  The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 8%.
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [ExpectedFinding(ruleID: "pod.evicted", category: .evicted)]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "a node with PIDPressure True",
      .node("worker-9", conditions: [("PIDPressure", "True"), ("Ready", "True")]),
      expect: [
        ExpectedFinding(
          ruleID: "node.condition", category: .nodeNotReady, severity: .warning,
          facts: [KeyValue("node", "worker-9"), KeyValue("condition", "PIDPressure")],
          evidenceText: ["PIDPressure  True"])
      ]),
    RuleExample(
      "a node's describe cut to its Taints line: the disk-pressure taint says DiskPressure holds",
      .text(
        #"""
        ubuntu@nodeX:~$ k describe node nodex

        ▶Taints: node.kubernetes.io/disk-pressure:NoSchedule
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.condition", category: .nodeNotReady, severity: .warning,
          facts: [KeyValue("node", "nodex"), KeyValue("condition", "DiskPressure"), KeyValue("from", "taint")])
      ]),
    RuleExample(
      "a node's describe cut to a Taints line of its own choosing: no condition taint, no finding",
      .text(
        #"""
        ubuntu@nodeX:~$ k describe node nodex

        Taints: dedicated=gpu:NoSchedule
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}
