import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// The first half of a file read in two keeps no tail records before the cut of a (pod, pattern)
/// whose tail the second half filled (`HeadFills`, `LogSample.dropTail`, docs/architecture.md
/// "Memory of the kubelet-log run"). The reference is what the correlators held before tails were
/// dropped, kept here: when the second half is used, the merge of two correlators that kept every
/// tail; when it is not, one correlator given the first half's records and then the records the
/// reading on gave, without any sharing. Every kept record is compared byte for byte, with the
/// counts and the finished state.
struct TailFillsTests {
  /// How the reading on after a refused part differs from the second half's records.
  enum ReadOn: CaseIterable {
    /// The same records (a kubelet log: the parser reads the lines after the cut as a fresh one).
    case same
    /// Some records left out or moved to another pattern: some tails are not refilled, and are
    /// given the first half's records again (`HeadFills.reread`).
    case fewer
    /// A record of a line before the cut given after it (a held line), and some records twice.
    case held
    /// Nothing read after the cut (the reading stopped there).
    case none
  }

  /// Every log sample of `c` by its bucket: the kept records' packed bytes, the records, the counts.
  static func samples(_ c: Correlator) -> [String: ([[UInt8]], [LogRecord], [String: Int])] {
    HeadFillsTests.samples(c)
  }

  static func heldTails(_ c: Correlator) -> Int {
    c.podLogs.values.reduce(c.nodeLogs.heldTails + c.looseLogs.values.reduce(0) { $0 + $1.heldTails }) {
      $0 + $1.heldTails
    }
  }

  /// `s.first` and `s.second` given to two sharing correlators in an order `seed` picks.
  static func interleave(
    _ a: inout Correlator, _ b: inout Correlator, _ s: HeadFillsTests.Stream, seed: UInt64,
    rng: inout SplitMix64
  ) {
    switch seed % 3 {
    case 0:
      for r in s.first { a.add(.log(r)) }
      for r in s.second { b.add(.log(r)) }
    case 1:
      for r in s.second { b.add(.log(r)) }
      for r in s.first { a.add(.log(r)) }
    default:
      var i = 0
      var j = 0
      while i < s.first.count || j < s.second.count {
        if j == s.second.count || (i < s.first.count && Bool.random(using: &rng)) {
          a.add(.log(s.first[i]))
          i += 1
        } else {
          b.add(.log(s.second[j]))
          j += 1
        }
      }
    }
  }

  static func expectSame(_ got: Correlator, _ want: Correlator, _ note: String) {
    let w = samples(want)
    let g = samples(got)
    #expect(Set(g.keys) == Set(w.keys), "\(note)")
    for (key, w) in w {
      guard let g = g[key] else { continue }
      #expect(g.0 == w.0, "\(note) \(key)")
      #expect(g.1 == w.1, "\(note) \(key)")
      #expect(g.2 == w.2, "\(note) \(key)")
    }
    #expect(Summary(got.finish()) == Summary(want.finish()), "\(note)")
  }

  /// The part used: the merged samples are the merge of two correlators that kept every tail.
  /// Returns how many tail records the first half held fewer than the reference's.
  @discardableResult
  static func checkUsed(seed: UInt64) -> Int {
    let s = HeadFillsTests.stream(seed: seed)
    var rng = SplitMix64(seed: seed &* 104_729)
    var whole = Correlator()
    for r in s.earlier + s.first { whole.add(.log(r)) }
    let wholeTails = heldTails(whole)
    var other = Correlator()
    for r in s.second { other.add(.log(r)) }
    whole.merge(other)

    var a = Correlator()
    for r in s.earlier { a.add(.log(r)) }
    let fills = HeadFills(bound: s.bound)
    a.publishHeads(to: fills)
    var b = Correlator()
    b.dropHeads(publishedIn: fills)
    interleave(&a, &b, s, seed: seed, rng: &rng)
    if Int.random(in: 0..<4, using: &rng) != 0 { b.sweepHeads() }
    // The last sweep of tails is sometimes left out (a tail published late is kept).
    if Int.random(in: 0..<4, using: &rng) != 0 { a.sweepTails() }
    let before = heldTails(a)
    fills.partUsed = Int.random(in: 0..<4, using: &rng) != 0
    a.publishHeads(to: nil)
    #expect(b.headsHeld)
    a.merge(b)
    expectSame(a, whole, "used \(seed)")
    return wholeTails - before
  }

