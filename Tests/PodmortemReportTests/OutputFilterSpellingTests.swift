import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// The output filter's memos (`ShortMemo`, `LongMemo`, the source names) answer a string only for
/// one of the same bytes: `String`'s `==` and hash are canonical equivalence's, so a memo keyed by
/// them gave an accent spelt the other way (`é` as U+00E9, or as `e` and U+0301) the spelling of
/// the string filtered first, not its own (docs/architecture.md "Secrets"). Every string must come
/// out as filtering it alone gives it, byte for byte, whatever was filtered before it.
@Suite("the output filter gives each spelling of a text its own bytes")
struct OutputFilterSpellingTests {
  /// Pairs of texts equal to `==` and different in bytes, short and long, with and without a secret.
  static let spellings: [[String]] = [
    ["caf\u{E9}", "cafe\u{301}"],
    ["\u{212A}ube", "Kube"],
    ["\u{C5}ngstr\u{F6}m", "A\u{30A}ngstro\u{308}m", "\u{212B}ngstr\u{F6}m"],
    ["pod r\u{E9}sum\u{E9}-0 password=hunter2", "pod re\u{301}sume\u{301}-0 password=hunter2"],
    [String(repeating: "d\u{E9}j\u{E0} vu ", count: 14), String(repeating: "de\u{301}ja\u{300} vu ", count: 14)],
    ["x\u{1E0A}\u{323}\u{1B}[31m", "xD\u{323}\u{307}\u{1B}[31m"],
  ]

  /// What each spelling filters to on a filter that has seen nothing (no memo can answer it), by
  /// its bytes.
  static func alone(masker: SecretMasker?) -> [[UInt8]: [UInt8]] {
    var out: [[UInt8]: [UInt8]] = [:]
    for text in spellings.joined() { out[Array(text.utf8)] = Array(OutputFilter(masker: masker)(text).utf8) }
    return out
  }

  @Test("strings short and long come out in their own spelling")
  func strings() {
    var rng = SplitMix64(seed: 21_977)
    for masker in [SecretMasker(), nil] {
      let filter = OutputFilter(masker: masker)
      let alone = Self.alone(masker: masker)
      var checked = 0
      for _ in 0..<400 {
        let group = Self.spellings[rng.below(Self.spellings.count)]
        let text = group[rng.below(group.count)]
        #expect(Array(filter(text).utf8) == alone[Array(text.utf8)], "\(Array(text.unicodeScalars))")
        checked += 1
      }
      #expect(checked == 400)
      // The spellings really are one text to `==`, and not one to the bytes.
      for group in Self.spellings {
        #expect(Set(group).count == 1)
        #expect(Set(group.map { Array($0.utf8) }).count == group.count)
      }
    }
  }

  @Test("source names come out in their own spelling, alone and in a list")
  func sources() {
    var rng = SplitMix64(seed: 7_331)
    for masker in [SecretMasker(), nil] {
      let filter = OutputFilter(masker: masker)
      let alone = Self.alone(masker: masker)
      for _ in 0..<300 {
        let group = Self.spellings[rng.below(Self.spellings.count)]
        let list = (0..<(1 + rng.below(6))).map { _ in
          Evidence(ref: SourceRef(source: group[rng.below(group.count)], line: rng.below(9)), text: "Events:")
        }
        let got = rng.below(2) == 0 ? filter.evidence(list) : list.map { filter.evidence($0) }
        #expect(got.map { Array($0.ref.source.utf8) } == list.map { alone[Array($0.ref.source.utf8)] })
        let single = filter.ref(list[0].ref)
        #expect(Array(single.source.utf8) == alone[Array(list[0].ref.source.utf8)])
      }
    }
  }
}
