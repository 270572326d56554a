import Foundation
import PodmortemText

// The output filter's memos (`OutputFilter.swift`): fixed tables of the strings filtered or
// tested last, each answered only for a string of the same bytes. What they keep or forget changes
// no output; they only spare the masker and the control scan work they have done before
// (docs/architecture.md "Secrets", "Speed of the EventList path").

/// What a test of a string's bytes answered for the strings seen last: two fixed tables of
/// places, each place the last string whose place it was with its verdict. A short string (up to
/// `longest` bytes) has one of `slots` (1,024) places, chosen from its length and its first and last
/// eight bytes (without hashing it whole); a longer one one of `LongMemo.slots` (4,096) in a table
/// of its own, chosen as `LongMemo` chooses (its length and every eight-byte word), so the unique
/// messages never push out the short strings that repeat. A string is answered from its place only
/// when the string held there has the same bytes, so a test whose answer depends on the bytes alone
/// (`OutputFilter.leavesUnchanged`: the control scan, the PEM literal and the secret rules all read
/// bytes) answers the same; `==` would not do, it is canonical equivalence. Long strings were
/// tested every time until a group's exemplars showed that they repeat: every event of a group
/// holds the same few, and those of readiness failures are just over 96 bytes (on the 8 MiB
/// EventList slice the look tested 25,798 strings before the long table, 21,709 with it,
/// docs/architecture.md "Speed of the EventList path").
struct RecentVerdicts {
  static let slots = 1 << 10
  static let longest = 96
  private var texts = [String?](repeating: nil, count: slots)
  private var verdicts = [Bool](repeating: false, count: slots)
  private var longTexts = [String?](repeating: nil, count: LongMemo.slots)
  private var longVerdicts = [Bool](repeating: false, count: LongMemo.slots)
  /// The last strings asked, by their representation (`HeldMemo.slot`): each place's string's two
  /// words ((0, 0) for none), the string held so that its storage lives while its words are
  /// compared, and its verdict.
  private var heldWords = [UInt64](repeating: 0, count: 2 * HeldMemo.slots)
  private var heldTexts = [String?](repeating: nil, count: HeldMemo.slots)
  private var heldVerdicts = [Bool](repeating: false, count: HeldMemo.slots)
  /// When not nil, every string longer than `longest` whose test answered true is put in it, as
  /// it is tested (`OutputFilter.unchangedEvents(_:givenBack:)`). Gathered here, on the path that
  /// runs the test, not in the test's closure: a closure that gathered them made every look at
  /// an event's string dearer (about 25 instructions a string, 1.2M on 1,000 describes); and in a
  /// table of fixed size, not an array of every such string, which raised the peak of 10,000
  /// describes by 2.9 MB (docs/architecture.md "Secrets").
  var passedLong: LongGivenBack? = nil

  /// `test(text)`, or what it answered for a string of the same bytes held in `text`'s place.
  ///
  /// The very string asked before (the same representation, so the same bytes,
  /// `RecentVerdicts.sameBytes`) is answered first from its place by representation, without a
  /// byte read: an event's strings are mostly shared with the events before it (the input's
  /// pools), and placing a string by its bytes cost about 170 instructions a string on the 8 MiB
  /// EventList (docs/architecture.md "Speed after ingest: two cores").
  mutating func verdict(_ text: String, _ test: (String) -> Bool) -> Bool {
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    let held = HeldMemo.slot(text)
    if heldWords[2 &* held] == a, heldWords[2 &* held &+ 1] == b { return heldVerdicts[held] }
    let answer = verdictByBytes(text, test)
    hold(text, a, b, at: held, answer)
    return answer
  }

