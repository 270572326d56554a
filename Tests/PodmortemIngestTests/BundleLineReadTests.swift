import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// A containerd or dockerd log line in logfmt is read once for its record (`NodeLogParser.logfmtLine`,
/// `klogText`, `appendQuoted`; docs/architecture.md, "Sniffing a head of long lines"). The record
/// the parser made before is kept here as the reference.
@Suite struct LogfmtLineTests {
  /// `NodeLogParser.feed` as it was, kept as the reference: the split reads a logfmt line's time
  /// (`logfmtValue`), the pairs are read again whole (`logfmt`), searched three times by key and
  /// filtered, and the patterns' text is built as an array of strings joined.
  static func referenceRecords(_ lines: [String]) -> [Record?] {
    let context = ParseContext(source: SourceInfo(name: "containerd.log"), captureTime: capture, diagnostics: { _ in })
    return lines.enumerated().map { n, text -> Record? in
      let line = Line(number: n + 1, text: text)
      let b = PastePrefix.payload(line.text)
      if b.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x60 }) { return nil }
      guard let parts = NodeLogParser.split(b) else { return nil }
      var record: LogRecord
      switch parts.form {
      case .dmesg:
        record = LogRecord(origin: .node, message: parts.body, evidence: context.evidence(line))
        record.fields = [KeyValue("identifier", "kernel")]
      case .dockerEvent:
        record = LogRecord(origin: .node, message: parts.body, evidence: context.evidence(line))
        record.fields = [KeyValue("identifier", "docker")] + NodeLogParser.labels(parts.body)
        record.pod = record.field("io.kubernetes.pod.name")
        record.namespace = record.field("io.kubernetes.pod.namespace")
        record.container = record.field("io.kubernetes.container.name")
      case .logfmt:
        let pairs = LogfmtValueTests.referenceLogfmt(parts.body)
        let message = pairs.first { $0.key == "msg" }?.value ?? parts.body
        record = LogRecord(origin: .node, message: message, evidence: context.evidence(line))
        record.fields = pairs.filter { $0.key != "msg" && $0.key != "time" && $0.key != "level" }
        record.severity = pairs.first { $0.key == "level" }?.value
        record.text = ([GoString.quote(message)] + record.fields.map { "\($0.key)=\(GoString.quote($0.value))" })
          .joined(separator: " ")
      }
      record.time = parts.time.map(TimeRange.init(exactly:))
      return .log(record)
    }
  }

  static func newRecords(_ lines: [String]) -> [Record?] {
    let context = ParseContext(source: SourceInfo(name: "containerd.log"), captureTime: capture, diagnostics: { _ in })
    var parser = NodeLogParser(context: context)
    return lines.enumerated().map { n, text -> Record? in
      var out: Record?
      _ = parser.feed(Line(number: n + 1, text: text)) { out = $0 }
      return out
    }
  }

  /// Every string of a record by its bytes (`String`'s `==` is canonical equivalence, which
  /// would let a different byte pass), beside the record itself.
  static func bytes(_ record: Record?) -> [[UInt8]] {
    guard case .log(let r) = record else { return [] }
    var out = [Array(r.message.utf8), Array(r.text.utf8), Array((r.severity ?? "\u{0}nil").utf8)]
    for field in r.fields { out += [Array(field.key.utf8), Array(field.value.utf8)] }
    out.append(Array(String(describing: r.time).utf8))
    return out
  }

  /// logfmt lines of a containerd or dockerd log and near misses: quoted values with escapes and
  /// `=` inside, bare values, duplicate `msg`, `level` and `time` keys, keys with a Kelvin sign, a
  /// dotted capital I or a combining accent, cut quotes, and hostile pieces (NUL, CR, tabs, C1
  /// controls, non-ASCII) put anywhere in the line.
  static let madeLines: [String] = {
    let starts = [
      "time=\"2026-11-27T00:01:02.123456Z\" level=info msg=", "level=error msg=", "time=\"2019-05-04T18:05:45-05:00\" ",
      "time=\"", "level=", "time=\"x\" msg=", "  time=\"2026-11-27T00:01:02Z\" msg=", "> level=warn msg=",
    ]
    let pairs = [
      "msg=\"failed to reach upstream: dial tcp 10.0.0.7:443: i/o timeout\"", "msg=\"a \\\"b\\\" c\"", "msg=plain",
      "msg=\"unclosed", "msg=", "level=info", "level=\"warn\"", "time=\"2026-11-27T00:01:02.123Z\"",
      "time=2026-11-27T00:01:02Z", "component=app", "error=\"x=y, z=\\\"w\\\"\"", "k=v=w", "=x", "k", "k=\"\"",
      "ms\u{212A}=x", "\u{130}d=1", "ti\u{301}me=x", "msg\u{301}=x", "Msg=x", "k=\"\\x41\\u00e9\\t\\n\"",
      "k=\"é\u{301}\"", "k=\"\u{85}\"", "k=\"\u{A0}\"", "k=\"\\u0085\"", "k=\u{0}v", "k=\"\r\"", "k=\"\t\"",
      "k=\"\\\\\"", "x=\"\\\"", "k=\"a b\"", "  ", "\t", "k=🙂",
    ]
    var rng = SplitMix64(seed: 2316)
    return (0..<20_000).map { _ in
      var text =
        starts[rng.below(starts.count)]
        + (0..<(rng.below(6) + 1)).map { _ in pairs[rng.below(pairs.count)] }.joined(separator: " ")
      if rng.below(3) == 0 {
        var chars = Array(text)
        for _ in 0..<(rng.below(3) + 1) {
          let piece = BundleShortcutInputs.pieces[rng.below(BundleShortcutInputs.pieces.count)]
          chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
        }
        text = String(chars)
      }
      if rng.below(8) == 0 { text = String(text.prefix(rng.below(text.count + 1))) }
      return text
    }
  }()

  @Test func theRecordIsTheOldOne() {
    let lines = Self.madeLines + SampleLines.all + BundleShortcutInputs.strings(count: 10_000, seed: 2317)
    let reference = Self.referenceRecords(lines)
    let new = Self.newRecords(lines)
    var logfmt = 0
    var quotedByQuote = 0
    for (k, text) in lines.enumerated() {
      #expect(new[k] == reference[k], "\(text.debugDescription)")
      #expect(Self.bytes(new[k]) == Self.bytes(reference[k]), "\(text.debugDescription)")
      if case .log(let r) = reference[k], r.text.hasPrefix("\"") {
        logfmt += 1
        if r.text.utf8.contains(0x5C) { quotedByQuote += 1 }
      }
    }
    // Both ways of quoting are reached: as it is, and left to `GoString.quote`.
    #expect(logfmt > 10_000)
    #expect(quotedByQuote > 1_000)
  }

  @Test func appendQuotedIsQuote() {
    let texts =
      BundleShortcutInputs.pieces + BundleShortcutInputs.pieces.map { "a\($0)b" } + SampleLines.hostile
      + BundleShortcutInputs.strings(count: 10_000, seed: 2318)
    var asItIs = 0
    for text in texts {
      var out: [UInt8] = [0x41]
      NodeLogParser.appendQuoted(text, to: &out)
      #expect(out == [0x41] + Array(GoString.quote(text).utf8), "\(text.debugDescription)")
      if !out.contains(0x5C) { asItIs += 1 }
    }
    #expect(asItIs > 1_000)
  }
}

