import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// `OutputFilter.unchangedEvents` remembers `leavesUnchanged`'s verdicts on recent strings by their
/// bytes (`RecentVerdicts`, docs/architecture.md "Speed of the EventList path"). Held to the code
/// it replaced, kept here (every string of every event tested), and to a test that answers by the
/// bytes alone, so that a verdict given for other bytes would show.
@Suite("recent verdicts answer as the test itself")
struct RecentVerdictsTests {
  /// Pieces with every edge: empty, a Kelvin sign and a K, a dotted capital I, an accent composed
  /// and decomposed (equal by `==`, other bytes), a combining accent alone, CR, NUL, a tab, an
  /// escape, a secret, a PEM opening, and runs long enough to pass eight bytes and `longest`.
  static let pieces = [
    "", "a", "K", "\u{212A}", "\u{130}", "I", "caf\u{E9}", "cafe\u{301}", "\u{301}", "\r", "\0", "\t", "\u{1B}[31m",
    "password=hunter2", "-----BEGIN", "12345678", String(repeating: "y", count: 90), "default", "kubelet",
  ]

  static func text(_ rng: inout SplitMix64) -> String {
    (0..<rng.below(4)).map { _ in pieces[rng.below(pieces.count)] }.joined()
  }

  /// A test that depends on every byte (FNV-1a's parity): the cache must never answer it for a
  /// string of other bytes.
  static func byBytes(_ text: String) -> Bool {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h & 1 == 0
  }

  @Test("each verdict is the test's on those bytes")
  func verdicts() {
    var rng = SplitMix64(seed: 16_162)
    var recent = RecentVerdicts()
    var tested = 0
    let seen = (0..<300).map { _ in Self.text(&rng) }
    for _ in 0..<60_000 {
      // Mostly strings seen before (repeats hit), sometimes new ones.
      let text = rng.below(3) == 0 ? Self.text(&rng) : seen[rng.below(seen.count)]
      let answer = recent.verdict(text) { t in
        tested += 1
        return Self.byBytes(t)
      }
      #expect(answer == Self.byBytes(text), "\(Array(text.utf8))")
    }
    // Some verdicts came from the table, not from the test.
    #expect(tested < 50_000)
  }

  /// Long texts (over `RecentVerdicts.longest` bytes, which the table used to test every time):
  /// a template group's exemplars repeat whole, and pairs differ only in bytes (an accent composed
  /// and decomposed, a Kelvin sign and a K, a dotted capital I), in one byte at the end or the
  /// middle, or hold a secret, a PEM opening or a control.
  static func longText(_ rng: inout SplitMix64) -> String {
    let body = String(repeating: "Readiness probe failed: Get http://10.244.0.\(rng.below(4)):8080/ready ", count: 2)
    let tails = [
      "", "caf\u{E9}", "cafe\u{301}", "K", "\u{212A}", "\u{130}", "I", "\r", "\0", "\t", "\u{1B}[31m",
      "password=hunter2", "-----BEGIN", "\u{301}", String(repeating: "z", count: rng.below(300)),
    ]
    let middle = tails[rng.below(tails.count)]
    return body + middle + body + tails[rng.below(tails.count)]
  }

  @Test("each verdict on a long string is the test's on those bytes")
  func longVerdicts() {
    var rng = SplitMix64(seed: 16_164)
    var recent = RecentVerdicts()
    var tested = 0
    var asked = 0
    let seen = (0..<200).map { _ in Self.longText(&rng) }
    for _ in 0..<30_000 {
      let text = rng.below(3) == 0 ? Self.longText(&rng) : seen[rng.below(seen.count)]
      #expect(text.utf8.count > RecentVerdicts.longest)
      asked += 1
      let answer = recent.verdict(text) { t in
        tested += 1
        return Self.byBytes(t)
      }
      #expect(answer == Self.byBytes(text), "\(Array(text.utf8))")
    }
    // Long strings seen before were answered from their table, where every one used to be tested.
    #expect(tested < asked * 3 / 4)
  }

  /// `verdict` looks a string up by its representation before its bytes; `verdictByBytes`, the
  /// look-up before that, is the reference. Both are asked the same seeded sequence (the very
  /// strings asked before, fresh strings of their bytes, the other spelling of an accent, strings
  /// cut from longer ones, short and long): every verdict is the reference's and the test's on
  /// those bytes, and most come from the tables.
  @Test("a verdict by representation is the verdict by bytes")
  func byRepresentation() {
    var rng = SplitMix64(seed: 16_166)
    var recent = RecentVerdicts()
    var reference = RecentVerdicts()
    var (tested, testedByReference) = (0, 0)
    let seen = (0..<400).map { _ in rng.below(3) == 0 ? Self.longText(&rng) : Self.text(&rng) }
    for i in 0..<60_000 {
      let text = Self.variant(seen[rng.below(seen.count)], &rng)
      let answer = recent.verdict(text) { t in
        tested += 1
        return Self.byBytes(t)
      }
      let expected = reference.verdictByBytes(text) { t in
        testedByReference += 1
        return Self.byBytes(t)
      }
      #expect(answer == expected, "string \(i): \(Array(text.utf8))")
      #expect(answer == Self.byBytes(text), "string \(i): \(Array(text.utf8))")
    }
    #expect(tested < 30_000 && testedByReference < 30_000)
  }

