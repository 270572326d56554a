import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// kubectl text read with its repeated lines taken as bytes (`KubectlTextParser.feed(bytes:number:
/// emit:)`, offered by `Ingestor.run` through `LineReader`; `KubectlLineMemo.held(_:number:)`)
/// reads as it read every line made a `String` (docs/architecture.md "Speed of the describe
/// path"). The reference is the parser fed a `Line` for every line (`LineFed`, the same parser
/// that does not read bytes), through `ingest` (a paste and a bundle member, a watched line) and
/// `ingestPart`, on every sample file and on seeded gluings of the kubectl samples with hostile
/// pieces (invalid UTF-8 next to a held line's bytes, NUL, CR, CRLF endings, tabs, a Kelvin sign,
/// a dotted capital I, combining accents, lines past the memo's longest and past a chunk, pasted
/// JSON and YAML, quoted lines), through windows of 5 bytes to the whole input.
@Suite struct KubectlOfferedLinesTests {
  /// `KubectlTextParser` as it was read before: a `Line` for every line.
  struct LineFed: SplitParser {
    static var format: String { KubectlTextParser.format }
    static func sniff(head: [Line], info: SourceInfo) -> Int { KubectlTextParser.sniff(head: head, info: info) }
    static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
      KubectlTextParser.sniff(head: head, info: info, atLeast: bar)
    }
    static var sniffCost: Int { KubectlTextParser.sniffCost }
    static func partStart(in window: [UInt8]) -> Int? { KubectlTextParser.partStart(in: window) }

