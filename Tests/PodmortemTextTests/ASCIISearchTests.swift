import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `ASCIISearch` gives Foundation's `range(of:)` and `contains` wherever it answers, and leaves
/// every text that is not ASCII to Foundation.
@Suite struct ASCIISearchTests {
  /// Texts built from the pieces a sniffer meets: JSON keys and punctuation, table cells, clock
  /// times, CR LF, and (in the second half) combining marks, a Kelvin sign and non-ASCII letters.
  private func randomText(_ rng: inout SplitMix64, asciiOnly: Bool) -> String {
    let ascii = [
      "\"kind\"", "\"ts\":", "\"msg\":", ": ", ":", " ", "\t", "{", "}", "\"", "k", "K", "ind", "\r\n", "\r", "\n",
      "ts", "a", "Name",
    ]
    let other = ["\u{301}", "\u{212A}", "é", "e\u{301}", "\u{37E}", "日本", "\u{1F600}", "\u{200D}"]
    var text = ""
    for _ in 0..<Int.random(in: 0...40, using: &rng) {
      if !asciiOnly, Int.random(in: 0..<5, using: &rng) == 0 {
        text += other[Int.random(in: 0..<other.count, using: &rng)]
      } else {
        text += ascii[Int.random(in: 0..<ascii.count, using: &rng)]
      }
    }
    return text
  }

  private let needles = ["\"kind\"", "\"ts\":", "\"msg\":", ": ", "K", "ind", "\"", "\r\n", "Name", "é", "x"]

  @Test func answersAsFoundationOnASCIIAndLeavesTheRest() {
    var rng = SplitMix64(seed: 0x5EA2C4)
    var decided = 0
    for round in 0..<20_000 {
      let text = randomText(&rng, asciiOnly: round % 2 == 0)
      let cut = Int.random(in: 0...min(3, text.utf8.count), using: &rng)
      // A slice that starts inside the string, as `body` does; cut only at a scalar boundary.
      let slice =
        text.utf8.prefix(cut).allSatisfy { $0 < 0x80 }
        ? text[text.utf8.index(text.startIndex, offsetBy: cut)...] : text[...]
      for needle in needles {
        let foundation = slice.range(of: needle)
        switch ASCIISearch.range(of: needle, in: slice) {
        case .some(let answer):
          decided += 1
          #expect(answer == foundation, "\(Array(slice.utf8)) \(needle)")
          #expect(ASCIISearch.contains(needle, in: String(slice)) == (foundation != nil))
          if let answer { #expect(slice[answer] == needle) }
        case .none:
          let asciiText = slice.utf8.allSatisfy { $0 < 0x80 }
          let plainNeedle = needle.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }
          #expect(!(asciiText && plainNeedle), "left undecided: \(Array(slice.utf8)) \(needle)")
          #expect(ASCIISearch.contains(needle, in: String(slice)) == nil)
        }
      }
    }
    #expect(decided > 50_000)
  }

  @Test func firstIndexAsTheCharacterWalk() {
    var rng = SplitMix64(seed: 0x7AB5)
    var decided = 0
    for round in 0..<20_000 {
      let text = randomText(&rng, asciiOnly: round % 2 == 0)[...]
      for needle: Character in [" ", "\t", ":", "K", "\""] {
        let walked = text.firstIndex(of: needle)
        if let answer = ASCIISearch.firstIndex(of: needle, in: text) {
          decided += 1
          #expect(answer == walked, "\(Array(text.utf8)) \(needle)")
        } else {
          #expect(text.utf8.contains { $0 >= 0x80 })
        }
      }
    }
    #expect(decided > 40_000)
  }

  /// The one byte search against a naive scan, on random bytes of a small alphabet (so needles
  /// occur, partly occur and overlap), empty needles and haystacks included.
  @Test func byteOffsetAsTheNaiveScan() {
    var rng = SplitMix64(seed: 0x0FF5E7)
    for _ in 0..<20_000 {
      let bytes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in UInt8.random(in: 0x61...0x63, using: &rng) }
      let needle = (0..<Int.random(in: 0...4, using: &rng)).map { _ in UInt8.random(in: 0x61...0x63, using: &rng) }
      let naive: Int? =
        needle.isEmpty
        ? 0
        : bytes.count < needle.count
          ? nil
          : (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }
      let found = bytes.withUnsafeBufferPointer { b in
        needle.withUnsafeBufferPointer { ASCIISearch.offset(of: $0, in: b) }
      }
      #expect(found == naive, "\(bytes) \(needle)")
    }
  }

  @Test func asciiTestOfEveryLengthAndPlaceOfAHighByte() {
    for length in 0..<40 {
      let bytes = [UInt8](repeating: 0x61, count: length)
      #expect(bytes.withUnsafeBufferPointer { ASCIISearch.isASCII($0) })
      for place in 0..<length {
        var high = bytes
        high[place] = 0x80 | UInt8(place % 0x7F)
        #expect(!high.withUnsafeBufferPointer { ASCIISearch.isASCII($0) })
      }
    }
  }

  /// `isContiguousASCII` of a native string is `isASCII` of its bytes: small and large strings,
  /// control bytes, and the characters `==` would take for ASCII letters (a Kelvin sign, a dotted
  /// capital I) or that a combining accent joins.
  @Test func aStringIsASCIIExactlyWhenItsBytesAre() {
    let texts = [
      "", "a", "web-0", "\0", "\r\n\t", String(repeating: "x", count: 70_000), "\u{7F}", "\u{212A}", "\u{130}",
      "cafe\u{301}", "caf\u{E9}", "abcdefghijklmno\u{E9}", String(repeating: "y", count: 15) + "\u{80}",
    ]
    for text in texts {
      let bytes = Array(text.utf8)
      #expect(ASCIISearch.isContiguousASCII(text) == bytes.withUnsafeBufferPointer { ASCIISearch.isASCII($0) })
    }
  }
}
