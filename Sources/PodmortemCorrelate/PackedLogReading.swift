import Foundation
import PodmortemModel

// The reading side of `PackedLog`: the slots of an encoding walked, its line seen as a klog body
// (`LineView`), and every string a rule or a report reads built from the bytes when asked. Moved
// here unchanged from PackedLog.swift, which keeps the writing side (docs/architecture.md
// "Memory of the kubelet-log run").
extension PackedLog {
  func count(_ i: inout Int) -> Int { Int(truncatingIfNeeded: unsigned(&i)) }

  /// The LEB128 number at `i`.
  func unsigned(_ i: inout Int) -> UInt { Self.leb(&i, bytes) }

  /// Where one string of the encoding is, read without building it: what `string(_:line:text:)`
  /// builds from it (`resolve`).
  enum Slot {
    case absent
    /// Its bytes, at `start` in `bytes`, `count` long.
    case bytes(start: Int, count: Int)
    /// The last `count` bytes of the line.
    case lineEnd(count: Int)
    /// The record's text.
    case text
    /// Bytes of the line, from `offset`, `count` long.
    case slice(offset: Int, count: Int)
    /// Bytes of the line, from `offset`, `count` long, unescaped (`unescape`).
    case escaped(offset: Int, count: Int)
    /// A line written as its klog header's parts and its body (`Form.klog`), from `start` to
    /// `end` in `bytes` (read by `klogLine` only when the line is).
    case klog(start: Int, end: Int)
    /// The shipped capture name at this place (`CaptureNameIndex.names`).
    case named(Int)
  }

  /// A line written as its klog header's parts (`Writer.putLine`), read: the parts, where the
  /// file's and the body's bytes are in `bytes`, and the line's size.
  private struct KlogLine {
    var severity: UInt8
    var digits: UInt64
    var pid: UInt64
    var file: Range<Int>
    var fileLine: UInt64
    var body: Range<Int>

    /// The line's size, header and body.
    var count: Int {
      KlogHeaderForm.count(pid: pid, fileCount: file.count, fileLine: fileLine) + body.count
    }
  }

  /// The body of the klog line written from `start` to `end` (after the header's length and the
  /// parts' size, the parts, then the body: `Writer.putLine`), and the header's length in the
  /// line, read from the two counts alone; nil when the bytes end too soon (they never do:
  /// `encode` wrote them).
  private func klogBody(start: Int, end: Int) -> (body: Range<Int>, header: Int)? {
    var i = start
    guard start >= 0, end <= bytes.count else { return nil }
    let header = count(&i)
    let parts = count(&i)
    guard header >= 0, parts >= 0, i <= end, parts <= end - i else { return nil }
    return ((i + parts)..<end, header)
  }

  /// The klog line whose parts are from `start` to `end`; nil when the bytes end too soon (they
  /// never do: `encode` wrote them).
  private func klogLine(start: Int, end: Int) -> KlogLine? {
    var i = start
    guard start >= 0, end <= bytes.count else { return nil }
    // The header's length and the parts' size, for a reading that needs only the body.
    _ = count(&i)
    _ = count(&i)
    guard i <= end, end - i >= 8 else { return nil }
    let severity = bytes[i]
    var digits: UInt64 = 0
    for k in 0..<7 { digits |= UInt64(bytes[i + 1 + k]) << (8 * UInt64(k)) }
    i += 8
    let pid = UInt64(unsigned(&i))
    let fileCount = count(&i)
    guard fileCount >= 0, fileCount <= end - i else { return nil }
    let file = i..<(i + fileCount)
    i += fileCount
    let fileLine = UInt64(unsigned(&i))
    guard i <= end else { return nil }
    let body = i..<end
    return KlogLine(severity: severity, digits: digits, pid: pid, file: file, fileLine: fileLine, body: body)
  }

  /// Writes the klog line `k` into `out` (room of `k.count` bytes).
  private func write(_ k: KlogLine, into out: UnsafeMutablePointer<UInt8>) {
    bytes.withUnsafeBufferPointer { b in
      let end = KlogHeaderForm.write(
        severity: k.severity, digits: k.digits, pid: k.pid, file: UnsafeBufferPointer(rebasing: b[k.file]),
        fileLine: k.fileLine, into: out)
      if let from = b.baseAddress, !k.body.isEmpty {
        end.initialize(from: from + k.body.lowerBound, count: k.body.count)
      }
    }
  }

  /// The klog line `k` as a `String`.
  private func string(_ k: KlogLine) -> String {
    String(unsafeUninitializedCapacity: k.count) { out in
      guard let base = out.baseAddress else { return 0 }
      write(k, into: base)
      return k.count
    }
  }

