import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// The kubelet log's parser reads a klog header on the line's bytes and names its file from a
/// table (`KlogTexts.file`), shares the values that recur from line to line through a pool
/// (`KlogBody.parse(_:from:pool:)`, `KubeletLogParser.locate(_:pool:)`) and tells a field's key by
/// its length (docs/architecture.md "Speed of the kubelet-log path"). Each is held to the code it
/// replaced, kept below (`ReferenceKlogShared`), value for value and byte for byte, on every
/// sample line and on seeded lines read one after another through one pool, as the parser reads
/// them: recurring values, values one byte away from them, and hostile bytes (NUL, CR, tabs, a
/// Kelvin sign, a dotted capital I, combining accents, bytes that are not UTF-8), cut anywhere.
@Suite struct KlogSharedTests {
  static func bytes(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }

  static func same(_ a: KlogHeader?, _ b: KlogHeader?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a == b && Array(a.file.utf8) == Array(b.file.utf8) && Array(a.severity.utf8) == Array(b.severity.utf8)
      && a.fraction.bitPattern == b.fraction.bitPattern
  }

  static func same(_ a: LogRecord, _ b: LogRecord) -> Bool {
    bytes(a.pod) == bytes(b.pod) && bytes(a.namespace) == bytes(b.namespace)
      && bytes(a.container) == bytes(b.container) && a == b
  }

