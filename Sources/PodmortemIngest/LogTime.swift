import Foundation

/// Clock arithmetic for log timestamps: civil dates to instants without `Calendar` (exact and cheap
/// enough to run on every line), RFC 3339 with any number of fraction digits, and the year that
/// klog and journald leave out (REFERENCE.md §10.1).
package enum LogTime {
  /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
  package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The civil year of a day count from 1970-01-01 (the inverse of `daysFromCivil`, year only).
  package static func year(fromDays days: Int) -> Int {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthFromMarch = (5 * dayOfYear + 2) / 153
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    return yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  package static func isLeapYear(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  package static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// The instant a wall-clock reading in `zone` names, or nil when the reading is not a valid date
  /// (month 13, 30 February, hour 25).
  package static func instant(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double = 0,
    zone: TimeZone
  ) -> Date? {
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), (0...23).contains(hour),
      (0...59).contains(minute), (0...60).contains(second)
    else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let local = Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction
    if zone.nextDaylightSavingTimeTransition == nil {
      return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT()))
    }
    // The offset depends on the instant; take it twice so a reading next to a DST change settles.
    let first = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
    return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: first))))
  }

  /// The calendar year `date` falls in, read in `zone`.
  package static func year(of date: Date, in zone: TimeZone) -> Int {
    let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
    return year(fromDays: Int((local / 86_400).rounded(.down)))
  }

  /// Parses an RFC 3339 timestamp with any number of fraction digits (containerd trims trailing
  /// zeros, §10.2). The zone is `Z`, `±hh:mm` or `±hhmm` (journalctl's short-iso).
  package static func parseRFC3339(_ b: ArraySlice<UInt8>) -> Date? {
    var i = b.startIndex
    guard let year = digits(b, &i, 4), expect(b, &i, 0x2D), let month = digits(b, &i, 2), expect(b, &i, 0x2D),
      let day = digits(b, &i, 2), i < b.endIndex, b[i] == 0x54 || b[i] == 0x74
    else { return nil }
    i += 1
    guard let hour = digits(b, &i, 2), expect(b, &i, 0x3A), let minute = digits(b, &i, 2), expect(b, &i, 0x3A),
      let second = digits(b, &i, 2)
    else { return nil }
    let fraction = fractionDigits(b, &i)
    guard i < b.endIndex else { return nil }
    var offset = 0
    switch b[i] {
    case 0x5A, 0x7A:
      i += 1
    case 0x2B, 0x2D:
      let sign = b[i] == 0x2D ? -1 : 1
      i += 1
      guard let oh = digits(b, &i, 2) else { return nil }
      if i < b.endIndex, b[i] == 0x3A { i += 1 }
      guard let om = digits(b, &i, 2) else { return nil }
      offset = sign * (oh * 3_600 + om * 60)
    default:
      return nil
    }
    guard i == b.endIndex,
      let local = instant(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
        zone: utc)
    else { return nil }
    return local.addingTimeInterval(Double(-offset))
  }

  package static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

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

  /// Reads `.ddd…` if present and returns its value; digits past nanoseconds are skipped.
  package static func fractionDigits(_ b: ArraySlice<UInt8>, _ i: inout Int) -> Double {
    guard i < b.endIndex, b[i] == 0x2E else { return 0 }
    i += 1
    var value = 0
    var scale = 1
    while i < b.endIndex, b[i] >= 0x30, b[i] <= 0x39 {
      if scale < 1_000_000_000 {
        value = value * 10 + Int(b[i] - 0x30)
        scale *= 10
      }
      i += 1
    }
    return Double(value) / Double(scale)
  }

  private static func expect(_ b: ArraySlice<UInt8>, _ i: inout Int, _ byte: UInt8) -> Bool {
    guard i < b.endIndex, b[i] == byte else { return false }
    i += 1
    return true
  }
}

/// Gives a year to timestamps that have none (klog headers, journald's short format).
///
/// The year is the anchor's year unless that would put the line more than a day after the anchor,
/// in which case it is the year before: a log read on 2 January holds December lines (§10.1).
package struct YearInference: Sendable {
  package var anchor: Date
  package var zone: TimeZone
  private let anchorYear: Int

  package init(anchor: Date, zone: TimeZone) {
    self.anchor = anchor
    self.zone = zone
    self.anchorYear = LogTime.year(of: anchor, in: zone)
  }

  package func instant(month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double) -> Date? {
    if let date = LogTime.instant(
      year: anchorYear, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      zone: zone), date.timeIntervalSince(anchor) <= 86_400
    {
      return date
    }
    return LogTime.instant(
      year: anchorYear - 1, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      zone: zone)
  }
}
