import Foundation

extension PackedLog {
  /// How many places `firstPlace` tests one at a time before it hands the rest of the line to
  /// `memchr`.
  static let nearPlaces = 3

  /// The first place at or after `start` where `line` holds `bytes` (of 3 bytes or more: a slice
  /// of fewer is never shorter, so nil for those), nil when there is none: what `Writer.find`
  /// answers for every string it looks for.
  ///
  /// A field's key or value is nearly always two bytes from where the search begins (after the
  /// previous value's closing quote and a space, after the key's `=` and the opening quote): on
  /// the steady-state slice, 94,729 of the 119,759 keys and values of three bytes or more, read
  /// in order from its lines (docs/architecture.md "Memory of the kubelet-log run"). The search
  /// was a `memchr` for the first byte and a
  /// comparison of the last before the rest, a call for every place holding the first byte. Now
  /// the first `nearPlaces` places are tested in order first (the first byte, then the last, then
  /// the rest with `sameBytes`), and the places after those are searched with `memchr` as before.
  /// The answer is the first place either way: the places are tried in order. `PackedFindTests`
  /// keeps the `memchr` search as the reference.
  @inline(__always)
  static func firstPlace(
    of bytes: UnsafeBufferPointer<UInt8>, in line: UnsafeBufferPointer<UInt8>, from start: Int
  ) -> Int? {
    guard bytes.count >= 3, start >= 0, start < line.count, let base = line.baseAddress,
      let needle = bytes.baseAddress
    else { return nil }
    guard line.count - start >= bytes.count else { return nil }
    let n = bytes.count
    let last = n - 1
    let firstByte = needle[0]
    let lastByte = needle[last]
    // The last place the bytes fit.
    let end = base + (line.count - n)
    var q = base + start
    let near = end - q < nearPlaces ? end : q + (nearPlaces - 1)
    while q <= near {
      if q[0] == firstByte && q[last] == lastByte && sameBytes(q, needle, n) { return q - base }
      q += 1
    }
    while q <= end {
      guard let hit = memchr(q, Int32(firstByte), end - q + 1) else { return nil }
      let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self))
      if at[last] == lastByte && sameBytes(at, needle, n) { return at - base }
      q = at + 1
    }
    return nil
  }
}
