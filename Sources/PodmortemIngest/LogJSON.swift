/// A small JSON reader for one-object-per-line logs (the kubelet's JSON format, docker json-file).
///
/// Unlike `JSONSerialization` it keeps the members in the order they were written, which is the
/// order a log's key/value pairs mean something in, and it keeps each value's raw text.
package enum LogJSON {
  /// A JSON value with its raw text where rendering it back matters.
  package indirect enum Value: Hashable, Sendable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case object([Member], raw: String)
    case array(raw: String)

    /// The value as a log field shows it: strings as they are, everything else as raw JSON.
    package var text: String {
      switch self {
      case .string(let s): s
      case .number(let n): n
      case .bool(let v): v ? "true" : "false"
      case .null: "null"
      case .object(_, let raw), .array(let raw): raw
      }
    }

    package var string: String? {
      if case .string(let s) = self { return s }
      return nil
    }

    package var number: Double? {
      if case .number(let n) = self { return Double(n) }
      return nil
    }

    package var members: [Member]? {
      if case .object(let m, _) = self { return m }
      return nil
    }
  }

  /// One `"key": value` of an object.
  package struct Member: Hashable, Sendable {
    package var key: String
    package var value: Value

    package init(_ key: String, _ value: Value) {
      self.key = key
      self.value = value
    }
  }

  /// How deep objects and arrays may nest before the line is rejected (a hostile line cannot
  /// exhaust the stack).
  package static let maxDepth = 64

  /// The members of the single object that makes up `b` (surrounding whitespace allowed), or nil
  /// when `b` is anything else.
  package static func parseObject(_ b: [UInt8]) -> [Member]? {
    var reader = Reader(b: b)
    reader.skipSpace()
    guard let value = reader.value(depth: 0), case .object(let members, _) = value else { return nil }
    reader.skipSpace()
    return reader.i == b.count ? members : nil
  }

  /// Where one top-level member's value lies in a line `skimObject` read.
  package struct Skimmed: Equatable, Sendable {
    package enum Kind: Equatable, Sendable { case string, number, other }
    package var kind: Kind
    /// The value's bytes: a string's between its quotes, a number's whole.
    package var range: Range<Int>
    /// True when a string's bytes are ASCII without a backslash: its text is its bytes.
    package var plain: Bool
  }

  /// What `skimObject` found.
  package enum Skim: Equatable, Sendable {
    /// `parseObject` returns nil on these bytes.
    case rejected
    /// A top-level key holds a backslash or a non-ASCII byte: its text is not its bytes, so only
    /// the full parse can say which key it is.
    case undecided
    /// For each of the keys asked, its first top-level member's value, if any.
    case found([Skimmed?])
  }

  /// The first top-level member named by each of `keys` (ASCII bytes), without building any
  /// member: `WrittenTime` wants a JSON log line's time, and parsing the whole object for it cost
  /// 14,000 instructions a line of a container log (docs/architecture.md, "Sniffing a head of long
  /// lines"). It accepts exactly what `parseObject` accepts (the same grammar, depth limit and
  /// escapes; duplicate keys allowed, the first found as `first(where:)` finds it) and answers
  /// `undecided` when a top-level key is not plain ASCII, where `String`'s comparison by canonical
  /// equivalence, not the bytes, says what matches. `LogJSONSkimTests` holds it to `parseObject`.
  package static func skimObject(_ b: [UInt8], keys: [[UInt8]]) -> Skim {
    var skimmer = Skimmer(b: b, keys: keys)
    skimmer.skipSpace()
    guard skimmer.i < b.count, b[skimmer.i] == 0x7B, skimmer.object(depth: 0, top: true) else { return .rejected }
    skimmer.skipSpace()
    guard skimmer.i == b.count else { return .rejected }
    return skimmer.undecided ? .undecided : .found(skimmer.found)
  }

  /// `Reader`'s grammar without its values: each function says whether `Reader`'s would return
  /// a value and leaves `i` where it would.
  private struct Skimmer {
    let b: [UInt8]
    let keys: [[UInt8]]
    var i = 0
    var found: [Skimmed?]
    var undecided = false

    init(b: [UInt8], keys: [[UInt8]]) {
      self.b = b
      self.keys = keys
      self.found = Array(repeating: nil, count: keys.count)
    }

    mutating func skipSpace() {
      while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    mutating func value(depth: Int) -> Bool {
      guard depth < LogJSON.maxDepth, i < b.count else { return false }
      switch b[i] {
      case 0x22: return string() != nil
      case 0x7B: return object(depth: depth, top: false)
      case 0x5B: return array(depth: depth)
      case 0x74: return literal([0x74, 0x72, 0x75, 0x65])
      case 0x66: return literal([0x66, 0x61, 0x6C, 0x73, 0x65])
      case 0x6E: return literal([0x6E, 0x75, 0x6C, 0x6C])
      default: return number()
      }
    }

    mutating func literal(_ w: [UInt8]) -> Bool {
      guard i + w.count <= b.count, b[i..<(i + w.count)].elementsEqual(w) else { return false }
      i += w.count
      return true
    }

    mutating func number() -> Bool {
      let start = i
      while i < b.count,
        (0x30...0x39).contains(b[i]) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E
          || b[i] == 0x65 || b[i] == 0x45
      {
        i += 1
      }
      return i > start
    }

    /// The object at `i` (a `{`); at the top, each member's key is compared with `keys`.
    mutating func object(depth: Int, top: Bool) -> Bool {
      i += 1
      skipSpace()
      if i < b.count, b[i] == 0x7D {
        i += 1
        return true
      }
      while true {
        skipSpace()
        guard i < b.count, b[i] == 0x22, let key = string() else { return false }
        skipSpace()
        guard i < b.count, b[i] == 0x3A else { return false }
        i += 1
        skipSpace()
        let start = i
        guard value(depth: depth + 1) else { return false }
        if top { note(key: key, valueStart: start) }
        skipSpace()
        guard i < b.count else { return false }
        if b[i] == 0x2C {
          i += 1
          continue
        }
        guard b[i] == 0x7D else { return false }
        i += 1
        return true
      }
    }

    /// Records the member whose key is `key` (the bytes between its quotes) and whose value runs
    /// from `valueStart` to `i`, when it is the first of a key asked for.
    mutating func note(key: (range: Range<Int>, plain: Bool), valueStart: Int) {
      guard key.plain else {
        undecided = true
        return
      }
      for k in keys.indices where found[k] == nil && b[key.range].elementsEqual(keys[k]) {
        switch b[valueStart] {
        case 0x22:
          let inner = (valueStart + 1)..<(i - 1)
          let plain = b[inner].allSatisfy { $0 < 0x80 && $0 != 0x5C }
          found[k] = Skimmed(kind: .string, range: inner, plain: plain)
        case 0x7B, 0x5B, 0x74, 0x66, 0x6E:
          found[k] = Skimmed(kind: .other, range: valueStart..<i, plain: false)
        default:
          found[k] = Skimmed(kind: .number, range: valueStart..<i, plain: true)
        }
      }
    }

    mutating func array(depth: Int) -> Bool {
      i += 1
      skipSpace()
      if i < b.count, b[i] == 0x5D {
        i += 1
        return true
      }
      while true {
        skipSpace()
        guard value(depth: depth + 1) else { return false }
        skipSpace()
        guard i < b.count else { return false }
        if b[i] == 0x2C {
          i += 1
          continue
        }
        guard b[i] == 0x5D else { return false }
        i += 1
        return true
      }
    }

    /// The string at `i` (a `"`): the range of its bytes between the quotes, and whether they
    /// are ASCII without a backslash; nil where `Reader.string` returns nil (a bad escape, a bad
    /// `\u`, no closing quote). A `\u` surrogate pair `Reader` joins is two escapes each valid
    /// alone, and one it cannot join is read again as an escape of its own, so checking each
    /// `\uXXXX` alone accepts the same strings.
    mutating func string() -> (range: Range<Int>, plain: Bool)? {
      i += 1
      let start = i
      var plain = true
      while i < b.count {
        let c = b[i]
        if c == 0x22 {
          i += 1
          return (start..<(i - 1), plain)
        }
        if c >= 0x80 { plain = false }
        guard c == 0x5C else {
          i += 1
          continue
        }
        plain = false
        guard i + 1 < b.count else { return nil }
        let e = b[i + 1]
        i += 2
        switch e {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: break
        case 0x75:
          guard i + 4 <= b.count else { return nil }
          for k in i..<(i + 4) {
            switch b[k] {
            case 0x30...0x39, 0x61...0x66, 0x41...0x46: break
            default: return nil
            }
          }
          i += 4
        default: return nil
        }
      }
      return nil
    }
  }

  /// A cursor over one line's bytes.
  private struct Reader {
    let b: [UInt8]
    var i = 0

    mutating func skipSpace() {
      while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    mutating func value(depth: Int) -> Value? {
      guard depth < LogJSON.maxDepth, i < b.count else { return nil }
      switch b[i] {
      case 0x22: return string().map(Value.string)
      case 0x7B: return object(depth: depth)
      case 0x5B: return array(depth: depth)
      case 0x74: return literal("true", .bool(true))
      case 0x66: return literal("false", .bool(false))
      case 0x6E: return literal("null", .null)
      default: return number()
      }
    }

    mutating func literal(_ word: String, _ value: Value) -> Value? {
      let w = Array(word.utf8)
      guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { return nil }
      i += w.count
      return value
    }

    mutating func number() -> Value? {
      let start = i
      while i < b.count,
        (0x30...0x39).contains(b[i]) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E
          || b[i] == 0x65 || b[i] == 0x45
      {
        i += 1
      }
      guard i > start else { return nil }
      return .number(String(decoding: b[start..<i], as: UTF8.self))
    }

    mutating func object(depth: Int) -> Value? {
      let start = i
      i += 1
      var members: [Member] = []
      skipSpace()
      if i < b.count, b[i] == 0x7D {
        i += 1
        return .object([], raw: String(decoding: b[start..<i], as: UTF8.self))
      }
      while true {
        skipSpace()
        guard i < b.count, b[i] == 0x22, let key = string() else { return nil }
        skipSpace()
        guard i < b.count, b[i] == 0x3A else { return nil }
        i += 1
        skipSpace()
        guard let v = value(depth: depth + 1) else { return nil }
        members.append(Member(key, v))
        skipSpace()
        guard i < b.count else { return nil }
        if b[i] == 0x2C {
          i += 1
          continue
        }
        guard b[i] == 0x7D else { return nil }
        i += 1
        return .object(members, raw: String(decoding: b[start..<i], as: UTF8.self))
      }
    }

    mutating func array(depth: Int) -> Value? {
      let start = i
      i += 1
      skipSpace()
      if i < b.count, b[i] == 0x5D {
        i += 1
        return .array(raw: String(decoding: b[start..<i], as: UTF8.self))
      }
      while true {
        skipSpace()
        guard value(depth: depth + 1) != nil else { return nil }
        skipSpace()
        guard i < b.count else { return nil }
        if b[i] == 0x2C {
          i += 1
          continue
        }
        guard b[i] == 0x5D else { return nil }
        i += 1
        return .array(raw: String(decoding: b[start..<i], as: UTF8.self))
      }
    }

    /// A JSON string at `i` (a `"`), with `\uXXXX` surrogate pairs joined; lone surrogates become
    /// U+FFFD.
    mutating func string() -> String? {
      i += 1
      var out: [UInt8] = []
      var runStart = i
      while i < b.count {
        let c = b[i]
        if c == 0x22 {
          out.append(contentsOf: b[runStart..<i])
          i += 1
          return String(decoding: out, as: UTF8.self)
        }
        guard c == 0x5C else {
          i += 1
          continue
        }
        out.append(contentsOf: b[runStart..<i])
        guard i + 1 < b.count else { return nil }
        let e = b[i + 1]
        i += 2
        switch e {
        case 0x22, 0x5C, 0x2F: out.append(e)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x6E: out.append(0x0A)
        case 0x72: out.append(0x0D)
        case 0x74: out.append(0x09)
        case 0x75:
          guard let high = hex4() else { return nil }
          var scalar = Unicode.Scalar(UInt32(high))
          if (0xD800..<0xDC00).contains(high), i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
            let save = i
            i += 2
            if let low = hex4(), (0xDC00..<0xE000).contains(low) {
              scalar = Unicode.Scalar(UInt32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)))
            } else {
              i = save
            }
          }
          out.append(contentsOf: Array(String(Character(scalar ?? "\u{FFFD}")).utf8))
        default: return nil
        }
        runStart = i
      }
      return nil
    }

    mutating func hex4() -> Int? {
      guard i + 4 <= b.count else { return nil }
      var v = 0
      for k in i..<(i + 4) {
        let c = b[k]
        switch c {
        case 0x30...0x39: v = v * 16 + Int(c - 0x30)
        case 0x61...0x66: v = v * 16 + Int(c - 0x61 + 10)
        case 0x41...0x46: v = v * 16 + Int(c - 0x41 + 10)
        default: return nil
        }
      }
      i += 4
      return v
    }
  }
}
