import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// An object stream read from its lines' bytes (`ObjectStreamParser.feed(bytes:number:emit:)`,
/// offered by `Ingestor.run` through `LineReader.next(offering:)`) reads as it read each line made
/// a `String` (docs/architecture.md "Speed of the EventList path"). The reference is the reading
/// before: every line from `next()`, fed to `feed(_:emit:)`, and `run`'s loop over those lines
/// (`LineFed`, the same parser that does not read bytes). On every file of the samples and on
/// seeded lists of the samples' events, mutated with hostile pieces (NUL, CR, tabs, a Kelvin sign,
/// a dotted capital I, a combining accent, invalid UTF-8, random bytes), lines cut, dropped and
/// repeated, values of 70,000 bytes, fences, commands, klog headers and cluster-info markers
/// between objects: the same verdict line by line, the same records byte for byte, the same
/// diagnostics and accounts, through `ingest` (a paste and a bundle member, a watched line) and
/// through `ingestPart`.
@Suite struct OfferedLinesTests {
  /// `ObjectStreamParser` as it was read before: a `Line` for every line.
  struct LineFed: SplitParser {
    static var format: String { ObjectStreamParser.format }
    static func sniff(head: [Line], info: SourceInfo) -> Int { ObjectStreamParser.sniff(head: head, info: info) }
    static func partStart(in window: [UInt8]) -> Int? { ObjectStreamParser.partStart(in: window) }

    var inner: ObjectStreamParser
    init(context: ParseContext) { inner = ObjectStreamParser(context: context) }
    init(secondPartAt firstLine: Int, context: ParseContext) {
      inner = ObjectStreamParser(secondPartAt: firstLine, context: context)
    }
    mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict { inner.feed(line, emit: emit) }
    mutating func finish(emit: (Record) -> Void) { inner.finish(emit: emit) }
    mutating func idle(emit: (Record) -> Void) { inner.idle(emit: emit) }
    var isBetweenParts: Bool { inner.isBetweenParts }
    mutating func finishFirstPart(emit: (Record) -> Void) { inner.finishFirstPart(emit: emit) }
  }

  /// Every file of the samples that is not compressed, as bytes.
  static let sampleFiles: [[UInt8]] = {
    ShippedSamples.contents { !["gz", "tgz", "zip", "tar"].contains($0.pathExtension) }.map { [UInt8]($0.data) }
  }()

