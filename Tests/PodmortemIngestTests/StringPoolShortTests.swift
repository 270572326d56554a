import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `StringPool.string(_:)` keeps strings of 1 to 15 bytes by their bytes (`short`, issue 16,
/// callgrind); the reference is what it did before for them, `String(decoding:as:)` of the bytes
/// every time.
@Suite struct StringPoolShortTests {
  /// Every byte of 1 to 15 is given back by the key and the count: two different windows of one
  /// length have different keys (the slot then can only answer for the same bytes).
  @Test func shortKeyTellsEveryByte() {
    var rng = SplitMix64(seed: 0x5_7001)
    for n in 1...15 {
      for _ in 0..<2_000 {
        var a = (0..<(n + 4)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 4) }
        var b = a
        let at = Int(rng.next() % UInt64(n))
        b[2 + at] ^= UInt8(1 + rng.next() % 255)
        if rng.next() % 3 == 0 { a = b }
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            // Windows with bytes either side, which the key must not read.
            let x = UnsafeBufferPointer(rebasing: pa[2..<2 + n])
            let y = UnsafeBufferPointer(rebasing: pb[2..<2 + n])
            let kx = StringPool.shortKey(x)
            let ky = StringPool.shortKey(y)
            #expect((kx == ky) == x.elementsEqual(y), "length \(n)")
          }
        }
      }
    }
  }

  /// Seeded runs of hostile pieces (a Kelvin sign, a dotted capital I, a combining accent, NUL,
  /// CR, tab, invalid bytes, the values an EventList repeats) read through one pool, so that
  /// slots are hit, missed and taken over: each string is the one `String(decoding:)` makes of
  /// the bytes, equal and byte for byte; lengths 0 and 16 on either side take the paths they
  /// took before.
  @Test func givesTheStringOfTheBytesWhateverTheSlotsHold() {
    var rng = SplitMix64(seed: 0x5_7002)
    let pieces: [[UInt8]] = [
      Array("v1".utf8), Array("Pod".utf8), Array("kubelet".utf8), Array("worker-".utf8), Array("\u{212A}".utf8),
      Array("\u{130}".utf8), Array("e\u{301}".utf8), [0], [0x0D], [0x09], [0xFF], [0xC3], Array("app-0".utf8),
    ]
    var pool = StringPool()
    var hits = 0
    var seen = Set<[UInt8]>()
    for round in 0..<60_000 {
      var bytes: [UInt8] = []
      let target = Int(rng.next() % 18)
      while bytes.count < target {
        if rng.next() % 2 == 0 {
          bytes += pieces[Int(rng.next() % UInt64(pieces.count))]
        } else {
          bytes.append(0x30 + UInt8(rng.next() % 10))
        }
      }
      if round % 3 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % 16))) }
      let text = bytes.withUnsafeBufferPointer { pool.string($0) }
      let reference = String(decoding: bytes, as: UTF8.self)
      #expect(text == reference)
      #expect(Array(text.utf8) == Array(reference.utf8), "\(bytes)")
      if !seen.insert(bytes).inserted { hits += 1 }
    }
    #expect(hits > 10_000)
  }

  /// The same bytes at other places of a buffer give the same string (a key reads only the
  /// window), and an empty window gives the empty string.
  @Test func windowsOfOneBufferAsTheirBytes() {
    let buffer = Array("\"v1\",\"Pod\",\"kubelet\",\"worker-12\",\"\u{212A}elvin\",\"a\",\"\"".utf8)
    var pool = StringPool()
    buffer.withUnsafeBufferPointer { all in
      for start in 0..<all.count {
        for end in start..<min(all.count, start + 16) {
          let window = UnsafeBufferPointer(rebasing: all[start..<end])
          #expect(pool.string(window) == String(decoding: window, as: UTF8.self))
        }
      }
    }
  }
}
