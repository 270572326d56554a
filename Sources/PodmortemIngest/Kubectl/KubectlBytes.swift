import Foundation

/// Byte-level tests behind the kubectl text parsers' hot path (docs/architecture.md "Speed of the
/// describe path").
///
/// Every line of a describe passes the same dozen questions (a boundary? a table header? a
/// command? a field?), and nearly every answer is no. Asked of `Character`s, each costs grapheme
/// breaking and Unicode property look-ups; asked of the UTF-8 bytes, a few comparisons. The
/// functions here answer from the bytes only where the answer is provably the one the
/// `Character`-level code gives: on ASCII text a `Character` is one byte (`\r\n` cannot occur
/// inside a line), so `isLetter` is `A-Z a-z`, `isNumber` is `0-9`, `isUppercase` is `A-Z` and
/// `isWhitespace` is `\t`…`\r` and space (Unicode's White_Space). Anything else — a byte ≥ 0x80
/// where it matters — goes to the `Character`-level code, which stays the reference
/// (`KubectlBytesTests` compares both on every shipped sample and paste).
enum KubectlBytes {
  @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
  @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
  @inline(__always) static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
  /// Space or tab: what kubectl pads with, and what the parsers split words on.
  @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
  /// `Character.isWhitespace` for an ASCII byte.
  @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

