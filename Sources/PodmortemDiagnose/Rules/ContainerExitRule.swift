import PodmortemCorrelate
import PodmortemModel

/// A container that exited with a non-zero code, explained by the code (docs/kubernetes.md §8.4).
///
/// 128 + N is signal N; 137 without `OOMKilled` is a SIGKILL after the grace period (or a child's
/// OOM kill). Exits during a deletion (137/143 while Terminating) are expected and ignored, and so
/// is `ContainerStatusUnknown`: its 137 is written by the kubelet for a container it could no
/// longer find (an evicted or deleted pod), not an exit of the process (§8.4).
package struct ContainerExitRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "container.exit-code", category: .containerExit, title: "container exited with an error",
    rationale: "a non-zero exit code says how the process ended: 128 + N is signal N, 126/127 are command "
      + "problems, 128 with StartError is a failed start (§8.4)")

  package init() {}

  private static let statusUnknown = "ContainerStatusUnknown"

  /// Restarts from which a container is at least a warning when the input shows no exit at all
  /// (kubectl 1.0 printed no Last State; a `get pods` row shows only RESTARTS): a node reboot or a
  /// runtime upgrade restarts a long-lived container once or twice, while five restarts are the
  /// kubelet's back-off reaching 160 s (docs/kubernetes.md §7.1) — it kept failing, whatever the
  /// cause (docs/findings-schema.md "Severity").
  static let manyRestarts = 5

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    Self.exits(pod) + Self.panics(pod)
  }

  /// The container log pattern of a Go program's unrecovered panic (patterns/container.json).
  static let goPanic = "container.go-panic"

  private static func exits(_ pod: PodHistory) -> [Finding] {
    pod.containers([.container]).compactMap { container in
      guard let last = container.lastTermination else { return Self.restartsOnly(container, pod: pod) }
      guard last.exitCode != 0, last.reason != "OOMKilled", last.reason != Self.statusUnknown else { return nil }
      if pod.isTerminating, [137, 143].contains(last.exitCode) { return nil }
      let meaning = ExitCodes.explain(last)
      let restarts = container.restartCount ?? 0
      let severity: Severity
      if pod.latest.reason == "Evicted" || !pod.events("Evicted").isEmpty {
        // The eviction killed it: `pod.evicted` absorbs this finding and decides how bad that is
        // (docs/kubernetes.md §8.2); the exit alone must not make a replaced pod critical.
        severity = .info
      } else if !container.isRunning {
        severity = .critical
      } else {
        severity = container.ready == false ? .warning : .info
      }
      var facts: [KeyValue] = [.int("exitCode", last.exitCode), .int("restarts", restarts)]
      if let name = meaning.signalName { facts.append(KeyValue("signal", name)) }
      if let signal = meaning.signal { facts.append(.int("signalNumber", signal)) }
      if let reason = last.reason { facts.append(KeyValue("reason", reason)) }
      return Self.description.finding(
        severity, pod.subject(container.name), title: Self.title(container, last, meaning),
        explanation: Self.explanation(container, last, meaning), remedy: meaning.guidance, facts: facts,
        decisive: container.terminationEvidence, evidence: container.evidence)
    }
  }

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
              Reason:       Error
              Exit Code:    2
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
          facts: [KeyValue("exitCode", "2"), KeyValue("restarts", "0"), KeyValue("reason", "Error")],
          evidenceLines: [25, 26])
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
        2026-11-27T00:41:37.822853908+00:00 stderr F panic: open /etc/api/config.yaml: no such file or directory
        2026-11-27T00:41:37.822853908+00:00 stderr F 
        2026-11-27T00:41:37.822853908+00:00 stderr F goroutine 1 [running]:
        2026-11-27T00:41:37.822853908+00:00 stderr F main.main()
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .warning, container: "api",
          facts: [KeyValue("panic", "open /etc/api/config.yaml: no such file or directory"), .int("panics", 1)],
          evidenceLines: [2])
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
            State:          Terminated
              Reason:       Error
              Exit Code:    2
              Started:      Fri, 27 Nov 2026 00:40:02 +0000
              Finished:     Fri, 27 Nov 2026 00:40:09 +0000
            Ready:          False
            Restart Count:  0
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .critical,
          facts: [KeyValue("exitCode", "2"), KeyValue("reason", "Error"), KeyValue("restarts", "0")],
          evidenceLines: [1, 2, 3])
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

