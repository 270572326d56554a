import PodmortemCorrelate
import PodmortemModel

/// An exec probe whose command ran past its timeout, known only from the container runtime call
/// the kubelet logs (`"ExecSync cmd from runtime service failed" err="rpc error: code =
/// DeadlineExceeded …"`, patterns/kubelet.json `kubelet.exec-sync-failed`), when no `Unhealthy`
/// event or `"Probe failed"` line says which probe it was (docs/kubernetes.md §6.3, §6.4).
///
/// The kubelet runs an exec probe through the runtime's ExecSync with the probe's timeoutSeconds
/// as the deadline ([k/k] `pkg/kubelet/prober/prober.go`); an exec lifecycle hook runs without one
/// ([k/k] `pkg/kubelet/lifecycle/handlers.go`), so a DeadlineExceeded ExecSync is a probe's.
///
/// Examples, in `Examples/ExecProbeTimeoutRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: a journald kubelet line alone: ExecSync hit its deadline
/// - fires: a kubelet before structured logging
/// - near miss: near miss: ExecSync into a container that has exited is no timeout
package struct ExecProbeTimeoutRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.exec-timeout", category: .probeFailure, title: "exec probe timed out",
    rationale: "an exec probe's command that does not return within timeoutSeconds fails the attempt (§6.4); the "
      + "runtime's ExecSync DeadlineExceeded line shows it even where the probe's own lines are missing")

  package init() {}

  static let pattern = "kubelet.exec-sync-failed"

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let timeouts = Self.timeouts(pod.logs)
    guard !timeouts.isEmpty else { return [] }
    // The probe's own record names the probe: the kind's rule reports it, with this mode.
    let probeLines = ProbeFailures.failedPatterns.union(ProbeFailures.erroredPatterns)
    if !pod.events("Unhealthy").isEmpty || pod.logs.contains(where: { $0.patternID.map(probeLines.contains) == true }) {
      return []
    }
    let command = timeouts.lazy.compactMap { $0.capture("cmd") ?? $0.capture("legacyCmd") }.last
    let containerID = timeouts.lazy.compactMap { $0.capture("containerID") ?? $0.capture("legacyContainerID") }.last
    var facts: [KeyValue] = [KeyValue("mode", ProbeMode.execTimeout.rawValue), .int("failures", timeouts.count)]
    if let command { facts.append(KeyValue("command", command)) }
    if let containerID { facts.append(KeyValue("containerID", containerID)) }
    let container = timeouts.lazy.compactMap(\.container).first
    let times = timeouts.count == 1 ? "once" : "\(timeouts.count) times"
    return [
      Self.description.finding(
        .warning, pod.subject(container),
        title: "exec probe timed out" + (command.map { ": '\($0)'" } ?? "") + " (\(times))",
        explanation: "The container runtime's ExecSync of " + (command.map { "'\($0)'" } ?? "a command")
          + " hit its deadline \(times) (DeadlineExceeded): the kubelet runs an exec probe with timeoutSeconds as "
          + "that deadline, so the probe attempt failed as a timeout. The input does not show which probe "
          + "(liveness, readiness or startup) nor its timeoutSeconds (1s by default, §6.1).",
        remedy: "run the command by hand with 'kubectl exec' and time it; raise the probe's timeoutSeconds above "
          + "its slowest run or make the check cheaper",
        facts: facts, evidence: timeouts.map(\.evidence))
    ]
  }

  /// The records of `pattern` whose code is `DeadlineExceeded`, in the pod's order:
  /// `logs.filter { $0.patternID == pattern && (capture("code") ?? capture("legacyCode")) == … }`
  /// read by index in place (`PodLogs.packed`). Filtered as a `PodLogs`, every record of every pod
  /// was copied out through the unspecialised `Collection` witnesses, 6.7M of the 4 MiB
  /// kubelet-log slice for a rule that fires on none of its pods (callgrind; docs/architecture.md
  /// "Diagnosis: read a pod once"). An id of another length in UTF-8 is not `pattern`: the
  /// pattern is ASCII with no Kelvin sign, `;` or `` ` ``, so only its own bytes are `==` to it
  /// (`ProbeFailures.isFailed`). `ExecProbeTimeoutTests` holds it to the filter.
  static func timeouts(_ logs: PodLogs) -> [PackedLog] {
    let packed = logs.packed
    let length = pattern.utf8.count
    var found: [PackedLog] = []
    for i in packed.indices {
      guard let id = packed[i].patternID, id.utf8.count == length, id == pattern else { continue }
      let log = packed[i]
      if (log.capture("code") ?? log.capture("legacyCode")) == "DeadlineExceeded" { found.append(log) }
    }
    return found
  }
}
