import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// The bytes `PackedLog` writes must not change with the room it writes them into or with how it
/// reads a string's bytes (docs/architecture.md "Speed of the kubelet-log path"): the encoding
/// written on the stack first against the encoding written into room of its bound, as every record
/// was before, and `PackedLog.withUTF8` against `String.withUTF8` on a copy, on the repository's
/// samples and on seeded hostile inputs.
@Suite struct PackedEncodingTests {
  static let repo = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Every log record the ingestor makes of the repository's samples.
  static let sampleRecords: [LogRecord] = {
    var records: [LogRecord] = []
    let capture = CaptureTime(date: Date(timeIntervalSince1970: 1_795_741_200), origin: .input)
    let ingestor = Ingestor()
    InputReader(diagnostics: { _ in }).read([repo.appendingPathComponent("samples").path]) { info, reader in
      let context = ParseContext(source: info, captureTime: capture, diagnostics: { _ in })
      _ = ingestor.ingest(&reader, context: context) { record in
        if case .log(let log) = record { records.append(log) }
      }
    }
    return records
  }()

  /// The strings of `r` that `PackedLog` writes besides the line.
  static func strings(_ r: LogRecord) -> [String] {
    var all = [r.text, r.message] + [r.severity, r.node, r.namespace, r.pod, r.container].compactMap { $0 }
    for kv in r.captures + r.fields { all += [kv.key, kv.value] }
    return all
  }

  /// Pieces lines and strings are made of: ASCII, NUL and other control bytes, a Kelvin sign, a
  /// dotted capital I, combining accents, CR LF, tabs, quotes and escapes, four-byte characters,
  /// and bytes that are not UTF-8 (decoded with repairs, as a parser's bytes would be).
  private static let pieces: [[UInt8]] =
    [
      "pod", "prod/app-1", "aaaa", "a", "\u{0}", "\u{1}", "\u{0}\u{1}", "\u{1}\u{0}", "\r\n", "\t", "\u{212A}",
      "\u{130}", "e\u{301}", "\u{301}", "🙂", "\"", "\\\"", "=", " ", "worker", "app-5fd231-00287", "\u{FF}",
    ].map { Array($0.utf8) } + [[0xFF], [0x80, 0x80], [0xFE, 0x01]]

  private static func bytes(_ rng: inout SplitMix64, pieces count: Int) -> [UInt8] {
    (0..<count).flatMap { _ in Self.pieces[rng.below(Self.pieces.count)] }
  }

  /// `PackedLog.withUTF8` reads the bytes `String.withUTF8` reads on a copy, which is what the
  /// writer called before (kept here as the reference): small and large strings, every piece
  /// above and strings made of them, a substring made a string, the samples' strings.
  @Test(arguments: 0..<8)
  func readsAStringsBytesAsWithUTF8OnACopy(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    func reference(_ s: String) -> [UInt8] {
      var copy = s
      return copy.withUTF8 { Array($0) }
    }
    var strings = ["", "a", String(repeating: "x", count: 15), String(repeating: "x", count: 16)]
    for _ in 0..<200 {
      let s = String(decoding: Self.bytes(&rng, pieces: rng.below(40)), as: UTF8.self)
      strings += [s, String(s.dropFirst(rng.below(4)))]
    }
    if seed == 0 { strings += Self.sampleRecords.prefix(2_000).flatMap(Self.strings) }
    for s in strings {
      #expect(PackedLog.withUTF8(s) { Array($0) } == reference(s))
      #expect(PackedLog.withUTF8(s) { Array($0) } == Array(s.utf8))
    }
  }

  /// Whether `PackedLog.encoding` writes the same bytes on the stack first as into room of its
  /// bound alone, and reads back the record.
  private static func expectOneEncoding(_ r: LogRecord) {
    let stack = PackedLog.encoding(r, stack: true)
    #expect(stack == PackedLog.encoding(r, stack: false))
    #expect(PackedLog.encoding(r, stack: true, compact: false) == PackedLog.encoding(r, stack: false, compact: false))
    #expect(PackedLog(r).record == r)
  }

  @Test func encodesTheSamplesAlikeInEitherRoom() {
    for r in Self.sampleRecords { Self.expectOneEncoding(r) }
  }

  /// Records of lines around the length tried on the stack, whose strings the line holds or does
  /// not (escaped ones are written as their bytes): encodings on both sides of the stack's room,
  /// which then is written again into room of the bound.
  @Test(arguments: 0..<12)
  func encodesHostileRecordsAlikeInEitherRoom(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<150 {
      Self.expectOneEncoding(Self.hostileRecord(&rng, lineSizes: [0, 1, 60, 250, 480, 511, 512, 513, 700]))
    }
  }

