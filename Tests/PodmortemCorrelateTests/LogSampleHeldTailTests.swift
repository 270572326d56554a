import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// A record entering a tail alone is held as it came and packed only if it is still in the tail
/// when the tail is read (`LogSample.insert(_:holding:)`, `LogSample.Ends.held`; docs/architecture.md
/// "Memory of the kubelet-log run"). The reference is the sample that packs every record on
/// entry: `ReferenceLogSample` (`LogSampleKeepTests`), and `LogSample` given no budget, which is
/// that code. After every few steps of seeded sequences (records in source order and mostly so,
/// lines moved back and given twice, halves publishing filled heads, tails dropped and restored,
/// heads dropped, samples merged and mapped) every end holds the same records byte for byte, the
/// same lines, the ring at the same start, the same counts and flags, whatever the budget; the
/// budget is never overdrawn, and what it lent is what the sample holds. Whole correlators, the
/// halves of a split file used and refused, and a follow session's repeated `finish()`, against
/// the same correlators holding nothing.
@Suite struct LogSampleHeldTailTests {
  static let budgets = [0, 1, 3, 7, 25, 100_000]

  /// Records on a few lines' worth of patterns, in source order: every tail's ring turns.
  static func inOrder(_ rng: inout SplitMix64, sources: [String], lines: Int) -> [LogRecord] {
    LogSampleKeepTests.records(&rng, sources: sources, lines: lines)
  }

  /// Both samples hold the same ends, and `budget` lent exactly what `sample` holds.
  static func expectSame(
    _ sample: LogSample, _ reference: ReferenceLogSample, budget: Int, from initial: Int, _ note: String
  ) {
    LogSampleKeepTests.expectSame(sample, reference, note)
    #expect(budget >= 0, "\(note)")
    #expect(initial - budget == sample.heldUnpacked, "\(note)")
  }

