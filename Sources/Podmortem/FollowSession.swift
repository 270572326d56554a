import Foundation
import PodmortemCorrelate
import PodmortemDiagnose
import PodmortemInput
import PodmortemModel
import PodmortemReport
import PodmortemText

/// `analyze --follow` (README "Following a live stream"): reads the last input as a live stream
/// — `kubectl get events -A -w -o json`, `kubectl events -w`, `kubectl get pods -w`, a growing
/// kubelet log — and reports each finding when it first appears and when its severity changes,
/// then, when the stream ends or `stop()` is called (SIGINT, SIGTERM), returns the result of the
/// whole run as `Analysis.run` does.
///
/// The pipeline stays one-way: Input reads the stream line by line (`FollowControl`), Ingest
/// parses each line as it arrives and Correlate merges each record into the run's correlator,
/// as in any run. Then, at most every `intervalMilliseconds` while records arrive (and at once
/// when the stream goes quiet), the session diagnoses a copy of what the correlator holds and
/// compares the findings, by rule id and subject, with those already reported. A diagnosis that
/// took long spaces the next ones out (four times its duration), so a fast stream is not slowed
/// down by re-diagnosing. Memory is the correlator's (merged records) plus one severity per
/// finding reported.
package final class FollowSession: @unchecked Sendable {
  // Everything below `control` is used on the reading thread only; `stop()` may come from any.
  package let analysis: Analysis
  /// Which findings are reported as they change (`-n`, `--for`); the final report is narrowed by
  /// the caller as any report is.
  package let selection: Selection
  /// The suppression file: what it ignores is not reported as it changes, and its severity
  /// overrides are the severities compared (README "Suppressing findings").
  package let config: SuppressionConfig?
  private let interval: Duration
  let control: FollowControl
  private var correlator: CorrelatorBox?
  private var diagnoser: Diagnoser?
  private var filter: OutputFilter?
  private var reported: [FindingKey: Severity] = [:]
  private var dirty = false
  private var lastDiagnosis: ContinuousClock.Instant?
  private var gap: Duration
  private var changes: (FollowChange) -> Void = { _ in }
  private var provisionalNow: CaptureTime?

  /// What identifies a finding across diagnoses.
  private struct FindingKey: Hashable {
    var rule: String
    var subject: Subject
  }

  package init(
    options: AnalysisOptions, selection: Selection = Selection(), config: SuppressionConfig? = nil,
    intervalMilliseconds: Int32 = 500
  ) {
    analysis = Analysis(options: options)
    self.selection = selection
    self.config = config
    let milliseconds = max(1, intervalMilliseconds)
    interval = .milliseconds(milliseconds)
    gap = interval
    let relay = IdleRelay()
    control = FollowControl(idleMilliseconds: milliseconds) { relay.session?.idle() }
    relay.session = self
  }

  /// Lets the control call back into the session it belongs to without keeping it alive.
  private final class IdleRelay: @unchecked Sendable {
    weak var session: FollowSession?
  }

  /// Why `inputs` cannot be followed, or nil: the followed input (the last, or standard input)
  /// must be a stream or a file, not a directory.
  package static func problem(following inputs: [String]) -> String? {
    guard let last = inputs.last, last != "-" else { return nil }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: last, isDirectory: &isDirectory), isDirectory.boolValue {
      return "--follow reads a stream or a file as it grows; '\(last)' is a directory (name it before the stream)"
    }
    return nil
  }

  /// Ends the stream: the run finishes with what it has read. Safe from any thread (a signal handler's queue).
  package func stop() { control.stop() }

  /// Reads the inputs, the last one followed; `changes` is called on the calling thread for each
  /// finding that appears or changes severity, in the order they are noticed.
  package func run(diagnostics: @escaping DiagnosticSink, changes: @escaping (FollowChange) -> Void) -> AnalysisResult {
    self.changes = changes
    return analysis.run(diagnostics: diagnostics, live: self)
  }

  /// Called by `Analysis.run` before reading.
  func start(correlator: CorrelatorBox, patterns: PatternCatalog, filter: OutputFilter) {
    self.correlator = correlator
    self.diagnoser = Diagnoser(patterns: patterns)
    self.filter = filter
  }

  /// Called as each source begins, with the capture time it is read with: the correlator learns
  /// a source's capture time once the source has been read, so a diagnosis while it is being read
  /// anchors "now" at this one, as the report will.
  func reading(captureTime: CaptureTime) {
    provisionalNow = captureTime
  }

  /// Called after every record is added to the correlator.
  func recordAdded() {
    dirty = true
    if let last = lastDiagnosis, ContinuousClock.now - last < gap { return }
    diagnose()
  }

  /// Called while the stream has nothing new.
  private func idle() {
    if dirty { diagnose() }
  }

  /// Called with the run's findings when the stream has ended: what the last records changed is
  /// reported before the report is.
  func finish(_ findings: [PodmortemModel.Finding]) {
    report(findings)
  }

  private func diagnose() {
    guard let correlator, let diagnoser else { return }
    dirty = false
    let started = ContinuousClock.now
    var current = correlator.value
    if let provisionalNow { current.note(provisionalNow) }
    report(diagnoser.diagnose(current.finish()))
    let now = ContinuousClock.now
    gap = max(interval, (now - started) * 4)
    lastDiagnosis = now
  }

  /// Reports the findings that are new or whose severity changed since the last call.
  private func report(_ all: [PodmortemModel.Finding]) {
    guard let filter else { return }
    // Masked through the run's filter, so a secret has the same token here and in the report;
    // narrowed and suppressed as the report will be.
    var input = ReportInput(
      toolVersion: PodmortemVersion.string, accounts: [], diagnostics: [], state: CorrelatedState(),
      findings: all.filter(selection.matches), filter: filter)
    if let config { input = config.apply(to: input) }
    for finding in input.findings {
      let key = FindingKey(rule: finding.ruleID, subject: finding.subject)
      let previous = reported[key]
      guard previous != finding.severity else { continue }
      reported[key] = finding.severity
      changes(FollowChange(finding: finding, previousSeverity: previous, time: Date()))
    }
  }
}

