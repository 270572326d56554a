import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// `JSONStreamWriter` stores a string's escape, a number's digits and a whole-second time
/// straight into its buffer when they fit, where it put them as pieces (a clean run copied by
/// `memcpy`, each escape byte with its own capacity check, digits and times copied from a scratch
/// text), and writes a time's date from the day it last wrote (docs/architecture.md "JSON, fast
/// and streamed"). The reference below is the writer's strings, numbers and times as they were,
/// kept for this test, writing into an array with the same buffer size and the same points of
/// handing bytes to the sink. Both must hand the sink the same pieces (every byte, and where each
/// piece ends) for seeded random documents of hostile strings (every control byte, `"`, `\`, `/`,
/// DEL, C1 controls, U+2028 and U+2029, a lone surrogate repaired, a Kelvin sign, a dotted
/// capital İ, combining accents, emoji, empty and longer than the buffer, ending at every
/// offset of a word), numbers (0, ±1, powers of ten and their neighbours, the ends of `Int64`,
/// beyond it) and times (whole seconds from 1970 to 9999, far past and future, fractions), and
/// for every line of the samples. A probe's handler, written in parts between one pair of quotes,
/// must write what its text (`describeText`) wrote whole, and a map written from its sorted
/// pairs what it wrote from its sorted keys and a look-up of each.
@Suite("the writer's strings, numbers and times stored in place write what its pieces wrote")
struct InPlaceWriterTests {
  /// The writer as it was for the values below (kept as the reference): `put` and
  /// `flushIfFull` as in `MemberStartTests.Reference`, the escaper that wrote runs, the digits
  /// and the time copied from a scratch text.
  struct Reference {
    static let flushSize = 1 << 16
    static let capacity = flushSize + 4096
    var buffer: [UInt8] = []
    var chunks: [[UInt8]] = []
    var firstInContainer = true

    mutating func flush() {
      guard !buffer.isEmpty else { return }
      chunks.append(buffer)
      buffer = []
    }

    mutating func put(_ byte: UInt8) {
      if buffer.count == Self.capacity { flush() }
      buffer.append(byte)
    }

    mutating func put(_ bytes: ArraySlice<UInt8>) {
      let n = bytes.count
      guard n > 0 else { return }
      if n > Self.capacity - buffer.count {
        flush()
        if n > Self.capacity {
          chunks.append(Array(bytes))
          return
        }
      }
      buffer += bytes
    }

    mutating func flushIfFull() {
      if buffer.count >= Self.flushSize { flush() }
    }

    /// An element of the top-level array (indentation 2).
    mutating func element() {
      if firstInContainer {
        firstInContainer = false
      } else {
        put(0x2C)
        put(0x0A)
      }
      put(ArraySlice([0x20, 0x20]))
      flushIfFull()
    }

    mutating func string(_ text: String) {
      put(0x22)
      escaped(Array(text.utf8))
      put(0x22)
      flushIfFull()
    }

    /// The escaper as it was: clean runs found a word at a time and put whole.
    mutating func escaped(_ bytes: [UInt8]) {
      func flags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word & high
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return below | ((quote &- ones) & ~quote & high) | ((backslash &- ones) & ~backslash & high)
      }
      func word(_ at: Int) -> UInt64 {
        var w: UInt64 = 0
        for k in 0..<8 { w |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
        return w
      }
      func lastClean() -> Bool {
        let end = bytes.count
        if end >= 8 { return flags(word(end - 8)) == 0 }
        var w: UInt64 = 0x2020_2020_2020_2020
        for k in 0..<end { w = (w & ~(0xFF << (8 * UInt64(k)))) | UInt64(bytes[k]) << (8 * UInt64(k)) }
        return flags(w) == 0
      }
      let end = bytes.count
      var mark = 0
      var i = 0
      while i < end {
        if i + 8 <= end {
          let f = flags(word(i))
          if f == 0 {
            i += 8
            continue
          }
          i += f.trailingZeroBitCount >> 3
        } else if lastClean() {
          i = end
          break
        }
        let b = bytes[i]
        if b < 0x20 || b == 0x22 || b == 0x5C {
          put(bytes[mark..<i])
          put(0x5C)
          switch b {
          case 0x22, 0x5C: put(b)
          case 0x08: put(0x62)
          case 0x0C: put(0x66)
          case 0x0A: put(0x6E)
          case 0x0D: put(0x72)
          case 0x09: put(0x74)
          default:
            let hex = Array("0123456789abcdef".utf8)
            put(ArraySlice(Array("u00".utf8)))
            put(hex[Int(b >> 4)])
            put(hex[Int(b & 0x0F)])
          }
          mark = i + 1
        }
        i += 1
      }
      put(bytes[mark..<end])
    }

