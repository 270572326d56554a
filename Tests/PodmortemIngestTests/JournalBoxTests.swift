import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The kubelet log's parser holds a line's journald prefix boxed and parses one only where it may
/// start (`JournaldPrefix.mayStart`), and tells journalctl's markers by their first byte before
/// `hasPrefix` (docs/architecture.md "Speed of the kubelet-log path"). `mayStart` is held to
/// `parse` on seeded bytes, `isMarker` to `hasPrefix` and `hasSuffix` on seeded texts, and the
/// parser's records to the record built a property at a time from the reference pieces
/// (`ReferenceKlogShared`'s header and `located`, `ReferenceKlogDirect`'s body), on seeded logs with
/// and without journald's prefixes (short, precise and ISO; hosts with a Kelvin sign, a dotted
/// capital I, combining accents), lines short and held, and hostile bodies.
@Suite struct JournalBoxTests {
  static func bytes(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }

  static let prefixes = [
    "Nov 27 01:02:03 node-1 kubelet[123]: ", "Nov  7 01:02:03.123456 n\u{212A} kubelet: ",
    "2026-11-27T01:02:03+0000 node-2 kubelet[9]: ", "2026-11-27T01:02:03.5+05:30 h\u{130} kubelet[1]: ",
    "Dec 31 23:59:60 e\u{301} containerd[77]: ", "Jan  1 00:00:00 x systemd: ",
  ]

