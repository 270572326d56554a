import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// Three steps of the finish, each held to the code it replaced (docs/architecture.md "Speed of
/// the EventList path"): the histories built in key order in place (`Correlator.HistoryList`),
/// the pods' positions by name as a chain (`Correlator.PodPositions`) and the pod names hashed on
/// their names alone (`Correlator.PodName.hash(into:)`).
private let pieces = [
  "", "a", "ab", "b", "web-0", "default", "K", "\u{212A}", "I", "\u{130}", "caf\u{E9}", "cafe\u{301}", "\u{301}",
  "\0", "\r", "\t", "\r\n", " ", "pod-1", "pod-10", "pod-2", "日",
]

private func hostile(_ rng: inout SplitMix64, pieces count: Int) -> String {
  var s = ""
  for _ in 0..<rng.below(count + 1) { s += pieces[rng.below(pieces.count)] }
  if rng.below(60) == 0 { s += String(repeating: "x", count: 70_000) }
  return s
}

private func encoded<T: Encodable>(_ value: T) throws -> Data {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  return try encoder.encode(value)
}

@Suite("the finish builds the histories in key order in place, as it copied them")
struct HistoryListTests {
  /// A captured pod's history: snapshots and a merged view of its own, events, a pasted block's.
  static func captured(_ rng: inout SplitMix64) -> PodHistory {
    var key = PodKey(
      namespace: hostile(&rng, pieces: 2), name: hostile(&rng, pieces: 3),
      uid: rng.below(3) == 0 ? nil : hostile(&rng, pieces: 2))
    if rng.below(5) == 0 {
      key = PodKey(pastedAt: SourceRef(source: hostile(&rng, pieces: 2), line: rng.below(4)))
    }
    var snapshot = PodSnapshot(name: key.name, namespace: key.namespace)
    snapshot.uid = key.uid
    snapshot.labels = ["app": hostile(&rng, pieces: 2)]
    snapshot.containers = [ContainerSnapshot(name: hostile(&rng, pieces: 2))]
    let events = (0..<rng.below(3)).map { n in
      MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: key.namespace, name: key.name), type: .warning,
        reason: hostile(&rng, pieces: 2), message: hostile(&rng, pieces: 4), count: n + 1)
    }
    return PodHistory(key: key, snapshots: [snapshot], latest: snapshot, events: events)
  }

  /// The finish as it was: every history appended (a bare one built by `Correlator.bare`), the
  /// positions sorted by `PodHistory.keyPrecedes`, the histories copied into that order.
  static func reference(_ found: [Either]) -> [PodHistory] {
    var histories: [PodHistory] = []
    for f in found {
      switch f {
      case .built(let h): histories.append(h)
      case .bare(let name, let uid): histories.append(Correlator.bare(name, uid: uid))
      }
    }
    let order = histories.withUnsafeBufferPointer { buffer -> [Int] in
      guard let base = buffer.baseAddress else { return [] }
      return buffer.indices.sorted { a, b in PodHistory.keyPrecedes(base + a, base + b) }
    }
    return order.map { histories[$0] }
  }

  enum Either {
    case built(PodHistory)
    case bare(Correlator.PodName, String?)
  }

  @Test("the same histories, in the same order, byte for byte")
  func sameAsCopied() throws {
    var rng = SplitMix64(seed: 2_917)
    var bareSeen = 0
    var builtSeen = 0
    for round in 0..<400 {
      let count = rng.below(round % 20 == 0 ? 300 : 30)
      let found: [Either] = (0..<count).map { _ in
        if rng.below(3) == 0 { return .built(Self.captured(&rng)) }
        let name = Correlator.PodName(namespace: hostile(&rng, pieces: 2), name: hostile(&rng, pieces: 3))
        return .bare(name, rng.below(3) == 0 ? nil : hostile(&rng, pieces: 2))
      }
      var list = Correlator.HistoryList()
      for f in found {
        switch f {
        case .built(let h):
          list.append(h)
          builtSeen += 1
        case .bare(let name, let uid):
          list.appendBare(name, uid: uid)
          bareSeen += 1
        }
      }
      #expect(list.keys.count == count)
      let reference = Self.reference(found)
      let ordered = list.ordered()
      #expect(ordered.count == reference.count, "round \(round)")
      #expect(ordered == reference, "round \(round)")
      #expect(try encoded(ordered) == encoded(reference), "round \(round)")
      // Byte for byte where `==` is canonical: the keys' and merged views' names as spelt.
      #expect(ordered.map { Array($0.key.name.utf8) } == reference.map { Array($0.key.name.utf8) })
      #expect(ordered.map { Array($0.key.namespace.utf8) } == reference.map { Array($0.key.namespace.utf8) })
      #expect(ordered.map { $0.key.uid.map { Array($0.utf8) } } == reference.map { $0.key.uid.map { Array($0.utf8) } })
      #expect(ordered.map { Array($0.latest.name.utf8) } == reference.map { Array($0.latest.name.utf8) })
    }
    #expect(bareSeen > 1_000 && builtSeen > 500)
  }

  @Test("an empty list gives no histories")
  func empty() {
    #expect(Correlator.HistoryList().ordered().isEmpty)
  }

  @Test("two keys read in place answer as PodKey's <")
  func keyPairs() {
    var rng = SplitMix64(seed: 2_918)
    var equalNames = 0
    for _ in 0..<20_000 {
      var a = PodKeyOrderTests.key(&rng)
      let b = rng.below(4) == 0 ? a : PodKeyOrderTests.key(&rng)
      if rng.below(8) == 0 { a.uid = hostile(&rng, pieces: 1) }
      let inPlace = withUnsafePointer(to: a) { pa in withUnsafePointer(to: b) { pb in PodKey.precedes(pa, pb) } }
      #expect(inPlace == (a < b), "\(a) \(b)")
      if a.namespace == b.namespace && a.name == b.name { equalNames += 1 }
    }
    #expect(equalNames > 1_000)
  }
}