    mutating func int(_ value: Int) {
      if value < 0 { put(0x2D) }
      put(ArraySlice(Array(String(value.magnitude).utf8)))
    }

    mutating func bigInt(_ value: UInt64) {
      if let v = Int(exactly: value) {
        int(v)
      } else {
        put(ArraySlice(Array(String(value).utf8)))
      }
    }

    /// A whole second of 1970–9999 from a scratch text; any other time as its string (the
    /// writer's memo of such times puts the same pieces as `string` does).
    mutating func time(_ date: Date) {
      let seconds = date.timeIntervalSince1970
      guard seconds.rounded(.down) == seconds, seconds >= 0, seconds <= ReportTime.lastFastSecond else {
        string(ReportTime.iso(date))
        return
      }
      var text = [UInt8](repeating: 0, count: 24)
      text.withUnsafeMutableBytes { ReportTime.writeWholeSecond(Int(seconds), into: $0) }
      put(0x22)
      put(text[0..<20])
      put(0x22)
      flushIfFull()
    }
  }

  enum Step {
    case string(String)
    case int(Int)
    case bigInt(UInt64)
    case time(Double)
  }

  /// Hostile pieces of text: every control byte, the escapes, DEL and C1 controls, line and
  /// paragraph separators, a lone surrogate (repaired to U+FFFD), a Kelvin sign, a dotted
  /// capital İ, combining accents, emoji, and clean runs of several lengths.
  static let pieces: [String] =
    (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + [
      "\"", "\\", "/", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{2028}", "\u{2029}",
      String(decoding: [0xD800] as [UInt16], as: UTF16.self), "\u{212A}", "\u{130}", "e\u{301}", "\u{301}\u{308}",
      "😀", "👩‍👩‍👧", "K", "a", "ab", "abc", "abcdefg", "abcdefgh", "message", "\": \"", "Back-off restarting failed",
      String(repeating: "x", count: 61),
    ]

  static func text(_ rng: inout SplitMix64) -> String {
    switch rng.below(20) {
    case 0: return ""
    case 1:
      // Longer than the buffer, or long enough to cross its end at any point.
      let piece = pieces[rng.below(pieces.count)]
      return String(repeating: "0123456789abcdef" + piece, count: 1 + rng.below(6_000))
    case 2: return String(repeating: "\"", count: rng.below(3_000))
    default: return (0..<rng.below(24)).map { _ in pieces[rng.below(pieces.count)] }.joined()
    }
  }

  static let numbers: [Int] =
    [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.max - 1, Int.min + 1]
    + (1...18).flatMap { k -> [Int] in
      let p = (0..<k).reduce(1) { a, _ in a * 10 }
      return [p - 1, p, p + 1, -p, -(p - 1)]
    }

  static func time(_ rng: inout SplitMix64) -> Double {
    switch rng.below(8) {
    case 0: return Double(rng.below(Int(ReportTime.lastFastSecond) + 1))
    case 1: return [0, 1, 59, 86_399, 86_400, 951_782_400, ReportTime.lastFastSecond][rng.below(7)]
    case 2:
      return [-1, -86_400 * 400, ReportTime.lastFastSecond + 1, 1e12, -1e12, 0.5, 1_795_740_000.001][rng.below(7)]
    case 3: return 1_795_740_000 + Double(rng.below(1_000)) + 0.001 * Double(rng.below(3))
    default:
      // Times of a few days, as a report's are: the date is remembered from the last.
      return 1_795_740_000 + Double(rng.below(4 * 86_400))
    }
  }

  static func document(seed: UInt64) -> [Step] {
    var rng = SplitMix64(seed: seed)
    return (0..<(200 + rng.below(2_000))).map { _ in
      switch rng.below(10) {
      case 0, 1: return .int(numbers[rng.below(numbers.count)] >> rng.below(3))
      case 2: return .bigInt(rng.below(2) == 0 ? rng.next() : UInt64.max - UInt64(rng.below(3)))
      case 3, 4: return .time(time(&rng))
      default: return .string(text(&rng))
      }
    }
  }

  /// The steps as elements of one array, by the writer.
  static func written(_ steps: [Step]) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var w = JSONStreamWriter { bytes in
      chunks.append(Array(bytes))
      return true
    }
    w.beginArray()
    for step in steps {
      w.element()
      switch step {
      case .string(let text): w.string(text)
      case .int(let v): w.int(v)
      case .bigInt(let v): w.int(v)
      case .time(let s): w.time(Date(timeIntervalSince1970: s))
      }
    }
    w.endArray()
    w.endDocument()
    return chunks
  }

