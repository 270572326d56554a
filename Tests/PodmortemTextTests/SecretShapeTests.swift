import Foundation
import PodmortemTestSupport
import PodmortemText
import Testing

/// `SecretShape.isRandom` against the loop it replaced, which compared each byte with an array of
/// the six separators: the reference (docs/architecture.md "Secrets"). Compared on the values
/// around every `=` of the samples and on seeded hostile values: separators in runs and at the
/// ends, hex, names, versions, mixed case and digits, a Kelvin sign, a dotted capital İ, an accent
/// composed and decomposed, NUL, CR, tab, cut UTF-8, empty and long values.
@Suite("isRandom against its separator array")
struct SecretShapeTests {
  /// `isRandom` as it was: the reference.
  static func referenceIsRandom(_ value: String, minimumLength: Int) -> Bool {
    var value = value
    return value.withUTF8 { bytes in
      guard bytes.count >= minimumLength else { return false }
      var best = 0..<0
      var segments = 0
      var start = 0
      for i in 0...bytes.count {
        let separator = i == bytes.count || [0x2E, 0x2D, 0x5F, 0x3A, 0x2F, 0x7E].contains(bytes[i])
        guard separator else { continue }
        if i > start {
          segments += 1
          if i - start > best.count { best = start..<i }
        }
        start = i + 1
      }
      guard best.count >= 12 else { return false }
      var upper = false
      var lower = false
      var hexOnly = true
      var digits = 0
      var switches = 0
      var previousDigit: Bool?
      for b in bytes[best] {
        let isDigit = (0x30...0x39).contains(b)
        if isDigit { digits += 1 }
        if (0x41...0x5A).contains(b) { upper = true }
        if (0x61...0x7A).contains(b) { lower = true }
        if !isDigit && !(0x61...0x66).contains(b) && !(0x41...0x46).contains(b) { hexOnly = false }
        if let p = previousDigit, p != isDigit { switches += 1 }
        previousDigit = isDigit
      }
      if hexOnly || (segments > 1 && !upper) { return false }
      guard digits > 0, digits < best.count else { return false }
      return (upper && lower) || switches >= 4
    }
  }

  static func values(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    var pieces: [String] = [
      ".", "-", "_", ":", "/", "~", "+", "=", "@", " ", "\t", "\r", "\n", "\u{0}", "\u{7F}", "a", "Z", "0", "9", "f",
      "F", "g", "G", "abc", "ABC", "0123", "9f3349a9", "Zx9kP2mQ", "7rT4vW8y", "1aB3", "inventory", "6d8f7b5c9",
      "zt8mx", "v1.2.3", "é", "e\u{301}", "\u{212A}", "\u{130}", "İ", "ı", "☃", "🦀", "\u{2039}redacted:1\u{203A}",
      String(decoding: [0xC3], as: UTF8.self), String(decoding: [0xE2, 0x84], as: UTF8.self),
      String(decoding: [0x80], as: UTF8.self),
    ]
    for b in UInt8(0x21)..<0x7F { pieces.append(String(UnicodeScalar(b))) }
    var values: [String] = ["", String(repeating: "Ab1", count: 20_000), String(repeating: "a-", count: 9_000)]
    for _ in 0..<count {
      values.append((0..<rng.below(30)).map { _ in pieces[rng.below(pieces.count)] }.joined())
    }
    return values
  }

  /// The value after every `=` of the samples' lines, up to the next space or quote.
  static func sampleValues() -> [String] {
    var values: [String] = []
    for line in ScanReferenceTests.sampleTexts() where line.utf8.count < 4_096 {
      for part in line.split(separator: "=").dropFirst() {
        values.append(String(part.prefix { $0 != " " && $0 != "\"" && $0 != "'" }))
      }
    }
    return values
  }

  @Test("isRandom answers as the separator array's loop, at every minimum length")
  func isRandomAsTheReference() {
    var differing = 0
    var random = 0
    let values = Self.sampleValues() + Self.values(count: 60_000, seed: 0x5A_9D0E)
    #expect(values.count > 60_000)
    for value in values {
      for minimum in [0, 12, 16, 17] {
        let old = Self.referenceIsRandom(value, minimumLength: minimum)
        if old { random += 1 }
        if SecretShape.isRandom(value, minimumLength: minimum) != old {
          differing += 1
          if differing <= 5 { Issue.record("isRandom differs on \(value.prefix(200).debugDescription)") }
        }
      }
    }
    #expect(differing == 0)
    // The comparison saw random values and others.
    #expect(random > 2_000)
  }
}
