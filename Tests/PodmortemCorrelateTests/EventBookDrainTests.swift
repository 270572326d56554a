import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `EventBook.drainMerged` finds a cluster's candidates by the hash the book's table kept for each
/// entry, in `ClusterBuckets`, and sorts the history with the namespace, kind and name ranked
/// (`EventBook.historyOrder`), where it hashed four strings of each identity into a
/// `Dictionary<Int, (first: Int, last: Int)>` and compared every tie of times with
/// `MergedEvent.identityPrecedes` (docs/architecture.md "Speed of the EventList path"). The drain
/// as it was is kept here whole as the reference; every merged event must be the same, byte for
/// byte, on seeded books with equal and near-equal identities, hostile text and many ties.
@Suite struct EventBookDrainTests {
  /// Hostile pieces: a Kelvin sign beside `K`, a dotted capital I beside `I`, an accent composed
  /// and decomposed, CR, NUL, tabs, empty and long strings, names equal but for their last byte.
  static let pieces = [
    "", "web-0", "web-1", "K", "\u{212A}", "\u{130}", "I", "é", "e\u{301}", "\r", "\u{0}", "\t", "Pod", "pod",
    "Back-off", "Liveness probe failed: ", String(repeating: "x", count: 300), "web-7f9c6d5b4-abcde",
    "web-7f9c6d5b4-abcdf", "(combined from similar events): ",
  ]
  static let asciiPieces = pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }

  static func text(_ rng: inout SplitMix64, ascii: Bool, parts: UInt64 = 3) -> String {
    let pool = ascii ? asciiPieces : pieces
    var s = ""
    for _ in 0..<Int(rng.next() % parts) { s += pool[Int(rng.next() % UInt64(pool.count))] }
    return s
  }

  /// A random event over few names, reasons and messages (so identities repeat, equal and
  /// near-equal, and wildcard ones join clusters), some of hostile text, at few whole minutes
  /// (so that times tie), some without any time.
  static func event(_ rng: inout SplitMix64, ascii: Bool, line: Int) -> Event {
    let hostile = rng.next() % 4 == 0
    func pick(_ plain: [String?]) -> String? {
      hostile && rng.next() % 2 == 0 ? text(&rng, ascii: ascii) : plain[Int(rng.next() % UInt64(plain.count))]
    }
    let last = Double(rng.next() % 4) * 60
    let withTime = rng.next() % 8 != 0
    var event = Event(
      involved: ObjectRef(
        kind: pick(["Pod", "pod", nil]), namespace: pick(["prod", nil, "dev", ""]),
        name: pick(["web-\(rng.next() % 6)", "web-0"]) ?? "", uid: rng.next() % 2 == 0 ? "uid-\(rng.next() % 3)" : nil,
        fieldPath: rng.next() % 2 == 0 ? "spec.containers{web}" : nil),
      type: EventType(["Normal", "Warning"][Int(rng.next() % 2)]),
      reason: pick(["Unhealthy", "BackOff", "Killing"]) ?? "",
      message: pick(["m\(rng.next() % 3)", "(combined from similar events): m\(rng.next() % 2)"]) ?? "",
      sourceComponent: rng.next() % 3 == 0 ? nil : pick(["kubelet", "kubelet, node-1"]),
      count: Int(rng.next() % 9) + 1,
      firstSeen: withTime ? Fixture.exact(last - Double(rng.next() % 3) * 10) : nil,
      lastSeen: withTime ? Fixture.exact(last) : nil,
      evidence: Fixture.evidence("events.json", line))
    event.eventName = rng.next() % 2 == 0 ? "e\(rng.next() % 4)" : nil
    if rng.next() % 3 == 0 {
      event.patternID = ["event.probe", "event.backoff"][Int(rng.next() % 2)]
      event.captures = [KeyValue("code", rng.next() % 5 == 0 ? text(&rng, ascii: ascii) : "\(500 + rng.next() % 4)")]
    }
    return event
  }

  /// Each event's bytes: canonically equal spellings are told apart.
  static func bytes(_ events: [MergedEvent]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(events)
  }

  @Test(arguments: [false, true]) func theDrainIsTheDrainItReplaced(ascii: Bool) throws {
    var rng = SplitMix64(seed: ascii ? 0xD4A1_0A5C : 0xD4A1_0B0C)
    for round in 0..<300 {
      var book = EventBook()
      let size = round % 50 == 0 ? 2_000 + Int(rng.next() % 3_000) : Int(rng.next() % 250)
      for i in 0..<size { book.add(Self.event(&rng, ascii: ascii, line: i + 1)) }
      let now = rng.next() % 2 == 0 ? Fixture.at(600) : nil
      var reference = book
      let expected = reference.referenceDrainMerged(now: now)
      let merged = book.drainMerged(now: now)
      #expect(merged == expected, "round \(round)")
      #expect(try Self.bytes(merged) == Self.bytes(expected), "round \(round)")
    }
  }

  /// Every event of every sample, read as a run reads them, drained both ways.
  @Test func theSamplesDrainAsBefore() throws {
    var total = 0
    for name in try ReleasingFinishTests.cases() {
      var book = EventBook()
      let capture = ReleasingFinishTests.capture
      for event in ReleasingFinishTests.events(ofCase: name) {
        book.add(event)
        total += 1
      }
      var reference = book
      let expected = reference.referenceDrainMerged(now: capture.date)
      let merged = book.drainMerged(now: capture.date)
      #expect(merged == expected, "\(name)")
      #expect(try Self.bytes(merged) == Self.bytes(expected), "\(name)")
    }
    #expect(total > 100)
  }

  /// A merged event straight from its fields, to sort: few names and times, so that ties abound.
  static func merged(_ rng: inout SplitMix64, ascii: Bool) -> MergedEvent {
    func maybe(_ plain: String) -> String? {
      switch rng.next() % 4 {
      case 0: return nil
      case 1: return text(&rng, ascii: ascii)
      default: return plain
      }
    }
    let time = rng.next() % 5 == 0 ? nil : Fixture.exact(Double(rng.next() % 3))
    return MergedEvent(
      involved: ObjectRef(
        kind: maybe(rng.next() % 2 == 0 ? "Pod" : "pod"), namespace: maybe("prod"),
        name: rng.next() % 3 == 0 ? text(&rng, ascii: ascii) : "web-\(rng.next() % 3)", uid: maybe("u"),
        fieldPath: maybe("spec.containers{web}"),
        pastedAt: rng.next() % 6 == 0 ? SourceRef(source: text(&rng, ascii: false), line: Int(rng.next() % 3)) : nil),
      type: EventType(rng.next() % 7 == 0 ? text(&rng, ascii: false) : ["Normal", "Warning"][Int(rng.next() % 2)]),
      reason: rng.next() % 3 == 0 ? text(&rng, ascii: false) : "BackOff", message: text(&rng, ascii: false),
      sourceComponent: maybe("kubelet"), sourceHost: maybe("node-1"), count: Int(rng.next() % 3),
      firstSeen: time.map { _ in Fixture.exact(-Double(rng.next() % 2)) }, lastSeen: time)
  }

  @Test(arguments: [false, true]) func theHistoryIsSortedAsBefore(ascii: Bool) {
    var rng = SplitMix64(seed: ascii ? 0x4157_0A5C : 0x4157_0B0C)
    var ranked = 0
    for round in 0..<400 {
      var events: [MergedEvent] = []
      for _ in 0..<Int(rng.next() % 120) {
        // Runs of one object's events, as the merge gives them, and repeats.
        if let last = events.last, rng.next() % 3 == 0 {
          var next = Self.merged(&rng, ascii: ascii)
          next.involved = rng.next() % 2 == 0 ? last.involved : next.involved
          events.append(rng.next() % 4 == 0 ? last : next)
        } else {
          events.append(Self.merged(&rng, ascii: ascii))
        }
      }
      if EventBook.historyKeys(events) != nil { ranked += 1 }
      #expect(EventBook.historyOrder(events) == EventBook.referenceHistoryOrder(events), "round \(round)")
    }
    // The ranks are used on ASCII names, namespaces and kinds, and not on others.
    #expect(ascii ? ranked == 400 : ranked < 200)
    #expect(EventBook.historyOrder([]) == [])
  }

  /// The clusters by their leaders' positions are the sort of the clusters by those positions.
  @Test func clustersByPositionAreTheSortedClusters() {
    var rng = SplitMix64(seed: 0x9051)
    for round in 0..<300 {
      let positions = Int(rng.next() % 500)
      var leaders = (0..<positions).filter { _ in rng.next() % 3 != 0 }
      leaders.shuffle(using: &rng)
      // Some rounds with a position out of range or repeated, which only the sort orders.
      if round % 10 == 0, !leaders.isEmpty {
        leaders.append(rng.next() % 2 == 0 ? leaders[0] : positions + Int(rng.next() % 3))
      }
      let reference = leaders.indices.sorted { leaders[$0] < leaders[$1] }
      #expect(EventBook.clustersByPosition(leaders, positions: positions) == reference, "round \(round)")
    }
  }

  /// The buckets list the clusters of each hash in the order they began, as the dictionary with
  /// its list beside it did; past the room they were made with they grow.
  @Test func theBucketsAreTheDictionarysBuckets() {
    var rng = SplitMix64(seed: 0xB0C4)
    for round in 0..<300 {
      let count = Int(rng.next() % 400)
      var buckets = ClusterBuckets(capacity: round % 3 == 0 ? Int(rng.next() % 8) : count)
      var reference: [Int: (first: Int, last: Int)] = [:]
      var next: [Int] = []
      // Few hashes, some negative, some equal but for high bits, so that places collide.
      let pool = (0..<1 + Int(rng.next() % 40)).map { i in
        i % 3 == 0 ? Int(bitPattern: UInt(rng.next())) : Int(rng.next() % 64) << (i % 2 == 0 ? 0 : 40)
      }
      for _ in 0..<count {
        let hash = pool[Int(rng.next() % UInt64(pool.count))]
        var listed: [Int] = []
        var c = buckets.first(hash)
        while c >= 0 {
          listed.append(c)
          c = buckets.next(c)
        }
        var expected: [Int] = []
        var e = reference[hash]?.first ?? -1
        while e >= 0 {
          expected.append(e)
          e = next[e]
        }
        #expect(listed == expected, "round \(round)")
        let cluster = buckets.begin(hash)
        #expect(cluster == next.count, "round \(round)")
        next.append(-1)
        if let b = reference[hash] {
          next[b.last] = cluster
          reference[hash] = (b.first, cluster)
        } else {
          reference[hash] = (cluster, cluster)
        }
      }
    }
  }
}

