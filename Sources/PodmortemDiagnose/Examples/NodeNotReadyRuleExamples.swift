import PodmortemCorrelate
import PodmortemModel

extension NodeNotReadyRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "the kubelet on node-2 stopped posting status (describe pod, then describe node)",
      .text(
        #"""
        Name:             db-0
        Namespace:        default
        Priority:         0
        Service Account:  default
        ▶Node:             node-2/10.0.0.6
        Start Time:       Thu, 26 Nov 2026 20:14:37 +0000
        Labels:           app=db
                          statefulset.kubernetes.io/pod-name=db-0
        Annotations:      <none>
        Status:           Running
        IP:               10.244.4.5
        IPs:
          IP:           10.244.4.5
        Controlled By:  StatefulSet/db
        Containers:
          db:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          postgres:16.4
            Image ID:       docker.io/library/postgres@sha256:7c3ad2f4e6b8d0a2c4e6f8b0d2a4c6e8f0b2d4a6c8e0f2b4d6a8c0e2f4b6d8a0
            Port:           5432/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Thu, 26 Nov 2026 20:14:40 +0000
            Ready:          False
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          kube-api-access-x7k2p:
            Type:                    Projected (a volume that contains injected data from multiple sources)
            TokenExpirationSeconds:  3607
            ConfigMapName:           kube-root-ca.crt
            ConfigMapOptional:       <nil>
            DownwardAPI:             true
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason        Age    From             Message
          ----     ------        ----   ----             -------
        ▶  Warning  NodeNotReady  7m12s  node-controller  Node is not ready

        Name:               node-2
        Roles:              <none>
        Labels:             kubernetes.io/arch=amd64
                            kubernetes.io/hostname=node-2
                            kubernetes.io/os=linux
        Annotations:        node.alpha.kubernetes.io/ttl: 0
        CreationTimestamp:  Mon, 02 Nov 2026 09:12:44 +0000
        Taints:             node.kubernetes.io/unreachable:NoExecute
                            node.kubernetes.io/unreachable:NoSchedule
        Unschedulable:      false
        Conditions:
          Type                 Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
          ----                 ------    -----------------                 ------------------                ------              -------
          MemoryPressure       Unknown   Fri, 27 Nov 2026 00:51:58 +0000   Fri, 27 Nov 2026 00:52:48 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
          DiskPressure         Unknown   Fri, 27 Nov 2026 00:51:58 +0000   Fri, 27 Nov 2026 00:52:48 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
          PIDPressure          Unknown   Fri, 27 Nov 2026 00:51:58 +0000   Fri, 27 Nov 2026 00:52:48 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
        ▶  Ready                Unknown   Fri, 27 Nov 2026 00:51:58 +0000   Fri, 27 Nov 2026 00:52:48 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
        Events:
          Type    Reason        Age    From             Message
          ----    ------        ----   ----             -------
          Normal  NodeNotReady  7m12s  node-controller  Node node-2 status is now: NodeNotReady
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
          facts: [KeyValue("node", "node-2"), KeyValue("nodeReady", "Unknown"), KeyValue("tolerationSeconds", "300")])
      ]),
    RuleExample(
      "the node came back: the pod is Ready again after a NodeNotReady blip",
      .text(
        #"""
        Name:             db-0
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-2/10.0.0.6
        Start Time:       Thu, 26 Nov 2026 20:14:37 +0000
        Labels:           app=db
                          statefulset.kubernetes.io/pod-name=db-0
        Annotations:      <none>
        Status:           Running
        IP:               10.244.4.5
        IPs:
          IP:           10.244.4.5
        Controlled By:  StatefulSet/db
        Containers:
          db:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          postgres:16.4
            Image ID:       docker.io/library/postgres@sha256:7c3ad2f4e6b8d0a2c4e6f8b0d2a4c6e8f0b2d4a6c8e0f2b4d6a8c0e2f4b6d8a0
            Port:           5432/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Thu, 26 Nov 2026 20:14:40 +0000
            Ready:          True
            Restart Count:  0
            Environment:    <none>
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
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason        Age   From             Message
          ----     ------        ----  ----             -------
          Warning  NodeNotReady  41m   node-controller  Node is not ready
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "node stopped posting status",
      .pod("web-0") { p in
        p.node("node-1", ready: "Unknown", reason: "NodeStatusUnknown")
        p.container("web", ready: false)
        p.event(.warning, "NodeNotReady", "Node is not ready", from: "node-controller")
      },
      expect: [
        ExpectedFinding(
          ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
          facts: [KeyValue("node", "node-1"), KeyValue("nodeReady", "Unknown"), .int("tolerationSeconds", 300)],
          evidenceText: ["Node is not ready", "Ready  Unknown"])
      ]),
    RuleExample(
      "node recovered",
      .pod("web-1") { p in
        p.node("node-1", ready: "True")
        p.container("web")
        p.event(.warning, "NodeNotReady", "Node is not ready", lastAgo: 3000, from: "node-controller")
      }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "`kubectl get events` rows alone: the node controller's NodeNotReady and the taint manager's deletion",
      .text(
        #"""
        LAST SEEN   TYPE      REASON                    OBJECT                     MESSAGE
        ▶6m          Warning   NodeNotReady              pod/db-0                   Node is not ready
        ▶54s         Normal    TaintManagerEviction      pod/db-0                   Marking for deletion Pod default/db-0
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
          facts: [KeyValue("markedForDeletion", "true"), KeyValue("tolerationSeconds", "300")])
      ]),
    RuleExample(
      "a node's Events alone: cordoned (NodeNotSchedulable) is not NotReady",
      .text(
        #"""
        Events:
          Type    Reason              Age   From     Message
          ----    ------              ----  ----     -------
          Normal  NodeNotSchedulable  12m   kubelet  Node node-2 status is now: NodeNotSchedulable
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    // A node shown without its pods is reported itself (docs/kubernetes.md §8.3).
    RuleExample(
      "a describe node whose kubelet stopped posting status: Ready Unknown",
      .text(
        #"""
        Name:               worker-3
        Roles:              <none>
        Labels:             kubernetes.io/hostname=worker-3
        Annotations:        node.alpha.kubernetes.io/ttl: 0
        CreationTimestamp:  Mon, 02 Nov 2026 08:00:00 +0000
        Taints:             node.kubernetes.io/unreachable:NoExecute
                            node.kubernetes.io/unreachable:NoSchedule
        Unschedulable:      false
        Conditions:
          Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
          ----             ------    -----------------                 ------------------                ------              -------
          MemoryPressure   Unknown   Fri, 27 Nov 2026 00:12:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
          DiskPressure     Unknown   Fri, 27 Nov 2026 00:12:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
        ▶  Ready            Unknown   Fri, 27 Nov 2026 00:12:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
        Events:
          Type    Reason        Age   From             Message
          ----    ------        ----  ----             -------
        ▶  Normal  NodeNotReady  47m   node-controller  Node worker-3 status is now: NodeNotReady
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
          facts: [
            KeyValue("node", "worker-3"), KeyValue("nodeReady", "Unknown"), KeyValue("reason", "NodeStatusUnknown"),
          ])
      ]),
    RuleExample(
      "a describe node that is Ready",
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
          Ready            True      Fri, 27 Nov 2026 00:58:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletReady   kubelet is posting ready status
        Events:
          Type    Reason        Age   From     Message
          ----    ------        ----  ----     -------
          Normal  NodeReady     40m   kubelet  Node worker-3 status is now: NodeReady
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "`kubectl get nodes` rows alone: NotReady, without saying whether Ready is False or Unknown",
      .text(
        #"""
        $ kubectl get nodes
        NAME        STATUS                        ROLES           AGE    VERSION
        worker01    Ready                         control-plane   421d   v1.29.4
        ▶worker02    NotReady                      <none>          421d   v1.29.4
        worker03    Ready,SchedulingDisabled      <none>          421d   v1.29.4
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
          facts: [KeyValue("node", "worker02"), KeyValue("nodeReady", "NotReady")])
      ]),
    RuleExample(
      "`kubectl get nodes` rows alone: every node Ready, one cordoned",
      .text(
        #"""
        NAME        STATUS                        ROLES           AGE    VERSION
        worker01    Ready                         control-plane   421d   v1.29.4
        worker03    Ready,SchedulingDisabled      <none>          421d   v1.29.4
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "the kubelet's journal alone: the container runtime network is not ready",
      .text(
        #"""
        ▶Nov 27 00:40:01 worker-7 kubelet[1485]: E1127 00:40:01.261124    1485 kubelet.go:2104] Container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized
        Nov 27 00:40:06 worker-7 kubelet[1485]: W1127 00:40:06.262549    1485 cni.go:171] Unable to update cni config: No networks found in /etc/cni/net.d
        ▶Nov 27 00:40:06 worker-7 kubelet[1485]: E1127 00:40:06.911200    1485 kubelet.go:2448] "Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
          facts: [
            KeyValue("node", "worker-7"), KeyValue("nodeReady", "False"), KeyValue("reason", "NetworkPluginNotReady"),
            KeyValue("lines", "2"),
          ])
      ]),
    RuleExample(
      "the kubelet's journal alone: the node became ready",
      .text(
        #"""
        Nov 27 00:40:06 worker-7 kubelet[1485]: I1127 00:40:06.911200    1485 kubelet.go:2448] "Fast updating node status as it just became ready"
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "a node whose Ready is False, no pod of it shown",
      .node("worker-9", conditions: [("MemoryPressure", "False"), ("Ready", "False")]),
      expect: [
        ExpectedFinding(
          ruleID: "node.not-ready", category: .nodeNotReady, severity: .critical,
          facts: [KeyValue("node", "worker-9"), KeyValue("nodeReady", "False")], evidenceText: ["Ready  False"])
      ]),
  ]
}
