import Foundation

/// The tables a run of describes builds the same way pod after pod (a pod's `Labels`, a
/// container's `Limits` and `Requests`), built once per run of the same held lines
/// (docs/architecture.md "Speed of the describe path").
///
/// Each entry was set with `table[key] = value`: SipHash of the key and, the table growing from
/// empty, a new storage and a rehash at each growth, about 1,350 instructions an entry
/// (callgrind). A table the block builds is known by a number, its `state`: 0 the empty table, -1
/// a table this memo cannot name (it had an entry set from a line not held), any other number the
/// table one setting gave. Setting the entry of a held line (`KubectlLine.textID`: the key and the
/// value are read from its text alone) in the table numbered `from` always gives the same table,
/// so the memo keeps, per slot (of the text's number and `from`, direct-mapped), the last setting made: its
/// `from`, its text, the number of the table it gave and that table. A number is never given
/// twice, so a kept setting stays true while it is kept; the block starts every table at 0 and
/// sets its entries only through `set`. A table given from the memo shares the storage of the one
/// built (a copy of a value: the same keys and values).
struct DescribeTableMemo {
  static let slots = 1024
  private var texts: [Int] = []
  private var froms: [Int] = []
  private var tos: [Int] = []
  private var tables: [[String: String]] = []
  private var next = 1

  init() {}

  /// `table[key()] = value()`, where the key and the value are read from the text of a line known
  /// by `textID` (0: a line not held) and `state` is `table`'s number; `state` is the number of the
  /// table after.
  mutating func set(
    _ table: inout [String: String], state: inout Int, textID: Int, key: () -> String, value: () -> String
  ) {
    guard textID > 0, state >= 0 else {
      table[key()] = value()
      state = -1
      return
    }
    if texts.isEmpty {
      texts = Array(repeating: 0, count: Self.slots)
      froms = Array(repeating: -1, count: Self.slots)
      tos = Array(repeating: -1, count: Self.slots)
      tables = Array(repeating: [:], count: Self.slots)
    }
    let slot = Self.slot(textID: textID, from: state)
    if texts[slot] == textID, froms[slot] == state {
      table = tables[slot]
      state = tos[slot]
      return
    }
    table[key()] = value()
    texts[slot] = textID
    froms[slot] = state
    tos[slot] = next
    tables[slot] = table
    state = next
    next += 1
  }

  /// The slot of setting text `textID` in table `from`: both numbers mixed (multiplied by odd
  /// constants, FxHash's and the golden ratio's, the top bits taken), so that one text set in
  /// several tables (`memory:  256Mi` after `cpu:  100m` and after `cpu:  500m`) keeps each.
  static func slot(textID: Int, from: Int) -> Int {
    let mixed =
      (UInt64(truncatingIfNeeded: textID) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: from))
      &* 0x517c_c1b7_2722_0a95
    return Int(truncatingIfNeeded: mixed >> 54) & (slots - 1)
  }
}
