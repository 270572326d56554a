import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// An event's identity and lineage built in one step through the synthesized memberwise
/// initializer, and the first unnamed lineage of an identity taken as it is
/// (docs/architecture.md "Speed of the EventList path"), held to the code they replaced:
/// `EventIdentity(bySteps:)` and `Lineage(bySteps:message:)`, which set each field on `self`, and
/// `referenceCoalesce`, the steps `EventBook.coalesce` takes for any list.
@Suite("an identity and a lineage built in one step, and a lone lineage, as the steps before")
struct IdentityInOneStepTests {
  private static let pieces = [
    "", " ", "\t", "\r", "\n", "\0", "K", "\u{212A}", "\u{130}", "i\u{307}", "caf\u{E9}", "cafe\u{301}", "\u{301}",
    ",", ", ", ",\u{301}", "kubelet", "node-1", "kubelet, node-1", "Pod", "pod", "POD", "web-0", "prod",
    "spec.containers{web}: ", "spec.initContainers{init-db}:", "(combined from similar events): ", "Back-off",
    "\(Int.min)", "\(Int.max)", "日本",
  ]

  private static func text(_ rng: inout SplitMix64) -> String {
    var s = ""
    for _ in 0..<rng.below(5) { s += pieces[rng.below(pieces.count)] }
    if rng.below(200) == 0 { s += String(repeating: "x", count: 70_000) + pieces[rng.below(pieces.count)] }
    return s
  }

  private static func optionalText(_ rng: inout SplitMix64) -> String? {
    rng.below(4) == 0 ? nil : text(&rng)
  }

  private static func time(_ rng: inout SplitMix64, _ minutes: Int) -> TimeRange? {
    switch rng.below(5) {
    case 0: return nil
    case 1: return Fixture.aged(Double(rng.below(minutes)) * 60, capturedAt: Double(minutes) * 60)
    default: return Fixture.exact(Double(rng.below(minutes)) * 60)
    }
  }

  /// A hostile event: every string drawn from `pieces`, counts of `Int.min` and `Int.max`, times
  /// equal, apart or missing, names missing, empty or pasted.
  static func event(_ rng: inout SplitMix64, minutes: Int = 6) -> Event {
    let counts: [Int?] = [nil, 0, 1, 2, -1, Int.min, Int.max, 7]
    let first = time(&rng, minutes)
    let last = rng.below(3) == 0 ? first : time(&rng, minutes)
    let name = rng.below(6) == 0 ? "" : text(&rng)
    var event = Event(
      involved: ObjectRef(
        kind: optionalText(&rng), namespace: optionalText(&rng), name: name, uid: optionalText(&rng),
        fieldPath: optionalText(&rng),
        pastedAt: rng.below(3) == 0 ? SourceRef(source: text(&rng), line: [0, 1, Int.max][rng.below(3)]) : nil),
      type: EventType(text(&rng)), reason: text(&rng), message: text(&rng), sourceComponent: optionalText(&rng),
      sourceHost: optionalText(&rng), eventName: optionalText(&rng), count: counts[rng.below(counts.count)],
      firstSeen: first, lastSeen: last, isSeries: rng.below(4) == 0,
      evidence: (0..<rng.below(4)).map { _ in
        Evidence(ref: SourceRef(source: text(&rng), line: [1, 2, 40, Int.max][rng.below(4)]), text: text(&rng))
      })
    if rng.below(5) == 0 { event.evidence = Fixture.evidence("events.json", rng.below(50) + 1) }
    return event
  }

  private static func bytes(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }

  private static func sameBytes(_ a: EventIdentity, _ b: EventIdentity) -> Bool {
    bytes(a.namespace) == bytes(b.namespace) && bytes(a.kind) == bytes(b.kind) && bytes(a.name) == bytes(b.name)
      && bytes(a.uid) == bytes(b.uid) && bytes(a.fieldPath) == bytes(b.fieldPath) && bytes(a.type) == bytes(b.type)
      && bytes(a.reason) == bytes(b.reason) && bytes(a.component) == bytes(b.component)
      && bytes(a.host) == bytes(b.host) && bytes(a.message) == bytes(b.message)
      && a.pastedAt == b.pastedAt && bytes(a.pastedAt?.source) == bytes(b.pastedAt?.source)
  }

