import Foundation
import PodmortemModel

/// The log records kept for one pod or node: every record a pattern recognised, and the first and
/// last `keep` of the others by source position, so a gigabyte of kubelet chatter stays bounded.
package struct LogSample: Sendable {
  /// How many unrecognised records are kept from each end.
  package static let keep = 50

  private var recognised = Set<LogRecord>()
  private var head: [LogRecord] = []
  private var tail: [LogRecord] = []

  package init() {}

  package mutating func insert(_ record: LogRecord) {
    if record.patternID != nil {
      recognised.insert(record)
      return
    }
    Self.keepSmallest(&head, record)
    Self.keepLargest(&tail, record)
  }

  /// Everything kept, in source order.
  package var records: [LogRecord] {
    Array(recognised.union(head).union(tail)).sorted(by: Self.order)
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
