import ArgumentParser
import Foundation
import Podmortem
import PodmortemReport

/// `analyze`'s report options: `--config PATH|none` and `--no-config` (the suppression file,
/// README "Suppressing findings"), `--no-trunc`/`--wide` (text lines printed whole).
struct ReportOptionsGroup: ParsableArguments {
  @Option(
    name: .customLong("config"),
    help: ArgumentHelp(
      "A suppression file (default: .podmortem.yaml in the working directory, if there is one); none ignores it.",
      valueName: "path"),
    completion: .file(extensions: ["yaml", "yml"]))
  var configPath: String?

  @Flag(name: .customLong("no-config"), help: "Ignore .podmortem.yaml in the working directory.")
  var noConfig = false

  @Flag(
    name: [.customLong("no-trunc"), .customLong("wide")],
    help: "Print long timeline and evidence lines whole in the text report instead of shortening them.")
  var noTrunc = false

  @Flag(
    name: .customLong("all-pods"),
    help: "Show the timeline of every pod, not only of the pods a finding is about.")
  var allPods = false

  /// The config to apply, or nil. A bad file is a usage error (exit 64): every problem goes to
  /// stderr as `podmortem: FILE:LINE: error: …` and the run stops before reading any input.
  func loadConfig(patternDirectories: [String]) throws -> SuppressionConfig? {
    do {
      return try SuppressionConfig.load(
        explicit: configPath, disabled: noConfig, known: .shipped(patternDirectories: patternDirectories))
    } catch {
      for e in error.errors { _ = OutputWriter.standardError.write("podmortem: \(e)\n") }
      throw ExitCode.validationFailure
    }
  }
}
