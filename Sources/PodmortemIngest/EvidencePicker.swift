import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

// The lines an object's records cite, picked as the object's lines are read
// (`ObjectStreamParser`): `EvidencePicker` and the byte search for its keys, `LeadKeys`
// (docs/architecture.md "Speed of the EventList path").

/// Picks the lines an object's records cite: the line holding its message (events), else the
/// line holding its name, else the line it starts on.
struct EvidencePicker {
  private let messageKeys: [[UInt8]]
  private let nameKeys: [[UInt8]]
  private var first: Line?
  private var message: Line? {
    didSet { hasMessage = message != nil }
  }
  private var name: Line? {
    didSet { hasName = name != nil }
  }
  /// `message != nil` and `name != nil`, kept as they change: asked on every line of an object,
  /// the comparison copied the optional line and destroyed the copy (issue 16, callgrind: a
  /// third of `look`'s instructions).
  private var hasMessage = false
  private var hasName = false
  /// Evidence keeps at most this much of a line (a compact list on one line can be huge).
  private static let maxText = 2048

  /// The keys, when they all begin with the same byte (`"` of a JSON key): then a line is
  /// searched once for it, not once per key (`LeadKeys.find`).
  private let leadKeys: LeadKeys?
  /// The keys as `QuotedKey`s, when every key is one (`QuotedKey.init`): then a line the scanner
  /// read as one member is answered from its key and value (`memberHolds`).
  private let quotedMessageKeys: [QuotedKey]?
  private let quotedNameKeys: [QuotedKey]?

  /// A key `"`, at most eight bytes without a `"`, `"` (a quoted JSON key), as its bytes between
  /// the quotes: their count and a little-endian word of them, zero past them.
  struct QuotedKey {
    let count: Int
    let word: UInt64

    init?(_ key: [UInt8]) {
      guard key.count >= 2, key.count <= 10, key.first == 0x22, key.last == 0x22 else { return nil }
      let body = key.dropFirst().dropLast()
      guard !body.contains(0x22) else { return nil }
      count = body.count
      var word: UInt64 = 0
      for (k, b) in body.enumerated() { word |= UInt64(b) << UInt64(8 * k) }
      self.word = word
    }
  }

  init(message: [String], name: [String]) {
    let messageKeys = message.map { Array($0.utf8) }
    let nameKeys = name.map { Array($0.utf8) }
    self.messageKeys = messageKeys
    self.nameKeys = nameKeys
    let firsts = Set((messageKeys + nameKeys).map(\.first))
    let lead = firsts.count == 1 ? firsts.first ?? nil : nil
    self.leadKeys = lead.map { LeadKeys(lead: $0, message: messageKeys, name: nameKeys) }
    let quotedMessage = messageKeys.compactMap(QuotedKey.init)
    let quotedName = nameKeys.compactMap(QuotedKey.init)
    let allQuoted = quotedMessage.count == messageKeys.count && quotedName.count == nameKeys.count
    self.quotedMessageKeys = allQuoted ? quotedMessage : nil
    self.quotedNameKeys = allQuoted ? quotedName : nil
  }

  mutating func start(_ line: Line) {
    first = line
    message = nil
    name = nil
  }

  /// `look(at:)` of the line numbered `number` whose text is `bytes` decoded, valid UTF-8 (the
  /// line read from its bytes, `ObjectStreamParser.feed(bytes:number:emit:)`): the line is made
  /// only when it is kept.
  mutating func look(at bytes: UnsafeBufferPointer<UInt8>, number: Int) {
    let wantsMessage = !hasMessage
    let wantsName = !hasName
    guard wantsMessage || wantsName else { return }
    let (hasMessage, hasName) = found(in: bytes, message: wantsMessage, name: wantsName)
    guard hasMessage || hasName else { return }
    let line = Line(number: number, text: String(decoding: bytes, as: UTF8.self), truncated: false)
    if hasMessage { message = line }
    if hasName { name = line }
  }

