import Foundation
import PodmortemInput
import PodmortemModel

@testable import PodmortemIngest

/// The capture time every kubectl fixture is relative to: 2026-11-27T01:00:00Z.
let captureDate = Date(timeIntervalSince1970: 1_795_741_200)
let capture = CaptureTime(date: captureDate, origin: .flag)

/// What the kubectl parser made of a text: its records and the verdict on every line.
struct KubectlResult {
  var records: [Record] = []
  var verdicts: [Int: SourceAccount.Verdict] = [:]

  var pods: [PodSnapshot] { records.compactMap { if case .pod(let p) = $0 { p } else { nil } } }
  var events: [Event] { records.compactMap { if case .event(let e) = $0 { e } else { nil } } }
  var nodes: [NodeSnapshot] { records.compactMap { if case .node(let n) = $0 { n } else { nil } } }
  var workloads: [WorkloadSnapshot] { records.compactMap { if case .workload(let w) = $0 { w } else { nil } } }

  func lines(_ verdict: SourceAccount.Verdict) -> [Int] { verdicts.filter { $0.value == verdict }.keys.sorted() }
  var unrecognised: [Int] { lines(.unrecognised) }
  var parsed: [Int] { lines(.parsed) }
  var ignored: [Int] { lines(.ignored) }
}

/// Feeds `text` through a LineReader with `window`-byte reads into a KubectlTextParser.
func parseKubectl(_ text: String, window: Int = .max, keepEnvironmentValues: Bool = false) -> KubectlResult {
  var reader = LineReader(string: text, window: window)
  let context = ParseContext(
    source: SourceInfo(name: "paste.txt"), captureTime: capture, diagnostics: { _ in },
    keepEnvironmentValues: keepEnvironmentValues)
  var parser = KubectlTextParser(context: context)
  var result = KubectlResult()
  while let line = reader.next() {
    result.verdicts[line.number] = parser.feed(line) { result.records.append($0) }
  }
  parser.finish { result.records.append($0) }
  return result
}

/// `seconds` before the capture time.
func ago(_ seconds: Double) -> Date { captureDate.addingTimeInterval(-seconds) }

/// The range an age `min` with precision `unit` stands for.
func agoRange(_ min: Double, unit: Double) -> TimeRange {
  TimeRange(earliest: ago(min + unit - 0.001), latest: ago(min))
}

/// True when two ranges agree to a millisecond (floating-point sums differ in the last bits).
func same(_ a: TimeRange?, _ b: TimeRange?) -> Bool {
  guard let a, let b else { return a == nil && b == nil }
  return abs(a.earliest.timeIntervalSince(b.earliest)) < 1e-3 && abs(a.latest.timeIntervalSince(b.latest)) < 1e-3
}
