import Foundation
import PodmortemModel

/// Parses the absolute times kubectl prints, by hand (no `DateFormatter` per call):
/// RFC1123Z in describe (§1.1), RFC3339 in JSON (§4.1) and Go's `time.Time.String()` in pre-1.12
/// watch tables (§3.1).
package enum Timestamps {
  /// `Fri, 27 Nov 2026 00:55:01 +0000` (any offset; `GMT`/`UTC` also accepted). The zero time
  /// `Mon, 01 Jan 0001 00:00:00 +0000` gives nil.
  package static func rfc1123Z(_ text: some StringProtocol) -> Date? {
    var s = ByteScanner(text)
    guard s.skipLetters(3), s.take(","), s.take(" ") else { return nil }
    guard let day = s.digits(2), s.take(" "), let month = s.month(), s.take(" "), let year = s.digits(4),
      s.take(" "), let clock = s.clock()
    else { return nil }
    guard s.take(" ") else { return nil }
    let offset: Int
    if s.rest == "GMT" || s.rest == "UTC" {
      offset = 0
    } else {
      guard let o = s.numericOffset(colon: false), s.atEnd else { return nil }
      offset = o
    }
    return date(year: year, month: month, day: day, seconds: clock.seconds, fraction: 0, offset: offset)
  }

  /// `2026-11-27T01:02:03Z`, `2026-11-27T01:02:03.123456Z`, `2026-11-27T02:02:03+01:00`.
  package static func rfc3339(_ text: some StringProtocol) -> Date? { rfc3339WithPrecision(text)?.date }

  /// `time.Time.String()`: `2018-03-01 10:11:12.123 +0000 UTC` (a monotonic `m=+…` suffix is ignored).
  package static func goTime(_ text: some StringProtocol) -> Date? { goTimeWithPrecision(text)?.date }

  /// Any of the formats above.
  package static func parse(_ text: some StringProtocol) -> Date? {
    rfc3339(text) ?? rfc1123Z(text) ?? goTime(text)
  }

  /// True for Go's zero time in any of the formats (year 1, January 1st, midnight).
  package static func isZero(_ text: some StringProtocol) -> Bool {
    let t = text.trimmingCharacters(in: .whitespaces)
    return t.hasPrefix("Mon, 01 Jan 0001 00:00:00") || t.hasPrefix("0001-01-01T00:00:00")
      || t.hasPrefix("0001-01-01 00:00:00")
  }

  /// The moments a printed time allows: a time printed to the second means that second
  /// (`t … t + 0.999`), one with microseconds its microsecond.
  package static func range(_ text: some StringProtocol) -> TimeRange? {
    if let d = rfc1123Z(text) { return widen(d, digits: 0) }
    if let p = rfc3339WithPrecision(text) ?? goTimeWithPrecision(text) { return widen(p.date, digits: p.digits) }
    return nil
  }

  private static func widen(_ date: Date, digits: Int) -> TimeRange {
    let unit = pow(10, -Double(digits))
    return TimeRange(earliest: date, latest: date.addingTimeInterval(unit * 0.999))
  }

  private static func rfc3339WithPrecision(_ text: some StringProtocol) -> (date: Date, digits: Int)? {
    var s = ByteScanner(text)
    guard let (year, month, day) = s.isoDate(), s.take("T") || s.take("t"), let clock = s.clock() else { return nil }
    let offset: Int
    if s.take("Z") || s.take("z") {
      offset = 0
    } else {
      guard let o = s.numericOffset(colon: true) else { return nil }
      offset = o
    }
    guard s.atEnd,
      let d = date(year: year, month: month, day: day, seconds: clock.seconds, fraction: clock.fraction, offset: offset)
    else { return nil }
    return (d, clock.digits)
  }

  private static func goTimeWithPrecision(_ text: some StringProtocol) -> (date: Date, digits: Int)? {
    var s = ByteScanner(text)
    guard let (year, month, day) = s.isoDate(), s.take(" "), let clock = s.clock(), s.take(" "),
      let offset = s.numericOffset(colon: false)
    else { return nil }
    guard s.atEnd || s.take(" "),
      let d = date(year: year, month: month, day: day, seconds: clock.seconds, fraction: clock.fraction, offset: offset)
    else { return nil }
    return (d, clock.digits)
  }

  private static func date(year: Int, month: Int, day: Int, seconds: Int, fraction: Double, offset: Int) -> Date? {
    guard year > 1 || month > 1 || day > 1 || seconds > 0 else { return nil }
    guard (1...12).contains(month), (1...31).contains(day) else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let epoch = Double(days) * 86400 + Double(seconds) - Double(offset) + fraction
    return Date(timeIntervalSince1970: epoch)
  }

  /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }
}

/// A cursor over the UTF-8 bytes of a short timestamp.
private struct ByteScanner {
  private let bytes: [UInt8]
  private var index = 0

  init(_ text: some StringProtocol) {
    bytes = Array(text.utf8)
  }

  var atEnd: Bool { index == bytes.count }
  var rest: String { String(decoding: bytes[index...], as: UTF8.self) }

  mutating func take(_ c: Character) -> Bool {
    guard index < bytes.count, let ascii = c.asciiValue, bytes[index] == ascii else { return false }
    index += 1
    return true
  }

  mutating func skipLetters(_ n: Int) -> Bool {
    guard index + n <= bytes.count else { return false }
    for b in bytes[index..<(index + n)] where !((0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)) {
      return false
    }
    index += n
    return true
  }

  mutating func digits(_ n: Int) -> Int? {
    guard index + n <= bytes.count else { return nil }
    var v = 0
    for b in bytes[index..<(index + n)] {
      guard b >= 0x30 && b <= 0x39 else { return nil }
      v = v * 10 + Int(b - 0x30)
    }
    index += n
    return v
  }

  mutating func month() -> Int? {
    guard index + 3 <= bytes.count else { return nil }
    let name = String(decoding: bytes[index..<(index + 3)], as: UTF8.self)
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    guard let i = names.firstIndex(of: name) else { return nil }
    index += 3
    return i + 1
  }

  /// `2026-11-27`.
  mutating func isoDate() -> (Int, Int, Int)? {
    guard let y = digits(4), take("-"), let m = digits(2), take("-"), let d = digits(2) else { return nil }
    return (y, m, d)
  }

  /// `15:04:05` with an optional `.fraction`.
  mutating func clock() -> (seconds: Int, fraction: Double, digits: Int)? {
    guard let h = digits(2), take(":"), let m = digits(2), take(":"), let s = digits(2), h < 24, m < 60, s < 61
    else { return nil }
    var fraction = 0.0
    var count = 0
    if take(".") {
      var scale = 0.1
      while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
        fraction += Double(bytes[index] - 0x30) * scale
        scale /= 10
        count += 1
        index += 1
      }
      guard count > 0 else { return nil }
    }
    return (h * 3600 + m * 60 + s, fraction, count)
  }

  /// `+0100`, `-0700` or, with `colon`, `+01:00`; in seconds east of UTC.
  mutating func numericOffset(colon: Bool) -> Int? {
    let sign: Int
    if take("+") {
      sign = 1
    } else if take("-") {
      sign = -1
    } else {
      return nil
    }
    guard let h = digits(2), !colon || take(":"), let m = digits(2) else { return nil }
    return sign * (h * 3600 + m * 60)
  }
}
