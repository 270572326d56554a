import Foundation
import PodmortemInput
import Testing

/// `DOSTime.date` counts days by hand; the reference is the `Calendar` code it replaced
/// (Foundation's lenient Gregorian calendar in ICU's "UTC" zone). Every one of the 65,536 date
/// fields with a seeded random time field, and every time field with a seeded random date field,
/// out-of-range months, days, hours, minutes and seconds among them.
@Suite struct DOSTimeTests {
  private static func reference(date: UInt16, time: UInt16) -> Date? {
    var components = DateComponents()
    components.year = 1980 + Int(date >> 9)
    components.month = Int((date >> 5) & 0xF)
    components.day = Int(date & 0x1F)
    components.hour = Int(time >> 11)
    components.minute = Int((time >> 5) & 0x3F)
    components.second = Int(time & 0x1F) * 2
    var calendar = Calendar(identifier: .gregorian)
    guard let utc = TimeZone(identifier: "UTC") else { return nil }
    calendar.timeZone = utc
    return calendar.date(from: components)
  }

  @Test func everyDateAndEveryTimeAsTheCalendarCountsThem() {
    // A seeded linear congruential generator (Knuth's MMIX constants): this target has no
    // PodmortemTestSupport.
    var state: UInt64 = 0xF100_3016
    func next() -> UInt16 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt16(truncatingIfNeeded: state >> 40)
    }
    var mismatches = 0
    for field in 0...Int(UInt16.max) {
      let pairs = [
        (UInt16(field), next()),
        (next(), UInt16(field)),
      ]
      for (date, time) in pairs where DOSTime.date(date: date, time: time) != Self.reference(date: date, time: time) {
        mismatches += 1
        if mismatches <= 5 { Issue.record("date \(date) time \(time)") }
      }
    }
    #expect(mismatches == 0)
  }
}