  /// The form at `i`: a `Form`, or `Form.named` for every name's byte (nil for no form).
  @inline(__always)
  private func form(at i: Int) -> (Form?, name: Int) {
    let b = bytes[i]
    if b >= Form.named.rawValue { return (.named, Int(b &- Form.named.rawValue)) }
    return (Form(rawValue: b), 0)
  }

  /// The slot at `i`, and `i` moved past it.
  func slot(_ i: inout Int) -> Slot {
    guard i < bytes.count else { return .absent }
    let (form, name) = form(at: i)
    i += 1
    switch form {
    case .bytes:
      let n = count(&i)
      defer { i += n }
      return .bytes(start: i, count: n)
    case .lineEnd: return .lineEnd(count: count(&i))
    case .slice:
      let offset = count(&i)
      return .slice(offset: offset, count: count(&i))
    case .escaped:
      let offset = count(&i)
      return .escaped(offset: offset, count: count(&i))
    case .text: return .text
    case .klog:
      let n = count(&i)
      guard n >= 0, n <= bytes.count - i else { return .absent }
      defer { i += n }
      return .klog(start: i, end: i + n)
    case .named: return .named(name)
    case .absent, nil: return .absent
    }
  }

  /// The line as a reading sees it: `body`, the bytes from `shift` on (the whole line when it
  /// is written as its bytes; a klog line's body after its header), and the line's slot, to
  /// rebuild the whole line only for a string that reaches into the header (`withBytes`). A
  /// klog record's strings lie in its body, so a reading copies and formats nothing for them.
  private struct LineView {
    var body: UnsafeBufferPointer<UInt8>
    var shift: Int
    var line: Slot
  }

  /// `body` given `n` bytes of the line from `offset`, nil when the line has no such bytes: the
  /// same bytes, and the same answer, as the whole line's `offset..<(offset + n)`.
  private func withBytes<T>(
    _ view: LineView, _ offset: Int, _ n: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T?
  ) -> T? {
    if offset >= view.shift {
      let o = offset - view.shift
      guard o <= view.body.count, n <= view.body.count - o else { return nil }
      return body(UnsafeBufferPointer(rebasing: view.body[o..<(o + n)]))
    }
    return withWholeLine(view.line) { l in
      guard offset <= l.count, n <= l.count - offset else { return nil }
      return body(UnsafeBufferPointer(rebasing: l[offset..<(offset + n)]))
    }
  }

