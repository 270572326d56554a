import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `Correlator.pods` gives a name's pods and their snapshots in capture order without the split's
/// and the sort's copies when there is one pod and its snapshots came in order (docs/architecture.md
/// "Memory of the EventList and describe paths"). The reference is the code it replaced,
/// `PodAssembly.split` then `sorted(by: PodAssembly.captureOrder)`: the same pods with the same
/// snapshots in the same order, on every sample and on seeded random snapshots (uids none, empty,
/// one, two, or equal to `==` in other bytes; capture times and lines in order or not; hostile
/// text).
struct PodGroupsTests {
  static func reference(_ namespace: String, _ name: String, _ list: [PodSnapshot]) -> [PodKey: [PodSnapshot]] {
    PodAssembly.split(namespace: namespace, name: name, list).mapValues { $0.sorted(by: PodAssembly.captureOrder) }
  }

  static func expectSame(_ new: [(PodKey, [PodSnapshot])], _ old: [PodKey: [PodSnapshot]], _ note: String) {
    #expect(new.count == old.count, "\(note)")
    for (key, snapshots) in new {
      guard let want = old[key] else {
        Issue.record("\(note): pod \(key) not in the reference")
        continue
      }
      // The key's uid spelt as the reference spells it (the table's first of equal keys).
      let spelt = old.keys.first { $0 == key }
      #expect(spelt.map { Array(($0.uid ?? "").utf8) } == Array((key.uid ?? "").utf8), "\(note)")
      #expect(snapshots == want, "\(note)")
      #expect(snapshots.map { String(reflecting: $0) } == want.map { String(reflecting: $0) }, "\(note)")
      // An array of exactly its count, as the sort's copy was.
      #expect(snapshots.capacity == snapshots.count, "\(note)")
    }
  }

  static let phases: [String?] = ["Running", "Pending", nil, "\u{212A}"]
  static let texts = ["Name: web-0", "K", "\u{212A}", "I\u{307}", "\u{130}", "a\0b", "a\rb", "a\tb", ""]

  static func snapshot(_ rng: inout SplitMix64, line: Int, uids: [String?]) -> PodSnapshot {
    var s = PodSnapshot(name: "web-0", namespace: "shop")
    s.uid = uids[Int.random(in: uids.indices, using: &rng)]
    if Int.random(in: 0..<4, using: &rng) > 0 {
      s.capturedAt = CaptureTime(date: Fixture.at(Double(Int.random(in: 0..<3, using: &rng))), origin: .input)
    }
    if Int.random(in: 0..<8, using: &rng) > 0 {
      s.evidence = [
        Evidence(
          ref: SourceRef(source: "describe.txt", line: line), text: texts[Int.random(in: texts.indices, using: &rng)])
      ]
    }
    s.phase = Self.phases[Int.random(in: Self.phases.indices, using: &rng)]
    return s
  }

  /// Uids a name's snapshots may carry: none, empty, one, two, one in two spellings.
  static let uidSets: [[String?]] = [
    [nil], [nil, ""], ["u1", nil], ["u1"], ["u1", "u2", nil], ["K", "\u{212A}"], ["caf\u{E9}", "cafe\u{301}", nil],
  ]

  @Test(arguments: 0..<100)
  func podsAreTheSplitSorted(seed: Int) {
    var rng = SplitMix64(seed: UInt64(31_000 + seed))
    var shortcut = 0
    for round in 0..<40 {
      let uids = Self.uidSets[Int.random(in: Self.uidSets.indices, using: &rng)]
      var snapshots = PodSnapshots()
      var line = 0
      let ordered = Bool.random(using: &rng)
      for _ in 0..<Int.random(in: 1...12, using: &rng) {
        line = ordered ? line + Int.random(in: 1...80, using: &rng) : Int.random(in: 1...40, using: &rng)
        snapshots.insert(Self.snapshot(&rng, line: line, uids: uids))
      }
      let list = Array(snapshots)
      let new = Correlator.pods(namespace: "shop", name: "web-0", snapshots)
      Self.expectSame(new, Self.reference("shop", "web-0", list), "seed \(seed) round \(round)")
      if new.count == 1, new[0].1.elementsEqual(list, by: { String(reflecting: $0) == String(reflecting: $1) }) {
        shortcut += 1
      }
    }
    #expect(shortcut > 0, "seed \(seed)")
  }

  /// Snapshots inserted one by one hold room to spare: the pod's are copied to an array of their
  /// count; one snapshot's array is kept as it is.
  @Test func roomIsNotKept() {
    var snapshots = PodSnapshots()
    for i in 1...10 { snapshots.insert(Fixture.pod(capture: Double(i), line: i * 70)) }
    let pods = Correlator.pods(namespace: "prod", name: "web-0", snapshots)
    #expect(pods.count == 1)
    #expect(pods.first?.1.capacity == 10)
    #expect(pods.first?.1 == Array(snapshots))
    let one: PodSnapshots = [Fixture.pod(capture: 1)]
    let base = one.inserted.withUnsafeBufferPointer { $0.baseAddress }
    let kept = Correlator.pods(namespace: "prod", name: "web-0", one)
    #expect(kept.first?.1.withUnsafeBufferPointer { $0.baseAddress } == base)
  }

  @Test func samplesGiveTheSamePods() throws {
    var compared = 0
    for name in try ReleasingFinishTests.cases() {
      var pods: [Correlator.PodName: PodSnapshots] = [:]
      for case .pod(let pod) in ReleasingFinishTests.records(ofCase: name) where !pod.name.isEmpty {
        pods[Correlator.PodName(namespace: pod.namespace ?? PodAssembly.defaultNamespace, name: pod.name), default: []]
          .insert(pod)
      }
      for (key, snapshots) in pods {
        Self.expectSame(
          Correlator.pods(namespace: key.namespace, name: key.name, snapshots),
          Self.reference(key.namespace, key.name, Array(snapshots)), name)
        compared += 1
      }
    }
    #expect(compared > 20)
  }
}