  /// `look(at:number:)` of a line `JSONScanner` read whole as one member (`member`, its
  /// `memberLine`): white space, a key, `": `, a string or a scalar, a comma or none. Its only
  /// quotes are the key's two and the string value's two, so a quoted key (`QuotedKey`) occurs in
  /// it exactly when it is the key or the string value, quotes and all (a piece between any
  /// other two of its quotes holds a quote, or is `": `): a few comparisons, where searching the
  /// line for its quotes was about 300 instructions a line of an EventList (issue 16, callgrind).
  /// `EvidencePickerOnePassTests` holds `memberHolds` to `contains` on the lines the scanner
  /// reads as members.
  mutating func look(at bytes: UnsafeBufferPointer<UInt8>, number: Int, member: JSONScanner.MemberLine?) {
    guard let member, let quotedMessageKeys, let quotedNameKeys else { return look(at: bytes, number: number) }
    let wantsMessage = !hasMessage
    let wantsName = !hasName
    guard wantsMessage || wantsName else { return }
    let hasMessage = wantsMessage && Self.memberHolds(quotedMessageKeys, bytes, member)
    let hasName = wantsName && Self.memberHolds(quotedNameKeys, bytes, member)
    guard hasMessage || hasName else { return }
    let line = Line(number: number, text: String(decoding: bytes, as: UTF8.self), truncated: false)
    if hasMessage { message = line }
    if hasName { name = line }
  }

  /// Whether one of `keys` is the key or the string value of the member line `bytes`, quotes
  /// and all.
  @inline(__always)
  static func memberHolds(_ keys: [QuotedKey], _ bytes: UnsafeBufferPointer<UInt8>, _ member: JSONScanner.MemberLine)
    -> Bool
  {
    let keyCount = member.key.count
    let valueCount = member.valueIsString ? member.value.count : -1
    for k in keys.indices {
      let key = keys[k]
      if key.count == keyCount, Self.equals(key, bytes, at: member.key.lowerBound) { return true }
      if key.count == valueCount, Self.equals(key, bytes, at: member.value.lowerBound) { return true }
    }
    return false
  }

  /// `bytes[start..<start + key.count]` are `key`'s bytes (which are within `bytes`).
  @inline(__always)
  private static func equals(_ key: QuotedKey, _ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
    let n = key.count
    guard n > 0 else { return true }
    guard start >= 0, start + n <= bytes.count, let base = bytes.baseAddress else { return false }
    if start + 8 <= bytes.count {
      let word = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
      let mask: UInt64 = n == 8 ? ~0 : (1 &<< UInt64(8 * n)) &- 1
      return (word ^ key.word) & mask == 0
    }
    var rest = key.word
    for j in start..<start + n {
      guard base[j] == UInt8(truncatingIfNeeded: rest) else { return false }
      rest >>= 8
    }
    return true
  }

  /// Whether `bytes` hold a message key and a name key, each asked only when wanted. Inlined:
  /// called from the mutating `look`, the picker (176 bytes) was copied for it on every line it
  /// looked at (issue 16, callgrind).
  @inline(__always)
  private func found(in bytes: UnsafeBufferPointer<UInt8>, message wantsMessage: Bool, name wantsName: Bool) -> (
    Bool, Bool
  ) {
    if let leadKeys { return leadKeys.find(in: bytes, message: wantsMessage, name: wantsName) }
    return (
      wantsMessage && messageKeys.contains { Self.contains(bytes, $0) },
      wantsName && nameKeys.contains { Self.contains(bytes, $0) }
    )
  }

  mutating func look(at line: Line) {
    let wantsMessage = !hasMessage
    let wantsName = !hasName
    guard wantsMessage || wantsName else { return }
    // The line's bytes are reached once for every key (a native string's are contiguous), not
    // once per key through the string (issue 16, perf: this was 3 % of an EventList's instructions).
    let found = line.text.utf8.withContiguousStorageIfAvailable { bytes in
      self.found(in: bytes, message: wantsMessage, name: wantsName)
    }
    let (hasMessage, hasName) =
      found ?? (
        wantsMessage && messageKeys.contains { Self.contains(line.text, $0) },
        wantsName && nameKeys.contains { Self.contains(line.text, $0) }
      )
    if hasMessage { message = line }
    if hasName { name = line }
  }

