import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KubeJSONReader.nextKey` takes a member whose separator (the comma, line end, indentation,
/// quoted key, colon and white space) has the bytes of the one that followed the last member the
/// last time, from `MemberMemo`, instead of reading it (docs/architecture.md "Speed of the
/// EventList path"). The reference is the reader with the memo off (`isOn` false), which reads
/// every key as before: both must answer alike and give the same document, byte for byte, for
/// every document of a sequence read through one pool, and the memo must be taken.
@Suite struct MemberMemoTests {
  /// A document's every string, byte for byte, with its structure (a dictionary's members in
  /// the order of their bytes: two equal dictionaries may list them in different orders).
  private static func spelled(_ value: Any) -> [UInt8] {
    if let text = value as? String { return [0x22] + Array(text.utf8) + [0x22] }
    let mirror = Mirror(reflecting: value)
    if mirror.children.isEmpty { return Array(String(reflecting: value).utf8) }
    var parts = mirror.children.map { Array(($0.label ?? "").utf8) + [0x3D] + spelled($0.value) }
    if mirror.displayStyle == .dictionary || mirror.displayStyle == .set {
      parts.sort { $0.lexicographicallyPrecedes($1) }
    }
    return Array("\(mirror.subjectType)(".utf8) + Array(parts.joined(separator: [0x2C])) + [0x29]
  }

  /// Reads `documents` in order through a pool with the memo and one without; the count of
  /// members the memo gave.
  @discardableResult
  private static func compare(_ documents: [[UInt8]], _ label: String) -> Int {
    var pool = StringPool()
    var otherPool = StringPool()
    var on = MemberMemo()
    var off = MemberMemo()
    off.isOn = false
    for (n, bytes) in documents.enumerated() {
      var fast = KubeDocument.empty
      var slow = KubeDocument.empty
      let fastAnswer = KubeJSONReader.read(bytes, pool: &pool, members: &on, into: &fast)
      let slowAnswer = KubeJSONReader.read(bytes, pool: &otherPool, members: &off, into: &slow)
      #expect(fastAnswer == slowAnswer, "\(label) #\(n): the answers differ")
      // A read that gives up leaves a partial document: the same one, since each step is the same.
      #expect(fast == slow, "\(label) #\(n): the documents differ")
      #expect(spelled(fast) == spelled(slow), "\(label) #\(n): the documents' bytes differ")
    }
    #expect(off.hits == 0)
    return on.hits
  }

  @Test func everyTableHasItsOwnID() {
    let ids = KubeJSONKeys.all.map(\.id)
    #expect(ids.count == 29)
    #expect(Set(ids).count == ids.count)
    #expect(!ids.contains(0))
    #expect(KeyTable(["kind"]).id == 0)
  }

  /// Every JSON value of the samples, in order and then again, through one pool.
  @Test func readsEverySampleAsWithoutTheMemo() throws {
    var documents: [[UInt8]] = []
    for file in ShippedSamples.contents(withExtensions: ["json", "ndjson", "log", "txt"]) {
      guard let text = String(data: file.data, encoding: .utf8), text.contains("{") else { continue }
      var scanner = JSONScanner()
      let handle: (JSONScanner.Output) -> Void = { if case .value(let v) = $0 { documents.append(v.bytes) } }
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) { scanner.feedLine(line, handle) }
      scanner.finish(handle)
    }
    #expect(documents.count > 250)
    #expect(Self.compare(documents + documents, "samples") > 1_000)
  }

  private static let hostile = [
    "", "web-0", "K\u{212A}elvin", "\u{130}stanbul", "e\u{301}te\u{301}", "cr\r", "nul\u{0}", "tab\there",
    "quote\"back\\slash", "Liveness probe failed: HTTP probe failed with statuscode: 503", "spec.containers{app}",
    "\u{1F600}", String(repeating: "x", count: 70_000),
  ]

  private static func quoted(_ s: String) -> String {
    let data = try? JSONEncoder().encode(s)
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
  }

  /// An event as kubectl prints it, its members in key order, some left out, renamed or added,
  /// indented by `indent` a level with `newline` line ends (none: compact) and `colon` after keys.
  private static func event(_ rng: inout SplitMix64, indent: String, newline: String, colon: String) -> String {
    func pick() -> String { hostile[rng.below(hostile.count)] }
    func value() -> String {
      switch rng.below(30) {
      case 0: return String(rng.below(5_000_000))
      case 1: return "null"
      case 2: return "[\(quoted(pick()))]"
      default: return rng.below(3) == 0 ? quoted(pick()) : quoted("app-\(rng.below(50))")
      }
    }
    func key(_ k: String) -> String {
      switch rng.below(200) {
      case 0: return #""\u006b\#(k.dropFirst())""#  // escaped: the reader defers
      case 1: return "\"\u{212A}\(k)\""  // not ASCII
      case 2: return "\"\(k)x\""
      default: return "\"\(k)\""
      }
    }
    func object(_ members: [(String, String)], depth: Int) -> String {
      let inner = newline.isEmpty ? "" : String(repeating: indent, count: depth + 1)
      let outer = newline.isEmpty ? "" : String(repeating: indent, count: depth)
      var kept = members.filter { _ in rng.below(12) != 0 }
      if rng.below(15) == 0, let first = kept.first { kept.append(first) }  // a key repeated
      if rng.below(20) == 0 { kept.shuffle(using: &rng) }
      let body = kept.map { inner + key($0.0) + colon + $0.1 }.joined(separator: "," + newline)
      return "{" + newline + body + (kept.isEmpty ? "" : newline) + outer + "}"
    }
    let involved = object(
      [
        ("apiVersion", quoted("v1")), ("fieldPath", value()), ("kind", quoted("Pod")), ("name", value()),
        ("namespace", quoted("prod")), ("resourceVersion", quoted("1000")), ("uid", value()),
      ], depth: 1)
    let metadata = object(
      [
        ("creationTimestamp", quoted("2026-11-27T00:04:03Z")), ("name", value()), ("namespace", quoted("prod")),
        ("resourceVersion", quoted("5000")), ("uid", value()),
      ], depth: 1)
    let source = object([("component", quoted("kubelet")), ("host", value())], depth: 1)
    return object(
      [
        ("apiVersion", quoted("v1")), ("count", String(rng.below(100))), ("eventTime", "null"),
        ("firstTimestamp", quoted("2026-11-27T00:04:03Z")), ("involvedObject", involved), ("kind", quoted("Event")),
        ("lastTimestamp", quoted("2026-11-27T00:04:43Z")), ("message", value()), ("metadata", metadata),
        ("reason", value()), ("reportingComponent", value()), ("reportingInstance", value()), ("source", source),
        ("type", quoted(rng.below(2) == 0 ? "Warning" : "Normal")),
      ], depth: 0)
  }

  /// Seeded lists of events, each read as its own document through one pool: pretty-printed
  /// with two, four, eight or seventy spaces, a tab, CR LF or nothing between members, a space
  /// before the colon; members left out, repeated, shuffled, renamed, written with an escape or
  /// a Kelvin sign; hostile values; documents cut short (inside a key, right after a colon), a
  /// byte of a separator replaced, a `{` or `}` inserted.
  @Test func readsSeededEventListsAsWithoutTheMemo() {
    var rng = SplitMix64(seed: 0x3E3B_2026)
    var total = 0
    for round in 0..<120 {
      let indent = ["  ", "    ", "        ", String(repeating: " ", count: 70), "\t"][rng.below(5)]
      let newline = ["\n", "\n", "\r\n", ""][rng.below(4)]
      let colon = [": ", ": ", ":", " : ", ":\t"][rng.below(5)]
      var documents: [[UInt8]] = []
      for _ in 0..<(20 + rng.below(40)) {
        var bytes = Array(Self.event(&rng, indent: indent, newline: newline, colon: colon).utf8)
        switch rng.below(12) {
        case 0: bytes.removeLast(rng.below(bytes.count))
        case 1:
          // Cut right after a colon or a key's closing quote.
          if let cut = bytes.indices.filter({ bytes[$0] == 0x3A || bytes[$0] == 0x22 }).randomElement(using: &rng) {
            bytes.removeSubrange((cut + 1)...)
          }
        case 2: bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.below(256))
        case 3: bytes.insert([0x7B, 0x7D, 0x2C, 0x20, 0x0A][rng.below(5)], at: rng.below(bytes.count))
        default: break
        }
        documents.append(bytes)
      }
      total += Self.compare(documents, "round \(round)")
    }
    #expect(total > 20_000)
  }

  /// A separator that ends where the buffer does, or one byte before it, or is followed by white
  /// space or another byte: each read as without the memo, after the same document taught it.
  @Test func separatorsAtTheBufferEnd() {
    let whole = #"{"kind": "Event", "reason": "BackOff", "type": "Warning"}"#
    var documents = [Array(whole.utf8), Array(whole.utf8)]
    for cut in 1..<whole.utf8.count { documents += [Array(whole.utf8), Array(whole.utf8.prefix(cut))] }
    for tail in [" ", "\t", "\r", "\n", "x", "\u{0}", "\u{212A}"] {
      documents += [Array(whole.utf8), Array(#"{"kind": "Event", "reason":\#(tail)"BackOff"}"#.utf8)]
      documents += [Array(whole.utf8), Array(#"{"kind": "Event", "reason": \#(tail)"BackOff"}"#.utf8)]
    }
    #expect(Self.compare(documents, "ends") > 100)
  }
}
