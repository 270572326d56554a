import Foundation

/// Calendar arithmetic without `Calendar`: proleptic Gregorian dates to day counts and back, exact
/// and cheap enough to run on every log line.
package enum CivilDate {
  /// Days from 1970-01-01 to a date (H. Hinnant's `days_from_civil`).
  package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The year of a day count from 1970-01-01 (the inverse of `daysFromCivil`, year only).
  package static func year(fromDays days: Int) -> Int { civil(fromDays: days).year }

  /// The date of a day count from 1970-01-01 (H. Hinnant's `civil_from_days`, the inverse of
  /// `daysFromCivil`).
  package static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthFromMarch = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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

  /// True when the date exists: month 1…12 and a day that month has (no 30 February).
  package static func isValid(year: Int, month: Int, day: Int) -> Bool {
    (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
  }

  /// The instant a reading names at a fixed offset east of UTC; nil when the date does not exist.
  package static func instant(
    year: Int, month: Int, day: Int, secondsOfDay: Int, fraction: Double = 0, utcOffset: Int = 0
  ) -> Date? {
    guard isValid(year: year, month: month, day: day) else { return nil }
    let whole = daysFromCivil(year: year, month: month, day: day) * 86_400 + secondsOfDay - utcOffset
    return Date(timeIntervalSince1970: Double(whole) + fraction)
  }
}
