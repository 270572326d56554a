import Foundation
import PodmortemCorrelate
import PodmortemDiagnose
import PodmortemModel

/// A self-contained HTML report: one file, no scripts, no network, readable from a ticket
/// attachment and on paper. The summary and impact come first, then each finding (verdict,
/// explanation, evidence wrapped rather than scrolled, remedy), then per pod a timeline picture
/// (an SVG with a time axis and one lane per container) over its table, then what podmortem read
/// and the problems it met. Every piece of input text is escaped (`esc`).
package struct HTMLRenderer: Sendable {
  /// How many evidence lines a finding shows before saying how many it left out.
  package var evidenceLimit = 20

  package init() {}

  /// `1 finding`, `3 findings`.
  static func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
    n == 1 ? "1 \(noun)" : "\(n) \(plural ?? noun + "s")"
  }

  package func render(_ input: ReportInput) -> String {
    var body = "<header><h1>podmortem report</h1>\n<p class=\"meta\">"
    body += "\(Self.counted(input.findings.count, "finding")) · \(Self.counted(input.state.pods.count, "pod")) · "
    body += Self.counted(input.accounts.count, "source")
    if let now = input.state.now { body += " · now = \(Self.esc(ReportTime.iso(now.date)))" }
    body += "</p>\n"
    if let line = input.suppressed?.line { body += "<p class=\"meta\">\(Self.esc(line))</p>\n" }
    body += "</header>\n"
    body += summary(input)
    if !input.findings.isEmpty { body += "<h2>Findings</h2>\n" }
    for (index, f) in input.findings.enumerated() { body += finding(f, index: index) }
    let (pods, folded) = input.timelinePods
    if !pods.isEmpty || folded > 0 { body += "<h2>Timelines</h2>\n" }
    for pod in pods { body += timeline(pod) }
    if folded > 0 { body += "<p class=\"meta\">\(Self.esc(input.foldedText(folded)))</p>\n" }
    body += problems(input)
    body += sources(input)
    return """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>podmortem report</title>
      <style>\(Self.style)</style></head><body>
      \(body)<footer class="meta">podmortem \(Self.esc(input.toolVersion))</footer>
      </body></html>

      """
  }

  // MARK: summary and findings

  /// The impact at a glance: findings by severity, then one verdict per subject, worst first,
  /// each linking to its finding.
  private func summary(_ input: ReportInput) -> String {
    var s = "<section id=\"summary\"><h2>Summary</h2>\n"
    guard !input.findings.isEmpty else {
      return s + "<p>No findings: nothing in the input points at a failure.</p></section>\n"
    }
    s += "<p class=\"counts\">\(Self.esc(input.severityCounts))</p>\n<table class=\"verdicts\">"
    s += "<tr><th>Severity</th><th>Subject</th><th>Verdict</th></tr>\n"
    var seen: Set<String> = []
    for (index, f) in input.findings.enumerated() {
      let subject = Subject(namespace: f.subject.namespace, pod: f.subject.pod, object: f.subject.object).description
      guard seen.insert(subject).inserted else { continue }
      s += "<tr><td><span class=\"sev \(f.severity.rawValue)\">\(f.severity.rawValue)</span></td>"
      s += "<td><code>\(Self.esc(subject))</code></td>"
      s += "<td><a href=\"#finding-\(index + 1)\">\(Self.esc(f.title))</a></td></tr>\n"
    }
    return s + "</table></section>\n"
  }

  private func finding(_ f: Finding, index: Int) -> String {
    var s = "<article class=\"finding \(f.severity.rawValue)\" id=\"finding-\(index + 1)\">\n"
    s += "<h3><span class=\"sev \(f.severity.rawValue)\">\(f.severity.rawValue)</span> \(Self.esc(f.title))</h3>\n"
    s +=
      "<p class=\"subject\"><code>\(Self.esc(f.subject.description))</code> · rule <code>\(Self.esc(f.ruleID))</code>"
    s += "</p>\n"
    for paragraph in f.explanation.split(separator: "\n") { s += "<p>\(Self.esc(String(paragraph)))</p>\n" }
    if !f.remedy.isEmpty { s += "<p class=\"remedy\"><strong>Next:</strong> \(Self.esc(f.remedy))</p>\n" }
    if !f.evidence.isEmpty {
      s += "<h4>Evidence</h4>\n<ol class=\"evidence\">"
      for e in f.evidence.prefix(evidenceLimit) {
        s += "<li><span class=\"ref\">\(Self.esc(e.ref.description))</span> <code>\(Self.esc(e.text))</code></li>\n"
      }
      s += "</ol>\n"
      if f.evidence.count > evidenceLimit {
        s += "<p class=\"meta\">… and \(f.evidence.count - evidenceLimit) more evidence lines</p>\n"
      }
    }
    return s + "</article>\n"
  }

  // MARK: timelines

  private func timeline(_ pod: PodHistory) -> String {
    var s = "<section class=\"timeline\"><h3>Timeline — <code>\(Self.esc(pod.key.description))</code></h3>\n"
    s += TimelinePicture(pod.timeline, due: TimelinePicture.dueBackOffs(pod)).svg
    s += "<details><summary>\(Self.counted(pod.timeline.count, "timeline entry", plural: "timeline entries"))"
    s += "</summary>\n<table><tr><th>Time (UTC)</th><th>What</th><th>Container</th><th>Detail</th></tr>\n"
    for e in pod.timeline {
      let when = e.time.map(ReportTime.text) ?? "—"
      s += "<tr class=\"\(e.isWarning || e.kind == .probeFailure || e.kind == .kill ? "warn" : "")\"><td>\(when)</td>"
      s += "<td>\(e.kind.rawValue)</td><td>\(Self.esc(e.container ?? ""))</td><td>\(Self.esc(e.summary))</td></tr>\n"
    }
    return s + "</table></details></section>\n"
  }

  // MARK: input

  private func problems(_ input: ReportInput) -> String {
    guard !input.diagnostics.isEmpty else { return "" }
    var s = "<h2>Input problems</h2>\n<ul class=\"problems\">"
    let limit = 50
    for d in input.diagnostics.prefix(limit) { s += "<li><code>\(Self.esc(d.description))</code></li>\n" }
    s += "</ul>\n"
    if input.diagnostics.count > limit {
      s += "<p class=\"meta\">… and \(input.diagnostics.count - limit) more (the text report lists them all)</p>\n"
    }
    return s
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
      case "'": out += "&#39;"
      default: out.append(ch)
      }
    }
    return out
  }

  /// Light and dark colours, print rules, and wrapping so nothing needs a horizontal scrollbar.
  static let style = """
    :root{--fg:#1d1d1f;--bg:#fff;--muted:#666;--card:#f7f7f8;--line:#ddd;--crit:#c62828;--warn:#e07b00;\
    --info:#1e6fd9;--ok:#2e7d32;--normal:#5c7080}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#17181a;--muted:#9a9a9a;--card:#222326;\
    --line:#3a3b3e;--crit:#ef5350;--warn:#ffa726;--info:#64a8ff;--ok:#66bb6a;--normal:#8fa3b3}}
    body{font:14px/1.5 system-ui,sans-serif;margin:1.5em auto;max-width:75em;padding:0 1em;color:var(--fg);\
    background:var(--bg);overflow-wrap:anywhere}
    h1{margin-bottom:.2em}h2{border-bottom:1px solid var(--line);padding-bottom:.2em;margin-top:1.6em}
    .meta{color:var(--muted)}
    .sev{display:inline-block;font-size:11px;font-weight:bold;text-transform:uppercase;padding:1px 6px;\
    border-radius:3px;color:#fff;background:var(--normal);margin-right:.4em;vertical-align:middle;\
    white-space:nowrap;overflow-wrap:normal}
    .sev.critical{background:var(--crit)}.sev.warning{background:var(--warn)}.sev.info{background:var(--info)}
    .finding{border-left:5px solid var(--normal);padding:.3em 1em .6em;margin:1em 0;background:var(--card)}
    .finding.critical{border-color:var(--crit)}.finding.warning{border-color:var(--warn)}\
    .finding.info{border-color:var(--info)}
    .finding h3{margin:.4em 0}.subject{color:var(--muted);margin-top:0}
    .evidence{font:12px/1.45 ui-monospace,monospace;padding-left:2.2em;margin:.3em 0}
    .evidence li{white-space:pre-wrap;overflow-wrap:anywhere}.evidence code{font:inherit}
    .ref{color:var(--muted)}
    table{border-collapse:collapse;font-size:13px;max-width:100%}td,th{border:1px solid var(--line);\
    padding:2px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
    tr.warn td{color:var(--crit)}
    svg.lanes{width:100%;height:auto;display:block;margin:.4em 0}
    svg .axis{stroke:var(--line)}svg text{fill:var(--muted);font:11px system-ui,sans-serif}
    svg .run{fill:var(--ok);opacity:.35}svg .grace{fill:var(--warn);opacity:.3}\
    svg .backoff{fill:var(--warn);opacity:.22}svg .backoff.due{fill:none;opacity:1;stroke:var(--warn);\
    stroke-dasharray:4 3}
    svg .normal{fill:var(--normal)}svg .warning{fill:var(--warn)}svg .failure{fill:var(--crit)}
    details summary{cursor:pointer;color:var(--muted)}
    @media print{body{max-width:none;margin:0;font-size:11px}.finding{break-inside:avoid}details{display:block}\
    details>table{display:table}a{color:inherit;text-decoration:none}}
    """
}

