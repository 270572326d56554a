import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `Correlator.positionsByName` (the pods' positions by name, which `attach` and `attachLogs`
/// look events and log lines up in) fills a table with room for every pod where
/// `Dictionary(grouping:by:)` grew one, kept below as the reference: on seeded random pods (names
/// repeated, equal only canonically, a Kelvin sign, a dotted capital I, CR, NUL, tabs, empty,
/// long) the same names, spelled with the same bytes, and the same positions in the same order.
struct PositionsByNameTests {
  static let names = [
    "", "web-0", "web-1", "cafe\u{301}", "caf\u{E9}", "K\u{212A}", "KK", "\u{130}", "a\rb", "n\u{0}", "t\tb",
    String(repeating: "p", count: 2_000),
  ]

  static func spelled(_ table: [String: [Int]]) -> [[UInt8]: [Int]] {
    Dictionary(uniqueKeysWithValues: table.map { (Array($0.key.utf8), $0.value) })
  }

  @Test func tableIsTheGrouping() {
    var rng = SplitMix64(seed: 19_277)
    var shared = 0
    for _ in 0..<500 {
      let histories = (0..<rng.below(60)).map { _ in
        let name = Self.names[rng.below(Self.names.count)]
        let snapshot = PodSnapshot(name: name, namespace: "prod")
        return PodHistory(key: PodKey(namespace: "prod", name: name), snapshots: [], latest: snapshot)
      }
      let reference = Dictionary(grouping: histories.indices, by: { histories[$0].key.name })
      let table = Correlator.positionsByName(histories)
      #expect(table == reference)
      #expect(Self.spelled(table) == Self.spelled(reference))
      shared += table.values.filter { $0.count > 1 }.count
    }
    #expect(shared > 500)
  }
}
