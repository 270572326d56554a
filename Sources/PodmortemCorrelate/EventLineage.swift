import Foundation
import PodmortemModel
import PodmortemText

/// What several sources say about one instant (the first occurrence of an event object): the
/// tightest range every source allows, and the hull in case they contradict each other.
///
/// Merging is a semilattice (max of the lower bounds, min of the upper bounds, and the hull), so
/// the result does not depend on the order sources arrive in, or on a source arriving twice.
package struct RangeVote: Hashable, Sendable {
  package var lower: Date
  package var upper: Date
  package var hullLower: Date
  package var hullUpper: Date

  package init(_ range: TimeRange) {
    lower = range.earliest
    upper = range.latest
    hullLower = range.earliest
    hullUpper = range.latest
  }

  package mutating func merge(_ other: RangeVote) {
    lower = max(lower, other.lower)
    upper = min(upper, other.upper)
    hullLower = min(hullLower, other.hullLower)
    hullUpper = max(hullUpper, other.hullUpper)
  }

  /// False when two sources gave ranges that do not overlap.
  package var agreed: Bool { lower <= upper }

  /// The intersection when the sources agree, else their union (never invented precision).
  package var range: TimeRange {
    agreed ? TimeRange(earliest: lower, latest: upper) : TimeRange(earliest: hullLower, latest: hullUpper)
  }

  static func merged(_ a: RangeVote?, _ b: RangeVote?) -> RangeVote? {
    guard var a else { return b }
    if let b { a.merge(b) }
    return a
  }
}

