import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `Ingestor.delivered` changes a log record in place (classified, joined to the paste's block,
/// range-checked) instead of copying it out of its enum and back at each step (issue 16), and the
/// reading's callback does it with `Ingestor.deliver` on the one copy it makes
/// (docs/architecture.md "Speed of the kubelet-log path"). On seeded random kubelet records both
/// must hand on what the steps did one after another before:
/// `classify`, then the block, then `RangeCheck` filtering every capture (the same record, the
/// same block, the same diagnostics).
@Suite struct DeliveredLogTests {
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  /// Bodies of kubelet lines (recognised, unrecognised, naming a pod or not) and back-off values,
  /// usable and not.
  static let bodies = [
    #""Probe failed" probeType="Liveness" pod="prod/app-1" podUID="5fd2" containerName="worker" probeResult="failure" output="HTTP probe failed with statuscode: 503""#,
    #""Error syncing pod, skipping" err="failed to \"StartContainer\" for \"worker\" with CrashLoopBackOff: \"back-off 5m0s restarting failed container=worker pod=app-2_shop(d4d3)\"" pod="shop/app-2" podUID="d4d3""#,
    #""Error syncing pod, skipping" err="failed to \"StartContainer\" for \"web\" with CrashLoopBackOff: \"back-off 99999999999999999999s restarting failed container=web pod=web-0_shop(u1)\"""#,
    #""Event occurred" object="default/app-3" fieldPath="spec.containers{worker}" kind="Pod" apiVersion="v1" type="Warning" reason="Unhealthy" message="Readiness probe failed: HTTP probe failed with statuscode: 503""#,
    #""SyncLoop UPDATE" source="api" pods=["kube-system/app-4"]"#,
    #"Liveness probe for "web-0_shop(uid):web" failed (failure): Get http://10.0.0.1:8080/healthz"#,
    #""RemoveContainer" containerID="f10d27c89780c2152779468594a53fde""#,
    "Failed to process watch event {EventType:0 Name:/kubepods/burstable/pod71a6/80bb}: not found",
    "plain text nobody recognises",
    "",
  ]
  static let backoffs = ["5m0s", "10s", "", "x", "18446744073709551615s", "1h2m3s", "-1s"]

  static func record(_ rng: inout SplitMix64) -> LogRecord {
    let body = bodies[Int(rng.next() % UInt64(bodies.count))]
    let line = Int(rng.next() % 50) + 1
    let origin: [LogRecord.Origin] = [.kubelet, .node, .container, .other]
    var r = LogRecord(
      origin: origin[Int(rng.next() % 4)], message: body,
      evidence: Evidence(ref: SourceRef(source: "kubelet.log", line: line), text: "I1127 00:00:00.0 1 a.go:1] " + body))
    if rng.next() % 2 == 0 {
      r.fields = KlogBody.parse(Array(body.utf8), from: 0).fields
      r = KubeletLogParser.located(r)
    }
    // Captures a parser or an earlier pattern left, some a back-off the range check drops.
    if rng.next() % 3 == 0 {
      r.patternID = "given.pattern"
      for _ in 0..<Int(rng.next() % 4) {
        let keys = ["backoff", "event.backoff", "container", "podName", "x.backoff", "backoffs"]
        r.captures.append(
          KeyValue(
            keys[Int(rng.next() % UInt64(keys.count))], backoffs[Int(rng.next() % UInt64(backoffs.count))]))
      }
    }
    if rng.next() % 5 == 0 { r.pod = nil }
    return r
  }

  /// `delivered` as it was: each step on the whole record, the range check filtering every capture.
  static func before(_ record: Record, isPaste: Bool, block: inout SourceRef?, diagnostics: DiagnosticSink) -> Record {
    var classified = Ingestor.classify(record, with: patterns)
    if isPaste, case .log(var log) = classified, log.pod == nil, log.pastedAt == nil, let id = log.patternID,
      patterns.pattern(id: id)?.isAboutNode == false
    {
      block = block ?? log.evidence.ref
      log.pastedAt = block
      classified = .log(log)
    }
    guard case .log(var log) = classified else { return classified }
    log.captures = log.captures.filter { capture in
      guard capture.key == "backoff" || capture.key.hasSuffix(".backoff"), Durations.goDuration(capture.value) == nil
      else { return true }
      diagnostics(Diagnostic(.warning, log.evidence.ref, "dropped \(capture.key)"))
      return false
    }
    return .log(log)
  }

  @Test func handsOnWhatTheStepsDidInTurn() {
    var rng = SplitMix64(seed: 1616)
    var dropped = 0
    var blocks = 0
    for _ in 0..<4_000 {
      let isPaste = rng.next() % 2 == 0
      var oldBlock: SourceRef? = rng.next() % 4 == 0 ? SourceRef(source: "kubelet.log", line: 1) : nil
      var newBlock = oldBlock
      var placeBlock = oldBlock
      let oldCount = Count()
      let newCount = Count()
      let placeCount = Count()
      var records: [Record] = []
      for _ in 0..<Int(rng.next() % 4) + 1 { records.append(.log(Self.record(&rng))) }
      for record in records {
        let old = Self.before(record, isPaste: isPaste, block: &oldBlock) { _ in oldCount.add() }
        var messages = MessageMatchMemo()
        let new = Ingestor.delivered(
          record, patterns: Self.patterns, isPaste: isPaste, block: &newBlock, messages: &messages,
          diagnostics: { _ in newCount.add() })
        #expect(new == old)
        // What the reading's callback hands on: the log record copied once and changed in place
        // (`deliver`), then wrapped.
        guard case .log(let log) = record else { continue }
        var inPlace = log
        Ingestor.deliver(
          &inPlace, patterns: Self.patterns, isPaste: isPaste, block: &placeBlock,
          diagnostics: { _ in placeCount.add() })
        #expect(Record.log(inPlace) == old)
      }
      #expect(newBlock == oldBlock)
      #expect(placeBlock == oldBlock)
      #expect(newCount.value == oldCount.value)
      #expect(placeCount.value == oldCount.value)
      dropped += oldCount.value
      if oldBlock != nil { blocks += 1 }
    }
    // The inputs reach both branches: some captures dropped, some records joined to a block.
    #expect(dropped > 100)
    #expect(blocks > 100)
  }
}

/// Diagnostics counted from a `@Sendable` sink.
private final class Count: @unchecked Sendable {
  private let lock = NSLock()
  private var n = 0
  func add() { lock.withLock { n += 1 } }
  var value: Int { lock.withLock { n } }
}