/// One pod's timeline as an SVG: a time axis with labelled ticks, one lane per container (and one
/// for the pod), container runs, back-off waits and grace periods as intervals, events as marks
/// coloured by what they mean (normal, warning, failure or kill); each mark's title is its detail
/// on hover.
struct TimelinePicture {
  /// The back-off a container waiting in CrashLoopBackOff is in: from its last finish to the
  /// start the kubelet's model says is due (docs/kubernetes.md §7.1).
  struct Due {
    var container: String
    var from: Date
    var until: Date
    var delay: Double
  }

  let entries: [TimelineEntry]
  let due: [Due]

  init(_ entries: [TimelineEntry], due: [Due] = []) {
    self.entries = entries
    self.due = due
  }

  /// The waits still running at capture time: each container of `pod` waiting in
  /// CrashLoopBackOff, from its last run's finish, for the delay its waiting message states
  /// (`back-off 5m0s`) or else the default curve's delay at its restart count
  /// (`CrashLoopBackOffModel`). Delays outside `Plausible` are not drawn.
  static func dueBackOffs(_ pod: PodHistory) -> [Due] {
    pod.latest.containers.compactMap { c in
      guard c.waitingReason == "CrashLoopBackOff", let finished = c.lastTermination?.finishedAt else { return nil }
      let delay =
        CrashLoopBackOffModel.observedDelay(of: c)
        ?? CrashLoopBackOffModel.standard.delay(restartCount: c.restartCount ?? 0)
      guard let seconds = Plausible.duration(delay), seconds > 0 else { return nil }
      let until = finished.earliest.addingTimeInterval(seconds)
      guard Plausible.contains(until) else { return nil }
      return Due(container: c.name, from: finished.earliest, until: until, delay: seconds)
    }
  }

