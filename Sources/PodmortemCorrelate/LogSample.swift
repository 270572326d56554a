import Foundation
import PodmortemModel
import Synchronization

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
    /// The tail's records held as they came, not packed, in step with `tail` (`held[i]` is the
    /// record of slot `i`, whose `tail[i]` is then `PackedLog(placeholder:)`); empty when no slot
    /// is held. A record packed on entry to the ring is nearly always pushed out `keep` records
    /// later, so a held one is packed only if it is still in the tail when the tail is read
    /// (`LogSample.holdBudget`).
    var held: [Held?] = []
    /// How many records were offered, kept or not.
    var seen = 0
    /// The head is not kept (`dropHead`): the second half of a file whose first half filled it.
    var headDropped = false
    /// The tail keeps no record of the split file's first half (`dropTail`): the first half of a
    /// file whose second half filled it.
    var tailDropped = false

    /// The largest records, sorted, a held one packed.
    var kept: [PackedLog] {
      guard !held.isEmpty else { return Array(tail[tailStart...] + tail[..<tailStart]) }
      return (Array(tailStart..<tail.count) + Array(0..<tailStart)).map { slot($0) }
    }
    var keptRefs: [SourceRef] { Array(tailRefs[tailStart...] + tailRefs[..<tailStart]) }

    /// Tail slot `i`'s record packed: as stored, or packed from the record held.
    func slot(_ i: Int) -> PackedLog {
      if !held.isEmpty, let h = held[i] { return h.packed }
      return tail[i]
    }

    /// Whether tail slot `i` is held.
    @inline(__always)
    func isHeld(_ i: Int) -> Bool { !held.isEmpty && held[i] != nil }

    /// Whether tail slot `i`'s record is after every record of the head (on another line), so in
    /// the tail alone. A ring turning past such a record is one whose pattern had more than
    /// `2 × keep` records: its newest are pushed out again. Where the ring still turns past the
    /// head's records (a pattern of at most `2 × keep` records), the records it takes stay to the
    /// end, and holding them would only delay their packing.
    @inline(__always)
    func isTailOnly(_ i: Int) -> Bool {
      guard let last = headRefs.last else { return true }
      return !LogSample.sameRef(last, tailRefs[i]) && last < tailRefs[i]
    }

    /// Every held slot packed, as the ring would hold it had it packed each on entry; `budget`
    /// given back one for each.
    mutating func settle(_ budget: inout Int) {
      guard !held.isEmpty else { return }
      for i in held.indices {
        if let h = held[i] {
          tail[i] = h.packed
          budget += 1
        }
      }
      held = []
    }
  }

  /// How many tail records a run holds unpacked at most. A record held costs its `LogRecord` (the
  /// line's string, the field and capture arrays: about 1 KB for a kubelet record of six fields)
  /// where a packed one costs its buffer, so the number is bounded: memory, not the saving,
  /// decides it. A one-part reading (the gzip log) peaks in diagnosis with its held records
  /// still held; 768 of them were +0.6 MiB there, so 576 (docs/architecture.md "Memory of the
  /// kubelet-log run").
  package static let holdBudget = 576

  /// What is left of `holdBudget`, shared by every sample of the run: a reading takes from what
  /// it loaded and writes back the difference, so two readings at once may overdraw it by one
  /// each. The halves of a split file hold nothing more (`insert(_:filling:)`,
  /// `insertFillingTail`): both are full at once at the end of reading, the plain log's peak.
  /// Held records a sample frees without packing (a merge) are not given back: the budget only
  /// errs on the side of holding less.
  static let tailHolds = Atomic<Int>(holdBudget)

  /// The fewest fields of a record a tail holds unpacked (`Candidate.holdable`): packing a kubelet
  /// record costs most in finding its fields' keys and values in the line, so one of few fields
  /// (a container's line, `RemoveContainer`, `SyncLoop UPDATE`) packs for less than holding it
  /// costs (docs/architecture.md "Memory of the kubelet-log run").
  static let holdFields = 5

  /// `body` given the run's budget (`tailHolds`), what it takes or gives back written back.
  @inline(__always)
  private static func withTailHolds<R>(_ body: (inout Int) -> R) -> R {
    var budget = tailHolds.load(ordering: .relaxed)
    let before = budget
    let result = body(&budget)
    if budget != before { tailHolds.wrappingAdd(budget &- before, ordering: .relaxed) }
    return result
  }

  package init() {}

  /// Takes `record` into the sample when it is among the first or last `keep` of its pattern,
  /// packed once for both ends. The record is borrowed: only its packing is kept.
  package mutating func insert(_ record: LogRecord) {
    Self.withTailHolds { insert(record, holding: &$0) }
  }

  /// `insert(record)`, the record held unpacked when it enters the tail alone and `budget` allows
  /// (one taken for each slot held, one given back for each packed or freed again).
  package mutating func insert(_ record: LogRecord, holding budget: inout Int) {
    if let id = record.patternID {
      // Through the subscript's modify accessor: the kept arrays are changed in place, not copied.
      Self.keep(record, in: &byPattern[id, default: Ends()], budget: &budget)
      return
    }
    Self.keep(record, in: &unrecognised, budget: &budget)
  }

  private static func keep<C: Candidate>(
    _ record: borrowing C, in ends: inout Ends, counting: Bool = true, budget: inout Int
  ) {
    if counting { ends.seen += 1 }
    let ref = record.ref
    let head = ends.headDropped ? nil : headPlace(ends, record, ref)
    let tail = tailPlace(&ends, record, ref, &budget)
    place(record, ref, in: &ends, head: head, tail: tail, &budget)
  }

  private static func keep<C: Candidate>(_ record: borrowing C, in ends: inout Ends, counting: Bool = true) {
    var none = 0
    keep(record, in: &ends, counting: counting, budget: &none)
  }

  /// `r` put where `head` and `tail` say (`headPlace`, `tailPlace`), packed once for both: the
  /// places are decided on the lines first, so the record is packed only when it is kept, and
  /// the packing is made once and moved, not held in an optional and copied out of it for each
  /// end (the copies of a 72-byte value, by its value witnesses, were a tenth of packing a record
  /// on the first 4 MiB of the bench log; docs/architecture.md "Speed of the kubelet-log path").
  /// `LogSampleKeepTests` holds it to the insertion before, kept there as the reference.
  ///
  /// A record entering the tail alone is held unpacked (`Ends.held`) in place of a held one, or
  /// in place of a record of the tail alone when `budget` is left (`Ends.isTailOnly`): it is
  /// packed only if it is still in the tail when the tail is read (`Ends.slot`) or leaves the
  /// common path (`Ends.settle`). `LogSampleHeldTailTests` holds the
  /// ends read to those of the sample that packs every record on entry.
  @inline(__always)
  private static func place<C: Candidate>(
    _ r: borrowing C, _ ref: SourceRef, in ends: inout Ends, head: Int?, tail: TailPlace, _ budget: inout Int
  ) {
    guard let at = head else {
      switch tail {
      case .none: return
      case .ring:
        let start = ends.tailStart
        if ends.isHeld(start) {
          // A held record out, `r` held in its place (a packed record offered is stored packed).
          if r.holdable, let kept = r.unpacked() {
            ends.held[start] = Held(kept)
          } else {
            ends.held[start] = nil
            r.repack(into: &ends.tail[start])
            budget += 1
          }
        } else if r.holdable, budget > 0, ends.isTailOnly(start), let kept = r.unpacked() {
          hold(kept, at: start, in: &ends)
          budget -= 1
        } else {
          // The smallest out: its buffer takes `r` in place (`PackedLog.repack`).
          r.repack(into: &ends.tail[start])
        }
        ringMoved(ref, in: &ends)
      case .append:
        putTail(r.packed(), ref, in: &ends, tail)
        if !ends.held.isEmpty { ends.held.append(nil) }
      case .insert: putTail(r.packed(), ref, in: &ends, tail)
      }
      return
    }
    let p = r.packed()
    switch tail {
    case .none: putHead(p, ref, in: &ends, at: at)
    case .ring:
      // One packing at both ends, its buffer shared.
      putHead(p, ref, in: &ends, at: at)
      let start = ends.tailStart
      ends.tail[start] = p
      if ends.isHeld(start) {
        ends.held[start] = nil
        budget += 1
      }
      ringMoved(ref, in: &ends)
    case .append:
      putHead(p, ref, in: &ends, at: at)
      putTail(p, ref, in: &ends, tail)
      if !ends.held.isEmpty { ends.held.append(nil) }
    case .insert:
      putHead(p, ref, in: &ends, at: at)
      putTail(p, ref, in: &ends, tail)
    }
  }

  /// `r` held in tail slot `i`, which held a packed record: its buffer freed.
  @inline(__always)
  private static func hold(_ r: consuming LogRecord, at i: Int, in ends: inout Ends) {
    ends.tail[i] = PackedLog(placeholder: ())
    if ends.held.isEmpty {
      ends.held.reserveCapacity(keep)
      ends.held.append(contentsOf: repeatElement(nil, count: ends.tail.count))
    }
    ends.held[i] = Held(r)
  }

  /// A tail record held unpacked. A klog record's text is its line's end (the body after the
  /// header), a second string of about 200 bytes beside the line: when the line ends with the
  /// text's bytes the text is let go and made again from them when the record is packed, a third
  /// of what holding a kubelet record costs beyond its packing (docs/architecture.md "Memory of
  /// the kubelet-log run"). The bytes are the text's own, so the record packed is the one held.
  struct Held: Sendable {
    var record: LogRecord
    /// How many bytes of the line's end are the text, which `record` holds as ""; -1 when
    /// `record` holds its text.
    var textEnd = -1

    init(_ r: consuming LogRecord) {
      record = r
      let n = PackedLog.withUTF8(record.text) { t in
        PackedLog.withUTF8(record.evidence.text) { l in
          guard !t.isEmpty, t.count <= l.count else { return -1 }
          return PackedLog.same(UnsafeBufferPointer(rebasing: l[(l.count - t.count)...]), t) ? t.count : -1
        }
      }
      if n > 0 {
        record.text = ""
        textEnd = n
      }
    }

    /// The record as it came.
    var whole: LogRecord {
      guard textEnd >= 0 else { return record }
      var r = record
      let n = textEnd
      r.text = PackedLog.withUTF8(r.evidence.text) { l in
        String(decoding: UnsafeBufferPointer(rebasing: l[(l.count - n)...]), as: UTF8.self)
      }
      return r
    }

    /// The record packed.
    var packed: PackedLog { PackedLog(whole) }
  }

  /// `insert(record)`, and whether the record entered its pattern's head and the head is now full
  /// of records before `bound`: the first half of a file split in two, publishing which heads the
  /// second half need not keep (`HeadFills`).
  package mutating func insert(_ record: LogRecord, filling bound: SourceRef) -> Bool {
    var none = 0
    return insert(record, filling: bound, holding: &none)
  }

  /// `insert(_:filling:)`, holding as `insert(_:holding:)` does.
  package mutating func insert(_ record: LogRecord, filling bound: SourceRef, holding budget: inout Int) -> Bool {
    if let id = record.patternID {
      return Self.keep(record, in: &byPattern[id, default: Ends()], filling: bound, budget: &budget)
    }
    return Self.keep(record, in: &unrecognised, filling: bound, budget: &budget)
  }

  private static func keep(
    _ record: borrowing LogRecord, in ends: inout Ends, filling bound: SourceRef, budget: inout Int
  ) -> Bool {
    ends.seen += 1
    let ref = record.ref
    let head = ends.headDropped ? nil : headPlace(ends, record, ref)
    let tail = !ends.tailDropped || !isBefore(ref, bound) ? tailPlace(&ends, record, ref, &budget) : .none
    place(record, ref, in: &ends, head: head, tail: tail, &budget)
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
    var none = 0
    return insertFillingTail(record, holding: &none)
  }

  /// `insertFillingTail(_:)`, holding as `insert(_:holding:)` does.
  package mutating func insertFillingTail(_ record: LogRecord, holding budget: inout Int) -> Bool {
    if let id = record.patternID {
      return Self.keepFillingTail(record, in: &byPattern[id, default: Ends()], budget: &budget)
    }
    return Self.keepFillingTail(record, in: &unrecognised, budget: &budget)
  }

  private static func keepFillingTail(_ record: borrowing LogRecord, in ends: inout Ends, budget: inout Int) -> Bool {
    let before = ends.tailRefs.count
    keep(record, in: &ends, budget: &budget)
    return before < keep && ends.tailRefs.count == keep
  }

  /// Frees the records of `pattern`'s tail (nil: the unrecognised records) that lie in `bound`'s
  /// source before `bound`, and keeps no more such records in it (`insert(_:filling:)`); the head
  /// and the count go on as before. Only for the first half of a file whose second half, every
  /// record of which lies at or after `bound`, holds `keep` records of the same pattern: the
  /// merged tail is then the second half's whatever the first half's held before `bound`. False,
  /// and nothing changed, when the sample has no record of `pattern`.
  package mutating func dropTail(of pattern: String?, before bound: SourceRef) -> Bool {
    Self.withTailHolds { dropTail(of: pattern, before: bound, holding: &$0) }
  }

  /// `dropTail(of:before:)`, `budget` given back one for each held record freed or packed.
  package mutating func dropTail(of pattern: String?, before bound: SourceRef, holding budget: inout Int) -> Bool {
    if let pattern {
      guard byPattern[pattern] != nil else { return false }
      Self.dropTail(&byPattern[pattern, default: Ends()], before: bound, &budget)
      return true
    }
    guard unrecognised.seen > 0 else { return false }
    Self.dropTail(&unrecognised, before: bound, &budget)
    return true
  }

  private static func dropTail(_ ends: inout Ends, before bound: SourceRef, _ budget: inout Int) {
    ends.tailDropped = true
    // A held record freed with its slot is not packed; one kept is packed (the rare path).
    var tail: [PackedLog] = []
    var refs: [SourceRef] = []
    for i in Array(ends.tailStart..<ends.tail.count) + Array(0..<ends.tailStart) {
      if ends.isHeld(i) { budget += 1 }
      let ref = ends.tailRefs[i]
      guard !isBefore(ref, bound) else { continue }
      tail.append(ends.slot(i))
      refs.append(ref)
    }
    ends.tail = tail
    ends.tailRefs = refs
    ends.tailStart = 0
    ends.held = []
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
    var none = 0
    if let id = record.patternID {
      guard byPattern[id] != nil else { return }
      Self.keepLargest(record, in: &byPattern[id, default: Ends()], &none)
    } else {
      Self.keepLargest(record, in: &unrecognised, &none)
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
        head: e.head, headRefs: e.headRefs, tail: e.tail.indices.map { e.slot($0) }, tailRefs: e.tailRefs,
        tailStart: e.tailStart, seen: e.seen, headDropped: e.headDropped, tailDropped: e.tailDropped)
    }
    var all: [String?: HeldEnds] = [nil: held(unrecognised)]
    for (id, ends) in byPattern { all[id] = held(ends) }
    return all
  }

  /// How many tail records are held unpacked (tests).
  var heldUnpacked: Int {
    byPattern.values.reduce(unrecognised.held.count { $0 != nil }) { $0 + $1.held.count { $0 != nil } }
  }

  /// One pattern's `Ends` as held (`heldEnds`), a held tail record packed.
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

  /// Their held records are packed as they are offered; a held record of `mine` a merged one
  /// replaces is freed or packed without giving its budget back (a merge ends a reading).
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

  /// `ends.head + ends.kept` appended to `all`, a held record packed.
  private static func append(_ ends: Ends, to all: inout [PackedLog]) {
    all.append(contentsOf: ends.head)
    if !ends.held.isEmpty {
      for i in ends.tailStart..<ends.tail.count { all.append(ends.slot(i)) }
      for i in 0..<ends.tailStart { all.append(ends.slot(i)) }
      return
    }
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
          all[last] == all[index] || all[last].record == all[index].record
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
  static func linesOfOneSource(_ refs: [SourceRef]) -> [Int]? {
    guard var first = refs.first?.source else { return [] }
    let same = first.withUTF8 { f in
      refs.allSatisfy { ref in
        var source = ref.source
        return source.withUTF8 { PackedLog.same($0, f) }
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
  private static func keepLargest(_ r: borrowing LogRecord, in ends: inout Ends, _ budget: inout Int) {
    let ref = r.ref
    let tail = tailPlace(&ends, r, ref, &budget)
    place(r, ref, in: &ends, head: nil, tail: tail, &budget)
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
  ///
  /// The common case is decided first (a record after the newest is after the smallest too: the
  /// ring is sorted), without reading a record; any other packs the held records first
  /// (`Ends.settle`), so what follows reads the ring as it always did.
  private static func tailPlace<C: Candidate>(
    _ ends: inout Ends, _ r: borrowing C, _ ref: SourceRef, _ budget: inout Int
  ) -> TailPlace {
    let count = ends.tailRefs.count
    let start = ends.tailStart
    if count > 0 {
      let last = start == 0 ? count - 1 : start - 1
      if !sameRef(ends.tailRefs[last], ref), ends.tailRefs[last] < ref {
        // The common case, a record after every kept one and on another line than the last (so on
        // another line than all of them): it replaces the smallest, or joins a tail not yet full.
        return count < keep ? .append : .ring
      }
    }
    // Before the smallest, on another line: out, the held records left as they are.
    if count == keep, !sameRef(ref, ends.tailRefs[start]), !(ends.tailRefs[start] < ref) { return .none }
    ends.settle(&budget)
    if count == keep, !follows(r, ref, ends.tail, ends.tailRefs, start) { return .none }
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
  /// This record as a tail holds it unpacked (`LogSample.Ends.held`), nil when it is kept packed.
  func unpacked() -> LogRecord?
  /// Whether a tail may hold this record unpacked: a kubelet record of many fields, whose packing
  /// costs more than holding it.
  var holdable: Bool { get }
}

extension LogRecord: Candidate {
  fileprivate var ref: SourceRef { evidence.ref }
  fileprivate var lineText: String { evidence.text }
  fileprivate func isRecord(of p: PackedLog) -> Bool { p.record == self }
  fileprivate func packed() -> PackedLog { PackedLog(self) }
  fileprivate func repack(into slot: inout PackedLog) { slot.repack(self) }
  fileprivate var holdable: Bool {
    guard case .kubelet = origin else { return false }
    return fields.count >= LogSample.holdFields
  }
  fileprivate func unpacked() -> LogRecord? { self }
}

extension PackedLog: Candidate {
  /// Equal encodings are equal records (the same buffer, shared, most often: a record kept at both
  /// ends); else the records are compared, as a record offered is (`String` equality).
  fileprivate func isRecord(of p: PackedLog) -> Bool { p == self || p.record == record }
  fileprivate func packed() -> PackedLog { self }
  fileprivate func repack(into slot: inout PackedLog) { slot = self }
  fileprivate var holdable: Bool { false }
  fileprivate func unpacked() -> LogRecord? { nil }
}
