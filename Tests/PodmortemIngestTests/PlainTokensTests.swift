import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `JSONScanner.plainTokens`, the loop of its own that reads a member line of a pretty-printed
/// object (docs/architecture.md "Speed of the EventList path"), held to the scanner's byte loop it
/// stands in for (the same scanner with `readsPlainTokens` off: every stored field compared after
/// every line and chunk) and to `ReferenceJSONScanner` (the same values and problems, in order), on
/// seeded lists of events whose lines are cut, joined, spaced and filled with hostile pieces.
@Suite struct PlainTokensTests {
  /// Pieces of a line: the member shapes of a list, and what breaks them.
  private static let hostile: [String] = [
    "\u{212A}", "\u{0130}", "e\u{0301}", "\u{0}", "\r", "\t", "\\\"", "\\\\", "\\u00e9", "\\", "\"", ":", ",", "{",
    "}", "[", "]", " ", "  ", "\t ", "x",
  ]
  private static let keys = [
    "kind", "items", "kin", "kindx", "Kind", "message", "name", "count", "involvedObject", "metadata", "k\\\"ey",
    "k\u{212A}y", String(repeating: "k", count: 64), String(repeating: "k", count: 65), "", "items ",
  ]
  private static let scalars = [
    "35", "-1", "0.5", "null", "true", "false", "12e3", "\"Event\"", "\"EventList\"", "\"\"", "\"a\\\"b\"",
    "\"2026-11-27T01:02:03Z\"", "\"Back-off restarting failed container\"",
  ]

  /// One line of a member, most of them in the shape kubectl prints, some spaced or broken.
  private static func memberLine(_ rng: inout SplitMix64, indent: Int, last: Bool) -> String {
    var key = keys[rng.below(keys.count)]
    var value = scalars[rng.below(scalars.count)]
    if rng.below(6) == 0 {
      value = "\"" + (0..<rng.below(5)).map { _ in hostile[rng.below(hostile.count)] }.joined() + "\""
    }
    if rng.below(12) == 0 { key += hostile[rng.below(hostile.count)] }
    let pad = String(repeating: " ", count: indent)
    var line: String
    switch rng.below(10) {
    case 0: line = pad + "\"\(key)\" : \(value)"
    case 1: line = "\t" + pad + "\"\(key)\":\(value)"
    case 2: line = pad + "\"\(key)\": {"
    case 3: line = pad + "\"\(key)\": ["
    case 4: line = pad + "\(value)"
    default: line = pad + "\"\(key)\": \(value)"
    }
    if !last { line += rng.below(8) == 0 ? " ," : "," }
    if rng.below(15) == 0 { line += "\r" }
    if rng.below(20) == 0 {
      // A hostile piece anywhere, or the line cut short.
      let cut = rng.below(line.utf8.count + 1)
      let bytes = Array(line.utf8)
      line =
        rng.below(2) == 0
        ? String(decoding: bytes[..<cut], as: UTF8.self)
        : String(decoding: bytes[..<cut], as: UTF8.self) + hostile[rng.below(hostile.count)]
          + String(decoding: bytes[cut...], as: UTF8.self)
    }
    return line
  }

  /// A list of event-like items, each a few members and a nested object, as kubectl indents it.
  private static func randomList(_ rng: inout SplitMix64) -> [String] {
    var lines = ["{", "    \"apiVersion\": \"v1\","]
    if rng.below(3) == 0 { lines.append("    \"kind\": \"EventList\",") }
    lines.append("    \"items\": [")
    let items = rng.below(6)
    for item in 0..<items {
      lines.append("        {")
      let members = 1 + rng.below(8)
      for m in 0..<members {
        if rng.below(5) == 0 {
          lines.append("            \"involvedObject\": {")
          let inner = 1 + rng.below(4)
          for k in 0..<inner { lines.append(memberLine(&rng, indent: 16, last: k == inner - 1)) }
          lines.append("            }" + (m == members - 1 ? "" : ","))
        } else {
          lines.append(memberLine(&rng, indent: 12, last: m == members - 1))
        }
      }
      lines.append("        }" + (item == items - 1 ? "" : ","))
    }
    lines.append("    ],")
    lines.append("    \"kind\": \"List\"")
    lines.append("}")
    if rng.below(4) == 0 { lines.append("{\"kind\": \"Event\", \"reason\": \"BackOff\", \"count\": 3}") }
    return lines
  }

  private static func describe(_ output: JSONScanner.Output) -> String {
    switch output {
    case .value(let v):
      return "value \(v.bytes) \(v.startLine)-\(v.endLine) \(v.kind ?? "-") \(v.isListItem) \(v.listKind ?? "-")"
    case .problem(let p): return "problem \(p.line) \(p.message)"
    }
  }

  private static func describe(_ output: ReferenceJSONScanner.Output) -> String {
    switch output {
    case .value(let v):
      return "value \(v.bytes) \(v.startLine)-\(v.endLine) \(v.kind ?? "-") \(v.isListItem) \(v.listKind ?? "-")"
    case .problem(let p): return "problem \(p.line) \(p.message)"
    }
  }

