import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `EventRowMemo` answers as a direct-mapped table of the latest row held per slot, whose key is
/// compared before anything held is given out (docs/architecture.md "Speed of the describe path"):
/// seeded keys that collide in their slots, differ in one part (era, columns, capture time) and
/// hold rows and non-rows, against a dictionary of the latest key and row per slot.
@Suite struct EventRowMemoTests {
  @Test func answersAsTheLatestRowPerSlot() {
    var rng = SplitMix64(seed: 0x6576_656e_7472_6f77)
    var memo = EventRowMemo()
    var latest: [Int: (key: EventRowMemo.Key, event: Event?)] = [:]
    let captures = [
      CaptureTime(date: Date(timeIntervalSince1970: 1_795_000_000), origin: .flag),
      CaptureTime(date: Date(timeIntervalSince1970: 1_795_000_060), origin: .input),
    ]
    let eras: [DescribeEventsTable.Era] = [.modern, .v17, .v11]
    var hits = 0
    var rows = 0
    for i in 0..<20_000 {
      // Two texts per slot, and most rows under the same table state, so that keys are found.
      let key = EventRowMemo.Key(
        textID: 1 + rng.below(2 * EventRowMemo.slots), era: rng.below(10) == 0 ? eras[rng.below(3)] : .modern,
        fromColumn: rng.below(10) == 0 ? nil : 40, messageColumn: rng.below(10) == 0 ? 41 : 60,
        capture: captures[rng.below(10) == 0 ? 1 : 0])
      let slot = key.textID & (EventRowMemo.slots - 1)
      let expected: Event?? = latest[slot].flatMap { $0.key == key ? .some($0.event) : nil }
      let found = memo.event(key)
      if found != expected {
        Issue.record("row \(i): \(String(describing: found)) for \(String(describing: expected))")
      }
      if found != nil { hits += 1 }
      if found??.reason.isEmpty == false { rows += 1 }
      if rng.below(3) == 0 {
        let event: Event? =
          rng.below(4) == 0
          ? nil
          : Event(
            involved: ObjectRef(name: ""), type: EventType(["Normal", "Warning"][rng.below(2)]), reason: "Reason\(i)",
            message: "message \(rng.below(50))", evidence: [])
        memo.hold(event, key)
        latest[slot] = (key, event)
      }
    }
    #expect(hits > 1_000)
    #expect(rows > 500)
  }
}
