import PodmortemCorrelate
import PodmortemModel

extension ContainerExitRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "a Job pod (restartPolicy Never) that exited 2",
      .text(
        #"""
        Name:             report-28391-x7k2p
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:30:00 +0000
        Labels:           batch.kubernetes.io/controller-uid=0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21
                          batch.kubernetes.io/job-name=report-28391
                          controller-uid=0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21
                          job-name=report-28391
        Annotations:      <none>
        Status:           Failed
        IP:               10.244.2.31
        IPs:
          IP:           10.244.2.31
        Controlled By:  Job/report-28391
        Containers:
          report:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/batch/report:2026.11
            Image ID:       registry.example.com/batch/report@sha256:1a3c5e7f9b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4b
            Port:           <none>
            Host Port:      <none>
            State:          Terminated
        ▶      Reason:       Error
        ▶      Exit Code:    2
              Started:      Fri, 27 Nov 2026 00:30:04 +0000
              Finished:     Fri, 27 Nov 2026 00:30:09 +0000
            Ready:          False
            Restart Count:  0
            Environment:    <none>
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
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type    Reason     Age   From               Message
          ----    ------     ----  ----               -------
          Normal  Scheduled  30m   default-scheduler  Successfully assigned default/report-28391-x7k2p to node-1
          Normal  Pulled     30m   kubelet            Container image "registry.example.com/batch/report:2026.11" already present on machine
          Normal  Created    30m   kubelet            Created container: report
          Normal  Started    30m   kubelet            Started container report
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .critical, container: "report",
          facts: [KeyValue("exitCode", "2"), KeyValue("restarts", "0"), KeyValue("reason", "Error")])
      ]),
    RuleExample(
      "a Completed pod: exit 0",
      .text(
        #"""
        Name:             report-28392-m4n8q
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:30:00 +0000
        Labels:           batch.kubernetes.io/job-name=report-28392
                          job-name=report-28392
        Annotations:      <none>
        Status:           Succeeded
        IP:               10.244.2.32
        IPs:
          IP:           10.244.2.32
        Controlled By:  Job/report-28392
        Containers:
          report:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/batch/report:2026.11
            Image ID:       registry.example.com/batch/report@sha256:1a3c5e7f9b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4b
            Port:           <none>
            Host Port:      <none>
            State:          Terminated
              Reason:       Completed
              Exit Code:    0
              Started:      Fri, 27 Nov 2026 00:30:04 +0000
              Finished:     Fri, 27 Nov 2026 00:41:17 +0000
            Ready:          False
            Restart Count:  0
            Environment:    <none>
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
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Started  30m   kubelet  Started container report
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "bare 137 is a SIGKILL, not necessarily OOM",
      .pod("batch-0", phase: "Failed") { p in
        p.container("job", state: .terminated(Termination(reason: "Error", exitCode: 137)))
      },
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .critical, container: "job",
          facts: [.int("exitCode", 137), KeyValue("signal", "SIGKILL"), .int("signalNumber", 9)],
          evidenceText: ["Exit Code:    137"])
      ]),
    RuleExample(
      "127: command not found, restarted once, running again",
      .pod("batch-1") { p in
        p.container("job", lastState: .terminated(Termination(reason: "Error", exitCode: 127)), restarts: 1)
      },
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .info, facts: [.int("exitCode", 127)])
      ]),
    RuleExample(
      "143 while Terminating is the delete itself",
      .pod("batch-2") { p in
        p.snapshot.terminating = true
        p.container("job", state: .terminated(Termination(reason: "Error", exitCode: 143)))
      }),
    RuleExample(
      "a Go panic in a container log read with tail, no pod object",
      .text(
        #"""
        $ sudo tail /var/log/containers/web-7c9e4fa2d1-w5rkq_shop_api-8e1f4b27c90a3d65f7e2b1c84a9d06e3f5b7c28a1d4e90f63b8c7a25e1d0f49b.log
        ▶2026-11-27T00:41:37.822853908+00:00 stderr F panic: open /etc/api/config.yaml: no such file or directory
        2026-11-27T00:41:37.822853908+00:00 stderr F 
        2026-11-27T00:41:37.822853908+00:00 stderr F goroutine 1 [running]:
        2026-11-27T00:41:37.822853908+00:00 stderr F main.main()
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .warning, container: "api",
          facts: [KeyValue("panic", "open /etc/api/config.yaml: no such file or directory"), .int("panics", 1)])
      ]),
    RuleExample(
      "near miss: a panic net/http recovered is no crash",
      .text(
        #"""
        2026-11-27T00:41:37.822853908+00:00 stderr F 2026/11/27 00:41:37 http: panic serving 10.0.0.7:51234: runtime error: slice bounds out of range
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "restarted 6 times, no exit shown (kubectl 1.0 printed no Last State)",
      .pod("sim-0") { p in p.container("app", state: .running(startedAt: nil), restarts: 6) },
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .warning, container: "app",
          facts: [.int("restarts", 6)])
      ]),
    RuleExample(
      "restarted twice, no exit shown: a node reboot does as much",
      .pod("sim-1") { p in p.container("app", state: .running(startedAt: nil), restarts: 2) }),
    RuleExample(
      "exit 0",
      .pod("batch-3") { p in p.container("job", state: .terminated(Termination(reason: "Completed", exitCode: 0))) }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "a container's State lines alone: terminated with exit 2, never restarted",
      .text(
        #"""
        ▶    State:          Terminated
        ▶      Reason:       Error
        ▶      Exit Code:    2
              Started:      Fri, 27 Nov 2026 00:40:02 +0000
              Finished:     Fri, 27 Nov 2026 00:40:09 +0000
            Ready:          False
            Restart Count:  0
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .critical,
          facts: [KeyValue("exitCode", "2"), KeyValue("reason", "Error"), KeyValue("restarts", "0")])
      ]),
    RuleExample(
      "a container's State lines alone: Completed with exit 0",
      .text(
        #"""
            State:          Terminated
              Reason:       Completed
              Exit Code:    0
              Started:      Fri, 27 Nov 2026 00:40:02 +0000
              Finished:     Fri, 27 Nov 2026 00:41:19 +0000
            Ready:          False
            Restart Count:  0
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}
