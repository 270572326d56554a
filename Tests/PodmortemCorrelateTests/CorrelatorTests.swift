import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

/// The scenarios the correlation engine exists for (docs/kubernetes.md §1.6, §4.3, §5.1).
struct CorrelatorTests {
  /// The same readiness failures seen by `kubectl describe pod` at three capture times.
  static let describeSeries: [Record] = [
    .pod(Fixture.pod(capture: 0, line: 1)),
    .event(Fixture.describeEvent(count: 5, first: -700, last: -30, capture: 0, line: 40)),
    .pod(Fixture.pod(capture: 300, source: "describe-2.txt")),
    .event(Fixture.describeEvent(count: 35, first: -700, last: 290, capture: 300, source: "describe-2.txt", line: 40)),
    .pod(Fixture.pod(capture: 900, source: "describe-3.txt")),
    .event(
      Fixture.describeEvent(
        message: "spec.containers{web}: Readiness probe failed: HTTP probe failed with statuscode: 503", count: 95,
        first: -700, last: 890, capture: 900, source: "describe-3.txt", line: 40)),
  ]

  static let json: [Record] = [
    .event(Fixture.jsonEvent(name: "web-0.187b1c2d3e4f5a6b", count: 95, first: -700, last: 890))
  ]

  /// Events without evidence, to compare what two sets of sources conclude.
  static func facts(_ events: [MergedEvent]) -> [MergedEvent] {
    events.map {
      var e = $0
      e.evidence = []
      return e
    }
  }

  @Test func describeSnapshotsMergeIntoTheLatestCount() throws {
    let s = Fixture.correlate(Self.describeSeries)
    #expect(s.events.count == 1)
    let e = try #require(s.events.first)
    #expect(e.count == 95)
    #expect(e.objects == 1)
    #expect(e.involved.fieldPath == "spec.containers{web}")
    #expect(e.message == "Readiness probe failed: HTTP probe failed with statuscode: 503")
    let first = try #require(e.firstSeen)
    #expect(first.earliest <= Fixture.at(-700) && Fixture.at(-700) <= first.latest)
    #expect(first.width <= 60)
    #expect(e.lastSeen == Fixture.aged(890, capturedAt: 900))
    #expect(e.caveats.isEmpty)
    #expect(s.state.now == Fixture.capture(900))
    #expect(s.pods.count == 1)
    let pod = try #require(s.pods.first)
    #expect(pod.key == PodKey(namespace: "prod", name: "web-0"))
    #expect(pod.snapshots.map(\.capturedAt) == [Fixture.capture(0), Fixture.capture(300), Fixture.capture(900)])
    #expect(pod.events.map(\.count) == [95])
    #expect(e.evidence.map(\.ref.source) == ["describe-3.txt", "describe-2.txt", "describe.txt"].sorted())
  }

  @Test func describePlusJSONIsJSONWithNarrowedTimes() throws {
    let both = Fixture.correlate(Self.describeSeries + Self.json)
    let jsonOnly = Fixture.correlate(Self.json)
    #expect(Self.facts(both.events) == Self.facts(jsonOnly.events))
    let e = try #require(both.events.first)
    #expect(e.firstSeen == Fixture.exact(-700))
    #expect(e.lastSeen == Fixture.exact(890))
    #expect(e.involved.uid == "uid-web-0")
    #expect(e.involved.kind == "Pod")
    #expect(e.sourceHost == "node-1")
    #expect(Set(e.evidence.map(\.ref.source)) == ["describe.txt", "describe-2.txt", "describe-3.txt", "events.json"])
    // The describe pod (no uid) and the JSON events (uid) describe one pod.
    #expect(both.pods.count == 1)
    #expect(both.pods.first?.events.count == 1)
  }

  @Test func jsonNarrowsDescribeButNotTheOtherWayRound() throws {
    // The describe range says 10..11 minutes before capture; the JSON instant sits inside it.
    let s = Fixture.correlate([
      .event(Fixture.describeEvent(count: 5, first: -630, last: -20, capture: 0)),
      .event(Fixture.jsonEvent(name: "web-0.a", count: 5, first: -630, last: -20)),
    ])
    let e = try #require(s.events.first)
    #expect(s.events.count == 1)
    #expect(e.firstSeen == Fixture.exact(-630))
    #expect(e.firstSeen?.width == 0)
  }