    var inner: KubectlTextParser
    init(context: ParseContext) { inner = KubectlTextParser(context: context) }
    mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict { inner.feed(line, emit: emit) }
    mutating func finish(emit: (Record) -> Void) { inner.finish(emit: emit) }
    mutating func idle(emit: (Record) -> Void) { inner.idle(emit: emit) }
    var isBetweenParts: Bool { inner.isBetweenParts }
    mutating func finishFirstPart(emit: (Record) -> Void) { inner.finishFirstPart(emit: emit) }
  }

  /// The samples' kubectl text files (describes, tables, pastes).
  static let kubectl: [[String]] = KubectlBytesTests.sampleFiles.filter { $0.name.hasSuffix(".txt") }.map(\.lines)

  /// Pieces put into lines: each may break a byte-level answer that a `String` would not.
  static let hostile: [[UInt8]] = [
    [0x00], [0x0D], [0x09], [0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x90, 0x80], Array("\u{212A}".utf8),
    Array("\u{130}".utf8), Array("e\u{301}".utf8), Array("\u{301}".utf8), Array("\u{FFFD}".utf8), Array("é".utf8),
    Array(" ".utf8), Array("  ".utf8), Array("|".utf8), Array("> ".utf8), Array("\u{1B}[1m".utf8),
  ]

  /// Lines pasted between the describes: JSON and YAML pieces, commands, fences, quotes.
  static let between = [
    "{", #"  "kind": "Pod","#, #"  "metadata": {"name": "web-0"}"#, "}", "$ kubectl get pod web-0 -o json",
    "$ kubectl describe pod web-0 -n shop", "```", "state:", "  waiting:", "    reason: CrashLoopBackOff",
    "> Name:         web-0", "> Namespace:    shop", "", "--", "  ",
  ]

  /// A seeded gluing of the kubectl samples, as bytes: pieces repeated (so lines are held and
  /// taken), lines changed with hostile pieces, some with the bytes of a held line followed by an
  /// invalid byte (read as that line with U+FFFD, which the memo may hold as a `String`'s).
  static func input(_ rng: inout SplitMix64) -> [UInt8] {
    var lines: [[UInt8]] = []
    for _ in 0..<(4 + rng.below(30)) {
      var piece = kubectl[rng.below(kubectl.count)].map { Array($0.utf8) }
      for _ in 0..<rng.below(4) where !piece.isEmpty {
        let i = rng.below(piece.count)
        let at = rng.below(piece[i].count + 1)
        piece[i].insert(contentsOf: hostile[rng.below(hostile.count)], at: at)
      }
      if rng.below(4) == 0, !piece.isEmpty { piece.remove(at: rng.below(piece.count)) }
      if rng.below(5) == 0, !piece.isEmpty {
        piece.insert(between[rng.below(between.count)].utf8.map { $0 }, at: rng.below(piece.count))
      }
      if rng.below(6) == 0, !piece.isEmpty {
        let i = rng.below(piece.count)
        piece.insert(piece[i] + [[0xFF], [0xC3], Array("\u{FFFD}".utf8)][rng.below(3)], at: i + 1)
      }
      if rng.below(12) == 0 {
        let long = [KubectlLineMemo.longest, KubectlLineMemo.longest + 1, 70_000][rng.below(3)]
        piece.append(Array("  Message:  ".utf8) + Array(repeating: UInt8(ascii: "x"), count: long))
      }
      if rng.below(8) == 0 { piece = piece.map { $0 + [0x0D] } }
      lines += piece + (rng.below(2) == 0 ? [[]] : [[], []])
    }
    var out: [UInt8] = []
    for line in lines { out += line + [0x0A] }
    if rng.below(3) == 0 { out.removeLast() }
    return out
  }

  static func context(sink: Collector<Diagnostic>, paste: Bool) -> ParseContext {
    ParseContext(
      source: SourceInfo(name: "describe.txt", relativePath: paste ? "" : "cluster/describe.txt"),
      captureTime: CaptureTime(date: objectCaptureDate, origin: .flag), diagnostics: { sink.append($0) })
  }

  typealias IngestReading = OfferedLinesTests.IngestReading

  /// The whole reading through `ingest` with `parser` the only parser, the watch on `watched`.
  static func ingested(
    _ input: [UInt8], parser: any LineParser.Type, paste: Bool, watched: Int?, window: Int
  ) -> IngestReading {
    OfferedLinesTests.ingested(input, parser: parser, watched: watched, window: window, chunkSize: 4_096) {
      context(sink: $0, paste: paste)
    }
  }

  /// `ingested` by `LineFed` and by `KubectlTextParser`: the same; an issue says where not.
  static func compare(_ input: [UInt8], paste: Bool, watched: Int?, window: Int, _ label: String) {
    let reference = ingested(input, parser: LineFed.self, paste: paste, watched: watched, window: window)
    let offered = ingested(input, parser: KubectlTextParser.self, paste: paste, watched: watched, window: window)
    let same = offered == reference
    let difference = OfferedLinesTests.firstDifference(
      OfferedLinesTests.texts(offered.records), OfferedLinesTests.texts(reference.records))
    #expect(same, "\(label): \(difference) \(offered.diagnostics.count) \(reference.diagnostics.count)")
  }

  @Test func everySampleFileReadsAsItsLines() {
    let files = OfferedLinesTests.sampleFiles
    #expect(files.count > 20)
    for (i, file) in files.enumerated() {
      for paste in [true, false] { Self.compare(file, paste: paste, watched: nil, window: .max, "sample \(i)") }
    }
  }

  @Test(arguments: 0..<6)
  func seededGluingsReadAsTheirLines(part: UInt64) {
    var rng = SplitMix64(seed: SplitMix64.seed("seededGluingsReadAsTheirLines") &+ part)
    for round in 0..<12 {
      let input = Self.input(&rng)
      let lineCount = input.count { $0 == 0x0A } + 1
      let watched: Int? = rng.below(3) == 0 ? nil : 1 + rng.below(lineCount)
      let window = [5, 4_096, .max][rng.below(3)]
      Self.compare(input, paste: rng.below(2) == 0, watched: watched, window: window, "part \(part) round \(round)")
    }
  }

  /// A second part read through `ingestPart`, by each parser: the same.
  @Test(arguments: 0..<3)
  func aSecondPartReadsAsTheLinesDid(part: UInt64) {
    var rng = SplitMix64(seed: SplitMix64.seed("kubectlSecondPart") &+ part)
    for round in 0..<10 {
      let input = Self.input(&rng)
      let first = 1 + rng.below(50)
      let readings = ([LineFed.self, KubectlTextParser.self] as [any LineParser.Type]).map { parser in
        OfferedLinesTests.partReading(input, first: first, parser: parser, window: [7, 4_096][rng.below(2)]) {
          Self.context(sink: $0, paste: true)
        }
      }
      #expect(readings[0] == readings[1], "part \(part) round \(round)")
    }
  }

  /// `KubectlLineMemo.held(_:number:)` of a line's bytes is `read(_:)`'s answer for the line made
  /// a `String` whenever it gives one (the held reading, slot, number and text), and gives one
  /// exactly when `read(_:)` finds the line held: otherwise `read(_:)` reads it afresh or holds it
  /// under a new number. Seeded lines with hostile bytes (invalid UTF-8 among them) repeated in
  /// random order through tables small enough that lines evict each other, and every answer
  /// still a fresh reading's (`KubectlLineMemoTests.readsAsFresh`).
  @Test(arguments: [4, 64, 4096])
  func heldBytesAreTheHeldLine(slots: Int) {
    var rng = SplitMix64(seed: SplitMix64.seed("heldBytesAreTheHeldLine") &+ UInt64(slots))
    var distinct: [[UInt8]] =
      (KubectlBytesTests.lines.prefix(3_000) + KubectlBytesTests.trickyLines
      + KubectlLineMemoTests.randomLines(count: 1_500, seed: UInt64(slots))).map { Array($0.utf8) }
    for i in 0..<1_500 {
      var bytes = distinct[i % distinct.count]
      bytes.insert(contentsOf: Self.hostile[rng.below(Self.hostile.count)], at: rng.below(bytes.count + 1))
      distinct.append(bytes)
    }
    distinct.append(Array(repeating: UInt8(ascii: "y"), count: KubectlLineMemo.longest))
    distinct.append(Array(repeating: UInt8(ascii: "y"), count: KubectlLineMemo.longest + 1))
    var texts = (distinct + distinct + distinct.prefix(800)).shuffled(using: &rng)
    texts += texts.prefix(400)
    var memo = KubectlLineMemo(slots: slots)
    var lastID = 0
    var taken = 0
    var checked = 0
    for (i, bytes) in texts.enumerated() {
      let number = i + 1
      let offered = bytes.withUnsafeBufferPointer { memo.held($0, number: number) }
      let line = Line(number: number, text: String(decoding: bytes, as: UTF8.self))
      let (read, slot) = memo.read(line)
      if let offered {
        taken += 1
        #expect(offered.slot == slot && slot >= 0)
        #expect(offered.line.textID == read.textID && offered.line.line == read.line)
        #expect(offered.line.text == read.text && offered.line.body == read.body)
      } else if slot >= 0, Array(line.text.utf8) == bytes {
        // Not held before: held now, under a new number. (Invalid bytes decode to other bytes,
        // whose line may be held.)
        #expect(read.textID > lastID, "\(line.text.debugDescription)")
      }
      if slot >= 0 { lastID = max(lastID, read.textID) }
      if KubectlLineMemoTests.readsAsFresh(&memo, line, ask: rng.below(16)) { checked += 1 }
    }
    #expect(checked == texts.count)
    // Lines are taken by their bytes: most of them through the large table, a few through the
    // smallest, where lines evict each other.
    #expect(taken > (slots >= 4096 ? texts.count / 3 : slots >= 64 ? texts.count / 100 : 10), "\(taken)")
  }
}
