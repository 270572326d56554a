import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

/// Timeline entries of container runs say which run they are: numbered by restart count as the
/// kubelet numbers their log files, the latest capture saying current, previous or last.
@Suite struct RunMarkerTests {
  static func container(state: ContainerState?, last: ContainerState?, restarts: Int?) -> ContainerSnapshot {
    var c = ContainerSnapshot(name: "web")
    c.state = state
    c.lastState = last
    c.restartCount = restarts
    return c
  }

  static let oom = ContainerState.terminated(
    Termination(reason: "OOMKilled", exitCode: 137, startedAt: Fixture.exact(100), finishedAt: Fixture.exact(160)))

  static func summaries(_ snapshots: [PodSnapshot]) -> [String] {
    Timeline.build(snapshots: snapshots, latest: snapshots[snapshots.count - 1], events: [], logs: [])
      .filter { $0.kind == .containerStarted || $0.kind == .containerFinished }.map(\.summary)
  }

  @Test func runningContainerMarksCurrentAndPreviousRuns() {
    var pod = Fixture.pod(capture: 600)
    pod.containers = [
      Self.container(state: .running(startedAt: Fixture.exact(180)), last: Self.oom, restarts: 7)
    ]
    #expect(
      Self.summaries([pod]) == [
        "container 'web' started — run 6 (previous, OOMKilled, exit 137)",
        "container 'web' finished with exit code 137 (OOMKilled) — run 6 (previous)",
        "container 'web' started — run 7 (current)",
      ])
  }

  @Test func waitingContainerMarksItsLastRun() {
    var pod = Fixture.pod(capture: 600)
    pod.containers = [
      Self.container(state: .waiting(reason: "CrashLoopBackOff", message: nil), last: Self.oom, restarts: 3)
    ]
    #expect(
      Self.summaries([pod]) == [
        "container 'web' started — run 3 (last, OOMKilled, exit 137)",
        "container 'web' finished with exit code 137 (OOMKilled) — run 3 (last)",
      ])
  }

  /// An earlier capture's current run is the later capture's previous one: one entry, the newer word.
  @Test func theNewerCaptureNamesARunSeenTwice() {
    var before = Fixture.pod(capture: 150)
    before.containers = [Self.container(state: .running(startedAt: Fixture.exact(100)), last: nil, restarts: 6)]
    var after = Fixture.pod(capture: 600, line: 40)
    after.containers = [
      Self.container(state: .running(startedAt: Fixture.exact(180)), last: Self.oom, restarts: 7)
    ]
    let all = Self.summaries([before, after])
    #expect(all.filter { $0.hasPrefix("container 'web' started") }.count == 2)
    #expect(all.first == "container 'web' started — run 6 (previous, OOMKilled, exit 137)")
  }

  /// Without a restart count, or with a hostile one, no run is named.
  @Test func noRestartCountNoMarker() {
    var pod = Fixture.pod(capture: 600)
    pod.containers = [Self.container(state: .running(startedAt: Fixture.exact(180)), last: Self.oom, restarts: nil)]
    #expect(Self.summaries([pod]).allSatisfy { !$0.contains("run ") })
    pod.containers = [Self.container(state: .running(startedAt: Fixture.exact(180)), last: Self.oom, restarts: 0)]
    #expect(Self.summaries([pod]).last == "container 'web' started — run 0 (current)")
    #expect(Self.summaries([pod]).first == "container 'web' started")
  }
}
