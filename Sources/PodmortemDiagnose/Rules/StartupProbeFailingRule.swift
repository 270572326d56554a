import PodmortemCorrelate
import PodmortemModel

/// A startup probe failing, and the kubelet killing the container when its budget runs out
/// (docs/kubernetes.md §6.2, §6.3).
///
/// While the startup probe has not succeeded, liveness and readiness do not run. After
/// initialDelay + failureThreshold × period without success the container is killed
/// (`Container web failed startup probe, will be restarted`).
package struct StartupProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.startup-failing", category: .probeFailure, title: "startup probe failing",
    rationale: "a startup probe that does not succeed within initialDelay + failureThreshold × period gets the "
      + "container killed (§6.2); single failures before success are normal",
    absorbs: ["crashloop.backoff", "container.exit-code", "probe.readiness-failing"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let f = ProbeFailures(.startup, container: container, in: pod) else { return nil }
      let kills = f.kills.totalCount
      let restarts = container.restartCount ?? 0
      let started = container.started == true || container.ready == true
      var facts = f.facts + [.int("kills", kills), .int("restarts", restarts)]
      var suggestion: Int?
      if let spec = f.spec {
        let model = ProbeModel(spec)
        facts.append(.int("startupBudgetSeconds", Int(saturating: model.startupBudget)))
        if kills > 0 {
          let threshold = model.suggestedStartupFailureThreshold(coveringStartOf: 2 * model.startupBudget)
          suggestion = threshold
          facts.append(.int("suggestedFailureThreshold", threshold))
        }
      }
      let severity: Severity = kills > 0 ? .critical : (started ? .info : .warning)
      return Self.description.finding(
        severity, pod.subject(container.name), title: Self.title(f, kills: kills),
        explanation: Self.explanation(f, kills: kills, started: started),
        remedy: Self.remedy(f, suggestion: suggestion, logs: pod.previousLogs(f.container.name)), facts: facts,
        decisive: f.decisive, evidence: f.evidence)
    }
  }

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "a 30s start-up budget for a JVM that needs longer",
      .text(
        #"""
        Name:             java-api-6f7b9c8d5-h4k9m
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=java-api
                          pod-template-hash=6f7b9c8d5
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.22
        IPs:
          IP:           10.244.1.22
        Controlled By:  ReplicaSet/java-api-6f7b9c8d5
        Containers:
          app:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/java-api:3.2.0
            Image ID:       registry.example.com/shop/java-api@sha256:4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
              Exit Code:    143
              Started:      Fri, 27 Nov 2026 00:58:38 +0000
              Finished:     Fri, 27 Nov 2026 00:59:10 +0000
            Ready:          False
            Restart Count:  4
            Limits:
              cpu:     1
              memory:  1Gi
            Requests:
              cpu:        500m
              memory:     1Gi
            Liveness:     http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
            Startup:      http-get http://:8080/started delay=0s timeout=1s period=10s #success=1 #failure=3
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
          Type     Reason     Age                   From     Message
          ----     ------     ----                  ----     -------
          Warning  Unhealthy  52s (x15 over 6m40s)  kubelet  Startup probe failed: Get "http://10.244.1.22:8080/started": dial tcp 10.244.1.22:8080: connect: connection refused
          Normal   Killing    52s (x4 over 6m10s)   kubelet  Container app failed startup probe, will be restarted
          Warning  BackOff    20s (x12 over 5m40s)  kubelet  Back-off restarting failed container app in pod java-api-6f7b9c8d5-h4k9m_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.startup-failing", category: .probeFailure, severity: .critical, container: "app",
          facts: [
            KeyValue("probe", "startup"), KeyValue("mode", "refused"), KeyValue("failures", "15"),
            KeyValue("kills", "4"), KeyValue("restarts", "4"), KeyValue("startupBudgetSeconds", "30"),
            KeyValue("suggestedFailureThreshold", "9"), KeyValue("exitCode", "143"), KeyValue("backoffSeconds", "80"),
            KeyValue("alsoExplains", "container.exit-code,crashloop.backoff"),
          ], evidenceLines: [38, 63, 64, 65])
      ]),
    RuleExample(
      "readiness refused while starting; the startup probe itself never failed",
      .text(
        #"""
        Name:             java-api-6f7b9c8d5-p2x7r
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=java-api
                          pod-template-hash=6f7b9c8d5
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.23
        IPs:
          IP:           10.244.1.23
        Controlled By:  ReplicaSet/java-api-6f7b9c8d5
        Containers:
          app:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/java-api:3.2.0
            Image ID:       registry.example.com/shop/java-api@sha256:4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:20:02 +0000
            Ready:          True
            Restart Count:  0
            Readiness:      http-get http://:8080/ready delay=0s timeout=1s period=10s #success=1 #failure=3
            Startup:        http-get http://:8080/started delay=0s timeout=1s period=10s #success=1 #failure=30
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
          Normal   Started    40m                kubelet  Started container app
          Warning  Unhealthy  39m (x2 over 39m)  kubelet  Readiness probe failed: Get "http://10.244.1.23:8080/ready": dial tcp 10.244.1.23:8080: connect: connection refused
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .info, container: "app",
          facts: [KeyValue("mode", "refused"), KeyValue("ready", "true")])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "budget of 30s too short for a slow JVM",
      .pod("java-0") { p in
        p.container(
          "app", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(Termination(reason: "Error", exitCode: 137)), restarts: 4,
          probes: [.startup: .http(8080, "/started"), .liveness: .http(8080, "/healthz")])
        p.event(
          .warning, "Unhealthy",
          "Startup probe failed: Get \"http://10.1.2.3:8080/started\": dial tcp 10.1.2.3:8080: connect: connection refused",
          count: 15, lastAgo: 40, firstAgo: 400)
        p.event(.normal, "Killing", "Container app failed startup probe, will be restarted", count: 4, lastAgo: 40)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.startup-failing", category: .probeFailure, severity: .critical, container: "app",
          facts: [
            KeyValue("probe", "startup"), KeyValue("mode", "refused"), .int("kills", 4),
            .int("startupBudgetSeconds", 30),
            .int("suggestedFailureThreshold", 9),
          ], evidenceText: ["Startup probe failed", "failed startup probe", "Startup:"])
      ]),
    RuleExample(
      "two failures before a successful start",
      .pod("java-1") { p in
        p.container("app", ready: true, probes: [.startup: .http(8080, "/started", failure: 30)])
        p.event(.warning, "Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 503", count: 2)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.startup-failing", category: .probeFailure, severity: .info, facts: [.int("kills", 0)])
      ]),
    RuleExample(
      "no startup failures", .pod("java-2") { p in p.container("app", probes: [.startup: .http(8080, "/")]) }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "`journalctl -u kubelet` lines alone: two startup failures, no kill yet",
      .text(
        #"""
        Nov 27 00:58:21 node-1 kubelet[2291]: I1127 00:58:21.118203    2291 prober.go:107] "Probe failed" probeType="Startup" pod="shop/java-api-6f7b9c8d5-h4k9m" podUID="5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b" containerName="java-api" probeResult="failure" output="Get \"http://10.244.3.9:8080/actuator/health\": dial tcp 10.244.3.9:8080: connect: connection refused"
        Nov 27 00:58:31 node-1 kubelet[2291]: I1127 00:58:31.117954    2291 prober.go:107] "Probe failed" probeType="Startup" pod="shop/java-api-6f7b9c8d5-h4k9m" podUID="5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b" containerName="java-api" probeResult="failure" output="Get \"http://10.244.3.9:8080/actuator/health\": dial tcp 10.244.3.9:8080: connect: connection refused"
        """#, now: "2026-11-27T00:59:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.startup-failing", category: .probeFailure, severity: .warning, container: "java-api",
          facts: [
            KeyValue("probe", "startup"), KeyValue("mode", "refused"), KeyValue("failures", "2"),
            KeyValue("kills", "0"),
          ], evidenceLines: [1, 2])
      ]),
    RuleExample(
      "a container's lines alone: a startup probe configured, the container started and ready",
      .text(
        #"""
            State:          Running
              Started:      Fri, 27 Nov 2026 00:50:12 +0000
            Ready:          True
            Restart Count:  0
            Startup:        http-get http://:8080/actuator/health delay=0s timeout=1s period=10s #success=1 #failure=30
            Readiness:      http-get http://:8080/actuator/health delay=0s timeout=1s period=10s #success=1 #failure=3
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}

