import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PackedLog.containerOrContainerNameField` walks a packed record once for what diagnosis read in
/// two walks: the reference is `container ?? field("containerName")`, byte for byte, on the
/// seeded records of `PodLogsTests` (non-ASCII, escapes, klog lines, empty and absent strings,
/// Kelvin signs, combining accents), with the container absent half the time and `containerName`
/// fields added, repeated, misspelt or spelt another way.
struct DiagnosisQueriesTests {
  static let names = [
    "web", "", "wéb", "we\u{301}b", "\u{212A}", "\u{130}", "a\r", "a\u{0}b", "\tc",
    String(repeating: "x", count: 5_000),
  ]
  static let keys = [
    "containerName", "containerNam", "ContainerName", "containerName\u{0}", "co\u{301}ntainerName", "",
  ]

  @Test(arguments: 0..<10)
  func containerOrFieldIsTheTwoReadings(seed: UInt64) {
    var rng = SplitMix64(seed: seed &+ 33_000)
    var fromField = 0
    for n in 0..<300 {
      var r = PodLogsTests.record(n, &rng)
      if rng.below(2) == 0 { r.container = nil }
      for _ in 0..<rng.below(3) {
        let pair = KeyValue(Self.keys[rng.below(Self.keys.count)], Self.names[rng.below(Self.names.count)])
        r.fields.insert(pair, at: rng.below(r.fields.count + 1))
      }
      let p = PackedLog(r)
      let reference = p.container ?? p.field("containerName")
      #expect(p.containerOrContainerNameField.map { Array($0.utf8) } == reference.map { Array($0.utf8) })
      if p.container == nil, reference != nil { fromField += 1 }
    }
    #expect(fromField > 20)
  }
}
