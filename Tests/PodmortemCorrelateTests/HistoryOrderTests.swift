import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

/// `EventBook.drainMerged` sorts the merged events with their last-seen times read out first
/// (issue 16, perf): on seeded random books, with many events sharing a time so that the identity
/// decides, the history must be in `MergedEvent.historyOrder`, the comparator it stands for.
@Suite struct HistoryOrderTests {
  @Test func theHistoryIsInHistoryOrder() {
    var rng = SplitMix64(seed: 461)
    for round in 0..<60 {
      var book = EventBook()
      for i in 0..<Int(rng.next() % 200) {
        let last = Double(rng.next() % 4) * 60
        let withTime = rng.next() % 8 != 0
        var event = Event(
          involved: ObjectRef(
            kind: ["Pod", "pod", nil][Int(rng.next() % 3)], namespace: ["prod", nil, "dev"][Int(rng.next() % 3)],
            name: "web-\(rng.next() % 5)", uid: rng.next() % 2 == 0 ? "uid-\(rng.next() % 3)" : nil,
            fieldPath: rng.next() % 2 == 0 ? "spec.containers{web}" : nil),
          type: EventType(["Normal", "Warning"][Int(rng.next() % 2)]),
          reason: ["Unhealthy", "BackOff", "Killing"][Int(rng.next() % 3)], message: "m\(rng.next() % 3)",
          sourceComponent: rng.next() % 3 == 0 ? nil : "kubelet", count: Int(rng.next() % 9) + 1,
          firstSeen: withTime ? Fixture.exact(last - Double(rng.next() % 3) * 10) : nil,
          lastSeen: withTime ? Fixture.exact(last) : nil,
          evidence: Fixture.evidence("events.json", i + 1))
        event.eventName = rng.next() % 2 == 0 ? "e\(rng.next() % 4)" : nil
        book.add(event)
      }
      let history = book.merged(now: Fixture.at(600))
      let expected = history.withUnsafeBufferPointer { buffer -> [MergedEvent] in
        guard let base = buffer.baseAddress else { return [] }
        return buffer.indices.sorted { MergedEvent.historyOrder(base + $0, base + $1) }.map { buffer[$0] }
      }
      #expect(history == expected, "round \(round)")
    }
  }
}
