import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The scanner's framing eight bytes at a time (docs/architecture.md "JSON, fast and streamed",
/// "Speed of the EventList path") against the byte loops it replaced, on seeded random and mutated
/// JSON: the same frames, the same problems at the same lines, the same state after every chunk.
@Suite struct JSONFramerTests {

  // MARK: - The word scans

  /// Bytes that matter to the scans, often, and others.
  private static let palette: [UInt8] = [
    0x22, 0x5C, 0x0A, 0x20, 0x20, 0x20, 0x09, 0x0D, 0x00, 0x01, 0x1F, 0x21, 0x23, 0x5B, 0x5D, 0x5D, 0x7B, 0x7D,
    0x61, 0x7A, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x2A, 0x2C, 0x3A,
  ]

  private static func stopByBytes(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var j = start
    while j < bytes.count {
      let b = bytes[j]
      if b == 0x22 || b == 0x5C || b == 0x0A { break }
      j += 1
    }
    return j
  }

  @Test func stringStopAndSpacesEndAsTheByteLoops() {
    var rng = SplitMix64(seed: 1701)
    var stops = 0
    for round in 0..<20_000 {
      let count = rng.below(48)
      // Runs of plain bytes or spaces most of the time, so a word often holds no stop at all.
      let plainRun = round % 3 == 0
      let bytes: [UInt8] = (0..<count).map { _ in
        if plainRun && rng.below(10) > 0 { return 0x61 }
        if round % 3 == 1 && rng.below(10) > 0 { return 0x20 }
        return Self.palette[rng.below(Self.palette.count)]
      }
      bytes.withUnsafeBufferPointer { all in
        // A window that starts anywhere in the array, so loads are unaligned.
        let lower = count == 0 ? 0 : rng.below(count + 1)
        let window = UnsafeBufferPointer(rebasing: all[lower...])
        for start in 0...window.count {
          let expected = Self.stopByBytes(window, from: start)
          #expect(ByteWords.stringStop(window, from: start) == expected, "\(Array(window)) \(start)")
          if expected < window.count { stops += 1 }
          // `spacesEnd` stops at the first byte that is not a space, or where fewer than eight are left.
          let end = ByteWords.spacesEnd(window, from: start)
          var byBytes = start
          while byBytes + 8 <= window.count, !window[byBytes..<(byBytes + 8)].contains(where: { $0 != 0x20 }) {
            byBytes += 8
          }
          if byBytes + 8 <= window.count { while window[byBytes] == 0x20 { byBytes += 1 } }
          #expect(end == byBytes, "\(Array(window)) \(start)")
        }
      }
    }
    #expect(stops > 10_000)
  }

  /// The reader's string loop as it was: the first `"`, `\\` or control byte, and whether the
  /// bytes before it are ASCII.
  private static func plainRunByBytes(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Bool) {
    var j = start
    var ascii = true
    while j < p.count {
      let b = p[j]
      if b == 0x22 || b == 0x5C || b < 0x20 { break }
      if b >= 0x80 { ascii = false }
      j += 1
    }
    return (j, ascii)
  }

  @Test func readerPlainRunAsTheByteLoop() {
    var rng = SplitMix64(seed: 1703)
    var stops = 0
    var nonASCII = 0
    for round in 0..<20_000 {
      let count = rng.below(48)
      let bytes: [UInt8] = (0..<count).map { _ in
        if round % 2 == 0 && rng.below(12) > 0 { return [0x61, 0x20, 0x7E, 0x2D][rng.below(4)] }
        return Self.palette[rng.below(Self.palette.count)]
      }
      bytes.withUnsafeBufferPointer { all in
        let lower = count == 0 ? 0 : rng.below(count + 1)
        let window = UnsafeBufferPointer(rebasing: all[lower...])
        for start in 0...window.count {
          let (end, ascii) = ByteWords.plainRun(window, from: start)
          let (expectedEnd, expectedASCII) = Self.plainRunByBytes(window, from: start)
          #expect(end == expectedEnd && ascii == expectedASCII, "\(Array(window)) \(start)")
          if expectedEnd < window.count { stops += 1 }
          if !expectedASCII { nonASCII += 1 }
        }
      }
    }
    #expect(stops > 10_000)
    #expect(nonASCII > 10_000)
  }

