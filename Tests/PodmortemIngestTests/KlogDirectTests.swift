import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KlogBody.parse` reads the line's bytes from one buffer, takes the keys and messages the kubelet
/// writes from a table of shared strings (`KlogTexts`), and `GoString.unquote` decodes a value with escapes
/// straight into the string's storage (docs/architecture.md "Speed of the kubelet-log path").
/// Each is held to the code it replaced, kept below as `ReferenceKlogDirect`: value for value and
/// byte for byte, on every quote and the klog body of every sample line, and on seeded lines with
/// every Go escape, invalid escapes and UTF-8, unterminated quotes, hostile bytes, keys near the
/// table's and cuts anywhere.
@Suite struct KlogDirectTests {
  /// Every start in `b` that holds a quote, the klog body after a header (or from the start), and
  /// the pairs read from every space (of a line up to 4 KiB: a space each on a 64 KiB line would
  /// read it over and over).
  static func check(_ b: [UInt8]) {
    for start in b.indices where b[start] == 0x22 {
      #expect(
        GoStringBytesTests.same(GoString.unquote(b, from: start), ReferenceKlogDirect.unquote(b, from: start)),
        "\(String(decoding: b, as: UTF8.self)) at \(start)")
    }
    let bodyStart = KlogHeader.parse(b)?.bodyStart ?? 0
    #expect(
      GoStringBytesTests.same(KlogBody.parse(b, from: bodyStart), ReferenceKlogDirect.body(b, from: bodyStart)),
      "\(String(decoding: b, as: UTF8.self))")
    check(b, bodyStart: 0)
    for start in b.indices where b[start] == 0x20 && b.count <= 4_096 {
      var fields: [KeyValue] = []
      var reference: [KeyValue] = []
      let open = KlogPairs.parse(b, from: start, into: &fields)
      let referenceOpen = ReferenceKlogDirect.pairs(b, from: start, into: &reference)
      #expect(
        GoStringBytesTests.same(
          KlogBody(message: "", fields: fields, structured: true, openKey: open),
          KlogBody(message: "", fields: reference, structured: true, openKey: referenceOpen)),
        "\(String(decoding: b, as: UTF8.self)) at \(start)")
    }
  }

  /// The body read from `bodyStart`.
  static func check(_ b: [UInt8], bodyStart: Int) {
    #expect(
      GoStringBytesTests.same(KlogBody.parse(b, from: bodyStart), ReferenceKlogDirect.body(b, from: bodyStart)),
      "\(String(decoding: b, as: UTF8.self)) from \(bodyStart)")
  }

  @Test func everySampleLineReadsAsBefore() {
    var structured = 0
    for line in SampleLines.all {
      let b = Array(line.utf8)
      Self.check(b)
      // A klog line behind a journald or paste prefix: its body after the header's `] "`.
      if let mark = b.indices.first(where: {
        $0 + 2 < b.count && b[$0] == 0x5D && b[$0 + 1] == 0x20 && b[$0 + 2] == 0x22
      }) {
        let bodyStart = mark + 2
        Self.check(b, bodyStart: bodyStart)
        if KlogBody.parse(b, from: bodyStart).structured { structured += 1 }
      }
    }
    #expect(structured > 100)
  }

  /// Every table key reads as itself, and so does every key one byte away from it: cut, grown,
  /// a byte changed to a hostile one, or its letters in another case.
  @Test func everyKeyAndItsNeighboursReadAsBefore() {
    var read = 0
    for name in KlogTexts.keys {
      let b = Array(name.utf8)
      var neighbours: [[UInt8]] = [b, Array(b.dropLast()), Array(b.dropFirst()), b + [0x73], b + b]
      for k in b.indices {
        for byte: UInt8 in [0x00, 0x0D, 0x09, 0x41, 0xC3, 0xFF, b[k] ^ 0x20] {
          var c = b
          c[k] = byte
          neighbours.append(c)
        }
      }
      for key in neighbours {
        let line = Array("\"m\" ".utf8) + key + Array("=\"v\" ".utf8) + key + Array("=v".utf8)
        Self.check(line)
        let fields = KlogBody.parse(line, from: 0).fields
        if key == b, fields.count == 2, fields.allSatisfy({ $0.key == name }) { read += 1 }
      }
    }
    #expect(read == KlogTexts.keys.count)
  }

  /// Every table value reads as itself, and so does every value one byte away from it, quoted,
  /// unquoted and unterminated.
  @Test func everyValueAndItsNeighboursReadAsBefore() {
    var read = 0
    for text in KlogTexts.values {
      let b = Array(text.utf8)
      var neighbours: [[UInt8]] = [b, Array(b.dropLast()), Array(b.dropFirst()), b + [0x73], b + [0x5C, 0x6E], b + b]
      for k in b.indices {
        for byte: UInt8 in [0x00, 0x0D, 0x09, 0x22, 0x5C, 0xC3, 0xFF, b[k] ^ 0x20] {
          var c = b
          c[k] = byte
          neighbours.append(c)
        }
      }
      for value in neighbours {
        let start = Array("\"m\" k=".utf8)
        for line in [
          start + [0x22] + value + [0x22], start + [0x22] + value + Array("\" pod=x".utf8), start + value,
          start + [0x22] + value,
        ] {
          Self.check(line)
          if value == b, KlogBody.parse(line, from: 0).fields.first?.value == text { read += 1 }
        }
      }
    }
    #expect(read == 3 * KlogTexts.values.count)
  }

  /// Every table message reads as itself, and so does every message one byte away from it, as a
  /// body alone, before pairs and cut short of its closing quote.
  @Test func everyMessageAndItsNeighboursReadAsBefore() {
    var read = 0
    for text in KlogTexts.messages {
      let b = Array(text.utf8)
      var neighbours: [[UInt8]] = [b, Array(b.dropLast()), Array(b.dropFirst()), b + [0x73], b + [0x5C, 0x6E]]
      for k in b.indices {
        for byte: UInt8 in [0x00, 0x0D, 0x09, 0x22, 0x5C, 0xC3, 0xFF, b[k] ^ 0x20] {
          var c = b
          c[k] = byte
          neighbours.append(c)
        }
      }
      for message in neighbours {
        let quoted = [0x22] + message + [0x22]
        for line in [quoted, quoted + Array(" pod=\"ns/p\" k=v".utf8), Array(quoted.dropLast()), quoted + [0x78]] {
          Self.check(line)
          if message == b, KlogBody.parse(line, from: 0).message == text { read += 1 }
        }
      }
    }
    #expect(read == 2 * KlogTexts.messages.count)
  }

  /// Seeded structured bodies: keys from the table, near it and hostile, values quoted with every
  /// escape Go writes and some it does not, unquoted, unterminated, open (`key=<`); cut anywhere.
  @Test(arguments: 0..<8)
  func seededBodiesReadAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 2_323 + seed)
    let keys =
      KlogTexts.keys + [
        "", "p", "po", "podU", "podUIDs", "containerNameX", "abcdefghijklmnop", "abcdefghijklmnopq", "\u{212A}ind",
        "pod\u{130}", "e\u{301}rr", "k\u{0}", "a\rb", "a\tb", "ünïcode",
      ]
    let pieces = [
      "a", "abcdefgh", "abcdefghijklmnopq", " ", "\\\"", "\\\\", "\\n", "\\t", "\\r", "\\a", "\\b", "\\f", "\\v", "\\'",
      "\\x41", "\\x00", "\\xff", "\\xc3\\xa9", "\\xc3", "\\x4", "\\x", "\\u00e9", "\\u0", "\\U0001F600", "\\U0011FFFF",
      "\\ud800", "\\101", "\\400", "\\7", "\\q", "\\", "\"", "=", "<", "é", "e\u{301}", "\u{212A}", "\u{130}", "\u{0}",
      "\r", "\t", "\n", "🙂", "[\"a\" \"b\"]", "{\"k\":\"v\\\"\"}",
    ]
    func text(_ rng: inout SplitMix64) -> String {
      var t = ""
      for _ in 0..<rng.below(10) { t += pieces[rng.below(pieces.count)] }
      return t
    }
    for _ in 0..<1_500 {
      var line = rng.below(3) == 0 ? "I1127 00:00:00.005030    4187 prober.go:107] " : ""
      line +=
        "\"" + (rng.below(3) == 0 ? KlogTexts.messages[rng.below(KlogTexts.messages.count)] : "") + text(&rng) + "\""
      for _ in 0..<rng.below(8) {
        line += rng.below(8) == 0 ? "  " : " "
        line += keys[rng.below(keys.count)] + "="
        switch rng.below(7) {
        case 0: line += text(&rng)
        case 2: line += "\"" + KlogTexts.values[rng.below(KlogTexts.values.count)] + text(&rng) + "\""
        case 1: line += "\"\(text(&rng))"
        default: line += "\"\(text(&rng))\""
        }
      }
      if rng.below(5) == 0 { line += " \(keys[rng.below(keys.count)])=<" }
      var b = Array(line.utf8)
      if rng.below(4) == 0 { b = Array(b.prefix(rng.below(b.count + 1))) }
      Self.check(b)
    }
  }

  @Test(arguments: 0..<4)
  func seededRandomLinesReadAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 2_340 + seed)
    for _ in 0..<200 { Self.check(Array(SampleLines.random(&rng).utf8)) }
  }
}

