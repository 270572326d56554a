import PodmortemModel
import PodmortemText
import Testing

@testable import PodmortemDiagnose

@Test(arguments: [
  (137, "SIGKILL"), (143, "SIGTERM"), (139, "SIGSEGV"), (134, "SIGABRT"), (130, "SIGINT"), (129, "SIGHUP"),
  (131, "SIGQUIT"), (135, "SIGBUS"), (136, "SIGFPE"), (141, "SIGPIPE"),
])
func signalExits(code: Int, name: String) {
  let m = ExitCodes.explain(code)
  #expect(m.signalName == name)
  #expect(m.signal == code - 128)
}

@Test func shellAndRuntimeExits() {
  #expect(ExitCodes.explain(126).summary == "command found but not executable")
  #expect(ExitCodes.explain(127).summary == "command not found")
  #expect(ExitCodes.explain(1).summary == "application error")
  #expect(ExitCodes.explain(2).signal == nil)
  #expect(ExitCodes.explain(255).summary.contains("exit(-1)"))
  #expect(ExitCodes.explain(128, reason: "StartError").summary == "the runtime could not start the process")
}

@Test func oomKilledVersusBare137() {
  #expect(ExitCodes.explain(137, reason: "OOMKilled").summary == "killed by the kernel OOM killer")
  let bare = ExitCodes.explain(137, reason: "Error")
  #expect(bare.summary == "killed by SIGKILL")
  #expect(bare.guidance.contains("without reason OOMKilled"))
}

/// The termination message as Ingest recognises it (patterns/details.json), then explained.
@Test func theTerminationMessageNamesTheRuntimeThatChoseTheCode() {
  let patterns = PatternCatalog.shipped(diagnostics: { _ in })
  func explained(_ code: Int, reason: String? = nil, message: String) -> ExitCodes.Meaning {
    var container = ContainerSnapshot(name: "app")
    container.state = .terminated(Termination(reason: reason, message: message, exitCode: code))
    patterns.classifyStates(of: &container)
    guard case .terminated(let termination)? = container.state else { return ExitCodes.explain(code) }
    return ExitCodes.explain(termination)
  }
  let go = explained(
    2, reason: "Error", message: "panic: runtime error: invalid memory address\ngoroutine 1 [running]:")
  #expect(go.summary == "an unrecovered Go panic (the Go runtime exits 2)")
  #expect(explained(2, reason: "Error", message: "usage: app [-v]").summary.contains("shell builtin"))
  let python = explained(1, message: "Traceback (most recent call last):\n  File \"app.py\"")
  #expect(python.summary == "an uncaught Python exception")
  #expect(
    explained(1, message: "Exception in thread \"main\" java.lang.NullPointerException").summary
      == "an uncaught Java exception")
  #expect(explained(137, reason: "OOMKilled", message: "panic: x").summary == "killed by the kernel OOM killer")
  #expect(explained(1, message: "panic: x").summary == "application error")
}