/// A bounded, order-independent sample of the occurrences an event was seen in: the first and the
/// last few by source position. A million repeats of one event keep six evidence groups, not a million.
package struct EvidenceSample: Hashable, Sendable {
  /// How many of the earliest and of the latest occurrences are kept.
  package static let keep = 3
  /// How many lines one occurrence keeps (a JSON event object spans many).
  package static let linesPerOccurrence = 4

  private var head: [[Evidence]] = []
  private var tail: [[Evidence]] = []

  package init() {}

  package init(_ lines: [Evidence]) {
    insert(lines)
  }

  package mutating func insert(_ lines: [Evidence]) {
    guard !lines.isEmpty else { return }
    // An occurrence of at most `linesPerOccurrence` lines in strictly ascending order is what the
    // sort and the prefix give, so it is taken as it is (no copy sorted); and the first occurrence
    // of an empty sample is the one smallest and the one largest, which the two searches gave
    // (every event of a list starts a lineage with one: docs/architecture.md "Speed of the
    // EventList path"; `EvidenceInsertTests` keeps the steps as the reference).
    let occurrence =
      lines.count <= Self.linesPerOccurrence && Self.ascendsBothWays(lines)
      ? lines : Array(lines.sorted(by: Self.lineOrder).prefix(Self.linesPerOccurrence))
    if head.isEmpty && tail.isEmpty {
      head = [occurrence]
      tail = [occurrence]
      return
    }
    Self.keepSmallest(&head, occurrence)
    Self.keepLargest(&tail, occurrence)
  }

  /// `insert` as it was, every occurrence sorted and searched for (the reference of
  /// `EvidenceInsertTests`).
  mutating func insertBySteps(_ lines: [Evidence]) {
    guard !lines.isEmpty else { return }
    let occurrence = Array(lines.sorted(by: Self.lineOrder).prefix(Self.linesPerOccurrence))
    Self.keepSmallest(&head, occurrence)
    Self.keepLargest(&tail, occurrence)
  }

  /// The kept occurrences, for tests that compare samples part by part.
  var parts: (head: [[Evidence]], tail: [[Evidence]]) { (head, tail) }

  // The K smallest of a union are among the K smallest of each part, so merging the heads (and
  // the tails) is enough.
  package mutating func merge(_ other: EvidenceSample) {
    for o in other.head { Self.keepSmallest(&head, o) }
    for o in other.tail { Self.keepLargest(&tail, o) }
  }

  /// The kept lines in source order, without duplicates.
  package var lines: [Evidence] {
    // One occurrence (an event object seen once, nearly every event of a list), kept as both the
    // first and the last, its lines in strictly ascending order: sorting both copies together and
    // dropping each repeat gives that occurrence itself, stored once (no three arrays built and a
    // sort per merged event, docs/architecture.md "Speed of the EventList path").
    if head.count == 1, tail.count == 1, head[0] == tail[0], Self.strictlyAscending(head[0]) { return head[0] }
    return mergedLines
  }

  /// `lines` without the shortcut for one occurrence: every kept line in source order, each once.
  var mergedLines: [Evidence] {
    var all = (head + tail).flatMap { $0 }
    all.sort(by: Self.lineOrder)
    // Equal lines sort next to each other: each is kept once, without hashing its text. The
    // result is kept by its merged event for the whole run: it is given exactly the room of the
    // distinct lines, counted first (an occurrence in both head and tail, the usual case, would
    // leave half of a room for both empty; docs/architecture.md "Memory of the EventList and
    // describe paths").
    var distinct = all.isEmpty ? 0 : 1
    for i in all.indices.dropFirst() where all[i] != all[i - 1] { distinct += 1 }
    var out: [Evidence] = []
    out.reserveCapacity(distinct)
    for e in all where out.last != e { out.append(e) }
    return out
  }

  private static func lineOrder(_ a: Evidence, _ b: Evidence) -> Bool {
    a.ref != b.ref ? a.ref < b.ref : a.text < b.text
  }

  /// The lines of a sample given each line of `first` and then each of `last` as an occurrence
  /// of its own (`insert([line])`), when that is one of two plain shapes, else nil:
  /// `first` then `last` in strictly ascending order (at most `keep` each, so the sample keeps
  /// every one of them, and sorting them gives them back), or `last` the same lines as `first`
  /// (each then a repeat, ignored) with `first` strictly ascending. Only when every source and
  /// text is ASCII: there `String`'s `<` is the bytes' order, so a strictly ascending run is the
  /// one order the sort can give (on other text `<` is not always transitive, "Speed of the
  /// EventList path"). Building the sample and its lines sorted and searched the occurrences,
  /// about 9,000 instructions an identity of the kubelet log's "Event occurred" lines
  /// (docs/architecture.md "Speed of the EventList path"; `SingleLinesTests` holds it to the
  /// sample).
  static func ofSingleLines(_ first: [Evidence], _ last: [Evidence]) -> [Evidence]? {
    guard first.count <= keep, last.count <= keep else { return nil }
    for line in first where !isASCII(line) { return nil }
    for line in last where !isASCII(line) { return nil }
    guard strictlyAscending(first) else { return nil }
    if first == last { return first }
    guard strictlyAscending(last) else { return nil }
    if let end = first.last, let start = last.first, !lineOrder(end, start) { return nil }
    return first + last
  }

  private static func isASCII(_ line: Evidence) -> Bool {
    ASCIISearch.isContiguousASCII(line.ref.source) && ASCIISearch.isContiguousASCII(line.text)
  }

  /// Whether every line of `list` comes before the next in `lineOrder` (no two equal or tied).
  private static func strictlyAscending(_ list: [Evidence]) -> Bool {
    for i in list.indices.dropFirst() where !lineOrder(list[i - 1], list[i]) { return false }
    return true
  }

  /// Whether each line of `list` comes before the next and the next not before it: the sort then
  /// finds one ascending run, the whole list, and leaves it as it is.
  private static func ascendsBothWays(_ list: [Evidence]) -> Bool {
    for i in list.indices.dropFirst() where !lineOrder(list[i - 1], list[i]) || lineOrder(list[i], list[i - 1]) {
      return false
    }
    return true
  }

  private static func occurrenceOrder(_ a: [Evidence], _ b: [Evidence]) -> Bool {
    a.lexicographicallyPrecedes(b, by: lineOrder)
  }

  /// Inserts `o` into ascending `list` if it is among the `keep` smallest; a repeat is ignored.
  private static func keepSmallest(_ list: inout [[Evidence]], _ o: [Evidence]) {
    if list.count == keep, let last = list.last, !occurrenceOrder(o, last) { return }
    guard !list.contains(o) else { return }
    list.insert(o, at: list.firstIndex { occurrenceOrder(o, $0) } ?? list.endIndex)
    if list.count > keep { list.removeLast() }
  }

  /// Inserts `o` into ascending `list` if it is among the `keep` largest; a repeat is ignored.
  private static func keepLargest(_ list: inout [[Evidence]], _ o: [Evidence]) {
    if list.count == keep, let first = list.first, !occurrenceOrder(first, o) { return }
    guard !list.contains(o) else { return }
    list.insert(o, at: list.firstIndex { occurrenceOrder(o, $0) } ?? list.endIndex)
    if list.count > keep { list.removeFirst() }
  }
}

