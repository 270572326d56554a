import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// `ShortMemo.filtered` and `LongMemo.filtered` are `mutating` though they change nothing, so the
/// filter reads its memo's places where they lie instead of from a copy that retains and releases
/// both arrays on every look-up (docs/architecture.md "Secrets"). The reference is the memos as
/// they were, their look-up non-mutating, kept here to hold the new ones to: driven by the same
/// seeded sequences of remembering and looking up (secrets, near misses and hostile text, far more
/// strings than places, so places are taken over), both must answer every look-up alike, and a
/// look-up must leave the memo as it was (looking again answers the same).
struct OutputFilterMemoLookTests {
  /// `ShortMemo` before its look-up was `mutating`: the reference.
  struct ReferenceShortMemo {
    private var texts = [String?](repeating: nil, count: ShortMemo.slots)
    private var results = [String](repeating: "", count: ShortMemo.slots)

    func filtered(_ text: String, slot: Int) -> String? {
      guard let held = texts[slot], RecentVerdicts.sameBytes(held, text) else { return nil }
      return results[slot]
    }

    mutating func remember(_ text: String, slot: Int, filtered: String) {
      texts[slot] = text
      results[slot] = filtered
    }
  }

  /// `LongMemo` before its look-up was `mutating`: the reference.
  struct ReferenceLongMemo {
    private var texts: [String?] = []
    private var results: [String] = []

    func filtered(_ text: inout String, slot: Int) -> String? {
      guard !texts.isEmpty, let held = texts[slot], RecentVerdicts.sameBytes(held, &text) else { return nil }
      return results[slot]
    }

    mutating func remember(_ text: String, slot: Int, filtered: String) {
      if texts.isEmpty {
        texts = [String?](repeating: nil, count: LongMemo.slots)
        results = [String](repeating: "", count: LongMemo.slots)
      }
      texts[slot] = text
      results[slot] = filtered
    }
  }

  /// A short string of one of the kinds the filter meets: secrets of every rule's kind, near
  /// misses, and hostile text (a Kelvin sign, a dotted İ, an accent spelt both ways, NUL, CR,
  /// tabs, C1 controls, random bytes).
  static func text(_ rng: inout SplitMix64, pool: Int) -> String {
    let n = rng.below(pool)
    switch rng.below(16) {
    case 0: return "-----BEGIN RSA PRIVATE KEY-----"
    case 1: return "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e\(n).sig"
    case 2: return "postgres://app:hunter\(n)@db:5432/x"
    case 3: return "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\(n % 9)"
    case 4: return "DB_PASSWORD=s3cr\(n % 40)t"
    case 5: return "passwordless \(n)"
    case 6: return "\u{212A}ube-\(n)"
    case 7: return "Kube-\(n)"
    case 8: return "\u{130}stanbul-\(n % 30)"
    case 9: return "caf\u{E9}-\(n % 30)"
    case 10: return "cafe\u{301}-\(n % 30)"
    case 11: return "a\u{0}b\r\tc\u{85}\u{9B}-\(n % 30)"
    case 12: return String(decoding: rng.hostileBytes(count: rng.below(97)), as: UTF8.self)
    case 13: return ""
    default: return "app-\(n)"
    }
  }

  /// A long string (over `OutputFilter.shortBytes`): a template repeated with a number, or a
  /// secret or hostile bytes inside one.
  static func long(_ rng: inout SplitMix64, pool: Int) -> String {
    let base = String(repeating: "Back-off restarting failed container \(rng.below(pool)) ", count: 3)
    switch rng.below(4) {
    case 0: return base + text(&rng, pool: pool)
    case 1: return base + String(decoding: rng.hostileBytes(count: 1 + rng.below(300)), as: UTF8.self)
    default: return base
    }
  }

  /// An answer's bytes: `==` on strings is canonical equivalence, and the memos answer by bytes.
  static func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

  @Test func theShortMemoAnswersAsTheReference() {
    var rng = SplitMix64(seed: 9_161)
    for round in 0..<4 {
      var memo = ShortMemo()
      var reference = ReferenceShortMemo()
      let pool = [8, 200, 5_000, 100_000][round]
      // Every other round crowds the strings into a few places, so they take them over often.
      let places = round.isMultiple(of: 2) ? 7 : ShortMemo.slots
      var answered = 0
      for i in 0..<40_000 {
        let text = Self.text(&rng, pool: pool)
        let slot = ShortMemo.slot(text) % places
        let got = memo.filtered(text, slot: slot)
        let expected = reference.filtered(text, slot: slot)
        #expect(Self.bytes(got) == Self.bytes(expected), "round \(round), string \(i)")
        #expect(
          Self.bytes(memo.filtered(text, slot: slot)) == Self.bytes(expected), "round \(round), string \(i), again")
        if got != nil { answered += 1 }
        if got == nil || rng.below(8) == 0 {
          let filtered = "\(text)/\(i)"
          memo.remember(text, slot: slot, filtered: filtered)
          reference.remember(text, slot: slot, filtered: filtered)
        }
      }
      #expect(answered > 0, "round \(round): the memo answered nothing")
    }
  }

  @Test func theLongMemoAnswersAsTheReference() {
    var rng = SplitMix64(seed: 9_173)
    for round in 0..<4 {
      var memo = LongMemo()
      var reference = ReferenceLongMemo()
      let pool = [4, 100, 2_000, 50_000][round]
      let places = round.isMultiple(of: 2) ? 5 : LongMemo.slots
      var answered = 0
      for i in 0..<20_000 {
        var text = Self.long(&rng, pool: pool)
        let slot = text.withUTF8 { LongMemo.slot($0) } % places
        var same = text
        let got = memo.filtered(&text, slot: slot)
        let expected = reference.filtered(&same, slot: slot)
        #expect(Self.bytes(got) == Self.bytes(expected), "round \(round), string \(i)")
        #expect(
          Self.bytes(memo.filtered(&text, slot: slot)) == Self.bytes(expected), "round \(round), string \(i), again")
        if got != nil { answered += 1 }
        if got == nil || rng.below(8) == 0 {
          let filtered = "\(i)"
          memo.remember(text, slot: slot, filtered: filtered)
          reference.remember(text, slot: slot, filtered: filtered)
        }
      }
      #expect(answered > 0, "round \(round): the memo answered nothing")
    }
  }
}
