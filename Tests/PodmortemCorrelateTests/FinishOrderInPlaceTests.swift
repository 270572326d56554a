import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `EventBook.permute` moves items along the permutation's cycles (it used `swapAt`, which copied
/// both items it swapped). On large values holding many references, pods' histories, it must give
/// what taking the items in that order into a new array gives (`order.map { histories[$0] }`,
/// kept below as the reference): seeded random histories (equal keys, pasted blocks, events and
/// hostile text: a Kelvin sign, a dotted capital I, combining accents, CR, NUL, tabs, a long
/// name), value by value and byte by byte. (`Correlator.finishReleasing` itself still takes the
/// histories into a new array: docs/architecture.md "Speed of the EventList path".)
struct FinishOrderInPlaceTests {
  static let texts = [
    "", "web", "K\u{212A}", "\u{130}stanbul", "cafe\u{301}", "caf\u{E9}", "a\rb", "nul\u{0}x", "tab\there",
    String(repeating: "n", count: 3_000),
  ]

  static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  static func history(_ rng: inout SplitMix64) -> PodHistory {
    let key: PodKey =
      rng.below(8) == 0
      ? PodKey(pastedAt: SourceRef(source: pick(["a.txt", "b.txt"], &rng), line: rng.below(5)))
      : PodKey(
        namespace: pick(["prod", "dev", "K\u{212A}"], &rng), name: pick(texts, &rng),
        uid: pick([nil, "u1", "u2"], &rng))
    var snapshot = PodSnapshot(name: key.name, namespace: key.namespace)
    snapshot.phase = pick([nil, "Running", "Pending"], &rng)
    snapshot.evidence = [Evidence(ref: SourceRef(source: "d.txt", line: rng.below(100)), text: pick(texts, &rng))]
    let events = (0..<rng.below(3)).map { j in
      MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: key.namespace, name: key.name), type: .warning,
        reason: pick(["BackOff", "Unhealthy"], &rng), message: pick(texts, &rng), count: 1 + j)
    }
    return PodHistory(key: key, snapshots: [snapshot], latest: snapshot, events: events)
  }

  @Test func inPlaceOrderIsTheOrderTaken() throws {
    var rng = SplitMix64(seed: 19_190)
    let encoder = JSONEncoder()
    // Keyed containers are written in their table's order, which differs from one encoding to the
    // next; sorted, the bytes are the values' own.
    encoder.outputFormatting = [.sortedKeys]
    var moved = 0
    for n in [0, 1, 2, 3, 17, 200] {
      for _ in 0..<25 {
        let histories = (0..<n).map { _ in Self.history(&rng) }
        let order = histories.withUnsafeBufferPointer { buffer -> [Int] in
          guard let base = buffer.baseAddress else { return [] }
          return buffer.indices.sorted { a, b in PodHistory.keyPrecedes(base + a, base + b) }
        }
        // The reference: the histories taken into a new array in that order.
        let reference = order.map { histories[$0] }
        var permuted = histories
        EventBook.permute(&permuted, into: order)
        #expect(permuted == reference)
        #expect(try encoder.encode(permuted) == encoder.encode(reference))
        moved += zip(order, order.indices).filter { $0 != $1 }.count
      }
    }
    #expect(moved > 1_000)
  }
}
