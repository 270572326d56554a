import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The per-line and per-item shortcuts of the EventList path (docs/architecture.md "Speed of the
/// EventList path"), each against the code it replaced, on seeded random input.
@Suite struct EventListLineTests {

  // MARK: - The scanner's line end

  /// What a scanner handed out, written out whole so two runs compare as text.
  private static func describe(_ output: JSONScanner.Output) -> String {
    switch output {
    case .value(let v):
      return "value \(v.bytes) \(v.startLine)-\(v.endLine) \(v.kind ?? "-") \(v.isListItem) \(v.listKind ?? "-")"
    case .problem(let p):
      return "problem \(p.line) \(p.message)"
    }
  }

  private static func state(_ s: JSONScanner) -> String {
    "\(s.line) \(s.isInValue) \(s.isBetweenValues) \(s.isSkipping) \(s.currentKind ?? "-") \(s.isBetweenItems(column: 8))"
  }

  /// A random line of JSON-like text: pretty-printed members, brackets, strings cut by a line end
  /// or a backslash, escapes, garbage, a `{` in column 0, kinds and `items`.
  private static func randomLine(_ rng: inout SplitMix64) -> String {
    let pieces = [
      "{", "}", "[", "]", "},", "],", "\"kind\": \"Event\"", "\"kind\": \"EventList\"", "\"items\": [", "\"a\": 1",
      "\"message\": \"Back-off", " restarting\"", "\"x\\\"y\"", "\\", "\"", ",", ":", "\"name\": \"web-0\"", "null",
      "        ", "    ", "\t", "garbage", "\"é日本\"", "\r", "\"count\": 35,", "\"k\": {", "\"l\": [",
    ]
    var line = ""
    for _ in 0..<rng.below(6) { line += pieces[rng.below(pieces.count)] }
    return line
  }

  /// `feedLine` reads the line end itself when it is outside a string and no resynchronisation
  /// is under way; it must hand out, and be left in, what feeding the line's bytes and then a
  /// line end through `feed` gave (the code it replaced).
  @Test func lineEndAsFeedReadsIt() {
    var rng = SplitMix64(seed: 1606)
    var values = 0
    for round in 0..<400 {
      let maxBytes = round % 3 == 0 ? 96 : 256 << 20
      var fast = JSONScanner(maxDepth: 8, maxValueBytes: maxBytes)
      var slow = JSONScanner(maxDepth: 8, maxValueBytes: maxBytes)
      var fastOut: [String] = []
      var slowOut: [String] = []
      var lines: [String] = []
      if round % 2 == 0 { lines = ["{", "    \"kind\": \"EventList\",", "    \"items\": ["] }
      for _ in 0..<(20 + rng.below(60)) { lines.append(Self.randomLine(&rng)) }
      for text in lines {
        if round % 4 < 2 {
          fast.feedLine(text) { fastOut.append(Self.describe($0)) }
        } else {
          fast.feedLine(text[...]) { fastOut.append(Self.describe($0)) }
        }
        var bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in slow.feed(raw) { slowOut.append(Self.describe($0)) } }
        bytes = [0x0A]
        bytes.withUnsafeBytes { raw in slow.feed(raw) { slowOut.append(Self.describe($0)) } }
        #expect(Self.state(fast) == Self.state(slow), "\(lines)")
      }
      fast.finish { fastOut.append(Self.describe($0)) }
      slow.finish { slowOut.append(Self.describe($0)) }
      #expect(fastOut == slowOut, "\(lines)")
      values += slowOut.filter { $0.hasPrefix("value") }.count
    }
    #expect(values > 100)
  }

  // MARK: - Paste boundaries

  /// `ObjectStreamParser.isPasteBoundary` as it was before its first-byte answer.
  private static func boundaryByCharacters(_ text: String) -> Bool {
    let body = text.drop { $0 == " " || $0 == "\t" }
    return body.hasPrefix("```") || body.hasPrefix("~~~") || body.hasPrefix("$ ") || body.hasPrefix("kubectl ")
      || body.hasPrefix("oc ") || body.hasPrefix("curl ") || ObjectStreamParser.isCutFence(body)
      || (body.first != "{" && body.first != "\"" && KubectlCommand.isCommand(body))
  }

  @Test func pasteBoundaryAsTheCharacterWalk() {
    var rng = SplitMix64(seed: 1607)
    let pieces = [
      "{", "\"", " ", "\t", "\u{301}", "\u{200D}", "$ ", "$", "kubectl ", "get ", "pods", "oc ", "curl ", "```",
      "~~~", "`", "json", "\r", "é", "[root@m ~]# ", "k ", "-n", "x", "\"name\": 1", "#", "**",
    ]
    var boundaries = 0
    var braces = 0
    for _ in 0..<20_000 {
      var text = ""
      for _ in 0..<rng.below(7) { text += pieces[rng.below(pieces.count)] }
      let expected = Self.boundaryByCharacters(text)
      #expect(ObjectStreamParser.isPasteBoundary(text) == expected, "\(Array(text.unicodeScalars))")
      if expected { boundaries += 1 }
      if ObjectStreamParser.leadsWithBraceOrQuote(text) { braces += 1 }
    }
    #expect(boundaries > 1_000)
    #expect(braces > 1_000)
  }

  // MARK: - Cited lines through the pool

  private static let context = ParseContext(
    source: SourceInfo(name: "events.json"),
    captureTime: CaptureTime(date: Date(timeIntervalSince1970: 0), origin: .flag), diagnostics: { _ in })

  private static func randomEvidenceLine(_ rng: inout SplitMix64) -> String {
    let pieces = [
      "    ", "\t", " ", "\"message\": \"Back-off restarting failed container\",", "\"name\": \"app-0098\",",
      "\"note\": \"x\"", "{", "},", "\u{A0}", "\u{3000}", "é", "\u{301}", "\"name\": \"", "message", "\r",
      String(repeating: "m", count: 700), String(repeating: "n", count: 1500), "x",
    ]
    var line = ""
    for _ in 0..<rng.below(6) { line += pieces[rng.below(pieces.count)] }
    return line
  }

  /// `evidence(_:pool:)` gives the texts and lines `pool.shared(evidence(_:))` gave, and leaves
  /// the pool holding strings that read the same, so later look-ups answer alike.
  @Test func citedLinesThroughThePoolAsShared() {
    var rng = SplitMix64(seed: 1608)
    var fastPool = StringPool()
    var slowPool = StringPool()
    var number = 0
    var cited = 0
    for _ in 0..<6_000 {
      var picker = EvidencePicker(message: ["\"message\"", "\"note\""], name: ["\"name\""])
      for k in 0..<(1 + rng.below(5)) {
        number += 1
        let line = Line(number: number, text: Self.randomEvidenceLine(&rng))
        if k == 0 { picker.start(line) }
        picker.look(at: line)
        number += rng.below(2)
      }
      let fast = picker.evidence(Self.context, pool: &fastPool)
      let slow = slowPool.shared(picker.evidence(Self.context))
      for (f, s) in [(fast.message, slow.message), (fast.name, slow.name), (fast.first, slow.first)] {
        #expect(f == s)
        #expect(f.map { Array($0.text.utf8) } == s.map { Array($0.text.utf8) })
        if f != nil { cited += 1 }
      }
    }
    #expect(cited > 6_000)
  }

  /// `StringPool.trimmedLine` answers as `string(trimmedBlanks(text), longest:)` whenever it
  /// answers, and answers for every line with ASCII ends after the trim.
  @Test func trimmedLineAsTrimThenPool() {
    var rng = SplitMix64(seed: 1609)
    var pool = StringPool()
    var answered = 0
    for _ in 0..<20_000 {
      let text = Self.randomEvidenceLine(&rng)
      let expected = EvidencePicker.trimmedBlanks(text)
      if let got = pool.trimmedLine(text, longest: StringPool.longestLine) {
        #expect(Array(got.utf8) == Array(expected.utf8), "\(Array(text.unicodeScalars))")
        answered += 1
      } else {
        // Left to the caller only when the text trimmed of spaces and tabs is empty or has a
        // byte of 0x80 or above at an end (where Foundation may trim a Unicode space).
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let bytes = Array(text.utf8).drop(while: blank).reversed().drop(while: blank)
        #expect(bytes.isEmpty || bytes.first! >= 0x80 || bytes.last! >= 0x80, "\(Array(text.unicodeScalars))")
      }
    }
    #expect(answered > 5_000)
  }

  // MARK: - Key tables

  /// `KeyTable.index(of:)`, grouped by length, finds what the scan over every key found, on
  /// every table the reader uses: its keys, their prefixes and extensions, one byte changed.
  @Test func keyIndexAsTheScan() {
    let tables: [(KeyTable, [String])] = [
      (KubeJSONKeys.object, KubeJSONKeys.objectKeys),
      (KubeJSONKeys.document, KubeJSONKeys.objectKeys + ["object", "verb", "event", "items"]),
      (KubeJSONKeys.metadata, ["name", "namespace", "uid", "creationTimestamp", "labels"]),
      (KubeJSONKeys.objectReference, ["kind", "namespace", "name", "uid", "fieldPath"]),
      (KubeJSONKeys.status, ["phase", "conditions", "containerStatuses", "failed"]),
      (KubeJSONKeys.containerStatus, ["name", "state", "restartCount"]),
      (KubeJSONKeys.series, ["count", "lastObservedTime"]), (KubeJSONKeys.eventSource, ["component", "host"]),
      (KeyTable([]), ["", "a"]), (KeyTable(["a", "b", "ab", ""]), ["", "a", "ab", "ba"]),
    ]
    var rng = SplitMix64(seed: 1610)
    var found = 0
    for (table, keys) in tables {
      for _ in 0..<3_000 {
        var key = Array((keys.isEmpty ? "" : keys[rng.below(keys.count)]).utf8)
        switch rng.below(5) {
        case 0: key = Array(key.prefix(rng.below(key.count + 1)))
        case 1: key += Array("Timestamp".utf8.prefix(1 + rng.below(9)))
        case 2: if !key.isEmpty { key[rng.below(key.count)] ^= UInt8(1 << rng.below(8)) }
        case 3: key = (0..<rng.below(30)).map { _ in UInt8(0x61 + rng.below(26)) }
        default: break
        }
        let expected = key.withUnsafeBufferPointer { table.indexByScan(of: $0) }
        #expect(key.withUnsafeBufferPointer { table.index(of: $0) } == expected, "\(key)")
        if expected >= 0 { found += 1 }
      }
    }
    #expect(found > 5_000)
  }

  // MARK: - A line's verdict

  /// The reference: `ObjectStreamParser.best(_:)`, the search of the line's array of verdicts
  /// that `BestVerdict` replaced, kept here to hold the fold to it.
  private static func referenceBest(_ verdicts: [SourceAccount.Verdict]) -> SourceAccount.Verdict? {
    guard !verdicts.isEmpty else { return nil }
    if verdicts.contains(.parsed) { return .parsed }
    if verdicts.contains(.ignored) { return .ignored }
    return verdicts.first
  }

  /// `BestVerdict` folds a line's verdicts as they come into what the search of their array
  /// gave: every sequence of up to six verdicts, none included.
  @Test func bestVerdictAsTheArraySearch() {
    let all: [SourceAccount.Verdict] = [.parsed, .ignored, .unrecognised]
    var sequences: [[SourceAccount.Verdict]] = [[]]
    var layer: [[SourceAccount.Verdict]] = [[]]
    for _ in 0..<6 {
      layer = layer.flatMap { prefix in all.map { prefix + [$0] } }
      sequences += layer
    }
    var answers: Set<String> = []
    for verdicts in sequences {
      var fold = BestVerdict()
      for verdict in verdicts { fold.add(verdict) }
      let expected = Self.referenceBest(verdicts)
      #expect(fold.best == expected, "\(verdicts)")
      answers.insert("\(expected.map { "\($0)" } ?? "nil")")
    }
    #expect(sequences.count == 1_093)
    #expect(answers.count == 4)
  }
}
