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

  /// Numbers of every edge: 0, -1, `Int.min`, `Int.max`, and either side of each field's bits.
  static let edges = [0, 1, 2, -1, -2, Int.min, Int.max, 1 << 10 - 1, 1 << 10, 1 << 12, 1 << 20 - 1, 1 << 20, 1 << 32]

  /// `ShownEvents.packedOrder` (one `UInt128` per event, sorted, docs/architecture.md "Speed of the
  /// EventList path") gives the order of the stable sort by the numbers (kept here: by the
  /// numbers, then by position) or nil, on seeded events whose counts, objects, evidence lines and
  /// string lengths are small, repeated, or at every edge; and with such events the shown pods'
  /// events answer as the set.
  @Test("the packed order is the sort's, and edges answer as the set")
  func packedOrder() {
    var rng = SplitMix64(seed: 16_169)
    var packed = 0
    for round in 0..<600 {
      let events = (0..<rng.below(40)).map { _ in
        var e = Self.event(&rng)
        let hostile = round % 3 == 0
        func number() -> Int { hostile && rng.below(4) == 0 ? Self.edges[rng.below(Self.edges.count)] : rng.below(3) }
        e.count = number()
        e.objects = number()
        if hostile, rng.below(8) == 0 { e.reason = String(repeating: "r", count: 4_095 + rng.below(3)) }
        if hostile, rng.below(6) == 0 {
          e.evidence = [Evidence(ref: SourceRef(source: "f", line: Self.edges[rng.below(Self.edges.count)]), text: "t")]
        }
        return e
      }
      let numbers = events.map(ShownEvents.Numbers.init)
      let reference = numbers.indices.sorted { a, b in numbers[a] != numbers[b] ? numbers[a] < numbers[b] : a < b }
      if let order = ShownEvents.packedOrder(numbers) {
        packed += 1
        #expect(order == reference, "round \(round)")
      }
      let pod = PodHistory(key: PodKey(namespace: "n", name: "p"), snapshots: [], latest: PodSnapshot(name: "p"))
      var pods = [pod, pod]
      pods[0].events = Array(events.prefix(events.count / 2))
      pods[1].events = events.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
      var set = Set<EventKey>()
      for i in [0, 1] { for e in pods[i].events { set.insert(EventKey(e)) } }
      let ofShownPods = ShownEvents(pods, [0, 1])
      for e in events + events.filter({ $0.objects < Int.max }).map({ Self.variant($0, &rng) }) {
        #expect(ofShownPods.contains(e) == set.contains(EventKey(e)), "round \(round)")
      }
    }
    #expect(packed > 300 && packed < 600)
  }
}
