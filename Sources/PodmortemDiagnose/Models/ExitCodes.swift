import PodmortemModel

/// What a container exit code means (docs/kubernetes.md §8.4).
///
/// 128 + N is death by signal N. The exit code alone cannot tell an OOM kill from a grace-period
/// SIGKILL: only the reason `OOMKilled` (or a node `SystemOOM` event) can.
package enum ExitCodes {
  /// Linux signal numbers and names.
  package static let signalNames: [Int: String] = [
    1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
    9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
    16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU",
    23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO",
    30: "SIGPWR", 31: "SIGSYS",
  ]

  /// One exit code explained.
  package struct Meaning: Hashable, Sendable {
    package var exitCode: Int
    /// The signal number for 129–159.
    package var signal: Int?
    /// `SIGKILL` …
    package var signalName: String?
    /// A short label: `killed by SIGKILL`, `command not found`.
    package var summary: String
    /// What to look at next.
    package var guidance: String
  }

  /// Explains a finished run: its exit code, its reason, and what its termination message was
  /// recognised as (patterns/details.json, domain termination-message).
  package static func explain(_ termination: Termination) -> Meaning {
    explain(
      termination.exitCode, reason: termination.reason,
      crash: termination.messageDetail.first { $0.key == "crash" }?.value)
  }

  /// Explains `exitCode`; `reason` is the terminated reason (`OOMKilled`, `Error`, `StartError`) and
  /// `crash` the language runtime the termination message showed crashing (`go-panic`,
  /// `python-exception`, `java-exception`), which can have chosen the code.
  package static func explain(_ exitCode: Int, reason: String? = nil, crash: String? = nil) -> Meaning {
    if let runtime = runtimeCrash(exitCode, crash: crash) { return runtime }
    if reason == "OOMKilled" {
      return Meaning(
        exitCode: exitCode, signal: 9, signalName: "SIGKILL", summary: "killed by the kernel OOM killer",
        guidance: "the container used more memory than its limit; raise resources.limits.memory or reduce usage")
    }
    switch exitCode {
    case 0:
      return Meaning(
        exitCode: 0, summary: "exited successfully", guidance: "a long-running container should not exit at all")
    case 1:
      return Meaning(
        exitCode: 1, summary: "application error",
        guidance: "the program failed on its own; read the logs of the run that ended")
    case 2:
      return Meaning(
        exitCode: 2, summary: "misuse of a shell builtin or invalid arguments",
        guidance: "check the command and args, and read the logs of the run that ended")
    case 126:
      return Meaning(
        exitCode: 126, summary: "command found but not executable",
        guidance: "check the file's execute permission and that it is a binary for this architecture")
    case 127:
      return Meaning(
        exitCode: 127, summary: "command not found",
        guidance: "the command or its interpreter does not exist in the image; check command, args and PATH")
    case 128:
      if reason == "StartError" || reason == "ContainerCannotRun" {
        return Meaning(
          exitCode: 128, summary: "the runtime could not start the process",
          guidance: "read the terminated message (e.g. 'executable file not found in $PATH') and fix the command")
      }
      return Meaning(
        exitCode: 128, summary: "invalid exit argument, or a start failure",
        guidance: "look at the terminated reason and message")
    case 129...159:
      let signal = exitCode - 128
      let name = signalNames[signal] ?? "signal \(signal)"
      return Meaning(
        exitCode: exitCode, signal: signal, signalName: name, summary: "killed by \(name)",
        guidance: signalGuidance(signal, reason: reason))
    case 255:
      return Meaning(
        exitCode: 255, summary: "exit status out of range (exit(-1))",
        guidance: "the program reported a fatal error; read the logs of the run that ended")
    default:
      return Meaning(
        exitCode: exitCode, summary: "application-defined exit code",
        guidance: "the program chose this code; read the logs of the run that ended")
    }
  }

  private static func signalGuidance(_ signal: Int, reason: String?) -> String {
    switch signal {
    case 9:
      if reason == "ContainerStatusUnknown" {
        return "the kubelet could not find the container (node restart or runtime state loss) and recorded 137"
      }
      return "SIGKILL without reason OOMKilled: the grace period ran out after SIGTERM (a liveness or startup "
        + "kill, a delete, an eviction), or a child process was OOM-killed; look for Killing, SystemOOM and "
        + "Evicted events"
    case 15: return "the process was stopped with SIGTERM and did not handle it (a delete, a probe kill, a rollout)"
    case 11: return "segmentation fault: a crash in native code; look for a core dump or a stack trace in the logs"
    case 6: return "the process aborted itself (assertion, panic in native code, glibc check); read the logs"
    case 2: return "interrupted (Ctrl-C); something sent SIGINT"
    case 1: return "hang-up: the controlling terminal or a supervisor went away"
    case 7: return "bus error: misaligned or unmapped memory access, often a full /dev/shm or a truncated mmap"
    case 8: return "arithmetic error such as division by zero"
    case 13: return "wrote to a closed pipe or socket"
    case 3: return "quit with a core dump request; some runtimes (JVM) print a thread dump"
    default: return "the process received this signal; find out who sent it"
    }
  }

  /// A crash whose exit code the language runtime chose, told by the termination message
  /// (written with `terminationMessagePolicy: FallbackToLogsOnError`, or by the app itself).
  static func runtimeCrash(_ exitCode: Int, crash: String?) -> Meaning? {
    switch (exitCode, crash) {
    case (2, "go-panic"):
      return Meaning(
        exitCode: 2, summary: "an unrecovered Go panic (the Go runtime exits 2)",
        guidance: "the panic message and stack name the failing code; the previous run's log shows all of it")
    case (1, "python-exception"):
      return Meaning(
        exitCode: 1, summary: "an uncaught Python exception",
        guidance: "the traceback's last line names the exception; the previous run's log shows all of it")
    case (1, "java-exception"):
      return Meaning(
        exitCode: 1, summary: "an uncaught Java exception",
        guidance: "the stack trace names the exception; the previous run's log shows all of it")
    default:
      return nil
    }
  }
}