  /// `verdict(_:leavesUnchangedBy:)` names the filter where `verdict(_:_:)` is handed a closure
  /// (docs/architecture.md "Speed of the EventList path"): both asked the same seeded sequence
  /// (the very strings asked before, fresh strings of their bytes, the other spelling of an
  /// accent, strings cut from longer ones, short, long and huge, secrets, PEM openings, controls),
  /// with and without a masker, every verdict is the closure's and `leavesUnchanged`'s, and the
  /// long strings gathered as passed are the same.
  @Test("the verdict asked of the filter is the closure's")
  func verdictOfFilter() {
    var rng = SplitMix64(seed: 16_167)
    for masker in [SecretMasker(), nil] {
      let filter = OutputFilter(masker: masker)
      var recent = RecentVerdicts()
      var reference = RecentVerdicts()
      recent.passedLong = LongGivenBack()
      reference.passedLong = LongGivenBack()
      let huge = String(repeating: "-", count: 70_000) + "\u{212A}" + String(repeating: "a", count: 70_000)
      let seen = (0..<400).map { _ in rng.below(3) == 0 ? Self.longText(&rng) : Self.text(&rng) } + [huge, "", "\0"]
      for i in 0..<30_000 {
        let text = Self.variant(seen[rng.below(seen.count)], &rng)
        let answer = recent.verdict(text, leavesUnchangedBy: filter)
        let expected = reference.verdict(text) { filter.leavesUnchanged($0) }
        #expect(answer == expected, "string \(i): \(Array(text.utf8))")
        #expect(answer == filter.leavesUnchanged(text), "string \(i): \(Array(text.utf8))")
      }
      let passed = Set((recent.passedLong?.strings ?? []).map { Array($0.utf8) })
      let passedByReference = Set((reference.passedLong?.strings ?? []).map { Array($0.utf8) })
      #expect(passed == passedByReference)
      #expect(!passed.isEmpty)
    }
  }

  @Test("two strings' bytes compare as the bytes do")
  func sameBytes() {
    var rng = SplitMix64(seed: 16_165)
    for _ in 0..<20_000 {
      let a = rng.below(2) == 0 ? Self.text(&rng) : Self.longText(&rng)
      var b = rng.below(3) == 0 ? a : (rng.below(2) == 0 ? Self.text(&rng) : Self.longText(&rng))
      if rng.below(5) == 0 { b = String(decoding: Array(a.utf8), as: UTF8.self) }
      // The other spelling of an accent (`==` to `a`, other bytes), and `a` made again from a
      // slice of a longer string (the same bytes in storage of its own).
      if rng.below(7) == 0 {
        b = rng.below(2) == 0 ? a.decomposedStringWithCanonicalMapping : a.precomposedStringWithCanonicalMapping
      }
      if rng.below(7) == 0 { b = String(("<" + a + ">").dropFirst().dropLast()) }
      #expect(RecentVerdicts.sameBytes(a, b) == (Array(a.utf8) == Array(b.utf8)))
      var c = b
      #expect(RecentVerdicts.sameBytes(a, &c) == (Array(a.utf8) == Array(b.utf8)))
    }
  }

  @Test("the unchanged events are the ones testing every string found")
  func unchangedEvents() {
    var rng = SplitMix64(seed: 16_163)
    for masker in [SecretMasker(), nil] {
      let filter = OutputFilter(masker: masker)
      for _ in 0..<200 {
        let events = (0..<rng.below(40)).map { _ in
          var e = ReportFastPathTests.event(&rng, dirty: rng.below(3) == 0)
          if rng.below(4) == 0 { e.reason = Self.text(&rng) }
          if rng.below(4) == 0 { e.exemplars = (0..<rng.below(4)).map { _ in Self.longText(&rng) } }
          if rng.below(4) == 0 { e.message = Self.longText(&rng) }
          return e
        }
        // The reference: `unchangedEvents` as it was, every string of every event tested.
        var reference = Set<ObjectIdentifier>()
        for e in events where e.allStrings({ filter.leavesUnchanged($0) }) { reference.insert(e.storageIdentity) }
        #expect(filter.unchangedEvents(events) == reference)
      }
    }
  }

  /// `text` as asked again: most often the very string, else a fresh string of its bytes, the
  /// other spelling of its accents, the same bytes cut from a longer string, or a new text.
  static func variant(_ text: String, _ rng: inout SplitMix64) -> String {
    switch rng.below(8) {
    case 0: String(decoding: Array(text.utf8), as: UTF8.self)
    case 1: text.decomposedStringWithCanonicalMapping
    case 2: String(("<" + text + ">").dropFirst().dropLast())
    case 3: Self.text(&rng)
    default: text
    }
  }
}
