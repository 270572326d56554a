import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `UTF8Bytes`, what the memos keyed by a string's bytes use (the output filter's `ShortMemo`,
/// ingest's `MessageMatchMemo`): `mixed` must tell apart strings that differ in one byte and give
/// one value for one string however it is held; `same` must say whether two strings hold the same
/// bytes, which `==` (canonical equivalence) does not.
struct UTF8BytesTests {
  @Test func everyOneByteChangeMixesToAnotherValue() {
    var rng = SplitMix64(seed: 41)
    for n in 0...96 {
      let original = rng.hostileBytes(count: n)
      let mixed = original.withUnsafeBufferPointer { UTF8Bytes.mixed($0) }
      for at in 0..<n {
        var changed = original
        changed[at] &+= UInt8(1 + rng.next() % 255)
        let other = changed.withUnsafeBufferPointer { UTF8Bytes.mixed($0) }
        #expect(other != mixed, "length \(n), byte \(at)")
      }
      // One byte longer or shorter (a zero byte appended, which the padded last word cannot show).
      let longer = (original + [0]).withUnsafeBufferPointer { UTF8Bytes.mixed($0) }
      #expect(longer != mixed, "length \(n) and \(n + 1)")
    }
  }

  @Test func oneStringMixesToOneValueHoweverItIsHeld() {
    var rng = SplitMix64(seed: 43)
    for n in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 95, 96, 200] {
      let text = String(decoding: rng.hostileBytes(count: n), as: UTF8.self)
      let fromBytes = Array(text.utf8).withUnsafeBufferPointer { UTF8Bytes.mixed($0) }
      #expect(UTF8Bytes.mixed(text) == fromBytes)
      #expect(UTF8Bytes.mixed(String(decoding: Array(text.utf8), as: UTF8.self)) == fromBytes)
      #expect(UTF8Bytes.mixed(String(("x" + text + "y").dropFirst().dropLast())) == fromBytes)
    }
  }

  @Test func sameIsByteEqualityNotCanonicalEquivalence() {
    var rng = SplitMix64(seed: 53)
    let spelt = [("caf\u{E9}", "cafe\u{301}"), ("\u{212A}", "K"), ("İ", "I\u{307}")]
    for (a, b) in spelt {
      #expect(a == b)  // canonically equivalent, so `==` calls them equal …
      #expect(!UTF8Bytes.same(a, b))  // … and their bytes differ
      #expect(UTF8Bytes.same(a, String(decoding: Array(a.utf8), as: UTF8.self)))
    }
    for _ in 0..<2_000 {
      let x = rng.hostileBytes(count: rng.below(40))
      let y = rng.next() % 3 == 0 ? x : rng.hostileBytes(count: rng.below(40))
      let a = String(decoding: x, as: UTF8.self)
      let b = String(decoding: y, as: UTF8.self)
      #expect(UTF8Bytes.same(a, b) == (Array(a.utf8) == Array(b.utf8)))
    }
  }
}
