import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PackedLog`'s writer writes a klog line's compact form and a slice through one pointer, and a
/// slice of a short length at an offset of the line's first 16 KiB inline (docs/architecture.md
/// "Speed of the kubelet-log path"). The bytes must be the bytes written before, in every room:
/// `ReferencePackedWriter` keeps the writer's `putLine` and `putSlice` as they were, and each
/// form is compared with it from several places in every room from none to past what it needs
/// (where the form is cut by the room's end, both must say it does not fit), on klog lines with
/// hostile bodies, hostile headers, lines cut short, long bodies (counts of two and three
/// bytes) and lines that are not klog's; and slices at the edges of one, two and three LEB128
/// bytes.
@Suite struct PackedWriterFormsTests {
  /// The reference: `PackedLog.Writer`'s `putLine` and `putSlice` before they were written through
  /// one pointer, with the writes they made (`byte`, `count`, `unsigned`, `putRaw`, `putBytes`,
  /// `leb`), unchanged but for the form bytes' names. Kept so the tests hold the writer to it.
  struct ReferencePackedWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    let line: UnsafeBufferPointer<UInt8>
    var at = 0
    var full = false

    static let bytesForm: UInt8 = 1
    static let sliceForm: UInt8 = 4
    static let klogForm: UInt8 = 6

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

    mutating func count(_ n: Int) { unsigned(UInt(n)) }

    mutating func unsigned(_ n: UInt) {
      var n = n
      while n >= 0x80 {
        byte(UInt8(n & 0x7F) | 0x80)
        n >>= 7
      }
      byte(UInt8(n))
    }

    mutating func putBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
      byte(Self.bytesForm)
      count(bytes.count)
      putRaw(bytes)
    }

    mutating func putRaw(_ bytes: UnsafeBufferPointer<UInt8>) {
      guard let from = bytes.baseAddress, bytes.count > 0 else { return }
      guard bytes.count <= buffer.count - at else {
        full = true
        return
      }
      guard let base = buffer.baseAddress else { return }
      UnsafeMutableRawPointer(base + at).copyMemory(from: from, byteCount: bytes.count)
      at += bytes.count
    }

    mutating func putLine() {
      guard let h = KlogHeaderForm.parse(line) else {
        putBytes(line)
        return
      }
      let bodyCount = line.count - h.bodyStart
      let parts =
        8 + Self.countSize(Int(h.pid)) + Self.countSize(h.file.count) + h.file.count
        + Self.countSize(Int(h.fileLine))
      let size = Self.countSize(h.bodyStart) + Self.countSize(parts) + parts + bodyCount
      byte(Self.klogForm)
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

    mutating func putSlice(_ offset: Int, _ n: Int) -> Bool {
      guard Self.countSize(offset) < n else { return false }
      guard buffer.count - at >= Self.longestSlice, let base = buffer.baseAddress else {
        byte(Self.sliceForm)
        count(offset)
        count(n)
        return true
      }
      var p = base + at
      p.pointee = Self.sliceForm
      p = Self.leb(UInt(offset), at: p + 1)
      p = Self.leb(UInt(n), at: p)
      at = p - base
      return true
    }

    static let longestSlice = 21

    static func leb(_ n: UInt, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
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

    /// What the reference writes of `line` from `at` in room of `room` bytes, nil when it does
    /// not fit: as `PackedLog.lineForm` answers.
    static func lineForm(_ line: [UInt8], room: Int, at: Int) -> [UInt8]? {
      line.withUnsafeBufferPointer { l in
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
          buffer.initialize(repeating: 0)
          var w = ReferencePackedWriter(buffer, line: l)
          w.at = at
          w.putLine()
          return w.full ? nil : Array(buffer[at..<w.at])
        }
      }
    }

    /// What the reference answers and writes for a slice: as `PackedLog.sliceForm` answers.
    static func sliceForm(offset: Int, count n: Int, room: Int, at: Int) -> (Bool, [UInt8]?) {
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
        buffer.initialize(repeating: 0)
        var w = ReferencePackedWriter(buffer, line: UnsafeBufferPointer(start: nil, count: 0))
        w.at = at
        let written = w.putSlice(offset, n)
        return (written, w.full ? nil : Array(buffer[at..<w.at]))
      }
    }
  }

  /// Whether the writer writes `line` as the reference does from a few places of every room up
  /// to a few bytes past what the form needs, and in ample room.
  static func expectLineFormsAgree(_ line: [UInt8]) {
    let needed = ReferencePackedWriter.lineForm(line, room: line.count + 64, at: 0)?.count ?? 0
    #expect(needed > 0)
    #expect(
      PackedLog.lineForm(line, room: line.count + 64, at: 0)
        == ReferencePackedWriter.lineForm(line, room: line.count + 64, at: 0))
    for at in [0, 1, 7] {
      // Every room near the form's end; far below it only a few.
      var rooms = Array(max(at, at + needed - 40)...(at + needed + 3))
      rooms += [at, at + 1, at + 2, at + 3, at + 10]
      for room in rooms {
        #expect(
          PackedLog.lineForm(line, room: room, at: at) == ReferencePackedWriter.lineForm(line, room: room, at: at))
      }
    }
  }

  /// Klog lines with hostile bodies (empty among them) and long ones, each cut short at places
  /// in its header; hostile headers; lines that are not klog's.
  @Test(arguments: 0..<8)
  func aLinesFormIsWrittenAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for n in 0..<60 {
      var body = Array(PackedEscapedTests.string(&rng, pieces: rng.below(12)).utf8)
      if n % 10 == 9 { body += [UInt8](repeating: UInt8(ascii: "x"), count: [120, 16_400][rng.below(2)]) }
      let line = PackedCompactFormsTests.klogLine(&rng, body: body)
      Self.expectLineFormsAgree(line)
      if n % 15 == 0 {
        for cut in stride(from: 0, to: min(line.count, 60), by: 3) { Self.expectLineFormsAgree(Array(line[..<cut])) }
      }
    }
    let hostile: [[UInt8]] = ["\u{212A}", "\u{130}", "\u{0}", "\r", "\t", "x", "7", " ", "0", ":", "]", "e\u{301}"]
      .map { Array($0.utf8) }
    for _ in 0..<100 {
      var line = PackedCompactFormsTests.klogLine(&rng, body: Array("\"Probe failed\" pod=\"prod/app\"".utf8))
      let at = rng.below(min(line.count, 50))
      line.replaceSubrange(at..<(at + 1), with: hostile[rng.below(hostile.count)])
      Self.expectLineFormsAgree(line)
    }
    for line in ["", "x", "2026-11-27T00:00:00.005030Z stdout F x", "I1127 00:00:00.005030    4187 prober.go:107] "] {
      Self.expectLineFormsAgree(Array(line.utf8))
    }
  }

  /// Slices at and around the edges of one, two and three LEB128 bytes for the offset and the
  /// length (the largest offset too, and a negative length, which the fast path must leave to
  /// the general one), from a few places in every room up to past the longest slice.
  @Test(arguments: 0..<4)
  func aSliceIsWrittenAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var offsets = [0, 1, 2, 3, 126, 127, 128, 129, 255, 16_383, 16_384, 16_385, 2_097_151, 2_097_152, Int.max]
    var counts = [0, 1, 2, 3, 4, 5, 126, 127, 128, 129, 16_383, 16_384, -1]
    for _ in 0..<12 {
      offsets.append(rng.below(40_000))
      counts.append(rng.below(300))
    }
    for offset in offsets {
      for n in counts {
        for at in [0, 3] {
          for room in at...(at + 24) {
            let new = PackedLog.sliceForm(offset: offset, count: n, room: room, at: at)
            let old = ReferencePackedWriter.sliceForm(offset: offset, count: n, room: room, at: at)
            #expect(new.0 == old.0)
            #expect(new.1 == old.1)
          }
        }
      }
    }
  }

  /// `sameBytes` answers as `memcmp` (the call `Writer.find` made, kept as the reference) for
  /// every length from 0 to 40 and every place of a single differing byte, on seeded random
  /// bytes, the hostile pieces' bytes (NUL, CR, a Kelvin sign, a dotted capital I, combining
  /// accents) and equal buffers.
  @Test(arguments: 0..<4)
  func sameBytesAnswersAsMemcmp(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for n in 0...40 {
      for _ in 0..<4 {
        var a = Array(PackedEscapedTests.string(&rng, pieces: n + 1).utf8.prefix(n))
        while a.count < n { a.append(UInt8(truncatingIfNeeded: rng.next())) }
        for place in -1..<n {
          var b = a
          if place >= 0 { b[place] ^= UInt8(truncatingIfNeeded: 1 &+ rng.below(255)) }
          let reference = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
              n == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, n) == 0
            }
          }
          let answer = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
              n == 0 || PackedLog.sameBytes(pa.baseAddress!, pb.baseAddress!, n)
            }
          }
          #expect(answer == reference)
          #expect(answer == (place < 0))
        }
      }
    }
  }
}
