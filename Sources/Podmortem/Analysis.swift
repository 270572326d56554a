import Foundation
import PodmortemCorrelate
import PodmortemDiagnose
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemReport
import PodmortemText

/// podmortem's version.
public enum PodmortemVersion {
  public static let string = "0.1.0"
}

/// What to analyse and how: the whole configuration of an ``Analysis``.
public struct AnalysisOptions: Sendable {
  /// Paths to read: files (plain, `.gz`, `.tar`, `.tar.gz`, `.zip`) and directories; `-` is
  /// standard input. Empty means standard input.
  public var inputs: [String]
  /// The moment the input was captured, which ages (`5m`) count back from (`--now`); nil lets each
  /// source choose: a time it holds, else its file's modification time, else the start of the run
  /// (docs/architecture.md "Time").
  public var now: Date?
  /// Directories of extra pattern files (`--patterns DIR`, docs/patterns.md).
  public var patternDirectories: [String]
  /// The decompression cap per source (`--max-bytes`); nil keeps the default.
  public var maxBytesPerSource: Int64?
  /// The decompression budget of the whole run (`--max-total-bytes`); nil keeps the default.
  public var maxTotalBytes: Int64?
  /// Keep and show environment values and anything that looks like a secret (never by default).
  public var revealSecrets: Bool
  /// Build each pod's timeline (the default). Only the text, Markdown and HTML reports print
  /// timelines: the CLI turns this off for the others (`OutputFormat.printsTimelines`), which then
  /// never hold them (docs/architecture.md "What must hold", Streaming).
  package var timelines = true
  /// A plain file of at least this many bytes that a parser may cut (a kubelet log, concatenated
  /// describes, a list as kubectl indents it: `SplitParser`) is read in two halves on two threads
  /// (`SecondPart`, docs/architecture.md "Long and live inputs"); nil reads every file in one go.
  /// The result is the same either way.
  package var splitFilesAbove: Int64? = 8 << 20
  /// Told the first line of each second half whose result is used (tests).
  package var secondPartUsed: (@Sendable (Int) -> Void)?
  /// Told, for each second half used, how many heads its first half published (`HeadFills`; tests).
  package var headsPublished: (@Sendable (Int) -> Void)?

  /// - Parameters:
  ///   - inputs: files, directories or `-`; empty reads standard input.
  ///   - now: the capture time; nil lets each source choose.
  ///   - patternDirectories: extra pattern files to load beside the shipped ones.
  ///   - maxBytesPerSource: the decompression cap per source.
  ///   - maxTotalBytes: the decompression budget of the run.
  ///   - revealSecrets: show secrets instead of masking them.
  public init(
    inputs: [String], now: Date? = nil, patternDirectories: [String] = [], maxBytesPerSource: Int64? = nil,
    maxTotalBytes: Int64? = nil, revealSecrets: Bool = false
  ) {
    self.maxTotalBytes = maxTotalBytes
    self.inputs = inputs
    self.now = now
    self.patternDirectories = patternDirectories
    self.maxBytesPerSource = maxBytesPerSource
    self.revealSecrets = revealSecrets
  }
}

/// The result of a run: its findings, what became of every input line, and the reports.
public struct AnalysisResult: Sendable {
  package var report: ReportInput
  /// True when at least one source produced at least one line.
  public var readAnything: Bool

  /// Why nothing could be read, for the one line on stderr beside exit 2; nil when something was.
  package var nothingReadReason: String? {
    guard !readAnything else { return nil }
    if report.accounts.isEmpty {
      let problems = report.diagnostics.filter { $0.level != .note }.count
      if problems > 0 {
        return "nothing could be read: every input failed (\(problems) problem\(problems == 1 ? "" : "s") above)"
      }
      return report.diagnostics.isEmpty
        ? "nothing could be read: the input holds no files (an empty folder or archive)"
        : "nothing could be read: every source was empty or skipped (see above)"
    }
    return "nothing could be read: every source was empty"
  }
}

extension OutputFormat {
  /// True for the formats whose report prints pod timelines: text, Markdown and HTML (JSON,
  /// JUnit and SARIF never read them).
  package var printsTimelines: Bool { self == .text || self == .markdown || self == .html }
}

/// An analysis of Kubernetes text: it reads the inputs, correlates their events, logs and objects,
/// and diagnoses every pod (Input → Ingest → Correlate → Diagnose, docs/architecture.md).
///
/// The library never prints: input problems come back in ``AnalysisResult/problems``, and
/// everything from the input — findings, evidence, problems — has its secrets masked unless
/// ``AnalysisOptions/revealSecrets`` is set.
///
/// ```swift
/// let result = Analysis(options: AnalysisOptions(inputs: ["describe.txt"])).run()
/// for finding in result.findings where finding.severity >= .warning {
///   print(finding.subject, finding.title)
/// }
/// ```
public struct Analysis: Sendable {
  public var options: AnalysisOptions
  /// Told how far each input has been read (a progress line); nil by default.
  package var progress: ProgressSink?

  public init(options: AnalysisOptions) {
    self.options = options
  }

  /// Reads every input and diagnoses what it held. Bad input never stops the run: each problem is
  /// in ``AnalysisResult/problems`` and the rest is read.
  public func run() -> AnalysisResult { run(diagnostics: { _ in }, live: nil) }

  package func run(diagnostics: @escaping DiagnosticSink) -> AnalysisResult {
    run(diagnostics: diagnostics, live: nil)
  }

