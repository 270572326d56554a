import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// A short string is looked up by its representation first (`HeldMemo`), then by its bytes
/// (`ShortMemo`) as before (docs/architecture.md "Speed after ingest: two cores"). The reference
/// is the look-up before it, kept here: `ShortMemo` alone, a miss filtered by the masker and the
/// control scan. Two filters, each with its own masker, are fed the same seeded sequences, in
/// which a string is often the very string met before (its storage shared, as the input's pools
/// share it), sometimes a fresh string of the same bytes, the other spelling of an accent, a
/// string cut from a longer one, a secret, a control or random bytes; every answer must have the
/// reference's bytes and the same tokens must be numbered.
struct OutputFilterHeldMemoTests {
  /// The filter's short look-up before `HeldMemo`: the reference.
  final class ReferenceFilter {
    let masker: SecretMasker?
    var short = ShortMemo()

    init(masker: SecretMasker?) { self.masker = masker }

    func callAsFunction(_ text: String) -> String {
      let filter = { VisibleText.escapingControls(self.masker?.mask(text) ?? text) }
      guard text.utf8.count <= OutputFilter.shortBytes else { return filter() }
      let slot = ShortMemo.slot(text)
      if let known = short.filtered(text, slot: slot) { return known }
      let filtered = filter()
      short.remember(text, slot: slot, filtered: filtered)
      return filtered
    }
  }

  static func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

  /// A string of one of the kinds a report filters, large (over 15 bytes) or small.
  static func made(_ rng: inout SplitMix64, pool: Int, samples: [String]) -> String {
    let n = rng.below(pool)
    switch rng.below(16) {
    case 0: return "password=hunter\(n % 40)pw"
    case 1: return "-----BEGIN RSA PRIVATE KEY-----"
    case 2: return "http://user:s3cret\(n % 9)@host/x"
    case 3: return "token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ\(n % 7)In0.c2lnbmF0dXJl"
    case 4: return "\u{212A}ube-\(n)"
    case 5: return "Kube-\(n)"
    case 6: return "\u{130}stanbul-\(n % 30)"
    case 7: return "caf\u{E9}-\(n % 30) in the namespace"
    case 8: return "cafe\u{301}-\(n % 30) in the namespace"
    case 9: return "a\u{0}b\r\tc\u{1B}[31m\u{85}\u{9B}-\(n % 30)"
    case 10: return String(decoding: rng.hostileBytes(count: rng.below(120)), as: UTF8.self)
    case 11: return ""
    case 12: return "    Ready:          True  \(n)"
    case 13: return String(repeating: "x", count: 90 + rng.below(12))
    default: return samples.isEmpty ? "app-\(n)" : samples[n % samples.count]
    }
  }

  static func compare(seed: UInt64, masker: Bool, samples: [String]) {
    var rng = SplitMix64(seed: seed)
    for round in 0..<4 {
      let pool = [6, 300, 20_000, 200_000][round]
      let new = OutputFilter(masker: masker ? SecretMasker() : nil)
      let old = ReferenceFilter(masker: masker ? SecretMasker() : nil)
      // The strings met so far, held as they were met: a repeat is the very string.
      var met: [String] = []
      for i in 0..<30_000 {
        let text: String
        switch (met.isEmpty, rng.below(8)) {
        case (false, 0...3): text = met[rng.below(met.count)]
        case (false, 4): text = Self.fresh(met[rng.below(met.count)])
        case (false, 5):
          // Cut from a longer string: a slice's bytes in a string of their own.
          let whole = met[rng.below(met.count)] + "-and-more"
          text = String(whole.utf8.prefix(max(0, whole.utf8.count - 9))) ?? Self.fresh(whole)
        default:
          text = Self.made(&rng, pool: pool, samples: samples)
          met.append(text)
        }
        let got = new(text)
        let expected = old(text)
        if Array(got.utf8) != Array(expected.utf8) {
          Issue.record("round \(round), string \(i): \(got.debugDescription) != \(expected.debugDescription)")
          return
        }
      }
      #expect(new.masker?.distinctSecrets == old.masker?.distinctSecrets, "round \(round)")
      #expect(!masker || (new.masker?.distinctSecrets ?? 0) > 0, "round \(round): no secret met")
    }
  }

