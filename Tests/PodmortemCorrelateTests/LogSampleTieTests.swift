import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `LogSample.inSourceOrder` decides two records of one line on their bytes before building their
/// line texts (docs/architecture.md "Speed of the kubelet-log path"). It must give what the sort
/// it replaced gave, kept here as the reference (`reference`, the body of `packedRecords` before
/// the change): the same records in the same order, byte for byte. Compared on every kept record
/// of the repository's samples and on seeded lists of packed records with the ties a sample
/// holds — one packing kept at both ends, one line packed twice as equal bytes, one line with
/// two texts, one line and text with two records — and hostile texts (empty, long, NUL, CR LF,
/// tabs, a Kelvin sign beside the `K` it equals, a dotted capital I, combining accents), from
/// one source, from several, and from one name spelt in two byte forms.
@Suite struct LogSampleTieTests {
  /// `LogSample.samePacked` stands for `PackedLog`'s synthesized `==` by comparing its four
  /// stored properties: a property added to `PackedLog` fails this until `samePacked` reads it.
  @Test func samePackedComparesEveryStoredProperty() {
    let packed = PackedLog(
      LogRecord(origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "s", line: 1), text: "t")))
    let labels = Mirror(reflecting: packed).children.compactMap(\.label).sorted()
    #expect(labels == ["bytes", "patternID", "ref", "time"])
  }

  /// The sort and the pass that drops repeats, as `LogSample.packedRecords` had them before.
  static func reference(_ all: [PackedLog]) -> [PackedLog] {
    let refs = all.map(\.ref)
    var sorted = Array(all.indices)
    if let lines = LogSample.linesOfOneSource(refs) {
      sorted.sort { i, j in
        if lines[i] != lines[j] { return lines[i] < lines[j] }
        let a = all[i].lineText
        let b = all[j].lineText
        return a != b ? a < b : i < j
      }
    } else {
      sorted.sort { i, j in
        if refs[i] != refs[j] { return refs[i] < refs[j] }
        let a = all[i].lineText
        let b = all[j].lineText
        return a != b ? a < b : i < j
      }
    }
    var out: [PackedLog] = []
    var last: PackedLog?
    for index in sorted {
      let p = all[index]
      if let last, last.ref == p.ref, last == p || last.record == p.record { continue }
      out.append(p)
      last = p
    }
    return out
  }

  /// The two lists are the same records in the same order, byte for byte.
  static func expectSame(_ got: [PackedLog], _ expected: [PackedLog]) {
    #expect(got == expected)
    #expect(got.map(\.bytes) == expected.map(\.bytes))
    #expect(got.map { Array($0.ref.source.utf8) } == expected.map { Array($0.ref.source.utf8) })
    #expect(got.map(\.ref.line) == expected.map(\.ref.line))
    #expect(got.map { $0.patternID.map { Array($0.utf8) } } == expected.map { $0.patternID.map { Array($0.utf8) } })
  }

  static let texts: [String] = [
    "", "a", "line", "line\r\n", "li\u{0}ne", "\tline", "\u{212A}elvin", "Kelvin", "\u{130}stanbul",
    "e\u{301}t\u{E9}", "\u{E9}t\u{E9}", String(repeating: "long ", count: 200),
    "I0101 12:00:00.000 1 kubelet.go:1] \"x\"",
  ]
  static let sourceSets: [[String]] = [
    ["kubelet.log"], ["a.log", "b.log"], ["k\u{E9}.log", "ke\u{301}.log"], ["x", "\u{212A}", "K"],
  ]

  @Test(arguments: 0..<32)
  func seededListsSortAsTheReferenceSorted(seed: UInt64) {
    var rng = SplitMix64(seed: 17_300 + seed)
    let sources = Self.sourceSets[Int(seed) % Self.sourceSets.count]
    var all: [PackedLog] = []
    for _ in 0..<rng.below(90) {
      let text = Self.texts[rng.below(Self.texts.count)]
      var r = LogRecord(
        origin: .kubelet, message: rng.below(3) == 0 ? "other" : "m",
        evidence: Evidence(
          ref: SourceRef(source: sources[rng.below(sources.count)], line: 1 + rng.below(12)), text: text))
      r.patternID = [nil, "p", "q"][rng.below(3)]
      let p = PackedLog(r)
      all.append(p)
      // One packing held twice (a record kept at both ends), or the record packed again (equal
      // bytes in another buffer).
      switch rng.below(4) {
      case 0: all.insert(p, at: rng.below(all.count + 1))
      case 1: all.insert(PackedLog(r), at: rng.below(all.count + 1))
      default: break
      }
    }
    Self.expectSame(LogSample.inSourceOrder(all), Self.reference(all))
  }

  /// A sample's list as `packedRecords` gathers it: each pattern's head, then its tail, so every
  /// record of a short log is there twice.
  @Test func theSamplesKeptRecordsSortAsTheReferenceSorted() {
    var samples: [String: LogSample] = [:]
    for r in PackedEncodingTests.sampleRecords { samples[r.evidence.ref.source, default: LogSample()].insert(r) }
    #expect(!samples.isEmpty)
    for (_, sample) in samples {
      let records = sample.records.map { PackedLog($0) }
      var doubled: [PackedLog] = []
      for p in records { doubled += [p, p] }
      Self.expectSame(LogSample.inSourceOrder(doubled), Self.reference(doubled))
      Self.expectSame(sample.packedRecords(), Self.reference(records + records))
    }
  }
}
