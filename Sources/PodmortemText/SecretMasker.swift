import Foundation

/// Replaces secrets in text with stable tokens, `‹redacted:1›`: the same secret gets the same
/// token for as long as one masker lives (one report, one `podmortem redact` run), so a reader can
/// still see that two lines carry the same password (docs/architecture.md "Secrets").
///
/// The shapes are `SecretRules.all`. Text that holds none of their literals is returned after one
/// pass over its bytes, so masking costs almost nothing on text without secrets.
///
/// `@unchecked Sendable` is sound: the rules and the prefilter are immutable, and the token table
/// is only touched under `lock`.
package final class SecretMasker: @unchecked Sendable {
  /// `‹redacted:` and `›` (U+2039, U+203A): characters no secret shape contains, so a masked text
  /// masked again stays the same.
  package static let tokenPrefix = "\u{2039}redacted:"
  package static let tokenSuffix = "\u{203A}"

  private let rules: [SecretRule]
  /// For each rule, its literals' bits: the rule runs when one of them occurs.
  private let ruleBits: [UInt64]
  /// For each rule, the bits of its `requires` bytes: on a text of at most
  /// `SecretRule.requiresUpTo` bytes the rule runs only when every one of them occurs.
  private let requiredBits: [UInt64]
  /// The bits of the rules' literals, without the required bytes that are no rule's literal.
  private let ruleLiteralBits: UInt64
  private let prefilter: Prefilter
  private let lock = NSLock()
  private var tokens: [String: Int] = [:]

  package init(rules: [SecretRule] = SecretRules.all) {
    self.rules = rules
    var literals: [String] = []
    for rule in rules {
      for literal in rule.literals where !literals.contains(literal) { literals.append(literal) }
    }
    let ruleLiterals = literals.count
    // The required bytes after every rule's literal, so the rules' literals keep their bits.
    for rule in rules {
      for byte in rule.requires where !literals.contains(byte) { literals.append(byte) }
    }
    precondition(literals.count <= 64, "the prefilter holds at most 64 literals")
    precondition(rules.count <= 64, "the rules to run are a 64-bit set")
    self.prefilter = Prefilter(literals: literals)
    func bits(_ some: [String]) -> UInt64 {
      some.reduce(UInt64(0)) { bits, literal in
        bits | (literals.firstIndex(of: literal).map { UInt64(1) << UInt64($0) } ?? 0)
      }
    }
    self.ruleBits = rules.map { bits($0.literals) }
    self.requiredBits = rules.map { bits($0.requires) }
    self.ruleLiteralBits = ruleLiterals == 64 ? ~0 : (UInt64(1) << UInt64(ruleLiterals)) - 1
  }

  /// The rules to run on a text of `count` bytes whose prefilter found `present` (bit i: rule i):
  /// those with a literal present and, unless the text is longer than `SecretRule.requiresUpTo`,
  /// every required byte present too.
  private func rulesToRun(_ present: UInt64, count: Int) -> UInt64 {
    let long = count > SecretRule.requiresUpTo
    var run: UInt64 = 0
    ruleBits.withUnsafeBufferPointer { ruleBits in
      requiredBits.withUnsafeBufferPointer { requiredBits in
        for index in ruleBits.indices where ruleBits[index] & present != 0 {
          let required = requiredBits[index]
          if long || required & present == required { run |= UInt64(1) << UInt64(index) }
        }
      }
    }
    return run
  }

  /// Which of the rules' literals occur in `text` (bit i: the i-th distinct literal), as the
  /// prefilter scans; and as the scan it replaced did (`SecretMaskerTests`).
  package func literalsPresent(_ text: String) -> UInt64 { prefilter.scan(text) & ruleLiteralBits }
  package func literalsPresentByFirstByte(_ text: String) -> UInt64 {
    prefilter.scanByFirstByte(text) & ruleLiteralBits
  }
  /// The scan as it was before it read the byte pairs at even offsets only: every pair read
  /// (`Prefilter.scanEveryPair`), the reference `SecretMaskerTests` holds `literalsPresent` to.
  package func literalsPresentByEveryPair(_ text: String) -> UInt64 {
    prefilter.scanEveryPair(text) & ruleLiteralBits
  }

  /// How many distinct secrets this masker has replaced so far.
  package var distinctSecrets: Int {
    lock.lock()
    defer { lock.unlock() }
    return tokens.count
  }

  /// `text` with every secret replaced by its token.
  package func mask(_ text: String) -> String {
    var hits: [String] = []
    return mask(text, hits: &hits)
  }

  /// `text` with every secret replaced by its token; appends the id of the rule behind each
  /// replacement to `hits`. Rules are tried in order and a later rule's candidate that overlaps
  /// an earlier one's is dropped (a JWT inside `token=` is masked once, as a JWT); tokens are then
  /// numbered in the order the secrets appear in the text.
  ///
  /// The text's bytes are read where they lie (`withUTF8`, which copies only a string not stored
  /// as UTF-8 in one piece), and a rule's parts are read from `rules` where they lie: copying the
  /// bytes into an array and each rule run out of `rules` (its every field retained and released)
  /// cost about 900 instructions a kubelet line that the `random-value` rule reads
  /// (docs/architecture.md "Secrets").
  package func mask(_ text: String, hits: inout [String]) -> String {
    let present = prefilter.scan(text)
    guard present != 0 else { return text }
    var run = rulesToRun(present, count: text.utf8.count)
    guard run != 0 else { return text }
    var utf8 = text
    return utf8.withUTF8 { bytes -> String in
      var spans: [(range: Range<Int>, rule: Int)] = []
      // In rule order: the lowest bit first.
      while run != 0 {
        let index = run.trailingZeroBitCount
        run &= run - 1
        for range in candidates(ofRule: index, in: text, bytes: bytes)
        where !spans.contains(where: { $0.range.overlaps(range) }) {
          spans.append((range, index))
        }
      }
      guard !spans.isEmpty else { return text }
      spans.sort { $0.range.lowerBound < $1.range.lowerBound }
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      var copied = 0
      for span in spans {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<span.range.lowerBound]))
        let secret = String(decoding: UnsafeBufferPointer(rebasing: bytes[span.range]), as: UTF8.self)
        out.append(contentsOf: token(for: secret).utf8)
        copied = span.range.upperBound
        hits.append(rules[span.rule].id)
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// Whether `mask(text)` would replace anything: the same prefilter and rules, without numbering
  /// a token (a second thread filtering ahead asks this; `OutputFilter.stateOnTwoThreads`).
  package func holdsSecret(_ text: String) -> Bool {
    let present = prefilter.scan(text)
    guard present != 0 else { return false }
    var run = rulesToRun(present, count: text.utf8.count)
    guard run != 0 else { return false }
    var utf8 = text
    return utf8.withUTF8 { bytes in
      while run != 0 {
        let index = run.trailingZeroBitCount
        run &= run - 1
        if !candidates(ofRule: index, in: text, bytes: bytes).isEmpty { return true }
      }
      return false
    }
  }

  /// The token for `secret`, numbered in the order secrets are first seen (also for callers that
  /// know a text is secret without a rule, like the lines inside a PEM block).
  package func token(for secret: String) -> String {
    lock.lock()
    defer { lock.unlock() }
    let n: Int
    if let known = tokens[secret] {
      n = known
    } else {
      n = tokens.count + 1
      tokens[secret] = n
    }
    return "\(Self.tokenPrefix)\(n)\(Self.tokenSuffix)"
  }

  /// The byte ranges of the accepted candidates of `rules[index]` in `text`, whose UTF-8 bytes are
  /// `bytes`: from the rule's byte search where it answers, else from its regex.
  private func candidates(ofRule index: Int, in text: String, bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    if let search = rules[index].byteSearch, let ranges = search.ranges(bytes) {
      return ranges.filter { range in
        let candidate = UnsafeBufferPointer(rebasing: bytes[range])
        // A token begins with U+2039 after ASCII whitespace, so a candidate of ASCII bytes is
        // none; `isToken` walks the candidate by `Character` (a tenth of the masking of a
        // kubelet log's lines, where the byte search finds a value on most of them).
        let ascii = !candidate.contains { $0 >= 0x80 }
        return (ascii || !Self.isToken(String(decoding: candidate, as: UTF8.self)))
          && search.accept(candidate)
      }
    }
    var found: [Range<Int>] = []
    var from = 0
    while from <= bytes.count {
      let match: RegexMatch?
      do {
        match = try rules[index].regex.firstMatch(in: text, from: from)
      } catch {
        // A match that hit a limit cannot say the rest is clean: the rest is masked whole
        // (only pathological input gets here; nothing must leak).
        if from < bytes.count { found.append(from..<bytes.count) }
        break
      }
      guard let match else { break }
      let range = match.utf8Range
      if !range.isEmpty, !Self.isToken(match.text), rules[index].accept(match.text, match) { found.append(range) }
      from = range.isEmpty ? Self.nextScalar(after: range.upperBound, in: bytes) : range.upperBound
    }
    return found
  }

  /// Whether `text` is one of the masker's own tokens, give or take surrounding whitespace (text
  /// masked twice keeps its tokens).
  package static func isToken(_ text: String) -> Bool {
    let t = SecretShape.trimmed(text)
    return t.utf8.count <= 40 && t.hasPrefix(tokenPrefix) && t.hasSuffix(tokenSuffix)
  }

  /// The byte offset of the scalar after the one at `offset` (PCRE2 must start on a boundary).
  private static func nextScalar(after offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var i = offset + 1
    while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
    return i
  }
}

