import Foundation
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