  private static func sameBytes(_ a: Lineage, _ b: Lineage) -> Bool {
    a.names.map { Array($0.utf8) } == b.names.map { Array($0.utf8) }
      && bytes(a.latestMessage) == bytes(b.latestMessage)
      && a.evidence.lines.map { Array($0.text.utf8) + [0xFF] + Array($0.ref.source.utf8) }
        == b.evidence.lines.map { Array($0.text.utf8) + [0xFF] + Array($0.ref.source.utf8) }
  }

  @Test("an identity as the one built field by field, on seeded hostile events and the samples' shapes")
  func identityAsBySteps() {
    var rng = SplitMix64(seed: 16_037)
    for round in 0..<20_000 {
      let e = Self.event(&rng)
      let one = EventIdentity(e)
      let steps = EventIdentity(bySteps: e)
      #expect(one == steps, "round \(round)")
      #expect(Self.sameBytes(one, steps), "round \(round)")
      #expect(one.hashValue == steps.hashValue, "round \(round)")
    }
    var plain = SplitMix64(seed: 16_038)
    for line in 0..<2_000 {
      let e = RandomEvent.event(&plain, names: 40, minutes: 30, line: line + 1, captures: true)
      #expect(EventIdentity(e) == EventIdentity(bySteps: e))
      #expect(Self.sameBytes(EventIdentity(e), EventIdentity(bySteps: e)))
    }
  }

  @Test("a lineage as the one built field by field, on seeded hostile events")
  func lineageAsBySteps() {
    var rng = SplitMix64(seed: 16_039)
    for round in 0..<20_000 {
      let e = Self.event(&rng)
      let message = Self.text(&rng)
      let one = Lineage(e, message: message)
      let steps = Lineage(bySteps: e, message: message)
      #expect(one == steps, "round \(round)")
      #expect(Self.sameBytes(one, steps), "round \(round)")
      #expect(one.count == steps.count && one.firstSeen == steps.firstSeen && one.lastSeen == steps.lastSeen)
      // Merged with another, both give the same: the private fields (the latest message's time)
      // are the same too.
      let other = Lineage(Self.event(&rng), message: Self.text(&rng))
      var a = one
      var b = steps
      a.merge(other)
      b.merge(other)
      #expect(a == b && Self.sameBytes(a, b), "round \(round)")
    }
  }

  /// `EventBook.coalesce` as it was, without the answer for an empty list.
  static func referenceCoalesce(_ lineages: [Lineage], adding lineage: Lineage) -> [Lineage] {
    var merged = lineage
    var rest: [Lineage] = []
    rest.reserveCapacity(lineages.count)
    for other in lineages {
      let touches =
        (merged.span == nil && other.span == nil) || Lineage.overlap(merged.span, other.span) != nil
      if touches { merged.merge(other) } else { rest.append(other) }
    }
    if rest.count < lineages.count, rest.contains(where: { Lineage.overlap(merged.span, $0.span) != nil }) {
      return referenceCoalesce(rest, adding: merged)
    }
    rest.append(merged)
    return rest
  }

  @Test("coalescing into no lineage, or into some, as the steps before")
  func coalesceAsTheSteps() {
    var rng = SplitMix64(seed: 16_040)
    for round in 0..<6_000 {
      var list: [Lineage] = []
      for _ in 0..<rng.below(4) {
        var e = Self.event(&rng, minutes: 40)
        e.eventName = nil
        list = EventBook.coalesce(list, adding: Lineage(e, message: Self.text(&rng)))
      }
      var e = Self.event(&rng, minutes: 40)
      e.eventName = nil
      let lineage = Lineage(e, message: Self.text(&rng))
      let new = EventBook.coalesce(list, adding: lineage)
      let old = Self.referenceCoalesce(list, adding: lineage)
      #expect(new == old, "round \(round)")
      #expect(new.count == old.count && zip(new, old).allSatisfy { Self.sameBytes($0, $1) }, "round \(round)")
      if list.isEmpty { #expect(new == [lineage]) }
    }
  }
}