/// Which rule literals occur in a text: one pass over its bytes, ASCII letters compared caselessly.
///
/// A literal is a candidate at a byte when it starts with that byte and, unless it is one byte
/// long, its second byte is the next one (`startingWith` and `secondIs`, both by raw byte, an
/// upper-case letter marking what its lower case marks); only then are its other bytes compared,
/// read from one flat array. Testing the first byte alone made nearly every letter of a text a
/// candidate for some literal (`password`, `token`, `secret`, `key`, `auth` …), each compared
/// through an array of arrays (docs/architecture.md "Secrets", "Speed"). `scanByFirstByte` is
/// the scan as it was, the reference `SecretMaskerTests` compares with on seeded random text;
/// `scan` now reads a table of byte pairs first and finds base64 runs in a pass of its own, and
/// the byte loop it replaced is `ScanReferenceTests`' reference.
private struct Prefilter: Sendable {
  private let literals: [[UInt8]]
  /// The literals' bytes one after the other, literal i at `offsets[i]..<offsets[i] + lengths[i]`.
  private let flat: [UInt8]
  private let offsets: [Int]
  private let lengths: [Int]
  /// For each lower-cased byte, the literals that start with it (bit i is literal i).
  private let startingWith: [UInt64]
  /// For each lower-cased byte, the literals of two bytes or more whose second byte it is.
  private let secondIs: [UInt64]
  /// The literals one byte long.
  private let singleByte: UInt64
  /// The bit of the pseudo-literal `SecretRules.longBase64Run`, if a rule uses it.
  private let base64RunBit: UInt64
  /// Whether each byte is a base64 character.
  private let base64: [Bool]
  /// A bit for each pair of bytes (the first in the low byte of the index, the second in the
  /// high) that can begin a literal: its first two bytes, ASCII letters in either case, or a
  /// one-byte literal's byte followed by any byte. 65,536 bits, 8 KiB.
  private let pairs: [UInt64]
  /// The same kind of table for the pairs read at even offsets (`literalsIn`): a pair that
  /// holds the first two or the second and third bytes of a literal, a one-byte literal's byte
  /// first or second, or a two-byte literal's first byte second. Every literal's occurrence
  /// shows one of them at an even offset next to its start (`literalsIn` says which).
  private let evenPairs: [UInt64]

