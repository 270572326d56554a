import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `KubeletEventLog` keys its gathered lines by `KubeletEventLog.Key` (the identity in one
/// reference, with its hash) where it keyed them by the `EventIdentity` itself
/// (docs/architecture.md "Speed of the kubelet-log path"); it must gather what it gathered.
@Suite struct KubeletEventKeyTests {
  /// `KubeletEventLog.add` before the change, over many records, kept as the reference: the
  /// lines gathered in a dictionary keyed by the identity itself.
  static func referenceGathered(_ logs: [LogRecord]) -> [EventIdentity: KubeletEventLog.Gathered] {
    var byIdentity: [EventIdentity: KubeletEventLog.Gathered] = [:]
    for log in logs {
      guard log.patternID == KubeletEventLog.patternID, let event = KubeletEventLog.event(from: log) else { continue }
      var hasher = Hasher()
      hasher.combine(log.evidence.ref)
      KubeletEventLog.gather(
        log, line: hasher.finalize(),
        into: &byIdentity[EventIdentity(event), default: KubeletEventLog.Gathered(event: event, lines: [])])
    }
    return byIdentity
  }

  /// Values fields are drawn from, few so that identities repeat: a Kelvin sign and the `K` it
  /// equals as a `String`, a dotted capital I, an accent composed and combining, CR, NUL, a tab.
  private static let objects = [
    "default/web-0", "default/web-\u{212A}", "default/web-K", "prod/app-8412a3-00358", "node-1", "ns/\u{130}", "",
  ]
  private static let messages = [
    "Readiness probe failed: HTTP probe failed with statuscode: 503", "Back-off restarting failed container",
    "caf\u{e9}", "cafe\u{301}", "a\rb", "\u{0}", "\t", "",
  ]

  static func record(_ rng: inout SplitMix64, line: Int) -> LogRecord {
    var log = LogRecord(
      origin: .kubelet, message: "Event occurred",
      evidence: Evidence(ref: SourceRef(source: "kubelet.log", line: line), text: "I1127 line \(line)"))
    log.patternID = rng.below(10) == 0 ? "kubelet.probe-failed" : KubeletEventLog.patternID
    log.fields = [
      KeyValue("object", objects[rng.below(objects.count)]), KeyValue("kind", rng.below(2) == 0 ? "Pod" : "pod"),
      KeyValue("type", rng.below(3) == 0 ? "Normal" : "Warning"),
      KeyValue("reason", rng.below(2) == 0 ? "Unhealthy" : "BackOff"),
      KeyValue("message", messages[rng.below(messages.count)]),
    ]
    if rng.below(3) == 0 { log.fields.append(KeyValue("fieldPath", "spec.containers{worker}")) }
    if rng.below(6) == 0 { log.fields.remove(at: rng.below(log.fields.count)) }
    log.captures = [KeyValue("event.pattern", "kubelet.probe-failed"), KeyValue("event.code", "\(rng.below(3))")]
    log.time = TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000 + Double(rng.below(1000))))
    return log
  }

  static func bytes(_ e: Event) -> [[UInt8]] {
    let strings: [String?] =
      [e.involved.namespace, e.involved.name, e.involved.kind, e.involved.fieldPath, e.reason, e.message, e.patternID]
      + e.captures.flatMap { [$0.key, $0.value] }
    return strings.map { Array(($0 ?? "\u{0}nil").utf8) } + [
      Array("\(e.count.map { String($0) } ?? "nil") \(e.type)".utf8)
    ]
  }

  static func bytes(_ lines: [Evidence]) -> [[UInt8]] {
    lines.map { Array("\($0.ref.source):\($0.ref.line):".utf8) + Array($0.text.utf8) }
  }

  /// Seeded records, lines given twice and out of order: the same identities, each with the same
  /// event (byte for byte: the first line's), line hashes, times and first and last lines.
  @Test(arguments: 0..<16)
  func gathersWhatTheIdentityKeyGathered(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var logs: [LogRecord] = []
    for i in 0..<300 {
      let line = rng.below(5) == 0 ? max(1, i - rng.below(40)) : i + 1
      logs.append(Self.record(&rng, line: line))
    }
    var log = KubeletEventLog()
    for r in logs { _ = log.add(r) }
    let reference = Self.referenceGathered(logs)
    #expect(log.byIdentity.count == reference.count)
    #expect(reference.count > 1)
    for (key, gathered) in log.byIdentity {
      guard let expected = reference[key.identity] else {
        Issue.record("no identity \(key.identity)")
        continue
      }
      #expect(gathered.event == expected.event)
      #expect(Self.bytes(gathered.event) == Self.bytes(expected.event))
      #expect(gathered.lines == expected.lines)
      #expect(Self.bytes(gathered.first) == Self.bytes(expected.first))
      #expect(Self.bytes(gathered.last) == Self.bytes(expected.last))
    }
    // A key equals another exactly when their identities are equal, and then hashes alike.
    let keys = Array(log.byIdentity.keys)
    for a in keys {
      for b in keys {
        #expect((a == b) == (a.identity == b.identity))
        let copy = KubeletEventLog.Key(a.identity)
        #expect(copy == a && copy.hashValue == a.hashValue)
      }
    }
  }
}
