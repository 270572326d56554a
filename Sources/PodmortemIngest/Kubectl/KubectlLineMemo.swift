import Foundation
import PodmortemInput

/// Lines read once per distinct text (docs/architecture.md "Speed of the describe path").
///
/// A run of describes repeats most of its lines byte for byte from pod to pod (`    Ready:
/// False`, a probe line, the Conditions and Volumes sections, an Events row such as `Normal
/// Pulled  14s (x3 over 31s)  kubelet  Container image … already present`): in the bench's 10,000
/// describes 97 % of the lines are a line seen before. What `KubectlTextParser` asks of every line
/// before any reader sees it depends on its text alone: the cleaned line (`KubectlLine`: text,
/// body, indentation, field, words), whether it is a boundary (`isBoundary`) and whether it is a
/// table header (`TableHeader`). So a line whose bytes equal a line held here is given the held
/// reading, its own number, and the held copy of its text (the same bytes: the evidence it is cited
/// by shares one string); the questions are asked once per distinct text.
///
/// A table of sets of `ways` slots: a line hashes to one slot (its bytes a word at a time, as
/// `SharedBytes`; a line of fewer than eight bytes as one word, `hash`), its home, tried first, and
/// then the other slots of its set; a slot whose hash bits (`tag`) are the line's is confirmed with
/// `memcmp` on the whole text. A line is held in an empty slot of its set, or in its home. The home
/// is the hash's top bits, which depend on every byte: taken from bits 32 up, as it was, lines that
/// differ in their last bytes only (`Restart Count:  0`, `2`, `3`; `Exit Code:    0`, `1`) shared a
/// slot and, one slot to a text, evicted each other on every pod; in the first 1,000 of the bench's
/// 10,000 describes, 596 texts that repeat were held anew 6,822 times, and each time read again,
/// asked again and given a new number (so the Events rows' memo missed them). In sets of four with
/// the top bits each is held once (600). Only lines of at most `longest` bytes are held: short ones
/// too (a describe's blank lines, `IPs:`, `Events:`: about one line in sixteen, each read afresh
/// and asked the boundary and header questions again when they were not held).
/// `KubectlLineMemoTests` compares every answer with the one a fresh reading gives, on sample lines
/// and seeded random ones repeated in random order, with a table small enough that lines evict each
/// other.
struct KubectlLineMemo {
  /// The most bytes a held line has: longer ones are messages and rarely repeat.
  static let longest = 256

  private let slots: Int
  /// The slots of a set (`slots` when fewer).
  private let ways: Int
  /// A line's home: its hash shifted right by this.
  private let shift: UInt64
  /// The line each slot holds, as read the first time, its words read ahead.
  private var held: [KubectlLine?] = []
  /// Sixteen bits of the hash of each held line (`tag`), compared before its text: a slot of
  /// another text is passed over without reaching the line it holds. Sixteen, not the whole hash:
  /// the table is made for every source, and zeroing 4,096 hashes of eight bytes cost a pasted
  /// describe 0.05 % more instructions (callgrind).
  private var tags: [UInt16] = []
  /// `KubectlTextParser.isBoundary` of each held line: 0 not asked yet, 1 no, 2 yes.
  private var boundaries: [UInt8] = []
  /// `TableHeader` of each held line, once asked (nil inside: not a header). Kept apart from the
  /// lines so that asking copies no line.
  private var headers: [TableHeader??] = []
  /// Per slot, the slot + 1 of the line read after its line the last time (0: none), and the slot
  /// of the line read last (-1: not held). A run of describes prints its lines in the same order
  /// from pod to pod, so the line after a held one is most often the one that followed it before:
  /// `held(_:number:)` compares that slot's text first and hashes the bytes only when it is another
  /// (docs/architecture.md "Speed of the describe path"). A text is held in one slot at most (it is
  /// held only when no slot holds it), so the slot found so is the one the hash would find.
  private var successors: [Int32] = []
  private var lastSlot = -1
  /// The number the next line held is known by (`KubectlLine.textID`).
  private var nextID = 1
  /// The hashes of lines read and not held, a bit each (`seenBits` of them): a line is held from
  /// the second time its hash is seen. A run of describes prints about one line in six once only
  /// (a pod's name, IP, container ID, start time, volume name, the Events rows that name it):
  /// held at once, each cost a held reading with its words read ahead and evicted a line that
  /// repeats. Emptied when a quarter of its bits are set, so that it keeps telling lines apart.
  private var seen: [UInt64] = []
  private var seenCount = 0
  static let seenBits = 1 << 18

