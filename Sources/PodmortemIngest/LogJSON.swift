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
