import Foundation
import PodmortemModel
import PodmortemText
import Testing

/// Durations and ages past any Kubernetes value are refused where they are parsed, and the
/// conversions used for display never trap.
@Suite struct RangeLimitTests {
  @Test func goDurationsPast100YearsAreRefused() {
    #expect(Durations.goDuration("18446744073709551615s") == nil)
    #expect(Durations.goDuration("9999999999999h") == nil)
    #expect(Durations.goDuration("-18446744073709551615s") == nil)
    #expect(Durations.goDuration("5m0s") == 300)
    #expect(Durations.goDuration("1000h") == 3_600_000)
  }

  @Test func agesPast100YearsAreRefused() {
    #expect(Durations.human("999999999y") == nil)
    #expect(Durations.shortHuman("999999999y") == nil)
    #expect(Durations.compound("999999999d") == nil)
    #expect(Durations.human("5y")?.range != nil)
    #expect(Durations.compound("36000d")?.range != nil)
  }

  @Test func saturatingConversionsNeverTrap() {
    #expect(Int(saturating: .nan) == 0)
    #expect(Int(saturating: .infinity) == .max)
    #expect(Int(saturating: -.infinity) == .min)
    #expect(Int(saturating: 1e300) == .max)
    #expect(Int(saturating: -42.9) == -42)
    #expect(ClosedRange.ordered(5.0, 1.0) == 1.0...5.0)
    #expect(ClosedRange.ordered(.nan, 3.0) == 0.0...3.0)
  }

  @Test func plausibleTimesAndFields() {
    #expect(Plausible.date(secondsSince1970: 1e19) == nil)
    #expect(Plausible.date(secondsSince1970: .nan) == nil)
    #expect(Plausible.date(secondsSince1970: .infinity) == nil)
    #expect(Plausible.date(secondsSince1970: 1_700_000_000) == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(Plausible.int32("2147483647") == 2_147_483_647)
    #expect(Plausible.int32("2147483648") == nil)
    #expect(Plausible.int32("9223372036854775807") == nil)
  }
}
