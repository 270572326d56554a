import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

struct LogSampleTests {
  static func record(_ line: Int, pattern: String? = nil) -> LogRecord {
    var r = LogRecord(origin: .kubelet, message: "line \(line)", evidence: Fixture.evidence("kubelet.log", line)[0])
    r.patternID = pattern
    return r
  }

  @Test func keepsRecognisedRecordsAndTheEndsOfTheRest() {
    var sample = LogSample()
    for line in (1...1000).reversed() { sample.insert(Self.record(line, pattern: line == 500 ? "probe" : nil)) }
    let lines = sample.records.map(\.evidence.ref.line)
    #expect(lines.count == 2 * LogSample.keep + 1)
    #expect(lines.first == 1 && lines.last == 1000)
    #expect(lines.contains(500))
    #expect(lines == lines.sorted())
  }

  /// In any arrival order, with repeats, the sample is the first and last `keep` distinct lines of
  /// each pattern and of the unrecognised ones: what the ring of the tail must not change.
  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func keepsTheEndsOfEveryPatternInAnyOrder(seed: UInt64) {
    var state = seed
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let patterns: [String?] = [nil, "a", "b"]
    let lines = 400
    func pattern(of line: Int) -> String? { patterns[line % patterns.count] }
    // Mostly in source order (as a log arrives), with lines moved back and lines given twice.
    var order = Array(1...lines)
    for _ in 0..<(lines / 4) { order.swapAt(next(lines), next(lines)) }
    order += (0..<(lines / 10)).map { _ in 1 + next(lines) }
    var sample = LogSample()
    for line in order { sample.insert(Self.record(line, pattern: pattern(of: line))) }
    var expected: Set<Int> = []
    for p in patterns {
      let own = (1...lines).filter { pattern(of: $0) == p }
      expected.formUnion(own.prefix(LogSample.keep))
      expected.formUnion(own.suffix(LogSample.keep))
    }
    #expect(sample.records.map(\.evidence.ref.line) == expected.sorted())
  }

  /// The sample (first records packed, last ones kept as records until read) gives exactly what
  /// its definition says, record for record and byte for byte: per pattern, the first and last
  /// `keep` distinct records in `order`, each once, sorted. Random records of several sources,
  /// two texts per line (a line given twice as pasted differently), full fields, in a mostly
  /// source order with lines moved back and given twice, seeded.
  @Test(arguments: 0..<40)
  func givesTheFirstAndLastRecordsOfEveryPattern(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let patterns: [String?] = [nil, "kubelet.probe-failed", "kubelet.pleg-event"]
    let lines = Int.random(in: 1...300, using: &rng)
    // One record per line and text, a function of both: `order` is total on them, as on a run's.
    func record(_ source: Int, _ line: Int, _ variant: Int) -> LogRecord {
      let body = "\"Probe failed\" pod=\"shop/web-\(line % 7)\" n=\(line)" + (variant == 0 ? "" : " é\u{301}")
      let text = "I1127 00:00:\(line % 60).000001    4187 prober.go:107] " + body
      var r = LogRecord(
        origin: .kubelet, message: "Probe failed \(line % 5)",
        evidence: Evidence(ref: SourceRef(source: "kubelet-\(source).log", line: line), text: text))
      r.text = body
      r.severity = "I"
      r.fields = [KeyValue("pod", "shop/web-\(line % 7)"), KeyValue("n", "\(line)")]
      r.patternID = patterns[(line * 7 + variant) % patterns.count]
      r.captures = r.patternID == nil ? [] : [KeyValue("probe", "Liveness"), KeyValue("output", "x\(line % 3)")]
      r.namespace = "shop"
      r.pod = "web-\(line % 7)"
      r.container = line % 2 == 0 ? "worker" : nil
      r.time = TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000 + Double(line)))
      return r
    }
    var all: [LogRecord] = []
    for source in 0..<Int.random(in: 1...2, using: &rng) {
      for line in 1...lines {
        all.append(record(source, line, 0))
        if Int.random(in: 0..<6, using: &rng) == 0 { all.append(record(source, line, 1)) }
      }
    }
    var arrival = all
    for _ in 0..<(all.count / 5) {
      arrival.swapAt(Int.random(in: 0..<all.count, using: &rng), Int.random(in: 0..<all.count, using: &rng))
    }
    arrival += (0..<(all.count / 8)).map { _ in all[Int.random(in: 0..<all.count, using: &rng)] }
    var sample = LogSample()
    for r in arrival { sample.insert(r) }
    var expected: [LogRecord] = []
    for p in patterns {
      let own = all.filter { $0.patternID == p }.sorted(by: LogSample.order)
      expected += own.prefix(LogSample.keep)
      expected += own.suffix(LogSample.keep).filter { r in !own.prefix(LogSample.keep).contains(r) }
    }
    expected.sort(by: LogSample.order)
    let got = sample.records
    #expect(got == expected)
    #expect(got.map { Array($0.evidence.text.utf8) } == expected.map { Array($0.evidence.text.utf8) })
    #expect(got.map { Array($0.text.utf8) } == expected.map { Array($0.text.utf8) })
    #expect(sample.counts == Dictionary(grouping: arrival.compactMap(\.patternID), by: { $0 }).mapValues(\.count))
  }

  @Test func duplicatesAreKeptOnce() {
    var sample = LogSample()
    sample.insert(Self.record(1))
    sample.insert(Self.record(1))
    #expect(sample.records.count == 1)
  }
}