/// Pieces of made lines: each ASCII byte, C1 controls, a Kelvin sign, a dotted capital I,
/// combining accents, CR LF (`BundleShortcutInputs.pieces`), put into `base` at seeded places.
private func spliced(_ base: [String], count: Int, seed: UInt64) -> [String] {
  var rng = SplitMix64(seed: seed)
  return (0..<count).map { _ in
    var chars = Array(base[rng.below(base.count)])
    for _ in 0..<rng.below(3) {
      let piece = BundleShortcutInputs.pieces[rng.below(BundleShortcutInputs.pieces.count)]
      chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
    }
    if rng.below(6) == 0 { chars = Array(chars.prefix(rng.below(chars.count + 1))) }
    return String(chars)
  }
}

@Suite struct JournaldMonthGateTests {
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map {
    Array($0.utf8)
  }

  /// `JournaldPrefix.shortTime`'s first guard as it was, kept as the reference: the twelve months
  /// compared before the space after them is looked at.
  static func referenceShortMonth(_ b: [UInt8]) -> Int? {
    guard b.count >= 15, let month = months.firstIndex(where: { b[0..<3].elementsEqual($0) }), b[3] == 0x20
    else { return nil }
    return month
  }

  @Test func theMonthIsTheOldOne() {
    let made = [
      "Nov 27 01:02:03 node-1 kubelet[123]: E1127 01:02:03.000000 1 x.go:1] m", "Jan  7 01:02:03.123456 n kernel: x",
      "Dec 31 23:59:59 h containerd[1]: time=\"x\"", "Nov 2", "Nov 27 01:02:0", "NovX27 01:02:03 h k: m",
      "nov 27 01:02:03 h k: m",
      "2026-11-27T01:02:03+0000 node-1 kubelet[1]: m",
    ]
    let lines =
      SampleLines.all + spliced(made, count: 20_000, seed: 2319)
      + BundleShortcutInputs.strings(count: 10_000, seed: 2320)
    var months = 0
    for text in lines {
      for b in [Array(text.utf8), PastePrefix.payload(text)] {
        let reference = Self.referenceShortMonth(b)
        #expect(JournaldPrefix.shortMonth(b) == reference, "\(text.debugDescription)")
        if reference != nil { months += 1 }
      }
    }
    #expect(months > 2_000)
  }
}

