import Foundation
import PodmortemIngest
import Testing

@Suite struct LogTimeTests {
  @Test func civilDaysMatchFoundation() {
    #expect(LogTime.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
    #expect(LogTime.daysFromCivil(year: 2026, month: 11, day: 27) == 20_784)
    #expect(LogTime.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
    #expect(LogTime.daysFromCivil(year: 1969, month: 12, day: 31) == -1)
  }

  @Test(arguments: [(1970, 1, 1), (2024, 2, 29), (2024, 12, 31), (2025, 1, 1), (2100, 3, 1), (1999, 12, 31)])
  func yearFromDaysInvertsDaysFromCivil(date: (Int, Int, Int)) {
    let days = LogTime.daysFromCivil(year: date.0, month: date.1, day: date.2)
    #expect(LogTime.year(fromDays: days) == date.0)
  }

  @Test func rfc3339WithVariableFractionWidths() {
    let base = 1_795_741_323.0  // 2026-11-27T01:02:03Z
    #expect(LogTime.parseRFC3339(Array("2026-11-27T01:02:03Z".utf8)[...])?.timeIntervalSince1970 == base)
    let short = LogTime.parseRFC3339(Array("2026-11-27T01:02:03.5Z".utf8)[...])?.timeIntervalSince1970
    #expect(short == base + 0.5)
    let nano = LogTime.parseRFC3339(Array("2026-11-27T01:02:03.123456789Z".utf8)[...])?.timeIntervalSince1970
    #expect(abs((nano ?? 0) - (base + 0.123456789)) < 1e-6)
  }

  @Test func rfc3339Offsets() {
    let utc = LogTime.parseRFC3339(Array("2026-11-27T01:02:03Z".utf8)[...])
    #expect(LogTime.parseRFC3339(Array("2026-11-27T02:02:03+01:00".utf8)[...]) == utc)
    #expect(LogTime.parseRFC3339(Array("2026-11-26T20:02:03-0500".utf8)[...]) == utc)
  }

  @Test(arguments: [
    "", "2026-11-27", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-27T01:02:03",
    "2026-11-27T01:02:03Zjunk", "2026-11-27 01:02:03Z",
  ])
  func rfc3339RejectsWhatIsNotOne(text: String) {
    #expect(LogTime.parseRFC3339(Array(text.utf8)[...]) == nil)
  }

  @Test func yearIsTheCaptureYearForLinesBeforeTheCapture() {
    let inference = YearInference(anchor: instant("2026-11-27T04:00:00Z"), zone: LogTime.utc)
    let date = inference.instant(month: 11, day: 27, hour: 1, minute: 2, second: 3, fraction: 0.456789)
    #expect(abs((date?.timeIntervalSince1970 ?? 0) - 1_795_741_323.456789) < 1e-5)
  }

  @Test func aLineMoreThanADayAheadBelongsToThePreviousYear() {
    let inference = YearInference(anchor: instant("2027-01-02T00:00:00Z"), zone: LogTime.utc)
    #expect(
      inference.instant(month: 12, day: 31, hour: 23, minute: 0, second: 0, fraction: 0)
        == instant("2026-12-31T23:00:00Z"))
    // Up to a day ahead stays in the capture year (clock skew, a capture time a little early).
    #expect(
      inference.instant(month: 1, day: 2, hour: 12, minute: 0, second: 0, fraction: 0)
        == instant("2027-01-02T12:00:00Z"))
  }

  @Test func leapDayFallsBackToALeapYear() {
    let inference = YearInference(anchor: instant("2026-03-01T00:00:00Z"), zone: LogTime.utc)
    #expect(inference.instant(month: 2, day: 29, hour: 0, minute: 0, second: 0, fraction: 0) == nil)
    let leap = YearInference(anchor: instant("2029-01-10T00:00:00Z"), zone: LogTime.utc)
    #expect(
      leap.instant(month: 2, day: 29, hour: 0, minute: 0, second: 0, fraction: 0)
        == instant("2028-02-29T00:00:00Z"))
  }

  @Test func zoneShiftsTheInstant() throws {
    let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
    let inference = YearInference(anchor: instant("2026-11-27T04:00:00Z"), zone: berlin)
    #expect(
      inference.instant(month: 11, day: 27, hour: 2, minute: 0, second: 0, fraction: 0)
        == instant("2026-11-27T01:00:00Z"))
    #expect(
      inference.instant(month: 7, day: 1, hour: 2, minute: 0, second: 0, fraction: 0)
        == instant("2026-07-01T00:00:00Z"))
  }
}
