/// Eight bytes a word: the searches the JSON scanner and reader make inside strings and
/// indentation, done on unaligned little-endian 64-bit loads instead of byte by byte
/// (docs/architecture.md, "Speed of the EventList path"). Each reads only while eight bytes are
/// left in the buffer and finishes with the byte loop it replaced; `JSONFramerTests` holds each to
/// that loop at every start of random unaligned windows.
enum ByteWords {
  /// Each byte of `x` that is zero marked by its high bit. Marks above the lowest zero byte may be
  /// wrong (a borrow runs on from it), the lowest is exact: below it no byte borrows, and a byte
  /// of 1 to 0xFF minus one keeps its high bit only where the byte already had it, which `~x`
  /// clears (the "has a zero byte" test of https://graphics.stanford.edu/~seander/bithacks.html).
  @inline(__always)
  static func zeroBytes(_ x: UInt64) -> UInt64 {
    (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
  }

  /// Each byte of `x` that is zero marked by its high bit, every mark exact, every other bit
  /// clear: no borrow runs between bytes (each byte's low seven bits plus 0x7F stay within the
  /// byte). For a search that needs every match in a word, not only the lowest (`LeadKeys.find`).
  @inline(__always)
  static func exactZeroBytes(_ x: UInt64) -> UInt64 {
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((x & low) &+ low) | x | low)
  }

  /// The index of the first byte from `from` on that ends a run of a string's plain bytes (`"`,
  /// `\` or a line feed), or `bytes.count`: the byte loop of `JSONScanner.scanString`, eight bytes a word
  /// (unaligned little-endian loads; the lowest marked byte of the three tests is the first
  /// such byte). `JSONFramerTests` holds it, and the scanner that uses it, to the byte loops they replaced.
  @inline(__always)
  static func stringStop(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    firstOf(bytes, from: start, UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\n"))
  }

  /// The index of the first `"` or `\` from `from` on, or `bytes.count`: `stringStop` without
  /// the line feed, for a Go-quoted klog value (`GoString.unquote`), which a line feed does not
  /// end. `GoStringBytesTests` holds it to the byte loop at every start of random windows.
  @inline(__always)
  static func quoteStop(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    firstOf(bytes, from: start, UInt8(ascii: "\""), UInt8(ascii: "\\"))
  }

  /// The first byte from `start` on that is `a`, `b` or (when given) `c`, or `bytes.count`: the
  /// lowest marked byte of the tests is the first such byte. Inlined into each caller with its
  /// bytes constants, so each keeps its own loop.
  @inline(__always)
  private static func firstOf(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8? = nil
  ) -> Int {
    let n = bytes.count
    var j = start
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      let spread: UInt64 = 0x0101_0101_0101_0101
      while j + 8 <= n {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
        var marks = zeroBytes(w ^ (spread &* UInt64(a))) | zeroBytes(w ^ (spread &* UInt64(b)))
        if let c { marks |= zeroBytes(w ^ (spread &* UInt64(c))) }
        if marks != 0 { return j + marks.trailingZeroBitCount >> 3 }
        j += 8
      }
    }
    while j < n {
      let x = bytes[j]
      if x == a || x == b || x == c { break }
      j += 1
    }
    return j
  }

  /// The index of the first `:`, `]` or space from `start` on, or `bytes.count`: where a klog
  /// header's file name ends (`KlogHeader.parse`), eight bytes a word (`firstOf`), where a byte loop made three
  /// comparisons a byte of a name of 9 to 24 bytes on every line. `HeaderFileStopTests` holds it to
  /// the byte loop at every start of random windows.
  @inline(__always)
  static func fileStop(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    firstOf(bytes, from: start, UInt8(ascii: ":"), UInt8(ascii: "]"), UInt8(ascii: " "))
  }

  /// The index of the first byte from `from` on that is not a space, eight bytes a word, or the
  /// index where fewer than eight bytes are left (the caller's byte loop goes on from there).
  @inline(__always)
  static func spacesEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    let n = bytes.count
    var j = start
    guard let base = bytes.baseAddress else { return j }
    let raw = UnsafeRawPointer(base)
    while j + 8 <= n {
      let other = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)) ^ 0x2020_2020_2020_2020
      if other != 0 { return j + other.trailingZeroBitCount >> 3 }
      j += 8
    }
    return j
  }

  /// Where the plain bytes of a string starting at `start` end: the index of its first `"`, `\`
  /// or byte below 0x20 (`p.count` when there is none), and whether every byte before it is
  /// ASCII. Eight bytes a word: a byte below 0x20 is marked by the borrow test of
  /// `zeroBytes` against 0x20 (exact at the lowest mark, as there), `"` and `\` by
  /// it on the word XORed with their byte, and the high bits of the bytes passed are gathered for
  /// the ASCII answer. `JSONFramerTests` holds it to the byte loop it replaced.
  @inline(__always)
  static func plainRun(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, ascii: Bool) {
    let n = p.count
    var j = start
    var high: UInt64 = 0
    if let base = p.baseAddress {
      let raw = UnsafeRawPointer(base)
      while j + 8 <= n {
        let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
        let marks =
          zeroBytes(w ^ 0x2222_2222_2222_2222) | zeroBytes(w ^ 0x5C5C_5C5C_5C5C_5C5C)
          | ((w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080)
        if marks != 0 {
          let bits = marks.trailingZeroBitCount & ~7
          // The bytes below the stop: a stop at byte 0 passes none.
          high |= w & ((1 &<< UInt64(bits)) &- 1)
          return (j + bits >> 3, high & 0x8080_8080_8080_8080 == 0)
        }
        high |= w
        j += 8
      }
    }
    var ascii = high & 0x8080_8080_8080_8080 == 0
    while j < n {
      let b = p[j]
      if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
      if b >= 0x80 { ascii = false }
      j += 1
    }
    return (j, ascii)
  }
}
