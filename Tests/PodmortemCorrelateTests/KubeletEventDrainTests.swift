import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `KubeletEventLog.drainEvents` hands over what `events` builds, one event at a time, freeing
/// each identity's gathering as it goes (docs/architecture.md "Memory of the kubelet-log run").
/// `events`, the array of every event the correlator iterated before, is the reference: the same
/// events and identities, byte for byte, with their evidence, on seeded records (lines given
/// twice, out of order, of other patterns), and the log empty after.
@Suite struct KubeletEventDrainTests {
  private static func bytes(_ e: Event, _ identity: EventIdentity) -> [UInt8] {
    let evidence = KubeletEventKeyTests.bytes(e.evidence)
    let times = "\(e.firstSeen.map { "\($0)" } ?? "-") \(e.lastSeen.map { "\($0)" } ?? "-") \(identity.hashValue)"
    return (KubeletEventKeyTests.bytes(e) + evidence + [Array(times.utf8)]).flatMap { $0 + [0xFF] }
  }

  @Test(arguments: 0..<12)
  func drainingHandsOverWhatEventsBuilt(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var log = KubeletEventLog()
    for i in 0..<(seed == 0 ? 0 : 400) {
      let line = rng.below(5) == 0 ? max(1, i - rng.below(40)) : i + 1
      _ = log.add(KubeletEventKeyTests.record(&rng, line: line))
    }
    let reference = log.events
    var drained: [(Event, EventIdentity)] = []
    log.drainEvents { drained.append(($0, $1)) }
    #expect(log.byIdentity.isEmpty)
    #expect(drained.count == reference.count)
    #expect(
      drained.map { Self.bytes($0.0, $0.1) }.sorted { $0.lexicographicallyPrecedes($1) }
        == reference.map { Self.bytes($0.0, $0.1) }.sorted { $0.lexicographicallyPrecedes($1) })
    for (event, identity) in drained {
      #expect(reference.contains { $0.0 == event && $0.1 == identity })
    }
    var again: [Event] = []
    log.drainEvents { event, _ in again.append(event) }
    #expect(again.isEmpty)
  }
}
