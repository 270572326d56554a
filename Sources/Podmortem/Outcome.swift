import Foundation
import PodmortemModel
import PodmortemReport

/// What a run's exit status says, decided from the result alone so every command and output
/// format agrees (README "Exit codes"). A run that read nothing, or recognised nothing it read,
/// must never look like a clean bill of health to a CI job.
package enum Outcome: Equatable, Sendable {
  /// Exit 0: nothing at or above the `--fail-on` level.
  case clean
  /// Exit 1: findings at or above the `--fail-on` level.
  case findings(count: Int)
  /// Exit 2: no source produced a line (missing files, empty stdin).
  case nothingRead
  /// Exit 2: lines were read but no parser recognised any of them (a `kubectl top` table, a README).
  case nothingRecognised(lines: Int, sources: Int)
  /// Exit 3: more than `--fail-on-unrecognised PERCENT` of the lines were not understood.
  case tooMuchUnrecognised(percent: Double, limit: Double)

  /// Decides in this order: nothing read, nothing recognised, unrecognised share over the
  /// limit, findings at or above `failOn` (nil: findings never fail the run, as for `events`), clean.
  package init(_ input: ReportInput, failOn: Severity?, unrecognisedLimit: Double? = nil) {
    let lines = input.accounts.reduce(0) { $0 + $1.lines }
    let parsed = input.accounts.reduce(0) { $0 + $1.parsed }
    let unrecognised = input.accounts.reduce(0) { $0 + $1.unrecognised }
    if lines == 0 {
      self = .nothingRead
    } else if parsed == 0 {
      self = .nothingRecognised(lines: lines, sources: input.accounts.count { $0.lines > 0 })
    } else if let limit = unrecognisedLimit, Double(unrecognised) * 100 > limit * Double(lines) {
      self = .tooMuchUnrecognised(percent: Double(unrecognised) * 100 / Double(lines), limit: limit)
    } else {
      let over = failOn.map { level in input.findings.count { $0.severity >= level } } ?? 0
      self = over > 0 ? .findings(count: over) : .clean
    }
  }

  package var exitCode: Int32 {
    switch self {
    case .clean: 0
    case .findings: 1
    case .nothingRead, .nothingRecognised: 2
    case .tooMuchUnrecognised: 3
    }
  }

  /// True when the report is worth printing for people: a run that recognised nothing prints
  /// only its reason, never "No findings". Machine formats (JSON, SARIF, JUnit) are written
  /// anyway so a pipeline keeps the accounting.
  package var hasReport: Bool {
    switch self {
    case .nothingRead, .nothingRecognised: false
    default: true
    }
  }

  /// Why the exit status is not 0 or 1, for stderr; nil when the report says it all.
  package var reason: String? {
    switch self {
    case .clean, .findings: return nil
    case .nothingRead:
      return "nothing could be read: no input produced a line"
    case .nothingRecognised(let lines, let sources):
      return "nothing recognised: none of the \(lines) line\(lines == 1 ? "" : "s") in \(sources) "
        + "source\(sources == 1 ? "" : "s") is kubectl output, events, pod JSON/YAML or a log podmortem "
        + "reads (see --format json: sources[].firstUnrecognisedLines)"
    case .tooMuchUnrecognised(let percent, let limit):
      return "\(Self.percentText(percent)) of the lines were not recognised, above --fail-on-unrecognised "
        + "\(Self.percentText(limit))"
    }
  }

  static func percentText(_ p: Double) -> String {
    p.rounded() == p ? "\(Int(p))%" : String(format: "%.1f%%", p)
  }

  /// `--fail-on-unrecognised`: a percentage from 0 to 100.
  package static func parsePercent(_ text: String) -> Double? {
    let t = text.hasSuffix("%") ? String(text.dropLast()) : text
    guard let p = Double(t), p.isFinite, p >= 0, p <= 100 else { return nil }
    return p
  }
}
