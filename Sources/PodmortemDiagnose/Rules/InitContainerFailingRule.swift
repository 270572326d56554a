import PodmortemCorrelate
import PodmortemModel

/// An init container that fails, holding the pod in `Init:` (docs/kubernetes.md §3.4).
///
/// Init containers run in order; the pod's STATUS shows `Init:Error`, `Init:CrashLoopBackOff` or
/// `Init:N/M` (N completed of M) and no regular container starts until all succeed.
package struct InitContainerFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "init.container-failing", category: .initContainer, title: "init container failing",
    rationale: "init containers run one at a time and must exit 0 before the next (and the app containers) start; "
      + "a failing one blocks the pod (§3.4)",
    absorbs: ["crashloop.backoff", "container.exit-code"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let found = perContainer(pod)
    if found.isEmpty, let failed = Self.failedInitialization(pod) { return [failed] }
    return found
  }

  /// A pod that ended Failed with its Initialized condition False, when the paste does not show
  /// the failing init container's state: the condition's message names the init containers that
  /// never completed (`containers with incomplete status: [a b]`, [k/k] pkg/kubelet/status/generate.go).
  static func failedInitialization(_ pod: PodHistory) -> Finding? {
    guard pod.latest.phase == "Failed",
      let condition = pod.latest.conditions.first(where: { $0.type == "Initialized" }), condition.status == "False"
    else { return nil }
    var names: [String] = []
    if let message = condition.message, let open = message.lastIndex(of: "["), let close = message.lastIndex(of: "]"),
      open < close
    {
      names = message[message.index(after: open)..<close].split(separator: " ").map(String.init)
    }
    let which = names.isEmpty ? "an init container" : names.map { "'\($0)'" }.joined(separator: ", ")
    var facts = [KeyValue("reason", condition.reason ?? "ContainersNotInitialized")]
    if !names.isEmpty { facts.append(KeyValue("incomplete", names.joined(separator: ","))) }
    return description.finding(
      .critical, pod.subject(names.first),
      title: "pod failed during initialization: \(which) did not complete",
      explanation: "The pod is Failed and its Initialized condition is False ('\(condition.message ?? "")'): "
        + "\(which) never completed, so the app containers never started. The input does not show the failing "
        + "init container's state, so its exit code and reason are not known here.",
      remedy: "read the init containers' states and logs: 'kubectl describe pod' and "
        + "'kubectl logs <pod> -c <init container>'",
      facts: facts, evidence: pod.latest.evidence)
  }

  private func perContainer(_ pod: PodHistory) -> [Finding] {
    let inits = pod.containers([.initContainer]).filter { !$0.restartPolicyAlways }
    return inits.enumerated().compactMap { index, container in
      if case .terminated(let t) = container.state, t.exitCode == 0 { return nil }
      if container.isRunning { return nil }
      let crashLooping = container.waitingReason == "CrashLoopBackOff"
      guard let last = container.lastTermination else {
        return crashLooping ? Self.crashLoopingWithoutExit(container, pod: pod) : nil
      }
      guard last.exitCode != 0 || crashLooping else { return nil }
      let meaning = ExitCodes.explain(last)
      let restarts = container.restartCount ?? 0
      var facts: [KeyValue] = [
        .int("exitCode", last.exitCode), .int("restarts", restarts),
        KeyValue("initIndex", "\(index + 1)/\(inits.count)"),
      ]
      if let name = meaning.signalName { facts.append(KeyValue("signal", name)) }
      if let reason = container.waitingReason ?? last.reason { facts.append(KeyValue("reason", reason)) }
      return Self.description.finding(
        .critical, pod.subject(container.name),
        title:
          "init container '\(container.name)' (\(index + 1) of \(inits.count)) fails with exit code \(last.exitCode)",
        explanation:
          "Init container '\(container.name)' (number \(index + 1) of \(inits.count)) exited \(last.exitCode): "
          + "\(meaning.summary); it has restarted \(times(restarts)). The pod's app containers do not start until every "
          + "init container exits 0, so the pod stays in Init."
          + (last.message.map { " Its termination message: '\($0.trimmingCharacters(in: .whitespacesAndNewlines))'." }
            ?? ""),
        remedy:
          "\(meaning.guidance): \(pod.previousLogs(container.name))",
        facts: facts, decisive: container.terminationEvidence + container.waitingEvidence, evidence: container.evidence)
    }
  }

  /// An init container in CrashLoopBackOff whose last run the input does not show (a `get pods`
  /// row's `Init:CrashLoopBackOff`, docs/kubernetes.md §3.4): its name, exit code and position may
  /// be unknown, so the finding says so instead of guessing.
  static func crashLoopingWithoutExit(_ container: ContainerSnapshot, pod: PodHistory) -> Finding {
    var facts = [KeyValue("reason", "CrashLoopBackOff")]
    var restartsText = "The input does not show its restart count."
    if let restarts = container.restartCount {
      facts.append(.int("restarts", restarts))
      restartsText = "It has restarted \(restarts) times."
    } else if let total = pod.latest.restarts {
      // While the pod initializes, the row's RESTARTS sums its init containers' restarts (§3.4).
      facts.append(.int("restarts", total))
      restartsText = "The row's RESTARTS column shows \(total) across the pod's init containers."
    }
    return description.finding(
      .critical, pod.subject(container.name),
      title: "init container '\(container.name)' crash-looping (exit code not shown)",
      explanation: "Init container '\(container.name)' keeps exiting and the kubelet backs off its restarts "
        + "(CrashLoopBackOff). \(restartsText) The pod's app containers do not start until every init container "
        + "exits 0, so the pod stays in Init. The input does not show the exit code or which init container it is.",
      remedy: "read the failing init container's state and output: 'kubectl describe pod \(pod.key.commandName)' "
        + "(Init Containers) and 'kubectl logs \(pod.key.commandName) -c <init container> --previous'",
      facts: facts, evidence: container.evidence + pod.latest.evidence)
  }

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "a migration init container crash-looping: Init:CrashLoopBackOff",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-j7h5g
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:53:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Pending
        IP:               10.244.3.16
        IPs:
          IP:           10.244.3.16
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Init Containers:
          migrate:
            Container ID:  containerd://8b1e0d4c2a7f9e6b5d3c1a0f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d
            Image:         registry.example.com/shop/api:1.8.0
            Image ID:      registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:          <none>
            Host Port:     <none>
            Command:
              /app/migrate
            Args:
              --to=latest
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
              Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:58:12 +0000
              Finished:     Fri, 27 Nov 2026 00:58:14 +0000
            Ready:          False
            Restart Count:  5
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Containers:
          api:
            Container ID:   
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       PodInitializing
            Ready:          False
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 False 
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
          Type     Reason     Age                  From               Message
          ----     ------     ----                 ----               -------
          Normal   Scheduled  7m                   default-scheduler  Successfully assigned default/api-7d9f8b6c5d-j7h5g to node-1
          Normal   Pulled     108s (x6 over 7m)    kubelet            Container image "registry.example.com/shop/api:1.8.0" already present on machine
          Normal   Created    108s (x6 over 7m)    kubelet            Created container: migrate
          Normal   Started    108s (x6 over 7m)    kubelet            Started container migrate
          Warning  BackOff    8s (x30 over 6m50s)  kubelet            Back-off restarting failed container migrate in pod api-7d9f8b6c5d-j7h5g_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "init.container-failing", category: .initContainer, severity: .critical, container: "migrate",
          facts: [
            KeyValue("exitCode", "1"), KeyValue("restarts", "5"), KeyValue("initIndex", "1/1"),
            KeyValue("reason", "CrashLoopBackOff"), KeyValue("backoffSeconds", "160"),
            KeyValue("alsoExplains", "crashloop.backoff"),
          ], evidenceLines: [16, 30, 77])
      ]),
    RuleExample(
      "the init container completed (exit 0) and the app runs",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-l2k4j
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.17
        IPs:
          IP:           10.244.3.17
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Init Containers:
          migrate:
            Container ID:  containerd://8b1e0d4c2a7f9e6b5d3c1a0f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d
            Image:         registry.example.com/shop/api:1.8.0
            Image ID:      registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:          <none>
            Host Port:     <none>
            Command:
              /app/migrate
            Args:
              --to=latest
            State:          Terminated
              Reason:       Completed
              Exit Code:    0
              Started:      Fri, 27 Nov 2026 00:10:04 +0000
              Finished:     Fri, 27 Nov 2026 00:10:09 +0000
            Ready:          True
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:10 +0000
            Ready:          True
            Restart Count:  0
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
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Started  50m   kubelet  Started container migrate
          Normal  Started  50m   kubelet  Started container api
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "migration init container crash-looping",
      .pod("api-0", phase: "Pending") { p in
        p.container(
          "migrate", role: .initContainer, state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(Termination(reason: "Error", exitCode: 1)), restarts: 5)
        p.container("api", state: .waiting(reason: "PodInitializing", message: nil))
      },
      expect: [
        ExpectedFinding(
          ruleID: "init.container-failing", category: .initContainer, severity: .critical, container: "migrate",
          facts: [
            .int("exitCode", 1), .int("restarts", 5), KeyValue("initIndex", "1/1"),
            KeyValue("reason", "CrashLoopBackOff"),
          ],
          evidenceText: ["migrate:"])
      ]),
    RuleExample(
      "init container completed",
      .pod("api-1") { p in
        p.container("migrate", role: .initContainer, state: .terminated(Termination(reason: "Completed", exitCode: 0)))
        p.container("api")
      }),
    RuleExample(
      "a Failed pod whose status shows only its Initialized condition",
      .pod("ci-job-0", phase: "Failed") { p in
        p.snapshot.conditions = [
          PodCondition(
            type: "Initialized", status: "False", reason: "ContainersNotInitialized",
            message: "containers with incomplete status: [initupload place-tools]")
        ]
      },
      expect: [
        ExpectedFinding(
          ruleID: "init.container-failing", category: .initContainer, severity: .critical,
          facts: [KeyValue("reason", "ContainersNotInitialized"), KeyValue("incomplete", "initupload,place-tools")])
      ]),
    RuleExample(
      "a Pending pod still initializing is not failed",
      .pod("ci-job-1", phase: "Pending") { p in
        p.snapshot.conditions = [
          PodCondition(
            type: "Initialized", status: "False", reason: "ContainersNotInitialized",
            message: "containers with incomplete status: [initupload]")
        ]
      },
      expect: []),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "the Init Containers block alone: the migration crash-loops",
      .text(
        #"""
        Init Containers:
          migrate:
            State:          Waiting
              Reason:       CrashLoopBackOff
            Last State:     Terminated
              Reason:       Error
              Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:55:40 +0000
              Finished:     Fri, 27 Nov 2026 00:55:43 +0000
            Ready:          False
            Restart Count:  6
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "init.container-failing", category: .initContainer, severity: .critical, container: "migrate",
          facts: [
            KeyValue("exitCode", "1"), KeyValue("restarts", "6"), KeyValue("initIndex", "1/1"),
            KeyValue("backoffSeconds", "300"),
          ], evidenceLines: [2, 3, 6, 11])
      ]),
    RuleExample(
      "a get pods row of a pod still initializing",
      .text(
        #"""
        NAME                    READY   STATUS     RESTARTS   AGE
        api-7d9f8b6c5d-j7h5g    0/1     Init:0/1   0          20s
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "a get pods row whose STATUS is Init:CrashLoopBackOff: which init container and its exit code not shown",
      .text(
        #"""
        NAME                    READY   STATUS                  RESTARTS      AGE
        api-7d9f8b6c5d-j7h5g    0/1     Init:CrashLoopBackOff   6 (90s ago)   9m
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "init.container-failing", category: .initContainer, severity: .critical,
          facts: [
            KeyValue("reason", "CrashLoopBackOff"), KeyValue("restarts", "6"),
            KeyValue("alsoExplains", "crashloop.backoff"),
          ], evidenceLines: [2])
      ]),
  ]
}
