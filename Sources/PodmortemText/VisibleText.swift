/// Makes control characters from input visible instead of letting them act (docs/architecture.md
/// "Secrets"): an escape sequence in a pod name or a log line would otherwise recolour the
/// reader's terminal, move its cursor, or write its clipboard (OSC 52).
///
/// C0 controls other than newline and tab, DEL and C1 controls become `\x1b`-style text; the
/// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a
/// reader sees, become `\u{202e}`-style text. Everything else is kept.
package enum VisibleText {
  /// `text` with every control character spelled out; `text` itself when it has none.
  package static func escapingControls(_ text: String) -> String {
    guard needsEscaping(text) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      let v = scalar.value
      switch v {
      case 0x0A, 0x09: out.unicodeScalars.append(scalar)
      case 0x00...0x1F, 0x7F...0x9F: out += "\\x" + hex(v, width: 2)
      case 0x202A...0x202E, 0x2066...0x2069: out += "\\u{" + hex(v, width: 4) + "}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Whether `escapingControls(text)` changes `text`: a C0 control but `\n` and `\t`, DEL, a C1
  /// control (`C2 80`–`C2 9F`) or a bidi control (`E2 80 AA`–`E2 80 AE`, `E2 81 A6`–`E2 81 A9`).
  /// Eight bytes are tested at a time: a word none of whose bytes is below 0x20 or from 0x7F on
  /// (every byte those sequences begin with is one of those) holds none and is skipped whole (the
  /// "has a byte less than n" and "has a byte more than n" word tests of S. E. Anderson's Bit
  /// Twiddling Hacks, https://graphics.stanford.edu/~seander/bithacks.html, exact as a yes/no
  /// answer for a whole word); a word that has one, and the last bytes, are read byte by byte as
  /// before. On ASCII text that is one test per eight bytes where the byte loop made five
  /// comparisons per byte (docs/architecture.md "Secrets"). `VisibleTextWordTests` holds the
  /// byte loop as the reference.
  ///
  /// Before the words, thirty-two and then sixteen bytes are tested at once as vectors: a byte
  /// is below 0x20 or from 0x7F on exactly when, less 0x20 (wrapping), it is above 0x5E
  /// (`anyAbove5E`). A block with none is skipped whole, one with one is read byte by byte as a
  /// word is (docs/architecture.md "JSON, fast and streamed"). `ScanReferenceTests` holds the byte loop as the reference.
  package static func needsEscaping(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return false }
      let raw = UnsafeRawPointer(base)
      let count = bytes.count
      let ones: UInt64 = 0x0101_0101_0101_0101
      let high: UInt64 = 0x8080_8080_8080_8080
      let space = SIMD16<UInt8>(repeating: 0x20)
      var i = 0
      while count &- i >= 32 {
        let first = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) &- space
        let second = raw.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD16<UInt8>.self) &- space
        if anyAbove5E(pointwiseMax(first, second)) {
          for k in i..<(i &+ 32) where controlStarts(at: k, in: bytes) { return true }
        }
        i &+= 32
      }
      if count &- i >= 16 {
        let block = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) &- space
        if anyAbove5E(block) {
          for k in i..<(i &+ 16) where controlStarts(at: k, in: bytes) { return true }
        }
        i &+= 16
      }
      while count - i >= 8 {
        let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        let below = (word &- ones &* 0x20) & ~word & high
        let fromDEL = ((word &+ ones) | word) & high
        if below | fromDEL != 0 {
          for k in i..<(i + 8) where controlStarts(at: k, in: bytes) { return true }
        }
        i += 8
      }
      while i < count {
        if controlStarts(at: i, in: bytes) { return true }
        i += 1
      }
      return false
    }
  }

  /// Whether a byte of `block` is above 0x5E: the block read as two words, each tested with the
  /// "has a byte more than n" word test (a byte of 0x5F or more, plus 0x21, or itself, has its
  /// high bit; a carry into the byte above comes only from a byte of 0xDF or more, itself
  /// flagged), exact as a yes/no answer for the block. `any(block .> top)` was a call to the
  /// vector's `min()` for every block (about 31 instructions; docs/architecture.md "Speed after
  /// ingest: two cores"); `ScanReferenceTests` holds the scan to its byte loop.
  @inline(__always)
  private static func anyAbove5E(_ block: SIMD16<UInt8>) -> Bool {
    let words = unsafeBitCast(block, to: SIMD2<UInt64>.self)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    let low = UInt64(littleEndian: words[0])
    let upper = UInt64(littleEndian: words[1])
    return ((low &+ ones &* 0x21) | low | (upper &+ ones &* 0x21) | upper) & high != 0
  }

  /// Whether a byte sequence `needsEscaping` looks for begins at `bytes[i]`.
  @inline(__always)
  private static func controlStarts(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = bytes.count
    let b = bytes[i]
    if b < 0x20 {
      return b != 0x0A && b != 0x09
    } else if b == 0x7F {
      return true
    } else if b == 0xC2, i + 1 < count, (0x80...0x9F).contains(bytes[i + 1]) {
      return true
    } else if b == 0xE2, i + 2 < count {
      let b1 = bytes[i + 1]
      let b2 = bytes[i + 2]
      return (b1 == 0x80 && (0xAA...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2))
    }
    return false
  }

  private static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
