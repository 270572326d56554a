/// Every literal of a set of patterns, found in one pass over a text: an Aho–Corasick automaton
/// (Aho & Corasick, "Efficient string matching", CACM 18(6), 1975) compiled to a DFA over byte
/// classes, so a line costs one table step per byte however many patterns and literals there are.
/// `PatternCatalog` runs it once per line and then runs PCRE2 only for the patterns whose literals
/// all occur (docs/patterns.md "Matching").
///
/// The answer is exactly `Literal.occurs` for each literal (case-sensitive, byte-wise, overlapping
/// occurrences included): a test checks it against every shipped pattern's examples.
package struct LiteralSet: Sendable {
  /// The literals, by id (their index).
  package let literals: [[UInt8]]
  /// The byte class of each byte: one class per byte that occurs in some literal, class 0 for the rest.
  private let classOf: [UInt8]
  private let classCount: Int
  /// `transitions[row + class]`, where `row` is a state's number times `classCount`: the next
  /// state's row, with `outputFlag` set when some literal ends there (one load per byte, and one
  /// more only where a literal ends).
  private let transitions: [UInt32]
  private static let outputFlag: UInt32 = 1 << 31
  /// Per state, the range of `outputs` holding the ids of the literals that end there (its own and
  /// those of its suffix states).
  private let outputStart: [UInt32]
  private let outputs: [UInt32]
  /// The longest literal's length in bytes: a text at least `splitMinimum` longer is walked as two
  /// halves at once, overlapping by this much less one (`scan`).
  private let longest: Int
  /// How much longer than twice `longest` a text must be to be walked as two halves.
  static let splitMinimum = 64

  /// How many 64-bit words a `found` mask of this set has.
  package var wordCount: Int { (literals.count + 63) / 64 }

  /// The largest transition table built (16 Mi entries, 64 MiB); a bigger set of literals (a
  /// `--patterns DIR` of megabytes of them) is searched literal by literal instead.
  package static let maxTableEntries = 1 << 24

  /// Builds the automaton; an empty literal occurs everywhere and is not looked for.
  package init(_ literals: [[UInt8]], maxTableEntries: Int = maxTableEntries) {
    self.literals = literals
    self.longest = literals.reduce(0) { max($0, $1.count) }
    var classOf = [UInt8](repeating: 0, count: 256)
    var classCount = 1
    for literal in literals {
      for byte in literal where classOf[Int(byte)] == 0 && classCount < 256 {
        classOf[Int(byte)] = UInt8(truncatingIfNeeded: classCount)
        classCount += 1
      }
    }
    // The trie has at most one state per literal byte, plus the root. Literals using 255 or more
    // distinct bytes leave no class for the rest: searched one by one too.
    let totalBytes = literals.reduce(0) { $0 + $1.count }
    guard classCount < 256, totalBytes < max(0, maxTableEntries) / classCount else {
      self.classOf = []
      self.classCount = 0
      self.transitions = []
      self.outputStart = []
      self.outputs = []
      return
    }
    // The trie: goto[state * classCount + class], 0 meaning "none" (the root is never a target).
    var goto: [UInt32] = Array(repeating: 0, count: classCount)
    var ends: [[UInt32]] = [[]]
    for (id, literal) in literals.enumerated() where !literal.isEmpty {
      var state = 0
      for byte in literal {
        let slot = state * classCount + Int(classOf[Int(byte)])
        if goto[slot] == 0 {
          goto[slot] = UInt32(ends.count)
          goto += repeatElement(0, count: classCount)
          ends.append([])
        }
        state = Int(goto[slot])
      }
      ends[state].append(UInt32(id))
    }
    // Breadth first: failure links, the full transition function, and outputs merged along the
    // failure chain (a state's suffix states are finished before it).
    let stateCount = ends.count
    var fail = [Int](repeating: 0, count: stateCount)
    var transitions = goto
    var queue: [Int] = []
    queue.reserveCapacity(stateCount)
    for c in 0..<classCount where goto[c] != 0 { queue.append(Int(goto[c])) }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      ends[state] += ends[fail[state]]
      for c in 0..<classCount {
        let slot = state * classCount + c
        let next = Int(goto[slot])
        if next != 0 {
          fail[next] = Int(transitions[fail[state] * classCount + c])
          queue.append(next)
        } else {
          transitions[slot] = transitions[fail[state] * classCount + c]
        }
      }
    }
    var outputStart: [UInt32] = []
    outputStart.reserveCapacity(stateCount + 1)
    var outputs: [UInt32] = []
    for state in 0..<stateCount {
      outputStart.append(UInt32(outputs.count))
      outputs += Set(ends[state]).sorted()
    }
    outputStart.append(UInt32(outputs.count))
    // State numbers become row offsets, flagged where output starts. The table has at most
    // 256 classes × (1 + total literal bytes) entries; patterns are small configuration, far below 2^31.
    for slot in transitions.indices {
      let next = Int(transitions[slot])
      let flag = ends[next].isEmpty ? 0 : Self.outputFlag
      transitions[slot] = UInt32(truncatingIfNeeded: next * classCount) | flag
    }
    self.classOf = classOf
    self.classCount = classCount
    self.transitions = transitions
    self.outputStart = outputStart
    self.outputs = outputs
  }

  /// Sets bit `id` of `found` (64 ids per word) for every literal that occurs in `text`. `found`
  /// must have `wordCount` words; bits are only ever set, so the caller clears it.
  package func scan(_ text: UnsafeBufferPointer<UInt8>, into found: UnsafeMutableBufferPointer<UInt64>) {
    let classCount = self.classCount
    guard classCount > 0 else {
      // Too many literals for a table: each searched on its own.
      for (id, literal) in literals.enumerated() where !literal.isEmpty && Literal.occurs(literal, in: text) {
        found[id >> 6] |= 1 << UInt64(id & 63)
      }
      return
    }
    classOf.withUnsafeBufferPointer { classOf in
      transitions.withUnsafeBufferPointer { transitions in
        outputStart.withUnsafeBufferPointer { outputStart in
          outputs.withUnsafeBufferPointer { outputs in
            func emit(_ row: Int) {
              let state = row / classCount
              for k in Int(outputStart[state])..<Int(outputStart[state &+ 1]) {
                let id = Int(outputs[k])
                found[id >> 6] |= 1 << UInt64(id & 63)
              }
            }
            // One walk is a chain of dependent table loads, one per byte. A long text is walked as
            // two halves at once, two independent chains the processor overlaps: the first from
            // its start to `longest - 1` bytes past the middle, the second from the middle, both
            // from the root. A literal starting before the middle ends within the first walk, one
            // starting at or after it lies within the second, and the bits are only ever set, so
            // the answer is the one walk's (a test compares them on random texts).
            let n = text.count
            var first = 0
            if longest > 0, n >= 2 &* longest &+ Self.splitMinimum {
              let middle = n / 2
              let firstEnd = middle &+ longest &- 1
              // In step while both walks have bytes left, then each finishes alone.
              let together = min(firstEnd, n &- middle)
              var rowA = 0
              var rowB = 0
              var i = 0
              while i < together {
                let nextA = transitions[rowA &+ Int(classOf[Int(text[i])])]
                let nextB = transitions[rowB &+ Int(classOf[Int(text[middle &+ i])])]
                rowA = Int(nextA & ~Self.outputFlag)
                rowB = Int(nextB & ~Self.outputFlag)
                if (nextA | nextB) & Self.outputFlag != 0 {
                  if nextA & Self.outputFlag != 0 { emit(rowA) }
                  if nextB & Self.outputFlag != 0 { emit(rowB) }
                }
                i &+= 1
              }
              var k = i
              while k < firstEnd {
                let next = transitions[rowA &+ Int(classOf[Int(text[k])])]
                rowA = Int(next & ~Self.outputFlag)
                if next & Self.outputFlag != 0 { emit(rowA) }
                k &+= 1
              }
              k = middle &+ i
              while k < n {
                let next = transitions[rowB &+ Int(classOf[Int(text[k])])]
                rowB = Int(next & ~Self.outputFlag)
                if next & Self.outputFlag != 0 { emit(rowB) }
                k &+= 1
              }
              first = n
            }
            var row = 0
            while first < n {
              let next = transitions[row &+ Int(classOf[Int(text[first])])]
              row = Int(next & ~Self.outputFlag)
              if next & Self.outputFlag != 0 { emit(row) }
              first &+= 1
            }
          }
        }
      }
    }
  }

  /// The ids of the literals that occur in `text`, in id order (for tests and tools).
  package func occurring(in text: String) -> [Int] {
    var words = [UInt64](repeating: 0, count: wordCount)
    var text = text
    text.withUTF8 { bytes in words.withUnsafeMutableBufferPointer { scan(bytes, into: $0) } }
    return literals.indices.filter { words[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
  }
}
