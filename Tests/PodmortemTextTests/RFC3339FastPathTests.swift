import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `RFC3339.parse(_ text: String, options:)` reads a whole-second UTC time from the string's bytes
/// (`wholeSecondUTC`) and everything else as before; the reference is what it did before, the
/// general reading of the text copied into an array (docs/architecture.md "Speed of the EventList
/// path").
@Suite struct RFC3339FastPathTests {
  /// The reading before the fast path, kept as the reference.
  private static func reference(_ text: String, _ options: RFC3339.Options) -> RFC3339.Time? {
    RFC3339.parse(Array(text.utf8)[...], options: options)
  }

  /// The same answer, to the bit of the instant.
  private static func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for options in [RFC3339.Options(), .spaceSeparator] {
      let new = RFC3339.parse(text, options: options)
      let old = reference(text, options)
      #expect(new == old, "\(text.debugDescription) \(options.rawValue)", sourceLocation: sourceLocation)
      #expect(
        new?.date.timeIntervalSince1970.bitPattern == old?.date.timeIntervalSince1970.bitPattern,
        "\(text.debugDescription)", sourceLocation: sourceLocation)
      #expect(new?.unit == old?.unit, sourceLocation: sourceLocation)
    }
  }

  @Test func unitOfWholeSecondsIsOneAsPowGivesIt() {
    for digits in 0...12 {
      let time = RFC3339.Time(date: Date(), fractionDigits: digits, utcOffset: 0, isZero: false)
      #expect(time.unit == pow(10, -Double(min(digits, 9))))
    }
    #expect(pow(10, -Double(0)) == 1)
  }

  @Test func readsTheShapesItTakesAsTheReference() {
    for text in [
      "2026-11-27T01:02:03Z", "2026-11-27t01:02:03z", "2026-11-27 01:02:03Z", "0001-01-01T00:00:00Z",
      "0000-01-01T00:00:00Z", "9999-12-31T23:59:60Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z", "2000-02-29T12:00:00Z", "2026-00-10T00:00:00Z", "2026-13-10T00:00:00Z",
      "2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T23:60:00Z",
      "2026-11-27T23:59:61Z", "2026-11-27T23:59:60Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
      "2026-11-27X01:02:03Z", "2026-11-27T01:02:03+", "2026-11-27T01:02:03.Z", "2026-11-27T01:02:0.3Z",
      "2026-11-27T01:02:03", "2026-11-27T01:02:03Zx", "2026-11-27T01:02:03.5Z", "2026-11-27T02:02:03+01:00",
      "+026-11-27T01:02:03Z", "2026-11-27T01:02:-3Z", "2026/11/27T01:02:03Z", "", "Z",
    ] {
      Self.expectSame(text)
    }
  }

  @Test func readsEveryTokenOfTheSamplesAsTheReference() throws {
    var times = 0
    for file in ShippedSamples.contents() {
      let text = String(decoding: file.data, as: UTF8.self)
      for token in text.split(whereSeparator: { $0 == "\"" || $0 == " " || $0 == "\n" || $0 == "," }) {
        // Any other length takes the general reading both ways.
        guard (18...32).contains(token.utf8.count) else { continue }
        let token = String(token)
        Self.expectSame(token)
        Self.expectSame(String(token.prefix(20)))
        if RFC3339.parse(token) != nil { times += 1 }
      }
    }
    #expect(times > 100)
  }

  /// Whole-second times with their fields in and out of range, then mutated: a byte replaced by a
  /// digit, a separator or a hostile piece (a Kelvin sign, a dotted capital I, a combining accent,
  /// NUL, CR, tab), cut short, lengthened, with a fraction or an offset.
  @Test func readsSeededHostileTimesAsTheReference() {
    var rng = SplitMix64(seed: 0x3339_0016)
    let hostile = ["\u{212A}", "\u{130}", "\u{301}", "\0", "\r", "\t", "é", " ", "T", "Z", "z", "t", "-", ":", "."]
    var fast = 0
    for _ in 0..<60_000 {
      func two(_ range: ClosedRange<Int>) -> String {
        let v = Int.random(in: range, using: &rng)
        return v < 10 ? "0\(v)" : "\(v)"
      }
      let year = [
        "2026", "2024", "2000", "1900", "0000", "0001", "9999", "1970", "1969",
        String(Int.random(in: 1000...9999, using: &rng)),
      ].randomElement(using: &rng)!
      let separator = ["T", "t", " ", "x"].randomElement(using: &rng)!
      let zone = ["Z", "z", "Z", "Z", "+00:00", "-0530", ".5Z", ".123456Z", ""].randomElement(using: &rng)!
      var text =
        "\(year)-\(two(0...13))-\(two(0...32))\(separator)\(two(0...25)):\(two(0...61)):\(two(0...62))\(zone)"
      switch Int.random(in: 0..<6, using: &rng) {
      case 0:
        var scalars = Array(text.unicodeScalars)
        let at = Int.random(in: 0..<scalars.count, using: &rng)
        let piece =
          Int.random(in: 0..<2, using: &rng) == 0
          ? String(Int.random(in: 0...9, using: &rng)) : hostile.randomElement(using: &rng)!
        scalars.replaceSubrange(at...at, with: piece.unicodeScalars)
        text = String(String.UnicodeScalarView(scalars))
      case 1:
        text = String(text.prefix(Int.random(in: 0...text.count, using: &rng)))
      case 2:
        text += hostile.randomElement(using: &rng)!
      default:
        break
      }
      let taken = Array(text.utf8).withUnsafeBufferPointer { RFC3339.wholeSecondUTC($0, options: .spaceSeparator) }
      if taken != nil { fast += 1 }
      Self.expectSame(text)
    }
    // The fast path took a good share, and the rest went to the general reading.
    #expect(fast > 5_000)
  }
}
