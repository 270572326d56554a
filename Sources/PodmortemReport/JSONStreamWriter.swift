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
package struct JSONStreamWriter: ~Copyable {
  /// Takes the next bytes of the document; false when they could not be written (the writer
  /// then stops writing and only counts).
  package typealias Sink = (UnsafeRawBufferPointer) -> Bool

  private let sink: Sink
  /// The bytes not yet handed to the sink are `base[0..<count]`: written through a pointer, so
  /// a byte or a run costs a bounds check against `capacity` and a copy, not an `Array` append
  /// (a uniqueness and capacity check, and for a run a generic call, per piece: most of the
  /// writer's own instructions, docs/architecture.md "JSON, fast and streamed"). The writer is
  /// not copyable, so no two writers share the buffer.
  private let base: UnsafeMutablePointer<UInt8>
  private var count = 0
  private var indent = 0
  /// Whether the innermost open container has no member or element yet; the outer ones' in
  /// `outerBits` and `outerDeep`.
  private var firstInContainer = false
  /// The outer containers' `firstInContainer`, as it was when the next one opened inside: the
  /// containers opened at indentation 0 to 63 as bit k of `outerBits`, deeper ones in
  /// `outerDeep`. An array of all of them cost a uniqueness and a capacity check for every
  /// container opened and closed (docs/architecture.md "JSON, fast and streamed").
  private var outerBits: UInt64 = 0
  private var outerDeep: [Bool] = []
  private static let outerBitLevels = 64
  /// True once the sink refused bytes.
  package private(set) var failed = false
  /// How many times the buffer was handed to the sink: bytes written at an offset of the buffer
  /// are still there while this is unchanged (`lineRefAndSource`).
  private var flushes = 0
  /// Times that are not whole seconds of 1970–9999, as `ReportTime.iso` wrote them, by their
  /// bits (`time(_:)`); empty until the first such time.
  private var timeKeys: [UInt64] = []
  private var timeTexts: [UInt8] = []
  /// The day (from 1970) of the last whole-second time written, and the first 16 bytes of its
  /// quoted text, `"yyyy-MM-ddTHH:` (the hour is written over); `time(_:)`.
  private var lastDay = -1
  private var lastDayText: (UInt64, UInt64) = (0, 0)

  private static let flushSize = 1 << 16
  private static let capacity = flushSize + 4096
  private static let timeSlots = 256
  private static let timeSlotBytes = 32

  package init(sink: @escaping Sink) {
    self.sink = sink
    base = .allocate(capacity: Self.capacity)
  }

  deinit {
    base.deallocate()
  }

  /// Ends the document with a newline and hands the rest to the sink.
  package mutating func endDocument() {
    put(0x0A)
    flush()
  }

  /// Hands what is buffered to the sink.
  package mutating func flush() {
    guard count > 0 else { return }
    if !failed { failed = !sink(UnsafeRawBufferPointer(start: base, count: count)) }
    count = 0
    flushes &+= 1
  }

  @inline(__always)
  private mutating func flushIfFull() {
    if count >= Self.flushSize { flush() }
  }

  // MARK: - Bytes into the buffer

  @inline(__always)
  private mutating func put(_ byte: UInt8) {
    if count == Self.capacity { flush() }
    base[count] = byte
    count &+= 1
  }

  /// `bytes` into the buffer; a run longer than the buffer goes to the sink after what is buffered.
  @inline(__always)
  private mutating func put(_ bytes: UnsafeRawBufferPointer) {
    let n = bytes.count
    guard n > 0, let from = bytes.baseAddress else { return }
    if n > Self.capacity &- count {
      flush()
      if n > Self.capacity {
        if !failed { failed = !sink(bytes) }
        return
      }
    }
    UnsafeMutableRawPointer(base + count).copyMemory(from: from, byteCount: n)
    count &+= n
  }

  @inline(__always)
  private mutating func put(_ text: StaticString) {
    put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  // MARK: - Containers

  // Opening and closing a container are inlined, and store their bytes through one pointer
  // when they fit with room to spare (`openContainer`, `closeContainer`): called for every
  // object of a report, they cost about 60 and 90 instructions each out of line, piece by piece
  // (docs/architecture.md "JSON, fast and streamed"). Stored whole, the bytes also fitted piece
  // by piece, so the sink is handed the same bytes at the same points (`MemberStartTests`,
  // `EmptyContainerTests`).

  @inline(__always)
  package mutating func beginObject() {
    openContainer(0x7B)
  }

  @inline(__always)
  package mutating func endObject() {
    closeContainer(0x7D)
  }

  @inline(__always)
  package mutating func beginArray() {
    openContainer(0x5B)
  }

  @inline(__always)
  package mutating func endArray() {
    closeContainer(0x5D)
  }

  /// `put(opening)` and `open()`: the bracket and the line break stored at once when both fit.
  @inline(__always)
  private mutating func openContainer(_ opening: UInt8) {
    let level = indent
    guard count &+ 2 <= Self.capacity, level >= 0, level < Self.outerBitLevels else {
      put(opening)
      open()
      return
    }
    let at = base + count
    at[0] = opening
    at[1] = 0x0A
    count &+= 2
    indent = level &+ 1
    let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: level)
    outerBits = firstInContainer ? outerBits | bit : outerBits & ~bit
    firstInContainer = true
  }

  /// `close()` and `put(closing)`: the line break, the indentation and the bracket stored at
  /// once when they fit with room to spare (`storeSpaces`).
  @inline(__always)
  private mutating func closeContainer(_ closing: UInt8) {
    let level = indent &- 1
    let spaces = level &* 2
    guard level >= 0, level < Self.outerBitLevels, count &+ spaces &+ Self.storeSlack <= Self.capacity else {
      close()
      put(closing)
      return
    }
    firstInContainer = outerBits &>> UInt64(truncatingIfNeeded: level) & 1 != 0
    indent = level
    let at = base + count
    at[0] = 0x0A
    Self.storeSpaces(at + 1, spaces)
    at[1 &+ spaces] = closing
    count &+= 2 &+ spaces
  }

  @inline(never)
  private mutating func open() {
    put(0x0A)
    let level = indent
    indent += 1
    if level < Self.outerBitLevels {
      let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: level)
      outerBits = firstInContainer ? outerBits | bit : outerBits & ~bit
    } else {
      outerDeep.append(firstInContainer)
    }
    firstInContainer = true
  }

  @inline(never)
  private mutating func close() {
    let level = indent - 1
    precondition(level >= 0, "a container closed that was not open")
    if level < Self.outerBitLevels {
      firstInContainer = outerBits &>> UInt64(truncatingIfNeeded: level) & 1 != 0
    } else {
      firstInContainer = outerDeep.removeLast()
    }
    put(0x0A)
    indent -= 1
    writeIndent()
  }

  /// `beginArray()` and `endArray()` at once: `[`, two line breaks, the indentation and `]`.
  package mutating func emptyArray() {
    emptyContainer(0x5B, 0x5D)
  }

  /// `beginObject()` and `endObject()` at once.
  package mutating func emptyObject() {
    emptyContainer(0x7B, 0x7D)
  }

  /// An empty container, stored through one pointer when it fits with room to spare and its
  /// level has a bit in `outerBits` (`storeSpaces`), with the state opening and closing it
  /// leaves (its level's bit set to `firstInContainer`); else opened and closed. Stored whole, it
  /// also fitted piece by piece, so the sink is handed the same bytes at the same points. An
  /// empty array or object cost about 150 instructions, opened and closed (an event's caveats and
  /// exemplars, a pod's conditions, containers and finalizers: docs/architecture.md "JSON, fast
  /// and streamed"); `EmptyContainerTests` holds it to opening and closing.
  @inline(__always)
  private mutating func emptyContainer(_ opening: UInt8, _ closing: UInt8) {
    let spaces = indent &* 2
    guard indent >= 0, indent < Self.outerBitLevels, count &+ spaces &+ Self.storeSlack <= Self.capacity else {
      put(opening)
      open()
      close()
      put(closing)
      return
    }
    let at = base + count
    at[0] = opening
    at[1] = 0x0A
    at[2] = 0x0A
    Self.storeSpaces(at + 3, spaces)
    at[3 &+ spaces] = closing
    count &+= 4 &+ spaces
    let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: indent)
    outerBits = firstInContainer ? outerBits | bit : outerBits & ~bit
  }

  /// Starts the next element of the array being written.
  package mutating func element() {
    separate()
    flushIfFull()
  }

  /// Starts the member `key` of the object being written; its value follows. `key` is a name
  /// the code spells (ASCII letters: nothing to escape), copied between its quotes as it is;
  /// `JSONRendererStreamTests` holds every key to what `JSONEncoder` writes.
  ///
  /// When the separator, the indentation, the key and `" : ` fit in the buffer with room to
  /// spare, they are stored at once through one pointer (`storeSpaces`), without a capacity check
  /// and a call per piece: a member's start cost about 150 instructions, nearly all of it that
  /// bookkeeping, for some twenty bytes (docs/architecture.md "JSON, fast and streamed"). They
  /// then fit just as well piece by piece, so the sink is handed the same bytes at the same points
  /// either way; otherwise they are written piece by piece.
  ///
  /// It is inlined (`@inline(__always)`) so that the key's length is a constant where it is
  /// called and its bytes are copied by a few stores, not by a `memcpy` call (a key of some
  /// twenty bytes cost about 100 instructions, a third of them the calls to `memcpy` and, for the
  /// spaces, `memset`); the piecewise path is out of line (`keyPieces`).
  @inline(__always)
  package mutating func key(_ key: StaticString) {
    let length = key.utf8CodeUnitCount
    let spaces = indent &* 2
    guard spaces >= 0, spaces <= Self.maxStoredSpaces, length <= Self.maxStoredSpaces,
      count &+ spaces &+ length &+ Self.storeSlack <= Self.capacity
    else {
      keyPieces(key)
      return
    }
    var at = storeSeparation(spaces)
    at[0] = 0x22
    UnsafeMutableRawPointer(at + 1).copyMemory(from: key.utf8Start, byteCount: length)
    at += 1 &+ length
    // `" : `, the four bytes as one little-endian word.
    UnsafeMutableRawPointer(at).storeBytes(of: UInt32(0x203A_2022).littleEndian, as: UInt32.self)
    count = base.distance(to: at) &+ 4
  }

  /// `key(_:)` piece by piece, each piece with its capacity check.
  @inline(never)
  private mutating func keyPieces(_ key: StaticString) {
    separate()
    put(0x22)
    put(key)
    put("\" : ")
  }

  /// The longest indentation and key stored whole by `key(_:)` and `writeIndent`.
  private static let maxStoredSpaces = 256
  /// Room past what `key(_:)` and `writeIndent` store: the separator, the quotes and `" : ` (7
  /// bytes) and the spaces' words, which may run up to 32 bytes past the indentation's start
  /// (`storeSpaces`).
  private static let storeSlack = 48

  /// `n` spaces (0 to `maxStoredSpaces`) at `at`: the first 32 bytes as four words whatever `n`
  /// is, the rest eight at a time; the words may write up to 32 bytes past the spaces, which
  /// the caller has room for and overwrites or leaves unwritten. A loop from the first word was
  /// compiled into a `memset` call, about 20 instructions for the few spaces of a member's
  /// indentation (docs/architecture.md "JSON, fast and streamed").
  @inline(__always)
  private static func storeSpaces(_ at: UnsafeMutablePointer<UInt8>, _ n: Int) {
    let raw = UnsafeMutableRawPointer(at)
    let word: UInt64 = 0x2020_2020_2020_2020
    raw.storeBytes(of: word, toByteOffset: 0, as: UInt64.self)
    raw.storeBytes(of: word, toByteOffset: 8, as: UInt64.self)
    raw.storeBytes(of: word, toByteOffset: 16, as: UInt64.self)
    raw.storeBytes(of: word, toByteOffset: 24, as: UInt64.self)
    guard n > 32 else { return }
    var k = 32
    while k < n {
      raw.storeBytes(of: word, toByteOffset: k, as: UInt64.self)
      k &+= 8
    }
  }

  /// Starts the member named `key`, a text from the input or a map, escaped.
  package mutating func key(text key: String) {
    separate()
    string(key)
    put(" : ")
  }

  /// `,` and a line break before every member or element but the first, then the indentation:
  /// stored at once when they fit with room to spare (`key(_:)` says why), else piece by piece.
  private mutating func separate() {
    let spaces = indent &* 2
    if spaces >= 0, spaces <= Self.maxStoredSpaces, count &+ spaces &+ Self.storeSlack <= Self.capacity {
      count = base.distance(to: storeSeparation(spaces))
      return
    }
    if firstInContainer {
      firstInContainer = false
    } else {
      put(0x2C)
      put(0x0A)
    }
    writeIndent()
  }

  /// The separation `separate()` writes, stored at `base + count` by a caller that checked there
  /// is room for it and `storeSlack` more; the end of what it stored.
  @inline(__always)
  private mutating func storeSeparation(_ spaces: Int) -> UnsafeMutablePointer<UInt8> {
    var at = base + count
    if firstInContainer {
      firstInContainer = false
    } else {
      at[0] = 0x2C
      at[1] = 0x0A
      at += 2
    }
    Self.storeSpaces(at, spaces)
    return at + spaces
  }

  /// The indentation; stored a word at a time when it fits with room to spare (`storeSpaces`),
  /// where `initialize(repeating:count:)` called `memset` for a few spaces.
  private mutating func writeIndent() {
    let spaces = indent &* 2
    if spaces >= 0, spaces <= Self.maxStoredSpaces, count &+ spaces &+ Self.storeSlack <= Self.capacity {
      Self.storeSpaces(base + count, spaces)
      count &+= spaces
      return
    }
    var left = indent * 2
    while left > 0 {
      let n = min(left, 4096)
      if n > Self.capacity &- count { flush() }
      (base + count).initialize(repeating: 0x20, count: n)
      count &+= n
      left -= n
    }
  }

  // MARK: - Values

  package mutating func string(_ text: String) {
    put(0x22)
    escaped(text)
    put(0x22)
    flushIfFull()
  }

  /// A string written in parts (`stringPart`, `rawPart`) between its quotes: the escape of a
  /// joined text is its parts' escapes joined, as escaping goes byte by byte.
  package mutating func openString() {
    put(0x22)
  }

  package mutating func stringPart(_ text: String) {
    escaped(text)
  }

  /// `stringPart(text.lowercased())` without building the lowered string: an ASCII text of at
  /// most 32 bytes is lowered byte by byte (`A`–`Z` to `a`–`z`, the only ASCII bytes
  /// `lowercased()` changes) into a few words on the stack and escaped from there. Anything else
  /// is lowered by `lowercased()` as before. An object's kind is lowered this way for every event
  /// (`Pod` to `pod`: a new string each, about 300 instructions; docs/architecture.md "JSON, fast
  /// and streamed"); `EvidenceMembersTests` holds it to `lowercased()`.
  package mutating func lowercasedPart(_ text: String) {
    let done: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard bytes.count <= 32 else { return false }
      var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
      return withUnsafeMutableBytes(of: &words) { scratch -> Bool in
        for i in bytes.indices {
          let b = bytes[i]
          guard b < 0x80 else { return false }
          scratch[i] = b &- 0x41 < 26 ? b | 0x20 : b
        }
        escapedBytes(UnsafeBufferPointer(start: scratch.bindMemory(to: UInt8.self).baseAddress, count: bytes.count))
        return true
      }
    }
    if done != true { escaped(text.lowercased()) }
  }

  /// Bytes that need no escape (the caller's literals: `/`, `, `).
  package mutating func rawPart(_ bytes: StaticString) {
    put(bytes)
  }

  package mutating func closeString() {
    put(0x22)
    flushIfFull()
  }

  /// `ref.description` as a string (`source:line`, or the source alone for a line of 0 or
  /// less), without building that text: `:` and the digits need no escape, so the escaped
  /// source followed by them is the escaped description (`ReportFastPathTests`).
  package mutating func ref(_ ref: SourceRef) {
    put(0x22)
    escaped(ref.source)
    if ref.line > 0 {
      put(0x3A)
      int(ref.line)
    }
    put(0x22)
    flushIfFull()
  }

  /// An evidence line's members `line`, `ref` and `source` (`EvidenceDTO`'s first three), as
  /// `key("line")`, `int(ref.line)`, `key("ref")`, `ref(ref)`, `key("source")` and
  /// `string(ref.source)` write them, without working out the same bytes twice: the line's
  /// digits written for `line` are copied after the `ref`'s colon, and the source's escape
  /// written in the `ref` is copied as the `source`. A copy is made only where those bytes are
  /// still in the buffer (no flush since) and where the code it stands for would have stored
  /// its bytes in place, without a flush: the digits with room for 24 bytes (`int` stores in
  /// place with room for 20); the escape of `e` bytes with room for `2e + 22` (the source has at
  /// most `e` bytes, so `escapedInPlace` finds room for an escape, the rest and a word at every
  /// escape and never hands the rest to `escapedPieces`). So the sink is handed the same bytes
  /// at the same points. Every evidence line of a report names its source twice and its line
  /// twice (docs/architecture.md "JSON, fast and streamed"); `EvidenceMembersTests` keeps the
  /// member-by-member writing as the reference.
  package mutating func lineRefAndSource(_ ref: SourceRef) {
    key("line")
    let lineFlushes = flushes
    let lineStart = count
    int(ref.line)
    let lineEnd = count
    key("ref")
    put(0x22)
    let sourceFlushes = flushes
    let sourceStart = count
    escaped(ref.source)
    let sourceEnd = count
    if ref.line > 0 {
      put(0x3A)
      if flushes == lineFlushes, count &+ 24 <= Self.capacity {
        // The three words are loaded before any is stored: the digits may lie less than 24
        // bytes before the place they are copied to.
        let from = UnsafeRawPointer(base + lineStart)
        let words = (
          from.loadUnaligned(as: UInt64.self), from.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
          from.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        )
        let to = UnsafeMutableRawPointer(base + count)
        to.storeBytes(of: words.0, as: UInt64.self)
        to.storeBytes(of: words.1, toByteOffset: 8, as: UInt64.self)
        to.storeBytes(of: words.2, toByteOffset: 16, as: UInt64.self)
        count &+= lineEnd &- lineStart
      } else {
        int(ref.line)
      }
    }
    put(0x22)
    flushIfFull()
    key("source")
    put(0x22)
    let escapedCount = sourceEnd &- sourceStart
    if flushes == sourceFlushes, escapedCount <= Self.capacity, Self.capacity &- count >= 2 &* escapedCount &+ 22 {
      UnsafeMutableRawPointer(base + count).copyMemory(from: base + sourceStart, byteCount: escapedCount)
      count &+= escapedCount
    } else {
      escaped(ref.source)
    }
    put(0x22)
    flushIfFull()
  }

  /// `ReportTime.iso(date)` as a string; a whole second from 1970 to 9999 is written from its
  /// day count straight into the buffer (it needs no escape), without a string between. Any
  /// other time is formatted by Foundation once per distinct value (its bits) among the last
  /// few hundred: an age read from a describe or an Events table is a range whose ends are
  /// a millisecond off the second, and the same few hundred such times fill a whole report.
  package mutating func time(_ date: Date) {
    let seconds = date.timeIntervalSince1970
    guard seconds.rounded(.down) == seconds, seconds >= 0, seconds <= ReportTime.lastFastSecond else {
      if seconds.rounded(.down) != seconds, millisecondTime(date) { return }
      memoizedTime(date)
      return
    }
    let total = Int(seconds)
    // The quoted text is 22 bytes; with room for them (and the day's word of 16 bytes) it is
    // stored in place, else copied from a scratch text as before, so the sink is handed the same
    // bytes at the same points either way.
    guard count &+ 24 <= Self.capacity else {
      var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
      withUnsafeMutableBytes(of: &text) { scratch in
        ReportTime.writeWholeSecond(total, into: scratch)
        put(0x22)
        put(UnsafeRawBufferPointer(rebasing: scratch[0..<20]))
        put(0x22)
      }
      flushIfFull()
      return
    }
    // `"yyyy-MM-ddTHH:mm:ss`, then `Z"`.
    let at = storeDayAndClock(total)
    at.storeBytes(of: UInt16(0x225A).littleEndian, toByteOffset: 20, as: UInt16.self)
    count &+= 22
    flushIfFull()
  }

  /// `string(ReportTime.iso(date))` for a time off the second, stored in place: the text
  /// `ISOTime.milliseconds` writes (`yyyy-MM-ddTHH:mm:ss.SSSZ`, by the same arithmetic), its day
  /// from `lastDayText`; false, with nothing written, outside that function's range (or without
  /// room for the text), for the memo and Foundation to write. A log line's time is a different
  /// fraction almost every time: the memo missed, and each was formatted into a new string
  /// (about 4,000 instructions a time on 4 MiB of kubelet log; docs/architecture.md "JSON, fast
  /// and streamed"). `MillisecondTimeTests` holds it to `string(ReportTime.iso(date))`.
  private mutating func millisecondTime(_ date: Date) -> Bool {
    let reference = date.timeIntervalSinceReferenceDate
    let whole = reference.rounded(.down)
    // 1970-01-01 and 10000-01-01 in seconds since 2001-01-01, as `ISOTime.milliseconds` bounds
    // them; the quoted text is 26 bytes, and the day's word may run 4 bytes into the hours.
    guard whole.isFinite, whole >= -978_307_200, whole < 252_423_993_600, count &+ 32 <= Self.capacity else {
      return false
    }
    let nanoseconds = Int((reference - whole) * 1_000_000_000)
    let millis = min(nanoseconds / 1_000_000, 999)
    let total = Int(whole) + 978_307_200
    // `"yyyy-MM-ddTHH:mm:ss`, then `.SSSZ"`.
    let at = storeDayAndClock(total)
    at.storeBytes(of: 0x2E, toByteOffset: 20, as: UInt8.self)
    at.storeBytes(of: 0x30 &+ UInt8(truncatingIfNeeded: millis / 100), toByteOffset: 21, as: UInt8.self)
    Self.storeTwoDigits(at + 22, millis % 100)
    at.storeBytes(of: UInt16(0x225A).littleEndian, toByteOffset: 24, as: UInt16.self)
    count &+= 26
    flushIfFull()
    return true
  }

  /// `"yyyy-MM-ddTHH:mm:ss` of the second `total` (from 1970, to 9999) stored at the buffer's
  /// end, its day from `lastDayText`: the first 20 bytes of a whole-second and a millisecond time,
  /// which the callers end. The day's word of 16 bytes runs 4 bytes into the hours, written over
  /// after; the callers checked the room. Returns where the text starts; `count` is not moved.
  @inline(__always)
  private mutating func storeDayAndClock(_ total: Int) -> UnsafeMutableRawPointer {
    let days = total / 86_400
    if days != lastDay { rememberDay(days) }
    let at = UnsafeMutableRawPointer(base + count)
    at.storeBytes(of: lastDayText.0, toByteOffset: 0, as: UInt64.self)
    at.storeBytes(of: lastDayText.1, toByteOffset: 8, as: UInt64.self)
    let second = total &- days &* 86_400
    Self.storeTwoDigits(at + 12, second / 3600)
    at.storeBytes(of: 0x3A, toByteOffset: 14, as: UInt8.self)
    Self.storeTwoDigits(at + 15, second / 60 % 60)
    at.storeBytes(of: 0x3A, toByteOffset: 17, as: UInt8.self)
    Self.storeTwoDigits(at + 18, second % 60)
    return at
  }

  /// `value` (0 to 99) as two decimal digits at `at`.
  @inline(__always)
  private static func storeTwoDigits(_ at: UnsafeMutableRawPointer, _ value: Int) {
    at.storeBytes(of: 0x30 &+ UInt8(truncatingIfNeeded: value / 10), as: UInt8.self)
    at.storeBytes(of: 0x30 &+ UInt8(truncatingIfNeeded: value % 10), toByteOffset: 1, as: UInt8.self)
  }

  /// Keeps `"yyyy-MM-ddT` of the day `days` (from 1970, to 9999) in `lastDayText`, in the order
  /// of its bytes, as `ReportTime.writeWholeSecond` writes it: a report's times fall on a few
  /// days, so the date is worked out when the day changes, not for every time (the day count's
  /// conversion and fourteen digits cost about 440 instructions a time; docs/architecture.md
  /// "JSON, fast and streamed").
  private mutating func rememberDay(_ days: Int) {
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &text) { scratch in
      ReportTime.writeWholeSecond(days &* 86_400, into: UnsafeMutableRawBufferPointer(rebasing: scratch[1...]))
      scratch[0] = 0x22
    }
    lastDay = days
    lastDayText = (text.0, text.1)
  }

  /// `string(ReportTime.iso(date))`, the text kept by the date's bits in a slot of
  /// `timeKeys`/`timeTexts` (its length, then its bytes) when it needs no escape and fits.
  private mutating func memoizedTime(_ date: Date) {
    let bits = date.timeIntervalSince1970.bitPattern
    if timeKeys.isEmpty {
      timeKeys = [UInt64](repeating: 0, count: Self.timeSlots)
      timeTexts = [UInt8](repeating: 0, count: Self.timeSlots * Self.timeSlotBytes)
    }
    // The top byte of a multiplicative hash of the bits (Knuth's golden-ratio constant).
    let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 56)
    let at = slot * Self.timeSlotBytes
    let length = Int(timeTexts[at])
    if length > 0, timeKeys[slot] == bits {
      put(0x22)
      let texts = timeTexts
      texts.withUnsafeBytes { put(UnsafeRawBufferPointer(rebasing: $0[(at + 1)..<(at + 1 + length)])) }
      put(0x22)
      flushIfFull()
      return
    }
    let text = ReportTime.iso(date)
    string(text)
    let utf8 = text.utf8
    guard utf8.count < Self.timeSlotBytes, !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
      return
    }
    timeKeys[slot] = bits
    timeTexts[at] = UInt8(utf8.count)
    for (i, b) in utf8.enumerated() { timeTexts[at + 1 + i] = b }
  }

  /// The bytes of `text` with `"`, `\` and control bytes escaped. The text's bytes are read in
  /// place (`utf8.withContiguousStorageIfAvailable`: a copy of the string and `withUTF8` cost a
  /// retain and a release a string) and, when they fit, stored straight into the buffer as they
  /// are tested (`escapedInPlace`); otherwise, or from the point where the rest may no longer fit,
  /// `escapedPieces` writes them as runs (docs/architecture.md "JSON, fast and streamed").
  /// `JSONModelWriterTests` compares it with `JSONEncoder` on seeded random strings,
  /// `EscapeJumpTests` with the byte-by-byte read and `InPlaceWriterTests` with the run writer it
  /// replaced.
  private mutating func escaped(_ text: String) {
    let done: Void? = text.utf8.withContiguousStorageIfAvailable { escapedBytes($0) }
    if done == nil {
      var text = text
      text.withUTF8 { escapedBytes($0) }
    }
  }

  @inline(__always)
  private mutating func escapedBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let from = bytes.baseAddress else { return }
    let end = bytes.count
    if end <= Self.capacity &- count &- Self.wordRoom {
      if end < 16, shortClean(from, end) { return }
      escapedInPlace(from, end)
    } else {
      escapedPieces(from, end, from: 0)
    }
  }

  /// A text of 1 to 15 bytes with nothing to escape stored in place, where it fits (the caller
  /// checked): its bytes read as two words that overlap (the first and the last eight, or four),
  /// or for one to three bytes its first, middle and last byte, tested together and stored;
  /// false, with nothing written, when a byte needs an escape (or the text is empty), for
  /// `escapedInPlace`. Most strings of a report are a few bytes (a namespace, a reason, a type),
  /// and the call to `escapedInPlace`, its set-up and its last word cost more than their bytes
  /// (docs/architecture.md "JSON, fast and streamed"; `EscapeBlockTests`).
  @inline(__always)
  private mutating func shortClean(_ from: UnsafePointer<UInt8>, _ end: Int) -> Bool {
    let out = UnsafeMutableRawPointer(base + count)
    let raw = UnsafeRawPointer(from)
    if end >= 8 {
      let first = raw.loadUnaligned(as: UInt64.self)
      let last = raw.loadUnaligned(fromByteOffset: end &- 8, as: UInt64.self)
      guard Self.escapeFlags(UInt64(littleEndian: first)) | Self.escapeFlags(UInt64(littleEndian: last)) == 0 else {
        return false
      }
      out.storeBytes(of: first, as: UInt64.self)
      out.storeBytes(of: last, toByteOffset: end &- 8, as: UInt64.self)
    } else if end >= 4 {
      let first = raw.loadUnaligned(as: UInt32.self)
      let last = raw.loadUnaligned(fromByteOffset: end &- 4, as: UInt32.self)
      let both = UInt64(UInt32(littleEndian: first)) | UInt64(UInt32(littleEndian: last)) &<< 32
      guard Self.escapeFlags(both) == 0 else { return false }
      out.storeBytes(of: first, as: UInt32.self)
      out.storeBytes(of: last, toByteOffset: end &- 4, as: UInt32.self)
    } else if end > 0 {
      let (b0, b1, b2) = (from[0], from[end &>> 1], from[end &- 1])
      // The three bytes, and spaces (nothing to escape) above them.
      let word = UInt64(b0) | UInt64(b1) &<< 8 | UInt64(b2) &<< 16 | 0x2020_2020_2000_0000
      guard Self.escapeFlags(word) == 0 else { return false }
      out.storeBytes(of: b0, as: UInt8.self)
      out.storeBytes(of: b1, toByteOffset: end &>> 1, as: UInt8.self)
      out.storeBytes(of: b2, toByteOffset: end &- 1, as: UInt8.self)
    } else {
      return false
    }
    count &+= end
    return true
  }

  /// Room past the bytes `escapedInPlace` writes: it stores whole words, the last one up to
  /// eight bytes past the text's end.
  private static let wordRoom = 8

  /// The escape of `from[0..<end]` stored at `base + count`, sixteen bytes or a word at a time:
  /// each block is stored and then tested; a clean block is kept whole, and in a block with a
  /// byte to escape the bytes before it are kept and the escape written over the rest. The
  /// caller checked that the text and `wordRoom` fit; before each escape the writer checks that
  /// the escape, the rest of the text and `wordRoom` still fit, and hands the rest to
  /// `escapedPieces` when they may not. So it writes exactly where `escapedPieces` would have
  /// written without handing anything to the sink, and the sink is handed the same bytes at the
  /// same points: the run writer copied each clean run with a `memcpy` call and put every escape
  /// byte with its own capacity check (about 180 instructions a string on 1,000 describes).
  ///
  /// In a flagged block of sixteen the first byte to escape is found from the block's test
  /// itself (`firstFlagged`), where the block was read again as words up to it. The last fewer
  /// than sixteen bytes of a text of sixteen or more are read as its last sixteen bytes when
  /// every byte before them since the last escape was copied as it is (`clean`): those bytes are
  /// stored again over their own copies, with nothing to escape among them. Otherwise the last
  /// bytes go a word at a time, and the last fewer than eight are read as one word padded with
  /// spaces (nothing to escape there): from the text's last eight bytes when it has eight, else
  /// in pieces of four, two and one, never past the text's end (docs/architecture.md "JSON, fast
  /// and streamed"; `EscapeBlockTests` holds it to the run writer).
  private mutating func escapedInPlace(_ from: UnsafePointer<UInt8>, _ end: Int) {
    var out = UnsafeMutableRawPointer(base + count)
    let limit = UnsafeMutableRawPointer(base + Self.capacity)
    var i = 0
    // The first byte from which the text was copied as it is, up to `i`: after the last escape.
    var clean = 0
    while i < end {
      let left = end &- i
      let k: Int
      if left >= 16 {
        // Sixteen bytes tested at once, as vectors: a clean run of text costs about half the
        // instructions of two word tests.
        let block = UnsafeRawPointer(from + i).loadUnaligned(as: SIMD16<UInt8>.self)
        out.storeBytes(of: block, as: SIMD16<UInt8>.self)
        let flagged = Self.flagged(block)
        if !any(flagged) {
          i &+= 16
          out += 16
          continue
        }
        k = Self.firstFlagged(Self.flaggedWords(flagged))
      } else if end &- 16 >= clean {
        // The text's last sixteen bytes: those before `i` are clean copies of themselves, so the
        // first flagged byte is at `i` or after, and storing them again changes nothing.
        let back = 16 &- left
        let block = UnsafeRawPointer(from + (end &- 16)).loadUnaligned(as: SIMD16<UInt8>.self)
        out.storeBytes(of: block, toByteOffset: left &- 16, as: SIMD16<UInt8>.self)
        let words = Self.flaggedWords(Self.flagged(block))
        if words[0] | words[1] == 0 {
          i = end
          out += left
          break
        }
        k = Self.firstFlagged(words) &- back
      } else {
        let word: UInt64
        let step: Int
        if left >= 8 {
          word = UInt64(littleEndian: UnsafeRawPointer(from + i).loadUnaligned(as: UInt64.self))
          step = 8
        } else {
          word = Self.lastWord(from, i, end)
          step = left
        }
        out.storeBytes(of: word.littleEndian, as: UInt64.self)
        let flags = Self.escapeFlags(word)
        if flags == 0 {
          i &+= step
          out += step
          continue
        }
        // Byte k of a little-endian word is bits 8k..<8k+8, its flag bit 8k+7; the lowest flag is
        // exact, and the padding (spaces) is never flagged, so the byte is within the text.
        k = flags.trailingZeroBitCount &>> 3
      }
      i &+= k
      out += k
      // An escape is at most six bytes; the rest of the text after it and a word's overrun must
      // fit too, or the rest is written as runs.
      guard out.distance(to: limit) >= 6 &+ (end &- i &- 1) &+ Self.wordRoom else {
        count = base.distance(to: out.assumingMemoryBound(to: UInt8.self))
        escapedPieces(from, end, from: i)
        return
      }
      let b = from[i]
      switch b {
      case 0x22, 0x5C: out.storeBytes(of: (UInt16(b) << 8 | 0x5C).littleEndian, as: UInt16.self)
      case 0x08: out.storeBytes(of: UInt16(0x625C).littleEndian, as: UInt16.self)
      case 0x0C: out.storeBytes(of: UInt16(0x665C).littleEndian, as: UInt16.self)
      case 0x0A: out.storeBytes(of: UInt16(0x6E5C).littleEndian, as: UInt16.self)
      case 0x0D: out.storeBytes(of: UInt16(0x725C).littleEndian, as: UInt16.self)
      case 0x09: out.storeBytes(of: UInt16(0x745C).littleEndian, as: UInt16.self)
      default:
        // `\u00` and two lowercase hex digits.
        out.storeBytes(of: UInt32(0x3030_755C).littleEndian, as: UInt32.self)
        out.storeBytes(of: Self.hexDigit(b >> 4), toByteOffset: 4, as: UInt8.self)
        out.storeBytes(of: Self.hexDigit(b & 0x0F), toByteOffset: 5, as: UInt8.self)
        out += 4
      }
      out += 2
      i &+= 1
      clean = i
    }
    count = base.distance(to: out.assumingMemoryBound(to: UInt8.self))
  }

  /// The lanes of `block` that are below 0x20, `"` or `\` (compiled to `pminub`, `pcmpeqb`).
  @inline(__always)
  private static func flagged(_ block: SIMD16<UInt8>) -> SIMDMask<SIMD16<Int8>> {
    (block .< SIMD16<UInt8>(repeating: 0x20)) .| (block .== SIMD16<UInt8>(repeating: 0x22))
      .| (block .== SIMD16<UInt8>(repeating: 0x5C))
  }

  /// The lanes of `flagged` as bytes of 0 or 0xFF, read as two words: lane k is bits
  /// 8k..<8k+8 of the two little-endian words together.
  @inline(__always)
  private static func flaggedWords(_ flagged: SIMDMask<SIMD16<Int8>>) -> SIMD2<UInt64> {
    unsafeBitCast(SIMD16<UInt8>(repeating: 0).replacing(with: 0xFF, where: flagged), to: SIMD2<UInt64>.self)
  }

  /// The first lane flagged in `words` (`flaggedWords`, one lane at least).
  @inline(__always)
  private static func firstFlagged(_ words: SIMD2<UInt64>) -> Int {
    let low = UInt64(littleEndian: words[0])
    return low != 0
      ? low.trailingZeroBitCount &>> 3 : 8 &+ UInt64(littleEndian: words[1]).trailingZeroBitCount &>> 3
  }

  /// The bytes `from[i..<end]` (fewer than eight) as the low bytes of a little-endian word, the
  /// bytes above them spaces; read from the text's last eight bytes when it has eight, else in
  /// pieces of four, two and one, never past `end`. The shifts are by 8 to 56 bits (1 to 7
  /// bytes), so the masking shifts (`&<<`, `&>>`) are the plain ones.
  @inline(__always)
  private static func lastWord(_ from: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> UInt64 {
    let left = end &- i
    let spaces: UInt64 = 0x2020_2020_2020_2020
    let kept: UInt64 = ~(~0 &<< UInt64(truncatingIfNeeded: left &* 8))
    if end >= 8 {
      let last = UInt64(littleEndian: UnsafeRawPointer(from + (end &- 8)).loadUnaligned(as: UInt64.self))
      return last &>> UInt64(truncatingIfNeeded: (8 &- left) &* 8) | spaces & ~kept
    }
    var word: UInt64 = 0
    var shift: UInt64 = 0
    var at = UnsafeRawPointer(from + i)
    if left & 4 != 0 {
      word = UInt64(UInt32(littleEndian: at.loadUnaligned(as: UInt32.self)))
      at += 4
      shift = 32
    }
    if left & 2 != 0 {
      word |= UInt64(UInt16(littleEndian: at.loadUnaligned(as: UInt16.self))) &<< shift
      at += 2
      shift &+= 16
    }
    if left & 1 != 0 {
      word |= UInt64(at.load(as: UInt8.self)) &<< shift
    }
    return word | spaces & ~kept
  }

  /// The escape of `from[start..<end]` written as runs through `put`, as the writer wrote every
  /// text before `escapedInPlace`: a text longer than the room left in the buffer, or the rest
  /// of one from where it may no longer fit. The run is found eight bytes at a time: a word is
  /// skipped whole when none of its bytes is below 0x20, `"` or `\` (the "has a byte less than
  /// n" and "has a zero byte" word tests of S. E. Anderson's Bit Twiddling Hacks,
  /// https://graphics.stanford.edu/~seander/bithacks.html, exact as a yes/no answer for a whole
  /// word). In a word that has one, the lowest flag is exact (a false flag needs a borrow from a
  /// true one below it), so the writer jumps straight to that byte.
  @inline(never)
  private mutating func escapedPieces(_ from: UnsafePointer<UInt8>, _ end: Int, from start: Int) {
    var mark = start
    var i = start
    while i < end {
      if i &+ 8 <= end {
        let flags = Self.escapeFlags(UInt64(littleEndian: UnsafeRawPointer(from + i).loadUnaligned(as: UInt64.self)))
        if flags == 0 {
          i &+= 8
          continue
        }
        // Byte k of a little-endian word is bits 8k..<8k+8, its flag bit 8k+7.
        i &+= flags.trailingZeroBitCount &>> 3
      } else if Self.lastBytesClean(from, end) {
        // Fewer than eight bytes are left and none needs an escape: the last eight bytes
        // (or all of a shorter text, padded with spaces) hold them and are clean.
        i = end
        break
      }
      let b = from[i]
      if b < 0x20 || b == 0x22 || b == 0x5C {
        put(UnsafeRawBufferPointer(start: from + mark, count: i &- mark))
        put(0x5C)
        switch b {
        case 0x22, 0x5C: put(b)
        case 0x08: put(0x62)
        case 0x0C: put(0x66)
        case 0x0A: put(0x6E)
        case 0x0D: put(0x72)
        case 0x09: put(0x74)
        default:
          put("u00")
          put(Self.hexDigit(b >> 4))
          put(Self.hexDigit(b & 0x0F))
        }
        mark = i &+ 1
      }
      i &+= 1
    }
    put(UnsafeRawBufferPointer(start: from + mark, count: end &- mark))
  }

  /// Whether none of the last eight bytes of `from[0..<end]` (all of them, when fewer) needs an escape.
  @inline(__always)
  private static func lastBytesClean(_ from: UnsafePointer<UInt8>, _ end: Int) -> Bool {
    if end >= 8 { return !wordNeedsEscape(UnsafeRawPointer(from + (end - 8)).loadUnaligned(as: UInt64.self)) }
    var word: UInt64 = 0x2020_2020_2020_2020
    withUnsafeMutableBytes(of: &word) { $0.baseAddress?.copyMemory(from: from, byteCount: end) }
    return !wordNeedsEscape(word)
  }

  /// Whether one of the eight bytes of `word` is below 0x20, `"` (0x22) or `\` (0x5C).
  @inline(__always)
  static func wordNeedsEscape(_ word: UInt64) -> Bool { escapeFlags(word) != 0 }

  /// The high bit of each byte of `word` that is below 0x20, `"` or `\`, and maybe of bytes above
  /// the lowest such one (a subtraction's borrow runs upward); none when no byte is one. The
  /// lowest bit set is exact: below the first true byte nothing borrows.
  @inline(__always)
  static func escapeFlags(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    let below = (word &- ones &* 0x20) & ~word & high
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let isQuote = (quote &- ones) & ~quote & high
    let isBackslash = (backslash &- ones) & ~backslash & high
    return below | isQuote | isBackslash
  }

  @inline(__always)
  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

  package mutating func int(_ value: some BinaryInteger) {
    // The decimal digits written straight into the buffer (`String(value)` built a string per
    // number); a value beyond `Int64` is written as `String` writes it.
    guard let v = Int64(exactly: value) else {
      var text = String(value)
      text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
      return
    }
    // With room for a sign and 19 digits, they are stored in place, the digits from the last
    // (their number counted first); a copy from a scratch buffer was a `memcpy` call a number
    // (docs/architecture.md "JSON, fast and streamed").
    if count &+ 20 <= Self.capacity {
      var at = base + count
      if v < 0 {
        at[0] = 0x2D
        at += 1
      }
      var magnitude = v.magnitude
      var digits = 1
      var power: UInt64 = 10
      while digits < 19, magnitude >= power {
        digits &+= 1
        power &*= 10
      }
      var k = digits
      repeat {
        k &-= 1
        at[k] = 0x30 &+ UInt8(truncatingIfNeeded: magnitude % 10)
        magnitude /= 10
      } while k > 0
      count = base.distance(to: at) &+ digits
      return
    }
    if v < 0 { put(0x2D) }
    var magnitude = v.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var n = 0
    withUnsafeMutableBytes(of: &digits) { scratch in
      repeat {
        n += 1
        scratch[scratch.count - n] = 0x30 + UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
      put(UnsafeRawBufferPointer(rebasing: scratch[(scratch.count - n)...]))
    }
  }

  package mutating func bool(_ value: Bool) {
    put(value ? "true" : "false")
  }

  /// The elements are read in place, through the array's buffer: `for s in list` retained and
  /// released each one.
  package mutating func strings(_ list: [String]) {
    if list.isEmpty {
      emptyArray()
      return
    }
    beginArray()
    list.withUnsafeBufferPointer { texts in
      for i in texts.indices {
        element()
        string(texts[i])
      }
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

  /// A `[String: String]` as an object, keys sorted by their bytes. The pairs are sorted as they
  /// are, not the keys and each value looked up again (a hash of the key and a probe, about 300
  /// instructions a pair for a container's limits and requests on 1,000 describes): a
  /// dictionary's keys are distinct under `==`, so no two have the same bytes, and the order of
  /// the pairs is the order of the keys (docs/architecture.md "JSON, fast and streamed");
  /// `InPlaceWriterTests` holds it to the look-ups.
  package mutating func stringMap(_ map: [String: String]) {
    if map.isEmpty {
      emptyObject()
      return
    }
    beginObject()
    if map.count == 1, let only = map.first {
      key(text: only.key)
      string(only.value)
    } else if map.count > 1 {
      let pairs = map.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
      for i in pairs.indices {
        key(text: pairs[i].key)
        string(pairs[i].value)
      }
    }
    endObject()
  }

  /// The keys of `map` in the order `sortedKeys` writes them: by their UTF-8 bytes.
  package static func sortedKeys<V>(_ map: [String: V]) -> [String] {
    map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}
