import Foundation
import PodmortemModel

/// A `LogRecord` as a sample keeps it: its strings in one byte buffer (one allocation instead of
/// one per string and per field list), the line's text written once when the record's text is its
/// end (a klog body) and the message written once when it is the text. A kept record of a kubelet
/// line then costs about a third of what the record costs (docs/architecture.md "What must hold").
///
/// `record` gives back a record equal to the one packed. The encoding is a function of the record
/// and tells every record apart (each string says whether it is present and how long it is), so
/// two packed records are equal exactly when the records are.
struct PackedLog: Hashable, Sendable {
  private(set) var origin: LogRecord.Origin
  private(set) var time: TimeRange?
  private(set) var patternID: String?
  private(set) var pastedAt: SourceRef?
  private(set) var previousRun: Bool
  private(set) var restartNumber: Int?
  private(set) var ref: SourceRef
  /// `evidence.text`, `text`, `message`, `severity`, `node`, `namespace`, `pod`, `container`, then
  /// `fields` and `captures` (a count, then each key and value).
  private(set) var bytes: [UInt8]

  /// How a string is written: absent, as its bytes, as the end of the line's text (its length
  /// only), or as the record's text (nothing more).
  private enum Form: UInt8 {
    case absent = 0
    case bytes = 1
    case lineEnd = 2
    case text = 3
  }

  init(_ r: borrowing LogRecord) {
    self.init(r, bytes: Self.packed(r, Layout(r)))
  }

  /// `r`'s scalar fields beside `bytes`, its encoding.
  private init(_ r: borrowing LogRecord, bytes: [UInt8]) {
    origin = r.origin
    time = r.time
    patternID = r.patternID
    pastedAt = r.pastedAt
    previousRun = r.previousRun
    restartNumber = r.restartNumber
    ref = r.evidence.ref
    self.bytes = bytes
  }

