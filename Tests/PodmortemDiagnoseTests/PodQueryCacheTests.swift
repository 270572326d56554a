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

  // MARK: - belongs and the role lists, against the versions they replace

  /// Names with hostile spellings: empty, the unknown container's, a Kelvin sign against a K,
  /// a dotted capital I, an accent composed and combining (equal as Swift compares), CR, NUL,
  /// tabs, and a long one.
  private static let hostileNames = [
    "", "web", "init-db", ContainerSnapshot.unknownName, "K\u{212A}", "KK", "\u{130}stanbul", "cafe\u{301}",
    "caf\u{E9}", "a\rb", "nul\u{0}x", "tab\there", String(repeating: "w", count: 300),
  ]

  /// A pod whose snapshot lists containers (any roles, names repeated) or none, and whose events
  /// name containers by field path, by capture, both or neither.
  private static func hostilePod(_ rng: inout SplitMix64) -> PodHistory {
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    if rng.next() % 3 != 0 {
      let roles: [ContainerSnapshot.Role] = [.container, .initContainer, .ephemeral]
      snapshot.containers = (0..<rng.below(5)).map { _ in
        ContainerSnapshot(name: pick(hostileNames, &rng), role: pick(roles, &rng))
      }
    }
    var events: [MergedEvent] = []
    for i in 0..<rng.below(6) {
      let path: String? =
        rng.next() % 2 == 0
        ? nil
        : pick(["spec.containers", "spec.initContainers{", "spec.containers{"], &rng) + pick(hostileNames, &rng) + "}"
      var event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: path),
        type: .warning, reason: pick(reasons, &rng), message: "m\(i)", count: 1)
      for _ in 0..<rng.below(3) {
        event.captures.append(KeyValue(pick(["container", "probe"], &rng), pick(hostileNames, &rng)))
      }
      events.append(event)
    }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events)
  }

  /// The reference: `PodHistory.belongs` as it was before it counted, kept to hold the counting
  /// version to it. It filtered the known containers into the ones the event's capture names
  /// and the regular ones.
  private static func referenceBelongs(_ pod: PodHistory, _ event: MergedEvent, to name: String) -> Bool {
    if let container = event.containerName { return container == name }
    let all = pod.containers(.all)
    let named = all.filter { $0.name == event.capture("container") }
    if !named.isEmpty { return named.contains { $0.name == name } }
    let regular = all.filter { $0.role == .container }
    if regular.isEmpty { return true }
    return regular.count == 1 && regular.first?.name == name
  }

  @Test func belongsAnswersAsTheFilters() {
    var rng = SplitMix64(seed: 1_612)
    var answers = (yes: 0, no: 0)
    for _ in 0..<3_000 {
      let pod = Self.hostilePod(&rng)
      let prepared = pod.preparedForRules()
      for event in pod.events {
        for name in Self.hostileNames {
          let expected = Self.referenceBelongs(pod, event, to: name)
          #expect(pod.belongs(event, to: name) == expected)
          #expect(prepared.belongs(event, to: name) == expected)
          if expected { answers.yes += 1 } else { answers.no += 1 }
        }
      }
    }
    #expect(answers.yes > 1_000 && answers.no > 1_000)
  }

  /// `containers(_:of:)` shares or skips the list where it can; its answer is the filter's, for
  /// every set of roles, on lists of any roles (empty, all of one role, mixed).
  @Test func roleListsAreTheFilters() {
    var rng = SplitMix64(seed: 1_613)
    let roles: [ContainerSnapshot.Role] = [.container, .initContainer, .ephemeral]
    var shared = 0
    for _ in 0..<3_000 {
      let known = (0..<rng.below(5)).map { _ in
        ContainerSnapshot(name: Self.pick(Self.hostileNames, &rng), role: Self.pick(roles, &rng))
      }
      for set in Self.roleSets {
        let answer = PodHistory.containers(known, of: set)
        #expect(answer == known.filter { set.includes($0.role) })
        if !known.isEmpty, answer.count == known.count { shared += 1 }
      }
    }
    #expect(shared > 1_000)
  }

  /// Several reasons' events in one pass are each reason's `events(_:container:)`: for random
  /// lists of reasons (repeated, in Kubernetes 1.0's lower camel case, with hostile spellings)
  /// and `ImagePullFailingRule`'s, on prepared and unprepared pods, for every container name.
  @Test func eventsOfSeveralReasonsAreEachReasons() {
    var rng = SplitMix64(seed: 1_614)
    let spellings = Self.reasons + ["Failed", "failed", "FailedSync", "BackOff", "backOff", "K\u{212A}illing", ""]
    var found = 0
    for _ in 0..<2_000 {
      var pod = Self.hostilePod(&rng)
      for i in pod.events.indices where rng.next() % 2 == 0 { pod.events[i].reason = Self.pick(spellings, &rng) }
      let prepared = pod.preparedForRules()
      let asked =
        rng.next() % 4 == 0
        ? ImagePullFailingRule.eventReasons : (0..<rng.below(5)).map { _ in Self.pick(spellings, &rng) }
      for name in Self.hostileNames {
        let expected = asked.map { pod.events($0, container: name) }
        let byReason = pod.events(asked, container: name)
        let preparedByReason = prepared.events(asked, container: name)
        #expect(asked.indices.map { byReason[$0] } == expected)
        #expect(asked.indices.map { preparedByReason[$0] } == expected)
        // Past the reasons asked: nothing.
        #expect(byReason[asked.count].isEmpty && byReason[-1].isEmpty)
        found += expected.reduce(0) { $0 + $1.count }
      }
    }
    #expect(found > 1_000)
  }

  /// The reference: `previousLogsCommand` as it was, nested interpolations, kept to hold the
  /// string written at its capacity to the same bytes.
  private static func referenceCommand(_ key: PodKey, _ container: String) -> String {
    let namespace = key.namespace.isEmpty || key.isUnnamed ? "" : "-n \(key.namespace) "
    let name = container == ContainerSnapshot.unknownName ? "" : " -c \(container)"
    return "kubectl logs \(namespace)\(key.commandName)\(name) --previous"
  }

  /// Named and unnamed pods, empty and hostile namespaces, names and containers (the unknown
  /// container's name included), compared byte for byte.
  @Test func previousLogsCommandIsTheReference() {
    var rng = SplitMix64(seed: 1_615)
    var unnamed = 0
    for _ in 0..<3_000 {
      let key =
        rng.next() % 4 == 0
        ? PodKey(pastedAt: SourceRef(source: Self.pick(Self.hostileNames, &rng), line: rng.below(100)))
        : PodKey(namespace: Self.pick(Self.hostileNames, &rng), name: Self.pick(Self.hostileNames, &rng))
      if key.isUnnamed { unnamed += 1 }
      let pod = PodHistory(key: key, snapshots: [], latest: PodSnapshot(name: key.name, namespace: key.namespace))
      for container in Self.hostileNames {
        let command = pod.previousLogsCommand(container)
        let reference = Self.referenceCommand(key, container)
        #expect(command == reference)
        #expect(Array(command.utf8) == Array(reference.utf8))
      }
    }
    #expect(unnamed > 300)
  }

  /// `allEvidence` returns the container's lines as they are when it shows no probe: the join it
  /// replaces, `evidence + probes.values.compactMap(\.evidence)`, on containers with and without
  /// probes, lines and probe lines, hostile texts among them.
  @Test func allEvidenceIsTheJoin() {
    var rng = SplitMix64(seed: 1_616)
    var bare = 0
    for _ in 0..<2_000 {
      var container = ContainerSnapshot(name: Self.pick(Self.hostileNames, &rng))
      container.evidence = (0..<rng.below(4)).map { i in
        Evidence(ref: SourceRef(source: "d.txt", line: i + 1), text: Self.pick(Self.hostileNames, &rng))
      }
      for kind in ProbeSpec.Kind.allCases where rng.below(3) == 0 {
        var spec = ProbeSpec(
          handler: .tcpSocket(host: "", port: "80"), initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10,
          failureThreshold: 3)
        if rng.below(2) == 0 { spec.evidence = Evidence(ref: SourceRef(source: "d.txt", line: 9), text: kind.rawValue) }
        container.probes[kind] = spec
      }
      if container.probes.isEmpty { bare += 1 }
      let reference = container.evidence + container.probes.values.compactMap(\.evidence)
      #expect(container.allEvidence == reference)
      #expect(container.allEvidence.map { Array($0.text.utf8) } == reference.map { Array($0.text.utf8) })
    }
    #expect(bare > 500)
  }
}
