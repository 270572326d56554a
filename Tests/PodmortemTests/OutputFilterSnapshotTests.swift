import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import Podmortem
@testable import PodmortemReport

/// A pod's merged view is filtered in place, each field written only when filtering changed its
/// bytes (`OutputFilter.filterInPlace`), where it was rebuilt whole and compared with the original
/// (docs/architecture.md "Secrets"). `Reference` is that code, kept here as the reference: on every
/// pod of the samples and on seeded random snapshots with a secret, a control character or hostile
/// text in any field, the new filter must give the same snapshot, byte for byte, tell a change
/// exactly where the old comparison did, and number the same tokens in the same order.
@Suite struct OutputFilterSnapshotTests {
  /// `OutputFilter.snapshot(_:)` and what it called, as they were before `filterInPlace`: every
  /// field filtered into a copy, every list and map built again.
  struct Reference {
    let filter: OutputFilter

    func snapshot(_ s: PodSnapshot) -> PodSnapshot {
      var s = s
      s.namespace = filter(s.namespace)
      s.name = filter(s.name)
      s.uid = filter(s.uid)
      s.node = filter(s.node)
      s.hostIP = filter(s.hostIP)
      s.podIP = filter(s.podIP)
      s.phase = filter(s.phase)
      s.displayStatus = filter(s.displayStatus)
      s.reason = filter(s.reason)
      s.message = filter(s.message)
      s.finalizers = s.finalizers.map { filter($0) }
      s.labels = filter.dictionary(s.labels)
      s.controlledBy = filter(s.controlledBy)
      s.qosClass = filter(s.qosClass)
      s.conditions = s.conditions.map(filter.condition)
      s.tolerations = s.tolerations.map { filter($0) }
      s.containers = s.containers.map(container)
      s.evidence = filter.evidence(s.evidence)
      s.pastedAt = s.pastedAt.map(filter.ref)
      return s
    }

    func container(_ c: ContainerSnapshot) -> ContainerSnapshot {
      var c = c
      c.name = filter(c.name)
      c.image = filter(c.image)
      c.state = c.state.map(state)
      c.lastState = c.lastState.map(state)
      c.limits = filter.dictionary(c.limits)
      c.requests = filter.dictionary(c.requests)
      c.probes = c.probes.mapValues(probe)
      c.preStop = filter(c.preStop)
      c.postStart = filter(c.postStart)
      c.environmentNames = c.environmentNames.map { filter($0) }
      c.evidence = filter.evidence(c.evidence)
      return c
    }

    func state(_ s: ContainerState) -> ContainerState {
      switch s {
      case .waiting(let reason, let message): return .waiting(reason: filter(reason), message: filter(message))
      case .running: return s
      case .terminated(var t):
        t.reason = filter(t.reason)
        t.message = filter(t.message)
        return .terminated(t)
      }
    }

    func probe(_ p: ProbeSpec) -> ProbeSpec {
      var p = p
      switch p.handler {
      case .httpGet(let scheme, let host, let port, let path):
        p.handler = .httpGet(scheme: filter(scheme), host: filter(host), port: filter(port), path: filter(path))
      case .tcpSocket(let host, let port): p.handler = .tcpSocket(host: filter(host), port: filter(port))
      case .exec(let command): p.handler = .exec(command: command.map { filter($0) })
      case .grpc(let port, let service): p.handler = .grpc(port: filter(port), service: filter(service))
      case .unknown: break
      }
      p.evidence = p.evidence.map { filter.evidence($0) }
      return p
    }
  }

