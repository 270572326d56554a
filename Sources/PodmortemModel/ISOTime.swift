import Foundation

/// Times written as `Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)`
/// writes them, by integer arithmetic. The format style builds a Gregorian calendar, and that
/// calendar's cache loads ICU's data (about 2 MB of a run's RSS; docs/architecture.md, "The
/// start-up floor"); a report of a few lines paid that for its first time with a fraction.
package enum ISOTime {
  /// `yyyy-MM-ddTHH:mm:ss.SSSZ` as the format style writes it: the seconds and the fraction
  /// counted from the reference date (2001-01-01), the fraction in nanoseconds truncated, then
  /// to milliseconds truncated. Nil outside 1970-01-01…9999-12-31 or when not finite, where the
  /// caller asks the format style.
  package static func milliseconds(_ date: Date) -> String? {
    let reference = date.timeIntervalSinceReferenceDate
    let whole = reference.rounded(.down)
    // 1970-01-01 and 10000-01-01 in seconds since 2001-01-01.
    guard whole.isFinite, whole >= -978_307_200, whole < 252_423_993_600 else { return nil }
    let nanoseconds = Int((reference - whole) * 1_000_000_000)
    let millis = min(nanoseconds / 1_000_000, 999)
    let total = Int(whole) + 978_307_200
    let days = total / 86_400
    let inDay = total % 86_400
    let (year, month, day) = CivilDate.civil(fromDays: days)
    var out = [UInt8]()
    out.reserveCapacity(24)
    func put(_ value: Int, _ width: Int, then separator: UInt8) {
      appendDigits(value, width: width, to: &out)
      out.append(separator)
    }
    put(year, 4, then: 0x2D)
    put(month, 2, then: 0x2D)
    put(day, 2, then: 0x54)
    put(inDay / 3_600, 2, then: 0x3A)
    put(inDay / 60 % 60, 2, then: 0x3A)
    put(inDay % 60, 2, then: 0x2E)
    put(millis, 3, then: 0x5A)
    return String(decoding: out, as: UTF8.self)
  }

  /// The last `width` decimal digits of `value` (0 or more), zero-padded, appended to `out`.
  package static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
    var divisor = 1
    for _ in 1..<max(width, 1) { divisor *= 10 }
    var v = value
    while divisor > 0 {
      out.append(UInt8(truncatingIfNeeded: 0x30 + v / divisor))
      v %= divisor
      divisor /= 10
    }
  }
}
