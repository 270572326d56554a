/// Which rule ids each rule absorbs, as the fold asks it: for each finding, the entry of its rule
/// id (`[String: Set<String>]`'s lookup), and whether that entry's set holds another finding's
/// rule id (`Set.contains`).
///
/// The fold asked the dictionary once per finding and the set once per pair of findings, hashing
/// the rule id each time: on the 4 MiB kubelet-log slice that was 3.1M of the fold's 24.7M
/// instructions for 400 pods (docs/architecture.md "Diagnosis: read a pod once"). A dozen rules
/// absorb anything, each one to four ids, so the ids are searched in place with `==`, which is
/// what the dictionary and the set decide membership by (their keys are distinct under `==`), so
/// the answers are theirs. An entry whose set is empty absorbs nothing and is left out, as a
/// missing one answers. When every id is ASCII holding no `K`, `;` or `` ` `` (the only ASCII
/// characters another character decomposes to), a string `==` to one of them has its very bytes,
/// so ids of different UTF-8 lengths are told apart by their counts first. `FoldTablesTests`
/// holds both answers to the dictionary and the set on the shipped rules and on hostile ids.
struct AbsorbTable: Sendable {
  private let ids: [String]
  private let absorbed: [[String]]
  /// Whether every id and absorbed id is ASCII holding no `K`, `;` or `` ` ``.
  private let byBytes: Bool

  init(_ table: [String: Set<String>]) {
    var ids: [String] = []
    var absorbed: [[String]] = []
    for (id, set) in table where !set.isEmpty {
      ids.append(id)
      absorbed.append(Array(set))
    }
    self.ids = ids
    self.absorbed = absorbed
    byBytes = ids.allSatisfy(Self.isPlainASCII) && absorbed.allSatisfy { $0.allSatisfy(Self.isPlainASCII) }
  }

  /// The position of `ruleID`'s entry, nil when its rule absorbs nothing (`table[ruleID]`, an
  /// empty set counted as none).
  func entry(_ ruleID: String) -> Int? {
    for i in ids.indices where same(ids[i], ruleID) { return i }
    return nil
  }

  /// Whether the entry at `position` absorbs `ruleID` (`table[id]!.contains(ruleID)`).
  func absorbs(_ position: Int, _ ruleID: String) -> Bool {
    let set = absorbed[position]
    for i in set.indices where same(set[i], ruleID) { return true }
    return false
  }

  private func same(_ known: String, _ asked: String) -> Bool {
    if byBytes, known.utf8.count != asked.utf8.count { return false }
    return known == asked
  }

  /// ASCII holding no `K`, `;` or `` ` ``: no other text is `==` to it (a Kelvin sign is `K`,
  /// U+037E is `;`, U+1FEF is `` ` ``; every other ASCII character is its own only spelling).
  static func isPlainASCII(_ text: String) -> Bool {
    text.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") }
  }
}
