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
    var head: [LogRecord] = []
    var tail: [LogRecord] = []
  }

  package init() {}

  package mutating func insert(_ record: LogRecord) {
    if let id = record.patternID {
      counts[id, default: 0] += 1
      var ends = byPattern[id] ?? Ends()
      Self.keepSmallest(&ends.head, record)
      Self.keepLargest(&ends.tail, record)
      byPattern[id] = ends
      return
    }
    Self.keepSmallest(&unrecognised.head, record)
    Self.keepLargest(&unrecognised.tail, record)
  }

  /// Everything kept, in source order.
  package var records: [LogRecord] {
    var all = Set(unrecognised.head).union(unrecognised.tail)
    for ends in byPattern.values { all.formUnion(ends.head + ends.tail) }
    return all.sorted(by: Self.order)
  }

  /// Source position, then text; the rest only to make the order total.
  package static func order(_ a: LogRecord, _ b: LogRecord) -> Bool {
    if a.evidence.ref != b.evidence.ref { return a.evidence.ref < b.evidence.ref }
    if a.evidence.text != b.evidence.text { return a.evidence.text < b.evidence.text }
    return String(describing: a) < String(describing: b)
  }

  private static func keepSmallest(_ list: inout [LogRecord], _ r: LogRecord) {
    guard !list.contains(r) else { return }
    if list.count == keep, let last = list.last, !order(r, last) { return }
    list.insert(r, at: list.firstIndex { order(r, $0) } ?? list.endIndex)
    if list.count > keep { list.removeLast() }
  }

  private static func keepLargest(_ list: inout [LogRecord], _ r: LogRecord) {
    guard !list.contains(r) else { return }
    if list.count == keep, let first = list.first, !order(first, r) { return }
    list.insert(r, at: list.firstIndex { order(r, $0) } ?? list.endIndex)
    if list.count > keep { list.removeFirst() }
  }
}
