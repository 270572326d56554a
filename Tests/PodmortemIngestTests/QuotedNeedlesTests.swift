import Foundation
import PodmortemInput
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// The JSON sniffer looks for its quoted keys in a line at once (`ASCIISearch.QuotedNeedles`)
/// instead of one `has` per key. These tests hold the new search to `has`, and the sniffer to the
/// one it replaced, kept here whole as the reference.
@Suite struct QuotedNeedlesTests {
  /// `ObjectStreamParser.has` as it is: bytes where `ASCIISearch` can say, Foundation otherwise.
  static func has(_ needle: String, _ text: String) -> Bool {
    ASCIISearch.contains(needle, in: text) ?? text.contains(needle)
  }

  /// The sniffer before `QuotedNeedles`: the keys asked one by one, a needle built per key and line.
  static func referenceSniff(head: [Line], info: SourceInfo) -> Int {
    var opened = false
    var member = false
    for line in head where !line.text.allSatisfy(\.isWhitespace) && !ObjectStreamParser.isPasteBoundary(line.text) {
      if line.number == 1, ObjectStreamParser.isCutTag(line.text) { continue }
      let payload = ObjectStreamParser.klogPayload(line.text)
      if let payload, payload.first != "{" { continue }
      opened = ObjectStreamParser.opensJSON(payload ?? line.text[...])
      member =
        !opened && (ObjectStreamParser.isMemberFragment(line.text) || ObjectStreamParser.isExcerptTail(line.text))
      break
    }
    if member || opened {
      var pieces: Set<String> = []
      for line in head {
        for key in ObjectStreamParser.pieceKeys where !pieces.contains(key) && has("\"\(key)\"", line.text) {
          pieces.insert(key)
        }
      }
      let conditions = pieces.contains("type") && pieces.contains("status") && pieces.contains("lastTransitionTime")
      let containers =
        pieces.contains("state") || pieces.contains("restartCount") || pieces.contains("containerStatuses")
      if member { return containers || conditions || ObjectStreamParser.isJSONExcerpt(head) ? 60 : 0 }
      if conditions && !head.contains(where: { has("\"kind\"", $0.text) }) { return 60 }
    }
    guard opened else { return 0 }
    let keys = ["apiVersion", "kind", "items", "type", "object", "verb", "event", "involvedObject", "regarding"]
    var seen: Set<String> = []
    for line in head {
      for key in keys where !seen.contains(key) && has("\"\(key)\"", line.text) { seen.insert(key) }
      if has("\"ts\":", line.text) && has("\"msg\":", line.text) { return 0 }
    }
    if seen.contains("verb") && seen.contains("event") { return 95 }
    if seen.contains("type") && seen.contains("object") { return 95 }
    if seen.contains("apiVersion") || seen.contains("kind") || seen.contains("involvedObject")
      || seen.contains("regarding") || seen.contains("items")
    {
      return 90
    }
    return ObjectStreamParser.itemKind(listKind: nil, role: info.bundleFile.role) == nil ? 0 : 80
  }

  /// Lines made of the needles' pieces, quotes, escapes and non-ASCII that sits next to a quote.
  static func randomLine(_ rng: inout SplitMix64) -> String {
    let pieces = [
      "\"", "\\\"", "kind", "\"kind\"", "\"kind", "kind\"", "\"ts\":", "\"msg\":", "\"ts\"", ":", " ", "{", "}",
      "\"items\": [", "\"type\": \"ADDED\"", "\"object\"", "\"verb\"", "\"event\"", "\"state\"", "\"status\"",
      "\"lastTransitionTime\"", "\"restartCount\"", "\"containerStatuses\"", "\"involvedObject\"", "\"regarding\"",
      "\"apiVersion\"", "é", "e\u{301}", "\u{301}", "K", "\u{212A}", "İ", "\r", "\u{0}", "\t", "\"\u{301}", "x",
    ]
    return (0..<rng.below(14)).map { _ in pieces[rng.below(pieces.count)] }.joined()
  }

  @Test func foundIsHasForEveryNeedle() {
    var rng = SplitMix64(seed: 7)
    let lines = KubectlBytesTests.sampleLines + (0..<20_000).map { _ in Self.randomLine(&rng) }
    for needles in [ObjectStreamParser.keyNeedles, ObjectStreamParser.pieceNeedles] {
      for line in lines {
        var expected: UInt64 = 0
        for (i, needle) in needles.needles.enumerated() where Self.has(needle, line) {
          expected |= UInt64(1) << UInt64(i)
        }
        #expect(needles.found(in: line) == expected, "\(line.debugDescription)")
      }
    }
  }

  @Test func theSnifferAnswersAsBefore() {
    var rng = SplitMix64(seed: 8)
    var heads = SniffBarTests.heads.map { ($0.name, $0.head, $0.infos) }
    for n in 0..<600 {
      // JSON heads (so the key scan runs), member fragments and condition arrays, mixed with noise.
      let opening = ["{", "[", "  \"containerStatuses\": [", "\"web\": {", "[{\"type\": \"Ready\"", "{\"ts\":1,"]
      var lines = [opening[rng.below(opening.count)]]
      for _ in 0..<rng.below(30) { lines.append(Self.randomLine(&rng)) }
      heads.append(
        ("seeded json \(n)", lines.enumerated().map { Line(number: $0 + 1, text: $1) }, SniffBarTests.infos("x")))
    }
    var checked = 0
    for (name, head, infos) in heads {
      for info in infos {
        #expect(
          ObjectStreamParser.sniff(head: head, info: info) == Self.referenceSniff(head: head, info: info), "\(name)")
        checked += 1
      }
    }
    #expect(checked > 3_000)
  }
}
