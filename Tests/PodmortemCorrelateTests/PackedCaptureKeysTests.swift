import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PackedLog.firstCaptures` finds, in one walk, the captures `capture(_:)` finds one key at a
/// time (docs/architecture.md "Speed of the probe rules"). `capture(_:)` and the decoded list
/// (`captures.first { $0.key == key }`) are the reference: for every key asked, the value at the
/// place found is theirs byte for byte, and a key is handed over exactly when they find it, on
/// every log record of the repository's samples and on seeded hostile records whose captures
/// are named by shipped names, near misses of them (a Kelvin sign for a `K`, a dotted capital I,
/// a combining accent, NUL, CR, a tab, the empty name), repeated names and names of random bytes.
@Suite struct PackedCaptureKeysTests {
  static func bytes(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }

  /// The key lists asked: the probe lines' own, every shipped name, near misses, repeats, none.
  static let keyLists: [[String]] = [
    ["probe", "container", "output", "error", "mode", "statusCode"],
    Array(CaptureNameIndex.names.prefix(CaptureKeys.most)),
    Array(CaptureNameIndex.names.suffix(CaptureKeys.most)),
    ["", "probe", "probe", "\u{212A}ind", "Kind", "kind", "prob\u{0065}\u{0301}", "probé", "\u{130}", "i\u{307}"],
    ["probe\u{0}", "probe\r", "\tprobe", "PROBE", "container", "output"],
    [],
  ]

  /// Capture names drawn for hostile records.
  static let names: [String] = {
    var names = Array(CaptureNameIndex.names.prefix(40))
    names += ["", "\u{212A}ind", "Kind", "kind", "probe\u{0}", "probe\r", "\tprobe", "PROBE", "prob\u{0065}\u{0301}"]
    names += ["probé", "\u{130}", "i\u{307}", "containér", String(repeating: "k", count: 300)]
    return names
  }()

  static func expectSameCaptures(_ r: LogRecord) {
    let p = PackedLog(r)
    let decoded = p.captures
    for keys in keyLists {
      // Every split of the keys into those read and those placed.
      for reading in Set([0, 1, 2, keys.count / 2, keys.count]) where reading <= keys.count {
        let asked = CaptureKeys(reading: Array(keys[..<reading]), placing: Array(keys[reading...]))
        var places: [Int: PackedLog.CapturePlace] = [:]
        var order: [Int] = []
        p.firstCaptures(asked) { k, place, value in
          #expect(places[k] == nil)
          places[k] = place
          order.append(k)
          // The value read is the one at the place, and only the keys read have one.
          #expect(bytes(value) == (k < reading ? bytes(p.captureValue(at: place)) : nil))
        }
        for (k, key) in keys.enumerated() {
          // A repeated key is found at its first place only.
          let repeated = keys[..<k].contains { $0 == key }
          let expected = repeated ? nil : p.capture(key)
          #expect(bytes(places[k].map { p.captureValue(at: $0) }) == bytes(expected))
          #expect(bytes(repeated ? nil : decoded.first { $0.key == key }?.value) == bytes(expected))
        }
        // Handed over in the pairs' order.
        let firstPair = order.map { k in decoded.firstIndex { $0.key == keys[k] } ?? -1 }
        #expect(firstPair == firstPair.sorted())
      }
    }
  }

  @Test func theSamplesFindTheCapturesOfTheRecord() {
    #expect(!PackedEncodingTests.sampleRecords.isEmpty)
    for r in PackedEncodingTests.sampleRecords { Self.expectSameCaptures(r) }
  }

  @Test(arguments: 0..<8)
  func hostileRecordsFindTheCapturesOfTheRecord(seed: UInt64) {
    var rng = SplitMix64(seed: 36_000 + seed)
    for _ in 0..<150 {
      var r = PackedEncodingTests.hostileRecord(&rng, lineSizes: [0, 1, 60, 250, 700, 20_000])
      let line = r.evidence.text
      // Values the line holds (packed as slices of it), and not; names shipped and near misses.
      r.captures = (0..<rng.below(12)).map { _ in
        let name = Self.names[rng.below(Self.names.count)]
        let utf8 = Array(line.utf8)
        let value: String
        if !utf8.isEmpty, rng.below(2) == 0 {
          let from = rng.below(utf8.count)
          value = String(decoding: utf8[from..<min(utf8.count, from + rng.below(80))], as: UTF8.self)
        } else {
          value =
            ["", "Liveness", "503", "wéb", "\u{212A}", "a\u{0}b", "x\r\n", String(repeating: "é", count: 40)][
              rng.below(8)]
        }
        return KeyValue(name, value)
      }
      if rng.below(3) == 0 { r.captures += r.captures.prefix(2) }
      Self.expectSameCaptures(r)
    }
  }
}
