import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// `OutputFilter` remembers long strings by their bytes in a fixed table (`LongMemo`); before it,
/// every string longer than `OutputFilter.shortBytes` was filtered each time it came
/// (docs/architecture.md "Secrets"). The reference below is that code, kept for this test: long
/// strings masked and their controls spelled out every time, short ones through a dictionary as
/// `OutputFilterMemoTests` holds `ShortMemo` to. On seeded random sequences — long strings
/// repeated near and far, more distinct ones than the table has places, with secrets, PEM lines,
/// control characters, bidi overrides, non-ASCII and texts equal only canonically — both must
/// give the same bytes, string for string, and number the same tokens.
struct OutputFilterLongMemoTests {
  /// A long text (more than 96 bytes, so never one `ShortMemo` holds) built from hostile pieces;
  /// `n` picks which of a pool.
  static func longText(_ rng: inout SplitMix64, pool: Int) -> String {
    let n = Int(rng.next() % UInt64(pool))
    let body = String(repeating: "The readiness probe failed \(n % 13) times. ", count: 3 + n % 3)
    switch rng.next() % 12 {
    case 0: return body + "password=s3cret\(n % 50) and token=abc\(n % 9)def"
    case 1: return body + "line \(n)\u{1B}[31m red\u{07}\u{9B}2J"
    case 2: return body + "caf\u{E9} \(n)"  // é precomposed …
    case 3: return body + "cafe\u{301} \(n)"  // … and with a combining accent: equal by `==`, not by bytes
    case 4: return body + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ\(n % 7)In0.c2lnbmF0dXJl"
    case 5: return body + "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePz\(n % 5)"
    case 6: return body + "\u{202E}abc\u{2066}\u{212A}\u{130}\t\r\n\u{0}"
    case 7:
      return body + "SESSION_KEY=Zx9kP2mQ7rT4vW8y1aB\(n % 10) https://u:p4ss\(n % 4)@db.example/x?sig=AbCdEf12\(n)"
    case 8: return String(repeating: "é☃\u{0}", count: 40 + n % 7)
    default: return body + "pod=app-\(n) reason=BackOff message=\"back-off 5m0s\""
    }
  }

  @Test func theLongMemoFiltersAsFilteringEachTimeDid() {
    var rng = SplitMix64(seed: 0x10_6E_3E30)
    var hits = 0
    for round in 0..<6 {
      let reveal = round == 5
      let filter = OutputFilter(masker: reveal ? nil : SecretMasker())
      let masker: SecretMasker? = reveal ? nil : SecretMasker()
      var dictionary: [String: String] = [:]
      func reference(_ text: String) -> String {
        let filtered = { VisibleText.escapingControls(masker?.mask(text) ?? text) }
        guard text.utf8.count <= OutputFilter.shortBytes else { return filtered() }
        if let known = dictionary[text] { return known }
        let result = filtered()
        dictionary[text] = result
        return result
      }
      let pool = [10, 500, 50_000][round % 3]
      var seen = Set<[UInt8]>()
      for i in 0..<20_000 {
        let text = rng.next() % 4 == 0 ? OutputFilterMemoTests.text(&rng, pool: pool) : Self.longText(&rng, pool: pool)
        if text.utf8.count > OutputFilter.shortBytes, !seen.insert(Array(text.utf8)).inserted { hits += 1 }
        let got = filter(text)
        let expected = reference(text)
        if Array(got.utf8) != Array(expected.utf8) {
          Issue.record("round \(round), string \(i): \(got.debugDescription) != \(expected.debugDescription)")
          break
        }
      }
      #expect(filter.masker?.distinctSecrets == masker?.distinctSecrets, "round \(round)")
    }
    // Long strings did come again, so answers from the table were compared.
    #expect(hits > 10_000)
  }

  @Test("a place is chosen from the bytes alone, within the table")
  func slotsAreInTheTable() {
    var rng = SplitMix64(seed: 77)
    var used = Set<Int>()
    for _ in 0..<5_000 {
      var text = Self.longText(&rng, pool: 100_000)
      let slot = text.withUTF8 { LongMemo.slot($0) }
      #expect((0..<LongMemo.slots).contains(slot))
      var copy = String(decoding: Array(text.utf8), as: UTF8.self)
      #expect(copy.withUTF8 { LongMemo.slot($0) } == slot)
      used.insert(slot)
    }
    // The places spread over the table.
    #expect(used.count > LongMemo.slots / 4)
  }
}
