import Testing

@testable import PodmortemText

private func bytes(_ text: String) -> ArraySlice<UInt8> { Array(text.utf8)[...] }

@Test func digitsReadExactlyTheirWidth() {
  let b = bytes("2026x")
  var i = 0
  #expect(TimeBytes.digits(b, &i, 4) == 2026 && i == 4)
  #expect(TimeBytes.digits(b, &i, 1) == nil)
  var j = 0
  #expect(TimeBytes.digits(bytes("12"), &j, 3) == nil)
}

@Test func fractionCountsEveryDigitButKeepsNanoseconds() {
  var i = 0
  let nano = TimeBytes.fraction(bytes(".1234567891Z"), &i)
  #expect(nano.digits == 10 && i == 11)
  #expect(abs(nano.value - 0.123456789) < 1e-12)
  var j = 0
  #expect(TimeBytes.fraction(bytes("Z"), &j) == (0, 0) && j == 0)
  var k = 0
  #expect(TimeBytes.fraction(bytes(",5"), &k) == (0, 0) && k == 0)
  #expect(TimeBytes.fraction(bytes(",5"), &k, comma: true) == (0.5, 1))
}

@Test func clockNeedsADigitAfterItsSeparator() {
  var i = 0
  let clock = TimeBytes.clock(bytes("01:02:03.25"), &i)
  #expect(clock?.secondsOfDay == 3723 && clock?.fraction == 0.25 && clock?.digits == 2)
  var j = 0
  #expect(TimeBytes.clock(bytes("01:02:03.Z"), &j) == nil)
  var k = 0
  #expect(TimeBytes.clock(bytes("24:00:00"), &k) == nil)
}

@Test func offsetsWithAndWithoutColon() {
  var i = 0
  #expect(TimeBytes.utcOffset(bytes("+01:30"), &i, colon: true) == 5400)
  var j = 0
  #expect(TimeBytes.utcOffset(bytes("-0430"), &j, colon: true) == -16_200)
  var k = 0
  #expect(TimeBytes.utcOffset(bytes("+01:30"), &k, colon: false) == nil)
}