/// One event object as every observation of it tells: the same object seen in several snapshots,
/// or several objects that could not be told apart.
///
/// - count: the largest count seen — counts only grow within one object, so the largest is the
///   latest (docs/kubernetes.md §5.1), never a sum.
/// - firstSeen: every observation of one object names the same first occurrence (re-creation after
///   TTL expiry keeps it, §4.3), so the ranges are intersected.
/// - lastSeen: observations with the same, largest count saw the same last occurrence and are
///   intersected; observations without a count only move it later.
package struct Lineage: Hashable, Sendable {
  /// The event object names (`web-0.187b1c2d3e4f5a6b`) this lineage was seen under, sorted,
  /// each once (an array: nearly always one name, which a set stores in several times the bytes).
  package private(set) var names: [String] = []
  package var maxCount: Int?
  package var first: RangeVote?
  /// The votes of the observations that carry `maxCount`.
  package var lastAtMax: RangeVote?
  /// The latest last-seen of observations without a count.
  package var lastUncounted: TimeRange?
  /// The latest last-seen of any observation (a fallback when the counted ones lack a time).
  package var lastAny: TimeRange?
  /// Everything any observation says about when the object was active.
  package var span: TimeRange?
  package var isSeries = false
  /// The message of the latest occurrence, for combined events whose message changes.
  package var latestMessage: String
  private var latestMessageTime: Date
  package var evidence: EvidenceSample

  package mutating func merge(_ other: Lineage) {
    if names != other.names { names = Self.union(names, other.names) }
    switch (maxCount, other.maxCount) {
    case (nil, _):
      maxCount = other.maxCount
      lastAtMax = other.lastAtMax
    case (let a?, let b?) where b > a:
      maxCount = b
      lastAtMax = other.lastAtMax
    case (let a?, let b?) where b == a:
      lastAtMax = RangeVote.merged(lastAtMax, other.lastAtMax)
    default: break
    }
    first = RangeVote.merged(first, other.first)
    lastUncounted = Self.later(lastUncounted, other.lastUncounted)
    lastAny = Self.later(lastAny, other.lastAny)
    span = Self.hull(span, other.span)
    isSeries = isSeries || other.isSeries
    if (other.latestMessageTime, other.latestMessage) > (latestMessageTime, latestMessage) {
      latestMessage = other.latestMessage
      latestMessageTime = other.latestMessageTime
    }
    evidence.merge(other.evidence)
  }

  /// The sorted union of two sorted lists without repeats.
  static func union(_ a: [String], _ b: [String]) -> [String] {
    var out: [String] = []
    out.reserveCapacity(a.count + b.count)
    var (i, j) = (0, 0)
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a[i] < b[j]) {
        out.append(a[i])
        i += 1
      } else if i == a.count || b[j] < a[i] {
        out.append(b[j])
        j += 1
      } else {
        out.append(a[i])
        i += 1
        j += 1
      }
    }
    return out
  }

  /// The count this object reached (1 when no source counted it).
  package var count: Int { max(maxCount ?? 1, 1) }

  package var firstSeen: TimeRange? { first?.range }

  package var lastSeen: TimeRange? {
    guard let counted = lastAtMax?.range else { return lastUncounted ?? lastAny }
    if let u = lastUncounted, u.earliest > counted.latest { return u }
    return counted
  }

  /// True when sources gave contradictory ranges for the same occurrence.
  package var contradicts: Bool { !(first?.agreed ?? true) || !(lastAtMax?.agreed ?? true) }

  /// The overlap in seconds of two spans (0 when they only touch), or nil when they are disjoint or unknown.
  package static func overlap(_ a: TimeRange?, _ b: TimeRange?) -> Double? {
    guard let a, let b, let i = a.intersection(b) else { return nil }
    return i.width
  }

  static func hull(_ a: TimeRange?, _ b: TimeRange?) -> TimeRange? {
    guard let a else { return b }
    guard let b else { return a }
    return TimeRange(earliest: min(a.earliest, b.earliest), latest: max(a.latest, b.latest))
  }

  /// The range whose upper bound is later (ties: the later lower bound), an order-independent choice.
  static func later(_ a: TimeRange?, _ b: TimeRange?) -> TimeRange? {
    guard let a else { return b }
    guard let b else { return a }
    return (b.latest, b.earliest) > (a.latest, a.earliest) ? b : a
  }
}

