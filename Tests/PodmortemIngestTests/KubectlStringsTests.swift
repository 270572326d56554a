import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// What the describe path reads once and shares (`KubectlStrings`, `ProbeLineCache`) is what it
/// read before: the same records, the same probe specs (docs/architecture.md "Speed of the
/// describe path").
@Suite struct KubectlStringsTests {
  /// The value of every `Liveness:`/`Readiness:`/`Startup:` line of the samples.
  static let sampleProbeValues: [Substring] = KubectlBytesTests.sampleLines.compactMap { text in
    let line = KubectlLine(Line(number: 1, text: text))
    guard let f = line.field, ["Liveness", "Readiness", "Startup"].contains(f.key) else { return nil }
    return f.value
  }

  /// Probe values made of the pieces describe prints, some of them broken (a missing or repeated
  /// attribute, a value out of range, an unknown handler), seeded.
  static func randomProbeValues(count: Int, seed: UInt64) -> [Substring] {
    var rng = SplitMix64(seed: seed)
    let handlers = [
      "http-get http://:8080/healthz", "http-get https://10.0.0.1:443/ready", "tcp-socket :5432",
      "exec [cat /tmp/healthy]", "exec [sh -c pg_isready -addr=:8080]", "grpc <pod>:9090 ", "grpc <pod>:9090 svc",
      "unknown", "bogus thing", "",
    ]
    let attributes = [
      ["delay=0s", "delay=10s", "delay=-1s", "delay=x", "initialDelay=5s"],
      ["timeout=1s", "timeout=5s", "timeout=0s", "timeout=99999999999s"],
      ["period=10s", "period=3s", "period=0s"],
      ["#success=1", "successThreshold=1", "#success=2"],
      ["#failure=3", "failureThreshold=30", "#failure=-3"],
    ]
    var values: [Substring] = []
    for _ in 0..<count {
      var words = [handlers.randomElement(using: &rng) ?? ""]
      for options in attributes where Int.random(in: 0..<10, using: &rng) > 0 {
        words.append(options.randomElement(using: &rng) ?? "")
      }
      if Int.random(in: 0..<8, using: &rng) == 0 { words.swapAt(0, words.count - 1) }
      values.append(Substring(words.joined(separator: Int.random(in: 0..<6, using: &rng) == 0 ? "  " : " ")))
    }
    return values
  }

  @Test func probeCacheReadsAsParse() {
    var rng = SplitMix64(seed: SplitMix64.seed("probeCacheReadsAsParse"))
    let distinct = Self.sampleProbeValues + Self.randomProbeValues(count: 600, seed: 16)
    #expect(Self.sampleProbeValues.count > 10)
    // Each value several times, in a random order: hits, misses, and the table filling up past
    // its capacity (more distinct values than it holds).
    var values = (distinct + distinct + distinct).shuffled(using: &rng)
    values += distinct.prefix(50)
    var cache = ProbeLineCache()
    var hits = 0
    for value in values {
      let ascii = value.utf8.allSatisfy { $0 < 0x80 }
      let expected = ProbeLine.parse(value)
      #expect(cache.parse(value, isASCII: ascii) == expected, "\(value)")
      if expected != nil { hits += 1 }
    }
    #expect(hits > 100)
  }

  /// Age cells of every shape, seeded: kubectl's bands and their edges, compound and zero-part
  /// forms, the special cells, words that are no age, a non-ASCII digit.
  static func randomAgeCells(count: Int, seed: UInt64) -> [Substring] {
    var rng = SplitMix64(seed: seed)
    let units = ["s", "m", "h", "d", "y", "ms", "hm", "dh", "yd", "x", ""]
    let fixed = ["<unknown>", "<invalid>", "0s", "", "s", "12", "5m0s", "3h0m", "2d0h", "2y0d", "21h13m", "1m", "٣s"]
    var cells = fixed.map { Substring($0) }
    for _ in 0..<count {
      let unit = units.randomElement(using: &rng) ?? "s"
      var text = ""
      for u in unit {
        text += String(Int.random(in: 0..<(Bool.random(using: &rng) ? 12 : 800), using: &rng)) + String(u)
      }
      if unit.isEmpty { text = String(Int.random(in: 0..<100, using: &rng)) }
      cells.append(Substring(text))
    }
    return cells
  }

