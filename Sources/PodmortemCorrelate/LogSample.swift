import Foundation
import PodmortemModel

/// The log records kept for one pod or node: for each pattern, the first and last `keep` records
/// it recognised, and the first and last `keep` of the unrecognised ones, by source position — so
/// a gigabyte of kubelet chatter stays bounded (memory grows with pods and patterns, not lines),
/// while the start and the end of every kind of trouble stay visible. `counts` says how many
/// records each pattern matched in all.
package struct LogSample: Sendable {
  /// How many records are kept from each end, per pattern and for the unrecognised ones.
  package static let keep = 10

  private var byPattern: [String: Ends] = [:]
  private var unrecognised = Ends()
  /// Records seen per pattern id, kept or not.
  package var counts: [String: Int] { byPattern.mapValues(\.seen) }

  /// Kept records are packed (`PackedLog`): one buffer each instead of a string per field.
  private struct Ends {
    /// The `keep` smallest records, sorted, and their source lines (`headRefs[i]` is
    /// `head[i].ref`): the order is decided on the lines, without reading a record.
    var head: [PackedLog] = []
    var headRefs: [SourceRef] = []
    /// The `keep` largest records, a ring: sorted from `tailStart` to the end and on from the
    /// start. A record arriving in source order replaces the smallest in place, instead of the
    /// whole window shifting down one on every line. `tailRefs` holds their lines, in step.
    var tail: [PackedLog] = []
    var tailRefs: [SourceRef] = []
    /// Where the smallest of `tail` is; 0 until `tail` is full.
    var tailStart = 0
    /// How many records were offered, kept or not.
    var seen = 0
    /// The head is not kept (`dropHead`): the second half of a file whose first half filled it.
    var headDropped = false
    /// The tail keeps no record of the split file's first half (`dropTail`): the first half of a
    /// file whose second half filled it.
    var tailDropped = false

    /// The largest records, sorted.
    var kept: [PackedLog] { Array(tail[tailStart...] + tail[..<tailStart]) }
    var keptRefs: [SourceRef] { Array(tailRefs[tailStart...] + tailRefs[..<tailStart]) }
  }

  package init() {}

  /// Takes `record` into the sample when it is among the first or last `keep` of its pattern,
  /// packed once for both ends. The record is borrowed: only its packing is kept.
  package mutating func insert(_ record: LogRecord) {
    if let id = record.patternID {
      // Through the subscript's modify accessor: the kept arrays are changed in place, not copied.
      Self.keep(record, in: &byPattern[id, default: Ends()])
      return
    }
    Self.keep(record, in: &unrecognised)
  }

  private static func keep<C: Candidate>(_ record: borrowing C, in ends: inout Ends, counting: Bool = true) {
    if counting { ends.seen += 1 }
    let ref = record.ref
    let head = ends.headDropped ? nil : headPlace(ends, record, ref)
    let tail = tailPlace(&ends, record, ref)
    place(record, ref, in: &ends, head: head, tail: tail)
  }

  /// `r` put where `head` and `tail` say (`headPlace`, `tailPlace`), packed once for both: the
  /// places are decided on the lines first, so the record is packed only when it is kept, and
  /// the packing is made once and moved, not held in an optional and copied out of it for each
  /// end (the copies of a 72-byte value, by its value witnesses, were a tenth of packing a record
  /// on the first 4 MiB of the bench log; docs/architecture.md "Speed of the kubelet-log path").
  /// `LogSampleKeepTests` holds it to the insertion before, kept there as the reference.
  @inline(__always)
  private static func place<C: Candidate>(
    _ r: borrowing C, _ ref: SourceRef, in ends: inout Ends, head: Int?, tail: TailPlace
  ) {
    guard let at = head else {
      switch tail {
      case .none: return
      case .ring:
        // The smallest out: its buffer takes `r` in place (`PackedLog.repack`).
        r.repack(into: &ends.tail[ends.tailStart])
        ringMoved(ref, in: &ends)
      case .append, .insert: putTail(r.packed(), ref, in: &ends, tail)
      }
      return
    }
    let p = r.packed()
    switch tail {
    case .none: putHead(p, ref, in: &ends, at: at)
    case .ring:
      // One packing at both ends, its buffer shared.
      putHead(p, ref, in: &ends, at: at)
      ends.tail[ends.tailStart] = p
      ringMoved(ref, in: &ends)
    case .append, .insert:
      putHead(p, ref, in: &ends, at: at)
      putTail(p, ref, in: &ends, tail)
    }
  }

  /// `insert(record)`, and whether the record entered its pattern's head and the head is now full
  /// of records before `bound`: the first half of a file split in two, publishing which heads the
  /// second half need not keep (`HeadFills`).
  package mutating func insert(_ record: LogRecord, filling bound: SourceRef) -> Bool {
    if let id = record.patternID { return Self.keep(record, in: &byPattern[id, default: Ends()], filling: bound) }
    return Self.keep(record, in: &unrecognised, filling: bound)
  }

  private static func keep(_ record: borrowing LogRecord, in ends: inout Ends, filling bound: SourceRef) -> Bool {
    ends.seen += 1
    let ref = record.ref
    let head = ends.headDropped ? nil : headPlace(ends, record, ref)
    let tail = !ends.tailDropped || !isBefore(ref, bound) ? tailPlace(&ends, record, ref) : .none
    place(record, ref, in: &ends, head: head, tail: tail)
    // The head is sorted: its last record is its largest.
    return head != nil && ends.headRefs.count == keep && ends.headRefs[keep - 1] < bound
  }

  /// `ref` is a line of `bound`'s source before `bound`: of the split file's first half.
  @inline(__always)
  static func isBefore(_ ref: SourceRef, _ bound: SourceRef) -> Bool {
    ref.line < bound.line && ref.source == bound.source
  }

  /// `insert(record)`, and whether the record's pattern's tail held `keep` records for the first
  /// time after it: the second half of a file split in two, publishing which tails the first half
  /// need not keep (`HeadFills`). The second half's records all lie at or after its first line.
  package mutating func insertFillingTail(_ record: LogRecord) -> Bool {
    if let id = record.patternID { return Self.keepFillingTail(record, in: &byPattern[id, default: Ends()]) }
    return Self.keepFillingTail(record, in: &unrecognised)
  }

  private static func keepFillingTail(_ record: borrowing LogRecord, in ends: inout Ends) -> Bool {
    let before = ends.tailRefs.count
    keep(record, in: &ends)
    return before < keep && ends.tailRefs.count == keep
  }

  /// Frees the records of `pattern`'s tail (nil: the unrecognised records) that lie in `bound`'s
  /// source before `bound`, and keeps no more such records in it (`insert(_:filling:)`); the head
  /// and the count go on as before. Only for the first half of a file whose second half, every
  /// record of which lies at or after `bound`, holds `keep` records of the same pattern: the
  /// merged tail is then the second half's whatever the first half's held before `bound`. False,
  /// and nothing changed, when the sample has no record of `pattern`.
  package mutating func dropTail(of pattern: String?, before bound: SourceRef) -> Bool {
    if let pattern {
      guard byPattern[pattern] != nil else { return false }
      Self.dropTail(&byPattern[pattern, default: Ends()], before: bound)
      return true
    }
    guard unrecognised.seen > 0 else { return false }
    Self.dropTail(&unrecognised, before: bound)
    return true
  }

  private static func dropTail(_ ends: inout Ends, before bound: SourceRef) {
    ends.tailDropped = true
    var tail: [PackedLog] = []
    var refs: [SourceRef] = []
    for (p, ref) in zip(ends.kept, ends.keptRefs) where !isBefore(ref, bound) {
      tail.append(p)
      refs.append(ref)
    }
    ends.tail = tail
    ends.tailRefs = refs
    ends.tailStart = 0
  }

  /// Whether `pattern`'s tail holds `keep` records, none before `bound`: then it is the tail of
  /// every record offered, those `dropTail` left out included (each lies before `bound`).
  package func tailIsFull(of pattern: String?, from bound: SourceRef) -> Bool {
    guard let ends = pattern.map({ byPattern[$0] }) ?? unrecognised else { return false }
    return ends.tailRefs.count == Self.keep && ends.tailRefs.allSatisfy { !($0 < bound) }
  }

  /// Offers `record` to its pattern's tail only, uncounted: a record of the split file's first
  /// half that `dropTail` left out, given again when the first half, read on to the end because
  /// the second half was not used, did not refill the tail (`Correlator.endTailDrops`).
  package mutating func restoreTail(_ record: LogRecord) {
    if let id = record.patternID {
      guard byPattern[id] != nil else { return }
      Self.keepLargest(record, in: &byPattern[id, default: Ends()])
    } else {
      Self.keepLargest(record, in: &unrecognised)
    }
  }

  /// Keeps `pattern`'s tail as any tail again, once the split file is read.
  package mutating func endTailDrop(of pattern: String?) {
    if let pattern {
      if byPattern[pattern] != nil { byPattern[pattern, default: Ends()].tailDropped = false }
    } else {
      unrecognised.tailDropped = false
    }
  }

  /// Every end as held, by pattern (nil: the unrecognised records), for tests: the head and the
  /// tail ring as stored, their lines, the ring's start, the count and the two drop flags.
  var heldEnds: [String?: HeldEnds] {
    func held(_ e: Ends) -> HeldEnds {
      HeldEnds(
        head: e.head, headRefs: e.headRefs, tail: e.tail, tailRefs: e.tailRefs, tailStart: e.tailStart, seen: e.seen,
        headDropped: e.headDropped, tailDropped: e.tailDropped)
    }
    var all: [String?: HeldEnds] = [nil: held(unrecognised)]
    for (id, ends) in byPattern { all[id] = held(ends) }
    return all
  }

  /// One pattern's `Ends` as held (`heldEnds`).
  struct HeldEnds {
    var head: [PackedLog]
    var headRefs: [SourceRef]
    var tail: [PackedLog]
    var tailRefs: [SourceRef]
    var tailStart: Int
    var seen: Int
    var headDropped: Bool
    var tailDropped: Bool

    init(
      head: [PackedLog], headRefs: [SourceRef], tail: [PackedLog], tailRefs: [SourceRef], tailStart: Int, seen: Int,
      headDropped: Bool, tailDropped: Bool
    ) {
      (self.head, self.headRefs, self.tail, self.tailRefs) = (head, headRefs, tail, tailRefs)
      (self.tailStart, self.seen, self.headDropped, self.tailDropped) = (tailStart, seen, headDropped, tailDropped)
    }
  }

  /// How many records the tails hold (tests).
  var heldTails: Int { byPattern.values.reduce(unrecognised.tail.count) { $0 + $1.tail.count } }

  /// Stops keeping the head of `pattern` (nil: the unrecognised records) and frees it; the tail
  /// and the count go on as before. Only for the second half of a file whose first half's head of
  /// the same pattern is full of records before the second half's (`HeadFills`): the merged head
  /// is then the first half's. A sample whose heads were dropped is merged into another, never
  /// another into it.
  package mutating func dropHead(of pattern: String?) {
    if let pattern {
      Self.dropHead(&byPattern[pattern, default: Ends()])
    } else {
      Self.dropHead(&unrecognised)
    }
  }

  /// How many records the heads hold (tests).
  var heldHeads: Int { byPattern.values.reduce(unrecognised.head.count) { $0 + $1.head.count } }

  private static func dropHead(_ ends: inout Ends) {
    ends.headDropped = true
    ends.head = []
    ends.headRefs = []
  }

  /// Adds what `other` sampled: its kept records and its counts. The first and last `keep` of two
  /// sets of records are among the first and last `keep` of each, so this is the sample of both
  /// sets, whatever order their records came in (a file parsed in two parts, `Correlator.merge`).
  ///
  /// The records stay packed: each kept one of `other` is offered as it is (its buffer shared,
  /// not read back and packed again), in order within its pattern.
  package mutating func merge(_ other: LogSample) {
    for (id, theirs) in other.byPattern {
      Self.merge(theirs, into: &byPattern[id, default: Ends()])
    }
    Self.merge(other.unrecognised, into: &unrecognised)
  }

  private static func merge(_ theirs: Ends, into mine: inout Ends) {
    for p in theirs.head { keep(p, in: &mine, counting: false) }
    for p in theirs.kept { keep(p, in: &mine, counting: false) }
    mine.seen += theirs.seen
  }

  /// This sample with `change` made to every kept record, and the same counts; `change` must
  /// leave a record's pattern, line and text as they were (the sample's order).
  package func mapped(_ change: (inout LogRecord) -> Void) -> LogSample {
    var out = LogSample()
    for var record in records {
      change(&record)
      out.keepUncounted(record)
    }
    for (id, ends) in byPattern { out.byPattern[id, default: Ends()].seen = ends.seen }
    out.unrecognised.seen = unrecognised.seen
    return out
  }

  /// Keeps `record` where `insert` would, without counting it.
  private mutating func keepUncounted(_ record: LogRecord) {
    if let id = record.patternID {
      Self.keep(record, in: &byPattern[id, default: Ends()], counting: false)
    } else {
      Self.keep(record, in: &unrecognised, counting: false)
    }
  }

  /// Everything kept, in source order, each record once.
  package var records: [LogRecord] {
    var strings = SharedStrings()
    return records(sharing: &strings)
  }

  /// `records`, their repeated strings (a pod's name, a field's value, a message) built once
  /// across every call given the same `strings`.
  func records(sharing strings: inout SharedStrings) -> [LogRecord] {
    packedRecords().map { $0.record(sharing: &strings) }
  }

  /// Everything kept, in source order, each record once, as kept (packed): what `records` builds.
  func packedRecords() -> [PackedLog] {
    // Each end appended where it lies, in `head + kept`'s order, not through the two arrays that
    // sum and `kept` made and copied again.
    var count = unrecognised.head.count + unrecognised.tail.count
    for ends in byPattern.values { count += ends.head.count + ends.tail.count }
    var all: [PackedLog] = []
    all.reserveCapacity(count)
    Self.append(unrecognised, to: &all)
    for ends in byPattern.values { Self.append(ends, to: &all) }
    return Self.inSourceOrder(all)
  }

  /// `ends.head + ends.kept` appended to `all`.
  private static func append(_ ends: Ends, to all: inout [PackedLog]) {
    all.append(contentsOf: ends.head)
    all.append(contentsOf: ends.tail[ends.tailStart...])
    all.append(contentsOf: ends.tail[..<ends.tailStart])
  }

  /// `all` sorted by `order` (ties by position in `all`, the stable sort's order), each record
  /// once: a record equal to the one before it on the same line is left out.
  static func inSourceOrder(_ all: [PackedLog]) -> [PackedLog] {
    // Their positions sorted, not the packed records (a move is an integer, not a record's
    // references).
    let refs = all.map(\.ref)
    var sorted = Array(all.indices)
    all.withUnsafeBufferPointer { all in
      if let lines = Self.linesOfOneSource(refs) {
        // One source (a file's sample): the lines decide, as `SourceRef`'s `<` does when the
        // sources are the same bytes, without comparing the sources' strings on every step.
        sorted.sort { i, j in lines[i] != lines[j] ? lines[i] < lines[j] : Self.byText(all, i, j) }
      } else {
        sorted.sort { i, j in refs[i] != refs[j] ? refs[i] < refs[j] : Self.byText(all, i, j) }
      }
    }
    // The records kept found by their places first, compared where they lie, and then copied
    // once into an array of exactly their count, which a pod keeps as it is (`attachLogs`): each
    // record was copied out, held as the last one and copied again, by its value witnesses (a
    // `PackedLog` holds a `TimeRange?`), and the array reserved for every record, repeats too
    // (docs/architecture.md "Speed of the kubelet-log path"). The same records in the same order
    // (`LogSampleTieTests` keeps the loop before).
    var kept: [Int] = []
    kept.reserveCapacity(all.count)
    all.withUnsafeBufferPointer { all in
      var last = -1
      for index in sorted {
        if last >= 0, sameRef(all[last].ref, all[index].ref),
          samePacked(all, last, index) || all[last].record == all[index].record
        {
          continue
        }
        kept.append(index)
        last = index
      }
    }
    var out: [PackedLog] = []
    out.reserveCapacity(kept.count)
    for index in kept { out.append(all[index]) }
    return out
  }

  /// `all[i] == all[j]`: `PackedLog`'s synthesized `==` is the conjunction of its four stored
  /// properties' `==`, here the same four compared where they lie, the bytes first (a record
  /// kept in both a head and a tail is one buffer twice, which `Array`'s `==` answers at once).
  /// `==` on the two elements copied each value out and destroyed it after, through the value
  /// witnesses (a `PackedLog` holds a `TimeRange?`): on the 4 MiB slice 12,388 lines are kept in
  /// both ends of their sample (docs/architecture.md "Memory of the kubelet-log run";
  /// `LogSampleTieTests` keeps the loop with `==`).
  private static func samePacked(_ all: UnsafeBufferPointer<PackedLog>, _ i: Int, _ j: Int) -> Bool {
    all[i].bytes == all[j].bytes && all[i].ref == all[j].ref && all[i].patternID == all[j].patternID
      && all[i].time == all[j].time
  }

  /// Whether `all[i]` goes before `all[j]`, two records of one line: by the line's text, ties by
  /// position. A record kept at both ends of its pattern is one packing held twice (`keep` packs
  /// a record once for both), so on a short log nearly every record ties with itself. Equal bytes
  /// are an equal text (`lineText` reads only the bytes), so the texts are not built then: that
  /// was two strings made and compared for each such tie, about half of sorting a sample
  /// (callgrind, docs/architecture.md "Speed of the kubelet-log path").
  @inline(__always)
  private static func byText(_ all: UnsafeBufferPointer<PackedLog>, _ i: Int, _ j: Int) -> Bool {
    if all[i].bytes == all[j].bytes { return i < j }
    let a = all[i].lineText
    let b = all[j].lineText
    return a != b ? a < b : i < j
  }

  /// The line numbers of `refs` when every source is the same bytes as the first (then two refs
  /// compare as their lines: equal sources are neither `<` the other), else nil.
  ///
  /// Each source's bytes read where they lie in the array (`PackedLog.withUTF8`), where a copy of
  /// each was made for the mutating `String.withUTF8`, a retain and a release apiece (51,610 pairs
  /// on the 4 MiB slice of the bench log; docs/architecture.md "Memory of the kubelet-log run").
  static func linesOfOneSource(_ refs: [SourceRef]) -> [Int]? {
    guard let first = refs.first?.source else { return [] }
    let same = PackedLog.withUTF8(first) { f in
      refs.withUnsafeBufferPointer { refs in
        var i = 0
        while i < refs.count {
          if !PackedLog.withUTF8(refs[i].source, { PackedLog.same($0, f) }) { return false }
          i += 1
        }
        return true
      }
    }
    return same ? refs.map(\.line) : nil
  }

  /// Source position, then text. One source line yields one record, so this order is total on
  /// the records a run produces.
  package static func order(_ a: LogRecord, _ b: LogRecord) -> Bool {
    if a.evidence.ref != b.evidence.ref { return a.evidence.ref < b.evidence.ref }
    return a.evidence.text < b.evidence.text
  }

  // The helpers below decide `order` on the kept lines (`refs`) and read a kept record only when
  // its line is the new record's own (a line given twice).

  /// `a == b`, the lines compared first: `SourceRef`'s synthesized `==` compares the source and
  /// then the line, and `!=` reached it through `Equatable`'s dispatch thunk (50,000 calls and
  /// 2M instructions on the steady-state slice, callgrind; docs/architecture.md "Speed of the
  /// kubelet-log path"). The same conjunction of the same two comparisons, so the same answer
  /// (`LogSampleRefTests`); in source order the lines nearly always differ, and the sources'
  /// strings are not compared then.
  @inline(__always)
  static func sameRef(_ a: SourceRef, _ b: SourceRef) -> Bool {
    a.line == b.line && a.source == b.source
  }

  /// `order(r, list[i])`, where `ref` is `r`'s line and `refs[i]` is `list[i]`'s.
  private static func precedes<C: Candidate>(
    _ r: borrowing C, _ ref: SourceRef, _ list: [PackedLog], _ refs: [SourceRef], _ i: Int
  ) -> Bool {
    if !sameRef(ref, refs[i]) { return ref < refs[i] }
    return r.lineText < list[i].lineText
  }

  /// `order(list[i], r)`, where `ref` is `r`'s line and `refs[i]` is `list[i]`'s.
  private static func follows<C: Candidate>(
    _ r: borrowing C, _ ref: SourceRef, _ list: [PackedLog], _ refs: [SourceRef], _ i: Int
  ) -> Bool {
    if !sameRef(ref, refs[i]) { return refs[i] < ref }
    return list[i].lineText < r.lineText
  }

  /// `list[i]` is `r`.
  private static func isKept<C: Candidate>(
    _ r: borrowing C, _ ref: SourceRef, _ list: [PackedLog], _ refs: [SourceRef], _ i: Int
  ) -> Bool {
    guard sameRef(refs[i], ref) else { return false }
    return r.isRecord(of: list[i])
  }

  /// Offers `r` to the tail alone (`restoreTail`).
  private static func keepLargest(_ r: borrowing LogRecord, in ends: inout Ends) {
    let ref = r.ref
    let tail = tailPlace(&ends, r, ref)
    place(r, ref, in: &ends, head: nil, tail: tail)
  }

  /// Where `r` enters `ends.head` when it is among the `keep` smallest (the place before the
  /// largest is dropped from a full head), else nil. Decided on the lines, the record not packed.
  private static func headPlace<C: Candidate>(_ ends: borrowing Ends, _ r: borrowing C, _ ref: SourceRef) -> Int? {
    let count = ends.headRefs.count
    // Records mostly arrive in source order: once the head is full, a later one is out at once.
    if count == keep, !precedes(r, ref, ends.head, ends.headRefs, count - 1) { return nil }
    for i in 0..<count where isKept(r, ref, ends.head, ends.headRefs, i) { return nil }
    // Before the first record greater than `r` (the list is sorted: those are a suffix).
    var at = count
    while at > 0, precedes(r, ref, ends.head, ends.headRefs, at - 1) { at -= 1 }
    return at
  }

  /// `p` into `ends.head` at `at` (`headPlace`).
  @inline(__always)
  private static func putHead(_ p: consuming PackedLog, _ ref: SourceRef, in ends: inout Ends, at: Int) {
    let count = ends.headRefs.count
    // The largest out first when full (`r` goes before it), so the arrays never grow past `keep`:
    // reserved at `keep`, not doubled to 16 (a kept record is a few hundred bytes, in every pod).
    if count == keep {
      ends.head.removeLast()
      ends.headRefs.removeLast()
    } else if count == 0 {
      ends.head.reserveCapacity(keep)
      ends.headRefs.reserveCapacity(keep)
    }
    // In source order a record goes last: appended, not inserted through `replaceSubrange`.
    if at == ends.headRefs.count {
      ends.head.append(p)
      ends.headRefs.append(ref)
    } else {
      ends.head.insert(p, at: at)
      ends.headRefs.insert(ref, at: at)
    }
  }

  /// Where a record enters a tail (`tailPlace`).
  private enum TailPlace {
    /// It is not among the `keep` largest.
    case none
    /// After every kept one, into a tail not yet full.
    case append
    /// After every kept one, in place of the smallest of a full tail (the ring turns).
    case ring
    /// Out of order, at this place of the straightened tail, the smallest dropped first when
    /// the tail is full.
    case insert(Int)
  }

  /// Where `r` enters `ends.tail` when it is among the `keep` largest. Decided on the lines, the
  /// record not packed; an out-of-order record straightens the ring first, as before.
  private static func tailPlace<C: Candidate>(_ ends: inout Ends, _ r: borrowing C, _ ref: SourceRef) -> TailPlace {
    let count = ends.tailRefs.count
    let start = ends.tailStart
    if count == keep, !follows(r, ref, ends.tail, ends.tailRefs, start) { return .none }
    if count > 0 {
      let last = start == 0 ? count - 1 : start - 1
      if !sameRef(ends.tailRefs[last], ref), ends.tailRefs[last] < ref {
        // The common case, a record after every kept one and on another line than the last (so on
        // another line than all of them): it replaces the smallest, or joins a tail not yet full.
        return count < keep ? .append : .ring
      }
    }
    // Out of order: the ring straightened, then the sorted insertion.
    if start != 0 {
      ends.tail = ends.kept
      ends.tailRefs = ends.keptRefs
      ends.tailStart = 0
    }
    for i in 0..<count where isKept(r, ref, ends.tail, ends.tailRefs, i) { return .none }
    // Before the first record greater than `r`.
    var at = count
    while at > 0, precedes(r, ref, ends.tail, ends.tailRefs, at - 1) { at -= 1 }
    return .insert(at)
  }

  /// The ring turned past the slot `r` took (`TailPlace.ring`).
  @inline(__always)
  private static func ringMoved(_ ref: SourceRef, in ends: inout Ends) {
    let start = ends.tailStart
    ends.tailRefs[start] = ref
    ends.tailStart = start + 1 == ends.tailRefs.count ? 0 : start + 1
  }

  /// `p` into `ends.tail` where `place` says (`.append` or `.insert`).
  @inline(__always)
  private static func putTail(_ p: consuming PackedLog, _ ref: SourceRef, in ends: inout Ends, _ place: TailPlace) {
    let count = ends.tailRefs.count
    switch place {
    case .append:
      ends.tail.append(p)
      ends.tailRefs.append(ref)
    case .insert(var at):
      if count == keep {
        // The smallest out first (`r` goes after it: it was checked above), then `r` one place down.
        ends.tail.removeFirst()
        ends.tailRefs.removeFirst()
        at -= 1
      } else if count == 0 {
        ends.tail.reserveCapacity(keep)
        ends.tailRefs.reserveCapacity(keep)
      }
      ends.tail.insert(p, at: at)
      ends.tailRefs.insert(ref, at: at)
    case .none, .ring: break
    }
  }
}

