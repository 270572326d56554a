import Foundation
import Testing

/// The binary as a black box: exit codes, streams, formats, colour.
@Suite("podmortem command line")
struct CommandLineTests {
  static let describe = """
    Name:             web-0
    Namespace:        default
    Status:           Running
    Events:           <none>

    """

  @Test("--version prints the version and exits 0")
  func version() throws {
    let r = try BinaryRunner.run(["--version"])
    #expect(r.status == 0)
    #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
  }

  @Test("--help shows examples and exit codes")
  func help() throws {
    let r = try BinaryRunner.run(["--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("kubectl describe pod web-0 | podmortem"))
    #expect(r.stdout.contains("Exit codes"))
  }

  @Test("an unknown flag is a usage error: exit 64")
  func usage() throws {
    let r = try BinaryRunner.run(["--no-such-flag"])
    #expect(r.status == 64)
    #expect(r.stdout.isEmpty)
    #expect(!r.stderr.isEmpty)
  }

  @Test("a bad --now and a bad --format are usage errors")
  func badValues() throws {
    #expect(try BinaryRunner.run(["--now", "yesterday", "x"]).status == 64)
    #expect(try BinaryRunner.run(["--format", "pdf", "x"]).status == 64)
    #expect(try BinaryRunner.run(["--max-bytes", "0", "x"]).status == 64)
  }

  @Test("empty standard input: nothing could be read, exit 2")
  func emptyStdin() throws {
    let r = try BinaryRunner.run([], stdin: "")
    #expect(r.status == 2)
  }

  @Test("a missing file is a diagnostic on stderr naming it, and exit 2")
  func missingFile() throws {
    let r = try BinaryRunner.run(["no-such-file.txt"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("no-such-file.txt"))
    #expect(!r.stdout.contains("podmortem: no-such-file.txt"))
  }

  @Test("a pipe is read as standard input, the default subcommand is analyze")
  func pipe() throws {
    let r = try BinaryRunner.run(["--format", "json"], stdin: Self.describe)
    #expect(r.status == 0 || r.status == 1)
    let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let sources = doc?["sources"] as? [[String: Any]]
    #expect(sources?.first?["source"] as? String == "<stdin>")
    #expect(sources?.first?["lines"] as? Int == 4)
  }

  @Test("no colour escapes without a TTY, and none with NO_COLOR")
  func noColour() throws {
    for env in [[:], ["NO_COLOR": "1"]] {
      let r = try BinaryRunner.run([], stdin: Self.describe, environment: env)
      #expect(!r.stdout.contains("\u{1B}["))
      #expect(!r.stderr.contains("\u{1B}["))
    }
  }

  @Test("every format renders", arguments: ["text", "markdown", "json", "html"])
  func formats(format: String) throws {
    let r = try BinaryRunner.run(["--format", format, "--now", "2026-11-27T01:00:00Z"], stdin: Self.describe)
    #expect(r.status == 0 || r.status == 1)
    #expect(!r.stdout.isEmpty)
    if format == "json" { #expect((try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) != nil) }
    if format == "html" { #expect(r.stdout.hasPrefix("<!doctype html>")) }
  }
}
