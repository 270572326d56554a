import Foundation
import PodmortemIngest
import Testing

@Suite struct LogTimeTests {
  @Test func yearIsTheCaptureYearForLinesBeforeTheCapture() {
    let inference = YearInference(anchor: instant("2026-11-27T04:00:00Z"), zone: LogTime.utc)
    let date = inference.instant(month: 11, day: 27, hour: 1, minute: 2, second: 3, fraction: 0.456789)
    #expect(abs((date?.timeIntervalSince1970 ?? 0) - 1_795_741_323.456789) < 1e-5)
  }

  /// The inference asks its zone once whether its offset is fixed; the answer for every reading is
  /// the one asking the zone each time gives (`LogTime.instant(…zone:)`). Seeded random readings,
  /// invalid ones among them, in UTC, a fixed offset and zones with daylight saving time.
  @Test(arguments: ["UTC", "GMT+0530", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"])
  func askingTheZoneOnceGivesTheSameInstants(zoneName: String) throws {
    let zone = try #require(
      zoneName == "GMT+0530" ? TimeZone(secondsFromGMT: 19_800) : TimeZone(identifier: zoneName))
    var state: UInt64 = 0x5EED_1016 &+ UInt64(zoneName.utf8.count)
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let anchor = Date(timeIntervalSince1970: 1_795_740_000 + Double(next(40_000_000)))
    let inference = YearInference(anchor: anchor, zone: zone)
    let year = LogTime.year(of: anchor, in: zone)
    for _ in 0..<2_000 {
      let (month, day, hour) = (1 + next(13), 1 + next(32), next(25))
      let (minute, second, fraction) = (next(61), next(62), Double(next(1_000_000)) / 1e6)
      var expected = LogTime.instant(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction, zone: zone)
      if let date = expected, date.timeIntervalSince(anchor) <= 86_400 {
      } else {
        expected = LogTime.instant(
          year: year - 1, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
          zone: zone)
      }
      let got = inference.instant(
        month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction)
      #expect(got == expected, "\(month)-\(day) \(hour):\(minute):\(second)")
    }
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