  /// `r`'s encoding as `layout` measured it, in a buffer of exactly that size.
  private static func packed(_ r: borrowing LogRecord, _ layout: Layout) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: layout.size) { buffer, written in
      written = Self.write(r, layout, into: buffer)
    }
  }

  /// Packs `r` in place of the record packed here, into the same buffer when it is this one's
  /// alone and fits (not much larger than needed): what `PackedLog(r)` would be, without freeing
  /// one buffer and allocating the next. The ring of a sample's last records replaces its oldest
  /// this way on nearly every line (`LogSample`).
  mutating func repack(_ r: borrowing LogRecord) {
    let layout = Layout(r)
    guard bytes.capacity >= layout.size, bytes.capacity <= 2 * layout.size + 256 else {
      self = PackedLog(r, bytes: Self.packed(r, layout))
      return
    }
    // Taken out, so the buffer is uniquely referenced while it is rewritten; shrinking keeps it
    // (a shared one is copied first, so no other value changes).
    var buffer = bytes
    bytes = []
    if buffer.count > layout.size {
      buffer.removeLast(buffer.count - layout.size)
    } else if buffer.count < layout.size {
      buffer.append(contentsOf: repeatElement(0, count: layout.size - buffer.count))
    }
    buffer.withUnsafeMutableBufferPointer { out in
      let written = Self.write(r, layout, into: out)
      precondition(written == layout.size)
    }
    self = PackedLog(r, bytes: buffer)
  }

  /// What the encoding of a record holds and how long it is, measured before it is written once
  /// into a buffer of exactly that size.
  private struct Layout {
    /// The record's text is the end of its line's text (its length only is written).
    let lineEnd: Bool
    /// The message is the record's text (nothing more is written).
    let messageIsText: Bool
    let textCount: Int
    let size: Int

    init(_ r: borrowing LogRecord) {
      var line = r.evidence.text
      var text = r.text
      var message = r.message
      let textCount = text.utf8.count
      lineEnd = line.withUTF8 { l in
        text.withUTF8 { t in
          t.count <= l.count && PackedLog.same(UnsafeBufferPointer(rebasing: l[(l.count - t.count)...]), t)
        }
      }
      messageIsText = message.withUTF8 { m in text.withUTF8 { t in PackedLog.same(m, t) } }
      self.textCount = textCount
      var size = Writer.size(r.evidence.text)
      size += lineEnd ? 1 + Writer.countSize(textCount) : Writer.size(r.text)
      size += messageIsText ? 1 : Writer.size(r.message)
      size += Writer.size(r.severity) + Writer.size(r.node) + Writer.size(r.namespace) + Writer.size(r.pod)
      size += Writer.size(r.container)
      size += Writer.size(r.fields) + Writer.size(r.captures)
      self.size = size
    }
  }

  /// Writes `r`'s encoding as `layout` measured it; returns the bytes written.
  private static func write(
    _ r: borrowing LogRecord, _ layout: Layout, into buffer: UnsafeMutableBufferPointer<UInt8>
  ) -> Int {
    var w = Writer(buffer)
    w.put(r.evidence.text)
    if layout.lineEnd {
      w.byte(Form.lineEnd.rawValue)
      w.count(layout.textCount)
    } else {
      w.put(r.text)
    }
    if layout.messageIsText { w.byte(Form.text.rawValue) } else { w.put(r.message) }
    w.put(r.severity)
    w.put(r.node)
    w.put(r.namespace)
    w.put(r.pod)
    w.put(r.container)
    w.put(r.fields)
    w.put(r.captures)
    assert(w.at == layout.size)
    return w.at
  }

  /// The record packed.
  var record: LogRecord {
    var strings = SharedStrings()
    return record(sharing: &strings)
  }

  /// The record packed, the strings other records repeat taken from `strings` (the line and its
  /// text are the line's own).
  func record(sharing strings: inout SharedStrings) -> LogRecord {
    var i = 0
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
    r.fields = pairs(&i, sharing: &strings)
    r.captures = pairs(&i, sharing: &strings)
    r.time = time
    r.patternID = patternID
    r.pastedAt = pastedAt
    r.previousRun = previousRun
    r.restartNumber = restartNumber
    return r
  }

  /// `evidence.text`, for ordering two records of one line.
  var lineText: String {
    var i = 0
    return string(&i, line: nil, text: nil) ?? ""
  }

  /// Whether two byte buffers hold the same bytes.
  static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
    return memcmp(pa, pb, a.count) == 0
  }

  /// Writes the encoding into a buffer measured for it with the same rules (`size`); a write
  /// past its end traps.
  private struct Writer {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var at = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    static func countSize(_ n: Int) -> Int {
      var n = UInt(n)
      var size = 1
      while n >= 0x80 {
        n >>= 7
        size += 1
      }
      return size
    }

    static func size(_ string: String?) -> Int {
      guard let string else { return 1 }
      let n = string.utf8.count
      return 1 + countSize(n) + n
    }

    static func size(_ list: [KeyValue]) -> Int {
      var size = countSize(list.count)
      for kv in list { size += Self.size(kv.key) + Self.size(kv.value) }
      return size
    }

    mutating func byte(_ b: UInt8) {
      buffer[at] = b
      at += 1
    }

    /// A count in LEB128: seven bits a byte, low bits first.
    mutating func count(_ n: Int) {
      var n = UInt(n)
      while n >= 0x80 {
        byte(UInt8(n & 0x7F) | 0x80)
        n >>= 7
      }
      byte(UInt8(n))
    }

    mutating func put(_ string: String?) {
      guard var s = string else {
        byte(Form.absent.rawValue)
        return
      }
      byte(Form.bytes.rawValue)
      s.withUTF8 { bytes in
        count(bytes.count)
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(at + bytes.count <= buffer.count)
        guard let base = buffer.baseAddress else { return }
        UnsafeMutableRawPointer(base + at).copyMemory(from: from, byteCount: bytes.count)
        at += bytes.count
      }
    }

    mutating func put(_ list: [KeyValue]) {
      count(list.count)
      for kv in list {
        put(kv.key)
        put(kv.value)
      }
    }
  }

  private func count(_ i: inout Int) -> Int {
    var n: UInt = 0
    var shift: UInt = 0
    while i < bytes.count {
      let b = bytes[i]
      i += 1
      n |= UInt(b & 0x7F) << shift
      if b < 0x80 { break }
      shift += 7
    }
    return Int(n)
  }

  private func string(_ i: inout Int, line: String?, text: String?) -> String? {
    guard i < bytes.count else { return nil }
    let form = Form(rawValue: bytes[i])
    i += 1
    switch form {
    case .bytes:
      let n = count(&i)
      defer { i += n }
      return String(decoding: bytes[i..<(i + n)], as: UTF8.self)
    case .lineEnd:
      let n = count(&i)
      guard let line else { return nil }
      return String(decoding: line.utf8.suffix(n), as: UTF8.self)
    case .text: return text
    case .absent, nil: return nil
    }
  }

  /// `string(_:line:text:)`, a string of more bytes than a `String` holds inline taken from
  /// `strings` when an equal one was built before.
  private func string(_ i: inout Int, line: String?, text: String?, sharing strings: inout SharedStrings) -> String? {
    guard let s = string(&i, line: line, text: text) else { return nil }
    return strings.shared(s)
  }

  private func pairs(_ i: inout Int, sharing strings: inout SharedStrings) -> [KeyValue] {
    let n = count(&i)
    var out: [KeyValue] = []
    out.reserveCapacity(n)
    for _ in 0..<n {
      let key = string(&i, line: nil, text: nil, sharing: &strings) ?? ""
      out.append(KeyValue(key, string(&i, line: nil, text: nil, sharing: &strings) ?? ""))
    }
    return out
  }
}

/// Strings built once: log records read back from their samples share each repeated value (a
/// pod's name, a field's value, a message) instead of holding a copy each, which was most of a
/// run's peak memory on a long kubelet log (docs/architecture.md "What must hold"). Strings are
/// shared only when their bytes are the same (not merely equal as `String`s, which `é` written
/// two ways are), so sharing changes no value and no byte of output.
struct SharedStrings {
  private var seen = Set<Bytes>()

  /// A string hashed and compared by its UTF-8 bytes.
  private struct Bytes: Hashable {
    let string: String

    static func == (a: Bytes, b: Bytes) -> Bool {
      var x = a.string
      var y = b.string
      return x.withUTF8 { p in y.withUTF8 { q in PackedLog.same(p, q) } }
    }

    func hash(into hasher: inout Hasher) {
      var s = string
      s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
  }

  init() {}

  /// The string with the bytes of `s` seen first, else `s`. A string short enough to be stored
  /// inline (15 UTF-8 bytes on 64-bit platforms) costs no allocation and is returned as it is.
  mutating func shared(_ s: String) -> String {
    guard s.utf8.count > 15 else { return s }
    return seen.insert(Bytes(string: s)).memberAfterInsert.string
  }
}