  /// `slots`: a power of two; 0 holds nothing (every line read afresh, for tests).
  init(slots: Int = 4096) {
    precondition(slots >= 0 && slots & (slots - 1) == 0)
    self.slots = slots
    self.ways = min(4, slots)
    // The top log2(slots) bits (none of 64 for one slot: `>>` past the width gives 0).
    self.shift = UInt64(64 - max(slots, 1).trailingZeroBitCount)
  }

  /// `line` read as `KubectlLine(line)` reads it, and the slot that holds its reading (-1 when
  /// it is not held: too long, or seen for the first time).
  mutating func read(_ line: Line) -> (line: KubectlLine, slot: Int) {
    var strings = KubectlStrings()
    return read(line, strings: &strings)
  }

  /// `read(_:)`, a line held with the copy of its text `strings` holds (`KubectlStrings.held`):
  /// the same bytes, and the records that cite the line then cite the string `strings` holds, which
  /// it tells by its address instead of hashing and comparing its bytes each time a record leaves.
  mutating func read(_ line: Line, strings: inout KubectlStrings) -> (line: KubectlLine, slot: Int) {
    let count = line.text.utf8.count
    guard slots > 0, count <= Self.longest else { return (KubectlLine(line), -1) }
    if held.isEmpty {
      held = Array(repeating: nil, count: slots)
      tags = Array(repeating: 0, count: slots)
      successors = Array(repeating: 0, count: slots)
      boundaries = Array(repeating: 0, count: slots)
      headers = Array(repeating: nil, count: slots)
    }
    let found = line.text.utf8.withContiguousStorageIfAvailable { bytes -> (Int, KubectlLine?, UInt64)? in
      let hash = Self.hash(bytes)
      let home = Int(truncatingIfNeeded: hash >> shift) & (slots - 1)
      if let (slot, known) = find(bytes, hash: hash, home: home) { return (slot, known, hash) }
      return (home, nil, hash)
    }
    guard let (home, known, hash) = found ?? nil else {
      lastSlot = -1
      return (KubectlLine(line), -1)
    }
    if let known {
      follow(home)
      return (KubectlLine(line, as: known), home)
    }
    // Seen for the first time (as far as the bits tell): read, not held.
    if firstSighting(hash) {
      lastSlot = -1
      return (KubectlLine(line), -1)
    }
    // Read once as held (`KubectlLine(_:heldAs:)`), as `KubectlLine(line).held(as:)` reads it.
    var line = line
    if let shared = strings.held(line.text) { line.text = shared }
    let read = KubectlLine(line, heldAs: nextID)
    nextID += 1
    // An empty slot of the set, the home first; the home when all are taken.
    let set = home & ~(ways - 1)
    var slot = home
    for k in 0..<ways where held[set | ((home &+ k) & (ways - 1))] == nil {
      slot = set | ((home &+ k) & (ways - 1))
      break
    }
    held[slot] = read
    follow(slot)
    tags[slot] = Self.tag(hash)
    boundaries[slot] = 0
    headers[slot] = nil
    return (read, slot)
  }

  /// The slot of `home`'s set that holds a line whose text is `bytes` (whose hash is `hash`), and
  /// that line; nil when none does. The home first, then the rest of its set in turn.
  @inline(__always)
  private func find(
    _ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, home: Int
  ) -> (slot: Int, line: KubectlLine)? {
    let set = home & ~(ways - 1)
    for k in 0..<ways {
      let slot = set | ((home &+ k) & (ways - 1))
      guard tags[slot] == Self.tag(hash), let known = held[slot] else { continue }
      if Self.same(known, bytes) { return (slot, known) }
    }
    return nil
  }

