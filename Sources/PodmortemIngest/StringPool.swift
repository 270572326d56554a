/// Strings that repeat from one document to the next (a field path, a reason, a recurring
/// message) built once and shared: a direct-mapped table of the latest string read per hash of its
/// bytes. A string that is not in the table is built and takes its slot, so a table of unique
/// strings costs one comparison each. Strings of up to 15 bytes live inside the `String` value
/// itself: from bytes, they are kept in a table of their own by their bytes, which spares building
/// them again (`short`), not memory. Long values rarely repeat: only the lengths between are
/// looked up (a cited line, which most events repeat verbatim, up to `longestLine`).
struct StringPool: Sendable {
  static let slots = 4096
  static let shortest = 16
  static let longest = 128
  private var table: [String?] = []
  /// The short strings (1 to 15 bytes) read last, by `shortSlot`: three words a slot (`shortKey`,
  /// the count in the third, zero for an empty slot) in `shortKeys`, the string in `shortTexts`.
  static let shortSlots = 1024
  private var shortKeys: [UInt64] = []
  private var shortTexts: [String] = []

  init() {}

  /// The lines an object cites, their texts shared: most events repeat a message verbatim
  /// (`"message": "Liveness probe failed: …",`), and every event keeps its line.
  mutating func shared(_ evidence: ObjectEvidence) -> ObjectEvidence {
    var e = evidence
    if let text = e.message?.text { e.message?.text = string(text, longest: Self.longestLine) }
    if let text = e.name?.text { e.name?.text = string(text, longest: Self.longestLine) }
    if let text = e.first?.text { e.first?.text = string(text, longest: Self.longestLine) }
    return e
  }

  /// The longest cited line looked up.
  static let longestLine = 512

  /// `text` itself, or the equal string the table holds (which `text` then replaces in its slot
  /// when they differ).
  mutating func string(_ text: String, longest: Int) -> String {
    var text = text
    let count = text.utf8.count
    guard count >= Self.shortest, count <= longest else { return text }
    if table.isEmpty { table = Array(repeating: nil, count: Self.slots) }
    let (slot, held) = text.withUTF8 { bytes -> (Int, String?) in
      let slot = Self.slot(bytes)
      if let held = self.table[slot], Self.same(held, bytes) { return (slot, held) }
      return (slot, nil)
    }
    if let held { return held }
    table[slot] = text
    return text
  }

  /// `string(EvidencePicker.trimmedBlanks(text), longest:)` when `text`, trimmed of spaces and
  /// tabs at both ends, is not empty and begins and ends with an ASCII byte (then no Unicode
  /// space is left at an end for Foundation to trim, and the trimmed text is those bytes);
  /// nil otherwise, for the caller to take that path. A held string is found from the bytes,
  /// so the trimmed copy is made only when the pool does not hold it.
  mutating func trimmedLine(_ text: String, longest: Int) -> String? {
    // A native string's bytes are read where they lie: `withUTF8` needs a mutable copy (a retain
    // and a release a line).
    if let answer = text.utf8.withContiguousStorageIfAvailable({ trimmedLine(bytes: $0, longest: longest) }) {
      return answer
    }
    var text = text
    return text.withUTF8 { trimmedLine(bytes: $0, longest: longest) }
  }

  private mutating func trimmedLine(bytes all: UnsafeBufferPointer<UInt8>, longest: Int) -> String? {
    var start = 0
    var end = all.count
    while start < end, all[start] == 0x20 || all[start] == 0x09 { start += 1 }
    while start < end, all[end - 1] == 0x20 || all[end - 1] == 0x09 { end -= 1 }
    guard start < end, all[start] < 0x80, all[end - 1] < 0x80 else { return nil }
    return string(UnsafeBufferPointer(rebasing: all[start..<end]), longest: longest)
  }

  /// True when `held` is the UTF-8 `bytes`: compared through pointers when the string's
  /// bytes are contiguous (a native string always is), not byte by byte through `String.UTF8View`'s
  /// generic `elementsEqual`, which was a third of this pool's time on an EventList (issue 16, perf).
  static func same(_ held: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let utf8 = held.utf8
    guard utf8.count == bytes.count else { return false }
    if let equal = utf8.withContiguousStorageIfAvailable({ stored in equalBytes(stored, bytes) }) {
      return equal
    }
    return utf8.elementsEqual(bytes)
  }

