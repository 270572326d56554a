import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

/// `Correlator.merge`: the records of a run split at random in two parts, each correlated on its
/// own and the two merged, must give the state of one correlator given all of them — what a file
/// parsed in two parts on two threads relies on (docs/architecture.md "Long and live inputs").
struct CorrelatorMergeTests {
  /// Kubelet "Event occurred" lines (`KubeletEventLog`) and watch events (`AddedOnlyCheck`),
  /// which the other generators do not make.
  static func kubeletAndWatchRecords(seed: UInt64) -> [Record] {
    var rng = SplitMix64(seed: seed)
    var records: [Record] = []
    for n in 1...Int.random(in: 1...60, using: &rng) {
      let pod = "web-\(Int.random(in: 0..<3, using: &rng))"
      let reason = ["Unhealthy", "BackOff"][Int.random(in: 0..<2, using: &rng)]
      let text = "I1127 00:00:\(n % 60) event.go:389] \"Event occurred\" object=\"shop/\(pod)\" reason=\"\(reason)\""
      var log = LogRecord(
        origin: .kubelet, message: "Event occurred",
        evidence: Evidence(ref: SourceRef(source: "kubelet.log", line: n), text: text))
      log.text = text
      log.patternID = "kubelet.event-occurred"
      log.fields = [
        KeyValue("object", "shop/\(pod)"), KeyValue("fieldPath", "spec.containers{web}"), KeyValue("kind", "Pod"),
        KeyValue("type", "Warning"), KeyValue("reason", reason), KeyValue("message", "\(reason) of web"),
      ]
      log.time = Fixture.exact(Double(Int.random(in: 0...600, using: &rng)))
      log.namespace = "shop"
      log.pod = pod
      records.append(.log(log))
    }
    for line in 1...Int.random(in: 1...12, using: &rng) {
      let verb = Int.random(in: 0..<10, using: &rng) == 0 ? "MODIFIED" : "ADDED"
      let source = "watch-\(Int.random(in: 0..<2, using: &rng)).json"
      records.append(
        .event(
          Fixture.jsonEvent(
            name: "web-0.\(Int.random(in: 0..<3, using: &rng))", count: Int.random(in: 1...2, using: &rng), first: 0,
            last: Double(line), watchType: verb, source: source, line: line)))
    }
    return records
  }

  /// Every generator's records, split at random: some records go to both parts.
  static func check(_ records: [Record], seed: UInt64) {
    var rng = SplitMix64(seed: seed &* 31_337)
    var a = Correlator()
    var b = Correlator()
    for record in records.shuffled(using: &rng) {
      switch Int.random(in: 0..<10, using: &rng) {
      case 0:
        a.add(record)
        b.add(record)
      case 1...4: a.add(record)
      default: b.add(record)
      }
    }
    let reference = Fixture.correlate(records)
    var merged = a
    merged.merge(b)
    #expect(Summary(merged.finish()) == reference)
    #expect(Summary(merged.finishReleasing()) == reference)
    // The other way round, and into an empty correlator.
    b.merge(a)
    #expect(Summary(b.finish()) == reference)
    var empty = Correlator()
    empty.merge(b)
    #expect(Summary(empty.finish()) == reference)
  }

  @Test(arguments: 0..<40)
  func mergingEventAndSnapshotPartsGivesTheWhole(seed: UInt64) {
    Self.check(CorrelatorPropertyTests.scenario(seed: seed).records, seed: seed)
  }

  @Test(arguments: 0..<40)
  func mergingLogPartsGivesTheWhole(seed: UInt64) {
    Self.check(LogCorrelationPropertyTests.records(seed: seed), seed: seed)
  }

  @Test(arguments: 0..<40)
  func mergingKubeletEventAndWatchPartsGivesTheWhole(seed: UInt64) {
    Self.check(Self.kubeletAndWatchRecords(seed: seed), seed: seed)
  }

  /// A second part names its own first pasted line as its block; moved to the first part's block
  /// (`movePastedLogs`), its lines are where one reading of the source puts them.
  @Test(arguments: 0..<20)
  func aSecondPartsPastedBlockMovesToTheFirstPartsOne(seed: UInt64) {
    let records = LogCorrelationPropertyTests.records(seed: seed)
    var rng = SplitMix64(seed: seed &* 65_537)
    let cut = Int.random(in: 0...records.count, using: &rng)
    var a = Correlator()
    for record in records[..<cut] { a.add(record) }
    var b = Correlator()
    var own: [SourceRef: SourceRef] = [:]
    for record in records[cut...] {
      guard case .log(var log) = record, let block = log.pastedAt else {
        b.add(record)
        continue
      }
      let first = own[block] ?? log.evidence.ref
      own[block] = first
      log.pastedAt = first
      b.add(.log(log))
    }
    for (block, first) in own { b.movePastedLogs(from: first, to: block) }
    a.merge(b)
    #expect(Summary(a.finishReleasing()) == Fixture.correlate(records))
  }

  /// Two parts cut at one line, as a file split in two is: the first part's lines, then the rest.
  @Test(arguments: 0..<20)
  func mergingTheTwoHalvesOfALogGivesTheWhole(seed: UInt64) {
    let records = LogCorrelationPropertyTests.records(seed: seed) + Self.kubeletAndWatchRecords(seed: seed)
    var rng = SplitMix64(seed: seed)
    let cut = Int.random(in: 0...records.count, using: &rng)
    var a = Correlator()
    for record in records[..<cut] { a.add(record) }
    var b = Correlator()
    for record in records[cut...] { b.add(record) }
    a.merge(b)
    #expect(Summary(a.finishReleasing()) == Fixture.correlate(records))
  }
}