fileprivate extension StartupProbeFailingRule {
  static func title(_ f: ProbeFailures, kills: Int) -> String {
    kills > 0
      ? "startup probe failing (\(f.mode.rawValue)): container '\(f.container.name)' killed \(times(kills)) before it started"
      : "startup probe failed \(times(f.failures)) on container '\(f.container.name)'"
  }

  static func explanation(_ f: ProbeFailures, kills: Int, started: Bool) -> String {
    var text =
      "\(f.specText.prefix(1).uppercased())\(f.specText.dropFirst()) \(f.attemptsText): \(f.modeText)."
    if let spec = f.spec {
      let budget = Int(saturating: ProbeModel(spec).startupBudget)
      text +=
        " The container has \(spec.initialDelaySeconds)s + \(spec.failureThreshold) × \(spec.periodSeconds)s = "
        + "\(budget)s to start before it is killed."
    }
    if kills > 0 {
      text += " It was killed \(times(kills)): the application needs longer than that to start."
    } else if started {
      text += " It started in the end: an Unhealthy event is written for every failed attempt, so a few are normal."
    }
    return text + f.unknownsText
  }

  static func remedy(_ f: ProbeFailures, suggestion: Int?, logs: String) -> String {
    var steps: [String] = []
    if let suggestion, let spec = f.spec {
      steps.append(
        "raise the startupProbe failureThreshold to \(suggestion) (\(suggestion * spec.periodSeconds)s at "
          + "periodSeconds \(spec.periodSeconds), twice the current budget with 50 % headroom)")
    }
    if let modeRemedy = f.modeRemedy { steps.append(modeRemedy) }
    steps.append("check the start-up log: \(logs)")
    return steps.joined(separator: "; ")
  }
}
