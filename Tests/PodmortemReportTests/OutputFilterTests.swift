import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemReport
import Testing

/// `ReportInput` filters every string it holds (docs/architecture.md "Secrets"): a report whose
/// every string field carries a secret and an escape sequence comes out with neither, wherever
/// the field is — so a renderer cannot print one, and a field added later without a filter fails
/// here.
@Suite("output filter at the report boundary")
struct OutputFilterTests {
  static let secret = "hunter22pw"
  static let dirty = "x password=\(secret) \u{1B}]52;c;Zm9v\u{07}"

  static func ref(_ line: Int) -> SourceRef { SourceRef(source: dirty, line: line) }
  static func evidence(_ line: Int) -> Evidence { Evidence(ref: ref(line), text: dirty) }
  static var pair: KeyValue { KeyValue(dirty, dirty) }

  /// Every string of every model type set to `dirty`.
  static func input() -> (
    accounts: [SourceAccount], diagnostics: [Diagnostic], state: CorrelatedState, findings: [Finding]
  ) {
    var account = SourceAccount(source: dirty)
    account.formats = [dirty]
    account.layout = dirty
    let diagnostic = Diagnostic(.warning, ref(1), dirty)
    let finding = Finding(
      ruleID: "r", category: .pattern, severity: .warning,
      subject: Subject(namespace: dirty, pod: dirty, container: dirty, object: dirty), title: dirty,
      explanation: dirty, remedy: dirty, facts: [pair], evidence: [evidence(1), evidence(2)])
    let object = ObjectRef(
      kind: dirty, namespace: dirty, name: dirty, uid: dirty, fieldPath: dirty, pastedAt: ref(3))
    let event = MergedEvent(
      involved: object, type: .other(dirty), reason: dirty, message: dirty, template: dirty, exemplars: [dirty],
      sourceComponent: dirty, sourceHost: dirty, count: 1, caveats: [dirty], evidence: [evidence(4)])
    let condition = PodCondition(type: dirty, status: dirty, reason: dirty, message: dirty)
    var container = ContainerSnapshot(name: dirty)
    container.image = dirty
    container.state = .waiting(reason: dirty, message: dirty)
    container.lastState = .terminated(Termination(reason: dirty, message: dirty, exitCode: 1))
    container.limits = [dirty: dirty]
    container.requests = [dirty: dirty]
    container.probes = [
      .liveness: ProbeSpec(
        handler: .httpGet(scheme: dirty, host: dirty, port: dirty, path: dirty), evidence: evidence(5)),
      .readiness: ProbeSpec(handler: .exec(command: [dirty])),
      .startup: ProbeSpec(handler: .grpc(port: dirty, service: dirty)),
    ]
    container.preStop = dirty
    container.postStart = dirty
    container.environmentNames = [dirty]
    container.evidence = [evidence(6)]
    var running = ContainerSnapshot(name: dirty)
    running.state = .running(startedAt: nil)
    running.lastState = .waiting(reason: nil, message: nil)
    running.probes = [.liveness: ProbeSpec(handler: .tcpSocket(host: dirty, port: dirty))]
    var snapshot = PodSnapshot(name: dirty, namespace: dirty)
    snapshot.uid = dirty
    snapshot.node = dirty
    snapshot.hostIP = dirty
    snapshot.podIP = dirty
    snapshot.phase = dirty
    snapshot.displayStatus = dirty
    snapshot.reason = dirty
    snapshot.message = dirty
    snapshot.finalizers = [dirty]
    snapshot.labels = [dirty: dirty]
    snapshot.controlledBy = dirty
    snapshot.qosClass = dirty
    snapshot.conditions = [condition]
    snapshot.tolerations = [dirty]
    snapshot.containers = [container, running]
    snapshot.evidence = [evidence(7)]
    snapshot.pastedAt = ref(8)
    var log = LogRecord(origin: .container, message: dirty, evidence: evidence(9))
    log.text = dirty
    log.severity = dirty
    log.fields = [pair]
    log.captures = [pair]
    log.namespace = dirty
    log.pod = dirty
    log.container = dirty
    log.pastedAt = ref(14)
    var key = PodKey(namespace: dirty, name: dirty, uid: dirty)
    key.pastedAt = ref(10)
    let entry = TimelineEntry(time: nil, kind: .log, container: dirty, summary: dirty, evidence: [evidence(11)])
    let pod = PodHistory(
      key: key, snapshots: [snapshot], latest: snapshot, events: [event], logs: [log], timeline: [entry])
    var node = NodeSnapshot(name: dirty)
    node.uid = dirty
    node.conditions = [condition]
    node.taints = [dirty]
    node.displayStatus = dirty
    node.evidence = [evidence(12)]
    var workload = WorkloadSnapshot(kind: dirty, name: dirty, namespace: dirty)
    workload.replicas = dirty
    workload.podsStatus = dirty
    workload.conditions = [condition]
    workload.evidence = [evidence(13)]
    let state = CorrelatedState(
      pods: [pod], nodes: [dirty: node], workloads: [workload], events: [event], nodeLogs: [log], caveats: [dirty])
    return ([account], [diagnostic], state, [finding])
  }

