import ArgumentParser
import Foundation
import Podmortem

/// `podmortem redact IN OUT`: a copy of the input with every secret masked.
struct RedactCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "redact",
    abstract: "Write a copy of a file, directory or archive with every secret masked, to attach to a public issue.",
    discussion: """
      Masks what reports mask (passwords, tokens, keys, PEM blocks …) as ‹redacted:N›, keeping every \
      file's path and line numbers. A text file becomes a text file; a directory or an archive \
      (tar, tar.gz, zip) becomes a directory with the same layout. Never overwrites: OUT must not exist.

      Examples:
        podmortem redact describe.txt describe-redacted.txt
        podmortem redact must-gather.tar.gz must-gather-redacted/
      """
  )

  @Argument(help: "The file, directory or archive to copy (- for standard input).") var input: String
  @Argument(help: "Where to write the copy (must not exist).") var output: String

  @Option(name: .customLong("max-bytes"), help: "Stop reading a source after this many decompressed bytes.")
  var maxBytes: Int64?

  func run() throws {
    let terminal = Terminal()
    try terminal.requireOutput()
    let result: RedactionResult
    do {
      result = try Redactor(maxBytesPerSource: maxBytes).run(
        input: input, output: output, diagnostics: terminal.diagnose)
    } catch .nothingRead(let path) {
      terminal.note("podmortem: nothing could be read from '\(path)'\n")
      throw ExitCode(2)
    } catch {
      throw ValidationError(error.description)
    }
    try terminal.write(result.summary)
  }
}
