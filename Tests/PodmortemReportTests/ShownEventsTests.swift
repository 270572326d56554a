import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// `ReportInput.citedEvents` asks whether a history event is one of the shown pods' events through
/// `ShownEvents` (a sorted array of `EventKey`'s numbers, halved) instead of a `Set<EventKey>` of
/// them (docs/architecture.md "Speed after ingest: two cores"). The set is the reference, kept
/// here as the code it replaced: the same answer for every event asked, on seeded random pods whose
/// events are shared with the history, rebuilt equal, rebuilt with an accent spelled the other way
/// (equal by `==`, not by `EventKey`), or other events agreeing on some of the numbers.
@Suite("the shown pods' events answer as the Set<EventKey> they replaced")
struct ShownEventsTests {
  static let words = [
    "a", "b", "", "\u{212A}", "K", "\u{130}", "caf\u{E9}", "cafe\u{301}", "x\r\n", "\0", "\t",
    String(repeating: "z", count: 200),
  ]

  static func event(_ rng: inout SplitMix64) -> MergedEvent {
    func word() -> String { words[rng.below(words.count)] }
    let evidence = (0..<rng.below(3)).map { _ in
      Evidence(ref: SourceRef(source: rng.below(2) == 0 ? "f" : word(), line: rng.below(4) - 1), text: word())
    }
    return MergedEvent(
      involved: ObjectRef(kind: "Pod", namespace: word(), name: word()), type: rng.below(2) == 0 ? .warning : .normal,
      reason: word(), message: word(), count: 1 + rng.below(2), objects: 1 + rng.below(2), evidence: evidence)
  }

  /// `event` built again with the same fields (storage not shared), or with one string spelled
  /// differently: the accent decomposed or composed, or an `objects` changed.
  static func variant(_ e: MergedEvent, _ rng: inout SplitMix64) -> MergedEvent {
    var copy = e
    switch rng.below(4) {
    case 0: copy.count += 0
    case 1: copy.reason = e.reason == "caf\u{E9}" ? "cafe\u{301}" : e.reason == "cafe\u{301}" ? "caf\u{E9}" : e.reason
    case 2: copy.message = e.message == "caf\u{E9}" ? "cafe\u{301}" : e.message + ""
    default: copy.objects += 1
    }
    return copy
  }

  @Test("every event asked gets the set's answer")
  func sameAnswers() {
    var rng = SplitMix64(seed: 16_160)
    var (yes, no) = (0, 0)
    for _ in 0..<400 {
      let history = (0..<rng.below(30)).map { _ in Self.event(&rng) }
      var pods: [PodHistory] = []
      for p in 0..<rng.below(6) {
        var pod = PodHistory(
          key: PodKey(namespace: "n", name: "p\(p)"), snapshots: [], latest: PodSnapshot(name: "p\(p)"))
        for _ in 0..<rng.below(8) {
          switch rng.below(3) {
          case 0 where !history.isEmpty: pod.events.append(history[rng.below(history.count)])
          case 1 where !history.isEmpty: pod.events.append(Self.variant(history[rng.below(history.count)], &rng))
          default: pod.events.append(Self.event(&rng))
          }
        }
        pods.append(pod)
      }
      let shown = pods.indices.filter { _ in rng.below(4) != 0 }
      // The reference: the set `citedEvents` built before.
      var reference = Set<EventKey>()
      for i in shown { for e in pods[i].events { reference.insert(EventKey(e)) } }
      let ofShownPods = ShownEvents(pods, shown)
      let asked = history + history.map { Self.variant($0, &rng) } + pods.flatMap(\.events)
      for e in asked {
        let answer = reference.contains(EventKey(e))
        #expect(ofShownPods.contains(e) == answer)
        if answer { yes += 1 } else { no += 1 }
      }
    }
    #expect(yes > 1_000 && no > 1_000)
  }
}