  /// Fed line by line (as strings, substrings or bytes) and in random chunks, with small and large
  /// limits, from the start or between items: the scanner reading member lines through
  /// `plainTokens` stands in the same state, field by field, as the one that reads every byte
  /// through its loop, and both hand out what the reference hands out.
  @Test func readsAsTheLoopAndTheReference() {
    var rng = SplitMix64(seed: 3_016)
    var values = 0
    var problems = 0
    var kinds = 0
    var members = 0
    for round in 0..<2_500 {
      let lines = Self.randomList(&rng)
      members += lines.filter(Self.isMemberShaped).count
      let maxDepth = [3, 8, 256][rng.below(3)]
      let maxBytes = [60, 400, 256 << 20][rng.below(3)]
      var fast = JSONScanner(maxDepth: maxDepth, maxValueBytes: maxBytes)
      var slow = JSONScanner(maxDepth: maxDepth, maxValueBytes: maxBytes)
      var old = ReferenceJSONScanner(maxDepth: maxDepth, maxValueBytes: maxBytes)
      if round % 10 == 9 {
        fast = JSONScanner(betweenItemsAt: 1)
        slow = JSONScanner(betweenItemsAt: 1)
        old = ReferenceJSONScanner(betweenItemsAt: 1)
      }
      slow.readsPlainTokens = false
      var fastOut: [String] = []
      var slowOut: [String] = []
      var oldOut: [String] = []
      if round % 3 == 2 {
        let bytes = Array(lines.joined(separator: "\n").utf8)
        var offset = 0
        while offset < bytes.count {
          let end = min(bytes.count, offset + 1 + rng.below(80))
          bytes[offset..<end].withUnsafeBytes { raw in
            fast.feed(raw) { fastOut.append(Self.describe($0)) }
            slow.feed(raw) { slowOut.append(Self.describe($0)) }
            old.feed(raw) { oldOut.append(Self.describe($0)) }
          }
          offset = end
          #expect(fast.wholeState == slow.wholeState && fast.keptBytes == slow.keptBytes)
        }
      } else {
        for line in lines {
          switch rng.below(3) {
          case 0: fast.feedLine(line) { fastOut.append(Self.describe($0)) }
          case 1: fast.feedLine(line[...]) { fastOut.append(Self.describe($0)) }
          default:
            Array(line.utf8).withUnsafeBufferPointer { bytes in
              fast.feedLine(bytes: bytes) { fastOut.append(Self.describe($0)) }
            }
          }
          slow.feedLine(line) { slowOut.append(Self.describe($0)) }
          old.feedLine(line[...]) { oldOut.append(Self.describe($0)) }
          #expect(fast.wholeState == slow.wholeState && fast.keptBytes == slow.keptBytes, "\(line)")
        }
      }
      fast.finish { fastOut.append(Self.describe($0)) }
      slow.finish { slowOut.append(Self.describe($0)) }
      old.finish { oldOut.append(Self.describe($0)) }
      #expect(fast.wholeState == slow.wholeState)
      #expect(fastOut == slowOut, "\(lines.joined(separator: "\n"))")
      #expect(fastOut == oldOut, "\(lines.joined(separator: "\n"))")
      values += oldOut.filter { $0.hasPrefix("value") }.count
      problems += oldOut.filter { $0.hasPrefix("problem") }.count
      kinds += oldOut.filter { $0.hasPrefix("value") && !$0.contains(" - true") && !$0.contains(" - false") }.count
    }
    #expect(values > 1_500)
    #expect(problems > 500)
    #expect(kinds > 200)
    // Lines of the shape `member` reads whole, among the others.
    #expect(members > 20_000)
  }

  /// Spaces, `"`, a key without `"` or `\`, `": ` and a value: roughly what `member` reads whole.
  private static func isMemberShaped(_ line: String) -> Bool {
    let body = line.drop { $0 == " " }
    guard body.first == "\"", let close = body.dropFirst().firstIndex(of: "\"") else { return false }
    return !body[..<close].contains("\\") && body[close...].hasPrefix("\": ")
  }

  /// Every line of every sample file (JSON, YAML, text and logs alike, each read as JSON from its
  /// first line), fed line by line as bytes: the same state field by field and the same values and
  /// problems with `plainTokens` and without.
  @Test func readsTheSamplesAsTheLoop() throws {
    var values = 0
    var lines = 0
    for (file, data) in ShippedSamples.contents() {
      var fast = JSONScanner()
      var slow = JSONScanner()
      slow.readsPlainTokens = false
      var fastOut: [String] = []
      var slowOut: [String] = []
      for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
        Array(line).withUnsafeBufferPointer { bytes in
          fast.feedLine(bytes: bytes) { fastOut.append(Self.describe($0)) }
          slow.feedLine(bytes: bytes) { slowOut.append(Self.describe($0)) }
        }
        if fast.wholeState != slow.wholeState || fast.keptBytes != slow.keptBytes {
          Issue.record("\(file.lastPathComponent): \(Array(line))")
        }
        lines += 1
      }
      fast.finish { fastOut.append(Self.describe($0)) }
      slow.finish { slowOut.append(Self.describe($0)) }
      #expect(fastOut == slowOut, "\(file.lastPathComponent)")
      values += slowOut.filter { $0.hasPrefix("value") }.count
    }
    #expect(values > 500)
    #expect(lines > 10_000)
  }
}
