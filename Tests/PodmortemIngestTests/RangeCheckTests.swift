import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `RangeCheck.check` takes its record and writes a pod's container only when a check changes
/// it (docs/architecture.md "Speed of the describe path"). `before` is the check as it was (the
/// pod copied out of a borrowed record, every container checked in place) and stays the
/// reference: on every record the kubectl parser reads from the samples and on seeded pods
/// (restart counts and probe fields at and beyond their bounds, waiting messages with usable and
/// unusable back-offs, hostile text), both hand on the same record and say the same diagnostics
/// in the same order.
@Suite struct RangeCheckTests {
  static func before(_ record: Record, diagnostics: DiagnosticSink) -> Record {
    guard case .pod(var pod) = record else { return record }
    let podRef = pod.evidence.first?.ref
    if let restarts = pod.restarts, !(0...Int(Int32.max)).contains(restarts) {
      report(podRef, "restart count '\(restarts)' is not a 32-bit count; dropped", diagnostics)
      for index in pod.containers.indices where pod.containers[index].restartCount == restarts {
        pod.containers[index].restartCount = nil
      }
      pod.restarts = nil
    }
    for index in pod.containers.indices {
      check(&pod.containers[index], fallback: podRef, diagnostics: diagnostics)
    }
    return .pod(pod)
  }

  private static func check(_ container: inout ContainerSnapshot, fallback: SourceRef?, diagnostics: DiagnosticSink) {
    let ref = container.evidence.first?.ref ?? fallback
    if let restarts = container.restartCount, !(0...Int(Int32.max)).contains(restarts) {
      report(
        ref, "container '\(container.name)' restart count '\(restarts)' is not a 32-bit count; dropped", diagnostics)
      container.restartCount = nil
    }
    for (kind, probe) in container.probes {
      let fields = [
        ("initialDelaySeconds", probe.initialDelaySeconds, 0), ("timeoutSeconds", probe.timeoutSeconds, 0),
        ("periodSeconds", probe.periodSeconds, 1), ("successThreshold", probe.successThreshold, 1),
        ("failureThreshold", probe.failureThreshold, 1),
      ]
      if let bad = fields.first(where: { $0.1 < $0.2 || $0.1 > Int(Int32.max) }) {
        report(
          probe.evidence?.ref ?? ref,
          "\(kind.rawValue) probe \(bad.0) '\(bad.1)' is out of range; the probe is dropped",
          diagnostics)
        container.probes[kind] = nil
      }
    }
    if case .waiting(let reason, let message?) = container.state, let token = backOffToken(message),
      Durations.goDuration(token) == nil
    {
      let line = container.evidence.first { $0.text.contains("back-off " + token) }?.ref ?? ref
      report(line, "back-off '\(token.prefix(40))' is not a duration podmortem can use; ignored", diagnostics)
      container.state = .waiting(reason: reason, message: nil)
    }
  }

  private static func backOffToken(_ message: String) -> Substring? {
    guard let range = message.range(of: "back-off ") else { return nil }
    let token = message[range.upperBound...].prefix { !$0.isWhitespace }
    return token.first?.isNumber == true ? token : nil
  }

  private static func report(_ ref: SourceRef?, _ message: String, _ diagnostics: DiagnosticSink) {
    diagnostics(Diagnostic(.warning, ref ?? SourceRef(source: "", line: 0), message))
  }

  /// Values at, inside and beyond the bounds the checks hold (0, 1, 32 bits).
  static let numbers = [0, 1, 3, 10, -1, Int(Int32.max), Int(Int32.max) + 1, Int.max, Int.min]
  static let messages = [
    "back-off 5m0s restarting failed container=web pod=web-0_shop(u1)",
    "back-off 99999999999999999999s restarting failed container=web pod=web-0_shop(u1)",
    "back-off 18446744073709551615s restarting", "back-off 1h2m3s", "back-off x", "back-off ", "back-off",
    "Back-off 5m0s", "back-off \u{301}5s", "back-off 5\u{301}s", "back-off \u{212A}", "back-off 1İs",
    "waiting K\u{212A} İ e\u{301}\r\u{0}\t", "",
  ]

