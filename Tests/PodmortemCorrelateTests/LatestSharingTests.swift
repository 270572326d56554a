import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PodAssembly.latest` keeps a pod captured once with its capture's containers and lines stored
/// once (docs/architecture.md "Memory of the EventList and describe paths"); on seeded random
/// captures it must give what the code it replaced gave.
struct LatestSharingTests {
  /// `PodAssembly.latest` as it was before the sharing: every capture's containers merged one by
  /// one, which is also the reference for a capture whose containers are kept whole
  /// (`PodAssembly.mergesNothing`).
  static func oldLatest(_ sorted: [PodSnapshot], key: PodKey) -> PodSnapshot {
    var m = PodSnapshot(name: key.name, namespace: key.namespace)
    m.uid = key.uid
    var evidence: [Evidence] = []
    evidence.reserveCapacity(sorted.reduce(0) { $0 + $1.evidence.count })
    for s in sorted {
      m.namespace = s.namespace ?? m.namespace
      m.uid = s.uid ?? m.uid
      m.node = s.node ?? m.node
      m.hostIP = s.hostIP ?? m.hostIP
      m.podIP = s.podIP ?? m.podIP
      m.phase = s.phase ?? m.phase
      m.displayStatus = s.displayStatus ?? m.displayStatus
      m.reason = s.reason ?? m.reason
      if let message = s.message {
        m.message = message
        m.messageCaptures = s.messageCaptures
      }
      m.startTime = s.startTime ?? m.startTime
      m.creationTime = s.creationTime ?? m.creationTime
      m.deletionTimestamp = s.deletionTimestamp ?? m.deletionTimestamp
      m.deletionGracePeriodSeconds = s.deletionGracePeriodSeconds ?? m.deletionGracePeriodSeconds
      m.terminationGracePeriodSeconds = s.terminationGracePeriodSeconds ?? m.terminationGracePeriodSeconds
      m.terminating = m.terminating || s.terminating
      if s.terminating { m.deletionInFuture = s.deletionInFuture }
      if !s.deletionEvidence.isEmpty { m.deletionEvidence = s.deletionEvidence }
      if !s.finalizers.isEmpty { m.finalizers = s.finalizers }
      if !s.labels.isEmpty { m.labels = s.labels }
      m.controlledBy = s.controlledBy ?? m.controlledBy
      m.qosClass = s.qosClass ?? m.qosClass
      if !s.conditions.isEmpty { m.conditions = s.conditions }
      if !s.tolerations.isEmpty { m.tolerations = s.tolerations }
      for c in s.containers {
        if let i = m.containers.firstIndex(where: { $0.name == c.name }) {
          m.containers[i] = PodAssembly.merge(m.containers[i], c)
        } else {
          m.containers.append(c)
        }
      }
      m.ready = s.ready ?? m.ready
      m.restarts = s.restarts ?? m.restarts
      m.lastRestart = s.lastRestart ?? m.lastRestart
      m.capturedAt = s.capturedAt ?? m.capturedAt
      evidence += s.evidence
    }
    for role in Set(m.containers.map(\.role)) {
      let ofRole = m.containers.filter { $0.role == role }
      if ofRole.contains(where: { $0.name != ContainerSnapshot.unknownName }) {
        m.containers.removeAll { $0.role == role && $0.name == ContainerSnapshot.unknownName }
      }
    }
    m.evidence = PodAssembly.sortedUnique(evidence)
    return m
  }

  /// A capture with containers that may repeat a name or be of unknown name (merged or dropped),
  /// and lines in order, out of order or repeated.
  static func capture(_ rng: inout SplitMix64, at seconds: Double) -> PodSnapshot {
    var p = Fixture.pod(capture: seconds)
    // Two spellings of one accented name are one name to `==`, as the merge matches names.
    let names = ["web", "sidecar", ContainerSnapshot.unknownName, "init", "cafe\u{301}", "caf\u{E9}", "K\u{212A}"]
    p.containers = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
      var c = ContainerSnapshot(
        name: names[Int.random(in: names.indices, using: &rng)],
        role: Bool.random(using: &rng) ? .container : .initContainer)
      c.ready = Bool.random(using: &rng)
      c.restartCount = Int.random(in: 0...3, using: &rng)
      c.evidence = Fixture.evidence("d.txt", Int.random(in: 1...9, using: &rng), "c")
      return c
    }
    p.evidence = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
      Evidence(
        ref: SourceRef(source: "d.txt", line: Int.random(in: 1...8, using: &rng)),
        text: Bool.random(using: &rng) ? "a" : "b")
    }
    return p
  }

  @Test func sameMergedViewAsBeforeOnRandomCaptures() {
    var rng = SplitMix64(seed: 1616)
    let key = PodKey(namespace: "prod", name: "web-0")
    for _ in 0..<3_000 {
      let sorted = (0..<Int.random(in: 1...3, using: &rng)).map { Self.capture(&rng, at: Double($0)) }
      let new = PodAssembly.latest(sorted, key: key)
      #expect(new == Self.oldLatest(sorted, key: key))
      // Equal as values is not enough for a report: the same bytes, in the same order.
      #expect(String(reflecting: new) == String(reflecting: Self.oldLatest(sorted, key: key)))
    }
  }

  @Test func onceCapturedPodSharesItsCapturesContainers() {
    var rng = SplitMix64(seed: 16)
    var shared = 0
    for _ in 0..<200 {
      let capture = Self.capture(&rng, at: 0)
      let new = PodAssembly.latest([capture], key: PodKey(namespace: "prod", name: "web-0"))
      let same = new.containers.withUnsafeBufferPointer { a in
        capture.containers.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
      }
      if same { shared += 1 }
      #expect(same || new.containers.count < capture.containers.count || capture.containers.isEmpty)
    }
    #expect(shared > 0)
  }
}
