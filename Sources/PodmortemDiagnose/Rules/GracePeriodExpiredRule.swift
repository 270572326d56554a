import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A container SIGKILLed at the end of its grace period during a deletion (docs/kubernetes.md §8.2).
///
/// The kubelet sends SIGTERM when it starts the kill (the `Killing` event), waits the grace
/// period — less whatever a preStop hook used, but never less than 2 s — and then sends SIGKILL:
/// exit 137. A container that finishes 137 at grace … grace + 2 s after its `Killing` event did
/// not stop on SIGTERM: its process ignores the signal, or a preStop hook (which describe does
/// not show) used the whole grace period. When the preStop hook is known, the lifecycle-hook rule
/// says which; this rule covers what the text alone shows.
///
/// Examples, in `Examples/GracePeriodExpiredRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: exit 137 32 s after 'Stopping container' with a 30 s grace period (kubectl 1.32 output)
/// - near miss: the same deletion, but the process exited 143 on SIGTERM a second after the Killing event
/// - fires: the describe's status lines, container and Events alone: exit 137 32 s after Stopping container
/// - near miss: the same fragment, but the process exited 143 on SIGTERM a second after the Killing event
package struct GracePeriodExpiredRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "termination.grace-expired", category: .containerExit,
    title: "container SIGKILLed at the end of its grace period",
    rationale: "a 137 at grace + up to 2 s after the Killing event is the kubelet's SIGKILL, not a crash (§8.2)",
    absorbs: ["container.exit-code"])

  /// How far past the grace period the exit may land: the 2 s minimum SIGTERM window, plus one
  /// second of rounding on each of the two times.
  static let slackSeconds = 4.0

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    guard let grace = pod.latest.deletionGracePeriodSeconds ?? pod.latest.terminationGracePeriodSeconds,
      grace > 0
    else { return [] }
    var findings: [Finding] = []
    for container in pod.containers([.container, .initContainer]) {
      guard let last = container.lastTermination, last.exitCode == 137, last.reason != "OOMKilled",
        let finished = last.finishedAt
      else { continue }
      let kills = pod.events("Killing", container: container.name).filter { $0.patternID == "event.stopping-container" }
      guard let kill = kills.compactMap(\.lastSeen).max(by: { $0.latest < $1.latest }) else { continue }
      let earliest = finished.earliest.timeIntervalSince(kill.latest)
      let latest = finished.latest.timeIntervalSince(kill.earliest)
      let window = Double(grace)...(Double(grace) + Self.slackSeconds)
      guard latest >= window.lowerBound - 1, earliest <= window.upperBound else { continue }
      findings.append(
        Self.description.finding(
          .warning, pod.subject(container.name),
          title:
            "container '\(container.name)' did not stop on SIGTERM: SIGKILLed at the end of its \(grace)s grace period",
          explanation: Self.explanation(container.name, grace: grace, gap: .ordered(max(0, earliest), max(0, latest))),
          remedy: "make the process exit on SIGTERM (exec the server as PID 1, or forward the signal from the shell), "
            + "and keep any preStop hook well under terminationGracePeriodSeconds; raise the grace period if "
            + "draining really takes longer",
          facts: [
            .int("graceSeconds", grace), .int("exitCode", 137), KeyValue("signal", "SIGKILL"),
            .seconds("killedAfterSeconds", .ordered(max(0, earliest), max(0, latest))),
          ],
          decisive: container.terminationEvidence + kills.evidence + pod.latest.deletionEvidence,
          evidence: container.evidence))
    }
    return findings
  }
}

extension GracePeriodExpiredRule {
  fileprivate static func explanation(_ name: String, grace: Int, gap: ClosedRange<Double>) -> String {
    "The kubelet started killing '\(name)' (Killing: Stopping container) and the container ended with exit code 137 "
      + "\(Seconds.fact(gap))s later. The grace period is \(grace)s: the kubelet sends SIGTERM, waits the grace period "
      + "(less any preStop hook's time, but at least 2s) and then sends SIGKILL — 137 = 128 + 9. So the process did "
      + "not exit on SIGTERM within \(grace)s: it ignores or never receives the signal (a shell as PID 1 does not "
      + "forward it), or a preStop hook used the whole grace period. Requests still in flight were cut off."
  }
}
