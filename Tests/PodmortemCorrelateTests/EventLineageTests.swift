import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct EventLineageTests {
  @Test func rangeVotesIntersectWhenTheyAgree() {
    var v = RangeVote(TimeRange(earliest: Fixture.at(0), latest: Fixture.at(60)))
    v.merge(RangeVote(TimeRange(earliest: Fixture.at(30), latest: Fixture.at(90))))
    #expect(v.agreed)
    #expect(v.range == TimeRange(earliest: Fixture.at(30), latest: Fixture.at(60)))
  }

  @Test func rangeVotesKeepTheUnionWhenTheyDisagree() {
    var v = RangeVote(Fixture.exact(0))
    v.merge(RangeVote(Fixture.exact(10)))
    v.merge(RangeVote(Fixture.exact(5)))
    #expect(!v.agreed)
    #expect(v.range == TimeRange(earliest: Fixture.at(0), latest: Fixture.at(10)))
  }

  @Test func theSampleKeepsTheFirstAndLastOccurrences() {
    var sample = EvidenceSample()
    for line in [50, 3, 9, 1, 70, 2, 60, 5] { sample.insert(Fixture.evidence("f", line)) }
    #expect(sample.lines.map(\.ref.line) == [1, 2, 3, 50, 60, 70])
  }

  @Test func lineagesTakeTheLatestCountNotTheSum() {
    var a = Lineage(Fixture.jsonEvent(name: "x", count: 3, first: 0, last: 20), message: "m")
    let b = Lineage(Fixture.jsonEvent(name: "x", count: 7, first: 0, last: 60), message: "m")
    a.merge(b)
    a.merge(b)
    #expect(a.count == 7)
    #expect(a.lastSeen == Fixture.exact(60))
    #expect(a.firstSeen == Fixture.exact(0))
    #expect(!a.contradicts)
  }

  @Test func uncountedObservationsOnlyMoveLastSeenLater() {
    var a = Lineage(Fixture.jsonEvent(name: "x", count: 3, first: 0, last: 20), message: "m")
    var uncounted = Fixture.jsonEvent(name: "x", count: 1, first: 0, last: 10)
    uncounted.count = nil
    a.merge(Lineage(uncounted, message: "m"))
    #expect(a.lastSeen == Fixture.exact(20))
    uncounted.lastSeen = Fixture.exact(90)
    a.merge(Lineage(uncounted, message: "m"))
    #expect(a.lastSeen == Fixture.exact(90))
  }
}