  /// How long a base64 run must be for `SecretRules.longBase64Run`.
  static let base64Run = 40

  init(literals: [String]) {
    var table = [UInt64](repeating: 0, count: 256)
    var second = [UInt64](repeating: 0, count: 256)
    var single: UInt64 = 0
    var runBit: UInt64 = 0
    var bytes: [[UInt8]] = []
    func mark(_ table: inout [UInt64], _ byte: UInt8, _ bit: UInt64) {
      table[Int(byte)] |= bit
      // Indexed by the raw byte: an upper-case letter marks what its lower case marks.
      if (0x61...0x7A).contains(byte) { table[Int(byte & ~0x20)] |= bit }
    }
    for (i, literal) in literals.enumerated() {
      let bit = UInt64(1) << UInt64(i)
      if literal == SecretRules.longBase64Run {
        runBit = bit
        bytes.append([])
        continue
      }
      let lowered = literal.utf8.map(Self.lower)
      bytes.append(lowered)
      if let first = lowered.first { mark(&table, first, bit) }
      if lowered.count == 1 { single |= bit }
      if lowered.count >= 2 { mark(&second, lowered[1], bit) }
    }
    self.literals = bytes
    self.flat = bytes.flatMap { $0 }
    self.offsets = bytes.indices.map { i in bytes[..<i].reduce(0) { $0 + $1.count } }
    self.lengths = bytes.map(\.count)
    self.startingWith = table
    self.secondIs = second
    self.singleByte = single
    self.base64RunBit = runBit
    self.base64 = (0..<256).map { Self.isBase64(UInt8($0)) }
    var pairBits = [UInt64](repeating: 0, count: 65_536 / 64)
    var evenBits = [UInt64](repeating: 0, count: 65_536 / 64)
    func set(_ first: UInt8, _ second: UInt8) {
      let pair = Int(first) | Int(second) << 8
      pairBits[pair >> 6] |= UInt64(1) << UInt64(pair & 63)
    }
    func setEven(_ first: UInt8, _ second: UInt8) {
      let pair = Int(first) | Int(second) << 8
      evenBits[pair >> 6] |= UInt64(1) << UInt64(pair & 63)
    }
    /// A lowered literal byte and, for a lower-case letter, its upper case: the raw bytes
    /// `lower` maps to it.
    func spellings(_ b: UInt8) -> [UInt8] { (0x61...0x7A).contains(b) ? [b, b & ~0x20] : [b] }
    for lowered in bytes where !lowered.isEmpty {
      for first in spellings(lowered[0]) {
        if lowered.count == 1 {
          for second in 0...255 { set(first, UInt8(second)) }
        } else {
          for second in spellings(lowered[1]) { set(first, second) }
        }
      }
    }
    self.pairs = pairBits
    for lowered in bytes where !lowered.isEmpty {
      let any = (0...255).map { UInt8($0) }
      for first in spellings(lowered[0]) {
        switch lowered.count {
        case 1:
          // The byte at an even offset, or the second of the pair before it.
          for other in any {
            setEven(first, other)
            setEven(other, first)
          }
        case 2:
          // At an even offset its own pair; at an odd one, the second byte of the pair before.
          for second in spellings(lowered[1]) { setEven(first, second) }
          for other in any { setEven(other, first) }
        default:
          // At an even offset its first two bytes; at an odd one, its second and third.
          for second in spellings(lowered[1]) { setEven(first, second) }
        }
      }
      if lowered.count >= 3 {
        for second in spellings(lowered[1]) {
          for third in spellings(lowered[2]) { setEven(second, third) }
        }
      }
    }
    self.evenPairs = evenBits
  }

