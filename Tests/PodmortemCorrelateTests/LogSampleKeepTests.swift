import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `LogSample` decides where a record goes in its pattern's head and tail on the lines first and
/// packs it once, only when it is kept (`LogSample.place`; docs/architecture.md "Speed of the
/// kubelet-log path"). The insertion it replaced, which packed into an optional shared by both
/// ends, is kept here as the reference (`ReferenceLogSample`, the code of `LogSample` before the
/// change): after every step of seeded sequences — records inserted in a mostly source order with
/// lines moved back and given twice, inserted while publishing filled heads, tails restored,
/// heads and tails dropped, samples merged — every end of both holds the same records byte for
/// byte, the same lines, the ring at the same start, the same counts and flags. On the
/// repository's samples' log records and on seeded hostile records (empty and huge lines, NUL, CR,
/// tabs, a Kelvin sign, a dotted capital I, combining accents, bytes that are not UTF-8), from
/// one source, several, and one name spelt in two byte forms.
@Suite struct LogSampleKeepTests {
  /// Both samples hold the same ends, record for record and byte for byte.
  static func expectSame(_ got: LogSample, _ expected: ReferenceLogSample, _ note: String = "") {
    let ends = got.heldEnds
    let reference = expected.heldEnds
    #expect(Set(ends.keys) == Set(reference.keys), "\(note)")
    for (id, e) in ends {
      guard let r = reference[id] else { continue }
      #expect(e.head == r.head, "\(note) head \(String(describing: id))")
      #expect(e.head.map(\.bytes) == r.head.map(\.bytes))
      #expect(e.tail == r.tail, "\(note) tail \(String(describing: id))")
      #expect(e.tail.map(\.bytes) == r.tail.map(\.bytes))
      #expect(e.headRefs == r.headRefs)
      #expect(e.tailRefs == r.tailRefs)
      #expect(e.head.map { Array($0.ref.source.utf8) } == r.head.map { Array($0.ref.source.utf8) })
      #expect(e.tail.map { Array($0.ref.source.utf8) } == r.tail.map { Array($0.ref.source.utf8) })
      #expect(e.tailStart == r.tailStart)
      #expect(e.seen == r.seen)
      #expect(e.headDropped == r.headDropped)
      #expect(e.tailDropped == r.tailDropped)
    }
    // What is read of a sample (`packedRecords`) is a function of these ends alone; which of two
    // equal lines of two patterns comes first there follows the patterns' dictionary order, which
    // differs between two dictionaries, so the lists are compared as sets of encodings.
    #expect(Set(got.packedRecords().map(\.bytes)) == Set(expected.packedRecords().map(\.bytes)))
  }

  static let sources: [[String]] = [
    ["kubelet.log"], ["a.log", "b.log"], ["k\u{E9}.log", "ke\u{301}.log"], ["x", "\u{212A}", "K"],
  ]

  /// Seeded records on `lines` lines of `sources`: hostile records (`PackedEncodingTests`), each
  /// given a line, a source and a pattern of a few, and some a second text.
  static func records(_ rng: inout SplitMix64, sources: [String], lines: Int) -> [LogRecord] {
    var all: [LogRecord] = []
    let patterns: [String?] = [nil, "kubelet.probe-failed", "kubelet.pleg-event", "p\u{212A}"]
    for source in sources {
      for line in 1...max(lines, 1) {
        var r = PackedEncodingTests.hostileRecord(&rng, lineSizes: [0, 1, 40, 250, 600])
        r.evidence.ref = SourceRef(source: source, line: line)
        r.patternID = patterns[rng.below(patterns.count)]
        all.append(r)
        if rng.below(8) == 0 {
          var other = r
          other.evidence.text += rng.below(2) == 0 ? "\u{0}" : " e\u{301}"
          all.append(other)
        }
      }
    }
    return all
  }

