import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// `OutputFilter` remembers short strings in a fixed table by hash (`ShortMemo`) instead of a
/// dictionary of the first 200,000 (docs/architecture.md "Memory of the EventList and describe
/// paths"). On seeded random sequences of strings — repeated and unique, short and long, with
/// secrets and control characters, far more distinct ones than the table has places — it must
/// give, string for string and token for token, what the dictionary gave.
struct OutputFilterMemoTests {
  static func text(_ rng: inout SplitMix64, pool: Int) -> String {
    let n = Int(rng.next() % UInt64(pool))
    switch rng.next() % 10 {
    case 0: return "password=s3cret\(n % 50)"
    case 1: return "line \(n)\u{1B}[31m red\u{07}"
    case 2: return String(repeating: "long-\(n)-", count: 1 + Int(rng.next() % 20))
    case 3: return "token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ\(n % 7)In0.c2lnbmF0dXJl"
    case 4: return "prod"
    default: return "app-\(n)"
    }
  }

  @Test func theMemoFiltersAsTheDictionaryDid() {
    var rng = SplitMix64(seed: 5_279)
    for round in 0..<6 {
      let reveal = round == 5
      let filter = OutputFilter(masker: reveal ? nil : SecretMasker())
      let masker: SecretMasker? = reveal ? nil : SecretMasker()
      // The code the memo replaced: the first 200,000 short strings remembered in a dictionary.
      var dictionary: [String: String] = [:]
      func reference(_ text: String) -> String {
        let filtered = { VisibleText.escapingControls(masker?.mask(text) ?? text) }
        guard text.utf8.count <= OutputFilter.shortBytes else { return filtered() }
        if let known = dictionary[text] { return known }
        let result = filtered()
        if dictionary.count < 200_000 { dictionary[text] = result }
        return result
      }
      let pool = [10, 1_000, 100_000][round % 3]
      for i in 0..<60_000 {
        let text = Self.text(&rng, pool: pool)
        let got = filter(text)
        let expected = reference(text)
        if got != expected {
          Issue.record("round \(round), string \(i): \(got) != \(expected)")
          break
        }
      }
      #expect(filter.masker?.distinctSecrets == masker?.distinctSecrets, "round \(round)")
    }
  }
}

/// `ShortMemo` places a string by its bytes (`ShortMemo.slot`, `UTF8Bytes.mixed`), no longer by
/// `String`'s `hashValue` (docs/architecture.md "Secrets"). A place is a memo's only: what
/// matters is that one string always gets one place and that the names a report repeats spread
/// over the table instead of crowding a few places (`UTF8BytesTests` holds the mix to telling
/// strings that differ in a byte apart).
struct ShortMemoPlaceTests {
  @Test func aStringHasOnePlaceHoweverItIsHeld() {
    var rng = SplitMix64(seed: 43)
    for n in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 95, 96] {
      let text = String(decoding: rng.hostileBytes(count: n), as: UTF8.self)
      let fromBytes = Array(text.utf8).withUnsafeBufferPointer {
        Int(truncatingIfNeeded: UTF8Bytes.mixed($0) >> (64 - ShortMemo.bits))
      }
      // Small (inline) and large (heap) representations of the same bytes, and a slice's copy.
      let rebuilt = String(decoding: Array(text.utf8), as: UTF8.self)
      let sliced = String(("x" + text + "y").dropFirst().dropLast())
      #expect(ShortMemo.slot(text) == fromBytes)
      #expect(ShortMemo.slot(rebuilt) == fromBytes)
      #expect(ShortMemo.slot(sliced) == fromBytes)
      #expect((0..<ShortMemo.slots).contains(fromBytes))
    }
  }

  /// The shapes a report repeats most: numbered pod names, uids, addresses. Thrown uniformly at
  /// 16,384 places, as many strings would fill about 63 % of them (1 − 1/e).
  @Test func namesSpreadOverThePlaces() {
    var rng = SplitMix64(seed: 47)
    let shapes: [(Int) -> String] = [
      { "pod-\($0)" },
      { "web-7d9f8b6c4-\(String($0, radix: 36))" },
      { _ in UUID(uuid: Self.uuidBytes(&rng)).uuidString.lowercased() },
      { "10.\($0 >> 16 & 255).\($0 >> 8 & 255).\($0 & 255)" },
    ]
    for (k, shape) in shapes.enumerated() {
      var used = Set<Int>()
      for i in 0..<ShortMemo.slots { used.insert(ShortMemo.slot(shape(i))) }
      #expect(used.count > ShortMemo.slots * 58 / 100, "shape \(k): \(used.count) places")
    }
  }

  static func uuidBytes(_ rng: inout SplitMix64) -> uuid_t {
    let a = rng.next()
    let b = rng.next()
    return withUnsafeBytes(of: (a, b)) { raw in
      raw.load(as: uuid_t.self)
    }
  }
}
