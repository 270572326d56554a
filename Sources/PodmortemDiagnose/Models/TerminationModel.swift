import Foundation
import PodmortemModel

/// The kubelet's kill sequence and the API's deletion clock (docs/kubernetes.md §8.1–§8.3, §1.2).
package enum TerminationModel {
  /// `minimumGracePeriodInSeconds`: a preStop hook that used the whole grace still leaves 2 s of SIGTERM.
  package static let minimumGraceSeconds = 2
  /// `spec.terminationGracePeriodSeconds` default.
  package static let defaultGraceSeconds = 30

  /// Why the kubelet is killing a container; liveness and startup kills may use the probe's own grace.
  package enum KillReason: String, Hashable, Sendable {
    case liveness, startup, other
  }

  /// Where the grace period came from (`setTerminationGracePeriod`, §8.2 step 1).
  package enum GraceSource: String, Hashable, Sendable {
    case override
    case deletionGracePeriod = "deletion-grace-period"
    case probe
    case podSpec = "pod-spec"
    case fallback
  }

  /// The grace period the kubelet uses for one kill, in seconds, and where it came from.
  package static func selectGrace(
    override: Int? = nil, deletionGracePeriodSeconds: Int? = nil, reason: KillReason = .other,
    probeTerminationGracePeriodSeconds: Int? = nil, specTerminationGracePeriodSeconds: Int? = nil
  ) -> (seconds: Int, source: GraceSource) {
    if let override { return (override, .override) }
    if let deletion = deletionGracePeriodSeconds { return (deletion, .deletionGracePeriod) }
    if reason != .other, let probe = probeTerminationGracePeriodSeconds { return (probe, .probe) }
    if let spec = specTerminationGracePeriodSeconds { return (spec, .podSpec) }
    return (minimumGraceSeconds, .fallback)
  }

  /// The seconds of one kill: preStop, then SIGTERM, then SIGKILL.
  package struct KillTimeline: Hashable, Sendable {
    package var graceSeconds: Int
    /// Seconds the preStop hook may run: its own length, capped at the grace period.
    package var preStopSeconds: Int
    /// True when the hook would run past the grace period (and is cut off there).
    package var preStopOutlastsGrace: Bool
    /// Seconds between SIGTERM and SIGKILL: what is left of the grace, at least 2.
    package var termToKillSeconds: Int
    /// Seconds from the start of the kill to SIGKILL at the latest.
    package var sigkillAfterSeconds: Int
    /// 137 when the container is certain to see SIGKILL unless it exits within the SIGTERM window.
    package var likelyExitCode: Int?
  }

  /// The kill sequence for a grace period and a preStop hook of `preStopSeconds` (nil: no hook).
  ///
  /// `sleep 40` with grace 30: the hook is cut at 30 s, then 2 s of SIGTERM (§8.2 step 5), so
  /// SIGKILL comes at 32 s and the container exits 137.
  package static func killTimeline(graceSeconds: Int, preStopSeconds: Int?) -> KillTimeline {
    let grace = max(0, graceSeconds)
    let hook = grace > 0 ? min(max(0, preStopSeconds ?? 0), grace) : 0
    let outlasts = (preStopSeconds ?? 0) >= grace && preStopSeconds != nil && grace > 0
    let left = max(grace - hook, minimumGraceSeconds)
    return KillTimeline(
      graceSeconds: grace, preStopSeconds: hook, preStopOutlastsGrace: outlasts, termToKillSeconds: left,
      sigkillAfterSeconds: hook + left, likelyExitCode: outlasts ? 137 : nil)
  }

  /// The seconds a preStop hook sleeps: `exec [sleep 40]`, `sleep 40`, `exec [/bin/sh -c sleep 40]`, `sleep 40s`.
  package static func preStopSleepSeconds(_ hook: String) -> Int? {
    let words = hook.split { $0 == " " || $0 == "[" || $0 == "]" || $0 == "\"" || $0 == "'" || $0 == ";" }
    guard let index = words.firstIndex(where: { $0 == "sleep" || $0.hasSuffix("/sleep") || $0 == "Sleep" }),
      words.index(after: index) < words.endIndex
    else { return nil }
    let value = words[words.index(after: index)]
    return Int(value.hasSuffix("s") ? value.dropLast() : value)
  }

  /// Where a deleted pod stands against its grace deadline.
  package enum DeletionPhase: Hashable, Sendable {
    /// The deadline is still ahead: describe shows `Terminating (lasts <invalid>)`, which is normal (§1.2).
    case withinGrace(remainingSeconds: ClosedRange<Double>)
    /// The deadline passed this many seconds ago (describe's `lasts X` counts from the deadline, not the request).
    case overdue(bySeconds: ClosedRange<Double>)
  }

  /// `deletionTimestamp` = request time + grace (§8.1), so the deadline is the deletionTimestamp itself.
  package static func deletionPhase(deletionTimestamp: TimeRange, now: Date) -> DeletionPhase {
    let lo = now.timeIntervalSince(deletionTimestamp.latest)
    let hi = now.timeIntervalSince(deletionTimestamp.earliest)
    if hi <= 0 { return .withinGrace(remainingSeconds: .ordered(-hi, -lo)) }
    return .overdue(bySeconds: .ordered(max(0, lo), hi))
  }

  /// When the delete was requested: deletionTimestamp − grace.
  package static func deletionRequested(deletionTimestamp: TimeRange, graceSeconds: Int) -> TimeRange {
    TimeRange(
      earliest: deletionTimestamp.earliest.addingTimeInterval(-Double(graceSeconds)),
      latest: deletionTimestamp.latest.addingTimeInterval(-Double(graceSeconds)))
  }

  /// Overdue by more than this is stuck: the kill itself ends within 2 s of the deadline; status
  /// updates and volume unmounts normally finish well within half a minute.
  package static let stuckAfterSeconds: Double = 30

  /// What keeps a pod Terminating (§8.3), most decisive first.
  package enum StuckCause: String, Hashable, Sendable, CaseIterable {
    case nodeUnreachable = "node-unreachable"
    case killFailed = "kill-failed"
    case volumeTeardown = "volume-teardown"
    case finalizers
    case preStopHookFailed = "prestop-hook-failed"
    case unknown
  }

  /// What a source shows about a deleted pod.
  package struct StuckSignals: Hashable, Sendable {
    package var finalizers: [String] = []
    /// The node's Ready condition is False/Unknown, or the pod saw `NodeNotReady`/`NodeLost`.
    package var nodeNotReady = false
    package var failedKillPod = false
    package var failedUnmount = false
    package var failedPreStopHook = false

    package init() {}
  }

  /// Causes, most decisive first: the kubelet-side causes block its final delete before the
  /// finalizers are even consulted (§8.1, §8.3).
  package static func stuckCauses(_ signals: StuckSignals) -> [StuckCause] {
    var causes: [StuckCause] = []
    if signals.nodeNotReady { causes.append(.nodeUnreachable) }
    if signals.failedKillPod { causes.append(.killFailed) }
    if signals.failedUnmount { causes.append(.volumeTeardown) }
    if !signals.finalizers.isEmpty { causes.append(.finalizers) }
    // A failed preStop hook does not block the kill by itself (the kubelet moves on), so it
    // only explains a stuck pod when nothing stronger does.
    if signals.failedPreStopHook { causes.append(.preStopHookFailed) }
    return causes.isEmpty ? [.unknown] : causes
  }
}