/// `GoString.unquote`, `KlogBody.parse` and `KlogPairs.parse` as they were before this change
/// (at 30ce897: the values with escapes gathered in an array and then copied into a string, every
/// key made with `String(decoding:as:)`, the line read through the array), kept as the reference
/// `KlogDirectTests` holds the new code to.
enum ReferenceKlogDirect {
  static func unquote(_ b: [UInt8], from start: Int) -> (value: String, end: Int)? {
    guard start < b.count, b[start] == 0x22 else { return nil }
    return b.withUnsafeBufferPointer { unquote($0, from: start) }
  }

  private static func unquote(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: String, end: Int)? {
    let n = b.count
    let k = ByteWords.quoteStop(b, from: start + 1)
    if k < n, b[k] == 0x22 {
      return (String(decoding: UnsafeBufferPointer(rebasing: b[(start + 1)..<k]), as: UTF8.self), k + 1)
    }
    var out: [UInt8] = []
    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[(start + 1)..<k]))
    var i = k
    while i < n {
      let c = b[i]
      if c == 0x22 { return (String(decoding: out, as: UTF8.self), i + 1) }
      if c != 0x5C {
        let stop = ByteWords.quoteStop(b, from: i)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<stop]))
        i = stop
        continue
      }
      guard i + 1 < n else {
        out.append(c)
        i += 1
        continue
      }
      let e = b[i + 1]
      i += 2
      switch e {
      case 0x61: out.append(0x07)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x76: out.append(0x0B)
      case 0x5C, 0x22, 0x27: out.append(e)
      case 0x78:
        if let v = hex(b, i, 2) {
          out.append(UInt8(v))
          i += 2
        } else {
          out.append(contentsOf: [0x5C, e])
        }
      case 0x75, 0x55:
        let count = e == 0x75 ? 4 : 8
        if let v = hex(b, i, count), let scalar = Unicode.Scalar(UInt32(v)) {
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
          i += count
        } else {
          out.append(contentsOf: [0x5C, e])
        }
      case 0x30...0x37:
        if i + 1 < n, let v = octal(e, b[i], b[i + 1]) {
          out.append(v)
          i += 2
        } else {
          out.append(contentsOf: [0x5C, e])
        }
      default:
        out.append(contentsOf: [0x5C, e])
      }
    }
    return nil
  }

  private static func hex(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int? {
    guard at + count <= b.count else { return nil }
    var v = 0
    for k in at..<(at + count) {
      let c = b[k]
      let d: Int
      switch c {
      case 0x30...0x39: d = Int(c - 0x30)
      case 0x61...0x66: d = Int(c - 0x61 + 10)
      case 0x41...0x46: d = Int(c - 0x41 + 10)
      default: return nil
      }
      v = v * 16 + d
    }
    return v
  }

  private static func octal(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8? {
    guard (0x30...0x37).contains(a), (0x30...0x37).contains(b), (0x30...0x37).contains(c) else { return nil }
    let v = Int(a - 0x30) * 64 + Int(b - 0x30) * 8 + Int(c - 0x30)
    return v <= 255 ? UInt8(v) : nil
  }

  static func body(_ b: [UInt8], from start: Int) -> KlogBody {
    if start < b.count, b[start] == 0x22, let (message, end) = unquote(b, from: start), end == b.count || b[end] == 0x20
    {
      var body = KlogBody(message: message, structured: true)
      body.openKey = pairs(b, from: end, into: &body.fields)
      return body
    }
    return KlogBody(message: String(decoding: b[min(start, b.count)...], as: UTF8.self), structured: false)
  }

  static func pairs(_ b: [UInt8], from start: Int, into fields: inout [KeyValue]) -> String? {
    var i = start
    while true {
      while i < b.count, b[i] == 0x20 { i += 1 }
      guard i < b.count else { return nil }
      let keyStart = i
      while i < b.count, b[i] != 0x3D, b[i] != 0x20, b[i] != 0x22 { i += 1 }
      guard i > keyStart, i < b.count, b[i] == 0x3D else { return nil }
      if fields.capacity == 0 { fields.reserveCapacity(8) }
      let key = String(decoding: b[keyStart..<i], as: UTF8.self)
      i += 1
      if i == b.count - 1, b[i] == 0x3C { return key }
      if i < b.count, b[i] == 0x22 {
        if let (value, end) = unquote(b, from: i) {
          fields.append(KeyValue(key, value))
          i = end
          continue
        }
        fields.append(KeyValue(key, String(decoding: b[i...], as: UTF8.self)))
        return nil
      }
      let valueStart = i
      // Where an unquoted value ends did not change from the reference before this one
      // (`ReferenceKlog`, `GoStringBytesTests`): its walk is that one, not a second copy.
      i = ReferenceKlog.unquotedEnd(b, from: i)
      fields.append(KeyValue(key, String(decoding: b[valueStart..<i], as: UTF8.self)))
    }
  }
}
