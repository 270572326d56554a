import Foundation
import PodmortemIngest
import Testing

@Suite struct LogTimeTests {
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
