import Foundation
import Testing

@testable import PodmortemDiagnose

@Test func explainBackoff() {
  let now = Date(timeIntervalSince1970: 1_000_000)
  let e = Explain.backoff(restarts: 9, finished: now.addingTimeInterval(-60), now: now)
  #expect(e.assessment.delaySeconds == 300)
  #expect(e.lines.contains("back-off: 5m = min(10s × 2^8, 5m)"))
  #expect(e.lines.contains("next start in: 4m–4m15s (up to one 15s sync retry late)"))
  #expect(Explain.backoff(restarts: 2).lines.contains("back-off: 20s = min(10s × 2^1, 5m)"))
  #expect(Explain.backoff(restarts: 0).lines.contains("back-off: 0s (the first restart is immediate)"))
}

@Test func explainProbe() throws {
  let e = try #require(
    Explain.probe("http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"))
  #expect(e.spec.periodSeconds == 10)
  #expect(e.lines.contains("detects a failure in: 20s–31s ((3 − 1) × 10s to 3 × 10s + 1s timeout)"))
  #expect(e.lines.contains { $0.hasPrefix("a container that never passes is killed after 20s–40s") })
  let startup = try #require(
    Explain.probe("Startup: exec [cat /ready] delay=10s timeout=1s period=5s successThreshold=1 failureThreshold=12"))
  #expect(startup.lines.contains("startup budget: 10s + 12 × 5s = 70s before the container is killed"))
  #expect(Explain.probe("not a probe") == nil)
}

@Test func explainExitCode() {
  #expect(Explain.exitCode(137).lines.contains("128 + 9 = SIGKILL"))
  #expect(Explain.exitCode(137).lines.contains { $0.contains("OOMKilled") })
  #expect(Explain.exitCode(127).lines.first == "exit code 127: command not found")
}

@Test func explainScheduling() throws {
  let e = try #require(
    Explain.scheduling(
      "0/3 nodes are available: 3 Insufficient memory, 3 node(s) were unschedulable. preemption: 0/3 nodes are "
        + "available: 3 No preemption victims found for incoming pod."))
  #expect(e.message.totalNodes == 3)
  #expect(e.lines.contains("counts add up to 6: a node can fail several filters"))
  #expect(e.lines.contains { $0.hasPrefix("preemption: 3 No preemption victims") && $0.hasSuffix("would not help") })
  #expect(Explain.scheduling("hello") == nil)
}
