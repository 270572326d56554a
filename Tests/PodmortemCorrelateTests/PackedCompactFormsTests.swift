import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemCorrelate

/// `PackedLog`'s two compact forms (docs/architecture.md "Memory of the kubelet-log run"): a
/// capture's name written as its place among the shipped names (`CaptureNameIndex`), and a klog
/// line's header written as its parts (`KlogHeaderForm`). Each must read back exactly the bytes
/// it stands for, be chosen as a function of those bytes alone (so packed equality stays record
/// equality), and fall back to the bytes whenever it cannot stand for them. The references kept
/// here are the plain ways to say the same: a linear search of the names by their bytes, and
/// the header written out with `String` pieces as klog's format string writes it.
@Suite struct PackedCompactFormsTests {
  // MARK: Capture names

  /// The names a shipped pattern's hit can carry: every group name and `sets` key, each under
  /// `event.` too, `event.pattern`, and what the ingestor adds.
  @Test func theShippedNamesCoverEveryPatternsCaptures() {
    let catalog = PatternCatalog.shipped(diagnostics: { _ in })
    var expected: Set<String> = ["event.pattern", "podUID", "containerID", "podName", "namespace"]
    for pattern in catalog.patterns {
      for name in pattern.regex.groupNames + pattern.sets.map(\.key) { expected.formUnion([name, "event." + name]) }
    }
    let names = PatternCatalog.shippedCaptureNames
    #expect(expected.count > 100)
    #expect(Set(names) == expected)
    #expect(names == names.sorted())
    #expect(Set(names).count == names.count)
    #expect(names.count <= CaptureNameIndex.most)
    #expect(names.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } && !$0.isEmpty })
    #expect(CaptureNameIndex.names == names)
  }

  /// The reference look-up: the first name with the same bytes.
  static func referenceIndex(_ names: [String], _ bytes: [UInt8]) -> Int? {
    names.firstIndex { Array($0.utf8) == bytes }
  }

  /// Every shipped name is found at its place, and a string is found only when its bytes are a
  /// name's: near misses (a byte more or less, another case, a Kelvin sign for a `K`, a dotted
  /// capital I, a combining accent, NUL, CR, a tab), empty and long strings.
  @Test(arguments: 0..<8)
  func theIndexFindsANameExactlyByItsBytes(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let names = CaptureNameIndex.names
    for (i, name) in names.enumerated() {
      #expect(Array(name.utf8).withUnsafeBufferPointer { CaptureNameIndex.shipped.index(of: $0) } == i)
      #expect(Array(CaptureNameIndex.shipped.bytes(at: i)) == Array(name.utf8))
    }
    let edits = ["", "x", "\u{212A}", "\u{130}", "\u{301}", "\u{0}", "\r", "\t", "é", "e\u{301}", ".", "event."]
    for _ in 0..<2_000 {
      var s = Array(names[rng.below(names.count)].utf8)
      switch rng.below(6) {
      case 0: s.insert(contentsOf: edits[rng.below(edits.count)].utf8, at: rng.below(s.count + 1))
      case 1: if !s.isEmpty { s.remove(at: rng.below(s.count)) }
      case 2: if !s.isEmpty { s[rng.below(s.count)] ^= 0x20 }
      case 3: s = Array(String(repeating: "k", count: rng.below(300)).utf8)
      case 4: s = Array(edits[rng.below(edits.count)].utf8)
      default: break
      }
      #expect(s.withUnsafeBufferPointer { CaptureNameIndex.shipped.index(of: $0) } == Self.referenceIndex(names, s))
    }
    // An index of other names: the same rule, a name given twice found at its first place.
    let other = ["a", "b", "a", "\u{212A}", "K", "ab", String(repeating: "z", count: 40), "b"]
    let index = CaptureNameIndex(other)
    for s in other + ["", "c", "abc", "k"] {
      let bytes = Array(s.utf8)
      #expect(bytes.withUnsafeBufferPointer { index.index(of: $0) } == Self.referenceIndex(other, bytes))
    }
  }

  /// A record whose captures are shipped names, other names (one a shipped name with a Kelvin
  /// sign, which `String` equality calls equal to its `K` but whose bytes differ), and empty:
  /// each reading is the record's own, byte for byte, and `capture(_:)` answers as the record's.
  @Test(arguments: 0..<8)
  func namedCapturesReadBackByteForByte(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let names = CaptureNameIndex.names
    let others = ["c0", "", "\u{212A}ind", "kind", "podUİD", "po\u{0}d", "pod\r", "event.podUID ", "e\u{301}vent"]
    for n in 0..<300 {
      var r = LogSampleTests.record(n % 11, pattern: "p")
      r.captures = (0..<rng.below(8)).map { _ in
        let key = rng.below(3) == 0 ? others[rng.below(others.count)] : names[rng.below(names.count)]
        return KeyValue(key, PackedEscapedTests.string(&rng, pieces: rng.below(4)))
      }
      let packed = PackedLog(r)
      PackedEscapedTests.expectReadings(packed, r)
      for key in names.prefix(20) + others {
        #expect(packed.capture(key).map { Array($0.utf8) } == r.capture(key).map { Array($0.utf8) })
      }
      #expect(packed.captures.map { Array($0.key.utf8) } == r.captures.map { Array($0.key.utf8) })
      var again = PackedLog(LogSampleTests.record(1))
      again.repack(r)
      #expect(again == packed)
    }
  }

