import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

// The round trip (podmortem issue 3): every text the real kubectl printed in samples/ parses with
// no unrecognised line, and the facts parsed from it equal the fixture truth in the case's
// pod.json / events.json, read here with JSONDecoder and compared by hand, independent of
// podmortem's own JSON parser.

@Test func manifestNamesEverySampleText() throws {
  let listed = Set(Samples.files.map(\.testDescription))
  // bundles/ is made by tools/make-bundle-samples.py, not by kubectl; snapshots/ has its own capture times.
  let folders = try FileManager.default.contentsOfDirectory(atPath: Samples.folder.path).filter {
    !$0.hasSuffix(".json") && $0 != "bundles" && !Samples.ownCaptureTimes.contains($0)
  }
  var onDisk: Set<String> = []
  for folder in folders {
    let names = try FileManager.default.contentsOfDirectory(atPath: Samples.folder.appendingPathComponent(folder).path)
    for name in names where name.hasSuffix(".txt") && !name.hasSuffix(".stderr.txt") {
      onDisk.insert("\(folder)/\(name)")
    }
  }
  #expect(listed == onDisk)
  // 20 cases × 9 texts, and 10 texts of all the cases together.
  #expect(Samples.files.count == 190)
  #expect(Samples.epoch == Date(timeIntervalSince1970: 1_795_741_200))
}

