import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `ObjectStreamParser.handle` asks whether a value's kind is ignorable through the parser's memo
/// of the last kind asked (`isIgnorable(_:)`), which every line of the object asked before it; the
/// reference is what it asked before, `KubeObjectConverter.isIgnorable(kind:)` (docs/architecture.md
/// "Speed of the EventList path").
@Suite struct IgnorableKindMemoTests {
  private static let context = ParseContext(
    source: SourceInfo(name: "events.json"),
    captureTime: CaptureTime(date: Date(timeIntervalSince1970: 0), origin: .flag), diagnostics: { _ in })

  /// Seeded sequences of kinds, runs of one kind and changes, nil among them: modelled kinds,
  /// lists, `Status`, unknown kinds, and spellings equal only canonically (a Kelvin sign for `K`,
  /// an accent composed and decomposed), with a dotted capital I, NUL, CR, tab and empty kinds.
  @Test func answersAsTheConverterOnEverySequence() {
    var rng = SplitMix64(seed: 0x1_6416)
    let kinds: [String?] = [
      "Event", "Pod", "Node", "Job", "PodList", "EventList", "Status", "ConfigMap", "Kind", "\u{212A}ind", "Dé",
      "De\u{301}", "DaemonSet", "Daemon\u{130}et", "Pod\0", "Pod\r", "\tPod", "", "List", "\u{212A}List", nil,
      "Eve\u{301}nt", "StatefulSet", "Status\u{301}",
    ]
    var parser = ObjectStreamParser(context: Self.context)
    var ignorable = 0
    var modelled = 0
    for _ in 0..<20_000 {
      let kind = kinds[Int(rng.next() % UInt64(kinds.count))]
      for _ in 0..<(1 + rng.next() % 3) {
        let expected = KubeObjectConverter.isIgnorable(kind: kind)
        #expect(parser.isIgnorable(kind) == expected, "\(kind.debugDescription)")
        if expected { ignorable += 1 } else { modelled += 1 }
      }
    }
    #expect(ignorable > 5_000)
    #expect(modelled > 5_000)
  }
}