  /// A byte search: Foundation's `contains` goes through NSString and dominated a profile. The C
  /// library's `memchr` finds each candidate first byte and `memcmp` compares the rest (the loop
  /// this replaced tested every byte and compared a slice through Array's generic `elementsEqual`:
  /// 2 % of an EventList run, issue 16, perf); `EvidencePickerContainsTests` compares the two on
  /// seeded random lines.
  static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { contains($0, needle) }
      ?? text.contains(String(decoding: needle, as: UTF8.self))
  }

  /// `contains(_:_:)` on a line's bytes.
  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    needle.withUnsafeBufferPointer { ASCIISearch.offset(of: $0, in: bytes) != nil }
  }

  func startRef(_ context: ParseContext) -> SourceRef { context.ref(first?.number ?? 0) }

  /// The lines to cite: an event's message line, any other object's name line. A line that is
  /// several of them (an object on one line) is cited once.
  func evidence(_ context: ParseContext) -> ObjectEvidence {
    let first = cite(first, context)
    let name = name?.number == first?.ref.line ? first : cite(name, context)
    let message =
      message?.number == first?.ref.line ? first : message?.number == name?.ref.line ? name : cite(message, context)
    return ObjectEvidence(message: message, name: name, first: first)
  }

  /// `pool.shared(evidence(context))`, the same texts, without building a trimmed copy of a
  /// cited line the pool already holds: an event's message and name lines are indented, so each
  /// was copied into a new string only for the pool to hand back the one it held (issue 16, perf).
  /// The lines are pooled in `shared`'s order (message, name, first).
  func evidence(_ context: ParseContext, pool: inout StringPool) -> ObjectEvidence {
    let nameLine = name?.number == first?.number ? first : name
    let messageLine =
      message?.number == first?.number ? first : message?.number == nameLine?.number ? nameLine : message
    let message = cite(messageLine, context, pool: &pool)
    let name = cite(nameLine, context, pool: &pool)
    let first = cite(first, context, pool: &pool)
    return ObjectEvidence(message: message, name: name, first: first)
  }

  /// `cite`, its text then looked up in `pool` as `StringPool.shared` looks it up.
  private func cite(_ line: Line?, _ context: ParseContext, pool: inout StringPool) -> Evidence? {
    guard let line else { return nil }
    if context.lineText == nil, line.text.utf8.count <= Self.maxText,
      let text = pool.trimmedLine(line.text, longest: StringPool.longestLine)
    {
      return Evidence(ref: context.ref(line.number), text: text)
    }
    guard var evidence = cite(line, context) else { return nil }
    evidence.text = pool.string(evidence.text, longest: StringPool.longestLine)
    return evidence
  }

  private func cite(_ line: Line?, _ context: ParseContext) -> Evidence? {
    guard let line else { return nil }
    var evidence = context.evidence(line)
    if evidence.text.utf8.count > Self.maxText { evidence.text = String(evidence.text.prefix(Self.maxText)) }
    evidence.text = Self.trimmedBlanks(evidence.text)
    return evidence
  }

  /// `text` trimmed as `trimmingCharacters(in: .whitespaces)` trims it (tab and the Unicode
  /// space separators), without Foundation's round trip through UTF-16 when the ends are ASCII:
  /// that round trip was half the time of reading an NDJSON event stream.
  static func trimmedBlanks(_ text: String) -> String {
    let utf8 = text.utf8
    var start = utf8.startIndex
    var end = utf8.endIndex
    while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { start = utf8.index(after: start) }
    while start < end {
      let before = utf8.index(before: end)
      guard utf8[before] == 0x20 || utf8[before] == 0x09 else { break }
      end = before
    }
    let scalars = text.unicodeScalars[start..<end]
    if let f = scalars.first, let l = scalars.last, f.value >= 0x80 || l.value >= 0x80,
      CharacterSet.whitespaces.contains(f) || CharacterSet.whitespaces.contains(l)
    {
      // A non-ASCII space (U+00A0, U+3000 …) at an end: Foundation trims it.
      return text.trimmingCharacters(in: .whitespaces)
    }
    if start == utf8.startIndex && end == utf8.endIndex { return text }
    return String(decoding: utf8[start..<end], as: UTF8.self)
  }
}

