import Foundation
import PodmortemCorrelate
import PodmortemModel

extension DeadlineExceededRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "a Job pod killed at activeDeadlineSeconds 1800",
      .text(
        #"""
        Name:             report-28390-h2j4k
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:00:00 +0000
        Labels:           batch.kubernetes.io/job-name=report-28390
                          job-name=report-28390
        Annotations:      <none>
        Status:           Failed
        ▶Reason:           DeadlineExceeded
        Message:          Pod was active on the node longer than the specified deadline
        IP:               10.244.2.30
        IPs:
          IP:           10.244.2.30
        Controlled By:  Job/report-28390
        Containers:
          report:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/batch/report:2026.11
            Image ID:       registry.example.com/batch/report@sha256:1a3c5e7f9b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4b
            Port:           <none>
            Host Port:      <none>
            State:          Terminated
              Reason:       Error
              Exit Code:    143
              Started:      Fri, 27 Nov 2026 00:00:04 +0000
              Finished:     Fri, 27 Nov 2026 00:30:02 +0000
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
          Type    Reason            Age   From     Message
          ----    ------            ----  ----     -------
          Normal  Started           60m   kubelet  Started container report
        ▶  Normal  DeadlineExceeded  30m   kubelet  Pod was active on the node longer than the specified deadline
          Normal  Killing           30m   kubelet  Stopping container report
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.deadline-exceeded", category: .deadlineExceeded, severity: .critical,
          facts: [
            KeyValue("reason", "DeadlineExceeded"), KeyValue("activeSeconds", "1802"),
            KeyValue("alsoExplains", "container.exit-code"),
          ])
      ]),
    RuleExample(
      "a Job pod that finished inside its deadline",
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
      "job pod past its deadline",
      .pod("report-28391-x7k2p", phase: "Failed") { p in
        p.snapshot.reason = "DeadlineExceeded"
        p.snapshot.message = "Pod was active on the node longer than the specified deadline"
        p.podLine("Reason:           DeadlineExceeded")
        p.event(.normal, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline")
      },
      expect: [
        ExpectedFinding(
          ruleID: "pod.deadline-exceeded", category: .deadlineExceeded, severity: .critical,
          facts: [KeyValue("reason", "DeadlineExceeded")], evidenceText: ["Reason:           DeadlineExceeded"])
      ]),
    RuleExample("a running pod", .pod("report-1") { p in p.container("job") }),
    RuleExample(
      "a Job's own deadline, from the Job's Events table",
      .text(
        #"""
        Events:
          Type     Reason            Age                From            Message
          ----     ------            ----               ----            -------
          Normal   SuccessfulCreate  13m                job-controller  Created pod: report-r8t2w
          Normal   SuccessfulDelete  12m                job-controller  Deleted pod: report-r8t2w
        ▶  Warning  DeadlineExceeded  12m (x2 over 12m)  job-controller  Job was active longer than specified deadline
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.deadline-exceeded", category: .deadlineExceeded, severity: .critical,
          facts: [KeyValue("reason", "DeadlineExceeded"), KeyValue("object", "job")])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "a Job's Events table alone: the Job completed inside its deadline",
      .text(
        #"""
        Events:
          Type    Reason            Age   From            Message
          ----    ------            ----  ----            -------
          Normal  SuccessfulCreate  13m   job-controller  Created pod: report-28392-m4n8q
          Normal  Completed         11m   job-controller  Job completed
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "a get pods row whose STATUS is DeadlineExceeded: the pod's own deadline, its start not shown",
      .text(
        #"""
        NAME                  READY   STATUS             RESTARTS   AGE
        ▶report-28390-h2j4k    0/1     DeadlineExceeded   0          31m
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "pod.deadline-exceeded", category: .deadlineExceeded, severity: .critical,
          facts: [KeyValue("reason", "DeadlineExceeded")])
      ]),
  ]
}
