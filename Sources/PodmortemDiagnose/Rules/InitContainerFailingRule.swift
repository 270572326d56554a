import PodmortemCorrelate
import PodmortemModel

/// An init container that fails, holding the pod in `Init:` (REFERENCE.md §3.4).
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
    let inits = pod.containers([.initContainer]).filter { !$0.restartPolicyAlways }
    return inits.enumerated().compactMap { index, container in
      if case .terminated(let t) = container.state, t.exitCode == 0 { return nil }
      if container.isRunning { return nil }
      let crashLooping = container.waitingReason == "CrashLoopBackOff"
      guard let last = container.lastTermination, last.exitCode != 0 || crashLooping else { return nil }
      let meaning = ExitCodes.explain(last.exitCode, reason: last.reason)
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
          + "\(meaning.summary); it has restarted \(restarts) times. The pod's app containers do not start until every "
          + "init container exits 0, so the pod stays in Init.",
        remedy: "\(meaning.guidance); 'kubectl logs \(pod.key.name) -c \(container.name) --previous' shows its output",
        facts: facts, evidence: container.evidence)
    }
  }

  package static let examples: [RuleExample] = [
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
          evidenceLines: ["migrate:"])
      ]),
    RuleExample(
      "init container completed",
      .pod("api-1") { p in
        p.container("migrate", role: .initContainer, state: .terminated(Termination(reason: "Completed", exitCode: 0)))
        p.container("api")
      }),
  ]
}
