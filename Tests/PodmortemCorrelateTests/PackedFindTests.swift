import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PackedLog.firstPlace` tests the nearest places one at a time before it calls `memchr`
/// (docs/architecture.md "Memory of the kubelet-log run"). It must answer as the search before
/// it, `Writer.find`'s `memchr` walk, kept here as `referenceFind`: on seeded lines of hostile
/// pieces (a Kelvin sign, a dotted capital I, combining accents, NUL, CR, tab, quotes, bytes that
/// are not UTF-8), klog-like lines, runs of one byte (a mark in every lane), strings cut from the
/// line at every place and length (found, and found first elsewhere), the same with one byte
/// changed, strings of other bytes, starts before, at and past every place (`Int.min`,
/// `Int.max`), and every line read from every offset of a larger buffer.
@Suite struct PackedFindTests {
  /// `Writer.find` before `firstPlace`: `memchr` for the first byte from `start`, the last byte
  /// compared before the rest (`memcmp`, which `sameBytes` answers as).
  static func referenceFind(
    _ bytes: UnsafeBufferPointer<UInt8>, in line: UnsafeBufferPointer<UInt8>, from start: Int
  ) -> Int? {
    guard bytes.count >= 3, start >= 0, start < line.count, let base = line.baseAddress,
      let needle = bytes.baseAddress
    else { return nil }
    guard line.count - start >= bytes.count else { return nil }
    let first = Int32(needle[0])
    let last = bytes.count - 1
    let lastByte = needle[last]
    let lastStart = base + (line.count - bytes.count)
    var p = base + start
    while p <= lastStart {
      guard let hit = memchr(p, first, lastStart - p + 1) else { return nil }
      let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self))
      if at[last] == lastByte && memcmp(at, needle, bytes.count) == 0 { return at - base }
      p = at + 1
    }
    return nil
  }

  static let pieces: [String] = [
    "\"", "\\", "x", "xx", "web", "pod", "=\"", "\" ", " ", "\u{0}", "\r", "\r\n", "\t", "\u{212A}", "\u{130}",
    "e\u{301}", "\u{301}", "🙂", "default/app-1", "probeType=\"Liveness\"", "\u{FFFD}",
  ]

  static func line(_ rng: inout SplitMix64) -> [UInt8] {
    switch rng.below(5) {
    case 0:
      // Runs of one or two bytes: every lane marked.
      let a = UInt8(truncatingIfNeeded: rng.next())
      let b = rng.below(2) == 0 ? a : UInt8(truncatingIfNeeded: rng.next())
      return (0..<rng.below(90)).map { _ in rng.below(6) == 0 ? b : a }
    case 1:
      return (0..<rng.below(120)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    case 2:
      let pod = "app-\(rng.below(1000))"
      return Array(
        "I1127 00:00:00.375853    4187 prober.go:107] \"Probe failed\" probeType=\"Readiness\" pod=\"default/\(pod)\" podUID=\"571aa876\" containerName=\"api\" probeResult=\"failure\" output=\"Get \\\"http://x\\\": \(pod)\""
          .utf8)
    default:
      var s = (0..<rng.below(24)).map { _ in pieces[rng.below(pieces.count)] }.joined()
      if rng.below(4) == 0 { s = String(decoding: Array(s.utf8) + [0xFF, 0x80], as: UTF8.self) }
      if rng.below(8) == 0 { s += String(repeating: "ab", count: 300) }
      return Array(s.utf8)
    }
  }

  /// Every needle's answer from every start, both searches, the line read from `offset` of a
  /// larger buffer.
  static func expectSame(_ line: [UInt8], _ needles: [[UInt8]], offset: Int) {
    let padded = [UInt8](repeating: 0x61, count: offset) + line + [UInt8](repeating: 0x61, count: 9)
    padded.withUnsafeBufferPointer { all in
      let l = UnsafeBufferPointer(rebasing: all[offset..<(offset + line.count)])
      let starts = Array(-2...(line.count + 2)) + [Int.min, Int.max, Int.min + 1, Int.max - 1]
      for needle in needles {
        needle.withUnsafeBufferPointer { n in
          for start in starts {
            let new = PackedLog.firstPlace(of: n, in: l, from: start)
            let old = referenceFind(n, in: l, from: start)
            #expect(new == old, "\(line) \(needle) from \(start) at offset \(offset)")
          }
        }
      }
    }
  }

  @Test(arguments: 0..<12)
  func answersAsTheMemchrSearch(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for round in 0..<60 {
      let line = Self.line(&rng)
      var needles: [[UInt8]] = [[], [0x61], [0x61, 0x61], Array("pod".utf8), Array("\u{212A}".utf8)]
      for _ in 0..<12 where !line.isEmpty {
        let from = rng.below(line.count)
        let n = min(line.count - from, rng.below(3) == 0 ? rng.below(80) : rng.below(12))
        var cut = Array(line[from..<(from + n)])
        needles.append(cut)
        if !cut.isEmpty {
          cut[rng.below(cut.count)] ^= UInt8(truncatingIfNeeded: 1 &+ rng.below(255))
          needles.append(cut)
        }
      }
      for _ in 0..<3 { needles.append((0..<rng.below(10)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
      // Every offset for a few lines, one for the rest, so the tests stay quick.
      let offsets = round % 10 == 0 ? Array(0..<8) : [rng.below(8)]
      for offset in offsets { Self.expectSame(line, needles, offset: offset) }
    }
  }

  /// Every cut of short lines: each place and length, from every start.
  @Test func everyCutOfShortLines() {
    let lines: [[UInt8]] = [
      Array("abcabcabcabcabcabcabcabcabcabcabcabcabcab".utf8),
      Array("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab".utf8),
      Array("pod=\"default/app\" podUID=\"1\" containerName=\"app\" x=\"app\"".utf8),
      Array("\u{212A}\u{130}e\u{301}\u{0}\r\t\u{212A}\u{130}e\u{301}\u{0}\r\t\u{212A}".utf8),
    ]
    for line in lines {
      var needles: [[UInt8]] = []
      for from in 0..<line.count {
        for n in 0...min(line.count - from, 20) { needles.append(Array(line[from..<(from + n)])) }
      }
      Self.expectSame(line, needles, offset: 3)
    }
  }
}
