import PodmortemModel

/// A schema-directed reader of Kubernetes JSON: the bytes of one value (as `JSONScanner` frames
/// it) straight into a `KubeDocument`, reading only the fields `KubeObjects.swift` declares and
/// stepping over everything else without building it.
///
/// It is the fast path of `ObjectStreamParser`, not a second definition of what an object means:
/// it answers only for plain, well-formed JSON whose fields have the types `KubeObjects.swift`
/// declares, and says "not sure" (nil) for anything else — malformed JSON, a key written with
/// escapes or non-ASCII letters, a key repeated, a string with bad UTF-8, escapes or control
/// bytes that are not JSON, a number with an exponent or more digits than a double holds, an
/// `int32` field out of range or not a whole number, a value of the wrong type, nesting deeper than
/// `maxDepth`, a document that is only a map of container statuses. For those Foundation's
/// `JSONDecoder` decodes the value as before, so every result and every diagnostic stays what it
/// was (the differential tests in `KubeJSONReaderTests` hold the two together).
///
/// This file is the byte-level half: keys, scalars, arrays, maps and stepping over a value.
/// Which fields of which object are read is the schema half, `KubeJSONSchema.swift`.
struct KubeJSONReader {
  /// Why the reader gave up: the caller decodes with `JSONDecoder` instead.
  struct Unsure: Error {}

  /// The deepest nesting the reader follows; deeper values are left to `JSONDecoder`.
  static let maxDepth = 128

  /// The document `bytes` hold, or nil when the reader is not sure it would read it exactly as
  /// `JSONDecoder` does.
  static func document(_ bytes: [UInt8]) -> KubeDocument? {
    var pool = StringPool()
    return document(bytes, pool: &pool)
  }

  /// `document(_:)` with the strings it builds shared through `pool`, which the caller keeps
  /// from one document to the next (`ObjectStreamParser`).
  static func document(_ bytes: [UInt8], pool: inout StringPool) -> KubeDocument? {
    var document = KubeDocument.empty
    return read(bytes, pool: &pool, into: &document) ? document : nil
  }

  /// `document(_:pool:)` read into `document`, which must be `KubeDocument.empty`; false when not
  /// sure (`document` then holds a partial read). A document is about 4 KB: returned as a value, it
  /// was copied three times and its strings retained and released once more (issue 16).
  static func read(_ bytes: [UInt8], pool: inout StringPool, into document: inout KubeDocument) -> Bool {
    var members = MemberMemo()
    members.isOn = false
    return read(bytes, pool: &pool, members: &members, into: &document)
  }

  /// `read(_:pool:into:)` with the separators of the members read last kept in `members`, which
  /// the caller keeps from one document to the next (`MemberMemo`, `ObjectStreamParser`). Not in
  /// the pool: a larger `StringPool` made the kubelet log's reading, which holds one, dearer
  /// (callgrind).
  static func read(
    _ bytes: [UInt8], pool: inout StringPool, members: inout MemberMemo, into document: inout KubeDocument
  ) -> Bool {
    bytes.withUnsafeBufferPointer { buffer -> Bool in
      var reader = KubeJSONReader(buffer)
      // Swapped in and out, not copied: the reader owns the tables while it reads.
      swap(&reader.pool, &pool)
      swap(&reader.members, &members)
      defer {
        swap(&reader.pool, &pool)
        swap(&reader.members, &members)
      }
      reader.members.begin()
      return (try? reader.readDocument(into: &document)) != nil
    }
  }

  private let p: UnsafeBufferPointer<UInt8>
  private var i = 0
  private var depth = 0
  private var pool = StringPool()
  private var members = MemberMemo()

  private init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

  // MARK: - Bytes

  static let quote: UInt8 = 0x22
  static let backslash: UInt8 = 0x5C
  static let comma: UInt8 = 0x2C
  static let colon: UInt8 = 0x3A
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let openBracket: UInt8 = 0x5B
  static let closeBracket: UInt8 = 0x5D

