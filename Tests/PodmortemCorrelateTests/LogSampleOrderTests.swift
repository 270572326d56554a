import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `LogSample.packedRecords` sorts a sample of one source by its line numbers alone
/// (`linesOfOneSource`) and any other by `SourceRef`: both must give the order `LogSample.order`
/// gives the records (docs/architecture.md "Speed of the kubelet-log path"). Seeded samples
/// (SplitMix64) of one source, of several, and of one name spelt in two byte forms that `String`
/// calls equal (`é` as one scalar or two), which the line order must not take for one source.
@Suite struct LogSampleOrderTests {
  static let sourceSets: [[String]] = [
    ["kubelet.log"], ["a.log", "b.log"], ["k\u{E9}.log", "ke\u{301}.log"], ["x", "x", "y\u{E9}"],
  ]

  @Test(arguments: 0..<24)
  func aSampleIsInTheOrderOfItsRecords(seed: UInt64) {
    var rng = SplitMix64(seed: 16_100 + seed)
    let sources = Self.sourceSets[Int(seed) % Self.sourceSets.count]
    let patterns: [String?] = [nil, "p", "q"]
    // At most `keep` records per pattern and end, so every record is kept; each text distinct.
    var all: [LogRecord] = []
    for (n, p) in patterns.enumerated() {
      for k in 0..<Int.random(in: 0...(2 * LogSample.keep), using: &rng) {
        let source = sources[Int.random(in: 0..<sources.count, using: &rng)]
        let line = Int.random(in: 1...30, using: &rng)
        var r = LogRecord(
          origin: .kubelet, message: "m",
          evidence: Evidence(ref: SourceRef(source: source, line: line), text: "line \(line) \(n) \(k)"))
        r.patternID = p
        all.append(r)
      }
    }
    var sample = LogSample()
    for r in all.shuffled(using: &rng) { sample.insert(r) }
    let expected = all.sorted(by: LogSample.order)
    let got = sample.records
    #expect(got.map(\.evidence.ref) == expected.map(\.evidence.ref))
    #expect(got.map { Array($0.evidence.ref.source.utf8) } == expected.map { Array($0.evidence.ref.source.utf8) })
    #expect(got.map(\.evidence.text) == expected.map(\.evidence.text))
  }

  @Test func linesOfOneSourceAreTakenOnlyWhenTheBytesAreTheSame() {
    let one = [SourceRef(source: "a.log", line: 3), SourceRef(source: "a.log", line: 1)]
    #expect(LogSample.linesOfOneSource(one) == [3, 1])
    let spelt = [SourceRef(source: "\u{E9}", line: 3), SourceRef(source: "e\u{301}", line: 1)]
    #expect(LogSample.linesOfOneSource(spelt) == nil)
    #expect(LogSample.linesOfOneSource([]) == [])
  }

  /// `linesOfOneSource` before it read the sources in place: each copied for `String.withUTF8`.
  static func referenceLinesOfOneSource(_ refs: [SourceRef]) -> [Int]? {
    guard var first = refs.first?.source else { return [] }
    let same = first.withUTF8 { f in
      refs.allSatisfy { ref in
        var source = ref.source
        return source.withUTF8 { PackedLog.same($0, f) }
      }
    }
    return same ? refs.map(\.line) : nil
  }

  /// The same answer as the reference on seeded lists of sources spelt alike and not: `é` as one
  /// scalar or two, a Kelvin sign, a dotted capital I, NUL, CR, tab, empty, small and long
  /// (native) strings, lines from `Int.min` to `Int.max`.
  @Test(arguments: 0..<20)
  func linesOfOneSourceAnswersAsTheReference(seed: UInt64) {
    var rng = SplitMix64(seed: 16_200 + seed)
    let long = String(repeating: "kubelet-", count: 8)
    let sources = [
      "a.log", "\(long)a.log", "\(long)a.lo\u{E9}", "\(long)a.loe\u{301}", "", "\u{212A}", "K", "\u{130}", "a\0",
      "a\r", "\t",
    ]
    let lines = [Int.min, -1, 0, 1, 2, Int.max]
    for _ in 0..<100 {
      let pool = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
        sources[Int.random(in: 0..<sources.count, using: &rng)]
      }
      let refs = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
        // A string made anew at times: the same bytes in storage of their own.
        let s = pool[Int.random(in: 0..<pool.count, using: &rng)]
        return SourceRef(
          source: Bool.random(using: &rng) ? s : String(decoding: Array(s.utf8), as: UTF8.self),
          line: lines[Int.random(in: 0..<lines.count, using: &rng)])
      }
      #expect(LogSample.linesOfOneSource(refs) == Self.referenceLinesOfOneSource(refs))
    }
  }
}