@Suite struct NodeLogBracketTests {
  /// `NodeLogParser.split`'s bracket as it was, kept as the reference: the bracket and the line's
  /// rest made strings before either form is asked. Nil when the line does not open such a bracket
  /// (the code after it is unchanged).
  static func referenceBracket(_ b: [UInt8]) -> (form: NodeLogParser.Form, time: Date?, body: String)?? {
    guard b.first == 0x5B, let close = b.firstIndex(of: 0x5D), close < 40 else { return nil }
    let inside = String(decoding: b[1..<close], as: UTF8.self)
    let bodyStart = close + 1 < b.count && b[close + 1] == 0x20 ? close + 2 : close + 1
    let body = String(decoding: b[min(bodyStart, b.count)...], as: UTF8.self)
    if b[1..<close].contains(0x2E) {
      let trimmed = inside.trimmingCharacters(in: .whitespaces)
      if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isNumber || $0 == "." }), trimmed.contains(".") {
        return .some((.dmesg, nil, body))
      }
    }
    if let date = NodeLogParser.ctime(inside) { return .some((.dmesg, date, body)) }
    return .some(nil)
  }

  @Test func theBracketIsReadAsBefore() {
    let insides = [
      "INFO", "main", " 7063.247407", "7063.247407", "Thu Dec  7 00:05:14 2017", "Thu Dec 7 00:05:14 2017",
      "0123456789012345678", "01234567890123456789", "012345678901234567890", "Thu Dec 7 00:05:14 201", "", ".",
      " ", "Sun Feb 29 00:00:00 2026", "Thu Dec  7 00:05:14 2017 ", "WARN ", "é", "\u{212A}", "\u{130}",
    ]
    let rests = ["", " msg", "msg", " ", "  x", " [main] y", "]"]
    var made: [String] = []
    for inside in insides { for rest in rests { made.append("[\(inside)]\(rest)") } }
    let lines =
      SampleLines.all + made + spliced(made, count: 20_000, seed: 2321)
      + BundleShortcutInputs.strings(count: 5_000, seed: 2322).map { "[" + $0 }
    var brackets = 0
    var read = 0
    for text in lines {
      let b = Array(text.utf8)
      guard let reference = Self.referenceBracket(b) else { continue }
      brackets += 1
      let new = NodeLogParser.split(b)
      #expect(new?.form == reference?.form, "\(text.debugDescription)")
      #expect(new?.time == reference?.time, "\(text.debugDescription)")
      #expect(new.map { Array($0.body.utf8) } == reference.map { Array($0.body.utf8) }, "\(text.debugDescription)")
      if reference != nil { read += 1 }
    }
    #expect(brackets > 10_000)
    #expect(read > 1_000)
  }
}

@Suite struct KubectlLogsTimeTests {
  /// `KubectlLogsParser.feed`'s time and message as they were, kept as the reference: the first 40
  /// bytes copied into an array for every line, the message made through `UTF8View.dropFirst`.
  static func reference(_ text: String) -> (time: Date?, message: String) {
    var message = text
    var time: Date?
    let bytes = text.utf8.withContiguousStorageIfAvailable { Array($0.prefix(40)) } ?? Array(text.utf8.prefix(40))
    if let space = bytes.firstIndex(of: 0x20), space >= 20, let t = RFC3339.parse(bytes[0..<space])?.date {
      time = t
      message = String(text.utf8.dropFirst(space + 1)) ?? message
    }
    return (time, message)
  }

  @Test func theTimeAndMessageAreTheOldOnes() {
    let made = [
      "2026-11-27T00:01:02.123456Z INFO [main] health check ok", "2026-11-27T00:01:02Z x",
      "2026-11-27T00:01:02+05:30 y",
      "2026-11-27T00:01:02.123456789-07:00 z", "2026-11-27T00:01:02.123456789012345678Z w", "2026-11-27 00:01:02 v",
      "2026-11-27T00:01:02Z", "2026-11-27T00:01:02Z ", "2026-11-27T24:00:00Z u", "2026-02-30T00:00:00Z t",
      "0123456789012345678901234567890123456789 s", "[INFO] 2026-11-27 00:01:02 r",
    ]
    let lines =
      SampleLines.all + made + spliced(made, count: 20_000, seed: 2323)
      + BundleShortcutInputs.strings(count: 5_000, seed: 2324)
    let context = ParseContext(source: SourceInfo(name: "app.log"), captureTime: capture, diagnostics: { _ in })
    var parser = KubectlLogsParser(context: context)
    var timed = 0
    for (n, text) in lines.enumerated() {
      var record: LogRecord?
      _ = parser.feed(Line(number: n + 1, text: text)) { if case .log(let r) = $0 { record = r } }
      guard let record else {
        #expect(BlankText.isBlank(text), "\(text.debugDescription)")
        continue
      }
      let reference = Self.reference(text)
      #expect(record.time == reference.time.map { TimeRange(exactly: $0) }, "\(text.debugDescription)")
      #expect(Array(record.message.utf8) == Array(reference.message.utf8), "\(text.debugDescription)")
      if reference.time != nil { timed += 1 }
    }
    #expect(timed > 2_000)
  }
}
