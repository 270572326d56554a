import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct TimelineTests {
  /// A pod that was OOM-killed, restarted, failed its probe, was killed and then deleted.
  static func history() throws -> PodHistory {
    var before = Fixture.pod(uid: "u", capture: 0, source: "a.json")
    var web = ContainerSnapshot(name: "web")
    web.restartCount = 3
    web.state = .running(startedAt: Fixture.exact(-500))
    before.containers = [web]
    var after = Fixture.pod(uid: "u", capture: 600, source: "b.json")
    web.restartCount = 4
    web.state = .running(startedAt: Fixture.exact(400))
    web.lastState = .terminated(
      Termination(reason: "OOMKilled", exitCode: 137, startedAt: Fixture.exact(-500), finishedAt: Fixture.exact(390)))
    after.containers = [web]
    after.deletionTimestamp = Fixture.exact(630)
    after.deletionGracePeriodSeconds = 30
    var log = LogRecord(
      origin: .kubelet, message: "Killing container with a grace period",
      evidence: Fixture.evidence("kubelet.log", 7)[0])
    log.namespace = "prod"
    log.pod = "web-0"
    log.container = "web"
    log.time = Fixture.exact(601)
    let s = Fixture.correlate([
      .pod(after), .pod(before), .log(log),
      .event(Fixture.jsonEvent(uid: "u", name: "web-0.a", count: 3, first: 300, last: 320)),
      .event(
        Fixture.jsonEvent(
          uid: "u", type: "Normal", reason: "Killing", message: "Stopping container web", name: "web-0.b", count: 1,
          first: 600, last: 600)),
    ])
    return try #require(s.pods.first)
  }

  @Test func entriesAreOrderedByTime() throws {
    let t = try Self.history().timeline
    #expect(
      t.map(\.kind) == [
        .containerStarted, .probeFailure, .probeFailure, .containerFinished, .containerStarted, .restart,
        .deletionRequested, .kill, .log, .graceDeadline,
      ])
    #expect(t.map(\.time?.earliest) == [-500, 300, 320, 390, 400, 400, 600, 600, 601, 630].map { Fixture.at($0) })
  }

  @Test func entriesSayWhatHappened() throws {
    let t = try Self.history().timeline
    #expect(
      t.first { $0.kind == .containerFinished }?.summary
        == "container 'web' finished with exit code 137 (OOMKilled) — run 3 (previous)")
    let restart = try #require(t.first { $0.kind == .restart })
    #expect(restart.summary == "container 'web' restarted 1 time (restart count 3 → 4)")
    #expect(restart.time == Fixture.exact(400))
    #expect(restart.container == "web")
    let probes = t.filter { $0.kind == .probeFailure }
    #expect(probes.map(\.summary).first?.hasSuffix("(first of x3)") == true)
    #expect(probes.map(\.summary).last?.hasSuffix("(x3)") == true)
    #expect(probes.allSatisfy { $0.container == "web" && !$0.evidence.isEmpty })
    #expect(t.first { $0.kind == .deletionRequested }?.summary == "deletion requested with a 30s grace period")
  }

  @Test func entriesWithoutTimeComeLast() throws {
    var c = Correlator()
    var e = Fixture.jsonEvent(name: "web-0.x", count: 1, first: 0, last: 0)
    e.firstSeen = nil
    e.lastSeen = nil
    c.add(.event(e))
    c.add(.event(Fixture.jsonEvent(reason: "Pulled", message: "pulled", name: "web-0.y", count: 1, first: 5, last: 5)))
    let t = try #require(c.finish().pods.first?.timeline)
    #expect(t.map { $0.time == nil } == [false, true])
  }

  @Test func restartsFromGetPodsRowsSpanTheCaptures() throws {
    var a = Fixture.pod(capture: 0, source: "get-1.txt")
    a.restarts = 2
    var b = Fixture.pod(capture: 120, source: "get-2.txt")
    b.restarts = 5
    let t = try #require(Fixture.correlate([.pod(a), .pod(b)]).pods.first?.timeline)
    #expect(t.map(\.summary) == ["pod restarted 3 times (restart count 2 → 5)"])
    #expect(t.first?.time == TimeRange(earliest: Fixture.at(0), latest: Fixture.at(120)))
    #expect(t.first?.container == nil)
  }
}
