import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// Shortcuts taken for the lines of a support bundle's plain-text container logs, each held to the
/// code it replaced, which is kept here as the reference (docs/architecture.md, "Sniffing a head of
/// long lines"): Go quoting on bytes, the YAML key test's byte gate, the nodes row's status gate
/// and the access-log time's bracket check first.
enum BundleShortcutInputs {
  /// Characters on either side of every rule: each ASCII byte, C1 controls and their neighbours in
  /// `C2 xx`, other Latin-1 and multi-byte characters, a Kelvin sign, a dotted capital I,
  /// combining accents and the CR LF pair.
  static let pieces: [String] =
    (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
    + (0x80..<0xC0).compactMap { UnicodeScalar(UInt32($0)).map { String(Character($0)) } }
    + ["é", "e\u{301}", "\u{212A}", "\u{130}", "🙂", "\u{FFFD}", "\u{2028}", "\u{202E}", "\r\n", "ß", "Ā"]

  /// Seeded strings: sample lines as they are, cut, and with pieces inserted.
  static func strings(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      var chars = Array(rng.below(4) == 0 ? "" : String(SampleLines.random(&rng).prefix(400)))
      for _ in 0..<rng.below(6) {
        chars.insert(contentsOf: pieces[rng.below(pieces.count)], at: rng.below(chars.count + 1))
      }
      return String(chars)
    }
  }
}

@Suite struct GoStringQuoteTests {
  /// `GoString.quote` as it was, kept as the reference: one scalar at a time.
  static func referenceQuote(_ s: String) -> String {
    func hexDigits(_ v: UInt32, width: Int) -> String {
      let s = String(v, radix: 16)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{07}": out += "\\a"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{0B}": out += "\\v"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\x" + hexDigits(scalar.value, width: 2)
        } else if (0x80..<0xA0).contains(scalar.value) {
          out += "\\u" + hexDigits(scalar.value, width: 4)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
    return out
  }

  @Test func everyPieceQuotesAsTheScalarLoopQuotesIt() {
    for piece in BundleShortcutInputs.pieces {
      for text in [piece, "a\(piece)b", "\(piece)\(piece)", "x\\\(piece)\""] {
        #expect(Array(GoString.quote(text).utf8) == Array(Self.referenceQuote(text).utf8), "\(text.debugDescription)")
      }
    }
    // The escapes Go writes, spelled out.
    #expect(GoString.quote("a\u{1B}\u{7F}\u{85}\u{A0}\"\\\n") == "\"a\\x1b\\x7f\\u0085\u{A0}\\\"\\\\\\n\"")
  }

  @Test func seededStringsQuoteAsTheScalarLoopQuotesThem() {
    var escaped = 0
    for text in BundleShortcutInputs.strings(count: 20_000, seed: 1818) + SampleLines.all {
      let new = GoString.quote(text)
      #expect(Array(new.utf8) == Array(Self.referenceQuote(text).utf8), "\(text.debugDescription)")
      if new.utf8.count > text.utf8.count + 2 { escaped += 1 }
    }
    // Many of the strings needed escapes, so the escaping branches ran.
    #expect(escaped > 5_000)
  }
}

@Suite struct YAMLKeyGateTests {
  /// `YAMLFragment.key` as it was, kept as the reference: the characters walked for every line.
  static func referenceKey(_ line: Substring) -> Substring? {
    var rest = line.drop { $0 == " " }
    if rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop { $0 == " " } }
    guard let colon = rest.firstIndex(of: ":") else { return nil }
    let key = rest[..<colon]
    guard let first = key.first, first.isLetter, first.isLowercase,
      key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
    else { return nil }
    let after = rest[rest.index(after: colon)...]
    guard after.isEmpty || after.first == " " else { return nil }
    return key
  }

  /// YAML lines and near misses: keys of every shape, list items, indentation, colons inside and
  /// after values.
  static let madeLines: [String] = {
    let keys = [
      "state", "lastState", "restart_count", "a.b-c", "x9", "Ready", "9x", "", "k y", "ke\u{301}y", "\u{212A}ey",
    ]
    let heads = ["", "  ", "- ", "  -  ", "-", "    - "]
    let tails = [":", ": x", ":x", ":  ", "", " :", ": \"a:b\"", ":\t", "::"]
    return heads.flatMap { h in keys.flatMap { k in tails.map { "\(h)\(k)\($0)" } } }
  }()

  @Test func theKeyIsTheReferenceKeyOnEveryLine() {
    var keys = 0
    var gated = 0
    let lines = Self.madeLines + SampleLines.all + BundleShortcutInputs.strings(count: 20_000, seed: 1819)
    for text in lines {
      let line = Substring(text)
      let reference = Self.referenceKey(line)
      let new = YAMLFragment.key(line)
      #expect(new == reference, "\(text.debugDescription)")
      // The same characters of the line, not only an equal key.
      #expect(new?.startIndex == reference?.startIndex && new?.endIndex == reference?.endIndex)
      if reference != nil { keys += 1 }
      if YAMLFragment.lacksKey(line) == true {
        gated += 1
        #expect(reference == nil, "\(text.debugDescription)")
      }
    }
    #expect(keys > 300 && gated > 10_000)
  }
}

