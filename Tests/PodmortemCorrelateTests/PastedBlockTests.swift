import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

/// Events of an object the input does not name (an Events table pasted alone) belong to one
/// unnamed pod per pasted block, or to the pod a recognised message of that block names.
struct PastedBlockTests {
  static func unnamed(
    _ reason: String, _ message: String, block: Int, line: Int, captures: [KeyValue] = [], pattern: String? = nil
  ) -> Event {
    var e = Event(
      involved: ObjectRef(name: "", pastedAt: SourceRef(source: "paste.txt", line: block)), type: .warning,
      reason: reason, message: message, sourceComponent: "kubelet", count: 1,
      evidence: [Evidence(ref: SourceRef(source: "paste.txt", line: line), text: message)])
    e.patternID = pattern
    e.captures = captures
    return e
  }

  @Test func eachUnnamedBlockIsItsOwnPod() throws {
    let probe = "Liveness probe failed: HTTP probe failed with statuscode: 503"
    let s = Fixture.correlate([
      .event(Self.unnamed("Unhealthy", probe, block: 1, line: 2)),
      .event(Self.unnamed("Unhealthy", probe, block: 10, line: 11)),
    ])
    // The same message in two blocks stays two events of two pods.
    #expect(s.events.count == 2)
    #expect(s.pods.map(\.key.pastedAt?.line) == [1, 10])
    #expect(s.pods.allSatisfy { $0.key.isUnnamed && $0.events.count == 1 })
    let first = try #require(s.pods.first)
    #expect(first.key.description == "the pasted pod (name not shown) at paste.txt:1")
    #expect(first.key.commandName == "<pod>")
  }

  @Test func aScheduledMessageNamesTheBlocksPod() throws {
    let s = Fixture.correlate([
      .event(
        Self.unnamed(
          "Scheduled", "Successfully assigned shop/api-0 to node-1", block: 1, line: 2,
          captures: [KeyValue("namespace", "shop"), KeyValue("pod", "api-0"), KeyValue("node", "node-1")],
          pattern: "event.scheduled")),
      .event(Self.unnamed("BackOff", "Back-off restarting failed container", block: 1, line: 3)),
      .event(Self.unnamed("BackOff", "Back-off restarting failed container", block: 9, line: 10)),
    ])
    #expect(
      Set(s.pods.map(\.key.description)) == ["shop/api-0", "the pasted pod (name not shown) at paste.txt:9"])
    let named = try #require(s.pods.first { $0.key.name == "api-0" })
    #expect(named.events.map(\.reason).sorted() == ["BackOff", "Scheduled"])
  }

  @Test func aNamedPodsEventsDoNotJoinAnUnnamedBlock() {
    let s = Fixture.correlate([
      .event(Fixture.describeEvent(count: 2, first: -60, last: -10, capture: 0)),
      .event(
        Self.unnamed("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", block: 5, line: 6)),
    ])
    #expect(s.pods.count == 1)
    #expect(s.pods.first?.key.isUnnamed == true)
    #expect(s.pods.first?.events.count == 1)
  }

  @Test func theRecognisedPatternSurvivesTheMerge() throws {
    var e = Self.unnamed("Killing", "Stopping container web", block: 1, line: 2)
    e.patternID = "event.stopping-container"
    e.captures = [KeyValue("container", "web")]
    let s = Fixture.correlate([.event(e), .event(e)])
    let merged = try #require(s.events.first)
    #expect(merged.patternID == "event.stopping-container")
  }

  static func line(_ line: Int, pod: String? = nil, block: Int? = 1, source: String = "paste.txt") -> LogRecord {
    var r = LogRecord(
      origin: .node, message: "Memory cgroup out of memory: Killed process \(line) (java)",
      evidence: Evidence(ref: SourceRef(source: source, line: line), text: "kill \(line)"))
    r.patternID = "node.memcg-oom-kill"
    r.pod = pod
    r.namespace = pod == nil ? nil : "shop"
    r.pastedAt = block.map { SourceRef(source: source, line: $0) }
    return r
  }

  /// A pasted line about a container that names no pod: the block's unnamed pod when nothing in the
  /// source names one, the one pod the source names, or the node's logs when it names several.
  @Test func aPastedLineWithoutAPodGoesWhereTheSourceSays() throws {
    var c = Correlator()
    c.add(.log(Self.line(1)))
    var state = c.finish()
    #expect(state.pods.count == 1 && state.pods[0].key.isUnnamed && state.pods[0].logs.count == 1)

    c = Correlator()
    c.add(.log(Self.line(1)))
    c.add(.log(Self.line(2, pod: "web-0", block: nil)))
    state = c.finish()
    #expect(state.pods.map(\.key.name) == ["web-0"])
    #expect(state.pods[0].logs.count == 2)

    c = Correlator()
    c.add(.log(Self.line(1)))
    c.add(.log(Self.line(2, pod: "web-0", block: nil)))
    c.add(.log(Self.line(3, pod: "web-1", block: nil)))
    state = c.finish()
    #expect(state.pods.map(\.key.name) == ["web-0", "web-1"])
    #expect(state.nodeLogs.map(\.evidence.ref.line) == [1])
  }

  /// A pasted pod the input does not name (a `status:` block below a kubelet excerpt, paste j02):
  /// the one pod the source's log lines name; with two named, it stays the block's own pod.
  @Test func anUnnamedPastedPodIsThePodTheSourceNames() throws {
    var status = PodSnapshot(name: "")
    status.phase = "Failed"
    status.pastedAt = SourceRef(source: "paste.txt", line: 6)
    status.evidence = [Evidence(ref: SourceRef(source: "paste.txt", line: 6), text: "status:")]
    for order in [true, false] {
      var c = Correlator()
      let records: [Record] = [.pod(status), .log(Self.line(2, pod: "istiod-0", block: nil))]
      for r in order ? records : records.reversed() { c.add(r) }
      let state = c.finish()
      #expect(state.pods.map(\.key.description) == ["shop/istiod-0"])
      #expect(state.pods.first?.latest.phase == "Failed" && state.pods.first?.logs.count == 1)
    }
    var c = Correlator()
    c.add(.pod(status))
    c.add(.log(Self.line(2, pod: "istiod-0", block: nil)))
    c.add(.log(Self.line(3, pod: "istiod-1", block: nil)))
    let state = c.finish()
    #expect(
      Set(state.pods.map(\.key.description)) == [
        "shop/istiod-0", "shop/istiod-1", "the pasted pod (name not shown) at paste.txt:6",
      ])
  }
}