  static func lower(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }

  static func isBase64(_ b: UInt8) -> Bool {
    (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2B || b == 0x2F
  }

  /// Which literals occur in `text`. Two passes over the bytes, each cheaper than the one pass
  /// they replaced (`SecretMaskerTests` holds that pass as the reference, on seeded random text):
  ///
  /// - The literals: a byte and the next one, read as one 16-bit load, index `pairs`, a bit
  ///   per byte pair that can begin a literal (its first two bytes, caselessly, or a one-byte
  ///   literal's byte followed by anything). Most pairs begin none, so most bytes cost that load,
  ///   one table load and a branch; only a pair that can begin one asks `startingWith` and
  ///   `secondIs` and compares the literals' other bytes. The old pass asked `startingWith` at
  ///   every byte, and the letters that begin `password`, `secret`, `token`, `key`, `auth` … made
  ///   about every third byte of text a candidate (docs/architecture.md "Secrets").
  /// - The base64 run, only while a rule asks for it: a run of `base64Run` bytes covers every
  ///   window of that length it starts in, so the window's last byte is tested first and, when it
  ///   is not base64, no run starts before it: the scan jumps past it (Boyer–Moore's idea on a
  ///   one-class alphabet). Bytes known to be base64 are not read again, so no byte is read
  ///   twice; on prose nearly every window is decided by one byte.
  ///
  /// The pairs are read at even offsets only (`evenPairs`), and only where one is in that table
  /// are the offsets next to it read as before; see `literalsIn`.
  func scan(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { buffer in
      var found = literalsIn(buffer, everyPair: false)
      if base64RunBit != 0, Self.hasBase64Run(buffer, base64) { found |= base64RunBit }
      return found
    }
  }

  /// `scan` reading the pair at every offset, as it did before `evenPairs`: the reference.
  func scanEveryPair(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { buffer in
      var found = literalsIn(buffer, everyPair: true)
      if base64RunBit != 0, Self.hasBase64Run(buffer, base64) { found |= base64RunBit }
      return found
    }
  }

  /// The literals in `buffer`. Each offset `i` before the last is tested as before: its pair
  /// (`pairs`), and where that can begin a literal, the literals compared (`match`); the last
  /// offset is tested alone. With `everyPair` every offset is tested so; otherwise the pairs at
  /// even offsets are read first, in `evenPairs`, and only where one is there are the offsets
  /// before, at and after it tested (each once). That tests every offset a literal starts at:
  /// a literal of three bytes or more at an even offset shows its first two bytes there, at an
  /// odd one its second and third at the next (even) offset; a one-byte literal is the first
  /// byte of the pair at its even offset or the second of the pair before its odd one; a
  /// two-byte literal (none now) its own pair or, at an odd offset, the second byte of the pair
  /// before. Testing an offset is the test as before, and `found` only gathers bits, so both
  /// ways find the same literals. Most even pairs are in neither table, so most text costs one
  /// load, one table load and a branch per two bytes where it cost them per byte
  /// (docs/architecture.md "Speed after ingest: two cores").
  private func literalsIn(_ buffer: UnsafeBufferPointer<UInt8>, everyPair: Bool) -> UInt64 {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    let raw = UnsafeRawPointer(base)
    let count = buffer.count
    return evenPairs.withUnsafeBufferPointer { evenPairs in
      pairs.withUnsafeBufferPointer { pairs in
        startingWith.withUnsafeBufferPointer { starts in
          secondIs.withUnsafeBufferPointer { seconds in
            flat.withUnsafeBufferPointer { flat in
              offsets.withUnsafeBufferPointer { offsets in
                lengths.withUnsafeBufferPointer { lengths in
                  var found: UInt64 = 0
                  /// The literals that begin at `i` (`next`: the byte after it, 0 past the end
                  /// with `alone` set), compared as the old pass compared them.
                  func match(at i: Int, _ b: UInt8, _ next: UInt8, alone: Bool) {
                    var candidates = starts[Int(b)] & ~found
                    candidates &= singleByte | (alone ? 0 : seconds[Int(next)])
                    while candidates != 0 {
                      let index = candidates.trailingZeroBitCount
                      candidates &= candidates - 1
                      let length = lengths[index]
                      if i + length <= count {
                        let at = offsets[index]
                        var k = 2
                        while k < length, Self.lower(buffer[i + k]) == flat[at + k] { k += 1 }
                        if k >= length { found |= UInt64(1) << UInt64(index) }
                      }
                    }
                  }
                  /// The offset `i` (before the last) tested as before: its pair, then its literals.
                  func test(_ i: Int) {
                    // Little-endian: the byte at `i` in the low half, the next in the high.
                    let pair = Int(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self).littleEndian)
                    if pairs[pair >> 6] & (UInt64(1) << UInt64(pair & 63)) != 0 {
                      match(at: i, UInt8(truncatingIfNeeded: pair), UInt8(truncatingIfNeeded: pair >> 8), alone: false)
                    }
                  }
                  let last = count - 1
                  if everyPair {
                    var i = 0
                    while i < last {
                      test(i)
                      i += 1
                    }
                  } else {
                    // The offsets below `tested` have been tested.
                    var tested = 0
                    var p = 0
                    while p < last {
                      let pair = Int(raw.loadUnaligned(fromByteOffset: p, as: UInt16.self).littleEndian)
                      if evenPairs[pair >> 6] & (UInt64(1) << UInt64(pair & 63)) != 0 {
                        var i = max(p - 1, tested)
                        let through = min(p + 1, last - 1)
                        while i <= through {
                          test(i)
                          i += 1
                        }
                        tested = i
                      }
                      p += 2
                    }
                  }
                  match(at: last, buffer[last], 0, alone: true)
                  return found
                }
              }
            }
          }
        }
      }
    }
  }