  /// The header from every start of `b`.
  static func checkHeaders(_ b: [UInt8]) {
    for start in 0...b.count {
      let new = KlogHeader.parse(b, from: start)
      let old = ReferenceKlogShared.header(b, from: start)
      #expect(same(new, old), "\(String(decoding: b, as: UTF8.self)) from \(start)")
      if let new { #expect(KlogHeader.isEventFile(new.file) == new.file.hasPrefix("event.go")) }
    }
  }

  @Test func everySampleLineHeaderReadsAsBefore() {
    var read = 0
    for line in SampleLines.all {
      let b = Array(line.utf8)
      Self.checkHeaders(b)
      if KlogHeader.parse(b) != nil { read += 1 }
    }
    #expect(read > 50)
  }

  /// Headers made of a valid one's pieces, each changed: digits out of range, separators moved,
  /// spaces and tabs, thread ids to 20 digits, fractions to 12, table file names and their
  /// neighbours, hostile bytes anywhere, cut at every length.
  @Test(arguments: 0..<6)
  func seededHeadersReadAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 25_100 + seed)
    let severities = ["I", "W", "E", "F", "i", "X", ""]
    let dates = ["1127", "0101", "1231", "1332", "0032", "0000", "11x7", "112", "11270"]
    let times = ["00:00:00", "23:59:60", "24:00:00", "12:60:00", "12:00:61", "1:00:00", "12-00-00", "12:00:0x"]
    let fractions = ["", ".", ".005030", ".123456789", ".123456789012", ",5", ".9x"]
    let pads = [" ", "    ", "\t", " \t ", "", "  "]
    let ids = ["4187", "1", "", "123456789012345678", "12345678901234567890", "x", "0"]
    var files = KlogTexts.files + ["x.go", "", "event.go2", "event.g", "Event.go", "event.go\u{301}", "é.go", "a b"]
    for name in KlogTexts.files {
      let b = Array(name.utf8)
      files.append(String(decoding: b.dropLast(), as: UTF8.self))
      files.append(name + "x")
      var c = b
      c[rng.below(c.count)] ^= 0x20
      files.append(String(decoding: c, as: UTF8.self))
    }
    let lines = [":107", ":1", ":", ":1234567890", ":x", "107", ":107]"]
    let ends = ["] ", "]", "]x", " ", "] \"Probe failed\" pod=\"a/b\"", ""]
    let hostile = ["\u{0}", "\r", "\t", "\u{212A}", "\u{130}", "e\u{301}", "\u{FF}"]
    for _ in 0..<1_500 {
      func pick(_ list: [String]) -> String { list[rng.below(list.count)] }
      var line = pick(severities) + pick(dates) + " " + pick(times) + pick(fractions) + pick(pads) + pick(ids)
      line += " " + pick(files) + pick(lines) + pick(ends)
      var b = Array(line.utf8)
      for _ in 0..<rng.below(3) {
        let piece = rng.below(4) == 0 ? [UInt8(truncatingIfNeeded: rng.next())] : Array(pick(hostile).utf8)
        b.insert(contentsOf: piece, at: rng.below(b.count + 1))
      }
      if rng.below(4) == 0 { b = Array(b.prefix(rng.below(b.count + 1))) }
      Self.checkHeaders(b)
    }
  }

  @Test func everyTableFileReadsAsItself() {
    for name in KlogTexts.files {
      let b = Array("I1127 00:00:00.072639    4187 \(name):258] \"x\"".utf8)
      #expect(KlogHeader.parse(b)?.file == name)
      let file = b.withUnsafeBufferPointer { p in KlogTexts.file(p, 30, 30 + name.utf8.count) }
      #expect(file == name)
    }
  }

  /// A file name that starts with `event.go`'s bytes or is near them, against `hasPrefix`.
  @Test func anEventFileIsToldAsHasPrefixTellsIt() {
    var rng = SplitMix64(seed: 25_200)
    let pieces = ["event.go", "event", ".go", "e\u{301}", "\u{301}", "\u{212A}", "\u{0}", "\r", "\n", "x", "É", "🙂"]
    for _ in 0..<3_000 {
      var name = rng.below(2) == 0 ? "event.go" : ""
      for _ in 0..<rng.below(4) {
        var b = Array(name.utf8)
        b.insert(contentsOf: Array(pieces[rng.below(pieces.count)].utf8), at: rng.below(b.count + 1))
        name = String(decoding: b, as: UTF8.self)
      }
      #expect(KlogHeader.isEventFile(name) == name.hasPrefix("event.go"), "\(Array(name.utf8))")
    }
  }

  /// Bodies read one after another through one pool, as the parser reads them, against the body
  /// read with no pool by the code before (`ReferenceKlogDirect`), and each one's pairs from every
  /// space.
  static func checkPooled(_ lines: [[UInt8]]) {
    var pool: StringPool? = StringPool()
    for b in lines {
      let bodyStart = KlogHeader.parse(b)?.bodyStart ?? 0
      let body = b.withUnsafeBufferPointer { KlogBody.parse($0, from: bodyStart, pool: &pool) }
      #expect(
        GoStringBytesTests.same(body, ReferenceKlogDirect.body(b, from: bodyStart)),
        "\(String(decoding: b, as: UTF8.self))")
      for start in b.indices where b[start] == 0x20 && b.count <= 1_024 {
        var fields: [KeyValue] = []
        var reference: [KeyValue] = []
        let open = b.withUnsafeBufferPointer { KlogPairs.parse($0, from: start, into: &fields, pool: &pool) }
        let referenceOpen = ReferenceKlogDirect.pairs(b, from: start, into: &reference)
        #expect(
          GoStringBytesTests.same(
            KlogBody(message: "", fields: fields, structured: true, openKey: open),
            KlogBody(message: "", fields: reference, structured: true, openKey: referenceOpen)),
          "\(String(decoding: b, as: UTF8.self)) at \(start)")
      }
    }
  }

  @Test func everySampleLineReadThroughOnePoolReadsAsBefore() {
    let lines = SampleLines.all.map { Array($0.utf8) }
    // Twice, so the second reading meets every value the first held.
    Self.checkPooled(lines + lines)
  }

  /// Values from a few pods, so that most recur, spliced with values one byte away from them
  /// (the held string must not answer for them) and hostile bytes.
  static func recurringLines(_ rng: inout SplitMix64, count: Int) -> [[UInt8]] {
    let pods = (0..<6).map { "ns-\($0)/app-\(String(repeating: "ab", count: $0 + 4))-0000\($0)" }
    let uids = (0..<6).map { "\($0)1ff49b78-142c-8d52-4b0d-a0eed453dd3\($0)" }
    var values = pods + uids
    values += ["HTTP probe failed with statuscode: 503", "spec.containers{web}", "[\"ns-1/app-1\"]"]
    values += ["abcdefghijklmnop", "abcdefghijklmnoq", String(repeating: "x", count: 128)]
    values += [String(repeating: "x", count: 129), String(repeating: "y", count: 127)]
    let hostile = ["\u{0}", "\r", "\t", "\u{212A}", "\u{130}", "e\u{301}", "é", "\\\"", "\\x41", "\""]
    let keys = ["pod", "podUID", "output", "object", "fieldPath", "pods", "containerID", "err", "x"]
    var lines: [[UInt8]] = []
    for _ in 0..<count {
      var line = rng.below(2) == 0 ? "I1127 00:00:00.005030    4187 prober.go:107] " : ""
      line += "\"Probe failed\""
      for _ in 0..<rng.below(7) {
        var value = Array(values[rng.below(values.count)].utf8)
        switch rng.below(6) {
        case 0 where !value.isEmpty: value[rng.below(value.count)] ^= UInt8(1 << rng.below(8))
        case 1: value.insert(contentsOf: Array(hostile[rng.below(hostile.count)].utf8), at: rng.below(value.count + 1))
        case 2: value = Array(value.prefix(rng.below(value.count + 1)))
        default: break
        }
        let quoted = rng.below(4) != 0
        line += " " + keys[rng.below(keys.count)] + "=" + (quoted ? "\"" : "")
        var b = Array(line.utf8) + value
        if quoted { b.append(0x22) }
        line = String(decoding: b, as: UTF8.self)
        if rng.below(40) == 0 {
          // Bytes that are not UTF-8 in the value itself.
          lines.append(b + [0x20, 0x6B, 0x3D, 0x22, 0xC3, 0x28, 0xFF, 0x22])
        }
      }
      var b = Array(line.utf8)
      if rng.below(6) == 0 { b = Array(b.prefix(rng.below(b.count + 1))) }
      lines.append(b)
    }
    return lines
  }

  @Test(arguments: 0..<6)
  func seededRecurringLinesReadThroughOnePoolAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 25_300 + seed)
    Self.checkPooled(Self.recurringLines(&rng, count: 400))
  }

  /// `locate` through one pool, record after record, against the code before on the same
  /// records: keys of the names' lengths that are not them, repeated names, `pods` lists of
  /// every shape, objects of kind `Pod`, non-ASCII and hostile values.
  @Test(arguments: 0..<8)
  func seededRecordsAreLocatedAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 25_400 + seed)
    let keys = [
      "pod", "pods", "kind", "object", "container", "containerName", "fieldPath", "pox", "podx", "kinds", "objecT",
      "containex", "containerNamf", "fieldPatH", "\u{212A}ind", "po\u{301}d", "pod\u{0}", "Pod", "podUID", "",
    ]
    let values = [
      "shop/web-0", "\"shop/web-0", "web-0_shop(uid-1)", "web-0", "/web", "ns/", "", "[\"shop/web-0\"]",
      "[\"a/b\",\"c/d\"]", "[\"a/b\" \"c/d\"]", "[]", "[\"\"]", "[[\"x/y\"]]", "[\"sh\u{F6}p/web\"]",
      "[\"e\u{301}/w\"]", "Pod", "pod", "P\u{F6}d", "spec.containers{web}", "spec.initContainers{init}",
      "app-abcdefghijkl-00001", "kube-system/app-abcdefghijkl-00001", "\u{212A}/x", "x\r\n/y", "\u{130}_n(u)",
      "é", "[\"a/b\"", "a/b\"]", "\u{0}/\t",
    ]
    var pool: StringPool? = StringPool()
    for _ in 0..<2_000 {
      var r = LogRecord(
        origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "s", line: 1), text: "t"))
      for _ in 0..<rng.below(7) {
        r.fields.append(KeyValue(keys[rng.below(keys.count)], values[rng.below(values.count)]))
      }
      var new = r
      KubeletLogParser.locate(&new, pool: &pool)
      var unpooled = r
      KubeletLogParser.locate(&unpooled)
      let old = ReferenceKlogShared.located(r)
      #expect(Self.same(new, old), "\(r.fields)")
      #expect(Self.same(unpooled, old), "\(r.fields)")
    }
  }

  /// Lines fed to the parser (which holds a pool) one after another give the records the
  /// reference pieces give: the body's message and fields and the pod located, line for line.
  @Test(arguments: 0..<3)
  func seededLogsParseAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 25_500 + seed)
    let context = ParseContext(
      source: SourceInfo(name: "k.log"),
      captureTime: CaptureTime(date: Date(timeIntervalSince1970: 1_795_752_000), origin: .flag),
      diagnostics: { _ in })
    var parser = KubeletLogParser(context: context)
    var records: [LogRecord] = []
    var expected: [LogRecord] = []
    var number = 0
    for line in Self.recurringLines(&rng, count: 400) {
      let body = Array(line[(KlogHeader.parse(line)?.bodyStart ?? 0)...])
      // Lone klog lines only: no line breaks inside, a structured body.
      guard body.first == 0x22, !body.contains(0x0A), !body.contains(0x0D) else { continue }
      let b = Array("I1127 00:00:01.005030    4187 prober.go:107] ".utf8) + body
      let h = ReferenceKlogShared.header(b)!
      var e = LogRecord(
        origin: .kubelet, message: "", evidence: Evidence(ref: SourceRef(source: "", line: 0), text: ""))
      let reference = ReferenceKlogDirect.body(b, from: h.bodyStart)
      e.message = reference.message
      e.fields = reference.fields
      guard reference.openKey == nil else { continue }
      expected.append(ReferenceKlogShared.located(e))
      number += 1
      _ = parser.feed(Line(number: number, text: String(decoding: b, as: UTF8.self))) {
        if case .log(let r) = $0 { records.append(r) }
      }
    }
    parser.finish { if case .log(let r) = $0 { records.append(r) } }
    #expect(records.count == expected.count)
    #expect(expected.count > 100)
    for (r, e) in zip(records, expected) {
      #expect(Array(r.message.utf8) == Array(e.message.utf8))
      #expect(r.fields.map { Array($0.key.utf8) } == e.fields.map { Array($0.key.utf8) })
      #expect(r.fields.map { Array($0.value.utf8) } == e.fields.map { Array($0.value.utf8) })
      #expect(Self.bytes(r.pod) == Self.bytes(e.pod) && Self.bytes(r.namespace) == Self.bytes(e.namespace))
      #expect(Self.bytes(r.container) == Self.bytes(e.container))
    }
  }
}

