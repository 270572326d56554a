import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `GoString.unquote` finds its plain runs eight bytes a word (`ByteWords.quoteStop`) and copies
/// them whole, and `KlogPairs.parse` makes room for eight pairs at the first (docs/architecture.md
/// "Speed of the kubelet-log path"). Both are held to the code they replaced, kept below as
/// `ReferenceKlog`: value for value and byte for byte, on every quote of every sample line, on
/// the klog body of every sample line, and on seeded random quoted text with every escape,
/// hostile bytes and cuts.
@Suite struct GoStringBytesTests {
  static func same(_ a: (value: String, end: Int)?, _ b: (value: String, end: Int)?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.end == b.end && Array(a.value.utf8) == Array(b.value.utf8)
  }

  static func same(_ a: KlogBody, _ b: KlogBody) -> Bool {
    Array(a.message.utf8) == Array(b.message.utf8) && a.structured == b.structured
      && a.openKey.map { Array($0.utf8) } == b.openKey.map { Array($0.utf8) } && a.fields.count == b.fields.count
      && zip(a.fields, b.fields).allSatisfy {
        Array($0.key.utf8) == Array($1.key.utf8) && Array($0.value.utf8) == Array($1.value.utf8)
      }
  }

  /// Every start in `b` that holds a quote, and the klog body wherever a header reads.
  static func check(_ b: [UInt8]) {
    for start in b.indices where b[start] == 0x22 {
      #expect(
        same(GoString.unquote(b, from: start), ReferenceKlog.unquote(b, from: start)),
        "\(String(decoding: b, as: UTF8.self)) at \(start)")
    }
    #expect(same(GoString.unquote(b, from: 0), ReferenceKlog.unquote(b, from: 0)))
    let bodyStart = KlogHeader.parse(b)?.bodyStart ?? 0
    #expect(
      same(KlogBody.parse(b, from: bodyStart), ReferenceKlog.body(b, from: bodyStart)),
      "\(String(decoding: b, as: UTF8.self))")
  }

  @Test func everySampleLineReadsAsBefore() {
    var quoted = 0
    for line in SampleLines.all {
      let b = Array(line.utf8)
      Self.check(b)
      if b.contains(0x22) { quoted += 1 }
    }
    #expect(quoted > 1_000)
  }

  /// Quoted text of every kind: plain runs of every length around the eight-byte word, every
  /// escape Go writes and some it does not, cut escapes, hostile bytes, no closing quote.
  @Test(arguments: 0..<8)
  func seededQuotedTextReadsAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 1_616 + seed)
    let pieces = [
      "a", "abcdefgh", "abcdefghijklmnopq", " ", "\\\"", "\\\\", "\\n", "\\t", "\\r", "\\a", "\\b", "\\f", "\\v", "\\'",
      "\\x41", "\\xff", "\\x4", "\\x", "\\u00e9", "\\u0", "\\U0001F600", "\\U0011FFFF", "\\ud800", "\\101", "\\400",
      "\\7", "\\q", "\\", "\"", "=", "key=", " k=\"v\"", " k=v", "<", "é", "e\u{301}", "\u{212A}", "\u{130}", "\u{0}",
      "\r", "\t", "\n", "🙂",
    ]
    for _ in 0..<3_000 {
      var text = rng.below(4) == 0 ? "" : "\""
      for _ in 0..<rng.below(12) { text += pieces[rng.below(pieces.count)] }
      if rng.below(3) != 0 { text += "\"" }
      if rng.below(2) == 0 { text += pieces[rng.below(pieces.count)] }
      var b = Array(text.utf8)
      if rng.below(6) == 0 { b = Array(b.prefix(rng.below(b.count + 1))) }
      Self.check(b)
      // The same as a klog line's structured body, and with a header in front.
      Self.check(Array("\(text) pod=\"ns/p\" err=\(text)".utf8))
      Self.check(Array("I1127 00:00:00.001288    4187 kubelet.go:2408] \(text) k=\(text)".utf8))
    }
  }

  @Test(arguments: 0..<4)
  func seededRandomLinesReadAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 1_660 + seed)
    for _ in 0..<300 { Self.check(Array(SampleLines.random(&rng).utf8)) }
  }

  /// `quoteStop` is the byte loop at every start of random windows of random bytes.
  @Test(arguments: 0..<4)
  func quoteStopIsTheByteLoop(seed: UInt64) {
    var rng = SplitMix64(seed: 1_670 + seed)
    let alphabet: [UInt8] = [0x22, 0x5C, 0x0A, 0x00, 0x20, 0x61, 0x80, 0xFF, 0x21, 0x5B]
    for _ in 0..<300 {
      let bytes = (0..<rng.below(40)).map { _ in
        rng.below(3) == 0 ? alphabet[rng.below(alphabet.count)] : UInt8(truncatingIfNeeded: rng.next())
      }
      let from = rng.below(bytes.count + 1)
      let to = from + rng.below(bytes.count - from + 1)
      let window = Array(bytes[from..<to])
      window.withUnsafeBufferPointer { p in
        for start in 0...p.count {
          var j = start
          while j < p.count, p[j] != 0x22, p[j] != 0x5C { j += 1 }
          #expect(ByteWords.quoteStop(p, from: start) == j)
        }
      }
    }
  }
}

