import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

/// `ISOTime.milliseconds` writes what `Date.ISO8601FormatStyle(includingFractionalSeconds: true,
/// timeZone: .gmt)` writes: seeded random instants over 1970–9999 with fractions (near whole
/// seconds and near whole milliseconds among them, and the microseconds klog writes); not finite
/// and far out-of-range times must not trap.
@Suite struct ISOTimeTests {
  @Test func writesWhatTheFormatStyleWrites() {
    let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    var random = SplitMix64(seed: 0xF100_4016)
    var mismatches = 0
    for i in 0..<40_000 {
      let whole =
        i % 2 == 0 ? 1_577_836_800 + random.below(946_080_000) : random.below(253_402_300_800)
      let fraction: Double =
        switch random.below(5) {
        case 0: Double(random.below(1_000_000)) / 1e6
        case 1: 1 - 1 / Double(1 << (10 + random.below(40)))
        case 2: Double(random.below(1_000)) / 1e3 + Double(random.below(3)) * 1e-9
        case 3: 1 / Double(1 << (10 + random.below(40)))
        default: Double(random.below(1_000_000_000)) / 1e9
        }
      let date = Date(timeIntervalSince1970: Double(whole) + fraction)
      guard let text = ISOTime.milliseconds(date) else {
        Issue.record("nil for \(whole) + \(fraction)")
        continue
      }
      if text != date.formatted(style) {
        mismatches += 1
        if mismatches <= 5 { Issue.record("\(whole) + \(fraction): \(text) != \(date.formatted(style))") }
      }
    }
    #expect(mismatches == 0)
  }

  @Test func hostileTimesAreLeftToTheFormatStyle() {
    for seconds in [Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18, -9.3e18, -0.5, 253_402_300_800] {
      #expect(ISOTime.milliseconds(Date(timeIntervalSince1970: seconds)) == nil)
    }
  }
}
