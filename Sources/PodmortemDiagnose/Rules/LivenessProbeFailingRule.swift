import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A liveness probe failing, and the kubelet killing the container for it (docs/kubernetes.md §6.2, §6.3).
///
/// Every failed attempt emits `Unhealthy`; after failureThreshold consecutive failures the kubelet
/// kills the container (`Killing … failed liveness probe, will be restarted`), so the exits (137
/// or 143), the restart count and the CrashLoopBackOff that follow are this one cause.
package struct LivenessProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.liveness-failing", category: .probeFailure, title: "liveness probe failing",
    rationale: "after failureThreshold consecutive liveness failures the kubelet kills and restarts the container "
      + "(§6.2); the kill, the exit code, the restarts and the back-off are symptoms of this one cause",
    absorbs: ["crashloop.backoff", "container.exit-code", "probe.readiness-failing"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let failures = ProbeFailures(.liveness, container: container, in: pod) else { return nil }
      return finding(failures, pod: pod)
    }
  }

  private func finding(_ f: ProbeFailures, pod: PodHistory) -> Finding {
    let restarts = f.container.restartCount ?? 0
    let kills = f.kills.totalCount
    let killed = kills > 0 || (restarts > 0 && f.failures >= (f.spec?.failureThreshold ?? 3))
    var facts = f.facts + [.int("kills", kills)]
    if f.container.restartCount != nil { facts.append(.int("restarts", restarts)) }
    if let exit = f.container.lastTermination?.exitCode { facts.append(.int("exitCode", exit)) }
    let model = f.spec.map(ProbeModel.init)
    var slowStart: (run: Double, threshold: Int)?
    if let model, killed, f.container.probes[.startup] == nil, let run = Self.lastRunSeconds(f.container) {
      let grace = Double(pod.latest.terminationGracePeriodSeconds ?? TerminationModel.defaultGraceSeconds)
      if run <= model.restartLatency.upperBound + grace {
        let threshold = model.suggestedStartupFailureThreshold(coveringStartOf: 2 * run)
        slowStart = (run, threshold)
        facts.append(.int("suggestedStartupFailureThreshold", threshold))
      }
    }
    if let model {
      facts.append(.seconds("detectSeconds", model.detection))
      facts.append(.seconds("restartLatencySeconds", model.restartLatency))
    }
    let severity: Severity = killed ? .critical : .warning
    return Self.description.finding(
      severity, pod.subject(f.container.name), title: Self.title(f, kills: kills),
      explanation: Self.explanation(f, kills: kills, restarts: restarts, model: model, slowStart: slowStart),
      remedy: Self.remedy(f, slowStart: slowStart, logs: pod.previousLogs(f.container.name)), facts: facts,
      decisive: f.decisive, evidence: f.evidence)
  }

  private static func lastRunSeconds(_ container: ContainerSnapshot) -> Double? {
    guard let last = container.lastTermination, let start = last.startedAt, let end = last.finishedAt else {
      return nil
    }
    return end.midpoint.timeIntervalSince(start.midpoint)
  }

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "liveness timeouts: killed x9, exit 137, back-off 5m (docs/kubernetes.md §6.2, §7.1): one finding",
      .text(
        #"""
        Name:             web-0
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Thu, 26 Nov 2026 23:10:00 +0000
        Labels:           app=web
                          apps.kubernetes.io/pod-index=0
                          controller-revision-hash=web-7d9f
                          statefulset.kubernetes.io/pod-name=web-0
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.7
        IPs:
          IP:           10.244.1.7
        Controlled By:  StatefulSet/web
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          nginx:1.27
            Image ID:       docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:55:01 +0000
              Finished:     Fri, 27 Nov 2026 00:55:34 +0000
            Ready:          False
            Restart Count:  9
            Liveness:       http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
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
          Type     Reason     Age                  From     Message
          ----     ------     ----                 ----     -------
          Warning  Unhealthy  4m2s (x27 over 52m)  kubelet  Liveness probe failed: Get "http://10.244.1.7:80/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
          Normal   Killing    4m2s (x9 over 51m)   kubelet  Container web failed liveness probe, will be restarted
          Warning  BackOff    60s (x180 over 45m)  kubelet  Back-off restarting failed container web in pod web-0_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T00:59:36Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "web",
          facts: [
            KeyValue("probe", "liveness"), KeyValue("mode", "timeout"), KeyValue("failures", "27"),
            KeyValue("kills", "9"), KeyValue("restarts", "9"), KeyValue("exitCode", "137"),
            KeyValue("backoffSeconds", "300"), KeyValue("nextStartIn", "58..74"),
            KeyValue("alsoExplains", "container.exit-code,crashloop.backoff"),
          ], evidenceLines: [28, 32, 33, 58, 59, 60])
      ]),
    RuleExample(
      "exec probe with no output: describe trims the message to \"Liveness probe failed:\"",
      .text(
        #"""
        Name:             worker-5c9d7b8f6-q8w2n
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=worker
                          pod-template-hash=5c9d7b8f6
        Annotations:      <none>
        Status:           Running
        IP:               10.244.2.14
        IPs:
          IP:           10.244.2.14
        Controlled By:  ReplicaSet/worker-5c9d7b8f6
        Containers:
          worker:
            Container ID:   containerd://8b1e0d4c2a7f9e6b5d3c1a0f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d
            Image:          registry.example.com/shop/worker:2.4.1
            Image ID:       registry.example.com/shop/worker@sha256:9e2b7c4d1f0a3e5c7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e
            Port:           <none>
            Host Port:      <none>
            State:          Running
              Started:      Fri, 27 Nov 2026 00:59:40 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    143
              Started:      Fri, 27 Nov 2026 00:10:12 +0000
              Finished:     Fri, 27 Nov 2026 00:59:38 +0000
            Ready:          True
            Restart Count:  1
            Liveness:       exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3
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
          Type     Reason     Age                From     Message
          ----     ------     ----               ----     -------
          Warning  Unhealthy  30s (x3 over 40s)  kubelet  Liveness probe failed:
          Normal   Killing    30s                kubelet  Container worker failed liveness probe, will be restarted
          Normal   Pulled     20s (x2 over 50m)  kubelet  Container image "registry.example.com/shop/worker:2.4.1" already present on machine
          Normal   Created    20s (x2 over 50m)  kubelet  Created container: worker
          Normal   Started    20s (x2 over 50m)  kubelet  Started container worker
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "worker",
          facts: [
            KeyValue("mode", "exec-failed"), KeyValue("failures", "3"), KeyValue("kills", "1"),
            KeyValue("restarts", "1"), KeyValue("exitCode", "143"), KeyValue("signal", "SIGTERM"),
          ], evidenceLines: [31, 56, 57])
      ]),
    RuleExample(
      "readiness failing, no restarts: not a liveness finding",
      .text(
        #"""
        Name:             web-1
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.7
        IPs:
          IP:  10.244.1.7
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
            Liveness:       http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
            Readiness:      http-get http://:80/ready delay=0s timeout=1s period=10s #success=1 #failure=3
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
          Type     Reason     Age                 From               Message
          ----     ------     ----                ----               -------
          Normal   Scheduled  50m                 default-scheduler  Successfully assigned default/web-1 to node-1
          Normal   Pulled     50m                 kubelet            Container image "nginx:1.27" already present on machine
          Normal   Created    50m                 kubelet            Created container: web
          Normal   Started    49m                 kubelet            Started container web
          Warning  Unhealthy  5s (x290 over 49m)  kubelet            Readiness probe failed: HTTP probe failed with statuscode: 503
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .warning, container: "web")
      ]),
    RuleExample(
      "`kubectl get events -o wide` alone: the probe kills without the pod status",
      .text(
        #"""
        LAST SEEN   TYPE      REASON      OBJECT      SUBOBJECT              SOURCE            MESSAGE                                                                                                                                 FIRST SEEN   COUNT   NAME
        4m2s        Warning   Unhealthy   pod/web-0   spec.containers{web}   kubelet, node-1   Liveness probe failed: Get "http://10.244.1.7:80/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)   52m          27      web-0.187b1c2d3e4f5a6b
        4m2s        Normal    Killing     pod/web-0   spec.containers{web}   kubelet, node-1   Container web failed liveness probe, will be restarted                                                                                  51m          9       web-0.187b1c2d9a0b1c2d
        60s         Warning   BackOff     pod/web-0   spec.containers{web}   kubelet, node-1   Back-off restarting failed container web in pod web-0_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)                                     45m          180     web-0.187b1c2f4e5d6c7b
        """#, now: "2026-11-27T00:59:36Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "web",
          facts: [
            KeyValue("probe", "liveness"), KeyValue("mode", "timeout"), KeyValue("failures", "27"),
            KeyValue("kills", "9"), KeyValue("backoffEvents", "180"), KeyValue("alsoExplains", "crashloop.backoff"),
          ], evidenceLines: [2, 3, 4])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "timeout kills a crash-looping container (docs/kubernetes.md §6.2, §7.1)",
      .pod("web-0") { p in
        p.container(
          "web", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 137, startedAt: ExamplePod.ago(299), finishedAt: ExamplePod.ago(266))
          ),
          restarts: 9, probes: [.liveness: .http(80, "/healthz")])
        p.event(
          .warning, "Unhealthy",
          "Liveness probe failed: Get \"http://10.244.1.7:80/healthz\": context deadline exceeded "
            + "(Client.Timeout exceeded while awaiting headers)", count: 27, lastAgo: 242, firstAgo: 3120)
        p.event(
          .normal, "Killing", "Container web failed liveness probe, will be restarted", count: 9, lastAgo: 242,
          firstAgo: 3060)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "web",
          facts: [
            KeyValue("probe", "liveness"), KeyValue("mode", "timeout"), .int("failures", 27), .int("kills", 9),
            .int("restarts", 9), .int("exitCode", 137), .int("timeoutSeconds", 1),
            .int("suggestedStartupFailureThreshold", 10),
          ],
          evidenceText: ["Liveness probe failed", "failed liveness probe", "Liveness:", "Restart Count:  9"])
      ]),
    RuleExample(
      "empty exec output still counts as a failure",
      .pod("worker-0") { p in
        p.container(
          "worker", state: .running(startedAt: ExamplePod.ago(20)),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 143, startedAt: ExamplePod.ago(3000), finishedAt: ExamplePod.ago(25))
          ),
          restarts: 1, probes: [.liveness: .exec(["cat", "/tmp/healthy"])])
        p.event(.warning, "Unhealthy", "Liveness probe failed: ", count: 3, lastAgo: 30, firstAgo: 50)
        p.event(.normal, "Killing", "Container worker failed liveness probe, will be restarted", lastAgo: 30)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "worker",
          facts: [KeyValue("mode", "exec-failed"), .int("kills", 1), .int("exitCode", 143)])
      ]),
    RuleExample(
      "readiness failures alone are not liveness failures",
      .pod("web-1") { p in
        p.container("web", probes: [.readiness: .http(8080, "/ready")])
        p.event(.warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 4)
      }),
    RuleExample(
      "a healthy pod", .pod("web-2") { p in p.container("web", probes: [.liveness: .http(8080, "/healthz")]) }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone: three exec failures and the kill, the pod and its spec not shown",
      .text(
        #"""
        Events:
          Type     Reason     Age                From     Message
          ----     ------     ----               ----     -------
          Warning  Unhealthy  10s (x3 over 30s)  kubelet  Liveness probe failed: cat: can't open '/app/ready': No such file or directory
          Normal   Killing    10s                kubelet  Container app failed liveness probe, will be restarted
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, container: "app",
          facts: [
            KeyValue("probe", "liveness"), KeyValue("mode", "exec-failed"), KeyValue("failures", "3"),
            KeyValue("kills", "1"),
          ], evidenceLines: [4, 5])
      ]),
    RuleExample(
      "headerless rows of a startup probe's kill: not a liveness failure",
      .text(
        #"""
          Warning  Unhealthy  2m (x10 over 4m)  kubelet  Startup probe failed: Get "http://10.244.3.9:8080/actuator/health": dial tcp 10.244.3.9:8080: connect: connection refused
          Normal   Killing    2m                kubelet  Container java-api failed startup probe, will be restarted
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.startup-failing", category: .probeFailure, severity: .critical, container: "java-api",
          facts: [KeyValue("probe", "startup"), KeyValue("kills", "1")], evidenceLines: [1, 2])
      ]),
  ]
}

