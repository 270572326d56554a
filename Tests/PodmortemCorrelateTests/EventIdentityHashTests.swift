import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `EventIdentity` hashes its name, reason and message only (issue 16, callgrind). A hash must
/// agree with `==`, and a book must find the same entries: on seeded random identities built from
/// hostile pieces (a Kelvin sign and `K`, a dotted capital I, composed and decomposed accents, CR,
/// NUL, tabs, empty and long strings), equal identities hash equal, the distinct identities a `Set`
/// keeps are those a linear scan with `==` keeps (the reference: it asks no hash), and an
/// `EventBook` of events with those identities merges as the book of the same events in another
/// order (the book depends on the set of observations only).
@Suite struct EventIdentityHashTests {
  private static let pieces = [
    "", "web-0", "K", "\u{212A}", "\u{130}", "I", "é", "e\u{301}", "\r", "\u{0}", "\t", "Back-off",
    "Liveness probe failed: ", String(repeating: "x", count: 300), "ns", "kubelet",
  ]

  /// Pieces of which no two spellings are canonically equal: a book keeps the spelling it saw
  /// first, so the order test needs texts whose `==` is byte equality.
  private static let plainPieces = ["", "web-0", "K", "\u{130}", "é", "\r", "\u{0}", "\t", "Back-off", "ns"]

  private static func text(_ rng: inout SplitMix64, from pool: [String] = pieces) -> String {
    var s = ""
    for _ in 0..<Int(rng.next() % 3) { s += pool[Int(rng.next() % UInt64(pool.count))] }
    return s
  }

  private static func optional(_ rng: inout SplitMix64, from pool: [String] = pieces) -> String? {
    rng.next() % 3 == 0 ? nil : text(&rng, from: pool)
  }

  private static func identity(_ rng: inout SplitMix64) -> EventIdentity {
    EventIdentity(
      namespace: optional(&rng), kind: optional(&rng), name: text(&rng), uid: optional(&rng),
      fieldPath: optional(&rng), type: rng.next() % 2 == 0 ? "Normal" : "Warning", reason: text(&rng),
      component: optional(&rng), host: optional(&rng), message: text(&rng),
      pastedAt: rng.next() % 4 == 0 ? SourceRef(source: text(&rng), line: Int(rng.next() % 3)) : nil)
  }

  @Test func equalIdentitiesHashEqualAndASetKeepsWhatTheScanKeeps() {
    var rng = SplitMix64(seed: 0xE1D)
    for round in 0..<200 {
      let identities = (0..<60).map { _ in Self.identity(&rng) }
      // A pool of few pieces gives many equal pairs, canonically equal spellings among them.
      var distinct: [EventIdentity] = []
      for identity in identities where !distinct.contains(where: { $0 == identity }) { distinct.append(identity) }
      #expect(Set(identities).count == distinct.count, "round \(round)")
      for a in identities {
        for b in identities where a == b { #expect(a.hashValue == b.hashValue, "round \(round)") }
      }
    }
  }

  @Test func aBookMergesTheSameWhateverTheOrderOfItsEvents() {
    var rng = SplitMix64(seed: 0xB00C)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    for round in 0..<100 {
      var events: [Event] = []
      for _ in 0..<40 {
        let last = Double(rng.next() % 5) * 60
        let event = Event(
          involved: ObjectRef(
            kind: Self.optional(&rng, from: Self.plainPieces), namespace: Self.optional(&rng, from: Self.plainPieces),
            name: Self.text(&rng, from: Self.plainPieces),
            uid: Self.optional(&rng, from: Self.plainPieces),
            fieldPath: rng.next() % 2 == 0 ? "spec.containers{web}" : nil),
          type: EventType(["Normal", "Warning"][Int(rng.next() % 2)]), reason: Self.text(&rng, from: Self.plainPieces),
          message: Self.text(&rng, from: Self.plainPieces),
          sourceComponent: Self.optional(&rng, from: Self.plainPieces), count: Int(rng.next() % 9) + 1,
          firstSeen: Fixture.exact(last - 10), lastSeen: Fixture.exact(last),
          evidence: Fixture.evidence("events.json", events.count + 1))
        events.append(event)
        if rng.next() % 3 == 0 { events.append(event) }
      }
      var forward = EventBook()
      for event in events { forward.add(event) }
      var backward = EventBook()
      for event in events.reversed() { backward.add(event) }
      #expect(forward.merged(now: now) == backward.merged(now: now), "round \(round)")
    }
  }
}
