import PodmortemCorrelate
import PodmortemModel

extension LifecycleHookFailedRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "a postStart hook that fails gets the container killed",
      .text(
        #"""
        Name:             web-7b8c9d6f5-n3m8k
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=7b8c9d6f5
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.7
        IPs:
          IP:           10.244.1.7
        Controlled By:  ReplicaSet/web-7b8c9d6f5
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
        ▶      Exit Code:    143
              Started:      Fri, 27 Nov 2026 00:59:37 +0000
              Finished:     Fri, 27 Nov 2026 00:59:40 +0000
            Ready:          False
            Restart Count:  3
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
          Type     Reason               Age                From     Message
          ----     ------               ----               ----     -------
          Normal   Pulled               23s (x4 over 2m)   kubelet  Container image "registry.example.com/shop/web:4.2.0" already present on machine
          Normal   Created              23s (x4 over 2m)   kubelet  Created container: web
          Normal   Started              23s (x4 over 2m)   kubelet  Started container web
        ▶  Warning  FailedPostStartHook  22s (x4 over 2m)   kubelet  PostStartHook failed
          Normal   Killing              22s (x4 over 2m)   kubelet  FailedPostStartHook
        ▶  Warning  BackOff              5s (x9 over 110s)  kubelet  Back-off restarting failed container web in pod web-7b8c9d6f5-n3m8k_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "lifecycle.hook-failed", category: .lifecycleHook, severity: .critical, container: "web",
          facts: [
            KeyValue("hook", "postStart"), KeyValue("failures", "4"), KeyValue("restarts", "3"),
            KeyValue("exitCode", "143"), KeyValue("backoffSeconds", "40"),
            KeyValue("alsoExplains", "container.exit-code,crashloop.backoff"),
          ])
      ]),
    RuleExample(
      "a delete in progress: Stopping container, no hook failure",
      .text(
        #"""
        Name:                      web-6d8f9c7b5-z2x4c
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      node-1/10.0.0.5
        Start Time:                Fri, 27 Nov 2026 00:10:00 +0000
        Labels:                    app=web
                                   pod-template-hash=6d8f9c7b5
        Annotations:               <none>
        Status:                    Terminating (lasts <invalid>)
        Termination Grace Period:  30s
        IP:                        10.244.1.7
        IPs:
          IP:           10.244.1.7
        Controlled By:  ReplicaSet/web-6d8f9c7b5
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          nginx:1.27
            Image ID:       docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
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
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Killing  12s   kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "sleep 40 with grace 30 while terminating: SIGKILL at 32 s",
      .pod("web-0") { p in
        p.snapshot.terminating = true
        p.snapshot.terminationGracePeriodSeconds = 30
        p.container("web", preStop: "exec [sleep 40]")
      },
      expect: [
        ExpectedFinding(
          ruleID: "lifecycle.hook-failed", category: .lifecycleHook, severity: .warning, container: "web",
          facts: [
            KeyValue("hook", "preStop"), .int("graceSeconds", 30), .int("preStopSeconds", 40),
            .int("sigkillAfterSeconds", 32), .int("exitCode", 137),
          ], evidenceText: ["PreStop:        exec [sleep 40]"])
      ]),
    RuleExample(
      "postStart failure",
      .pod("web-1") { p in
        p.container("web", state: .waiting(reason: "PostStartHookError", message: nil), restarts: 2)
        p.event(.warning, "FailedPostStartHook", "PostStartHook failed", count: 3)
      },
      expect: [
        ExpectedFinding(
          ruleID: "lifecycle.hook-failed", category: .lifecycleHook, severity: .critical,
          facts: [KeyValue("hook", "postStart"), .int("failures", 3)], evidenceText: ["PostStartHook failed"])
      ]),
    RuleExample(
      "preStop shorter than the grace period",
      .pod("web-2") { p in
        p.snapshot.terminationGracePeriodSeconds = 30
        p.container("web", preStop: "exec [sleep 5]")
      }),
    RuleExample(
      "an older kubelet's hook event, pasted as a row without its table: the error is in the message",
      .text(
        #"""
        ▶FailedPostStartHook  Exec lifecycle hook ([/bin/sh -c mount -t cifs //files/share /mnt]) for Container "base" in Pod "orders-0_test(4a9e7c21-b3f0-4d86-8e15-7c0f2a9d3b64)" failed - error: command '/bin/sh -c mount -t cifs //files/share /mnt' exited with 137: , message: ""
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "lifecycle.hook-failed", category: .lifecycleHook, severity: .critical,
          facts: [KeyValue("hook", "postStart"), .int("failures", 1)])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone: a delete's Stopping container with no hook failure",
      .text(
        #"""
        Events:
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Killing  12s   kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}