/// The keys `EvidencePicker` looks for, all beginning with the same byte `lead`, each held as
/// its first eight bytes in one word: a line is read once for all of them, each `lead` byte
/// `memchr` finds compared with the keys still wanted (a key that begins with `lead` occurs
/// exactly where a `lead` byte is followed by its rest). The search it replaced compared every
/// key at every `lead` byte with `memcmp`, through an array of arrays and a closure per key:
/// about 130 instructions a quote, three or four quotes a line of a pretty-printed list, until
/// the event's message line (issue 16, callgrind: `EvidencePicker.keys` 58.6M of the 8 MiB
/// EventList's 2,466M). Now the line is read eight places a step for a `lead` byte followed by a
/// key's second byte, and at such a place a key is one load, a mask and a compare, `memcmp` only
/// for the bytes of a key past its eighth (docs/architecture.md, "Speed of the EventList path").
/// `EvidencePickerOnePassTests` holds it to the search it replaced, kept in the test, and to
/// `EvidencePicker.contains` key by key.
struct LeadKeys {
  struct Key {
    /// The key's first eight bytes (fewer when it is shorter), little-endian, as a load reads them.
    var word: UInt64
    /// The bits of `word` the key's bytes fill.
    var mask: UInt64
    var count: Int
    /// Where the key's bytes start in `bytes`.
    var start: Int
    var isMessage: Bool
  }

  let lead: UInt8
  let keys: [Key]
  /// Every key's bytes, one after another.
  let bytes: [UInt8]
  /// The keys' second bytes, each repeated in every byte of a word, when every key has one and
  /// they are at most four: a line is then read eight places a step for a `lead` byte followed
  /// by one of them (`find`), not searched for every `lead` byte with `memchr`.
  let seconds: [UInt64]?
  /// `seconds` as four words, the first repeated where there are fewer (`find` reads them each
  /// step without an array).
  let secondWords: (UInt64, UInt64, UInt64, UInt64)

  init(lead: UInt8, message: [[UInt8]], name: [[UInt8]]) {
    self.lead = lead
    var keys: [Key] = []
    var bytes: [UInt8] = []
    for (key, isMessage) in message.map({ ($0, true) }) + name.map({ ($0, false) }) {
      var word: UInt64 = 0
      for (k, b) in key.prefix(8).enumerated() { word |= UInt64(b) << (8 * k) }
      let mask: UInt64 = key.count >= 8 ? ~0 : (1 << (8 * key.count)) - 1
      keys.append(Key(word: word, mask: mask, count: key.count, start: bytes.count, isMessage: isMessage))
      bytes += key
    }
    self.keys = keys
    self.bytes = bytes
    let all = message + name
    let seconds = Set(all.compactMap { $0.count >= 2 ? $0[1] : nil })
    let words =
      !all.isEmpty && all.allSatisfy({ $0.count >= 2 }) && seconds.count <= 4
      ? seconds.sorted().map { 0x0101_0101_0101_0101 &* UInt64($0) } : nil
    self.seconds = words
    // Four words always: fewer second bytes repeat the first (a repeated test marks nothing new).
    let w = (words ?? [0]) + Array(repeating: words?.first ?? 0, count: 4)
    self.secondWords = (w[0], w[1], w[2], w[3])
  }