  // MARK: The klog header

  /// The reference: klog's `%c%02d%02d %02d:%02d:%02d.%06d %7d %s:%d] ` written with `String`
  /// pieces from the parts `parse` read.
  static func referenceHeader(_ p: KlogHeaderForm.Parts, file: [UInt8]) -> [UInt8] {
    let d = String(p.digits)
    let digits = String(repeating: "0", count: max(0, 16 - d.count)) + d
    let c = Array(digits.utf8)
    var out: [UInt8] = [p.severity]
    for (run, after) in [(0..<4, " "), (4..<6, ":"), (6..<8, ":"), (8..<10, "."), (10..<16, " ")] {
      out.append(contentsOf: c[run])
      out.append(contentsOf: Array(after.utf8))
    }
    let pid = String(p.pid)
    out += Array((String(repeating: " ", count: max(0, 7 - pid.count)) + pid + " ").utf8)
    out += file + Array((":" + String(p.fileLine) + "] ").utf8)
    return out
  }

  /// A klog line as klog writes it, from random parts.
  static func klogLine(_ rng: inout SplitMix64, body: [UInt8]) -> [UInt8] {
    let severity = Array("IWEF".utf8)[rng.below(4)]
    let digits = UInt64(rng.below(10_000)) * 1_000_000_000_000 + rng.next() % 1_000_000_000_000
    let pids: [UInt64] = [0, 1, 7, 4187, 123_456, 1_234_567, 12_345_678, 999_999_999_999, rng.next() % 100_000]
    let files = ["prober.go", "kubelet.go", "reconciler_common.go", "a", "x.go", "pod_workers.go"]
    let parts = KlogHeaderForm.Parts(
      severity: severity, digits: digits, pid: pids[rng.below(pids.count)], file: 0..<0,
      fileLine: [0, 1, 107, 2408, 999_999_999][rng.below(5)], bodyStart: 0)
    return referenceHeader(parts, file: Array(files[rng.below(files.count)].utf8)) + body
  }