  /// Whether `buffer` holds `base64Run` base64 bytes in a row (`isBase64` by byte).
  static func hasBase64Run(_ buffer: UnsafeBufferPointer<UInt8>, _ isBase64: [Bool]) -> Bool {
    let n = base64Run
    let count = buffer.count
    return isBase64.withUnsafeBufferPointer { isBase64 in
      // No run of `n` starts before `start`; the bytes in `start..<known` are base64.
      var start = 0
      var known = 0
      while count - start >= n {
        var j = start + n - 1
        while j >= known, isBase64[Int(buffer[j])] { j -= 1 }
        if j < known { return true }
        // `buffer[j]` is not base64, and the bytes after it up to the window's end are.
        known = start + n
        start = j + 1
      }
      return false
    }
  }

  /// The scan as it was before the second-byte test and the flat literals: each literal starting
  /// with a byte compared from its second byte on. The reference `scan` is held to.
  func scanByFirstByte(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { buffer in
      var found: UInt64 = 0
      var run = 0
      let count = buffer.count
      var i = 0
      while i < count {
        let b = buffer[i]
        if base64[Int(b)] {
          run += 1
          if run >= Self.base64Run { found |= base64RunBit }
        } else {
          run = 0
        }
        var candidates = startingWith[Int(b)] & ~found
        while candidates != 0 {
          let index = candidates.trailingZeroBitCount
          candidates &= candidates - 1
          let literal = literals[index]
          if i + literal.count <= count {
            var k = 1
            while k < literal.count, Self.lower(buffer[i + k]) == literal[k] { k += 1 }
            if k == literal.count { found |= UInt64(1) << UInt64(index) }
          }
        }
        i += 1
      }
      return found
    }
  }
}

