import Foundation
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

  /// Writes the report to stdout.
  func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
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
      FileHandle.standardError.write(Data("podmortem: \(where_): \(level): \(d.message)\n".utf8))
    }
  }
}
