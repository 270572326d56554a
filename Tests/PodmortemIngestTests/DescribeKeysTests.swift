import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `DescribeKeys.kind`, the byte-level look-up of a describe field's key, answers as the
/// `Set<Substring>`s it replaced on the describe path (docs/architecture.md "Speed of the describe
/// path").
@Suite struct DescribeKeysTests {
  /// Every key of the four sets.
  static let setKeys: [Substring] = Array(
    DescribeBlock.topKeys.union(DescribeBlock.containerKeys).union(DescribeBlock.stateKeys).union(
      DescribeBlock.stateLabels)
  ).sorted()

  @Test func everySetKeyIsFound() {
    #expect(Self.setKeys.count > 90)
    for key in Self.setKeys {
      let kind = DescribeKeys.kind(key)
      #expect(kind == DescribeKeys.setKind(key), "\(key)")
      #expect(!kind.isEmpty, "\(key)")
    }
  }

  @Test func sampleKeysAreClassifiedAsBySets() {
    var checked = 0
    for (i, text) in KubectlBytesTests.lines.enumerated() {
      for bytes in [true, false] {
        guard let f = KubectlLine(Line(number: i + 1, text: text), bytes: bytes).field else { continue }
        checked += 1
        #expect(DescribeKeys.kind(f.key) == DescribeKeys.setKind(f.key), "\(text)")
      }
    }
    #expect(checked > 5_000)
  }

  /// Keys near the sets' own (a byte changed, added or dropped, case flipped, cut), random ASCII
  /// and non-ASCII words, each a slice of a longer string as a line's key is; seeded.
  @Test func randomKeysAreClassifiedAsBySets() {
    var rng = SplitMix64(seed: 0x6465_7363_7269_6265)
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -./()#_:")
    let wide: [Character] = ["é", "\u{301}", "\u{212A}", "Å", "│", "\u{A0}", "ß"]
    var found = 0
    for _ in 0..<20_000 {
      var key = Array(String(Self.setKeys[rng.below(Self.setKeys.count)]))
      switch rng.below(9) {
      case 0: key[rng.below(key.count)] = alphabet[rng.below(alphabet.count)]
      case 1: key.insert(alphabet[rng.below(alphabet.count)], at: rng.below(key.count + 1))
      case 2: key.remove(at: rng.below(key.count))
      case 3:
        let i = rng.below(key.count)
        key[i] = Character(key[i].isUppercase ? key[i].lowercased() : key[i].uppercased())
      case 4: key = Array(key.prefix(rng.below(key.count + 1)))
      case 5: key = (0..<rng.below(40)).map { _ in alphabet[rng.below(alphabet.count)] }
      case 6: key.insert(wide[rng.below(wide.count)], at: rng.below(key.count + 1))
      case 7: key = (0..<(1 + rng.below(70))).map { _ in alphabet[rng.below(alphabet.count)] }
      default: break
      }
      let line = "  " + String(key) + ":  value"
      let slice = line.dropFirst(2).prefix(key.count)
      let kind = DescribeKeys.kind(slice)
      if !kind.isEmpty { found += 1 }
      #expect(kind == DescribeKeys.setKind(slice), "\(slice)")
    }
    #expect(found > 2_000)
  }
}
