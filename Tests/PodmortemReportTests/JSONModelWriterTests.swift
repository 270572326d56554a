import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// The JSON report's events, findings and pods written straight from the model
/// (`JSONModelWriter.swift`) against the DTOs that wrote them before, and the word-at-a-time
/// string escaper against `JSONEncoder`, on seeded random values (docs/architecture.md "JSON,
/// fast and streamed").
@Suite("the JSON report written from the model as the DTOs wrote it")
struct JSONModelWriterTests {
  /// Strings that meet every branch: empty, ASCII, every byte the writer escapes, non-ASCII
  /// (canonically equivalent spellings of `é`), `/`, U+2028, and long clean runs.
  static let pieces = [
    "", "a", "Pod", "pod", "Z", "kube-system", "\"", "\\", "/", "\n", "\t", "\r", "\u{8}", "\u{C}", "\u{1}", "\u{1F}",
    "\u{7F}", "é", "e\u{301}", "☃", "😀", "\u{2028}", "\u{202E}", ", ", "Deployment", "0123456789abcdef",
  ]

  static func text(_ rng: inout SplitMix64, maxPieces: Int = 6) -> String {
    (0..<Int.random(in: 0...maxPieces, using: &rng)).map { _ in pieces[Int.random(in: pieces.indices, using: &rng)] }
      .joined()
  }

  static func optional(_ rng: inout SplitMix64) -> String? {
    Int.random(in: 0..<3, using: &rng) == 0 ? nil : text(&rng)
  }

  static func range(_ rng: inout SplitMix64) -> TimeRange? {
    guard Bool.random(using: &rng) else { return nil }
    let start = Double(Int.random(in: 0...2_000_000_000, using: &rng)) + (Bool.random(using: &rng) ? 0 : 0.5)
    let width = Double(Int.random(in: 0...90, using: &rng))
    return TimeRange(
      earliest: Date(timeIntervalSince1970: start), latest: Date(timeIntervalSince1970: start + width))
  }

  static func evidence(_ rng: inout SplitMix64) -> [Evidence] {
    (0..<Int.random(in: 0...3, using: &rng)).map { _ in
      Evidence(
        ref: SourceRef(source: text(&rng, maxPieces: 2), line: Int.random(in: -1...50, using: &rng)), text: text(&rng))
    }
  }

  static func event(_ rng: inout SplitMix64) -> MergedEvent {
    let object = ObjectRef(
      kind: optional(&rng), namespace: optional(&rng), name: Int.random(in: 0..<5, using: &rng) == 0 ? "" : text(&rng),
      uid: optional(&rng), fieldPath: optional(&rng),
      pastedAt: Bool.random(using: &rng) ? nil : SourceRef(source: text(&rng), line: Int.random(in: 0...3, using: &rng))
    )
    let type: EventType = [.normal, .warning, .other(text(&rng))][Int.random(in: 0..<3, using: &rng)]
    return MergedEvent(
      involved: object, type: type, reason: text(&rng), message: text(&rng), template: optional(&rng),
      exemplars: (0..<Int.random(in: 0...2, using: &rng)).map { _ in text(&rng) },
      sourceComponent: Bool.random(using: &rng) ? nil : [optional(&rng) ?? "", ""][Int.random(in: 0..<2, using: &rng)],
      sourceHost: Bool.random(using: &rng) ? nil : [optional(&rng) ?? "", ""][Int.random(in: 0..<2, using: &rng)],
      count: Int.random(in: -1...100_000, using: &rng), firstSeen: range(&rng), lastSeen: range(&rng),
      objects: Int.random(in: 0...5, using: &rng),
      caveats: (0..<Int.random(in: 0...2, using: &rng)).map { _ in text(&rng) },
      evidence: evidence(&rng))
  }

  /// Keys that repeat, ASCII and not, some canonically equivalent but of other bytes.
  static let keys = ["a", "b", "B", "Ready", "ready", "é", "e\u{301}", "", "\"q", "zz", "a\u{1}"]

  static func pairs(_ rng: inout SplitMix64) -> [KeyValue] {
    let ascii = Bool.random(using: &rng)
    return (0..<Int.random(in: 0...6, using: &rng)).map { _ in
      let pool = ascii ? keys.filter { $0.utf8.allSatisfy { $0 < 0x80 } } : keys
      return KeyValue(pool[Int.random(in: pool.indices, using: &rng)], text(&rng, maxPieces: 2))
    }
  }