  @Test func kubeletRestartAddsCountsOfObjectsThatDoNotOverlap() throws {
    let s = Fixture.correlate([
      .event(Fixture.jsonEvent(name: "web-0.aaaa", count: 5, first: 0, last: 100, line: 1)),
      .event(Fixture.jsonEvent(name: "web-0.bbbb", count: 3, first: 1000, last: 1200, line: 30)),
    ])
    let e = try #require(s.events.first)
    #expect(s.events.count == 1)
    #expect(e.count == 8)
    #expect(e.objects == 2)
    #expect(e.firstSeen == Fixture.exact(0))
    #expect(e.lastSeen == Fixture.exact(1200))
  }

  @Test func kubeletRestartSeenByDescribeAlsoAdds() throws {
    // describe after the restart lists both objects as two identical rows, told apart only by time.
    let s = Fixture.correlate([
      .event(Fixture.describeEvent(count: 5, first: 0, last: 100, capture: 1300, line: 40)),
      .event(Fixture.describeEvent(count: 3, first: 1000, last: 1200, capture: 1300, line: 41)),
    ])
    let e = try #require(s.events.first)
    #expect(e.count == 8)
    #expect(e.objects == 2)
  }

  @Test func overlappingObjectsDoNotAdd() throws {
    let s = Fixture.correlate([
      .event(Fixture.jsonEvent(name: "web-0.aaaa", count: 5, first: 0, last: 500)),
      .event(Fixture.jsonEvent(name: "web-0.bbbb", count: 3, first: 100, last: 200)),
    ])
    #expect(s.events.first?.count == 5)
    #expect(s.events.first?.objects == 2)
  }

  @Test func ttlRecreationKeepsOneLineage() throws {
    // §4.3: the re-created event keeps its name, firstTimestamp and count.
    let s = Fixture.correlate([
      .event(Fixture.jsonEvent(name: "web-0.aaaa", count: 40, first: 0, last: 3000, line: 1)),
      .event(Fixture.jsonEvent(name: "web-0.aaaa", count: 41, first: 0, last: 7000, line: 2)),
    ])
    #expect(s.events.first?.count == 41)
    #expect(s.events.first?.objects == 1)
    #expect(s.events.first?.lastSeen == Fixture.exact(7000))
  }

  @Test func recreatedPodStaysSeparate() throws {
    var old = Fixture.pod(uid: "uid-a", capture: 0, source: "old.json")
    old.creationTime = Fixture.exact(-3600)
    var new = Fixture.pod(uid: "uid-b", capture: 5000, source: "new.json")
    new.creationTime = Fixture.exact(4000)
    var describe = Fixture.pod(capture: 5000, source: "describe.txt")
    describe.startTime = Fixture.exact(4000)
    let s = Fixture.correlate([
      .pod(old), .pod(new), .pod(describe),
      .event(Fixture.jsonEvent(uid: "uid-a", name: "web-0.a", count: 7, first: -3000, last: -100)),
      .event(Fixture.jsonEvent(uid: "uid-b", name: "web-0.b", count: 4, first: 4100, last: 4900)),
      .event(Fixture.describeEvent(count: 4, first: 4100, last: 4900, capture: 5000)),
    ])
    #expect(s.pods.map(\.key.uid) == ["uid-a", "uid-b"])
    #expect(s.events.count == 2)
    #expect(s.events.map(\.count) == [7, 4])
    let a = try #require(s.pods.first)
    let b = try #require(s.pods.last)
    #expect(a.events.map(\.involved.uid) == ["uid-a"])
    #expect(b.events.map(\.involved.uid) == ["uid-b"])
    #expect(b.events.first?.evidence.contains { $0.ref.source == "describe.txt" } == true)
    #expect(b.snapshots.map(\.evidence.first?.ref.source) == ["describe.txt", "new.json"])
    #expect(a.snapshots.count == 1)
  }

  @Test func contradictoryRangesKeepTheUnionWithACaveat() throws {
    let s = Fixture.correlate([
      .event(Fixture.jsonEvent(name: "web-0.a", count: 3, first: 0, last: 50)),
      .event(Fixture.jsonEvent(name: "web-0.a", count: 3, first: 10, last: 50)),
    ])
    let e = try #require(s.events.first)
    #expect(e.firstSeen == TimeRange(earliest: Fixture.at(0), latest: Fixture.at(10)))
    #expect(e.caveats.contains { $0.contains("disagree") })
  }

