import Foundation
import Testing

/// The options that take one of a list of words (`-o`, `--fail-on`, `--color`, `events --format`,
/// `completion`'s shell) name their values as ArgumentParser's defaults did: each case's raw value,
/// in declaration order, in the usage error and in the completion scripts, and no descriptions
/// (Sources/podmortem/Options.swift, `RawValueArgument`, writes the defaults out for start-up's sake).
@Suite("option values are listed as ArgumentParser lists them")
struct ArgumentValuesTests {
  static let sample = "samples/liveness-http-timeout/describe.txt"

  /// The usage error for a bad value: exit 64 and the stderr.
  static func refused(_ arguments: [String]) throws -> String {
    let run = try BinaryRunner.run(arguments)
    #expect(run.status == 64, "\(arguments)")
    return run.stderr
  }

  @Test("each option's usage error lists its values in order")
  func usageErrors() throws {
    // Six values are listed one a line; three or two in a sentence.
    #expect(
      try Self.refused(["-o", "bogus", Self.sample]).contains(
        "Please provide one of the following:\n  - text\n  - markdown\n  - json\n  - html\n  - junit\n  - sarif\n"))
    #expect(
      try Self.refused(["--fail-on", "bogus", Self.sample]).contains(
        "Please provide one of 'info', 'warning' or 'critical'."))
    #expect(
      try Self.refused(["--color", "bogus", Self.sample]).contains("Please provide one of 'auto', 'always' or 'never'.")
    )
    #expect(
      try Self.refused(["events", "--format", "bogus", Self.sample]).contains(
        "Please provide one of 'text' and 'json'."))
    #expect(try Self.refused(["completion", "tcsh"]).contains("Please provide one of 'bash', 'zsh' or 'fish'."))
  }

  @Test("the completion scripts offer the same words")
  func completionScripts() throws {
    let bash = try BinaryRunner.run(["completion", "bash"])
    #expect(bash.status == 0)
    #expect(bash.stdout.contains("-W 'auto'$'\\n''always'$'\\n''never'"))
    #expect(bash.stdout.contains("-W 'info'$'\\n''warning'$'\\n''critical'"))
    let fish = try BinaryRunner.run(["completion", "fish"])
    #expect(fish.status == 0)
    #expect(fish.stdout.contains("-rfka 'auto always never'"))
    let zsh = try BinaryRunner.run(["completion", "zsh"])
    #expect(zsh.status == 0)
    #expect(zsh.stdout.contains("('auto' 'always' 'never')"))
  }
}