/// `KlogHeader.parse` and `KubeletLogParser.locate` as they were before this change (at a19cc78:
/// the header read through the array with `TimeBytes`, its file decoded from its bytes; every
/// key compared with each name in turn, a `pods` list trimmed by scalars, each part of a pod's
/// reference made from its bytes), kept as the reference `KlogSharedTests` holds the new code to.
enum ReferenceKlogShared {
  static func header(_ b: [UInt8], from start: Int = 0) -> KlogHeader? {
    let s = b[...]
    var i = start
    guard i < b.count, let severity = severityLetter(b[i]) else { return nil }
    i += 1
    guard let month = TimeBytes.digits(s, &i, 2), let day = TimeBytes.digits(s, &i, 2), skip(b, &i, 0x20),
      let hour = TimeBytes.digits(s, &i, 2), skip(b, &i, 0x3A), let minute = TimeBytes.digits(s, &i, 2),
      skip(b, &i, 0x3A), let second = TimeBytes.digits(s, &i, 2), (1...12).contains(month), (1...31).contains(day),
      hour < 24, minute < 60, second < 61
    else { return nil }
    let fraction = TimeBytes.fraction(s, &i).value
    guard i < b.count, b[i] == 0x20 || b[i] == 0x09 else { return nil }
    while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
    let idStart = i
    var threadID = 0
    while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - idStart < 18 {
      threadID = threadID * 10 + Int(b[i] - 0x30)
      i += 1
    }
    guard i > idStart, skip(b, &i, 0x20) else { return nil }
    let fileStart = i
    while i < b.count, b[i] != 0x3A, b[i] != 0x5D, b[i] != 0x20 { i += 1 }
    guard i > fileStart, skip(b, &i, 0x3A) else { return nil }
    let file = String(decoding: b[fileStart..<(i - 1)], as: UTF8.self)
    let lineStart = i
    var line = 0
    while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - lineStart < 9 {
      line = line * 10 + Int(b[i] - 0x30)
      i += 1
    }
    guard i > lineStart, skip(b, &i, 0x5D) else { return nil }
    if i < b.count, b[i] == 0x20 { i += 1 }
    return KlogHeader(
      severity: severity, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      threadID: threadID, file: file, line: line, bodyStart: i)
  }

