import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `ShortBytes` holds `JSONScanner`'s collected key or `kind` in place of the `[UInt8]` it used
/// (docs/architecture.md "Speed of the EventList path"); the array is the reference here, as it is
/// in `ReferenceJSONScanner`, which `JSONFramerTests` holds the scanner to. On seeded random runs
/// of hostile bytes (a Kelvin sign, a dotted capital I, combining accents, CR, NUL, tabs, invalid
/// UTF-8) appended up to the 64-byte limit the scanner keeps, it must compare and decode as the
/// array does.
@Suite struct ShortBytesTests {
  @Test func answersAsTheArray() {
    var rng = SplitMix64(seed: 2020)
    let pieces: [[UInt8]] =
      [
        "kind", "items", "k", "ind", "ite", "ms", "\u{212A}ind", "\u{130}tems", "e\u{301}", "\r", "\0", "\t", "",
        "Pod", "EventList", String(repeating: "x", count: 30),
      ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x80, 0x80]]
    let others: [[UInt8]] = [Array("kind".utf8), Array("items".utf8), [], Array("Pod".utf8)]
    var equal = 0
    for _ in 0..<20_000 {
      var held = ShortBytes()
      var reference: [UInt8] = []
      if rng.below(3) == 0 {
        // What the last key left behind is no part of the next.
        for _ in 0..<rng.below(4) {
          pieces[rng.below(pieces.count)].withUnsafeBufferPointer { held.append($0) }
        }
        held.removeAll()
      }
      for _ in 0..<rng.below(5) {
        let run = pieces[rng.below(pieces.count)]
        guard reference.count + run.count <= ShortBytes.capacity else { break }
        run.withUnsafeBufferPointer { held.append($0) }
        reference += run
      }
      #expect(held.count == reference.count)
      #expect(held.string == String(decoding: reference, as: UTF8.self))
      for other in others + [reference] {
        #expect(held.equals(other) == (reference == other), "\(reference) \(other)")
        if reference == other { equal += 1 }
      }
    }
    #expect(equal > 20_000)
  }
}
