import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// `ProbeFailureMessage.kind` and `probeMode` find the spellings events and details write by
/// their length and a comparison (docs/architecture.md "Speed of the probe rules"). The lookups
/// they replace are the reference: `ProbeSpec.Kind(rawValue: probe.lowercased())` and
/// `ProbeMode(rawValue:)` answer the same for every raw value and spelling, near misses of them
/// (a Kelvin sign, a dotted capital I, combining accents, NUL, CR, a tab, other cases, one byte
/// more or less), the empty text, a huge one, and seeded texts of those pieces.
@Suite struct ProbeKindFastTests {
  static let pieces = [
    "Liveness", "liveness", "LIVENESS", "Readiness", "readiness", "Startup", "startup", "STARTUP", "Live\u{0301}ness",
    "Lívéness", "\u{212A}", "\u{130}", "i\u{307}", "\u{0}", "\r", "\t", "", "-", "http-status", "exec-failed",
    "exec-timeout", "refused", "timeout", "reset", "tcp", "grpc", "errored", "unknown", "Timeout", "tcP", "e\u{301}",
    "\u{037E}", "\u{1FEF}", "k", "K",
  ]

  static func expectSame(_ text: String) {
    #expect(ProbeFailureMessage.kind(text) == ProbeSpec.Kind(rawValue: text.lowercased()))
    #expect(ProbeFailureMessage.probeMode(text) == ProbeMode(rawValue: text))
  }

  @Test func theSpellingsAndNearMissesReadAsTheLookups() {
    var texts = Self.pieces + ProbeMode.allCases.map(\.rawValue) + ProbeSpec.Kind.allCases.map(\.rawValue)
    texts += texts.flatMap { [$0 + "\u{0}", $0 + " ", String($0.dropLast()), String($0.dropFirst()), $0.uppercased()] }
    texts.append(String(repeating: "liveness", count: 10_000))
    for text in texts { Self.expectSame(text) }
  }

  @Test func seededTextsReadAsTheLookups() {
    var rng = SplitMix64(seed: 3_616)
    for _ in 0..<20_000 {
      let text = (0..<(1 + rng.below(3))).map { _ in Self.pieces[rng.below(Self.pieces.count)] }.joined()
      Self.expectSame(text)
    }
  }
}
