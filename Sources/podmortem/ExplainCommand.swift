import ArgumentParser
import Foundation
import PodmortemDiagnose

/// `podmortem explain …`: the kubelet's arithmetic and the meaning of a message, without input files.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Spell out the kubelet's arithmetic: back-off, probes, exit codes, scheduling messages.",
    discussion: """
      Examples:
        \(Invocation.name) explain backoff --restarts 7 --finished 2026-11-27T00:55:34Z --now 2026-11-27T00:58:00Z
        \(Invocation.name) explain probe 'http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3'
        \(Invocation.name) explain exit-code 137
        \(Invocation.name) explain scheduling '0/3 nodes are available: 3 Insufficient cpu.'
      """,
    subcommands: [Backoff.self, Probe.self, ExitCodeCommand.self, Scheduling.self]
  )

  struct Backoff: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "backoff", abstract: "Where a CrashLoopBackOff is in the 10s → 300s schedule.")

    @Option(help: "The container's restart count.") var restarts: Int
    @Option(help: "When the last run finished (RFC 3339).") var finished: CaptureTimeArgument?
    @Option(help: "The moment to compute from (RFC 3339; default: now).") var now: CaptureTimeArgument?

    func validate() throws {
      if restarts < 0 { throw ValidationError("--restarts must be 0 or more") }
    }

    func run() throws {
      let result = Explain.backoff(restarts: restarts, finished: finished?.date, now: now?.date ?? Date())
      try Terminal().write(result.lines.joined(separator: "\n") + "\n")
    }
  }

  struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "probe", abstract: "What a describe probe line means: detection time, restart latency.")

    @Argument(help: "A probe line as kubectl describe prints it.") var line: String

    func run() throws {
      guard let result = Explain.probe(line) else {
        throw ValidationError(
          "not a probe line: '\(line)' (expected e.g. 'http-get http://:8080/ delay=0s timeout=1s …')")
      }
      try Terminal().write(result.lines.joined(separator: "\n") + "\n")
    }
  }

  struct ExitCodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "exit-code", abstract: "What a container exit code means (128+N is signal N).")

    @Argument(help: "The exit code.") var code: Int
    @Option(help: "The terminated reason, e.g. OOMKilled or Error.") var reason: String?

    func run() throws {
      try Terminal().write(Explain.exitCode(code, reason: reason).lines.joined(separator: "\n") + "\n")
    }
  }

  struct Scheduling: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "scheduling", abstract: "Decompose a FailedScheduling message into per-reason node counts.")

    @Argument(help: "The message, e.g. '0/3 nodes are available: …'.") var message: String

    func run() throws {
      guard let result = Explain.scheduling(message) else {
        throw ValidationError("not a scheduling message: '\(message)' (expected '0/N nodes are available: …')")
      }
      try Terminal().write(result.lines.joined(separator: "\n") + "\n")
    }
  }
}