  /// Whether a message key occurs in `line` (when `message`) and whether a name key does (when
  /// `name`).
  ///
  /// Written without closures: the search it replaced (kept as the reference in
  /// `EvidencePickerOnePassTests`) ran inside two `withUnsafeBufferPointer` closures with the
  /// compare as a nested function, its second bytes an array iterated each step (issue 16,
  /// callgrind: about 430 instructions a line of the 8 MiB EventList).
  func find(in line: UnsafeBufferPointer<UInt8>, message: Bool, name: Bool) -> (Bool, Bool) {
    var found = Found(wantsMessage: message, wantsName: name)
    guard let base = line.baseAddress, found.wantsMore else { return (false, false) }
    let n = line.count
    let raw = UnsafeRawPointer(base)
    var at = 0
    if seconds != nil {
      // Eight places a step: a place is a candidate when its byte is `lead` and the next is a
      // key's second byte (`ByteWords.exactZeroBytes` marks exactly the bytes that match); a
      // step needs nine bytes, so at most eight are left to the byte loop below.
      let leads = 0x0101_0101_0101_0101 &* UInt64(lead)
      let (s0, s1, s2, s3) = secondWords
      while at + 9 <= n {
        let here = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        var candidates = ByteWords.exactZeroBytes(here ^ leads)
        if candidates != 0 {
          let next = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 1, as: UInt64.self))
          candidates &=
            ByteWords.exactZeroBytes(next ^ s0) | ByteWords.exactZeroBytes(next ^ s1)
            | ByteWords.exactZeroBytes(next ^ s2) | ByteWords.exactZeroBytes(next ^ s3)
          while candidates != 0 {
            test(raw, n, at: at + candidates.trailingZeroBitCount >> 3, &found)
            if !found.wantsMore { return found.answer }
            candidates &= candidates &- 1
          }
        }
        at += 8
      }
      while at < n {
        if base[at] == lead {
          test(raw, n, at: at, &found)
          if !found.wantsMore { return found.answer }
        }
        at += 1
      }
      return found.answer
    }
    while at < n, found.wantsMore {
      guard let hit = memchr(base + at, Int32(lead), n - at) else { break }
      at = raw.distance(to: UnsafeRawPointer(hit))
      test(raw, n, at: at, &found)
      at += 1
    }
    return found.answer
  }

  /// What `find` has found and still wants.
  private struct Found {
    var wantsMessage: Bool
    var wantsName: Bool
    var hasMessage = false
    var hasName = false

    init(wantsMessage: Bool, wantsName: Bool) {
      self.wantsMessage = wantsMessage
      self.wantsName = wantsName
    }

    var wantsMore: Bool { (wantsMessage && !hasMessage) || (wantsName && !hasName) }
    var answer: (Bool, Bool) { (hasMessage, hasName) }
  }

  /// Compares the keys still wanted with the bytes of the line at `at`, a `lead` byte.
  @inline(__always)
  private func test(_ raw: UnsafeRawPointer, _ n: Int, at: Int, _ found: inout Found) {
    let left = n - at
    let word = left >= 8 ? UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) : 0
    for k in 0..<keys.count {
      let key = keys[k]
      guard key.isMessage ? found.wantsMessage && !found.hasMessage : found.wantsName && !found.hasName,
        key.count <= left
      else { continue }
      var occurs: Bool
      if left >= 8 {
        occurs = word & key.mask == key.word
        // Past its eighth byte a key is compared byte by byte (`"message"` has one more).
        var t = 8
        while occurs && t < key.count {
          occurs = raw.load(fromByteOffset: at + t, as: UInt8.self) == bytes[key.start + t]
          t += 1
        }
      } else {
        occurs = true
        var t = 0
        while occurs && t < key.count {
          occurs = raw.load(fromByteOffset: at + t, as: UInt8.self) == bytes[key.start + t]
          t += 1
        }
      }
      if occurs {
        if key.isMessage { found.hasMessage = true } else { found.hasName = true }
      }
    }
  }
}
