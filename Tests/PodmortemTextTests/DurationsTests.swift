import Foundation
import PodmortemModel
import Testing

@testable import PodmortemText

/// One band boundary of HumanDuration: the text and the range of seconds it must invert to.
struct Band: Sendable, CustomTestStringConvertible {
  var text: String
  var min: Double
  var unit: Double
  var testDescription: String { text }
}

private let m = 60.0
private let h = 3600.0
private let d = 86400.0
private let y = 365 * 86400.0

private let humanBands: [Band] = [
  Band(text: "1s", min: 1, unit: 1),
  Band(text: "90s", min: 90, unit: 1),
  Band(text: "119s", min: 119, unit: 1),
  Band(text: "2m", min: 120, unit: 1),
  Band(text: "2m30s", min: 150, unit: 1),
  Band(text: "5m", min: 300, unit: 1),
  Band(text: "5m0s", min: 300, unit: 1),
  Band(text: "9m59s", min: 599, unit: 1),
  Band(text: "10m", min: 600, unit: m),
  Band(text: "15m", min: 900, unit: m),
  Band(text: "179m", min: 179 * m, unit: m),
  Band(text: "3h", min: 3 * h, unit: m),
  Band(text: "3h15m", min: 3 * h + 15 * m, unit: m),
  Band(text: "7h59m", min: 7 * h + 59 * m, unit: m),
  Band(text: "8h", min: 8 * h, unit: h),
  Band(text: "47h", min: 47 * h, unit: h),
  Band(text: "2d", min: 2 * d, unit: h),
  Band(text: "2d3h", min: 2 * d + 3 * h, unit: h),
  Band(text: "7d23h", min: 7 * d + 23 * h, unit: h),
  Band(text: "8d", min: 8 * d, unit: d),
  Band(text: "400d", min: 400 * d, unit: d),
  Band(text: "729d", min: 729 * d, unit: d),
  Band(text: "2y", min: 2 * y, unit: d),
  Band(text: "3y12d", min: 3 * y + 12 * d, unit: d),
  Band(text: "2y0d", min: 2 * y, unit: d),
  Band(text: "7y364d", min: 7 * y + 364 * d, unit: d),
  Band(text: "8y", min: 8 * y, unit: y),
  Band(text: "12y", min: 12 * y, unit: y),
]

@Test(arguments: humanBands)
func humanDurationInvertsEachBandWithItsPrecision(_ band: Band) throws {
  let range = try #require(Durations.human(band.text)?.range)
  #expect(range.minSeconds == band.min)
  #expect(abs(range.maxSeconds - (band.min + band.unit - 0.001)) < 1e-6)
}

@Test func fiveMinutesAndFifteenMinutesHaveDifferentPrecision() throws {
  let five = try #require(Durations.human("5m")?.range)
  let fifteen = try #require(Durations.human("15m")?.range)
  #expect(abs(five.maxSeconds - 300.999) < 1e-9)
  #expect(abs(fifteen.maxSeconds - 959.999) < 1e-9)
}

@Test(arguments: [
  "120s", "1m", "1m30s", "10m5s", "180m", "2h", "2h30m", "8h5m", "48h", "1d", "8d2h", "730d", "1y", "8y3d", "5x", "m5",
  "5s3m", "", "5", "1h1h",
])
func humanDurationRejectsTextItCannotPrint(_ text: String) {
  #expect(Durations.human(text) == nil)
}

@Test func specialAgesAreNamed() throws {
  #expect(Durations.human("<unknown>") == .unknown)
  #expect(Durations.human("<invalid>") == .future)
  #expect(Durations.shortHuman("<invalid>") == .future)
  let zero = try #require(Durations.human("0s")?.range)
  #expect(zero.minSeconds < 0 && zero.minSeconds > -2)
  #expect(zero.maxSeconds == 0.999)
}

@Test func shortHumanDurationIsSingleUnitWithCoarsePrecision() throws {
  let ten = try #require(Durations.shortHuman("10m")?.range)
  #expect(ten.minSeconds == 600)
  #expect(abs(ten.maxSeconds - 659.999) < 1e-9)
  #expect(Durations.shortHuman("59s")?.range == AgeRange(value: 59, unit: 1))
  #expect(Durations.shortHuman("3h")?.range == AgeRange(value: 3 * h, unit: h))
  #expect(Durations.shortHuman("5d")?.range == AgeRange(value: 5 * d, unit: d))
  #expect(Durations.shortHuman("2y")?.range == AgeRange(value: 2 * y, unit: y))
  #expect(Durations.shortHuman("60s") == nil)
  #expect(Durations.shortHuman("2m30s") == nil)
}

@Test func goDurationsBecomeSeconds() {
  #expect(Durations.goDuration("5m0s") == 300)
  #expect(Durations.goDuration("1m20s") == 80)
  #expect(Durations.goDuration("300ms") == 0.3)
  #expect(Durations.goDuration("1h0m0s") == 3600)
  #expect(Durations.goDuration("1.5s") == 1.5)
  #expect(Durations.goDuration("2m3s") == 123)
  #expect(Durations.goDuration("40s") == 40)
  #expect(Durations.goDuration("2h0m0s") == 7200)
  #expect(Durations.goDuration("500ms") == 0.5)
  #expect(Durations.goDuration("0s") == 0)
  #expect(Durations.goDuration("0") == 0)
  #expect(Durations.goDuration("-10s") == -10)
  #expect(Durations.goDuration("10µs") == 0.00001)
  #expect(Durations.goDuration("5 m") == nil)
  #expect(Durations.goDuration("abc") == nil)
  #expect(Durations.goDuration("5x") == nil)
  #expect(Durations.goDuration("") == nil)
}

@Test func anAgeIsAnIntervalBeforeTheCaptureTime() throws {
  let now = CaptureTime(date: Date(timeIntervalSince1970: 1_000_000), origin: .flag)
  let range = try #require(Durations.human("15m")?.timeRange(before: now))
  #expect(range.latest == Date(timeIntervalSince1970: 1_000_000 - 900))
  #expect(abs(range.earliest.timeIntervalSince1970 - (1_000_000 - 959.999)) < 1e-6)
  #expect(Durations.human("<unknown>")?.timeRange(before: now) == nil)
}

@Test func compoundAgesFromConsolesArePreciseToTheirSmallestUnit() throws {
  let age = try #require(Durations.compound("21h13m")?.range)
  #expect(age.minSeconds == 21 * 3600 + 13 * 60 && age.maxSeconds < 21 * 3600 + 14 * 60)
  #expect(Durations.compound("13m21h") == nil && Durations.compound("h") == nil && Durations.compound("") == nil)
  #expect(Durations.compound("9999999999h") == nil)
}
