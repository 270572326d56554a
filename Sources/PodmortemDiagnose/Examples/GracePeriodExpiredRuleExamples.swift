import Foundation
import PodmortemCorrelate
import PodmortemModel

extension GracePeriodExpiredRule {
  package static let examples: [RuleExample] = [
    RuleExample(
      "exit 137 32 s after 'Stopping container' with a 30 s grace period (kubectl 1.32 output)",
      .text(
        #"""
        Name:                      ws-gateway-7f8d9c6b5-h4j2k
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      worker-1/10.0.1.11
        Start Time:                Thu, 26 Nov 2026 21:50:01 +0000
        Labels:                    app=ws-gateway
                                   pod-template-hash=7f8d9c6b5
        Annotations:               <none>
        Status:                    Terminating (lasts 4s)
        ▶Termination Grace Period:  30s
        IP:                        10.244.1.27
        IPs:
          IP:           10.244.1.27
        Controlled By:  ReplicaSet/ws-gateway-7f8d9c6b5
        Containers:
          gateway:
            Container ID:   containerd://6f83b682b37691d24c9a519b63f119b43ac57a0d26de268d89a941a75ee873a0
            Image:          registry.example.com/edge/ws-gateway:3.0.7
            Image ID:       registry.example.com/edge/ws-gateway@sha256:ea5b1a40682c56d8b73512e8efe54324087211438016b34c6eba8a80b42d7446
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Terminated
              Reason:       Error
        ▶      Exit Code:    137
              Started:      Thu, 26 Nov 2026 21:50:08 +0000
        ▶      Finished:     Fri, 27 Nov 2026 00:59:58 +0000
            Ready:          False
            Restart Count:  0
            Limits:
              memory:  512Mi
            Requests:
              cpu:        250m
              memory:     256Mi
            Readiness:    http-get http://:ws/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
            Environment:  <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-4db51 (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          kube-api-access-4db51:
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
        ▶  Normal  Killing  34s   kubelet  Stopping container gateway
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "termination.grace-expired", category: .containerExit, severity: .warning, container: "gateway",
          facts: [.int("graceSeconds", 30), .int("exitCode", 137)])
      ]),
    RuleExample(
      "the same deletion, but the process exited 143 on SIGTERM a second after the Killing event",
      .text(
        #"""
        Name:                      ws-gateway-7f8d9c6b5-h4j2k
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      worker-1/10.0.1.11
        Start Time:                Thu, 26 Nov 2026 21:50:01 +0000
        Labels:                    app=ws-gateway
                                   pod-template-hash=7f8d9c6b5
        Annotations:               <none>
        Status:                    Terminating (lasts 4s)
        Termination Grace Period:  30s
        IP:                        10.244.1.27
        IPs:
          IP:           10.244.1.27
        Controlled By:  ReplicaSet/ws-gateway-7f8d9c6b5
        Containers:
          gateway:
            Container ID:   containerd://6f83b682b37691d24c9a519b63f119b43ac57a0d26de268d89a941a75ee873a0
            Image:          registry.example.com/edge/ws-gateway:3.0.7
            Image ID:       registry.example.com/edge/ws-gateway@sha256:ea5b1a40682c56d8b73512e8efe54324087211438016b34c6eba8a80b42d7446
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Terminated
              Reason:       Error
              Exit Code:    143
              Started:      Thu, 26 Nov 2026 21:50:08 +0000
              Finished:     Fri, 27 Nov 2026 00:59:27 +0000
            Ready:          False
            Restart Count:  0
            Limits:
              memory:  512Mi
            Requests:
              cpu:        250m
              memory:     256Mi
            Readiness:    http-get http://:ws/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
            Environment:  <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-4db51 (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          kube-api-access-4db51:
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
          Normal  Killing  34s   kubelet  Stopping container gateway
        """#, now: "2026-11-27T01:00:00Z"),
      expect: []),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "the describe's status lines, container and Events alone: exit 137 32 s after Stopping container",
      .text(gatewayFragment(exitCode: 137, finished: "00:59:58", marked: true), now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "termination.grace-expired", category: .containerExit, severity: .warning, container: "gateway",
          facts: [
            KeyValue("graceSeconds", "30"), KeyValue("exitCode", "137"), KeyValue("killedAfterSeconds", "32..34"),
          ])
      ]),
    RuleExample(
      "the same fragment, but the process exited 143 on SIGTERM a second after the Killing event",
      .text(gatewayFragment(exitCode: 143, finished: "00:59:27", marked: false), now: "2026-11-27T01:00:00Z"),
      expect: []),
  ]
}

extension GracePeriodExpiredRule {
  /// A deleted pod's status lines, its container that ended with `exitCode` at `finished` (UTC,
  /// 27 Nov 2026), and the Killing event 34 s before 01:00:00: the fragment both examples paste,
  /// its cited lines marked `▶` when `marked`.
  fileprivate static func gatewayFragment(exitCode: Int, finished: String, marked: Bool) -> String {
    let mark = marked ? "▶" : ""
    return """
      \(mark)Status:                    Terminating (lasts 4s)
      \(mark)Termination Grace Period:  30s
      Containers:
        gateway:
          State:          Terminated
            Reason:       Error
      \(mark)      Exit Code:    \(exitCode)
            Started:      Thu, 26 Nov 2026 21:50:08 +0000
            Finished:     Fri, 27 Nov 2026 \(finished) +0000
          Ready:          False
          Restart Count:  0
      Events:
        Type    Reason   Age   From     Message
        ----    ------   ----  ----     -------
      \(mark)  Normal  Killing  34s   kubelet  Stopping container gateway
      """
  }
}
