/// A rule's regex followed on bytes (`SecretRule.byteSearch`).
package struct SecretByteSearch: Sendable {
  /// The byte ranges of the regex's successive matches in the text (each search starting where
  /// the last match ended, as `SecretMasker` asks), or nil where the search cannot be sure to
  /// give the regex's answer; then the regex runs.
  package let ranges: @Sendable (UnsafeBufferPointer<UInt8>) -> [Range<Int>]?
  /// The rule's `accept`, which reads only the candidate, asked of the candidate's bytes.
  package let accept: @Sendable (UnsafeBufferPointer<UInt8>) -> Bool
}

/// The `random-value` rule's regex,
/// `(?:(?<=[A-Za-z0-9_])|(?<=[A-Za-z0-9_]["']))=[ \t]*["']?\K[A-Za-z0-9+/=_.~-]{16,}(?![A-Za-z0-9+/=_.~:@-])`,
/// followed byte by byte. Nearly every kubelet line holds `=`, its literal, so PCRE2 ran on
/// nearly every line the report prints (`SecretMasker.candidates`, 101M of 1,621M instructions
/// on 4 MiB of kubelet log; docs/architecture.md "Secrets").
///
/// Every class in the regex is ASCII, and in UTF-8 no byte of a longer character is ASCII, so
/// reading bytes where PCRE2 reads characters gives the same answer. A match attempt starts only
/// at an `=` whose one or two bytes before pass the lookbehind; then `[ \t]*` and `["']?` take
/// what they can and the value run is the longest run of its class. Giving back spaces or the
/// quote cannot help (the run would then start on a byte outside its class), and a shorter run
/// fails the lookahead (its next byte is of the class), so the attempt matches exactly when the
/// longest run holds 16 bytes or more and is followed by neither `:` nor `@`. After a match the
/// next search starts at its end, as `SecretMasker.candidates` asks.
///
/// It answers only where PCRE2 cannot have stopped at its limits (`SecretRule.limits`): in a text
/// of at most `maxBytes` whose every attempt either matches or fails within 16 bytes of its
/// spaces, each byte is read by a bounded number of attempts. A run of 16 or more followed by
/// `:` or `@` (the regex gives back the whole run before it fails there, and tries again at
/// every `=` inside it) and a longer text are left to the regex.
package enum RandomValueSearch {
  /// The longest text answered on bytes.
  package static let maxBytes = 1 << 16

  package static func ranges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
    let count = bytes.count
    guard count <= maxBytes else { return nil }
    guard let base = bytes.baseAddress else { return [] }
    // The classes read once, not through their lazily made globals at every byte.
    let word = wordBits
    let value = valueBits
    var found: [Range<Int>] = []
    var at = 0
    while let equals = nextEquals(base, from: at, count: count) {
      let behindOK =
        (equals >= 1 && inClass(base[equals - 1], word))
        || (equals >= 2 && (base[equals - 1] == 0x22 || base[equals - 1] == 0x27) && inClass(base[equals - 2], word))
      guard behindOK else {
        at = equals + 1
        continue
      }
      var i = equals + 1
      while i < count, base[i] == 0x20 || base[i] == 0x09 { i += 1 }
      if i < count, base[i] == 0x22 || base[i] == 0x27 { i += 1 }
      let start = i
      while i < count, inClass(base[i], value) { i += 1 }
      guard i - start >= 16 else {
        at = equals + 1
        continue
      }
      if i < count, base[i] == 0x3A || base[i] == 0x40 { return nil }
      found.append(start..<i)
      at = i
    }
    return found
  }

  /// The offset of the first `=` at or after `from`, found eight bytes at a time (a word with no
  /// zero byte after a xor with `=` in every byte holds none; the lowest flag of the zero-byte
  /// test is exact, as in `JSONStreamWriter.escapeFlags`).
  @inline(__always)
  private static func nextEquals(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int? {
    var i = from
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    while i + 8 <= count {
      let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) ^ (ones &* 0x3D)
      let flags = (word &- ones) & ~word & high
      if flags != 0 { return i + flags.trailingZeroBitCount >> 3 }
      i += 8
    }
    while i < count {
      if base[i] == 0x3D { return i }
      i += 1
    }
    return nil
  }

  /// A class of ASCII bytes as two words of bits (bytes 0–63, bytes 64–127), tested with a shift
  /// where the comparisons of each range and byte took a branch each.
  @inline(__always)
  static func inClass(_ b: UInt8, _ bits: (UInt64, UInt64)) -> Bool {
    b < 64 ? (bits.0 >> UInt64(b)) & 1 != 0 : b < 128 ? (bits.1 >> UInt64(b &- 64)) & 1 != 0 : false
  }

  /// `[A-Za-z0-9_]`, the lookbehind's class.
  static let wordBits = classBits { b in
    (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
  }
  /// `[A-Za-z0-9+/=_.~-]`, the value's class.
  static let valueBits = classBits { b in
    (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
      || b == 0x2B || b == 0x2F || b == 0x3D || b == 0x2E || b == 0x7E || b == 0x2D
  }

  static func classBits(_ member: (UInt8) -> Bool) -> (UInt64, UInt64) {
    var bits: (UInt64, UInt64) = (0, 0)
    for b in UInt8(0)..<128 where member(b) {
      if b < 64 { bits.0 |= 1 << UInt64(b) } else { bits.1 |= 1 << UInt64(b - 64) }
    }
    return bits
  }
}
