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

  /// The row as `DescribeEventsTable.heldRow` made it from `event(_:)` before the memo made it
  /// (`row(at:owner:evidence:)`): the reference.
  static func referenceRow(_ found: Event??, owner: ObjectRef, evidence: Evidence) -> Event?? {
    guard let held = found else { return nil }
    guard let held else { return .some(nil) }
    var event: Event
    event = held
    let fieldPath = event.involved.fieldPath
    event.involved = owner
    if let fieldPath { event.involved.fieldPath = fieldPath }
    event.evidence = [evidence]
    return .some(event)
  }

  /// A held row made in the memo (`slot(_:)`, `row(at:owner:evidence:)`) is the row `event(_:)`
  /// gave, given the owner and the line as `heldRow` gave them: seeded keys as above, rows with and
  /// without their own field path, owners with and without one, hostile names (a Kelvin sign, a
  /// dotted capital I, a combining accent, NUL, CR, a tab, empty and huge).
  @Test func rowsMadeInTheMemoAreTheRowsItHeld() {
    var rng = SplitMix64(seed: 0x6f77_6e65_6472_6f77)
    var memo = EventRowMemo()
    let capture = CaptureTime(date: Date(timeIntervalSince1970: 1_795_000_000), origin: .flag)
    let names = ["web-0", "\u{212A}", "İ", "e\u{301}", "\u{0}", "\r", "\t", "", String(repeating: "x", count: 10_000)]
    let paths: [String?] = [nil, "spec.containers{web}", "spec.containers{\u{212A}}", ""]
    var made = 0
    for i in 0..<20_000 {
      let key = EventRowMemo.Key(
        textID: 1 + rng.below(2 * EventRowMemo.slots), era: .modern, fromColumn: 40, messageColumn: 60,
        capture: capture)
      var owner = ObjectRef(kind: "Pod", namespace: "default", name: names[rng.below(names.count)])
      owner.fieldPath = paths[rng.below(paths.count)]
      let evidence = Evidence(ref: SourceRef(source: "d.txt", line: i + 1), text: names[rng.below(names.count)])
      let expected = Self.referenceRow(memo.event(key), owner: owner, evidence: evidence)
      let found: Event?? = memo.slot(key).map { memo.row(at: $0, owner: owner, evidence: evidence) }
      if found != expected {
        Issue.record("row \(i): \(String(describing: found)) for \(String(describing: expected))")
      }
      if found??.involved.name == owner.name { made += 1 }
      if rng.below(3) == 0 {
        var involved = ObjectRef(name: "")
        involved.fieldPath = paths[rng.below(paths.count)]
        let event: Event? =
          rng.below(4) == 0
          ? nil
          : Event(
            involved: involved, type: EventType(["Normal", "Warning"][rng.below(2)]),
            reason: names[rng.below(names.count)], message: "message \(rng.below(50))",
            evidence: [Evidence(ref: SourceRef(source: "d.txt", line: 1), text: "old")])
        memo.hold(event, key)
      }
    }
    #expect(made > 1_000, "\(made)")
  }
}