  static func finding(_ rng: inout SplitMix64) -> Finding {
    var f = Finding(
      ruleID: text(&rng),
      category: FindingCategory.allCases[Int.random(in: FindingCategory.allCases.indices, using: &rng)],
      severity: Severity.allCases[Int.random(in: Severity.allCases.indices, using: &rng)],
      subject: Subject(
        namespace: optional(&rng), pod: optional(&rng), container: optional(&rng), object: optional(&rng)),
      title: text(&rng), explanation: text(&rng), remedy: text(&rng), facts: pairs(&rng), evidence: evidence(&rng))
    if Bool.random(using: &rng) {
      f.severityOverriddenFrom = Severity.allCases[Int.random(in: Severity.allCases.indices, using: &rng)]
    }
    return f
  }

  static func state(_ rng: inout SplitMix64) -> ContainerState? {
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: return nil
    case 1: return .waiting(reason: optional(&rng), message: optional(&rng))
    case 2: return .running(startedAt: range(&rng))
    default:
      return .terminated(
        Termination(
          reason: optional(&rng), message: optional(&rng), exitCode: Int.random(in: -2...255, using: &rng),
          signal: Bool.random(using: &rng) ? nil : Int.random(in: 1...31, using: &rng), startedAt: range(&rng),
          finishedAt: range(&rng)))
    }
  }

  static func map(_ rng: inout SplitMix64) -> [String: String] {
    Dictionary(pairs(&rng).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
  }

  static func container(_ rng: inout SplitMix64) -> ContainerSnapshot {
    var c = ContainerSnapshot(name: text(&rng))
    c.role = [.container, .initContainer, .ephemeral][Int.random(in: 0..<3, using: &rng)]
    c.image = optional(&rng)
    c.state = state(&rng)
    c.lastState = state(&rng)
    c.ready = Bool.random(using: &rng) ? nil : Bool.random(using: &rng)
    c.restartCount = Bool.random(using: &rng) ? nil : Int.random(in: 0...9, using: &rng)
    c.limits = map(&rng)
    c.requests = map(&rng)
    for kind in ProbeSpec.Kind.allCases where Bool.random(using: &rng) {
      let handler: ProbeHandler = [
        .httpGet(scheme: "HTTP", host: text(&rng), port: "8080", path: text(&rng)),
        .tcpSocket(host: "", port: text(&rng)),
        .exec(command: [text(&rng), text(&rng)]), .grpc(port: "1", service: text(&rng)), .unknown,
      ][Int.random(in: 0..<5, using: &rng)]
      c.probes[kind] = ProbeSpec(
        handler: handler, initialDelaySeconds: Int.random(in: 0...9, using: &rng), timeoutSeconds: 1, periodSeconds: 10,
        successThreshold: 1, failureThreshold: Int.random(in: 1...5, using: &rng))
    }
    c.environmentNames = (0..<Int.random(in: 0...2, using: &rng)).map { _ in text(&rng) }
    return c
  }

  static func pod(_ rng: inout SplitMix64) -> PodHistory {
    var s = PodSnapshot(name: text(&rng), namespace: optional(&rng))
    s.uid = optional(&rng)
    s.node = optional(&rng)
    s.phase = optional(&rng)
    s.displayStatus = Bool.random(using: &rng) ? nil : optional(&rng)
    s.reason = optional(&rng)
    s.message = optional(&rng)
    s.terminating = Bool.random(using: &rng)
    s.deletionTimestamp = range(&rng)
    s.deletionGracePeriodSeconds = Bool.random(using: &rng) ? nil : Int.random(in: 0...60, using: &rng)
    s.finalizers = (0..<Int.random(in: 0...2, using: &rng)).map { _ in text(&rng) }
    s.controlledBy = optional(&rng)
    s.restarts = Bool.random(using: &rng) ? nil : Int.random(in: 0...99, using: &rng)
    s.conditions = pairs(&rng).map { PodCondition(type: $0.key, status: $0.value) }
    s.containers = (0..<Int.random(in: 0...3, using: &rng)).map { _ in container(&rng) }
    let unnamed = Int.random(in: 0..<4, using: &rng) == 0
    var key = PodKey(namespace: text(&rng), name: unnamed ? "" : text(&rng), uid: optional(&rng))
    if Bool.random(using: &rng) {
      key.pastedAt = SourceRef(source: text(&rng), line: Int.random(in: 0...9, using: &rng))
    }
    return PodHistory(
      key: key, snapshots: Array(repeating: s, count: Int.random(in: 1...3, using: &rng)), latest: s,
      events: (0..<Int.random(in: 0...2, using: &rng)).map { _ in event(&rng) })
  }

  @Test("events, findings and pods: the bytes the DTOs wrote")
  func sameAsDTOs() {
    var rng = SplitMix64(seed: 16_016)
    for _ in 0..<3_000 {
      let e = Self.event(&rng)
      #expect(
        ReportFastPathTests.written { $0.event(e) } == ReportFastPathTests.written { EventDTO(e).write(to: &$0) })
      let f = Self.finding(&rng)
      #expect(
        ReportFastPathTests.written { $0.finding(f) } == ReportFastPathTests.written { FindingDTO(f).write(to: &$0) })
      let p = Self.pod(&rng)
      #expect(
        ReportFastPathTests.written { $0.pod(p) }
          == ReportFastPathTests.written { PodDTO(p, reveal: false).write(to: &$0) })
    }
  }

  @Test("strings escaped as JSONEncoder escapes them, eight bytes at a time or one")
  func escapesAsJSONEncoder() throws {
    var rng = SplitMix64(seed: 2_028)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    for _ in 0..<400 {
      // Random scalars of every width (controls, quotes, backslashes, ASCII, 2-, 3- and 4-byte
      // UTF-8, U+2028), in runs long enough to cross word boundaries at every offset.
      let strings = (0..<20).map { _ -> String in
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
          let v: UInt32 =
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: UInt32.random(in: 0...0x1F, using: &rng)
            case 1: [0x22, 0x5C, 0x2F, 0x7F][Int.random(in: 0..<4, using: &rng)]
            case 2: UInt32.random(in: 0x80...0x7FF, using: &rng)
            case 3: [0x2028, 0x2029, 0x202E, 0xFEFF, 0xFFFD][Int.random(in: 0..<5, using: &rng)]
            case 4: UInt32.random(in: 0x1_0000...0x10_FFFF, using: &rng)
            default: UInt32.random(in: 0x20...0x7E, using: &rng)
            }
          if let scalar = Unicode.Scalar(v) { s.append(scalar) }
        }
        return String(s)
      }
      let expected = String(decoding: try encoder.encode(strings), as: UTF8.self)
      #expect(ReportFastPathTests.written { $0.strings(strings) } == expected)
    }
  }

  @Test("times off the second written from the memo as Foundation formatted them, among colliding slots")
  func memoizedTimes() {
    var rng = SplitMix64(seed: 1_001)
    // A pool larger than the memo's slots, of fractional, whole, out-of-range and odd values,
    // each met many times in random order by one writer.
    var pool: [Double] = [.nan, -.nan, .infinity, -.infinity, -0.0, 0.001, -0.5, 253_402_300_800.5, -62_135_596_800.25]
    for _ in 0..<600 {
      let second = Double(Int.random(in: 0...2_000_000_000, using: &rng))
      pool.append(second + [0.001, 0.5, 0.999, 0.0001, 0.25][Int.random(in: 0..<5, using: &rng)])
      pool.append(second)
    }
    let dates = (0..<20_000).map { _ in Date(timeIntervalSince1970: pool[Int.random(in: pool.indices, using: &rng)]) }
    let written = ReportFastPathTests.timesAndFormatted(dates)
    #expect(written.time == written.formatted)
  }

  @Test("strings longer than the buffer, and deep nesting, written as JSONEncoder writes them")
  func longStringsAndDepth() throws {
    var rng = SplitMix64(seed: 70_000)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    for length in [65_535, 65_536, 69_632, 69_633, 200_000] {
      let clean = String(repeating: "abcdefgh", count: length / 8 + 1).prefix(length)
      let dirty = (0..<length / 4).map { _ in ["\"", "\n", "a", "é"][Int.random(in: 0..<4, using: &rng)] }.joined()
      let list = ["head", String(clean), dirty, "tail"]
      #expect(
        ReportFastPathTests.written { $0.strings(list) } == String(decoding: try encoder.encode(list), as: UTF8.self))
    }
    var nested: [[[[[[[[[[[String]]]]]]]]]]] = [[[[[[[[[[["deep", "er"]]]]]]]]]]]
    nested.append([])
    let written = ReportFastPathTests.written { w in
      w.beginArray()
      w.element()
      Self.nest(&w, depth: 1)
      w.element()
      w.beginArray()
      w.endArray()
      w.endArray()
    }
    #expect(written == String(decoding: try encoder.encode(nested), as: UTF8.self))
  }

  /// Arrays in arrays down to depth 10, the last holding two strings.
  static func nest(_ w: inout JSONStreamWriter, depth: Int) {
    w.beginArray()
    w.element()
    if depth < 10 {
      nest(&w, depth: depth + 1)
    } else {
      w.string("deep")
      w.element()
      w.string("er")
    }
    w.endArray()
  }
}
