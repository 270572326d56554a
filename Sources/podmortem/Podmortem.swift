import ArgumentParser
import Foundation
import Podmortem

/// `podmortem`: explains failing Kubernetes workloads from the text operators already have.
@main
struct PodmortemCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: Invocation.name,
    abstract: "Explain why Kubernetes pods fail, from kubectl output, events, logs and support bundles.",
    discussion: """
      Reads `kubectl describe`, `kubectl get`, `kubectl events`, event and pod JSON/YAML, kubelet and \
      container logs, and support bundles (.gz, .tar, .tar.gz, .zip, directories), offline.

      Examples:
        kubectl describe pod web-0 | \(Invocation.name)
        \(Invocation.name) bundle.tar.gz
        \(Invocation.name) analyze -o markdown dump/ > incident.md
        \(Invocation.name) -o json --now 2026-11-27T01:00:00Z describe.txt events.json
        \(Invocation.name) -n prod --for 'pod/web-*' -o sarif dump/ > podmortem.sarif
        kubectl get events -A -w -o json | \(Invocation.name) --follow

      Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 nothing could be read \
      or nothing read was recognised; 3 more unrecognised lines than --fail-on-unrecognised allows; \
      64 usage error.
      """,
    version: PodmortemVersion.string,
    subcommands: [
      AnalyzeCommand.self, EventsCommand.self, ExplainCommand.self, RedactCommand.self, CompletionCommand.self,
    ],
    defaultSubcommand: AnalyzeCommand.self
  )

  /// ArgumentParser's `main` (parse, run, exit with the error's message and code), with two costs
  /// of a plain run's start-up taken out; every message, help text and exit code stays its own.
  static func main() {
    do {
      var command = try parse(Array(CommandLine.arguments.dropFirst()))
      try command.run()
    } catch let code as ExitCode {
      // `exit(withError:)` prints nothing for an exit code, but builds the usage text first.
      Foundation.exit(code.rawValue)
    } catch {
      exit(withError: error)
    }
  }

  /// The command `arguments` ask for. A plain run names no subcommand and asks for no help,
  /// version or completion script: it is parsed as `analyze` straight away, because through the
  /// root ArgumentParser builds `analyze`'s argument set once more (to learn whether the default
  /// subcommand takes everything left) and tests the root for built-in flags. Anything else, and
  /// an `analyze` parse that fails, goes through the root, so errors and help read as before.
  static func parse(_ arguments: [String]) throws -> ParsableCommand {
    if isPlainAnalyze(arguments), let analyze = try? AnalyzeCommand.parseAsRoot(arguments) as? AnalyzeCommand {
      return analyze
    }
    return try parseAsRoot(arguments)
  }

  /// No argument is a subcommand's name, `help`, a short-flag cluster with `h`, or a long flag
  /// naming help, version or completion (ArgumentParser's built-in flags, and `---completion`).
  static func isPlainAnalyze(_ arguments: [String]) -> Bool {
    let names = Set(
      configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases } + ["help"])
    return !arguments.contains { argument in
      if names.contains(argument) { return true }
      if argument.hasPrefix("--") {
        return ["help", "version", "completion"].contains { argument.contains($0) }
      }
      return argument.hasPrefix("-") && argument.contains("h")
    }
  }
}

/// The name the user typed: `kubectl podmortem` when run as the kubectl plugin `kubectl-podmortem`
/// (https://kubernetes.io/docs/tasks/extend-kubectl/kubectl-plugins/), so usage and help match.
enum Invocation {
  static let name: String = {
    // The last piece of argv[0], split by hand: `URL(fileURLWithPath:)` asks the file system
    // whether the path is a folder, which cost a start-up a millisecond.
    let invoked = (CommandLine.arguments.first ?? "podmortem").split(separator: "/").last ?? ""
    return invoked == "kubectl-podmortem" ? "kubectl podmortem" : "podmortem"
  }()
}

/// `podmortem completion bash|zsh|fish`: the argument parser's completion script.
struct CompletionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "completion",
    abstract: "Print a shell completion script (bash, zsh or fish).",
    discussion: """
      Examples:
        source <(podmortem completion bash)
        podmortem completion zsh > "${fpath[1]}/_podmortem"
        podmortem completion fish > ~/.config/fish/completions/podmortem.fish
      """
  )

  enum Shell: String, RawValueArgument { case bash, zsh, fish }

  @Argument(help: "The shell: bash, zsh or fish.") var shell: Shell

  func run() throws {
    let target: CompletionShell =
      switch shell {
      case .bash: .bash
      case .zsh: .zsh
      case .fish: .fish
      }
    print(PodmortemCommand.completionScript(for: target))
  }
}
