import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// The Diagnoser diagnoses the two halves of a large state's pods on two threads
/// (`Diagnoser.diagnosePods`, docs/architecture.md "Speed after ingest: two cores"): on seeded
/// random states (crash loops, OOM kills, probe failures, image pulls, pending pods, on shared
/// nodes) the findings must be those of one thread, in the same order.
@Suite struct DiagnoserTwoThreadsTests {
  private static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T {
    values[Int(rng.next() % UInt64(values.count))]
  }

  private static func pod(_ i: Int, _ rng: inout SplitMix64) -> PodHistory {
    let name = "app-\(i % 7)-\(i)"
    let namespace = pick(["prod", "dev"], &rng)
    var snapshot = PodSnapshot(name: name, namespace: namespace)
    snapshot.node = pick(["n1", "n2", nil], &rng)
    snapshot.phase = pick(["Running", "Pending", "Failed"], &rng)
    var container = ContainerSnapshot(name: pick(["web", "db"], &rng))
    container.restartCount = Int(rng.next() % 12)
    container.state = pick(
      [
        .waiting(reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container"),
        .waiting(reason: "ImagePullBackOff", message: "Back-off pulling image \"nginx:nope\""),
        .running(startedAt: nil), .waiting(reason: "ContainerCreating", message: nil),
      ], &rng)
    container.lastState = pick(
      [
        nil, .terminated(Termination(reason: "OOMKilled", message: nil, exitCode: 137)),
        .terminated(Termination(reason: "Error", message: "panic: boom", exitCode: 1)),
      ], &rng)
    snapshot.containers = [container]
    snapshot.evidence = [Evidence(ref: SourceRef(source: "d.txt", line: i * 10 + 1), text: "Name: \(name)")]
    let events = (0..<Int(rng.next() % 4)).map { j in
      MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: namespace, name: name, fieldPath: "spec.containers{web}"),
        type: .warning, reason: pick(["Unhealthy", "BackOff", "FailedScheduling", "Killing", "Failed"], &rng),
        message: pick(
          [
            "Liveness probe failed: HTTP probe failed with statuscode: 500",
            "0/3 nodes are available: 3 Insufficient memory.", "Back-off restarting failed container",
            "Readiness probe failed: connection refused",
          ], &rng), count: 1 + j,
        evidence: [Evidence(ref: SourceRef(source: "d.txt", line: i * 10 + 2 + j), text: "event")])
    }
    return PodHistory(
      key: PodKey(namespace: namespace, name: name), snapshots: [snapshot], latest: snapshot, events: events)
  }

  @Test func twoThreadsGiveOneThreadsFindings() {
    var rng = SplitMix64(seed: 16_016)
    let diagnoser = Diagnoser()
    var found = 0
    for round in 0..<40 {
      var state = CorrelatedState()
      state.pods = (0..<Int(rng.next() % 60)).map { Self.pod($0, &rng) }
      state.events = state.pods.flatMap(\.events)
      let one = state.pods.flatMap { diagnoser.diagnose($0, in: state) }
      let two = diagnoser.diagnosePods(state, twoThreadsFrom: 2)
      #expect(two == one, "round \(round)")
      found += one.count
    }
    #expect(found > 100)
  }
}
