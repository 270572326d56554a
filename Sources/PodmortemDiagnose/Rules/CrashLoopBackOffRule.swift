import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A container in CrashLoopBackOff, with the kubelet's back-off arithmetic and the cause of the
/// exits (docs/kubernetes.md §7.1, §8.4).
///
/// The delay after exit k is 0, 10, 20, 40, 80, 160, 300, 300 … s from finishedAt. The BackOff
/// event count counts 10–15 s sync retries, not restarts. When the exits come from a probe kill
/// or an OOM kill, those rules own the finding and this one folds into it.
package struct CrashLoopBackOffRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "crashloop.backoff", category: .crashloopBackoff, title: "container in CrashLoopBackOff",
    rationale: "the kubelet delays each restart 0, 10, 20, 40, 80, 160, then 300 s from the last finishedAt and "
      + "resets after a run of over 10 minutes (§7.1); the exit reason says why it keeps exiting",
    absorbs: ["container.exit-code"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let backOffs = pod.events.filter { $0.patternID == "event.backoff-restarting" }
    return pod.containers([.container, .initContainer]).compactMap { container in
      let events = pod.events("BackOff", container: container.name).filter { backOffs.contains($0) }
      guard
        container.waitingReason == "CrashLoopBackOff" || (!events.isEmpty && !container.isRunning)
          || Self.restartingStateCutOff(container)
      else {
        return nil
      }
      return finding(container, events: events, pod: pod, now: pod.now(in: state))
    }
  }

  /// The fewest restarts that show a loop when the input cuts off the container's current state
  /// (`state:` with nothing under it) and shows no back-off: each restart is an exit the kubelet
  /// waited out (§7.1), and five put the delay at 80 s or more.
  static let loopRestarts = 5

  /// A container whose current state the input does not show, not ready, that has exited before and
  /// has been restarted at least `loopRestarts` times: restarting in a loop, as far as the input shows.
  static func restartingStateCutOff(_ container: ContainerSnapshot) -> Bool {
    container.state == nil && container.ready != true && container.lastTermination != nil
      && (container.restartCount ?? 0) >= loopRestarts
  }

  private func finding(_ container: ContainerSnapshot, events: [MergedEvent], pod: PodHistory, now: Date?) -> Finding {
    guard let restarts = container.restartCount else { return unknownCount(container, events: events, pod: pod) }
    let last = container.lastTermination
    let observed = CrashLoopBackOffModel.observedDelay(of: container)
    let model = CrashLoopBackOffModel.standard
    let a = model.assess(
      restartCount: restarts, finishedAt: last?.finishedAt, lastStartedAt: last?.startedAt, now: now,
      observedDelay: observed)
    let cause = Self.cause(container, pod: pod)
    var facts: [KeyValue] = [
      .int("restarts", restarts), KeyValue("cause", cause), .int("backoffSeconds", Int(saturating: a.delaySeconds)),
      .int("backoffStep", a.step), KeyValue("backoffReset", a.reset ? "true" : "false"),
    ]
    if let nextStartIn = a.nextStartIn { facts.append(.seconds("nextStartIn", nextStartIn)) }
    if let observed { facts.append(.int("observedBackoffSeconds", Int(saturating: observed))) }
    if let last {
      facts.append(.int("exitCode", last.exitCode))
      let meaning = ExitCodes.explain(last)
      if let signal = meaning.signalName { facts.append(KeyValue("signal", signal)) }
      if let reason = last.reason { facts.append(KeyValue("reason", reason)) }
    }
    if !events.isEmpty { facts.append(.int("backoffEvents", events.totalCount)) }
    return Self.description.finding(
      .critical, pod.subject(container.name),
      title: Self.title(container, restarts: restarts, cause: cause, last: last),
      explanation: Self.explanation(a, model: model, last: last, events: events),
      remedy: Self.remedy(cause, last: last, logs: pod.previousLogs(container.name)), facts: facts,
      decisive: container.waitingEvidence + container.terminationEvidence + events.evidence,
      evidence: container.evidence)
  }

  /// The finding when the input does not show the restart count (a kubelet log line, an Events
  /// table alone): the delay is the kubelet's own (`back-off 5m0s` in its message) when shown, and
  /// the restart count is only bounded from below by where that delay sits on the curve.
  private func unknownCount(_ container: ContainerSnapshot, events: [MergedEvent], pod: PodHistory) -> Finding {
    let model = CrashLoopBackOffModel.standard
    let observed = CrashLoopBackOffModel.observedDelay(of: container)
    let last = container.lastTermination
    let cause = Self.cause(container, pod: pod)
    var facts: [KeyValue] = [KeyValue("cause", cause)]
    let curve = model.curve(8).map { Seconds.format($0) }.joined(separator: ", ")
    var text = ""
    if let last {
      let meaning = ExitCodes.explain(last)
      text +=
        "The last run ended with exit code \(last.exitCode)\(last.reason.map { " (\($0))" } ?? ""): \(meaning.summary). "
      facts.append(.int("exitCode", last.exitCode))
      if let signal = meaning.signalName { facts.append(KeyValue("signal", signal)) }
      if let reason = last.reason { facts.append(KeyValue("reason", reason)) }
    }
    if let total = pod.latest.restarts, container.name == ContainerSnapshot.unknownName {
      // A `get pods` row: RESTARTS sums the pod's containers (while initializing, its init containers').
      facts.append(.int("restarts", total))
      text += "The row's RESTARTS column shows \(total) across the pod's containers, not per container. "
    } else {
      text += "The input does not show the restart count. "
    }
    var title = "container '\(container.name)' in CrashLoopBackOff (restart count not shown"
    if let observed {
      // The first exit on the default curve with this delay: the container exited at least that often.
      let step = (1...64).first { model.delay(afterExit: $0) >= observed } ?? 64
      facts += [
        .int("backoffSeconds", Int(saturating: observed)), .int("observedBackoffSeconds", Int(saturating: observed)),
        .int("backoffStep", step),
      ]
      text +=
        "The kubelet says it waits \(Seconds.format(observed)) before the next start; on the default curve "
        + "(\(curve) …, capped at \(Seconds.format(model.maxSeconds))) that delay follows exit \(step) or a later one, "
        + "so the container has restarted at least \(step - 1) times (unless the kubelet's curve is tuned)."
      title += "; back-off \(Seconds.format(observed))"
    } else {
      text +=
        "The kubelet delays each restart by \(curve) …, capped at \(Seconds.format(model.maxSeconds)); "
        + "without the restart count or the waiting message, where it is on that curve is not known."
    }
    title += ")"
    if !events.isEmpty {
      facts.append(.int("backoffEvents", events.totalCount))
      text += " The BackOff event count (x\(events.totalCount)) counts sync retries every 10–15s, not restarts."
    }
    return Self.description.finding(
      .critical, pod.subject(container.name), title: title, explanation: text,
      remedy: Self.remedy(cause, last: last, logs: pod.previousLogs(container.name)), facts: facts,
      decisive: container.waitingEvidence + container.terminationEvidence + events.evidence,
      evidence: container.evidence)
  }

  /// Why the container keeps exiting: `oom`, `liveness`, `startup`, `start-error`, `signal`, `exit-code`, `unknown`.
  private static func cause(_ container: ContainerSnapshot, pod: PodHistory) -> String {
    if container.lastTermination?.reason == "OOMKilled" { return "oom" }
    if !pod.probeKills(.liveness, container: container.name).isEmpty { return "liveness" }
    if !pod.probeKills(.startup, container: container.name).isEmpty { return "startup" }
    guard let last = container.lastTermination else { return "unknown" }
    if last.reason == "StartError" || last.reason == "ContainerCannotRun" || last.exitCode == 128 {
      return "start-error"
    }
    return (129...159).contains(last.exitCode) ? "signal" : "exit-code"
  }

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "exit 1 after 2s, restart 5: the next delay is 160s",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-x2x7k
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.9
        IPs:
          IP:           10.244.3.9
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
              Reason:       Error
              Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:58:58 +0000
              Finished:     Fri, 27 Nov 2026 00:59:00 +0000
            Ready:          False
            Restart Count:  5
            Environment:
              DATABASE_URL:  <set to the key 'url' in secret 'db'>  Optional: false
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
          Type     Reason   Age                  From     Message
          ----     ------   ----                 ----     -------
          Normal   Pulled   60s (x6 over 4m10s)  kubelet  Container image "registry.example.com/shop/api:1.8.0" already present on machine
          Normal   Created  60s (x6 over 4m10s)  kubelet  Created container: api
          Normal   Started  60s (x6 over 4m10s)  kubelet  Started container api
          Warning  BackOff  5s (x19 over 4m5s)   kubelet  Back-off restarting failed container api in pod api-7d9f8b6c5d-x2x7k_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [
            KeyValue("restarts", "5"), KeyValue("cause", "exit-code"), KeyValue("exitCode", "1"),
            KeyValue("backoffSeconds", "160"), KeyValue("nextStartIn", "100..116"), KeyValue("backoffEvents", "19"),
            KeyValue("alsoExplains", "container.exit-code"),
          ], evidenceLines: [23, 26, 30, 59])
      ]),
    RuleExample(
      "recovered: running and ready for 47m after three quick exits",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-k8s2d
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Running
        IP:               10.244.3.10
        IPs:
          IP:           10.244.3.10
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       registry.example.com/shop/api@sha256:5c3e0b9f1d2a4c6e8f0a1b3d5e7f9a2c4e6b8d0f1a3c5e7092b4d6f8a0c2e4f6
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:12:30 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:10:28 +0000
              Finished:     Fri, 27 Nov 2026 00:10:30 +0000
            Ready:          True
            Restart Count:  3
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
          Type     Reason   Age                From     Message
          ----     ------   ----               ----     -------
          Warning  BackOff  48m (x3 over 49m)  kubelet  Back-off restarting failed container api in pod api-7d9f8b6c5d-k8s2d_default(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
          Normal   Started  47m (x4 over 50m)  kubelet  Started container api
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .info, container: "api",
          facts: [KeyValue("exitCode", "1"), KeyValue("restarts", "3")])
      ]),
    RuleExample(
      "a containerStatuses entry cut off at 'state:': 30 restarts of a container that exits 0",
      .text(
        #"""
        containerStatuses:
        - lastState:
            terminated:
              exitCode: 0
              finishedAt: "2017-07-05T17:00:22Z"
              reason: Completed
              startedAt: "2017-07-05T17:00:12Z"
          name: demo
          ready: false
          restartCount: 30
          state:
        """#, now: "2017-07-05T17:05:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "demo",
          facts: [.int("restarts", 30), .int("exitCode", 0)])
      ]),
    RuleExample(
      "near miss: the state is cut off after four restarts: too few to call a loop",
      .text(
        #"""
        containerStatuses:
        - lastState:
            terminated:
              exitCode: 0
              reason: Completed
          name: demo
          ready: false
          restartCount: 4
          state:
        """#, now: "2017-07-05T17:05:00Z")),
    RuleExample(
      "a get pods row of a two-container pod: RESTARTS is the pod's sum, not one container's",
      .text(
        #"""
        $ kubectl -n qa get pods | grep mongodb
        mongodb-7c4d9b6f58-wqnzl           1/2     CrashLoopBackOff   3          2m26s
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical,
          facts: [KeyValue("cause", "unknown"), .int("restarts", 3)], evidenceLines: [2])
      ]),
    RuleExample(
      "a kubelet back-off line alone: the restart count is not shown, the delay is the kubelet's own",
      .text(
        #"""
        Nov 27 00:58:48 node-1 kubelet[4919]: E1127 00:58:48.471488    4919 pod_workers.go:182] Error syncing pod e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8 ("api-529174836-kq7wd_default(e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8)"), skipping: failed to "StartContainer" for "api" with CrashLoopBackOff: "Back-off 2m40s restarting failed container=api pod=api-529174836-kq7wd_default(e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8)"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [.int("backoffSeconds", 160), .int("backoffStep", 6), KeyValue("cause", "unknown")],
          evidenceLines: [1])
      ]),
    RuleExample(
      "a 1.5-era Events table alone: FailedSync carries the back-off the container waits out",
      .text(
        #"""
        Events:
          FirstSeen	LastSeen	Count	From			SubObjectPath	Type		Reason		Message
          ---------	--------	-----	----			-------------	--------	------		-------
          9m		7m		13	{kubelet 192.168.56.12}				Warning		FailedSync	Error syncing pod, skipping: failed to "StartContainer" for "dashboard" with CrashLoopBackOff: "Back-off 2m40s restarting failed container=dashboard pod=dashboard-4817265093-k72pv_kube-system(3f1c2a9e-5d4f-11e7-9c2b-080027a1b2c3)"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "dashboard",
          facts: [.int("backoffSeconds", 160), .int("backoffStep", 6)], evidenceLines: [4])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "exit 1 at restart 9: 300 s back-off",
      .pod("api-0") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 1, startedAt: ExamplePod.ago(125), finishedAt: ExamplePod.ago(120))),
          restarts: 9)
        p.event(
          .warning, "BackOff", "Back-off restarting failed container api in pod api-0_default(0f1c)", count: 180,
          lastAgo: 60, firstAgo: 2700)
      },
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [
            .int("restarts", 9), KeyValue("cause", "exit-code"), .int("exitCode", 1), .int("backoffSeconds", 300),
            KeyValue("nextStartIn", "180..195"), .int("backoffEvents", 180),
          ], evidenceText: ["Back-off restarting failed container", "Exit Code:    1", "Restart Count:  9"])
      ]),
    RuleExample(
      "restart 2 waits 20 s; the waiting message agrees",
      .pod("api-1") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: "back-off 20s restarting failed container=api"),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 2, startedAt: ExamplePod.ago(12), finishedAt: ExamplePod.ago(5))),
          restarts: 2)
      },
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff,
          facts: [.int("backoffSeconds", 20), .int("observedBackoffSeconds", 20), KeyValue("nextStartIn", "15..30")])
      ]),
    RuleExample(
      "a run of over 10 minutes resets the back-off",
      .pod("api-2") { p in
        p.container(
          "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
          lastState: .terminated(
            Termination(reason: "Error", exitCode: 139, startedAt: ExamplePod.ago(1300), finishedAt: ExamplePod.ago(5))),
          restarts: 7)
      },
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff,
          facts: [
            KeyValue("backoffReset", "true"), .int("backoffSeconds", 0), KeyValue("cause", "signal"),
            KeyValue("signal", "SIGSEGV"),
          ])
      ]),
    RuleExample(
      "recovered: running again after old back-off events",
      .pod("api-3") { p in
        p.container(
          "api", lastState: .terminated(Termination(reason: "Error", exitCode: 1)), restarts: 3)
        p.event(.warning, "BackOff", "Back-off restarting failed container api in pod api-3_default(1)", count: 3)
      }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "a container's State lines alone: the back-off ended, running and ready after four restarts",
      .text(
        #"""
            State:          Running
              Started:      Fri, 27 Nov 2026 00:41:07 +0000
            Last State:     Terminated
              Reason:       Error
              Exit Code:    1
              Started:      Fri, 27 Nov 2026 00:39:05 +0000
              Finished:     Fri, 27 Nov 2026 00:39:07 +0000
            Ready:          True
            Restart Count:  4
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "a pod's YAML status block alone: the waiting message's back-off 2m40s agrees with restart 5",
      .text(
        #"""
        status:
          containerStatuses:
          - containerID: containerd://3f2a9c1d7b6e
            image: registry.example.com/shop/api:3.1.0
            lastState:
              terminated:
                exitCode: 1
                finishedAt: "2026-11-27T00:57:20Z"
                reason: Error
                startedAt: "2026-11-27T00:57:18Z"
            name: api
            ready: false
            restartCount: 5
            started: false
            state:
              waiting:
                message: back-off 2m40s restarting failed container=api pod=api-7d9f8b6c5d-x2x7k_shop(0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21)
                reason: CrashLoopBackOff
          phase: Running
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: .critical, container: "api",
          facts: [
            KeyValue("restarts", "5"), KeyValue("exitCode", "1"), KeyValue("backoffSeconds", "160"),
            KeyValue("observedBackoffSeconds", "160"), KeyValue("cause", "exit-code"),
          ], evidenceLines: [11])
      ]),
  ]
}

