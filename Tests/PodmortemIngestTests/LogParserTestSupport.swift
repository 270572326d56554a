import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText

/// Collects diagnostics from a `@Sendable` sink in tests.
final class LogDiagnosticCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [Diagnostic] = []

  var diagnostics: [Diagnostic] { lock.withLock { items } }

  func add(_ d: Diagnostic) { lock.withLock { items.append(d) } }
}

/// What one run of the ingestor over a log text produced.
struct LogIngestRun {
  var records: [LogRecord]
  var account: SourceAccount
  var diagnostics: [Diagnostic]
}

/// Runs `text` through the ingestor with only `parsers` (plus the plain-text fallback), reading it
/// through a `window`-byte source.
func ingestLog(
  _ text: String, parsers: [any LineParser.Type], window: Int = .max,
  source: SourceInfo = SourceInfo(name: "kubelet.log"),
  capture: Date = Date(timeIntervalSince1970: 1_795_752_000)  // 2026-11-27T04:00:00Z
) -> LogIngestRun {
  let collector = LogDiagnosticCollector()
  let context = ParseContext(
    source: source, captureTime: CaptureTime(date: capture, origin: .flag),
    diagnostics: { collector.add($0) })
  var reader = LineReader(string: text, window: window)
  var records: [LogRecord] = []
  let account = Ingestor(parsers: parsers + [PlainTextParser.self]).ingest(&reader, context: context) { record in
    if case .log(let log) = record { records.append(log) }
  }
  return LogIngestRun(records: records, account: account, diagnostics: collector.diagnostics)
}

/// An instant from an RFC 3339 text, for expectations.
func instant(_ text: String) -> Date {
  RFC3339.parse(text)?.date ?? .distantPast
}
