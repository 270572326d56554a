import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// A string the line holds with its `"` and `\` escaped, as a klog line quotes a message or a
/// value, is written as where the line holds it (`PackedLog`'s `Form.escaped`) instead of as its
/// bytes (docs/architecture.md "Memory of the kubelet-log run"). The reference is the record
/// itself: what the encoding before read back, byte for byte. Checked on seeded random strings
/// of hostile pieces (quotes, backslashes, escapes of escapes, NUL, CR, tabs, a Kelvin sign, a
/// dotted capital I, combining accents, bytes that are not UTF-8), on klog-like lines quoting
/// them, and on the bench log's two kinds of such lines.
@Suite struct PackedEscapedTests {
  static let pieces: [String] = [
    "\"", "\\", "\\\"", "\\\\", "\"\"", "x", "web", "Get \"http://10.244.1.2:8080/healthz\": ", "\u{0}", "\r", "\r\n",
    "\t", "\u{212A}", "\u{130}", "e\u{301}", "\u{301}", "🙂", "=", " ", "\u{FFFD}",
  ]

  static func string(_ rng: inout SplitMix64, pieces count: Int) -> String {
    var s = (0..<count).map { _ in pieces[rng.below(pieces.count)] }.joined()
    // Bytes that are not UTF-8, decoded with repairs, as a parser's bytes would be.
    if rng.below(4) == 0 { s = String(decoding: Array(s.utf8) + [0xFF, 0x80], as: UTF8.self) }
    return s
  }

  /// The escape written out plainly: a `\` before each `"` and `\`.
  static func escapeReference(_ s: String) -> [UInt8] {
    Array(s.utf8).flatMap { b in b == 0x22 || b == 0x5C ? [0x5C, b] : [b] }
  }

  @Test(arguments: 0..<8)
  func unescapingTheEscapeGivesBackTheBytes(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<400 {
      let s = Self.string(&rng, pieces: rng.below(12))
      let bytes = Array(s.utf8)
      let escaped = bytes.withUnsafeBufferPointer { b in PackedLog.withEscaped(b) { Array($0) } }
      if bytes.contains(0x22) || bytes.contains(0x5C) {
        #expect(escaped == Self.escapeReference(s))
        let back = (escaped ?? []).withUnsafeBufferPointer { PackedLog.unescape($0) }
        #expect(Array(back.utf8) == bytes)
      } else {
        #expect(escaped == nil)
      }
    }
  }

  /// Every string of `r` as bytes, in one order, with its presence.
  static func utf8(_ r: LogRecord) -> [[UInt8]] {
    var all: [String?] = [r.evidence.text, r.text, r.message, r.severity, r.node, r.namespace, r.pod, r.container]
    for kv in r.fields + [KeyValue("-", "-")] + r.captures { all += [kv.key, kv.value] }
    return all.map { s in s.map { [1] + Array($0.utf8) } ?? [0] } + [[UInt8(truncatingIfNeeded: r.fields.count)]]
  }