  @Test func ageMemoReadsAsParse() {
    var rng = SplitMix64(seed: SplitMix64.seed("ageMemoReadsAsParse"))
    let distinct = Self.randomAgeCells(count: 700, seed: 16)
    let cells = (distinct + distinct + distinct).shuffled(using: &rng)
    for style in [AgeStyle.human, .short] {
      var memo = AgeMemo()
      var off = AgeMemo(enabled: false)
      var known = 0
      for cell in cells {
        let expected = style.parse(cell)
        #expect(memo.parse(cell, style: style) == expected, "\(cell)")
        #expect(off.parse(cell, style: style) == expected, "\(cell)")
        if expected != nil { known += 1 }
      }
      #expect(known > 100)
    }
  }

  /// Whatever the table holds, a string comes back with its own bytes: strings of every length
  /// around the inline limit and the word size, repeated, differing in one byte (the last, the
  /// first, one in the overlapping tail word), more distinct ones than the table has slots.
  @Test func sharedBytesKeepEveryString() {
    var rng = SplitMix64(seed: SplitMix64.seed("sharedBytesKeepEveryString"))
    var texts: [String] = []
    for _ in 0..<3000 {
      let length = Int.random(in: 0..<40, using: &rng) + (Bool.random(using: &rng) ? 0 : 500)
      var bytes = (0..<length).map { _ in UInt8.random(in: 0x61...0x64, using: &rng) }
      texts.append(String(decoding: bytes, as: UTF8.self))
      if !bytes.isEmpty {
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 0x01
        texts.append(String(decoding: bytes, as: UTF8.self))
      }
    }
    texts += [
      "é".padding(toLength: 20, withPad: "x", startingAt: 0),
      "e\u{301}".padding(toLength: 20, withPad: "x", startingAt: 0),
    ]
    var pool = SharedBytes()
    var shared = 0
    // Each text twice, the second time in storage of its own (a line read again).
    let copies = texts.map { String(decoding: Array($0.utf8), as: UTF8.self) }
    for text in (texts + copies).shuffled(using: &rng) {
      let got = pool.string(text, longest: KubectlStrings.longest)
      #expect(got.utf8.elementsEqual(text.utf8), "\(text)")
      if got.utf8.count >= SharedBytes.shortest {
        var a = got
        var b = text
        if a.withUTF8({ p in b.withUTF8 { q in p.baseAddress != q.baseAddress } }) { shared += 1 }
      }
    }
    #expect(shared > 100)
  }

  /// Where `text`'s bytes lie: equal for two strings that share their storage.
  static func storage(_ text: String) -> UnsafeRawPointer? {
    var text = text
    return text.withUTF8 { $0.baseAddress.map(UnsafeRawPointer.init) }
  }

  /// One of `texts`, the same bytes in storage of their own, or one of the strings a table
  /// `returned`, as `rng` picks.
  static func pick(_ texts: [String], _ returned: [String], _ rng: inout SplitMix64) -> String {
    switch Int.random(in: 0..<3, using: &rng) {
    case 0: return texts[Int.random(in: 0..<texts.count, using: &rng)]
    case 1: return String(decoding: Array(texts[Int.random(in: 0..<texts.count, using: &rng)].utf8), as: UTF8.self)
    default: return returned.isEmpty ? texts[0] : returned[Int.random(in: 0..<returned.count, using: &rng)]
    }
  }