  /// True when `a` and `b` hold the same bytes: eight bytes a word (unaligned loads), the last
  /// fewer than eight byte by byte. The byte loop it replaced was a quarter of the pool's time on
  /// an EventList, whose pooled strings are 16 to 128 bytes (issue 16, callgrind).
  static func equalBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = a.count
    guard n == b.count else { return false }
    guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
    let (ra, rb) = (UnsafeRawPointer(pa), UnsafeRawPointer(pb))
    var i = 0
    while i + 8 <= n {
      guard ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      else { return false }
      i += 8
    }
    while i < n {
      guard pa[i] == pb[i] else { return false }
      i += 1
    }
    return true
  }

  /// The slot of `bytes`: their words multiplied and folded in (the last word may overlap the one
  /// before it), then mixed down (the finaliser of SplitMix64, https://prng.di.unimi.it/splitmix64.c).
  /// Any function of the bytes alone serves, since a slot only decides which equal strings are
  /// shared; FNV-1a byte by byte (http://www.isthe.com/chongo/tech/comp/fnv/) was most of the
  /// pool's own instructions. Fewer than eight bytes (never asked: the pool looks up 16 or more)
  /// are folded in one at a time.
  static func slot(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    let n = bytes.count
    var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
    if n >= 8, let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      var i = 0
      while i + 8 < n {
        h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
        i += 8
      }
      h = (h ^ raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0x0000_0100_0000_01B3
    } else {
      for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }
    h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 31
    return Int(truncatingIfNeeded: h & UInt64(slots - 1))
  }

  /// `String(decoding: bytes, as: UTF8.self)` of 1 to 15 bytes, kept by their bytes: such a
  /// string lives inside the `String` value (nothing is shared or allocated), but building it
  /// (`String(decoding:)`, which checks the bytes again) was about 180 instructions, and an
  /// EventList's short values repeat (`v1`, `Pod`, `kubelet`, a reason, a node): 99,720 in the
  /// 8 MiB list, 16,899 distinct (issue 16, callgrind). The bytes are held as the two words
  /// `shortKey` reads and their count, so a slot answers only for the same bytes, and the string it
  /// gives is the one those bytes made. `StringPoolShortTests` holds it to `String(decoding:)`.
  private mutating func short(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let (low, high) = Self.shortKey(bytes)
    let count = UInt64(truncatingIfNeeded: bytes.count)
    if shortKeys.isEmpty {
      shortKeys = Array(repeating: 0, count: 3 * Self.shortSlots)
      shortTexts = Array(repeating: "", count: Self.shortSlots)
    }
    let slot = Self.shortSlot(low, high, count)
    if shortKeys[3 * slot + 2] == count, shortKeys[3 * slot] == low, shortKeys[3 * slot + 1] == high {
      return shortTexts[slot]
    }
    let text = String(decoding: bytes, as: UTF8.self)
    shortKeys[3 * slot] = low
    shortKeys[3 * slot + 1] = high
    shortKeys[3 * slot + 2] = count
    shortTexts[slot] = text
    return text
  }

  /// Two words that, with the count, give back every byte of `bytes` (1 to 15 of them): loads of
  /// the first and the last bytes of one width, overlapping when the count is not twice the
  /// width (8 for 8 to 15 bytes, 4 for 4 to 7, 2 for 2 and 3, the byte itself for 1), so every
  /// byte is in one of them and none is read outside `bytes`.
  static func shortKey(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
    let n = bytes.count
    guard n > 0, let base = bytes.baseAddress else { return (0, 0) }
    let raw = UnsafeRawPointer(base)
    if n >= 8 {
      return (
        raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
      )
    }
    if n >= 4 {
      return (
        UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)),
        UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
      )
    }
    if n >= 2 {
      return (
        UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt16.self)),
        UInt64(raw.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self))
      )
    }
    return (UInt64(base[0]), 0)
  }

  /// The slot of a short key: any function of it serves (a slot only decides which equal strings
  /// are shared); SplitMix64's finaliser over the words folded with the count.
  @inline(__always)
  static func shortSlot(_ low: UInt64, _ high: UInt64, _ count: UInt64) -> Int {
    var h = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &+ count &* 0x0000_0100_0000_01B3)
    h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 31
    return Int(truncatingIfNeeded: h & UInt64(shortSlots - 1))
  }

  /// The string of the UTF-8 `bytes` (already validated), pooled when its length is between
  /// `shortest` and `longest`.
  mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, longest: Int = Self.longest) -> String {
    guard bytes.count >= Self.shortest, bytes.count <= longest else {
      if bytes.count > 0, bytes.count < Self.shortest { return short(bytes) }
      return String(decoding: bytes, as: UTF8.self)
    }
    if table.isEmpty { table = Array(repeating: nil, count: Self.slots) }
    let slot = Self.slot(bytes)
    if let held = table[slot], Self.same(held, bytes) { return held }
    let s = String(decoding: bytes, as: UTF8.self)
    table[slot] = s
    return s
  }
}
