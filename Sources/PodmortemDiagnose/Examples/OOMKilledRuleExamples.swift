import PodmortemCorrelate
import PodmortemModel

extension OOMKilledRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "OOMKilled at a 256Mi limit, crash-looping at restart 7",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-q9z4t
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.11
        IPs:
          IP:           10.244.3.11
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
        ▶      Reason:       OOMKilled
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:56:41 +0000
              Finished:     Fri, 27 Nov 2026 00:57:12 +0000
            Ready:          False
            Restart Count:  7
            Limits:
              cpu:     500m
        ▶      memory:  256Mi
            Requests:
              cpu:        250m
              memory:     128Mi
            Environment:  <none>
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
        QoS Class:                   Burstable
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason   Age                  From     Message
          ----     ------   ----                 ----     -------
          Normal   Pulled   2m49s (x8 over 21m)  kubelet  Container image "registry.example.com/shop/api:1.8.0" already present on machine
          Normal   Created  2m49s (x8 over 21m)  kubelet  Created container: api
          Normal   Started  2m49s (x8 over 21m)  kubelet  Started container api
        ▶  Warning  BackOff  10s (x71 over 19m)   kubelet  Back-off restarting failed container api in pod api-7d9f8b6c5d-q9z4t_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical, container: "api",
          facts: [
            KeyValue("exitCode", "137"), KeyValue("restarts", "7"), KeyValue("memoryLimit", "256Mi"),
            KeyValue("memoryRequest", "128Mi"), KeyValue("backoffSeconds", "300"),
            KeyValue("alsoExplains", "crashloop.backoff"),
          ])
      ]),
    RuleExample(
      "137 with reason Error is a SIGKILL, not an OOM kill",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-r5v6w
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.12
        IPs:
          IP:           10.244.3.12
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:31:05 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:10:02 +0000
              Finished:     Fri, 27 Nov 2026 00:31:03 +0000
            Ready:          True
            Restart Count:  1
            Limits:
              memory:  256Mi
            Requests:
              memory:     256Mi
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
          Type    Reason   Age                From     Message
          ----    ------   ----               ----     -------
          Normal  Started  29m (x2 over 50m)  kubelet  Started container api
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .info, container: "api",
          facts: [KeyValue("exitCode", "137"), KeyValue("signal", "SIGKILL")])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "crash-looping at a 256Mi limit",
      .pod("api-7d9f8b6c5d-x2x7k") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(Termination(reason: "OOMKilled", exitCode: 137)), restarts: 7,
          limits: ["memory": "256Mi"])
      },
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical, container: "api",
          facts: [.int("exitCode", 137), .int("restarts", 7), KeyValue("memoryLimit", "256Mi")],
          evidenceText: ["Reason:       OOMKilled", "memory:  256Mi"])
      ]),
    RuleExample(
      "OOMKilled once, running again",
      .pod("api-1") { p in
        p.container("api", lastState: .terminated(Termination(reason: "OOMKilled", exitCode: 137)), restarts: 1)
      },
      expect: [ExpectedFinding(ruleID: "container.oom-killed", category: .oomKilled, severity: .warning)]),
    RuleExample(
      "137 without OOMKilled is not an OOM kill",
      .pod("api-2") { p in
        p.container("api", lastState: .terminated(Termination(reason: "Error", exitCode: 137)), restarts: 1)
      }),
    RuleExample(
      "a describe fragment cut after the reason: OOMKilled without its exit code",
      .text(
        #"""
        ▶    Last State:     Terminated
        ▶      Reason:       OOMKilled
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical,
          facts: [KeyValue("reason", "OOMKilled")])
      ]),
    RuleExample(
      "a get pods row whose STATUS is OOMKilled",
      .text(
        #"""
        NAME                          READY   STATUS      RESTARTS   AGE
        ▶batch-7c9d8e6f5b-x2k4p        0/1     OOMKilled   0          126m
        web-5f6d7c8b9-c8d2f           1/1     Running     0          3h
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical,
          facts: [KeyValue("reason", "OOMKilled"), .int("restarts", 0)])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "Last State lines alone: 137 with reason Error is a SIGKILL, not an OOM kill",
      .text(
        #"""
            State:          Running
              Started:      Fri, 27 Nov 2026 00:58:40 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:20:11 +0000
              Finished:     Fri, 27 Nov 2026 00:58:38 +0000
            Ready:          True
            Restart Count:  1
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "containerStatuses YAML alone: OOMKilled at restart 7, running again",
      .text(
        #"""
          containerStatuses:
        ▶  - name: api
            lastState:
              terminated:
                exitCode: 137
                finishedAt: "2026-11-27T00:58:02Z"
                reason: OOMKilled
                startedAt: "2026-11-27T00:55:40Z"
            ready: true
            restartCount: 7
            state:
              running:
                startedAt: "2026-11-27T00:58:03Z"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .warning, container: "api",
          facts: [KeyValue("exitCode", "137"), KeyValue("restarts", "7")])
      ]),
  ]
}