  /// The lines of the samples' event lists' items, pretty-printed as kubectl prints them.
  static let eventItems: [[String]] = {
    var items: [[String]] = []
    for file in sampleFiles {
      guard let object = try? JSONSerialization.jsonObject(with: Data(file)) as? [String: Any],
        let list = object["items"] as? [Any]
      else { continue }
      for item in list {
        guard let data = try? JSONSerialization.data(withJSONObject: item, options: [.prettyPrinted, .sortedKeys])
        else { continue }
        let text = String(decoding: data, as: UTF8.self)
        items.append(text.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 })
      }
    }
    return items
  }()

  static let hostile: [[UInt8]] = [
    [0x00], [0x0D], [0x09], [0xFF], [0xC3], Array("\u{212A}".utf8), Array("\u{130}".utf8), Array("e\u{301}".utf8),
    Array("\u{FFFD}".utf8), Array("\"".utf8), Array("\\".utf8), Array("{".utf8), Array("}".utf8), Array(",".utf8),
  ]

  static let between = [
    "```json", "```", "$ kubectl get events -A -o json", "==== START logs for container web of pod shop/web-0 ====",
    "==== END logs for container web of pod shop/web-0 ====", "I1127 01:02:03.456789       1 glog.go:58] not json",
    #"I1127 01:02:03.456789       1 glog.go:58] {"verb":"ADDED","event":{"kind":"Event","metadata":{"name":"a.1","namespace":"shop"},"involvedObject":{"kind":"Pod","name":"web-0","namespace":"shop"},"reason":"BackOff","message":"Back-off restarting failed container"}}"#,
    #"  "containerStatuses": ["#, "      },", "json", "", "   ", "\t",
  ]

  /// A seeded list of the samples' events, then mutated.
  static func list(_ rng: inout SplitMix64) -> [UInt8] {
    var lines = ["{", "    \"apiVersion\": \"v1\",", "    \"items\": ["]
    let count = 1 + rng.below(60)
    for i in 0..<count {
      var item = eventItems[rng.below(eventItems.count)]
      if i + 1 < count { item[item.count - 1] += "," }
      lines += item
    }
    lines += ["    ],", "    \"kind\": \"List\"", "}"]
    if rng.below(3) == 0 { lines.insert(between[rng.below(between.count)], at: 0) }
    var bytes = lines.map { Array($0.utf8) }
    for _ in 0..<rng.below(12) {
      let at = rng.below(bytes.count)
      switch rng.below(9) {
      case 0, 1:
        bytes[at].insert(contentsOf: hostile[rng.below(hostile.count)], at: rng.below(bytes[at].count + 1))
      case 2: bytes[at] = Array(bytes[at].prefix(rng.below(bytes[at].count + 1)))
      case 3: bytes.remove(at: at)
      case 4: bytes.insert(bytes[at], at: at)
      case 5: bytes.insert(Array(between[rng.below(between.count)].utf8), at: at)
      case 6: bytes[at] += (0..<rng.below(30)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      case 7:
        // A value of 70,000 bytes in a message.
        bytes.insert(Array(("        \"message\": \"" + String(repeating: "x", count: 70_000) + "\",").utf8), at: at)
      default: bytes[at] += [0x0D]
      }
      if bytes.isEmpty { bytes = [[]] }
    }
    if rng.below(4) == 0 { bytes += bytes.prefix(rng.below(bytes.count)) }
    return Array(bytes.joined(separator: [0x0A])) + (rng.below(2) == 0 ? [0x0A] : [])
  }

  struct Reading: Equatable {
    var verdicts: [String] = []
    var records: [[UInt8]] = []
    var equalRecords: [Record] = []
    var diagnostics: [String] = []
    var taken = 0
  }

  static func context(sink: Collector<Diagnostic>, paste: Bool = true) -> ParseContext {
    ParseContext(
      source: SourceInfo(name: "events.json", relativePath: paste ? "" : "cluster/events.json"),
      captureTime: CaptureTime(date: objectCaptureDate, origin: .flag), diagnostics: { sink.append($0) })
  }

  /// A record's bytes: every string and scalar in it, in its fields' order, the entries of a
  /// dictionary sorted (a dictionary lists them in its storage's order, which differs from one
  /// dictionary to the next). With `==` on the records, the same bytes in the same places.
  static func bytes(_ record: Record) -> [UInt8] {
    var out: [UInt8] = []
    leaves(record, into: &out)
    return out
  }

  static func leaves(_ value: Any, into out: inout [UInt8]) {
    if let text = value as? String {
      out += Array("\(text.utf8.count):".utf8) + Array(text.utf8)
      return
    }
    let mirror = Mirror(reflecting: value)
    if mirror.children.isEmpty {
      out += Array("<\(value)>".utf8)
      return
    }
    var parts = mirror.children.map { child -> [UInt8] in
      var part = Array((child.label ?? "").utf8) + [0x3D]
      leaves(child.value, into: &part)
      return part
    }
    if mirror.displayStyle == .dictionary || mirror.displayStyle == .set {
      parts.sort { $0.lexicographicallyPrecedes($1) }
    }
    out += [0x28] + Array(parts.joined(separator: [0x2C])) + [0x29]
  }

  /// The parser fed every line as a `Line` (the reference).
  static func byLines(_ input: [UInt8], window: Int) -> Reading {
    let sink = Collector<Diagnostic>()
    var parser = ObjectStreamParser(context: context(sink: sink))
    var reader = LineReader(MemoryByteSource(input, window: window), chunkSize: 4_096)
    var out = Reading()
    var verdicts: [String] = []
    var records: [Record] = []
    let emit = { (record: Record) in records.append(record) }
    while let line = reader.next() {
      let verdict = parser.feed(line, emit: emit)
      verdicts.append("\(line.number) \(verdict)")
    }
    parser.finish(emit: emit)
    out.verdicts = verdicts
    out.records = records.map(bytes)
    out.equalRecords = records
    out.diagnostics = sink.items.map { String(reflecting: $0) }
    return out
  }

  /// The parser offered each line's bytes, fed the line when it does not take them.
  static func byBytes(_ input: [UInt8], window: Int) -> Reading {
    let sink = Collector<Diagnostic>()
    var parser = ObjectStreamParser(context: context(sink: sink))
    var reader = LineReader(MemoryByteSource(input, window: window), chunkSize: 4_096)
    var out = Reading()
    var verdicts: [String] = []
    var records: [Record] = []
    let emit = { (record: Record) in records.append(record) }
    while let got = reader.next(offering: { bytes, number in
      guard let v = parser.feed(bytes: bytes, number: number, emit: emit) else { return false }
      verdicts.append("\(number) \(v)")
      return true
    }) {
      switch got {
      case .taken: out.taken += 1
      case .line(let line):
        let verdict = parser.feed(line, emit: emit)
        verdicts.append("\(line.number) \(verdict)")
      }
    }
    parser.finish(emit: emit)
    out.verdicts = verdicts
    out.records = records.map(bytes)
    out.equalRecords = records
    out.diagnostics = sink.items.map { String(reflecting: $0) }
    return out
  }

  static func compareParser(_ input: [UInt8], window: Int, _ label: String) -> Int {
    var reference = byLines(input, window: window)
    let offered = byBytes(input, window: window)
    reference.taken = offered.taken
    let sameVerdicts = offered.verdicts == reference.verdicts
    let sameBytes = offered.records == reference.records
    let sameRecords = offered.equalRecords == reference.equalRecords
    let sameDiagnostics = offered.diagnostics == reference.diagnostics
    #expect(sameVerdicts, "\(label): \(firstDifference(offered.verdicts, reference.verdicts))")
    #expect(sameBytes, "\(label): \(firstDifference(texts(offered.records), texts(reference.records)))")
    #expect(sameRecords, "\(label)")
    #expect(sameDiagnostics, "\(label): \(firstDifference(offered.diagnostics, reference.diagnostics))")
    return offered.taken
  }

  static func texts(_ records: [[UInt8]]) -> [String] { records.map { String(decoding: $0, as: UTF8.self) } }

  /// Where two lists first differ, shortly.
  static func firstDifference(_ a: [String], _ b: [String]) -> String {
    guard let i = a.indices.first(where: { $0 < b.count && a[$0] != b[$0] }) else {
      return "counts \(a.count) and \(b.count)"
    }
    let (x, y) = (Array(a[i].utf8), Array(b[i].utf8))
    let at = x.indices.first { $0 >= y.count || x[$0] != y[$0] } ?? x.count
    let from = max(0, at - 80)
    let one = String(decoding: x[min(from, x.count)..<min(x.count, at + 80)], as: UTF8.self)
    let other = String(decoding: y[min(from, y.count)..<min(y.count, at + 80)], as: UTF8.self)
    return "item \(i) at byte \(at): \(one) | \(other)"
  }

  /// `ObjectStreamParser.isASCIILine` (every word read, the last overlapping, the high bits tested
  /// once) against `ASCIISearch.isASCII` (the call it replaced) and a byte loop: every window of
  /// seeded buffers of hostile pieces at every start and length up to 80 bytes, long lines with
  /// one high byte at every place near their ends, and every line of the samples.
  @Test func theLinesASCIITestIsTheSearchs() {
    func byLoop(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.allSatisfy { $0 < 0x80 } }
    var rng = SplitMix64(seed: 0x0A5C_11E5)
    var nonASCII = 0
    var checked = 0
    var differing = 0
    for _ in 0..<300 {
      var buffer: [UInt8] = []
      while buffer.count < 96 {
        if rng.below(3) == 0 {
          buffer += Self.hostile[rng.below(Self.hostile.count)]
        } else {
          buffer.append(UInt8(truncatingIfNeeded: 0x20 + rng.below(0x5F)))
        }
      }
      if rng.below(4) == 0 { buffer[rng.below(buffer.count)] = UInt8(truncatingIfNeeded: 0x80 + rng.below(0x80)) }
      buffer.withUnsafeBufferPointer { all in
        for start in 0..<16 {
          for length in 0...min(80, all.count - start) {
            let window = UnsafeBufferPointer(rebasing: all[start..<(start + length)])
            let expected = byLoop(window)
            if ObjectStreamParser.isASCIILine(window) != expected || ASCIISearch.isASCII(window) != expected {
              differing += 1
            }
            if !expected { nonASCII += 1 }
            checked += 1
          }
        }
      }
    }
    // One high byte at each of the last and first places of long lines.
    for length in [8, 9, 15, 16, 17, 38, 63, 64, 65, 70_000] {
      for place in Set((0..<min(length, 10)).map { $0 } + (max(0, length - 10)..<length).map { $0 }) {
        for high: UInt8 in [0x80, 0xC3, 0xFF] {
          var line = [UInt8](repeating: 0x20, count: length)
          line[place] = high
          line.withUnsafeBufferPointer { #expect(!ObjectStreamParser.isASCIILine($0)) }
          line[place] = 0x7F
          line.withUnsafeBufferPointer { #expect(ObjectStreamParser.isASCIILine($0)) }
        }
      }
    }
    for file in Self.sampleFiles {
      for line in file.split(separator: 0x0A, omittingEmptySubsequences: false) {
        Array(line).withUnsafeBufferPointer {
          if ObjectStreamParser.isASCIILine($0) != byLoop($0) { differing += 1 }
          checked += 1
        }
      }
    }
    #expect(differing == 0)
    #expect(checked > 100_000)
    #expect(nonASCII > 10_000)
    // The empty buffer without a base address.
    #expect(ObjectStreamParser.isASCIILine(UnsafeBufferPointer(start: nil, count: 0)))
  }

  @Test func everySampleFileReadsAsItsLines() {
    var taken = 0
    for (i, file) in Self.sampleFiles.enumerated() {
      taken += Self.compareParser(file, window: .max, "sample \(i)")
    }
    // Most lines of the samples' JSON are inside a value, and read from their bytes.
    #expect(taken > 5_000)
  }

  @Test(arguments: 0..<8)
  func seededListsReadAsTheirLines(part: UInt64) {
    var rng = SplitMix64(seed: 0x0FFE_0000 + part)
    var taken = 0
    for round in 0..<60 {
      let input = Self.list(&rng)
      taken += Self.compareParser(input, window: [7, 1_000, .max][rng.below(3)], "part \(part) round \(round)")
    }
    #expect(taken > 1_000)
  }

  struct IngestReading: Equatable {
    var records: [[UInt8]] = []
    var diagnostics: [String] = []
    var account: SourceAccount
    var block: SourceRef?
    var between = false
  }

  /// The whole reading through `ingest` with `parser` the only parser, the watch on `watched`.
  static func ingested(
    _ input: [UInt8], parser: any LineParser.Type, paste: Bool, watched: Int?, window: Int
  ) -> IngestReading {
    ingested(input, parser: parser, watched: watched, window: window) { context(sink: $0, paste: paste) }
  }

  /// `ingested` with the context `context` makes for the diagnostics' sink, read in chunks of
  /// `chunkSize` bytes.
  static func ingested(
    _ input: [UInt8], parser: any LineParser.Type, watched: Int?, window: Int,
    chunkSize: Int = LineReader.defaultChunkSize, context: (Collector<Diagnostic>) -> ParseContext
  ) -> IngestReading {
    let sink = Collector<Diagnostic>()
    var reader = LineReader(MemoryByteSource(input, window: window), chunkSize: chunkSize)
    var records: [[UInt8]] = []
    var watch: PartWatch?
    let result = Ingestor(parsers: [parser]).ingest(
      &reader, context: context(sink),
      started: {
        $0.watch.line = watched
        watch = $0.watch
      }
    ) { records.append(bytes($0)) }
    var out = IngestReading(account: result.account, block: result.pastedBlock)
    out.records = records
    out.diagnostics = sink.items.map { String(reflecting: $0) }
    out.between = watch?.between ?? false
    return out
  }

  @Test(arguments: 0..<6)
  func ingestReadsAsTheLinesDid(part: UInt64) {
    var rng = SplitMix64(seed: 0x0FFE_1000 + part)
    var inputs: [[UInt8]] = (0..<30).map { _ in Self.list(&rng) }
    if part == 0 { inputs += Self.sampleFiles }
    var betweenSeen = 0
    for (i, input) in inputs.enumerated() {
      let paste = rng.below(2) == 0
      let lineCount = input.count { $0 == 0x0A } + 1
      // A watched line at random, or the line before an item's opening (`partStart`).
      var watched: Int? = rng.below(4) == 0 ? nil : 1 + rng.below(lineCount)
      // Past the head's lines, which are not watched, as the second part's cut is.
      let from = input.count / 2
      if rng.below(2) == 0, let cut = ObjectStreamParser.partStart(in: Array(input[from...])) {
        watched = input[..<(from + cut)].count { $0 == 0x0A }
      }
      let window = [5, 4_096, .max][rng.below(3)]
      let reference = Self.ingested(input, parser: LineFed.self, paste: paste, watched: watched, window: window)
      let offered = Self.ingested(
        input, parser: ObjectStreamParser.self, paste: paste, watched: watched, window: window)
      let same = offered == reference
      let difference = Self.firstDifference(Self.texts(offered.records), Self.texts(reference.records))
      #expect(same, "part \(part) input \(i): \(difference)")
      if reference.between { betweenSeen += 1 }
    }
    if part != 0 { #expect(betweenSeen > 0) }
  }

  @Test(arguments: 0..<4)
  func aSecondPartReadsAsTheLinesDid(part: UInt64) {
    var rng = SplitMix64(seed: 0x0FFE_2000 + part)
    for round in 0..<30 {
      let input = Self.list(&rng)
      let first = 1 + rng.below(50)
      let readings = ([LineFed.self, ObjectStreamParser.self] as [any LineParser.Type]).map { parser in
        Self.partReading(input, first: first, parser: parser, window: 4_096) { Self.context(sink: $0) }
      }
      let same = readings[0] == readings[1]
      #expect(same, "part \(part) round \(round)")
    }
  }

  /// A second part of `input`, from line `first`, read by `parser` through `ingestPart` in windows
  /// of `window` bytes with the context `context` makes for the diagnostics' sink: what the
  /// comparisons of a second part hold equal.
  static func partReading(
    _ input: [UInt8], first: Int, parser: any LineParser.Type, window: Int,
    context: (Collector<Diagnostic>) -> ParseContext
  ) -> IngestReading {
    let sink = Collector<Diagnostic>()
    var reader = LineReader(MemoryByteSource(input, window: window), firstLine: first)
    var records: [[UInt8]] = []
    let start = IngestStart(parser: parser, context: context(sink), quoted: false)
    let result = Ingestor(parsers: [parser]).ingestPart(&reader, firstLine: first, after: start) {
      records.append(bytes($0))
    }
    var reading = IngestReading(account: result.account, block: result.pastedBlock)
    reading.records = records
    reading.diagnostics = sink.items.map { String(reflecting: $0) }
    reading.between = result.dependsOnFirstPart
    return reading
  }
}
