import ArgumentParser
import Foundation
import Podmortem
import PodmortemModel
import PodmortemReport

/// The process's terminal: where the report and diagnostics go, and whether colour is allowed.
/// `--color auto` (the default): colour only on a TTY, never with `NO_COLOR` set
/// (https://no-color.org) or `TERM=dumb`; `always` and `never` override both.
struct Terminal: Sendable {
  let colourOut: Bool
  let colourErr: Bool

  init(colour: ColourChoice = .auto, environment: [String: String] = ProcessInfo.processInfo.environment) {
    let noColour = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
    switch colour {
    case .always: (colourOut, colourErr) = (true, true)
    case .never: (colourOut, colourErr) = (false, false)
    case .auto:
      colourOut = !noColour && isatty(STDOUT_FILENO) != 0
      colourErr = !noColour && isatty(STDERR_FILENO) != 0
    }
  }

  var palette: Palette { colourOut ? .ansi : .plain }

  /// Writes the report to stdout; when it cannot be written, one line on stderr and exit 74
  /// (a closed pipe exits quietly, README "Exit codes").
  func write(_ text: String) throws {
    try report(OutputWriter.standardOutput.write(text))
  }

  /// Writes a document to stdout as `produce` renders it, with `write`'s errors.
  func stream(_ produce: (@escaping (UnsafeRawBufferPointer) -> Bool) -> Void) throws {
    try report(OutputWriter.standardOutput.stream(produce))
  }

  private func report(_ result: Result<Void, OutputFailure>) throws {
    switch result {
    case .success: return
    case .failure(.closedPipe): throw ExitCode(OutputWriter.closedPipeStatus)
    case .failure(let failure):
      _ = OutputWriter.standardError.write("podmortem: cannot write the report to standard output: \(failure)\n")
      throw ExitCode(OutputWriter.ioErrorStatus)
    }
  }

  /// Refuses to start when stdout is closed: the report would have nowhere to go.
  func requireOutput() throws {
    guard OutputWriter.standardOutput.isOpen else {
      _ = OutputWriter.standardError.write("podmortem: cannot write the report: standard output is closed\n")
      throw ExitCode(OutputWriter.ioErrorStatus)
    }
  }

  /// One line for the user on stderr (a failing stderr is ignored: there is nowhere else to say it).
  func note(_ text: String) {
    _ = OutputWriter.standardError.write(text)
  }

  /// Writes one input diagnostic to stderr as it happens.
  var diagnose: DiagnosticSink {
    let palette: Palette = colourErr ? .ansi : .plain
    return { d in
      let level =
        switch d.level {
        case .error: palette.paint("error", .critical)
        case .warning: palette.paint("warning", .warning)
        case .note: palette.paint("note", .dim)
        }
      var where_ = d.ref.description
      if let offset = d.byteOffset { where_ += " (byte \(offset))" }
      _ = OutputWriter.standardError.write("podmortem: \(where_): \(level): \(d.message)\n")
    }
  }
}