  @Test func recentSeriesGetTheLagCaveat() throws {
    let recent = Fixture.correlate([
      .pod(Fixture.pod(capture: 1000)),
      .event(Fixture.jsonEvent(name: "web-0.s", count: 4, first: 0, last: 900, isSeries: true)),
    ])
    #expect(recent.events.first?.caveats.contains { $0.contains("30 minutes") } == true)
    let old = Fixture.correlate([
      .pod(Fixture.pod(capture: 20_000)),
      .event(Fixture.jsonEvent(name: "web-0.s", count: 4, first: 0, last: 900, isSeries: true)),
    ])
    #expect(old.events.first?.caveats.isEmpty == true)
  }

  @Test func describeFromWithoutHostMatchesJSONWithHost() throws {
    let s = Fixture.correlate([
      .event(Fixture.describeEvent(fieldPath: "spec.containers{web}", count: 2, first: 0, last: 20, capture: 30)),
      .event(Fixture.jsonEvent(name: "web-0.a", count: 2, first: 0, last: 20)),
    ])
    #expect(s.events.count == 1)
    #expect(s.events.first?.sourceHost == "node-1")
  }

  @Test func differentFieldPathsStayApart() {
    let s = Fixture.correlate([
      .event(Fixture.jsonEvent(fieldPath: "spec.containers{web}", name: "web-0.a", count: 2, first: 0, last: 20)),
      .event(Fixture.jsonEvent(fieldPath: "spec.containers{sidecar}", name: "web-0.b", count: 2, first: 0, last: 20)),
    ])
    #expect(s.events.map(\.involved.fieldPath) == ["spec.containers{sidecar}", "spec.containers{web}"])
  }

  @Test func combinedEventsLinkToTheSimilarOnes() throws {
    var records: [Record] = []
    for i in 0..<10 {
      records.append(
        .event(
          Fixture.jsonEvent(
            reason: "FailedMount", message: "MountVolume.SetUp failed for volume \"v\(i)\"", fieldPath: nil,
            name: "web-0.\(i)", count: 1, first: Double(i), last: Double(i))))
    }
    records.append(
      .event(
        Fixture.jsonEvent(
          reason: "FailedMount",
          message: "(combined from similar events): MountVolume.SetUp failed for volume \"v11\"", fieldPath: nil,
          name: "web-0.c", count: 2, first: 20, last: 30)))
    records.append(
      .event(
        Fixture.jsonEvent(
          reason: "FailedMount",
          message: "(combined from similar events): MountVolume.SetUp failed for volume \"v12\"", fieldPath: nil,
          name: "web-0.c", count: 3, first: 20, last: 40)))
    let s = Fixture.correlate(records)
    let combined = try #require(s.events.first { $0.message.hasPrefix("(combined") })
    #expect(s.events.count == 11)
    #expect(combined.count == 3)
    #expect(combined.message == "(combined from similar events): MountVolume.SetUp failed for volume \"v12\"")
    #expect(combined.exemplars.count == 3)
    #expect(combined.caveats.contains { $0.contains("10 similar events") })
    #expect(combined.template == nil)
  }

  @Test func podsKnownOnlyFromEventsGetAHistory() {
    let s = Fixture.correlate([.event(Fixture.jsonEvent(name: "web-0.a", count: 1, first: 0, last: 0))])
    #expect(s.pods.map(\.key) == [PodKey(namespace: "prod", name: "web-0", uid: "uid-web-0")])
    #expect(s.pods.first?.events.count == 1)
  }

  @Test func eventsAboutOtherKindsStayOffPods() {
    var e = Fixture.jsonEvent(reason: "ScalingReplicaSet", name: "web.a", count: 1, first: 0, last: 0)
    e.involved.kind = "Deployment"
    let s = Fixture.correlate([.pod(Fixture.pod("web", capture: 0)), .event(e)])
    #expect(s.pods.first?.events.isEmpty == true)
    #expect(s.events.count == 1)
  }

  @Test func latestSnapshotWinsFieldByField() throws {
    var a = Fixture.pod(capture: 0)
    a.phase = "Running"
    a.node = "node-1"
    var web = ContainerSnapshot(name: "web")
    web.restartCount = 1
    web.image = "web:1"
    a.containers = [web]
    var b = Fixture.pod(capture: 60, source: "get.txt")
    b.displayStatus = "CrashLoopBackOff"
    var web2 = ContainerSnapshot(name: "web")
    web2.restartCount = 2
    b.containers = [web2]
    let s = Fixture.correlate([.pod(b), .pod(a)])
    let latest = try #require(s.pods.first?.latest)
    #expect(latest.phase == "Running")
    #expect(latest.node == "node-1")
    #expect(latest.displayStatus == "CrashLoopBackOff")
    #expect(latest.containers.first?.restartCount == 2)
    #expect(latest.containers.first?.image == "web:1")
  }