/// A finding seen for the first time, or seen again with another severity.
package struct FollowChange: Sendable {
  package enum Kind: String, Sendable {
    case new, raised, lowered
  }

  /// The finding as it is now, masked like the report.
  package var finding: PodmortemModel.Finding
  /// The severity reported before; nil for a new finding.
  package var previousSeverity: Severity?
  /// When it was noticed (the wall clock).
  package var time: Date

  package init(finding: PodmortemModel.Finding, previousSeverity: Severity?, time: Date) {
    self.finding = finding
    self.previousSeverity = previousSeverity
    self.time = time
  }

  package var kind: Kind {
    guard let previousSeverity else { return .new }
    return finding.severity > previousSeverity ? .raised : .lowered
  }

  /// One line: `09:41:07 new     critical  default/web-0 (web): liveness probe failing … [probe.liveness-failing]`.
  package func textLine(palette: Palette) -> String {
    let clock = time.formatted(
      Date.ISO8601FormatStyle(timeZone: .gmt).time(includingFractionalSeconds: false).timeSeparator(.colon))
    let severity = finding.severity.rawValue
    let painted = palette.paint(
      severity.padding(toLength: 8, withPad: " ", startingAt: 0),
      finding.severity == .critical ? .critical : finding.severity == .warning ? .warning : .info)
    let kind = kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
    var line = "\(clock) \(kind) \(painted) \(finding.subject): \(finding.title) [\(finding.ruleID)]"
    if let previousSeverity { line += " (was \(previousSeverity.rawValue))" }
    return line + "\n"
  }

  /// One NDJSON line (README "Following a live stream"): `change`, `previousSeverity` (absent
  /// for `new`), `time`, and `finding` in the shape of the report's `findings[]` entries
  /// (docs/findings-schema.md).
  package func jsonLine() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let line = ChangeLine(
      change: kind.rawValue, previousSeverity: previousSeverity?.rawValue,
      time: time.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)), finding: FindingLine(finding))
    guard let data = try? encoder.encode(line) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// The final `-o json` report of a follow run on one line, so standard output stays NDJSON: the
/// change lines, then the report (recognisable by its `schemaVersion`).
package enum FollowOutput {
  package static func oneLine(json text: String) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
      let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return text }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

private struct ChangeLine: Encodable {
  let change: String
  let previousSeverity: String?
  let time: String
  let finding: FindingLine
}

/// The keys of a `findings[]` entry of the JSON report (docs/findings-schema.md "Findings").
private struct FindingLine: Encodable {
  struct SubjectLine: Encodable {
    let namespace: String?
    let pod: String?
    let container: String?
    let object: String?
  }
  struct EvidenceLine: Encodable {
    let ref: String
    let source: String
    let line: Int
    let text: String
  }
  let rule: String
  let category: String
  let severity: String
  let subject: SubjectLine
  let title: String
  let explanation: String
  let remedy: String
  let facts: [String: String]
  let evidence: [EvidenceLine]

  init(_ f: PodmortemModel.Finding) {
    rule = f.ruleID
    category = f.category.rawValue
    severity = f.severity.rawValue
    subject = SubjectLine(
      namespace: f.subject.namespace, pod: f.subject.pod, container: f.subject.container, object: f.subject.object)
    title = f.title
    explanation = f.explanation
    remedy = f.remedy
    facts = Dictionary(f.facts.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    evidence = f.evidence.map {
      EvidenceLine(ref: $0.ref.description, source: $0.ref.source, line: $0.ref.line, text: $0.text)
    }
  }
}
