#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A string's UTF-8 bytes, for memos that answer a string only from one of the same bytes (the
/// output filter's, ingest's memo of recognised messages): `String`'s `==` and hash are canonical
/// equivalence's, so `é` written precomposed and decomposed would share an answer whose captures
/// or filtered text hold one spelling (docs/architecture.md "Secrets").
package enum UTF8Bytes {
  /// Every byte of `text` mixed into 64 bits (`mixed(_:)` of its bytes, read where they lie when
  /// they can be).
  package static func mixed(_ text: String) -> UInt64 {
    if let known = text.utf8.withContiguousStorageIfAvailable({ mixed($0) }) { return known }
    var copy = text
    return copy.withUTF8 { mixed($0) }
  }

  /// Every byte mixed into 64 bits, eight at a time (the last word zero-padded, and the length
  /// mixed in), the top bits the best mixed. This replaced `String`'s `hashValue` for placing a
  /// string in a memo: SipHash over the string, with the normalisation canonical equivalence needs
  /// for a string not known to be ASCII, costs about 380 instructions for a line of a describe.
  /// Each step is a bijection of the running value for a given word, so two strings of one length
  /// that differ in one byte always mix to different values.
  package static func mixed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = bytes.count
    var h = UInt64(truncatingIfNeeded: n) &* 0xC2B2_AE3D_27D4_EB4F
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      var at = 0
      while at + 8 <= n {
        h = step(h, raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        at += 8
      }
      if at < n {
        var last: UInt64 = 0
        withUnsafeMutableBytes(of: &last) { $0.baseAddress?.copyMemory(from: raw + at, byteCount: n - at) }
        h = step(h, last)
      }
    }
    return (h ^ (h >> 32)) &* 0x9E37_79B9_7F4A_7C15
  }

  /// One word mixed in: xor, multiply by an odd constant (Knuth's golden-ratio one), xor-shift.
  @inline(__always)
  private static func step(_ h: UInt64, _ word: UInt64) -> UInt64 {
    let m = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
    return m ^ (m >> 29)
  }

  /// Whether `a` and `b` hold the same UTF-8 bytes, read where they lie (a native or small string
  /// lends its bytes without a copy; any other is made contiguous first).
  package static func same(_ a: String, _ b: String) -> Bool {
    let n = a.utf8.count
    guard n == b.utf8.count else { return false }
    let same = a.utf8.withContiguousStorageIfAvailable { pa in
      b.utf8.withContiguousStorageIfAvailable { pb in
        guard let x = pa.baseAddress, let y = pb.baseAddress else { return true }
        return memcmp(x, y, n) == 0
      }
    }
    if let same, let same { return same }
    var (a, b) = (a, b)
    return a.withUTF8 { pa in
      b.withUTF8 { pb in
        guard let x = pa.baseAddress, let y = pb.baseAddress else { return true }
        return memcmp(x, y, n) == 0
      }
    }
  }
}