@Suite struct NodesRowGateTests {
  /// `NodesTable.row` as it was, kept as the reference: every STATUS cell split at its commas.
  static func referenceRow(_ line: KubectlLine, header: TableHeader) -> NodeSnapshot? {
    let t = line.tokens
    guard header.kind == .nodes, t.count >= min(header.columns.count, 4) else { return nil }
    let status = t[1]
    let parts = status.split(separator: ",")
    guard let ready = parts.first, ["Ready", "NotReady", "Unknown"].contains(ready),
      parts.dropFirst().allSatisfy({ $0 == "SchedulingDisabled" })
    else { return nil }
    var node = NodeSnapshot(name: String(t[0]))
    node.displayStatus = String(status)
    if parts.count > 1 { node.unschedulable = true }
    return node
  }

  static let words = [
    "Ready", "NotReady", "Unknown", "Ready,SchedulingDisabled", ",Ready", "Ready,", ",,Unknown,", "Re\u{301}ady",
    "Ready\u{301}", "Ready,\u{301}SchedulingDisabled", "NotReady,X", "Unknown,SchedulingDisabled,SchedulingDisabled",
    "ready", "READY", "Rea", "Unkn\u{212A}own", "İ", "node-1", "control-plane", "5d", "v1.29.0", "<none>", "\t",
  ]

  @Test func theGateTurnsAwayOnlyCellsTheRowDoesNotRead() throws {
    let header = try #require(KubectlTextParser.headerlessLayouts.first { $0.kind == .nodes })
    var rng = SplitMix64(seed: 1820)
    let seeded = (0..<20_000).map { _ in
      HeaderlessGateTests.seededRow(
        rows: ["node-1   Ready   control-plane   5d   v1.29.0"], words: Self.words, maxWords: 6,
        gaps: ["   ", " ", "\t"], maxIndent: 1, &rng)
    }
    var read = 0
    for text in seeded + HeaderlessGateTests.lines {
      let line = KubectlLine(Line(number: 1, text: text)).withTokensRead()
      let reference = Self.referenceRow(line, header: header)
      #expect(NodesTable.row(line, header: header) == reference, "\(text.debugDescription)")
      if reference != nil { read += 1 }
      if line.tokens.count > 1, !NodesTable.mayHoldStatus(line.tokens[1]) { #expect(reference == nil) }
    }
    #expect(read > 3_000)
  }
}

@Suite struct AccessLogTimeTests {
  /// `WrittenTime.accessLog` as it was, kept as the reference: the bracket's text split before its
  /// closing bracket was looked at.
  static func referenceAccessLog(_ b: ArraySlice<UInt8>) -> TimeRange? {
    let head = b.prefix(120)
    guard let open = head.firstIndex(of: 0x5B), head.endIndex - open >= 28 else { return nil }
    let text = String(decoding: head[(open + 1)..<(open + 27)], as: UTF8.self)
    let parts = text.split(whereSeparator: { $0 == "/" || $0 == ":" || $0 == " " })
    guard parts.count == 7, head[open + 27] == 0x5D, let day = Int(parts[0]),
      let month = WrittenTime.months.firstIndex(of: String(parts[1])), let year = Int(parts[2]),
      let hour = Int(parts[3]), let minute = Int(parts[4]), let second = Int(parts[5]), hour < 24, minute < 60,
      second < 61, parts[6].count == 5, let zone = Int(parts[6].dropFirst()),
      parts[6].first == "+" || parts[6].first == "-", zone / 100 < 24, zone % 100 < 60
    else { return nil }
    let offset = (parts[6].first == "-" ? -1 : 1) * (zone / 100 * 3_600 + zone % 100 * 60)
    guard
      let date = CivilDate.instant(
        year: year, month: month + 1, day: day, secondsOfDay: hour * 3_600 + minute * 60 + min(second, 59),
        utcOffset: offset)
    else { return nil }
    return WrittenTime.plausible(date, unit: 1)
  }

