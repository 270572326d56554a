import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemText

@Test func civilDaysMatchFoundation() {
  #expect(CivilDate.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
  #expect(CivilDate.daysFromCivil(year: 2026, month: 11, day: 27) == 20_784)
  #expect(CivilDate.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
  #expect(CivilDate.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
}

@Test(arguments: [(1970, 1, 1), (2024, 2, 29), (2024, 12, 31), (2025, 1, 1), (2100, 3, 1), (1999, 12, 31)])
func yearFromDaysInvertsDaysFromCivil(date: (Int, Int, Int)) {
  let days = CivilDate.daysFromCivil(year: date.0, month: date.1, day: date.2)
  #expect(CivilDate.year(fromDays: days) == date.0)
}

@Test func onlyDatesThatExistAreValid() {
  #expect(CivilDate.isValid(year: 2024, month: 2, day: 29))
  #expect(!CivilDate.isValid(year: 2026, month: 2, day: 29))
  #expect(!CivilDate.isValid(year: 2100, month: 2, day: 29))
  #expect(CivilDate.isValid(year: 2000, month: 2, day: 29))
  #expect(!CivilDate.isValid(year: 2026, month: 4, day: 31))
  #expect(!CivilDate.isValid(year: 2026, month: 13, day: 1))
  #expect(!CivilDate.isValid(year: 2026, month: 1, day: 0))
}

@Test func instantAppliesTheOffset() {
  let utc = CivilDate.instant(year: 2026, month: 11, day: 27, secondsOfDay: 3723)
  #expect(utc == Date(timeIntervalSince1970: 1_795_741_323))
  #expect(CivilDate.instant(year: 2026, month: 11, day: 27, secondsOfDay: 7323, utcOffset: 3600) == utc)
  #expect(CivilDate.instant(year: 2026, month: 2, day: 30, secondsOfDay: 0) == nil)
}

/// `civil(fromDays:)` against `daysFromCivil` and (from 1583) against Foundation's Gregorian
/// calendar in UTC, on seeded random day counts over years -9999…9999 and every day of the years
/// around the leap rules' edges (1600, 1700, 1900, 2000, 2100).
@Test func civilFromDaysInvertsDaysFromCivilAndMatchesFoundation() throws {
  var calendar = Calendar(identifier: .gregorian)
  calendar.timeZone = try #require(TimeZone(secondsFromGMT: 0))
  var random = SplitMix64(seed: 0xF100_0016)
  let lowest = CivilDate.daysFromCivil(year: -9999, month: 1, day: 1)
  let highest = CivilDate.daysFromCivil(year: 9999, month: 12, day: 31)
  var days = (0..<20_000).map { _ in lowest + random.below(highest - lowest + 1) }
  for year in [1600, 1700, 1900, 2000, 2100] {
    let first = CivilDate.daysFromCivil(year: year - 1, month: 12, day: 1)
    days += first..<(first + 430)
  }
  for day in days {
    let (year, month, dayOfMonth) = CivilDate.civil(fromDays: day)
    #expect(CivilDate.isValid(year: year, month: month, day: dayOfMonth))
    #expect(CivilDate.daysFromCivil(year: year, month: month, day: dayOfMonth) == day)
    #expect(CivilDate.year(fromDays: day) == year)
    // Foundation's Gregorian calendar is Julian before 15 October 1582.
    guard year >= 1583 else { continue }
    let parts = calendar.dateComponents(
      [.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400 + 43_200))
    #expect(parts.year == year && parts.month == month && parts.day == dayOfMonth, "\(day)")
  }
}