  /// A record of a line of one of `lineSizes` bytes (about: whole pieces), whose strings are
  /// pieces of the line or not.
  static func hostileRecord(_ rng: inout SplitMix64, lineSizes: [Int]) -> LogRecord {
    let lineSize = lineSizes[rng.below(lineSizes.count)]
    var line: [UInt8] = []
    while line.count < lineSize { line += Self.bytes(&rng, pieces: 1) }
    func piece() -> String {
      if !line.isEmpty, rng.below(2) == 0 {
        let from = rng.below(line.count)
        return String(decoding: line[from..<min(line.count, from + rng.below(120))], as: UTF8.self)
      }
      return String(decoding: Self.bytes(&rng, pieces: rng.below(60)), as: UTF8.self)
    }
    let text = String(decoding: line, as: UTF8.self)
    var r = LogRecord(
      origin: [.kubelet, .container, .node, .other][rng.below(4)], message: piece(),
      evidence: Evidence(ref: SourceRef(source: "kubelet.log", line: rng.below(9_000)), text: text))
    r.text = rng.below(2) == 0 ? text : piece()
    r.severity = rng.below(2) == 0 ? nil : piece()
    r.node = rng.below(2) == 0 ? nil : piece()
    r.namespace = rng.below(2) == 0 ? nil : piece()
    r.pod = rng.below(2) == 0 ? nil : piece()
    r.container = rng.below(2) == 0 ? nil : piece()
    r.fields = (0..<rng.below(12)).map { _ in KeyValue(piece(), piece()) }
    r.captures = (0..<rng.below(6)).map { _ in KeyValue(piece(), piece()) }
    r.patternID = rng.below(2) == 0 ? nil : "kubelet.probe-failed"
    if rng.below(5) == 0 { r.restartNumber = rng.below(3) - 1 }
    if rng.below(5) == 0 { r.pastedAt = SourceRef(source: piece(), line: rng.below(40)) }
    r.previousRun = rng.below(4) == 0
    return r
  }

  /// Whether `PackedLog`'s encoder writes what the encoder before it wrote, kept as the reference
  /// (`ReferencePackedEncoding`): in room of the bound, and in every room from too small by 40
  /// bytes to larger by 24 (a slice, a count or a string cut by the room's end makes both answer
  /// nil), and in the first 40 rooms. Without the compact forms (a klog header's parts, a shipped
  /// capture name's place), which the reference predates, the bytes are the reference's; with
  /// them (`PackedCompactFormsTests`), the encoding in every one of those rooms is nil when it
  /// does not fit and the whole encoding when it does, never longer than the reference's.
  private static func expectReferenceBytes(_ r: LogRecord) {
    let bound = ReferencePackedEncoding.bound(r)
    let reference = ReferencePackedEncoding.encoding(r, room: bound)
    #expect(reference != nil)
    #expect(PackedLog.encoding(r, room: bound, compact: false) == reference)
    #expect(PackedLog.encoding(r, stack: true, compact: false) == reference)
    let compact = PackedLog.encoding(r, stack: true)
    #expect(PackedLog.encoding(r, room: bound) == compact)
    #expect(compact.count <= reference?.count ?? 0)
    let size = reference?.count ?? 0
    for room in Array(0..<min(40, size)) + Array(max(0, size - 40)...(size + 24)) {
      #expect(PackedLog.encoding(r, room: room, compact: false) == ReferencePackedEncoding.encoding(r, room: room))
      #expect(PackedLog.encoding(r, room: room) == (room >= compact.count ? compact : nil))
    }
  }

  @Test func writesTheReferenceBytesForTheSamples() {
    for r in Self.sampleRecords { Self.expectReferenceBytes(r) }
  }

  /// Seeded hostile records (NUL, CR LF, tabs, a Kelvin sign, a dotted capital I, combining
  /// accents, bytes that are not UTF-8, strings the line holds and does not), lines of 0 bytes to
  /// 40,000 (offsets of one, two and three bytes in a slice).
  @Test(arguments: 0..<8)
  func writesTheReferenceBytesForHostileRecords(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<120 {
      Self.expectReferenceBytes(Self.hostileRecord(&rng, lineSizes: [0, 1, 3, 60, 127, 128, 250, 513, 700, 40_000]))
    }
  }
}