fileprivate extension ContainerExitRule {
  /// A Go panic in a container's own log whose exit the input does not show: the Go runtime prints
  /// `panic: …` and the goroutine trace, then exits with code 2
  /// (https://pkg.go.dev/builtin#panic, https://go.dev/ref/spec#Handling_panics).
  static func panics(_ pod: PodHistory) -> [Finding] {
    let lines = pod.logs.filter { $0.patternID == goPanic }
    let shown = Set(pod.containers().filter { $0.lastTermination != nil }.map(\.name))
    return Dictionary(grouping: lines, by: { $0.container ?? ContainerSnapshot.unknownName }).sorted { $0.key < $1.key }
      .compactMap { name, panics in
        guard !shown.contains(name), let last = panics.last else { return nil }
        let message = last.capture("message") ?? ""
        let times = panics.count == 1 ? "" : " (\(panics.count) panics in the input)"
        return description.finding(
          .warning, pod.subject(name == ContainerSnapshot.unknownName ? nil : name),
          title: "container '\(name)' crashed: Go panic '\(message)'",
          explanation:
            "The container's log shows an unrecovered Go panic ('panic: \(message)')\(times): the Go runtime "
            + "prints the goroutine trace and exits the process with code 2, so the container ends with an error and "
            + "is restarted under restartPolicy Always. The input does not show the container's state or exit code.",
          remedy: "the trace after the panic line names the function that panicked; fix it, or check the input "
            + "it names (a missing file, a nil configuration value)",
          facts: [KeyValue("panic", message), .int("panics", panics.count)], evidence: panics.map(\.evidence))
      }
  }

  /// A container restarted `manyRestarts` times or more whose exits the input does not show.
  static func restartsOnly(_ container: ContainerSnapshot, pod: PodHistory) -> Finding? {
    guard let restarts = container.restartCount, restarts >= manyRestarts, !pod.isTerminating,
      pod.latest.reason != "Evicted"
    else { return nil }
    return description.finding(
      .warning, pod.subject(container.name),
      title: "container '\(container.name)' restarted \(restarts) times (how it exited is not shown)",
      explanation: "Container '\(container.name)' has restarted \(restarts) times, but the input shows neither its "
        + "last termination (reason, exit code) nor events saying why. \(manyRestarts) or more restarts mean it "
        + "keeps failing: the kubelet's back-off has reached 160 s by the fifth (docs/kubernetes.md §7.1).",
      remedy: "'kubectl describe pod' on a current kubectl shows Last State with the exit code and reason; "
        + "'kubectl logs --previous' shows the last run's output",
      facts: [.int("restarts", restarts)], evidence: container.evidence)
  }

  static func title(_ container: ContainerSnapshot, _ last: Termination, _ meaning: ExitCodes.Meaning) -> String {
    "container '\(container.name)' exited with code \(last.exitCode) (\(meaning.summary))"
  }

  static func explanation(_ container: ContainerSnapshot, _ last: Termination, _ meaning: ExitCodes.Meaning) -> String {
    var text = "Container '\(container.name)' exited with code \(last.exitCode)"
    if let signal = meaning.signal, let name = meaning.signalName {
      text += " = 128 + \(signal): it was killed by \(name)"
    } else {
      text += ": \(meaning.summary)"
    }
    if let reason = last.reason { text += " (reason \(reason))" }
    if let message = last.message { text += "; message '\(message)'" }
    text += "."
    if last.exitCode == 137 {
      text += " Without reason OOMKilled a 137 is the SIGKILL that follows an expired grace period, not a memory limit."
    }
    return text
  }
}
