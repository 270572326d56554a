import Foundation
import Testing

/// `--color`, `NO_COLOR`, `TERM=dumb`, counts never cut, and `completion` (README "Terminal").
@Suite("terminal")
struct TerminalTests {
  static let now = "2026-11-27T01:00:00Z"
  static let failing = "samples/liveness-http-timeout/describe.txt"
  static let escape = "\u{1B}["

  /// Runs the binary on a pseudo-terminal with script(1) (util-linux), as a user's shell would.
  static func onTerminal(_ arguments: [String], environment: [String: String]) throws -> String {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("typescript")
    let command = ([BinaryRunner.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let env = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
    let status = try BinaryRunner.shell(
      "cd '\(BinaryRunner.repoRoot.path)' && env -u NO_COLOR \(env) script -qec \"\(command)\" '\(out.path)' > /dev/null",
      cwd: dir)
    #expect(status == 1, "podmortem on a terminal exits 1 on the failing sample")
    return try String(contentsOf: out, encoding: .utf8)
  }

  @Test("on a terminal: colour by default, none with NO_COLOR, TERM=dumb or --color never")
  func terminal() throws {
    let args = ["--now", Self.now, Self.failing]
    #expect(try Self.onTerminal(args, environment: ["TERM": "xterm-256color"]).contains(Self.escape))
    #expect(!(try Self.onTerminal(args, environment: ["TERM": "xterm", "NO_COLOR": "1"]).contains(Self.escape)))
    #expect(!(try Self.onTerminal(args, environment: ["TERM": "dumb"]).contains(Self.escape)))
    #expect(!(try Self.onTerminal(["--color", "never"] + args, environment: ["TERM": "xterm"]).contains(Self.escape)))
    #expect(try Self.onTerminal(["--color", "always"] + args, environment: ["TERM": "dumb"]).contains(Self.escape))
  }

  @Test("in a pipe: no colour unless --color always")
  func pipe() throws {
    let args = ["--now", Self.now, Self.failing]
    #expect(!(try BinaryRunner.run(args).stdout.contains(Self.escape)))
    #expect(!(try BinaryRunner.run(["--color", "auto"] + args).stdout.contains(Self.escape)))
    #expect(try BinaryRunner.run(["--color", "always"] + args).stdout.contains(Self.escape))
    #expect(
      try BinaryRunner.run(["--colour", "always"] + args, environment: ["NO_COLOR": "1"]).stdout.contains(Self.escape))
    #expect(try BinaryRunner.run(["--color", "sometimes"] + args).status == 64)
    #expect(!(try BinaryRunner.run(["-o", "json", "--color", "always"] + args).stdout.contains(Self.escape)))
  }

  @Test("a long timeline line keeps its repeat count whole: (x12) never becomes (x1…")
  func countsNeverCut() throws {
    let sample = try String(
      contentsOf: BinaryRunner.repoRoot.appendingPathComponent(Self.failing), encoding: .utf8)
    let long = String(repeating: " upstream connection reset by peer while reading response header", count: 3)
    let describe = sample.replacingOccurrences(of: "awaiting headers)\n", with: "awaiting headers)\(long)\n")
    #expect(describe != sample)
    let r = try BinaryRunner.run(["--now", Self.now], stdin: describe)
    // The timeline's rows (the evidence quotes the same line too, without a count to keep).
    let cut = r.stdout.split(separator: "\n").filter {
      $0.contains("probe-failure") && $0.contains("Liveness probe failed") && $0.contains("…")
    }
    #expect(cut.count == 2)
    #expect(cut.contains { $0.hasSuffix("… (x12)") })
    #expect(cut.contains { $0.hasSuffix("… (first of x12)") })
  }

  @Test(
    "completion scripts for bash, zsh and fish complete files and option values", arguments: ["bash", "zsh", "fish"])
  func completion(shell: String) throws {
    let r = try BinaryRunner.run(["completion", shell])
    #expect(r.status == 0)
    #expect(r.stdout.contains("podmortem"))
    #expect(r.stdout.contains("fail-on"))
    #expect(r.stdout.contains("critical"))
    #expect(r.stdout.contains("sarif"))
    #expect(r.stdout.contains("junit"))
    #expect(r.stdout.contains("completion"))
    // Inputs complete as files and directories.
    let files = ["bash": "__podmortem_add_completions -f", "zsh": "'*:inputs:_files'", "fish": "analyze\" -ge 1' -F"]
    #expect(r.stdout.contains(try #require(files[shell])))
  }

  @Test("completion is listed in help; an unknown shell is a usage error")
  func completionHelp() throws {
    #expect(try BinaryRunner.run(["--help"]).stdout.contains("completion"))
    #expect(try BinaryRunner.run(["completion", "tcsh"]).status == 64)
  }
}