  static func container(_ rng: inout SplitMix64, index: Int) -> ContainerSnapshot {
    var c = ContainerSnapshot(name: ["web", "side-car", "K\u{212A}", ""][rng.below(4)] + "\(index)")
    if rng.below(4) > 0 { c.restartCount = numbers[rng.below(numbers.count)] }
    for kind in ProbeSpec.Kind.allCases where rng.below(2) == 0 {
      // Mostly in range, as a real pod's are; now and then one field beyond.
      func field(_ fallback: Int) -> Int { rng.below(5) == 0 ? numbers[rng.below(numbers.count)] : fallback }
      c.probes[kind] = ProbeSpec(
        handler: .tcpSocket(host: "", port: "8080"), initialDelaySeconds: field(0), timeoutSeconds: field(1),
        periodSeconds: field(10), successThreshold: field(1), failureThreshold: field(3),
        evidence: rng.below(3) == 0
          ? nil : Evidence(ref: SourceRef(source: "d.txt", line: rng.below(50) + 1), text: "x"))
    }
    let message = messages[rng.below(messages.count)]
    switch rng.below(4) {
    case 0: c.state = .waiting(reason: "CrashLoopBackOff", message: message)
    case 1: c.state = .waiting(reason: rng.below(2) == 0 ? nil : "ErrImagePull", message: nil)
    case 2: c.state = .running(startedAt: nil)
    default: break
    }
    for _ in 0..<rng.below(3) {
      c.evidence.append(
        Evidence(
          ref: SourceRef(source: "d.txt", line: rng.below(90) + 1), text: rng.below(2) == 0 ? message : "Ready: True"))
    }
    return c
  }

  static func pod(_ rng: inout SplitMix64) -> PodSnapshot {
    var pod = PodSnapshot(name: "web-\(rng.below(9))", namespace: "shop")
    if rng.below(3) == 0 { pod.restarts = numbers[rng.below(numbers.count)] }
    if rng.below(3) > 0 {
      pod.evidence = [Evidence(ref: SourceRef(source: "d.txt", line: rng.below(9) + 1), text: "Name:")]
    }
    pod.containers = (0..<rng.below(4)).map { container(&rng, index: $0) }
    // A `get pods` row's one container carries the pod's count.
    if rng.below(4) == 0, let restarts = pod.restarts, !pod.containers.isEmpty {
      pod.containers[0].restartCount = restarts
    }
    return pod
  }

  static func same(_ record: Record) -> Bool {
    let old = Collector<Diagnostic>()
    let new = Collector<Diagnostic>()
    let reference = before(record, diagnostics: { old.append($0) })
    let checked = RangeCheck.check(record, diagnostics: { new.append($0) })
    #expect(checked == reference)
    #expect(new.items == old.items)
    return checked == reference && new.items == old.items
  }

  @Test func seededPodsAreCheckedAsBefore() {
    var rng = SplitMix64(seed: SplitMix64.seed("RangeCheckTests"))
    var changed = 0
    var same = 0
    for _ in 0..<4_000 {
      let record = Record.pod(Self.pod(&rng))
      if Self.same(record) { same += 1 }
      if Self.before(record, diagnostics: { _ in }) != record { changed += 1 }
    }
    #expect(same == 4_000)
    // Both kinds occur: pods the checks change and pods they leave alone.
    #expect(changed > 500)
    #expect(changed < 3_500)
  }

  @Test func sampleRecordsAreCheckedAsBefore() {
    var pods = 0
    var records = 0
    var checked = 0
    for file in KubectlBytesTests.sampleFiles {
      for record in parseKubectl(file.lines.joined(separator: "\n")).records {
        records += 1
        if case .pod = record { pods += 1 }
        if Self.same(record) { checked += 1 }
      }
    }
    #expect(checked == records)
    #expect(pods > 100)
  }
}
