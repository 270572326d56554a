import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KubeJSONReader.read(_:pool:into:)` fills a document where it lies instead of building it from
/// locals and returning it (docs/architecture.md "Speed of the EventList path"). The reference is
/// what the reader stands in for, kept whole: Foundation's `JSONDecoder` through
/// `KubeDocument.init(from:)`, which the value-returning reader had to equal whenever it answered.
/// Both the in-place read and `document(_:)` must answer exactly when the other does, and then
/// give the decoder's document; a read that gives up leaves its partial document unused.
@Suite struct KubeDocumentInPlaceTests {
  /// The decoder's document, or nil when it fails or reports a problem (the reader must defer).
  private static func reference(_ bytes: [UInt8]) -> KubeDocument? {
    let decoder = JSONDecoder()
    let problems = DecodeProblems()
    decoder.userInfo[DecodeProblems.key] = problems
    guard let document = try? decoder.decode(KubeDocument.self, from: Data(bytes)), problems.messages.isEmpty
    else { return nil }
    return document
  }

  private static func check(_ bytes: [UInt8], pool: inout StringPool, _ label: String) -> Bool {
    var inPlace = KubeDocument.empty
    let answered = KubeJSONReader.read(bytes, pool: &pool, into: &inPlace)
    let value = KubeJSONReader.document(bytes)
    #expect(answered == (value != nil), "\(label): read and document disagree on answering")
    guard answered else { return false }
    #expect(inPlace == value, "\(label): the in-place document differs from the value")
    #expect(inPlace == reference(bytes), "\(label): the in-place document differs from JSONDecoder's")
    return true
  }

  @Test func readsEverySampleAsTheDecoderDoes() throws {
    var pool = StringPool()
    var answered = 0
    for (url, data) in ShippedSamples.contents(withExtensions: ["json", "ndjson", "log", "txt"]) {
      guard let text = String(data: data, encoding: .utf8), text.contains("{") else { continue }
      var scanner = JSONScanner()
      var values: [JSONScanner.Value] = []
      let handle: (JSONScanner.Output) -> Void = { if case .value(let v) = $0 { values.append(v) } }
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) { scanner.feedLine(line, handle) }
      scanner.finish(handle)
      for value in values where Self.check(value.bytes, pool: &pool, "\(url.lastPathComponent):\(value.startLine)") {
        answered += 1
      }
    }
    #expect(answered > 250)
  }

  /// Seeded random documents: events bare, in a watch envelope, in an eventrouter envelope (with
  /// and without a verb), lists with items, a bare container map, conditions; strings with a
  /// Kelvin sign, a dotted capital I, combining accents, CR, NUL, tabs, escapes, huge and empty.
  @Test func readsSeededRandomDocumentsAsTheDecoderDoes() {
    var rng = SplitMix64(seed: 0x1D0C_2026)
    let texts = [
      "", "web-0", "K\u{212A}elvin", "\u{130}stanbul", "e\u{301}te\u{301}", "cr\r", "nul\u{0}", "tab\there",
      "quote\"back\\slash", "Liveness probe failed: HTTP probe failed with statuscode: 503",
      String(repeating: "x", count: 70_000), "spec.containers{web}", "\u{1F600}",
    ]
    func quoted(_ s: String) -> String {
      let data = try? JSONEncoder().encode(s)
      return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
    func pick() -> String { texts[Int.random(in: 0..<texts.count, using: &rng)] }
    func value() -> String {
      // Mostly strings, so that most documents are ones the reader answers; a number or an array
      // where a string belongs now and then, which it must leave to the decoder.
      switch Int.random(in: 0..<40, using: &rng) {
      case 0: return String(Int.random(in: -5...5_000_000_000, using: &rng))
      case 1: return "[\(quoted(pick()))]"
      case 2..<6: return "null"
      default: return quoted(pick())
      }
    }
    func object() -> String {
      let keys = [
        "kind", "apiVersion", "type", "reason", "message", "note", "count", "firstTimestamp", "lastTimestamp",
        "eventTime", "reportingComponent", "reportingInstance", "status", "lastTransitionTime", "unknown", "id",
      ]
      var members: [String] = []
      for key in keys where Bool.random(using: &rng) { members.append("\(quoted(key)):\(value())") }
      if Bool.random(using: &rng) {
        members.append(
          #""metadata":{"name":\#(quoted(pick())),"namespace":\#(quoted(pick())),"uid":\#(value())}"#)
      }
      if Bool.random(using: &rng) {
        members.append(
          #""involvedObject":{"kind":"Pod","name":\#(quoted(pick())),"fieldPath":\#(value()),"uid":\#(value())}"#)
      }
      if Bool.random(using: &rng) { members.append(#""source":{"component":\#(value()),"host":\#(value())}"#) }
      if Int.random(in: 0..<10, using: &rng) == 0 { members.append(#""kind":"Event""#) }  // a repeated key
      members.shuffle(using: &rng)
      return "{" + members.joined(separator: Bool.random(using: &rng) ? "," : ",\n  ") + "}"
    }
    var pool = StringPool()
    var answered = 0
    for round in 0..<3_000 {
      let text: String
      switch Int.random(in: 0..<7, using: &rng) {
      case 0: text = #"{"type":"ADDED","object":\#(object())}"#
      case 1: text = #"{"verb":"UPDATED","event":\#(object()),"old_event":\#(object())}"#
      case 2: text = #"{"event":\#(object()),"reason":\#(value())}"#
      case 3: text = #"{"kind":"EventList","items":[\#(object()),\#(object())]}"#
      case 4: text = #"{"web":{"state":{"waiting":{"reason":"CrashLoopBackOff"}}}}"#
      case 5: text = #"{"type":"Ready","status":"False","lastTransitionTime":\#(value())}"#
      default: text = object()
      }
      var bytes = Array(text.utf8)
      if round % 10 == 0, !bytes.isEmpty {
        bytes.removeLast(Int.random(in: 1...min(8, bytes.count), using: &rng))  // cut short
      }
      if Self.check(bytes, pool: &pool, "round \(round): \(text.prefix(200))") { answered += 1 }
    }
    #expect(answered > 300)
  }

  /// The envelopes' objects (`watchObject`, `routedEvent`) are held out of line, behind an
  /// indirect case, so that a document is one object's size: each reads back what was set,
  /// a copy changed leaves the original as it was (value semantics, as when they were held in
  /// place), equality compares them, and the decoder and the memberwise form give the same.
  @Test func envelopesHeldOutOfLineBehaveAsValues() throws {
    var rng = SplitMix64(seed: 0x0B0E_2026)
    let texts = [
      "", "web-0", "K\u{212A}", "\u{130}", "e\u{301}", "cr\r", "nul\u{0}", "tab\t",
      String(repeating: "y", count: 5_000),
    ]
    for _ in 0..<500 {
      var object = KubeObject()
      object.kind = rng.below(4) == 0 ? nil : texts[rng.below(texts.count)]
      object.reason = texts[rng.below(texts.count)]
      object.message = rng.below(3) == 0 ? nil : texts[rng.below(texts.count)]
      var document = KubeDocument.empty
      #expect(document.watchObject == nil && document.routedEvent == nil && !document.hasWatchObject)
      document.watchObject = object
      if rng.below(2) == 0 { document.routedEvent = object }
      #expect(document.watchObject == object)
      #expect(document.hasWatchObject)
      var copy = document
      #expect(copy == document)
      copy.watchObject?.reason = "changed"
      copy.routedEvent = nil
      #expect(document.watchObject == object, "the original keeps its object")
      #expect(copy.watchObject?.reason == "changed")
      #expect(copy != document)
      copy.watchObject = nil
      #expect(!copy.hasWatchObject && copy.watchObject == nil)
      let built = KubeDocument(
        object: document.object, watchObject: document.watchObject, verb: nil, routedEvent: document.routedEvent,
        items: nil)
      #expect(built == document)
    }
    let json = Array(#"{"type":"ADDED","object":{"kind":"Event","reason":"K\u212Aill","message":"a\u0000b"}}"#.utf8)
    let decoded = try JSONDecoder().decode(KubeDocument.self, from: Data(json))
    var pool = StringPool()
    var read = KubeDocument.empty
    #expect(KubeJSONReader.read(json, pool: &pool, into: &read))
    #expect(read == decoded)
    #expect(decoded.watchObject?.reason == "K\u{212A}ill")
    #expect(decoded.watchObject?.message == "a\u{0}b")
    #expect(decoded.hasWatchObject)
  }
}
