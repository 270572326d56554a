import PodmortemCorrelate
import PodmortemModel

/// A container that exited with a non-zero code, explained by the code (REFERENCE.md §8.4).
///
/// 128 + N is signal N; 137 without `OOMKilled` is a SIGKILL after the grace period (or a child's
/// OOM kill). Exits during a deletion (137/143 while Terminating) are expected and ignored.
package struct ContainerExitRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "container.exit-code", category: .containerExit, title: "container exited with an error",
    rationale: "a non-zero exit code says how the process ended: 128 + N is signal N, 126/127 are command "
      + "problems, 128 with StartError is a failed start (§8.4)")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container]).compactMap { container in
      guard let last = container.lastTermination, last.exitCode != 0, last.reason != "OOMKilled" else { return nil }
      if pod.isTerminating, [137, 143].contains(last.exitCode) { return nil }
      let meaning = ExitCodes.explain(last.exitCode, reason: last.reason)
      let restarts = container.restartCount ?? 0
      let severity: Severity
      if !container.isRunning {
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
        evidence: container.evidence)
    }
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "bare 137 is a SIGKILL, not necessarily OOM",
      .pod("batch-0", phase: "Failed") { p in
        p.container("job", state: .terminated(Termination(reason: "Error", exitCode: 137)))
      },
      expect: [
        ExpectedFinding(
          ruleID: "container.exit-code", category: .containerExit, severity: .critical, container: "job",
          facts: [.int("exitCode", 137), KeyValue("signal", "SIGKILL"), .int("signalNumber", 9)],
          evidenceLines: ["Exit Code:    137"])
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
      "exit 0",
      .pod("batch-3") { p in p.container("job", state: .terminated(Termination(reason: "Completed", exitCode: 0))) }),
  ]
}

fileprivate extension ContainerExitRule {
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
