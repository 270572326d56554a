import PodmortemCorrelate
import PodmortemModel

/// A container that exited with a non-zero code, explained by the code (docs/kubernetes.md §8.4).
///
/// 128 + N is signal N; 137 without `OOMKilled` is a SIGKILL after the grace period (or a child's
/// OOM kill). Exits during a deletion (137/143 while Terminating) are expected and ignored, and so
/// is `ContainerStatusUnknown`: its 137 is written by the kubelet for a container it could no
/// longer find (an evicted or deleted pod), not an exit of the process (§8.4).
///
/// Examples, in `Examples/ContainerExitRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a Job pod (restartPolicy Never) that exited 2
/// - near miss: a Completed pod: exit 0
/// - fires: bare 137 is a SIGKILL, not necessarily OOM
/// - fires: 127: command not found, restarted once, running again
/// - near miss: 143 while Terminating is the delete itself
/// - fires: a Go panic in a container log read with tail, no pod object
/// - near miss: near miss: a panic net/http recovered is no crash
/// - fires: restarted 6 times, no exit shown (kubectl 1.0 printed no Last State)
/// - near miss: restarted twice, no exit shown: a node reboot does as much
/// - near miss: exit 0
/// - fires: a container's State lines alone: terminated with exit 2, never restarted
/// - near miss: a container's State lines alone: Completed with exit 0
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
    Self.exits(pod) + Self.panics(pod, lines: PodLogIndex(pod.logs).logs(Self.goPanic))
  }

  /// `diagnose(_:in:)`, the panic lines read from the pod's `PodLogIndex`.
  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    // `exits + panics`, without the join when one is empty (most pods: both), which made a list
    // of its own for every pod (about 150 instructions, callgrind on the 8 MiB EventList).
    let exits = Self.exits(pod)
    let panics = Self.panics(pod, lines: reading.logs.logs(Self.goPanic))
    if panics.isEmpty { return exits }
    if exits.isEmpty { return panics }
    return exits + panics
  }

  /// The container log pattern of a Go program's unrecovered panic (patterns/container.json).
  static let goPanic = "container.go-panic"

  static func exits(_ pod: PodHistory) -> [Finding] {
    // Containers known by name alone show neither an exit nor a restart count: each would
    // answer nil below (`PodHistory.containersShowNoRuns`).
    if pod.containersShowNoRuns { return [] }
    if !mayHaveExited(pod) { return [] }
    return exitLoop(pod)
  }

  /// Whether a container has a last termination with a code other than 0, or none and
  /// `manyRestarts` restarts or more: what the loop's first guards (and `restartsOnly`'s) ask
  /// first, read in place. Without one every container answers nil there, and most pods skip the
  /// loop, which copied every container whole to ask (about 1,000 instructions a container,
  /// callgrind on 1,000 describes; docs/architecture.md "Speed of the other rules").
  /// `ContainerPrecheckTests` holds the loop empty whenever this is false.
  static func mayHaveExited(_ pod: PodHistory) -> Bool {
    let containers = pod.containers([.container])
    for i in containers.indices {
      if let last = containers[i].lastTermination {
        if last.exitCode != 0 { return true }
      } else if let restarts = containers[i].restartCount, restarts >= manyRestarts {
        return true
      }
    }
    return false
  }

  /// The findings of every container's exit.
  static func exitLoop(_ pod: PodHistory) -> [Finding] {
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
        decisive: EvidenceRanking.joined(container.terminationEvidence, pod.endedRunErrors(container.name)),
        evidence: container.evidence)
    }
  }
}

fileprivate extension ContainerExitRule {
  /// A Go panic in a container's own log whose exit the input does not show: the Go runtime prints
  /// `panic: …` and the goroutine trace, then exits with code 2
  /// (https://pkg.go.dev/builtin#panic, https://go.dev/ref/spec#Handling_panics).
  static func panics(_ pod: PodHistory, lines: [PackedLog]) -> [Finding] {
    // No panic line (most pods): no group below, so no container list to copy and no set.
    if lines.isEmpty { return [] }
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
}

extension ContainerExitRule {
  /// The title and the explanation are written piece by piece (`TextPieces`): as interpolations
  /// joined by `+=` they were about 3,500 and 7,500 instructions a finding on 1,000 describes
  /// (callgrind; docs/architecture.md "Speed of the other rules"). `ContainerPrecheckTests` keeps
  /// the interpolations as the reference.
  static func title(_ container: ContainerSnapshot, _ last: Termination, _ meaning: ExitCodes.Meaning) -> String {
    TextPieces.written { text in
      text.add("container '")
      text.add(container.name)
      text.add("' exited with code ")
      text.add(String(last.exitCode))
      text.add(" (")
      text.add(meaning.summary)
      text.add(")")
    }
  }

  static func explanation(_ container: ContainerSnapshot, _ last: Termination, _ meaning: ExitCodes.Meaning) -> String {
    TextPieces.written { text in
      text.add("Container '")
      text.add(container.name)
      text.add("' exited with code ")
      text.add(String(last.exitCode))
      if let signal = meaning.signal, let name = meaning.signalName {
        text.add(" = 128 + ")
        text.add(String(signal))
        text.add(": it was killed by ")
        text.add(name)
      } else {
        text.add(": ")
        text.add(meaning.summary)
      }
      if let reason = last.reason {
        text.add(" (reason ")
        text.add(reason)
        text.add(")")
      }
      if let message = last.message {
        text.add("; message '")
        text.add(message)
        text.add("'")
      }
      text.add(".")
      if last.exitCode == 137 {
        text.add(
          " Without reason OOMKilled a 137 is the SIGKILL that follows an expired grace period, not a memory limit.")
      }
    }
  }
}
