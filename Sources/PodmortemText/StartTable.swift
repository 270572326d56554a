/// Per pair of first bytes a text may begin with, the matchers of a kind whose regex may match a
/// text beginning with them: every matcher without an anchored start (`AnchoredStart`), and every
/// anchored one with a start whose first two bytes, as its mask reads them, are those.
///
/// The look in order (`MatchIndex.first`) visits only these, in catalogue order, where it tested
/// every matcher's starts on every text's first word. A matcher left out has no start the text
/// begins with: `begins` (a text's first word under a start's mask equal to its value) implies the
/// first two bytes under the mask's first two bytes equal the value's, so the table admits a
/// superset of what `begins` admits, and the look still asks `begins` of each matcher it visits.
/// `StartTableTests` holds it to that on the shipped kinds and on seeded starts
/// (docs/architecture.md "Speed of the kubelet-log path").
///
/// Made once per kind, when the kind is first asked for: 256 first bytes, and 256 second bytes for
/// a first byte only where some start reads its second byte; the sets of matchers themselves are
/// kept once each (a few dozen for the kubelet kind).
struct StartTable: @unchecked Sendable {
  /// How many 64-bit words a set of matchers has.
  let words: Int
  /// Per first byte, a set's number, or `~k` for the `k`th table of second bytes.
  private let byFirst: UnsafeMutablePointer<Int32>
  /// Tables of 256 sets' numbers, per second byte.
  private let bySecond: UnsafeMutablePointer<Int32>
  /// The sets, `words` words each.
  private let sets: UnsafeMutablePointer<UInt64>

  /// The table for `matchers` matchers; `starts[index]` is matcher `index`'s starts (empty for a
  /// matcher without one, which every text may begin).
  init(matchers: Int, starts: [[AnchoredStart.Alternative]]) {
    let words = max((matchers + 63) / 64, 1)
    self.words = words
    var free = [UInt64](repeating: 0, count: words)
    var anchored: [(index: Int, value: UInt64, mask: UInt64)] = []
    for (index, own) in starts.enumerated() {
      if own.isEmpty {
        free[index >> 6] |= 1 << UInt64(index & 63)
      } else {
        for start in own { anchored.append((index, start.value & 0xFFFF, start.mask & 0xFFFF)) }
      }
    }
    var numbers: [[UInt64]: Int32] = [:]
    var sets: [UInt64] = []
    // A set's number, the same set kept once; asked only when the set differs from the last.
    var last: (set: [UInt64], number: Int32)? = nil
    func number(_ set: [UInt64]) -> Int32 {
      if let last, last.set == set { return last.number }
      let found: Int32
      if let known = numbers[set] {
        found = known
      } else {
        found = Int32(sets.count / words)
        numbers[set] = found
        sets += set
      }
      last = (set, found)
      return found
    }
    var byFirst = [Int32](repeating: 0, count: 256)
    var bySecond: [Int32] = []
    // Without an anchored start (a kind that is not looked at in order, a detail domain) every
    // text gets the one set, all matchers: the table is not read then, and is made at no cost.
    for first in 0..<256 where !anchored.isEmpty {
      let key = UInt64(first)
      let here = anchored.filter { key & $0.mask & 0xFF == $0.value & 0xFF }
      if here.allSatisfy({ $0.mask & 0xFF00 == 0 && $0.value & 0xFF00 == 0 }) {
        var set = free
        for start in here { set[start.index >> 6] |= 1 << UInt64(start.index & 63) }
        byFirst[first] = number(set)
      } else {
        byFirst[first] = ~Int32(bySecond.count / 256)
        for second in 0..<256 {
          let key = UInt64(first) | UInt64(second) << 8
          var set = free
          for start in here where key & start.mask == start.value {
            set[start.index >> 6] |= 1 << UInt64(start.index & 63)
          }
          bySecond.append(number(set))
        }
      }
    }
    if sets.isEmpty { sets = free }
    self.byFirst = Self.stored(byFirst)
    self.bySecond = Self.stored(bySecond)
    self.sets = Self.stored(sets)
  }

  /// The matchers a text whose first eight bytes are `firstWord` (`AnchoredStart.firstWord`, zeros
  /// past its end) may match: `words` words, matcher `index` at bit `index & 63` of word
  /// `index >> 6`.
  @inline(__always)
  func matchers(_ firstWord: UInt64) -> UnsafePointer<UInt64> {
    var number = Int(byFirst[Int(truncatingIfNeeded: firstWord & 0xFF)])
    if number < 0 {
      number = Int(bySecond[(~number) &* 256 &+ Int(truncatingIfNeeded: (firstWord >> 8) & 0xFF)])
    }
    return UnsafePointer(sets + number &* words)
  }

  /// `values` in storage of their own (room for one at least); the table lives as long as the
  /// index that holds it, which frees it (`free`).
  private static func stored<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
    let storage = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
    _ = UnsafeMutableBufferPointer(start: storage, count: values.count).initialize(from: values)
    return storage
  }

  /// Gives back the table's storage; called once, by its owner's `deinit`.
  func free() {
    byFirst.deallocate()
    bySecond.deallocate()
    sets.deallocate()
  }
}
