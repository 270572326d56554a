import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// Runs every rule over every pod and returns one finding per cause.
///
/// Rules see symptoms independently: a liveness kill also shows as exit 137, a restart count and
/// CrashLoopBackOff. A rule's description lists the rules whose findings it `absorbs`; when both
/// fire for the same subject the absorbed finding is folded into the absorbing one: its facts
/// (keys not already set), its evidence and its explanation join, and the worse severity wins.
package struct Diagnoser: Sendable {
  package var rules: [any DiagnosisRule] {
    didSet {
      absorbs = Self.absorbs(rules)
      absorbTable = AbsorbTable(absorbs)
    }
  }
  /// Which rule ids each rule absorbs, built once from `rules`: `fold` runs once per pod, and
  /// rebuilding this table there was a tenth of diagnosing 10,000 describes (bench/run.sh, perf).
  private var absorbs: [String: Set<String>]
  /// `absorbs`, searched in place by the fold (`AbsorbTable`).
  private var absorbTable: AbsorbTable

  /// The rules, configured with the run's pattern catalog (the shipped patterns and any
  /// `--patterns` files: `UserPatternRule` raises the findings of those that carry a severity).
  package init(rules: [any DiagnosisRule] = RuleCatalog.all, patterns: PatternCatalog = .empty) {
    let configured = rules.map { $0.configured(patterns: patterns) }
    self.rules = configured
    self.absorbs = Self.absorbs(configured)
    self.absorbTable = AbsorbTable(absorbs)
  }

  /// Every finding about every pod and node, most severe first, then by subject, then by rule id.
  package func diagnose(_ state: CorrelatedState) -> [Finding] {
    let pods = diagnosePods(state)
    return Self.sorted(pods + diagnoseNodes(state, podFindings: pods))
  }

  /// From this many pods on, `diagnosePods` diagnoses the two halves of the pods on two threads.
  package static let twoThreadsFrom = 2_000

  /// Every pod's findings, pod by pod in the state's order. A pod's rules read that pod and the
  /// state, and change neither, so with at least `twoThreadsFrom` pods the second half is
  /// diagnosed on a second thread and its findings follow the first half's: the same list as one
  /// thread gives (`DiagnoserTwoThreadsTests`; docs/architecture.md "Speed after ingest: two cores").
  package func diagnosePods(_ state: CorrelatedState, twoThreadsFrom: Int = twoThreadsFrom) -> [Finding] {
    let pods = state.pods
    guard pods.count >= max(2, twoThreadsFrom) else { return diagnose(pods[...], in: state) }
    let middle = pods.count / 2
    var (first, second) = BothCores.run(
      { diagnose(pods[..<middle], in: state) },
      { [self] in diagnose(pods[middle...], in: state) })
    // The second half appended to the first's own buffer: where that buffer has room, no third
    // list is made, and where it has not, the first half's findings move to the new one (the old
    // buffer freed before the second half is copied in). `first + second` copied both into a
    // third list while both were live, the run's peak of memory on an EventList (docs/architecture.md
    // "Diagnosis: read a pod once").
    //
    // Without room, the new buffer is made for exactly both halves: `append(contentsOf:)` grew
    // it to twice the first half's capacity, room no finding ever fills, held at the run's peak
    // of memory beside both halves (heaptrack on the 128 MB EventList: the doubled buffer
    // 10.5 MB beside halves of 5.2 MB each). The same findings in the same order either way.
    let total = first.count + second.count
    if first.capacity < total { first.reserveCapacity(total) }
    first.append(contentsOf: consume second)
    return first
  }

  /// `pods.flatMap { diagnose($0, in: state) }`, each pod the loop's copy handed over to
  /// `diagnose`, which prepares that copy in place instead of copying it again.
  /// The pods share one `RunReading`: what a rule reads of the whole state is read once for them.
  ///
  /// A pod's empty list is not appended and the first non-empty one is taken whole, as a pod's
  /// rules' lists are (`diagnose(_:in:run:)`): `found += []` still made `found` unique and
  /// asked for room (docs/architecture.md "Diagnosis: read a pod once").
  private func diagnose(_ pods: ArraySlice<PodHistory>, in state: CorrelatedState) -> [Finding] {
    var found: [Finding] = []
    let run = RunReading()
    for pod in pods {
      let drawn = diagnose(pod, in: state, run: run)
      if drawn.isEmpty { continue }
      if found.isEmpty { found = drawn } else { found += drawn }
    }
    return found
  }

  /// The findings of the node-scope rules, folded, given the findings already drawn about pods.
  package func diagnoseNodes(_ state: CorrelatedState, podFindings: [Finding]) -> [Finding] {
    Self.sorted(fold(rules.flatMap { $0.diagnoseNodes(in: state, podFindings: podFindings) }))
  }

  /// The findings about one pod, folded and sorted.
  ///
  /// The pod's containers are computed once for all its rules (`prepareForRules`), not by each,
  /// and so are its probe events and lines and its log records by pattern (`PodReading`). The
  /// pod is taken owned and prepared in place: the caller's copy (`diagnosePods`' loop) is moved
  /// in, not copied again.
  ///
  /// A finding the fold gives without lines is given the pod's where it lies (`cited` returned a
  /// copy of every finding, the ones it kept as they were included): `DiagnoserInPlaceTests`
  /// holds this to the chain it replaces.
  /// `run` is what the pods diagnosed in turn share (`RunReading`); a pod diagnosed on its own gets
  /// one of its own.
  package func diagnose(
    _ pod: consuming PodHistory, in state: CorrelatedState, run: RunReading = RunReading()
  ) -> [Finding] {
    pod.prepareForRules()
    // The pod's probe entries and its log records by pattern, read once for all its rules
    // (`PodReading`; docs/architecture.md "Diagnosis: read a pod once").
    let reading = PodReading(pod, run: run)
    // The rules read in place, by index: `flatMap`'s closure was handed a copy of each rule's
    // existential box, each copied, checked for uniqueness and destroyed again, for every rule
    // and pod (docs/architecture.md "Diagnosis: read a pod once"). The same findings in the same
    // order; `DiagnoserInPlaceTests` keeps the `flatMap` as the reference.
    //
    // A rule's list is taken as it is when it is the first non-empty one, and an empty one is
    // not appended: `found += []` still made `found` unique (a buffer for the empty list) and
    // appending the first list copied every finding out of it, then released it, on every pod
    // (docs/architecture.md "Diagnosis: read a pod once").
    var found: [Finding] = []
    for i in rules.indices {
      let drawn = rules[i].diagnose(pod, reading: reading, in: state)
      if drawn.isEmpty { continue }
      if found.isEmpty { found = drawn } else { found += drawn }
    }
    var folded: [Finding]
    let inOrder: Bool
    (folded, inOrder) = foldInOrder(consume found)
    for i in folded.indices where folded[i].evidence.isEmpty { folded[i].evidence = Self.podLines(pod) }
    // Lines given here change no sort key; `inOrder` says sorting would leave the list as it is.
    return inOrder ? folded : Self.sorted(consume folded)
  }

  /// Every finding cites input lines. A rule cites the lines its conclusion rests on; where the
  /// source gave those no lines of their own (a container inside a pod's JSON object), the pod's
  /// own lines stand in, so the reader can still find the object the finding is about: these,
  /// each once, in order.
  static func podLines(_ pod: PodHistory) -> [Evidence] {
    Array(Set(pod.snapshots.flatMap(\.evidence))).sorted()
  }

  /// The fact that lists the rule ids folded into a finding.
  package static let alsoExplainsFact = "alsoExplains"

  private static func absorbs(_ rules: [any DiagnosisRule]) -> [String: Set<String>] {
    Dictionary(rules.map { ($0.description.id, Set($0.description.absorbs)) }) { a, b in a.union(b) }
  }

  /// Folds symptom findings into the findings of their causes.
  ///
  /// The findings are numbered in their sorted order and every table is an array by that number:
  /// each rule's absorbed ids are looked up once per finding, not once per pair; a chain of
  /// absorbers is walked with an array of flags, not a `Set` per walk; and a cause is changed
  /// where it lies, not copied out of a dictionary and back (`fold` was 32.7M of the 266.4M
  /// instructions of diagnosing 1,000 describes, callgrind). The steps and their order are the
  /// ones the dictionaries took, so the findings are the same (`DiagnoserInPlaceTests` keeps the
  /// fold before as the reference; docs/architecture.md "Speed after ingest: two cores").
  package func fold(_ findings: [Finding]) -> [Finding] { foldInOrder(findings).findings }

  /// `fold(findings)`, and whether `sorted` would give those findings back in the same order.
  ///
  /// A pod's folded findings were sorted again (folding can raise a cause's severity), building
  /// every subject's sort key a second time: on the kubelet log that was 6.7M of the 403M
  /// instructions of diagnosis (callgrind). The fold's own sort keys answer instead: `sorted`
  /// gives a list back as it is when no finding sorts before the one ahead of it (its sort is
  /// stable; `DiagnoserOrderTests` holds the answer to sorting again, ties and different subjects
  /// that share a description included).
  ///
  /// The findings are read in place, by index: `map` and `for in` over them handed each finding
  /// (its dozen strings and arrays) out as a copy, and the causes were appended to a list of
  /// their own as copies again; the causes are now moved to the front of the sorted list
  /// (`keepingCauses`), and the sorted list itself is the input's findings moved into their
  /// places (`permuted`). The same steps in the same order give the same findings
  /// (`DiagnoserInPlaceTests`, `DiagnoserOrderTests`; docs/architecture.md "Diagnosis: read a
  /// pod once").
  package func foldInOrder(_ findings: consuming [Finding]) -> (findings: [Finding], inOrder: Bool) {
    // Nothing to fold into: most pods draw no finding or one.
    guard findings.count > 1 else { return (findings, true) }
    let table = absorbTable
    var ordered: [Finding]
    let keys: [String]
    (ordered, keys) = Self.sortedWithKeys(consume findings)
    let n = ordered.count
    // Each finding's entry in the table (`absorbs[ruleID]`), -1 for none.
    var absorbed = [Int](repeating: -1, count: n)
    for i in 0..<n { absorbed[i] = table.entry(ordered[i].ruleID) ?? -1 }
    // Direct absorber of each finding: the most severe finding whose rule absorbs it and whose
    // subject contains it.
    var absorber = [Int](repeating: -1, count: n)
    for i in 0..<n {
      for j in 0..<n where j != i {
        if absorbed[j] >= 0, table.absorbs(absorbed[j], ordered[i].ruleID),
          Self.subject(ordered[j].subject, contains: ordered[i].subject)
        {
          absorber[i] = j
          break
        }
      }
    }
    // The end of a finding's chain of absorbers, stopping before a finding already passed (a
    // cycle ends at the last finding before it closes).
    var seen = [Bool](repeating: false, count: n)
    func root(_ i: Int) -> Int {
      // A finding nothing absorbs (most) is its own root: the walk below would return `i` with
      // `seen` as it was, after allocating its list of one.
      if absorber[i] < 0 { return i }
      var current = i
      var walked = [i]
      seen[i] = true
      while absorber[current] >= 0, !seen[absorber[current]] {
        current = absorber[current]
        seen[current] = true
        walked.append(current)
      }
      for k in walked { seen[k] = false }
      return current
    }
    var roots = [Int](repeating: 0, count: n)
    for i in 0..<n { roots[i] = root(i) }
    var isCause = [Bool](repeating: false, count: n)
    for i in 0..<n where roots[i] == i { isCause[i] = true }
    var folded = [[String]](repeating: [], count: n)
    for i in 0..<n where roots[i] != i {
      let r = roots[i]
      guard isCause[r] else { continue }
      // The symptom's parts read where it lies, not the whole finding copied out.
      let facts = ordered[i].facts
      let evidence = ordered[i].evidence
      // `ordered[r].fact(fact.key) == nil`, the cause's facts read in place: `fact` is
      // `Finding`'s method, from another module, and calling it copied the whole cause.
      for fact in facts where !Self.hasFact(ordered[r].facts, fact.key) { ordered[r].facts.append(fact) }
      // The cause's evidence keeps its rank; the symptom's lines it lacks follow, in their own order.
      ordered[r].evidence += Self.lacking(evidence, in: ordered[r].evidence)
      ordered[r].severity = max(ordered[r].severity, ordered[i].severity)
      // `explanation += "\n" + symptom.explanation`, without the joined string of its own.
      let explanation = ordered[i].explanation
      ordered[r].explanation.append("\n")
      ordered[r].explanation.append(explanation)
      folded[r].append(ordered[i].ruleID)
    }
    var inOrder = true
    var lastCause: Int?
    for i in 0..<n where isCause[i] {
      if !folded[i].isEmpty {
        ordered[i].facts.append(KeyValue(Self.alsoExplainsFact, Self.distinctSorted(folded[i]).joined(separator: ",")))
      }
      // `sorted`'s comparison of this cause with the one ahead of it, read in place.
      if inOrder, let j = lastCause {
        if ordered[i].severity != ordered[j].severity {
          inOrder = ordered[i].severity < ordered[j].severity
        } else if ordered[i].subject != ordered[j].subject {
          inOrder = !(keys[i] < keys[j])
        } else if ordered[i].ruleID != ordered[j].ruleID {
          inOrder = !(ordered[i].ruleID < ordered[j].ruleID)
        } else {
          inOrder = !(ordered[i].title < ordered[j].title)
        }
      }
      lastCause = i
    }
    Self.keepingCauses(&ordered, isCause)
    return (ordered, inOrder)
  }

  /// `findings` without the ones `keep` marks false, the rest in their order: each kept finding
  /// moved to its place (no copy), then the others destroyed. `DiagnoserOrderTests` holds it to
  /// the filter.
  static func keepingCauses(_ findings: inout [Finding], _ keep: [Bool]) {
    var kept = 0
    findings.withUnsafeMutableBufferPointer { buffer in
      for i in buffer.indices where i < keep.count && keep[i] {
        if kept != i { buffer.swapAt(kept, i) }
        kept &+= 1
      }
    }
    // One at a time from the end: `removeSubrange` went through the general replacement, about
    // 3,000 instructions a pod for the one or two findings it drops (callgrind).
    while findings.count > kept { findings.removeLast() }
  }

  /// `facts.first { $0.key == key } != nil` (`Finding.fact(key) != nil`), read in place.
  static func hasFact(_ facts: [KeyValue], _ key: String) -> Bool {
    for i in facts.indices where facts[i].key == key { return true }
    return false
  }

  /// Up to this many pairs of lines, `lacking` compares each pair instead of sorting. A pair
  /// whose line numbers differ costs a few instructions (`sameLine`), where sorting the cause's
  /// lines cost about 5,500 (1,000 describes, callgrind): 256 sent 400 of 650 folds to the sort.
  static let pairsCompared = 1_024

  /// `lines.filter { !EvidenceRanking.Sorted(known).contains($0) }`: the lines that equal none
  /// of `known` under `EvidenceRanking.precedes`' order (neither before the other), in their
  /// order. A few lines against a few are compared pair by pair, which is the sorted search's
  /// answer without sorting `known` (positions, marks and a sort for every symptom folded: a
  /// tenth of the fold on 1,000 describes, callgrind); more are searched sorted as before, so
  /// hostile lists cost what they did. `DiagnoserOrderTests` holds it to the sorted search.
  static func lacking(_ lines: [Evidence], in known: [Evidence]) -> [Evidence] {
    guard !lines.isEmpty else { return [] }
    // Each count at most `pairsCompared`, so their product does not overflow.
    guard known.count <= pairsCompared, lines.count <= pairsCompared, known.count * lines.count <= pairsCompared
    else {
      let sorted = EvidenceRanking.Sorted(known)
      return lines.filter { !sorted.contains($0) }
    }
    var out: [Evidence] = []
    for i in lines.indices {
      var found = false
      for k in known.indices where Self.sameLine(known[k], lines[i]) {
        found = true
        break
      }
      if !found { out.append(lines[i]) }
    }
    return out
  }

  /// `!EvidenceRanking.precedes(a, b) && !EvidenceRanking.precedes(b, a)`, the line numbers
  /// compared first. Neither precedes the other exactly when the sources, the line numbers and
  /// the texts are each equal: `String`'s `<` is a total order whose equal texts are those `==`
  /// calls equal, and so is `Int`'s. Most pairs `lacking` compares are lines of one source with
  /// different numbers, which the numbers alone tell apart, where `precedes` compared the
  /// sources first, both ways (docs/architecture.md "Diagnosis: read a pod once").
  /// `DiagnoserOrderTests` holds it to `precedes`.
  static func sameLine(_ a: Evidence, _ b: Evidence) -> Bool {
    a.ref.line == b.ref.line && a.ref.source == b.ref.source && a.text == b.text
  }

  /// Up to this many ids, `distinctSorted` keeps the first of equal ones by comparing each pair.
  static let idsCompared = 16

  /// `Array(Set(ids)).sorted()`: each id once (the first of those `==` to it, as a `Set` keeps),
  /// sorted. A few are told apart pair by pair instead of hashed into a `Set`; more go through
  /// the `Set` as before. `DiagnoserOrderTests` holds it to the `Set`.
  static func distinctSorted(_ ids: [String]) -> [String] {
    guard ids.count <= idsCompared else { return Array(Set(ids)).sorted() }
    var out: [String] = []
    out.reserveCapacity(ids.count)
    for i in ids.indices where !out.contains(where: { $0 == ids[i] }) { out.append(ids[i]) }
    return out.count > 1 ? out.sorted() : out
  }

  /// A pod's finding contains its containers'; a node's finding (`object`) only the same node's.
  private static func subject(_ outer: Subject, contains inner: Subject) -> Bool {
    outer.namespace == inner.namespace && outer.pod == inner.pod && outer.object == inner.object
      && (outer.container == nil || outer.container == inner.container)
  }

  /// Most severe first, then subject, then rule id, then title.
  ///
  /// Subjects order by their description (`Subject.<`), which is built here once per finding rather
  /// than twice per comparison (a fifth of sorting the findings of 44,000 pods, issue 16). The
  /// comparisons are those of the plain comparator, so the order, ties included, is the same.
  ///
  /// The keys are read from each finding in place and the findings are moved into their sorted
  /// places (`permuted`): `map` handed each finding out as a copy to read its subject, and the
  /// sorted list was a copy of every finding while the list it came from was destroyed.
  package static func sorted(_ findings: consuming [Finding]) -> [Finding] {
    guard findings.count > 1 else { return findings }
    // ASCII keys compared as bytes in one buffer (`SortKeyBytes`), else as strings.
    let positions = orderByBytes(findings) ?? order(findings, sortKeys(findings))
    return permuted(consume findings, positions)
  }

  /// `sorted(findings)` and each one's subject's sort key, in that order (none for fewer than two).
  static func sortedWithKeys(_ findings: consuming [Finding]) -> (findings: [Finding], keys: [String]) {
    guard findings.count > 1 else { return (findings, []) }
    let subjects = sortKeys(findings)
    let positions = order(findings, subjects)
    return (permuted(consume findings, positions), permuted(subjects, positions))
  }

  /// `findings.map { sortKey($0.subject) }`, each subject read in place.
  private static func sortKeys(_ findings: [Finding]) -> [String] {
    var keys: [String] = []
    keys.reserveCapacity(findings.count)
    for i in findings.indices { keys.append(sortKey(findings[i].subject)) }
    return keys
  }

  /// `positions.map { items[$0] }` for a permutation `positions` of `items`' indices, each item
  /// moved to its place along the permutation's cycles instead of copied (a finding's copy
  /// retains each of its strings and arrays, and the list it came from then released them all).
  /// Anything but a permutation of the indices is answered by the `map`. `DiagnoserOrderTests`
  /// holds it to the `map` on seeded permutations.
  static func permuted<T>(_ items: consuming [T], _ positions: [Int]) -> [T] {
    let n = items.count
    guard positions.count == n, n > 1 else { return positions.map { items[$0] } }
    // Each index once, then each cleared again as the cycles place it.
    var pending = [Bool](repeating: false, count: n)
    for p in positions {
      guard p >= 0, p < n, !pending[p] else { return positions.map { items[$0] } }
      pending[p] = true
    }
    var out = items
    out.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      for start in 0..<n where pending[start] {
        // out[k] = items[positions[k]] along the cycle through `start`: each place is read
        // (moved out) before it is written.
        pending[start] = false
        if positions[start] == start { continue }
        let first = (base + start).move()
        var k = start
        while positions[k] != start {
          let from = positions[k]
          (base + k).moveInitialize(from: base + from, count: 1)
          pending[from] = false
          k = from
        }
        (base + k).initialize(to: first)
      }
    }
    return out
  }

  /// The positions of `findings` in `sorted`'s order, `subjects` their subjects' sort keys.
  ///
  /// The plain comparator's answers, read from what is cheapest to compare: the severities' ranks
  /// (`rank`, a `switch` here; `Severity`'s `<` was called through its conformance), then
  /// the sort keys, and the subjects themselves only when their keys are equal. Equal subjects
  /// have equal keys (a key is its subject's parts and fixed separators in order, and `==` on
  /// strings is canonical equivalence, which joining keeps), so keys that differ are subjects
  /// that differ, compared by key as before; equal keys of different subjects answer `false` as
  /// `keys[i] < keys[j]` did. Comparing the subjects first copied both (each of its four strings
  /// retained and released) at every comparison: about 7M of the 14.7M of the comparator on the
  /// 8 MiB EventList (callgrind). `DiagnoserOrderTests` and `SubjectSortKeyTests` hold the order
  /// to the plain comparator on seeded findings, hostile subjects and shared descriptions included.
  private static func order(_ findings: [Finding], _ subjects: [String]) -> [Int] {
    findings.indices.sorted { i, j in
      let (ri, rj) = (rank(findings[i].severity), rank(findings[j].severity))
      if ri != rj { return ri > rj }
      if subjects[i] != subjects[j] { return subjects[i] < subjects[j] }
      if findings[i].subject != findings[j].subject { return false }
      if findings[i].ruleID != findings[j].ruleID { return findings[i].ruleID < findings[j].ruleID }
      return findings[i].title < findings[j].title
    }
  }

  /// The severity's place in `Severity`'s order (`<`): info, warning, critical.
  /// `DiagnoserOrderTests` holds it to `<` on every pair.
  static func rank(_ severity: Severity) -> UInt8 {
    switch severity {
    case .info: 0
    case .warning: 1
    case .critical: 2
    }
  }

  /// `subject.description`, the same bytes, copied into one string of exactly their length: the
  /// description joins an array of the namespace and pod (`compactMap`, `joined`) and
  /// interpolates the rest, about 3,500 instructions a subject, a third of sorting an EventList's
  /// findings (docs/architecture.md "Speed after ingest: two cores"; `SubjectSortKeyTests` holds
  /// it to `description`, byte for byte). Joining and interpolating never normalise: the
  /// description is its parts' bytes and separators' in that order, which is what is copied.
  static func sortKey(_ subject: Subject) -> String {
    // `[namespace, pod].compactMap { $0 }.joined(separator: "/")`, then ` object` and
    // ` (container)`, each without its lead when nothing precedes it: `SortKeyBytes` counts and
    // writes those bytes, for a string here and for its buffer of every key there.
    let n = SortKeyBytes.length(subject)
    guard n > 0 else { return "" }
    // Each part's bytes copied at once (`writeUTF8`): copied byte by byte, each access to the
    // captured position checked at run time, they were most of a key's cost (callgrind).
    return String(unsafeUninitializedCapacity: n) { out in
      var at = 0
      SortKeyBytes.write(subject, into: out, at: &at)
      return at
    }
  }

}