  /// The string at `slot`: the line's strings (`.lineEnd`, `.slice`, `.escaped`) read in `line`
  /// (`withLine`); `.text` is `text`. Reads what `string(_:line:text:)` returns.
  private func resolve(_ slot: Slot, line: LineView?, text: Slot?) -> String? {
    switch slot {
    case .absent: return nil
    case .bytes(let start, let n):
      return bytes.withUnsafeBufferPointer { b in
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<(start + n)]), as: UTF8.self)
      }
    case .lineEnd(let n):
      guard let view = line else { return nil }
      if n <= view.body.count {
        return String(decoding: UnsafeBufferPointer(rebasing: view.body[(view.body.count - n)...]), as: UTF8.self)
      }
      return withWholeLine(view.line) { l in
        String(decoding: UnsafeBufferPointer(rebasing: l[(l.count - min(n, l.count))...]), as: UTF8.self)
      }
    case .slice(let offset, let n):
      guard let view = line else { return nil }
      return withBytes(view, offset, n) { String(decoding: $0, as: UTF8.self) }
    case .escaped(let offset, let n):
      guard let view = line else { return nil }
      return withBytes(view, offset, n) { PackedLog.unescape($0) }
    case .text:
      guard let text else { return nil }
      return resolve(text, line: line, text: nil) ?? ""
    case .klog(let start, let end): return klogLine(start: start, end: end).map { string($0) }
    case .named(let i): return i < CaptureNameIndex.names.count ? CaptureNameIndex.names[i] : ""
    }
  }

  /// `body` given the line at `line` (the record's first string: `.bytes`, `.klog`, or absent:
  /// the empty line `record` reads then) as a `LineView`: its bytes where they are, or a klog
  /// line's body, its header not rebuilt.
  private func withLine<T>(_ line: Slot, _ body: (LineView) -> T) -> T {
    switch line {
    case .bytes(let start, let n):
      return bytes.withUnsafeBufferPointer { b in
        body(LineView(body: UnsafeBufferPointer(rebasing: b[start..<(start + n)]), shift: 0, line: line))
      }
    case .klog(let start, let end):
      guard let k = klogBody(start: start, end: end) else { break }
      return bytes.withUnsafeBufferPointer { b in
        body(LineView(body: UnsafeBufferPointer(rebasing: b[k.body]), shift: k.header, line: line))
      }
    default: break
    }
    return body(LineView(body: UnsafeBufferPointer(start: nil, count: 0), shift: 0, line: .absent))
  }

  /// `body` given the whole line's bytes: a klog line rebuilt (`KlogHeaderForm.write`).
  private func withWholeLine<T>(_ line: Slot, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    switch line {
    case .bytes(let start, let n):
      return bytes.withUnsafeBufferPointer { b in body(UnsafeBufferPointer(rebasing: b[start..<(start + n)])) }
    case .klog(let start, let end):
      guard let k = klogLine(start: start, end: end) else { break }
      return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: k.count) { room in
        guard let base = room.baseAddress else { return body(UnsafeBufferPointer(room)) }
        write(k, into: base)
        return body(UnsafeBufferPointer(room))
      }
    default: break
    }
    return body(UnsafeBufferPointer(start: nil, count: 0))
  }

  /// Whether the string at `slot` (a capture's or a field's key: never `.text`) is `key`,
  /// compared as `String`s are. On ASCII bytes that is byte equality; a non-ASCII key is built
  /// and compared (another spelling can be canonically equivalent: a Kelvin sign is a `K`).
  /// `asciiKey` is `key`'s bytes when they are all ASCII, else nil: looked at once per reading,
  /// not once per pair.
  private func slot(_ slot: Slot, line: LineView, is key: String, asciiKey: UnsafeBufferPointer<UInt8>?) -> Bool {
    let answer: Bool? = asciiKey.flatMap { k in
      func same(_ s: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard s.allSatisfy({ $0 < 0x80 }) else { return nil }
        return PackedLog.same(s, k)
      }
      switch slot {
      case .absent: return nil
      case .bytes(let start, let n):
        return bytes.withUnsafeBufferPointer { b in same(UnsafeBufferPointer(rebasing: b[start..<(start + n)])) }
      case .slice(let offset, let n):
        return withBytes(line, offset, n) { same($0) }
      case .named(let i):
        return same(CaptureNameIndex.shipped.bytes(at: i))
      case .lineEnd, .text, .escaped, .klog: return nil
      }
    }
    if let answer { return answer }
    return (resolve(slot, line: line, text: nil) ?? "") == key
  }

  /// `i` moved past the slot at `i` as `slot(&i)` moves it, nothing built: a form byte and its
  /// counts read through `b`, the bytes. Building each slot before the one a reading wants (an
  /// enum with its payload, from a call, each count from another) was most of `container`'s cost,
  /// which diagnosis asks of every kept record (callgrind, docs/architecture.md "Speed of the
  /// kubelet-log path"). `PackedSkipTests` holds every reading to the walk before.
  @inline(__always)
  private static func skip(_ i: inout Int, _ b: UnsafeBufferPointer<UInt8>) {
    guard i < b.count else { return }
    let form = b[i]
    i += 1
    switch form {
    case Form.bytes.rawValue:
      let n = Int(truncatingIfNeeded: leb(&i, b))
      i += n
    case Form.lineEnd.rawValue: _ = leb(&i, b)
    case Form.slice.rawValue, Form.escaped.rawValue:
      _ = leb(&i, b)
      _ = leb(&i, b)
    case Form.klog.rawValue:
      let n = Int(truncatingIfNeeded: leb(&i, b))
      guard n >= 0, n <= b.count - i else { return }
      i += n
    // `absent`, `text`, a name and any byte that is no form: the form byte alone.
    default: break
    }
  }

  /// The LEB128 number at `i` in `b` (seven bits a byte, low bits first; a number cut by `b`'s
  /// end is what is there), `i` moved past it. The one reader of the array (`unsigned`) and of a
  /// buffer over it (`skip`), where each had its own loop; the same bytes read the same number.
  @inline(__always)
  static func leb<C: RandomAccessCollection<UInt8>>(_ i: inout Int, _ b: C) -> UInt where C.Index == Int {
    var n: UInt = 0
    var shift: UInt = 0
    while i < b.endIndex {
      let x = b[i]
      i += 1
      n |= UInt(x & 0x7F) << shift
      if x < 0x80 { break }
      shift += 7
    }
    return n
  }

  /// The line's slot, the text's, and where the string `k` places after the text begins (0 the
  /// message, 5 the container, 6 the captures' count), the strings between skipped (`skip`).
  private func lineAndText(skipping k: Int) -> (line: Slot, text: Slot, at: Int) {
    var i = stringsStart
    let line = slot(&i)
    let text = slot(&i)
    bytes.withUnsafeBufferPointer { b in
      for _ in 0..<k { Self.skip(&i, b) }
    }
    return (line, text, i)
  }

  /// One of the six strings after the line and the text, `k` places after the text, read in its
  /// line.
  private func string(skipping k: Int) -> String? {
    let (line, text, at) = lineAndText(skipping: k)
    var i = at
    return string(slot(&i), line: line, text: text)
  }

  /// Where the captures' count is, with the line's slot.
  private var capturesAt: (line: Slot, at: Int) {
    let (line, _, at) = lineAndText(skipping: 6)
    return (line, at)
  }

  /// Where the fields' count is (past the captures' pairs, skipped), with the line's slot.
  private var fieldsAt: (line: Slot, at: Int) {
    let (line, _, at) = lineAndText(skipping: 6)
    var i = at
    bytes.withUnsafeBufferPointer { b in
      let n = Int(truncatingIfNeeded: Self.leb(&i, b))
      for _ in 0..<n {
        Self.skip(&i, b)
        Self.skip(&i, b)
      }
    }
    return (line, i)
  }

  /// The value of the first pair at `i` (a count, then keys and values) whose key is `key`.
  func value(_ key: String, pairsAt i: Int, line: Slot) -> String? {
    // A copy to take the bytes of: `key` itself is read inside, when compared as a `String`.
    var bytesOfKey = key
    return bytesOfKey.withUTF8 { k in
      let asciiKey = k.allSatisfy({ $0 < 0x80 }) ? k : nil
      return withLine(line) { l in
        var i = i
        let n = count(&i)
        for _ in 0..<n {
          let s = slot(&i)
          let v = slot(&i)
          if slot(s, line: l, is: key, asciiKey: asciiKey) { return resolve(v, line: l, text: nil) ?? "" }
        }
        return nil
      }
    }
  }

  /// The pairs at `i`, as `pairs(_:line:sharing:)` reads them.
  func pairs(at i: Int, line: Slot) -> [KeyValue] {
    withLine(line) { l in
      var i = i
      let n = count(&i)
      var out: [KeyValue] = []
      out.reserveCapacity(n)
      for _ in 0..<n {
        let k = slot(&i)
        let v = slot(&i)
        out.append(KeyValue(resolve(k, line: l, text: nil) ?? "", resolve(v, line: l, text: nil) ?? ""))
      }
      return out
    }
  }

  /// The string at `slot`, one of the record's eight before the pairs, read in its line (at
  /// `line`; `text` is the text's slot).
  func string(_ slot: Slot, line: Slot, text: Slot) -> String? {
    switch slot {
    case .absent: return nil
    case .bytes, .named: return resolve(slot, line: nil, text: nil)
    default: return withLine(line) { l in resolve(slot, line: l, text: text) }
    }
  }

  // What a rule or a report reads of a record, built from the packed bytes when asked: each is
  // the same property of `record` (`PodLogsTests`), without building the others.

  /// `record.evidence`.
  package var evidence: Evidence {
    var i = stringsStart
    return Evidence(ref: ref, text: resolve(slot(&i), line: nil, text: nil) ?? "")
  }

  /// `record.text`.
  package var text: String {
    var i = stringsStart
    let line = slot(&i)
    let text = slot(&i)
    return withLine(line) { l in resolve(text, line: l, text: nil) } ?? ""
  }

  /// `record.message`.
  package var message: String { string(skipping: 0) ?? "" }

  /// `record.severity`.
  package var severity: String? { string(skipping: 1) }

  /// `record.node`.
  package var node: String? { string(skipping: 2) }

  /// `record.namespace`.
  package var namespace: String? { string(skipping: 3) }

  /// `record.pod`.
  package var pod: String? { string(skipping: 4) }

  /// `record.container`.
  package var container: String? { string(skipping: 5) }

  /// `record.fields`.
  package var fields: [KeyValue] {
    let (line, at) = fieldsAt
    return pairs(at: at, line: line)
  }

  /// `record.captures`.
  package var captures: [KeyValue] {
    let (line, at) = capturesAt
    return pairs(at: at, line: line)
  }

  /// `record.field(key)`: the value of the first field named `key`.
  package func field(_ key: String) -> String? {
    let (line, at) = fieldsAt
    return value(key, pairsAt: at, line: line)
  }

  /// `record.capture(key)`: the value of the first capture named `key`.
  package func capture(_ key: String) -> String? {
    let (line, at) = capturesAt
    return value(key, pairsAt: at, line: line)
  }

  /// Where a capture's value is in a record's encoding (`firstCaptures`), read with
  /// `captureValue(at:)` of the same record.
  package struct CapturePlace: Sendable, Hashable {
    let at: Int
  }

  /// For each of `keys.keys` that names one of the record's captures, `found(k, place, value)`:
  /// `k` the key's index, `place` where the value of the first capture so named is, whose
  /// `captureValue(at:)` is `capture(keys.keys[k])`, and that value when the key is one of those
  /// read (`k < keys.reading`), else nil. In one walk over the pairs, in their order; a key the
  /// record lacks is not handed over. A shipped name is told by its place
  /// (`CaptureKeys.byName`), any other name built and compared as `value(_:pairsAt:line:)`
  /// compares it; only the values read are built, in the line seen once. `captures` built every
  /// name and value of a probe line for the two or three a probe rule reads (docs/architecture.md
  /// "Speed of the probe rules"; `PackedCaptureKeysTests` holds it to `capture(_:)` and
  /// `captures`).
  package func firstCaptures(_ keys: CaptureKeys, _ found: (Int, CapturePlace, String?) -> Void) {
    let count = keys.keys.count
    guard count > 0 else { return }
    let all: UInt32 = count == 32 ? .max : (1 << UInt32(count)) &- 1
    let (line, at) = capturesAt
    withLine(line) { l in
      var i = at
      var n = self.count(&i)
      var seen: UInt32 = 0
      bytes.withUnsafeBufferPointer { b in
        while n > 0, seen != all {
          n -= 1
          var k = -1
          if i < b.count, b[i] >= Form.named.rawValue, Int(b[i] &- Form.named.rawValue) < keys.byName.count {
            k = Int(keys.byName[Int(b[i] &- Form.named.rawValue)])
            i += 1
          } else {
            let key = slot(&i)
            k = keys.index(of: resolve(key, line: l, text: nil) ?? "") ?? -1
          }
          if k >= 0, seen & (1 << UInt32(k)) == 0 {
            seen |= 1 << UInt32(k)
            if k < keys.reading {
              let place = CapturePlace(at: i)
              found(k, place, resolve(slot(&i), line: l, text: nil) ?? "")
              continue
            }
            found(k, CapturePlace(at: i), nil)
          }
          Self.skip(&i, b)
        }
      }
    }
  }

  /// The value at `place` (`firstCaptures`): what `capture(_:)` answers for the key found there.
  package func captureValue(at place: CapturePlace) -> String {
    var i = stringsStart
    let line = slot(&i)
    var at = place.at
    let value = slot(&at)
    switch value {
    case .absent, .bytes, .named: return resolve(value, line: nil, text: nil) ?? ""
    default: return withLine(line) { resolve(value, line: $0, text: nil) } ?? ""
    }
  }

  func string(_ i: inout Int, line: String?, text: String?) -> String? {
    guard i < bytes.count else { return nil }
    let (form, name) = form(at: i)
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
    case .slice:
      let offset = count(&i)
      let n = count(&i)
      guard var line else { return nil }
      return line.withUTF8 { l in
        guard offset <= l.count, n <= l.count - offset else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: l[offset..<(offset + n)]), as: UTF8.self)
      }
    case .escaped:
      let offset = count(&i)
      let n = count(&i)
      guard var line else { return nil }
      return line.withUTF8 { l in
        guard offset <= l.count, n <= l.count - offset else { return nil }
        return PackedLog.unescape(UnsafeBufferPointer(rebasing: l[offset..<(offset + n)]))
      }
    case .text: return text
    case .klog:
      let n = count(&i)
      guard n >= 0, n <= bytes.count - i else { return nil }
      defer { i += n }
      return klogLine(start: i, end: i + n).map { string($0) }
    case .named: return name < CaptureNameIndex.names.count ? CaptureNameIndex.names[name] : ""
    case .absent, nil: return nil
    }
  }

  /// `string(_:line:text:)`, a string of more bytes than a `String` holds inline taken from
  /// `strings` when an equal one was built before.
  func string(_ i: inout Int, line: String?, text: String?, sharing strings: inout SharedStrings) -> String? {
    guard let s = string(&i, line: line, text: text) else { return nil }
    return strings.shared(s)
  }

  func pairs(_ i: inout Int, line: String, sharing strings: inout SharedStrings) -> [KeyValue] {
    let n = count(&i)
    var out: [KeyValue] = []
    out.reserveCapacity(n)
    for _ in 0..<n {
      let key = string(&i, line: line, text: nil, sharing: &strings) ?? ""
      out.append(KeyValue(key, string(&i, line: line, text: nil, sharing: &strings) ?? ""))
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
