import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct LogSampleTests {
  static func record(_ line: Int, pattern: String? = nil) -> LogRecord {
    var r = LogRecord(origin: .kubelet, message: "line \(line)", evidence: Fixture.evidence("kubelet.log", line)[0])
    r.patternID = pattern
    return r
  }

  @Test func keepsRecognisedRecordsAndTheEndsOfTheRest() {
    var sample = LogSample()
    for line in (1...1000).reversed() { sample.insert(Self.record(line, pattern: line == 500 ? "probe" : nil)) }
    let lines = sample.records.map(\.evidence.ref.line)
    #expect(lines.count == 2 * LogSample.keep + 1)
    #expect(lines.first == 1 && lines.last == 1000)
    #expect(lines.contains(500))
    #expect(lines == lines.sorted())
  }

  /// In any arrival order, with repeats, the sample is the first and last `keep` distinct lines of
  /// each pattern and of the unrecognised ones: what the ring of the tail must not change.
  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func keepsTheEndsOfEveryPatternInAnyOrder(seed: UInt64) {
    var state = seed
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let patterns: [String?] = [nil, "a", "b"]
    let lines = 400
    func pattern(of line: Int) -> String? { patterns[line % patterns.count] }
    // Mostly in source order (as a log arrives), with lines moved back and lines given twice.
    var order = Array(1...lines)
    for _ in 0..<(lines / 4) { order.swapAt(next(lines), next(lines)) }
    order += (0..<(lines / 10)).map { _ in 1 + next(lines) }
    var sample = LogSample()
    for line in order { sample.insert(Self.record(line, pattern: pattern(of: line))) }
    var expected: Set<Int> = []
    for p in patterns {
      let own = (1...lines).filter { pattern(of: $0) == p }
      expected.formUnion(own.prefix(LogSample.keep))
      expected.formUnion(own.suffix(LogSample.keep))
    }
    #expect(sample.records.map(\.evidence.ref.line) == expected.sorted())
  }

  @Test func duplicatesAreKeptOnce() {
    var sample = LogSample()
    sample.insert(Self.record(1))
    sample.insert(Self.record(1))
    #expect(sample.records.count == 1)
  }
}
