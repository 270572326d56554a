import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// A packed record's LEB128 numbers are read by one reader (`PackedLog.leb`) over the array
/// (`unsigned`) and over a buffer (`skip`), where each had a loop of its own; the two loops are
/// the reference, kept here (docs/architecture.md "Speed of the kubelet-log path").
@Suite struct PackedLebTests {
  /// The two LEB128 loops before, over the array and over a buffer.
  static func referenceUnsigned(_ bytes: [UInt8], _ i: inout Int) -> UInt {
    var n: UInt = 0
    var shift: UInt = 0
    while i < bytes.count {
      let b = bytes[i]
      i += 1
      n |= UInt(b & 0x7F) << shift
      if b < 0x80 { break }
      shift += 7
    }
    return n
  }

  static func referenceLeb(_ i: inout Int, _ b: UnsafeBufferPointer<UInt8>) -> UInt {
    var n: UInt = 0
    var shift: UInt = 0
    while i < b.count {
      let x = b[i]
      i += 1
      n |= UInt(x & 0x7F) << shift
      if x < 0x80 { break }
      shift += 7
    }
    return n
  }

  /// On seeded bytes: numbers of one to ten bytes, overlong ones (more than ten, shifts past 63),
  /// cut by the end, read from every place.
  @Test(arguments: 0..<4)
  func oneLebReaderReadsAsBoth(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<300 {
      var bytes: [UInt8] = []
      for _ in 0..<rng.below(8) {
        let length = 1 + rng.below(14)
        for k in 0..<length { bytes.append(UInt8(truncatingIfNeeded: rng.next()) | (k + 1 < length ? 0x80 : 0)) }
      }
      if rng.below(2) == 0 { bytes += (0..<rng.below(4)).map { _ in 0x80 | UInt8(truncatingIfNeeded: rng.next()) } }
      bytes.withUnsafeBufferPointer { b in
        for start in 0...bytes.count {
          var i = start
          var j = start
          var k = start
          var m = start
          let viaArray = PackedLog.leb(&i, bytes)
          let viaBuffer = PackedLog.leb(&j, b)
          #expect(viaArray == Self.referenceUnsigned(bytes, &k))
          #expect(viaBuffer == Self.referenceLeb(&m, b))
          #expect(i == k)
          #expect(j == m)
        }
      }
    }
  }
}