  /// What rules and reports read of a packed record, each against the record's own, byte for byte.
  static func expectReadings(_ p: PackedLog, _ r: LogRecord) {
    #expect(utf8(p.record) == utf8(r))
    #expect(p.record == r)
    #expect(Array(p.message.utf8) == Array(r.message.utf8))
    #expect(Array(p.text.utf8) == Array(r.text.utf8))
    #expect(p.pod.map { Array($0.utf8) } == r.pod.map { Array($0.utf8) })
    #expect(p.namespace.map { Array($0.utf8) } == r.namespace.map { Array($0.utf8) })
    #expect(p.node.map { Array($0.utf8) } == r.node.map { Array($0.utf8) })
    #expect(p.container.map { Array($0.utf8) } == r.container.map { Array($0.utf8) })
    #expect(p.fields.map { Array($0.value.utf8) } == r.fields.map { Array($0.value.utf8) })
    #expect(p.captures.map { Array($0.value.utf8) } == r.captures.map { Array($0.value.utf8) })
    for kv in r.fields { #expect(p.field(kv.key).map { Array($0.utf8) } == r.field(kv.key).map { Array($0.utf8) }) }
    for kv in r.captures {
      #expect(p.capture(kv.key).map { Array($0.utf8) } == r.capture(kv.key).map { Array($0.utf8) })
    }
    var strings = SharedStrings()
    #expect(utf8(p.record(sharing: &strings)) == utf8(r))
  }

  /// Klog-like lines whose quoted values are escaped hostile strings; the record holds the
  /// strings unescaped (as the parser's), pieces of them, or other strings.
  @Test(arguments: 0..<16)
  func escapedStringsReadBackByteForByte(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var packedOf: [[UInt8]: PackedLog] = [:]
    for n in 0..<150 {
      let message = Self.string(&rng, pieces: rng.below(8))
      let pairs = (0..<rng.below(6)).map { i in ("k\(i)", Self.string(&rng, pieces: rng.below(10))) }
      func quoted(_ s: String) -> String { "\"" + String(decoding: Self.escapeReference(s), as: UTF8.self) + "\"" }
      let body = quoted(message) + pairs.map { " \($0.0)=" + quoted($0.1) }.joined()
      var r = LogSampleTests.record(n % 13, pattern: n % 3 == 0 ? nil : "p")
      r.evidence.text = "I1127 00:00:00.005030    4187 prober.go:107] " + body
      r.text = rng.below(4) == 0 ? Self.string(&rng, pieces: 3) : body
      r.message = rng.below(4) == 0 ? r.text : message
      r.fields = pairs.map { KeyValue($0.0, rng.below(5) == 0 ? Self.string(&rng, pieces: 4) : $0.1) }
      r.captures = (0..<rng.below(4)).map { _ in
        let value = pairs.isEmpty ? message : pairs[rng.below(pairs.count)].1
        let cut = String(value.dropFirst(rng.below(3)))
        return KeyValue("c\(rng.below(3))", rng.below(2) == 0 ? value : cut)
      }
      r.namespace = rng.below(2) == 0 ? nil : message
      r.pod = rng.below(2) == 0 ? nil : pairs.first?.1
      r.container = rng.below(2) == 0 ? nil : Self.string(&rng, pieces: 2)
      r.node = rng.below(3) == 0 ? nil : message
      r.severity = "I"
      let packed = PackedLog(r)
      Self.expectReadings(packed, r)
      var again = PackedLog(LogSampleTests.record(1))
      again.repack(r)
      #expect(again == packed)
      // Equal bytes pack equal; different bytes pack different.
      let key = Self.utf8(r).flatMap { $0 } + Array((r.patternID ?? "-").utf8) + [UInt8(r.evidence.ref.line)]
      if let seen = packedOf[key] { #expect(seen == packed) }
      for (other, p) in packedOf where other != key { #expect(p != packed) }
      packedOf[key] = packed
    }
  }

  /// The bench log's two kinds of lines that quote escaped strings: the escaped message and
  /// value are written as where they lie, so the record costs little more than its line.
  @Test func theBenchLogsEscapedLinesCostLittleMoreThanTheLine() {
    let volume =
      #""operationExecutor.VerifyControllerAttachedVolume started for volume \"kube-api-access-f4ca6\" (UniqueName: \"kubernetes.io/projected/1f115b76-2222-cd29-76f2-87f8aae65fc1-kube-api-access-f4ca6\") pod \"app-1f115b-00116\" (UID: \"1f115b76-2222-cd29-76f2-87f8aae65fc1\") " pod="payments/app-1f115b-00116""#
    let probe =
      #""Probe failed" probeType="Liveness" pod="prod/app-5fd231-00287" podUID="5fd23109-afd3-ec48-7969-175a112fa612" containerName="worker" probeResult="failure" output="Get \"http://10.244.133.228:8080/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)""#
    let output =
      #"Get "http://10.244.133.228:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"#
    for (body, message, fields, captures) in [
      (
        volume,
        #"operationExecutor.VerifyControllerAttachedVolume started for volume "kube-api-access-f4ca6" (UniqueName: "kubernetes.io/projected/1f115b76-2222-cd29-76f2-87f8aae65fc1-kube-api-access-f4ca6") pod "app-1f115b-00116" (UID: "1f115b76-2222-cd29-76f2-87f8aae65fc1") "#,
        [KeyValue("pod", "payments/app-1f115b-00116")], [KeyValue("pod", "app-1f115b-00116")]
      ),
      (
        probe, "Probe failed",
        [
          KeyValue("probeType", "Liveness"), KeyValue("pod", "prod/app-5fd231-00287"),
          KeyValue("podUID", "5fd23109-afd3-ec48-7969-175a112fa612"), KeyValue("containerName", "worker"),
          KeyValue("probeResult", "failure"), KeyValue("output", output),
        ],
        [KeyValue("output", output)]
      ),
    ] {
      var r = LogSampleTests.record(7, pattern: "p")
      r.evidence.text = "I1127 00:00:01.209889    4187 reconciler_common.go:258] " + body
      r.text = body
      r.message = message
      r.fields = fields
      r.captures = captures
      let packed = PackedLog(r)
      Self.expectReadings(packed, r)
      // The line, and a few bytes for each other string: the escaped ones (the message, the
      // output, each over 100 bytes) not written out again.
      let escaped = (fields.map(\.value) + [message]).map(\.utf8.count).filter { $0 > 100 }
      #expect(escaped.count == 1)
      #expect(packed.bytes.count < r.evidence.text.utf8.count + 80)
    }
  }
}