  // MARK: - Random JSON

  private static func randomString(_ rng: inout SplitMix64, into out: inout [UInt8]) {
    out.append(0x22)
    for _ in 0..<rng.below(24) {
      switch rng.below(16) {
      case 0:
        // A run of backslashes, odd or even, then what it escapes or ends on.
        out.append(contentsOf: [UInt8](repeating: 0x5C, count: 1 + rng.below(5)))
        out.append([0x22, 0x6E, 0x75, 0x5C, 0x0A, 0x2F][rng.below(6)])
      case 1: out.append(contentsOf: Array("\\u00e9".utf8))
      case 2: out.append(contentsOf: Array("\\ud83d\\ude00".utf8))
      case 3: out.append(contentsOf: Array("é日本".utf8))
      case 4: out.append([0x00, 0x01, 0x09, 0x0D, 0x0A, 0xFF, 0xC3, 0x80][rng.below(8)])
      case 5: out.append(contentsOf: Array("{[}]:,".utf8)[rng.below(6)...].prefix(2))
      case 6: out.append(contentsOf: [UInt8](repeating: 0x20, count: rng.below(12)))
      default:
        out.append(contentsOf: Array("Back-off restarting failed container web in pod".utf8).prefix(1 + rng.below(20)))
      }
    }
    out.append(0x22)
  }

  private static func indent(_ level: Int, into out: inout [UInt8]) {
    out.append(0x0A)
    out.append(contentsOf: [UInt8](repeating: 0x20, count: 4 * level))
  }

  private static let keys = ["kind", "items", "message", "name", "metadata", "count", "involvedObject", "a", "k\\\"ey"]

  private static func randomValue(_ rng: inout SplitMix64, depth: Int, level: Int, into out: inout [UInt8]) {
    switch depth > 5 ? rng.below(4) : rng.below(7) {
    case 0: randomString(&rng, into: &out)
    case 1: out.append(contentsOf: Array(["1", "-35", "0.5", "true", "false", "null", "12e3"][rng.below(7)].utf8))
    case 2: out.append(contentsOf: Array("\"Event\"".utf8))
    case 3: out.append(contentsOf: Array("\"2026-11-27T01:02:03Z\"".utf8))
    case 4, 5:
      out.append(0x7B)
      let count = rng.below(5)
      for k in 0..<count {
        if k > 0 { out.append(0x2C) }
        indent(level + 1, into: &out)
        out.append(0x22)
        out.append(contentsOf: Array(keys[rng.below(keys.count)].utf8))
        out.append(contentsOf: Array("\": ".utf8))
        randomValue(&rng, depth: depth + 1, level: level + 1, into: &out)
      }
      if count > 0 { indent(level, into: &out) }
      out.append(0x7D)
    default:
      out.append(0x5B)
      let count = rng.below(4)
      for k in 0..<count {
        if k > 0 { out.append(0x2C) }
        indent(level + 1, into: &out)
        randomValue(&rng, depth: depth + 1, level: level + 1, into: &out)
      }
      if count > 0 { indent(level, into: &out) }
      out.append(0x5D)
    }
  }