  private static func severityLetter(_ c: UInt8) -> String? {
    switch c {
    case 0x49: "I"
    case 0x57: "W"
    case 0x45: "E"
    case 0x46: "F"
    default: nil
    }
  }

  private static func skip(_ b: [UInt8], _ i: inout Int, _ byte: UInt8) -> Bool {
    guard i < b.count, b[i] == byte else { return false }
    i += 1
    return true
  }

  static func located(_ record: LogRecord) -> LogRecord {
    var r = record
    var object: String?
    var kind: String?
    var fieldPath: String?
    for field in r.fields {
      switch field.key {
      case "pod" where r.pod == nil:
        (r.namespace, r.pod) = SplitPodBytesTests.reference(field.value)
      case "pods" where r.pod == nil:
        let inner = trimming(field.value) { $0 == "[" || $0 == "]" }
        if !inner.isEmpty, !contains(inner, 0x20, " "), !contains(inner, 0x2C, ",") {
          (r.namespace, r.pod) = SplitPodBytesTests.reference(trimming(inner) { $0 == "\"" })
        }
      case "containerName" where r.container == nil, "container" where r.container == nil:
        r.container = field.value
      case "object": object = field.value
      case "kind": kind = field.value
      case "fieldPath": fieldPath = field.value
      default: break
      }
    }
    if r.pod == nil, kind == "Pod", let object {
      (r.namespace, r.pod) = SplitPodBytesTests.reference(object)
      if r.container == nil, let fieldPath { r.container = ObjectRef(name: "", fieldPath: fieldPath).containerName }
    }
    return r
  }

  private static func contains(_ text: String, _ byte: UInt8, _ needle: String) -> Bool {
    text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.contains(byte) : text.contains(needle)
  }

  private static func trimming(_ text: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) })
    else { return "" }
    return String(scalars[first...last])
  }
}
