import Foundation
import PodmortemModel

/// Writes JSON byte for byte as Foundation's `JSONEncoder` does with `[.prettyPrinted,
/// .sortedKeys, .withoutEscapingSlashes]` (swift-foundation's `JSONWriter`,
/// https://github.com/swiftlang/swift-foundation/blob/main/Sources/FoundationEssentials/JSON/JSONWriter.swift):
/// two spaces per level, `"key" : value`, an empty container as its brackets around an empty line,
/// `"`, `\` and control bytes escaped (`\b \f \n \r \t`, else `\u00xx`), everything else as is.
///
/// It writes as it goes: bytes gather in a small buffer handed to `sink` whenever it fills, so a
/// report of any size needs memory for one buffer, not for the document. The caller writes an
/// object's members in the order of their keys' UTF-8 bytes (`sortedKeys`); `sortedKeys(_:)`
/// orders the keys of a dictionary that way.
package struct JSONStreamWriter {
  /// Takes the next bytes of the document; false when they could not be written (the writer
  /// then stops writing and only counts).
  package typealias Sink = (UnsafeRawBufferPointer) -> Bool

  private let sink: Sink
  private var buffer: [UInt8] = []
  private var indent = 0
  /// Per open container: true until its first member or element is written.
  private var first: [Bool] = []
  /// True once the sink refused bytes.
  package private(set) var failed = false

  private static let flushSize = 1 << 16

  package init(sink: @escaping Sink) {
    self.sink = sink
    buffer.reserveCapacity(Self.flushSize + 4096)
  }

  /// Ends the document with a newline and hands the rest to the sink.
  package mutating func endDocument() {
    buffer.append(0x0A)
    flush()
  }

  /// Hands what is buffered to the sink.
  package mutating func flush() {
    guard !buffer.isEmpty else { return }
    if !failed { failed = !buffer.withUnsafeBytes { sink($0) } }
    buffer.removeAll(keepingCapacity: true)
  }

  @inline(__always)
  private mutating func flushIfFull() {
    if buffer.count >= Self.flushSize { flush() }
  }

  // MARK: - Containers

  package mutating func beginObject() {
    buffer.append(0x7B)
    open()
  }

  package mutating func endObject() {
    close()
    buffer.append(0x7D)
  }

  package mutating func beginArray() {
    buffer.append(0x5B)
    open()
  }

  package mutating func endArray() {
    close()
    buffer.append(0x5D)
  }

  private mutating func open() {
    buffer.append(0x0A)
    indent += 1
    first.append(true)
  }

  private mutating func close() {
    first.removeLast()
    buffer.append(0x0A)
    indent -= 1
    writeIndent()
  }

  /// Starts the next element of the array being written.
  package mutating func element() {
    separate()
    flushIfFull()
  }

  /// Starts the member `key` of the object being written; its value follows.
  package mutating func key(_ key: String) {
    separate()
    string(key)
    buffer.append(contentsOf: [0x20, 0x3A, 0x20])
  }

  private mutating func separate() {
    if first[first.count - 1] {
      first[first.count - 1] = false
    } else {
      buffer.append(0x2C)
      buffer.append(0x0A)
    }
    writeIndent()
  }

  private mutating func writeIndent() {
    var left = indent * 2
    while left > 0 {
      let n = min(left, Self.spaces.count)
      buffer.append(contentsOf: Self.spaces[0..<n])
      left -= n
    }
  }

  private static let spaces = [UInt8](repeating: 0x20, count: 64)

  // MARK: - Values

  package mutating func string(_ text: String) {
    buffer.append(0x22)
    escaped(text)
    buffer.append(0x22)
    flushIfFull()
  }

  /// A string written in parts (`stringPart`, `rawPart`) between its quotes: the escape of a
  /// joined text is its parts' escapes joined, as escaping goes byte by byte.
  package mutating func openString() {
    buffer.append(0x22)
  }

  package mutating func stringPart(_ text: String) {
    escaped(text)
  }

  /// Bytes that need no escape (the caller's literals: `/`, `, `).
  package mutating func rawPart(_ bytes: [UInt8]) {
    buffer.append(contentsOf: bytes)
  }

  package mutating func closeString() {
    buffer.append(0x22)
    flushIfFull()
  }

  /// `ref.description` as a string (`source:line`, or the source alone for a line of 0 or
  /// less), without building that text: `:` and the digits need no escape, so the escaped
  /// source followed by them is the escaped description (`ReportFastPathTests`).
  package mutating func ref(_ ref: SourceRef) {
    buffer.append(0x22)
    escaped(ref.source)
    if ref.line > 0 {
      buffer.append(0x3A)
      int(ref.line)
    }
    buffer.append(0x22)
    flushIfFull()
  }

  /// `ReportTime.iso(date)` as a string; a whole second from 1970 to 9999 is written from its
  /// day count straight into the buffer (it needs no escape), without a string between.
  package mutating func time(_ date: Date) {
    let seconds = date.timeIntervalSince1970
    guard seconds.rounded(.down) == seconds, seconds >= 0, seconds <= ReportTime.lastFastSecond else {
      string(ReportTime.iso(date))
      return
    }
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &text) { scratch in
      ReportTime.writeWholeSecond(Int(seconds), into: scratch)
      buffer.append(0x22)
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<20]))
      buffer.append(0x22)
    }
    flushIfFull()
  }

  /// The bytes of `text` with `"`, `\` and control bytes escaped, runs that need none copied whole.
  /// The run is found eight bytes at a time: a word is skipped whole when none of its bytes is
  /// below 0x20, `"` or `\` (the "has a byte less than n" and "has a zero byte" word tests of
  /// S. E. Anderson's Bit Twiddling Hacks, https://graphics.stanford.edu/~seander/bithacks.html,
  /// exact as a yes/no answer for a whole word); a word that has one is read byte by byte.
  /// `ReportFastPathTests` compares it with `JSONEncoder` on seeded random strings.
  private mutating func escaped(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return }
      let count = bytes.count
      var mark = 0
      var i = 0
      while i < count {
        if i &+ 8 <= count, !Self.wordNeedsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
          i &+= 8
          continue
        }
        let b = base[i]
        if b < 0x20 || b == 0x22 || b == 0x5C {
          buffer.append(contentsOf: UnsafeBufferPointer(start: base + mark, count: i - mark))
          buffer.append(0x5C)
          switch b {
          case 0x22, 0x5C: buffer.append(b)
          case 0x08: buffer.append(0x62)
          case 0x0C: buffer.append(0x66)
          case 0x0A: buffer.append(0x6E)
          case 0x0D: buffer.append(0x72)
          case 0x09: buffer.append(0x74)
          default:
            buffer.append(contentsOf: [0x75, 0x30, 0x30, Self.hexDigit(b >> 4), Self.hexDigit(b & 0x0F)])
          }
          mark = i &+ 1
        }
        i &+= 1
      }
      buffer.append(contentsOf: UnsafeBufferPointer(start: base + mark, count: count - mark))
    }
  }

  /// Whether one of the eight bytes of `word` is below 0x20, `"` (0x22) or `\` (0x5C).
  @inline(__always)
  static func wordNeedsEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    let below = (word &- ones &* 0x20) & ~word & high
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let isQuote = (quote &- ones) & ~quote & high
    let isBackslash = (backslash &- ones) & ~backslash & high
    return below | isQuote | isBackslash != 0
  }

  @inline(__always)
  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

  package mutating func int(_ value: some BinaryInteger) {
    // The decimal digits written straight into the buffer (`String(value)` built a string per
    // number); a value beyond `Int64` is written as `String` writes it.
    guard let v = Int64(exactly: value) else {
      buffer.append(contentsOf: String(value).utf8)
      return
    }
    if v < 0 { buffer.append(0x2D) }
    var magnitude = v.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { scratch in
      repeat {
        count += 1
        scratch[scratch.count - count] = 0x30 + UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(scratch.count - count)...]))
    }
  }

  private static let trueBytes = Array("true".utf8)
  private static let falseBytes = Array("false".utf8)

  package mutating func bool(_ value: Bool) {
    buffer.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
  }

  package mutating func strings(_ list: [String]) {
    beginArray()
    for s in list {
      element()
      string(s)
    }
    endArray()
  }

  package mutating func ints(_ list: [Int]) {
    beginArray()
    for v in list {
      element()
      int(v)
    }
    endArray()
  }

  /// A `[String: String]` as an object, keys sorted.
  package mutating func stringMap(_ map: [String: String]) {
    beginObject()
    for k in Self.sortedKeys(map) {
      key(k)
      string(map[k] ?? "")
    }
    endObject()
  }

  /// The keys of `map` in the order `sortedKeys` writes them: by their UTF-8 bytes.
  package static func sortedKeys<V>(_ map: [String: V]) -> [String] {
    map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}
