import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// The Diagnoser computes a pod's containers once for all its rules (`preparedForRules`, issue 16,
/// perf). On seeded random pods (containers from the snapshot, or named by events' field paths,
/// events' captures and logs) the prepared pod must answer every query as the pod computing it
/// on each call, and a prepared pod changed afterwards must answer from what it holds now.
@Suite struct PodQueryCacheTests {

  private static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T {
    values[Int(rng.next() % UInt64(values.count))]
  }

  private static let names = ["web", "init-db", "sidecar", ""]
  private static let reasons = ["Unhealthy", "Killing", "BackOff", "unhealthy", "Started"]

  private static func pod(_ rng: inout SplitMix64) -> PodHistory {
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    if rng.next() % 3 == 0 {
      let roles: [ContainerSnapshot.Role] = [.container, .initContainer, .ephemeral]
      snapshot.containers = (0..<Int(rng.next() % 3)).map { i in
        ContainerSnapshot(name: "c\(i)", role: pick(roles, &rng))
      }
    }
    var events: [MergedEvent] = []
    for _ in 0..<Int(rng.next() % 5) {
      let path: String? = pick(
        [nil, "spec.containers{web}", "spec.initContainers{init-db}", "spec.containers{sidecar}", "spec.containers"],
        &rng)
      var event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: path),
        type: .warning, reason: pick(reasons, &rng), message: "m", count: 1)
      if rng.next() % 2 == 0 { event.captures = [KeyValue("container", pick(names, &rng))] }
      events.append(event)
    }
    var logs: [LogRecord] = []
    for i in 0..<Int(rng.next() % 3) {
      var log = LogRecord(
        origin: .kubelet, message: "l", evidence: Evidence(ref: SourceRef(source: "k.log", line: i + 1), text: "l"))
      log.container = rng.next() % 2 == 0 ? pick(names, &rng) : nil
      if rng.next() % 2 == 0 { log.fields = [KeyValue("containerName", pick(names, &rng))] }
      if rng.next() % 2 == 0 { log.patternID = "kubelet.probe-failed" }
      logs.append(log)
    }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events,
      logs: PodLogs(logs))
  }

  private static let roleSets: [ContainerRoles] = [
    [], [.container], [.initContainer], [.ephemeral], [.container, .initContainer], [.container, .ephemeral],
    [.initContainer, .ephemeral], [.container, .initContainer, .ephemeral],
  ]

  /// Every answer the cache gives, for comparing a prepared pod with an unprepared one.
  private static func answers(_ pod: PodHistory) -> [[String]] {
    var out = roleSets.map { pod.containers($0).map { "\($0.name) \($0.role)" } }
    out.append(pod.containers().map(\.name))
    for reason in reasons {
      for name in names + [nil] {
        out.append(pod.events(reason, container: name).map { "\($0.reason) \($0.involved.fieldPath ?? "-")" })
      }
    }
    return out
  }

  @Test func preparedPodsAnswerAsComputed() {
    var rng = SplitMix64(seed: 2026)
    var named = 0
    for _ in 0..<3_000 {
      let pod = Self.pod(&rng)
      let prepared = pod.preparedForRules()
      #expect(prepared.queries.containers != nil)
      #expect(Self.answers(prepared) == Self.answers(pod))
      #expect(prepared == pod)
      if prepared.containers().contains(where: { $0.name != ContainerSnapshot.unknownName }) { named += 1 }
      // Changed after preparing: the cache is dropped, the answers are the changed pod's.
      var changed = prepared
      var plain = pod
      switch rng.next() % 3 {
      case 0:
        changed.events = Array(changed.events.dropFirst())
        plain.events = Array(plain.events.dropFirst())
      case 1:
        changed.logs.removeAll()
        plain.logs.removeAll()
      default:
        changed.latest.containers.append(ContainerSnapshot(name: "late"))
        plain.latest.containers.append(ContainerSnapshot(name: "late"))
      }
      #expect(changed.queries.containers == nil)
      #expect(Self.answers(changed) == Self.answers(plain))
    }
    #expect(named > 500)
  }
}
