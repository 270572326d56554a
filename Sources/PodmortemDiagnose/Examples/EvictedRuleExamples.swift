import PodmortemCorrelate
import PodmortemModel

extension EvictedRule {
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
        ▶Reason:           Evicted
        ▶Message:          The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container web was using 1Gi, request is 100Mi, has larger consumption of memory. 
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
        ▶  Warning  Evicted  14m   kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container web was using 1Gi, request is 100Mi, has larger consumption of memory.
          Normal   Killing  14m   kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .warning,
          facts: [
            KeyValue("resource", "memory"), KeyValue("threshold", "100Mi"), KeyValue("available", "51200Ki"),
            KeyValue("container", "web"), KeyValue("usage", "1Gi"), KeyValue("request", "100Mi"),
          ])
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
        ▶Reason:           Evicted
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
        ▶  Warning  Evicted    10m   kubelet            The node was low on resource: ephemeral-storage. Threshold quantity: 4177773120, available: 3848856Ki. Container importer was using 14237228Ki, request is 0, has larger consumption of ephemeral-storage.
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .warning,
          facts: [KeyValue("resource", "ephemeral-storage"), KeyValue("alsoExplains", "container.exit-code")])
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
        ▶Reason:           Evicted
        ▶Message:          The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container web was using 1Gi, request is 100Mi, has larger consumption of memory. 
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
          facts: [KeyValue("resource", "memory"), KeyValue("replacedBy", "web-5f6d7c8b9-fghij")])
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
        ▶  Warning  Evicted  12m   kubelet  The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi. Container web was using 1Gi, request is 100Mi, has larger consumption of memory.
          Normal   Killing  12m   kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, severity: .critical,
          facts: [
            KeyValue("resource", "memory"), KeyValue("container", "web"), KeyValue("usage", "1Gi"),
            KeyValue("request", "100Mi"),
          ])
      ]),
    RuleExample(
      "a get pods row whose STATUS is Evicted",
      .text(
        #"""
        NAME                      READY   STATUS    RESTARTS   AGE
        ▶web-5f6d7c8b9-abcde       0/1     Evicted   0          3h
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(ruleID: "pod.evicted", category: .evicted, severity: .critical)
      ]),
    RuleExample(
      "a 1.6 pod's status YAML alone: the message names the condition, not the resource",
      .text(
        #"""
        ```yaml
        status:
        ▶  message: 'Pod The node was low on resource: [MemoryPressure].'
          phase: Failed
          reason: Evicted
          startTime: '2017-07-07T19:36:11Z'
        ```
        """#, now: "2017-07-07T20:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, facts: [KeyValue("resource", "memory")])
      ]),
    RuleExample(
      "a get events row: a pod turned away for the node's MemoryPressure, its name a poster's placeholder",
      .text(
        #"""
        4m7s        Normal    Scheduled             pod/egg-<id2 here>    Successfully assigned fate-10000/egg-<id2 here> to aks-nodepool1-<id>
        ▶4m7s        Warning   Evicted               pod/egg-<id2 here>    The node had condition: [MemoryPressure].
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted, facts: [KeyValue("resource", "memory")],
          evidenceText: ["pod/egg-<id2 here>    The node had condition"])
      ]),
    RuleExample(
      "a 1.33 pod's status YAML: no reason, the eviction told by its DisruptionTarget condition",
      .text(
        #"""
        status:
          conditions:
          - lastProbeTime: null
            lastTransitionTime: "2025-05-29T07:30:02Z"
            message: 'The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 898240Ki. Container discovery was using 4Ki, request is 0, has larger consumption of ephemeral-storage. '
            reason: TerminationByKubelet
            status: "True"
            type: DisruptionTarget
          phase: Failed
          startTime: "2025-05-29T07:12:38Z"
        """#, now: "2025-05-29T07:35:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.evicted", category: .evicted,
          facts: [KeyValue("resource", "ephemeral-storage"), KeyValue("threshold", "1Gi")])
      ]),
    RuleExample(
      "a pod drained by the eviction API: its DisruptionTarget condition is no node pressure",
      .text(
        #"""
        status:
          conditions:
          - lastProbeTime: null
            lastTransitionTime: "2025-05-29T07:30:02Z"
            message: 'Eviction API: evicting'
            reason: EvictionByEvictionAPI
            status: "True"
            type: DisruptionTarget
          phase: Running
          startTime: "2025-05-29T07:12:38Z"
        """#, now: "2025-05-29T07:35:00Z"), expect: []),
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
