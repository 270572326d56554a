import PodmortemCorrelate
import PodmortemModel
import Testing

/// The STATUS column derived as the apiserver's printer does (docs/kubernetes.md §3.4).
@Suite struct PodStatusTests {
  private func pod(phase: String, _ containers: [ContainerSnapshot]) -> PodSnapshot {
    var p = PodSnapshot(name: "web-0", namespace: "default")
    p.phase = phase
    p.containers = containers
    return p
  }

  private func container(_ name: String, _ state: ContainerState) -> ContainerSnapshot {
    container(name, .container, state)
  }

  private func container(_ name: String, _ role: ContainerSnapshot.Role, _ state: ContainerState)
    -> ContainerSnapshot
  {
    var c = ContainerSnapshot(name: name, role: role)
    c.state = state
    return c
  }

  @Test func theShownColumnWins() {
    var p = pod(phase: "Running", [])
    p.displayStatus = "CrashLoopBackOff"
    #expect(p.kubectlStatus == "CrashLoopBackOff")
  }

  @Test func aWaitingReasonOverridesThePhase() {
    let p = pod(phase: "Running", [container("web", .waiting(reason: "CrashLoopBackOff", message: nil))])
    #expect(p.kubectlStatus == "CrashLoopBackOff")
  }

  @Test func theFirstContainerInSpecOrderWins() {
    let p = pod(
      phase: "Running",
      [
        container("a", .waiting(reason: "ImagePullBackOff", message: nil)),
        container("b", .terminated(Termination(reason: "Error", exitCode: 1))),
      ])
    #expect(p.kubectlStatus == "ImagePullBackOff")
  }

  @Test func initContainers() {
    let crashing = pod(
      phase: "Pending",
      [
        container("migrate", .initContainer, .waiting(reason: "CrashLoopBackOff", message: nil)),
        container("web", .waiting(reason: "PodInitializing", message: nil)),
      ])
    #expect(crashing.kubectlStatus == "Init:CrashLoopBackOff")
    let second = pod(
      phase: "Pending",
      [
        container("a", .initContainer, .terminated(Termination(reason: "Completed", exitCode: 0))),
        container("b", .initContainer, .running(startedAt: nil)),
      ])
    #expect(second.kubectlStatus == "Init:1/2")
  }

  @Test func terminatingAndNodeLost() {
    var p = pod(phase: "Running", [container("web", .running(startedAt: nil))])
    p.terminating = true
    #expect(p.kubectlStatus == "Terminating")
    p.reason = "NodeLost"
    #expect(p.kubectlStatus == "Unknown")
    var done = pod(phase: "Succeeded", [container("job", .terminated(Termination(reason: "Completed", exitCode: 0)))])
    done.terminating = true
    #expect(done.kubectlStatus == "Completed")
  }
}
