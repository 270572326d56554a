import Foundation
import PodmortemModel
import Testing

@testable import PodmortemCorrelate

/// kubelet "Event occurred" lines join the event history as occurrences (docs/kubernetes.md §5.1).
@Suite struct KubeletEventLogTests {
  private func line(_ n: Int, second: Int, source: String = "kubelet.log") -> LogRecord {
    var log = LogRecord(
      origin: .kubelet, message: "Event occurred",
      evidence: Evidence(ref: SourceRef(source: source, line: n), text: "I1127 … \"Event occurred\" …"))
    log.patternID = KubeletEventLog.patternID
    log.fields = [
      KeyValue("object", "default/web-0"), KeyValue("fieldPath", "spec.containers{web}"), KeyValue("kind", "Pod"),
      KeyValue("apiVersion", "v1"), KeyValue("type", "Warning"), KeyValue("reason", "Unhealthy"),
      KeyValue("message", "Liveness probe failed: HTTP probe failed with statuscode: 503"),
    ]
    log.time = TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000 + Double(second)))
    log.namespace = "default"
    log.pod = "web-0"
    return log
  }

  /// The lines an identity keeps as evidence are what an `EvidenceSample` given every line keeps,
  /// in any order, with lines given twice and lines of two sources.
  @Test(arguments: [1, 2, 3, 4, 5]) func evidenceIsWhatAnEvidenceSampleKeeps(seed: UInt64) throws {
    var state = seed
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var lines = (1...40).map { line($0, second: $0, source: $0 % 3 == 0 ? "b.log" : "a.log") }
    for _ in 0..<(seed == 1 ? 0 : 15) { lines.swapAt(next(lines.count), next(lines.count)) }
    lines += (0..<8).map { _ in lines[next(lines.count)] }
    var log = KubeletEventLog()
    var reference = EvidenceSample()
    for l in lines {
      let added = log.add(l)
      #expect(added)
      reference.insert([l.evidence])
    }
    let event = try #require(log.events.first?.0)
    #expect(event.evidence == reference.lines)
    #expect(event.evidence.count == 2 * EvidenceSample.keep)
    #expect(event.count == 40)
  }

  @Test func linesBecomeOneEventCountedOncePerLine() throws {
    var c = Correlator()
    for i in 0..<5 { c.add(.log(line(i + 1, second: i * 10))) }
    c.add(.log(line(3, second: 20)))  // the same line again: counted once
    let event = try #require(c.finish().events.first { $0.reason == "Unhealthy" })
    #expect(event.count == 5)
    #expect(event.objects == 1)
    #expect(event.involved.fieldPath == "spec.containers{web}")
    #expect(event.firstSeen?.earliest == Date(timeIntervalSince1970: 1_795_740_000))
    #expect(event.lastSeen?.latest == Date(timeIntervalSince1970: 1_795_740_040))
  }

  @Test func besideTheEventObjectTheSameOccurrencesAreNotCountedTwice() throws {
    var c = Correlator()
    for i in 0..<5 { c.add(.log(line(i + 1, second: i * 10))) }
    c.add(
      .event(
        Event(
          involved: ObjectRef(kind: "Pod", namespace: "default", name: "web-0", fieldPath: "spec.containers{web}"),
          type: .warning, reason: "Unhealthy", message: "Liveness probe failed: HTTP probe failed with statuscode: 503",
          sourceComponent: "kubelet", sourceHost: "node-1", eventName: "web-0.187b", count: 5,
          firstSeen: TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000)),
          lastSeen: TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_040)))))
    let events = c.finish().events.filter { $0.reason == "Unhealthy" }
    #expect(events.count == 1)
    #expect(events.first?.count == 5)
  }
}
