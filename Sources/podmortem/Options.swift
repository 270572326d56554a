import ArgumentParser
import Foundation
import Podmortem
import PodmortemModel
import PodmortemReport
import PodmortemText

/// The options every reading command shares.
struct InputOptionsGroup: ParsableArguments {
  @Argument(help: "Files, directories, archives (.gz .tar .tar.gz .zip) or - for standard input.")
  var inputs: [String] = []

  @Option(
    name: .long, help: "The capture time the ages in the input are relative to (RFC 3339, e.g. 2026-11-27T01:00:00Z).")
  var now: CaptureTimeArgument?

  @Option(name: .long, help: "A directory of extra pattern files (*.json); may be repeated.")
  var patterns: [String] = []

  @Option(name: .customLong("max-bytes"), help: "Stop reading a source after this many decompressed bytes.")
  var maxBytes: Int64?

  @Flag(name: .customLong("show-secrets"), help: "Show environment values and anything that looks like a secret.")
  var showSecrets = false

  mutating func validate() throws {
    if inputs.isEmpty && isatty(STDIN_FILENO) != 0 {
      throw ValidationError("no input: name files or directories, or pipe text in (kubectl describe pod x | podmortem)")
    }
    if let maxBytes, maxBytes <= 0 { throw ValidationError("--max-bytes must be positive") }
  }

  func analysisOptions() -> AnalysisOptions {
    AnalysisOptions(
      inputs: inputs, now: now?.date, patternDirectories: patterns, maxBytesPerSource: maxBytes,
      revealSecrets: showSecrets)
  }
}

/// An RFC 3339 time on the command line.
struct CaptureTimeArgument: ExpressibleByArgument {
  let date: Date

  init?(argument: String) {
    guard let date = Timestamps.rfc3339(argument) else { return nil }
    self.date = date
  }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, markdown, json, html

  var reportFormat: ReportFormat {
    switch self {
    case .text: .text
    case .markdown: .markdown
    case .json: .json
    case .html: .html
    }
  }
}

enum FailLevel: String, ExpressibleByArgument, CaseIterable {
  case info, warning, critical

  var severity: Severity {
    switch self {
    case .info: .info
    case .warning: .warning
    case .critical: .critical
    }
  }
}
