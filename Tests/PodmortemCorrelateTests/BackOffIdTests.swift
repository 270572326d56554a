import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `BackOffFacts.isBackOff` answers with three `==` where the log path asked a set of the three
/// pattern ids (docs/architecture.md "Speed of the kubelet-log path"). The set is kept here as
/// the reference (`backOffPatterns`, as `BackOffFacts` had it): both must agree on every id, the
/// samples' own and seeded ones spliced from the three with hostile pieces (empty, NUL, CR, tabs,
/// a Kelvin sign beside the `k` and `K`, a dotted capital I, combining accents, a spelling of the
/// same text in other bytes), and `snapshot(from:)` must give what the set's test gave on
/// seeded back-off records.
@Suite struct BackOffIdTests {
  static let backOffPatterns: Set<String> = [
    "kubelet.sync-crashloopbackoff", "kubelet.backoff-restarting", "kubelet.sync-crashloopbackoff-legacy",
  ]

  static let pieces: [String] = [
    "kubelet.sync-crashloopbackoff", "kubelet.backoff-restarting", "kubelet.sync-crashloopbackoff-legacy",
    "kubelet.", "sync-crashloop", "backoff", "-legacy", "", "\u{0}", "\r", "\t", "\u{212A}", "K", "k", "\u{130}",
    "e\u{301}", "\u{E9}", "\u{301}", "kubelet.sync-crashloopbac\u{212A}off", "kubelet.backoff-restarting ",
    String(repeating: "x", count: 300),
  ]

  @Test(arguments: 0..<8)
  func anIdIsABackOffExactlyWhenTheSetHasIt(seed: UInt64) {
    var rng = SplitMix64(seed: 17_400 + seed)
    var ids = Self.pieces + PackedEncodingTests.sampleRecords.compactMap(\.patternID)
    for _ in 0..<2_000 {
      ids.append((0..<rng.below(4)).map { _ in Self.pieces[rng.below(Self.pieces.count)] }.joined())
    }
    for id in ids { #expect(BackOffFacts.isBackOff(id) == Self.backOffPatterns.contains(id)) }
    #expect(ids.contains(where: BackOffFacts.isBackOff))
  }

  /// `snapshot(from:)` as it was, asking the set.
  static func reference(_ log: LogRecord) -> PodSnapshot? {
    guard let id = log.patternID, backOffPatterns.contains(id), let (namespace, name) = BackOffFacts.pod(of: log),
      let container = log.capture("container"), let backoff = log.capture("backoff")
    else { return nil }
    var pod = PodSnapshot(name: name, namespace: namespace)
    var c = ContainerSnapshot(name: container)
    c.state = .waiting(
      reason: "CrashLoopBackOff",
      message: "back-off \(backoff) restarting failed container=\(container) pod=\(name)_\(namespace ?? "")")
    c.waitingDetail = [KeyValue("backoff", backoff)]
    c.evidence = [log.evidence]
    pod.containers = [c]
    pod.evidence = [log.evidence]
    return pod
  }

  @Test(arguments: 0..<8)
  func aRecordGivesTheSnapshotTheSetGave(seed: UInt64) {
    var rng = SplitMix64(seed: 17_500 + seed)
    var seen = 0
    for _ in 0..<500 {
      var r = LogRecord(
        origin: .kubelet, message: "back-off",
        evidence: Evidence(ref: SourceRef(source: "kubelet.log", line: 1 + rng.below(100)), text: "line"))
      r.patternID = rng.below(5) == 0 ? nil : Self.pieces[rng.below(Self.pieces.count)]
      let keys = ["pod", "podName", "namespace", "container", "backoff"]
      r.captures = keys.filter { _ in rng.below(4) != 0 }.map {
        KeyValue($0, ["ns/web-0", "web-0", "", "c", "5m0s", "\u{212A}"][rng.below(6)])
      }
      let got = BackOffFacts.snapshot(from: r)
      #expect(got == Self.reference(r))
      if got != nil { seen += 1 }
    }
    #expect(seen > 0)
  }
}
