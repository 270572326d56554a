import PodmortemCorrelate
import PodmortemModel

/// A pod sandbox that cannot be created or keeps being re-created (docs/kubernetes.md §9.1).
///
/// `Failed to create pod sandbox: …` comes from the runtime, most often from the CNI plugin;
/// `Pod sandbox changed, it will be killed and re-created.` repeats when the sandbox keeps dying.
///
/// Examples, in `Examples/SandboxFailingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: calico is not authorised: no sandbox, no containers
/// - near miss: one sandbox change after the node rebooted, running again
/// - fires: a kubelet journal alone: the sandbox cannot be created because the CNI is not configured
/// - fires: an Events table alone, kubelet 1.9 wording: the node cannot pull the pause image through its proxy
/// - fires: calico cannot assign an address
/// - near miss: one sandbox change after a node reboot
/// - near miss: an Events table alone: one sandbox change, then the container started again
package struct SandboxFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "sandbox.failing", category: .sandbox, title: "pod sandbox failing",
    rationale: "no container starts without the pod sandbox (network namespace, pause container); its errors come "
      + "from the runtime or the CNI plugin (§9.1)")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: PodLogIndex(pod.logs), reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: reading.logs, reasons: reading.reasons, in: state)
  }

  /// The findings, the pod's log records read by pattern from `index` (`PodLogIndex`, read once
  /// per pod by the `Diagnoser`), and the reasons of its events from `reasons` (`PodEventReasons`):
  /// a pod with no event of a reason asked is not asked for those events.
  func diagnose(
    _ pod: PodHistory, logs index: PodLogIndex, reasons: PodEventReasons, in state: CorrelatedState
  ) -> [Finding] {
    let failed =
      reasons.has(.failedCreatePodSandBoxExactly) || reasons.has(.networkNotReadyExactly)
      ? pod.events.filter { $0.reason == "FailedCreatePodSandBox" || $0.reason == "NetworkNotReady" } : []
    let changed = reasons.has(.sandboxChanged) ? pod.events("SandboxChanged") : []
    // The kubelet's own lines, when its journal is all the input holds: one attempt a line, counted
    // from the most specific pattern present (one failure writes several of them). The pod's lines
    // are read once for all the patterns, not once per pattern (issue 16).
    let sandboxLines = index.logs(Self.logPatterns)
    // No sandbox line (most pods): no pattern's filter to run.
    let logLines =
      sandboxLines.isEmpty
      ? []
      : Self.logPatterns.lazy.map { id in sandboxLines.filter { $0.patternID == id } }.first { !$0.isEmpty } ?? []
    guard !failed.isEmpty || !logLines.isEmpty || changed.totalCount >= 2 else { return [] }
    // Read after the guard: a pod with nothing to report does not copy its containers to ask.
    let running = pod.containers().contains { $0.isRunning }
    if failed.isEmpty && logLines.isEmpty && running && pod.containers().allSatisfy({ $0.ready != false }) {
      return []
    }
    let logError = logLines.last.flatMap { $0.field("err") ?? $0.capture("error") }
    let message = failed.last?.message ?? logError ?? changed.last?.message ?? ""
    let kind = Self.kind(of: failed.last, log: logLines.last, changedOnly: failed.isEmpty && logLines.isEmpty)
    var facts: [KeyValue] = [
      KeyValue("kind", kind), .int("failures", failed.isEmpty ? logLines.count : failed.totalCount),
      .int("sandboxChanges", changed.totalCount),
    ]
    // The pause image the runtime could not pull, and why (patterns/details.json sandbox-error.pause-image).
    let recognised = failed.last?.captures ?? logLines.last?.captures ?? []
    let pauseImage = kind == "pause-image" ? recognised.first { $0.key == "image" }?.value : nil
    if let pauseImage { facts.append(KeyValue("image", pauseImage)) }
    if kind == "pause-image", let pullError = recognised.first(where: { $0.key == "pullError" })?.value {
      facts.append(KeyValue("pullError", pullError))
    }
    return [
      Self.description.finding(
        running ? .warning : .critical, pod.subject(), title: "pod sandbox failing (\(kind))",
        explanation: "The runtime reports '\(message)'" + (failed.isEmpty ? "" : " (x\(failed.totalCount))")
          + (changed.isEmpty ? "" : "; the sandbox was re-created \(times(changed.totalCount))") + ". "
          + (kind == "cni"
            ? "The CNI plugin could not set up the pod's network."
            : kind == "pause-image"
              ? "The runtime could not pull the sandbox (pause) image\(pauseImage.map { " '\($0)'" } ?? ""), so no "
                + "container of any pod on this node can start until it can."
              : "No container starts without a sandbox."),
        remedy: kind == "cni"
          ? "check the CNI plugin's pods and logs on the node (IP pool exhaustion, plugin not ready)"
          : kind == "pause-image"
            ? "let the node reach the pause image's registry (proxy, mirror, firewall), or pre-pull the image and point "
              + "the runtime's sandbox_image / --pod-infra-container-image at a reachable copy"
            : "check the container runtime on the node (containerd/CRI-O logs, pause image pull)",
        facts: facts, decisive: failed.evidence + logLines.map(\.evidence), evidence: changed.evidence)
    ]
  }

  /// Kubelet lines of a failed sandbox creation (patterns/kubelet.json), most specific first: the
  /// sync loop's line is the one the event goes with.
  static let logPatterns = [
    "kubelet.create-pod-sandbox-failed", "kubelet.create-pod-sandbox-failed-legacy", "kubelet.create-sandbox-failed",
    "kubelet.run-pod-sandbox-failed", "kubelet.run-pod-sandbox-failed-legacy",
  ]

  /// `cni`, `pause-image` or `runtime`, as the runtime's error was recognised (patterns/details.json, domain
  /// sandbox-error; a NetworkNotReady event is the network by its reason), or `restarting` when only
  /// SandboxChanged repeats.
  static func kind(of event: MergedEvent?, log: PackedLog?, changedOnly: Bool) -> String {
    if changedOnly { return "restarting" }
    if let event { return event.reason == "NetworkNotReady" ? "cni" : event.capture("sandboxError") ?? "runtime" }
    return log?.capture("sandboxError") ?? "runtime"
  }
}