  /// `all` in a mostly source order: some moved, some given twice.
  static func arrival(_ all: [LogRecord], _ rng: inout SplitMix64) -> [LogRecord] {
    var order = all
    guard !all.isEmpty else { return order }
    for _ in 0..<(all.count / 6) { order.swapAt(rng.below(all.count), rng.below(all.count)) }
    order += (0..<(all.count / 8)).map { _ in all[rng.below(all.count)] }
    return order
  }

  @Test(arguments: 0..<24)
  func insertingKeepsWhatTheReferenceKept(seed: UInt64) {
    var rng = SplitMix64(seed: 31_000 + seed)
    let sources = Self.sources[Int(seed) % Self.sources.count]
    let all = Self.records(&rng, sources: sources, lines: 1 + rng.below(70))
    var sample = LogSample()
    var reference = ReferenceLogSample()
    for (n, r) in Self.arrival(all, &rng).enumerated() {
      sample.insert(r)
      reference.insert(r)
      if n % 7 == 0 { Self.expectSame(sample, reference, "seed \(seed) step \(n)") }
    }
    Self.expectSame(sample, reference, "seed \(seed)")
  }

  /// The first half of a split file (`insert(_:filling:)`, `dropTail`, `restoreTail`) and the
  /// second (`dropHead`, `insertFillingTail`), and the two merged.
  @Test(arguments: 0..<24)
  func splitHalvesKeepWhatTheReferenceKept(seed: UInt64) {
    var rng = SplitMix64(seed: 32_000 + seed)
    let sources = Self.sources[Int(seed) % Self.sources.count]
    let all = Self.records(&rng, sources: sources, lines: 1 + rng.below(80))
    let bound = SourceRef(source: sources[0], line: 1 + rng.below(60))
    let patterns: [String?] = [nil, "kubelet.probe-failed", "kubelet.pleg-event", "p\u{212A}", "absent"]
    var first = LogSample()
    var firstReference = ReferenceLogSample()
    var second = LogSample()
    var secondReference = ReferenceLogSample()
    for (n, r) in Self.arrival(all, &rng).enumerated() {
      switch rng.below(10) {
      case 0:
        let pattern = patterns[rng.below(patterns.count)]
        #expect(first.dropTail(of: pattern, before: bound) == firstReference.dropTail(of: pattern, before: bound))
      case 1:
        first.restoreTail(r)
        firstReference.restoreTail(r)
      case 2:
        let pattern = patterns[rng.below(patterns.count)]
        second.dropHead(of: pattern)
        secondReference.dropHead(of: pattern)
      case 3, 4:
        #expect(second.insertFillingTail(r) == secondReference.insertFillingTail(r))
      case 5, 6:
        second.insert(r)
        secondReference.insert(r)
      default:
        #expect(first.insert(r, filling: bound) == firstReference.insert(r, filling: bound))
      }
      if n % 5 == 0 {
        Self.expectSame(first, firstReference, "seed \(seed) step \(n)")
        Self.expectSame(second, secondReference, "seed \(seed) step \(n)")
      }
    }
    Self.expectSame(first, firstReference, "seed \(seed)")
    Self.expectSame(second, secondReference, "seed \(seed)")
    first.merge(second)
    firstReference.merge(secondReference)
    Self.expectSame(first, firstReference, "seed \(seed) merged")
  }

  /// The repository's samples' log records, in their order and shuffled, one sample a source and
  /// all in one.
  @Test func theSamplesKeepWhatTheReferenceKept() {
    let all = PackedEncodingTests.sampleRecords
    #expect(!all.isEmpty)
    var rng = SplitMix64(seed: 33_000)
    for order in [all, Self.arrival(all, &rng)] {
      var one = LogSample()
      var oneReference = ReferenceLogSample()
      var bySource: [String: (LogSample, ReferenceLogSample)] = [:]
      for r in order {
        one.insert(r)
        oneReference.insert(r)
        bySource[r.evidence.ref.source, default: (LogSample(), ReferenceLogSample())].0.insert(r)
        bySource[r.evidence.ref.source, default: (LogSample(), ReferenceLogSample())].1.insert(r)
      }
      Self.expectSame(one, oneReference)
      for (source, pair) in bySource { Self.expectSame(pair.0, pair.1, source) }
    }
  }
}

