import Foundation
import PodmortemModel

/// The log records kept for one pod or node: for each pattern, the first and last `keep` records
/// it recognised, and the first and last `keep` of the unrecognised ones, by source position — so
/// a gigabyte of kubelet chatter stays bounded (memory grows with pods and patterns, not lines),
/// while the start and the end of every kind of trouble stay visible. `counts` says how many
/// records each pattern matched in all.
package struct LogSample: Sendable {
  /// How many records are kept from each end, per pattern and for the unrecognised ones.
  package static let keep = 10

  private var byPattern: [String: Ends] = [:]
  private var unrecognised = Ends()
  /// Records seen per pattern id, kept or not.
  package private(set) var counts: [String: Int] = [:]

  private struct Ends {
    /// The `keep` smallest records, sorted.
    var head: [LogRecord] = []
    /// The `keep` largest records, a ring: sorted from `tailStart` to the end and on from the
    /// start. A record arriving in source order replaces the smallest in place, instead of the
    /// whole window shifting down one on every line.
    var tail: [LogRecord] = []
    /// Where the smallest of `tail` is; 0 until `tail` is full.
    var tailStart = 0

    /// The largest records, sorted.
    var kept: [LogRecord] { Array(tail[tailStart...] + tail[..<tailStart]) }
  }

  package init() {}

  package mutating func insert(_ record: LogRecord) {
    if let id = record.patternID {
      counts[id, default: 0] += 1
      // Through the subscript's modify accessor: the kept arrays are changed in place, not copied.
      Self.keep(record, in: &byPattern[id, default: Ends()])
      return
    }
    Self.keep(record, in: &unrecognised)
  }

  private static func keep(_ record: LogRecord, in ends: inout Ends) {
    keepSmallest(&ends.head, record)
    keepLargest(&ends, record)
  }

  /// Everything kept, in source order, each record once.
  package var records: [LogRecord] {
    var all = unrecognised.head + unrecognised.kept
    for ends in byPattern.values { all += ends.head + ends.kept }
    all.sort(by: Self.order)
    var out: [LogRecord] = []
    out.reserveCapacity(all.count)
    for r in all where out.last.map({ !Self.same($0, r) }) ?? true { out.append(r) }
    return out
  }

  /// The same record: the same source line, then full equality (rarely reached).
  private static func same(_ a: LogRecord, _ b: LogRecord) -> Bool {
    a.evidence.ref == b.evidence.ref && a == b
  }

  /// Source position, then text. One source line yields one record, so this order is total on
  /// the records a run produces.
  package static func order(_ a: LogRecord, _ b: LogRecord) -> Bool {
    if a.evidence.ref != b.evidence.ref { return a.evidence.ref < b.evidence.ref }
    return a.evidence.text < b.evidence.text
  }

  // The two below read kept records in place by index: `list.first`, `list.last` and
  // `contains(where:)` would copy a whole record (a retain per field) per line.

  private static func keepSmallest(_ list: inout [LogRecord], _ r: LogRecord) {
    let count = list.count
    // Records mostly arrive in source order: once the head is full, a later one is out at once.
    if count == keep, !order(r, list[count - 1]) { return }
    for i in 0..<count where same(list[i], r) { return }
    // Before the first record greater than `r` (the list is sorted: those are a suffix).
    var at = count
    while at > 0, order(r, list[at - 1]) { at -= 1 }
    list.insert(r, at: at)
    if list.count > keep { list.removeLast() }
  }

  /// Keeps `r` in `ends.tail` if it is among the `keep` largest.
  private static func keepLargest(_ ends: inout Ends, _ r: LogRecord) {
    let count = ends.tail.count
    let start = ends.tailStart
    if count == keep, !order(ends.tail[start], r) { return }
    if count > 0 {
      let last = start == 0 ? count - 1 : start - 1
      if order(ends.tail[last], r), ends.tail[last].evidence.ref != r.evidence.ref {
        // The common case, a record after every kept one and on another line than the last (so on
        // another line than all of them): it replaces the smallest, or joins a tail not yet full.
        if count < keep {
          ends.tail.append(r)
        } else {
          ends.tail[start] = r
          ends.tailStart = start + 1 == count ? 0 : start + 1
        }
        return
      }
    }
    // Out of order: the ring straightened, then the sorted insertion.
    if start != 0 {
      ends.tail = ends.kept
      ends.tailStart = 0
    }
    for i in 0..<count where same(ends.tail[i], r) { return }
    // Before the first record greater than `r`, and the smallest out when the tail is full.
    var at = count
    while at > 0, order(r, ends.tail[at - 1]) { at -= 1 }
    ends.tail.insert(r, at: at)
    if ends.tail.count > keep { ends.tail.removeFirst() }
  }
}
