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