  /// `verdict(text) { filter.leavesUnchanged($0) }`, the test named instead of handed over as a
  /// closure, and the look by representation written where it is called. `unchangedEvents` asks
  /// this of every string of every event, through `MergedEvent.allStrings`' closure: handing that
  /// closure another one, which captured the filter, cost a call and a retain and release of the
  /// filter per string (about 60 instructions, 5M of 47M on the 8 MiB EventList), and most
  /// strings are answered by the look alone (docs/architecture.md "Speed of the EventList path";
  /// `RecentVerdictsTests` holds it to `verdict(_:_:)`).
  @inline(__always)
  mutating func verdict(_ text: String, leavesUnchangedBy filter: OutputFilter) -> Bool {
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    let held = HeldMemo.slot(text)
    if heldWords[2 &* held] == a, heldWords[2 &* held &+ 1] == b { return heldVerdicts[held] }
    return verdictNotHeld(text, held, filter)
  }

  /// `verdict(_:leavesUnchangedBy:)` past its look by representation: the test by bytes, and the
  /// answer remembered in `held`, `text`'s place by representation.
  @inline(never)
  private mutating func verdictNotHeld(_ text: String, _ held: Int, _ filter: OutputFilter) -> Bool {
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    let answer = verdictByBytes(text) { filter.leavesUnchanged($0) }
    hold(text, a, b, at: held, answer)
    return answer
  }

  /// `answer` remembered for `text` (whose representation's words are `a` and `b`) in its place
  /// by representation, `held`; the string kept there so its storage lives while its words are
  /// compared.
  private mutating func hold(_ text: String, _ a: UInt64, _ b: UInt64, at held: Int, _ answer: Bool) {
    heldTexts[held] = text
    heldWords[2 &* held] = a
    heldWords[2 &* held &+ 1] = b
    heldVerdicts[held] = answer
  }

  /// `test(text)`, or what it answered for a string of the same bytes held in `text`'s place (by
  /// its bytes): `verdict(_:_:)` before its look by representation, and the reference of
  /// `RecentVerdictsTests`.
  mutating func verdictByBytes(_ text: String, _ test: (String) -> Bool) -> Bool {
    let n = text.utf8.count
    let slot: Int
    if let known = text.utf8.withContiguousStorageIfAvailable({ n <= Self.longest ? Self.slot($0) : LongMemo.slot($0) })
    {
      slot = known
    } else {
      var copy = text
      slot = copy.withUTF8 { n <= Self.longest ? Self.slot($0) : LongMemo.slot($0) }
    }
    if n <= Self.longest {
      if let held = texts[slot], Self.sameBytes(held, text) { return verdicts[slot] }
      let answer = test(text)
      texts[slot] = text
      verdicts[slot] = answer
      return answer
    }
    if let held = longTexts[slot], Self.sameBytes(held, text) { return longVerdicts[slot] }
    let answer = test(text)
    if answer { passedLong?.insert(text) }
    longTexts[slot] = text
    longVerdicts[slot] = answer
    return answer
  }

  /// A place from the length and the first and last eight bytes (all of them when fewer): the
  /// top bits of `mixed(bytes)`.
  static func slot(_ bytes: UnsafeBufferPointer<UInt8>) -> Int { Int(truncatingIfNeeded: mixed(bytes) >> 54) }

  /// The length and the first and last eight bytes (all of them when fewer) mixed into 64 bits,
  /// the top ones the best mixed.
  static func mixed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let n = bytes.count
    var (head, tail): (UInt64, UInt64) = (0, 0)
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      if n >= 8 {
        head = raw.loadUnaligned(as: UInt64.self)
        tail = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
      } else {
        withUnsafeMutableBytes(of: &head) { $0.baseAddress?.copyMemory(from: raw, byteCount: n) }
      }
    }
    // Multiplicative mixing (Knuth's golden-ratio constant and another odd one).
    let mixed = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
    return mixed &* 0x9E37_79B9_7F4A_7C15
  }

  /// Whether `a` and `b` hold the same UTF-8 bytes.
  static func sameBytes(_ a: String, _ b: inout String) -> Bool { sameBytes(a, b) }

  /// Whether `a` and `b` hold the same UTF-8 bytes. The same representation is the same bytes: a
  /// small string's bits are its bytes, and a large one's are its count, flags and storage, which
  /// no one changes while two values share it. A memo's hit is mostly the very string it holds
  /// (shared through `StringPool` or `SharedBytes`), so this answers most of them where they are
  /// called, without a call, a retain or a byte read; the rest compare their bytes.
  @inline(__always)
  static func sameBytes(_ a: String, _ b: String) -> Bool {
    unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self)
      || sameBytesRead(a, b)
  }

  /// `sameBytes` for two representations: the bytes read where they lie (`UTF8Bytes.same`).
  @inline(never)
  static func sameBytesRead(_ a: String, _ b: String) -> Bool { UTF8Bytes.same(a, b) }
}

