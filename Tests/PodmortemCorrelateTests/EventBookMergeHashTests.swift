import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// The merge of the two halves' books finds each entry of the second by the hash its table kept,
/// and moves the entry out of its slot (`EntryTable.takeAll`, `EventBook.merge`), where it hashed
/// each identity again and copied the entry (docs/architecture.md "Speed of the EventList path").
/// The reference is that merge, kept here: each entry absorbed through `modify(_:_:)`, which
/// hashes the identity. On seeded books (identities that repeat across the halves, wildcards,
/// hostile messages and reasons: a Kelvin sign and `K`, a dotted capital I, composed and
/// decomposed accents, NUL, CR, tab, empty and long texts), both give the same merged events, by
/// `==` and byte for byte, and the second book is left empty.
@Suite struct EventBookMergeHashTests {
  private static let hostile = [
    "", "K", "\u{212A}", "\u{130}", "é", "e\u{301}", "\r", "\u{0}", "\t", String(repeating: "y", count: 5_000),
  ]

  private static func event(_ rng: inout SplitMix64, line: Int) -> Event {
    var event = RandomEvent.event(&rng, names: 6, minutes: 5, line: line, captures: true)
    if rng.next() % 4 == 0 { event.message += hostile[Int(rng.next() % UInt64(hostile.count))] }
    if rng.next() % 6 == 0 { event.reason += hostile[Int(rng.next() % UInt64(hostile.count))] }
    return event
  }

  /// The merge as it was: every identity hashed again, every entry copied out of its slot.
  private static func referenceMerge(_ book: inout EventBook, _ other: inout EventBook) {
    other.entries.takeAll { identity, _, entry in book.entries.modify(identity) { $0.absorb(entry) } }
  }

  /// The events encoded, keys sorted (a keyed container's order differs from one encoding to the
  /// next; sorted, the bytes are the values' own).
  private static func bytes(_ events: [MergedEvent]) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try encoder.encode(events))
  }

  @Test func theMergeByKeptHashesIsTheMergeByHashing() throws {
    var rng = SplitMix64(seed: 0x4A5E)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    for round in 0..<300 {
      var first = EventBook()
      var second = EventBook()
      for i in 0..<Int(rng.next() % 60) { first.add(Self.event(&rng, line: i + 1)) }
      for i in 0..<Int(rng.next() % 60) { second.add(Self.event(&rng, line: i + 100)) }
      var (a, otherA) = (first, second)
      var (b, otherB) = (first, second)
      a.merge(&otherA)
      Self.referenceMerge(&b, &otherB)
      #expect(otherA.entries.count == 0, "round \(round)")
      let (x, y) = (a.merged(now: now), b.merged(now: now))
      #expect(x == y, "round \(round)")
      #expect(try Self.bytes(x) == Self.bytes(y), "round \(round)")
    }
  }

  @Test func aKeptHashIsTheIdentitysHashValue() {
    var rng = SplitMix64(seed: 0x4A5F)
    for _ in 0..<50 {
      var book = EventBook()
      for i in 0..<40 { book.add(Self.event(&rng, line: i + 1)) }
      book.entries.takeAll { identity, hash, _ in #expect(hash == identity.hashValue) }
    }
  }
}
