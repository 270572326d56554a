import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A container SIGKILLed at the end of its grace period during a deletion (docs/kubernetes.md §8.2).
///
/// The kubelet sends SIGTERM when it starts the kill (the `Killing` event), waits the grace
/// period — less whatever a preStop hook used, but never less than 2 s — and then sends SIGKILL:
/// exit 137. A container that finishes 137 at grace … grace + 2 s after its `Killing` event did
/// not stop on SIGTERM: its process ignores the signal, or a preStop hook (which describe does
/// not show) used the whole grace period. When the preStop hook is known, the lifecycle-hook rule
/// says which; this rule covers what the text alone shows.
package struct GracePeriodExpiredRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "termination.grace-expired", category: .containerExit,
    title: "container SIGKILLed at the end of its grace period",
    rationale: "a 137 at grace + up to 2 s after the Killing event is the kubelet's SIGKILL, not a crash (§8.2)",
    absorbs: ["container.exit-code"])

  /// How far past the grace period the exit may land: the 2 s minimum SIGTERM window, plus one
  /// second of rounding on each of the two times.
  static let slackSeconds = 4.0

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    guard let grace = pod.latest.deletionGracePeriodSeconds ?? pod.latest.terminationGracePeriodSeconds,
      grace > 0
    else { return [] }
    var findings: [Finding] = []
    for container in pod.containers([.container, .initContainer]) {
      guard let last = container.lastTermination, last.exitCode == 137, last.reason != "OOMKilled",
        let finished = last.finishedAt
      else { continue }
      let kills = pod.events("Killing", container: container.name).filter { $0.patternID == "event.stopping-container" }
      guard let kill = kills.compactMap(\.lastSeen).max(by: { $0.latest < $1.latest }) else { continue }
      let earliest = finished.earliest.timeIntervalSince(kill.latest)
      let latest = finished.latest.timeIntervalSince(kill.earliest)
      let window = Double(grace)...(Double(grace) + Self.slackSeconds)
      guard latest >= window.lowerBound - 1, earliest <= window.upperBound else { continue }
      findings.append(
        Self.description.finding(
          .warning, pod.subject(container.name),
          title:
            "container '\(container.name)' did not stop on SIGTERM: SIGKILLed at the end of its \(grace)s grace period",
          explanation: Self.explanation(container.name, grace: grace, gap: .ordered(max(0, earliest), max(0, latest))),
          remedy: "make the process exit on SIGTERM (exec the server as PID 1, or forward the signal from the shell), "
            + "and keep any preStop hook well under terminationGracePeriodSeconds; raise the grace period if "
            + "draining really takes longer",
          facts: [
            .int("graceSeconds", grace), .int("exitCode", 137), KeyValue("signal", "SIGKILL"),
            .seconds("killedAfterSeconds", .ordered(max(0, earliest), max(0, latest))),
          ],
          decisive: container.terminationEvidence + kills.evidence + pod.latest.deletionEvidence,
          evidence: container.evidence))
    }
    return findings
  }

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
              Exit Code:    137
              Started:      Thu, 26 Nov 2026 21:50:08 +0000
              Finished:     Fri, 27 Nov 2026 00:59:58 +0000
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
      expect: [
        ExpectedFinding(
          ruleID: "termination.grace-expired", category: .containerExit, severity: .warning, container: "gateway",
          facts: [.int("graceSeconds", 30), .int("exitCode", 137)], evidenceLines: [11, 25, 27, 60])
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
      .text(gatewayFragment(exitCode: 137, finished: "00:59:58"), now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "termination.grace-expired", category: .containerExit, severity: .warning, container: "gateway",
          facts: [
            KeyValue("graceSeconds", "30"), KeyValue("exitCode", "137"), KeyValue("killedAfterSeconds", "32..34"),
          ], evidenceLines: [1, 2, 7, 15])
      ]),
    RuleExample(
      "the same fragment, but the process exited 143 on SIGTERM a second after the Killing event",
      .text(gatewayFragment(exitCode: 143, finished: "00:59:27"), now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}

extension GracePeriodExpiredRule {
  /// A deleted pod's status lines, its container that ended with `exitCode` at `finished` (UTC,
  /// 27 Nov 2026), and the Killing event 34 s before 01:00:00: the fragment both examples paste.
  fileprivate static func gatewayFragment(exitCode: Int, finished: String) -> String {
    """
    Status:                    Terminating (lasts 4s)
    Termination Grace Period:  30s
    Containers:
      gateway:
        State:          Terminated
          Reason:       Error
          Exit Code:    \(exitCode)
          Started:      Thu, 26 Nov 2026 21:50:08 +0000
          Finished:     Fri, 27 Nov 2026 \(finished) +0000
        Ready:          False
        Restart Count:  0
    Events:
      Type    Reason   Age   From     Message
      ----    ------   ----  ----     -------
      Normal  Killing  34s   kubelet  Stopping container gateway
    """
  }

  fileprivate static func explanation(_ name: String, grace: Int, gap: ClosedRange<Double>) -> String {
    "The kubelet started killing '\(name)' (Killing: Stopping container) and the container ended with exit code 137 "
      + "\(Seconds.fact(gap))s later. The grace period is \(grace)s: the kubelet sends SIGTERM, waits the grace period "
      + "(less any preStop hook's time, but at least 2s) and then sends SIGKILL — 137 = 128 + 9. So the process did "
      + "not exit on SIGTERM within \(grace)s: it ignores or never receives the signal (a shell as PID 1 does not "
      + "forward it), or a preStop hook used the whole grace period. Requests still in flight were cut off."
  }
}