  /// A pretty-printed list, concatenated or newline-delimited objects, or a bare array, then
  /// mutated: bytes deleted, inserted, repeated or the text cut short.
  private static func randomDocument(_ rng: inout SplitMix64) -> [UInt8] {
    var out: [UInt8] = []
    for _ in 0..<(1 + rng.below(3)) {
      switch rng.below(3) {
      case 0:
        out.append(contentsOf: Array("{\n    \"apiVersion\": \"v1\",\n    \"items\": [".utf8))
        for k in 0..<rng.below(6) {
          out.append(contentsOf: Array(((k > 0 ? "," : "") + "\n        ").utf8))
          randomValue(&rng, depth: 2, level: 2, into: &out)
        }
        out.append(contentsOf: Array("\n    ],\n    \"kind\": \"EventList\"\n}\n".utf8))
      case 1:
        randomValue(&rng, depth: 0, level: 0, into: &out)
        out.append(0x0A)
      default:
        out.append(0x5B)
        randomValue(&rng, depth: 1, level: 1, into: &out)
        out.append(contentsOf: Array(",{\"kind\":\"Pod\"}]\n".utf8))
      }
    }
    for _ in 0..<rng.below(4) {
      guard !out.isEmpty else { break }
      let at = rng.below(out.count)
      switch rng.below(5) {
      case 0: out.removeSubrange(at..<min(out.count, at + 1 + rng.below(8)))
      case 1: out.insert(Self.palette[rng.below(Self.palette.count)], at: at)
      case 2: out.insert(contentsOf: out[at..<min(out.count, at + rng.below(30))], at: at)
      case 3: out.removeSubrange(at...)
      default: out.insert(contentsOf: Array("\n{".utf8), at: at)
      }
    }
    return out
  }

  // MARK: - The scanner against the reference

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

  private static func state(_ s: JSONScanner) -> String {
    "\(s.line) \(s.isInValue) \(s.isBetweenValues) \(s.isSkipping) \(s.currentKind ?? "-") \(s.isBetweenItems(column: 8))"
  }

  private static func state(_ s: ReferenceJSONScanner) -> String {
    "\(s.line) \(s.isInValue) \(s.isBetweenValues) \(s.isSkipping) \(s.currentKind ?? "-") \(s.isBetweenItems(column: 8))"
  }

  /// Fed in chunks of random sizes (`feed`) or line by line (`feedLine`, whole strings or
  /// substrings), with small and large limits on depth and size, from the start or between items:
  /// both scanners hand out the same values and problems, in the same order, and stand in the same
  /// state after every chunk and at the end.
  @Test func framesAsTheByteByByteScanner() {
    var rng = SplitMix64(seed: 1702)
    var values = 0
    var problems = 0
    for round in 0..<3_000 {
      let document = Self.randomDocument(&rng)
      let maxDepth = [3, 8, 256][rng.below(3)]
      let maxBytes = [40, 300, 256 << 20][rng.below(3)]
      let firstLine = 1 + rng.below(3)
      var new = JSONScanner(maxDepth: maxDepth, maxValueBytes: maxBytes, firstLine: firstLine)
      var old = ReferenceJSONScanner(maxDepth: maxDepth, maxValueBytes: maxBytes, firstLine: firstLine)
      if round % 10 == 9 {
        new = JSONScanner(betweenItemsAt: firstLine)
        old = ReferenceJSONScanner(betweenItemsAt: firstLine)
      }
      var newOut: [String] = []
      var oldOut: [String] = []
      if round % 2 == 0 {
        var offset = 0
        while offset < document.count {
          let end = min(document.count, offset + 1 + rng.below(round % 4 == 0 ? 9 : 200))
          document[offset..<end].withUnsafeBytes { raw in
            new.feed(raw) { newOut.append(Self.describe($0)) }
            old.feed(raw) { oldOut.append(Self.describe($0)) }
          }
          offset = end
          #expect(Self.state(new) == Self.state(old))
        }
      } else {
        let text = String(decoding: document, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
          if round % 4 == 1 {
            new.feedLine(String(line)) { newOut.append(Self.describe($0)) }
          } else {
            new.feedLine(line) { newOut.append(Self.describe($0)) }
          }
          old.feedLine(line) { oldOut.append(Self.describe($0)) }
          #expect(Self.state(new) == Self.state(old))
        }
      }
      new.finish { newOut.append(Self.describe($0)) }
      old.finish { oldOut.append(Self.describe($0)) }
      #expect(newOut == oldOut, "\(String(decoding: document, as: UTF8.self))")
      values += oldOut.filter { $0.hasPrefix("value") }.count
      problems += oldOut.filter { $0.hasPrefix("problem") }.count
    }
    #expect(values > 1_000)
    #expect(problems > 1_000)
  }

