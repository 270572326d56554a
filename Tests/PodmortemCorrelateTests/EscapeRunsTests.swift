import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PackedLog.withEscaped` finds the plain runs between quotes and backslashes eight bytes a word
/// and copies each whole (docs/architecture.md "Speed of the kubelet-log path"). It must give
/// what the byte loop it replaced gave, kept here as the reference (`reference`): nil for bytes
/// with nothing to escape, else the same escaped bytes. Compared on seeded byte strings of 0 to
/// 700 bytes read from every offset of a buffer (so every alignment of the words), with quotes
/// and backslashes at the ends, side by side and nowhere, and hostile bytes around them (NUL,
/// CR LF, tabs, a Kelvin sign, a dotted capital I, combining accents, bytes that are not UTF-8,
/// `"` and `\` with their high bit set, 0xA2 and 0xDC, which a careless word test takes for them).
@Suite struct EscapeRunsTests {
  /// `withEscaped` as it was: every byte tested, counted, then copied one at a time.
  static func reference(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    var extra = 0
    for b in bytes where b == 0x22 || b == 0x5C { extra += 1 }
    guard extra > 0 else { return nil }
    var room = [UInt8](repeating: 0, count: bytes.count + extra)
    var j = 0
    for b in bytes {
      if b == 0x22 || b == 0x5C {
        room[j] = 0x5C
        j += 1
      }
      room[j] = b
      j += 1
    }
    return room
  }

  static let pieces: [[UInt8]] =
    [
      "\"", "\\", "\\\"", "\"\"", "x", "web", "Get \"http://10.244.1.2:8080/healthz\": ", "\u{0}", "\r\n", "\t",
      "\u{212A}", "\u{130}", "e\u{301}", "01234567", "abcdefghijklmnop",
    ].map { Array($0.utf8) } + [[0xA2], [0xDC], [0xFF], [0x80], [0x21, 0x23, 0x5B, 0x5D], [0x02, 0x23]]

  static func expectSame(_ b: UnsafeBufferPointer<UInt8>) {
    #expect(PackedLog.withEscaped(b) { Array($0) } == reference(b))
  }

  @Test(arguments: 0..<16)
  func escapesAsTheByteLoopDid(seed: UInt64) {
    var rng = SplitMix64(seed: 17_600 + seed)
    var escaped = 0
    for _ in 0..<300 {
      var bytes: [UInt8] = []
      let target = [0, 1, 7, 8, 9, 15, 16, 17, 64, 250, 700][rng.below(11)]
      while bytes.count < target { bytes += Self.pieces[rng.below(Self.pieces.count)] }
      if rng.below(3) == 0 { bytes = bytes.map { $0 == 0x22 || $0 == 0x5C ? 0x61 : $0 } }
      bytes.withUnsafeBufferPointer { all in
        for from in 0..<min(all.count, 9) {
          Self.expectSame(UnsafeBufferPointer(rebasing: all[from...]))
          Self.expectSame(UnsafeBufferPointer(rebasing: all[from..<max(from, all.count - from / 2)]))
        }
        Self.expectSame(all)
        if Self.reference(all) != nil { escaped += 1 }
      }
    }
    #expect(escaped > 50)
  }

  /// A special at every place of strings of every length to 40: each word's every byte, and the
  /// tail past the last whole word.
  @Test func findsASpecialAtEveryPlace() {
    for n in 0...40 {
      for at in 0..<max(n, 1) {
        for special: UInt8 in [0x22, 0x5C] {
          var bytes = [UInt8](repeating: 0x41, count: n)
          if at < n { bytes[at] = special }
          bytes.withUnsafeBufferPointer { Self.expectSame($0) }
          if n > 1 { bytes[n - 1] = special }
          bytes.withUnsafeBufferPointer { Self.expectSame($0) }
        }
      }
    }
    #expect(PackedLog.withEscaped(UnsafeBufferPointer<UInt8>(start: nil, count: 0)) { Array($0) } == nil)
  }
}
