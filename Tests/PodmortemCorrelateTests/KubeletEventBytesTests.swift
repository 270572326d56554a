import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `KubeletEventLog.event(from:)` reads an "Event occurred" line's fields on their bytes; it must
/// give what reading them by `Character` gave (`eventByCharacters`), on real-shaped and hostile
/// records alike (docs/architecture.md "Speed of the kubelet-log path").
@Suite struct KubeletEventBytesTests {
  /// Pieces values are made of: plain text, separators, quotes and escapes, multi-byte and
  /// combining characters (a `/` or `.` that a combining mark joins into another `Character`),
  /// a CR LF pair, a Kelvin sign (canonically a `K`).
  private static let pieces = [
    "default", "kube-system", "web-0", "app-8412a3-00358", "/", "//", "a/b", "", " ", "\"", "\\\"", "\\",
    "é", "e\u{301}", "/\u{301}", "\u{301}", "🙂", "\r\n", "\n", "\u{212A}", "ns", "spec.containers{web}",
    "Liveness probe failed: HTTP probe failed with statuscode: 503", "=", "Pod", "Warning", "Normal", "\t",
  ]

  private static let fieldNames = [
    "object", "object", "reason", "type", "kind", "fieldPath", "message", "apiVersion", "Object", "objects", "",
    "obj\u{301}ect",
  ]

  private static let captureNames = [
    "event.pattern", "event.reason", "event.probe", "event.", "event", "event.\u{301}x", "évent.x", "event.é",
    "eventx", "other", "event.pattern", "event.code", "ev", "event.\r\n", "\u{301}event.x",
  ]

  private static func value(_ rng: inout SplitMix64) -> String {
    (0..<rng.below(5)).map { _ in pieces[rng.below(pieces.count)] }.joined()
  }

  /// A record with random fields and captures, each name and value drawn from the pieces above.
  private static func hostile(_ rng: inout SplitMix64) -> LogRecord {
    var log = real(&rng)
    log.fields = (0..<rng.below(9)).map { _ in KeyValue(fieldNames[rng.below(fieldNames.count)], value(&rng)) }
    log.captures = (0..<rng.below(7)).map { _ in
      KeyValue(captureNames[rng.below(captureNames.count)], value(&rng))
    }
    return log
  }

  /// A record as the kubelet log parser makes of a real "Event occurred" line, its object drawn
  /// from namespaced, unnamespaced and odd ones.
  private static func real(_ rng: inout SplitMix64) -> LogRecord {
    var log = LogRecord(
      origin: .kubelet, message: "Event occurred",
      evidence: Evidence(ref: SourceRef(source: "kubelet.log", line: rng.below(1000) + 1), text: "I1127 …"))
    log.patternID = KubeletEventLog.patternID
    let objects = [
      "default/web-0", "monitoring/app-f264ac-00037", "node-1", "/web-0", "default/", "a//b", "//a/b", "ns/a/b", "",
      "/", "ns/\u{00e9}", "ns/\u{301}x",
    ]
    log.fields = [
      KeyValue("object", objects[rng.below(objects.count)]), KeyValue("fieldPath", "spec.containers{worker}"),
      KeyValue("kind", "Pod"), KeyValue("apiVersion", "v1"), KeyValue("type", rng.below(2) == 0 ? "Warning" : "Normal"),
      KeyValue("reason", "Unhealthy"),
      KeyValue("message", "Readiness probe failed: HTTP probe failed with statuscode: 503"),
    ]
    if rng.below(4) == 0 { log.fields.remove(at: rng.below(log.fields.count)) }
    log.captures = [
      KeyValue("event.pattern", "kubelet.probe-failed"), KeyValue("event.probe", "Readiness"),
      KeyValue("event.code", "503"), KeyValue("pod", "web-0"),
    ]
    log.time = TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000 + Double(rng.below(100))))
    return log
  }

  /// The strings of an event, as bytes: `==` on `String` is canonical equivalence, the output is bytes.
  private static func bytes(_ e: Event?) -> [[UInt8]] {
    guard let e else { return [] }
    let fixed: [String?] = [
      e.involved.namespace, e.involved.name, e.involved.kind, e.involved.fieldPath, e.reason, e.message, e.patternID,
    ]
    let strings = fixed + e.captures.flatMap { kv -> [String?] in [kv.key, kv.value] }
    return strings.map { Array(($0 ?? "\u{0}nil").utf8) } + [Array(e.type.description.utf8)]
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64]) func bytesGiveWhatCharactersGave(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for n in 0..<400 {
      let log = n % 2 == 0 ? Self.real(&rng) : Self.hostile(&rng)
      let new = KubeletEventLog.event(from: log)
      let old = KubeletEventLog.eventByCharacters(from: log)
      #expect(new == old, "seed \(seed), case \(n): \(log.fields) \(log.captures)")
      #expect(Self.bytes(new) == Self.bytes(old), "seed \(seed), case \(n): \(log.fields) \(log.captures)")
    }
  }

  @Test func anObjectIsSplitAsByCharacters() {
    let objects = [
      "default/web-0", "node-1", "/web-0", "default/", "a//b", "//a/b", "ns/a/b", "", "/", "//", "a/", "/a/", "ns//",
    ]
    for object in objects {
      let parts = object.split(separator: "/", maxSplits: 1).map(String.init)
      let expected = parts.count == 2 ? (Optional(parts[0]), parts[1]) : (nil, object)
      let got = KubeletEventLog.splitObject(object)
      #expect(got?.namespace == expected.0 && got?.name == expected.1, "\(object)")
    }
    #expect(KubeletEventLog.splitObject("ns/\u{301}x") == nil)
  }
}