  /// `feedLine` keeps a line's rest and its line end in one step when the value goes on past the
  /// line (`store`), where the reference keeps them with two appends: with the size limit at
  /// every count from just under a value's size to just over it (so that the line end is the
  /// byte that crosses it, or the line's last byte is), and lines fed now with `feedLine`, now as
  /// a chunk with its line end through `feed`, both scanners hand out the same values and
  /// problems and stand in the same state after every line.
  @Test func keepsALineAndItsEndAsTheReferenceAtEveryLimit() {
    var rng = SplitMix64(seed: 1703)
    var values = 0
    var problems = 0
    for round in 0..<400 {
      let document = Self.randomDocument(&rng)
      let text = String(decoding: document, as: UTF8.self)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let base = 20 + rng.below(300)
      for maxBytes in (base - 3)...(base + 3) {
        var new = JSONScanner(maxDepth: 256, maxValueBytes: maxBytes)
        var old = ReferenceJSONScanner(maxDepth: 256, maxValueBytes: maxBytes)
        if round % 5 == 4 {
          new = JSONScanner(betweenItemsAt: 1)
          old = ReferenceJSONScanner(betweenItemsAt: 1)
        }
        var newOut: [String] = []
        var oldOut: [String] = []
        for line in lines {
          switch rng.below(3) {
          case 0: new.feedLine(String(line)) { newOut.append(Self.describe($0)) }
          case 1: new.feedLine(line) { newOut.append(Self.describe($0)) }
          default:
            // A chunk with its line end: the reference is fed the same chunk (a value found too
            // large is reported on the line after, once the chunk's line end is read, by both).
            Array(line.utf8 + [0x0A]).withUnsafeBytes { raw in
              new.feed(raw) { newOut.append(Self.describe($0)) }
              old.feed(raw) { oldOut.append(Self.describe($0)) }
            }
            #expect(Self.state(new) == Self.state(old))
            continue
          }
          old.feedLine(line) { oldOut.append(Self.describe($0)) }
          #expect(Self.state(new) == Self.state(old))
        }
        new.finish { newOut.append(Self.describe($0)) }
        old.finish { oldOut.append(Self.describe($0)) }
        #expect(newOut == oldOut, "limit \(maxBytes): \(text)")
        values += oldOut.filter { $0.hasPrefix("value") }.count
        problems += oldOut.filter { $0.hasPrefix("problem") && $0.contains("larger than") }.count
      }
    }
    #expect(values > 1_000)
    #expect(problems > 500)
  }
}

/// `ByteWords.exactZeroBytes` marks every zero byte of a word, not only the lowest as `zeroBytes`
/// does: held to the byte-by-byte answer on seeded words with zero bytes, 0x01 and 0x80 bytes
/// (the ones a borrow or the high bit would confuse) at random places.
@Suite struct ExactZeroBytesTests {
  @Test func marksEveryZeroByteAndNothingElse() {
    var rng = SplitMix64(seed: 8_080)
    let special: [UInt8] = [0, 0, 1, 0x80, 0x7F, 0xFF, 0x81]
    for _ in 0..<20_000 {
      var word: UInt64 = 0
      var expected: UInt64 = 0
      for b in 0..<8 {
        let byte = rng.next() % 2 == 0 ? special[rng.below(special.count)] : UInt8(truncatingIfNeeded: rng.next())
        word |= UInt64(byte) << (8 * b)
        if byte == 0 { expected |= 0x80 << (8 * UInt64(b)) }
      }
      #expect(ByteWords.exactZeroBytes(word) == expected)
    }
  }
}