  /// The run; `live`, a follow session, follows the last input and is shown every record as it
  /// is correlated (FollowSession.swift).
  func run(diagnostics: @escaping DiagnosticSink, live: FollowSession?) -> AnalysisResult {
    // One filter for the whole run: diagnostics reach stderr masked and with control characters
    // made visible, with the same tokens the report uses (docs/architecture.md "Secrets").
    let filter = OutputFilter(masker: options.revealSecrets ? nil : SecretMasker())
    let collected = DiagnosticCollector(forward: diagnostics, filter: filter)
    let sink: DiagnosticSink = { collected.add($0) }
    let patterns = loadPatterns(diagnostics: sink)
    var inputOptions = InputOptions()
    if let max = options.maxBytesPerSource { inputOptions.maxBytesPerSource = max }
    inputOptions.maxTotalBytes = options.maxTotalBytes
    // A followed stream is read in one go, as it arrives.
    inputOptions.splitFilesAbove = live == nil ? options.splitFilesAbove : nil
    let reader = InputReader(options: inputOptions, diagnostics: sink, progress: progress)
    let ingestor = Ingestor(patterns: patterns)
    let correlator = CorrelatorBox()
    live?.start(correlator: correlator, patterns: patterns, filter: filter)
    var accounts: [SourceAccount] = []
    let startedAt = Date()
    reader.read(options.inputs.isEmpty ? ["-"] : options.inputs, following: live?.control) { info, lines in
      var context = ParseContext(
        source: info, captureTime: captureTime(for: info, runStartedAt: startedAt), diagnostics: sink,
        keepEnvironmentValues: options.revealSecrets)
      live?.reading(captureTime: context.captureTime)
      // A large plain file may be read in two halves (SecondPart.swift); the first half's note on
      // inferred years is watched so that the second half's is said only when the first had none.
      let parts = reader.parts.take()
      let watch = YearNoteWatch()
      if parts != nil {
        context.diagnostics = { [watch] d in
          if SecondPart.isYearNote(d) { watch.noted = true }
          sink(d)
        }
      }
      var second: SecondPart?
      let read = ingestor.ingest(
        &lines, context: context,
        started: { start in
          if let parts { second = SecondPart.start(parts, start, ingestor: ingestor) }
          // The first half publishes the heads it fills; the second half does not keep them
          // (`HeadFills`, docs/architecture.md "Memory of the kubelet-log run").
          if let second { correlator.value.publishHeads(to: second.heads) }
        }
      ) {
        correlator.value.add($0)
        live?.recordAdded()
      }
      if second != nil { correlator.value.publishHeads(to: nil) }
      var account = read.account
      if let second {
        second.wait()
        if parts?.stopped == true {
          second.firstNoted = watch.noted
          second.merge(into: &account, correlator: &correlator.value, firstBlock: read.pastedBlock, diagnostics: sink)
          options.secondPartUsed?(second.firstLine)
          options.headsPublished?(second.heads.count)
        }
      }
      if let capture = account.captureTime { correlator.value.note(capture) }
      accounts.append(account)
    }
    // Without a follow session the correlator is not used again: its event book and log samples
    // are freed as the state takes them, and the rest of it (merge tables) before diagnosis and the
    // report (docs/architecture.md "What must hold", Streaming).
    let state = live == nil ? correlator.value.finishReleasing(timelines: options.timelines) : correlator.value.finish()
    if live == nil { correlator.value = Correlator() }
    let findings = Diagnoser(patterns: patterns).diagnose(state)
    live?.finish(findings)
    let report = ReportInput(
      toolVersion: PodmortemVersion.string, accounts: accounts, diagnostics: collected.all.sorted(),
      state: consume state, findings: consume findings, filter: filter)
    return AnalysisResult(report: report, readAnything: accounts.contains { $0.lines > 0 })
  }

  /// `--now`, else the file's modification time, else the time the run started (docs/architecture.md "Time").
  private func captureTime(for info: SourceInfo, runStartedAt: Date) -> CaptureTime {
    if let now = options.now { return CaptureTime(date: now, origin: .flag) }
    if let mtime = info.modificationDate, !info.isStandardInput, Plausible.contains(mtime) {
      return CaptureTime(date: mtime, origin: .fileModificationTime)
    }
    return CaptureTime(date: runStartedAt, origin: .currentTime)
  }

  private func loadPatterns(diagnostics: @escaping DiagnosticSink) -> PatternCatalog {
    var catalog = PatternCatalog.shipped(diagnostics: diagnostics)
    for dir in options.patternDirectories {
      catalog = catalog.merging(PatternCatalog.load(directory: URL(fileURLWithPath: dir), diagnostics: diagnostics))
    }
    return catalog
  }
}

/// The run's correlator, shared with a follow session, which diagnoses what it holds so far
/// while the reader waits for more (FollowSession.swift). Used on the reading thread only.
final class CorrelatorBox: @unchecked Sendable {
  var value = Correlator()
}

/// Whether the first half of a file read in two said the note on inferred years (reading thread).
private final class YearNoteWatch: @unchecked Sendable {
  var noted = false
}

/// Collects diagnostics while forwarding them as they happen (a long run shows problems early).
private final class DiagnosticCollector: @unchecked Sendable {
  // Guarded by `lock`: diagnostics may arrive from any thread an input stage uses.
  private let lock = NSLock()
  private var items: [Diagnostic] = []
  private let forward: DiagnosticSink
  private let filter: OutputFilter

  init(forward: @escaping DiagnosticSink, filter: OutputFilter) {
    self.forward = forward
    self.filter = filter
  }

  func add(_ d: Diagnostic) {
    let d = filter.diagnostic(d)
    lock.lock()
    items.append(d)
    lock.unlock()
    forward(d)
  }

  var all: [Diagnostic] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