  /// `replacement` is nil exactly when `string` gives its argument's own storage, and otherwise
  /// the string `string` gives: two tables fed the same seeded sequence (texts, copies of them in
  /// storage of their own, and the very strings a table returned, as the describe path passes it
  /// the lines `KubectlLineMemo` holds), more distinct texts than slots.
  @Test func replacementIsWhatStringGives() {
    var rng = SplitMix64(seed: SplitMix64.seed("replacementIsWhatStringGives"))
    var texts: [String] = []
    for _ in 0..<6000 {
      let length = Int.random(in: 0..<60, using: &rng) + (Int.random(in: 0..<8, using: &rng) == 0 ? 500 : 0)
      texts.append(
        String(decoding: (0..<length).map { _ in UInt8.random(in: 0x61...0x63, using: &rng) }, as: UTF8.self))
    }
    var byString = SharedBytes()
    var byReplacement = SharedBytes()
    var returned: [String] = []
    var kept = 0
    var replaced = 0
    for _ in 0..<40_000 {
      let text = Self.pick(texts, returned, &rng)
      let given = byString.string(text, longest: KubectlStrings.longest)
      let replacement = byReplacement.replacement(text, longest: KubectlStrings.longest)
      let result = replacement ?? text
      #expect(result.utf8.elementsEqual(text.utf8))
      if text.utf8.count >= SharedBytes.shortest {
        #expect(Self.storage(result) == Self.storage(given))
        #expect((replacement == nil) == (Self.storage(given) == Self.storage(text)))
      } else {
        #expect(replacement == nil)
      }
      if replacement == nil { kept += 1 } else { replaced += 1 }
      returned.append(given)
      if returned.count > 2000 { returned.removeFirst(1000) }
    }
    #expect(kept > 5_000)
    #expect(replaced > 5_000)
  }

  /// `replacement` reads both strings' bytes in place; `copiedReplacement`, the way it read them
  /// through `withUTF8` on copies, stays the reference: two tables fed the same seeded sequence
  /// (every sample line, hostile texts, copies in storage of their own, the very strings a table
  /// returned) give the same answer at every step, nil or the same held string (its storage).
  @Test func replacementReadInPlaceIsTheCopiedOne() {
    var rng = SplitMix64(seed: SplitMix64.seed("replacementReadInPlaceIsTheCopiedOne"))
    let pieces = [
      "\u{212A}", "\u{130}", "e\u{301}", "\u{E9}", "\u{0}", "\r", "\t", " ", "a", "b", "Ready:", "False",
      "\u{1F600}", "-", ":",
    ]
    var texts = KubectlBytesTests.sampleLines
    for _ in 0..<4000 {
      let count = Int.random(in: 0..<24, using: &rng)
      texts.append((0..<count).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined())
    }
    texts += ["", String(repeating: "x", count: KubectlStrings.longest), String(repeating: "y", count: 100_000)]
    var inPlace = SharedBytes()
    var copied = SharedBytes()
    var returned: [String] = []
    var replaced = 0
    var kept = 0
    for _ in 0..<40_000 {
      let text = Self.pick(texts, returned, &rng)
      let got = inPlace.replacement(text, longest: KubectlStrings.longest)
      let expected = copied.copiedReplacement(text, longest: KubectlStrings.longest)
      #expect((got == nil) == (expected == nil), "\(text.debugDescription)")
      if let got, let expected {
        #expect(Self.storage(got) == Self.storage(expected), "\(text.debugDescription)")
        #expect(got.utf8.elementsEqual(text.utf8))
        replaced += 1
      } else {
        kept += 1
      }
      returned.append(got ?? text)
      if returned.count > 2000 { returned.removeFirst(1000) }
    }
    #expect(replaced > 5_000)
    #expect(kept > 5_000)
  }

  /// Every record a sample's kubectl text yields, once shared, equals it byte for byte.
  @Test func sharedRecordsEqualTheirOriginals() {
    var strings = KubectlStrings()
    var records = 0
    for (name, lines) in KubectlBytesTests.sampleFiles where name.hasSuffix(".txt") || name.hasSuffix(".md") {
      for record in parseKubectl(lines.joined(separator: "\n")).records {
        let shared = strings.share(record)
        #expect(shared == record, "\(name)")
        #expect(String(reflecting: shared).utf8.elementsEqual(String(reflecting: record).utf8), "\(name)")
        records += 1
      }
    }
    #expect(records > 1000)
  }
}
