import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// `JSONStreamWriter.escaped` jumps to the first byte of a word that needs an escape (the lowest
/// flag of the word test is exact) instead of reading the word byte by byte up to it
/// (docs/architecture.md "JSON, fast and streamed"). The reference below is the escaper as it
/// was, kept for this test: a flagged word read byte by byte, the last fewer than eight bytes
/// tested as the text's last word. Both must write the same bytes for every string: seeded
/// random ones with an escaped byte at every offset of a word, runs of quotes and controls,
/// non-ASCII (a Kelvin sign, a dotted capital I, combining accents), CR, NUL, tabs, empty and
/// long texts, and every line of the samples.
@Suite("the escaper's jump writes what the byte-by-byte read wrote")
struct EscapeJumpTests {
  /// The escaper before the jump, writing into an array (kept as the reference).
  static func reference(_ text: String) -> [UInt8] {
    var out: [UInt8] = [0x22]
    let bytes = Array(text.utf8)
    func needs(_ word: UInt64) -> Bool {
      let ones: UInt64 = 0x0101_0101_0101_0101
      let high: UInt64 = 0x8080_8080_8080_8080
      let below = (word &- ones &* 0x20) & ~word & high
      let quote = word ^ (ones &* 0x22)
      let backslash = word ^ (ones &* 0x5C)
      return below | ((quote &- ones) & ~quote & high) | ((backslash &- ones) & ~backslash & high) != 0
    }
    func word(_ at: Int) -> UInt64 {
      var w: UInt64 = 0
      for k in 0..<8 { w |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
      return w
    }
    func lastClean() -> Bool {
      let end = bytes.count
      if end >= 8 { return !needs(word(end - 8)) }
      var w: UInt64 = 0x2020_2020_2020_2020
      for k in 0..<end { w = (w & ~(0xFF << (8 * UInt64(k)))) | UInt64(bytes[k]) << (8 * UInt64(k)) }
      return !needs(w)
    }
    let end = bytes.count
    var mark = 0
    var i = 0
    while i < end {
      if i + 8 <= end {
        if !needs(word(i)) {
          i += 8
          continue
        }
      } else if lastClean() {
        i = end
        break
      }
      let b = bytes[i]
      if b < 0x20 || b == 0x22 || b == 0x5C {
        out += bytes[mark..<i]
        out.append(0x5C)
        switch b {
        case 0x22, 0x5C: out.append(b)
        case 0x08: out.append(0x62)
        case 0x0C: out.append(0x66)
        case 0x0A: out.append(0x6E)
        case 0x0D: out.append(0x72)
        case 0x09: out.append(0x74)
        default:
          let hex = Array("0123456789abcdef".utf8)
          out += Array("u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
        }
        mark = i + 1
      }
      i += 1
    }
    out += bytes[mark..<end]
    out.append(0x22)
    return out
  }

  static let pieces = [
    "", "a", "\"", "\\", "\0", "\r", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}", " ", "K", "\u{212A}", "\u{130}",
    "caf\u{E9}", "cafe\u{301}", "\u{301}", "☃", "😀", "\u{2028}", "message", "\": \"", "0123456789abcdef",
  ]

  static func written(_ text: String) -> [UInt8] {
    Array(ReportFastPathTests.written { $0.string(text) }.utf8)
  }

  @Test("seeded random strings")
  func randomStrings() {
    var rng = SplitMix64(seed: 0xE5CA_9E)
    for _ in 0..<20_000 {
      let text = (0..<rng.below(12)).map { _ in Self.pieces[rng.below(Self.pieces.count)] }.joined()
      #expect(Self.written(text) == Self.reference(text), "\(Array(text.utf8))")
    }
  }

  @Test("one escaped byte at every offset, and every pair of offsets, of clean runs")
  func everyOffset() {
    for length in 0..<40 {
      for at in 0..<max(length, 1) {
        for escape in ["\"", "\\", "\0", "\n", "\u{1F}"] {
          var bytes = Array(repeating: UInt8(ascii: "x"), count: length)
          if at < length { bytes[at] = escape.utf8.first! }
          let text = String(decoding: bytes, as: UTF8.self)
          #expect(Self.written(text) == Self.reference(text), "\(length) \(at)")
          if at + 3 < length {
            bytes[at + 3] = 0x22
            let two = String(decoding: bytes, as: UTF8.self)
            #expect(Self.written(two) == Self.reference(two), "\(length) \(at)")
          }
        }
      }
    }
  }

  @Test("every line of every text file under samples/")
  func sampleLines() {
    let lines = ShippedSamples.lines()
    for text in lines {
      #expect(Self.written(text) == Self.reference(text), "\(text.debugDescription)")
    }
    #expect(lines.count > 10_000)
  }

  @Test("long texts, past the buffer")
  func longTexts() {
    let text = String(repeating: "\"message\": \"Back-off \\ restarting\"\t", count: 3_000) + "\u{212A}"
    #expect(Self.written(text) == Self.reference(text))
  }
}
