import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// A pod's labels and a container's limits and requests set through `DescribeTableMemo`, and a
/// held condition row's condition (docs/architecture.md "Speed of the describe path"), held to the
/// code they replaced, kept here as the reference: `table[key] = value` and `conditionLine`'s
/// `PodCondition(type: String(t[0]), status: status)`.
@Suite struct DescribeTableMemoTests {
  /// Keys and values with hostile pieces: a Kelvin sign, a dotted capital I, combining accents
  /// (spelt both ways), NUL, CR, a tab, the empty text, a long one, numbers at `Int`'s bounds.
  static let pieces: [String] =
    DescribeHeldStringsTests.hostile + [
      "", "app", "web", "K\u{212A}", "İ", "e\u{301}", "\u{e9}", "a\u{0}b", "r\r", "t\t", "cpu", "memory",
      String(repeating: "x", count: 5_000), "\(Int.min)", "\(Int.max)",
    ]

  /// Seeded runs of settings, each table started empty, through memos shared by every run: a
  /// text's number always gives the same key and value (as a held line's text does), lines not
  /// held (0) among them, numbers that share a slot, numbers near `Int.max`. After every setting
  /// the table is the one `table[key] = value` builds, entry for entry, and so is every table the
  /// memo gave before (a table given out is a value, not changed by later settings).
  @Test func settingsThroughTheMemoAreTheSettings() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeTableMemoTests.settings"))
    var memo = DescribeTableMemo()
    var entries: [Int: (String, String)] = [:]
    func entry(_ id: Int) -> (String, String) {
      if let e = entries[id] { return e }
      let e = (Self.pieces[rng.below(Self.pieces.count)], Self.pieces[rng.below(Self.pieces.count)])
      entries[id] = e
      return e
    }
    // Few texts, so runs repeat; some 256 apart (one slot), some near `Int.max`.
    let ids = Array(1...12) + [257, 513, 769, Int.max, Int.max - 256]
    var kept: [([String: String], [String: String])] = []
    var hits = 0
    for _ in 0..<6_000 {
      var table: [String: String] = [:]
      var reference: [String: String] = [:]
      var state = 0
      for _ in 0..<rng.below(6) {
        let held = rng.below(10) != 0
        let id = held ? ids[rng.below(ids.count)] : 0
        let (key, value) =
          held ? entry(id) : (Self.pieces[rng.below(Self.pieces.count)], Self.pieces[rng.below(Self.pieces.count)])
        var asked = false
        memo.set(
          &table, state: &state, textID: id,
          key: {
            asked = true
            return key
          }, value: { value })
        if !asked { hits += 1 }
        reference[key] = value
        #expect(table == reference)
        #expect(table.keys.allSatisfy { k in Self.bytes(table[k]!) == Self.bytes(reference[k]!) })
      }
      if rng.below(20) == 0 { kept.append((table, reference)) }
    }
    for (table, reference) in kept { #expect(table == reference) }
    #expect(hits > 1_000)
  }

  /// `==` of strings is canonical equivalence: the bytes as well.
  static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  /// A held row's condition (`KubectlLine.heldCondition`) is the condition `conditionLine` makes of
  /// its words in a two-column table, and there is one exactly when the row has two words, the
  /// second a status; on sample and seeded rows with hostile words, read held, held by number and
  /// through the line memo; a line not held has none.
  @Test func heldConditionIsTheRowsCondition() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeTableMemoTests.conditions"))
    let words =
      Self.pieces.filter { !$0.isEmpty && !$0.contains(" ") && !$0.contains("\t") } + [
        "True", "False", "Unknown", "true", "TRUE", "Status", "Type", "Ready", "PodScheduled", "Tru\u{e9}",
        "True\u{301}", "-----",
      ]
    var texts = KubectlBytesTests.lines
    for _ in 0..<6_000 {
      let indent = String(repeating: " ", count: rng.below(4) * 2)
      let count = 1 + rng.below(4)
      texts.append(
        indent
          + (0..<count).map { _ in words[rng.below(words.count)] }.joined(separator: ["  ", " ", "\t"][rng.below(3)]))
    }
    var memo = KubectlLineMemo(slots: 64)
    var made = 0
    for (n, text) in texts.enumerated() {
      let line = Line(number: n + 1, text: text)
      let fresh = KubectlLine(line)
      #expect(fresh.heldCondition == nil)
      for l in [KubectlLine(line, heldAs: n + 1), fresh.held(as: n + 1), memo.read(line).line, memo.read(line).line] {
        let t = l.tokens
        let expected: PodCondition? =
          l.textID != 0 && l.wordsKnown && t.count == 2
          ? DescribeBlock.conditionStatus(t[1]).map { PodCondition(type: String(t[0]), status: $0) } : nil
        #expect(l.heldCondition == expected, "\(text)")
        if let held = l.heldCondition, let expected {
          #expect(
            Self.bytes(held.type) == Self.bytes(expected.type) && Self.bytes(held.status) == Self.bytes(expected.status)
          )
          made += 1
        }
      }
    }
    #expect(made > 1_000)
  }
}