  /// Every string reachable from `value`, dictionary keys and enum payloads included.
  static func strings(in value: Any) -> [String] {
    if let s = value as? String { return [s] }
    return Mirror(reflecting: value).children.flatMap { strings(in: $0.value) }
  }

  /// Every string a report can print of `input`: findings, diagnostics, sources, the pods' keys,
  /// merged views, events and timelines, the event history and the caveats.
  static func printable(_ input: ReportInput) -> [String] {
    var out = strings(in: input.findings) + strings(in: input.diagnostics) + strings(in: input.accounts)
    for pod in input.state.pods {
      out += strings(in: pod.key) + strings(in: pod.latest) + strings(in: pod.events) + strings(in: pod.timeline)
    }
    return out + strings(in: input.state.events) + input.state.caveats
  }

  /// Every document podmortem writes for `input`: the six formats, with every pod's timeline and
  /// without, the events table and the events document.
  static func documents(_ input: ReportInput) -> [String: String] {
    var all = input
    all.allPods = true
    var out: [String: String] = [:]
    for format in ReportFormat.allCases {
      out["\(format)"] = format.render(input)
      out["\(format) --all-pods"] = format.render(all)
    }
    out["events"] = EventsTableRenderer().render(input.state.events)
    out["events json"] = JSONRenderer().renderEvents(input, events: input.state.events)
    return out
  }

  @Test(
    "no string a report can print keeps the secret or a raw escape; --show-secrets keeps the secret, never the escape")
  func everyField() {
    let (accounts, diagnostics, state, findings) = Self.input()
    let raw = Self.strings(in: state) + Self.strings(in: findings) + Self.strings(in: accounts)
    // The fixture really fills the fields (a new field left at its default would not be tested).
    #expect(raw.filter { $0 == Self.dirty }.count >= 100)
    let masked = ReportInput(
      toolVersion: "t", accounts: accounts, diagnostics: diagnostics, state: state, findings: findings)
    let out = Self.printable(masked)
    #expect(out.filter { $0.contains("redacted") }.count >= 50)
    for s in out {
      #expect(!s.contains(Self.secret), "\(s)")
      #expect(!s.contains("\u{1B}") && !s.contains("\u{07}"), "\(s.debugDescription)")
    }
    #expect(out.contains(#"x password=‹redacted:1› \x1b]52;c;Zm9v\x07"#))
    let revealed = ReportInput(
      toolVersion: "t", accounts: accounts, diagnostics: diagnostics, state: state, findings: findings,
      revealSecrets: true)
    for s in Self.printable(revealed) where s.contains("password") {
      #expect(s.contains(Self.secret))
      #expect(!s.contains("\u{1B}"))
    }
    for (name, text) in Self.documents(masked) {
      #expect(text.contains("redacted"), "\(name)")
      #expect(!text.contains(Self.secret), "\(name)")
      #expect(!text.contains("\u{1B}") && !text.contains("\u{07}"), "\(name)")
    }
  }

  @Test("what no report prints is left as it was: logs, earlier captures, nodes, workloads")
  func unprintedPartsAreNotFiltered() throws {
    let (accounts, diagnostics, state, findings) = Self.input()
    let masked = ReportInput(
      toolVersion: "t", accounts: accounts, diagnostics: diagnostics, state: state, findings: findings)
    let pod = try #require(masked.state.pods.first)
    #expect(pod.logs == state.pods[0].logs)
    #expect(pod.snapshots == state.pods[0].snapshots)
    #expect(masked.state.nodeLogs == state.nodeLogs)
    #expect(masked.state.nodes == state.nodes)
    #expect(masked.state.workloads == state.workloads)
    // The secret is in them, so it is their being left out of every document that keeps it out.
    #expect(Self.strings(in: pod.logs.records).contains(Self.dirty))
  }

  @Test("a pod's merged view comes out filtered whether or not it is its only capture")
  func latestOfOneCapture() throws {
    let (accounts, diagnostics, state, findings) = Self.input()
    var differing = state
    differing.pods[0].latest.qosClass = "Burstable " + Self.dirty
    let once = ReportInput(
      toolVersion: "t", accounts: accounts, diagnostics: diagnostics, state: state, findings: findings)
    let apart = ReportInput(
      toolVersion: "t", accounts: accounts, diagnostics: diagnostics, state: differing, findings: findings)
    let latest = try #require(once.state.pods.first?.latest)
    var other = try #require(apart.state.pods.first?.latest)
    #expect(other.qosClass == #"Burstable x password=‹redacted:1› \x1b]52;c;Zm9v\x07"#)
    other.qosClass = latest.qosClass
    #expect(other == latest)
    #expect(!Self.strings(in: apart.state.pods[0].latest).contains { $0.contains(Self.secret) })
  }
}
