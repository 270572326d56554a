import Foundation

/// A klog line's header (`I1127 01:00:00.123456    1234 prober.go:107] `), about 45 of a kept
/// kubelet line's 250 bytes, as a few numbers: klog writes it with the format
/// `%c%02d%02d %02d:%02d:%02d.%06d %7d %s:%d] ` (k8s.io/klog/v2, `formatHeader`), so the
/// severity byte, the sixteen digits of the date and time, the thread id, the file and the line
/// number give it back byte for byte. `parse` answers only for a header that `write` rebuilds
/// exactly: sixteen ASCII digits in their places with their punctuation, the id right-aligned in
/// seven columns as `%7d` pads it (no leading zero, no sign, more digits and no padding past
/// seven), a file of at most `longestFile` bytes without `:`, `]` or a space, a line number of at
/// most nine digits without a leading zero, then `] `. Any other line (year-less or wrong widths,
/// other padding, a Kelvin sign or NUL in a digit's place, CR, cut short) keeps its bytes
/// (docs/architecture.md "Memory of the kubelet-log run").
enum KlogHeaderForm {
  /// A header read from a line: what `write` needs to rebuild it, and where the body begins.
  struct Parts: Equatable {
    /// The line's first byte (klog writes `I`, `W`, `E` or `F`; any byte is written back).
    var severity: UInt8
    /// The date and time's sixteen digits, `MMDDhhmmssuuuuuu`, as one decimal number.
    var digits: UInt64
    var pid: UInt64
    /// Where the file's name lies in the line.
    var file: Range<Int>
    var fileLine: UInt64
    /// Where the body (after `] `) begins.
    var bodyStart: Int
  }

  private static let space = UInt8(ascii: " ")
  private static let colon = UInt8(ascii: ":")
  private static let dot = UInt8(ascii: ".")
  private static let bracket = UInt8(ascii: "]")
  private static let zero = UInt8(ascii: "0")
  /// The longest file name written in the compact form (longer names keep the line's bytes).
  static let longestFile = 200
  /// The fewest bytes a header has: 22 for the time, 7 for the id, a space, a one-byte file, `:`,
  /// a digit and `] `.
  static let shortest = 35

  /// The header of `l`, when `write` rebuilds it byte for byte; nil otherwise.
  static func parse(_ l: UnsafeBufferPointer<UInt8>) -> Parts? {
    let n = l.count
    guard n >= shortest, let p = l.baseAddress else { return nil }
    guard p[5] == space, p[8] == colon, p[11] == colon, p[14] == dot, p[21] == space,
      let digits = timeDigits(p)
    else { return nil }
    // The id, as `%7d` writes a number that is not negative.
    var i = 22
    /// The number whose digits start at `i` (at most `limit` of them read), and how many digits it
    /// has; `i` is left after them. One without a leading zero, or `0` alone, is written as read.
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
    i = fileNameEnd(p, n, from: i)
    let fileEnd = i
    guard fileEnd > fileStart, fileEnd - fileStart <= longestFile, i < n, p[i] == colon else { return nil }
    i += 1
    let (fileLine, lineDigits, lineWritten) = number(10)
    guard lineDigits <= 9, lineWritten else { return nil }
    guard n - i >= 2, p[i] == bracket, p[i + 1] == space else { return nil }
    return Parts(
      severity: p[0], digits: digits, pid: pid, file: fileStart..<fileEnd, fileLine: fileLine, bodyStart: i + 2)
  }

  /// The first place at or after `from` (below `n`) holding a `:`, a `]` or a space, or `n`, or
  /// a place past `from + longestFile` when none is there first: where a header's file ends, or
  /// a place `parse` turns away. Eight bytes a word while a word fits, where the byte loop it
  /// replaces (kept as `referenceFileNameEnd` by `KlogHeaderFileTests`) tested each byte three times:
  /// a lane of `w ^ c` is zero where `w` holds `c`, and `~(((x & 0x7F…) + 0x7F…) | x) & 0x80…`
  /// marks exactly the zero lanes (no carry leaves a lane), so the lowest mark of the three is
  /// the first such byte, read little-endian. A word may step past `from + longestFile`, and any
  /// place past it is turned away as the byte loop's `from + longestFile + 1` is.
  @inline(__always)
  static func fileNameEnd(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int) -> Int {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let highs: UInt64 = 0x8080_8080_8080_8080
    let colons = ones &* UInt64(colon)
    let brackets = ones &* UInt64(bracket)
    let spaces = ones &* UInt64(space)
    var i = from
    while n &- i >= 8, i &- from <= longestFile {
      let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
      let c = w ^ colons
      let b = w ^ brackets
      let s = w ^ spaces
      let marks = ~((((c & lows) &+ lows) | c) & (((b & lows) &+ lows) | b) & (((s & lows) &+ lows) | s)) & highs
      if marks != 0 { return i &+ marks.trailingZeroBitCount &>> 3 }
      i &+= 8
    }
    while i < n, i - from <= longestFile, p[i] != colon, p[i] != bracket, p[i] != space { i += 1 }
    return i
  }

