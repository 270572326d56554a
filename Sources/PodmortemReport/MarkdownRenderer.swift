import Foundation
import PodmortemCorrelate
import PodmortemModel

/// An incident summary a person pastes into a ticket: summary, impact, findings with evidence,
/// timeline, next steps, and what the input held.
package struct MarkdownRenderer: Sendable {
  package var timelineLimit = 40

  package init() {}

  package func render(_ input: ReportInput) -> String {
    RenderStream.collect { write(input, to: &$0) }
  }

  /// Writes the summary to `sink` as it is produced, section by section (a finding, a pod's
  /// timeline): it is never held whole, and its bytes are those of `render(_:)`.
  package func render(_ input: ReportInput, to sink: @escaping JSONStreamWriter.Sink) {
    var out = RenderStream(sink: sink)
    write(input, to: &out)
    out.flush()
  }

  func write(_ input: ReportInput, to out: inout RenderStream) {
    out.write("# Incident summary\n\n")
    out.write(summary(input) + "\n")
    impact(input, to: &out)
    findings(input, to: &out)
    timelines(input, to: &out)
    nextSteps(input, to: &out)
    sources(input, to: &out)
  }

  func summary(_ input: ReportInput) -> String {
    let bySeverity = Dictionary(grouping: input.findings, by: \.severity)
    let counts = Severity.allCases.reversed().compactMap { s in
      bySeverity[s].map { "\($0.count) \(s.rawValue)" }
    }
    var s = "## Summary\n\n"
    if input.findings.isEmpty {
      s += "No findings: nothing in the input points at a failure.\n"
    } else {
      s += "\(input.findings.count) finding\(input.findings.count == 1 ? "" : "s") (\(counts.joined(separator: ", ")))"
      s += " about \(Set(input.findings.map(\.subject.description)).count) subject(s).\n\n"
      for f in input.findings.prefix(10) {
        s += "- **\(f.severity.rawValue)** `\(f.subject)`: \(Self.escape(f.title))\n"
      }
    }
    if let line = input.suppressed?.line {
      // Globs' `*` would read as emphasis.
      s += "\n\(Self.escape(line).replacingOccurrences(of: "*", with: "\\*")).\n"
    }
    if let now = input.state.now {
      s += "\nAges are relative to \(ReportTime.iso(now.date)) (\(TextRenderer.originText(now.origin))).\n"
    }
    return s
  }

  private func impact(_ input: ReportInput, to out: inout RenderStream) {
    let affected = input.state.pods.filter { pod in
      input.findings.contains { $0.subject.pod == pod.key.name && $0.subject.namespace == pod.key.namespace }
    }
    guard !affected.isEmpty else { return }
    out.write("\n## Impact\n\n| Pod | Status | Restarts | Node |\n| --- | --- | --- | --- |\n")
    for pod in affected {
      let l = pod.latest
      let restarts = l.restarts ?? l.containers.compactMap(\.restartCount).reduce(0, +)
      out.write(
        "| `\(pod.key)` | \(Self.escape(l.kubectlStatus ?? "unknown")) | \(restarts) | \(l.node ?? "—") |\n")
    }
  }

  private func findings(_ input: ReportInput, to out: inout RenderStream) {
    guard !input.findings.isEmpty else { return }
    out.write("\n## Findings\n")
    for (i, f) in input.findings.enumerated() { out.write(finding(f, number: i + 1)) }
  }

  /// One finding's section, numbered as in the report.
  func finding(_ f: Finding, number: Int) -> String {
    var s = "\n### \(number). \(Self.escape(f.title))\n\n"
    s += "- Severity: **\(f.severity.rawValue)** · category `\(f.category.rawValue)` · rule `\(f.ruleID)`\n"
    s += "- Subject: `\(f.subject)`\n\n"
    s += Self.prose(f.explanation) + "\n"
    if !f.evidence.isEmpty {
      let shown = f.evidence.prefix(12)
      let fence = Self.fence(around: shown.map(\.text))
      s += "\nEvidence:\n\n\(fence)text\n"
      for e in shown { s += "\(e.ref)  \(TextRenderer.trimmingWhitespace(e.text))\n" }
      if f.evidence.count > 12 { s += "… and \(f.evidence.count - 12) more\n" }
      s += "\(fence)\n"
    }
    return s
  }

  private func timelines(_ input: ReportInput, to out: inout RenderStream) {
    let (pods, folded) = input.timelinePods
    guard !pods.isEmpty || folded > 0 else { return }
    out.write("\n## Timeline\n")
    for pod in pods { out.write(timeline(pod)) }
    if folded > 0 { out.write("\n_\(input.foldedText(folded))_\n") }
  }

  /// One pod's timeline section.
  func timeline(_ pod: PodHistory) -> String {
    var s = "\n### `\(pod.key)`\n\n"
    let shown = pod.timeline.suffix(timelineLimit)
    if pod.timeline.count > shown.count {
      s +=
        "_The last \(shown.count) of \(pod.timeline.count) entries; \(pod.timeline.count - shown.count) earlier ones are not shown._\n\n"
    }
    s += "| Time (UTC) | What | Container | Detail |\n| --- | --- | --- | --- |\n"
    for e in shown {
      let when = e.time.map(ReportTime.text) ?? "—"
      s += "| \(when) | \(e.kind.rawValue) | \(e.container ?? "") | \(Self.escape(e.summary)) |\n"
    }
    return s
  }

  private func nextSteps(_ input: ReportInput, to out: inout RenderStream) {
    let remedies = input.findings.filter { !$0.remedy.isEmpty }
    guard !remedies.isEmpty else { return }
    out.write("\n## Next steps\n\n")
    for (i, f) in remedies.enumerated() { out.write("\(i + 1). `\(f.subject)`: \(Self.escape(f.remedy))\n") }
  }

  private func sources(_ input: ReportInput, to out: inout RenderStream) {
    out.write("\n## Sources\n\n| Source | Format | Lines | Parsed | Ignored | Unrecognised |\n")
    out.write("| --- | --- | ---: | ---: | ---: | ---: |\n")
    for a in input.accounts {
      out.write(
        "| `\(a.source)` | \(a.formats.joined(separator: "+")) | \(a.lines) | \(a.parsed) | \(a.ignored) | \(a.unrecognised) |\n"
      )
    }
    if !input.diagnostics.isEmpty {
      out.write("\nInput problems:\n\n")
      for d in input.diagnostics.prefix(20) {
        out.write("- `\(d.ref)` \(d.level.rawValue): \(Self.escape(d.message))\n")
      }
    }
  }

  /// Keeps table cells and emphasis intact: pipes and newlines would break a Markdown table; and
  /// input text never becomes markup (`prose`).
  static func escape(_ text: String) -> String {
    prose(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }

  /// Text from the input shown as text: no raw HTML (`<script>`), no link or image
  /// (`[x](javascript:…)`, `[x][ref]`, `[ref]: url`), no code span it did not mean. CommonMark
  /// renders `&lt;` and `\]` as the characters themselves; a `]` that opens nothing after it
  /// (`[signal SIGSEGV …]`) is left as written.
  package static func prose(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var chars = text.makeIterator()
    var next = chars.next()
    while let c = next {
      next = chars.next()
      switch c {
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case "`": out += "\\`"
      case "]" where next == "(" || next == "[" || next == ":": out += "\\]"
      default: out.append(c)
      }
    }
    return out
  }

  /// A code fence longer than any run of backticks in `lines`, so no line of evidence closes it
  /// (CommonMark: a fence is closed only by one at least as long).
  package static func fence(around lines: [String]) -> String {
    var longest = 0
    for line in lines {
      var run = 0
      for c in line.utf8 {
        run = c == 0x60 ? run + 1 : 0
        longest = max(longest, run)
      }
    }
    return String(repeating: "`", count: max(3, longest + 1))
  }
}
