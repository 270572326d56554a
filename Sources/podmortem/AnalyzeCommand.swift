import ArgumentParser
import Foundation
import Podmortem
import PodmortemReport

/// `podmortem analyze` (the default): findings, timelines and the input accounting.
struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Diagnose failing pods from files, directories, archives or standard input (the default command)."
  )

  @OptionGroup var input: InputOptionsGroup

  @Option(name: .long, help: "Output format: text, markdown, json or html.")
  var format: OutputFormat = .text

  @Option(
    name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity: info, warning, critical.")
  var failOn: FailLevel = .warning

  func run() throws {
    let terminal = Terminal()
    try terminal.requireOutput()
    let result = Analysis(options: input.analysisOptions()).run(diagnostics: terminal.diagnose)
    try terminal.write(format.reportFormat.render(result.report, palette: terminal.palette))
    if let reason = result.nothingReadReason {
      terminal.note("podmortem: \(reason)\n")
      throw ExitCode(2)
    }
    if result.findings.contains(where: { $0.severity >= failOn.severity }) { throw ExitCode(1) }
  }
}
