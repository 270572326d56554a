import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// The writer stores a small string with nothing to escape straight from the string's own two
/// words (`JSONStreamWriter.smallClean`), where it read the string's bytes through
/// `utf8.withContiguousStorageIfAvailable` first (docs/architecture.md "JSON, fast and
/// streamed"). The reference is the writer's string as it was (`stringByBytes`): both must hand
/// the sink the same pieces (every byte, and where each piece ends) for strings of every length
/// from 0 to 20 with a byte to escape at every offset, seeded random small strings of hostile
/// pieces (NUL, CR, tab, every control byte, quotes, backslashes, DEL, a Kelvin sign, a dotted
/// capital İ, a combining accent, emoji, random bytes), large strings, and strings that meet the
/// buffer's end at every point of its last bytes.
@Suite("a small string stored from its own words as its bytes were")
struct SmallStringTests {
  /// The pieces the sink is handed for `texts` written one after the other as array elements,
  /// with `string` or with `stringByBytes`, after `lead` bytes of a filler string.
  static func pieces(_ texts: [String], lead: Int = 0, byBytes: Bool) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var w = JSONStreamWriter { bytes in
      chunks.append(Array(bytes))
      return true
    }
    w.beginArray()
    if lead > 0 {
      w.element()
      w.stringByBytes(String(repeating: "f", count: lead))
    }
    for text in texts {
      w.element()
      if byBytes { w.stringByBytes(text) } else { w.string(text) }
    }
    w.endArray()
    w.endDocument()
    return chunks
  }

  static let hostile: [String] = [
    "\"", "\\", "\0", "\r", "\t", "\n", "\u{1}", "\u{1F}", "\u{7F}", "/", " ", "a", "Z", "é", "\u{212A}", "\u{130}",
    "e\u{301}", "😀", "\u{2028}", "\u{85}",
  ]

  @Test("the layout the writer reads is the one this machine's strings have")
  func layout() {
    #expect(JSONStreamWriter.smallStringsLaidOut())
  }

  @Test("strings of 0 to 20 bytes with a byte to escape at every offset, and clean ones")
  func everyOffset() {
    var texts: [String] = []
    for length in 0...20 {
      for filler in ["x", "é"] {
        let clean = String(repeating: filler, count: filler == "x" ? length : length / 2)
        texts.append(clean)
        let bytes = Array(clean.utf8)
        for at in 0..<bytes.count {
          for flagged in ["\"", "\\", "\0", "\u{1F}", "\n"] {
            var b = bytes
            b[at] = flagged.utf8.first!
            texts.append(String(decoding: b, as: UTF8.self))
          }
        }
      }
    }
    #expect(texts.count > 1_000)
    #expect(Self.pieces(texts, byBytes: false) == Self.pieces(texts, byBytes: true))
  }

  @Test("seeded random small and large strings of hostile pieces, alone and in one document")
  func seeded() {
    var rng = SplitMix64(seed: 0x5_3A11)
    var texts: [String] = []
    for _ in 0..<8_000 {
      var text = ""
      for _ in 0..<rng.below(rng.below(8) == 0 ? 30 : 6) {
        if rng.below(5) == 0 {
          text += String(decoding: (0..<rng.below(6)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, as: UTF8.self)
        } else {
          text += Self.hostile[rng.below(Self.hostile.count)]
        }
      }
      texts.append(text)
    }
    for text in texts.prefix(1_000) {
      #expect(Self.pieces([text], byBytes: false) == Self.pieces([text], byBytes: true), "\(Array(text.utf8))")
    }
    #expect(Self.pieces(texts, byBytes: false) == Self.pieces(texts, byBytes: true))
    // Strings made from pieces and substrings, not literals: small strings built at run time.
    let built = texts.map { String($0.prefix(5)) + String($0.suffix(3)) }
    #expect(Self.pieces(built, byBytes: false) == Self.pieces(built, byBytes: true))
  }

  @Test("small strings meeting the buffer's end at every point of its last bytes")
  func bufferEnd() {
    // The buffer is 69,632 bytes and is handed on from 65,536; a filler puts the small strings
    // at every point of the last 200 bytes before either.
    let texts = (0..<40).map { i in String(repeating: "s", count: 1 + i % 15) } + ["q\"", "\\", "é1234567890123"]
    for lead in (65_536 - 220)...(65_536 + 10) {
      #expect(Self.pieces(texts, lead: lead, byBytes: false) == Self.pieces(texts, lead: lead, byBytes: true))
    }
    let long = (0..<400).map { i in String(repeating: "m", count: 1 + i % 15) }
    for lead in stride(from: 60_000, through: 69_700, by: 37) {
      #expect(Self.pieces(long, lead: lead, byBytes: false) == Self.pieces(long, lead: lead, byBytes: true))
    }
  }
}
