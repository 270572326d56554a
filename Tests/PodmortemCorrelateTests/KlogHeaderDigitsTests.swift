import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `KlogHeaderForm.parse` reads the header's sixteen time digits eight bytes at a time
/// (`KlogHeaderForm.timeDigits`, docs/architecture.md "Memory of the kubelet-log run"). The
/// reference kept here is `parse` as it was before, reading them one byte at a time: the plain
/// statement of what is accepted and what number it makes, kept so the word-at-a-time version is
/// held to it on the bench's headers, seeded random ones, and hostile bytes in every digit's and
/// punctuation's place (the bytes next to `0` and `9`, their high-bit twins, a Kelvin sign, a
/// dotted capital I, a combining accent, NUL, CR, tab, space).
@Suite struct KlogHeaderDigitsTests {
  /// The reference: `KlogHeaderForm.parse` with its byte loop over the digits, as it was.
  static func referenceParse(_ l: UnsafeBufferPointer<UInt8>) -> KlogHeaderForm.Parts? {
    let space = UInt8(ascii: " ")
    let colon = UInt8(ascii: ":")
    let dot = UInt8(ascii: ".")
    let bracket = UInt8(ascii: "]")
    let zero = UInt8(ascii: "0")
    let n = l.count
    guard n >= KlogHeaderForm.shortest, let p = l.baseAddress else { return nil }
    guard p[5] == space, p[8] == colon, p[11] == colon, p[14] == dot, p[21] == space else { return nil }
    var digits: UInt64 = 0
    func run(_ from: Int, _ to: Int) -> Bool {
      for i in from..<to {
        let d = p[i] &- zero
        guard d < 10 else { return false }
        digits = digits &* 10 &+ UInt64(d)
      }
      return true
    }
    guard run(1, 5), run(6, 8), run(9, 11), run(12, 14), run(15, 21) else { return nil }
    var i = 22
    func number(_ limit: Int) -> (value: UInt64, digits: Int, written: Bool) {
      let start = i
      var value: UInt64 = 0
      while i < n, i - start < limit {
        let d = p[i] &- zero
        guard d < 10 else { break }
        value = value &* 10 &+ UInt64(d)
        i += 1
      }
      let digits = i - start
      return (value, digits, digits == 1 || (digits > 1 && p[start] != zero))
    }
    while i < n, p[i] == space { i += 1 }
    let spaces = i - 22
    let (pid, pidDigits, pidWritten) = number(19)
    guard pidDigits <= 18, pidWritten else { return nil }
    guard spaces == max(0, 7 - pidDigits), i < n, p[i] == space else { return nil }
    i += 1
    let fileStart = i
    while i < n, i - fileStart <= KlogHeaderForm.longestFile, p[i] != colon, p[i] != bracket, p[i] != space {
      i += 1
    }
    let fileEnd = i
    guard fileEnd > fileStart, fileEnd - fileStart <= KlogHeaderForm.longestFile, i < n, p[i] == colon else {
      return nil
    }
    i += 1
    let (fileLine, lineDigits, lineWritten) = number(10)
    guard lineDigits <= 9, lineWritten else { return nil }
    guard n - i >= 2, p[i] == bracket, p[i + 1] == space else { return nil }
    return KlogHeaderForm.Parts(
      severity: p[0], digits: digits, pid: pid, file: fileStart..<fileEnd, fileLine: fileLine, bodyStart: i + 2)
  }

  /// Whether `parse` and the reference give the same answer for `line`; returns whether it read.
  @discardableResult
  static func expectSame(_ line: [UInt8]) -> Bool {
    let new = line.withUnsafeBufferPointer { KlogHeaderForm.parse($0) }
    let old = line.withUnsafeBufferPointer { referenceParse($0) }
    #expect(new == old, "\(line)")
    return new != nil
  }