/// `GoString.unquote`, `KlogBody.parse` and `KlogPairs.parse` as they were before this session
/// (byte loops, an array grown one pair at a time), kept as the reference `GoStringBytesTests`
/// holds the new code to.
enum ReferenceKlog {
  static func unquote(_ b: [UInt8], from start: Int) -> (value: String, end: Int)? {
    guard start < b.count, b[start] == 0x22 else { return nil }
    var k = start + 1
    while k < b.count, b[k] != 0x22, b[k] != 0x5C { k += 1 }
    if k < b.count, b[k] == 0x22 { return (String(decoding: b[(start + 1)..<k], as: UTF8.self), k + 1) }
    var out: [UInt8] = Array(b[(start + 1)..<k])
    var i = k
    while i < b.count {
      let c = b[i]
      if c == 0x22 { return (String(decoding: out, as: UTF8.self), i + 1) }
      guard c == 0x5C, i + 1 < b.count else {
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
        let n = e == 0x75 ? 4 : 8
        if let v = hex(b, i, n), let scalar = Unicode.Scalar(UInt32(v)) {
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
          i += n
        } else {
          out.append(contentsOf: [0x5C, e])
        }
      case 0x30...0x37:
        if i + 1 < b.count, let v = octal(e, b[i], b[i + 1]) {
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

  private static func hex(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
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
      i = unquotedEnd(b, from: i)
      fields.append(KeyValue(key, String(decoding: b[valueStart..<i], as: UTF8.self)))
    }
  }

  static func unquotedEnd(_ b: [UInt8], from start: Int) -> Int {
    var i = start
    var depth = 0
    while i < b.count {
      switch b[i] {
      case 0x5B, 0x7B, 0x28: depth += 1
      case 0x5D, 0x7D, 0x29: depth = max(0, depth - 1)
      case 0x22:
        var k = i + 1
        while k < b.count, b[k] != 0x22 { k += b[k] == 0x5C ? 2 : 1 }
        if k < b.count { i = k }
      case 0x20 where depth == 0:
        if startsPair(b, after: i) { return i }
      default: break
      }
      i += 1
    }
    return b.count
  }

  private static func startsPair(_ b: [UInt8], after i: Int) -> Bool {
    var k = i
    while k < b.count, b[k] == 0x20 { k += 1 }
    guard k < b.count else { return true }
    let keyStart = k
    while k < b.count, isKeyByte(b[k]) { k += 1 }
    return k > keyStart && k < b.count && b[k] == 0x3D
  }

  private static func isKeyByte(_ c: UInt8) -> Bool {
    switch c {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2E, 0x2D, 0x2F: true
    default: false
    }
  }
}
