import Foundation
import PodmortemModel
import PodmortemText

/// Every event seen so far, merged as it arrives: one entry per distinct identity as a source
/// spelled it, one lineage per event object inside it. Memory grows with identities and objects,
/// not with the number of records (docs/architecture.md "What must hold").
///
/// Resolution across sources (wildcard fields, objects told apart by name or time) happens in
/// `merged(now:)`, on the whole book in a fixed order, so the result depends only on the set of
/// observations: not on their order, and not on an observation arriving twice.
package struct EventBook: Sendable {
  /// The observations of one identity as one source spelled it.
  struct Entry: Sendable {
    /// The kind as a source spelled it (`Pod` beats `pod`: upper case sorts first).
    var kindSpelling: String?
    /// Lineages with an event object name, by name.
    var named = LineageMap()
    /// Lineages without a name, kept disjoint in time: an observation whose range overlaps one
    /// already here is the same object seen again.
    var unnamed: [Lineage] = []
    /// The event pattern the message matched in Ingest (one message, one pattern) and what it
    /// captured: one message per identity, so one set of captures, except for a combined identity
    /// (`(combined from similar events): …`), whose messages differ: its captures are kept per message.
    var patternID: String?
    var captures: [KeyValue] = []
    var capturesByMessage: [String: [KeyValue]] = [:]

    mutating func add(_ lineage: Lineage, kindSpelling spelling: String?) {
      if let spelling { kindSpelling = min(kindSpelling ?? spelling, spelling) }
      if let name = lineage.names.first {
        named.merge(lineage, as: name)
      } else {
        unnamed = EventBook.coalesce(unnamed, adding: lineage)
      }
    }

    /// Takes the pattern of `entry` when this one has none (resolution: an entry that begins a
    /// cluster takes the lineages of compatible ones).
    mutating func adoptPattern(of entry: Entry) {
      guard patternID == nil, entry.patternID != nil else { return }
      patternID = entry.patternID
      captures = entry.captures
      capturesByMessage = entry.capturesByMessage
    }

    var span: TimeRange? {
      (named.values + unnamed).reduce(nil) { Lineage.hull($0, $1.span) }
    }

    /// Takes one lineage of another entry into this cluster (unnamed ones are joined later, in
    /// `objects(of:)`).
    mutating func take(_ lineage: Lineage) {
      if let name = lineage.names.first {
        named.merge(lineage, as: name)
      } else {
        unnamed.append(lineage)
      }
    }

    /// Adds one observation of an event whose message matched pattern `id` with `eventCaptures`,
    /// and keeps the smallest pattern id seen with its captures. Given the event's two fields, not
    /// the event: the closure that calls this (`EventBook.add`) held a copy of the whole event,
    /// every string of it retained, per event (issue 16, perf).
    mutating func add(
      _ lineage: Lineage, kindSpelling spelling: String?, patternID id: String?, captures eventCaptures: [KeyValue],
      isCombined: Bool, message: String
    ) {
      add(lineage, kindSpelling: spelling)
      if let id, patternID.map({ id < $0 }) ?? true {
        patternID = id
        captures = eventCaptures
      }
      if isCombined, id != nil, id == patternID {
        capturesByMessage[message] = eventCaptures
      }
    }
  }

  /// The entries, in insertion order, behind an index of their identities (`EntryTable`).
  var entries = EntryTable()

  package init() {}

  package mutating func add(_ event: Event) { add(event, identity: EventIdentity(event)) }

  /// Adds `event` whose identity the caller already computed. The identity is taken: a new
  /// entry's is moved into the table, where a borrowed one was copied into it (every string
  /// retained) and the caller's then released (docs/architecture.md "Speed of the EventList path").
  package mutating func add(_ event: Event, identity: consuming EventIdentity) {
    // Only a combined event's message needs trimming here: the identity holds every other one trimmed.
    let cleanMessage =
      identity.isCombined ? event.message.trimmingCharacters(in: .whitespacesAndNewlines) : identity.message
    let lineage = Lineage(event, message: cleanMessage)
    let spelling = event.involved.kind.flatMap { $0.isEmpty ? nil : $0 }
    // Mutated in place with one lookup: a copy taken out of the dictionary would copy its
    // lineages on every add, and each lookup hashes every field of the identity.
    let patternID = event.patternID
    let captures = event.captures
    let isCombined = identity.isCombined
    entries.modify(taking: identity) {
      $0.add(
        lineage, kindSpelling: spelling, patternID: patternID, captures: captures, isCombined: isCombined,
        message: cleanMessage)
    }
  }

  /// Adds `lineage` to disjoint `lineages`, merging every one whose span it overlaps.
  ///
  /// Timeless lineages only merge with each other. The result is the connected components of
  /// the overlap relation, whatever the order of insertion.
  static func coalesce(_ lineages: [Lineage], adding lineage: Lineage) -> [Lineage] {
    // Nothing to merge with (the first unnamed observation of an identity, nearly every event of a
    // describe): the steps below give `[lineage]`, through a copy of it, an array reserved and an
    // append (docs/architecture.md "Speed of the EventList path"; `IdentityInOneStepTests`).
    guard !lineages.isEmpty else { return [lineage] }
    var merged = lineage
    var rest: [Lineage] = []
    rest.reserveCapacity(lineages.count)
    for other in lineages {
      let touches =
        (merged.span == nil && other.span == nil) || Lineage.overlap(merged.span, other.span) != nil
      if touches { merged.merge(other) } else { rest.append(other) }
    }
    // Merging widened the span: it may now reach lineages it did not before.
    if rest.count < lineages.count, rest.contains(where: { Lineage.overlap(merged.span, $0.span) != nil }) {
      return coalesce(rest, adding: merged)
    }
    rest.append(merged)
    return rest
  }

  /// Resolves wildcards and objects and returns one merged event per identity, sorted.
  ///
  /// - `now`: the latest capture time, to decide whether a series count may still lag (§5.2).
  package func merged(now: Date?) -> [MergedEvent] {
    var book = self
    return book.drainMerged(now: now)
  }

  /// `merged(now:)` that empties the book as it goes: each stage's input is released once the
  /// next is built (the observations once they are clusters, each cluster once it is an event),
  /// so a run's peak holds one copy of its events, not the book beside them.
  package mutating func drainMerged(now: Date?) -> [MergedEvent] {
    // Sorted once by (more known fields first, identity): each entry's count is taken once, not
    // in every comparison, and indices are sorted, not the identities and entries themselves
    // (moving those retains every string they hold).
    var (identities, values) = entries.drain()
    // The namespace, kind and name compared as ranks (`EventIdentity.mergeOrder`).
    let order = EventIdentity.mergeOrder(identities)
    // A cluster (one identity after wildcard resolution, with every lineage that belongs to it)
    // is the entry that began it, grown in place: the entries are not copied into clusters, which
    // held every entry twice at the run's peak (docs/architecture.md "What must hold").
    var leaders: [Int] = []
    leaders.reserveCapacity(values.count)
    // Compatible identities share name, type, reason and message (`isCompatible`): only clusters
    // whose leaders' hash is the same need the full check, which keeps this linear in the number
    // of events. The hash is the one the book's table keeps for each entry (`EntryTable`: of the
    // name, reason and message, which compatible identities share), read where it lies: hashing
    // the four strings again cost 7.0M instructions of String.hash for 6,648 events and the
    // buckets' dictionary 5.4M (docs/architecture.md "Speed of the EventList path").
    var buckets = ClusterBuckets(capacity: values.count)
    for index in order {
      let key = values.hash(index)
      var candidates: [Int] = []
      var c = buckets.first(key)
      while c >= 0 {
        if identities[leaders[c]].isCompatible(with: identities[index]) { candidates.append(leaders[c]) }
        c = buckets.next(c)
      }
      guard !candidates.isEmpty else {
        _ = buckets.begin(key)
        leaders.append(index)
        continue
      }
      // A less specific identity (describe: no uid) may stand for several more specific ones (a pod
      // recreated under the same name): each of its objects goes to the one its times fit.
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
    buckets = ClusterBuckets(capacity: 0)
    let built = Self.built(identities, &values, leaders: leaders, now: now)
    leaders = []
    values = DrainedEntries()
    identities = []
    var events = Self.linkCombined(MessageTemplate.assign(consume built))
    // Indices sorted, the events then moved into that order in place: sorting the events
    // themselves copied each (every string it holds retained) at every move, and taking them into
    // a second array held every event twice.
    let sorted = Self.historyOrder(events)
    Self.permute(&events, into: sorted)
    return events
  }

  /// The positions of `events` in history order (`MergedEvent.historyOrder`: oldest last-seen
  /// first, then the identity). The last-seen times are read out first, so a comparison reads two
  /// of them from one array instead of two events' storage (issue 16, perf). Events that share a
  /// time (a describe's ages, an event list's whole seconds) went to `identityPrecedes`, which
  /// reads each field through the event's storage (a dynamic exclusivity check a read, seven a
  /// comparison) and compares strings: 17.6M instructions for 23,365 ties on the 8 MiB EventList,
  /// 14.4M for 13,720 on 1,000 describes. The namespace, the kind (lower-cased) and the name,
  /// which it compares first, are given ranks once (`historyKeys`), as `EventIdentity.mergeOrder`
  /// ranks an identity's: a tie of times is decided by the ranks when they differ, and goes on to
  /// `identityPrecedes` when they are equal, so each comparison answers as `historyOrder` does and
  /// the stable sort gives the same order. Without ranks (a value not ASCII, or more events than
  /// ranks fit) the events are sorted as before (`referenceHistoryOrder`); `HistoryOrderTests`
  /// holds the two to each other.
  static func historyOrder(_ events: [MergedEvent]) -> [Int] {
    guard let keys = historyKeys(events) else { return referenceHistoryOrder(events) }
    let times = events.map { $0.lastSeen?.earliest ?? .distantPast }
    return events.withUnsafeBufferPointer { buffer -> [Int] in
      guard let base = buffer.baseAddress else { return [] }
      return times.withUnsafeBufferPointer { times in
        keys.withUnsafeBufferPointer { keys in
          buffer.indices.sorted { a, b in
            if times[a] != times[b] { return times[a] < times[b] }
            if keys[a] != keys[b] { return keys[a] < keys[b] }
            return MergedEvent.identityPrecedes(base + a, base + b)
          }
        }
      }
    }
  }

  /// The history's sort as it was, and what `historyOrder` falls back to: the times read out,
  /// every tie compared by `identityPrecedes`.
  static func referenceHistoryOrder(_ events: [MergedEvent]) -> [Int] {
    let times = events.map { $0.lastSeen?.earliest ?? .distantPast }
    return events.withUnsafeBufferPointer { buffer -> [Int] in
      guard let base = buffer.baseAddress else { return [] }
      return buffer.indices.sorted { a, b in
        times[a] != times[b] ? times[a] < times[b] : MergedEvent.identityPrecedes(base + a, base + b)
      }
    }
  }

  /// For each event, one word holding the ranks of its namespace (a missing one as empty), its
  /// kind lower-cased (a missing one as empty) and its name, twenty bits each, in the order
  /// `identityPrecedes` compares them: ranks that differ order two events as those three steps
  /// do, and equal ranks are equal strings (`EventIdentity.addRanks`). Nil when a value is not
  /// ASCII (every value is looked at, not only the first of a run: a Kelvin sign is `==` to `K`),
  /// where `String`'s order is not the bytes' and the ranks are not used, or when there are more
  /// events than ranks fit.
  static func historyKeys(_ events: [MergedEvent]) -> [UInt64]? {
    let count = events.count
    guard count < EventIdentity.rankLimit else { return nil }
    var namespaces: [String] = []
    var kinds: [String] = []
    var names: [String] = []
    namespaces.reserveCapacity(count)
    kinds.reserveCapacity(count)
    names.reserveCapacity(count)
    // The kind of the event before and its lower-cased form: an object's events come in a row.
    var lastKind = ""
    var lastLowered = ""
    for i in 0..<count {
      let involved = events[i].involved
      let namespace = involved.namespace ?? ""
      let kind = involved.kind ?? ""
      guard ASCIISearch.isContiguousASCII(namespace), ASCIISearch.isContiguousASCII(kind),
        ASCIISearch.isContiguousASCII(involved.name)
      else { return nil }
      if kind != lastKind {
        lastKind = kind
        lastLowered = kind.lowercased()
      }
      namespaces.append(namespace)
      kinds.append(lastLowered)
      names.append(involved.name)
    }
    var keys = [UInt64](repeating: 0, count: count)
    let ranked = keys.withUnsafeMutableBufferPointer { keys in
      EventIdentity.addRanks(count, shift: 40, into: keys) { namespaces[$0] }
        && EventIdentity.addRanks(count, shift: 20, into: keys) { kinds[$0] }
        && EventIdentity.addRanks(count, shift: 0, into: keys) { names[$0] }
    }
    return ranked ? keys : nil
  }

  /// The event of each cluster, in the order of `leaders` (the position of the entry that began
  /// each cluster; every other entry of `values` is already empty). The events are built in the
  /// order of those positions, each into its cluster's place, so every chunk of entries is freed
  /// once the events it began are built: built in the clusters' order, which is not the
  /// positions', every chunk stayed allocated, each cluster emptied but its room kept, until the
  /// last event was built, beside all of them (docs/architecture.md "Memory of the EventList and
  /// describe paths"). `values` is left with every chunk below the last leader freed.
  static func built(
    _ identities: [EventIdentity], _ values: inout DrainedEntries, leaders: [Int], now: Date?
  ) -> [MergedEvent] {
    let byPosition = Self.clustersByPosition(leaders, positions: values.count)
    var events = [MergedEvent?](repeating: nil, count: leaders.count)
    // Events whose patterns captured the same values (every `Liveness probe failed: … 503`) share
    // one array of captures instead of holding a copy each.
    var captureSets = Set<SharedCaptures>()
    // Room for one array per cluster from the start: grown by doubling, the set hashed every
    // array it held again at each of its eleven growths on the 8 MiB EventList (5.6M instructions
    // of 14.4M). Which array of each class of equal ones is kept does not depend on the room.
    captureSets.reserveCapacity(leaders.count)
    // The identity is read where it lies and the entry moved out (`DrainedEntries.take`): reading
    // each (`identities[leader]`, `values[leader]`) copied it, every string and lineage retained,
    // and released them again once the entry was emptied (docs/architecture.md "Speed of the
    // EventList path"; `EventBookChunkFreeTests` keeps the copying build as its reference).
    identities.withUnsafeBufferPointer { identities in
      for cluster in byPosition {
        let leader = leaders[cluster]
        values.free(below: leader)
        let entry = values.take(leader)
        var event = Self.mergedEvent(identities.baseAddress.unsafelyUnwrapped + leader, entry, now: now)
        if !event.captures.isEmpty {
          let (inserted, member) = captureSets.insert(SharedCaptures(captures: event.captures))
          if !inserted { event.captures = member.captures }
        }
        events[cluster] = event
      }
    }
    return events.compactMap { $0 }
  }

  /// The clusters in the order of their leaders' positions: `leaders.indices.sorted { leaders[$0]
  /// < leaders[$1] }`, which one pass gives, the positions being distinct and below `positions`
  /// (each cluster noted at its leader's position, the positions then read in order). The sort
  /// compared through a closure, 2.6M instructions for 6,648 clusters of the 8 MiB EventList
  /// (`EventBookChunkFreeTests` holds `built` to the build in the clusters' order).
  static func clustersByPosition(_ leaders: [Int], positions: Int) -> [Int] {
    // A position out of range (never met: every leader is an entry's position) or repeated would
    // not be one order: the sort gives it.
    var clusterAt = [Int](repeating: -1, count: positions)
    for (cluster, leader) in leaders.enumerated() {
      guard leader >= 0, leader < positions, clusterAt[leader] < 0 else {
        return leaders.indices.sorted { leaders[$0] < leaders[$1] }
      }
      clusterAt[leader] = cluster
    }
    var order: [Int] = []
    order.reserveCapacity(leaders.count)
    for cluster in clusterAt where cluster >= 0 { order.append(cluster) }
    return order
  }

  /// A merged event's captures as `built` shares them: equal as the arrays are (`==`, every key and
  /// value), hashed on the count and the values only. Hashing every key and value
  /// (`Set<[KeyValue]>`) was a quarter of `built` on an event list (17.4M instructions for 6,648
  /// events, callgrind), and a pattern's captures have the same keys, so the keys tell few arrays
  /// apart. Equal arrays still hash equal (equal values, as `String` hashes them), and the set
  /// keeps the same first member of each class of equal arrays, so the shared arrays are the
  /// ones `Set<[KeyValue]>` gave (`MergeOrderTests` holds the two to each other).
  ///
  /// Both read the pairs where they lie: `for capture in captures` copied each pair (its key and
  /// value retained, then released), and the arrays' `==` compared the pairs through `Equatable`'s
  /// witness; 1.9M instructions of the set's 8.0M on the 8 MiB EventList. The comparison is the
  /// arrays' `==` (`Array.==`: the counts, the same storage, then each pair's key and value as
  /// `KeyValue.==` compares them, docs/architecture.md "Speed of the EventList path";
  /// `SharedCapturesTests` holds it to the arrays' `==`).
  struct SharedCaptures: Hashable {
    var captures: [KeyValue]

    static func == (a: SharedCaptures, b: SharedCaptures) -> Bool {
      a.captures.withUnsafeBufferPointer { x in
        b.captures.withUnsafeBufferPointer { y in
          guard x.count == y.count else { return false }
          if x.baseAddress == y.baseAddress { return true }
          for i in x.indices where x[i].key != y[i].key || x[i].value != y[i].value { return false }
          return true
        }
      }
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(captures.count)
      captures.withUnsafeBufferPointer { pairs in
        for i in pairs.indices { hasher.combine(pairs[i].value) }
      }
    }
  }

  /// Reorders `items` so that position `k` holds what was at `order[k]` (`order` a permutation
  /// of the indices), by moves along each cycle: no second array, and no item copied. The first
  /// item of a cycle is held aside, each position then takes the item it is given, and the last
  /// the one held. `swapAt` copied both items it swapped and destroyed the old values (every
  /// string a pod's history holds retained and released, 1,700 instructions a swap on an
  /// EventList's histories, callgrind), where a move is their bytes (docs/architecture.md "Speed
  /// of the EventList path"; `PermuteTests` holds it to the items taken into a new array).
  static func permute<T>(_ items: inout [T], into order: [Int]) {
    precondition(order.count == items.count, "a permutation of the items' positions")
    var done = [Bool](repeating: false, count: order.count)
    items.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      for start in order.indices where !done[start] {
        let held = (base + start).move()
        var k = start
        while true {
          done[k] = true
          let next = order[k]
          if next == start {
            (base + k).initialize(to: held)
            break
          }
          (base + k).moveInitialize(from: base + next, count: 1)
          k = next
        }
      }
    }
  }

  /// The index of the span that fits `span` best: the largest overlap; else the latest one that
  /// started before it; else the first.
  static func bestFit(_ span: TimeRange?, among spans: [TimeRange?]) -> Int {
    var best: (index: Int, overlap: Double)? = nil
    for (i, s) in spans.enumerated() {
      if let o = Lineage.overlap(span, s), o > (best?.overlap ?? -1) { best = (i, o) }
    }
    if let best { return best.index }
    guard let start = span?.earliest else { return 0 }
    var before: (index: Int, start: Date)? = nil
    for (i, s) in spans.enumerated() {
      if let e = s?.earliest, e <= start, e > (before?.start ?? .distantPast) { before = (i, e) }
    }
    return before?.index ?? 0
  }

  static func lineageOrder(_ a: Lineage, _ b: Lineage) -> Bool {
    (a.names.first ?? "", a.span?.earliest ?? .distantPast) < (b.names.first ?? "", b.span?.earliest ?? .distantPast)
  }

  /// The event objects of one cluster: named lineages by name; unnamed ones joined to the named
  /// object their times overlap most, or kept as objects of their own.
  static func objects(of cluster: Entry) -> [Lineage] {
    // One unnamed lineage and no named one (nearly every event of a describe: an Events row
    // names no event object): the steps below keep it, unchanged, as the only object. They
    // coalesced it alone, sorted one element and sent it to the leftovers or the timeless, which
    // join an empty list as it: 3,600 instructions an event (`OneObjectTests`).
    if cluster.named.isEmpty && cluster.unnamed.count == 1 { return cluster.unnamed }
    // One named lineage and no unnamed one (nearly every cluster of an event list): the steps
    // below return it alone, through an array of the map's values and a sort of one element, two
    // arrays built an event (issue 16, callgrind).
    if cluster.unnamed.isEmpty, let only = cluster.named.single { return [only] }
    var named = cluster.named.values.sorted(by: lineageOrder)
    // No unnamed lineage (nearly every cluster of an event list): nothing is joined, the named
    // ones are the objects, as the steps below would give them.
    if cluster.unnamed.isEmpty { return named }
    var unnamed: [Lineage] = []
    for l in cluster.unnamed { unnamed = coalesce(unnamed, adding: l) }
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
    // An observation without any time (a describe row aged `<unknown>`) is most likely the current object.
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

  private static func overlapIndex(_ span: TimeRange?, in spans: [TimeRange?]) -> Int? {
    var best: (index: Int, overlap: Double)? = nil
    for (i, s) in spans.enumerated() {
      if let o = Lineage.overlap(span, s), o > (best?.overlap ?? -1) { best = (i, o) }
    }
    return best?.index
  }

  /// How long a series count and last-observed time may lag behind reality (§5.2): the refresh
  /// period plus the idle time after which the series is finished.
  static let seriesLag: TimeInterval = 36 * 60

  /// The event of one cluster: `id`, the identity that began it, filled from the ones it took.
  static func mergedEvent(_ id: EventIdentity, _ cluster: Entry, now: Date?) -> MergedEvent {
    withUnsafePointer(to: id) { mergedEvent($0, cluster, now: now) }
  }

  /// `mergedEvent` with the identity read where it lies: `built` passed it by value, a copy of
  /// its eleven strings (retained, then released) per event, 3.6M instructions on the 8 MiB
  /// EventList (docs/architecture.md "Speed of the EventList path").
  static func mergedEvent(_ id: UnsafePointer<EventIdentity>, _ cluster: Entry, now: Date?) -> MergedEvent {
    let objects = objects(of: cluster)
    let (firstSeen, lastSeen) = seen(objects)
    // One object (nearly every event): its sample is the merged one, as merging it into an empty
    // sample gives it back (`EvidenceSample.merge`).
    var evidence = objects.count == 1 ? objects[0].evidence : EvidenceSample()
    if objects.count != 1 { for o in objects { evidence.merge(o.evidence) } }
    var caveats: [String] = []
    if objects.contains(where: \.contradicts) {
      caveats.append("sources disagree on when this event happened: the union of their ranges is kept")
    }
    let isSeries = objects.contains(where: \.isSeries)
    let count = summedCount(objects)
    if isSeries, count > 1,
      now.map({ d in (lastSeen?.latest).map { d.timeIntervalSince($0) < seriesLag } ?? true }) ?? true
    {
      caveats.append("events.k8s.io series: count and last seen may lag up to 30 minutes")
    }
    if objects.count > 1 {
      caveats.append(
        "\(objects.count) event objects with the same identity were merged: counts added where their times do not overlap"
      )
    }
    let message =
      id.pointee.isCombined
      ? (objects.max {
        ($0.lastSeen?.latest ?? .distantPast, $0.latestMessage) < (
          $1.lastSeen?.latest ?? .distantPast, $1.latestMessage
        )
      }?.latestMessage ?? id.pointee.message)
      : id.pointee.message
    var merged = MergedEvent(
      involved: ObjectRef(
        kind: cluster.kindSpelling ?? id.pointee.kind, namespace: id.pointee.namespace, name: id.pointee.name,
        uid: id.pointee.uid,
        fieldPath: id.pointee.fieldPath, pastedAt: id.pointee.pastedAt),
      type: EventType(id.pointee.type), reason: id.pointee.reason, message: message,
      sourceComponent: id.pointee.component,
      sourceHost: id.pointee.host, count: count, firstSeen: firstSeen, lastSeen: lastSeen, objects: objects.count,
      caveats: caveats, evidence: evidence.lines)
    merged.patternID = cluster.patternID
    merged.captures = cluster.capturesByMessage[message] ?? cluster.captures
    return merged
  }

  /// The earliest first-seen and the latest last-seen of `objects`. One object (nearly every
  /// event): its own two, which the smallest and the largest of one are, without the arrays.
  static func seen(_ objects: [Lineage]) -> (first: TimeRange?, last: TimeRange?) {
    if objects.count == 1 { return (objects[0].firstSeen, objects[0].lastSeen) }
    return (
      objects.compactMap(\.firstSeen).min { ($0.earliest, $0.latest) < ($1.earliest, $1.latest) },
      objects.compactMap(\.lastSeen).max { ($0.latest, $0.earliest) < ($1.latest, $1.earliest) }
    )
  }

  /// Counts of distinct objects add up when their times do not overlap (a kubelet restart lost
  /// the recorder's cache, §5.1); objects whose times overlap may be one object seen twice, so the
  /// larger count stands for them.
  static func summedCount(_ objects: [Lineage]) -> Int {
    // One object: its count, as the steps below give it, without the sort.
    if objects.count == 1 { return objects[0].count }
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

  /// Links each `(combined from similar events): ` event to the events with its aggregate key
  /// (§5.1 step 1): their messages become its exemplars and both sides get a caveat.
  static func linkCombined(_ events: consuming [MergedEvent]) -> [MergedEvent] {
    // Most histories have no combined event: nothing to link, no keys to build.
    guard events.contains(where: { $0.message.hasPrefix(EventIdentity.combinedPrefix) }) else { return events }
    var keyOf: [Int: [String?]] = [:]
    var similar: [[String?]: Set<String>] = [:]
    var combinedKeys = Set<[String?]>()
    for (i, e) in events.enumerated() {
      let key = aggregateKey(e)
      keyOf[i] = key
      if e.message.hasPrefix(EventIdentity.combinedPrefix) {
        combinedKeys.insert(key)
      } else {
        similar[key, default: []].insert(e.message)
      }
    }
    guard !combinedKeys.isEmpty else { return events }
    var out = consume events
    for i in out.indices {
      guard let key = keyOf[i], combinedKeys.contains(key) else { continue }
      if out[i].message.hasPrefix(EventIdentity.combinedPrefix) {
        let messages = (similar[key] ?? []).sorted()
        out[i].exemplars = Array(messages.prefix(MessageTemplate.exemplarLimit))
        out[i].caveats.append(
          "stands for \(messages.count) similar events seen here and further ones merged by the recorder")
      } else {
        out[i].caveats.append("later similar events were counted in a '(combined from similar events)' event")
      }
    }
    return out
  }

  private static func aggregateKey(_ e: MergedEvent) -> [String?] {
    [
      e.involved.namespace, e.involved.kind?.lowercased(), e.involved.name, e.involved.uid, e.type.description,
      e.reason, e.sourceComponent, e.sourceHost, e.involved.pastedAt?.description,
    ]
  }
}

extension MergedEvent {
  /// Oldest last-seen first, events without a time first (as describe sorts zero times, §1.6),
  /// then by identity so the order is total. The events are compared in place: each field is read
  /// where it lies, so a sort of every event copies none of them (passed by value, each
  /// comparison retained every string of both).
  package static func historyOrder(_ a: UnsafePointer<MergedEvent>, _ b: UnsafePointer<MergedEvent>) -> Bool {
    let ta = a.pointee.lastSeen?.earliest ?? .distantPast
    let tb = b.pointee.lastSeen?.earliest ?? .distantPast
    if ta != tb { return ta < tb }
    return identityPrecedes(a, b)
  }

  /// A total order on everything else, compared field by field: this runs inside sorts of every
  /// event, so it builds no arrays, formats no dates, and lower-cases a kind only when two differ.
  static func identityPrecedes(_ pa: UnsafePointer<MergedEvent>, _ pb: UnsafePointer<MergedEvent>) -> Bool {
    if let o = order(pa.pointee.involved.namespace, pb.pointee.involved.namespace) { return o }
    if pa.pointee.involved.kind != pb.pointee.involved.kind {
      let (x, y) = (pa.pointee.involved.kind?.lowercased() ?? "", pb.pointee.involved.kind?.lowercased() ?? "")
      if x != y { return x < y }
    }
    if pa.pointee.involved.name != pb.pointee.involved.name {
      return pa.pointee.involved.name < pb.pointee.involved.name
    }
    if let o = order(pa.pointee.involved.uid, pb.pointee.involved.uid) { return o }
    if let o = order(pa.pointee.involved.fieldPath, pb.pointee.involved.fieldPath) { return o }
    let (ta, tb) = (pa.pointee.type.description, pb.pointee.type.description)
    if ta != tb { return ta < tb }
    if pa.pointee.reason != pb.pointee.reason { return pa.pointee.reason < pb.pointee.reason }
    if let o = order(pa.pointee.sourceComponent, pb.pointee.sourceComponent) { return o }
    if let o = order(pa.pointee.sourceHost, pb.pointee.sourceHost) { return o }
    if pa.pointee.message != pb.pointee.message { return pa.pointee.message < pb.pointee.message }
    if pa.pointee.involved.pastedAt != nil || pb.pointee.involved.pastedAt != nil {
      if let o = order(pa.pointee.involved.pastedAt?.description, pb.pointee.involved.pastedAt?.description) {
        return o
      }
    }
    if pa.pointee.count != pb.pointee.count { return pa.pointee.count < pb.pointee.count }
    let fa = pa.pointee.firstSeen?.earliest ?? .distantPast
    let fb = pb.pointee.firstSeen?.earliest ?? .distantPast
    if fa != fb { return fa < fb }
    return (pa.pointee.firstSeen?.latest ?? .distantPast) < (pb.pointee.firstSeen?.latest ?? .distantPast)
  }

  /// `(a ?? "") < (b ?? "")`, or nil when they are equal: a missing field sorts as empty.
  @inline(__always)
  private static func order(_ a: String?, _ b: String?) -> Bool? {
    let (x, y) = (a ?? "", b ?? "")
    return x == y ? nil : x < y
  }
}
