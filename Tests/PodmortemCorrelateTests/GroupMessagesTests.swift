import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `MessageTemplate.assign` keeps a template group's messages as an array while they are known
/// distinct, where it inserted each into a `Set<String>` (docs/architecture.md "Speed of the
/// EventList path"); the code before it (`FinishShortcutTests.assignedBefore`) is the reference.
@Suite("a template group's messages kept as an array give the exemplars the set gave")
struct GroupMessagesTests {
  @Test("assign as before, with types and reasons in two spellings and huge and empty messages")
  func assignAsBefore() {
    var rng = SplitMix64(seed: 2_920)
    let messages = [
      "Liveness probe failed: HTTP probe failed with statuscode: 503",
      "Liveness probe failed: HTTP probe failed with statuscode: 500",
      "Readiness probe failed: Get \"http://10.244.32.204:8080/ready\": context deadline exceeded",
      "Readiness probe failed: Get \"http://10.244.71.216:8080/ready\": context deadline exceeded",
      "pulled image app:12 in 30ms", "pulled image app:13 in 31ms", "", "\0", "a\r", "\t",
      "e\u{301}", "\u{E9}", "\u{212A} 12", "K 12", "\u{130} 7", "I 7", "id abcdef12e\u{301} gone",
      "id abcdef12\u{E9} gone",
      String(repeating: "x", count: 20_000) + " 1", String(repeating: "x", count: 20_000) + " 2",
      EventIdentity.combinedPrefix + "Started container web",
    ]
    // Reasons and types equal by `==` in other bytes: one group, two spellings met apart.
    let reasons = ["Unhealthy", "Pulled", "\u{212A}ill", "Kill", "caf\u{E9}", "cafe\u{301}", ""]
    let types: [EventType] = [.warning, .normal, .other("\u{212A}"), .other("K"), .other("")]
    var templated = 0
    for round in 0..<300 {
      let events = (0..<rng.below(round % 50 == 0 ? 400 : 40)).map { _ in
        MergedEvent(
          involved: ObjectRef(kind: "Pod", namespace: "prod", name: "p\(rng.below(5))"),
          type: types[rng.below(types.count)], reason: reasons[rng.below(reasons.count)],
          message: messages[rng.below(messages.count)], count: 1)
      }
      let before = FinishShortcutTests.assignedBefore(events)
      let now = MessageTemplate.assign(events)
      #expect(now.map(\.template) == before.map(\.template), "round \(round)")
      #expect(now.map(\.exemplars) == before.map(\.exemplars), "round \(round)")
      #expect(
        now.map { $0.exemplars.map { Array($0.utf8) } } == before.map { $0.exemplars.map { Array($0.utf8) } },
        "round \(round)")
      #expect(now == before, "round \(round)")
      templated += now.filter { $0.template != nil }.count
    }
    #expect(templated > 300)
  }
}
