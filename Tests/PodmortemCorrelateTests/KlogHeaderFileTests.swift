import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `KlogHeaderForm.parse` finds where a header's file ends eight bytes at a time
/// (`KlogHeaderForm.fileNameEnd`, docs/architecture.md "Memory of the kubelet-log run"). The
/// reference kept here is the byte loop it replaced: the same place whenever either is within
/// `longestFile` of the start, and both past it otherwise (where `parse` turns the line away);
/// and `parse` as `KlogHeaderDigitsTests.referenceParse` (the byte loops) reads, on headers whose
/// file is of every length to past `longestFile`, holds a `:`, a `]`, a space or a hostile byte
/// (a Kelvin sign, a dotted capital I, a combining accent, NUL, CR, tab, the bytes next to the
/// three) at every place, and is cut at every length.
@Suite struct KlogHeaderFileTests {
  /// The byte loop `parse` ran over the file, as it was.
  static func referenceFileNameEnd(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int) -> Int {
    var i = from
    while i < n, i - from <= KlogHeaderForm.longestFile, p[i] != UInt8(ascii: ":"), p[i] != UInt8(ascii: "]"),
      p[i] != UInt8(ascii: " ")
    {
      i += 1
    }
    return i
  }

  static let pieces: [[UInt8]] = [
    Array(":".utf8), Array("]".utf8), Array(" ".utf8), Array("9".utf8), Array(";".utf8), Array("\\".utf8),
    Array("^".utf8), [0x1F], [0x21], [0xBA], [0xDD], [0xA0], [0x00], [0x0D], [0x09], Array("\u{212A}".utf8),
    Array("\u{130}".utf8), Array("e\u{301}".utf8), Array("prober.go".utf8), Array("_".utf8),
  ]

  /// A file name of `count` bytes, mostly letters, with hostile pieces now and then.
  static func file(_ rng: inout SplitMix64, count: Int) -> [UInt8] {
    var out: [UInt8] = []
    while out.count < count {
      if rng.below(12) == 0 {
        out += pieces[rng.below(pieces.count)]
      } else {
        out.append(UInt8(ascii: "a") + UInt8(truncatingIfNeeded: rng.below(26)))
      }
    }
    return Array(out.prefix(count))
  }

  static func expectSameEnd(_ bytes: [UInt8], from: Int, n: Int, offset: Int) {
    let padded = [UInt8](repeating: 0x61, count: offset) + bytes + [UInt8](repeating: 0x61, count: 8)
    padded.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { return }
      let p = base + offset
      let new = KlogHeaderForm.fileNameEnd(p, n, from: from)
      let old = referenceFileNameEnd(p, n, from: from)
      let within = KlogHeaderForm.longestFile + from
      if new <= within || old <= within {
        #expect(new == old, "\(bytes) from \(from) to \(n)")
      } else {
        #expect(new > within && old > within, "\(bytes) from \(from) to \(n)")
      }
      #expect(new >= from)
    }
  }

  /// The end of seeded files of every length to past `longestFile`, from several starts, every
  /// count of bytes given and every offset of a buffer.
  @Test(arguments: 0..<6)
  func theFileEndsWhereTheByteLoopEnds(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for count in stride(from: 0, through: KlogHeaderForm.longestFile + 24, by: 1) {
      let special = Self.pieces[rng.below(Self.pieces.count)]
      let bytes = Self.file(&rng, count: count) + special + Self.file(&rng, count: 9)
      for from in [0, 1, rng.below(bytes.count + 1)] where from <= bytes.count {
        let ns = [
          bytes.count, from, min(bytes.count, from + 1 + rng.below(30)), from + rng.below(bytes.count - from + 1),
        ]
        for n in ns { Self.expectSameEnd(bytes, from: from, n: n, offset: rng.below(8)) }
      }
    }
    // Every place of a special byte in files around a word's and `longestFile`'s edges.
    for count in [1, 7, 8, 9, 15, 16, 17, 199, 200, 201, 202, 207, 208, 209, 215] {
      for place in 0..<count {
        for special in [UInt8(ascii: ":"), UInt8(ascii: "]"), UInt8(ascii: " ")] {
          var bytes = [UInt8](repeating: UInt8(ascii: "g"), count: count)
          bytes[place] = special
          Self.expectSameEnd(bytes, from: 0, n: count, offset: place % 8)
          Self.expectSameEnd(bytes, from: min(3, count), n: count, offset: 1)
        }
      }
    }
  }

  /// Whole headers with seeded files of every length, hostile bytes in the file, the line cut at
  /// every length past the file: `parse` reads each as the byte loops read it.
  @Test(arguments: 0..<4)
  func headersAreReadAsTheByteLoopReadsThem(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var read = 0
    for count in 0...(KlogHeaderForm.longestFile + 12) {
      let file = Self.file(&rng, count: count)
      var line = Array("I1127 01:00:00.123456    4187 ".utf8) + file + Array(":107] \"Probe failed\" x=\"y\"".utf8)
      if KlogHeaderDigitsTests.expectSame(line) { read += 1 }
      for cut in stride(from: 30, through: line.count, by: max(1, count / 16)) {
        KlogHeaderDigitsTests.expectSame(Array(line[..<cut]))
      }
      if !file.isEmpty {
        line[30 + rng.below(file.count)] = Self.pieces[rng.below(6)][0]
        KlogHeaderDigitsTests.expectSame(line)
      }
    }
    #expect(read > 20)
  }
}
