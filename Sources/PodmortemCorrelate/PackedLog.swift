import Foundation
import PodmortemModel

/// A `LogRecord` as a sample keeps it: its strings in one byte buffer (one allocation instead of
/// one per string and per field list), the line's text written once when the record's text is its
/// end (a klog body), the message written once when it is the text, and a string the line holds (a
/// field's key and value, most captures, the pod's name) written as where it lies in the line. A
/// kept record of a kubelet line then costs a fraction of what the record costs
/// (docs/architecture.md "What must hold").
///
/// `record` gives back a record equal to the one packed. The encoding is a function of the record
/// and tells every record apart (each string says whether it is present and how long it is), so
/// two equal packed records are equal records; records whose strings are equal as `String`s but
/// spelt in other bytes (`é` as one scalar or two) pack apart, so a list compares their records
/// when the bytes differ (`PodLogs`). Rules and reports read a kept record's strings one at a
/// time from the bytes (`message`, `capture(_:)`, `evidence`, …), each what `record` holds.
package struct PackedLog: Hashable, Sendable {
  // What is read of every kept record (its line to order a sample, its pattern and time for
  // rules) is stored beside the bytes; the rest, rarely set, is in the bytes' header. The
  // properties are in this order so the value is 72 bytes with no padding: a sample holds
  // arrays of them (docs/architecture.md "Memory of the kubelet-log run").
  package private(set) var ref: SourceRef
  /// A header (`origin`, `previousRun`, `restartNumber`, `pastedAt`), then `evidence.text`,
  /// `text`, `message`, `severity`, `node`, `namespace`, `pod`, `container`, `captures`, then
  /// `fields` (`encode`).
  private(set) var bytes: [UInt8]
  package private(set) var patternID: String?
  package private(set) var time: TimeRange?

  /// How a string is written: absent, as its bytes, as the end of the line's text (its length
  /// only), as the record's text (nothing more), as bytes the line's text holds at an offset
  /// (the offset and the length: a field's value, a capture, the pod's name), as bytes the
  /// line holds escaped (`escaped`: the offset and the length of the escaped bytes), or, for the
  /// line, as a klog header's parts and the body's bytes (`klog`, `KlogHeaderForm`). A form byte
  /// of `named` or more is a capture's name, the shipped one at that place past `named`
  /// (`CaptureNameIndex`).
  enum Form: UInt8 {
    case absent = 0
    case bytes = 1
    case lineEnd = 2
    case text = 3
    case slice = 4
    case escaped = 5
    case klog = 6
    case named = 64
  }

  /// A klog line quotes its message and values as Go does (`strconv.Quote`), so a string with a
  /// `"` or a `\` is not in the line as it is: an `err=` or `output=` value, a mounted volume's
  /// message (`started for volume \"kube-api-access-…\"`). Written as their bytes, these were
  /// 1.7 MB of the 11.4 MB of the kept records' buffers of an 8 MiB slice of the bench log
  /// (docs/architecture.md "Memory of the kubelet-log run"). `escape` writes each `"` and `\` of
  /// a string with a `\` before it; when the line holds that, the string is written as where
  /// (`Form.escaped`) and read back with `unescape`, which drops each `\` and keeps the byte
  /// after it: `unescape(escape(s))` is `s`'s bytes, whatever the line's quoting meant, so the
  /// record read back is the record packed, and the encoding is still a function of the record.
  static let quote = UInt8(ascii: "\"")
  static let backslash = UInt8(ascii: "\\")

  /// `escape(s)`'s bytes: `bytes` with a `\` before each `"` and `\`; nil when there are none
  /// (the string is then in the line as it is, or not at all). `body` is given room on the stack
  /// for a short string.
  ///
  /// The plain runs between quotes and backslashes are found eight bytes a word (`nextSpecial`)
  /// and copied whole, where every byte was tested twice, once to count and once to copy, and
  /// copied alone: an escaped `err=` or `output=` value is a few hundred bytes with a handful of
  /// quotes (callgrind, docs/architecture.md "Speed of the kubelet-log path"; `EscapeRunsTests`
  /// keeps the byte loop).
  static func withEscaped<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
    guard let base = bytes.baseAddress else { return nil }
    let n = bytes.count
    var extra = 0
    var k = nextSpecial(base, n, from: 0)
    while k < n {
      extra += 1
      k = nextSpecial(base, n, from: k + 1)
    }
    guard extra > 0 else { return nil }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n + extra) { room in
      guard let out = room.baseAddress else { return body(UnsafeBufferPointer(room)) }
      var i = 0
      var j = 0
      while i < n {
        let k = nextSpecial(base, n, from: i)
        if k > i {
          (out + j).initialize(from: base + i, count: k - i)
          j += k - i
        }
        guard k < n else { break }
        out[j] = backslash
        out[j + 1] = base[k]
        j += 2
        i = k + 1
      }
      return body(UnsafeBufferPointer(room))
    }
  }

  /// The first place at or after `from` (at most `n`) where `base[0..<n]` holds a `"` or a `\`,
  /// else `n`. Eight bytes at a time while a word fits: a byte of `w ^ c` is zero where `w` holds
  /// `c`, and `(x - 0x01…01) & ~x & 0x80…80` marks zero bytes exactly from the lowest up (a mark
  /// above a zero byte may be a borrow's, none below it), so the lowest mark of either test is the
  /// first quote or backslash of the word, read little-endian.
  @inline(__always)
  static func nextSpecial(_ base: UnsafePointer<UInt8>, _ n: Int, from: Int) -> Int {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quotes = ones &* UInt64(quote)
    let backslashes = ones &* UInt64(backslash)
    var p = from
    while n &- p >= 8 {
      let w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
      let q = w ^ quotes
      let b = w ^ backslashes
      let marks = ((q &- ones) & ~q | (b &- ones) & ~b) & highs
      if marks != 0 { return p &+ marks.trailingZeroBitCount &>> 3 }
      p &+= 8
    }
    while p < n, base[p] != quote, base[p] != backslash { p &+= 1 }
    return p
  }

  /// The string whose `escape` is `e`: each `\` dropped and the byte after it kept (a `\` at
  /// the end, which `escape` never writes, kept).
  static func unescape(_ e: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: e.count) { out in
      var i = 0
      var j = 0
      while i < e.count {
        if e[i] == backslash, i + 1 < e.count { i += 1 }
        out[j] = e[i]
        i += 1
        j += 1
      }
      return j
    }
  }

  package init(_ r: borrowing LogRecord) {
    self.init(r, bytes: Self.encoded(r, compact: true) { Array($0) })
  }

  /// `r`'s scalar fields beside `bytes`, its encoding.
  private init(_ r: borrowing LogRecord, bytes: [UInt8]) {
    ref = r.evidence.ref
    self.bytes = bytes
    patternID = r.patternID
    time = r.time
  }

  /// The header's first byte: the origin in the low two bits, then whether the record is of a
  /// previous run, has a restart number, has a pasted block.
  private static let previousRunFlag: UInt8 = 4
  private static let restartFlag: UInt8 = 8
  private static let pastedFlag: UInt8 = 16

  private static func originBits(_ o: LogRecord.Origin) -> UInt8 {
    switch o {
    case .kubelet: 0
    case .container: 1
    case .node: 2
    case .other: 3
    }
  }

  /// `record.origin`.
  package var origin: LogRecord.Origin {
    switch (bytes.first ?? 0) & 3 {
    case 0: .kubelet
    case 1: .container
    case 2: .node
    default: .other
    }
  }

  /// `record.previousRun`.
  package var previousRun: Bool { (bytes.first ?? 0) & Self.previousRunFlag != 0 }

  /// `record.restartNumber`.
  package var restartNumber: Int? { header.restartNumber }

  /// `record.pastedAt`.
  package var pastedAt: SourceRef? { header.pastedAt }

  /// The header read, and where the strings begin.
  private var header: (restartNumber: Int?, pastedAt: SourceRef?, end: Int) {
    guard let flags = bytes.first else { return (nil, nil, 0) }
    var i = 1
    var restart: Int?
    var pasted: SourceRef?
    if flags & Self.restartFlag != 0 { restart = Int(bitPattern: unsigned(&i)) }
    if flags & Self.pastedFlag != 0 {
      let source = string(&i, line: nil, text: nil) ?? ""
      pasted = SourceRef(source: source, line: Int(bitPattern: unsigned(&i)))
    }
    return (restart, pasted, i)
  }

  /// Where the strings begin: after the flags, at once when no rare field is set.
  var stringsStart: Int {
    guard let flags = bytes.first else { return 0 }
    return flags & (Self.restartFlag | Self.pastedFlag) == 0 ? 1 : header.end
  }

  /// `r`'s encoding, written once into scratch room and handed to `body`.
  ///
  /// A record of a line of at most `stackLine` bytes is written first into `stackRoom` bytes on
  /// the stack: `withUnsafeTemporaryAllocation` of at most 1,024 bytes is a stack allocation
  /// without a question to the runtime, where room of `bound(r)` (over 1 KiB for most kubelet
  /// lines) was a heap allocation and a walk over every string to size it, on every record
  /// (callgrind, docs/architecture.md "Speed of the kubelet-log path"). Only when the encoding
  /// does not fit is it written again into room of `bound(r)`. Both give the same bytes: the
  /// encoding is a function of the record, not of the room (`PackedEncodingTests`).
  ///
  /// `compact` writes the line's klog header and the captures' shipped names in their short forms
  /// (`Form.klog`, `Form.named`); every record is packed so. Without it the encoding is the one
  /// before those forms, which `ReferencePackedEncoding` keeps (`PackedEncodingTests`).
  private static func encoded<T>(
    _ r: borrowing LogRecord, compact: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> T
  ) -> T {
    if r.evidence.text.utf8.count <= stackLine {
      let done: T? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackRoom) { room in
        guard let written = encode(r, into: room, compact: compact) else { return nil }
        return body(UnsafeBufferPointer(rebasing: room[..<written]))
      }
      if let done { return done }
    }
    return encodedInBound(r, compact: compact, body)
  }

  /// `encoded`'s room on the stack, and the longest line it is tried for (a longer line leaves
  /// too little room for the rest; its record goes to `bound(r)` at once).
  static let stackRoom = 1_024
  static let stackLine = 512

  /// `r`'s encoding written into room of `bound(r)` bytes, which always holds it.
  private static func encodedInBound<T>(
    _ r: borrowing LogRecord, compact: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> T
  ) -> T {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound(r)) { room in
      guard let written = encode(r, into: room, compact: compact) else {
        preconditionFailure("an encoding exceeds its bound")
      }
      return body(UnsafeBufferPointer(rebasing: room[..<written]))
    }
  }

  /// `r`'s encoding as `encoded` writes it (`stack`) or as written into room of `bound(r)`
  /// alone, what every record was written into before: the two are compared by the tests.
  static func encoding(_ r: LogRecord, stack: Bool, compact: Bool = true) -> [UInt8] {
    stack
      ? encoded(r, compact: compact) { Array($0) } : encodedInBound(r, compact: compact) { Array($0) }
  }

  /// `r`'s encoding written into room of `room` bytes, nil when it does not fit there: what
  /// `encode` answers for every room, which the tests compare near the end of the room too.
  static func encoding(_ r: LogRecord, room: Int, compact: Bool = true) -> [UInt8]? {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
      encode(r, into: buffer, compact: compact).map { Array(UnsafeBufferPointer(rebasing: buffer[..<$0])) }
    }
  }

  /// What `Writer.putLine` writes of `line` from place `at` of room of `room` bytes (the bytes
  /// before `at` zero), nil when it does not fit: the tests hold it to the writer before.
  static func lineForm(_ line: [UInt8], room: Int, at: Int) -> [UInt8]? {
    line.withUnsafeBufferPointer { l in
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
        buffer.initialize(repeating: 0)
        var w = Writer(buffer, line: l)
        w.at = at
        w.putLine()
        return w.full ? nil : Array(buffer[at..<w.at])
      }
    }
  }

  /// What `Writer.putSlice` answers and writes for a slice from place `at` of room of `room`
  /// bytes, the written bytes nil when they do not fit: the tests hold it to the writer before.
  static func sliceForm(offset: Int, count n: Int, room: Int, at: Int) -> (Bool, [UInt8]?) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
      buffer.initialize(repeating: 0)
      var w = Writer(buffer, line: UnsafeBufferPointer(start: nil, count: 0))
      w.at = at
      let written = w.putSlice(offset, n)
      return (written, w.full ? nil : Array(buffer[at..<w.at]))
    }
  }

  /// At least the size of `r`'s encoding: each string as its bytes (a form byte, a count of at
  /// most 10 bytes, the bytes; a string is written otherwise only when that is shorter: a klog
  /// header's form and a name's are too) and each count of at most 10 bytes.
  private static func bound(_ r: borrowing LogRecord) -> Int {
    func most(_ s: String?) -> Int { s.map { 11 + $0.utf8.count } ?? 1 }
    var n = most(r.evidence.text) + most(r.text) + most(r.message) + most(r.severity) + most(r.node)
    n += most(r.namespace) + most(r.pod) + most(r.container) + 20
    // The header: flags, a restart number, a pasted block's source and line.
    n += 1 + 10 + (r.pastedAt.map { most($0.source) + 10 } ?? 0)
    for kv in r.fields { n += most(kv.key) + most(kv.value) }
    for kv in r.captures { n += most(kv.key) + most(kv.value) }
    return n
  }

  /// Packs `r` in place of the record packed here, into the same buffer when it is this one's
  /// alone and fits (not much larger than needed): what `PackedLog(r)` would be, without freeing
  /// one buffer and allocating the next. The ring of a sample's last records replaces its oldest
  /// this way on nearly every line (`LogSample`).
  mutating func repack(_ r: borrowing LogRecord) {
    // Taken out, so the buffer is uniquely referenced while it is rewritten (a shared one is
    // copied first, so no other value changes).
    var buffer = bytes
    bytes = []
    Self.encoded(r, compact: true) { encoding in
      if buffer.capacity >= encoding.count, buffer.capacity <= 2 * encoding.count + 256 {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: encoding)
      } else {
        buffer = Array(encoding)
      }
    }
    // Each property assigned, not the whole value replaced (`self = PackedLog(r, bytes:)` was an
    // outlined copy of the new value and a destroy of the old, 0.55 % of the 128 MiB log's run:
    // docs/architecture.md "Speed of the kubelet-log path"). The same four as `init(_:bytes:)`.
    ref = r.evidence.ref
    bytes = buffer
    patternID = r.patternID
    time = r.time
  }

  /// Writes `r`'s encoding into `buffer`; returns its size, or nil when `buffer` is too small
  /// (room of `bound(r)` bytes never is). The strings are written
  /// in this order: `evidence.text`, `text`, `message`, `severity`, `node`, `namespace`, `pod`,
  /// `container`, `captures` (a count, then each key and value), then `fields` (the same). What
  /// rules read most (`capture(_:)`, `message`, `pod`, `container`) comes before the fields, the
  /// longest list, so a reading walks past none of them (docs/architecture.md "Speed of the
  /// kubelet-log path").
  ///
  /// A string the line's text holds is written as where it lies there (`Form.slice`) when that is
  /// shorter: a field's key and value are looked for from where the previous field ended (the
  /// parser takes them from the line in order, so most are found at once), the other strings in
  /// the record's text. Any place holding the same bytes gives back the same string, so the
  /// encoding stays a function of the record.
  ///
  /// `compact`: the line as its klog header's parts when it has one (`Writer.putLine`), and a
  /// capture's name as its place among the shipped names when it is one (`Writer.putName`).
  private static func encode(
    _ r: borrowing LogRecord, into buffer: UnsafeMutableBufferPointer<UInt8>, compact: Bool
  ) -> Int? {
    // The three strings' bytes read where they are (`withUTF8` below), not through the mutating
    // `String.withUTF8` on a copy of each, a retain and a release apiece.
    let text = r.text
    let message = r.message
    return PackedLog.withUTF8(r.evidence.text) { l in
      var w = Writer(buffer, line: l)
      var flags = originBits(r.origin)
      if r.previousRun { flags |= previousRunFlag }
      if r.restartNumber != nil { flags |= restartFlag }
      if r.pastedAt != nil { flags |= pastedFlag }
      w.byte(flags)
      if let n = r.restartNumber { w.unsigned(UInt(bitPattern: n)) }
      if let pasted = r.pastedAt {
        w.put(pasted.source)
        w.unsigned(UInt(bitPattern: pasted.line))
      }
      if compact { w.putLine() } else { w.put(r.evidence.text) }
      if w.full { return nil }
      // The text's bytes read once for its three uses and the message's once for its two, both
      // from locals (a closure that reads `r` copies the whole record).
      let textStart = PackedLog.withUTF8(text) { t in
        let lineEnd =
          t.count <= l.count && PackedLog.same(UnsafeBufferPointer(rebasing: l[(l.count - t.count)...]), t)
        // Where the record's text begins in the line, when it is the line's end.
        let textStart = lineEnd ? l.count - t.count : 0
        if lineEnd {
          w.byte(Form.lineEnd.rawValue)
          w.count(t.count)
        } else {
          w.putBytes(t)
        }
        PackedLog.withUTF8(message) { m in
          if PackedLog.same(m, t) {
            w.byte(Form.text.rawValue)
          } else {
            w.putBytes(m, within: textStart)
          }
        }
        return textStart
      }
      w.put(r.severity)
      w.put(r.node, within: textStart)
      w.put(r.namespace, within: textStart)
      w.put(r.pod, within: textStart)
      w.put(r.container, within: textStart)
      // The pairs read in place through their arrays' storage, not copied out one by one (a copy
      // of a pair retains both its strings and releases them after).
      w.count(r.captures.count)
      r.captures.withUnsafeBufferPointer { captures in
        guard !captures.isEmpty else { return }
        // The shipped names read once for the record's captures: the global's lazy initialiser
        // was checked (`swift_once`) for every name (docs/architecture.md "Speed of the
        // kubelet-log path").
        let names = CaptureNameIndex.shipped
        for i in captures.indices {
          if compact { w.putName(captures[i].key, in: names) } else { w.put(captures[i].key) }
          w.put(captures[i].value, within: textStart)
        }
      }
      w.count(r.fields.count)
      var cursor = textStart
      r.fields.withUnsafeBufferPointer { fields in
        for i in fields.indices {
          w.put(fields[i].key, from: &cursor)
          w.put(fields[i].value, from: &cursor)
        }
      }
      return w.full ? nil : w.at
    }
  }

  /// The record packed.
  package var record: LogRecord {
    var strings = SharedStrings()
    return record(sharing: &strings)
  }

  /// The record packed, the strings other records repeat taken from `strings` (the line and its
  /// text are the line's own).
  func record(sharing strings: inout SharedStrings) -> LogRecord {
    var i = stringsStart
    let line = string(&i, line: nil, text: nil) ?? ""
    let text = string(&i, line: line, text: nil) ?? ""
    let message = string(&i, line: line, text: text, sharing: &strings) ?? ""
    var r = LogRecord(origin: origin, message: message, evidence: Evidence(ref: ref, text: line))
    r.text = text
    r.severity = string(&i, line: line, text: text, sharing: &strings)
    r.node = string(&i, line: line, text: text, sharing: &strings)
    r.namespace = string(&i, line: line, text: text, sharing: &strings)
    r.pod = string(&i, line: line, text: text, sharing: &strings)
    r.container = string(&i, line: line, text: text, sharing: &strings)
    r.captures = pairs(&i, line: line, sharing: &strings)
    r.fields = pairs(&i, line: line, sharing: &strings)
    r.time = time
    r.patternID = patternID
    r.pastedAt = pastedAt
    r.previousRun = previousRun
    r.restartNumber = restartNumber
    return r
  }

  /// `evidence.text`, for ordering two records of one line.
  var lineText: String {
    var i = stringsStart
    return string(&i, line: nil, text: nil) ?? ""
  }

  /// `body` given the UTF-8 bytes of `s`, read where they are (a native string's storage is
  /// contiguous), else from a copy made contiguous. `String.withUTF8` is mutating, so calling it
  /// took a copy of every string written, a retain and a release each (callgrind,
  /// docs/architecture.md "Speed of the kubelet-log path").
  @inline(__always)
  static func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    return copy.withUTF8(body)
  }

  /// Whether two byte buffers hold the same bytes.
  static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
    return memcmp(pa, pb, a.count) == 0
  }

  /// Whether the `n` bytes at `a` and at `b` are the same. Up to 16 bytes are compared as two
  /// loads from each that overlap to cover them (of 8 bytes for 8 to 16, of 4 for 4 to 7, of 2
  /// for 2 and 3), in place of a call to `memcmp`: nearly every string `Writer.find` confirms is
  /// a key, a value or a name of that size, and the call was about as much as the rest of the
  /// confirmation (callgrind, docs/architecture.md "Speed of the kubelet-log path";
  /// `PackedWriterFormsTests` holds it to `memcmp`).
  @inline(__always)
  static func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    @inline(__always)
    func load<T: FixedWidthInteger>(_ p: UnsafePointer<UInt8>, _ k: Int, as: T.Type) -> T {
      UnsafeRawPointer(p + k).loadUnaligned(as: T.self)
    }
    if n > 16 { return memcmp(a, b, n) == 0 }
    if n >= 8 {
      return load(a, 0, as: UInt64.self) == load(b, 0, as: UInt64.self)
        && load(a, n &- 8, as: UInt64.self) == load(b, n &- 8, as: UInt64.self)
    }
    if n >= 4 {
      return load(a, 0, as: UInt32.self) == load(b, 0, as: UInt32.self)
        && load(a, n &- 4, as: UInt32.self) == load(b, n &- 4, as: UInt32.self)
    }
    if n >= 2 {
      return load(a, 0, as: UInt16.self) == load(b, 0, as: UInt16.self)
        && load(a, n &- 2, as: UInt16.self) == load(b, n &- 2, as: UInt16.self)
    }
    return n <= 0 || a[0] == b[0]
  }

  /// Writes the encoding into room; a write past the room's end is not made and sets `full`.
  private struct Writer {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The line's text, which `Form.slice` strings point into.
    let line: UnsafeBufferPointer<UInt8>
    var at = 0
    /// Whether a write did not fit: the encoding is then incomplete.
    var full = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>, line: UnsafeBufferPointer<UInt8>) {
      self.buffer = buffer
      self.line = line
    }

    static func countSize(_ n: Int) -> Int {
      var n = UInt(n)
      var size = 1
      while n >= 0x80 {
        n >>= 7
        size += 1
      }
      return size
    }

    mutating func byte(_ b: UInt8) {
      guard at < buffer.count else {
        full = true
        return
      }
      buffer[at] = b
      at += 1
    }

    /// A count in LEB128: seven bits a byte, low bits first.
    mutating func count(_ n: Int) { unsigned(UInt(n)) }

    /// `n` in LEB128 (a negative number is written as its bit pattern).
    mutating func unsigned(_ n: UInt) {
      var n = n
      while n >= 0x80 {
        byte(UInt8(n & 0x7F) | 0x80)
        n >>= 7
      }
      byte(UInt8(n))
    }

    /// `string` as its bytes.
    mutating func put(_ string: String?) {
      guard let s = string else {
        byte(Form.absent.rawValue)
        return
      }
      PackedLog.withUTF8(s) { bytes in putBytes(bytes) }
    }

    mutating func putBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
      byte(Form.bytes.rawValue)
      count(bytes.count)
      putRaw(bytes)
    }

    /// `bytes` as they are, with no form or count.
    private mutating func putRaw(_ bytes: UnsafeBufferPointer<UInt8>) {
      guard let from = bytes.baseAddress, bytes.count > 0 else { return }
      guard bytes.count <= buffer.count - at else {
        full = true
        return
      }
      guard let base = buffer.baseAddress else { return }
      UnsafeMutableRawPointer(base + at).copyMemory(from: from, byteCount: bytes.count)
      at += bytes.count
    }

    /// The line: as its klog header's parts (`Form.klog`: the size of what follows, the
    /// header's length in the line, the parts' size, then the parts: the severity byte, the date
    /// and time's digits as a number in seven bytes, the id, the file's count and bytes, the line
    /// number) and its body's bytes, when `KlogHeaderForm` rebuilds the header byte for byte;
    /// else as its bytes. Which is a function of the line's bytes alone, and the form is always
    /// the shorter (a header is at least 35 bytes, its parts at most 24 and the file's, the two
    /// lengths at most 4).
    mutating func putLine() {
      guard let h = KlogHeaderForm.parse(line) else {
        putBytes(line)
        return
      }
      // The size first, so a reading that does not need the line steps over it at once; then
      // the header's length and the parts' size, so a reading finds the body and where it lies
      // in the line without reading the parts or counting the header's digits (`klogBody`;
      // docs/architecture.md "Memory of the kubelet-log run").
      let bodyCount = line.count - h.bodyStart
      let pidSize = Self.countSize(Int(h.pid))
      let fileSize = Self.countSize(h.file.count)
      let fileLineSize = Self.countSize(Int(h.fileLine))
      let parts = 8 + pidSize + fileSize + h.file.count + fileLineSize
      let startSize = Self.countSize(h.bodyStart)
      let partsSize = Self.countSize(parts)
      let size = startSize + partsSize + parts + bodyCount
      // With room for all of it left, written through one pointer, where each byte and count was
      // a call that checked the room on its own: six counts and two copies a kubelet line
      // (callgrind, docs/architecture.md "Speed of the kubelet-log path"). Near the room's end
      // it is written piece by piece as before, so a line that does not fit sets `full`.
      // `PackedWriterFormsTests` keeps the piecewise writer and holds this to it.
      guard let base = buffer.baseAddress, 1 + Self.countSize(size) + size <= buffer.count - at else {
        putLinePiecewise(h, size: size, parts: parts)
        return
      }
      var p = base + at
      p.pointee = Form.klog.rawValue
      p = Self.leb(UInt(size), at: p + 1)
      p = Self.leb(UInt(h.bodyStart), at: p)
      p = Self.leb(UInt(parts), at: p)
      p.pointee = h.severity
      UnsafeMutableRawPointer(p + 1).storeBytes(of: h.digits.littleEndian, as: UInt64.self)
      // Seven bytes of the digits (a number below 10^16 < 2^56), the eighth overwritten next.
      p = Self.leb(UInt(h.pid), at: p + 8)
      p = Self.leb(UInt(h.file.count), at: p)
      if let l = line.baseAddress, !h.file.isEmpty {
        p.initialize(from: l + h.file.lowerBound, count: h.file.count)
      }
      p = Self.leb(UInt(h.fileLine), at: p + h.file.count)
      if let l = line.baseAddress, bodyCount > 0 { p.initialize(from: l + h.bodyStart, count: bodyCount) }
      at = p + bodyCount - base
    }

    /// `putLine`'s form written piece by piece, each write checking the room: what `putLine`
    /// wrote for every line before, now only when the room may be too small for it.
    private mutating func putLinePiecewise(_ h: KlogHeaderForm.Parts, size: Int, parts: Int) {
      byte(Form.klog.rawValue)
      count(size)
      count(h.bodyStart)
      count(parts)
      byte(h.severity)
      for k in 0..<7 { byte(UInt8(truncatingIfNeeded: h.digits >> (8 * UInt64(k)))) }
      unsigned(UInt(h.pid))
      count(h.file.count)
      putRaw(UnsafeBufferPointer(rebasing: line[h.file]))
      unsigned(UInt(h.fileLine))
      putRaw(UnsafeBufferPointer(rebasing: line[h.bodyStart...]))
    }

    /// A capture's name: one byte, `Form.named` plus its place, when it is a shipped name
    /// (`CaptureNameIndex`); else as its bytes.
    mutating func putName(_ name: String, in names: CaptureNameIndex) {
      PackedLog.withUTF8(name) { bytes in
        if let i = names.index(of: bytes) {
          byte(Form.named.rawValue &+ UInt8(truncatingIfNeeded: i))
        } else {
          putBytes(bytes)
        }
      }
    }

    /// `string` as where the line holds its bytes at or after `from`, when they are there and
    /// that is shorter; `from` moves past them.
    mutating func put(_ string: String?, from cursor: inout Int) {
      guard let s = string else {
        byte(Form.absent.rawValue)
        return
      }
      PackedLog.withUTF8(s) { bytes in
        if let offset = find(bytes, from: cursor) {
          cursor = offset + bytes.count
          if putSlice(offset, bytes.count) { return }
        } else if let (offset, n) = findEscaped(bytes, from: cursor) {
          cursor = offset + n
          if putSlice(offset, n, of: bytes.count, form: .escaped) { return }
        }
        putBytes(bytes)
      }
    }

    /// `string` as where the line holds its bytes at or after `start`, when it does and that is
    /// shorter.
    mutating func put(_ string: String?, within start: Int) {
      guard let s = string else {
        byte(Form.absent.rawValue)
        return
      }
      PackedLog.withUTF8(s) { bytes in putBytes(bytes, within: start) }
    }

    /// `bytes` as where the line holds them at or after `start`, when it does and that is
    /// shorter.
    mutating func putBytes(_ bytes: UnsafeBufferPointer<UInt8>, within start: Int) {
      if let offset = find(bytes, from: start) {
        if putSlice(offset, bytes.count) { return }
      } else if let (offset, n) = findEscaped(bytes, from: start),
        putSlice(offset, n, of: bytes.count, form: .escaped)
      {
        return
      }
      putBytes(bytes)
    }

    /// Writes a slice when it is shorter than the bytes it stands for; false otherwise.
    ///
    /// A slice is shorter when its offset's count is shorter than the bytes (`countSize(offset) <
    /// n`; the test before, `countSize(offset) + countSize(n) < countSize(n) + n`, had the count
    /// of `n` on both sides). With room for the longest slice left (a form byte and two counts of
    /// at most 10 bytes) it is written through one pointer, where each byte was a call that
    /// checked the room on its own: 80 instructions a slice, now 37, and a kubelet record has a
    /// dozen (callgrind, docs/architecture.md "Speed of the kubelet-log path"). Near the room's
    /// end it is written byte by byte as before, so a slice that does not fit sets `full`.
    @inline(__always)
    mutating func putSlice(_ offset: Int, _ n: Int) -> Bool {
      // The common slice first: an offset of at most two LEB128 bytes (a line's first 16 KiB)
      // and a length of one, with room left; it is shorter when the length is more than the
      // offset's bytes. Written inline at each call, where the general path below counted both
      // numbers' bytes in loops and wrote them in loops (`PackedWriterFormsTests` holds the two
      // to `ReferencePackedWriter`).
      if UInt(bitPattern: offset) < 0x4000, UInt(bitPattern: n) < 0x80, buffer.count - at >= 4,
        let base = buffer.baseAddress
      {
        let p = base + at
        if offset < 0x80 {
          guard n > 1 else { return false }
          p[0] = Form.slice.rawValue
          p[1] = UInt8(truncatingIfNeeded: offset)
          p[2] = UInt8(truncatingIfNeeded: n)
          at += 3
        } else {
          guard n > 2 else { return false }
          p[0] = Form.slice.rawValue
          p[1] = UInt8(truncatingIfNeeded: offset) | 0x80
          p[2] = UInt8(truncatingIfNeeded: offset >> 7)
          p[3] = UInt8(truncatingIfNeeded: n)
          at += 4
        }
        return true
      }
      return putSliceGenerally(offset, n)
    }

    /// `putSlice` for any offset, length and room left.
    private mutating func putSliceGenerally(_ offset: Int, _ n: Int) -> Bool {
      guard Self.countSize(offset) < n else { return false }
      guard buffer.count - at >= Self.longestSlice, let base = buffer.baseAddress else {
        byte(Form.slice.rawValue)
        count(offset)
        count(n)
        return true
      }
      var p = base + at
      p.pointee = Form.slice.rawValue
      p = Self.leb(UInt(offset), at: p + 1)
      p = Self.leb(UInt(n), at: p)
      at = p - base
      return true
    }

    /// A slice's most bytes: its form and two counts of at most 10 bytes.
    private static let longestSlice = 21

    /// `n` in LEB128 at `p`, as `unsigned` writes it; returns the place after it.
    @inline(__always)
    private static func leb(_ n: UInt, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
      var n = n
      var p = p
      while n >= 0x80 {
        p.pointee = UInt8(n & 0x7F) | 0x80
        p += 1
        n >>= 7
      }
      p.pointee = UInt8(n)
      return p + 1
    }

    /// Writes `n` bytes of the line at `offset` in `form` when that is shorter than the `count`
    /// bytes of the string they stand for; false otherwise.
    private mutating func putSlice(_ offset: Int, _ n: Int, of count: Int, form: Form) -> Bool {
      guard Self.countSize(offset) + Self.countSize(n) < Self.countSize(count) + count else { return false }
      byte(form.rawValue)
      self.count(offset)
      self.count(n)
      return true
    }

    /// The first place at or after `start` where the line holds `escape(bytes)`, and its length;
    /// nil when `bytes` has nothing to escape or the line does not hold it.
    private func findEscaped(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Int)? {
      let found = PackedLog.withEscaped(bytes) { e in find(e, from: start).map { ($0, e.count) } }
      return found ?? nil
    }

    /// The first place at or after `start` where the line holds `bytes` (of 3 bytes or more: a
    /// slice of fewer is never shorter).
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
      guard bytes.count >= 3, start >= 0, start < line.count, let base = line.baseAddress,
        let needle = bytes.baseAddress
      else { return nil }
      // The first byte found with `memchr`, the last compared before the rest with `memcmp`
      // (a common first byte alone sent most candidates to `memcmp`). The candidates are walked
      // as pointers up to the last place the bytes fit, `lastStart`, where the loop recomputed
      // the room left and converted the hit back to an offset on every step.
      guard line.count - start >= bytes.count else { return nil }
      let first = Int32(needle[0])
      let last = bytes.count - 1
      let lastByte = needle[last]
      let lastStart = base + (line.count - bytes.count)
      var p = base + start
      while p <= lastStart {
        guard let hit = memchr(p, first, lastStart - p + 1) else { return nil }
        let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self))
        if at[last] == lastByte && PackedLog.sameBytes(at, needle, bytes.count) { return at - base }
        p = at + 1
      }
      return nil
    }
  }
}
