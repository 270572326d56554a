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
/// A direct-mapped table: a line hashes to one slot (its bytes a word at a time, as `SharedBytes`),
/// which holds the latest line read there; a hit is confirmed with `memcmp` on the whole text. Only
/// lines of `shortest`…`longest` bytes are held. `KubectlLineMemoTests` compares every answer with
/// the one a fresh reading gives, on sample lines and seeded random ones repeated in random order,
/// with a table small enough that lines evict each other.
struct KubectlLineMemo {
  /// The fewest bytes a held line has (the hash reads a word of eight).
  static let shortest = 8
  /// The most bytes a held line has: longer ones are messages and rarely repeat.
  static let longest = 256

  private let slots: Int
  /// The line each slot holds, as read the first time, its words read ahead.
  private var held: [KubectlLine?] = []
  /// `KubectlTextParser.isBoundary` of each held line: 0 not asked yet, 1 no, 2 yes.
  private var boundaries: [UInt8] = []
  /// `TableHeader` of each held line, once asked (nil inside: not a header). Kept apart from the
  /// lines so that asking copies no line.
  private var headers: [TableHeader??] = []
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
  }

  /// `line` read as `KubectlLine(line)` reads it, and the slot that holds its reading (-1 when
  /// it is not held: too short or too long).
  mutating func read(_ line: Line) -> (line: KubectlLine, slot: Int) {
    let count = line.text.utf8.count
    guard slots > 0, count >= Self.shortest, count <= Self.longest else { return (KubectlLine(line), -1) }
    if held.isEmpty {
      held = Array(repeating: nil, count: slots)
      boundaries = Array(repeating: 0, count: slots)
      headers = Array(repeating: nil, count: slots)
    }
    let found = line.text.utf8.withContiguousStorageIfAvailable { bytes -> (Int, KubectlLine?, UInt64)? in
      guard let base = bytes.baseAddress else { return nil }
      let hash = SharedBytes.hash(UnsafeRawPointer(base), count: count)
      let slot = Int(truncatingIfNeeded: hash >> 32) & (slots - 1)
      guard let known = held[slot] else { return (slot, nil, hash) }
      let same =
        known.line.text.utf8.withContiguousStorageIfAvailable { h in
          guard let other = h.baseAddress, h.count == count else { return false }
          return memcmp(other, base, count) == 0
        } ?? false
      return (slot, same ? known : nil, hash)
    }
    guard let (slot, known, hash) = found ?? nil else { return (KubectlLine(line), -1) }
    if let known { return (KubectlLine(line, as: known), slot) }
    // Seen for the first time (as far as the bits tell): read, not held.
    if firstSighting(hash) { return (KubectlLine(line), -1) }
    // Read once as held (`KubectlLine(_:heldAs:)`), as `KubectlLine(line).held(as:)` reads it.
    let read = KubectlLine(line, heldAs: nextID)
    nextID += 1
    held[slot] = read
    boundaries[slot] = 0
    headers[slot] = nil
    return (read, slot)
  }

  /// True when no line read before had `hash`'s bit (which is set now).
  private mutating func firstSighting(_ hash: UInt64) -> Bool {
    if seen.isEmpty || seenCount >= Self.seenBits / 4 {
      seen = Array(repeating: 0, count: Self.seenBits / 64)
      seenCount = 0
    }
    // The top bits: they depend on every byte (the slot takes bits 32 up).
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
