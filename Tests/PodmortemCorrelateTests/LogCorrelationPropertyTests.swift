import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

/// Property tests of `Correlator` on log records: kubelet lines about random pods, from several
/// sources, recognised by random patterns or not, with pasted lines that name no pod. In any order
/// and with duplicates they must correlate to the same state, and each pod must keep the first
/// and last `LogSample.keep` lines of every pattern (what the log path's in-place sample keeps).
struct LogCorrelationPropertyTests {
  static func records(seed: UInt64) -> [Record] {
    var rng = SplitMix64(seed: seed)
    let patterns: [String?] = [nil, "kubelet.probe-failed", "kubelet.pleg-event", "kubelet.sync-loop"]
    var records: [Record] = []
    for s in 0..<Int.random(in: 1...3, using: &rng) {
      let source = "kubelet-\(s).log"
      // A source about one pod or several: which pod a pasted line joins depends on it.
      let pods = Int.random(in: 1...3, using: &rng)
      for line in 1...Int.random(in: 1...120, using: &rng) {
        let pod = Int.random(in: 0..<pods, using: &rng)
        let text = "I1127 00:00:\(line % 60) prober.go:107] line \(line) of web-\(pod)"
        var r = LogRecord(
          origin: .kubelet, message: "line \(line)",
          evidence: Evidence(ref: SourceRef(source: source, line: line), text: text))
        r.text = text
        r.patternID = patterns[Int.random(in: 0..<patterns.count, using: &rng)]
        r.time = Fixture.exact(Double(line))
        if Int.random(in: 0..<8, using: &rng) == 0 {
          // A pasted line that names no pod (`LogRecord.pastedAt`): its block is the source's first line.
          r.pastedAt = SourceRef(source: source, line: 1)
        } else {
          r.pod = "web-\(pod)"
          r.namespace = Bool.random(using: &rng) ? "shop" : nil
        }
        records.append(.log(r))
      }
    }
    return records
  }

  @Test(arguments: 0..<30)
  func orderAndDuplicatesDoNotMatter(seed: UInt64) {
    let records = Self.records(seed: seed)
    var rng = SplitMix64(seed: seed &* 104_729)
    let reference = Fixture.correlate(records)
    #expect(Fixture.correlate(records.shuffled(using: &rng)) == reference)
    #expect(Fixture.correlate(records.reversed()) == reference)
    let twice = (records + records.filter { _ in Bool.random(using: &rng) }).shuffled(using: &rng)
    #expect(Fixture.correlate(twice) == reference)
  }

  /// The last finish, which frees each sample as its pod takes its records, builds the state
  /// `finish()` builds (a follow session's, which leaves the correlator as it was).
  @Test(arguments: 0..<30)
  func finishingForTheLastTimeGivesTheSameState(seed: UInt64) {
    var correlator = Correlator()
    for record in Self.records(seed: seed) { correlator.add(record) }
    let state = Summary(correlator.finish())
    #expect(Summary(correlator.finish()) == state)
    #expect(Summary(correlator.finishReleasing()) == state)
  }

  @Test(arguments: 0..<30)
  func eachPodKeepsTheEndsOfEveryPattern(seed: UInt64) {
    let records = Self.records(seed: seed).compactMap { record -> LogRecord? in
      guard case .log(let log) = record, log.pod != nil, log.namespace == "shop" else { return nil }
      return log
    }
    let state = Fixture.correlate(records.map(Record.log)).state
    for pod in Set(records.compactMap(\.pod)) {
      var expected: Set<SourceRef> = []
      let own = records.filter { $0.pod == pod }
      for pattern in Set(own.map(\.patternID)) {
        let refs = own.filter { $0.patternID == pattern }.map(\.evidence.ref).sorted()
        expected.formUnion(refs.prefix(LogSample.keep))
        expected.formUnion(refs.suffix(LogSample.keep))
      }
      let history = state.pods.first { $0.key.name == pod && $0.key.namespace == "shop" }
      #expect(history?.logs.map(\.evidence.ref) == expected.sorted(), "\(pod)")
    }
  }
}
