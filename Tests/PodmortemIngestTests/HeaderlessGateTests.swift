import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// A headerless layout is tried on a line only when the line passes the layout's gate
/// (`KubectlTextParser.Gate`): a READY cell where a `get pods` row has it, a `Normal`/`Warning`
/// cell for a `get events` layout with TYPE. The gate must never turn away a line the layout
/// reads, or a headerless row would be lost; these tests hold it to that on every line of every
/// sample and on seeded rows made to come close.
@Suite struct HeaderlessGateTests {
  static let context = ParseContext(
    source: SourceInfo(name: "gate"), captureTime: CaptureTime(date: .distantPast, origin: .currentTime),
    diagnostics: { _ in })

  /// Rows each layout reads, taken whole from the samples, and words rows are made of: the seeds of
  /// the rows built below.
  static let words = [
    "Normal", "Warning", "normal", "Warnin", "1/1", "0/1", "10/10", "1/", "/1", "a/b", "1/1/1", "Running",
    "CrashLoopBackOff", "Terminating", "5m", "3m", "<unknown>", "(x3", "over", "10m)", "2d", "7", "0", "-1",
    "pod/web-0", "Pod/web-0", "web-0", "default", "kube-system", "BackOff", "Unhealthy", "kubelet",
    "spec.containers{web}", "Ready", "NotReady", "Ready,SchedulingDisabled", "control-plane", "v1.29.0",
    "10.0.0.1", "node-1", "<none>", "(5m", "ago)", "Back-off", "restarting", "failed", "container",
    "K\u{212A}", "İ", "e\u{301}", "Warning\u{301}", "1\u{301}/1", "\t", "app=web",
  ]

  /// Rows of the one layout no sample shows without its header (`get events -A -o wide`), written
  /// as kubectl 1.18 prints them.
  static let wideRows = [
    "default   5m   Warning   BackOff   pod/web-0   spec.containers{web}   kubelet, node-1   Back-off restarting failed container   10m   7   web-0.17a1b2c3d4e5f6a7",
    "kube-system   2m   Normal   Pulled   pod/dns-1   spec.containers{dns}   kubelet, node-2   Container image \"dns:1\" already present   2m   1   dns-1.17a1b2c3d4e5f6a8",
  ]

  static let rows: [String] = {
    let layouts = KubectlTextParser.headerlessLayouts
    return (KubectlBytesTests.sampleLines + KubectlBytesTests.trickyLines + wideRows).filter { text in
      let line = KubectlLine(Line(number: 1, text: text)).withTokensRead()
      return layouts.contains { KubectlTextParser.reads(line, as: $0, context: context) }
    }
  }()

  /// A row made from a real one (two times in three) or from `words`, then up to three words
  /// replaced, dropped, doubled or swapped, joined by one of `gaps` and indented: a seeded near
  /// miss for a row reader (`DescribeEventRowGateTests` makes its rows with it too).
  static func seededRow(
    rows: [String], words: [String], maxWords: Int, gaps: [String], maxIndent: Int, _ rng: inout SplitMix64
  ) -> String {
    var tokens: [String]
    if !rows.isEmpty, rng.below(3) > 0 {
      tokens = rows[rng.below(rows.count)].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    } else {
      tokens = (0..<(rng.below(maxWords) + 1)).map { _ in words[rng.below(words.count)] }
    }
    for _ in 0..<rng.below(4) where !tokens.isEmpty {
      let i = rng.below(tokens.count)
      switch rng.below(4) {
      case 0: tokens[i] = words[rng.below(words.count)]
      case 1: tokens.remove(at: i)
      case 2: tokens.insert(words[rng.below(words.count)], at: i)
      default: tokens.swapAt(i, rng.below(tokens.count))
      }
    }
    let gap = gaps[rng.below(gaps.count)]
    return String(repeating: " ", count: rng.below(maxIndent + 1)) + tokens.joined(separator: gap)
  }

  /// Rows made from real ones and from the word list: words replaced, dropped, doubled and swapped,
  /// so a gate cell moves, vanishes or turns into a near miss.
  static func seededLines(count: Int) -> [String] {
    var rng = SplitMix64(seed: 1716)
    return (0..<count).map { _ in
      seededRow(rows: rows, words: words, maxWords: 14, gaps: ["   ", " ", "\t", "  "], maxIndent: 2, &rng)
    }
  }

  static let lines: [String] =
    KubectlBytesTests.sampleLines + KubectlBytesTests.trickyLines + wideRows + seededLines(count: 20_000)

  @Test func theSamplesHoldRowsOfEveryGatedKind() {
    let layouts = KubectlTextParser.headerlessLayouts
    let gates = KubectlTextParser.headerlessGates
    #expect(gates.count == layouts.count)
    #expect(gates.contains { $0.eventType && $0.count } && gates.contains { !$0.eventType && $0.count })
    #expect(gates.contains { $0.readyAt == 1 } && gates.contains { $0.readyAt == 2 })
    // The seeds hold rows of both gated kinds, so the near misses are near.
    let lines = Self.rows.map { KubectlLine(Line(number: 1, text: $0)).withTokensRead() }
    for (layout, gate) in zip(layouts, gates) where gate != KubectlTextParser.Gate() {
      #expect(lines.contains { KubectlTextParser.reads($0, as: layout, context: Self.context) }, "\(layout.columns)")
    }
  }

  /// The gate's contract, layout by layout: a line it turns away is a line the layout does not read.
  @Test func aGateTurnsAwayOnlyLinesItsLayoutDoesNotRead() {
    var turnedAway = 0
    var readAnyway = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text)).withTokensRead()
      var shape = KubectlTextParser.RowShape(line.tokens)
      for (layout, gate) in zip(KubectlTextParser.headerlessLayouts, KubectlTextParser.headerlessGates) {
        let reads = KubectlTextParser.reads(line, as: layout, context: Self.context)
        if !shape.allows(gate) {
          turnedAway += 1
          if reads { readAnyway += 1 }
        }
      }
    }
    #expect(readAnyway == 0)
    // Most lines are turned away by some gate, or the gate would spare nothing.
    #expect(turnedAway > Self.lines.count)
  }

  /// The sniffer's question with the gates against the question asked of every layout, as it was.
  @Test func readsHeaderlessAnswersAsEveryLayoutAskedInTurn() {
    var yes = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      let reference = KubectlTextParser.headerlessLayouts.contains {
        KubectlTextParser.reads(line.withTokensRead(), as: $0, context: Self.context)
      }
      #expect(KubectlTextParser.readsHeaderless(line, context: Self.context) == reference, "\(text)")
      if reference { yes += 1 }
    }
    #expect(yes > 100)
  }
}