  @Test func evidenceStaysBoundedForAMillionRepeats() {
    var c = Correlator()
    for i in 0..<20_000 {
      c.add(
        .event(
          Fixture.jsonEvent(
            name: "web-0.a", count: i + 1, first: 0, last: Double(i * 10), source: "watch.json", line: i + 1)))
    }
    let s = c.finish()
    #expect(s.events.count == 1)
    #expect(s.events.first?.count == 20_000)
    #expect(s.events.first?.evidence.map(\.ref.line) == [1, 2, 3, 19_998, 19_999, 20_000])
  }

  @Test func nowIsTheLatestCaptureTime() {
    var c = Correlator()
    c.add(.pod(Fixture.pod(capture: 50)))
    c.note(CaptureTime(date: Fixture.at(80), origin: .fileModificationTime))
    c.add(.pod(Fixture.pod(capture: 10)))
    #expect(c.finish().now == CaptureTime(date: Fixture.at(80), origin: .fileModificationTime))
  }

  @Test func logsGoToTheirPodOrTheNode() throws {
    var podLog = LogRecord(origin: .container, message: "panic: boom", evidence: Fixture.evidence("web.log", 3)[0])
    podLog.namespace = "prod"
    podLog.pod = "web-0"
    podLog.container = "web"
    let nodeLog = LogRecord(origin: .kubelet, message: "node is ready", evidence: Fixture.evidence("kubelet.log", 9)[0])
    let s = Fixture.correlate([.pod(Fixture.pod(capture: 0)), .log(podLog), .log(nodeLog)])
    #expect(s.pods.first?.logs == [podLog])
    #expect(s.state.nodeLogs == [nodeLog])
  }
}

struct CorrelatorNodeTests {
  static func node(_ line: Int, conditions: [PodCondition], taints: [String]) -> NodeSnapshot {
    var n = NodeSnapshot(name: "node-1")
    n.conditions = conditions
    n.taints = taints
    n.evidence = Fixture.evidence("nodes.txt", line)
    return n
  }

  @Test func nodesMergeInSourceOrderWhateverTheArrivalOrder() {
    let a = Self.node(1, conditions: [PodCondition(type: "Ready", status: "True")], taints: ["a"])
    let b = Self.node(30, conditions: [PodCondition(type: "Ready", status: "Unknown")], taints: ["b"])
    let c = Self.node(20, conditions: [PodCondition(type: "Ready", status: "False")], taints: [])
    let one = Fixture.correlate([.node(a), .node(b), .node(c)])
    let two = Fixture.correlate([.node(c), .node(a), .node(b)])
    #expect(one == two)
    #expect(one.state.nodes["node-1"]?.conditions.first?.status == "Unknown")
    #expect(one.state.nodes["node-1"]?.taints == ["a", "b"])
  }
}

/// A pod captured many times keeps its first and last `snapshotsKept` captures, whatever the order
/// the captures arrive in.
@Suite struct SnapshotRetentionTests {
  private func snapshot(_ i: Int) -> PodSnapshot {
    var p = PodSnapshot(name: "web-0", namespace: "default")
    p.capturedAt = CaptureTime(date: Date(timeIntervalSince1970: 1_795_741_200 + Double(i) * 60), origin: .input)
    p.restarts = i
    p.evidence = [Evidence(ref: SourceRef(source: "capture-\(i).txt", line: 1), text: "Name: web-0")]
    return p
  }

  @Test func longSeriesKeepTheirEnds() throws {
    let n = 3 * Correlator.snapshotsKept + 5
    var forward = Correlator()
    var shuffled = Correlator()
    for i in 0..<n { forward.add(.pod(snapshot(i))) }
    var order = Array(0..<n)
    var rng = UInt64(42)
    for i in stride(from: order.count - 1, to: 0, by: -1) {
      rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      order.swapAt(i, Int(rng >> 33) % (i + 1))
    }
    for i in order { shuffled.add(.pod(snapshot(i))) }
    let a = try #require(forward.finish().pods.first)
    let b = try #require(shuffled.finish().pods.first)
    let kept = Array(0..<Correlator.snapshotsKept) + Array((n - Correlator.snapshotsKept)..<n)
    #expect(a.snapshots.map { $0.restarts ?? -1 } == kept)
    #expect(a.snapshots == b.snapshots)
    #expect(a.latest.restarts == n - 1)
  }
}
