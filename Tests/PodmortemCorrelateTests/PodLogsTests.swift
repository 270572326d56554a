import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PodHistory.logs` holds the kept records packed (`PodLogs`) and reads a string when asked:
/// each reading must be what the `LogRecord` it replaces held, byte for byte, and the list must
/// be the `[LogRecord]` it replaces as a value (docs/architecture.md "Memory of the kubelet-log
/// run"). Seeded random records (SplitMix64): non-ASCII, escapes, empty and absent strings,
/// repeated keys, a key spelt with a Kelvin sign or a combining accent.
struct PodLogsTests {
  static let words = [
    "pod", "prod/app-1", "Liveness", "é🙂x", "e\u{301}", "\u{E9}", "\"q\"", "a=b", "", "web", "containerName",
    "error", "\u{212A}elvin", "Kelvin", "probe", "err", "x\\ny", "\t",
  ]

  static func word(_ rng: inout SplitMix64) -> String { words[Int.random(in: 0..<words.count, using: &rng)] }

  /// Bytes of `line` (a broken character decoded with repairs, as a parser's bytes would be), or
  /// a word the line may not hold.
  static func piece(of line: String, _ rng: inout SplitMix64) -> String {
    let bytes = Array(line.utf8)
    guard !bytes.isEmpty, Bool.random(using: &rng) else { return word(&rng) }
    let from = Int.random(in: 0..<bytes.count, using: &rng)
    let to = Int.random(in: from...min(bytes.count, from + 40), using: &rng)
    return String(decoding: bytes[from..<to], as: UTF8.self)
  }

  static func maybe(_ s: String, _ rng: inout SplitMix64) -> String? { Bool.random(using: &rng) ? s : nil }

  static func record(_ n: Int, _ rng: inout SplitMix64) -> LogRecord {
    let pairs = (0..<Int.random(in: 0...6, using: &rng)).map { _ in (word(&rng), word(&rng) + word(&rng)) }
    let body = "\"" + word(&rng) + " failed\" " + pairs.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: " ")
    let origins: [LogRecord.Origin] = [.kubelet, .container, .node, .other]
    var r = LogRecord(
      origin: origins[n % origins.count], message: "",
      evidence: Evidence(
        ref: SourceRef(source: n % 5 == 0 ? "b.log" : "a.log", line: Int.random(in: 1...40, using: &rng)),
        text: Int.random(in: 0..<10, using: &rng) == 0 ? "" : "I1127 00:00:00.005030    4187 prober.go:107] " + body))
    switch Int.random(in: 0..<3, using: &rng) {
    case 0: r.text = body
    case 1: r.text = piece(of: body, &rng)
    default: r.text = r.evidence.text
    }
    r.fields = pairs.map { KeyValue($0.0, Bool.random(using: &rng) ? $0.1 : piece(of: body, &rng)) }
    r.message = Bool.random(using: &rng) ? r.text : piece(of: r.evidence.text, &rng)
    r.captures = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
      KeyValue(
        Bool.random(using: &rng) ? word(&rng) : piece(of: r.evidence.text, &rng), piece(of: r.evidence.text, &rng))
    }
    r.severity = maybe(Bool.random(using: &rng) ? "stderr" : piece(of: body, &rng), &rng)
    r.node = maybe(piece(of: body, &rng), &rng)
    r.namespace = maybe(piece(of: body, &rng), &rng)
    r.pod = maybe(piece(of: r.evidence.text, &rng), &rng)
    r.container = maybe(word(&rng), &rng)
    r.patternID = maybe(["kubelet.probe-failed", "node.killed-process", "p"][n % 3], &rng)
    r.pastedAt =
      Bool.random(using: &rng)
      ? nil : SourceRef(source: n % 2 == 0 ? "paste" : "pâste é", line: n % 8 == 1 ? Int.max : n % 4)
    r.previousRun = n % 7 == 0
    r.restartNumber = n % 3 == 0 ? (n % 2 == 0 ? n % 5 : Int.min + n) : nil
    r.time = n % 2 == 0 ? nil : TimeRange(exactly: Date(timeIntervalSince1970: Double(n)))
    return r
  }

  static func bytes(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }

  static func bytes(_ pairs: [KeyValue]) -> [[UInt8]] { pairs.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] } }

  @Test(arguments: 0..<20)
  func everyReadingIsTheRecordsOwn(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for n in 0..<200 {
      let r = Self.record(n, &rng)
      let p = PackedLog(r)
      #expect(p.record == r)
      #expect(p.evidence == r.evidence && Self.bytes(p.evidence.text) == Self.bytes(r.evidence.text))
      #expect(p.origin == r.origin && p.time == r.time && p.patternID == r.patternID && p.pastedAt == r.pastedAt)
      #expect(p.previousRun == r.previousRun && p.restartNumber == r.restartNumber && p.ref == r.evidence.ref)
      #expect(Self.bytes(p.text) == Self.bytes(r.text))
      #expect(Self.bytes(p.message) == Self.bytes(r.message))
      #expect(Self.bytes(p.severity) == Self.bytes(r.severity))
      #expect(Self.bytes(p.node) == Self.bytes(r.node))
      #expect(Self.bytes(p.namespace) == Self.bytes(r.namespace))
      #expect(Self.bytes(p.pod) == Self.bytes(r.pod))
      #expect(Self.bytes(p.container) == Self.bytes(r.container))
      #expect(p.fields == r.fields && Self.bytes(p.fields) == Self.bytes(r.fields))
      #expect(p.captures == r.captures && Self.bytes(p.captures) == Self.bytes(r.captures))
      let keys = Self.words + r.fields.map(\.key) + r.captures.map(\.key) + ["K", "elvin", "containerNam"]
      for key in keys {
        #expect(Self.bytes(p.field(key)) == Self.bytes(r.field(key)), "field \(key)")
        #expect(Self.bytes(p.capture(key)) == Self.bytes(r.capture(key)), "capture \(key)")
      }
    }
  }

  @Test(arguments: 0..<20)
  func aListIsTheRecordsItHolds(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    // A small pool, so lists repeat records; a record and its copy with an accent spelt the other
    // way are equal records in other bytes.
    var pool = (0..<12).map { Self.record($0, &rng) }
    for i in pool.indices where i % 4 == 0 {
      var other = pool[i]
      other.message = other.message.replacingOccurrences(of: "\u{E9}", with: "e\u{301}")
      other.evidence.text += "\u{E9}"
      var same = other
      same.evidence.text = String(same.evidence.text.dropLast()) + "e\u{301}"
      pool += [other, same]
    }
    func list() -> [LogRecord] {
      (0..<Int.random(in: 0...6, using: &rng)).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    for _ in 0..<100 {
      let a = list()
      let b = Bool.random(using: &rng) ? a.map { r in pool.first { $0 == r } ?? r } : list()
      let (x, y) = (PodLogs(a), PodLogs(b))
      #expect((x == y) == (a == b))
      if x == y { #expect(x.hashValue == y.hashValue) }
      #expect(x.count == a.count && x.records == a)
      // `packed` is the list read in place: the records the list hands out, in its order.
      #expect(x.packed == Array(x) && x.packed.map(\.record) == a)
      #expect(
        x.map(\.record) == a && x.map { Self.bytes($0.record.evidence.text) } == a.map { Self.bytes($0.evidence.text) })
      var sorted = x
      sorted.sortBySource()
      let expected = a.sorted(by: LogSample.order)
      #expect(sorted.map { Self.bytes($0.evidence.text) } == expected.map { Self.bytes($0.evidence.text) })
      #expect(sorted.records == expected)
      let coded = try encoder.encode(x)
      #expect(coded == (try encoder.encode(a)))
      #expect(try JSONDecoder().decode(PodLogs.self, from: coded) == x)
      var appended = PodLogs()
      for r in a { appended.append(r) }
      #expect(appended == x)
    }
  }

  /// A sample's records packed (`packedRecords`, what a pod's logs now hold) read back to the
  /// records the sample gave before (`records`), in the same order.
  @Test(arguments: 0..<10)
  func aSampleHandsOverItsRecordsPacked(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var sample = LogSample()
    for n in 0..<400 { sample.insert(Self.record(n, &rng)) }
    let packed = sample.packedRecords()
    #expect(packed.map(\.record) == sample.records)
    #expect(packed.map { Self.bytes($0.evidence.text) } == sample.records.map { Self.bytes($0.evidence.text) })
  }
}
