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

  @Test("the unchanged events are the ones testing every string found")
  func unchangedEvents() {
    var rng = SplitMix64(seed: 16_163)
    for masker in [SecretMasker(), nil] {
      let filter = OutputFilter(masker: masker)
      for _ in 0..<200 {
        let events = (0..<rng.below(40)).map { _ in
          var e = ReportFastPathTests.event(&rng, dirty: rng.below(3) == 0)
          if rng.below(4) == 0 { e.reason = Self.text(&rng) }
          return e
        }
        // The reference: `unchangedEvents` as it was, every string of every event tested.
        var reference = Set<ObjectIdentifier>()
        for e in events where e.allStrings({ filter.leavesUnchanged($0) }) { reference.insert(e.storageIdentity) }
        #expect(filter.unchangedEvents(events) == reference)
      }
    }
  }
}
