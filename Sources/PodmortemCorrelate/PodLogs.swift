import Foundation
import PodmortemModel

/// A pod's log records as its samples kept them: packed (`PackedLog`), each string built only
/// when a rule or a report asks for it (`PackedLog.message`, `.capture(_:)`, `.evidence`, …).
/// Reading them all back into `LogRecord`s when correlation ends was most of a kubelet log run's
/// peak heap (docs/architecture.md "Memory of the kubelet-log run").
///
/// As a value it is the list of records it holds: equal when the records are equal one by one
/// (`LogRecord`'s `==`, so two spellings of a string `String` calls equal are equal here too),
/// hashed on the records, and coded as the array of records.
package struct PodLogs: RandomAccessCollection, Hashable, Sendable, Codable, ExpressibleByArrayLiteral {
  private var entries: [PackedLog]

  package init() { entries = [] }

  package init(packed: [PackedLog]) { entries = packed }

  package init(_ records: some Sequence<LogRecord>) { entries = records.map { PackedLog($0) } }

  package init(arrayLiteral records: LogRecord...) { self.init(records) }

  package var startIndex: Int { entries.startIndex }
  package var endIndex: Int { entries.endIndex }
  package subscript(i: Int) -> PackedLog { entries[i] }

  /// The packed records, in order: read by index in place. A loop over the list itself goes
  /// through its `Collection` conformance, which another module calls unspecialised, each record
  /// copied out (docs/architecture.md "Diagnosis: read a pod once").
  package var packed: [PackedLog] { entries }

  /// Every record, built.
  package var records: [LogRecord] { entries.map(\.record) }

  package mutating func append(_ record: LogRecord) { entries.append(PackedLog(record)) }

  package mutating func append(_ packed: PackedLog) { entries.append(packed) }

  package mutating func append(contentsOf packed: [PackedLog]) { entries += packed }

  package mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

  package mutating func removeAll() { entries.removeAll() }

  /// Sorted as `[LogRecord].sort(by: LogSample.order)` sorts the same records: by source line,
  /// then line text (read only when two lines tie).
  ///
  /// A pod's logs are nearly always one sample's records, which `LogSample.packedRecords` hands
  /// over in this order already: the list is walked first, each record's line compared with the
  /// one before it where the two lie, and sorted only when one goes before the one ahead of it.
  /// `sort` is stable, so a list in order comes back as it is. The sort's insertion pass copied
  /// both records out of the array for each comparison and destroyed them after, through the
  /// value witnesses (a `PackedLog` holds a `TimeRange?`): 6.3M instructions on the 4 MiB slice
  /// of the bench log for 13,216 records in order (docs/architecture.md "Memory of the
  /// kubelet-log run"; `PodLogsSortTests` holds it to the sort alone).
  package mutating func sortBySource() {
    if isSortedBySource { return }
    entries.sort(by: Self.precedes)
  }

  /// Whether `a` goes before `b`: by source line, then line text.
  static func precedes(_ a: PackedLog, _ b: PackedLog) -> Bool {
    // `sameRef`: `!=` on two `SourceRef`s went through `Equatable`'s dispatch thunk.
    if !LogSample.sameRef(a.ref, b.ref) { return a.ref < b.ref }
    return a.lineText < b.lineText
  }

  /// No record goes before the one ahead of it (`precedes`), read in place.
  var isSortedBySource: Bool {
    entries.withUnsafeBufferPointer { e in
      var i = 1
      while i < e.count {
        if LogSample.sameRef(e[i].ref, e[i - 1].ref) {
          if e[i].lineText < e[i - 1].lineText { return false }
        } else if e[i].ref < e[i - 1].ref {
          return false
        }
        i += 1
      }
      return true
    }
  }

  package static func == (a: PodLogs, b: PodLogs) -> Bool {
    guard a.entries.count == b.entries.count else { return false }
    // The same bytes are the same record; different bytes can still be equal strings.
    return zip(a.entries, b.entries).allSatisfy { x, y in x == y || x.record == y.record }
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(entries.count)
    for p in entries { hasher.combine(p.record) }
  }

  package init(from decoder: any Decoder) throws { self.init(try [LogRecord](from: decoder)) }

  package func encode(to encoder: any Encoder) throws { try records.encode(to: encoder) }
}
