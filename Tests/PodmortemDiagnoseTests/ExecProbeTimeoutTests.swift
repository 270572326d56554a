import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// `ExecProbeTimeoutRule.timeouts` reads a pod's records by index in place (`PodLogs.packed`) and
/// tests an id's length before comparing it: the records must be those the filter over the
/// `PodLogs` it replaces selects, in the same order, on seeded records with hostile pattern ids
/// (the pattern's length with other bytes: a Kelvin sign, a dotted İ, a combining accent, NUL, CR,
/// a tab) and hostile codes (docs/architecture.md "Diagnosis: read a pod once").
@Suite struct ExecProbeTimeoutTests {
  private static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  private static let ids: [String?] = [
    nil, "kubelet.exec-sync-failed", "kubelet.exec-sync-failed", "kubelet.exec-sync-faile\u{0}",
    "kubelet.exec-sync-faile\r", "kubelet.exec-sync-faile\t", "\u{212A}ubelet.exec-sync-fai",
    "kubelet.exec-sync-fa\u{130}e",
    "kubelet.exec-sync-faile\u{301}", "kubelet.exec-sync-failed ", "KUBELET.EXEC-SYNC-FAILED", "kubelet.probe-failed",
    "",
  ]
  private static let codes: [String?] = [
    nil, "DeadlineExceeded", "DeadlineExceeded", "deadlineexceeded", "DeadlineExceede\u{301}d", "Unknown", "",
    "DeadlineExceeded\u{0}",
  ]

  @Test func timeoutsAreTheFilter() {
    var rng = SplitMix64(seed: 29)
    var found = (pods: 0, records: 0)
    for _ in 0..<3_000 {
      var logs: [LogRecord] = []
      for i in 0..<rng.below(12) {
        var captures: [KeyValue] = []
        for _ in 0..<rng.below(4) {
          let key = Self.pick(["code", "legacyCode", "cmd", "containerID", "code"], &rng)
          captures.append(KeyValue(key, Self.pick(Self.codes, &rng) ?? "x"))
        }
        let text = "I1127 exec " + captures.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        var log = LogRecord(
          origin: .kubelet, message: text, evidence: Evidence(ref: SourceRef(source: "k.log", line: i + 1), text: text))
        log.patternID = Self.pick(Self.ids, &rng)
        log.captures = captures
        logs.append(log)
      }
      let pod = PodLogs(logs)
      // The filter the rule ran before, over the list itself.
      let reference = pod.filter { log in
        log.patternID == ExecProbeTimeoutRule.pattern
          && (log.capture("code") ?? log.capture("legacyCode")) == "DeadlineExceeded"
      }
      let timeouts = ExecProbeTimeoutRule.timeouts(pod)
      #expect(timeouts == reference)
      #expect(timeouts.map { Array($0.evidence.text.utf8) } == reference.map { Array($0.evidence.text.utf8) })
      if !timeouts.isEmpty { found.pods += 1 }
      found.records += timeouts.count
    }
    #expect(found.pods > 250 && found.records > 300, "\(found)")
  }
}
