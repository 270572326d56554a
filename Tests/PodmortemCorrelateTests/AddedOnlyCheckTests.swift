import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct AddedOnlyCheckTests {
  static func watched(_ verb: String, count: Int, line: Int, source: String = "watch.json") -> Record {
    .event(
      Fixture.jsonEvent(
        name: "web-0.a", count: count, first: 0, last: Double(line), watchType: verb, source: source, line: line))
  }

  @Test func repeatsWithConstantCountsAreFlagged() {
    let s = Fixture.correlate([
      Self.watched("ADDED", count: 1, line: 1), Self.watched("ADDED", count: 1, line: 20),
      Self.watched("ADDED", count: 1, line: 40),
    ])
    #expect(s.caveats == ["'watch.json' carries only ADDED events: repeats may be missing"])
  }

  @Test func aModifiedEventClearsTheSource() {
    let s = Fixture.correlate([
      Self.watched("ADDED", count: 1, line: 1), Self.watched("ADDED", count: 1, line: 20),
      Self.watched("MODIFIED", count: 2, line: 40),
    ])
    #expect(s.caveats.isEmpty)
  }

  @Test func growingCountsAreNotFlagged() {
    let s = Fixture.correlate([Self.watched("ADDED", count: 1, line: 1), Self.watched("ADDED", count: 2, line: 20)])
    #expect(s.caveats.isEmpty)
  }

  @Test func noRepeatsNoCaveat() {
    let s = Fixture.correlate([Self.watched("ADDED", count: 1, line: 1)])
    #expect(s.caveats.isEmpty)
  }

  @Test func theSameLineTwiceIsNotARepeat() {
    let once = Self.watched("ADDED", count: 1, line: 1)
    #expect(Fixture.correlate([once, once]).caveats.isEmpty)
  }

  @Test func nonWatchSourcesAreNeverFlagged() {
    let s = Fixture.correlate([
      .event(Fixture.jsonEvent(name: "web-0.a", count: 1, first: 0, last: 0, line: 1)),
      .event(Fixture.jsonEvent(name: "web-0.a", count: 1, first: 0, last: 0, line: 9)),
    ])
    #expect(s.caveats.isEmpty)
  }
}