  /// True when every byte of `bytes` is ASCII.
  static func isASCII(_ bytes: Substring.UTF8View) -> Bool {
    if let all = bytes.withContiguousStorageIfAvailable({ isASCII($0) }) { return all }
    return bytes.allSatisfy { $0 < 0x80 }
  }

  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    // Eight bytes at a time: a line of a describe is mostly padding and words.
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      while i + 8 <= n {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        i += 8
      }
    }
    while i < n {
      if bytes[i] >= 0x80 { return false }
      i += 1
    }
    return true
  }

  /// True when `bytes` starts with `prefix` (bytes, not `Character`s: a caller that needs
  /// `Character` semantics takes a `true` only as "maybe").
  static func hasPrefix(_ bytes: Substring.UTF8View, _ prefix: StaticString) -> Bool {
    let count = prefix.utf8CodeUnitCount
    guard bytes.count >= count else { return false }
    var i = bytes.startIndex
    let p = prefix.utf8Start
    for k in 0..<count {
      if bytes[i] != p[k] { return false }
      i = bytes.index(after: i)
    }
    return true
  }

  /// True when every word of the ASCII `body` (split on spaces and tabs, as `words` splits it)
  /// begins with `A`–`Z`, or holds a `<`: each word of a table header begins so (`TableHeader`),
  /// and these words are `KubectlLine.tokens` unless a placeholder joined some of them
  /// (`KubectlLine.joiningPlaceholders`: `CPU(<a b>)` is one word whose stem is `CPU`).
  static func everyWordStartsUpper(_ body: Substring) -> Bool {
    body.utf8.withContiguousStorageIfAvailable { b -> Bool in
      guard let base = b.baseAddress else { return true }
      var atStart = true
      for (i, c) in b.enumerated() {
        if c == 0x3C { return true }
        if isBlank(c) {
          atStart = true
        } else {
          // A word that begins otherwise: no header, unless a `<` further on joins words.
          if atStart, !isUpper(c) { return memchr(base + i, 0x3C, b.count - i) != nil }
          atStart = false
        }
      }
      return true
    } ?? true
  }

  /// False when no row the kubectl sniffer asks about can read the ASCII `body`: each insists on a
  /// cell whose bytes this looks for in one pass. A headerless `get pods` row has a READY cell
  /// with a `/` at one of `readyWords`; a `get events` row a TYPE cell (`Normal`, `Warning`) or a
  /// COUNT cell (a word `Int` reads: a sign, then ASCII digits); a `get nodes` row a status
  /// holding `Ready` or `Unknown`; a describe or console event row a `Normal` or `Warning` cell;
  /// a node condition row `True`, `False` or `Unknown`. No other text is canonically equivalent
  /// to these words, so equal cells are equal bytes. The words are `KubectlLine.tokens` only
  /// without a `<` (placeholders join words, `KubectlLine.joiningPlaceholders`): a line with one
  /// is left to the rows. `KubectlTextParser.score` asks this of every line of a head.
  static func mayHoldRow(_ body: Substring, readyWords: UInt64) -> Bool {
    body.utf8.withContiguousStorageIfAvailable { b -> Bool in
      let n = b.count
      var i = 0
      var word = 0
      while i < n {
        while i < n, isBlank(b[i]) { i += 1 }
        guard i < n else { break }
        var j = i
        if b[j] == 0x2B || b[j] == 0x2D { j += 1 }
        var slash = false
        var digits = 0
        var others = 0
        while j < n, !isBlank(b[j]) {
          let c = b[j]
          // Most bytes of a log line are lower-case letters: from `a` up (and every non-ASCII
          // byte) a byte is none of the things looked for below, only counted
          // (docs/architecture.md, "Sniffing a head of long lines"; `RowBytesTests` keeps the
          // loop without this as the reference).
          if c >= 0x61 {
            others += 1
            j += 1
            continue
          }
          if isDigit(c) {
            digits += 1
          } else {
            others += 1
            if c == 0x2F { slash = true }
            if c == 0x3C { return true }
            if isUpper(c), holdsRowWord(b, at: j) { return true }
          }
          j += 1
        }
        if digits > 0, others == 0 { return true }
        if slash, readyWords & (1 << UInt64(min(word, 63))) != 0 { return true }
        word += 1
        i = j
      }
      return false
    } ?? true
  }

  /// True when one of the words `mayHoldRow` looks for starts at `at`.
  private static func holdsRowWord(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
    func starts(_ word: StaticString) -> Bool {
      let k = word.utf8CodeUnitCount
      guard let base = b.baseAddress, b.count - at >= k else { return false }
      return memcmp(base + at, word.utf8Start, k) == 0
    }
    switch b[at] {
    case 0x4E: return starts("Normal")
    case 0x57: return starts("Warning")
    case 0x52: return starts("Ready")
    case 0x55: return starts("Unknown")
    case 0x54: return starts("True")
    case 0x46: return starts("False")
    default: return false
    }
  }

  /// The words of an ASCII `body`, split on spaces and tabs: `KubectlLine.tokens` on ASCII text.
  /// The words are found in the contiguous bytes and counted first, so the array is allocated once.
  static func words(_ body: Substring) -> [Substring] {
    let utf8 = body.utf8
    let found = utf8.withContiguousStorageIfAvailable { bytes -> [Substring] in
      let n = bytes.count
      var count = 0
      var i = 0
      while i < n {
        while i < n, isBlank(bytes[i]) { i += 1 }
        guard i < n else { break }
        count += 1
        while i < n, !isBlank(bytes[i]) { i += 1 }
      }
      return split(bytes, of: utf8, reserving: count, limit: Int.max).words
    }
    return found ?? indexedWords(body)
  }

  /// The first `limit` (≥ 1) of `words(body)` and whether they are all of them, for a reader that
  /// needs only a row's first cells: a describe's Events row takes its message as the rest of the
  /// line, and splitting all of the message's words cost about 600 instructions a word
  /// (docs/architecture.md "Speed of the describe path").
  static func words(_ body: Substring, limit: Int) -> (words: [Substring], complete: Bool) {
    let utf8 = body.utf8
    let found = utf8.withContiguousStorageIfAvailable { bytes -> ([Substring], Bool) in
      split(bytes, of: utf8, reserving: limit, limit: limit)
    }
    return found ?? (indexedWords(body), true)
  }

  /// The first `limit` words of `utf8`, whose contiguous bytes are `bytes`, split on spaces and
  /// tabs, in an array with room for `reserving`; and whether they are all of them.
  @inline(__always)
  private static func split(
    _ bytes: UnsafeBufferPointer<UInt8>, of utf8: Substring.UTF8View, reserving: Int, limit: Int
  ) -> (words: [Substring], complete: Bool) {
    let n = bytes.count
    var words: [Substring] = []
    words.reserveCapacity(reserving)
    var index = utf8.startIndex
    var at = 0
    var i = 0
    while i < n {
      while i < n, isBlank(bytes[i]) { i += 1 }
      guard i < n else { break }
      if words.count == limit { return (words, false) }
      var j = i + 1
      while j < n, !isBlank(bytes[j]) { j += 1 }
      let start = utf8.index(index, offsetBy: i - at)
      let end = utf8.index(start, offsetBy: j - i)
      words.append(Substring(utf8[start..<end]))
      index = end
      at = j
      i = j
    }
    return (words, true)
  }

  /// `words` for bytes not stored contiguously, walking the view's indices.
  static func indexedWords(_ body: Substring) -> [Substring] {
    var words: [Substring] = []
    let utf8 = body.utf8
    var i = utf8.startIndex
    let end = utf8.endIndex
    while i < end {
      while i < end, isBlank(utf8[i]) { i = utf8.index(after: i) }
      guard i < end else { break }
      var j = utf8.index(after: i)
      while j < end, !isBlank(utf8[j]) { j = utf8.index(after: j) }
      words.append(Substring(utf8[i..<j]))
      i = j
    }
    return words
  }

  /// True when `bytes` holds `byte` (`memchr` over the contiguous bytes).
  static func contains(_ bytes: Substring.UTF8View, _ byte: UInt8) -> Bool {
    let found = bytes.withContiguousStorageIfAvailable { b -> Bool in
      guard let base = b.baseAddress, b.count > 0 else { return false }
      return memchr(base, Int32(byte), b.count) != nil
    }
    return found ?? bytes.contains(byte)
  }

  /// `bytes.firstIndex(of: byte)`, found with `memchr` in the contiguous bytes: the generic search
  /// stepped the view's iterator, about 500 instructions for a label's `=` (docs/architecture.md
  /// "Speed of the describe path"). The same position, so the same index.
  static func firstIndex(_ bytes: Substring.UTF8View, of byte: UInt8) -> Substring.Index? {
    let found = bytes.withContiguousStorageIfAvailable { b -> Int? in
      guard let base = b.baseAddress, b.count > 0, let hit = memchr(base, Int32(byte), b.count) else { return nil }
      return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
    guard let found else { return bytes.firstIndex(of: byte) }
    guard let offset = found else { return nil }
    return bytes.index(bytes.startIndex, offsetBy: offset)
  }

  /// True when `bytes` are exactly `word`'s bytes.
  static func equals(_ bytes: Substring.UTF8View, _ word: StaticString) -> Bool {
    let found = bytes.withContiguousStorageIfAvailable { b -> Bool in
      guard b.count == word.utf8CodeUnitCount else { return false }
      guard let base = b.baseAddress, b.count > 0 else { return true }
      return memcmp(base, word.utf8Start, b.count) == 0
    }
    return found ?? bytes.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
  }

  /// The first word of an ASCII `body` (up to its first space or tab).
  static func firstWord(_ body: Substring) -> Substring.UTF8View.SubSequence {
    let utf8 = body.utf8
    var j = utf8.startIndex
    while j < utf8.endIndex, !isBlank(utf8[j]) { j = utf8.index(after: j) }
    return utf8[utf8.startIndex..<j]
  }

  /// True when the first word of an ASCII `body` is exactly `word`: `firstWord(body)` compared
  /// with `word`, read from the contiguous bytes.
  ///
  /// Compared where the word would stand and at the byte after it, not measured to its end: the
  /// first word of a JSON or logfmt line runs for dozens of bytes, and a describe's Events header
  /// asks this twice of every line of a container log's head (docs/architecture.md, "Sniffing a
  /// head of long lines"). Equal bytes hold no blank (`word` holds none), so the first word is
  /// `word` exactly when the byte after them is a blank or the end.
  static func firstWordIs(_ body: Substring, _ word: StaticString) -> Bool {
    let found = body.utf8.withContiguousStorageIfAvailable { b -> Bool in
      let k = word.utf8CodeUnitCount
      guard b.count >= k else { return false }
      if k > 0 {
        guard let base = b.baseAddress, memcmp(base, word.utf8Start, k) == 0 else { return false }
      }
      return b.count == k || isBlank(b[k])
    }
    return found
      ?? firstWord(body).elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
  }

  /// True when the first word of an ASCII `body` starts with an upper-case letter and holds no
  /// lower-case letter or colon: what a table header's first word may be (`TableHeader.init`).
  static func firstWordMayOpenHeader(_ body: Substring) -> Bool {
    // Walked once, to the first byte that answers (a lower-case letter or a colon) or the word's
    // end, not measured first and walked again (docs/architecture.md, "Sniffing a head of long
    // lines").
    let found = body.utf8.withContiguousStorageIfAvailable { b -> Bool in
      guard b.count > 0, isUpper(b[0]) else { return false }
      var k = 1
      while k < b.count, !isBlank(b[k]) {
        if isLower(b[k]) || b[k] == 0x3A { return false }
        k += 1
      }
      return true
    }
    if let found { return found }
    let first = firstWord(body)
    guard let b = first.first, isUpper(b) else { return false }
    return !first.contains(where: { isLower($0) || $0 == 0x3A })
  }

  /// `KubectlLine.field` on ASCII text: `Key:  value` → (`Key`, `value`); nil unless the key is a
  /// plain label (letters, digits, spaces, `-./()#_`) followed by `:` and then white space or the end.
  static func field(_ body: Substring) -> (key: Substring, value: Substring)? {
    let utf8 = body.utf8
    // Offsets of the colon and of the value, read from the contiguous bytes.
    let found = utf8.withContiguousStorageIfAvailable { bytes -> (colon: Int, value: Int)? in
      guard let first = bytes.first, isLetter(first) else { return nil }
      var i = 0
      var last: UInt8 = 0
      while i < bytes.count {
        let b = bytes[i]
        if b == 0x3A { break }
        guard isLetter(b) || isDigit(b) || isKeyPunctuation(b) else { return nil }
        last = b
        i += 1
      }
      guard i < bytes.count, last != 0x20 else { return nil }
      var v = i + 1
      guard v == bytes.count || isBlank(bytes[v]) else { return nil }
      while v < bytes.count, isBlank(bytes[v]) { v += 1 }
      return (i, v)
    }
    guard let found else { return slowField(body) }
    guard let offsets = found else { return nil }
    let start = utf8.startIndex
    let colonIndex = utf8.index(start, offsetBy: offsets.colon)
    let valueIndex = utf8.index(start, offsetBy: offsets.value)
    return (Substring(utf8[start..<colonIndex]), Substring(utf8[valueIndex..<utf8.endIndex]))
  }

  /// `field` for bytes not stored contiguously.
  private static func slowField(_ body: Substring) -> (key: Substring, value: Substring)? {
    let utf8 = body.utf8
    let start = utf8.startIndex
    let end = utf8.endIndex
    guard start < end, isLetter(utf8[start]) else { return nil }
    var i = start
    var last: UInt8 = 0
    while i < end {
      let b = utf8[i]
      if b == 0x3A { break }
      guard isLetter(b) || isDigit(b) || isKeyPunctuation(b) else { return nil }
      last = b
      i = utf8.index(after: i)
    }
    guard i < end, last != 0x20 else { return nil }
    let colon = i
    var v = utf8.index(after: colon)
    guard v == end || isBlank(utf8[v]) else { return nil }
    while v < end, isBlank(utf8[v]) { v = utf8.index(after: v) }
    return (Substring(utf8[start..<colon]), Substring(utf8[v..<end]))
  }

  /// ` -./()#_`: the punctuation a describe key may hold.
  @inline(__always) private static func isKeyPunctuation(_ b: UInt8) -> Bool {
    switch b {
    case 0x20, 0x2D, 0x2E, 0x2F, 0x28, 0x29, 0x23, 0x5F: true
    default: false
    }
  }
}