/// A kept record is packed (`PackedLog`) and read back equal, whatever its strings hold, and two
/// records pack equal exactly when they are equal.
struct PackedLogTests {
  static func records() -> [LogRecord] {
    let line = #"I1127 00:00:00.005030    4187 prober.go:107] "Probe failed" probeType="Liveness" pod="prod/app-1""#
    var klog = LogRecord(origin: .kubelet, message: "Probe failed", evidence: Fixture.evidence("k.log", 3)[0])
    klog.evidence.text = line
    klog.text = String(line.split(separator: "] ", maxSplits: 1)[1])
    klog.severity = "I"
    klog.fields = [KeyValue("probeType", "Liveness"), KeyValue("pod", "prod/app-1"), KeyValue("", "")]
    klog.patternID = "kubelet.probe-failed"
    klog.captures = [KeyValue("probe", "Liveness"), KeyValue("output", String(repeating: "é🙂", count: 90))]
    klog.namespace = "prod"
    klog.pod = "app-1"
    klog.container = "worker"
    klog.node = "node-1"
    klog.time = TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000.123456))
    klog.pastedAt = SourceRef(source: "k.log", line: 1)
    klog.restartNumber = 3
    klog.previousRun = true
    // Text that is not the end of the line, a message that is not the text, empty strings.
    var other = LogRecord(origin: .container, message: "", evidence: Fixture.evidence("c.log", 9)[0])
    other.text = "not the line's end"
    var empty = LogRecord(origin: .node, message: "m", evidence: Fixture.evidence("n.log", 1)[0])
    empty.evidence.text = ""
    empty.text = ""
    empty.severity = ""
    // Message equal to the text and the end of the line; a line of combining marks.
    var same = LogRecord(origin: .other, message: "e\u{301} end", evidence: Fixture.evidence("o.log", 2)[0])
    same.evidence.text = "x e\u{301} end"
    var composed = same
    composed.message = "\u{e9} end"
    composed.text = "\u{e9} end"
    return [klog, other, empty, same, composed, LogSampleTests.record(7, pattern: "p")]
  }

  @Test func readsBackWhatWasPacked() {
    for r in Self.records() {
      let back = PackedLog(r).record
      #expect(back == r)
      // Byte for byte too: equal strings may differ in their bytes (é composed or not).
      #expect(Array(back.text.utf8) == Array(r.text.utf8))
      #expect(Array(back.message.utf8) == Array(r.message.utf8))
      #expect(Array(back.evidence.text.utf8) == Array(r.evidence.text.utf8))
      #expect(PackedLog(r).lineText == r.evidence.text)
    }
  }

  @Test func packsEqualOnlyWhenEqual() {
    let all = Self.records()
    for (i, a) in all.enumerated() {
      for (j, b) in all.enumerated() where i != j {
        if PackedLog(a) == PackedLog(b) { #expect(a == b) }
      }
      var changed = a
      changed.fields.append(KeyValue("k", "v"))
      #expect(PackedLog(changed) != PackedLog(a))
      #expect(PackedLog(a) == PackedLog(a))
    }
  }

  /// Records read back sharing their strings are the records, byte for byte; strings are shared
  /// only when their bytes are the same (`é` composed and decomposed stay apart).
  @Test func sharedStringsChangeNoByte() {
    var strings = SharedStrings()
    let all = Self.records() + Self.records()
    for r in all {
      let back = PackedLog(r).record(sharing: &strings)
      #expect(back == r)
      #expect(back.captures.map { Array($0.value.utf8) } == r.captures.map { Array($0.value.utf8) })
      #expect(Array(back.message.utf8) == Array(r.message.utf8))
    }
    let composed = "caf\u{e9} is longer than fifteen bytes"
    let decomposed = "cafe\u{301} is longer than fifteen bytes"
    #expect(composed == decomposed)
    #expect(Array(strings.shared(composed).utf8) == Array(composed.utf8))
    #expect(Array(strings.shared(decomposed).utf8) == Array(decomposed.utf8))
    #expect(Array(strings.shared(String(decomposed)).utf8) == Array(decomposed.utf8))
    #expect(strings.shared("short") == "short")
  }

  /// Packing a record in place of another (`repack`, the ring of a sample's last records) gives
  /// what packing it anew gives, whether the buffer grows, shrinks or is shared with a copy,
  /// which keeps what it held. Seeded random sequences of the records above and longer ones.
  @Test(arguments: 0..<10)
  func repackingInPlaceIsPackingAnew(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var all = Self.records()
    for n in [0, 1, 40, 300, 3_000] {
      var r = LogSampleTests.record(n, pattern: n % 2 == 0 ? "p" : nil)
      r.evidence.text = String(repeating: "x", count: n) + " tail"
      r.text = "tail"
      r.fields = (0..<(n % 7)).map { KeyValue("k\($0)", String(repeating: "v", count: n / 3)) }
      all.append(r)
    }
    var packed = PackedLog(all[0])
    for _ in 0..<200 {
      let r = all[Int.random(in: 0..<all.count, using: &rng)]
      let before = packed
      let beforeRecord = before.record
      packed.repack(r)
      #expect(packed == PackedLog(r))
      #expect(packed.record == r)
      #expect(Array(packed.record.evidence.text.utf8) == Array(r.evidence.text.utf8))
      // The copy taken before is unchanged.
      #expect(before.record == beforeRecord)
    }
  }

  /// Strings the line holds are written as where they lie in it (`Form.slice`): records whose
  /// fields, captures, message and pod's name are pieces of the line, escaped so the line holds
  /// them differently, repeated, overlapping, cut inside a multi-byte character or absent, read
  /// back byte for byte, and pack equal exactly when their bytes are equal. SplitMix64.
  @Test(arguments: 0..<20)
  func stringsTheLineHoldsReadBackByteForByte(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let words = ["pod", "prod/app-1", "Liveness", "é🙂x", "e\u{301}", "\"q\"", "a=b", "", "web", "containerName"]
    func word() -> String { words[Int.random(in: 0..<words.count, using: &rng)] }
    func piece(of line: String) -> String {
      let bytes = Array(line.utf8)
      guard !bytes.isEmpty else { return word() }
      let from = Int.random(in: 0..<bytes.count, using: &rng)
      let to = Int.random(in: from...min(bytes.count, from + 40), using: &rng)
      // Any bytes of the line, a broken character included (decoded with repairs, as a parser's
      // bytes would be), else a word the line may not hold.
      return Bool.random(using: &rng) ? String(decoding: bytes[from..<to], as: UTF8.self) : word()
    }
    var packedOf: [[UInt8]: PackedLog] = [:]
    for n in 0..<200 {
      let pairs = (0..<Int.random(in: 0...6, using: &rng)).map { _ in (word(), word() + word()) }
      let body = #""Probe failed" "# + pairs.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: " ")
      var r = LogSampleTests.record(n % 17, pattern: n % 3 == 0 ? nil : "p")
      r.evidence.text = "I1127 00:00:00.005030    4187 prober.go:107] " + body
      r.text = Bool.random(using: &rng) ? body : piece(of: body)
      r.fields = pairs.map { KeyValue($0.0, Bool.random(using: &rng) ? $0.1 : piece(of: body)) }
      r.message = Bool.random(using: &rng) ? r.text : piece(of: r.evidence.text)
      r.captures = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
        KeyValue(piece(of: r.evidence.text), piece(of: r.evidence.text))
      }
      r.namespace = Bool.random(using: &rng) ? nil : piece(of: body)
      r.pod = piece(of: r.evidence.text)
      r.container = Bool.random(using: &rng) ? nil : word()
      r.node = Bool.random(using: &rng) ? nil : piece(of: body)
      r.severity = Bool.random(using: &rng) ? "I" : piece(of: body)
      let packed = PackedLog(r)
      let back = packed.record
      #expect(back == r)
      #expect(utf8(back) == utf8(r))
      var strings = SharedStrings()
      #expect(utf8(packed.record(sharing: &strings)) == utf8(r))
      var again = PackedLog(LogSampleTests.record(1))
      again.repack(r)
      #expect(again == packed)
      // Equal bytes pack equal; different bytes pack different.
      let key = utf8(r).flatMap { $0 }
      if let seen = packedOf[key] { #expect(seen == packed) }
      for (other, p) in packedOf where other != key { #expect(p != packed) }
      packedOf[key] = packed
    }
  }

  /// Every string of `r` as bytes, in one order, with its presence and its length.
  private func utf8(_ r: LogRecord) -> [[UInt8]] {
    var all: [String?] = [r.evidence.text, r.text, r.message, r.severity, r.node, r.namespace, r.pod, r.container]
    for kv in r.fields + [KeyValue("-", "-")] + r.captures { all += [kv.key, kv.value] }
    return all.map { s in s.map { [1, UInt8(truncatingIfNeeded: $0.utf8.count)] + Array($0.utf8) } ?? [0] }
      + [[UInt8(r.fields.count), UInt8(r.evidence.ref.line)]] + [Array((r.patternID ?? "").utf8)]
  }

  /// Every stored property of `LogRecord` is packed: a new one must be added to `PackedLog`.
  @Test func packsEveryProperty() {
    #expect(Mirror(reflecting: Self.records()[0]).children.count == 16)
  }
}
