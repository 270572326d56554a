import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `RangeCheck.check` on a log record asks a capture's key's last byte (`mayBeBackOffKey`) before
/// it compares the key with `backoff` and `.backoff` (docs/architecture.md "Speed of the
/// kubelet-log path"). The check as it was (`isBackOff` and `before`, kept here as the reference)
/// is compared with it on seeded keys that are, nearly are and are not back-off keys, spelt with
/// hostile pieces (a Kelvin sign, a dotted capital I, combining accents, a ligature `ﬀ`, a
/// full-width `ｆ`, NUL, CR, tab, empty and 2 KiB keys), and on log records whose captures hold
/// them with usable and unusable durations: the same record, the same diagnostics.
@Suite struct RangeCheckBackOffKeyTests {
  static func isBackOff(_ capture: KeyValue) -> Bool {
    capture.key == "backoff" || capture.key.hasSuffix(".backoff")
  }

  /// `RangeCheck.check(_:diagnostics:)` for a log record as it was.
  static func before(_ log: inout LogRecord, diagnostics: DiagnosticSink) {
    guard log.captures.contains(where: isBackOff) else { return }
    log.captures = log.captures.filter { capture in
      guard isBackOff(capture), Durations.goDuration(capture.value) == nil else { return true }
      diagnostics(
        Diagnostic(
          .warning, log.evidence.ref,
          "back-off '\(capture.value.prefix(40))' is not a duration podmortem can use; ignored"))
      return false
    }
  }

  static let pieces = [
    "backoff", ".backoff", "event.backoff", "backof", "f", "F", "back", "off", ".", "ﬀ", "ｆ", "\u{301}", "e\u{301}",
    "\u{212A}", "\u{130}", "\u{0}", "\r", "\t", "\u{600}", "\u{200D}", "pod", "container", "backoffSeconds", "🙂",
  ]

  static func key(_ rng: inout SplitMix64) -> String {
    switch rng.below(6) {
    case 0: return ""
    case 1: return String(repeating: "x", count: 2_048) + [".backoff", "backoff", "f"][rng.below(3)]
    default: return (0..<rng.below(5)).map { _ in pieces[rng.below(pieces.count)] }.joined()
    }
  }

  @Test func theLastByteIsAskedOnlyOfKeysThatMayBe() {
    var rng = SplitMix64(seed: SplitMix64.seed("RangeCheckBackOffKeyTests.keys"))
    var backOff = 0
    var turnedAway = 0
    var keys = Self.pieces + Self.pieces.map { $0 + "\u{301}" } + Self.pieces.map { "\u{600}" + $0 }
    keys += ["backofF", "backoｆ"]
    for _ in 0..<20_000 { keys.append(Self.key(&rng)) }
    for key in keys {
      let capture = KeyValue(key, "10s")
      let reference = Self.isBackOff(capture)
      #expect(!reference || RangeCheck.mayBeBackOffKey(capture), "\(Array(key.unicodeScalars))")
      if reference { backOff += 1 }
      if !RangeCheck.mayBeBackOffKey(capture) { turnedAway += 1 }
    }
    #expect(backOff > 100)
    #expect(turnedAway > 1_000)
  }

  @Test(arguments: 0..<8)
  func logRecordsAreCheckedAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let values = ["10s", "1m0s", "5m0s", "", "18446744073709551615s", "x", "\u{212A}", "10s\u{0}", "-1s", "2h"]
    var dropped = 0
    for n in 0..<1_000 {
      var log = LogRecord(
        origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "k.log", line: n), text: "m"))
      log.captures = (0..<rng.below(6)).map { _ in KeyValue(Self.key(&rng), values[rng.below(values.count)]) }
      var reference = log
      let old = Collector<Diagnostic>()
      let new = Collector<Diagnostic>()
      Self.before(&reference, diagnostics: { old.append($0) })
      RangeCheck.check(&log, diagnostics: { new.append($0) })
      #expect(log == reference)
      #expect(new.items == old.items)
      dropped += old.items.count
    }
    #expect(dropped > 0)
  }
}