  /// Bytes that a digit's place must turn away, and the digits: the neighbours of `0` and `9`
  /// (`/`, `:`), the digits with the high bit set, a byte that is 10 past `0` in the low bits, and
  /// hostile pieces.
  static let near: [[UInt8]] = [
    [0x2F], [0x3A], [0xB0], [0xB9], [0xBA], [0x7A], [0x40], [0xFF], [0x00], [0x0D], [0x09], [0x20],
    Array("\u{212A}".utf8), Array("\u{130}".utf8), Array("e\u{301}".utf8), Array("0".utf8), Array("9".utf8),
  ]

  /// The bench log's headers and klog's extremes are read as before.
  @Test func theBenchAndExtremeHeadersAreReadAsBefore() {
    let lines = [
      "I1127 00:00:00.005030    4187 prober.go:107] \"Probe failed\"",
      "E1127 23:59:59.999999    4187 pod_workers.go:1301] x", "W0000 00:00:00.000000       0 a:0] ",
      "F9999 99:99:99.999999 123456789012345678 b.go:999999999] y", "I1231 12:34:56.789012       1 c:1] z",
    ]
    for line in lines { #expect(Self.expectSame(Array(line.utf8))) }
  }

  /// Headers from random parts with random digits read as before; then each of the first 23
  /// bytes replaced by a near or hostile byte (a digit among them), which `parse` must turn away
  /// or read exactly as the reference does.
  @Test(arguments: 0..<8)
  func digitsAreReadAsTheByteLoopReadsThem(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var read = 0
    var refused = 0
    for _ in 0..<500 {
      let body = rng.hostileBytes(count: rng.below(40))
      var line = PackedCompactFormsTests.klogLine(&rng, body: body)
      if Self.expectSame(line) { read += 1 }
      for _ in 0..<1 + rng.below(3) {
        let at = rng.below(23)
        line.replaceSubrange(at..<(at + 1), with: Self.near[rng.below(Self.near.count)])
      }
      if Self.expectSame(line) { read += 1 } else { refused += 1 }
    }
    #expect(read > 500)
    #expect(refused > 100)
  }

  /// Lines of random bytes shaped like a header (the punctuation in place, every digit's place
  /// drawn from digits and near bytes), cut at every length around the shortest header.
  @Test(arguments: 0..<4)
  func shapedRandomLinesAreReadAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let digitsOnly: [UInt8] = Array("0123456789".utf8)
    var read = 0
    for _ in 0..<1_000 {
      var line = Array("I1127 01:00:00.123456    4187 prober.go:107] ".utf8)
      for at in [1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 17, 18, 19, 20] {
        line[at] = rng.below(16) == 0 ? Self.near[rng.below(Self.near.count)][0] : digitsOnly[rng.below(10)]
      }
      line += rng.hostileBytes(count: rng.below(8))
      if Self.expectSame(line) { read += 1 }
      let cut = KlogHeaderForm.shortest - 2 + rng.below(line.count - KlogHeaderForm.shortest + 3)
      Self.expectSame(Array(line[..<min(cut, line.count)]))
    }
    // About (15/16 + 1/16 × 2/17)^16, four in ten, of the lines keep sixteen digits.
    #expect(read > 200)
  }

  /// `timeDigits` on every place's sixteen digits alone: each digit 0–9 at each place gives the
  /// number the byte loop gives.
  @Test func everyDigitAtEveryPlaceIsWeighedAsBefore() {
    let places = [1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 17, 18, 19, 20]
    for (k, at) in places.enumerated() {
      for d in 0...9 {
        var line = Array("I0000 00:00:00.000000    4187 prober.go:107] x".utf8)
        line[at] = UInt8(ascii: "0") + UInt8(d)
        let parts = line.withUnsafeBufferPointer { KlogHeaderForm.parse($0) }
        var expected: UInt64 = UInt64(d)
        for _ in 0..<(15 - k) { expected *= 10 }
        #expect(parts?.digits == expected)
        Self.expectSame(line)
      }
    }
  }
}
