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

  @OptionGroup(title: "Selection (kubectl's flags)") var select: SelectionOptionsGroup

  @OptionGroup(title: "Long and live inputs") var live: LiveOptionsGroup

  @Option(
    name: [.customShort("o", allowingJoined: true), .customLong("output"), .customLong("format")],
    help: "Output format (-o as in kubectl).")
  var format: OutputFormat = .text

  @Option(
    name: .customLong("fail-on"), help: "Exit 1 when a finding is at or above this severity.")
  var failOn: FailLevel = .warning

  @Option(
    name: .customLong("fail-on-unrecognised"),
    help: ArgumentHelp(
      "Exit 3 when more than this percentage (0-100) of the lines read were not recognised (format drift).",
      valueName: "percent"))
  var failOnUnrecognised: PercentArgument?

  @OptionGroup(title: "Suppression and width") var reportOptions: ReportOptionsGroup

  func validate() throws {
    try rejectNearMissCommand(input.inputs)
    try live.validate(inputs: input.inputs)
  }

  func run() throws {
    let terminal = Terminal(colour: input.color)
    try terminal.requireOutput()
    let config = try reportOptions.loadConfig(patternDirectories: input.patterns)
    var options = input.analysisOptions()
    options.timelines = format.printsTimelines
    let result = try live.analyse(
      options, selection: select.selection, config: config, format: format, terminal: terminal)
    var report = select.selection.apply(to: result.report)
    if let config { report = config.apply(to: report) }
    report.allPods = reportOptions.allPods
    // The process ends after the report; freeing it object by object first was 2 % of a run
    // over 10,000 describes. It is kept until exit, which returns the memory at once (as clang's
    // -disable-free, https://github.com/llvm/llvm-project/blob/main/clang/include/clang/Frontend/FrontendOptions.h).
    defer { KeptUntilExit.keep((result, report)) }
    let outcome = Outcome(report, failOn: failOn.severity, unrecognisedLimit: failOnUnrecognised?.value)
    // JSON, text and Markdown are written as they are rendered: a large report is never held whole.
    if format == .json && !live.follow {
      try terminal.stream { JSONRenderer().render(report, to: $0) }
    } else if format == .text && outcome.hasReport {
      try terminal.stream {
        TextRenderer(palette: terminal.palette, wide: reportOptions.noTrunc).render(report, to: $0)
      }
    } else if format == .markdown && outcome.hasReport {
      try terminal.stream { MarkdownRenderer().render(report, to: $0) }
    } else if outcome.hasReport || format.isMachineReadable {
      let text = format.render(
        report, failOn: failOn.severity, palette: terminal.palette, wide: reportOptions.noTrunc)
      try terminal.write(live.finalText(text, format: format))
    }
    // Nothing read: the input's own reason (every input failed, an empty folder) says more.
    if let reason = result.nothingReadReason ?? outcome.reason { terminal.note("podmortem: \(reason)\n") }
    if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
  }
}

/// What is never freed: the process is about to exit, and exit frees it all at once.
final class KeptUntilExit<Value>: @unchecked Sendable {
  let value: Value

  private init(_ value: Value) { self.value = value }

  /// Retains `value` past every reference to it, so it is not freed before the process exits.
  static func keep(_ value: Value) { _ = Unmanaged.passRetained(KeptUntilExit(value)) }
}
