import PodmortemModel

/// The fields of printed times, read straight from UTF-8 bytes at a cursor: the one reader behind
/// RFC 3339, RFC1123Z, Go's `time.Time.String()`, klog headers and journald prefixes.
///
/// Each function reads at `i` and moves it past what it read; on nil, `i` may have moved.
package enum TimeBytes {
  /// Reads exactly `count` ASCII digits.
  package static func digits(_ b: ArraySlice<UInt8>, _ i: inout Int, _ count: Int) -> Int? {
    guard b.endIndex - i >= count else { return nil }
    var value = 0
    for k in i..<(i + count) {
      let c = b[k]
      guard c >= 0x30, c <= 0x39 else { return nil }
      value = value * 10 + Int(c - 0x30)
    }
    i += count
    return value
  }

  /// Reads `.ddd…` (with `comma`, also `,ddd…`, as Go's parser allows) if present: its value and
  /// the number of digits written. Digits past nanoseconds count but do not change the value. A
  /// separator with no digits is read as zero digits; (0, 0) when there is no fraction.
  package static func fraction(_ b: ArraySlice<UInt8>, _ i: inout Int, comma: Bool = false) -> (
    value: Double, digits: Int
  ) {
    guard i < b.endIndex, b[i] == 0x2E || (comma && b[i] == 0x2C) else { return (0, 0) }
    i += 1
    var value = 0
    var scale = 1
    var count = 0
    while i < b.endIndex, b[i] >= 0x30, b[i] <= 0x39 {
      if count < 9 {
        value = value * 10 + Int(b[i] - 0x30)
        scale *= 10
      }
      count += 1
      i += 1
    }
    return (Double(value) / Double(scale), count)
  }

  /// `2026-11-27`, unchecked (`CivilDate.isValid` checks it).
  package static func isoDate(_ b: ArraySlice<UInt8>, _ i: inout Int) -> (year: Int, month: Int, day: Int)? {
    guard let year = digits(b, &i, 4), take(b, &i, 0x2D), let month = digits(b, &i, 2), take(b, &i, 0x2D),
      let day = digits(b, &i, 2)
    else { return nil }
    return (year, month, day)
  }

  /// `15:04:05` with an optional fraction, which must have a digit when its separator is there.
  package static func clock(_ b: ArraySlice<UInt8>, _ i: inout Int, comma: Bool = false) -> (
    secondsOfDay: Int, fraction: Double, digits: Int
  )? {
    guard let h = digits(b, &i, 2), take(b, &i, 0x3A), let m = digits(b, &i, 2), take(b, &i, 0x3A),
      let s = digits(b, &i, 2), h < 24, m < 60, s < 61
    else { return nil }
    let start = i
    let fraction = fraction(b, &i, comma: comma)
    guard i == start || fraction.digits > 0 else { return nil }
    return (h * 3600 + m * 60 + s, fraction.value, fraction.digits)
  }

  /// `+0100`, `-0700` or, with `colon`, also `+01:00`: the offset in seconds east of UTC.
  package static func utcOffset(_ b: ArraySlice<UInt8>, _ i: inout Int, colon: Bool) -> Int? {
    guard i < b.endIndex, b[i] == 0x2B || b[i] == 0x2D else { return nil }
    let sign = b[i] == 0x2D ? -1 : 1
    i += 1
    guard let h = digits(b, &i, 2) else { return nil }
    if colon { _ = take(b, &i, 0x3A) }
    guard let m = digits(b, &i, 2) else { return nil }
    return sign * (h * 3600 + m * 60)
  }

  /// Reads `byte` if it is next.
  package static func take(_ b: ArraySlice<UInt8>, _ i: inout Int, _ byte: UInt8) -> Bool {
    guard i < b.endIndex, b[i] == byte else { return false }
    i += 1
    return true
  }
}
