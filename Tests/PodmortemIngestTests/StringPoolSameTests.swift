import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `StringPool.same` compares a held string with bytes through pointers (issue 16, perf): on
/// seeded random pairs, equal and nearly equal, it must answer what `String.UTF8View`'s
/// `elementsEqual` answered before.
@Suite struct StringPoolSameTests {

  @Test func answersAsElementsEqual() {
    var rng = SplitMix64(seed: 1084)
    let words = ["app-00", "prod", "é", "日本", "Liveness probe failed: ", "x", "", "503", "\u{301}"]
    var equal = 0
    for _ in 0..<20_000 {
      var held = ""
      for _ in 0..<Int(rng.next() % 6) { held += words[Int(rng.next() % UInt64(words.count))] }
      var bytes = Array(held.utf8)
      switch rng.next() % 4 {
      case 0: break
      case 1: if !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] ^= 1 }
      case 2: bytes.append(UInt8(truncatingIfNeeded: rng.next()))
      default: if !bytes.isEmpty { bytes.removeLast() }
      }
      let same = bytes.withUnsafeBufferPointer { StringPool.same(held, $0) }
      let expected = bytes.withUnsafeBufferPointer { held.utf8.elementsEqual($0) }
      #expect(same == expected, "\(held.debugDescription) \(bytes)")
      if expected { equal += 1 }
    }
    #expect(equal > 1_000)
  }
}