  /// Skips JSON whitespace: space, tab, line feed, carriage return
  /// (https://www.rfc-editor.org/rfc/rfc8259#section-2).
  /// After a line feed, the indentation of pretty-printed JSON is stepped over eight spaces a
  /// word (`ByteWords.spacesEnd`, which stops at the first byte that is not a space).
  @inline(__always)
  mutating func space() {
    while i < p.count {
      let b = p[i]
      guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
      i += 1
      if b == 0x0A { i = ByteWords.spacesEnd(p, from: i) }
    }
  }

  /// The next byte after whitespace, not consumed; nil at the end.
  @inline(__always)
  mutating func peek() -> UInt8? {
    space()
    return i < p.count ? p[i] : nil
  }

  @inline(__always)
  mutating func expect(_ b: UInt8) throws(Unsure) {
    guard peek() == b else { throw Unsure() }
    i += 1
  }

  /// Consumes `null` when it is the next value.
  @inline(__always)
  mutating func null() throws(Unsure) -> Bool {
    guard peek() == 0x6E else { return false }
    try literal("null")
    return true
  }

  mutating func literal(_ word: StaticString) throws(Unsure) {
    let count = word.utf8CodeUnitCount
    guard i + count <= p.count else { throw Unsure() }
    let w = word.utf8Start
    for k in 0..<count where p[i + k] != w[k] { throw Unsure() }
    i += count
    // A literal runs into the next token only through a delimiter.
    if i < p.count, Self.isWordByte(p[i]) { throw Unsure() }
  }