  /// Line `number`, whose text is `bytes` decoded as UTF-8, as `read(_:)` reads it, when a line of
  /// those very bytes is held: the held reading, its slot, and the held copy of its text (a held
  /// text is valid UTF-8, so bytes equal to it decode to it unchanged). Nil when none is held (the
  /// line is then read from its `String` by `read(_:)`, which may hold it). Changes nothing:
  /// `read(_:)` of such a line changes nothing either. `KubectlTextParser.feed(bytes:number:emit:)`
  /// reads a repeated line this way without a `String` made of it (docs/architecture.md "Speed of
  /// the describe path").
  mutating func held(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) -> (line: KubectlLine, slot: Int)? {
    guard slots > 0, bytes.count <= Self.longest, !held.isEmpty else { return nil }
    if lastSlot >= 0 {
      let next = Int(successors[lastSlot]) &- 1
      if next >= 0, let known = held[next], Self.same(known, bytes) {
        lastSlot = next
        return (KubectlLine(number: number, as: known), next)
      }
    }
    let hash = Self.hash(bytes)
    let home = Int(truncatingIfNeeded: hash >> shift) & (slots - 1)
    guard let (slot, known) = find(bytes, hash: hash, home: home) else { return nil }
    follow(slot)
    return (KubectlLine(number: number, as: known), slot)
  }

  /// `slot` (-1: none) is the slot of the line read now: the successor of the line read before.
  @inline(__always) private mutating func follow(_ slot: Int) {
    if lastSlot >= 0, slot >= 0 { successors[lastSlot] = Int32(truncatingIfNeeded: slot &+ 1) }
    lastSlot = slot
  }

  /// True when `known`'s text is `bytes`.
  @inline(__always) private static func same(_ known: KubectlLine, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = bytes.count
    return known.line.text.utf8.withContiguousStorageIfAvailable { h in
      guard h.count == count else { return false }
      // Two empty texts are the same; a text of bytes has its storage's address.
      guard count > 0 else { return true }
      guard let other = h.baseAddress, let base = bytes.baseAddress else { return false }
      return memcmp(other, base, count) == 0
    } ?? false
  }

  /// A hash of `bytes`: `SharedBytes.hash` of eight or more; fewer (none included) make one word,
  /// the first byte lowest and the rest zero, folded with the count by the same multiplication
  /// (FxHash's constant, from rustc), whose top bits, which the slot and the seen bits take,
  /// depend on every byte. Any hash gives the same answers: a slot's line is compared whole.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    if bytes.count >= 8, let base = bytes.baseAddress {
      return SharedBytes.hash(UnsafeRawPointer(base), count: bytes.count)
    }
    var word: UInt64 = 0
    var shift: UInt64 = 0
    for byte in bytes {
      word |= UInt64(byte) << shift
      shift += 8
    }
    let count = UInt64(truncatingIfNeeded: bytes.count)
    return ((count << 5) ^ word) &* 0x517c_c1b7_2722_0a95
  }

  /// The bits of `hash` a slot keeps (`tags`): bits 36 to 51, below the home of a table of 4,096.
  @inline(__always) static func tag(_ hash: UInt64) -> UInt16 { UInt16(truncatingIfNeeded: hash >> 36) }

  /// True when no line read before had `hash`'s bit (which is set now).
  private mutating func firstSighting(_ hash: UInt64) -> Bool {
    if seen.isEmpty || seenCount >= Self.seenBits / 4 {
      seen = Array(repeating: 0, count: Self.seenBits / 64)
      seenCount = 0
    }
    // Bits 46 up: they depend on every byte (the home takes the top ones too; two lines of one set
    // share a bit only when six more bits agree).
    let bit = Int(truncatingIfNeeded: hash >> 46) & (Self.seenBits - 1)
    let mask: UInt64 = 1 << UInt64(bit & 63)
    if seen[bit >> 6] & mask != 0 { return false }
    seen[bit >> 6] |= mask
    seenCount += 1
    return true
  }

  /// `KubectlTextParser.isBoundary(line)`, asked once per held text.
  mutating func isBoundary(_ line: KubectlLine, slot: Int) -> Bool {
    guard slot >= 0 else { return KubectlTextParser.isBoundary(line) }
    if boundaries[slot] != 0 { return boundaries[slot] == 2 }
    let boundary = KubectlTextParser.isBoundary(line)
    boundaries[slot] = boundary ? 2 : 1
    return boundary
  }

  /// `TableHeader(line)`, read once per held text.
  mutating func header(_ line: KubectlLine, slot: Int) -> TableHeader? {
    guard slot >= 0 else { return TableHeader(line) }
    if let known = headers[slot] { return known }
    let header = TableHeader(line)
    headers[slot] = .some(header)
    return header
  }
}
