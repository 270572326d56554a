import Foundation
import PodmortemModel

/// Parses the absolute times kubectl prints, by hand (no `DateFormatter` per call):
/// RFC1123Z in describe (§1.1), RFC3339 in JSON (§4.1) and Go's `time.Time.String()` in pre-1.12
/// watch tables (§3.1).
package enum Timestamps {
  /// `Fri, 27 Nov 2026 00:55:01 +0000` (any offset; `GMT`/`UTC` also accepted). The zero time
  /// `Mon, 01 Jan 0001 00:00:00 +0000` gives nil.
  package static func rfc1123Z(_ text: some StringProtocol) -> Date? { rfc1123Z(bytes: utf8Bytes(text)) }

  /// `Array(text.utf8)[...]`, copied at once from the contiguous bytes where there are some: the
  /// generic `Array.init` read the view a byte at a time through its witnesses (about 1,700
  /// instructions for a describe's `Start Time:` value; callgrind, docs/architecture.md "Speed of
  /// the describe path"). The same bytes (`TimestampsTests`).
  static func utf8Bytes(_ text: some StringProtocol) -> ArraySlice<UInt8> {
    (text.utf8.withContiguousStorageIfAvailable { Array($0) } ?? Array(text.utf8))[...]
  }

  private static func rfc1123Z(bytes b: ArraySlice<UInt8>) -> Date? {
    var i = b.startIndex + 3
    guard b.count > 3, b.prefix(3).allSatisfy(isLetter), TimeBytes.take(b, &i, 0x2C), TimeBytes.take(b, &i, 0x20),
      let day = TimeBytes.digits(b, &i, 2), TimeBytes.take(b, &i, 0x20), let month = month(b, &i),
      TimeBytes.take(b, &i, 0x20), let year = TimeBytes.digits(b, &i, 4), TimeBytes.take(b, &i, 0x20),
      let clock = TimeBytes.clock(b, &i), TimeBytes.take(b, &i, 0x20)
    else { return nil }
    let offset: Int
    if b[i...].elementsEqual("GMT".utf8) || b[i...].elementsEqual("UTC".utf8) {
      offset = 0
    } else {
      guard let o = TimeBytes.utcOffset(b, &i, colon: false), i == b.endIndex else { return nil }
      offset = o
    }
    return instant(year: year, month: month, day: day, secondsOfDay: clock.secondsOfDay, fraction: 0, offset: offset)
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
    // The bytes copied once for the three formats.
    let b = utf8Bytes(text)
    if let d = rfc1123Z(bytes: b) { return widen(d, digits: 0) }
    if let p = rfc3339WithPrecision(bytes: b) ?? goTimeWithPrecision(bytes: b) {
      return widen(p.date, digits: p.digits)
    }
    return nil
  }

  private static func widen(_ date: Date, digits: Int) -> TimeRange {
    let unit = pow(10, -Double(digits))
    return TimeRange(earliest: date, latest: date.addingTimeInterval(unit * 0.999))
  }

  private static func rfc3339WithPrecision(_ text: some StringProtocol) -> (date: Date, digits: Int)? {
    rfc3339WithPrecision(bytes: utf8Bytes(text))
  }

  private static func rfc3339WithPrecision(bytes: ArraySlice<UInt8>) -> (date: Date, digits: Int)? {
    guard let t = RFC3339.parse(bytes), !t.isZero else { return nil }
    return (t.date, t.fractionDigits)
  }

  private static func goTimeWithPrecision(_ text: some StringProtocol) -> (date: Date, digits: Int)? {
    goTimeWithPrecision(bytes: utf8Bytes(text))
  }

  private static func goTimeWithPrecision(bytes b: ArraySlice<UInt8>) -> (date: Date, digits: Int)? {
    var i = b.startIndex
    guard let (year, month, day) = TimeBytes.isoDate(b, &i), TimeBytes.take(b, &i, 0x20),
      let clock = TimeBytes.clock(b, &i), TimeBytes.take(b, &i, 0x20),
      let offset = TimeBytes.utcOffset(b, &i, colon: false), i == b.endIndex || TimeBytes.take(b, &i, 0x20),
      let d = instant(
        year: year, month: month, day: day, secondsOfDay: clock.secondsOfDay, fraction: clock.fraction, offset: offset)
    else { return nil }
    return (d, clock.digits)
  }

  /// Nil for Go's zero time (year 1, January 1st, midnight) and for dates that do not exist.
  private static func instant(
    year: Int, month: Int, day: Int, secondsOfDay: Int, fraction: Double, offset: Int
  ) -> Date? {
    guard year > 1 || month > 1 || day > 1 || secondsOfDay > 0 else { return nil }
    return CivilDate.instant(
      year: year, month: month, day: day, secondsOfDay: secondsOfDay, fraction: fraction, utcOffset: offset)
  }

  private static let months: [[UInt8]] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ].map { Array($0.utf8) }

  /// `Nov` → 11.
  private static func month(_ b: ArraySlice<UInt8>, _ i: inout Int) -> Int? {
    guard b.endIndex - i >= 3, let index = months.firstIndex(where: { b[i..<(i + 3)].elementsEqual($0) })
    else { return nil }
    i += 3
    return index + 1
  }

  private static func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
}
