import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct EventBookTests {
  @Test func oneIdentityAsThreeSourcesSpellItIsOneEvent() {
    var book = EventBook()
    book.add(Fixture.describeEvent(fieldPath: nil, count: 4, first: 0, last: 30, capture: 60))
    book.add(Fixture.jsonEvent(name: "web-0.a", count: 4, first: 0, last: 30))
    var row = Fixture.jsonEvent(uid: nil, fieldPath: nil, name: "web-0.a", count: 4, first: 0, last: 30)
    row.involved.kind = "pod"
    row.sourceComponent = "kubelet, node-1"
    row.sourceHost = nil
    book.add(row)
    let merged = book.merged(now: nil)
    #expect(merged.count == 1)
    #expect(merged.first?.involved.kind == "Pod")
    #expect(merged.first?.count == 4)
  }

  @Test func describeObjectsGoToTheUIDWhoseTimesTheyFit() {
    var book = EventBook()
    book.add(Fixture.jsonEvent(uid: "a", name: "web-0.a", count: 2, first: 0, last: 100))
    book.add(Fixture.jsonEvent(uid: "b", name: "web-0.b", count: 6, first: 5000, last: 5100))
    book.add(Fixture.describeEvent(count: 6, first: 5000, last: 5100, capture: 5200, line: 3))
    book.add(Fixture.describeEvent(count: 2, first: 0, last: 100, capture: 200, line: 9))
    let merged = book.merged(now: nil)
    #expect(merged.map(\.involved.uid) == ["a", "b"])
    #expect(merged.map(\.count) == [2, 6])
    #expect(
      merged.map { $0.evidence.map(\.ref.description) } == [
        ["describe.txt:9", "events.json:1"], ["describe.txt:3", "events.json:1"],
      ])
  }

  @Test func timelessObservationsJoinTheCurrentObject() {
    var book = EventBook()
    book.add(Fixture.describeEvent(count: 2, first: 0, last: 100, capture: 200, line: 1))
    book.add(Fixture.describeEvent(count: 3, first: 1000, last: 1100, capture: 1200, line: 2))
    var unknown = Fixture.describeEvent(count: 3, first: 0, last: 0, capture: 0, line: 3)
    unknown.firstSeen = nil
    unknown.lastSeen = nil
    book.add(unknown)
    let merged = book.merged(now: nil)
    #expect(merged.first?.objects == 2)
    #expect(merged.first?.count == 5)
  }

  /// Enough identities to fill several chunks of the entry table and grow its index many times,
  /// each seen twice: one event per identity, whatever the order, as a dictionary gave.
  @Test func thousandsOfIdentitiesInAnyOrderMergeToOneEventEach() {
    let events = (0..<9000).flatMap { n in
      [
        Fixture.jsonEvent(pod: "web-\(n)", name: "web-\(n).a", count: 2, first: Double(n), last: Double(n) + 10),
        Fixture.jsonEvent(pod: "web-\(n)", name: "web-\(n).a", count: 3, first: Double(n), last: Double(n) + 20),
      ]
    }
    var forward = EventBook()
    for e in events { forward.add(e) }
    var backward = EventBook()
    for e in events.reversed() { backward.add(e) }
    let merged = forward.merged(now: nil)
    #expect(merged.count == 9000)
    #expect(merged.allSatisfy { $0.count == 3 && $0.objects == 1 })
    #expect(Set(merged.map(\.involved.name)).count == 9000)
    #expect(merged == backward.merged(now: nil))
    // Draining gives the same events and leaves the book empty.
    var drained = forward
    #expect(drained.drainMerged(now: nil) == merged)
    #expect(drained.merged(now: nil).isEmpty)
    #expect(forward.merged(now: nil) == merged)
  }

  /// An identity seen under several event object names keeps each object apart (`LineageMap`
  /// switching from one inline lineage to its dictionary), in any order.
  @Test func namesAfterTheFirstAreObjectsOfTheirOwn() {
    let events = [
      Fixture.jsonEvent(name: "web-0.a", count: 2, first: 0, last: 100),
      Fixture.jsonEvent(name: "web-0.b", count: 5, first: 1000, last: 1100),
      Fixture.jsonEvent(name: "web-0.a", count: 4, first: 0, last: 200),
      Fixture.jsonEvent(name: "web-0.c", count: 1, first: 5000, last: 5000),
    ]
    for order in [events, events.reversed(), [events[2], events[3], events[0], events[1]]] {
      var book = EventBook()
      for e in order { book.add(e) }
      let merged = book.merged(now: nil)
      #expect(merged.count == 1)
      #expect(merged.first?.objects == 3)
      #expect(merged.first?.count == 10)
    }
  }
}
