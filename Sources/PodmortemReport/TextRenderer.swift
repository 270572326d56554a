import Foundation
import PodmortemCorrelate
import PodmortemModel

/// The terminal view: findings first, most severe first; then each pod's timeline; then what
/// podmortem read and what it could not understand.
package struct TextRenderer: Sendable {
  package var palette: Palette
  /// How many evidence lines to show per finding before `… and N more`.
  package var evidenceLimit = 8
  /// How many timeline entries to show per pod (the newest ones).
  package var timelineLimit = 25
  /// `--no-trunc`/`--wide`: timeline and evidence lines are printed whole, never shortened.
  package var wide = false

  package init(palette: Palette = .plain, wide: Bool = false) {
    self.palette = palette
    self.wide = wide
  }

  package func render(_ input: ReportInput) -> String {
    RenderStream.collect { write(input, to: &$0) }
  }

  /// Writes the report to `sink` as it is produced, section by section (a finding, a pod's
  /// timeline): the report is never held whole, and its bytes are those of `render(_:)`.
  package func render(_ input: ReportInput, to sink: @escaping JSONStreamWriter.Sink) {
    var out = RenderStream(sink: sink)
    write(input, to: &out)
    out.flush()
  }

  func write(_ input: ReportInput, to out: inout RenderStream) {
    out.write(summaryLine(input) + "\n")
    if let line = input.suppressed?.line { out.write(palette.paint(line, .dim) + "\n") }
    if input.findings.isEmpty {
      out.write("\nNo findings: nothing in the input points at a failure.\n")
    }
    if input.findings.count > 1 { out.write("\n" + overview(input)) }
    for finding in input.findings {
      out.write("\n" + render(finding))
    }
    let (pods, folded) = input.timelinePods
    for pod in pods {
      out.write("\n" + timeline(pod))
    }
    if folded > 0 { out.write("\n" + palette.paint(input.foldedText(folded), .dim) + "\n") }
    if !input.state.caveats.isEmpty {
      out.write("\n" + palette.paint("Caveats", .heading) + "\n")
      for c in input.state.caveats { out.write("  - \(c)\n") }
    }
    out.write("\n")
    sources(input, to: &out)
  }

  func summaryLine(_ input: ReportInput) -> String {
    let pods = input.state.pods.count
    let f = input.findings.count
    var s = "podmortem: \(f) finding\(f == 1 ? "" : "s") about \(pods) pod\(pods == 1 ? "" : "s")"
    s += " from \(input.accounts.count) source\(input.accounts.count == 1 ? "" : "s")"
    if let now = input.state.now {
      s += " (now = \(ReportTime.iso(now.date)), \(Self.originText(now.origin)))"
    }
    return palette.paint(s, .heading)
  }

  /// Before the details: the findings by severity and one verdict per subject, worst first.
  func overview(_ input: ReportInput) -> String {
    var out = palette.paint("Overview: \(input.severityCounts)", .heading) + "\n"
    var seen: Set<String> = []
    var lines: [String] = []
    for f in input.findings {
      let subject = Subject(namespace: f.subject.namespace, pod: f.subject.pod, object: f.subject.object).description
      guard seen.insert(subject).inserted else { continue }
      lines.append("  \(palette.paint(f.severity))  \(subject)  \(line(f.title))")
    }
    let limit = 15
    for l in lines.prefix(limit) { out += l + "\n" }
    if lines.count > limit { out += "  … and \(lines.count - limit) more\n" }
    return out
  }

  static func originText(_ origin: CaptureTime.Origin) -> String {
    switch origin {
    case .flag: "from --now"
    case .input: "found in the input"
    case .fileModificationTime: "from the file's modification time"
    case .currentTime: "the current time: pass --now for exact ages"
    }
  }

  func render(_ f: Finding) -> String {
    var out = "\(palette.paint(f.severity))  \(palette.paint(f.subject.description, .emphasis))  \(f.title)\n"
    out += Self.indent(f.explanation, by: "  ") + "\n"
    if !f.remedy.isEmpty { out += Self.indent("Next: " + f.remedy, by: "  ") + "\n" }
    if !f.evidence.isEmpty {
      out += "  " + palette.paint("Evidence:", .dim) + "\n"
      // Ranked by the rule: the decisive lines first (docs/architecture.md "Findings").
      let shown = f.evidence.prefix(evidenceLimit)
      for e in shown { out += "    \(palette.paint(e.ref.description, .dim))  \(line(e.text))\n" }
      if f.evidence.count > shown.count { out += "    … and \(f.evidence.count - shown.count) more\n" }
    }
    return out
  }

  func timeline(_ pod: PodHistory) -> String {
    var out = palette.paint("Timeline — \(pod.key)", .heading) + "\n"
    let entries = pod.timeline.suffix(timelineLimit)
    if pod.timeline.count > entries.count {
      out += "  … \(pod.timeline.count - entries.count) earlier entries\n"
    }
    for e in entries {
      let when = e.time.map(ReportTime.text) ?? "(time unknown)"
      let who = e.container.map { " [\($0)]" } ?? ""
      out += "  \(palette.paint(when, .dim))  \(e.kind.rawValue)\(who)  \(line(e.summary))\n"
    }
    return out
  }

  /// What was read, one line per source (a bundle may hold thousands).
  private func sources(_ input: ReportInput, to out: inout RenderStream) {
    out.write(palette.paint("Sources", .heading) + "\n")
    for a in input.accounts {
      var line = "  \(a.source)  \(a.formats.joined(separator: "+"))"
      if let layout = a.layout { line += " (\(layout))" }
      line += "  \(a.lines) lines: \(a.parsed) parsed"
      line += ", \(a.ignored) ignored, \(a.unrecognised) unrecognised"
      if !a.firstUnrecognised.isEmpty {
        line += " (lines \(a.firstUnrecognised.map(String.init).joined(separator: ", "))"
        line += a.unrecognised > a.firstUnrecognised.count ? ", …)" : ")"
      }
      out.write(line + "\n")
    }
    if !input.diagnostics.isEmpty {
      out.write("  \(input.diagnostics.count) input problem\(input.diagnostics.count == 1 ? "" : "s") (see stderr)\n")
    }
  }

  /// A line of input text as shown: shortened unless `wide`.
  private func line(_ text: String) -> String {
    wide ? Self.trimmingWhitespace(text) : Self.trimmed(text)
  }

  /// `text.trimmingCharacters(in: .whitespaces)`, answered from the bytes when the ends are ASCII:
  /// an ASCII byte that is not a space or tab ends the trimming (on either side it is a character
  /// of its own, which no combining mark can join from outside the run), and a run of spaces and
  /// tabs before it is trimmed whole. Any other end (a non-ASCII byte, which may be a no-break
  /// space or a combining mark) asks Foundation, which stays the reference
  /// (`TextRendererFastPathTests` compares the two on random text).
  static func trimmingWhitespace(_ text: String) -> String {
    let bytes = text.utf8
    guard let first = bytes.first, let last = bytes.last else { return text }
    func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    if first < 0x80 && !isBlank(first) && last < 0x80 && !isBlank(last) { return text }
    guard let start = bytes.firstIndex(where: { !isBlank($0) }) else { return "" }
    guard let end = bytes.lastIndex(where: { !isBlank($0) }), bytes[start] < 0x80, bytes[end] < 0x80 else {
      return text.trimmingCharacters(in: .whitespaces)
    }
    return String(decoding: bytes[start...end], as: UTF8.self)
  }

  /// Each line of `text` after `prefix`. Split on the newline byte when `text` has no carriage
  /// return: a line feed is then a character of its own (only CR LF joins it to another), so the
  /// bytes split where the `Character`-level split does, which is asked otherwise.
  static func indent(_ text: String, by prefix: String) -> String {
    let bytes = text.utf8
    guard bytes.contains(0x0A) else { return prefix + text }
    guard !bytes.contains(0x0D) else {
      return text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + prefix.utf8.count * 4)
    out.append(contentsOf: prefix.utf8)
    for b in bytes {
      out.append(b)
      if b == 0x0A { out.append(contentsOf: prefix.utf8) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Shortens a line to `max` characters with `…`, never cutting the repeat count a timeline entry
  /// ends with: `(x12)` and `(first of x12)` are kept whole and the text before them is cut instead.
  static func trimmed(_ text: String, max: Int = 160) -> String {
    let t = trimmingWhitespace(text)
    // No more bytes than `max`, so no more characters: the count is not needed.
    guard t.utf8.count > max, t.count > max else { return t }
    let count = countSuffix(t)
    return String(t.dropLast(count.count).prefix(Swift.max(1, max - 1 - count.count))) + "…" + count
  }

  /// ` (x12)` or ` (first of x12)` at the end of `text`, else "".
  static func countSuffix(_ text: String) -> String {
    guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return "" }
    let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
    let digits = inner.hasPrefix("first of x") ? inner.dropFirst(10) : inner.hasPrefix("x") ? inner.dropFirst() : ""
    guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
      return ""
    }
    let start = open > text.startIndex && text[text.index(before: open)] == " " ? text.index(before: open) : open
    return String(text[start...])
  }
}
