import Foundation
import PodmortemModel
import PodmortemText

/// The `podmortem explain …` answers: the kubelet's arithmetic spelled out, as structured results
/// and the text lines the CLI prints.
package enum Explain {
  /// `explain backoff --restarts N [--finished TIME] [--now TIME]`.
  package struct Backoff: Hashable, Sendable {
    package var assessment: CrashLoopBackOffModel.Assessment
    package var lines: [String]
  }

  package static func backoff(
    restarts: Int, finished: Date? = nil, now: Date? = nil, model: CrashLoopBackOffModel = .standard
  ) -> Backoff {
    let a = model.assess(
      restartCount: restarts, finishedAt: finished.map { TimeRange(exactly: $0) }, now: finished == nil ? nil : now)
    var lines = [
      "restarts: \(restarts) → exit \(a.step) since the last reset",
      "back-off: \(Seconds.format(a.delaySeconds))"
        + (a.step > 1
          ? " = min(\(Int(model.initialSeconds))s × 2^\(a.step - 2), \(Seconds.format(model.maxSeconds)))"
          : " (the first restart is immediate)"),
      "curve: " + model.curve(8).map { Seconds.format($0) }.joined(separator: ", ") + " …",
      "measured from the last finishedAt; a run of over 10m resets the curve",
    ]
    if let next = a.nextStart {
      lines.append("next start: \(next)")
    }
    if let nextIn = a.nextStartIn {
      lines.append(
        nextIn.upperBound <= 0
          ? "next start was due \(Seconds.format(-nextIn.upperBound)) ago"
          : "next start in: \(Seconds.format(max(0, nextIn.lowerBound)...nextIn.upperBound)) (up to one 15s sync retry late)"
      )
    }
    lines.append("BackOff event counts (xN) count sync retries every 10–15s, not restarts")
    return Backoff(assessment: a, lines: lines)
  }

  /// `explain probe '<describe probe line>'`.
  package struct Probe: Hashable, Sendable {
    package var kind: ProbeSpec.Kind?
    package var spec: ProbeSpec
    package var lines: [String]
  }

  /// Nil when the line is not a probe line.
  package static func probe(_ line: String) -> Probe? {
    guard let (kind, spec) = ProbeLine.parse(pasted: line) else { return nil }
    let model = ProbeModel(spec)
    let p = spec.periodSeconds
    let f = spec.failureThreshold
    var lines = [
      "handler: \(spec.handler.describeText)",
      "timing: initialDelay \(spec.initialDelaySeconds)s, period \(p)s, timeout \(spec.timeoutSeconds)s, "
        + "successThreshold \(spec.successThreshold), failureThreshold \(f)",
      "detects a failure in: \(Seconds.format(model.detection)) ((\(f) − 1) × \(p)s to \(f) × \(p)s + "
        + "\(spec.timeoutSeconds)s timeout)",
    ]
    switch kind {
    case .startup?:
      lines.append(
        "startup budget: \(spec.initialDelaySeconds)s + \(f) × \(p)s = \(Int(saturating: model.startupBudget))s before the container is killed"
      )
    case .readiness?:
      lines.append("on failure: the pod leaves Service endpoints; readiness never restarts the container")
    default:
      lines.append(
        "a container that never passes is killed after \(Seconds.format(model.restartLatency)) "
          + "(\(spec.initialDelaySeconds)s + \(f) × \(p)s ± \(p)s), plus the kill grace period")
    }
    if spec.timeoutSeconds <= 1 { lines.append("timeout is 1s (the default): slow endpoints fail as timeouts") }
    lines.append("errored attempts (probe errored) do not count toward failureThreshold")
    return Probe(kind: kind, spec: spec, lines: lines)
  }

  /// `explain exit-code N`.
  package struct ExitCode: Hashable, Sendable {
    package var meaning: ExitCodes.Meaning
    package var lines: [String]
  }

  package static func exitCode(_ code: Int, reason: String? = nil) -> ExitCode {
    let m = ExitCodes.explain(code, reason: reason)
    var lines = ["exit code \(code): \(m.summary)"]
    if let signal = m.signal, let name = m.signalName { lines.append("128 + \(signal) = \(name)") }
    lines.append(m.guidance)
    if code == 137, reason != "OOMKilled" {
      lines.append("only the terminated reason OOMKilled (or a SystemOOM node event) proves an OOM kill")
    }
    return ExitCode(meaning: m, lines: lines)
  }

  /// `explain scheduling '<message>'`.
  package struct Scheduling: Hashable, Sendable {
    package var message: SchedulingMessage
    package var lines: [String]
  }

  /// Nil when the text is not a `0/N nodes are available:` message.
  package static func scheduling(_ text: String) -> Scheduling? {
    guard let m = SchedulingMessage(text) else { return nil }
    var lines = ["nodes: \(m.totalNodes), none fits"]
    if let prefilter = m.prefilter {
      lines.append("stopped before filtering: \(prefilter) → \(SchedulingReason(prefilter).nextStep)")
    }
    for entry in m.entries { lines.append("\(entry.count) × \(entry.text) → \(entry.reason.nextStep)") }
    if let preemption = m.preemption {
      lines.append(
        "preemption: " + preemption.map { "\($0.count) \($0.text)" }.joined(separator: ", ")
          + (m.preemptionCannotHelp ? " → evicting lower-priority pods would not help" : ""))
    }
    let sum = m.entries.reduce(0) { $0 + $1.count }
    if sum > m.totalNodes { lines.append("counts add up to \(sum): a node can fail several filters") }
    if m.truncated {
      lines.append("the message was truncated at 1024 bytes; the PodScheduled condition has all of it")
    }
    return Scheduling(message: m, lines: lines)
  }
}