/// Masks a sequence of lines (a file, a finding's consecutive evidence lines), replacing the lines
/// inside a private-key PEM block whole: a block's lines are short base64 that a single line's
/// rules cannot tell from other text (RFC 7468 §2).
package struct PEMLines: Sendable {
  /// How many lines after a `BEGIN … PRIVATE KEY` line are masked whole while no `END` line comes
  /// (an RSA 4096 key is 51 lines of base64).
  package static let maxLines = 200

  private var inside = false
  private var linesInside = 0
  private static let begin = Literal("-----BEGIN")
  private static let end = Literal("-----END")
  private static let privateKey = Literal("PRIVATE KEY")

  package init() {}

  /// The next line, masked; `hits` gets the rule ids as `SecretMasker.mask(_:hits:)` gives them.
  package mutating func mask(_ line: String, with masker: SecretMasker, hits: inout [String]) -> String {
    if inside {
      if Self.end.occurs(in: line) && Self.privateKey.occurs(in: line) {
        inside = false
        return masker.mask(line, hits: &hits)
      }
      linesInside += 1
      if linesInside > Self.maxLines { inside = false }
      let indent = line.prefix { $0 == " " || $0 == "\t" }
      let body = line.dropFirst(indent.count)
      guard !body.isEmpty, !SecretMasker.isToken(String(body)) else { return line }
      hits.append("private-key")
      return String(indent) + masker.token(for: String(body))
    }
    let masked = masker.mask(line, hits: &hits)
    if Self.begin.occurs(in: line) && Self.privateKey.occurs(in: line) && !Self.end.occurs(in: line) {
      inside = true
      linesInside = 0
    }
    return masked
  }

  /// Leaves a block (the next line is not the one after the last).
  package mutating func reset() {
    inside = false
  }
}
