import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel

/// Collects what a sink is sent (diagnostic sinks must be Sendable).
final class Collector<Element: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [Element] = []

  func append(_ element: Element) {
    lock.lock()
    storage.append(element)
    lock.unlock()
  }

  var items: [Element] {
    lock.lock()
    defer { lock.unlock() }
    return storage
  }
}

/// One source pushed through the whole ingest stage.
struct IngestRun {
  var records: [Record]
  var diagnostics: [Diagnostic]
  var account: SourceAccount

  var events: [Event] { records.compactMap { if case .event(let e) = $0 { e } else { nil } } }
  var pods: [PodSnapshot] { records.compactMap { if case .pod(let p) = $0 { p } else { nil } } }
  var nodes: [NodeSnapshot] { records.compactMap { if case .node(let n) = $0 { n } else { nil } } }
  var workloads: [WorkloadSnapshot] { records.compactMap { if case .workload(let w) = $0 { w } else { nil } } }
}

let objectCaptureDate = Date(timeIntervalSince1970: 1_795_741_323)  // 2026-11-27T01:02:03Z

func ingest(_ text: String, window: Int = .max, name: String = "input.json") -> IngestRun {
  var reader = LineReader(MemoryByteSource(text, window: window))
  let diagnostics = Collector<Diagnostic>()
  let context = ParseContext(
    source: SourceInfo(name: name), captureTime: CaptureTime(date: objectCaptureDate, origin: .flag),
    diagnostics: { diagnostics.append($0) })
  var records: [Record] = []
  let account = Ingestor().ingest(&reader, context: context) { records.append($0) }
  return IngestRun(records: records, diagnostics: diagnostics.items, account: account)
}

/// An RFC 3339 UTC time as a Date.
func date(_ text: String) -> Date {
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
  if let d = formatter.date(from: text) { return d }
  formatter.formatOptions = [.withInternetDateTime]
  return formatter.date(from: text) ?? .distantPast
}
