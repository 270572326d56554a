import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// The event book's one-object shortcuts (docs/architecture.md "Speed of the EventList path"):
/// a cluster of one unnamed lineage, or of one named lineage alone, is its own object
/// (`EventBook.objects(of:)`), and one
/// object's count and times are its own (`summedCount`, `seen`). Each is held to the code it
/// replaced, kept here whole as the reference, on seeded random clusters: named and unnamed
/// lineages, none, one or several, with and without times, overlapping or apart.
@Suite("one object is merged as the general steps merged it")
struct OneObjectTests {
  /// `EventBook.objects(of:)` as it was, without the shortcuts.
  static func referenceObjects(_ cluster: EventBook.Entry) -> [Lineage] {
    var named = cluster.named.values.sorted(by: EventBook.lineageOrder)
    var unnamed: [Lineage] = []
    for l in cluster.unnamed { unnamed = EventBook.coalesce(unnamed, adding: l) }
    unnamed.sort { ($0.span?.earliest ?? .distantPast) < ($1.span?.earliest ?? .distantPast) }
    var leftover: [Lineage] = []
    var timeless: [Lineage] = []
    for l in unnamed {
      if l.span == nil {
        timeless.append(l)
      } else if !named.isEmpty, let i = overlapIndex(l.span, in: named.map(\.span)) {
        named[i].merge(l)
      } else {
        leftover.append(l)
      }
    }
    var all = named + leftover
    for l in timeless {
      if let i = all.indices.max(by: { (all[$0].span?.latest ?? .distantPast) < (all[$1].span?.latest ?? .distantPast) }
      ) {
        all[i].merge(l)
      } else {
        all.append(l)
      }
    }
    return all
  }

  static func overlapIndex(_ span: TimeRange?, in spans: [TimeRange?]) -> Int? {
    var best: (index: Int, overlap: Double)? = nil
    for (i, s) in spans.enumerated() {
      if let o = Lineage.overlap(span, s), o > (best?.overlap ?? -1) { best = (i, o) }
    }
    return best?.index
  }

  /// `EventBook.summedCount` as it was.
  static func referenceCount(_ objects: [Lineage]) -> Int {
    let sorted = objects.sorted { ($0.span?.earliest ?? .distantPast) < ($1.span?.earliest ?? .distantPast) }
    var total = 0
    var group: (span: TimeRange?, count: Int)? = nil
    for o in sorted {
      if let g = group, g.span != nil, Lineage.overlap(g.span, o.span) != nil {
        group = (Lineage.hull(g.span, o.span), max(g.count, o.count))
      } else {
        total += group?.count ?? 0
        group = (o.span, o.count)
      }
    }
    return total + (group?.count ?? 0)
  }

  @Test("objects, counts and times of random clusters")
  func clusters() {
    var rng = SplitMix64(seed: 16_164)
    var oneUnnamed = 0
    var oneNamed = 0
    for round in 0..<4_000 {
      var entry = EventBook.Entry()
      let lineages = round % 3 == 0 ? 1 : rng.below(5)
      for line in 0..<lineages {
        var event = RandomEvent.event(&rng, names: 2, minutes: 30, line: line + 1, captures: false)
        // Mostly unnamed (a describe's rows), sometimes named (a list's objects).
        if rng.below(3) != 0 { event.eventName = nil }
        entry.add(Lineage(event, message: event.message), kindSpelling: event.involved.kind)
      }
      if entry.named.isEmpty && entry.unnamed.count == 1 { oneUnnamed += 1 }
      if entry.unnamed.isEmpty && entry.named.single != nil { oneNamed += 1 }
      let objects = EventBook.objects(of: entry)
      #expect(objects == Self.referenceObjects(entry))
      #expect(EventBook.summedCount(objects) == Self.referenceCount(objects))
      let seen = EventBook.seen(objects)
      #expect(
        seen.first == objects.compactMap(\.firstSeen).min { ($0.earliest, $0.latest) < ($1.earliest, $1.latest) })
      #expect(seen.last == objects.compactMap(\.lastSeen).max { ($0.latest, $0.earliest) < ($1.latest, $1.earliest) })
    }
    #expect(oneUnnamed > 1_000)
    #expect(oneNamed > 300)
  }
}