  static func reference(_ steps: [Step]) -> [[UInt8]] {
    var r = Reference()
    r.put(0x5B)
    r.put(0x0A)
    for step in steps {
      r.element()
      switch step {
      case .string(let text): r.string(text)
      case .int(let v): r.int(v)
      case .bigInt(let v): r.bigInt(v)
      case .time(let s): r.time(Date(timeIntervalSince1970: s))
      }
    }
    r.put(0x0A)
    r.put(0x5D)
    r.put(0x0A)
    r.flush()
    return r.chunks
  }

  @Test("seeded random documents of hostile strings, numbers and times")
  func randomDocuments() {
    var bytes = 0
    for seed in UInt64(0)..<120 {
      let steps = Self.document(seed: 0x1A_91AC_E000 + seed)
      let chunks = Self.written(steps)
      #expect(chunks == Self.reference(steps), "seed \(seed)")
      bytes += chunks.reduce(0) { $0 + $1.count }
    }
    // The documents crossed the buffer many times.
    #expect(bytes > 50 * Reference.capacity)
  }

  @Test("a long string whose escapes run past the buffer's end at every point")
  func escapesPastTheEnd() {
    // The text fits the buffer as it is, but not escaped: the writer stores it in place until
    // an escape may no longer fit, and writes the rest as runs.
    for fill in (Reference.capacity - 160)..<(Reference.capacity - 60) {
      for escape in ["\"", "\u{1}"] {
        let text = String(repeating: "x", count: fill) + String(repeating: escape + "ab", count: 1 + fill % 13)
        let steps: [Step] = [.string(text), .time(1_795_740_000)]
        #expect(Self.written(steps) == Self.reference(steps), "\(fill) \(escape)")
      }
    }
  }

  @Test("every line of every text file under samples/, one document")
  func sampleLines() {
    let steps = ShippedSamples.lines().map { Step.string($0) }
    #expect(steps.count > 10_000)
    #expect(Self.written(steps) == Self.reference(steps))
  }
  @Test("a probe's handler written in parts as its text was written whole")
  func probeHandlers() {
    var rng = SplitMix64(seed: 0x9_20BE)
    var handlers: [ProbeHandler] = [.unknown, .exec(command: []), .httpGet(scheme: "", host: "", port: "", path: "")]
    for _ in 0..<3_000 {
      func piece() -> String { Self.pieces[rng.below(Self.pieces.count)] }
      func text() -> String { (0..<rng.below(4)).map { _ in piece() }.joined() }
      switch rng.below(4) {
      case 0:
        let scheme = ["HTTP", "HTTPS", "\u{212A}", "\u{130}", text()][rng.below(5)]
        handlers.append(.httpGet(scheme: scheme, host: text(), port: text(), path: text()))
      case 1: handlers.append(.tcpSocket(host: text(), port: text()))
      case 2: handlers.append(.exec(command: (0..<rng.below(4)).map { _ in text() }))
      default: handlers.append(.grpc(port: text(), service: text()))
      }
    }
    for h in handlers {
      let parts = ReportFastPathTests.written { $0.probeHandler(h) }
      let whole = ReportFastPathTests.written { $0.string(h.describeText) }
      #expect(Array(parts.utf8) == Array(whole.utf8), "\(h)")
    }
  }
  /// `stringMap` as it was, keys sorted and each value looked up (kept as the reference).
  static func referenceMap(_ map: [String: String], into w: inout JSONStreamWriter) {
    w.beginObject()
    for k in JSONStreamWriter.sortedKeys(map) {
      w.key(text: k)
      w.string(map[k] ?? "")
    }
    w.endObject()
  }

  @Test("a map written from its sorted pairs as from its sorted keys and look-ups")
  func stringMaps() {
    var rng = SplitMix64(seed: 0x3A9_11)
    let keys = [
      "cpu", "memory", "ephemeral-storage", "nvidia.com/gpu", "", "\u{212A}", "K", "k", "\u{130}", "I",
      "caf\u{E9}", "cafe\u{301}", "\0", "a\"b", "\u{7F}", "😀", "\u{2028}",
    ]
    for n in 0..<2_000 {
      var map: [String: String] = [:]
      for _ in 0..<(n < 20 ? n : rng.below(12)) {
        map[keys[rng.below(keys.count)] + (rng.below(3) == 0 ? Self.text(&rng) : "")] = Self.text(&rng)
      }
      let written = ReportFastPathTests.written { $0.stringMap(map) }
      let reference = ReportFastPathTests.written { Self.referenceMap(map, into: &$0) }
      #expect(Array(written.utf8) == Array(reference.utf8), "\(map)")
    }
  }
}
