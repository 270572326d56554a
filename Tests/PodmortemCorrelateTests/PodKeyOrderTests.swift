import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `Correlator.finishReleasing` orders the pods by comparing their keys in place
/// (`PodHistory.keyPrecedes`) instead of copying each key out and comparing tuples of its fields
/// (docs/architecture.md "Speed of the EventList path"). The reference is `PodKey.<`, which the
/// sort used before and which stays the keys' order: the same answer for every pair, and the same
/// order for a whole list, on seeded random keys.
@Suite("pods are ordered by their keys in place as by PodKey's <")
struct PodKeyOrderTests {
  /// Strings that meet every edge `==` and `<` decide on: empty, prefixes, a Kelvin sign and a
  /// capital K, a dotted capital I, an accent composed and decomposed (equal by `==`, different
  /// bytes), a combining accent alone, CR, NUL, a tab, and a long run.
  static let words = [
    "", "a", "ab", "b", "default", "kube-system", "\u{212A}", "K", "\u{130}", "I", "caf\u{E9}", "cafe\u{301}",
    "\u{301}", "a\r", "a\0", "\t", String(repeating: "x", count: 300), "pod-1", "pod-10", "pod-2",
  ]

  static func key(_ rng: inout SplitMix64) -> PodKey {
    func word() -> String { words[rng.below(words.count)] }
    switch rng.below(6) {
    case 0: return PodKey(pastedAt: SourceRef(source: word(), line: rng.below(4) - 1))
    case 1:
      var key = PodKey(namespace: word(), name: word(), uid: rng.below(2) == 0 ? nil : word())
      key.pastedAt = SourceRef(source: word(), line: rng.below(3))
      return key
    default: return PodKey(namespace: word(), name: word(), uid: rng.below(3) == 0 ? nil : word())
    }
  }

  static func history(_ key: PodKey) -> PodHistory {
    PodHistory(key: key, snapshots: [], latest: PodSnapshot(name: key.name))
  }

  @Test("every pair answers as PodKey's <")
  func pairs() {
    var rng = SplitMix64(seed: 1_616)
    var decidedByPastedAt = 0
    for _ in 0..<20_000 {
      var (a, b) = (Self.history(Self.key(&rng)), Self.history(Self.key(&rng)))
      if rng.below(4) == 0 { b = a }
      let inPlace = withUnsafePointer(to: a) { pa in
        withUnsafePointer(to: b) { pb in PodHistory.keyPrecedes(pa, pb) }
      }
      #expect(inPlace == (a.key < b.key), "\(a.key) \(b.key)")
      if a.key.namespace == b.key.namespace && a.key.name == b.key.name && (a.key.uid ?? "") == (b.key.uid ?? "")
        && a.key.pastedAt != b.key.pastedAt
      {
        decidedByPastedAt += 1
      }
    }
    // The last step (the pasted-at lines) was reached, not only the names.
    #expect(decidedByPastedAt > 100)
  }

  @Test("a list of pods sorts as the indices sorted by PodKey's < sorted it")
  func lists() {
    var rng = SplitMix64(seed: 1_617)
    for round in 0..<300 {
      let histories = (0..<rng.below(round % 10 == 0 ? 400 : 40)).map { _ in Self.history(Self.key(&rng)) }
      // The reference: the sort `finishReleasing` had before (the keys copied out and compared by `<`).
      let reference = histories.indices.sorted { histories[$0].key < histories[$1].key }
      let order = histories.withUnsafeBufferPointer { buffer -> [Int] in
        guard let base = buffer.baseAddress else { return [] }
        return buffer.indices.sorted { a, b in PodHistory.keyPrecedes(base + a, base + b) }
      }
      #expect(order == reference)
    }
  }
}