  /// The records the reading on gives after a refused part, as `kind` says.
  static func readOn(_ s: HeadFillsTests.Stream, _ kind: ReadOn, rng: inout SplitMix64) -> [LogRecord] {
    switch kind {
    case .same: return s.second
    case .none: return []
    case .fewer:
      var out: [LogRecord] = []
      for var r in s.second {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: continue
        case 1: r.patternID = r.patternID == nil ? "rare" : nil
        default: break
        }
        out.append(r)
      }
      return out
    case .held:
      var out = s.second
      if let last = s.first.max(by: { $0.evidence.ref < $1.evidence.ref }) {
        var held = last
        held.evidence.text += " continued"
        held.text = held.evidence.text
        out.insert(held, at: min(out.count, Int.random(in: 0...3, using: &rng)))
      }
      for _ in 0..<(out.count / 30) { out.append(out[Int.random(in: 0..<out.count, using: &rng)]) }
      return out
    }
  }

  /// The part not used: the first half, having dropped tails while the second half read, reads on
  /// to the end; the result is the single reading's. Returns how many tails were given records
  /// again from the second reading.
  @discardableResult
  static func checkRefused(seed: UInt64, kind: ReadOn) -> Int {
    let s = HeadFillsTests.stream(seed: seed)
    var rng = SplitMix64(seed: seed &* 15_485_863)
    let after = readOn(s, kind, rng: &rng)
    var one = Correlator()
    for r in s.earlier + s.first + after { one.add(.log(r)) }

    var a = Correlator()
    for r in s.earlier { a.add(.log(r)) }
    let fills = HeadFills(bound: s.bound)
    // The second reading gives the file's records, as the single reading does.
    var rereads = 0
    fills.reread = { offer in
      rereads += 1
      for r in s.first + after { offer(r) }
    }
    a.publishHeads(to: fills)
    var b = Correlator()
    b.dropHeads(publishedIn: fills)
    interleave(&a, &b, s, seed: seed, rng: &rng)
    // The reading thread reaches the cut, the part is refused, and it reads on.
    for r in after { a.add(.log(r)) }
    a.publishHeads(to: nil)
    #expect(rereads <= 1)
    expectSame(a, one, "refused \(kind) \(seed)")
    return rereads
  }

  @Test(arguments: 0..<120)
  func usedPartsMergeAsIfEveryTailWereKept(seed: UInt64) {
    Self.checkUsed(seed: seed)
  }

  @Test(arguments: ReadOn.allCases, 0..<60)
  func refusedPartsReadOnAsOneReadingDoes(kind: ReadOn, seed: UInt64) {
    Self.checkRefused(seed: seed, kind: kind)
  }

  /// The comparisons above are not empty: first halves dropped tails, a reading on that gives the
  /// second half's records needs no second reading, and one that gives fewer does need it.
  @Test func firstHalvesDropTailsAndRereadOnlyWhenNeeded() {
    let dropped = (0..<30).map { Self.checkUsed(seed: UInt64($0)) }
    #expect(dropped.filter { $0 > 0 }.count >= 10)
    #expect((0..<30).allSatisfy { Self.checkRefused(seed: UInt64($0), kind: .same) == 0 })
    #expect((0..<30).filter { Self.checkRefused(seed: UInt64($0), kind: .fewer) > 0 }.count >= 5)
    #expect((0..<30).filter { Self.checkRefused(seed: UInt64($0), kind: .none) > 0 }.count >= 5)
  }

  /// A tail is published once, when its `keep`-th record arrives; the first half drops the
  /// records of its tail before the bound, keeps those of other sources, and takes no more
  /// records before the bound.
  @Test func aTailIsPublishedOnceAndDroppedBeforeTheBound() {
    func log(_ source: String, _ line: Int) -> Record {
      var r = LogRecord(
        origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: source, line: line), text: "m"))
      r.pod = "web-0"
      r.namespace = "shop"
      return .log(r)
    }
    let fills = HeadFills(bound: SourceRef(source: "node.log", line: 100))
    var b = Correlator()
    b.dropHeads(publishedIn: fills)
    for line in 100..<(100 + LogSample.keep - 1) { b.add(log("node.log", line)) }
    #expect(fills.tailCount == 0)
    b.add(log("node.log", 200))
    #expect(fills.tailCount == 1)
    for line in 300..<340 { b.add(log("node.log", line)) }
    #expect(fills.tailCount == 1)

    var a = Correlator()
    a.add(log("z.log", 1))
    a.publishHeads(to: fills)
    for line in 1..<60 { a.add(log("node.log", line)) }
    a.sweepTails()
    let name = Correlator.PodName(namespace: "shop", name: "web-0")
    #expect(a.podLogs[name]?.heldTails == 1)
    for line in 60..<99 { a.add(log("node.log", line)) }
    #expect(a.podLogs[name]?.heldTails == 1)
    fills.partUsed = true
    a.publishHeads(to: nil)
    a.merge(b)
    var want = Correlator()
    want.add(log("z.log", 1))
    for line in 1..<99 { want.add(log("node.log", line)) }
    for line in 100..<(100 + LogSample.keep - 1) { want.add(log("node.log", line)) }
    want.add(log("node.log", 200))
    for line in 300..<340 { want.add(log("node.log", line)) }
    Self.expectSame(a, want, "one pod")
  }

  /// A published tail of a bucket or pattern the first half holds no record of makes no sample
  /// there (an empty sample would be a pod of its own); it is dropped once the first half has one.
  @Test func aTailPublishedBeforeTheFirstHalfSeesItMakesNoSample() {
    func log(_ pod: String, _ line: Int, pattern: String? = nil) -> Record {
      var r = LogRecord(
        origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "node.log", line: line), text: "m"))
      r.pod = pod
      r.namespace = "shop"
      r.patternID = pattern
      return .log(r)
    }
    let fills = HeadFills(bound: SourceRef(source: "node.log", line: 5000))
    var b = Correlator()
    b.dropHeads(publishedIn: fills)
    for line in 5000..<5020 { b.add(log("late", line, pattern: "p")) }
    #expect(fills.tailCount == 1)
    var a = Correlator()
    a.publishHeads(to: fills)
    a.add(log("other", 1))
    a.sweepTails()
    #expect(a.podLogs[Correlator.PodName(namespace: "shop", name: "late")] == nil)
    for line in 2..<3000 { a.add(log(line % 2 == 0 ? "late" : "other", line, pattern: line % 4 == 0 ? "p" : nil)) }
    let late = a.podLogs[Correlator.PodName(namespace: "shop", name: "late")]
    // The pattern "p" of "late" was dropped at a sweep after its first record; its records since
    // then, before the bound, are not kept at its tail.
    #expect((late?.heldTails ?? 0) < 2 * LogSample.keep)
    fills.partUsed = true
    a.publishHeads(to: nil)
    a.merge(b)
    var want = Correlator()
    want.add(log("other", 1))
    for line in 2..<3000 { want.add(log(line % 2 == 0 ? "late" : "other", line, pattern: line % 4 == 0 ? "p" : nil)) }
    for line in 5000..<5020 { want.add(log("late", line, pattern: "p")) }
    Self.expectSame(a, want, "late")
  }
}
