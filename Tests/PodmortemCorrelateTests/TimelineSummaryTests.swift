import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// An event's timeline summaries, now written into strings of their own length
/// (docs/architecture.md "Memory of the EventList and describe paths"), are the text the
/// interpolation they replaced wrote, on seeded random events.
struct TimelineSummaryTests {
  @Test func summariesAreTheInterpolationsText() {
    var rng = SplitMix64(seed: 1603)
    let pieces = ["", "a", "Back-off restarting failed container", "é", "e\u{301}", "\u{1B}[1m", "☃", " ", "\n"]
    func text() -> String {
      (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces[Int.random(in: pieces.indices, using: &rng)] }.joined()
    }
    let types: [EventType] = [.normal, .warning, .other("Custom"), .other("")]
    for _ in 0..<3_000 {
      let count = [0, 1, 2, 17, Int.max][Int.random(in: 0...4, using: &rng)]
      let event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "web-0"),
        type: types[Int.random(in: 0...3, using: &rng)],
        reason: text(), message: text(), count: count,
        firstSeen: Fixture.exact(Double(Int.random(in: 0...2, using: &rng))),
        lastSeen: Fixture.exact(2))
      let what = "\(event.type) \(event.reason): \(event.message)"
      var expected = [event.count > 1 ? "\(what) (x\(event.count))" : what]
      if event.count > 1, event.firstSeen != event.lastSeen {
        expected.insert("\(what) (first of x\(event.count))", at: 0)
      }
      let summaries = Timeline.eventEntries(event).map(\.summary)
      #expect(summaries == expected)
      // `==` on strings is canonical equivalence: the bytes must be the same too.
      #expect(summaries.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
    }
  }
}
