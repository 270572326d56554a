import Foundation

/// What a pure reading of a text gave, held per hash of the text's bytes for the next text of the
/// same bytes: the age cells of a run of describes' Events tables (`AgeMemo`) and their probe
/// values (`ProbeLineCache`) repeat from pod to pod.
///
/// `slots` places in sets of `ways` (as `KubectlLineMemo`): a text's set is the top bits of
/// `KubectlLineMemo.hash` of its bytes, each place of the set whose text has the length of the
/// text's is confirmed on the whole text with `memcmp`, and a text not held takes an empty place
/// of its set, or the one the hash's next bits name. One place to a text (direct-mapped), the
/// probe values of a run of describes evicted each other: 118 readings of 124,000 instructions
/// where the dictionary made 20. The dictionaries of `Substring`s this replaced hashed every text
/// with SipHash and compared it as a string, about 1,150–1,350 instructions a look
/// (docs/architecture.md "Speed of the describe path"). Which texts it holds changes no answer: a
/// held value is the one `make` gave for the same bytes, and callers hand it only readings that
/// depend on the text alone, of ASCII texts (where byte equality is `Substring` equality).
struct TextMemo<Value> {
  static var slots: Int { 256 }
  static var ways: Int { 4 }
  /// The byte count of each place's text; -1: empty.
  private var counts: [Int] = []
  private var keys: [[UInt8]] = []
  private var values: [Value?] = []

  init() {}

  /// `make(text)`, or what it gave for an earlier text of the same bytes.
  mutating func value(_ text: Substring, _ make: (Substring) -> Value) -> Value {
    if counts.isEmpty {
      counts = Array(repeating: -1, count: Self.slots)
      keys = Array(repeating: [], count: Self.slots)
      values = Array(repeating: nil, count: Self.slots)
    }
    let look = text.utf8.withContiguousStorageIfAvailable { bytes -> (slot: Int, held: Bool) in
      let hash = KubectlLineMemo.hash(bytes)
      let set = (Int(truncatingIfNeeded: hash >> 58) * Self.ways) & (Self.slots - 1)
      var empty = -1
      for slot in set..<(set + Self.ways) {
        let count = counts[slot]
        if count < 0 {
          if empty < 0 { empty = slot }
          continue
        }
        guard count == bytes.count else { continue }
        let same = keys[slot].withUnsafeBufferPointer { k -> Bool in
          guard let a = k.baseAddress, let b = bytes.baseAddress else { return true }
          return memcmp(a, b, count) == 0
        }
        if same { return (slot, true) }
      }
      return (empty >= 0 ? empty : set + Int(truncatingIfNeeded: (hash >> 56) & UInt64(Self.ways - 1)), false)
    }
    // Bytes not stored contiguously (none on Linux): read afresh.
    guard let (slot, held) = look else { return make(text) }
    if held, let value = values[slot] { return value }
    let value = make(text)
    counts[slot] = text.utf8.count
    keys[slot] = Array(text.utf8)
    values[slot] = value
    return value
  }
}

extension TextMemo: Sendable where Value: Sendable {}
