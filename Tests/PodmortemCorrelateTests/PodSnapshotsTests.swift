import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

/// `PodSnapshots` keeps exactly the snapshots the `Set<PodSnapshot>` it replaced kept
/// (docs/architecture.md "Memory of the EventList and describe paths"): random sequences of
/// snapshots with duplicates, near-duplicates that differ in one deep field only, and trims.
struct PodSnapshotsTests {
  /// The trim of the `Set` this collection replaced, as it was.
  static func oldTrim(_ set: inout Set<PodSnapshot>, uid: String?, kept: Int) {
    let same = set.filter { $0.uid == uid }
    guard same.count > 2 * kept else { return }
    let sorted = same.sorted(by: PodAssembly.captureOrder)
    set.remove(sorted[kept])
  }

  /// A snapshot from a few random choices; `deep` changes one field the fingerprint does not see.
  static func snapshot(_ rng: inout SplitMix64) -> PodSnapshot {
    var s = PodSnapshot(name: "web-0", namespace: "shop")
    s.uid = ["a", "b", nil][Int.random(in: 0..<3, using: &rng)]
    s.phase = ["Running", "Pending", nil][Int.random(in: 0..<3, using: &rng)]
    if Int.random(in: 0..<4, using: &rng) > 0 {
      s.capturedAt = CaptureTime(date: Fixture.at(Double(Int.random(in: 0..<6, using: &rng))), origin: .input)
    }
    let line = Int.random(in: 1...4, using: &rng)
    s.evidence = [Evidence(ref: SourceRef(source: "describe.txt", line: line), text: "Name: web-0")]
    var c = ContainerSnapshot(name: "web")
    c.restartCount = Int.random(in: 0..<2, using: &rng)
    s.containers = [c]
    switch Int.random(in: 0..<5, using: &rng) {
    case 0: s.containers[0].image = "nginx:\(Int.random(in: 1...2, using: &rng))"
    case 1: s.evidence[0].text = "Name:  web-0"
    case 2: s.labels = ["app": "web\(Int.random(in: 0..<2, using: &rng))"]
    case 3: s.message = "m"
    default: break
    }
    return s
  }

  @Test(arguments: 0..<200)
  func keepsWhatTheSetKept(seed: Int) {
    var rng = SplitMix64(seed: UInt64(seed))
    let kept = Int.random(in: 1...3, using: &rng)
    var pool: [PodSnapshot] = []
    for _ in 0..<Int.random(in: 1...40, using: &rng) { pool.append(Self.snapshot(&rng)) }
    var old = Set<PodSnapshot>()
    var new = PodSnapshots()
    for _ in 0..<Int.random(in: 1...120, using: &rng) {
      let s = pool[Int.random(in: 0..<pool.count, using: &rng)]
      let inserted = old.insert(s).inserted
      #expect(new.insert(s) == inserted)
      if inserted {
        Self.oldTrim(&old, uid: s.uid, kept: kept)
        new.trim(uid: s.uid, kept: kept)
      }
      #expect(new.count == old.count)
    }
    #expect(Set(new) == old, "seed \(seed)")
  }
}
