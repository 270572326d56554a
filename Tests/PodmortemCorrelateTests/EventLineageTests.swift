import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
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

  /// The sample's lines, now given exactly their room, are what its definition says on seeded
  /// random occurrences: the first and last `keep` distinct occurrences (each its first
  /// `linesPerOccurrence` lines in order), their lines in order, each once.
  @Test func theSampleLinesAreTheFirstAndLastOccurrencesOnRandomInput() {
    var rng = SplitMix64(seed: 1604)
    func order(_ a: Evidence, _ b: Evidence) -> Bool { a.ref != b.ref ? a.ref < b.ref : a.text < b.text }
    for _ in 0..<2_000 {
      var sample = EvidenceSample()
      var occurrences: [[Evidence]] = []
      for _ in 0..<Int.random(in: 0...9, using: &rng) {
        let lines = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
          Evidence(
            ref: SourceRef(source: Bool.random(using: &rng) ? "f" : "g", line: Int.random(in: 1...12, using: &rng)),
            text: Bool.random(using: &rng) ? "a" : "b")
        }
        sample.insert(lines)
        occurrences.append(Array(lines.sorted(by: order).prefix(EvidenceSample.linesPerOccurrence)))
      }
      var distinct: [[Evidence]] = []
      for o in occurrences where !distinct.contains(o) { distinct.append(o) }
      distinct.sort { $0.lexicographicallyPrecedes($1, by: order) }
      let kept = Array(distinct.prefix(EvidenceSample.keep)) + Array(distinct.suffix(EvidenceSample.keep))
      var expected: [Evidence] = []
      for e in kept.flatMap({ $0 }).sorted(by: order) where expected.last != e { expected.append(e) }
      #expect(sample.lines == expected)
      // `EventBook.mergedEvent` takes one object's sample as the merged one: merging it into an
      // empty sample must give it back.
      var merged = EvidenceSample()
      merged.merge(sample)
      #expect(merged == sample)
    }
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

  @Test func oneTimeWithoutACountIsOneOccurrenceAndNarrows() {
    // describe shows `23m` (no `(xN over …)`) for a single occurrence; the JSON of the same
    // events.k8s.io event has an eventTime and neither count nor series (§1.6, §5.2).
    let row = Fixture.describeEvent(
      type: "Normal", reason: "Scheduled", message: "Successfully assigned prod/web-0 to node-1", count: nil,
      first: 100, last: 100, capture: 1500)
    var json = Fixture.jsonEvent(
      type: "Normal", reason: "Scheduled", message: "Successfully assigned prod/web-0 to node-1", name: "web-0.1",
      count: 1, first: 100.25, last: 100.25)
    json.count = nil
    var a = Lineage(row, message: row.message)
    #expect(a.count == 1)
    a.merge(Lineage(json, message: json.message))
    #expect(a.lastSeen == Fixture.exact(100.25))
    #expect(a.firstSeen == Fixture.exact(100.25))
    // Only a last time (`get events` LAST SEEN) stays uncounted.
    var last = row
    last.firstSeen = nil
    #expect(Lineage(last, message: last.message).maxCount == nil)
  }
}
