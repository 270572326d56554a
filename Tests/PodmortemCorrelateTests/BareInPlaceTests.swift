import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// A bare pod's history copied from one bare history and given its key in place
/// (`PodHistory.makeBare`, as `Correlator.HistoryList.ordered()` builds it) is the history the
/// initializer builds (`PodHistory(bare:namespace:)`, the code it replaced there): `==`, encoded
/// byte for byte, and every string of the merged view's name, namespace and uid the same bytes
/// (docs/architecture.md "Speed of the EventList path").
@Suite("a bare history given its key in place is the one the initializer builds")
struct BareInPlaceTests {
  private static let pieces = [
    "", "a", "web-0", "default", "K", "\u{212A}", "I", "\u{130}", "caf\u{E9}", "cafe\u{301}", "\u{301}", "\0", "\r",
    "\t", "\r\n", " ", "pod-1", "日",
  ]

  private static func hostile(_ rng: inout SplitMix64) -> String {
    var s = ""
    for _ in 0..<rng.below(5) { s += pieces[rng.below(pieces.count)] }
    if rng.below(40) == 0 { s += String(repeating: "x", count: 70_000) }
    return s
  }

  private static func encoded(_ history: PodHistory) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(history)
  }

  private static func bytes(_ h: PodHistory) -> [[UInt8]?] {
    [h.key.namespace, h.key.name, h.key.uid, h.latest.name, h.latest.namespace, h.latest.uid].map {
      $0.map { Array($0.utf8) }
    }
  }

  @Test(arguments: 0..<4)
  func keyedInPlaceIsTheInitializers(seed: UInt64) throws {
    var rng = SplitMix64(seed: 0xBA4E_0000 &+ seed)
    // One blank, given key after key, as the places of `ordered()` each take a copy of it; and
    // a history given a second key, which must leave nothing of the first.
    let blank = PodHistory(bare: PodKey(namespace: "", name: ""), namespace: "")
    var reused = blank
    for _ in 0..<300 {
      var key = PodKey(
        namespace: Self.hostile(&rng), name: Self.hostile(&rng), uid: rng.below(3) == 0 ? nil : Self.hostile(&rng))
      if rng.below(8) == 0 { key = PodKey(pastedAt: SourceRef(source: Self.hostile(&rng), line: rng.below(5))) }
      let namespace = rng.below(4) == 0 ? Self.hostile(&rng) : key.namespace
      let reference = PodHistory(bare: key, namespace: namespace)
      var copied = blank
      copied.makeBare(key, namespace: namespace)
      reused.makeBare(key, namespace: namespace)
      for history in [copied, reused] {
        #expect(history == reference)
        #expect(Self.bytes(history) == Self.bytes(reference))
        #expect(try Self.encoded(history) == Self.encoded(reference))
        #expect(history.snapshots.isEmpty && history.events.isEmpty && history.timeline.isEmpty)
      }
    }
    #expect(blank == PodHistory(bare: PodKey(namespace: "", name: ""), namespace: ""))
  }

  /// `ordered()` on lists of bare pods only and of bare and captured pods: each bare one is the
  /// initializer's history of its key, in the keys' order.
  @Test func orderedGivesEachBarePodTheInitializersHistory() throws {
    var rng = SplitMix64(seed: 0x0DE8_ED00)
    for _ in 0..<100 {
      var list = Correlator.HistoryList()
      var expected: [PodHistory] = []
      for _ in 0..<rng.below(40) {
        let name = Self.hostile(&rng)
        let namespace = Self.hostile(&rng)
        let uid = rng.below(3) == 0 ? nil : Self.hostile(&rng)
        let key = PodKey(namespace: namespace, name: name, uid: uid)
        if rng.below(4) == 0 {
          var snapshot = PodSnapshot(name: name, namespace: namespace)
          snapshot.uid = uid
          snapshot.labels = ["app": Self.hostile(&rng)]
          let history = PodHistory(key: key, snapshots: [snapshot], latest: snapshot)
          list.append(history)
          expected.append(history)
        } else {
          list.appendBare(Correlator.PodName(namespace: namespace, name: name), uid: uid)
          expected.append(PodHistory(bare: key, namespace: namespace))
        }
      }
      let ordered = list.ordered()
      let sorted = expected.sorted { a, b in
        withUnsafePointer(to: a) { pa in withUnsafePointer(to: b) { pb in PodHistory.keyPrecedes(pa, pb) } }
      }
      #expect(ordered == sorted)
      #expect(try ordered.map(Self.encoded) == sorted.map(Self.encoded))
    }
  }
}