  @inline(__always)
  static func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2B
      || b == 0x2D || b >= 0x80
  }

  mutating func enter() throws(Unsure) {
    depth += 1
    guard depth <= Self.maxDepth else { throw Unsure() }
  }

  // MARK: - Objects

  /// The members of an object: `members` is called with each key's index in `table` (-1 for a
  /// key the table does not hold), positioned at its value, which it must consume.
  struct Members {
    var first = true
    var seen: UInt64 = 0
  }

  mutating func openObject() throws(Unsure) -> Members {
    try expect(Self.openBrace)
    try enter()
    return Members()
  }

  /// The index of the next key in `table` (-1 when the table does not hold it), or nil at the end
  /// of the object. A key written with escapes or non-ASCII bytes, or one of the table's keys
  /// repeated, is not something the reader is sure about.
  mutating func nextKey(_ table: KeyTable, _ m: inout Members) throws(Unsure) -> Int? {
    guard members.isOn, table.id != 0 else {
      members.forget()
      return try readKey(table, &m)
    }
    let tag = table.id << 1 | (m.first ? 1 : 0)
    // The member that followed the last one the last time, when its separator's bytes are next:
    // what reading them would give (`MemberMemo`).
    if let (count, index) = members.predict(p, at: i, tag: tag) {
      i += count
      m.first = false
      if index >= 0 {
        let bit: UInt64 = 1 << UInt64(index)
        guard m.seen & bit == 0 else { throw Unsure() }
        m.seen |= bit
      }
      return index
    }
    let start = i
    guard let index = try readKey(table, &m) else { return nil }
    members.note(p, from: start, to: i, tag: tag, index: index)
    return index
  }

  /// `nextKey` read from the bytes, without `MemberMemo`.
  @inline(__always)
  private mutating func readKey(_ table: KeyTable, _ m: inout Members) throws(Unsure) -> Int? {
    guard let b = peek() else { throw Unsure() }
    if b == Self.closeBrace {
      i += 1
      depth -= 1
      return nil
    }
    if m.first {
      m.first = false
    } else {
      guard b == Self.comma else { throw Unsure() }
      i += 1
      space()
    }
    guard i < p.count, p[i] == Self.quote else { throw Unsure() }
    let start = i + 1
    let (j, ascii) = ByteWords.plainRun(p, from: start)
    // The key ends at a quote, with no escape, control or non-ASCII byte before it.
    guard j < p.count, p[j] == Self.quote, ascii else { throw Unsure() }
    i = j + 1
    try expect(Self.colon)
    space()
    let index = table.index(of: UnsafeBufferPointer(rebasing: p[start..<j]))
    if index >= 0 {
      let bit: UInt64 = 1 << UInt64(index)
      guard m.seen & bit == 0 else { throw Unsure() }
      m.seen |= bit
    }
    return index
  }

  /// Each element of an array (`null` for the whole array gives nil); `element` reads one.
  mutating func array<T>(_ element: (inout KubeJSONReader) throws(Unsure) -> T) throws(Unsure) -> [T]? {
    if try null() { return nil }
    try expect(Self.openBracket)
    try enter()
    var out: [T] = []
    if peek() == Self.closeBracket {
      i += 1
      depth -= 1
      return out
    }
    while true {
      space()
      out.append(try element(&self))
      guard let b = peek() else { throw Unsure() }
      i += 1
      if b == Self.closeBracket { break }
      guard b == Self.comma else { throw Unsure() }
    }
    depth -= 1
    return out
  }

  /// A JSON object read as a dictionary (`null` gives nil); a key repeated is not sure.
  mutating func dictionary<T>(_ value: (inout KubeJSONReader) throws(Unsure) -> T) throws(Unsure)
    -> [String: T]?
  {
    if try null() { return nil }
    try expect(Self.openBrace)
    try enter()
    var out: [String: T] = [:]
    var first = true
    while true {
      guard let b = peek() else { throw Unsure() }
      if b == Self.closeBrace {
        i += 1
        break
      }
      if first {
        first = false
      } else {
        guard b == Self.comma else { throw Unsure() }
        i += 1
        space()
      }
      guard i < p.count, p[i] == Self.quote else { throw Unsure() }
      let key = try stringValue()
      try expect(Self.colon)
      space()
      let v = try value(&self)
      guard out.updateValue(v, forKey: key) == nil else { throw Unsure() }
    }
    depth -= 1
    return out
  }

  // MARK: - Scalars

  /// A string or `null`.
  mutating func string() throws(Unsure) -> String? {
    if try null() { return nil }
    guard i < p.count, p[i] == Self.quote else { throw Unsure() }
    return try stringValue()
  }

  /// A string that may not be `null` (an element of `[String]`, a value of `[String: String]`).
  mutating func requiredString() throws(Unsure) -> String {
    guard peek() == Self.quote else { throw Unsure() }
    return try stringValue()
  }

  /// The string starting at the current `"`.
  mutating func stringValue() throws(Unsure) -> String {
    i += 1
    let start = i
    let (end, ascii) = ByteWords.plainRun(p, from: start)
    i = end
    guard i < p.count else { throw Unsure() }
    let b = p[i]
    if b == Self.quote {
      let bytes = UnsafeBufferPointer(rebasing: p[start..<i])
      i += 1
      if !ascii, !Self.isValidUTF8(bytes) { throw Unsure() }
      return pool.string(bytes)
    }
    if b == Self.backslash { return try escapedString(from: start) }
    // A control byte.
    throw Unsure()
  }

  /// A string with escapes, from its first byte; `i` is at its first backslash.
  mutating func escapedString(from start: Int) throws(Unsure) -> String {
    var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: p[start..<i]))
    while i < p.count {
      let b = p[i]
      if b == Self.quote {
        i += 1
        guard Self.isValidUTF8(out) else { throw Unsure() }
        return String(decoding: out, as: UTF8.self)
      }
      if b < 0x20 { throw Unsure() }
      guard b == Self.backslash else {
        // The plain bytes up to the next `"`, `\` or control byte, copied as one run: appended
        // one at a time, a message with escaped quotes cost about 4,900 instructions
        // (issue 16, callgrind). `plainRun` stops exactly where this loop's tests would, and
        // `b` is none of them, so the run is not empty. `KubeJSONReaderTests` keeps the
        // byte-by-byte loop as the reference.
        let end = ByteWords.plainRun(p, from: i).end
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<end]))
        i = end
        continue
      }
      guard i + 1 < p.count else { throw Unsure() }
      let e = p[i + 1]
      i += 2
      switch e {
      case 0x22, 0x5C, 0x2F: out.append(e)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x75:
        var scalar = try hex4()
        if scalar >= 0xD800 && scalar <= 0xDBFF {
          // A high surrogate must be followed by an escaped low one
          // (https://www.rfc-editor.org/rfc/rfc8259#section-7).
          guard i + 1 < p.count, p[i] == Self.backslash, p[i + 1] == 0x75 else { throw Unsure() }
          i += 2
          let low = try hex4()
          guard low >= 0xDC00 && low <= 0xDFFF else { throw Unsure() }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
          throw Unsure()
        }
        guard let s = Unicode.Scalar(scalar) else { throw Unsure() }
        out.append(contentsOf: UTF8.encode(s) ?? UTF8.EncodedScalar())
      default:
        throw Unsure()
      }
    }
    throw Unsure()
  }

  mutating func hex4() throws(Unsure) -> UInt32 {
    guard i + 4 <= p.count else { throw Unsure() }
    var v: UInt32 = 0
    for k in 0..<4 {
      let c = p[i + k]
      let d: UInt32
      switch c {
      case 0x30...0x39: d = UInt32(c - 0x30)
      case 0x41...0x46: d = UInt32(c - 0x41 + 10)
      case 0x61...0x66: d = UInt32(c - 0x61 + 10)
      default: throw Unsure()
      }
      v = v << 4 | d
    }
    i += 4
    return v
  }

  /// Strict UTF-8, no overlong forms, surrogates or values past U+10FFFF (table 3-7 of
  /// https://www.unicode.org/versions/Unicode15.0.0/ch03.pdf).
  static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
    var it = bytes.makeIterator()
    while let b0 = it.next() {
      if b0 < 0x80 { continue }
      let count: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch b0 {
      case 0xC2...0xDF: count = 1
      case 0xE0:
        count = 2
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: count = 2
      case 0xED:
        count = 2
        high = 0x9F
      case 0xF0:
        count = 3
        low = 0x90
      case 0xF1...0xF3: count = 3
      case 0xF4:
        count = 3
        high = 0x8F
      default: return false
      }
      for k in 0..<count {
        guard let b = it.next() else { return false }
        if k == 0 {
          guard b >= low && b <= high else { return false }
        } else {
          guard b >= 0x80 && b <= 0xBF else { return false }
        }
      }
    }
    return true
  }

  /// A whole number without fraction or exponent (`-?(0|[1-9][0-9]*)`), at most 18 digits; nil for `null`.
  mutating func integer() throws(Unsure) -> Int? {
    if try null() { return nil }
    var j = i
    var negative = false
    if j < p.count && p[j] == 0x2D {
      negative = true
      j += 1
    }
    let digitsStart = j
    var value = 0
    while j < p.count, p[j] >= 0x30 && p[j] <= 0x39 {
      // 18 digits cannot overflow an Int; longer numbers are left to the decoder.
      guard j - digitsStart < 18 else { throw Unsure() }
      value = value * 10 + Int(p[j] - 0x30)
      j += 1
    }
    let digits = j - digitsStart
    guard digits > 0, !(digits > 1 && p[digitsStart] == 0x30) else { throw Unsure() }
    if j < p.count, Self.isWordByte(p[j]) { throw Unsure() }
    i = j
    return negative ? -value : value
  }

  /// An `int32` API field (`Int32Field`): a whole number in range, or `null`. Anything else is
  /// left to `JSONDecoder`, which drops the field with a diagnostic.
  mutating func int32() throws(Unsure) -> Int? {
    guard let value = try integer() else { return nil }
    guard Plausible.int32Range.contains(value) else { throw Unsure() }
    return value
  }

  mutating func bool() throws(Unsure) -> Bool? {
    switch peek() {
    case 0x74:
      try literal("true")
      return true
    case 0x66:
      try literal("false")
      return false
    case 0x6E:
      try literal("null")
      return nil
    default:
      throw Unsure()
    }
  }

  /// `KubeScalar`: a whole number (as `String(Int)` writes it) or a string; nil for `null`.
  mutating func scalar() throws(Unsure) -> KubeScalar? {
    switch peek() {
    case Self.quote: return KubeScalar(text: try stringValue())
    case 0x6E:
      try literal("null")
      return nil
    default:
      guard let value = try integer() else { throw Unsure() }
      return KubeScalar(text: String(value))
    }
  }

  /// A `KubeScalar` that may not be `null` (a value of a resources map).
  mutating func requiredScalar() throws(Unsure) -> KubeScalar {
    guard let value = try scalar() else { throw Unsure() }
    return value
  }

  // MARK: - Skipping

  /// Steps over any value, checking that it is well-formed JSON the reader is sure about.
  mutating func skipValue() throws(Unsure) {
    guard let b = peek() else { throw Unsure() }
    switch b {
    case Self.quote: try skipString()
    case Self.openBrace:
      i += 1
      try enter()
      var first = true
      while true {
        guard let c = peek() else { throw Unsure() }
        if c == Self.closeBrace {
          i += 1
          break
        }
        if first {
          first = false
        } else {
          guard c == Self.comma else { throw Unsure() }
          i += 1
          space()
        }
        guard i < p.count, p[i] == Self.quote else { throw Unsure() }
        try skipString()
        try expect(Self.colon)
        try skipValue()
      }
      depth -= 1
    case Self.openBracket:
      i += 1
      try enter()
      if peek() == Self.closeBracket {
        i += 1
      } else {
        while true {
          try skipValue()
          guard let c = peek() else { throw Unsure() }
          i += 1
          if c == Self.closeBracket { break }
          guard c == Self.comma else { throw Unsure() }
        }
      }
      depth -= 1
    case 0x74: try literal("true")
    case 0x66: try literal("false")
    case 0x6E: try literal("null")
    default: try skipNumber()
    }
  }

  /// Steps over a string, checking its escapes and its UTF-8.
  mutating func skipString() throws(Unsure) {
    i += 1
    let start = i
    let (end, ascii) = ByteWords.plainRun(p, from: start)
    i = end
    guard i < p.count else { throw Unsure() }
    let b = p[i]
    if b == Self.quote {
      if !ascii, !Self.isValidUTF8(UnsafeBufferPointer(rebasing: p[start..<i])) { throw Unsure() }
      i += 1
      return
    }
    guard b == Self.backslash else { throw Unsure() }
    // Rare in the fields podmortem skips: checked by decoding the string.
    i = start - 1
    _ = try stringValue()
  }

  /// Steps over a number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?` of at most 15 digits; an exponent is
  /// left to `JSONDecoder`.
  mutating func skipNumber() throws(Unsure) {
    var j = i
    if j < p.count && p[j] == 0x2D { j += 1 }
    let start = j
    while j < p.count, p[j] >= 0x30 && p[j] <= 0x39 { j += 1 }
    var digits = j - start
    guard digits > 0, !(digits > 1 && p[start] == 0x30) else { throw Unsure() }
    if j < p.count && p[j] == 0x2E {
      j += 1
      let fraction = j
      while j < p.count, p[j] >= 0x30 && p[j] <= 0x39 { j += 1 }
      guard j > fraction else { throw Unsure() }
      digits += j - fraction
    }
    guard digits <= 15 else { throw Unsure() }
    if j < p.count, Self.isWordByte(p[j]) { throw Unsure() }
    i = j
  }
}
