import PodmortemCorrelate
import PodmortemModel

/// A container killed by the kernel's OOM killer: terminated reason `OOMKilled`, exit 137
/// (docs/kubernetes.md §8.4).
package struct OOMKilledRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "container.oom-killed", category: .oomKilled, title: "container OOMKilled",
    rationale: "reason OOMKilled means the container crossed its memory limit and the kernel sent SIGKILL "
      + "(exit 137); only the reason, not the exit code, tells an OOM kill from a grace-period kill (§8.4)",
    absorbs: ["crashloop.backoff", "container.exit-code", "init.container-failing", "container.kernel-oom-kill"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let found = perContainer(pod)
    if !found.isEmpty { return found }
    let cut = pod.containers([.container, .initContainer]).filter {
      $0.lastTermination == nil && $0.terminatedReasonOnly == "OOMKilled"
    }
    if !cut.isEmpty { return cut.map { Self.withoutExitCode($0, pod: pod) } }
    return Self.fromStatusColumn(pod).map { [$0] } ?? []
  }

  /// A Terminated state with reason OOMKilled whose exit code the paste cut off.
  static func withoutExitCode(_ container: ContainerSnapshot, pod: PodHistory) -> Finding {
    var facts = [KeyValue("reason", "OOMKilled")]
    if let restarts = container.restartCount { facts.append(.int("restarts", restarts)) }
    if let limit = container.limits["memory"] { facts.append(KeyValue("memoryLimit", limit)) }
    return description.finding(
      .critical, pod.subject(container.name), title: "container '\(container.name)' OOMKilled",
      explanation:
        "Container '\(container.name)' was terminated with reason OOMKilled: it crossed its memory limit and "
        + "the kernel killed it. The input does not show the exit code, the restart count or when it happened.",
      remedy: remedy(container), facts: facts, decisive: container.terminationEvidence,
      evidence: container.evidence)
  }

  /// A `get pods` row whose STATUS is `OOMKilled` (or `Init:OOMKilled`): the last container's
  /// termination reason, without its exit code or the container's name (docs/kubernetes.md §3.4).
  static func fromStatusColumn(_ pod: PodHistory) -> Finding? {
    guard let status = pod.latest.displayStatus, status == "OOMKilled" || status == "Init:OOMKilled" else {
      return nil
    }
    var facts = [KeyValue("reason", "OOMKilled")]
    if let restarts = pod.latest.restarts { facts.append(.int("restarts", restarts)) }
    let restartsText = pod.latest.restarts.map { " (\($0) restarts across the pod's containers)" } ?? ""
    let which = status.hasPrefix("Init:") ? "an init container" : "a container"
    return description.finding(
      .critical, pod.subject(),
      title: "\(which) OOMKilled\(restartsText)",
      explanation: "The pod's STATUS is \(status): \(which) last ended because it crossed its memory limit and the "
        + "kernel killed it. The row does not say which container, its exit code or its limit.",
      remedy: "find the container with 'kubectl describe pod' (Last State: Terminated, Reason: OOMKilled) and "
        + "raise its memory limit, or find why it uses more memory than expected",
      facts: facts, evidence: pod.latest.evidence)
  }

  private func perContainer(_ pod: PodHistory) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let last = container.lastTermination, last.reason == "OOMKilled" else { return nil }
      let restarts = container.restartCount ?? 0
      let recovered = container.isRunning && container.ready != false
      var facts: [KeyValue] = [
        .int("exitCode", last.exitCode), KeyValue("signal", "SIGKILL"), .int("restarts", restarts),
      ]
      if let limit = container.limits["memory"] { facts.append(KeyValue("memoryLimit", limit)) }
      if let request = container.requests["memory"] { facts.append(KeyValue("memoryRequest", request)) }
      return Self.description.finding(
        recovered ? .warning : .critical, pod.subject(container.name),
        title: "container '\(container.name)' OOMKilled (\(restarts) restarts)",
        explanation: Self.explanation(container, last: last, restarts: restarts, recovered: recovered),
        remedy: Self.remedy(container), facts: facts, decisive: container.terminationEvidence,
        evidence: container.evidence)
    }
  }

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "OOMKilled at a 256Mi limit, crash-looping at restart 7",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-q9z4t
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.11
        IPs:
          IP:           10.244.3.11
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       OOMKilled
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:56:41 +0000
              Finished:     Fri, 27 Nov 2026 00:57:12 +0000
            Ready:          False
            Restart Count:  7
            Limits:
              cpu:     500m
              memory:  256Mi
            Requests:
              cpu:        250m
              memory:     128Mi
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
          Type     Reason   Age                  From     Message
          ----     ------   ----                 ----     -------
          Normal   Pulled   2m49s (x8 over 21m)  kubelet  Container image "registry.example.com/shop/api:1.8.0" already present on machine
          Normal   Created  2m49s (x8 over 21m)  kubelet  Created container: api
          Normal   Started  2m49s (x8 over 21m)  kubelet  Started container api
          Warning  BackOff  10s (x71 over 19m)   kubelet  Back-off restarting failed container api in pod api-7d9f8b6c5d-q9z4t_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical, container: "api",
          facts: [
            KeyValue("exitCode", "137"), KeyValue("restarts", "7"), KeyValue("memoryLimit", "256Mi"),
            KeyValue("memoryRequest", "128Mi"), KeyValue("backoffSeconds", "300"),
            KeyValue("alsoExplains", "crashloop.backoff"),
          ], evidenceLines: [25, 33, 64])
      ]),
    RuleExample(
      "137 with reason Error is a SIGKILL, not an OOM kill",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-r5v6w
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.12
        IPs:
          IP:           10.244.3.12
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:31:05 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:10:02 +0000
              Finished:     Fri, 27 Nov 2026 00:31:03 +0000
            Ready:          True
            Restart Count:  1
            Limits:
              memory:  256Mi
            Requests:
              memory:     256Mi
            Environment:  <none>
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
        QoS Class:                   Burstable
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type    Reason   Age                From     Message
          ----    ------   ----               ----     -------
          Normal  Started  29m (x2 over 50m)  kubelet  Started container api
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .info, container: "api",
          facts: [KeyValue("exitCode", "137"), KeyValue("signal", "SIGKILL")])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "crash-looping at a 256Mi limit",
      .pod("api-7d9f8b6c5d-x2x7k") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(Termination(reason: "OOMKilled", exitCode: 137)), restarts: 7,
          limits: ["memory": "256Mi"])
      },
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical, container: "api",
          facts: [.int("exitCode", 137), .int("restarts", 7), KeyValue("memoryLimit", "256Mi")],
          evidenceText: ["Reason:       OOMKilled", "memory:  256Mi"])
      ]),
    RuleExample(
      "OOMKilled once, running again",
      .pod("api-1") { p in
        p.container("api", lastState: .terminated(Termination(reason: "OOMKilled", exitCode: 137)), restarts: 1)
      },
      expect: [ExpectedFinding(ruleID: "container.oom-killed", category: .oomKilled, severity: .warning)]),
    RuleExample(
      "137 without OOMKilled is not an OOM kill",
      .pod("api-2") { p in
        p.container("api", lastState: .terminated(Termination(reason: "Error", exitCode: 137)), restarts: 1)
      }),
    RuleExample(
      "a describe fragment cut after the reason: OOMKilled without its exit code",
      .text(
        #"""
            Last State:     Terminated
              Reason:       OOMKilled
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical,
          facts: [KeyValue("reason", "OOMKilled")], evidenceLines: [1, 2])
      ]),
    RuleExample(
      "a get pods row whose STATUS is OOMKilled",
      .text(
        #"""
        NAME                          READY   STATUS      RESTARTS   AGE
        batch-7c9d8e6f5b-x2k4p        0/1     OOMKilled   0          126m
        web-5f6d7c8b9-c8d2f           1/1     Running     0          3h
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .critical,
          facts: [KeyValue("reason", "OOMKilled"), .int("restarts", 0)], evidenceLines: [2])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "Last State lines alone: 137 with reason Error is a SIGKILL, not an OOM kill",
      .text(
        #"""
            State:          Running
              Started:      Fri, 27 Nov 2026 00:58:40 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    137
              Started:      Fri, 27 Nov 2026 00:20:11 +0000
              Finished:     Fri, 27 Nov 2026 00:58:38 +0000
            Ready:          True
            Restart Count:  1
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "containerStatuses YAML alone: OOMKilled at restart 7, running again",
      .text(
        #"""
          containerStatuses:
          - name: api
            lastState:
              terminated:
                exitCode: 137
                finishedAt: "2026-11-27T00:58:02Z"
                reason: OOMKilled
                startedAt: "2026-11-27T00:55:40Z"
            ready: true
            restartCount: 7
            state:
              running:
                startedAt: "2026-11-27T00:58:03Z"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.oom-killed", category: .oomKilled, severity: .warning, container: "api",
          facts: [KeyValue("exitCode", "137"), KeyValue("restarts", "7")], evidenceLines: [2])
      ]),
  ]
}

fileprivate extension OOMKilledRule {
  static func explanation(_ container: ContainerSnapshot, last: Termination, restarts: Int, recovered: Bool) -> String {
    var text = "Container '\(container.name)' used more memory than its limit"
    if let limit = container.limits["memory"] { text += " (\(limit))" }
    text += " and the kernel OOM killer ended it with SIGKILL: exit code \(last.exitCode) = 128 + 9."
    text += " It has restarted \(times(restarts))"
    text += recovered ? " and is running again; it will be killed again when usage climbs back." : "."
    if container.limits["memory"] == nil {
      text += " It has no memory limit of its own: the limit came from a LimitRange default or the node ran out."
    }
    return text
  }

  static func remedy(_ container: ContainerSnapshot) -> String {
    "raise resources.limits.memory for '\(container.name)' above its peak usage, or reduce that usage "
      + "(heap settings such as -Xmx must stay below the limit)"
  }
}
