import Foundation
import Podmortem
import PodmortemCorrelate
import PodmortemModel
import Testing

@testable import PodmortemReport

/// The streamed text and Markdown reports against the whole string the renderers built before they
/// streamed (`builtText`, `builtMarkdown`: those renderers' `render` bodies, kept here as the
/// reference): byte for byte on every sample set, plain and coloured, shortened and wide; and
/// written in pieces to a sink that can fail.
@Suite struct TextRendererStreamTests {
  /// Every set of shipped samples, one report each, and one of all of them at once.
  static let sets = ["samples", "samples/_all", "samples/bundles", "samples/pastes", "samples/snapshots"]

  static func report(_ inputs: [String], allPods: Bool = false) throws -> ReportInput {
    var report = try JSONRendererStreamTests.report(inputs)
    report.allPods = allPods
    return report
  }

  /// The text report as `TextRenderer.render` built it, one string, before it streamed.
  static func builtText(_ r: TextRenderer, _ input: ReportInput) -> String {
    var out = ""
    out += r.summaryLine(input) + "\n"
    if let line = input.suppressed?.line { out += r.palette.paint(line, .dim) + "\n" }
    if input.findings.isEmpty {
      out += "\nNo findings: nothing in the input points at a failure.\n"
    }
    if input.findings.count > 1 { out += "\n" + r.overview(input) }
    for finding in input.findings {
      out += "\n" + r.render(finding)
    }
    let (pods, folded) = input.timelinePods
    for pod in pods {
      out += "\n" + r.timeline(pod)
    }
    if folded > 0 { out += "\n" + r.palette.paint(input.foldedText(folded), .dim) + "\n" }
    if !input.state.caveats.isEmpty {
      out += "\n" + r.palette.paint("Caveats", .heading) + "\n"
      for c in input.state.caveats { out += "  - \(c)\n" }
    }
    out += "\n" + r.palette.paint("Sources", .heading) + "\n"
    for a in input.accounts {
      var line = "  \(a.source)  \(a.formats.joined(separator: "+"))"
      if let layout = a.layout { line += " (\(layout))" }
      line += "  \(a.lines) lines: \(a.parsed) parsed"
      line += ", \(a.ignored) ignored, \(a.unrecognised) unrecognised"
      if !a.firstUnrecognised.isEmpty {
        line += " (lines \(a.firstUnrecognised.map(String.init).joined(separator: ", "))"
        line += a.unrecognised > a.firstUnrecognised.count ? ", …)" : ")"
      }
      out += line + "\n"
    }
    if !input.diagnostics.isEmpty {
      out += "  \(input.diagnostics.count) input problem\(input.diagnostics.count == 1 ? "" : "s") (see stderr)\n"
    }
    return out
  }

  /// The Markdown summary as `MarkdownRenderer.render` built it, one string, before it streamed.
  static func builtMarkdown(_ r: MarkdownRenderer, _ input: ReportInput) -> String {
    var out = "# Incident summary\n\n"
    out += r.summary(input) + "\n"
    let affected = input.state.pods.filter { pod in
      input.findings.contains { $0.subject.pod == pod.key.name && $0.subject.namespace == pod.key.namespace }
    }
    if !affected.isEmpty {
      out += "\n## Impact\n\n| Pod | Status | Restarts | Node |\n| --- | --- | --- | --- |\n"
      for pod in affected {
        let l = pod.latest
        let restarts = l.restarts ?? l.containers.compactMap(\.restartCount).reduce(0, +)
        out +=
          "| `\(pod.key)` | \(MarkdownRenderer.escape(l.kubectlStatus ?? "unknown")) | \(restarts) | \(l.node ?? "—") |\n"
      }
    }
    if !input.findings.isEmpty {
      out += "\n## Findings\n"
      for (i, f) in input.findings.enumerated() { out += r.finding(f, number: i + 1) }
    }
    let (pods, folded) = input.timelinePods
    if !pods.isEmpty || folded > 0 {
      out += "\n## Timeline\n"
      for pod in pods { out += r.timeline(pod) }
      if folded > 0 { out += "\n_\(input.foldedText(folded))_\n" }
    }
    let remedies = input.findings.filter { !$0.remedy.isEmpty }
    if !remedies.isEmpty {
      out += "\n## Next steps\n\n"
      for (i, f) in remedies.enumerated() { out += "\(i + 1). `\(f.subject)`: \(MarkdownRenderer.escape(f.remedy))\n" }
    }
    out += "\n## Sources\n\n| Source | Format | Lines | Parsed | Ignored | Unrecognised |\n"
    out += "| --- | --- | ---: | ---: | ---: | ---: |\n"
    for a in input.accounts {
      out +=
        "| `\(a.source)` | \(a.formats.joined(separator: "+")) | \(a.lines) | \(a.parsed) | \(a.ignored) | \(a.unrecognised) |\n"
    }
    if !input.diagnostics.isEmpty {
      out += "\nInput problems:\n\n"
      for d in input.diagnostics.prefix(20) {
        out += "- `\(d.ref)` \(d.level.rawValue): \(MarkdownRenderer.escape(d.message))\n"
      }
    }
    return out
  }

  /// What `render(_:to:)` hands its sink, and in how many pieces.
  static func streamed(_ render: (@escaping JSONStreamWriter.Sink) -> Void) -> (text: String, pieces: [Int]) {
    final class Collected {
      var bytes: [UInt8] = []
      var pieces: [Int] = []
    }
    let collected = Collected()
    render { chunk in
      collected.pieces.append(chunk.count)
      collected.bytes.append(contentsOf: chunk)
      return true
    }
    return (String(decoding: collected.bytes, as: UTF8.self), collected.pieces)
  }

  @Test(arguments: sets)
  func streamsTheTextReportItBuilt(_ set: String) throws {
    var report = try Self.report([set])
    #expect(!report.accounts.isEmpty)
    for allPods in [false, true] {
      report.allPods = allPods
      for palette in [Palette.plain, .ansi] {
        for wide in [false, true] {
          let renderer = TextRenderer(palette: palette, wide: wide)
          let built = Self.builtText(renderer, report)
          #expect(built.contains("Sources"))
          #expect(Self.streamed { renderer.render(report, to: $0) }.text == built, "\(set) wide=\(wide)")
          #expect(renderer.render(report) == built)
        }
      }
    }
  }

  @Test(arguments: sets)
  func streamsTheMarkdownSummaryItBuilt(_ set: String) throws {
    var report = try Self.report([set])
    for allPods in [false, true] {
      report.allPods = allPods
      let renderer = MarkdownRenderer()
      let built = Self.builtMarkdown(renderer, report)
      #expect(built.hasPrefix("# Incident summary\n"))
      #expect(Self.streamed { renderer.render(report, to: $0) }.text == built, "\(set)")
      #expect(renderer.render(report) == built)
    }
  }

  @Test func writesInPiecesAndStopsWhenTheSinkFails() throws {
    let report = try Self.report(["samples"], allPods: true)
    for render in [
      { TextRenderer().render(report, to: $0) }, { MarkdownRenderer().render(report, to: $0) },
    ] as [(@escaping JSONStreamWriter.Sink) -> Void] {
      let (text, pieces) = Self.streamed(render)
      // Written as produced: several pieces, none much larger than the buffer.
      #expect(text.utf8.count > 1 << 17)
      #expect(pieces.count > 1)
      #expect(pieces.allSatisfy { $0 < 1 << 17 }, "pieces \(pieces) of \(text.utf8.count)")

      var calls = 0
      render { _ in
        calls += 1
        return false
      }
      #expect(calls == 1, "a sink that failed is not written to again")
    }
  }
}
