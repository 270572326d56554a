import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `EventBook.built` shares equal capture arrays through a set of `EventBook.CaptureSet`, hashed
/// on the count and the last value only (issue 16, callgrind). The reference is the set it
/// replaced, `Set<[KeyValue]>`, kept here: on seeded random capture arrays (few keys and values,
/// so that many repeat; a Kelvin sign and `K`, a dotted capital I, composed and decomposed accents,
/// CR, NUL, tabs, empty and long values) both sets must answer every insert alike, and give back
/// a member with the same bytes, so every event keeps the captures it kept before.
@Suite struct CaptureSetTests {
  private static let keys = ["code", "probe", "container", "K", "\u{212A}"]
  private static let values = [
    "", "503", "500", "Liveness", "é", "e\u{301}", "\u{130}", "\r", "\u{0}", "\t", String(repeating: "9", count: 200),
  ]

  private static func bytes(_ captures: [KeyValue]) -> [[UInt8]] {
    captures.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] }
  }

  @Test func sharesWhatTheSetOfArraysShared() {
    var rng = SplitMix64(seed: 0xCA97)
    var inserts = 0
    var repeats = 0
    for round in 0..<200 {
      var reference = Set<[KeyValue]>()
      var sets = Set<EventBook.CaptureSet>()
      for _ in 0..<100 {
        let captures = (0..<Int(rng.next() % 4)).map { _ in
          KeyValue(
            Self.keys[Int(rng.next() % UInt64(Self.keys.count))],
            Self.values[Int(rng.next() % UInt64(Self.values.count))])
        }
        let (was, old) = reference.insert(captures)
        let (now, new) = sets.insert(EventBook.CaptureSet(values: captures))
        #expect(was == now, "round \(round)")
        #expect(Self.bytes(old) == Self.bytes(new.values), "round \(round)")
        #expect(EventBook.CaptureSet(values: old).hashValue == new.hashValue, "round \(round)")
        inserts += 1
        if !was { repeats += 1 }
      }
      #expect(reference.count == sets.count, "round \(round)")
    }
    #expect(repeats > inserts / 4)
  }
}
