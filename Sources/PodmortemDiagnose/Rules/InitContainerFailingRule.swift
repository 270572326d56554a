import PodmortemCorrelate
import PodmortemModel

/// An init container that fails, holding the pod in `Init:` (docs/kubernetes.md §3.4).
///
/// Init containers run in order; the pod's STATUS shows `Init:Error`, `Init:CrashLoopBackOff` or
/// `Init:N/M` (N completed of M) and no regular container starts until all succeed.
///
/// Examples, in `Examples/InitContainerFailingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a migration init container crash-looping: Init:CrashLoopBackOff
/// - near miss: the init container completed (exit 0) and the app runs
/// - fires: migration init container crash-looping
/// - near miss: init container completed
/// - fires: a Failed pod whose status shows only its Initialized condition
/// - near miss: a Pending pod still initializing is not failed
/// - fires: the Init Containers block alone: the migration crash-loops
/// - near miss: a get pods row of a pod still initializing
/// - fires: a get pods row whose STATUS is Init:CrashLoopBackOff: which init container and its exit code not shown
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
          + (last.message.map { " Its termination message: '\(trimmedWhitespaceAndNewlines($0))'." } ?? ""),
        remedy:
          "\(meaning.guidance): \(pod.previousLogs(container.name))",
        facts: facts,
        decisive: container.terminationEvidence + container.waitingEvidence + pod.endedRunErrors(container.name),
        evidence: container.evidence)
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
}