  /// Bytes around journald's prefixes and klog's headers, cut, changed where `mayStart` looks
  /// (bytes 3, 4 and 10) and spliced with hostile bytes: wherever `mayStart` says no, `parse`
  /// finds no prefix, and wherever `parse` finds one, `mayStart` says yes.
  @Test(arguments: 0..<4)
  func aPrefixIsParsedOnlyWhereItMayStart(seed: UInt64) {
    var rng = SplitMix64(seed: 35_100 + seed)
    let starts =
      Self.prefixes + [
        "I1127 00:00:01.005030    4187 prober.go:107] ", "2026-11-27 01:02:03 x", "Nov-27 01:02:03 x y: z",
        "2026-11-27T01:02:03Z", "2026-11-27T01:02:03+00:00 host", "", " ", "\u{0}\r\t", "\u{212A}\u{130}e\u{301}",
      ]
    let hostile: [[UInt8]] = [[0x00], [0x0D], [0x09], [0x20], [0x2D], [0x54], [0xFF], Array("\u{212A}".utf8)]
    var found = 0
    for _ in 0..<4_000 {
      var b = Array(starts[rng.below(starts.count)].utf8) + Array("\"Probe failed\" pod=\"a/b\"".utf8)
      switch rng.below(5) {
      case 0: b = Array(b.prefix(rng.below(b.count + 1)))
      case 1:
        let at = [3, 4, 10, rng.below(b.count + 1)][rng.below(4)]
        if at < b.count { b[at] = hostile[rng.below(hostile.count)][0] }
      case 2: b.insert(contentsOf: hostile[rng.below(hostile.count)], at: rng.below(b.count + 1))
      case 3: b = (0..<rng.below(40)).map { _ in UInt8(truncatingIfNeeded: rng.below(256)) }
      default: break
      }
      let parsed = JournaldPrefix.parse(b)
      if !JournaldPrefix.mayStart(b) { #expect(parsed == nil, "\(b)") }
      if parsed != nil {
        found += 1
        #expect(JournaldPrefix.mayStart(b))
      }
    }
    #expect(found > 500)
  }

  /// `isMarker` asks `hasPrefix` only of a text whose first byte is `-`: on seeded texts of
  /// journalctl's markers, cut, spliced with a Kelvin sign, a dotted capital I, combining marks
  /// (after each `-` and the spaces), NUL, CR and tabs, it answers as `hasPrefix` and `hasSuffix`.
  @Test(arguments: 0..<4)
  func aMarkerIsToldAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 35_400 + seed)
    let pieces = [
      "-- ", "--", "-", " --", "--\u{301} ", "-\u{301}- ", "- - ", "\u{2010}- ", "\u{FE63}- ", "\u{FF0D}- ",
      "Boot 5c1e", "No entries", "\u{212A}", "\u{130}", "e\u{301}", "\u{0}", "\r", "\t", "", " ", "\u{20}\u{301}",
    ]
    var markers = 0
    for _ in 0..<5_000 {
      var text = ""
      for _ in 0..<rng.below(5) { text += pieces[rng.below(pieces.count)] }
      if rng.below(3) == 0 { text = "-- " + text + " --" }
      let expected = text.hasPrefix("-- ") && text.hasSuffix(" --")
      if expected { markers += 1 }
      #expect(JournaldPrefix.isMarker(text) == expected, "\(Array(text.unicodeScalars))")
    }
    #expect(markers > 500)
  }

  /// The record of one klog line as it was built before: made with its message and evidence, its
  /// severity, fields, text, time and node set one after another, then located.
  static func reference(_ b: [UInt8], line: Line, context: ParseContext, captured: Date) -> LogRecord? {
    let journal = JournaldPrefix.parse(b)
    guard let h = ReferenceKlogShared.header(b, from: journal?.payloadStart ?? 0) else { return nil }
    let body = ReferenceKlogDirect.body(b, from: h.bodyStart)
    guard body.openKey == nil else { return nil }
    var e = LogRecord(origin: .kubelet, message: body.message, evidence: context.evidence(line))
    e.severity = h.severity
    e.fields = body.fields
    e.text = String(decoding: b[h.bodyStart...], as: UTF8.self)
    let date: Date?
    if let instant = journal?.instant {
      let zone = journal?.utcOffset.flatMap { TimeZone(secondsFromGMT: $0) } ?? LogTime.utc
      date = YearInference(anchor: instant, zone: zone).instant(
        month: h.month, day: h.day, hour: h.hour, minute: h.minute, second: h.second, fraction: h.fraction)
    } else {
      date = YearInference(anchor: captured, zone: LogTime.utc).instant(
        month: h.month, day: h.day, hour: h.hour, minute: h.minute, second: h.second, fraction: h.fraction)
    }
    e.time = date.map(TimeRange.init(exactly:))
    e.node = journal?.host
    return ReferenceKlogShared.located(e)
  }

  /// Seeded logs: each line a klog line behind a journald prefix or none, its header's date and
  /// time varied (a day out of range, a leap second), its body one of `KlogSharedTests`' recurring
  /// hostile bodies (lines of 60 bytes or more are held a line before they are read).
  @Test(arguments: 0..<4)
  func seededLogsGiveTheRecordsBuiltStepByStep(seed: UInt64) {
    var rng = SplitMix64(seed: 35_200 + seed)
    let captured = Date(timeIntervalSince1970: 1_795_752_000)
    let context = ParseContext(
      source: SourceInfo(name: "k.log"), captureTime: CaptureTime(date: captured, origin: .flag),
      diagnostics: { _ in })
    let headers = [
      "I1127 00:00:01.005030    4187 prober.go:107] ", "W0101 23:59:60.000001 1 kubelet.go:2468] ",
      "E1231 12:00:00 77 pod_workers.go:1301] ", "I0230 01:02:03.5 9 x.go:1] ", "F1127 00:00:01.005030 2 y.go:3] ",
    ]
    var parser = KubeletLogParser(context: context)
    var records: [LogRecord] = []
    var expected: [LogRecord] = []
    var number = 0
    var journaled = 0
    for body in KlogSharedTests.recurringLines(&rng, count: 500) {
      let payload = Array(body[(KlogHeader.parse(body)?.bodyStart ?? 0)...])
      guard !payload.contains(0x0A), !payload.contains(0x0D) else { continue }
      let prefix = rng.below(3) == 0 ? Self.prefixes[rng.below(Self.prefixes.count)] : ""
      let b = Array((prefix + headers[rng.below(headers.count)]).utf8) + payload
      number += 1
      let line = Line(number: number, text: String(decoding: b, as: UTF8.self))
      guard let e = Self.reference(b, line: line, context: context, captured: captured) else { continue }
      if e.node != nil { journaled += 1 }
      expected.append(e)
      _ = parser.feed(line) { if case .log(let r) = $0 { records.append(r) } }
    }
    parser.finish { if case .log(let r) = $0 { records.append(r) } }
    #expect(records.count == expected.count)
    #expect(expected.count > 200 && journaled > 50)
    for (r, e) in zip(records, expected) {
      #expect(r == e, "\(e.text)")
      #expect(Array(r.text.utf8) == Array(e.text.utf8) && Array(r.message.utf8) == Array(e.message.utf8))
      #expect(r.fields.map { Array($0.value.utf8) } == e.fields.map { Array($0.value.utf8) })
      #expect(Self.bytes(r.pod) == Self.bytes(e.pod) && Self.bytes(r.namespace) == Self.bytes(e.namespace))
      #expect(Self.bytes(r.container) == Self.bytes(e.container) && Self.bytes(r.node) == Self.bytes(e.node))
    }
  }
}
