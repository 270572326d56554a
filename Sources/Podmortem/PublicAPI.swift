import PodmortemModel
import PodmortemReport

// The library's public face (docs/library.md): run an analysis, read its findings, render a
// report. Everything else in the package stays `package`, free to change.

extension AnalysisResult {
  /// The findings, most severe first, with every secret masked unless the options reveal them.
  public var findings: [Finding] { report.findings.map(Finding.init) }

  /// What became of every input source: its format and how many of its lines were read.
  public var sources: [SourceSummary] { report.accounts.map(SourceSummary.init) }

  /// Problems with the input (an unreadable file, a line too long, a time out of range), sorted by
  /// source and line. The run goes on past each of them.
  public var problems: [InputProblem] { report.diagnostics.map(InputProblem.init) }

  /// The report in `format`, exactly as `podmortem analyze --format` writes it (without colour).
  ///
  /// - Parameters:
  ///   - format: the output format.
  ///   - failOn: for JUnit, the severity at and above which a finding is a failed test case.
  public func rendered(as format: OutputFormat, failOn: Finding.Severity = .warning) -> String {
    format.render(report, failOn: failOn.model)
  }
}

/// A conclusion about one subject: what is wrong, why, what to do, and the input lines that show it.
public struct Finding: Sendable, Hashable {
  /// How bad it is.
  public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case info, warning, critical

    public static func < (a: Severity, b: Severity) -> Bool { a.model < b.model }

    var model: PodmortemModel.Severity {
      switch self {
      case .info: .info
      case .warning: .warning
      case .critical: .critical
      }
    }

    init(_ s: PodmortemModel.Severity) {
      switch s {
      case .info: self = .info
      case .warning: self = .warning
      case .critical: self = .critical
      }
    }
  }

  /// One line of input the finding rests on.
  public struct Evidence: Sendable, Hashable {
    /// The file, `<stdin>`, or `archive!member` the line is in.
    public let source: String
    /// The 1-based line number; 0 when the evidence is the whole source.
    public let line: Int
    /// The line as read (secrets masked).
    public let text: String
  }

  /// A fact the rule established, by name (`restartCount`, `exitCode`, `mode`): the same names as
  /// the JSON report's `facts` (docs/findings-schema.md).
  public struct Fact: Sendable, Hashable {
    public let name: String
    public let value: String
  }

  /// The rule that drew it (`probe.liveness-failing`, `crashloop.backoff`).
  public let ruleID: String
  /// The kind of failure (`probe-failure`, `crashloop-backoff`, `oom`…).
  public let category: String
  public let severity: Severity
  /// Who it is about, as the reports print it: `shop/web-0 (web)`, `node node-1`, or the pasted
  /// pod when the input did not show its name.
  public let subject: String
  public let namespace: String?
  public let pod: String?
  public let container: String?
  /// One line: what is wrong.
  public let title: String
  /// Why, with the arithmetic and what the input could not tell.
  public let explanation: String
  /// What to do next.
  public let remedy: String
  public let facts: [Fact]
  /// The lines that show it, the decisive line first.
  public let evidence: [Evidence]

  /// The value of the fact `name`, if the rule established it.
  public func fact(_ name: String) -> String? { facts.first { $0.name == name }?.value }

  init(_ f: PodmortemModel.Finding) {
    ruleID = f.ruleID
    category = f.category.rawValue
    severity = Severity(f.severity)
    subject = f.subject.description
    namespace = f.subject.namespace
    pod = f.subject.pod
    container = f.subject.container
    title = f.title
    explanation = f.explanation
    remedy = f.remedy
    facts = f.facts.map { Fact(name: $0.key, value: $0.value) }
    evidence = f.evidence.map { Evidence(source: $0.ref.source, line: $0.ref.line, text: $0.text) }
  }
}

/// One input source and what became of its lines.
public struct SourceSummary: Sendable, Hashable {
  /// The file, `<stdin>`, or `archive!member`.
  public let source: String
  /// The formats it was read as (`kubectl-text`, `kubelet-log`, `plain-text`…), first the main one.
  public let formats: [String]
  public let lines: Int
  /// Lines read into facts.
  public let parsed: Int
  /// Lines understood and deliberately skipped (blank lines, table headers, shell prompts).
  public let ignored: Int
  /// Lines podmortem did not understand: a high share means a format it does not know yet.
  public let unrecognised: Int

  init(_ a: SourceAccount) {
    source = a.source
    formats = a.formats
    lines = a.lines
    parsed = a.parsed
    ignored = a.ignored
    unrecognised = a.unrecognised
  }
}

/// A problem with the input, named by source and line.
public struct InputProblem: Sendable, Hashable, CustomStringConvertible {
  public enum Level: String, Sendable, Hashable { case note, warning, error }

  public let level: Level
  public let source: String
  /// The 1-based line, or 0 when the problem is about the whole source.
  public let line: Int
  public let message: String

  public var description: String { "\(source):\(line): \(level.rawValue): \(message)" }

  init(_ d: Diagnostic) {
    switch d.level {
    case .note: level = .note
    case .warning: level = .warning
    case .error: level = .error
    }
    source = d.ref.source
    line = d.ref.line
    message = d.message
  }
}

/// The formats a report renders to.
public enum OutputFormat: String, Sendable, CaseIterable {
  /// The terminal report: overview, findings with evidence, timelines, sources.
  case text
  /// An incident summary for a ticket.
  case markdown
  /// The machine-readable report (docs/findings-schema.md).
  case json
  /// One self-contained HTML file: no scripts, no network.
  case html
  /// JUnit XML: one test case per rule and subject, for CI.
  case junit
  /// SARIF 2.1.0, for code-scanning dashboards.
  case sarif

  /// JSON, JUnit and SARIF are written even when nothing was recognised: a pipeline keeps the
  /// accounting, and the exit status says the rest.
  public var isMachineReadable: Bool { self == .json || self == .junit || self == .sarif }

  /// What the CLI and the library both call (`palette` and `wide` are the terminal's).
  package func render(
    _ report: ReportInput, failOn: PodmortemModel.Severity, palette: Palette = .plain, wide: Bool = false
  ) -> String {
    let format: ReportFormat =
      switch self {
      case .text: .text
      case .markdown: .markdown
      case .json: .json
      case .html: .html
      case .junit: .junit
      case .sarif: .sarif
      }
    return format.render(report, failOn: failOn, palette: palette, wide: wide)
  }

}