@Test(arguments: Samples.files)
func sampleParsesWithoutUnrecognisedLines(_ sample: SampleFile) throws {
  let parsed = try IngestedSample(url: sample.url, name: sample.testDescription)
  #expect(parsed.account.unrecognised == 0, "unrecognised lines \(parsed.account.firstUnrecognised)")
  if parsed.account.lines > 0 { #expect(parsed.account.formats == [KubectlTextParser.format]) }
  #expect(parsed.account.parsed + parsed.account.ignored == parsed.account.lines)
  // Read boundaries must not matter.
  let windowed = try IngestedSample(url: sample.url, name: sample.testDescription, window: 7)
  #expect(windowed.records == parsed.records)
  #expect(windowed.account == parsed.account)
}

@Test(arguments: Samples.stderrFiles)
func kubectlStderrIsRecognisedAndIgnored(_ path: String) throws {
  let parsed = try IngestedSample(url: Samples.folder.appendingPathComponent(path), name: path)
  #expect(parsed.account.lines == 1)
  #expect(parsed.account.ignored == 1 && parsed.account.unrecognised == 0)
  #expect(parsed.account.formats == [KubectlTextParser.format])
  #expect(parsed.records.isEmpty)
}

@Test(arguments: Samples.files)
func sampleRoundTrip(_ sample: SampleFile) throws {
  let parsed = try IngestedSample(url: sample.url, name: sample.testDescription)
  let truth = (sample.caseName == "_all" ? Truth.all : Truth.load(caseName: sample.caseName)).visible(to: sample)
  var check = FactCheck(sample.testDescription)
  RoundTrip.compare(parsed, truth, sample, &check)
  #expect(check.failures == [])
  #expect(check.compared > 0 || parsed.account.lines == 0)
}

/// The same pod described by kubectl 1.27, 1.30, 1.32 and 1.33 reads as the same facts, except
/// that 1.27 and 1.30 print `Terminating (lasts X)` for a deleted pod already in a terminal phase
/// where 1.32 prints the phase.
@Test(arguments: Samples.files.filter { $0.kind == .describe && $0.caseName != "_all" && $0.file != "describe.txt" })
func describeVersionsReadAlike(_ sample: SampleFile) throws {
  let base = try IngestedSample(
    url: sample.url.deletingLastPathComponent().appendingPathComponent("describe.txt"), name: "describe.txt")
  let other = try IngestedSample(url: sample.url, name: "describe.txt")
  let basePod = try #require(base.pods.first.map(RoundTrip.withoutEvidence))
  var pod = try #require(other.pods.first.map(RoundTrip.withoutEvidence))
  let truth = try #require(Truth.load(caseName: sample.caseName).pods.first)
  let terminal = ["Failed", "Succeeded"].contains(truth.status.phase)
  if truth.metadata.deletionTimestamp != nil, terminal, ["1.27", "1.30"].contains(sample.version) {
    #expect(pod.terminating && pod.phase == nil && basePod.phase == truth.status.phase && !basePod.terminating)
    #expect(pod.deletionGracePeriodSeconds == truth.metadata.deletionGracePeriodSeconds)
    pod.terminating = false
    pod.phase = basePod.phase
    pod.deletionGracePeriodSeconds = nil
    pod.deletionTimestamp = nil
  }
  #expect(pod == basePod)
  #expect(other.events.map(RoundTrip.withoutEvidence) == base.events.map(RoundTrip.withoutEvidence))
}

/// The comparisons, one per kind of kubectl output.
enum RoundTrip {
  static func compare(_ parsed: IngestedSample, _ truth: Truth, _ sample: SampleFile, _ c: inout FactCheck) {
    switch sample.kind {
    case .describe: describe(parsed, truth, sample, &c)
    case .getPods: podRows(parsed.pods, truth, sample, &c)
    case .getEvents, .kubectlEvents:
      c.equal(parsed.pods.count, 0, "pod records")
      match(parsed.events, truth.events, &c) { e, t, c in eventRow(e, t, sample, &c) }
    }
  }

  // MARK: describe

  static func describe(_ parsed: IngestedSample, _ truth: Truth, _ sample: SampleFile, _ c: inout FactCheck) {
    var pods = truth.pods
    let words = sample.command.split(separator: " ")
    if words.count == 4, words[2] == "pod" { pods = pods.filter { $0.metadata.name == words[3] } }
    c.equal(parsed.pods.map(\.name).sorted(), pods.map(\.metadata.name).sorted(), "described pods")
    for p in parsed.pods {
      guard let t = pods.first(where: { $0.metadata.name == p.name }) else { continue }
      var sub = FactCheck("\(c.subject) \(p.name)")
      describedPod(p, t, version: sample.version, &sub)
      let rows = parsed.events.filter { $0.involved.name == p.name }
      // describe selects events by the pod's uid (§1.6): TaintManagerEviction has none.
      let expected = truth.events.filter {
        $0.involvedObject.uid == t.metadata.uid && $0.metadata.namespace == t.metadata.namespace
      }
      match(rows, expected, &sub) { e, t, c in
        describeEvent(e, t, &c)
        c.equal(e.involved.namespace, p.namespace, "event namespace")
      }
      c.compared += sub.compared
      c.failures += sub.failures
    }
    c.equal(parsed.events.filter { e in !parsed.pods.contains { $0.name == e.involved.name } }.count, 0, "orphan rows")
  }

  static func describedPod(_ p: PodSnapshot, _ t: TruthPod, version: String, _ c: inout FactCheck) {
    c.equal(p.namespace, t.metadata.namespace, "namespace")
    c.equal(p.node, t.spec.nodeName, "node")
    c.equal(p.hostIP, t.spec.nodeName == nil ? nil : t.status.hostIP, "host IP")
    c.equal(p.podIP, nonEmpty(t.status.podIP), "pod IP")
    c.near(p.startTime, Samples.date(t.status.startTime), "start time")
    // §1.2: Terminating only for a deleted pod not yet in a terminal phase; 1.27 and 1.30 (real
    // output) print it for terminal pods too.
    let terminal = ["Failed", "Succeeded"].contains(t.status.phase)
    let deleted = t.metadata.deletionTimestamp != nil
    let terminating = deleted && (!terminal || ["1.27", "1.30"].contains(version))
    c.equal(p.terminating, terminating, "Terminating")
    c.equal(p.phase, terminating ? nil : t.status.phase, "Status")
    c.equal(p.deletionGracePeriodSeconds, terminating ? t.metadata.deletionGracePeriodSeconds : nil, "grace period")
    if terminating { c.contains(p.deletionTimestamp, Samples.date(t.metadata.deletionTimestamp), "deletion time") }
    c.equal(p.reason, t.status.reason, "Reason")
    // Lines are read with trailing white space trimmed (a paste or a terminal copy loses it too).
    c.equal(p.message, t.status.message.map(trailingSpaceTrimmed), "Message")
    c.equal(p.qosClass, t.status.qosClass, "QoS Class")
    c.equal(p.labels, t.metadata.labels ?? [:], "labels")
    let owner = t.metadata.ownerReferences?.first { $0.controller == true }
    c.equal(p.controlledBy, owner.map { "\($0.kind)/\($0.name)" }, "Controlled By")
    c.equal(p.tolerations, (t.spec.tolerations ?? []).map(toleration).sorted(), "Tolerations")
    c.equal(p.conditions.map(\.type), (t.status.conditions ?? []).map(\.type), "condition types")
    c.equal(p.conditions.map(\.status), (t.status.conditions ?? []).map(\.status), "condition statuses")

    let specs =
      (t.spec.initContainers ?? []).map { ($0, ContainerSnapshot.Role.initContainer) }
      + t.spec.containers.map { ($0, ContainerSnapshot.Role.container) }
    c.equal(p.containers.map(\.name), specs.map(\.0.name), "containers")
    c.equal(p.containers.map(\.role), specs.map(\.1), "container roles")
    for (spec, role) in specs {
      guard let parsed = p.containers.first(where: { $0.name == spec.name && $0.role == role }) else { continue }
      let statuses = role == .initContainer ? t.status.initContainerStatuses : t.status.containerStatuses
      container(parsed, spec, statuses?.first { $0.name == spec.name }, &c)
    }
  }

  static func container(
    _ p: ContainerSnapshot, _ spec: TruthPod.Container, _ status: TruthPod.ContainerStatus?, _ c: inout FactCheck
  ) {
    let name = p.name
    c.equal(p.image, spec.image, "\(name) image")
    c.equal(p.ready, status?.ready, "\(name) ready")
    c.equal(p.restartCount, status?.restartCount, "\(name) restart count")
    c.equal(p.limits, spec.resources?.limits ?? [:], "\(name) limits")
    c.equal(p.requests, spec.resources?.requests ?? [:], "\(name) requests")
    c.equal(p.environmentNames, (spec.env ?? []).map(\.name), "\(name) environment names")
    // describe (1.27–1.33) prints no `Restart Policy:` for a sidecar, so it cannot be compared.
    // §1.3: no status prints no State; a status without a state prints Waiting.
    if status != nil {
      state(p.state, status?.state ?? TruthPod.State(), "\(name) state", &c)
    } else {
      c.equal(p.state == nil, true, "\(name) state absent")
    }
    // Last State only when lastTerminationState.terminated is set.
    if let last = status?.lastState, last.terminated != nil {
      state(p.lastState, last, "\(name) last state", &c)
    } else {
      c.equal(p.lastState == nil, true, "\(name) last state absent")
    }
    let probes: [(ProbeSpec.Kind, TruthPod.Probe?)] = [
      (.liveness, spec.livenessProbe), (.readiness, spec.readinessProbe), (.startup, spec.startupProbe),
    ]
    for (kind, truth) in probes {
      probe(p.probes[kind], truth, "\(name) \(kind.rawValue)", &c)
    }
  }

  static func state(_ p: ContainerState?, _ t: TruthPod.State, _ fact: String, _ c: inout FactCheck) {
    switch p {
    case .running(let started)?:
      c.equal("running", t.running == nil ? "not running" : "running", fact)
      c.near(started, Samples.date(t.running?.startedAt), "\(fact) started")
    case .waiting(let reason, let message)?:
      let waiting = t.running == nil && t.terminated == nil
      c.equal("waiting", waiting ? "waiting" : "not waiting", fact)
      c.equal(reason, nonEmpty(t.waiting?.reason), "\(fact) reason")
      // §1.3: describe never prints the Waiting message.
      c.equal(message, nil, "\(fact) message")
    case .terminated(let term)?:
      guard let truth = t.terminated else {
        c.fail("\(fact): parsed terminated, truth not")
        return
      }
      c.equal(term.reason, nonEmpty(truth.reason), "\(fact) reason")
      c.equal(term.message, nonEmpty(truth.message.map(trailingNewlinesTrimmed)), "\(fact) message")
      c.equal(term.exitCode, truth.exitCode, "\(fact) exit code")
      c.equal(term.signal, truth.signal.flatMap { $0 == 0 ? nil : $0 }, "\(fact) signal")
      c.near(term.startedAt, Samples.date(truth.startedAt), "\(fact) started")
      c.near(term.finishedAt, Samples.date(truth.finishedAt), "\(fact) finished")
    case nil:
      c.fail("\(fact): missing")
    }
  }

  static func probe(_ p: ProbeSpec?, _ t: TruthPod.Probe?, _ fact: String, _ c: inout FactCheck) {
    guard let t else {
      c.equal(p == nil, true, "\(fact) absent")
      return
    }
    guard let p else {
      c.fail("\(fact): missing")
      return
    }
    let handler: ProbeHandler =
      if let exec = t.exec {
        // `%v` of a []string: words joined by spaces (§1.4).
        .exec(command: exec.command.joined(separator: " ").split(separator: " ").map(String.init))
      } else if let http = t.httpGet {
        .httpGet(
          scheme: (http.scheme ?? "HTTP").lowercased(), host: http.host ?? "", port: http.port.text,
          path: http.path ?? "")
      } else if let tcp = t.tcpSocket {
        .tcpSocket(host: tcp.host ?? "", port: tcp.port.text)
      } else if let grpc = t.grpc {
        .grpc(port: String(grpc.port), service: grpc.service ?? "")
      } else {
        .unknown
      }
    c.equal(p.handler, handler, "\(fact) handler")
    // §6.1 defaults.
    c.equal(p.initialDelaySeconds, t.initialDelaySeconds ?? 0, "\(fact) delay")
    c.equal(p.timeoutSeconds, t.timeoutSeconds ?? 1, "\(fact) timeout")
    c.equal(p.periodSeconds, t.periodSeconds ?? 10, "\(fact) period")
    c.equal(p.successThreshold, t.successThreshold ?? 1, "\(fact) success threshold")
    c.equal(p.failureThreshold, t.failureThreshold ?? 3, "\(fact) failure threshold")
  }

  /// A describe Events row (§1.6): `A (xN over B)` with A the last and B the first occurrence.
  static func describeEvent(_ e: Event, _ t: TruthEvent, _ c: inout FactCheck) {
    common(e, t, &c)
    c.equal(e.involved.kind, "Pod", "kind")
    c.equal(e.sourceComponent, t.component, "From")
    // ≥1.20 describe prints the component only; ≤1.34 no field path prefix (§1.6, §1.7).
    c.equal(e.sourceHost, nil, "From host")
    c.equal(e.involved.fieldPath, nil, "field path")
    intervalTimes(e, t, &c)
  }

  /// `getInterval` of describe and `kubectl events`: a count only for a series or count > 1.
  static func intervalTimes(_ e: Event, _ t: TruthEvent, _ c: inout FactCheck) {
    c.equal(e.count ?? 1, t.shownCount, "count")
    c.contains(e.firstSeen, t.describeFirst, "first seen")
    c.contains(e.lastSeen, e.count == nil ? t.describeFirst : t.describeLast, "last seen")
  }

  static func common(_ e: Event, _ t: TruthEvent, _ c: inout FactCheck) {
    c.equal(e.type.description, t.type, "type")
    c.equal(e.reason, t.reason, "reason")
    c.equal(e.message, t.trimmedMessage, "message")
    c.equal(e.involved.name, t.involvedObject.name, "object name")
  }

  // MARK: get events, kubectl events

  static func eventRow(_ e: Event, _ t: TruthEvent, _ sample: SampleFile, _ c: inout FactCheck) {
    common(e, t, &c)
    c.equal(e.involved.kind, t.involvedObject.kind, "object kind")
    if sample.allNamespaces { c.equal(e.involved.namespace, t.metadata.namespace, "namespace") }
    c.equal(e.watchType, sample.command.contains("--output-watch-events") ? t.watchType : nil, "EVENT")
    if sample.kind == .kubectlEvents {
      if t.streamed {
        c.equal(e.count ?? 1, t.shownCount, "count")
      } else {
        intervalTimes(e, t, &c)
      }
      return
    }
    // A watch prints each later row with its age at that moment, not at the capture time.
    if !t.streamed { c.contains(e.lastSeen, t.tableLast, "LAST SEEN") }
    guard sample.isWide else {
      // Nothing the table does not print is invented.
      c.equal(e.count, nil, "count")
      c.equal(e.firstSeen, nil, "first seen")
      c.equal(e.eventName, nil, "name")
      c.equal(e.sourceComponent, nil, "source")
      return
    }
    c.contains(e.firstSeen, t.tableFirst, "FIRST SEEN")
    c.equal(e.count, t.shownCount, "COUNT")
    c.equal(e.eventName, t.metadata.name, "NAME")
    c.equal(e.sourceComponent, t.component, "SOURCE component")
    c.equal(e.sourceHost, t.host, "SOURCE host")
    c.equal(e.involved.fieldPath, t.involvedObject.fieldPath, "SUBOBJECT")
  }

  /// Pairs every parsed row with a distinct truth event that agrees on every fact, and reports the
  /// disagreements of the nearest candidate for a row none agrees with.
  static func match(
    _ rows: [Event], _ truth: [TruthEvent], _ c: inout FactCheck,
    _ facts: (Event, TruthEvent, inout FactCheck) -> Void
  ) {
    c.equal(rows.count, truth.count, "event rows")
    // Rows of the initial list before the rows a watch printed later.
    var pool = truth.filter { !$0.streamed } + truth.filter(\.streamed)
    for row in rows {
      var best: FactCheck?
      var found: Int?
      for (i, candidate) in pool.enumerated() {
        var trial = FactCheck(c.subject)
        facts(row, candidate, &trial)
        if trial.failures.isEmpty {
          found = i
          c.compared += trial.compared
          break
        }
        if candidate.reason == row.reason, best.map({ trial.failures.count < $0.failures.count }) ?? true {
          best = trial
        }
      }
      if let found {
        pool.remove(at: found)
      } else {
        c.fail("no event matches row '\(row.reason) \(row.involved.name) \(row.message)'")
        c.failures += best?.failures ?? []
      }
    }
  }

  // MARK: get pods

  static func podRows(_ rows: [PodSnapshot], _ truth: Truth, _ sample: SampleFile, _ c: inout FactCheck) {
    c.equal(rows.map(\.name).sorted(), (truth.pods.map(\.metadata.name) + truth.streamedPods).sorted(), "pod rows")
    var seen: Set<String> = []
    for p in rows {
      // A watch prints a pod again when it changes: only the rows of the initial list are compared.
      guard seen.insert(p.name).inserted, let t = truth.pods.first(where: { $0.metadata.name == p.name }) else {
        continue
      }
      let printed = PodPrinter(t)
      let fact = p.name
      if sample.allNamespaces { c.equal(p.namespace, t.metadata.namespace, "\(fact) NAMESPACE") }
      c.equal(p.ready, ReadyCount(ready: printed.ready, total: printed.total), "\(fact) READY")
      c.equal(p.displayStatus, printed.status, "\(fact) STATUS")
      c.equal(p.terminating, printed.status == "Terminating", "\(fact) terminating")
      c.equal(p.restarts, printed.restarts, "\(fact) RESTARTS")
      if printed.restarts != 0, let last = printed.lastRestart {
        c.contains(p.lastRestart, last, "\(fact) RESTARTS (ago)")
      } else {
        c.equal(p.lastRestart, nil, "\(fact) RESTARTS (ago)")
      }
      c.contains(p.creationTime, Samples.date(t.metadata.creationTimestamp), "\(fact) AGE")
      if sample.isWide {
        c.equal(p.podIP, nonEmpty(t.status.podIP), "\(fact) IP")
        c.equal(p.node, t.spec.nodeName, "\(fact) NODE")
      }
      if sample.command.contains("--show-labels") { c.equal(p.labels, t.metadata.labels ?? [:], "\(fact) LABELS") }
    }
  }

  // MARK: helpers

  /// `key[=value][:effect][ op=Exists][ for Ns]` (§1.2).
  static func toleration(_ t: TruthPod.Toleration) -> String {
    var text = t.key ?? ""
    if let value = nonEmpty(t.value) { text += "=\(value)" }
    if let effect = nonEmpty(t.effect) { text += ":\(effect)" }
    if t.operator == "Exists" { text += " op=Exists" }
    if let seconds = t.tolerationSeconds { text += " for \(seconds)s" }
    return text
  }

  static func nonEmpty(_ s: String?) -> String? { s?.isEmpty == false ? s : nil }

  static func trailingNewlinesTrimmed(_ s: String) -> String {
    var s = s
    while s.last == "\n" { s.removeLast() }
    return s
  }

  static func trailingSpaceTrimmed(_ s: String) -> String {
    var s = s
    while s.last?.isWhitespace == true { s.removeLast() }
    return s
  }

  static func withoutEvidence(_ pod: PodSnapshot) -> PodSnapshot {
    var pod = pod
    pod.evidence = []
    pod.deletionEvidence = []
    pod.containers = pod.containers.map { c in
      var c = c
      c.evidence = []
      c.stateEvidence = []
      c.lastStateEvidence = []
      for kind in c.probes.keys { c.probes[kind]?.evidence = nil }
      return c
    }
    return pod
  }

  static func withoutEvidence(_ event: Event) -> Event {
    var event = event
    event.evidence = []
    return event
  }
}

/// The server's pod printer (`printPod`, docs/kubernetes.md §3.4, 1.32), ported from the description so
/// the READY, STATUS and RESTARTS cells are checked against the JSON, not copied from the text.
struct PodPrinter {
  var status: String
  var ready = 0
  var total: Int
  var restarts = 0
  var lastRestart: Date?

  init(_ pod: TruthPod) {
    let inits = pod.spec.initContainers ?? []
    let sidecars = Set(inits.filter { $0.restartPolicy == "Always" }.map(\.name))
    total = pod.spec.containers.count + sidecars.count
    status = pod.status.reason ?? pod.status.phase
    let conditions = pod.status.conditions ?? []
    if conditions.contains(where: { $0.type == "PodScheduled" && $0.reason == "SchedulingGated" }) {
      status = "SchedulingGated"
    }
    var sidecarRestarts = 0
    var lastSidecarRestart: Date?
    var initializing = false
    for (i, c) in (pod.status.initContainerStatuses ?? []).enumerated() {
      restarts += c.restartCount
      let finished = Samples.date(c.lastState?.terminated?.finishedAt)
      lastRestart = Self.later(lastRestart, finished)
      let isSidecar = sidecars.contains(c.name)
      if isSidecar {
        sidecarRestarts += c.restartCount
        lastSidecarRestart = Self.later(lastSidecarRestart, finished)
      }
      if let t = c.state?.terminated, t.exitCode == 0 { continue }
      if isSidecar, c.started == true {
        if c.ready { ready += 1 }
        continue
      }
      if let t = c.state?.terminated {
        status = "Init:" + (RoundTrip.nonEmpty(t.reason) ?? Self.exit(t))
      } else if let reason = RoundTrip.nonEmpty(c.state?.waiting?.reason), reason != "PodInitializing" {
        status = "Init:" + reason
      } else {
        status = "Init:\(i)/\(inits.count)"
      }
      initializing = true
      break
    }
    let initialized = conditions.contains { $0.type == "Initialized" && $0.status == "True" }
    if !initializing || initialized {
      restarts = sidecarRestarts
      lastRestart = lastSidecarRestart
      var hasRunning = false
      for c in (pod.status.containerStatuses ?? []).reversed() {
        restarts += c.restartCount
        lastRestart = Self.later(lastRestart, Samples.date(c.lastState?.terminated?.finishedAt))
        if let reason = RoundTrip.nonEmpty(c.state?.waiting?.reason) {
          status = reason
        } else if let t = c.state?.terminated {
          status = RoundTrip.nonEmpty(t.reason) ?? Self.exit(t)
        } else if c.ready, c.state?.running != nil {
          hasRunning = true
          ready += 1
        }
      }
      if status == "Completed", hasRunning {
        status = conditions.contains { $0.type == "Ready" && $0.status == "True" } ? "Running" : "NotReady"
      }
    }
    if pod.metadata.deletionTimestamp != nil {
      if pod.status.reason == "NodeLost" {
        status = "Unknown"
      } else if !["Failed", "Succeeded"].contains(pod.status.phase) {
        status = "Terminating"
      }
    }
  }

  private static func exit(_ t: TruthPod.State.Terminated) -> String {
    if let signal = t.signal, signal != 0 { return "Signal:\(signal)" }
    return "ExitCode:\(t.exitCode)"
  }

  private static func later(_ a: Date?, _ b: Date?) -> Date? {
    guard let a else { return b }
    guard let b else { return a }
    return max(a, b)
  }
}
