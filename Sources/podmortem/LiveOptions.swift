import ArgumentParser
import Dispatch
import Foundation
import Podmortem
import PodmortemModel
import PodmortemReport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `--follow` and the progress line: long and live inputs (README "Following a live stream", "Progress").
struct LiveOptionsGroup: ParsableArguments {
  @Flag(
    name: [.customShort("w"), .customLong("follow"), .customLong("watch")],
    help: ArgumentHelp(
      "Follow the last input (standard input, a pipe or a growing file): print each finding when it appears or changes severity, and the report when the stream ends or on Ctrl-C."
    ))
  var follow = false

  func validate(inputs: [String]) throws {
    guard follow, let problem = FollowSession.problem(following: inputs) else { return }
    throw ValidationError(problem)
  }

  /// Runs the analysis: followed, or read once with a progress line on a terminal.
  func analyse(
    _ options: AnalysisOptions, selection: Selection, config: SuppressionConfig?, format: OutputFormat,
    terminal: Terminal
  ) throws -> AnalysisResult {
    guard follow else { return ProgressDrawer.run(Analysis(options: options), terminal: terminal) }
    let session = FollowSession(options: options, selection: selection, config: config)
    // SIGINT and SIGTERM end the stream; the report is then printed as at its end. A second one
    // exits at once (128 + the signal, as a shell reports it).
    let signals = DispatchQueue(label: "podmortem.signals")
    nonisolated(unsafe) var received = 0
    let sources = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: signals)
      source.setEventHandler {
        received += 1
        if received > 1 { _exit(128 + number) }
        session.stop()
      }
      source.resume()
      return source
    }
    // Lines go to stdout in text and JSON; beside a Markdown, HTML, JUnit or SARIF document they
    // go to stderr, so the document stays valid.
    let toStdout = format == .text || format == .json
    let palette: Palette = toStdout ? terminal.palette : terminal.colourErr ? .ansi : .plain
    nonisolated(unsafe) var failure: ExitCode?
    let result = session.run(diagnostics: terminal.diagnose) { change in
      let line = format == .json ? change.jsonLine() : change.textLine(palette: palette)
      guard toStdout else { return terminal.note(line) }
      do { try terminal.write(line) } catch let error as ExitCode {
        failure = failure ?? error
        session.stop()
      } catch {}
    }
    // The stream is over: a Ctrl-C while the report is written ends the process as usual.
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
    if let failure { throw failure }
    return result
  }

  /// The final report: in follow mode, a JSON report is written on one line after the NDJSON change lines.
  func finalText(_ text: String, format: OutputFormat) -> String {
    follow && format == .json ? FollowOutput.oneLine(json: text) : text
  }
}

/// Draws the progress line on stderr when it is a terminal (README "Progress"): redrawn in place
/// at most ten times a second, erased before any diagnostic or the report is written.
final class ProgressDrawer: @unchecked Sendable {
  // Guarded by `lock`: diagnostics may come from any thread an input stage uses.
  private let lock = NSLock()
  private var shownWidth = 0
  private var lastDraw: ContinuousClock.Instant?
  private let dumb: Bool

  private init(dumb: Bool) { self.dumb = dumb }

  /// Runs `analysis` with a progress line when stderr is a terminal; the line is gone when it returns.
  static func run(_ analysis: Analysis, terminal: Terminal) -> AnalysisResult {
    guard let drawer = onStandardError() else { return analysis.run(diagnostics: terminal.diagnose) }
    var analysis = analysis
    analysis.progress = { drawer.update($0) }
    let result = analysis.run(diagnostics: drawer.erasing(terminal.diagnose))
    drawer.erase()
    return result
  }

  /// A drawer when stderr is a terminal; nil in a pipe or a file.
  static func onStandardError(environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressDrawer? {
    isatty(STDERR_FILENO) != 0 ? ProgressDrawer(dumb: environment["TERM"] == "dumb") : nil
  }

  func update(_ progress: ReadProgress) {
    lock.lock()
    defer { lock.unlock() }
    if progress.finished { return eraseLocked() }
    let now = ContinuousClock.now
    if let lastDraw, now - lastDraw < .milliseconds(100) { return }
    guard let text = ProgressText.line(progress, width: Self.columns()) else { return }
    lastDraw = now
    // `\r` and erase-to-end-of-line (ECMA-48 EL); a dumb terminal gets spaces over the old line.
    let tail = dumb ? String(repeating: " ", count: max(0, shownWidth - text.count)) : "\u{1B}[K"
    _ = OutputWriter.standardError.write("\r" + text + tail)
    shownWidth = text.count
  }

  func erase() {
    lock.lock()
    eraseLocked()
    lock.unlock()
  }

  /// `sink`, erasing the line before each diagnostic.
  func erasing(_ sink: @escaping DiagnosticSink) -> DiagnosticSink {
    { [self] d in
      erase()
      sink(d)
    }
  }

  private func eraseLocked() {
    guard shownWidth > 0 else { return }
    _ = OutputWriter.standardError.write(dumb ? "\r" + String(repeating: " ", count: shownWidth) + "\r" : "\r\u{1B}[K")
    shownWidth = 0
  }

  /// The terminal's width (TIOCGWINSZ), 80 when it cannot tell.
  private static func columns() -> Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }
}
