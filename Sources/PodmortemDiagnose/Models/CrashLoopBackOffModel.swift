import Foundation
import PodmortemModel
import PodmortemText

/// The kubelet's CrashLoopBackOff arithmetic (docs/kubernetes.md §7.1).
///
/// After exit number k (1-based) the next start waits 0 s for k = 1 (there is no back-off entry
/// yet), then `initial × 2^(k−2)` capped at `max`: 0, 10, 20, 40, 80, 160, 300, 300 … with the
/// default curve. The delay is measured from the exit's `finishedAt`. The entry resets when the
/// latest exit comes more than 600 s after the back-off was last advanced (≈ the run lasted over
/// 10 minutes); the restart after that is immediate again.
package struct CrashLoopBackOffModel: Hashable, Sendable {
  package var initialSeconds: Double
  package var maxSeconds: Double

  package init(initialSeconds: Double = 10, maxSeconds: Double = 300) {
    self.initialSeconds = initialSeconds
    self.maxSeconds = maxSeconds
  }

  /// ≤1.32 default: 10 s doubling to 300 s.
  package static let standard = CrashLoopBackOffModel()
  /// `ReduceDefaultCrashLoopBackOffDecay` (alpha 1.33): 1 s doubling to 60 s.
  package static let reduced = CrashLoopBackOffModel(initialSeconds: 1, maxSeconds: 60)

  /// `KubeletCrashLoopBackOffMax` with `maxContainerRestartPeriod` set: initial = max when max < initial.
  package static func tuned(maxSeconds: Double) -> CrashLoopBackOffModel {
    CrashLoopBackOffModel(initialSeconds: min(10, maxSeconds), maxSeconds: maxSeconds)
  }

  /// `HasExpiredFunc`: `eventTime.Sub(lastUpdate) > 600*time.Second`.
  package static let resetAfterSeconds: Double = 600
  /// A back-off sync is requeued after `wait.Jitter(10s, 0.5)` (docs/kubernetes.md §7.1).
  package static let syncRetrySeconds: ClosedRange<Double> = 10...15

  /// The delay after exit number `exit` (1-based) since the last reset.
  package func delay(afterExit exit: Int) -> Double {
    guard exit > 1 else { return 0 }
    var delay = initialSeconds
    for _ in 0..<(exit - 2) {
      delay *= 2
      if delay >= maxSeconds { return maxSeconds }
    }
    return min(delay, maxSeconds)
  }

  /// The delay the kubelet applies to the container that has restarted `restartCount` times and
  /// has just exited again: exit number `restartCount + 1`.
  package func delay(restartCount: Int) -> Double { delay(afterExit: Self.exit(after: restartCount)) }

  /// The exit number after `restartCount` restarts; counts are `int32` in the API, so a larger one
  /// (already refused where it was read) is clamped rather than overflowing `+ 1`.
  static func exit(after restartCount: Int) -> Int { min(max(0, restartCount), Int(Int32.max)) + 1 }

  /// The first `count` delays (after exits 1, 2, 3 …).
  package func curve(_ count: Int) -> [Double] { (0..<max(0, count)).map { delay(afterExit: $0 + 1) } }

  /// Everything podmortem can say about one crash-looping container.
  package struct Assessment: Hashable, Sendable {
    package enum Curve: Hashable, Sendable {
      /// No observed delay to compare with.
      case notObserved
      /// The observed delay is what the default curve predicts.
      case consistent
      /// The observed delay is on the default curve but at an earlier step: the restart count
      /// includes runs before a 10-minute reset (or the max is tuned to that value).
      case earlierStep(exitsSinceReset: Int)
      /// The observed delay is on the reduced 1 s → 60 s curve (`ReduceDefaultCrashLoopBackOffDecay`).
      case reducedCurve
      /// The observed delay is below the default plateau and off both curves: a tuned
      /// `maxContainerRestartPeriod`.
      case tunedMax(seconds: Double)
      /// Longer than the curve allows for this restart count.
      case unexplained
    }

    /// Restarts so far (`restartCount`).
    package var restartCount: Int
    /// Exits counted since the last reset (the step on the curve).
    package var step: Int
    /// The delay before the next start, in seconds.
    package var delaySeconds: Double
    /// When the next start is due: `finishedAt + delay`, up to one sync retry (15 s) later.
    package var nextStart: TimeRange?
    /// Seconds from capture time to the next start; negative bounds mean it is already due.
    package var nextStartIn: ClosedRange<Double>?
    /// True when the last run outlasted the 10-minute reset: the restart is immediate.
    package var reset: Bool
    /// The `back-off Ns` delay read from the waiting message, if any.
    package var observedDelaySeconds: Double?
    package var curve: Curve
  }

  /// Assesses a container that has restarted `restartCount` times and last finished at `finishedAt`.
  ///
  /// - Parameters:
  ///   - lastStartedAt: when the last run started; a run longer than 600 s resets the back-off.
  ///   - now: the capture time, to say how long until the next start.
  ///   - observedDelay: the `back-off 5m0s` value of the waiting message, in seconds.
  package func assess(
    restartCount: Int, finishedAt: TimeRange?, lastStartedAt: TimeRange? = nil, now: Date? = nil,
    observedDelay: Double? = nil
  ) -> Assessment {
    var reset = false
    if let started = lastStartedAt, let finished = finishedAt {
      // The entry was last advanced when this run was started; the smallest possible run
      // length decides, so a reset is only claimed when it is certain.
      reset = finished.earliest.timeIntervalSince(started.latest) > Self.resetAfterSeconds
    }
    let step = reset ? 1 : Self.exit(after: restartCount)
    let delay = delay(afterExit: step)
    var nextStart: TimeRange?
    var nextStartIn: ClosedRange<Double>?
    if let finished = finishedAt {
      let range = TimeRange(
        earliest: finished.earliest.addingTimeInterval(delay),
        latest: finished.latest.addingTimeInterval(delay + (delay > 0 ? Self.syncRetrySeconds.upperBound : 0)))
      nextStart = range
      if let now {
        nextStartIn = .ordered(range.earliest.timeIntervalSince(now), range.latest.timeIntervalSince(now))
      }
    }
    return Assessment(
      restartCount: restartCount, step: step, delaySeconds: delay, nextStart: nextStart, nextStartIn: nextStartIn,
      reset: reset, observedDelaySeconds: observedDelay,
      curve: classify(observed: observedDelay, expected: delay, step: step))
  }

  private func classify(observed: Double?, expected: Double, step: Int) -> Assessment.Curve {
    guard let observed else { return .notObserved }
    if abs(observed - expected) < 0.5 { return .consistent }
    if observed > expected { return .unexplained }
    let standardCurve = CrashLoopBackOffModel.standard.curve(8)
    if let index = standardCurve.firstIndex(where: { abs($0 - observed) < 0.5 }), observed > 0 {
      return .earlierStep(exitsSinceReset: index + 1)
    }
    if CrashLoopBackOffModel.reduced.curve(9).contains(where: { abs($0 - observed) < 0.5 }) { return .reducedCurve }
    return .tunedMax(seconds: observed)
  }

  /// The `back-off 5m0s` delay of a container waiting in CrashLoopBackOff, in seconds: what Ingest
  /// recognised in its waiting message (`back-off 5m0s restarting failed container=web pod=…`,
  /// patterns/details.json `waiting-backoff.delay`).
  package static func observedDelay(of container: ContainerSnapshot) -> Double? {
    guard let token = container.waitingDetail.first(where: { $0.key == "backoff" })?.value else { return nil }
    return Durations.goDuration(Substring(token))
  }
}