fileprivate extension CrashLoopBackOffRule {
  static func title(_ container: ContainerSnapshot, restarts: Int, cause: String, last: Termination?) -> String {
    let why: String
    switch cause {
    case "oom": why = "OOMKilled"
    case "liveness": why = "killed by its liveness probe"
    case "startup": why = "killed by its startup probe"
    default: why = last.map { "exit code \($0.exitCode)" } ?? "exiting"
    }
    return "container '\(container.name)' in CrashLoopBackOff after \(restarts) restarts (\(why))"
  }

  static func explanation(
    _ a: CrashLoopBackOffModel.Assessment, model: CrashLoopBackOffModel, last: Termination?, events: [MergedEvent]
  ) -> String {
    var text = ""
    if let last {
      let meaning = ExitCodes.explain(last)
      text +=
        "The last run ended with exit code \(last.exitCode)\(last.reason.map { " (\($0))" } ?? ""): "
        + "\(meaning.summary). "
    }
    if a.reset {
      text +=
        "That run lasted over \(Int(CrashLoopBackOffModel.resetAfterSeconds / 60)) minutes, so the back-off "
        + "reset: the restart is immediate and the delays start again at \(Int(model.initialSeconds))s."
    } else {
      let curve = model.curve(8).map { Seconds.format($0) }.joined(separator: ", ")
      text +=
        "After \(a.restartCount) restarts this is exit \(a.step); the kubelet waits \(Seconds.format(a.delaySeconds))"
        + " (delays per exit: \(curve) …, capped at \(Seconds.format(model.maxSeconds))), counted from finishedAt."
    }
    if let nextStartIn = a.nextStartIn {
      text +=
        nextStartIn.upperBound <= 0
        ? " The next start was due \(Seconds.format(-nextStartIn.upperBound)) before capture."
        : " The next start is due in \(Seconds.format(.ordered(max(0, nextStartIn.lowerBound), nextStartIn.upperBound)))"
          + " (up to one 15s sync retry after the nominal delay)."
    }
    if let observed = a.observedDelaySeconds {
      switch a.curve {
      case .consistent: text += " The waiting message's 'back-off \(Seconds.format(observed))' agrees."
      case .earlierStep(let exits):
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))', step \(exits) of the default curve: "
          + "earlier runs outlasted the 10-minute reset, or the kubelet's maxContainerRestartPeriod is \(Seconds.format(observed))."
      case .reducedCurve:
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))', which is on the 1s → 60s curve: "
          + "the kubelet runs with ReduceDefaultCrashLoopBackOffDecay."
      case .tunedMax(let seconds):
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))': the kubelet's "
          + "crashLoopBackOff.maxContainerRestartPeriod is probably \(Seconds.format(seconds))."
      case .unexplained:
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))', longer than this restart count allows."
      case .notObserved: break
      }
    }
    if !events.isEmpty {
      text += " The BackOff event count (x\(events.totalCount)) counts sync retries every 10–15s, not restarts."
    }
    return text
  }

  static func remedy(_ cause: String, last: Termination?, logs: String) -> String {
    switch cause {
    case "oom": return "raise resources.limits.memory or reduce the memory the process uses"
    case "liveness", "startup": return "fix the \(cause) probe failures (see the probe finding)"
    case "start-error":
      return
        "the runtime could not start the process\(last?.message.map { ": '\($0)'" } ?? ""); fix command/args or the image"
    default:
      let guidance =
        last.map { ExitCodes.explain($0).guidance } ?? "read the logs"
      return "\(guidance): \(logs)"
    }
  }
}