  static let width = 1000.0
  static let labelWidth = 130.0
  static let laneHeight = 22.0

  var svg: String {
    let timed = entries.compactMap { e in e.time.map { (e, $0) } }
    guard let first = timed.map(\.1.earliest).min(),
      let last = (timed.map(\.1.latest) + due.map(\.until)).max()
    else { return "" }
    let span = max(1, last.timeIntervalSince(first))
    let lanes = ["pod"] + Array(Set(timed.compactMap(\.0.container))).sorted()
    let plot = Self.width - Self.labelWidth - 10
    func x(_ date: Date) -> Double { Self.labelWidth + date.timeIntervalSince(first) / span * plot }
    func y(_ lane: String) -> Double { 30 + Double(lanes.firstIndex(of: lane) ?? 0) * Self.laneHeight }
    let height = 30 + Double(lanes.count) * Self.laneHeight + 8
    var s = "<svg class=\"lanes\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" role=\"img\" "
    s += "aria-label=\"timeline from \(ReportTime.iso(first)) to \(ReportTime.iso(last))\">\n"
    // The axis: five ticks labelled with their time (UTC), the date shown once when it changes.
    var previousDay = ""
    for tick in 0...4 {
      let date = first.addingTimeInterval(span * Double(tick) / 4)
      let iso = ReportTime.iso(date)
      let day = String(iso.prefix(10))
      let clock = String(iso.dropFirst(11).prefix(8))
      let px = x(date)
      s += "<line class=\"axis\" x1=\"\(Int(px))\" y1=\"18\" x2=\"\(Int(px))\" y2=\"\(Int(height - 6))\"/>"
      let anchor = tick == 0 ? "start" : tick == 4 ? "end" : "middle"
      s += "<text class=\"tick\" x=\"\(Int(px))\" y=\"12\" text-anchor=\"\(anchor)\">"
      s += "\(day == previousDay ? "" : day + " ")\(clock)</text>\n"
      previousDay = day
    }
    for lane in lanes {
      let ly = y(lane)
      s += "<text x=\"4\" y=\"\(Int(ly + 15))\">\(HTMLRenderer.esc(String(lane.prefix(18))))</text>"
      s += "<line class=\"axis\" x1=\"\(Int(Self.labelWidth))\" y1=\"\(Int(ly + 11))\" x2=\"\(Int(Self.width - 10))\" "
      s += "y2=\"\(Int(ly + 11))\"/>\n"
    }
    // Intervals: each container run from its start to its finish (or to the end), the grace period.
    for lane in lanes.dropFirst() {
      let runs = timed.filter {
        $0.0.container == lane && ($0.0.kind == .containerStarted || $0.0.kind == .containerFinished)
      }
      .sorted { $0.1.earliest < $1.1.earliest }
      var open: Date?
      var ended: Date?
      for (e, r) in runs {
        if e.kind == .containerStarted {
          if let start = open { s += rect(x(start), x(r.earliest), y(lane) + 4, 14, "run", "a run of \(lane)") }
          // The wait between a run's end and the next start: the back-off (docs/kubernetes.md §7.1).
          if let end = ended, r.earliest > end {
            let wait = Seconds.format(r.earliest.timeIntervalSince(end))
            s += rect(
              x(end), x(r.earliest), y(lane) + 4, 14, "backoff",
              "back-off wait of \(lane): \(wait) between the end of a run and the next start")
          }
          open = r.earliest
          ended = nil
        } else {
          if let start = open {
            s += rect(x(start), x(r.latest), y(lane) + 4, 14, "run", "a run of \(lane), \(e.summary)")
          }
          open = nil
          ended = r.latest
        }
      }
      for d in due where d.container == lane {
        s += rect(
          x(d.from), x(d.until), y(lane) + 4, 14, "backoff due",
          "back-off of \(lane): CrashLoopBackOff waits \(Seconds.format(d.delay)) after this exit; "
            + "the next start is due at \(ReportTime.iso(d.until))")
      }
      if let start = open { s += rect(x(start), x(last), y(lane) + 4, 14, "run", "the current run of \(lane)") }
    }
    if let requested = timed.first(where: { $0.0.kind == .deletionRequested }),
      let deadline = timed.first(where: { $0.0.kind == .graceDeadline })
    {
      s += rect(x(requested.1.earliest), x(deadline.1.latest), y("pod") + 4, 14, "grace", "the grace period")
    }
    // Marks: one per entry at its time (a range as wide as its uncertainty).
    for (e, r) in timed where e.kind != .containerStarted || e.container == nil {
      let lane = e.container.flatMap { lanes.contains($0) ? $0 : nil } ?? "pod"
      let style =
        e.kind == .kill || e.kind == .probeFailure || e.kind == .containerFinished
        ? "failure" : e.isWarning ? "warning" : "normal"
      let x0 = x(r.earliest)
      let x1 = max(x0 + 3, x(r.latest))
      s += rect(x0, x1, y(lane) + 2, 18, style, "\(ReportTime.text(r)) \(e.kind.rawValue): \(e.summary)")
    }
    return s + "</svg>\n"
  }

  private func rect(_ x0: Double, _ x1: Double, _ y: Double, _ h: Double, _ style: String, _ title: String) -> String {
    "<rect class=\"\(style)\" x=\"\(Int(x0))\" y=\"\(Int(y))\" width=\"\(max(2, Int(x1 - x0)))\" height=\"\(Int(h))\">"
      + "<title>\(HTMLRenderer.esc(title))</title></rect>\n"
  }
}
