import Foundation
import PodmortemModel

@testable import PodmortemCorrelate

/// The reference for `PackedLog`'s encoding: `encode` and its `Writer` as they were before the
/// writer wrote a slice through one pointer, walked `find`'s candidates as pointers and read the
/// line's, text's and message's bytes without a copy of each (docs/architecture.md "Speed of the
/// kubelet-log path"). Kept, unchanged but for the names it reached in `PackedLog` (the forms'
/// raw values, the header's flags, `withUTF8`, `same`, `withEscaped`), so `PackedWriterTests` can
/// hold the encoding written now to the bytes written before, byte for byte. It writes the
/// escaped form (`Form.escaped`, docs/architecture.md "Memory of the kubelet-log run") as that
/// change wrote it, before the writer's speed-ups: the two were made side by side.
enum ReferencePackedEncoding {
  private enum Form: UInt8 {
    case absent = 0
    case bytes = 1
    case lineEnd = 2
    case text = 3
    case slice = 4
    case escaped = 5
  }

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

  /// `r`'s encoding as the reference writes it into room of `room` bytes, nil when it does not
  /// fit there.
  static func encoding(_ r: LogRecord, room: Int) -> [UInt8]? {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
      encode(r, into: buffer).map { Array(UnsafeBufferPointer(rebasing: buffer[..<$0])) }
    }
  }

  /// Room that holds any encoding of `r`: every string as its bytes, with its form and a count of
  /// at most 10 bytes, and every count and number of at most 10 bytes (`PackedLog.bound`'s sum).
  static func bound(_ r: LogRecord) -> Int {
    func most(_ s: String?) -> Int { s.map { 11 + $0.utf8.count } ?? 1 }
    var n = most(r.evidence.text) + most(r.text) + most(r.message) + most(r.severity) + most(r.node)
    n += most(r.namespace) + most(r.pod) + most(r.container) + 20
    n += 1 + 10 + (r.pastedAt.map { most($0.source) + 10 } ?? 0)
    for kv in r.fields { n += most(kv.key) + most(kv.value) }
    for kv in r.captures { n += most(kv.key) + most(kv.value) }
    return n
  }

  private static func encode(_ r: borrowing LogRecord, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
    var line = r.evidence.text
    var text = r.text
    var message = r.message
    return line.withUTF8 { l in
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
      w.put(r.evidence.text)
      if w.full { return nil }
      let textCount = text.utf8.count
      let lineEnd = text.withUTF8 { t in
        t.count <= l.count && PackedLog.same(UnsafeBufferPointer(rebasing: l[(l.count - t.count)...]), t)
      }
      // Where the record's text begins in the line, when it is the line's end.
      let textStart = lineEnd ? l.count - textCount : 0
      if lineEnd {
        w.byte(Form.lineEnd.rawValue)
        w.count(textCount)
      } else {
        w.put(r.text)
      }
      if message.withUTF8({ m in text.withUTF8 { t in PackedLog.same(m, t) } }) {
        w.byte(Form.text.rawValue)
      } else {
        w.put(r.message, within: textStart)
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
        for i in captures.indices {
          w.put(captures[i].key)
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

    private mutating func putBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
      byte(Form.bytes.rawValue)
      count(bytes.count)
      guard let from = bytes.baseAddress, bytes.count > 0 else { return }
      guard bytes.count <= buffer.count - at else {
        full = true
        return
      }
      guard let base = buffer.baseAddress else { return }
      UnsafeMutableRawPointer(base + at).copyMemory(from: from, byteCount: bytes.count)
      at += bytes.count
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
      PackedLog.withUTF8(s) { bytes in
        if let offset = find(bytes, from: start) {
          if putSlice(offset, bytes.count) { return }
        } else if let (offset, n) = findEscaped(bytes, from: start),
          putSlice(offset, n, of: bytes.count, form: .escaped)
        {
          return
        }
        putBytes(bytes)
      }
    }

    /// Writes a slice when it is shorter than the bytes it stands for; false otherwise.
    private mutating func putSlice(_ offset: Int, _ n: Int) -> Bool {
      guard Self.countSize(offset) + Self.countSize(n) < Self.countSize(n) + n else { return false }
      byte(Form.slice.rawValue)
      count(offset)
      count(n)
      return true
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
      // (a common first byte alone sent most candidates to `memcmp`).
      let first = Int32(needle[0])
      let last = bytes.count - 1
      let lastByte = needle[last]
      var at = start
      while line.count - at >= bytes.count {
        guard let hit = memchr(base + at, first, line.count - at - bytes.count + 1) else { return nil }
        at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        if base[at + last] == lastByte && memcmp(base + at, needle, bytes.count) == 0 { return at }
        at += 1
      }
      return nil
    }
  }
}