  @Test(arguments: 0..<24)
  func heldTailsReadAsTheReferenceKeptThem(seed: UInt64) {
    var rng = SplitMix64(seed: 41_000 + seed)
    let sources = LogSampleKeepTests.sources[Int(seed) % LogSampleKeepTests.sources.count]
    let all = Self.inOrder(&rng, sources: sources, lines: 1 + rng.below(200))
    let order = seed % 2 == 0 ? all : LogSampleKeepTests.arrival(all, &rng)
    for initial in Self.budgets {
      var budget = initial
      var sample = LogSample()
      var unheld = LogSample()
      var none = 0
      var reference = ReferenceLogSample()
      for (n, r) in order.enumerated() {
        sample.insert(r, holding: &budget)
        unheld.insert(r, holding: &none)
        reference.insert(r)
        if n % 7 == 0 {
          Self.expectSame(sample, reference, budget: budget, from: initial, "seed \(seed) budget \(initial) step \(n)")
        }
      }
      Self.expectSame(sample, reference, budget: budget, from: initial, "seed \(seed) budget \(initial)")
      #expect(unheld.heldUnpacked == 0)
      // Two equal lines of two patterns come in the patterns' dictionary order, which differs
      // between two dictionaries (`LogSampleKeepTests.expectSame`): compared as sorted encodings.
      func encodings(_ s: LogSample) -> [[UInt8]] {
        s.packedRecords().map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) }
      }
      #expect(encodings(sample) == encodings(unheld))
      #expect(sample.records.count == unheld.records.count)
      #expect(sample.counts == unheld.counts)
      // Mapped and merged, the held records read as the packed ones.
      let change: (inout LogRecord) -> Void = { $0.node = ($0.node ?? "") + "\u{212A}" }
      #expect(encodings(sample.mapped(change)) == encodings(unheld.mapped(change)))
      var merged = LogSample()
      var mergedReference = ReferenceLogSample()
      merged.insert(order[0], holding: &budget)
      mergedReference.insert(order[0])
      merged.merge(sample)
      mergedReference.merge(reference)
      LogSampleKeepTests.expectSame(merged, mergedReference, "seed \(seed) budget \(initial) merged")
    }
  }

  /// In source order with a budget, records are held: the comparisons above are not vacuous.
  @Test func recordsInSourceOrderAreHeldWithinTheBudget() {
    var rng = SplitMix64(seed: 41_999)
    // One record a line, four patterns in turn, no line given twice: every ring turns in order.
    let patterns: [String?] = [nil, "a", "b", "\u{212A}"]
    let all = (1...300).map { line in
      var r = Self.holdable(PackedEncodingTests.hostileRecord(&rng, lineSizes: [0, 40, 250]))
      r.evidence.ref = SourceRef(source: "kubelet.log", line: line)
      r.patternID = patterns[line % 4]
      return r
    }
    for initial in [1, 5, 40, 100_000] {
      var budget = initial
      var sample = LogSample()
      var most = 0
      for r in all {
        sample.insert(r, holding: &budget)
        most = max(most, sample.heldUnpacked)
      }
      #expect(most == min(initial, 4 * LogSample.keep))
      #expect(sample.heldUnpacked == initial - budget)
    }
  }

  /// `r` as a tail may hold it: a kubelet record of at least `LogSample.holdFields` fields (hostile
  /// ones added where it has fewer).
  static func holdable(_ r: LogRecord) -> LogRecord {
    var r = r
    r.origin = .kubelet
    let extra = ["\u{212A}", "\u{130}", "e\u{301}", "\u{0}", "\r", "\t", ""]
    while r.fields.count < LogSample.holdFields {
      r.fields.append(KeyValue(extra[r.fields.count % extra.count], String(repeating: "v", count: r.fields.count * 40)))
    }
    return r
  }

  /// Only a kubelet record of at least `LogSample.holdFields` fields is held: a container's, a
  /// node's or another source's record, and a kubelet record of fewer fields, are packed on entry
  /// as before, whatever the budget; and a held slot such a record takes is packed and its budget
  /// given back.
  @Test func onlyKubeletRecordsOfManyFieldsAreHeld() {
    var rng = SplitMix64(seed: 41_777)
    let origins: [LogRecord.Origin] = [.container, .node, .other, .kubelet]
    for kind in 0..<5 {
      let all = (1...200).map { line in
        var r = PackedEncodingTests.hostileRecord(&rng, lineSizes: [0, 40, 250])
        r.evidence.ref = SourceRef(source: "kubelet.log", line: line)
        r.patternID = "a"
        if kind < 4 {
          r.origin = origins[kind]
          r.fields = Array(r.fields.prefix(kind == 3 ? LogSample.holdFields - 1 : 12))
          while kind < 3 && r.fields.count < LogSample.holdFields { r.fields.append(KeyValue("k", "v")) }
        } else if line > 100 {
          // Held records first, then records that may not be held take their slots.
          r.origin = .container
        } else {
          r = Self.holdable(r)
        }
        return r
      }
      var budget = 100_000
      var sample = LogSample()
      var reference = ReferenceLogSample()
      for (n, r) in all.enumerated() {
        sample.insert(r, holding: &budget)
        reference.insert(r)
        if kind < 4 { #expect(sample.heldUnpacked == 0, "kind \(kind) step \(n)") }
        if kind == 4, n == 99 { #expect(sample.heldUnpacked == LogSample.keep) }
      }
      #expect(sample.heldUnpacked == 0)
      Self.expectSame(sample, reference, budget: budget, from: 100_000, "kind \(kind)")
    }
  }

  /// The first half of a split file (`insert(_:filling:holding:)`, `dropTail`, `restoreTail`) and
  /// the second (`dropHead`, `insertFillingTail(_:holding:)`), and the two merged.
  @Test(arguments: 0..<24)
  func splitHalvesHoldAsTheReferenceKept(seed: UInt64) {
    var rng = SplitMix64(seed: 42_000 + seed)
    let sources = LogSampleKeepTests.sources[Int(seed) % LogSampleKeepTests.sources.count]
    let all = Self.inOrder(&rng, sources: sources, lines: 1 + rng.below(160))
    let order = seed % 2 == 0 ? all : LogSampleKeepTests.arrival(all, &rng)
    let bound = SourceRef(source: sources[0], line: 1 + rng.below(120))
    let patterns: [String?] = [nil, "kubelet.probe-failed", "kubelet.pleg-event", "p\u{212A}", "absent"]
    let initial = Self.budgets[Int(seed) % Self.budgets.count]
    var firstBudget = initial
    var secondBudget = initial
    var first = LogSample()
    var firstReference = ReferenceLogSample()
    var second = LogSample()
    var secondReference = ReferenceLogSample()
    for (n, r) in order.enumerated() {
      switch rng.below(14) {
      case 0:
        let pattern = patterns[rng.below(patterns.count)]
        #expect(
          first.dropTail(of: pattern, before: bound, holding: &firstBudget)
            == firstReference.dropTail(of: pattern, before: bound))
      case 1:
        first.restoreTail(r)
        firstReference.restoreTail(r)
      case 2:
        let pattern = patterns[rng.below(patterns.count)]
        second.dropHead(of: pattern)
        secondReference.dropHead(of: pattern)
      case 3, 4, 5:
        #expect(second.insertFillingTail(r, holding: &secondBudget) == secondReference.insertFillingTail(r))
      case 6, 7:
        second.insert(r, holding: &secondBudget)
        secondReference.insert(r)
      default:
        #expect(first.insert(r, filling: bound, holding: &firstBudget) == firstReference.insert(r, filling: bound))
      }
      if n % 5 == 0 {
        LogSampleKeepTests.expectSame(first, firstReference, "seed \(seed) step \(n)")
        LogSampleKeepTests.expectSame(second, secondReference, "seed \(seed) step \(n)")
        // `restoreTail` packs what it meets out of order without giving back (the budget only
        // ever errs on the side of holding less).
        #expect(firstBudget >= 0 && initial - firstBudget >= first.heldUnpacked)
        #expect(secondBudget >= 0 && initial - secondBudget == second.heldUnpacked)
      }
    }
    LogSampleKeepTests.expectSame(first, firstReference, "seed \(seed)")
    LogSampleKeepTests.expectSame(second, secondReference, "seed \(seed)")
    first.merge(second)
    firstReference.merge(secondReference)
    LogSampleKeepTests.expectSame(first, firstReference, "seed \(seed) merged")
  }

  /// Hostile records of the repository's samples and seeded ones in one sample, in source order.
  @Test func theSamplesRecordsHeldReadAsPacked() {
    var rng = SplitMix64(seed: 43_000)
    var all = PackedEncodingTests.sampleRecords
    for i in 0..<400 {
      var r = PackedEncodingTests.hostileRecord(&rng, lineSizes: [0, 1, 40, 250, 600, 3_000])
      r.evidence.ref = SourceRef(source: "hostile.log", line: i + 1)
      r.patternID = [nil, "a", "b", "\u{212A}"][rng.below(4)]
      all.append(i % 2 == 0 ? Self.holdable(r) : r)
    }
    for initial in [1, 16, 100_000] {
      var budget = initial
      var sample = LogSample()
      var reference = ReferenceLogSample()
      for r in all {
        sample.insert(r, holding: &budget)
        reference.insert(r)
      }
      #expect(sample.heldUnpacked > 0)
      Self.expectSame(sample, reference, budget: budget, from: initial, "budget \(initial)")
    }
  }

  /// A held record whose text is its line's end holds the line alone and makes the text again
  /// from it: the record, its text's bytes and its packing are the record's own, on the samples'
  /// records and on seeded hostile ones whose text is set to every end of the line (a Kelvin sign,
  /// a dotted capital I, a combining accent, NUL, CR, tab in them), the whole line, nothing, and
  /// texts that are not its end.
  @Test func aHeldRecordIsTheRecordItHolds() {
    var rng = SplitMix64(seed: 44_000)
    var all = PackedEncodingTests.sampleRecords
    for _ in 0..<300 {
      var r = PackedEncodingTests.hostileRecord(&rng, lineSizes: [0, 1, 7, 60, 250, 700])
      r.evidence.text += ["", "\u{212A}", "\u{130}", "e\u{301}", "\u{0}", "\r", "\t", "x"][rng.below(8)]
      let line = Array(r.evidence.text.unicodeScalars)
      let cut = rng.below(line.count + 1)
      switch rng.below(4) {
      case 0: r.text = String(String.UnicodeScalarView(line[cut...]))
      case 1: r.text = r.evidence.text
      case 2: r.text = ""
      default: break
      }
      all.append(r)
    }
    var shrunk = 0
    for r in all {
      let h = LogSample.Held(r)
      if h.textEnd >= 0 {
        shrunk += 1
        #expect(h.record.text.isEmpty)
      }
      #expect(h.whole == r)
      #expect(Array(h.whole.text.utf8) == Array(r.text.utf8))
      #expect(Array(h.whole.evidence.text.utf8) == Array(r.evidence.text.utf8))
      #expect(h.packed.bytes == PackedLog(r).bytes)
      #expect(h.packed == PackedLog(r))
    }
    #expect(shrunk >= 150)
    #expect(shrunk < all.count)
  }

  /// Correlators, whose samples hold from the run's budget (`LogSample.tailHolds`, shared by every
  /// test running at once, so how much they hold varies), against the same records given to each
  /// subject's `ReferenceLogSample`, which packs every record on entry: every sample's kept
  /// records byte for byte, their records and counts; and a whole correlator against the two
  /// halves of a split file, used and refused (`TailFillsTests`' streams), both holding.
  @Test(arguments: 0..<40)
  func correlatorsHoldingReadAsPackingOnEntry(seed: UInt64) {
    let s = HeadFillsTests.stream(seed: seed)
    var held = Correlator()
    var reference: [String: ReferenceLogSample] = [:]
    for (n, r) in (s.earlier + s.first + s.second).enumerated() {
      held.add(.log(r))
      // The correlator's buckets (`HeadFillsTests.samples`): a pod's by namespace and name, a
      // pod's without a namespace, and the node's.
      reference[Self.bucket(r), default: ReferenceLogSample()].insert(r)
      if n % 997 == 0 { Self.expectSame(held, reference, "seed \(seed) step \(n)") }
    }
    Self.expectSame(held, reference, "seed \(seed)")
    let whole = held

    for used in [true, false] {
      var rng = SplitMix64(seed: seed &* 7_919)
      var a = Correlator()
      for r in s.earlier { a.add(.log(r)) }
      let fills = HeadFills(bound: s.bound)
      fills.reread = { offer in for r in s.first + s.second { offer(r) } }
      a.publishHeads(to: fills)
      var b = Correlator()
      b.dropHeads(publishedIn: fills)
      TailFillsTests.interleave(&a, &b, s, seed: seed, rng: &rng)
      if used {
        a.sweepTails()
        fills.partUsed = true
        a.publishHeads(to: nil)
        a.merge(b)
      } else {
        for r in s.second { a.add(.log(r)) }
        a.publishHeads(to: nil)
      }
      TailFillsTests.expectSame(a, whole, "split \(used) \(seed)")
    }
  }

  /// The bucket of `r`'s sample in a correlator (`Correlator.add`): a pasted block's when it names
  /// no pod, the node's, a pod's without a namespace, a pod's.
  static func bucket(_ r: LogRecord) -> String {
    guard let pod = r.pod else { return r.pastedAt.map { "pasted \($0)" } ?? "node" }
    guard let ns = r.namespace else { return "loose \(pod)" }
    return "pod \(ns)/\(pod)"
  }

  /// Every sample of `c` holds what the reference sample of its bucket keeps (an empty sample
  /// where there is none).
  static func expectSame(_ c: Correlator, _ reference: [String: ReferenceLogSample], _ note: String) {
    var samples: [String: LogSample] = ["node": c.nodeLogs]
    for (pod, sample) in c.looseLogs { samples["loose \(pod)"] = sample }
    for (block, sample) in c.pastedLogs { samples["pasted \(block)"] = sample }
    for (name, sample) in c.podLogs { samples["pod \(name.namespace)/\(name.name)"] = sample }
    #expect(Set(samples.keys).union(["node"]) == Set(reference.keys).union(["node"]), "\(note)")
    for (key, got) in samples {
      LogSampleKeepTests.expectSame(got, reference[key] ?? ReferenceLogSample(), "\(note) \(key)")
    }
  }
}
