/// Go's `strconv.Quote` both ways: klog quotes structured messages and string values with it
/// (docs/kubernetes.md §10.1), and the JSON log format is re-rendered in that form for the patterns.
package enum GoString {
  /// Reads the quoted string that starts at `start` (a `"`) and returns its value and the index just
  /// past the closing quote; nil when the quote is never closed. Invalid UTF-8 that `\x` escapes
  /// spell out is replaced, and an unknown escape is kept as written.
  package static func unquote(_ b: [UInt8], from start: Int) -> (value: String, end: Int)? {
    guard start < b.count, b[start] == 0x22 else { return nil }
    return b.withUnsafeBufferPointer { unquote($0, from: start) }
  }

  /// `unquote` on the bytes themselves. The runs of plain bytes between escapes are found eight
  /// bytes a word (`ByteWords.quoteStop`) and copied whole, where a byte loop tested and
  /// appended them one by one (docs/architecture.md "Speed of the kubelet-log path";
  /// `GoStringBytesTests` holds it to that loop).
  ///
  /// A value with an escape is first walked to its closing quote (a `\` and the byte after it
  /// skipped, as the decoding below consumes them: the digits an escape reads further are never
  /// a quote or a backslash), so an unterminated one costs no decoding, and is then decoded
  /// straight into the string's own storage, of the quoted text's length: every escape is at
  /// least as long as what it stands for (`\n` two bytes for one, `\u00e9` six for two,
  /// `\U0001F600` ten for four, an unknown one kept as its two), so the value never outgrows it.
  /// That storage is validated and repaired as `String(decoding:as:)` would (both end in the
  /// standard library's `_fromUTF8Repairing`), where the bytes were gathered in an array, one
  /// `append` per run and escape, and then copied into the string.
  static func unquote(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: String, end: Int)? {
    let n = b.count
    guard start >= 0, start < n, b[start] == 0x22 else { return nil }
    // Most values have no escapes: take them as they are.
    let k = ByteWords.quoteStop(b, from: start + 1)
    if k < n, b[k] == 0x22 {
      return (String(decoding: UnsafeBufferPointer(rebasing: b[(start + 1)..<k]), as: UTF8.self), k + 1)
    }
    var close = k
    while close < n, b[close] != 0x22 {
      close = b[close] == 0x5C ? close + 2 : ByteWords.quoteStop(b, from: close)
    }
    guard close < n else { return nil }
    let value = String(unsafeUninitializedCapacity: close - start - 1) { out in
      decode(b, from: start + 1, plain: k, to: close, into: out)
    }
    return (value, close + 1)
  }

  /// Decodes `b[from..<to]`, whose bytes before `plain` hold no escape, into `out` (at least
  /// `to - from` bytes) and returns the count written.
  private static func decode(
    _ b: UnsafeBufferPointer<UInt8>, from: Int, plain: Int, to n: Int, into out: UnsafeMutableBufferPointer<UInt8>
  ) -> Int {
    guard let o = out.baseAddress, let src = b.baseAddress else { return 0 }
    var w = plain - from
    o.update(from: src + from, count: w)
    var i = plain
    while i < n {
      let c = b[i]
      if c != 0x5C {
        // A run of plain bytes, up to the next backslash (or the closing quote).
        let stop = min(ByteWords.quoteStop(b, from: i), n)
        (o + w).update(from: src + i, count: stop - i)
        w += stop - i
        i = stop
        continue
      }
      // `to` is the closing quote, so a backslash always has its next byte before it.
      let e = b[i + 1]
      i += 2
      switch e {
      case 0x61: o[w] = 0x07
      case 0x62: o[w] = 0x08
      case 0x66: o[w] = 0x0C
      case 0x6E: o[w] = 0x0A
      case 0x72: o[w] = 0x0D
      case 0x74: o[w] = 0x09
      case 0x76: o[w] = 0x0B
      case 0x5C, 0x22, 0x27: o[w] = e
      case 0x78:
        if let v = hex(b, i, 2) {
          o[w] = UInt8(v)
          i += 2
        } else {
          o[w] = 0x5C
          o[w + 1] = e
          w += 1
        }
      case 0x75, 0x55:
        let count = e == 0x75 ? 4 : 8
        if let v = hex(b, i, count), let scalar = Unicode.Scalar(UInt32(v)) {
          var u = 0
          UTF8.encode(scalar) { byte in
            o[w + u] = byte
            u += 1
          }
          w += u - 1
          i += count
        } else {
          o[w] = 0x5C
          o[w + 1] = e
          w += 1
        }
      case 0x30...0x37:
        if i + 1 < n, let v = octal(e, b[i], b[i + 1]) {
          o[w] = v
          i += 2
        } else {
          o[w] = 0x5C
          o[w + 1] = e
          w += 1
        }
      default:
        o[w] = 0x5C
        o[w + 1] = e
        w += 1
      }
      w += 1
    }
    return w
  }

  /// `strconv.Quote(s)`: printable characters stay, the usual escapes are spelled, other control
  /// characters become `\xHH`, C1 controls `\u00HH`.
  ///
  /// Read on the string's UTF-8 bytes, runs of bytes that stay copied whole: a character needs
  /// escaping only when it is ASCII or a C1 control, whose UTF-8 is `C2 80`–`C2 9F`, so every other
  /// byte is copied as it is. Appending scalar by scalar cost about 430 instructions a character
  /// on the lines of a containerd log, which are quoted as klog writes them for the patterns
  /// (docs/architecture.md, "Sniffing a head of long lines"; `GoStringQuoteTests` holds it to
  /// the scalar loop).
  package static func quote(_ s: String) -> String {
    var s = s
    return s.withUTF8 { b in
      var out: [UInt8] = []
      out.reserveCapacity(b.count + 2)
      out.append(0x22)
      var run = 0
      var i = 0
      func flush(to end: Int) {
        if end > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<end])) }
      }
      while i < b.count {
        let c = b[i]
        if c >= 0x20, c != 0x22, c != 0x5C, c != 0x7F, c != 0xC2 {
          i += 1
          continue
        }
        if c == 0xC2 {
          // `C2 80`–`C2 9F` is a C1 control; `C2 A0`–`C2 BF` a printable Latin-1 character.
          if i + 1 < b.count, (0x80...0x9F).contains(b[i + 1]) {
            flush(to: i)
            out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigit(b[i + 1] >> 4), hexDigit(b[i + 1] & 0x0F)])
            i += 2
            run = i
          } else {
            i += 1
          }
          continue
        }
        flush(to: i)
        switch c {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x07: out.append(contentsOf: [0x5C, 0x61])
        case 0x08: out.append(contentsOf: [0x5C, 0x62])
        case 0x0C: out.append(contentsOf: [0x5C, 0x66])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case 0x0B: out.append(contentsOf: [0x5C, 0x76])
        default: out.append(contentsOf: [0x5C, 0x78, hexDigit(c >> 4), hexDigit(c & 0x0F)])
        }
        i += 1
        run = i
      }
      flush(to: b.count)
      out.append(0x22)
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// A lower-case hexadecimal digit, as Go and `String(_:radix:)` write them.
  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

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
}