  @Test("seeded strings, repeated as themselves, fresh, cut and respelt")
  func seeded() {
    Self.compare(seed: 28_201, masker: true, samples: [])
    Self.compare(seed: 28_203, masker: false, samples: [])
  }

  @Test("the samples' lines among them")
  func samples() {
    let lines = OutputFilterEvidenceTests.sampleLines()
    #expect(lines.count > 1_000)
    Self.compare(seed: 28_207, masker: true, samples: lines)
  }

  /// Evidence lists whose lines are mostly the very strings of lists met before (the lines a
  /// list gives back are found under one lock first, `OutputFilter.linesAlone`): the same lists,
  /// unchanged lists and tokens as the evidence filter before (`referenceEvidence`), with and
  /// without the masker and working ahead.
  @Test("evidence lists of lines met before")
  func evidenceLists() {
    var rng = SplitMix64(seed: 28_211)
    var met: [String] = []
    var lists: [[Evidence]] = []
    for _ in 0..<3_000 {
      var list: [Evidence] = []
      let source = rng.below(6) == 0 ? "token=Zx9kP2mQ7rT4vW8y1aB0" : "describe-\(rng.below(3)).txt"
      for line in 0..<rng.below(12) {
        let text: String
        if !met.isEmpty && rng.below(5) != 0 {
          text = rng.below(10) == 0 ? Self.fresh(met[rng.below(met.count)]) : met[rng.below(met.count)]
        } else {
          text = Self.made(&rng, pool: 400, samples: [])
          met.append(text)
        }
        list.append(Evidence(ref: SourceRef(source: source, line: 1 + line), text: text))
      }
      lists.append(list)
    }
    OutputFilterEvidenceTests.compare(lists, masker: true)
    OutputFilterEvidenceTests.compare(lists, masker: false)
    OutputFilterEvidenceTests.compare(lists, masker: true, ahead: true)
  }

  /// The memo answers only for the very representation it holds, and then what it was told; a
  /// fresh string of the same bytes and the other spelling of an accent are not answered from it
  /// (unless small, where the representation is the bytes).
  @Test func theMemoAnswersOnlyItsOwnRepresentation() {
    var memo = HeldMemo()
    var rng = SplitMix64(seed: 28_209)
    var answered = 0
    var kept: [String] = []
    for i in 0..<20_000 {
      let text = Self.made(&rng, pool: 1_000, samples: [])
      let slot = HeldMemo.slot(text)
      #expect(HeldMemo.slot(text) == slot)
      #expect((0..<HeldMemo.slots).contains(slot))
      memo.remember(text, slot: slot, filtered: "\(i)")
      kept.append(text)
      #expect(memo.filtered(text, slot: slot) == "\(i)")
      let copy = Self.fresh(text)
      if let got = memo.filtered(copy, slot: HeldMemo.slot(copy)) {
        // Only a small string (its bits are its bytes) is answered through a copy.
        #expect(copy.utf8.count <= 15 && got == "\(i)")
        answered += 1
      }
      let other = text.replacingOccurrences(of: "\u{E9}", with: "e\u{301}")
      if other.utf8.count != text.utf8.count, let got = memo.filtered(other, slot: HeldMemo.slot(other)) {
        Issue.record("the other spelling of \(text.debugDescription) answered \(got)")
      }
    }
    #expect(answered > 0)
    // `givesBack` is true exactly when the memo answers with the string's own bytes.
    var given = 0
    for (i, text) in kept.enumerated() {
      let slot = HeldMemo.slot(text)
      if i.isMultiple(of: 3) { memo.remember(text, slot: slot, filtered: Self.fresh(text)) }
      let answer = memo.filtered(text, slot: slot)
      let back = memo.givesBack(text, slot: slot)
      #expect(back == (answer.map { Array($0.utf8) == Array(text.utf8) } ?? false), "\(text.debugDescription)")
      if back { given += 1 }
    }
    #expect(given > 0)
  }
}
