import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `StringPool.same` compares a held string with bytes through pointers (issue 16, perf): on
/// seeded random pairs, equal and nearly equal, it must answer what `String.UTF8View`'s
/// `elementsEqual` answered before.
@Suite struct StringPoolSameTests {

  @Test func answersAsElementsEqual() {
    var rng = SplitMix64(seed: 1084)
    let words = ["app-00", "prod", "é", "日本", "Liveness probe failed: ", "x", "", "503", "\u{301}"]
    var equal = 0
    for _ in 0..<20_000 {
      var held = ""
      for _ in 0..<Int(rng.next() % 6) { held += words[Int(rng.next() % UInt64(words.count))] }
      var bytes = Array(held.utf8)
      switch rng.next() % 4 {
      case 0: break
      case 1: if !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] ^= 1 }
      case 2: bytes.append(UInt8(truncatingIfNeeded: rng.next()))
      default: if !bytes.isEmpty { bytes.removeLast() }
      }
      let same = bytes.withUnsafeBufferPointer { StringPool.same(held, $0) }
      let expected = bytes.withUnsafeBufferPointer { held.utf8.elementsEqual($0) }
      #expect(same == expected, "\(held.debugDescription) \(bytes)")
      if expected { equal += 1 }
    }
    #expect(equal > 1_000)
  }

  /// The byte loop `StringPool.same` compared with before it read eight bytes a word, kept as
  /// the reference for `equalBytes`.
  private static func referenceEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
  }

  /// Word by word against the byte loop: every length up to 140 (the pool's 16 to 128 and past
  /// both ends), unaligned starts, equal runs and one byte changed at every position, hostile
  /// bytes (a Kelvin sign, a dotted capital I, a combining accent, CR, NUL, tab, 0xFF).
  @Test func equalBytesAnswersAsTheByteLoop() {
    var rng = SplitMix64(seed: 2026_1205)
    let pieces: [[UInt8]] = [
      Array("K\u{212A}".utf8), Array("\u{130}".utf8), Array("e\u{301}".utf8), [0x0D], [0], [0x09], [0xFF],
      Array("Liveness probe failed: ".utf8), Array("spec.containers{web}".utf8),
    ]
    var equal = 0
    for n in 0...140 {
      for _ in 0..<20 {
        var a: [UInt8] = []
        while a.count < n + 3 {
          if rng.next() % 3 == 0 {
            a += pieces[Int(rng.next() % UInt64(pieces.count))]
          } else {
            a.append(UInt8(truncatingIfNeeded: rng.next()))
          }
        }
        let offset = Int(rng.next() % 3)
        var b = a
        if rng.next() % 2 == 0, n > 0 { b[offset + Int(rng.next() % UInt64(n))] ^= UInt8(1 + rng.next() % 255) }
        let other = Int(rng.next() % 3)
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            let x = UnsafeBufferPointer(rebasing: pa[offset..<offset + n])
            let y = UnsafeBufferPointer(rebasing: pb[offset..<offset + n])
            let z = UnsafeBufferPointer(rebasing: pb[other..<other + n])
            #expect(StringPool.equalBytes(x, y) == Self.referenceEqual(x, y), "length \(n)")
            #expect(StringPool.equalBytes(x, z) == Self.referenceEqual(x, z), "length \(n)")
            if Self.referenceEqual(x, y) { equal += 1 }
          }
        }
      }
    }
    #expect(equal > 1_000)
  }

  /// The pool gives back the string of the bytes whatever its slots hold (`slot` only decides
  /// which equal strings are shared), and a string asked again soon is the one it holds.
  @Test func poolGivesTheStringOfTheBytes() {
    var rng = SplitMix64(seed: 4096)
    var pool = StringPool()
    var recent: [[UInt8]] = []
    var shared = 0
    for _ in 0..<30_000 {
      var bytes: [UInt8]
      if !recent.isEmpty, rng.next() % 2 == 0 {
        bytes = recent[Int(rng.next() % UInt64(recent.count))]
      } else {
        let n = Int(rng.next() % 150)
        bytes = (0..<n).map { _ in UInt8(0x20 + rng.next() % 0x5F) }
        if rng.next() % 5 == 0 { bytes += Array("K\u{212A}\u{130}e\u{301}\r\t".utf8) }
        recent.append(bytes)
        if recent.count > 8 { recent.removeFirst() }
      }
      let s = bytes.withUnsafeBufferPointer { pool.string($0) }
      #expect(Array(s.utf8) == bytes)
      let again = bytes.withUnsafeBufferPointer { pool.string($0) }
      #expect(again == s)
      if (StringPool.shortest...StringPool.longest).contains(bytes.count) {
        // Asked twice in a row, the second answer is the string the slot holds: the first one.
        var (x, y) = (s, again)
        let same = x.withUTF8 { a in y.withUTF8 { b in a.baseAddress == b.baseAddress } }
        #expect(same, "\(bytes.count) bytes were not shared")
        if same { shared += 1 }
      }
    }
    #expect(shared > 5_000)
  }
}