@Suite("pod names hashed on the name alone keep and find what both fields did")
struct PodNameHashTests {
  @Test("equal names hash equal, and a set keeps what a scan with == keeps")
  func setAsScan() {
    var rng = SplitMix64(seed: 2_919)
    for round in 0..<300 {
      let names = (0..<rng.below(60)).map { _ in
        Correlator.PodName(namespace: hostile(&rng, pieces: 1), name: hostile(&rng, pieces: 2))
      }
      var set = Set<Correlator.PodName>()
      var scan: [Correlator.PodName] = []
      for n in names {
        let inserted = set.insert(n).inserted
        let new = !scan.contains(n)
        if new { scan.append(n) }
        #expect(inserted == new, "round \(round)")
      }
      #expect(set.count == scan.count)
      for n in names { #expect(set.contains(n)) }
      for (a, b) in zip(names, names.dropFirst()) where a == b { #expect(a.hashValue == b.hashValue) }
    }
    // Canonically equal spellings: one name, one hash.
    let k = Correlator.PodName(namespace: "\u{212A}", name: "caf\u{E9}")
    let plainK = Correlator.PodName(namespace: "K", name: "cafe\u{301}")
    #expect(k == plainK && k.hashValue == plainK.hashValue)
    #expect(Set([k, plainK]).count == 1)
  }
}

@Suite("the pods' positions by name as a chain give what the arrays by name gave")
struct PodPositionsTests {
  @Test("every name's positions, and none for a name no pod has")
  func sameAsArrays() {
    var rng = SplitMix64(seed: 2_921)
    for round in 0..<400 {
      // Few names, so that pods share them; canonically equal spellings among them.
      let histories = (0..<rng.below(round % 40 == 0 ? 500 : 30)).map { _ in
        PodKeyOrderTests.history(PodKey(namespace: hostile(&rng, pieces: 1), name: hostile(&rng, pieces: 1)))
      }
      Self.compare(histories, asking: (0..<5).map { _ in hostile(&rng, pieces: 2) }, round: round)
    }
  }

  /// `PodPositions` of `histories` against `positionsByName`: every name's positions, its first,
  /// whether it is the only one, the chain from the first; then the names `asking` (held or not).
  static func compare(_ histories: [PodHistory], asking: [String], round: Int) {
    let reference = Correlator.positionsByName(histories)
    let chain = Correlator.PodPositions(histories)
    for (name, positions) in reference {
      #expect(chain.positions(name) == positions, "round \(round)")
      let first = chain.first(name)
      #expect(first == positions.first)
      if let first {
        #expect(chain.isOnly(first) == (positions.count == 1))
        #expect(chain.positions(from: first) == positions)
      }
    }
    for name in asking {
      #expect(chain.positions(name) == (reference[name] ?? []), "round \(round)")
      #expect(chain.first(name) == reference[name]?.first)
    }
  }
}