/// What a sample is offered: a record as the parser gave it (packed when kept), or a record a
/// sample kept packed already (`LogSample.merge`), used as it is.
private protocol Candidate {
  /// The record's source line.
  var ref: SourceRef { get }
  /// The line's text, for ordering two records of one line.
  var lineText: String { get }
  /// Whether `p` is this record packed.
  func isRecord(of p: PackedLog) -> Bool
  func packed() -> PackedLog
  /// `slot` replaced by this record packed, reusing its buffer where it can.
  func repack(into slot: inout PackedLog)
}

extension LogRecord: Candidate {
  fileprivate var ref: SourceRef { evidence.ref }
  fileprivate var lineText: String { evidence.text }
  fileprivate func isRecord(of p: PackedLog) -> Bool { p.record == self }
  fileprivate func packed() -> PackedLog { PackedLog(self) }
  fileprivate func repack(into slot: inout PackedLog) { slot.repack(self) }
}

extension PackedLog: Candidate {
  /// Equal encodings are equal records (the same buffer, shared, most often: a record kept at both
  /// ends); else the records are compared, as a record offered is (`String` equality).
  fileprivate func isRecord(of p: PackedLog) -> Bool { p == self || p.record == record }
  fileprivate func packed() -> PackedLog { self }
  fileprivate func repack(into slot: inout PackedLog) { slot = self }
}
