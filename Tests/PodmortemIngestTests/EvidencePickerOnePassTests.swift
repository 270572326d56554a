import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `EvidencePicker.keys(in:lead:message:name:)` reads a line once for all the keys that begin
/// with the same byte (docs/architecture.md "Speed of the EventList path"): on seeded random
/// lines it must answer what `contains(_:_:)` answered key by key (the code it replaced).
@Suite struct EvidencePickerOnePassTests {
  @Test func answersAsEachKeyAlone() {
    var rng = SplitMix64(seed: 1704)
    let sets: [(message: [String], name: [String])] = [
      (["\"message\"", "\"note\""], ["\"name\""]), (["\"message\""], []), ([], ["\"name\""]),
      (["\"note\"", "\"message\""], ["\"nam\"", "\"name\""]),
    ]
    let pieces = [
      "\"message\"", "\"mess", "age\"", "\"name\"", "\"nam", "\"note\"", "\"note", "\"", "\"\"", ": ", "    ", "\t",
      "é", "日本", "\u{301}", "x", "{", "},", "\"app-009886\"", "\r", "message", "name\"",
    ]
    var messages = 0
    var names = 0
    for _ in 0..<40_000 {
      var text = ""
      for _ in 0..<rng.below(9) { text += pieces[rng.below(pieces.count)] }
      let set = sets[rng.below(sets.count)]
      let message = set.message.map { Array($0.utf8) }
      let name = set.name.map { Array($0.utf8) }
      let bytes = Array(text.utf8)
      let answer = bytes.withUnsafeBufferPointer {
        EvidencePicker.keys(in: $0, lead: 0x22, message: message, name: name)
      }
      let expected = bytes.withUnsafeBufferPointer { b in
        (
          message.contains { EvidencePicker.contains(b, $0) },
          name.contains { EvidencePicker.contains(b, $0) }
        )
      }
      #expect(answer == expected, "\(text.debugDescription) \(set)")
      if expected.0 { messages += 1 }
      if expected.1 { names += 1 }
    }
    #expect(messages > 5_000)
    #expect(names > 5_000)
  }
}
