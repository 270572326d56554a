import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// A JSON log line's time read from the members it names without parsing the others, held to the
/// full parse it replaced, kept here as the reference (docs/architecture.md, "Sniffing a head of
/// long lines").
@Suite struct WrittenTimeJSONTests {
  /// `WrittenTime.json` as it was, kept as the reference: every member parsed, then the first
  /// `ts`, `time`, `timestamp` or `@timestamp` read.
  static func referenceJSON(_ bytes: [UInt8]) -> TimeRange? {
    guard let members = LogJSON.parseObject(bytes) else { return nil }
    for key in ["ts", "time", "timestamp", "@timestamp"] {
      guard let value = members.first(where: { $0.key == key })?.value else { continue }
      switch value {
      case .string(let text):
        let b = Array(text.utf8)[...]
        if let (range, end) = WrittenTime.leading(b), end == b.endIndex { return range }
        if let epoch = WrittenTime.epoch(b) { return epoch }
      case .number(let text):
        if let epoch = WrittenTime.epoch(Array(text.utf8)[...]) { return epoch }
      default: break
      }
    }
    return nil
  }

  static let keys = [
    "ts", "time", "timestamp", "@timestamp", "msg", "level", "t\\u0073", "\\u0074ime", "ts\u{301}", "\u{212A}",
    "tſ", "TS", "", "ts ", "time\\n", "t\\\"s",
  ]
  static let values = [
    "\"2026-11-27T00:58:36.877Z\"", "\"2026-11-27 00:58:36,877\"", "1732668716.877", "1732668716877",
    "1732668716877000", "1732668716877000000", "\"1732668716\"", "\"1732668716.5\"", "\"2026-11-27T00:58:36Z\\n\"",
    "\"2026\\u002D11-27T00:58:36Z\"", "\"2026-11-27T00:58:36Z\u{212A}\"", "\"2026-11-27T00:58:36\u{0}Z\"",
    "\"2026-11-27T00:58:36Z\r\"", "{\"ts\":1732668716}", "[1732668716, \"x\"]", "[]", "{}", "true", "false", "null",
    "\"\"", "-1", "1e9", "+5", "1.2.3", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ud83d\\u0041\"", "\"\\uZZZZ\"",
    "\"\\x\"", "\"e\u{301}\"", "\"İ\"", "tru", "nul", "\"2026-11-27T00:58:36.877+01:00\"", "1999", "\"abc",
  ]
  static let spaces = ["", " ", "\t", "\r", "\n", "  "]

  /// Seeded JSON lines: objects of one to five members from the keys and values above (so
  /// duplicates, escapes in keys and values, nested values and numbers as times), with space
  /// around every token, then cut, spliced with hostile pieces or nested past the depth limit.
  static func lines(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      func space() -> String { rng.below(3) == 0 ? spaces[rng.below(spaces.count)] : "" }
      var members: [String] = []
      for _ in 0..<(rng.below(6)) {
        members.append(
          "\(space())\"\(keys[rng.below(keys.count)])\"\(space()):\(space())\(values[rng.below(values.count)])\(space())"
        )
      }
      var text = "{" + members.joined(separator: ",") + (rng.below(10) == 0 ? ",}" : "}") + space()
      switch rng.below(10) {
      case 0: text = String(text.prefix(rng.below(text.count + 1)))
      case 1:
        var chars = Array(text)
        for _ in 0..<(1 + rng.below(3)) {
          let piece = BundleShortcutInputs.pieces[rng.below(BundleShortcutInputs.pieces.count)]
          chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
        }
        text = String(chars)
      case 2:
        let depth = 60 + rng.below(8)
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        text = "{\"ts\":1732668716,\"x\":\(nested)}"
      case 3:
        let depth = 60 + rng.below(8)
        let nested = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        text = "{\"x\":\(nested),\"time\":\"2026-11-27T00:58:36Z\"}"
      default: break
      }
      return text
    }
  }

  @Test func theTimeIsTheReferenceTimeOnEveryLine() {
    var times = 0
    var rejected = 0
    var undecided = 0
    let jsonSamples = SampleLines.all.filter { $0.hasPrefix("{") }
    for text in Self.lines(count: 30_000, seed: 1833) + jsonSamples {
      let bytes = Array(text.utf8.prefix(4096))
      let reference = Self.referenceJSON(bytes)
      #expect(WrittenTime.json(bytes) == reference, "\(text.debugDescription)")
      if text.hasPrefix("{") { #expect(WrittenTime.time(in: text) == reference) }
      if reference != nil { times += 1 }
      switch LogJSON.skimObject(bytes, keys: [Array("ts".utf8)]) {
      case .rejected: rejected += 1
      case .undecided: undecided += 1
      case .found: break
      }
    }
    #expect(times > 4_000 && rejected > 10_000 && undecided > 3_000 && !jsonSamples.isEmpty)
  }

  @Test func theSkimRejectsWhatTheParserRejectsAndFindsItsFirstMembers() {
    let keys = WrittenTime.jsonKeys + ["msg", "x"]
    var found = 0
    for text in Self.lines(count: 30_000, seed: 1834) + SampleLines.all.filter({ $0.hasPrefix("{") }) {
      let bytes = Array(text.utf8)
      let members = LogJSON.parseObject(bytes)
      switch LogJSON.skimObject(bytes, keys: keys.map { Array($0.utf8) }) {
      case .rejected: #expect(members == nil, "\(text.debugDescription)")
      case .undecided:
        #expect(members != nil, "\(text.debugDescription)")
        #expect(members?.contains { !$0.key.utf8.allSatisfy { $0 < 0x80 } || bytes.contains(0x5C) } == true)
      case .found(let skimmed):
        guard let members else {
          Issue.record("skimmed a line the parser rejects: \(text.debugDescription)")
          continue
        }
        for (key, skim) in zip(keys, skimmed) {
          let value = members.first { $0.key == key }?.value
          switch (value, skim?.kind) {
          case (nil, nil): break
          case (.string(let s)?, .string?):
            if skim?.plain == true { #expect(String(decoding: bytes[skim!.range], as: UTF8.self) == s) }
            found += 1
          case (.number(let n)?, .number?):
            #expect(String(decoding: bytes[skim!.range], as: UTF8.self) == n)
            found += 1
          case (.bool?, .other?), (.null?, .other?), (.object?, .other?), (.array?, .other?): found += 1
          default:
            Issue.record(
              "\(key) in \(text.debugDescription): \(String(describing: value)) skimmed as \(String(describing: skim))")
          }
        }
      }
    }
    #expect(found > 5_000)
  }
}