/// Short strings already filtered, by their bytes: a fixed table of `slots` places, each holding
/// the last string whose place it was (`slot(_:)`, every byte mixed) and what it filtered to,
/// answered only for a string of the same bytes. A memo only: a string not found
/// is filtered again, to the same text (the masker gives a secret the same token every time,
/// `SecretMasker.token(for:)`), so what it keeps or forgets changes no output. Strings that repeat
/// (namespaces, reasons, container names) stay in it; the unique ones (names, uids, addresses)
/// pass through one place each. It replaced a dictionary that kept the first 200,000 strings:
/// on the EventList report its table (8.4 MB, and as much in the filter working ahead, and the
/// strings it held) was part of the run's heap peak (docs/architecture.md "Memory of the
/// EventList and describe paths").
struct ShortMemo {
  static let bits = 14
  static let slots = 1 << bits
  private var texts = [String?](repeating: nil, count: slots)
  private var results = [String](repeating: "", count: slots)

  /// What `text`, whose place is `slot` (`slot(_:)` of its bytes), filtered to, when a string of
  /// the same bytes is remembered. Bytes, not `==`: `==` is canonical equivalence, and an accent
  /// spelt the other way from the string held would come out in the held one's spelling, not its own.
  /// `mutating` though it changes nothing: called on the filter's stored memo, a non-mutating call
  /// read the memo out of the class first, retaining and releasing both arrays (four calls, about
  /// 80 instructions of every look-up); a mutating one reads the places where they lie
  /// (docs/architecture.md "Secrets").
  mutating func filtered(_ text: String, slot: Int) -> String? {
    guard let held = texts[slot], RecentVerdicts.sameBytes(held, text) else { return nil }
    return results[slot]
  }

  /// Remembers that `text` filtered to `filtered`, in place of what `slot` held.
  mutating func remember(_ text: String, slot: Int, filtered: String) {
    texts[slot] = text
    results[slot] = filtered
  }

  /// `text`'s place: the top bits of every byte mixed (`UTF8Bytes.mixed`). This was `String`'s
  /// `hashValue`, which costs about 380 instructions for a line of a describe, where the memo only
  /// wants its strings spread over the places; a string it places badly is filtered again, to the
  /// same text.
  static func slot(_ text: String) -> Int {
    Int(truncatingIfNeeded: UTF8Bytes.mixed(text) >> (64 - bits))
  }
}

/// Long strings already filtered, by their bytes: a fixed table of `slots` places, each holding
/// the last string that fell there (its place chosen from its length and every eight-byte word,
/// `slot(_:)`, a multiply and a xor a word) and what it filtered to. A string is answered from
/// its place only when the string held there has the same bytes (`RecentVerdicts.sameBytes`;
/// `==` would not do, it is canonical equivalence, and masking reads bytes). A memo only: a
/// string of the same bytes filters to the same text (the masker gives a secret the same token
/// every time, `SecretMasker.token(for:)`), so what it keeps or forgets changes no output
/// (`OutputFilterLongMemoTests`). The table is made when the first long string comes, so a
/// report without one pays nothing for it.
struct LongMemo {
  static let slots = 1 << 12
  private var texts: [String?] = []
  private var results: [String] = []

  /// What `text` filtered to, when it is remembered in `slot` (`slot(_:)` of its bytes).
  /// `mutating` though it changes nothing, as `ShortMemo.filtered`: the places are read where they
  /// lie, not from a copy of the memo that retains both arrays.
  mutating func filtered(_ text: inout String, slot: Int) -> String? {
    guard !texts.isEmpty, let held = texts[slot], RecentVerdicts.sameBytes(held, &text) else { return nil }
    return results[slot]
  }

