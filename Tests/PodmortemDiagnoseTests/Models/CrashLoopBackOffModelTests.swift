import Foundation
import PodmortemModel
import PodmortemText
import Testing

@testable import PodmortemDiagnose

@Test func defaultCurveIsZeroThenTenDoublingToThreeHundred() {
  #expect(CrashLoopBackOffModel.standard.curve(9) == [0, 10, 20, 40, 80, 160, 300, 300, 300])
}

@Test(arguments: [(0, 0.0), (1, 10), (2, 20), (3, 40), (4, 80), (5, 160), (6, 300), (9, 300), (100, 300)])
func delayForRestartCount(restarts: Int, seconds: Double) {
  #expect(CrashLoopBackOffModel.standard.delay(restartCount: restarts) == seconds)
}

@Test func reducedAndTunedCurves() {
  #expect(CrashLoopBackOffModel.reduced.curve(9) == [0, 1, 2, 4, 8, 16, 32, 60, 60])
  #expect(CrashLoopBackOffModel.tuned(maxSeconds: 5).curve(4) == [0, 5, 5, 5])
  #expect(CrashLoopBackOffModel.tuned(maxSeconds: 30).curve(5) == [0, 10, 20, 30, 30])
}

@Test func restartNineWaitsThreeHundredFromFinishedAt() {
  let now = Date(timeIntervalSince1970: 1_000_000)
  let finished = TimeRange(exactly: now.addingTimeInterval(-100))
  let a = CrashLoopBackOffModel.standard.assess(restartCount: 9, finishedAt: finished, now: now)
  #expect(a.delaySeconds == 300)
  #expect(a.step == 10)
  #expect(a.nextStartIn == 200...215)
  #expect(a.nextStart?.earliest == now.addingTimeInterval(200))
  #expect(!a.reset)
}

@Test func aRunOfOverTenMinutesResets() {
  let now = Date(timeIntervalSince1970: 1_000_000)
  let a = CrashLoopBackOffModel.standard.assess(
    restartCount: 7, finishedAt: TimeRange(exactly: now.addingTimeInterval(-10)),
    lastStartedAt: TimeRange(exactly: now.addingTimeInterval(-620)), now: now)
  #expect(a.reset)
  #expect(a.delaySeconds == 0)
  let short = CrashLoopBackOffModel.standard.assess(
    restartCount: 7, finishedAt: TimeRange(exactly: now.addingTimeInterval(-10)),
    lastStartedAt: TimeRange(exactly: now.addingTimeInterval(-590)), now: now)
  #expect(!short.reset)
  #expect(short.delaySeconds == 300)
}

@Test func anUncertainRunLengthDoesNotClaimAReset() {
  let now = Date(timeIntervalSince1970: 1_000_000)
  // Started 11–12 minutes ago by its age, finished 2 minutes ago: the run was 9–10 minutes at the least... or more.
  let a = CrashLoopBackOffModel.standard.assess(
    restartCount: 3, finishedAt: TimeRange(exactly: now.addingTimeInterval(-120)),
    lastStartedAt: TimeRange(earliest: now.addingTimeInterval(-780), latest: now.addingTimeInterval(-720)), now: now)
  #expect(!a.reset)
}

@Test func observedDelayIsComparedWithTheCurve() {
  let model = CrashLoopBackOffModel.standard
  #expect(model.assess(restartCount: 9, finishedAt: nil, observedDelay: 300).curve == .consistent)
  #expect(model.assess(restartCount: 9, finishedAt: nil, observedDelay: 40).curve == .earlierStep(exitsSinceReset: 4))
  #expect(model.assess(restartCount: 9, finishedAt: nil, observedDelay: 60).curve == .reducedCurve)
  #expect(model.assess(restartCount: 9, finishedAt: nil, observedDelay: 90).curve == .tunedMax(seconds: 90))
  #expect(model.assess(restartCount: 2, finishedAt: nil, observedDelay: 300).curve == .unexplained)
  #expect(model.assess(restartCount: 2, finishedAt: nil).curve == .notObserved)
}

/// The waiting message as Ingest recognises it (patterns/details.json), then the delay read.
@Test func observedDelayIsReadFromTheWaitingMessage() {
  let patterns = PatternCatalog.shipped(diagnostics: { _ in })
  func delay(_ message: String, reason: String = "CrashLoopBackOff") -> Double? {
    var container = ContainerSnapshot(name: "web")
    container.state = .waiting(reason: reason, message: message)
    patterns.classifyStates(of: &container)
    return CrashLoopBackOffModel.observedDelay(of: container)
  }
  #expect(delay("back-off 5m0s restarting failed container=web pod=web-0_default(0f1c)") == 300)
  #expect(delay("back-off 40s restarting failed container=web") == 40)
  #expect(delay("Back-off pulling image") == nil)
  #expect(delay("back-off 40s restarting failed container=web", reason: "ImagePullBackOff") == nil)
}
