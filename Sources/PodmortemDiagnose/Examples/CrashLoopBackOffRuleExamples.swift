import Foundation
import PodmortemCorrelate
import PodmortemModel

extension CrashLoopBackOffRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "exit 1 after 2s, restart 5: the next delay is 160s",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-x2x7k
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.9
        IPs:
          IP:           10.244.3.9
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
        ▶      Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
        ▶      Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:58:58 +0000
              Finished:     Fri, 27 Nov 2026 00:59:00 +0000
            Ready:          False
        ▶    Restart Count:  5
            Environment:
              DATABASE_URL:  <set to the key 'url' in secret 'db'>  Optional: false
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
          Type     Reason   Age                  From     Message
          ----     ------   ----                 ----     -------
          Normal   Pulled   60s (x6 over 4m10s)  kubelet  Container image "registry.example.com/shop/api:1.8.0" already present on machine
          Normal   Created  60s (x6 over 4m10s)  kubelet  Created container: api
          Normal   Started  60s (x6 over 4m10s)  kubelet  Started container api
        ▶  Warning  BackOff  5s (x19 over 4m5s)   kubelet  Back-off restarting failed container api in pod api-7d9f8b6c5d-x2x7k_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [
            KeyValue("restarts", "5"), KeyValue("cause", "exit-code"), KeyValue("exitCode", "1"),
            KeyValue("backoffSeconds", "160"), KeyValue("nextStartIn", "100..116"), KeyValue("backoffEvents", "19"),
            KeyValue("alsoExplains", "container.exit-code"),
          ])
      ]),
    RuleExample(
      "recovered: running and ready for 47m after three quick exits",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-k8s2d
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.10
        IPs:
          IP:           10.244.3.10
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:12:30 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:10:28 +0000
              Finished:     Fri, 27 Nov 2026 00:10:30 +0000
            Ready:          True
            Restart Count:  3
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
          Type     Reason   Age                From     Message
          ----     ------   ----               ----     -------
          Warning  BackOff  48m (x3 over 49m)  kubelet  Back-off restarting failed container api in pod api-7d9f8b6c5d-k8s2d_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
          Normal   Started  47m (x4 over 50m)  kubelet  Started container api
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .info, container: "api",
          facts: [KeyValue("exitCode", "1"), KeyValue("restarts", "3")])
      ]),
    RuleExample(
      "a containerStatuses entry cut off at 'state:': 30 restarts of a container that exits 0",
      .text(
        #"""
        containerStatuses:
        - lastState:
            terminated:
              exitCode: 0
              finishedAt: "2017-07-05T17:00:22Z"
              reason: Completed
              startedAt: "2017-07-05T17:00:12Z"
          name: demo
          ready: false
          restartCount: 30
          state:
        """#, now: "2017-07-05T17:05:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "demo",
          facts: [.int("restarts", 30), .int("exitCode", 0)])
      ]),
    RuleExample(
      "near miss: the state is cut off after four restarts: too few to call a loop",
      .text(
        #"""
        containerStatuses:
        - lastState:
            terminated:
              exitCode: 0
              reason: Completed
          name: demo
          ready: false
          restartCount: 4
          state:
        """#, now: "2017-07-05T17:05:00Z")),
    RuleExample(
      "a get pods row of a two-container pod: RESTARTS is the pod's sum, not one container's",
      .text(
        #"""
        $ kubectl -n qa get pods | grep mongodb
        ▶mongodb-7c4d9b6f58-wqnzl           1/2     CrashLoopBackOff   3          2m26s
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical,
          facts: [KeyValue("cause", "unknown"), .int("restarts", 3)])
      ]),
    RuleExample(
      "a kubelet back-off line alone: the restart count is not shown, the delay is the kubelet's own",
      .text(
        #"""
        ▶Nov 27 00:58:48 node-1 kubelet[4919]: E1127 00:58:48.471488    4919 pod_workers.go:182] Error syncing pod e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8 ("api-529174836-kq7wd_default(e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8)"), skipping: failed to "StartContainer" for "api" with CrashLoopBackOff: "Back-off 2m40s restarting failed container=api pod=api-529174836-kq7wd_default(e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8)"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [.int("backoffSeconds", 160), .int("backoffStep", 6), KeyValue("cause", "unknown")])
      ]),
    RuleExample(
      "a 1.5-era Events table alone: FailedSync carries the back-off the container waits out",
      .text(
        #"""
        Events:
          FirstSeen	LastSeen	Count	From			SubObjectPath	Type		Reason		Message
          ---------	--------	-----	----			-------------	--------	------		-------
        ▶  9m		7m		13	{kubelet 192.168.56.12}				Warning		FailedSync	Error syncing pod, skipping: failed to "StartContainer" for "dashboard" with CrashLoopBackOff: "Back-off 2m40s restarting failed container=dashboard pod=dashboard-4817265093-k72pv_kube-system(3f1c2a9e-5d4f-11e7-9c2b-080027a1b2c3)"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "dashboard",
          facts: [.int("backoffSeconds", 160), .int("backoffStep", 6)])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "exit 1 at restart 9: 300 s back-off",
      .pod("api-0") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 1, startedAt: ExamplePod.ago(125), finishedAt: ExamplePod.ago(120))),
          restarts: 9)
        p.event(
          .warning, "BackOff", "Back-off restarting failed container api in pod api-0_default(0f1c)", count: 180,
          lastAgo: 60, firstAgo: 2700)
      },
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [
            .int("restarts", 9), KeyValue("cause", "exit-code"), .int("exitCode", 1), .int("backoffSeconds", 300),
            KeyValue("nextStartIn", "180..195"), .int("backoffEvents", 180),
          ], evidenceText: ["Back-off restarting failed container", "Exit Code:    1", "Restart Count:  9"])
      ]),
    RuleExample(
      "restart 2 waits 20 s; the waiting message agrees",
      .pod("api-1") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: "back-off 20s restarting failed container=api"),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 2, startedAt: ExamplePod.ago(12), finishedAt: ExamplePod.ago(5))),
          restarts: 2)
      },
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff,
          facts: [.int("backoffSeconds", 20), .int("observedBackoffSeconds", 20), KeyValue("nextStartIn", "15..30")])
      ]),
    RuleExample(
      "a run of over 10 minutes resets the back-off",
      .pod("api-2") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 139, startedAt: ExamplePod.ago(1300), finishedAt: ExamplePod.ago(5))),
          restarts: 7)
      },
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff,
          facts: [
            KeyValue("backoffReset", "true"), .int("backoffSeconds", 0), KeyValue("cause", "signal"),
            KeyValue("signal", "SIGSEGV"),
          ])
      ]),
    RuleExample(
      "recovered: running again after old back-off events",
      .pod("api-3") { p in
        p.container(
          "api", lastState: .terminated(Termination(reason: "Error", exitCode: 1)), restarts: 3)
        p.event(.warning, "BackOff", "Back-off restarting failed container api in pod api-3_default(1)", count: 3)
      }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "a container's State lines alone: the back-off ended, running and ready after four restarts",
      .text(
        #"""
            State:          Running
              Started:      Fri, 27 Nov 2026 00:41:07 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:39:05 +0000
              Finished:     Fri, 27 Nov 2026 00:39:07 +0000
            Ready:          True
            Restart Count:  4
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "a pod's YAML status block alone: the waiting message's back-off 2m40s agrees with restart 5",
      .text(
        #"""
        status:
          containerStatuses:
          - containerID: containerd://3f2a9c1d7b6e
            image: registry.example.com/shop/api:3.1.0
            lastState:
              terminated:
                exitCode: 1
                finishedAt: "2026-11-27T00:57:20Z"
                reason: Error
                startedAt: "2026-11-27T00:57:18Z"
        ▶    name: api
            ready: false
            restartCount: 5
            started: false
            state:
              waiting:
                message: back-off 2m40s restarting failed container=api pod=api-7d9f8b6c5d-x2x7k_shop(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
                reason: CrashLoopBackOff
          phase: Running
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [
            KeyValue("restarts", "5"), KeyValue("exitCode", "1"), KeyValue("backoffSeconds", "160"),
            KeyValue("observedBackoffSeconds", "160"), KeyValue("cause", "exit-code"),
          ])
      ]),
  ]
}
