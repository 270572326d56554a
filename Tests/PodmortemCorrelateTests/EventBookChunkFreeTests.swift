import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// The event book frees its chunks of entries as it goes (docs/architecture.md "Memory of the
/// EventList and describe paths"): the merge of a second half's book takes it chunk by chunk
/// (`EntryTable.takeAll`), and the merged events are built in the order of their entries'
/// positions (`EventBook.built`). On seeded random books, some of several chunks, each must give
/// what the code it replaced gave.
struct EventBookChunkFreeTests {
  /// A random book of `count` events, and its events (to add again elsewhere).
  static func book(_ rng: inout SplitMix64, count: Int, names: Int, firstLine: Int) -> EventBook {
    var book = EventBook()
    for i in 0..<count {
      book.add(RandomEvent.event(&rng, names: names, minutes: 6, line: firstLine + i, captures: true))
    }
    return book
  }

  /// Sizes per round: mostly small, some past one or two chunks of `EntryTable` (4,096 entries).
  static func size(_ rng: inout SplitMix64, round: Int) -> Int {
    round % 10 == 0 ? 4_000 + Int(rng.next() % 6_000) : Int(rng.next() % 300)
  }

  @Test func mergingChunkByChunkIsMergingTheDrainedBook() {
    var rng = SplitMix64(seed: 9_173)
    for round in 0..<40 {
      let names = 1 + Int(rng.next() % 4_000)
      let first = Self.book(&rng, count: Self.size(&rng, round: round), names: names, firstLine: 1)
      let second = Self.book(&rng, count: Self.size(&rng, round: round), names: names, firstLine: 100_000)
      var (new, old) = (first, first)
      var (theirsNew, theirsOld) = (second, second)
      new.merge(&theirsNew)
      old.mergeByDrain(&theirsOld)
      #expect(theirsNew.entries.count == 0, "round \(round)")
      #expect(new.entries.count == old.entries.count, "round \(round)")
      #expect(new.merged(now: Fixture.at(600)) == old.merged(now: Fixture.at(600)), "round \(round)")
    }
  }

  @Test func buildingByPositionIsBuildingByCluster() {
    var rng = SplitMix64(seed: 4_411)
    for round in 0..<40 {
      let names = 1 + Int(rng.next() % 4_000)
      var book = Self.book(&rng, count: Self.size(&rng, round: round), names: names, firstLine: 1)
      let drained = book.entries.drain()
      let identities = drained.identities
      var values = drained.entries
      // Leaders: a random subset of the positions in a random order, as the clustering leaves
      // them; every other entry already taken into its cluster (empty).
      var leaders = identities.indices.filter { _ in rng.next() % 4 != 0 }
      leaders.shuffle(using: &rng)
      let isLeader = Set(leaders)
      for i in identities.indices where !isLeader.contains(i) { values[i] = EventBook.Entry() }
      let now = rng.next() % 2 == 0 ? Fixture.at(600) : nil
      let expected = Self.builtInClusterOrder(identities, values, leaders: leaders, now: now)
      var freed = values
      let built = EventBook.built(identities, &freed, leaders: leaders, now: now)
      #expect(built == expected, "round \(round)")
      #expect(built.map(\.captures) == expected.map(\.captures), "round \(round)")
    }
  }

  /// The build as it was: clusters taken from the end of `leaders`, the list reversed after, and
  /// each identity and entry read by copying it out (`identities[leader]`, `values[leader]`),
  /// the entry then emptied, where `built` reads the identity in place and moves the entry out
  /// (`DrainedEntries.take`): kept as the reference for both.
  static func builtInClusterOrder(
    _ identities: [EventIdentity], _ values: DrainedEntries, leaders: [Int], now: Date?
  ) -> [MergedEvent] {
    var values = values
    var leaders = leaders
    var built: [MergedEvent] = []
    var captureSets = Set<[KeyValue]>()
    while let leader = leaders.popLast() {
      var event = EventBook.mergedEvent(identities[leader], values[leader], now: now)
      values[leader] = EventBook.Entry()
      if !event.captures.isEmpty {
        let (inserted, member) = captureSets.insert(event.captures)
        if !inserted { event.captures = member }
      }
      built.append(event)
    }
    built.reverse()
    return built
  }
}

extension EventBook {
  /// The merge as it was before `EntryTable.takeAll`: the other book drained whole (every chunk
  /// and a flat copy of its identities held to the end), then absorbed entry by entry.
  mutating func mergeByDrain(_ other: inout EventBook) {
    let (identities, drained) = other.entries.drain()
    var values = drained
    for i in identities.indices {
      let entry = values[i]
      values[i] = Entry()
      entries.modify(identities[i]) { $0.absorb(entry) }
    }
  }
}