/// `LogSample`'s insertion as it was before `LogSample.place` (its `Ends` and the functions that
/// keep a record in them, the record packed into an optional both ends read), the reference of
/// `LogSampleKeepTests`.
struct ReferenceLogSample {
  private var byPattern: [String: Ends] = [:]
  private var unrecognised = Ends()
  static let keep = LogSample.keep

  mutating func insert(_ record: LogRecord) {
    if let id = record.patternID {
      Self.keep(record, in: &byPattern[id, default: Ends()])
      return
    }
    Self.keep(record, in: &unrecognised)
  }

  mutating func insert(_ record: LogRecord, filling bound: SourceRef) -> Bool {
    if let id = record.patternID { return Self.keep(record, in: &byPattern[id, default: Ends()], filling: bound) }
    return Self.keep(record, in: &unrecognised, filling: bound)
  }

  mutating func insertFillingTail(_ record: LogRecord) -> Bool {
    if let id = record.patternID { return Self.keepFillingTail(record, in: &byPattern[id, default: Ends()]) }
    return Self.keepFillingTail(record, in: &unrecognised)
  }

  static func keepFillingTail(_ record: borrowing LogRecord, in ends: inout Ends) -> Bool {
    let before = ends.tailRefs.count
    keep(record, in: &ends)
    return before < keep && ends.tailRefs.count == keep
  }

  mutating func dropTail(of pattern: String?, before bound: SourceRef) -> Bool {
    if let pattern {
      guard byPattern[pattern] != nil else { return false }
      Self.dropTail(&byPattern[pattern, default: Ends()], before: bound)
      return true
    }
    guard unrecognised.seen > 0 else { return false }
    Self.dropTail(&unrecognised, before: bound)
    return true
  }

  mutating func restoreTail(_ record: LogRecord) {
    var packed: PackedLog?
    if let id = record.patternID {
      guard byPattern[id] != nil else { return }
      Self.keepLargest(&byPattern[id, default: Ends()], record, record.evidence.ref, &packed)
    } else {
      Self.keepLargest(&unrecognised, record, record.evidence.ref, &packed)
    }
  }

  mutating func dropHead(of pattern: String?) {
    if let pattern {
      Self.dropHead(&byPattern[pattern, default: Ends()])
    } else {
      Self.dropHead(&unrecognised)
    }
  }

  mutating func merge(_ other: ReferenceLogSample) {
    for (id, theirs) in other.byPattern {
      Self.merge(theirs, into: &byPattern[id, default: Ends()])
    }
    Self.merge(other.unrecognised, into: &unrecognised)
  }

  /// What `LogSample.heldEnds` gives of the sample.
  var heldEnds: [String?: LogSample.HeldEnds] {
    func held(_ e: Ends) -> LogSample.HeldEnds {
      LogSample.HeldEnds(
        head: e.head, headRefs: e.headRefs, tail: e.tail, tailRefs: e.tailRefs, tailStart: e.tailStart, seen: e.seen,
        headDropped: e.headDropped, tailDropped: e.tailDropped)
    }
    var all: [String?: LogSample.HeldEnds] = [nil: held(unrecognised)]
    for (id, ends) in byPattern { all[id] = held(ends) }
    return all
  }

  /// Everything kept, in source order (`LogSample.inSourceOrder`).
  func packedRecords() -> [PackedLog] {
    var all: [PackedLog] = []
    for ends in [unrecognised] + Array(byPattern.values) { all += ends.head + ends.kept }
    return LogSample.inSourceOrder(all)
  }

  struct Ends {
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

  static func keep<C: ReferenceCandidate>(_ record: borrowing C, in ends: inout Ends, counting: Bool = true) {
    if counting { ends.seen += 1 }
    let ref = record.rRef
    var packed = record.rAlreadyPacked
    if !ends.headDropped { keepSmallest(&ends, record, ref, &packed) }
    keepLargest(&ends, record, ref, &packed)
  }

