import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemText

@Test func rfc1123ZWithAnyOffset() {
  #expect(Timestamps.rfc1123Z("Fri, 27 Nov 2026 00:55:01 +0000") == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(Timestamps.rfc1123Z("Fri, 27 Nov 2026 01:55:01 +0100") == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(Timestamps.rfc1123Z("Thu, 26 Nov 2026 16:55:01 -0800") == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(Timestamps.rfc1123Z("Wed, 15 Jan 2025 12:00:00 +0000") == Date(timeIntervalSince1970: 1_736_942_400))
  #expect(Timestamps.rfc1123Z("Fri, 27 Nov 2026 00:55:01 GMT") == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(Timestamps.rfc1123Z("Fri, 27 Nov 2026 00:55") == nil)
}

@Test func zeroTimeIsNil() {
  #expect(Timestamps.rfc1123Z("Mon, 01 Jan 0001 00:00:00 +0000") == nil)
  #expect(Timestamps.isZero("Mon, 01 Jan 0001 00:00:00 +0000"))
  #expect(Timestamps.rfc3339("0001-01-01T00:00:00Z") == nil)
  #expect(!Timestamps.isZero("Fri, 27 Nov 2026 00:55:01 +0000"))
}

@Test func rfc3339WithAndWithoutFraction() {
  #expect(Timestamps.rfc3339("2026-11-27T00:55:01Z") == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(Timestamps.rfc3339("2026-11-27T01:55:01+01:00") == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(Timestamps.rfc3339("2026-11-27T00:55:01.250000Z") == Date(timeIntervalSince1970: 1_795_740_901.25))
  #expect(Timestamps.rfc3339("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
  #expect(Timestamps.rfc3339("2026-11-27 00:55:01Z") == nil)
  #expect(Timestamps.rfc3339("2026-13-27T00:55:01Z") == nil)
  #expect(Timestamps.rfc3339("2026-11-27T00:55:01") == nil)
}

@Test func goTimeString() {
  #expect(Timestamps.goTime("2018-03-01 10:11:12.123 +0000 UTC") == Date(timeIntervalSince1970: 1_519_899_072.123))
  #expect(Timestamps.goTime("2018-03-01 11:11:12 +0100 CET") == Date(timeIntervalSince1970: 1_519_899_072))
  #expect(Timestamps.goTime("2018-03-01 10:11:12 +0000 UTC m=+0.001") == Date(timeIntervalSince1970: 1_519_899_072))
  #expect(Timestamps.goTime("2018-03-01T10:11:12Z") == nil)
}

@Test func parsePicksTheFormat() {
  #expect(Timestamps.parse("2018-03-01 10:11:12 +0000 UTC") == Date(timeIntervalSince1970: 1_519_899_072))
  #expect(Timestamps.parse("Thu, 01 Mar 2018 10:11:12 +0000") == Date(timeIntervalSince1970: 1_519_899_072))
  #expect(Timestamps.parse("2018-03-01T10:11:12Z") == Date(timeIntervalSince1970: 1_519_899_072))
  #expect(Timestamps.parse("yesterday") == nil)
}

@Test func rangeKeepsThePrecisionOfThePrintedTime() {
  let seconds = Timestamps.range("Fri, 27 Nov 2026 00:55:01 +0000")
  #expect(seconds?.earliest == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(seconds.map { abs($0.width - 0.999) < 1e-6 } == true)
  let micros = Timestamps.range("2026-11-27T00:55:01.123456Z")
  #expect(micros.map { $0.width < 1e-5 } == true)
}

/// `Timestamps.utf8Bytes` copies the contiguous bytes at once where the parsers copied the view
/// with `Array(text.utf8)`: the same bytes for strings and substrings of every shape, so the
/// parsers read what they read before (docs/architecture.md "Speed of the describe path"); and
/// `range` reading the bytes once for its three formats answers as each format's own parser.
@Suite struct TimestampBytesTests {
  static let pieces = [
    "Fri, 27 Nov 2026 00:55:01 +0000", "2026-11-27T01:02:03.123456Z", "2018-03-01 10:11:12.123 +0000 UTC",
    "Mon, 01 Jan 0001 00:00:00 +0000", "0001-01-01T00:00:00Z", " ", "\t", ",", ":", "+", "0", "9", "GMT", "UTC",
    "\u{212A}", "İ", "e\u{301}", "\u{0}", "\r", "é", "\u{A0}", "Nov", "27", "2026",
  ]

  static func texts() -> [Substring] {
    var rng = SplitMix64(seed: 0x7153_7A4D)
    var texts: [Substring] = ["", "Fri, 27 Nov 2026 00:55:01 +0000", String(repeating: "9", count: 100_000)[...]]
    for _ in 0..<5_000 {
      var text = ""
      for _ in 0..<rng.below(5) { text += pieces[rng.below(pieces.count)] }
      // Cut at a random byte now and then (a line cut mid-value), repaired as a reader repairs.
      if rng.below(4) == 0, !text.isEmpty {
        text = String(decoding: Array(text.utf8).prefix(rng.below(text.utf8.count)), as: UTF8.self)
      }
      // A slice of a longer string, as a field's value is.
      texts.append(("  " + text + " ").dropFirst(2).dropLast())
    }
    return texts
  }

  @Test func bytesAreTheViewsBytes() {
    for text in Self.texts() {
      #expect(Timestamps.utf8Bytes(text) == Array(text.utf8)[...])
      #expect(Timestamps.utf8Bytes(String(text)) == Array(String(text).utf8)[...])
      #expect(Timestamps.utf8Bytes(text).startIndex == 0)
    }
  }

  @Test func rangeAnswersAsEachFormat() {
    var parsed = 0
    for text in Self.texts() {
      let range = Timestamps.range(text)
      #expect(range == Timestamps.range(String(text)))
      // The format that reads it gives the earliest moment; none reads it, no range.
      let date = Timestamps.rfc1123Z(text) ?? Timestamps.rfc3339(text) ?? Timestamps.goTime(text)
      #expect(range?.earliest == date, "\(text)")
      if range != nil { parsed += 1 }
    }
    #expect(parsed > 100)
  }
}
