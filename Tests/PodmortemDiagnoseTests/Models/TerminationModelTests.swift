import Foundation
import PodmortemModel
import Testing

@testable import PodmortemDiagnose

@Test func sleep40WithGrace30IsKilledAt32WithExit137() {
  let t = TerminationModel.killTimeline(graceSeconds: 30, preStopSeconds: 40)
  #expect(t.preStopSeconds == 30)
  #expect(t.preStopOutlastsGrace)
  #expect(t.termToKillSeconds == 2)
  #expect(t.sigkillAfterSeconds == 32)
  #expect(t.likelyExitCode == 137)
}

@Test func shortPreStopLeavesTheRestOfTheGrace() {
  let t = TerminationModel.killTimeline(graceSeconds: 30, preStopSeconds: 5)
  #expect(t.termToKillSeconds == 25)
  #expect(t.sigkillAfterSeconds == 30)
  #expect(t.likelyExitCode == nil)
  #expect(TerminationModel.killTimeline(graceSeconds: 30, preStopSeconds: nil).sigkillAfterSeconds == 30)
  #expect(TerminationModel.killTimeline(graceSeconds: 1, preStopSeconds: nil).sigkillAfterSeconds == 2)
}

@Test func graceSelectionOrder() {
  #expect(TerminationModel.selectGrace(override: 0, deletionGracePeriodSeconds: 30).source == .override)
  #expect(
    TerminationModel.selectGrace(deletionGracePeriodSeconds: 10, specTerminationGracePeriodSeconds: 60) == (
      10, .deletionGracePeriod
    ))
  #expect(
    TerminationModel.selectGrace(
      reason: .liveness, probeTerminationGracePeriodSeconds: 5, specTerminationGracePeriodSeconds: 60)
      == (5, .probe))
  #expect(
    TerminationModel.selectGrace(
      reason: .other, probeTerminationGracePeriodSeconds: 5, specTerminationGracePeriodSeconds: 60)
      == (60, .podSpec))
  #expect(TerminationModel.selectGrace() == (2, .fallback))
}

@Test func deletionTimestampIsRequestPlusGrace() {
  let now = Date(timeIntervalSince1970: 1_000_000)
  // Deleted 10 s ago with grace 30: the deadline is 20 s ahead, describe prints `lasts <invalid>`.
  let deadline = TimeRange(exactly: now.addingTimeInterval(20))
  #expect(
    TerminationModel.deletionPhase(deletionTimestamp: deadline, now: now) == .withinGrace(remainingSeconds: 20...20))
  #expect(
    TerminationModel.deletionRequested(deletionTimestamp: deadline, graceSeconds: 30).earliest
      == now.addingTimeInterval(-10))
  let old = TimeRange(earliest: now.addingTimeInterval(-47 * 60 - 60), latest: now.addingTimeInterval(-47 * 60))
  #expect(TerminationModel.deletionPhase(deletionTimestamp: old, now: now) == .overdue(bySeconds: 2820...2880))
}

@Test func stuckCausesMostDecisiveFirst() {
  var s = TerminationModel.StuckSignals()
  #expect(TerminationModel.stuckCauses(s) == [.unknown])
  s.finalizers = ["x"]
  s.failedPreStopHook = true
  s.nodeNotReady = true
  #expect(TerminationModel.stuckCauses(s) == [.nodeUnreachable, .finalizers, .preStopHookFailed])
}

@Test func preStopSleeps() {
  #expect(TerminationModel.preStopSleepSeconds("exec [sleep 40]") == 40)
  #expect(TerminationModel.preStopSleepSeconds("exec [/bin/sh -c sleep 15]") == 15)
  #expect(TerminationModel.preStopSleepSeconds("sleep 5s") == 5)
  #expect(TerminationModel.preStopSleepSeconds("http-get http://:8080/drain") == nil)
}
