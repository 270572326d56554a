import ArgumentParser
import Foundation
import Podmortem
import PodmortemModel
import PodmortemReport
import PodmortemText

/// The options every reading command shares.
struct InputOptionsGroup: ParsableArguments {
  @Argument(
    help: "Files, directories, archives (.gz .tar .tar.gz .zip) or - for standard input.", completion: .file())
  var inputs: [String] = []

  @Option(
    name: .long, help: "The capture time the ages in the input are relative to (RFC 3339, e.g. 2026-11-27T01:00:00Z).")
  var now: CaptureTimeArgument?

  @Option(name: .long, help: "A directory of extra pattern files (*.json); may be repeated.")
  var patterns: [String] = []

  @Option(name: .customLong("max-bytes"), help: "Stop reading a source after this many decompressed bytes.")
  var maxBytes: Int64?

  @Option(
    name: .customLong("max-total-bytes"),
    help: "Stop decompressing after this many bytes in the whole run (default: 100 × the input size, at most 4 GiB).")
  var maxTotalBytes: Int64?

  @Flag(name: .customLong("show-secrets"), help: "Show environment values and anything that looks like a secret.")
  var showSecrets = false

  @Option(
    name: [.customLong("color"), .customLong("colour")],
    help: "Colour; auto means on a terminal, unless NO_COLOR is set or TERM=dumb.")
  var color: ColourChoice = .auto

  mutating func validate() throws {
    if inputs.isEmpty && isatty(STDIN_FILENO) != 0 {
      throw ValidationError("no input: name files or directories, or pipe text in (kubectl describe pod x | podmortem)")
    }
    if let maxBytes, maxBytes <= 0 { throw ValidationError("--max-bytes must be positive") }
    if let maxTotalBytes, maxTotalBytes <= 0 { throw ValidationError("--max-total-bytes must be positive") }
  }

  func analysisOptions() -> AnalysisOptions {
    AnalysisOptions(
      inputs: inputs, now: now?.date, patternDirectories: patterns, maxBytesPerSource: maxBytes,
      maxTotalBytes: maxTotalBytes, revealSecrets: showSecrets)
  }
}

/// kubectl's selection flags, shared by `analyze` and `events` (README "Selecting").
struct SelectionOptionsGroup: ParsableArguments {
  @Option(name: [.customShort("n"), .long], help: "Only this namespace.")
  var namespace: String?

  @Flag(
    name: [.customShort("A"), .customLong("all-namespaces")],
    help: "Every namespace (the default; as in kubectl, it overrides -n).")
  var allNamespaces = false

  @Option(
    name: .customLong("for"),
    help: ArgumentHelp(
      "Only this object: resource/name (pod/web-0, deploy/api, node/n1); the name may be a glob (pod/web-*).",
      valueName: "kind/name"))
  var object: String?

  @Option(
    help: ArgumentHelp(
      "Only events (and timeline entries) last seen within this duration before the capture time (10m, 2h, 1h30m) or since an RFC 3339 time.",
      valueName: "duration|time"))
  var since: String?

  @Option(help: ArgumentHelp("Only these event types, comma-separated: Normal, Warning.", valueName: "types"))
  var types: String?

  /// The parsed selection; `validate` has checked every flag.
  var selection: Selection {
    Selection(
      namespace: allNamespaces ? nil : namespace, object: object.flatMap { try? ObjectSelector.parse($0) },
      since: since.flatMap { try? Since.parse($0) }, types: types.flatMap { try? Selection.parseTypes($0) })
  }

  func validate() throws {
    do {
      if let object { _ = try ObjectSelector.parse(object) }
      if let since { _ = try Since.parse(since) }
      if let types { _ = try Selection.parseTypes(types) }
    } catch {
      throw ValidationError(error.description)
    }
    if let namespace, namespace.isEmpty { throw ValidationError("--namespace must not be empty") }
  }
}

/// `--fail-on-unrecognised PERCENT`.
struct PercentArgument: ExpressibleByArgument {
  let value: Double

  init?(argument: String) {
    guard let value = Outcome.parsePercent(argument) else { return nil }
    self.value = value
  }
}

/// An option's value named by a `String` enum's raw values, with ArgumentParser's defaults for its
/// value strings and descriptions written out. The defaults read each case through a key path and
/// string interpolation in generic code, and the first use of each type cost the runtime's
/// conformance searches about 450,000 instructions on every run, help or not (docs/architecture.md,
/// "The start-up floor"). The strings are the defaults': each case's raw value, and no descriptions
/// (ArgumentParser lists a description only where it differs from the raw value).
/// Public because the library's public `OutputFormat` is one, and its witnesses must be public.
public protocol RawValueArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension RawValueArgument {
  public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
  public static var allValueDescriptions: [String: String] { [:] }
  public var defaultValueDescription: String { rawValue }
}

/// `--color`.
enum ColourChoice: String, RawValueArgument {
  case auto, always, never
}

/// Refuses a first input that is no file but a near miss of a command name, so
/// `podmortem explian backoff` is a usage error and not two missing files.
func rejectNearMissCommand(_ inputs: [String]) throws {
  guard let first = inputs.first, first != "-", !first.contains("/"), !first.contains("."),
    !FileManager.default.fileExists(atPath: first)
  else { return }
  let commands = PodmortemCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
  if let near = Suggestion.nearest(to: first, among: commands) {
    throw ValidationError("unknown command '\(first)'. Did you mean '\(near)'?")
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

// `-o`/`--format` takes the library's formats by name.
extension OutputFormat: RawValueArgument {}

enum FailLevel: String, RawValueArgument {
  case info, warning, critical

  var severity: Severity {
    switch self {
    case .info: .info
    case .warning: .warning
    case .critical: .critical
    }
  }
}