  /// Whether `parse` reads `line` only when the header written back is the line's, byte for byte,
  /// and `write` writes what the reference writes; and whether the packed record of that line
  /// reads its line back exactly, in the compact form exactly when `parse` answers.
  @discardableResult
  static func expectHeaderRebuilt(_ line: [UInt8]) -> Bool {
    let parts = line.withUnsafeBufferPointer { KlogHeaderForm.parse($0) }
    if let parts {
      let file = Array(line[parts.file])
      let reference = referenceHeader(parts, file: file)
      #expect(reference == Array(line[..<parts.bodyStart]))
      let count = KlogHeaderForm.count(pid: parts.pid, fileCount: file.count, fileLine: parts.fileLine)
      #expect(count == reference.count)
      let written = [UInt8](unsafeUninitializedCapacity: count) { out, n in
        guard let base = out.baseAddress else { return }
        let end = file.withUnsafeBufferPointer { f in
          KlogHeaderForm.write(
            severity: parts.severity, digits: parts.digits, pid: parts.pid, file: f, fileLine: parts.fileLine,
            into: base)
        }
        n = end - base
      }
      #expect(written == reference)
    }
    // The record of the line, decoded with repairs as a parser's would be.
    let text = String(decoding: line, as: UTF8.self)
    var r = LogSampleTests.record(3, pattern: "p")
    r.evidence.text = text
    let body = parts.map { String(decoding: line[$0.bodyStart...], as: UTF8.self) } ?? text
    r.text = body
    r.message = body
    r.fields = [KeyValue("k", String(body.prefix(5)))]
    r.captures = [KeyValue("pod", String(body.suffix(4)))]
    let packed = PackedLog(r)
    PackedEscapedTests.expectReadings(packed, r)
    #expect(Array(packed.evidence.text.utf8) == Array(text.utf8))
    #expect(Array(packed.lineText.utf8) == Array(text.utf8))
    let compact = PackedLog.encoding(r, stack: true)
    let plain = PackedLog.encoding(r, stack: true, compact: false)
    // Only a line whose bytes are valid UTF-8 is its own text; the header form then saves.
    if parts != nil, Array(text.utf8) == line { #expect(compact.count < plain.count) }
    return parts != nil
  }

  /// Lines as klog writes them, with bodies of hostile pieces (empty among them), are read and
  /// rebuilt; each line cut short at every length falls back where the header is incomplete.
  @Test(arguments: 0..<8)
  func klogHeadersAreRebuiltByteForByte(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for n in 0..<200 {
      let body = Array(PackedEscapedTests.string(&rng, pieces: rng.below(12)).utf8)
      let line = Self.klogLine(&rng, body: body)
      #expect(Self.expectHeaderRebuilt(line))
      if n % 20 == 0 {
        for cut in 0..<min(line.count, 60) {
          let answered = Self.expectHeaderRebuilt(Array(line[..<cut]))
          #expect(answered == (cut >= line.count - body.count))
        }
      }
    }
  }

  /// Headers klog would not write, or not this way: each byte of a good header replaced by a
  /// hostile one (a Kelvin sign, a dotted capital I, NUL, CR, a tab, a letter, a digit, a space),
  /// padding widened or narrowed, leading zeros, signs, a year, no microseconds, a file with a
  /// colon, a line number of ten digits. Any that `parse` still reads is rebuilt exactly.
  @Test(arguments: 0..<8)
  func hostileHeadersFallBackOrRebuildExactly(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let hostile: [[UInt8]] = [
      "\u{212A}", "\u{130}", "\u{0}", "\r", "\t", "x", "7", " ", "0", ":", "]", "-", "e\u{301}",
    ]
    .map { Array($0.utf8) }
    let fixed: [String] = [
      "I1127 00:00:00.005030    4187 prober.go:107] x", "I1127 00:00:00.005030     4187 prober.go:107] x",
      "I1127 00:00:00.005030   4187 prober.go:107] x", "I1127 00:00:00.005030    04187 prober.go:107] x",
      "I1127 00:00:00.005030   -4187 prober.go:107] x", "I1127 00:00:00.005030 12345678 prober.go:107] x",
      "I1127 00:00:00.005030  12345678 prober.go:107] x", "I1127 00:00:00.005030 1234567 prober.go:107] x",
      "I1127 00:00:00.005030       0 prober.go:107] x", "I1127 00:00:00.005030      00 prober.go:107] x",
      "I20261127 00:00:00.005030    4187 prober.go:107] x", "I1127 00:00:00    4187 prober.go:107] x",
      "I1127 00:00:00.005030    4187 a:b.go:107] x", "I1127 00:00:00.005030    4187 prober.go:0107] x",
      "I1127 00:00:00.005030    4187 prober.go:1234567890] x", "I1127 00:00:00.005030    4187 prober.go:] x",
      "I1127 00:00:00.005030    4187 :107] x", "I1127 00:00:00.005030    4187 prober.go:107]x",
      "I1127 00:00:00.005030    4187 prober.go:107]", "I1127 00:00:00.005030    4187 prober go:107] x",
      "I1127 00:00:00.005030    4187 prober.go:107] ", "I1127 00:00:00.005030\t   4187 prober.go:107] x",
      "I1127 00:00:00.005030    4187 prober.go:107 ] x", "2026-11-27T00:00:00.005030Z stdout F x",
      "I1127 00:00:00.005030    4187 " + String(repeating: "f", count: 201) + ":1] x",
      "I1127 00:00:00.005030    4187 " + String(repeating: "f", count: 200) + ":1] x",
      "I1127 00:00:00.005030 1234567890123456789 prober.go:107] x",
      "I1127 00:00:00.005030 123456789012345678 prober.go:107] x", "\u{212A}1127 00:00:00.005030    4187 a.go:1] x",
    ]
    var read = 0
    for line in fixed where Self.expectHeaderRebuilt(Array(line.utf8)) { read += 1 }
    // The well-formed ones among them: the first, the 8-digit and 7-digit ids unpadded, `0`, the
    // empty body, the 200-byte file and the 18-digit id (a Kelvin sign as the severity is three
    // bytes, so its digits are out of place).
    #expect(read == 7)
    for _ in 0..<400 {
      var line = Self.klogLine(&rng, body: Array("\"Probe failed\" pod=\"prod/app\"".utf8))
      let at = rng.below(min(line.count, 50))
      line.replaceSubrange(at..<(at + 1), with: hostile[rng.below(hostile.count)])
      Self.expectHeaderRebuilt(line)
    }
  }

  /// Lines of the bench log's kinds: every one is read and rebuilt.
  @Test func theBenchLinesHeadersAreRebuilt() {
    let lines = [
      #"I1127 00:00:00.001288    4187 kubelet.go:2408] "SyncLoop UPDATE" source="api" pods=["kube-system/app-0fd6f4-00332"]"#,
      #"I1127 00:00:00.005030    4187 prober.go:107] "Probe failed" probeType="Liveness" pod="prod/app-5fd231-00287" podUID="5fd23109-afd3-ec48-7969-175a112fa612" containerName="worker" probeResult="failure" output="Get \"http://10.244.133.228:8080/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)""#,
      #"E1127 00:00:00.008784    4187 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \"StartContainer\"""#,
    ]
    for line in lines { #expect(Self.expectHeaderRebuilt(Array(line.utf8))) }
  }
}