  static func keep(_ record: borrowing LogRecord, in ends: inout Ends, filling bound: SourceRef) -> Bool {
    ends.seen += 1
    let ref = record.rRef
    var packed: PackedLog?
    let entered = !ends.headDropped && keepSmallest(&ends, record, ref, &packed)
    if !ends.tailDropped || !LogSample.isBefore(ref, bound) { keepLargest(&ends, record, ref, &packed) }
    // The head is sorted: its last record is its largest.
    return entered && ends.headRefs.count == keep && ends.headRefs[keep - 1] < bound
  }

  static func dropTail(_ ends: inout Ends, before bound: SourceRef) {
    ends.tailDropped = true
    var tail: [PackedLog] = []
    var refs: [SourceRef] = []
    for (p, ref) in zip(ends.kept, ends.keptRefs) where !LogSample.isBefore(ref, bound) {
      tail.append(p)
      refs.append(ref)
    }
    ends.tail = tail
    ends.tailRefs = refs
    ends.tailStart = 0
  }

  static func dropHead(_ ends: inout Ends) {
    ends.headDropped = true
    ends.head = []
    ends.headRefs = []
  }

  static func merge(_ theirs: Ends, into mine: inout Ends) {
    for p in theirs.head { keep(p, in: &mine, counting: false) }
    for p in theirs.kept { keep(p, in: &mine, counting: false) }
    mine.seen += theirs.seen
  }

  static func precedes<C: ReferenceCandidate>(
    _ r: borrowing C, _ ref: SourceRef, _ list: [PackedLog], _ refs: [SourceRef], _ i: Int
  ) -> Bool {
    if !LogSample.sameRef(ref, refs[i]) { return ref < refs[i] }
    return r.rLineText < list[i].lineText
  }

  /// `order(list[i], r)`, where `ref` is `r`'s line and `refs[i]` is `list[i]`'s.
  static func follows<C: ReferenceCandidate>(
    _ r: borrowing C, _ ref: SourceRef, _ list: [PackedLog], _ refs: [SourceRef], _ i: Int
  ) -> Bool {
    if !LogSample.sameRef(ref, refs[i]) { return refs[i] < ref }
    return list[i].lineText < r.rLineText
  }

  /// `list[i]` is `r`.
  static func isKept<C: ReferenceCandidate>(
    _ r: borrowing C, _ ref: SourceRef, _ list: [PackedLog], _ refs: [SourceRef], _ i: Int
  ) -> Bool {
    guard LogSample.sameRef(refs[i], ref) else { return false }
    return r.rIsRecord(of: list[i])
  }

  /// `r` packed, once.
  static func packed<C: ReferenceCandidate>(_ r: borrowing C, _ packed: inout PackedLog?) -> PackedLog {
    if let packed { return packed }
    let p = r.rPacked()
    packed = p
    return p
  }

  /// Keeps `r` in `ends.head` if it is among the `keep` smallest; whether it did.
  @discardableResult
  static func keepSmallest<C: ReferenceCandidate>(
    _ ends: inout Ends, _ r: borrowing C, _ ref: SourceRef, _ p: inout PackedLog?
  ) -> Bool {
    let count = ends.headRefs.count
    // Records mostly arrive in source order: once the head is full, a later one is out at once.
    if count == keep, !precedes(r, ref, ends.head, ends.headRefs, count - 1) { return false }
    for i in 0..<count where isKept(r, ref, ends.head, ends.headRefs, i) { return false }
    // Before the first record greater than `r` (the list is sorted: those are a suffix).
    var at = count
    while at > 0, precedes(r, ref, ends.head, ends.headRefs, at - 1) { at -= 1 }
    // The largest out first when full (`r` goes before it), so the arrays never grow past `keep`:
    // reserved at `keep`, not doubled to 16 (a kept record is a few hundred bytes, in every pod).
    if count == keep {
      ends.head.removeLast()
      ends.headRefs.removeLast()
    } else if count == 0 {
      ends.head.reserveCapacity(keep)
      ends.headRefs.reserveCapacity(keep)
    }
    ends.head.insert(packed(r, &p), at: at)
    ends.headRefs.insert(ref, at: at)
    return true
  }