  /// Every string a report prints of `s`, in one order, as bytes: `==` on strings is canonical
  /// equivalence, and the report is to show each string's own spelling.
  static func bytes(_ s: PodSnapshot) -> [[UInt8]] {
    var out: [[UInt8]] = []
    func add(_ t: String?) { out.append(t.map { Array($0.utf8) } ?? [0xFF]) }
    func add(_ e: Evidence) {
      add(e.ref.source)
      add(e.text)
    }
    func add(_ m: [String: String]) {
      for k in m.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
        add(k)
        add(m[k])
      }
    }
    for t in [s.namespace, s.name, s.uid, s.node, s.hostIP, s.podIP, s.phase, s.displayStatus, s.reason, s.message] {
      add(t)
    }
    s.finalizers.forEach { add($0) }
    add(s.labels)
    add(s.controlledBy)
    add(s.qosClass)
    for c in s.conditions { [c.type, c.status, c.reason, c.message].forEach { add($0) } }
    s.tolerations.forEach { add($0) }
    for c in s.containers {
      add(c.name)
      add(c.image)
      for st in [c.state, c.lastState] {
        switch st {
        case .waiting(let r, let m): [r, m].forEach { add($0) }
        case .terminated(let t): [t.reason, t.message].forEach { add($0) }
        case .running, nil: add("-")
        }
      }
      add(c.limits)
      add(c.requests)
      for kind in ProbeSpec.Kind.allCases {
        guard let p = c.probes[kind] else { continue }
        switch p.handler {
        case .httpGet(let a, let b, let d, let e): [a, b, d, e].forEach { add($0) }
        case .tcpSocket(let a, let b): [a, b].forEach { add($0) }
        case .exec(let command): command.forEach { add($0) }
        case .grpc(let a, let b): [a, b].forEach { add($0) }
        case .unknown: add("-")
        }
        p.evidence.map { add($0) }
      }
      add(c.preStop)
      add(c.postStart)
      c.environmentNames.forEach { add($0) }
      c.evidence.forEach { add($0) }
    }
    s.evidence.forEach { add($0) }
    add(s.pastedAt?.source)
    return out
  }

  /// Filters `snapshots` with the reference and with `filterInPlace`, each with a fresh filter
  /// and masker, in order, and compares every result and the tokens.
  static func compare(_ snapshots: [PodSnapshot], reveal: Bool = false) {
    let old = OutputFilter(masker: reveal ? nil : SecretMasker())
    let new = OutputFilter(masker: reveal ? nil : SecretMasker())
    let reference = Reference(filter: old)
    for s in snapshots {
      let a = reference.snapshot(s)
      var b = s
      let changed = new.filterInPlace(&b)
      #expect(a == b)
      #expect(bytes(a) == bytes(b))
      // The old comparison's verdict: the merged view was replaced exactly when it differed.
      #expect(changed == (a != s))
      #expect(new.snapshot(s) == a)
    }
    #expect(old.masker?.distinctSecrets == new.masker?.distinctSecrets)
    // The same tokens were given to the same secrets: a secret filtered now reads the same.
    for probe in ["token=Zx9kP2mQ7rT4vW8y1aB0", "password=hunter20pw", "http://user:s3cretpass@host/x"] {
      #expect(old(probe) == new(probe))
    }
  }

  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test("every pod of the samples, its merged view and every capture, as the reference filters it")
  func samples() {
    // Secrets revealed: the merged views hold every secret of the samples, unmasked, and the
    // captures are not filtered at all (control characters included).
    let options = AnalysisOptions(
      inputs: [Self.repo.appendingPathComponent("samples").path], now: Date(timeIntervalSince1970: 1_795_740_000),
      revealSecrets: true)
    let report = Analysis(options: options).run(diagnostics: { _ in }).report
    let snapshots = report.state.pods.flatMap { [$0.latest] + $0.snapshots }
    #expect(snapshots.count > 100)
    #expect(snapshots.contains { !$0.containers.isEmpty && !$0.conditions.isEmpty && !$0.labels.isEmpty })
    Self.compare(snapshots)
    Self.compare(snapshots, reveal: true)
    // Twice through one filter: the second pass is answered from the memos.
    Self.compare(snapshots + snapshots)
  }

  /// Clean strings and hostile ones: empty, long, non-ASCII (a Kelvin sign, a dotted capital İ, an
  /// accent composed and decomposed), CR, NUL, tabs, controls, secrets, PEM lines, random bytes.
  static func text(_ rng: inout SplitMix64) -> String {
    let pool = [
      "", "a", "prod", "Running", "True", "10.244.1.2", "app", "nginx:1.25", "kubernetes.io/hostname",
      "Back-off restarting failed container app in pod app-000001_prod", "caf\u{E9}", "cafe\u{301}",
      "\u{212A}elvin", "Kelvin", "\u{130}stanbul", "a\tb", "line\r", "nul\u{0}byte", "\u{1B}[31mred",
      "bidi \u{202E}evil",
      "c1 \u{85} next", "token=Zx9kP2mQ7rT4vW8y1aB\(rng.below(4))", "password=hunter2\(rng.below(4))pw",
      "http://user:s3cretpass@host/x", "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA7",
      "-----END RSA PRIVATE KEY-----", String(repeating: "long line without anything ", count: 5),
      "x password=hunter2pw " + String(repeating: "y", count: 100), String(repeating: "\u{212A}", count: 40),
    ]
    if rng.below(8) == 0 { return String(decoding: rng.hostileBytes(count: rng.below(120)), as: UTF8.self) }
    return pool[rng.below(pool.count)]
  }

  static func snapshot(_ rng: inout SplitMix64) -> PodSnapshot {
    func s() -> String { text(&rng) }
    func maybe() -> String? { rng.below(3) == 0 ? nil : s() }
    func list() -> [String] { (0..<rng.below(3)).map { _ in s() } }
    func map() -> [String: String] {
      Dictionary((0..<rng.below(4)).map { _ in (s(), s()) }, uniquingKeysWith: { a, _ in a })
    }
    func evidence() -> [Evidence] {
      // Sometimes consecutive lines of one source: a PEM block cited line by line.
      let source = rng.below(2) == 0 ? "describe.txt" : s()
      let first = 1 + rng.below(4)
      return (0..<rng.below(5)).map { i in Evidence(ref: SourceRef(source: source, line: first + i), text: s()) }
    }
    func state() -> ContainerState? {
      switch rng.below(4) {
      case 0: return nil
      case 1: return .waiting(reason: maybe(), message: maybe())
      case 2: return .running(startedAt: nil)
      default:
        var t = Termination(reason: maybe(), message: maybe(), exitCode: rng.below(256))
        t.messageDetail = rng.below(2) == 0 ? [] : [KeyValue("crash", s())]
        return .terminated(t)
      }
    }
    var p = PodSnapshot(name: s(), namespace: maybe())
    p.uid = maybe()
    p.node = maybe()
    p.hostIP = maybe()
    p.podIP = maybe()
    p.phase = maybe()
    p.displayStatus = maybe()
    p.reason = maybe()
    p.message = maybe()
    p.finalizers = list()
    p.labels = map()
    p.controlledBy = maybe()
    p.qosClass = maybe()
    p.conditions = (0..<rng.below(4)).map { _ in
      var c = PodCondition(type: s(), status: s(), reason: maybe(), message: maybe())
      // A condition that carries its message's pattern (set by Ingest, printed by no report).
      if rng.below(6) == 0 { c.patternID = "evicted" }
      if rng.below(6) == 0 { c.messageCaptures = [KeyValue("resource", s())] }
      return c
    }
    p.tolerations = list()
    p.containers = (0..<rng.below(3)).map { _ in
      var c = ContainerSnapshot(name: s())
      c.image = maybe()
      c.state = state()
      c.lastState = state()
      c.limits = map()
      c.requests = map()
      for kind in ProbeSpec.Kind.allCases where rng.below(2) == 0 {
        let handler: ProbeHandler =
          switch rng.below(5) {
          case 0: .httpGet(scheme: s(), host: s(), port: s(), path: s())
          case 1: .tcpSocket(host: s(), port: s())
          case 2: .exec(command: list())
          case 3: .grpc(port: s(), service: s())
          default: .unknown
          }
        let line = rng.below(2) == 0 ? nil : Evidence(ref: SourceRef(source: s(), line: 1 + rng.below(9)), text: s())
        c.probes[kind] = ProbeSpec(handler: handler, evidence: line)
      }
      c.preStop = maybe()
      c.postStart = maybe()
      c.environmentNames = list()
      c.evidence = evidence()
      return c
    }
    p.evidence = evidence()
    p.pastedAt = rng.below(4) == 0 ? SourceRef(source: s(), line: 1 + rng.below(9)) : nil
    return p
  }

  @Test("seeded random snapshots with a secret, a control or hostile text in any field")
  func seeded() {
    var rng = SplitMix64(seed: 16)
    for _ in 0..<40 {
      let snapshots = (0..<50).map { _ in Self.snapshot(&rng) }
      Self.compare(snapshots)
      Self.compare(snapshots, reveal: true)
    }
    // Clean snapshots (the common case): nothing changes, nothing is written.
    var clean = PodSnapshot(name: "web-0", namespace: "prod")
    clean.labels = ["app": "web"]
    clean.conditions = [PodCondition(type: "Ready", status: "True")]
    var c = ContainerSnapshot(name: "app")
    c.limits = ["memory": "128Mi"]
    c.probes[.liveness] = ProbeSpec(handler: .httpGet(scheme: "HTTP", host: "", port: "8080", path: "/healthz"))
    clean.containers = [c]
    let filter = OutputFilter(masker: SecretMasker())
    var copy = clean
    #expect(!filter.filterInPlace(&copy))
    #expect(copy == clean)
  }
}
