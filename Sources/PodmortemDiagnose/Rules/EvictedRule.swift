import PodmortemCorrelate
import PodmortemModel

/// A pod the kubelet evicted under node pressure, with the numbers from its message (docs/kubernetes.md §8.2, §3.4).
///
/// `The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container web
/// was using 1Gi, request is 100Mi, has larger consumption of memory.` STATUS often shows `Error`
/// or `ContainerStatusUnknown` instead of `Evicted`; `status.reason` keeps it.
package struct EvictedRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "pod.evicted", category: .evicted, title: "pod evicted",
    rationale: "the kubelet evicts pods when a node signal crosses its threshold, starting with pods using most "
      + "above their requests; the message carries the threshold, what was available and each container's usage (§8.2)",
    absorbs: ["container.exit-code", "termination.grace-expired"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let events = pod.events("Evicted")
    guard pod.latest.reason == "Evicted" || !events.isEmpty else { return [] }
    let message = pod.latest.message ?? events.last?.message ?? ""
    let parsed = Self.parsed(pod.latest.message != nil ? pod.latest.messageCaptures : events.last?.captures ?? [])
    var facts: [KeyValue] = [KeyValue("reason", "Evicted")]
    for (key, value) in [
      ("resource", parsed.resource), ("threshold", parsed.threshold), ("available", parsed.available),
      ("container", parsed.container), ("usage", parsed.usage), ("request", parsed.request),
    ] {
      if let value { facts.append(KeyValue(key, value)) }
    }
    // Severity (docs/kubernetes.md §8.2): a bare pod is gone for good (critical); a controller's
    // pod is replaced by the controller (warning: the node pressure may strike again); and once
    // the input shows the replacement running, the workload is whole again (info).
    let controlled = pod.latest.controlledBy != nil
    let replacement = Self.replacement(of: pod, in: state)
    if let replacement { facts.append(KeyValue("replacedBy", replacement.key.name)) }
    let severity: Severity = !controlled ? .critical : replacement != nil ? .info : .warning
    return [
      Self.description.finding(
        severity, pod.subject(),
        title: "pod evicted: node low on \(parsed.resource ?? "a resource")",
        explanation: Self.explanation(
          parsed, message: message, replaced: controlled, replacement: replacement?.key.name),
        remedy: Self.remedy(parsed), facts: facts, decisive: events.evidence,
        evidence: pod.latest.evidence)
    ]
  }

  /// A running pod of the same controller, created after the evicted pod when both creation times
  /// are known: the replacement the controller made.
  static func replacement(of pod: PodHistory, in state: CorrelatedState) -> PodHistory? {
    guard let owner = pod.latest.controlledBy else { return nil }
    // Fields read through the array in place: copying each PodHistory to test it cost a quarter of
    // a 10,000-pod run (bench/run.sh, perf).
    let pods = state.pods
    for i in pods.indices where pods[i].latest.controlledBy == owner && pods[i].latest.phase == "Running" {
      guard pods[i].key != pod.key, pods[i].key.namespace == pod.key.namespace, pods[i].latest.reason != "Evicted",
        !pods[i].latest.terminating, pods[i].latest.deletionTimestamp == nil
      else { continue }
      if let mine = pod.latest.creationTime, let theirs = pods[i].latest.creationTime,
        theirs.latest <= mine.earliest
      {
        continue
      }
      return pods[i]
    }
    return nil
  }

  struct Parsed {
    var resource, threshold, available, container, usage, request: String?
  }

  /// The eviction message as recognised (event.evicted-low-resource and its detail eviction-usage).
  static func parsed(_ captures: [KeyValue]) -> Parsed {
    func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }
    return Parsed(
      resource: capture("resource"), threshold: capture("threshold"), available: capture("available"),
      container: capture("container"), usage: capture("usage"), request: capture("request"))
  }

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "memory pressure: the container used 1Gi against a 100Mi request",
      .text(
        #"""
        Name:             web-5f6d7c8b9-abcde
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Failed
        Reason:           Evicted
        Message:          The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container web was using 1Gi, request is 100Mi, has larger consumption of memory. 
        IP:               10.244.1.40
        IPs:
          IP:           10.244.1.40
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Terminated
              Reason:       ContainerStatusUnknown
              Message:      The container could not be located when the pod was terminated
              Exit Code:    137
              Started:      Mon, 01 Jan 0001 00:00:00 +0000
              Finished:     Mon, 01 Jan 0001 00:00:00 +0000
            Ready:          False
            Restart Count:  0
            Requests:
              memory:     100Mi
            Environment:  <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   False 
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
        QoS Class:                   Burstable
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason   Age   From     Message
          ----     ------   ----  ----     -------
          Warning  Evicted  14m   kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container web was using 1Gi, request is 100Mi, has larger consumption of memory.
          Normal   Killing  14m   kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .warning,
          facts: [
            KeyValue("resource", "memory"), KeyValue("threshold", "100Mi"), KeyValue("available", "51200Ki"),
            KeyValue("container", "web"), KeyValue("usage", "1Gi"), KeyValue("request", "100Mi"),
          ], evidenceLines: [11, 12, 58])
      ]),
    RuleExample(
      "a running pod with the same 100Mi memory request, not evicted",
      .text(
        #"""
        Name:             web-5f6d7c8b9-fghij
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.41
        IPs:
          IP:           10.244.1.41
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
            Ready:          True
            Restart Count:  0
            Requests:
              memory:     100Mi
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
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Started  49m   kubelet  Started container web
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
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
          ], evidenceText: ["Reason:           Evicted"])
      ]),
    // Severity calibration (§8.2): a controller's evicted pod is not critical, even when the
    // eviction's kill left an exit code 137 (folded in from container.exit-code).
    RuleExample(
      "the fixture's evicted importer: exit 137 after the eviction's kill, replaced by its ReplicaSet: warning",
      .text(
        #"""
        Name:             batch-importer-7d6c9f8b5-9kx2w
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             worker-3/10.0.1.13
        Start Time:       Fri, 27 Nov 2026 00:11:51 +0000
        Labels:           app=batch-importer
                          pod-template-hash=7d6c9f8b5
        Annotations:      <none>
        Status:           Failed
        Reason:           Evicted
        Message:          The node was low on resource: ephemeral-storage. Threshold quantity: 4177773120, available: 3848856Ki. Container importer was using 14237228Ki, request is 0, has larger consumption of ephemeral-storage. 
        IP:               10.244.3.182
        IPs:
          IP:           10.244.3.182
        Controlled By:  ReplicaSet/batch-importer-7d6c9f8b5
        Containers:
          importer:
            Container ID:  containerd://012290c2bcd6fa21be9679a9d0c962e11a4d56b299e0bcccd7f29cfdc3378186
            Image:         registry.example.com/data/batch-importer:1.12.0
            Image ID:      registry.example.com/data/batch-importer@sha256:4c24fe5a42792d8d87f5fc2a3e1a1344d58de8b5655969061ea221fb5d55d0d0
            Port:          <none>
            Host Port:     <none>
            Args:
              --source
              s3://imports/daily
            State:          Terminated
              Reason:       Error
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:11:59 +0000
              Finished:     Fri, 27 Nov 2026 00:50:19 +0000
            Ready:          False
            Restart Count:  0
            Limits:
              memory:  1Gi
            Requests:
              cpu:        500m
              memory:     512Mi
            Environment:  <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-f30d0 (ro)
        Conditions:
          Type                        Status
          DisruptionTarget            True 
          PodReadyToStartContainers   False 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          kube-api-access-f30d0:
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
          Type     Reason     Age   From               Message
          ----     ------     ----  ----               -------
          Normal   Scheduled  48m   default-scheduler  Successfully assigned default/batch-importer-7d6c9f8b5-9kx2w to worker-3
          Normal   Pulling    48m   kubelet            Pulling image "registry.example.com/data/batch-importer:1.12.0"
          Normal   Started    48m   kubelet            Started container importer
          Normal   Pulled     48m   kubelet            Successfully pulled image "registry.example.com/data/batch-importer:1.12.0" in 2.64s (2.64s including waiting). Image size: 88134112 bytes.
          Normal   Created    48m   kubelet            Created container: importer
          Normal   Killing    10m   kubelet            Stopping container importer
          Warning  Evicted    10m   kubelet            The node was low on resource: ephemeral-storage. Threshold quantity: 4177773120, available: 3848856Ki. Container importer was using 14237228Ki, request is 0, has larger consumption of ephemeral-storage.
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .warning,
          facts: [KeyValue("resource", "ephemeral-storage"), KeyValue("alsoExplains", "container.exit-code")],
          evidenceLines: [11, 70])
      ]),
    RuleExample(
      "evicted, and the pasted replacement from the same ReplicaSet is running: info",
      .text(
        #"""
        Name:             web-5f6d7c8b9-abcde
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Failed
        Reason:           Evicted
        Message:          The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container web was using 1Gi, request is 100Mi, has larger consumption of memory. 
        IP:               10.244.1.40
        IPs:
          IP:           10.244.1.40
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Terminated
              Reason:       ContainerStatusUnknown
              Message:      The container could not be located when the pod was terminated
              Exit Code:    137
              Started:      Mon, 01 Jan 0001 00:00:00 +0000
              Finished:     Mon, 01 Jan 0001 00:00:00 +0000
            Ready:          False
            Restart Count:  0
            Requests:
              memory:     100Mi
            Environment:  <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   False 
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
        QoS Class:                   Burstable
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason   Age   From     Message
          ----     ------   ----  ----     -------
          Warning  Evicted  14m   kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container web was using 1Gi, request is 100Mi, has larger consumption of memory.
          Normal   Killing  14m   kubelet  Stopping container web
        Name:             web-5f6d7c8b9-fghij
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.41
        IPs:
          IP:           10.244.1.41
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
            Ready:          True
            Restart Count:  0
            Requests:
              memory:     100Mi
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
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Started  49m   kubelet  Started container web
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .info,
          facts: [KeyValue("resource", "memory"), KeyValue("replacedBy", "web-5f6d7c8b9-fghij")],
          evidenceLines: [11, 12])
      ]),
    RuleExample(
      "a bare pod evicted: nothing recreates it, critical",
      .pod("debug-shell", phase: "Failed") { p in
        p.snapshot.reason = "Evicted"
        p.snapshot.message =
          "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. "
        p.podLine("Reason:           Evicted")
        p.container("shell", state: .terminated(Termination(reason: "ContainerStatusUnknown", exitCode: 137)))
      },
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .critical, facts: [KeyValue("resource", "memory")])
      ]),
    RuleExample("a running pod", .pod("web-1") { p in p.container("web") }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone: evicted for memory, the container far above its request",
      .text(
        #"""
        Events:
          Type     Reason   Age   From     Message
          ----     ------   ----  ----     -------
          Warning  Evicted  12m   kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi. Container web was using 1Gi, request is 100Mi, has larger consumption of memory.
          Normal   Killing  12m   kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .critical,
          facts: [
            KeyValue("resource", "memory"), KeyValue("container", "web"), KeyValue("usage", "1Gi"),
            KeyValue("request", "100Mi"),
          ], evidenceLines: [4])
      ]),
    RuleExample(
      "a get pods row whose STATUS is Evicted",
      .text(
        #"""
        NAME                      READY   STATUS    RESTARTS   AGE
        web-5f6d7c8b9-abcde       0/1     Evicted   0          3h
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(ruleID: "pod.evicted", category: .evicted, severity: .critical, evidenceLines: [2])
      ]),
    RuleExample(
      "a node's Events alone: memory pressure came and went, no pod evicted",
      .text(
        #"""
        Events:
          Type     Reason                     Age   From     Message
          ----     ------                     ----  ----     -------
          Warning  EvictionThresholdMet       14m   kubelet  Attempting to reclaim memory
          Normal   NodeHasInsufficientMemory  14m   kubelet  Node node-1 status is now: NodeHasInsufficientMemory
          Normal   NodeHasSufficientMemory    9m    kubelet  Node node-1 status is now: NodeHasSufficientMemory
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}

fileprivate extension EvictedRule {
  static func explanation(_ p: Parsed, message: String, replaced: Bool, replacement: String?) -> String {
    var text = "The kubelet evicted the pod: '\(message.trimmingCharacters(in: .whitespaces))'."
    if let threshold = p.threshold, let available = p.available, let resource = p.resource {
      text += " The node's available \(resource) (\(available)) fell below the eviction threshold (\(threshold))."
    }
    if let container = p.container, let usage = p.usage, let request = p.request {
      text +=
        " Container '\(container)' used \(usage) against a request of \(request), which ranks it first for eviction."
    }
    if let replacement {
      text +=
        " Pod '\(replacement)' of the same controller is running in its place; the evicted pod object stays "
        + "until deleted."
    } else {
      text +=
        replaced
        ? " Its controller creates a replacement; the evicted pod object stays until deleted."
        : " Nothing recreates it."
    }
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
