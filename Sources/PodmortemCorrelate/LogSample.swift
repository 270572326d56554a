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
    /// Sorted; the last `keep` of it are the `keep` largest records. It grows to twice `keep`
    /// before the ones below that window are dropped at once, so a record arriving in source
    /// order costs an append, not a shift of the whole window per line.
    var tail: [LogRecord] = []

    /// The largest records.
    var kept: ArraySlice<LogRecord> { tail.suffix(LogSample.keep) }
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
    keepLargest(&ends.tail, record)
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

  private static func keepSmallest(_ list: inout [LogRecord], _ r: LogRecord) {
    // Records mostly arrive in source order: once the head is full, a later one is out at once.
    if list.count == keep, let last = list.last, !order(r, last) { return }
    guard !list.contains(where: { same($0, r) }) else { return }
    list.insert(r, at: list.firstIndex { order(r, $0) } ?? list.endIndex)
    if list.count > keep { list.removeLast() }
  }

  /// Keeps `r` if it is among the `keep` largest; `list` is an `Ends.tail`.
  private static func keepLargest(_ list: inout [LogRecord], _ r: LogRecord) {
    let window = max(0, list.count - keep)
    if list.count >= keep, !order(list[window], r) { return }
    if let last = list.last, order(last, r) {
      // The common case, a record after every kept one: a different line from all of them unless
      // it shares the last one's line (then it is a different text of it, or an equal record).
      guard last.evidence.ref != r.evidence.ref || !list[window...].contains(where: { same($0, r) }) else { return }
      list.append(r)
    } else {
      guard !list[window...].contains(where: { same($0, r) }) else { return }
      // Before the first kept record greater than `r`: the kept window stays sorted, and the one
      // at its start drops out of it.
      var at = list.endIndex
      while at > window, order(r, list[at - 1]) { at -= 1 }
      list.insert(r, at: at)
    }
    if list.count >= 2 * keep { list.removeFirst(list.count - keep) }
  }
}