  /// Keeps `r` in `ends.tail` if it is among the `keep` largest.
  static func keepLargest<C: ReferenceCandidate>(
    _ ends: inout Ends, _ r: borrowing C, _ ref: SourceRef, _ p: inout PackedLog?
  ) {
    let count = ends.tailRefs.count
    let start = ends.tailStart
    if count == keep, !follows(r, ref, ends.tail, ends.tailRefs, start) { return }
    if count > 0 {
      let last = start == 0 ? count - 1 : start - 1
      if !LogSample.sameRef(ends.tailRefs[last], ref), ends.tailRefs[last] < ref {
        // The common case, a record after every kept one and on another line than the last (so on
        // another line than all of them): it replaces the smallest, or joins a tail not yet full.
        if count < keep {
          if count == 0 {
            ends.tail.reserveCapacity(keep)
            ends.tailRefs.reserveCapacity(keep)
          }
          ends.tail.append(packed(r, &p))
          ends.tailRefs.append(ref)
        } else {
          // The smallest out: its buffer takes `r` in place (`PackedLog.repack`), unless `r` was
          // packed for the head already. That packing is moved out (`take`), not bound with
          // `if let`, which made an outlined copy of the optional on every line (1.8M
          // instructions on the steady-state slice; docs/architecture.md "Speed of the
          // kubelet-log path"); `p` is not read again.
          if let packed = p.take() { ends.tail[start] = packed } else { r.rRepack(into: &ends.tail[start]) }
          ends.tailRefs[start] = ref
          ends.tailStart = start + 1 == count ? 0 : start + 1
        }
        return
      }
    }
    // Out of order: the ring straightened, then the sorted insertion.
    if start != 0 {
      ends.tail = ends.kept
      ends.tailRefs = ends.keptRefs
      ends.tailStart = 0
    }
    for i in 0..<count where isKept(r, ref, ends.tail, ends.tailRefs, i) { return }
    // Before the first record greater than `r`, and the smallest out when the tail is full.
    var at = count
    while at > 0, precedes(r, ref, ends.tail, ends.tailRefs, at - 1) { at -= 1 }
    if count == keep {
      // The smallest out first (`r` goes after it: it was checked above), then `r` one place down.
      ends.tail.removeFirst()
      ends.tailRefs.removeFirst()
      at -= 1
    } else if count == 0 {
      ends.tail.reserveCapacity(keep)
      ends.tailRefs.reserveCapacity(keep)
    }
    ends.tail.insert(packed(r, &p), at: at)
    ends.tailRefs.insert(ref, at: at)
  }
}

protocol ReferenceCandidate {
  var rRef: SourceRef { get }
  var rLineText: String { get }
  var rAlreadyPacked: PackedLog? { get }
  func rIsRecord(of p: PackedLog) -> Bool
  func rPacked() -> PackedLog
  func rRepack(into slot: inout PackedLog)
}

extension LogRecord: ReferenceCandidate {
  var rRef: SourceRef { evidence.ref }
  var rLineText: String { evidence.text }
  var rAlreadyPacked: PackedLog? { nil }
  func rIsRecord(of p: PackedLog) -> Bool { p.record == self }
  func rPacked() -> PackedLog { PackedLog(self) }
  func rRepack(into slot: inout PackedLog) { slot.repack(self) }
}

extension PackedLog: ReferenceCandidate {
  var rRef: SourceRef { ref }
  var rLineText: String { lineText }
  var rAlreadyPacked: PackedLog? { self }
  func rIsRecord(of p: PackedLog) -> Bool { p == self || p.record == record }
  func rPacked() -> PackedLog { self }
  func rRepack(into slot: inout PackedLog) { slot = self }
}
