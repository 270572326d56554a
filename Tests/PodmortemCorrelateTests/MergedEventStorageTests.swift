import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

/// `MergedEvent` holds its fields in storage its copies share (a pod's events and the history are
/// the same events) and keeps value semantics: a write to a copy never shows in another, and
/// equality, hashing and coding are those of the fields.
struct MergedEventStorageTests {
  static func event(_ message: String = "Liveness probe failed: HTTP probe failed with statuscode: 503")
    -> MergedEvent
  {
    var e = MergedEvent(
      involved: ObjectRef(kind: "Pod", namespace: "prod", name: "web-0", uid: "u1", fieldPath: "spec.containers{web}"),
      type: .warning, reason: "Unhealthy", message: message, sourceComponent: "kubelet", sourceHost: "n1", count: 3,
      firstSeen: TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000)),
      lastSeen: TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_060)), caveats: ["c"],
      evidence: [Evidence(ref: SourceRef(source: "events.json", line: 7), text: "\"message\": \"…\"")])
    e.patternID = "probe.http-status"
    e.captures = [KeyValue("statusCode", "503")]
    return e
  }

  @Test func copiesShareTheirStorageUntilOneIsWritten() {
    let original = Self.event()
    var copy = original
    #expect(copy.sharesStorage(with: original))
    copy.caveats.append("another")
    copy.count += 1
    #expect(!copy.sharesStorage(with: original))
    #expect(original.caveats == ["c"] && original.count == 3)
    #expect(copy.caveats == ["c", "another"] && copy.count == 4)
    #expect(copy != original)
  }

  @Test func aWriteToAnElementOfAnArrayLeavesTheOtherHoldersAlone() {
    let e = Self.event()
    var history = [e, Self.event("other")]
    var podEvents = [history[0]]
    #expect(podEvents[0].sharesStorage(with: history[0]))
    podEvents[0].message = "changed"
    #expect(history[0].message == e.message)
    history[1].reason = "BackOff"
    #expect(history[1].reason == "BackOff" && e.reason == "Unhealthy")
  }

  @Test func equalityAndHashingAreTheFields() {
    let a = Self.event()
    let b = Self.event()
    #expect(!a.sharesStorage(with: b))
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(Set([a, b]).count == 1)
    #expect(a != Self.event("different"))
  }

  @Test func codingKeepsEveryFieldUnderItsName() throws {
    let e = Self.event()
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = try encoder.encode(e)
    let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys.sorted()
    #expect(
      keys == [
        "captures", "caveats", "count", "evidence", "exemplars", "firstSeen", "involved", "lastSeen", "message",
        "objects", "patternID", "reason", "sourceComponent", "sourceHost", "type",
      ])
    #expect(try JSONDecoder().decode(MergedEvent.self, from: data) == e)
  }
}