extension EventBook {
  /// The drain as it was: each identity's bucket a hash of its name, type, reason and message,
  /// the buckets a dictionary, and the history sorted with every tie of times compared by
  /// `identityPrecedes`. Kept as the reference for `drainMerged`.
  mutating func referenceDrainMerged(now: Date?) -> [MergedEvent] {
    var (identities, values) = entries.drain()
    let order = EventIdentity.mergeOrder(identities)
    var leaders: [Int] = []
    var buckets: [Int: (first: Int, last: Int)] = [:]
    var next: [Int] = []
    for index in order {
      let key = Self.referenceBucketKey(identities[index])
      var candidates: [Int] = []
      var c = buckets[key]?.first ?? -1
      while c >= 0 {
        if identities[leaders[c]].isCompatible(with: identities[index]) { candidates.append(leaders[c]) }
        c = next[c]
      }
      guard !candidates.isEmpty else {
        let cluster = leaders.count
        leaders.append(index)
        next.append(-1)
        if let b = buckets[key] {
          next[b.last] = cluster
          buckets[key] = (b.first, cluster)
        } else {
          buckets[key] = (cluster, cluster)
        }
        continue
      }
      let entry = values[index]
      values[index] = Entry()
      let identity = identities[index]
      let spans = candidates.map { values[$0].span }
      for lineage in entry.named.values.sorted(by: Self.lineageOrder) + entry.unnamed {
        let target = candidates[Self.bestFit(lineage.span, among: spans)]
        identities[target].fill(from: identity)
        values[target].adoptPattern(of: entry)
        if let s = entry.kindSpelling {
          values[target].kindSpelling = min(values[target].kindSpelling ?? s, s)
        }
        values[target].take(lineage)
      }
    }
    let built = Self.built(identities, &values, leaders: leaders, now: now)
    var events = Self.linkCombined(MessageTemplate.assign(built))
    let times = events.map { $0.lastSeen?.earliest ?? .distantPast }
    let sorted = events.withUnsafeBufferPointer { buffer -> [Int] in
      guard let base = buffer.baseAddress else { return [] }
      return buffer.indices.sorted { a, b in
        times[a] != times[b] ? times[a] < times[b] : MergedEvent.identityPrecedes(base + a, base + b)
      }
    }
    Self.permute(&events, into: sorted)
    return events
  }

  static func referenceBucketKey(_ identity: EventIdentity) -> Int {
    var hasher = Hasher()
    hasher.combine(identity.name)
    hasher.combine(identity.type)
    hasher.combine(identity.reason)
    hasher.combine(identity.message)
    return hasher.finalize()
  }
}
