import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `EvidencePicker.contains` finds a key's bytes in a line with the C library's `memmem` (issue
/// 16, perf): on seeded random lines, holding the keys whole, cut, at either end or not at all, it
/// must answer what the byte loop it replaced answered.
@Suite struct EvidencePickerContainsTests {

  /// The search `EvidencePicker.contains` did before: a slice compared at every byte equal to the
  /// needle's first.
  private static func loopContains(_ text: String, _ needle: [UInt8]) -> Bool {
    guard let first = needle.first else { return true }
    let bytes = Array(text.utf8)
    guard bytes.count >= needle.count else { return false }
    var i = 0
    while i <= bytes.count - needle.count {
      if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
      i += 1
    }
    return false
  }

  @Test func answersAsTheByteLoop() {
    var rng = SplitMix64(seed: 1616)
    let keys = ["\"message\"", "\"note\"", "\"name\"", "message:", "note:", "name:", ""]
    let pieces = [
      "\"message\"", "\"mess", "age\"", "\"name\"", "\"nam", "\"note\"", "note:", "name:", "message:", ": ", "\"",
      "    ", "\t", "é", "日本", "\u{301}", "x", "{", "},", "\"app-009886\"", "\r",
    ]
    var found = 0
    for _ in 0..<20_000 {
      var text = ""
      for _ in 0..<rng.below(8) { text += pieces[rng.below(pieces.count)] }
      let needle = Array(keys[rng.below(keys.count)].utf8)
      let expected = Self.loopContains(text, needle)
      #expect(EvidencePicker.contains(text, needle) == expected, "\(text.debugDescription) \(needle)")
      if expected { found += 1 }
    }
    #expect(found > 2_000)
  }
}
