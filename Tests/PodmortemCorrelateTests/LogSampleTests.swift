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

  @Test func duplicatesAreKeptOnce() {
    var sample = LogSample()
    sample.insert(Self.record(1))
    sample.insert(Self.record(1))
    #expect(sample.records.count == 1)
  }
}