  /// Remembers that `text` filtered to `filtered`, in place of what `slot` held.
  mutating func remember(_ text: String, slot: Int, filtered: String) {
    if texts.isEmpty {
      texts = [String?](repeating: nil, count: Self.slots)
      results = [String](repeating: "", count: Self.slots)
    }
    texts[slot] = text
    results[slot] = filtered
  }

  /// A place from the length and every eight-byte word (the last one read where it ends, so it
  /// may overlap the one before), each mixed in with a xor and a multiply by an odd constant, then
  /// the top bits after a xor-shift and one more multiply. `bytes` holds more than eight.
  ///
  /// This was the length and four words (at the start, a third and two thirds in, and the end): a
  /// finding's explanation is a rule's template with a count, an address or a name put in, and
  /// strings of one template and length that differ only between those four words shared a
  /// place and pushed each other out. On the 8 MiB EventList the 1,356 distinct explanations fell
  /// in 55 places, and 3,598 of 5,010 explanations were filtered again where 1,356 had to be
  /// (docs/architecture.md "Secrets"). A place only spreads the strings: one that shares a place
  /// with another is filtered again, to the same text.
  static func slot(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    let n = bytes.count
    guard let base = bytes.baseAddress, n >= 8 else { return 0 }
    let raw = UnsafeRawPointer(base)
    let lastWord = n - 8
    // Multiplicative mixing with odd constants (Knuth's golden-ratio one among them).
    var mixed = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
    var at = 0
    while at < lastWord {
      mixed = (mixed ^ raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) &* 0xC2B2_AE3D_27D4_EB4F
      at &+= 8
    }
    mixed = (mixed ^ raw.loadUnaligned(fromByteOffset: lastWord, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
    // A difference in a word's top byte stays in the top bits through the multiplies: the shift
    // brings it down, and the multiply spreads it over the top bits again.
    mixed ^= mixed >> 29
    mixed = mixed &* 0x1656_67B1_9E37_79F9
    return Int(truncatingIfNeeded: mixed >> 52)
  }
}

/// Long strings that filtering gives back as they are, by their representation: a fixed table of
/// `slots` places, each holding the last string put there. `OutputFilter.findingsAndState` puts
/// in the long strings of the event history that `leavesUnchanged` found clean
/// (`unchangedEvents(_:givenBack:)`, before the findings are filtered): no control character, no
/// secret a rule masks and no `-----BEGIN`, so filtering one gives its bytes back and numbers no
/// token. A finding cites those very strings (an event's evidence line, shared through the
/// input's pools), and filtering them again cost about 10,000 instructions a kubelet log line
/// (docs/architecture.md "Secrets"). A string is answered only when the one held in its place has
/// its representation: the same representation is the same bytes (`RecentVerdicts.sameBytes`),
/// and the table holds the string, so its storage lives, unchanged, while its words are compared.
/// A memo only: a string not found is filtered as before, to the same text. The table is made
/// when the first string is put in, so a report without one pays nothing for it.
struct LongGivenBack {
  static let bits = 13
  static let slots = 1 << bits
  /// Each place's string's two words, (0, 0) for an empty place (no string has those).
  private var words: [UInt64] = []
  /// The strings, held so that their storage lives while their words are compared.
  private var texts: [String?] = []

  /// Whether the string held in `text`'s place has its representation. `mutating` though it
  /// changes nothing, as `ShortMemo.filtered`: the places are read where they lie.
  mutating func holds(_ text: String) -> Bool {
    guard !words.isEmpty else { return false }
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    let slot = Self.slot(a, b)
    return words[2 &* slot] == a && words[2 &* slot &+ 1] == b
  }

  /// Puts `text`, which filtering gives back as it is, in its place.
  mutating func insert(_ text: String) {
    if words.isEmpty {
      words = [UInt64](repeating: 0, count: 2 * Self.slots)
      texts = [String?](repeating: nil, count: Self.slots)
    }
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    let slot = Self.slot(a, b)
    texts[slot] = text
    words[2 &* slot] = a
    words[2 &* slot &+ 1] = b
  }

  /// Puts every string `other` holds in its place here (one that `other` holds in a place a string
  /// here holds takes it).
  mutating func insert(contentsOf other: LongGivenBack) {
    if words.isEmpty {
      self = other
      return
    }
    for case let text? in other.texts { insert(text) }
  }

  /// The strings held, for tests.
  var strings: [String] { texts.compactMap { $0 } }

  /// A place from a string's two words, mixed as `HeldMemo.slot` mixes them; the top bits.
  static func slot(_ a: UInt64, _ b: UInt64) -> Int {
    Int(truncatingIfNeeded: HeldMemo.mixed(a, b) >> (64 - bits))
  }
}

/// Short strings already filtered, by their representation: a fixed table of `slots` places, each
/// holding the last string whose place it was (`slot(_:)`, its two words mixed) and what it
/// filtered to, answered only for a string of the very same representation. The same
/// representation is the same bytes (`RecentVerdicts.sameBytes`): a small string's bits are its
/// bytes, a large one's are its count, flags and storage, and the table holds the string, so its
/// storage lives, unchanged, as long as its bits are there to be compared. Most short strings a
/// report filters are repeats of the very string filtered before (a describe's lines, names and
/// reasons shared through the input's pools), and this look reads none of their bytes, where
/// `ShortMemo`'s place mixes every byte (`UTF8Bytes.mixed`, about 130 instructions for a describe's
/// line). A memo only, in front of `ShortMemo`: a string not found here is looked up there, and a
/// string of the same bytes filters to the same text (the masker gives a secret the same token
/// every time, `SecretMasker.token(for:)`), so what it keeps or forgets changes no output
/// (`OutputFilterHeldMemoTests`; docs/architecture.md "Speed after ingest: two cores").
struct HeldMemo {
  static let bits = 12
  static let slots = 1 << bits
  /// Each place's string's two words, (0, 0) for an empty place (no string has those: an empty
  /// small string's second word holds its discriminator, and a large one's a pointer).
  private var words = [UInt64](repeating: 0, count: 2 * slots)
  /// The strings, held so that their storage lives while their words are compared.
  private var texts = [String?](repeating: nil, count: slots)
  private var results = [String](repeating: "", count: slots)
  /// Whether each place's result has its string's bytes (filtering gave it back).
  private var unchanged = [Bool](repeating: false, count: slots)

  /// What `text`, whose place is `slot` (`slot(_:)`), filtered to, when the string held there has
  /// its representation. `mutating` though it changes nothing, as `ShortMemo.filtered`: the
  /// places are read where they lie.
  mutating func filtered(_ text: String, slot: Int) -> String? {
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    guard words[2 &* slot] == a, words[2 &* slot &+ 1] == b else { return nil }
    return results[slot]
  }

  /// Whether `filtered(text, slot:)` answers with `text`'s own bytes: filtering gives `text`
  /// back. Reads no string, so it retains none.
  mutating func givesBack(_ text: String, slot: Int) -> Bool {
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    return words[2 &* slot] == a && words[2 &* slot &+ 1] == b && unchanged[slot]
  }

  /// Remembers that `text` filtered to `filtered`, in place of what `slot` held.
  mutating func remember(_ text: String, slot: Int, filtered: String) {
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    texts[slot] = text
    results[slot] = filtered
    unchanged[slot] = RecentVerdicts.sameBytes(filtered, text)
    words[2 &* slot] = a
    words[2 &* slot &+ 1] = b
  }

  /// `text`'s place: its two words mixed (`mixed`), the top bits.
  static func slot(_ text: String) -> Int {
    let (a, b) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    return Int(truncatingIfNeeded: mixed(a, b) >> (64 - bits))
  }

  /// A string's two words mixed into 64 bits, the top ones the best mixed: multiplications by odd
  /// constants (Knuth's golden-ratio one among them). Also `LongGivenBack`'s places.
  @inline(__always)
  static func mixed(_ a: UInt64, _ b: UInt64) -> UInt64 {
    ((a &* 0xC2B2_AE3D_27D4_EB4F) ^ b) &* 0x9E37_79B9_7F4A_7C15
  }
}
