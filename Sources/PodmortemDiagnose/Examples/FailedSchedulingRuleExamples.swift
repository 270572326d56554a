import PodmortemCorrelate
import PodmortemModel
import PodmortemText

extension FailedSchedulingRule {
  /// The describe of a pod the scheduler has not placed, down to its Events table (two examples
  /// differ only in what that table holds).
  static let pendingWeb = #"""
    Name:             web-5f6d7c8b9-c8d2f
    Namespace:        default
    Priority:         0
    Service Account:  default
    ▶Node:             <none>
    Labels:           app=web
                      pod-template-hash=5f6d7c8b9
    Annotations:      <none>
    Status:           Pending
    IP:               
    IPs:              <none>
    Controlled By:    ReplicaSet/web-5f6d7c8b9
    Containers:
      web:
        Image:      registry.example.com/shop/web:4.2.0
        Port:       8080/TCP
        Host Port:  0/TCP
        Requests:
          cpu:        2
          memory:     4Gi
        Environment:  <none>
        Mounts:
          /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
    Conditions:
      Type           Status
    ▶  PodScheduled   False 
    Volumes:
      kube-api-access-x7k2p:
        Type:                    Projected (a volume that contains injected data from multiple sources)
        TokenExpirationSeconds:  3607
        ConfigMapName:           kube-root-ca.crt
        ConfigMapOptional:       <nil>
        DownwardAPI:             true
    QoS Class:                   Burstable
    Node-Selectors:              <none>
    Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s

    """#

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "kube-scheduler's log alone: no fit on 254 nodes",
      .text(
        #"""
        ▶I1127 00:40:35.087327   37249 factory.go:322] "Unable to schedule pod; no fit; waiting" pod="shop/web-5f6d7c8b9-c8d2f" err="0/254 nodes are available: 1 Too many pods, 154 node(s) didn't match the requested hostname, 33 Insufficient memory, 69 Insufficient cpu."
        I1127 00:40:35.087440   37249 scheduler.go:355] Updating pod condition for shop/web-5f6d7c8b9-c8d2f to (PodScheduled==False, Reason=Unschedulable)
        ▶I1127 00:40:46.074539   37249 factory.go:322] "Unable to schedule pod; no fit; waiting" pod="shop/web-5f6d7c8b9-c8d2f" err="0/254 nodes are available: 1 Too many pods, 154 node(s) didn't match the requested hostname, 33 Insufficient memory, 69 Insufficient cpu."
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.failed", category: .failedScheduling, severity: .critical,
          facts: [
            KeyValue("nodes", "254"), KeyValue("primaryReason", "other"),
            KeyValue(
              "reasons",
              "1 Too many pods; 154 node(s) didn't match the requested hostname; 33 Insufficient memory; 69 Insufficient cpu"
            ),
            KeyValue("attempts", "2"),
          ])
      ]),
    RuleExample(
      "PodScheduled False with the events gone: the reason is not in the input",
      .text(Self.pendingWeb + "Events:                      <none>\n", now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.failed", category: .failedScheduling, severity: .critical, facts: [])
      ]),
    RuleExample(
      "a control-plane taint and too little cpu; preemption cannot help",
      .text(
        Self.pendingWeb + #"""
          Events:
            Type     Reason            Age                  From               Message
            ----     ------            ----                 ----               -------
          ▶  Warning  FailedScheduling  2m21s (x4 over 17m)  default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.
          """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.failed", category: .failedScheduling, severity: .critical,
          facts: [
            KeyValue("nodes", "3"), KeyValue("primaryReason", "insufficient-cpu"),
            KeyValue("preemption", "cannot-help"), KeyValue("attempts", "4"),
            KeyValue(
              "reasons", "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }; 2 Insufficient cpu"
            ),
          ])
      ]),
    RuleExample(
      "placed once the autoscaler added a node: the old FailedScheduling is history",
      .text(
        #"""
        Name:             web-5f6d7c8b9-h6j9k
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-4/10.0.0.9
        Start Time:       Fri, 27 Nov 2026 00:41:05 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Running
        IP:               10.244.5.3
        IPs:
          IP:           10.244.5.3
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:41:12 +0000
            Ready:          True
            Restart Count:  0
            Requests:
              cpu:        2
              memory:     4Gi
            Environment:  <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       True 
          ContainersReady             True 
          PodScheduled                True 
        Volumes:
          kube-api-access-x7k2p:
            Type:                    Projected (a volume that contains injected data from multiple sources)
            TokenExpirationSeconds:  3607
            ConfigMapName:           kube-root-ca.crt
            ConfigMapOptional:       <nil>
            DownwardAPI:             true
        QoS Class:                   Burstable
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason            Age   From                Message
          ----     ------            ----  ----                -------
          Warning  FailedScheduling  22m   default-scheduler   0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
          Normal   TriggeredScaleUp  22m   cluster-autoscaler  pod triggered scale-up: [{pool-b 3->4 (max: 10)}]
          Normal   Scheduled         19m   default-scheduler   Successfully assigned default/web-5f6d7c8b9-h6j9k to node-4
          Normal   Started           18m   kubelet             Started container web
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
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
          ], evidenceText: ["FailedScheduling", "Node:             <none>"])
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
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6).
    RuleExample(
      "headerless rows: placed once the autoscaler added a node, the old FailedScheduling is history",
      .text(
        #"""
          Warning  FailedScheduling   4m    default-scheduler   0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.
          Normal   TriggeredScaleUp   4m    cluster-autoscaler  pod triggered scale-up: [{eks-workers-a 3->4 (max: 10)}]
          Normal   Scheduled          2m    default-scheduler   Successfully assigned shop/web-5f6d7c8b9-h6j9k to node-4
          Normal   Pulled             2m    kubelet             Container image "nginx:1.27" already present on machine
          Normal   Created            2m    kubelet             Created container: web
          Normal   Started            2m    kubelet             Started container web
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}
