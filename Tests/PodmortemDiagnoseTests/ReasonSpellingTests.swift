import PodmortemCorrelate
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// `PodHistory.same` decides whether a reason starts with a lower case letter from its first UTF-8
/// byte when that is ASCII. On seeded random reasons (ASCII and not, combining marks, `ß`, empty)
/// it must answer as the scalar-based test it replaced.
@Suite struct ReasonSpellingTests {

  /// `same` as it was: the first scalar read for every reason that differs.
  private static func sameByScalars(_ recorded: String, _ reason: String) -> Bool {
    if recorded == reason { return true }
    guard let first = recorded.unicodeScalars.first,
      first.isASCII ? ("a"..."z").contains(first) : first.properties.isLowercase,
      recorded.count == reason.count
    else { return false }
    return recorded.prefix(1).uppercased() + recorded.dropFirst() == reason
  }

  private static let pieces = [
    "b", "B", "ack", "Off", "\u{DF}", "SS", "\u{E9}", "e\u{301}", "\u{C9}", "\u{301}", "1", " ", "z", "{", "`",
    "\u{3B1}", "\u{391}", "\u{212A}", "k",
  ]

  @Test func answersAsTheScalarTest() {
    var rng = SplitMix64(seed: 0x5A4E_5EA5)
    var agreed = 0
    for _ in 0..<20_000 {
      func reason() -> String {
        (0..<Int(rng.next() % 4)).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
      }
      let recorded = reason()
      // Half the time the later spelling of the recorded reason, so that the second case is reached.
      let asked = rng.next() % 2 == 0 ? recorded.prefix(1).uppercased() + recorded.dropFirst() : reason()
      let expected = Self.sameByScalars(recorded, asked)
      #expect(PodHistory.same(recorded, asked) == expected, "\(recorded.debugDescription) \(asked.debugDescription)")
      if expected { agreed += 1 }
    }
    #expect(agreed > 2_000)
  }
}
