import Foundation
import PodmortemText

/// The shipped patterns' capture names (`PatternCatalog.shippedCaptureNames`) found by their
/// bytes: a kept record writes a capture's name as its place in that list, one byte, instead of
/// the name's bytes (`podUID`, `container`, `event.statusCode`, …: 0.8 of the 9.7 MB of kept
/// buffers of an 8 MiB slice of the bench log, docs/architecture.md "Memory of the kubelet-log
/// run"). The ring of a sample's last records repacks on nearly every line, so a name is looked
/// up in an open-addressed table of the names' places keyed on a few of their bytes and checked
/// with one `memcmp`, not hashed whole as a `Dictionary` key would be. Built once, never freed.
struct CaptureNameIndex: @unchecked Sendable {
  /// How many names a one-byte form can stand for (`PackedLog`'s `Form.named` and the bytes above it).
  static let most = 192
  /// The table's size: a power of two over twice the most names, so a probe ends soon.
  private static let slotCount = 512

  /// How many names it holds.
  let count: Int
  /// Each name's bytes, one after another, and where each begins and ends.
  private let bytes: UnsafeMutablePointer<UInt8>
  private let starts: UnsafeMutablePointer<Int>
  private let ends: UnsafeMutablePointer<Int>
  /// `slotCount` places: a name's index plus one, 0 for none.
  private let slots: UnsafeMutablePointer<UInt8>

  /// The shipped names a form stands for, at their places (as many as a form can stand for).
  /// Only pointers are held by the index itself, so a look-up retains nothing.
  static let names = Array(PatternCatalog.shippedCaptureNames.prefix(most))
  static let shipped = CaptureNameIndex(names)

  /// The index of `list`'s first `most` names. A name given twice is found at its first place
  /// (the first inserted is the first probed), and either place reads back the same bytes.
  init(_ all: [String]) {
    let list = Array(all.prefix(Self.most))
    count = list.count
    let total = list.reduce(0) { $0 + $1.utf8.count }
    bytes = .allocate(capacity: max(1, total))
    starts = .allocate(capacity: max(1, list.count))
    ends = .allocate(capacity: max(1, list.count))
    slots = .allocate(capacity: Self.slotCount)
    slots.initialize(repeating: 0, count: Self.slotCount)
    var at = 0
    for (i, name) in list.enumerated() {
      starts[i] = at
      for b in name.utf8 {
        bytes[at] = b
        at += 1
      }
      ends[i] = at
      var s = Self.hash(UnsafeBufferPointer(start: bytes + starts[i], count: at - starts[i]))
      while slots[s] != 0 { s = (s + 1) & (Self.slotCount - 1) }
      slots[s] = UInt8(i + 1)
    }
  }

  /// A name's place in the table: its length and first, middle and last bytes, mixed.
  @inline(__always)
  private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
    let n = b.count
    guard n > 0, let p = b.baseAddress else { return 0 }
    let h = n &* 0x9E37 ^ Int(p[0]) &* 0x3B ^ Int(p[n &>> 1]) &* 0x1F3 ^ Int(p[n &- 1]) &* 0x61
    return (h ^ h &>> 9) & (slotCount - 1)
  }

  /// The place of the name whose bytes are `b`, nil when none has them.
  @inline(__always)
  func index(of b: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let p = b.baseAddress, b.count > 0 else { return nil }
    var s = Self.hash(b)
    while true {
      let v = Int(slots[s])
      if v == 0 { return nil }
      let i = v &- 1
      // `sameBytes`: two loads from each for a name of at most 16 bytes, where `memcmp` was a
      // call for every name (docs/architecture.md "Speed of the kubelet-log path").
      if ends[i] &- starts[i] == b.count && PackedLog.sameBytes(bytes + starts[i], p, b.count) { return i }
      s = (s &+ 1) & (Self.slotCount - 1)
    }
  }

  /// The bytes of the name at `i` (a place `index(of:)` gave).
  func bytes(at i: Int) -> UnsafeBufferPointer<UInt8> {
    guard i >= 0, i < count else { return UnsafeBufferPointer(start: nil, count: 0) }
    return UnsafeBufferPointer(start: bytes + starts[i], count: ends[i] - starts[i])
  }
}
