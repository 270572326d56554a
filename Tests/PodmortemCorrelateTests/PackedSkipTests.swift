import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// A packed record's readings step over the strings before the one they read without building
/// them (`PackedLog.skip`; docs/architecture.md "Speed of the kubelet-log path"). The walk they
/// replaced, which built the slot of every string before the pairs (`referenceSlots`, kept here),
/// is the reference: every reading — message, severity, node, namespace, pod, container, fields,
/// captures, and `field(_:)` and `capture(_:)` for every key the record has, near misses and keys
/// it lacks — gives the same strings byte for byte, and the record's own, on every log record of
/// the repository's samples and on seeded hostile records (lines empty and long, strings the
/// line holds, holds escaped or lacks, NUL, CR, tabs, a Kelvin sign, a dotted capital I,
/// combining accents, bytes that are not UTF-8, rare header fields set).
@Suite struct PackedSkipTests {
  static func bytes(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }
  static func bytes(_ pairs: [KeyValue]) -> [[UInt8]] { pairs.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] } }

  static func expectSameReadings(_ r: LogRecord) {
    let p = PackedLog(r)
    #expect(bytes(p.message) == bytes(p.referenceString(\.message)))
    #expect(bytes(p.severity) == bytes(p.referenceString(\.severity)))
    #expect(bytes(p.node) == bytes(p.referenceString(\.node)))
    #expect(bytes(p.namespace) == bytes(p.referenceString(\.namespace)))
    #expect(bytes(p.pod) == bytes(p.referenceString(\.pod)))
    #expect(bytes(p.container) == bytes(p.referenceString(\.container)))
    #expect(bytes(p.fields) == bytes(p.referenceFields))
    #expect(bytes(p.captures) == bytes(p.referenceCaptures))
    // And the record's own.
    #expect(bytes(p.message) == bytes(r.message))
    #expect(bytes(p.container) == bytes(r.container))
    #expect(bytes(p.pod) == bytes(r.pod))
    #expect(bytes(p.fields) == bytes(r.fields))
    #expect(bytes(p.captures) == bytes(r.captures))
    var keys = (r.fields + r.captures).map(\.key) + ["", "pod", "container", "containerName", "absent", "\u{212A}ind"]
    keys += (r.fields + r.captures).prefix(3).flatMap { kv in
      [kv.key + "x", String(kv.key.dropLast()), kv.key.uppercased()]
    }
    for key in keys {
      #expect(bytes(p.field(key)) == bytes(p.referenceField(key)))
      #expect(bytes(p.capture(key)) == bytes(p.referenceCapture(key)))
      #expect(bytes(p.field(key)) == bytes(r.field(key)))
    }
  }

  @Test func theSamplesReadAsTheWalkBeforeRead() {
    #expect(!PackedEncodingTests.sampleRecords.isEmpty)
    for r in PackedEncodingTests.sampleRecords { Self.expectSameReadings(r) }
  }

  @Test(arguments: 0..<16)
  func hostileRecordsReadAsTheWalkBeforeRead(seed: UInt64) {
    var rng = SplitMix64(seed: 34_000 + seed)
    for _ in 0..<150 {
      var r = PackedEncodingTests.hostileRecord(&rng, lineSizes: [0, 1, 60, 250, 700, 20_000])
      // Strings written as where the line holds them: a klog line whose body holds them.
      if rng.below(2) == 0 {
        let body = #""Probe failed" pod="ns/\#(r.pod ?? "p")" containerName="\#(r.container ?? "c")""#
        r.evidence.text = "I1127 00:00:00.005030    4187 prober.go:107] " + body
        r.text = body
        r.message = "Probe failed"
        r.fields = [KeyValue("pod", "ns/\(r.pod ?? "p")"), KeyValue("containerName", r.container ?? "c")] + r.fields
      }
      Self.expectSameReadings(r)
    }
  }
}

// The walk before `PackedLog.skip`: every slot before the pairs built, in the order `encode`
// writes them, and the pairs' slots built to reach the fields.
extension PackedLog {
  struct ReferenceSlots {
    var line = Slot.absent
    var text = Slot.absent
    var message = Slot.absent
    var severity = Slot.absent
    var node = Slot.absent
    var namespace = Slot.absent
    var pod = Slot.absent
    var container = Slot.absent
    var captures = 0
  }

  var referenceSlots: ReferenceSlots {
    var i = stringsStart
    var s = ReferenceSlots()
    s.line = slot(&i)
    s.text = slot(&i)
    s.message = slot(&i)
    s.severity = slot(&i)
    s.node = slot(&i)
    s.namespace = slot(&i)
    s.pod = slot(&i)
    s.container = slot(&i)
    s.captures = i
    return s
  }

  func referenceSlots(fieldsAt: inout Int) -> ReferenceSlots {
    let s = referenceSlots
    var i = s.captures
    let n = count(&i)
    for _ in 0..<n {
      _ = slot(&i)
      _ = slot(&i)
    }
    fieldsAt = i
    return s
  }

  func referenceString(_ which: KeyPath<ReferenceSlots, Slot>) -> String? {
    let s = referenceSlots
    return string(s[keyPath: which], line: s.line, text: s.text)
  }

  var referenceFields: [KeyValue] {
    var at = 0
    let s = referenceSlots(fieldsAt: &at)
    return pairs(at: at, line: s.line)
  }

  var referenceCaptures: [KeyValue] {
    let s = referenceSlots
    return pairs(at: s.captures, line: s.line)
  }

  func referenceField(_ key: String) -> String? {
    var at = 0
    let s = referenceSlots(fieldsAt: &at)
    return value(key, pairsAt: at, line: s.line)
  }

  func referenceCapture(_ key: String) -> String? {
    let s = referenceSlots
    return value(key, pairsAt: s.captures, line: s.line)
  }
}
