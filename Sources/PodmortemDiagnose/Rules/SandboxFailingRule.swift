import PodmortemCorrelate
import PodmortemModel

/// A pod sandbox that cannot be created or keeps being re-created (REFERENCE.md §9.1).
///
/// `Failed to create pod sandbox: …` comes from the runtime, most often from the CNI plugin;
/// `Pod sandbox changed, it will be killed and re-created.` repeats when the sandbox keeps dying.
package struct SandboxFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "sandbox.failing", category: .sandbox, title: "pod sandbox failing",
    rationale: "no container starts without the pod sandbox (network namespace, pause container); its errors come "
      + "from the runtime or the CNI plugin (§9.1)")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let failed = pod.events.filter { $0.reason == "FailedCreatePodSandBox" || $0.reason == "NetworkNotReady" }
    let changed = pod.events("SandboxChanged")
    let running = pod.containers().contains { $0.isRunning }
    guard !failed.isEmpty || changed.totalCount >= 2 else { return [] }
    if failed.isEmpty && running && pod.containers().allSatisfy({ $0.ready != false }) { return [] }
    let message = failed.last?.message ?? changed.last?.message ?? ""
    let kind = Self.classify(message, changedOnly: failed.isEmpty)
    let facts: [KeyValue] = [
      KeyValue("kind", kind), .int("failures", failed.totalCount), .int("sandboxChanges", changed.totalCount),
    ]
    return [
      Self.description.finding(
        running ? .warning : .critical, pod.subject(), title: "pod sandbox failing (\(kind))",
        explanation: "The runtime reports '\(message)'" + (failed.isEmpty ? "" : " (x\(failed.totalCount))")
          + (changed.isEmpty ? "" : "; the sandbox was re-created \(changed.totalCount) times") + ". "
          + (kind == "cni"
            ? "The CNI plugin could not set up the pod's network." : "No container starts without a sandbox."),
        remedy: kind == "cni"
          ? "check the CNI plugin's pods and logs on the node (IP pool exhaustion, plugin not ready)"
          : "check the container runtime on the node (containerd/CRI-O logs, pause image pull)",
        facts: facts, evidence: failed.evidence + changed.evidence)
    ]
  }

  /// `cni`, `runtime`, or `restarting` when only SandboxChanged repeats.
  static func classify(_ message: String, changedOnly: Bool) -> String {
    if changedOnly { return "restarting" }
    let cni = ["network", "cni", "CNI", "plugin type", "setup network", "IP"]
    return cni.contains(where: message.contains) ? "cni" : "runtime"
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "calico cannot assign an address",
      .pod("web-0", phase: "Pending") { p in
        p.container("web", state: .waiting(reason: "ContainerCreating", message: nil))
        p.event(
          .warning, "FailedCreatePodSandBox",
          "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"3f2a\": "
            + "plugin type=\"calico\" failed (add): error getting ClusterInformation: connection is unauthorized",
          count: 14)
      },
      expect: [
        ExpectedFinding(
          ruleID: "sandbox.failing", category: .sandbox, severity: .critical,
          facts: [KeyValue("kind", "cni"), .int("failures", 14)], evidenceLines: ["Failed to create pod sandbox"])
      ]),
    RuleExample(
      "one sandbox change after a node reboot",
      .pod("web-1") { p in
        p.container("web")
        p.event(.normal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.")
      }),
  ]
}
