import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// A pod's merged view is stored as its name, namespace and uid when it holds nothing else, and in
/// a box otherwise (`MergedView`, docs/architecture.md "Memory of the EventList and describe
/// paths"). On seeded random views, bare ones and ones differing from bare in one field, a history
/// must give back the view it was given or assigned, and compare, hash and code as the stored
/// field it replaced did.
struct MergedViewTests {
  /// A random view: bare, or bare with one more field set, or a random capture.
  static func view(_ rng: inout SplitMix64) -> PodSnapshot {
    var s = PodSnapshot(
      name: ["web-0", "web-1", ""][Int.random(in: 0..<3, using: &rng)],
      namespace: ["prod", nil][Int.random(in: 0..<2, using: &rng)])
    s.uid = ["u-1", "u-2", nil][Int.random(in: 0..<3, using: &rng)]
    switch Int.random(in: 0..<8, using: &rng) {
    case 0: s.phase = "Running"
    case 1: s.terminating = true
    case 2: s.labels = ["app": "web"]
    case 3: s.evidence = Fixture.evidence("d.txt", 1, "x")
    case 4: s.restarts = 0
    case 5: s.pastedAt = SourceRef(source: "p.txt", line: 3)
    case 6: return LatestSharingTests.capture(&rng, at: 0)
    default: break
    }
    return s
  }

  @Test func aHistoryKeepsItsViewAndComparesByIt() throws {
    var rng = SplitMix64(seed: 8_807)
    let key = PodKey(namespace: "prod", name: "web-0", uid: nil)
    for round in 0..<2_000 {
      let (a, b) = (Self.view(&rng), Self.view(&rng))
      var ha = PodHistory(key: key, snapshots: [], latest: a)
      let hb = PodHistory(key: key, snapshots: [], latest: b)
      #expect(ha.latest == a, "round \(round)")
      #expect((ha == hb) == (a == b), "round \(round)")
      if a == b { #expect(ha.hashValue == hb.hashValue, "round \(round)") }
      let decoded = try JSONDecoder().decode(PodHistory.self, from: try JSONEncoder().encode(ha))
      #expect(decoded == ha && decoded.latest == a, "round \(round)")
      ha.latest = b
      #expect(ha.latest == b && ha == hb, "round \(round)")
    }
  }
}