// The initializer is declared here, outside the struct's body, so that the struct keeps its
// synthesized memberwise initializer, which builds the value in one step. Setting `self`'s
// fields one by one, as it did, was compiled (Swift 6.3, `-O`) to build the lineage in a local,
// copy it into the result (its arrays and message retained) and destroy the local (released
// again): 1.9M instructions on the 8 MiB EventList (docs/architecture.md "Speed of the EventList
// path"; `IdentityInOneStepTests` keeps the field-by-field initializer as the reference).
extension Lineage {
  /// One observation: `message` is the cleaned message (field-path prefix removed). The event is
  /// borrowed: taken, every caller copied it first (docs/architecture.md "Speed of the EventList
  /// path").
  package init(_ event: borrowing Event, message: String) {
    // One time for both first and last and no count is one occurrence: describe and `kubectl events`
    // print a single age only when count ≤ 1 (§1.6, §3.3), and an events.k8s.io event without a series
    // happened once (§5.2). Counted, its time narrows the other observations' instead of widening them.
    let count = event.count ?? (event.firstSeen != nil && event.firstSeen == event.lastSeen ? 1 : nil)
    var names: [String] = []
    if let name = event.eventName, !name.isEmpty { names = [name] }
    self = Lineage(
      names: names, maxCount: count, first: event.firstSeen.map(RangeVote.init),
      lastAtMax: count != nil ? event.lastSeen.map(RangeVote.init) : nil,
      lastUncounted: count != nil ? nil : event.lastSeen, lastAny: event.lastSeen,
      span: Self.hull(event.firstSeen, event.lastSeen), isSeries: event.isSeries, latestMessage: message,
      latestMessageTime: event.lastSeen?.latest ?? event.firstSeen?.latest ?? .distantPast,
      evidence: EvidenceSample(event.evidence))
  }

  /// The initializer before it built the value in one step, each field set on `self` (the
  /// reference of `IdentityInOneStepTests`).
  init(bySteps event: borrowing Event, message: String) {
    if let name = event.eventName, !name.isEmpty { names = [name] }
    let count = event.count ?? (event.firstSeen != nil && event.firstSeen == event.lastSeen ? 1 : nil)
    maxCount = count
    first = event.firstSeen.map(RangeVote.init)
    if count != nil {
      lastAtMax = event.lastSeen.map(RangeVote.init)
    } else {
      lastUncounted = event.lastSeen
    }
    lastAny = event.lastSeen
    span = Self.hull(event.firstSeen, event.lastSeen)
    isSeries = event.isSeries
    latestMessage = message
    latestMessageTime = event.lastSeen?.latest ?? event.firstSeen?.latest ?? .distantPast
    evidence = EvidenceSample(event.evidence)
  }
}
