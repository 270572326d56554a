import PodmortemCorrelate
import PodmortemModel

extension AdmissionRejectedRule {
  package static let examples: [RuleExample] = [
    RuleExample(
      "a pod failed at admission by a node-affinity mismatch",
      .text(
        #"""
        Name:         registry-server-k7x2d
        Namespace:    openshift-marketplace
        Priority:     0
        Node:         worker-2/10.0.0.12
        Start Time:   Fri, 27 Nov 2026 00:40:00 +0000
        Labels:       olm.catalogSource=addon-catalog-source
        Annotations:  <none>
        Status:       Failed
        Reason:       NodeAffinity
        Message:      Pod Predicate NodeAffinity failed
        IP:           
        IPs:          <none>
        Containers:
          registry-server:
            Image:        quay.io/example/registry:v1.6.1
            Port:         50051/TCP
            Host Port:    0/TCP
            Environment:  <none>
            Mounts:       <none>
        Volumes:          <none>
        QoS Class:        BestEffort
        Node-Selectors:   kubernetes.io/os=linux
        Tolerations:      <none>
        Events:           <none>
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.admission-rejected", category: .failedScheduling, severity: .critical,
          facts: [KeyValue("reason", "NodeAffinity"), KeyValue("node", "worker-2")],
          evidenceText: ["NodeAffinity", "Pod Predicate NodeAffinity failed"])
      ]),
    RuleExample(
      "a pod failed at admission for lack of memory",
      .pod("batch-0", phase: "Failed") { p in
        p.snapshot.reason = "OutOfmemory"
        p.snapshot.message =
          "Pod Node didn't have enough resource: memory, requested: 4294967296, used: 30064771072, "
          + "capacity: 33554432000"
        p.container("batch", state: .waiting(reason: "ContainerCreating", message: nil))
      },
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.admission-rejected", category: .failedScheduling, severity: .critical,
          facts: [KeyValue("reason", "OutOfmemory"), KeyValue("resource", "memory")])
      ]),
    RuleExample(
      "an evicted pod is not an admission failure",
      .text(
        #"""
        ▶Name:         web-5d4f8b7c9-x2v8p
        ▶Namespace:    default
        Priority:     0
        ▶Node:         worker-1/10.0.0.11
        ▶Start Time:   Fri, 27 Nov 2026 00:10:00 +0000
        ▶Labels:       app=web
        Annotations:  <none>
        ▶Status:       Failed
        ▶Reason:       Evicted
        ▶Message:      The node was low on resource: memory. Threshold quantity: 100Mi, available: 91340Ki. 
        ▶IP:           10.244.1.7
        IPs:
          IP:           10.244.1.7
        ▶Controlled By:  ReplicaSet/web-5d4f8b7c9
        Containers:
          web:
            Image:        registry.example.com/shop/web:4.2.0
            Port:         8080/TCP
            Host Port:    0/TCP
            State:        Terminated
              Reason:     ContainerStatusUnknown
              Exit Code:  137
            Ready:        False
            Restart Count:  0
            Environment:  <none>
            Mounts:       <none>
        Volumes:          <none>
        ▶QoS Class:        BestEffort
        Node-Selectors:   <none>
        Tolerations:      <none>
        Events:           <none>
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .warning,
          facts: [KeyValue("resource", "memory"), KeyValue("threshold", "100Mi"), KeyValue("available", "91340Ki")])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "the describe's status lines and container alone: rejected by node affinity",
      .text(
        #"""
        ▶Status:           Failed
        ▶Reason:           NodeAffinity
        ▶Message:          Pod Predicate NodeAffinity failed
        IP:               
        Containers:
          registry-server:
            Image:          quay.io/operator-framework/upstream-community-operators:latest
            Port:           50051/TCP
            State:          Waiting
              Reason:       ContainerCreating
            Ready:          False
            Restart Count:  0
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.admission-rejected", category: .failedScheduling, severity: .critical,
          facts: [KeyValue("reason", "NodeAffinity")])
      ]),
    RuleExample(
      "the describe's status lines and container alone: Failed with reason Evicted is an eviction",
      .text(
        #"""
        ▶Status:           Failed
        ▶Reason:           Evicted
        ▶Message:          The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: 8Gi. Container web was using 14Gi, request is 0, has larger consumption of ephemeral-storage.
        IP:               
        Containers:
          web:
            Image:          nginx:1.27
            State:          Terminated
              Reason:       ContainerStatusUnknown
              Message:      The container could not be located when the pod was terminated
              Exit Code:    137
            Ready:          False
            Restart Count:  0
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .critical,
          facts: [KeyValue("resource", "ephemeral-storage")])
      ]),
    RuleExample(
      "a get pods row whose STATUS is the admission check's name",
      .text(
        #"""
        NAME                          READY   STATUS         RESTARTS   AGE
        ▶registry-server-k7x2d         0/1     NodeAffinity   0          4m
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "scheduling.admission-rejected", category: .failedScheduling, severity: .critical,
          facts: [KeyValue("reason", "NodeAffinity")])
      ]),
  ]
}
