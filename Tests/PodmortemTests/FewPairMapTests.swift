import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import Podmortem
@testable import PodmortemReport

/// A finding's facts and a pod's conditions are written as a map, keys in their bytes' order;
/// a few pairs with ASCII keys are now ordered by insertion on the stack, by each key's first
/// eight bytes read as one number (`JSONStreamWriter.fewPairMap`, docs/architecture.md "JSON, fast
/// and streamed"). `reference` is the code it went around, kept here as the reference: on the
/// facts and conditions of every sample and on seeded random pairs (equal keys, keys equal in
/// their first eight bytes, NUL, tabs, CR, empty, long and non-ASCII keys: a Kelvin sign, a
/// dotted capital İ, combining accents), both must write the same bytes.
@Suite struct FewPairMapTests {
  /// `JSONStreamWriter.pairMap` as it was.
  static func reference(_ w: inout JSONStreamWriter, _ pairs: [KeyValue], keepLast: Bool) {
    guard pairs.allSatisfy({ $0.key.utf8.allSatisfy { $0 < 0x80 } }) else {
      w.stringMap(
        Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, last in keepLast ? last : first }))
      return
    }
    w.beginObject()
    if pairs.count == 1 {
      w.key(text: pairs[0].key)
      w.string(pairs[0].value)
    } else if !pairs.isEmpty {
      let order = pairs.indices.sorted { a, b in
        pairs[a].key == pairs[b].key ? a < b : pairs[a].key.utf8.lexicographicallyPrecedes(pairs[b].key.utf8)
      }
      var i = 0
      while i < order.count {
        var j = i + 1
        while j < order.count, pairs[order[j]].key == pairs[order[i]].key { j += 1 }
        let chosen = pairs[order[keepLast ? j - 1 : i]]
        w.key(text: chosen.key)
        w.string(chosen.value)
        i = j
      }
    }
    w.endObject()
  }

  /// The bytes `body` writes, nested in an array as the report nests a map.
  static func written(_ body: (inout JSONStreamWriter) -> Void) -> [UInt8] {
    final class Bytes { var data: [UInt8] = [] }
    let bytes = Bytes()
    var w = JSONStreamWriter { chunk in
      bytes.data.append(contentsOf: chunk)
      return true
    }
    w.beginArray()
    w.element()
    body(&w)
    w.endArray()
    w.flush()
    return bytes.data
  }

  static func same(_ pairs: [KeyValue]) {
    for keepLast in [false, true] {
      let old = written { reference(&$0, pairs, keepLast: keepLast) }
      let new = written { $0.pairMap(pairs, keepLast: keepLast) }
      #expect(old == new, "\(pairs)")
    }
  }

  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test("the facts of every finding and the conditions of every pod of the samples")
  func samples() {
    let options = AnalysisOptions(
      inputs: [Self.repo.appendingPathComponent("samples").path], now: Date(timeIntervalSince1970: 1_795_740_000))
    let report = Analysis(options: options).run(diagnostics: { _ in }).report
    var maps = report.findings.map(\.facts)
    maps += report.state.pods.map { $0.latest.conditions.map { KeyValue($0.type, $0.status) } }
    #expect(maps.count(where: { $0.count > 1 }) > 50)
    for pairs in maps { Self.same(pairs) }
  }

  static func key(_ rng: inout SplitMix64) -> String {
    let pool = [
      "", "a", "b", "ab", "a\u{0}", "a\u{0}b", "exitCode", "exitCodes", "exitCode\u{0}", "exitCodf", "container",
      "containerName", "containerPort", "Ready", "ContainersReady", "PodScheduled", "PodReadyToStartContainers",
      "tab\tkey", "cr\rkey", "\u{7F}", "~", " ", "\u{212A}elvin", "Kelvin", "\u{130}stanbul", "caf\u{E9}",
      "cafe\u{301}",
      String(repeating: "k", count: 300), String(repeating: "k", count: 299) + "j",
    ]
    switch rng.below(6) {
    case 0: return String(decoding: rng.hostileBytes(count: rng.below(12)), as: UTF8.self)
    // ASCII of any byte, equal in the first eight bytes or not.
    case 1: return "prefix00" + String(decoding: (0..<rng.below(4)).map { _ in UInt8(rng.below(128)) }, as: UTF8.self)
    default: return pool[rng.below(pool.count)]
    }
  }

  @Test("seeded random pairs: equal keys, shared first eight bytes, controls, long and non-ASCII keys")
  func seeded() {
    var rng = SplitMix64(seed: 1_616)
    for round in 0..<4_000 {
      // Mostly a few pairs; some over `fewPairs`, written by `pairMap`'s sort as before.
      let count = round % 50 == 0 ? JSONStreamWriter.fewPairs + rng.below(10) : rng.below(12)
      let pairs = (0..<count).map { i in KeyValue(Self.key(&rng), "v\(i)") }
      Self.same(pairs)
    }
  }

  @Test("a key's first eight bytes read in their order, nil for non-ASCII")
  func heads() {
    #expect(JSONStreamWriter.asciiHead("") == 0)
    #expect(JSONStreamWriter.asciiHead("a") == 0x6100_0000_0000_0000)
    #expect(JSONStreamWriter.asciiHead("abcdefghij") == 0x6162_6364_6566_6768)
    #expect(JSONStreamWriter.asciiHead("caf\u{E9}") == nil)
    #expect(JSONStreamWriter.asciiHead(String(repeating: "a", count: 40) + "\u{212A}") == nil)
  }
}
