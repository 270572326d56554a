import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PodLogs.sortBySource` walks the list first and sorts only when a record goes before the one
/// ahead of it (docs/architecture.md "Memory of the kubelet-log run"). The sort alone, kept here
/// as the reference, must give the same records in the same order, byte for byte: on seeded
/// lists (SplitMix64) in order, nearly in order and shuffled, with lines given twice, one line
/// with two texts, sources spelt in two byte forms `String` calls equal (`é` as one scalar or
/// two), a Kelvin sign, a dotted capital I, NUL, CR, tab, empty texts and lines at `Int.min` and
/// `Int.max`; and on the samples a sample hands over (`packedRecords`).
@Suite struct PodLogsSortTests {
  /// The sort before: every list sorted, in order or not.
  static func reference(_ logs: PodLogs) -> [PackedLog] {
    var entries = logs.packed
    entries.sort { a, b in
      if !LogSample.sameRef(a.ref, b.ref) { return a.ref < b.ref }
      return a.lineText < b.lineText
    }
    return entries
  }

  static let sources = ["a.log", "a.log", "k\u{E9}.log", "ke\u{301}.log", "", "\u{212A}.log", "\u{130}\0.log"]
  static let texts = ["", "x", "\u{212A}elvin", "Kelvin", "\u{130}", "e\u{301}", "\u{E9}", "a\0b", "a\r", "\tb", "zz"]
  static let lines = [Int.min, -1, 0, 1, 2, 3, 7, 40, Int.max - 1, Int.max]

  static func record(_ rng: inout SplitMix64, line: Int? = nil) -> LogRecord {
    let source = sources[Int.random(in: 0..<sources.count, using: &rng)]
    let text = texts[Int.random(in: 0..<texts.count, using: &rng)]
    let at = line ?? lines[Int.random(in: 0..<lines.count, using: &rng)]
    var r = LogRecord(
      origin: .kubelet, message: text, evidence: Evidence(ref: SourceRef(source: source, line: at), text: text))
    r.text = text
    r.patternID = Bool.random(using: &rng) ? "p" : nil
    r.time = Bool.random(using: &rng) ? nil : TimeRange(exactly: Date(timeIntervalSince1970: Double(at % 1000)))
    return r
  }

  static func same(_ a: [PackedLog], _ b: [PackedLog]) -> Bool {
    a.count == b.count
      && zip(a, b).allSatisfy { x, y in
        x == y && Array(x.evidence.text.utf8) == Array(y.evidence.text.utf8)
          && x.ref.source.utf8.elementsEqual(y.ref.source.utf8)
      }
  }

  @Test(arguments: 0..<40)
  func aListSortsAsTheSortAloneSortsIt(seed: UInt64) {
    var rng = SplitMix64(seed: 3_700 + seed)
    for _ in 0..<60 {
      var records = (0..<Int.random(in: 0...40, using: &rng)).map { _ in Self.record(&rng) }
      // Lines given twice and one line with two texts.
      if let r = records.first, Bool.random(using: &rng) { records += [r, r] }
      switch Int.random(in: 0..<3, using: &rng) {
      case 0: records.sort(by: LogSample.order)
      case 1:
        records.sort(by: LogSample.order)
        if records.count > 1 { records.swapAt(Int.random(in: 0..<records.count, using: &rng), records.count - 1) }
      default: records.shuffle(using: &rng)
      }
      var logs = PodLogs(records)
      let expected = Self.reference(logs)
      logs.sortBySource()
      #expect(Self.same(logs.packed, expected))
      #expect(logs.isSortedBySource)
    }
  }

  @Test(arguments: 0..<10)
  func aSampleHandedOverSortsAsTheSortAloneSortsIt(seed: UInt64) {
    var rng = SplitMix64(seed: 3_800 + seed)
    var sample = LogSample()
    var line = 0
    for _ in 0..<300 {
      line += Int.random(in: 0...2, using: &rng)
      sample.insert(Self.record(&rng, line: line))
    }
    var logs = PodLogs(packed: sample.packedRecords())
    let expected = Self.reference(logs)
    logs.sortBySource()
    #expect(Self.same(logs.packed, expected))
  }
}
