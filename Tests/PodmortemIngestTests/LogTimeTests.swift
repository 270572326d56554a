import Foundation
import PodmortemIngest
import PodmortemTestSupport
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

/// The capture time in the kubelet parser's note, written by hand: the string
/// `ISO8601DateFormatter` (`.withInternetDateTime`) writes, on seeded random instants with
/// fractions (near whole seconds among them) over the years 1–9999 and beyond, in UTC, fixed
/// offsets east and west, and zones with daylight saving time; times that are not finite or far
/// out of range must not trap.
@Suite struct InternetDateTimeTests {
  static let zones: [TimeZone] =
    [
      LogTime.utc, TimeZone(identifier: "UTC"), TimeZone(secondsFromGMT: 19_800), TimeZone(secondsFromGMT: -36_000),
      TimeZone(secondsFromGMT: 50_400), TimeZone(secondsFromGMT: -43_200), TimeZone(secondsFromGMT: 3_600 + 45 * 60),
      TimeZone(identifier: "Europe/Berlin"), TimeZone(identifier: "America/St_Johns"),
    ].compactMap { $0 }

  @Test func writesWhatFoundationsFormatterWrites() {
    var random = SplitMix64(seed: 0xF100_1016)
    // 0001-01-01 … 9999-12-31 in seconds since 1970, and two days either side.
    let lowest = -62_135_596_800 - 172_800
    let highest = 253_402_300_800 + 172_800
    for zone in Self.zones {
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime]
      formatter.timeZone = zone
      for i in 0..<4_000 {
        let whole =
          i % 4 == 0
          ? 946_684_800 + random.below(3_155_760_000)  // 2000…2099, where capture times are
          : lowest + random.below(highest - lowest)
        let fraction: Double =
          switch random.below(4) {
          case 0: 0
          case 1: 1 - 1 / Double(1 << (10 + random.below(40)))
          case 2: 1 / Double(1 << (10 + random.below(40)))
          default: Double(random.below(1_000_000_000)) / 1e9
          }
        let date = Date(timeIntervalSince1970: Double(whole) + fraction)
        #expect(
          LogTime.internetDateTime(date, zone: zone) == formatter.string(from: date),
          "\(zone.identifier) \(whole) + \(fraction)")
      }
    }
  }

  @Test func hostileTimesDoNotTrap() {
    for seconds in [
      Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18, -9.3e18, Double(Int.max), Double(Int.min),
    ] {
      for offset in [0, 3_600, -3_600, 59, 90_000, Int.max, Int.min] {
        #expect(LogTime.internetDateTime(Date(timeIntervalSince1970: seconds), offset: offset) == nil)
      }
    }
  }

  /// `LogTime.utc` (a fixed offset, no ICU) is UTC as ICU's "UTC" zone has it.
  @Test func fixedUTCIsUTC() throws {
    let icu = try #require(TimeZone(identifier: "UTC"))
    var random = SplitMix64(seed: 0xF100_2016)
    #expect(LogTime.fixedOffset(of: LogTime.utc) == 0)
    #expect(LogTime.fixedOffset(of: icu) == 0)
    for _ in 0..<1_000 {
      let date = Date(timeIntervalSince1970: Double(random.below(600_000_000_000)) - 300_000_000_000)
      #expect(LogTime.utc.secondsFromGMT(for: date) == icu.secondsFromGMT(for: date))
      #expect(LogTime.year(of: date, in: LogTime.utc) == LogTime.year(of: date, in: icu))
    }
  }
}