fileprivate extension LivenessProbeFailingRule {
  static func title(_ f: ProbeFailures, kills: Int) -> String {
    kills > 0
      ? "liveness probe failing (\(f.mode.rawValue)): container '\(f.container.name)' killed \(times(kills))"
      : "liveness probe failing (\(f.mode.rawValue)) on container '\(f.container.name)'"
  }

  static func explanation(
    _ f: ProbeFailures, kills: Int, restarts: Int, model: ProbeModel?, slowStart: (run: Double, threshold: Int)?
  ) -> String {
    var text =
      "\(f.specText.prefix(1).uppercased())\(f.specText.dropFirst()) \(f.attemptsText): \(f.modeText)."
    if let model, let spec = f.spec {
      text +=
        " The kubelet kills the container after \(spec.failureThreshold) consecutive failures, "
        + "\(Seconds.format(model.detection)) after the endpoint stops answering "
        + "((\(spec.failureThreshold) − 1) × \(spec.periodSeconds)s to \(spec.failureThreshold) × \(spec.periodSeconds)s "
        + "+ \(spec.timeoutSeconds)s timeout)."
    }
    if kills > 0 {
      text += " The kubelet killed the container \(times(kills)) (Killing x\(kills))"
      if let exit = f.container.lastTermination?.exitCode {
        let meaning = ExitCodes.explain(exit, reason: f.container.lastTermination?.reason)
        text += "; the last run exited \(exit) (\(meaning.summary))"
      }
      text +=
        f.container.restartCount == nil
        ? "; the input does not show the restart count." : "; the container has restarted \(times(restarts))."
    } else if restarts == 0 {
      text += " No kill is recorded yet: the failures have not reached the threshold in a row."
    }
    if let slowStart, let model, let spec = f.spec {
      text +=
        " The last run lasted only \(Seconds.format(slowStart.run)), within the \(Seconds.format(model.restartLatency))"
        + " a never-answering container survives (initialDelay \(spec.initialDelaySeconds)s + \(spec.failureThreshold)"
        + " × \(spec.periodSeconds)s ± \(spec.periodSeconds)s): the probe is killing a container that has not finished"
        + " starting."
    }
    if f.errored > 0 {
      text += " \(counted(f.errored, "attempt")) errored; errored attempts do not count toward failureThreshold."
    }
    return text + f.unknownsText
  }

  static func remedy(_ f: ProbeFailures, slowStart: (run: Double, threshold: Int)?, logs: String) -> String {
    var steps: [String] = []
    if let slowStart, let spec = f.spec {
      steps.append(
        "add a startupProbe with the same handler, periodSeconds: \(spec.periodSeconds) and failureThreshold: "
          + "\(slowStart.threshold) (\(slowStart.threshold * spec.periodSeconds)s to start, covering twice the "
          + "\(Seconds.format(slowStart.run)) it ran with 50 % headroom); liveness checks begin only after it succeeds")
    }
    if let modeRemedy = f.modeRemedy { steps.append(modeRemedy) }
    steps.append("read the killed run's log: \(logs)")
    return steps.joined(separator: "; ")
  }
}
