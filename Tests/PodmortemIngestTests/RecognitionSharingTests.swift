import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `PatternCatalog.firstMatch(_:kind:sharing:)` takes a capture whose bytes are one of the given
/// values' as that value's string (docs/architecture.md "Speed of the kubelet-log path"). The hit
/// must be the one made without it: compared, as bytes, with `ReferenceRecognition` (the
/// recognition before the speed-ups, kept in `RecognitionSameTests`) and with `firstMatch(_:kind:)`,
/// on every sample line and klog body with the fields the klog parser reads from it, and on seeded
/// lines with values equal to the captures, one byte away from them, of the same length, spelt
/// otherwise (an accent composed and decomposed, a Kelvin sign for a `K`), empty, and hostile
/// (NUL, CR, tabs, a dotted capital I, bytes that are not UTF-8, repaired).
@Suite struct RecognitionSharingTests {
  static let catalog = RecognitionSameTests.catalog
  static let reference = RecognitionSameTests.reference

  static func check(_ text: String, _ values: [KeyValue]) {
    for kind in PatternKind.allCases {
      let new = catalog.firstMatch(text, kind: kind, sharing: values)
      let old = reference.firstMatch(text, kind: kind)
      #expect(RecognitionSameTests.bytes(new) == RecognitionSameTests.bytes(old), "\(kind): \(text) \(values)")
      #expect(
        RecognitionSameTests.bytes(new) == RecognitionSameTests.bytes(catalog.firstMatch(text, kind: kind)),
        "\(kind): \(text)")
    }
  }

  /// The fields the klog parser reads from `text` read as a klog body.
  static func fields(_ text: String) -> [KeyValue] {
    KlogBody.parse(Array(text.utf8), from: 0).fields
  }

  @Test func everySampleLineIsRecognisedAsWithoutSharing() {
    var shared = 0
    for line in SampleLines.all {
      let body = line.range(of: "] ").map { String(line[$0.upperBound...]) } ?? line
      let values = Self.fields(body)
      Self.check(body, values)
      if body != line { Self.check(line, values) }
      if let hit = Self.catalog.firstMatch(body, kind: .kubelet, sharing: values),
        hit.captures.contains(where: { c in values.contains { Array($0.value.utf8) == Array(c.value.utf8) } })
      {
        shared += 1
      }
    }
    // Real kubelet lines whose captures are their fields' values: the sharing is exercised.
    #expect(shared > 50)
  }

  @Test(arguments: 0..<6)
  func seededValuesNearTheCapturesAreRecognisedAsWithoutSharing(seed: UInt64) {
    var rng = SplitMix64(seed: 25_600 + seed)
    let hostile = ["\u{0}", "\r", "\t", "\u{130}", "e\u{301}", "é", "\u{212A}", "K", " "]
    let kubelet = SampleLines.all.compactMap { line -> String? in
      guard let mark = line.range(of: "] \"") else { return nil }
      return String(line[line.index(mark.lowerBound, offsetBy: 2)...])
    }
    #expect(kubelet.count > 50)
    for _ in 0..<600 {
      let text = rng.below(4) == 0 ? SampleLines.random(&rng) : kubelet[rng.below(kubelet.count)]
      let hit = Self.reference.firstMatch(text, kind: .kubelet)
      var values = rng.below(2) == 0 ? Self.fields(text) : []
      for capture in hit?.captures ?? [] where rng.below(3) != 0 {
        var b = Array(capture.value.utf8)
        switch rng.below(7) {
        case 0 where !b.isEmpty: b[rng.below(b.count)] ^= UInt8(1 << rng.below(7))
        case 1: b = Array(b.dropLast())
        case 2: b.insert(contentsOf: Array(hostile[rng.below(hostile.count)].utf8), at: rng.below(b.count + 1))
        case 3: b = Array(String(decoding: b, as: UTF8.self).decomposedStringWithCanonicalMapping.utf8)
        case 4: b = b.map { $0 == 0x4B ? 0 : $0 } + (b.contains(0x4B) ? [] : [0xFF])
        default: break
        }
        let value = String(decoding: b, as: UTF8.self)
        values.insert(KeyValue("k\(rng.below(3))", value), at: rng.below(values.count + 1))
      }
      if rng.below(5) == 0 { values.append(KeyValue("empty", "")) }
      Self.check(text, values)
    }
  }
}