  /// The sixteen digits of the date and time, `MMDD` `hh` `mm` `ss` `uuuuuu` at places 1–4, 6–7,
  /// 9–10, 12–13 and 15–20 of a header of at least `shortest` bytes, as one decimal number; nil
  /// when one of them is not an ASCII digit.
  ///
  /// Eight bytes at a time, where a loop took a byte, a test and a multiply for each of the
  /// sixteen (`parse` was 8.0M instructions of the 4 MiB slice's run; docs/architecture.md
  /// "Memory of the kubelet-log run"). The digits are gathered from five loads, read
  /// little-endian (the first character lowest), into two words of eight characters, `MMDDhhmm`
  /// and `ssuuuuuu`. A byte is a digit when `b ^ 0x30` is at most 9 (the digits are 0x30–0x39,
  /// which differ from 0x30 in the low four bits only): `(x & 0x7F) + 0x76` sets the high bit
  /// when the low seven bits are 10 or more, and cannot carry out of its byte; `| x` adds a byte
  /// with the high bit set. A word of eight digit values is then folded in three multiplies, as
  /// simdjson's `parse_eight_digits_unrolled` does: pairs (`10a + b` in every other byte), fours
  /// (`100p + q` in every other 16 bits), eight (`10000r + s`), none carrying out of its lane.
  /// `KlogHeaderDigitsTests` keeps the byte loop and holds this to it.
  @inline(__always)
  static func timeDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
    @inline(__always)
    func load(_ k: Int) -> UInt64 { UInt64(littleEndian: UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)) }
    let zeros: UInt64 = 0x3030_3030_3030_3030
    let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let over9: UInt64 = 0x7676_7676_7676_7676
    let highs: UInt64 = 0x8080_8080_8080_8080
    // Places 1–4, then 6–7 (bytes 4 and 5 of the load at 2), then 9–10 (moved to bytes 6 and 7).
    let high = (load(1) & 0xFFFF_FFFF) | (load(2) & 0x0000_FFFF_0000_0000) | (load(9) << 48)
    // Places 12–13, then 15–20 (bytes 2 to 7 of the load at 13).
    let low = (load(12) & 0xFFFF) | (load(13) & 0xFFFF_FFFF_FFFF_0000)
    let h = high ^ zeros
    let l = low ^ zeros
    // `|` is of `+`'s precedence in Swift: every step in its parentheses.
    let marks = (((h & lows) &+ over9) | h) | (((l & lows) &+ over9) | l)
    guard marks & highs == 0 else { return nil }
    @inline(__always)
    func eight(_ x: UInt64) -> UInt64 {
      let pairs = x &* 10 &+ (x >> 8)
      let fours = ((pairs & 0x00FF_00FF_00FF_00FF) &* (1 + (100 << 16))) >> 16
      return ((fours & 0x0000_FFFF_0000_FFFF) &* (1 + (10_000 << 32))) >> 32
    }
    return eight(h) &* 100_000_000 &+ eight(l)
  }

  /// How many decimal digits `n` is written with (`0` is one).
  @inline(__always)
  static func decimalCount(_ n: UInt64) -> Int {
    var n = n
    var count = 1
    while n >= 10 {
      n /= 10
      count += 1
    }
    return count
  }

  /// The size of the header `write` writes: 22 bytes of time and a space, the id in at least seven
  /// columns, a space, the file, `:`, the line number, `] `.
  static func count(pid: UInt64, fileCount: Int, fileLine: UInt64) -> Int {
    22 + max(7, decimalCount(pid)) + 1 + fileCount + 1 + decimalCount(fileLine) + 2
  }

  /// `n`'s decimal digits written at `p`, `count` of them (its `decimalCount`).
  @inline(__always)
  private static func writeDecimal(_ n: UInt64, count: Int, at p: UnsafeMutablePointer<UInt8>) {
    var n = n
    var k = count
    while k > 0 {
      k -= 1
      p[k] = zero &+ UInt8(truncatingIfNeeded: n % 10)
      n /= 10
    }
  }

  /// Writes the header at `out` (room of `count(pid:fileCount:fileLine:)` bytes); returns the
  /// place after it.
  static func write(
    severity: UInt8, digits: UInt64, pid: UInt64, file: UnsafeBufferPointer<UInt8>, fileLine: UInt64,
    into out: UnsafeMutablePointer<UInt8>
  ) -> UnsafeMutablePointer<UInt8> {
    out[0] = severity
    writeDecimal(digits % 1_000_000, count: 6, at: out + 15)
    let seconds = digits / 1_000_000
    writeDecimal(seconds % 100, count: 2, at: out + 12)
    writeDecimal(seconds / 100 % 100, count: 2, at: out + 9)
    writeDecimal(seconds / 10_000 % 100, count: 2, at: out + 6)
    writeDecimal(seconds / 1_000_000 % 10_000, count: 4, at: out + 1)
    out[5] = space
    out[8] = colon
    out[11] = colon
    out[14] = dot
    out[21] = space
    var p = out + 22
    let pidDigits = decimalCount(pid)
    if pidDigits < 7 {
      p.initialize(repeating: space, count: 7 - pidDigits)
      p += 7 - pidDigits
    }
    writeDecimal(pid, count: pidDigits, at: p)
    p += pidDigits
    p[0] = space
    p += 1
    if let f = file.baseAddress, file.count > 0 { p.initialize(from: f, count: file.count) }
    p += file.count
    p[0] = colon
    p += 1
    let lineDigits = decimalCount(fileLine)
    writeDecimal(fileLine, count: lineDigits, at: p)
    p += lineDigits
    p[0] = bracket
    p[1] = space
    return p + 2
  }
}
