import Foundation
import PodmortemModel
import PodmortemReport

/// The process's terminal: where the report and diagnostics go, and whether colour is allowed.
/// Colour only on a TTY, and never with `NO_COLOR` set (https://no-color.org).
struct Terminal: Sendable {
  let colourOut: Bool
  let colourErr: Bool

  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    let noColour = !(environment["NO_COLOR"] ?? "").isEmpty
    colourOut = !noColour && isatty(STDOUT_FILENO) != 0
    colourErr = !noColour && isatty(STDERR_FILENO) != 0
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
