import PodmortemModel

/// A finding's evidence put in rank and without repeats, decided by sorting the lines instead of
/// hashing them (docs/architecture.md "Speed after ingest: two cores": a finding's evidence).
///
/// `Evidence` hashes its whole line text and source name, and the `Set`s that deduplicated a
/// finding's lines (`RuleDescription.finding`, `Diagnoser.fold`) were a seventh of diagnosing
/// 1,000 describes (callgrind). Lines are ordered by `(ref, text)`, an order under which two
/// lines are neither before the other exactly when they are equal (`String` orders by canonical
/// equivalence, as it compares), so a sorted list finds a line's equals next to it and by binary
/// search, with the answers of a `Set`: `EvidenceRankingTests` compares them on seeded random lines.
enum EvidenceRanking {
  /// The order findings list their context lines in: `(a.ref, a.text) < (b.ref, b.text)`, field
  /// by field without building the tuples (copies of the source name and the text).
  static func precedes(_ a: Evidence, _ b: Evidence) -> Bool {
    if a.ref.source != b.ref.source { return a.ref.source < b.ref.source }
    if a.ref.line != b.ref.line { return a.ref.line < b.ref.line }
    return a.text < b.text
  }

  /// The `decisive` lines in their order, each once (its first occurrence), then every other line
  /// of `evidence` once, in `(ref, text)` order: what
  /// `first + Set(evidence).subtracting(Set(decisive)).sorted(by: precedes)` gives, a line kept as
  /// it first occurs (two spellings of one accent are one line, as in a `Set`).
  static func ranked(decisive: [Evidence], evidence: [Evidence]) -> [Evidence] {
    let known = Sorted(decisive)
    // No other line and each decisive one distinct (a finding about a container that shows no
    // lines of its own: an EventList's): the list is the decisive lines as they are, with no list
    // reserved and filled (about 700 instructions a finding, callgrind on the 8 MiB EventList;
    // docs/architecture.md "Speed of the other rules").
    if evidence.isEmpty && known.count == decisive.count { return decisive }
    var out: [Evidence] = []
    out.reserveCapacity(known.count + evidence.count)
    if known.count == decisive.count {
      out += decisive
    } else {
      for i in decisive.indices where known.isFirst(i) { out.append(decisive[i]) }
    }
    let context = Sorted(evidence)
    if context.inOrder {
      // Each line is its own first occurrence, in order: the lines kept come in runs between
      // the decisive ones, each appended at once (appending line by line copied each with a
      // check of the list's uniqueness, about 130 instructions a line, callgrind on 1,000
      // describes; docs/architecture.md "Speed of the other rules"). Nothing dropped and nothing
      // decisive: the list is the evidence itself.
      var start = 0
      for k in evidence.indices where known.contains(evidence[k]) {
        if start < k { out += evidence[start..<k] }
        start = k &+ 1
      }
      if start == 0 && out.isEmpty { return evidence }
      if start < evidence.count { out += evidence[start...] }
      return out
    }
    for k in evidence.indices {
      let i = context.position(k)
      if context.isFirst(i) && !known.contains(evidence[i]) { out.append(evidence[i]) }
    }
    return out
  }

  /// `a + b + c + d`: a list that is the only one not empty is handed back as it is, and two or
  /// more are appended into one list reserved for them, where each `+` made a list of its own and
  /// copied the lines before it again (a finding's decisive lines: a crash loop's waiting,
  /// termination, back-off and ended-run lines, most of them empty; docs/architecture.md "Speed
  /// of the other rules"). `ContainerPrecheckTests` holds it to `+`.
  static func joined(
    _ a: [Evidence], _ b: [Evidence], _ c: [Evidence] = [], _ d: [Evidence] = []
  ) -> [Evidence] {
    let filled = (a.isEmpty ? 0 : 1) + (b.isEmpty ? 0 : 1) + (c.isEmpty ? 0 : 1) + (d.isEmpty ? 0 : 1)
    if filled == 0 { return [] }
    if filled == 1 { return !a.isEmpty ? a : !b.isEmpty ? b : !c.isEmpty ? c : d }
    var out: [Evidence] = []
    out.reserveCapacity(a.count &+ b.count &+ c.count &+ d.count)
    out += a
    out += b
    out += c
    out += d
    return out
  }

  /// A list's positions sorted by its lines (ties by position), with each line's first position
  /// among its equals marked.
  ///
  /// A list already in order (most: a pod's lines, an event's) is its own order and each of its
  /// lines its own first occurrence: it keeps no list of positions and no marks
  /// (`inOrder`), where two arrays were allocated for them for every list, about 600
  /// instructions of each (callgrind). `EvidenceRankingTests` holds the answers to a `Set`.
  struct Sorted {
    private let lines: [Evidence]
    /// Whether `lines` is in order already (each line before the next, so no two equal): then
    /// `order` and `firsts` are empty, the positions being their own order.
    let inOrder: Bool
    /// The positions of `lines`, sorted by `precedes`, then by position (empty when `inOrder`).
    private let order: [Int]
    /// `firsts[i]`: no line before position `i` equals `lines[i]` (empty when `inOrder`).
    private let firsts: [Bool]
    /// How many distinct lines.
    let count: Int

    init(_ lines: [Evidence]) {
      self.lines = lines
      // Most lists come in source order already (a pod's lines, an event's): then each line is
      // its own first occurrence and nothing is sorted.
      if lines.indices.dropFirst().allSatisfy({ EvidenceRanking.precedes(lines[$0 - 1], lines[$0]) }) {
        self.inOrder = true
        self.order = []
        self.firsts = []
        self.count = lines.count
        return
      }
      var order = Array(lines.indices)
      order.sort { i, j in
        if EvidenceRanking.precedes(lines[i], lines[j]) { return true }
        if EvidenceRanking.precedes(lines[j], lines[i]) { return false }
        return i < j
      }
      var firsts = Array(repeating: false, count: lines.count)
      var count = 0
      var previous: Int?
      for i in order {
        // Sorted by line then position: a line's first position starts its run of equals.
        if let previous, !EvidenceRanking.precedes(lines[previous], lines[i]) { continue }
        firsts[i] = true
        count += 1
        previous = i
      }
      self.inOrder = false
      self.order = order
      self.firsts = firsts
      self.count = count
    }

    /// The position of the `k`th line in order.
    func position(_ k: Int) -> Int { inOrder ? k : order[k] }

    /// Whether position `i` holds the first occurrence of its line.
    func isFirst(_ i: Int) -> Bool { inOrder || firsts[i] }

    /// Whether `line` equals one of the lines.
    func contains(_ line: Evidence) -> Bool {
      var low = 0
      var high = lines.count
      while low < high {
        let middle = low + (high - low) / 2
        if EvidenceRanking.precedes(lines[position(middle)], line) { low = middle + 1 } else { high = middle }
      }
      return low < lines.count && !EvidenceRanking.precedes(line, lines[position(low)])
    }
  }
}
