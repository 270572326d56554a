import PodmortemCorrelate
import PodmortemModel

/// postStart and preStop hooks that fail, and a preStop hook that outlasts the grace period
/// (docs/kubernetes.md §8.2).
///
/// A failed postStart kills the container (`FailedPostStartHook`, waiting reason
/// `PostStartHookError`). A failed preStop is only `PreStopHook failed`, with no detail. A preStop
/// that runs longer than the grace period is cut there and the container gets 2 s of SIGTERM,
/// then SIGKILL: `sleep 40` with grace 30 exits 137 at 32 s.
package struct LifecycleHookFailedRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "lifecycle.hook-failed", category: .lifecycleHook, title: "lifecycle hook failing",
    rationale: "a postStart failure kills the container; a preStop hook is capped at the grace period and then "
      + "leaves at least 2 s before SIGKILL (§8.2)",
    absorbs: ["container.exit-code", "crashloop.backoff", "termination.grace-expired"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    var findings: [Finding] = []
    let grace =
      pod.latest.deletionGracePeriodSeconds ?? pod.latest.terminationGracePeriodSeconds
      ?? TerminationModel.defaultGraceSeconds
    for container in pod.containers([.container, .initContainer]) {
      let postStart = pod.events("FailedPostStartHook", container: container.name)
      if !postStart.isEmpty || container.waitingReason == "PostStartHookError" {
        findings.append(
          Self.description.finding(
            .critical, pod.subject(container.name), title: "postStart hook failing on container '\(container.name)'",
            explanation: Self.postStartExplanation(
              container, count: postStart.totalCount, eventError: Self.hookError(in: postStart)),
            remedy:
              "make the postStart hook succeed (or remove it); its error is in the waiting message and the kubelet log",
            facts: [KeyValue("hook", "postStart"), .int("failures", max(1, postStart.totalCount))]
              + (Self.hookExitCode(in: postStart).map { [.int("exitCode", $0)] } ?? []),
            decisive: postStart.evidence + container.waitingEvidence, evidence: container.evidence))
      }
      let preStop = pod.events("FailedPreStopHook", container: container.name)
      let sleep = container.preStop.flatMap(TerminationModel.preStopSleepSeconds)
      let timeline = TerminationModel.killTimeline(graceSeconds: grace, preStopSeconds: sleep)
      if !preStop.isEmpty || timeline.preStopOutlastsGrace {
        var facts: [KeyValue] = [KeyValue("hook", "preStop"), .int("graceSeconds", grace)]
        if let sleep { facts.append(.int("preStopSeconds", sleep)) }
        facts.append(.int("sigkillAfterSeconds", timeline.sigkillAfterSeconds))
        // The hook command's own exit code when the event shows it, else the container's likely one.
        if let exit = Self.hookExitCode(in: preStop) ?? timeline.likelyExitCode { facts.append(.int("exitCode", exit)) }
        if !preStop.isEmpty { facts.append(.int("failures", preStop.totalCount)) }
        let severity: Severity = !preStop.isEmpty || pod.isTerminating ? .warning : .info
        findings.append(
          Self.description.finding(
            severity, pod.subject(container.name),
            title: Self.preStopTitle(container, failed: !preStop.isEmpty, timeline),
            explanation: Self.preStopExplanation(
              failed: preStop.totalCount, eventError: Self.hookError(in: preStop), sleep: sleep, timeline),
            remedy: Self.preStopRemedy(failed: !preStop.isEmpty, sleep: sleep, timeline), facts: facts,
            decisive: preStop.evidence, evidence: container.evidence))
      }
    }
    return findings
  }

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
              Exit Code:    143
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
          Warning  FailedPostStartHook  22s (x4 over 2m)   kubelet  PostStartHook failed
          Normal   Killing              22s (x4 over 2m)   kubelet  FailedPostStartHook
          Warning  BackOff              5s (x9 over 110s)  kubelet  Back-off restarting failed container web in pod web-7b8c9d6f5-n3m8k_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "lifecycle.hook-failed", category: .lifecycleHook, severity: .critical, container: "web",
          facts: [
            KeyValue("hook", "postStart"), KeyValue("failures", "4"), KeyValue("restarts", "3"),
            KeyValue("exitCode", "143"), KeyValue("backoffSeconds", "40"),
            KeyValue("alsoExplains", "container.exit-code,crashloop.backoff"),
          ], evidenceLines: [26, 58, 60])
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
        FailedPostStartHook  Exec lifecycle hook ([/bin/sh -c mount -t cifs //files/share /mnt]) for Container "base" in Pod "orders-0_test(4a9e7c21-b3f0-4d86-8e15-7c0f2a9d3b64)" failed - error: command '/bin/sh -c mount -t cifs //files/share /mnt' exited with 137: , message: ""
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "lifecycle.hook-failed", category: .lifecycleHook, severity: .critical,
          facts: [KeyValue("hook", "postStart"), .int("failures", 1)], evidenceLines: [1])
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

fileprivate extension LifecycleHookFailedRule {
  /// The hook's error as older kubelets put it in the event (event.lifecycle-hook-failed); newer
  /// ones record only `PostStartHook failed` / `PreStopHook failed`.
  static func hookError(in events: [MergedEvent]) -> String? {
    events.last { $0.patternID == "event.lifecycle-hook-failed" }?.message
  }

  /// The hook command's exit code, as the hook's error was recognised (patterns/details.json,
  /// domain hook-error).
  static func hookExitCode(in events: [MergedEvent]) -> Int? {
    events.last { $0.capture("exitCode") != nil }?.capture("exitCode").flatMap { Plausible.int32($0) }
  }

  static func postStartExplanation(_ container: ContainerSnapshot, count: Int, eventError: String? = nil) -> String {
    var text = "The postStart hook of '\(container.name)' failed"
    if count > 0 { text += " \(times(count))" }
    text +=
      "; the kubelet kills a container whose postStart hook fails (Killing message 'FailedPostStartHook') "
      + "and restarts it under the usual back-off."
    if let message = container.waitingMessage ?? eventError { text += " Hook error: '\(message)'." }
    return text
  }

  static func preStopTitle(_ container: ContainerSnapshot, failed: Bool, _ t: TerminationModel.KillTimeline) -> String {
    failed
      ? "preStop hook failing on container '\(container.name)'"
      : "preStop hook of container '\(container.name)' outlasts the \(t.graceSeconds)s grace period"
  }

  static func preStopExplanation(
    failed: Int, eventError: String? = nil, sleep: Int?, _ t: TerminationModel.KillTimeline
  ) -> String {
    var text = ""
    if failed > 0, let eventError {
      text += "The preStop hook failed \(times(failed)): '\(eventError)'. The kubelet then sends SIGTERM anyway. "
    } else if failed > 0 {
      text +=
        "The preStop hook failed \(times(failed)). The event says only 'PreStopHook failed' so that secrets do not "
        + "leak; the kubelet log line 'PreStop hook failed' has the error. The kubelet then sends SIGTERM anyway. "
    }
    if let sleep, t.preStopOutlastsGrace {
      text +=
        "The hook sleeps \(sleep)s but the grace period is \(t.graceSeconds)s: the hook is cut off at "
        + "\(t.preStopSeconds)s, then the container gets the minimum \(t.termToKillSeconds)s of SIGTERM and SIGKILL "
        + "follows at \(t.preStopSeconds)s + \(t.termToKillSeconds)s = \(t.sigkillAfterSeconds)s: exit code 137."
    }
    return text.trimmingCharacters(in: .whitespaces)
  }

  static func preStopRemedy(failed: Bool, sleep: Int?, _ t: TerminationModel.KillTimeline) -> String {
    var steps: [String] = []
    if let sleep, t.preStopOutlastsGrace {
      steps.append(
        "raise terminationGracePeriodSeconds above \(sleep)s plus the time the process needs after SIGTERM, "
          + "or shorten the preStop sleep")
    }
    if failed { steps.append("read the kubelet log for 'PreStop hook failed' and fix the hook command or endpoint") }
    return steps.joined(separator: "; ")
  }
}
