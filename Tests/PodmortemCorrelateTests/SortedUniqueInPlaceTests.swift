import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PodAssembly.sortedUnique` asks whether a list is in order already with `ascends`, reading the
/// lines where they lie. The check it replaced is kept below as the reference (pairs by `zip`,
/// compared as tuples): on seeded random lists the answer, and so the list returned, must be the
/// same, byte for byte (hostile text: a Kelvin sign, a dotted capital I, an accent composed and
/// decomposed, CR, NUL, tabs, a long line; sources equal only canonically).
struct SortedUniqueInPlaceTests {
  static func referenceInOrder(_ list: [Evidence]) -> Bool {
    func before(_ a: Evidence, _ b: Evidence) -> Bool { (a.ref, a.text) < (b.ref, b.text) }
    return zip(list, list.dropFirst()).allSatisfy({ before($0, $1) })
  }

  static func referenceSortedUnique(_ list: [Evidence]) -> [Evidence] {
    func before(_ a: Evidence, _ b: Evidence) -> Bool { (a.ref, a.text) < (b.ref, b.text) }
    if referenceInOrder(list) { return list }
    return Array(Set(list)).sorted(by: before)
  }

  static let texts = [
    "", "a", "b", "K\u{212A}", "KK", "\u{130}", "cafe\u{301}", "caf\u{E9}", "a\rb", "n\u{0}", "t\tb",
    String(repeating: "z", count: 4_000),
  ]
  static let sources = ["d.txt", "e.txt", "cafe\u{301}.txt", "caf\u{E9}.txt", ""]

  @Test func inPlaceCheckIsTheTupleCheck() {
    var rng = SplitMix64(seed: 19_019)
    var ordered = 0
    for round in 0..<20_000 {
      let n = rng.below(6)
      var list = (0..<n).map { _ in
        Evidence(
          ref: SourceRef(source: Self.sources[rng.below(Self.sources.count)], line: rng.below(4)),
          text: Self.texts[rng.below(Self.texts.count)])
      }
      // Half the lists ascend, as one capture's lines do.
      if round % 2 == 0 { list = Self.referenceSortedUnique(list) }
      let old = Self.referenceInOrder(list)
      let new = list.withUnsafeBufferPointer { lines in
        guard let base = lines.baseAddress else { return true }
        return lines.indices.dropFirst().allSatisfy { PodAssembly.ascends(base + ($0 - 1), base + $0) }
      }
      #expect(new == old, "round \(round)")
      let unique = PodAssembly.sortedUnique(list)
      let reference = Self.referenceSortedUnique(list)
      #expect(unique == reference, "round \(round)")
      #expect(unique.map { Array($0.text.utf8) } == reference.map { Array($0.text.utf8) }, "round \(round)")
      #expect(
        unique.map { Array($0.ref.source.utf8) } == reference.map { Array($0.ref.source.utf8) }, "round \(round)")
      if old { ordered += 1 }
    }
    #expect(ordered > 5_000)
  }
}