  @Test func accessLogTimesAreTheReferenceTimes() {
    let made = [
      "10.0.0.7 - - [27/Nov/2026:00:58:36 +0000] \"GET / HTTP/1.1\" 200",
      "10.0.0.7 - - [27/Nov/2026:00:58:36 -0530] x", "[01/Jan/2000:00:00:00 +0000]",
      "[31/Feb/2026:00:58:36 +0000]", "[27/Nov/2026:24:58:36 +0000]", "[27/Nov/2026:00:58:36 +00000]",
      "[27/Nov/2026:00:58:36 +0000", "[27/Nov/2026 00:58:36 +0000]", "[INFO] 27/Nov/2026:00:58:36 +0000]",
      "[27/Nov/2026:00:58:36 +0000] [27/Nov/2026:00:58:37 +0000]", "[2\u{301}7/Nov/2026:00:58:36 +0000]",
    ]
    var read = 0
    for text in made + SampleLines.all + BundleShortcutInputs.strings(count: 20_000, seed: 1821) {
      let b = Array(text.utf8)[...]
      let reference = Self.referenceAccessLog(b)
      #expect(WrittenTime.accessLog(b) == reference, "\(text.debugDescription)")
      if reference != nil { read += 1 }
    }
    #expect(read >= 4)
  }
}

@Suite struct LogfmtValueTests {
  /// logfmt lines and near misses: quoted values with escapes, unclosed quotes, repeated and empty
  /// keys, keys with accents and look-alikes.
  static let madeLines: [String] = {
    let pairs = [
      "time=\"2019-05-04T18:05:45Z\"", "time=2019-05-04T18:05:45Z", "level=info", "msg=\"a \\\"b\\\" c\"",
      "msg=\"unclosed", "time=", "=x", "time", "tim\u{212A}=x", "ti\u{301}me=x", "Time=x", "time=\"\\x41\"",
      "k=\"v\" time=\"late\"", "time=\"é\"", "  ", "time=\"a b\"", "x=\"\\\"",
    ]
    var rng = SplitMix64(seed: 1822)
    return (0..<5_000).map { _ in
      (0..<(rng.below(5) + 1)).map { _ in pairs[rng.below(pairs.count)] }.joined(separator: " ")
    }
  }()

  /// `NodeLogParser.logfmt` as it was, kept as the reference: its own loop, every pair built.
  static func referenceLogfmt(_ text: String) -> [KeyValue] {
    var out: [KeyValue] = []
    let b = Array(text.utf8)
    var i = 0
    while i < b.count {
      while i < b.count, b[i] == 0x20 { i += 1 }
      let keyStart = i
      while i < b.count, b[i] != 0x3D, b[i] != 0x20 { i += 1 }
      guard i < b.count, b[i] == 0x3D, i > keyStart else {
        while i < b.count, b[i] != 0x20 { i += 1 }
        continue
      }
      let key = String(decoding: b[keyStart..<i], as: UTF8.self)
      i += 1
      if i < b.count, b[i] == 0x22, let (value, end) = GoString.unquote(b, from: i) {
        out.append(KeyValue(key, value))
        i = end
      } else {
        let start = i
        while i < b.count, b[i] != 0x20 { i += 1 }
        out.append(KeyValue(key, String(decoding: b[start..<i], as: UTF8.self)))
      }
    }
    return out
  }

  @Test func theValueIsTheFirstPairsValue() {
    var found = 0
    for text in Self.madeLines + SampleLines.all + BundleShortcutInputs.strings(count: 20_000, seed: 1823) {
      let pairs = NodeLogParser.logfmt(text)
      let referencePairs = Self.referenceLogfmt(text)
      #expect(
        pairs.map { [Array($0.key.utf8), Array($0.value.utf8)] }
          == referencePairs.map { [Array($0.key.utf8), Array($0.value.utf8)] })
      let reference = referencePairs.first { $0.key == "time" }?.value
      let new = NodeLogParser.logfmtValue("time", in: text)
      #expect(new.map { Array($0.utf8) } == reference.map { Array($0.utf8) }, "\(text.debugDescription)")
      if reference != nil { found += 1 }
    }
    #expect(found > 2_000)
  }

  @Test func anEventKindStartsTheRestAsHasPrefixSays() {
    let rests =
      NodeLogParser.eventKinds.flatMap { kind in
        BundleShortcutInputs.pieces.map { "\(kind)\($0)x" } + [
          kind, String(kind.dropLast()), "\(kind.dropLast())\u{301} x",
        ]
      } + BundleShortcutInputs.strings(count: 5_000, seed: 1824)
    var starts = 0
    for text in rests {
      let rest = Substring(text)
      let reference = NodeLogParser.eventKinds.contains { rest.hasPrefix($0) }
      #expect(NodeLogParser.startsWithEventKind(rest) == reference, "\(text.debugDescription)")
      if reference { starts += 1 }
    }
    #expect(starts > 500)
  }
}

@Suite struct KubectlNoteGateTests {
  /// `KubectlTextParser.isNote` as it was, kept as the reference: four prefix checks on every line.
  static func referenceIsNote(_ line: KubectlLine) -> Bool {
    let body = line.body
    return body.hasPrefix("No resources found") || body.hasPrefix("No events found") || body == "No events."
      || body.hasPrefix("Error from server (")
  }

  @Test func aNoteIsWhatTheReferenceCallsOne() {
    let made = [
      "No resources found in default namespace.", "No events found.", "No events.", "Error from server (NotFound): x",
      "  No events.", "No events", "N\u{303}o events.", "\u{212A}No events.", "Error from server",
      "E\u{301}rror from server (",
      "No resources found\u{301}", "No events.\u{301}", "\r\nNo events.",
    ]
    var notes = 0
    for text in made + SampleLines.all + BundleShortcutInputs.strings(count: 20_000, seed: 1825) {
      let line = KubectlLine(Line(number: 1, text: text))
      let reference = Self.referenceIsNote(line)
      #expect(KubectlTextParser.isNote(line) == reference, "\(text.debugDescription)")
      if reference { notes += 1 }
    }
    #expect(notes >= 5)
  }
}
