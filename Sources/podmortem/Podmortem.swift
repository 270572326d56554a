import ArgumentParser
import Podmortem

/// `podmortem`: explains failing Kubernetes workloads from the text operators already have.
@main
struct PodmortemCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "podmortem",
    abstract: "Explain why Kubernetes pods fail, from kubectl output, events, logs and support bundles.",
    discussion: """
      Reads `kubectl describe`, `kubectl get`, `kubectl events`, event and pod JSON/YAML, kubelet and \
      container logs, and support bundles (.gz, .tar, .tar.gz, .zip, directories), offline.

      Examples:
        kubectl describe pod web-0 | podmortem
        podmortem bundle.tar.gz
        podmortem analyze --format markdown dump/ > incident.md
        podmortem --format json --now 2026-11-27T01:00:00Z describe.txt events.json

      Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 nothing could be read; \
      64 usage error.
      """,
    version: PodmortemVersion.string,
    subcommands: [AnalyzeCommand.self, EventsCommand.self, ExplainCommand.self, RedactCommand.self],
    defaultSubcommand: AnalyzeCommand.self
  )
}
