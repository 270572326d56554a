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
