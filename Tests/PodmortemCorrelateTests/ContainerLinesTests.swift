import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PodAssembly.latest` joins each merged container's lines once (`PodAssembly.mergedLines`)
/// where it merged them capture by capture (docs/architecture.md "Memory of the EventList and
/// describe paths"): the lines must be those `merge`'s steps gave, in the same order and in an
/// array of the same room, on seeded random pieces in order, out of order and repeated, of
/// hostile text (canonically equal spellings, NUL, CR, tab, a huge line, the empty one).
struct ContainerLinesTests {
  static let texts = [
    "    Ready:  False", "K", "\u{212A}", "I\u{307}", "\u{130}", "caf\u{E9}", "cafe\u{301}", "a\0b", "a\rb", "a\tb",
    "", String(repeating: "x", count: 5_000),
  ]
  static let sources = ["describe.txt", "d\u{E9}.txt", "de\u{301}.txt"]

  /// `merge`'s steps on the lines alone: the reference.
  static func stepwise(_ pieces: [[Evidence]]) -> [Evidence] {
    var c = ContainerSnapshot(name: "web")
    c.evidence = pieces[0]
    for p in pieces.dropFirst() {
      var newer = ContainerSnapshot(name: "web")
      newer.evidence = p
      c = PodAssembly.merge(c, newer)
    }
    return c.evidence
  }

  /// Lines of one capture: from `start` on, in order (a describe read top down), or at random.
  static func piece(_ rng: inout SplitMix64, start: Int, inOrder: Bool) -> [Evidence] {
    let source =
      Int.random(in: 0..<10, using: &rng) == 0 ? sources[Int.random(in: sources.indices, using: &rng)] : sources[0]
    var line = start
    return (0..<Int.random(in: 0...6, using: &rng)).map { _ in
      line = inOrder ? line + Int.random(in: 1...3, using: &rng) : Int.random(in: 1...12, using: &rng)
      return Evidence(
        ref: SourceRef(source: source, line: line), text: texts[Int.random(in: texts.indices, using: &rng)])
    }
  }

  @Test(arguments: 0..<60)
  func linesAreMergesLines(seed: Int) {
    var rng = SplitMix64(seed: UInt64(4_400 + seed))
    var joined = 0
    for _ in 0..<200 {
      let inOrder = Int.random(in: 0..<4, using: &rng) > 0
      var start = 0
      let pieces = (0..<Int.random(in: 1...10, using: &rng)).map { _ in
        // A capture after the last, or back over it (a line repeated or out of order).
        start += Int.random(in: -5...30, using: &rng)
        return Self.piece(&rng, start: max(0, start), inOrder: inOrder)
      }
      let new = PodAssembly.mergedLines(pieces)
      let old = Self.stepwise(pieces)
      #expect(new.count == old.count, "seed \(seed)")
      #expect(
        zip(new, old).allSatisfy { $0.ref == $1.ref && Array($0.text.utf8) == Array($1.text.utf8) }, "seed \(seed)")
      #expect(String(reflecting: new) == String(reflecting: old), "seed \(seed)")
      #expect(new.capacity == old.capacity, "seed \(seed)")
      if pieces.count > 1, new.count == pieces.reduce(0, { $0 + $1.count }) { joined += 1 }
    }
    #expect(joined > 20, "seed \(seed)")
  }

  /// Captures of one pod read top down, as 10 describes of it in a row give: the merged view is
  /// the one the merging code before gave (`LatestSharingTests.oldLatest`).
  @Test func latestOfCapturesInOrderIsAsBefore() {
    var rng = SplitMix64(seed: 2_027)
    let key = PodKey(namespace: "prod", name: "web-0")
    for _ in 0..<1_000 {
      var line = 0
      let sorted = (0..<Int.random(in: 2...10, using: &rng)).map { n -> PodSnapshot in
        var p = LatestSharingTests.capture(&rng, at: Double(n))
        for i in p.containers.indices {
          line += Int.random(in: -3...20, using: &rng)
          p.containers[i].evidence = Self.piece(&rng, start: max(0, line), inOrder: Bool.random(using: &rng))
        }
        return p
      }
      let new = PodAssembly.latest(sorted, key: key)
      let old = LatestSharingTests.oldLatest(sorted, key: key)
      #expect(new == old)
      #expect(String(reflecting: new) == String(reflecting: old))
      #expect(new.containers.map(\.evidence.capacity) == old.containers.map(\.evidence.capacity))
    }
  }
}
