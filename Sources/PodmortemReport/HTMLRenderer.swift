import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A self-contained HTML report (no scripts, no external assets): findings, and per pod a
/// timeline drawn as an SVG strip with the table below it.
package struct HTMLRenderer: Sendable {
  package init() {}

  /// `1 finding`, `3 findings`.
  static func counted(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

  package func render(_ input: ReportInput) -> String {
    var body = "<h1>podmortem report</h1>\n"
    body += "<p class=\"meta\">\(Self.counted(input.findings.count, "finding")) · "
    body += "\(Self.counted(input.state.pods.count, "pod")) · \(Self.counted(input.accounts.count, "source"))"
    if let now = input.state.now { body += " · now = \(Self.esc(ReportTime.iso(now.date)))" }
    body += "</p>\n"
    if let line = input.suppressed?.line { body += "<p class=\"meta\">\(Self.esc(line))</p>\n" }
    for f in input.findings { body += finding(f) }
    if input.findings.count > 1 { body += "<p class=\"meta\">\(Self.esc(input.severityCounts))</p>\n" }
    let (pods, folded) = input.timelinePods
    for pod in pods { body += timeline(pod) }
    if folded > 0 { body += "<p class=\"meta\">\(Self.esc(input.foldedText(folded)))</p>\n" }
    body += sources(input)
    return """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>podmortem report</title>
      <style>
      body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222}
      .finding{border-left:4px solid #999;padding:.4em 1em;margin:1em 0;background:#fafafa}
      .critical{border-color:#c62828}.warning{border-color:#ef8f00}.info{border-color:#1e88e5}
      .sev{font-weight:bold;text-transform:uppercase;margin-right:.6em}
      pre{background:#f0f0f0;padding:.5em;overflow-x:auto;font-size:12px}
      table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
      .meta{color:#666}
      </style></head><body>
      \(body)</body></html>

      """
  }

  private func finding(_ f: Finding) -> String {
    var s = "<div class=\"finding \(f.severity.rawValue)\"><p><span class=\"sev\">\(f.severity.rawValue)</span>"
    s += "<code>\(Self.esc(f.subject.description))</code> — <strong>\(Self.esc(f.title))</strong></p>\n"
    s += "<p>\(Self.esc(f.explanation).replacingOccurrences(of: "\n", with: "<br>"))</p>\n"
    if !f.remedy.isEmpty { s += "<p><em>Next:</em> \(Self.esc(f.remedy))</p>\n" }
    if !f.evidence.isEmpty {
      s += "<pre>"
      for e in f.evidence.prefix(20) { s += Self.esc("\(e.ref)  \(e.text)") + "\n" }
      if f.evidence.count > 20 { s += "… and \(f.evidence.count - 20) more\n" }
      s += "</pre>\n"
    }
    return s + "</div>\n"
  }

  private func timeline(_ pod: PodHistory) -> String {
    var s = "<h2>Timeline — <code>\(Self.esc(pod.key.description))</code></h2>\n"
    let timed = pod.timeline.compactMap { e in e.time.map { (e, $0) } }
    if let first = timed.map(\.1.earliest).min(), let last = timed.map(\.1.latest).max() {
      let span = max(1, last.timeIntervalSince(first))
      let width = 1000.0
      s += "<svg viewBox=\"0 0 \(Int(width)) 40\" width=\"100%\" height=\"40\" role=\"img\">"
      s += "<line x1=\"0\" y1=\"20\" x2=\"\(Int(width))\" y2=\"20\" stroke=\"#bbb\"/>"
      for (e, r) in timed {
        let x0 = r.earliest.timeIntervalSince(first) / span * width
        let x1 = max(x0 + 2, r.latest.timeIntervalSince(first) / span * width)
        let colour = e.kind == .probeFailure || e.kind == .kill ? "#c62828" : "#1e88e5"
        s +=
          "<rect x=\"\(Int(x0))\" y=\"12\" width=\"\(Int(x1 - x0))\" height=\"16\" fill=\"\(colour)\" opacity=\".6\">"
        s += "<title>\(Self.esc(e.summary))</title></rect>"
      }
      s += "</svg>\n"
    }
    s += "<table><tr><th>Time (UTC)</th><th>What</th><th>Container</th><th>Detail</th></tr>\n"
    for e in pod.timeline {
      let when = e.time.map(ReportTime.text) ?? "—"
      s += "<tr><td>\(when)</td><td>\(e.kind.rawValue)</td><td>\(Self.esc(e.container ?? ""))</td>"
      s += "<td>\(Self.esc(e.summary))</td></tr>\n"
    }
    return s + "</table>\n"
  }

  private func sources(_ input: ReportInput) -> String {
    var s = "<h2>Sources</h2><table><tr><th>Source</th><th>Format</th><th>Lines</th><th>Parsed</th>"
    s += "<th>Ignored</th><th>Unrecognised</th></tr>\n"
    for a in input.accounts {
      s += "<tr><td>\(Self.esc(a.source))</td><td>\(Self.esc(a.formats.joined(separator: "+")))</td>"
      s += "<td>\(a.lines)</td><td>\(a.parsed)</td><td>\(a.ignored)</td><td>\(a.unrecognised)</td></tr>\n"
    }
    return s + "</table>\n"
  }

  static func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for ch in text {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }
}

extension ReportFormat {
  /// Renders `input` in this format; `palette` only matters for text.
  package func render(_ input: ReportInput, palette: Palette = .plain) -> String {
    switch self {
    case .text: TextRenderer(palette: palette).render(input)
    case .markdown: MarkdownRenderer().render(input)
    case .json: JSONRenderer().render(input)
    case .html: HTMLRenderer().render(input)
    }
  }
}
