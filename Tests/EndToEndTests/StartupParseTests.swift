import Foundation
import Testing

/// A plain run (no subcommand named, no help, version or completion flag) is parsed as `analyze`
/// without going through the root command first (Sources/podmortem/Podmortem.swift, start-up).
/// Naming `analyze` still goes through the root, so each run here is compared with the same run
/// with `analyze` in front: output, errors and exit code must be the same.
@Suite("start-up: a plain run parses as analyze does")
struct StartupParseTests {
  static let now = "2026-11-27T01:00:00Z"

  static func same(_ arguments: [String]) throws {
    let plain = try BinaryRunner.run(arguments)
    let named = try BinaryRunner.run(["analyze"] + arguments)
    #expect(plain.status == named.status, "\(arguments)")
    #expect(plain.stdout == named.stdout, "\(arguments)")
    #expect(plain.stderr == named.stderr, "\(arguments)")
  }

  @Test("every sample's describe, as text and as JSON")
  func everySample() throws {
    let samples = BinaryRunner.repoRoot.appendingPathComponent("samples")
    let names = try FileManager.default.contentsOfDirectory(atPath: samples.path).sorted()
    var read = 0
    for name in names {
      let describe = samples.appendingPathComponent(name).appendingPathComponent("describe.txt")
      guard FileManager.default.fileExists(atPath: describe.path) else { continue }
      try Self.same(["--now", Self.now, describe.path])
      try Self.same(["--now", Self.now, "-o", "json", "--fail-on", "critical", describe.path])
      read += 1
    }
    #expect(read >= 10)
  }

  @Test("selection flags, joined values, a short-flag cluster and usage errors")
  func flagsAndErrors() throws {
    let sample = "samples/liveness-http-timeout/describe.txt"
    for arguments in [
      ["--now", Self.now, "--format=markdown", "-n", "default", "-A", "--for", "pod/web-*", sample],
      ["--now", Self.now, "-Ao", "json", sample],
      ["--now", Self.now, "--since", "10m", "--types", "Warning", sample],
      ["--no-such-flag", sample],
      ["--now", "yesterday", sample],
      ["--now", Self.now, "--fail-on", "bogus", sample],
      ["--now", Self.now, "--fail-on-unrecognised", "200", sample],
      ["--now", Self.now, "--max-bytes", "0", sample],
      ["--now", Self.now, "no-such-file.txt"],
    ] {
      try Self.same(arguments)
    }
  }

  @Test("what is not a plain run keeps the root's meaning: help, version, a subcommand's name")
  func notPlain() throws {
    let help = try BinaryRunner.run(["--now", Self.now, "-h", "samples/liveness-http-timeout/describe.txt"])
    #expect(help.status == 0)
    // The help of `analyze`, the command the flags were given to, as ArgumentParser words it.
    #expect(help.stdout.contains("USAGE: podmortem analyze"))
    let version = try BinaryRunner.run(["--version"])
    #expect(version.status == 0)
    #expect(!version.stdout.contains("Usage"))
    let events = try BinaryRunner.run(["events", "--now", Self.now, "samples/liveness-http-timeout/describe.txt"])
    #expect(events.status == 0)
    #expect(events.stdout.contains("Unhealthy"))
  }
}
