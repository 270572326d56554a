import Foundation
import Testing

@testable import PodmortemText

private let base = 1_795_741_323.0  // 2026-11-27T01:02:03Z

@Test func rfc3339WithVariableFractionWidths() {
  #expect(RFC3339.parse("2026-11-27T01:02:03Z")?.date.timeIntervalSince1970 == base)
  #expect(RFC3339.parse("2026-11-27T01:02:03.5Z")?.date.timeIntervalSince1970 == base + 0.5)
  let nano = RFC3339.parse(Array("2026-11-27T01:02:03.123456789Z".utf8)[...])?.date.timeIntervalSince1970
  #expect(abs((nano ?? 0) - (base + 0.123456789)) < 1e-6)
  // Go's parser takes a comma for the decimal point too.
  #expect(RFC3339.parse("2026-11-27T01:02:03,5Z")?.date.timeIntervalSince1970 == base + 0.5)
}

@Test func rfc3339Offsets() {
  let utc = RFC3339.parse("2026-11-27T01:02:03Z")?.date
  #expect(RFC3339.parse("2026-11-27T02:02:03+01:00")?.date == utc)
  #expect(RFC3339.parse("2026-11-26T20:02:03-0500")?.date == utc)
  #expect(RFC3339.parse("2026-11-26T20:32:03-04:30")?.date == utc)
  #expect(RFC3339.parse("2026-11-26T20:32:03-04:30")?.utcOffset == -16_200)
  #expect(RFC3339.parse("2026-11-27t01:02:03z")?.date == utc)
}

@Test(arguments: [
  "", "2026-11-27", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-27T01:02:03",
  "2026-11-27T01:02:03Zjunk", "2026-11-27 01:02:03Z", "2026-11-27T01:02:03.Z", "2026-11-27T25:02:03Z",
])
func rfc3339RejectsWhatIsNotOne(text: String) {
  #expect(RFC3339.parse(text) == nil)
}

@Test func spaceSeparatorOnlyWhenAsked() {
  #expect(RFC3339.parse("2026-11-27 01:02:03Z", options: .spaceSeparator)?.date.timeIntervalSince1970 == base)
  #expect(RFC3339.parse("2026-11-27 01:02:03Z") == nil)
}

@Test func precisionIsTheWrittenDigits() {
  #expect(RFC3339.parse("2026-11-27T01:02:03Z")?.fractionDigits == 0)
  #expect(RFC3339.parse("2026-11-27T01:02:03Z")?.unit == 1)
  let micro = RFC3339.parse("2026-11-27T01:02:03.000250Z")
  #expect(micro?.fractionDigits == 6)
  #expect(abs((micro?.unit ?? 0) - 1e-6) < 1e-12)
  #expect(RFC3339.parse("2026-11-27T01:02:03.12Z")?.fractionDigits == 2)
}

@Test func goZeroTimeIsParsedAndMarked() {
  let zero = RFC3339.parse("0001-01-01T00:00:00Z")
  #expect(zero?.isZero == true)
  #expect(RFC3339.parse("0001-01-01T00:00:00.5+01:00")?.isZero == true)
  #expect(RFC3339.parse("0001-01-01T00:00:01Z")?.isZero == false)
  #expect(RFC3339.parse("2026-11-27T01:02:03Z")?.isZero == false)
}
