/// Every literal of a set of patterns, found in one pass over a text: an Aho–Corasick automaton
/// (Aho & Corasick, "Efficient string matching", CACM 18(6), 1975) compiled to a DFA over byte
/// classes, so a line costs one table step per byte however many patterns and literals there are.
/// `PatternCatalog` runs it once per line and then runs PCRE2 only for the patterns whose literals
/// all occur (docs/patterns.md "Matching").
///
/// The automaton walks only each literal's first `prefixLength` bytes; where such a prefix ends,
/// the rest of a longer literal is compared with the text's next bytes. The walk then reaches
/// at most `prefixLength − 1` bytes past where a split text's part ends (`scan`), whatever the
/// longest literal (kubelet messages run to 53 bytes).
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
  /// Per state, the range of `outputs` holding the ids of the literals whose walked prefix ends
  /// there (its own and those of its suffix states).
  private let outputStart: [UInt32]
  private let outputs: [UInt32]
  /// The longest walked prefix's length in bytes: a text at least `splitMinimum` longer than
  /// twice this is walked as four quarters at once, each walk reaching this much less one into
  /// the next quarter (`scan`).
  private let longest: Int
  /// How much longer than twice `longest` a text must be to be walked as four quarters.
  static let splitMinimum = 64
  /// How many of a literal's first bytes the automaton walks; the rest is compared where they end.
  static let prefixLength = 12

  /// How many 64-bit words a `found` mask of this set has.
  package var wordCount: Int { (literals.count + 63) / 64 }

  /// The largest transition table built (16 Mi entries, 64 MiB); a bigger set of literals (a
  /// `--patterns DIR` of megabytes of them) is searched literal by literal instead.
  package static let maxTableEntries = 1 << 24

  /// Builds the automaton; an empty literal occurs everywhere and is not looked for.
  package init(_ literals: [[UInt8]], maxTableEntries: Int = maxTableEntries) {
    self.literals = literals
    let walked = literals.map { $0.prefix(Self.prefixLength) }
    self.longest = walked.reduce(0) { max($0, $1.count) }
    var classOf = [UInt8](repeating: 0, count: 256)
    var classCount = 1
    for literal in walked {
      for byte in literal where classOf[Int(byte)] == 0 && classCount < 256 {
        classOf[Int(byte)] = UInt8(truncatingIfNeeded: classCount)
        classCount += 1
      }
    }
    // The trie has at most one state per literal byte, plus the root. Literals using 255 or more
    // distinct bytes leave no class for the rest: searched one by one too.
    let totalBytes = walked.reduce(0) { $0 + $1.count }
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
    for (id, literal) in walked.enumerated() where !literal.isEmpty {
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
    // Each state's row is read and written through the arrays' storage: the row loop runs once
    // per state and class (about 89,000 times for the kubelet kind), and element by element each
    // write checked the array's uniqueness and each read its bounds, about 60 instructions a
    // slot, paid on the first line of every run (docs/architecture.md "Speed of the kubelet-log
    // path"). A state is queued after the state whose row reaches it, and its failure state is
    // shallower, so both rows read here are final, as they were.
    goto.withUnsafeBufferPointer { goto in
      transitions.withUnsafeMutableBufferPointer { transitions in
        while head < queue.count {
          let state = queue[head]
          head += 1
          let failState = fail[state]
          ends[state] += ends[failState]
          let row = state &* classCount
          let failRow = failState &* classCount
          for c in 0..<classCount {
            let next = Int(goto[row &+ c])
            if next != 0 {
              fail[next] = Int(transitions[failRow &+ c])
              queue.append(next)
            } else {
              transitions[row &+ c] = transitions[failRow &+ c]
            }
          }
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
    let flags = ends.map { $0.isEmpty ? 0 : Self.outputFlag }
    transitions.withUnsafeMutableBufferPointer { transitions in
      for slot in transitions.indices {
        let next = Int(transitions[slot])
        transitions[slot] = UInt32(truncatingIfNeeded: next * classCount) | flags[next]
      }
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
    let n = text.count
    guard n > 0, let t = text.baseAddress else { return }
    classOf.withUnsafeBufferPointer { classOf in
      transitions.withUnsafeBufferPointer { transitions in
        guard let c = classOf.baseAddress, let d = transitions.baseAddress else { return }
        // One walk is a chain of dependent table loads, one per byte. A long text is walked as
        // four quarters at once, four independent chains the processor overlaps: each from the
        // root at the start of its quarter to `longest - 1` bytes past the quarter's end (the
        // last to the end of the text). A literal starting inside a quarter ends within that
        // quarter's walk, and the bits are only ever set, so the answer is the one walk's (a
        // test compares them on random texts). Two halves at once took 6.3 % of the 128 MiB
        // log's run (`perf`, docs/architecture.md "Speed of the kubelet-log path").
        //
        // The loops below keep only the lanes' rows (each with its output flag until it is used
        // as an index), one index and the two tables; a step that reaches an output state calls
        // `emit`, out of line. With the outputs handled inline, the compiler kept the rows and the
        // lanes' offsets on the stack, 13 instructions a byte (docs/architecture.md "Speed of the
        // kubelet-log path").
        var first = 0
        if longest > 0, n >= 2 &* longest &+ Self.splitMinimum {
          let quarter = n / 4
          let reach = longest &- 1
          let s1 = quarter
          let s2 = 2 &* quarter
          let s3 = 3 &* quarter
          // Where each walk stops: the next quarter's start plus `reach`, within the text.
          let e0 = min(s1 &+ reach, n)
          let e1 = min(s2 &+ reach, n)
          let e2 = min(s3 &+ reach, n)
          let t1 = t + s1
          let t2 = t + s2
          let t3 = t + s3
          // All four in step while every walk has bytes left (the last, with no reach past its
          // quarter, ends first, or with the others when the text's end cut them).
          let together = min(e0, n &- s3)
          // A row keeps its output flag until it is used: the flags of the four are tested on the
          // rows themselves, so no step's value outlives the step.
          let mask = ~Self.outputFlag
          var row0: UInt32 = 0
          var row1: UInt32 = 0
          var row2: UInt32 = 0
          var row3: UInt32 = 0
          var i = 0
          while i < together {
            row0 = d[Int(row0 & mask) &+ Int(c[Int(t[i])])]
            row1 = d[Int(row1 & mask) &+ Int(c[Int(t1[i])])]
            row2 = d[Int(row2 & mask) &+ Int(c[Int(t2[i])])]
            row3 = d[Int(row3 & mask) &+ Int(c[Int(t3[i])])]
            if (row0 | row1 | row2 | row3) & Self.outputFlag != 0 {
              if row0 & Self.outputFlag != 0 { emit(Int(row0 & mask), i, text, found) }
              if row1 & Self.outputFlag != 0 { emit(Int(row1 & mask), s1 &+ i, text, found) }
              if row2 & Self.outputFlag != 0 { emit(Int(row2 & mask), s2 &+ i, text, found) }
              if row3 & Self.outputFlag != 0 { emit(Int(row3 & mask), s3 &+ i, text, found) }
            }
            i &+= 1
          }
          // Then the first three walks' reach into the next quarter, in step too (they are
          // equally long unless the text's end cut one): alone, three such stretches one after
          // another took longer than the quarters saved on a kubelet line of 250 bytes.
          let rest = min(e0, e1 &- s1, e2 &- s2)
          while i < rest {
            row0 = d[Int(row0 & mask) &+ Int(c[Int(t[i])])]
            row1 = d[Int(row1 & mask) &+ Int(c[Int(t1[i])])]
            row2 = d[Int(row2 & mask) &+ Int(c[Int(t2[i])])]
            if (row0 | row1 | row2) & Self.outputFlag != 0 {
              if row0 & Self.outputFlag != 0 { emit(Int(row0 & mask), i, text, found) }
              if row1 & Self.outputFlag != 0 { emit(Int(row1 & mask), s1 &+ i, text, found) }
              if row2 & Self.outputFlag != 0 { emit(Int(row2 & mask), s2 &+ i, text, found) }
            }
            i &+= 1
          }
          walk(Int(row0 & mask), from: i, to: e0, text, c, d, found)
          walk(Int(row1 & mask), from: s1 &+ i, to: e1, text, c, d, found)
          walk(Int(row2 & mask), from: s2 &+ i, to: e2, text, c, d, found)
          walk(Int(row3 & mask), from: s3 &+ together, to: n, text, c, d, found)
          first = n
        }
        walk(0, from: first, to: n, text, c, d, found)
      }
    }
  }

  /// One walk from `row` over `text[k..<end]`, each output state's literals emitted.
  @inline(__always)
  private func walk(
    _ row: Int, from k: Int, to end: Int, _ text: UnsafeBufferPointer<UInt8>, _ c: UnsafePointer<UInt8>,
    _ d: UnsafePointer<UInt32>, _ found: UnsafeMutableBufferPointer<UInt64>
  ) {
    guard let t = text.baseAddress else { return }
    var row = row
    var k = k
    while k < end {
      let next = d[row &+ Int(c[Int(t[k])])]
      row = Int(next & ~Self.outputFlag)
      if next & Self.outputFlag != 0 { emit(row, k, text, found) }
      k &+= 1
    }
  }

  /// The literals whose walked prefix ends at byte `end` of `text`, where the walk reached `row`:
  /// a literal no longer than its prefix occurs; a longer one occurs when the text holds its rest
  /// after the prefix. Out of line, so that the walks' loops keep their few values in registers.
  @inline(never)
  private func emit(
    _ row: Int, _ end: Int, _ text: UnsafeBufferPointer<UInt8>, _ found: UnsafeMutableBufferPointer<UInt64>
  ) {
    let n = text.count
    let state = row / classCount
    outputStart.withUnsafeBufferPointer { outputStart in
      outputs.withUnsafeBufferPointer { outputs in
        for k in Int(outputStart[state])..<Int(outputStart[state &+ 1]) {
          let id = Int(outputs[k])
          let bit: UInt64 = 1 << UInt64(id & 63)
          guard found[id >> 6] & bit == 0 else { continue }
          let literal = literals[id]
          let count = literal.count
          if count > Self.prefixLength {
            // The prefix occupies `end - prefixLength + 1 ... end`.
            let start = end &- Self.prefixLength &+ 1
            guard count <= n &- start else { continue }
            var same = true
            for j in Self.prefixLength..<count where text[start &+ j] != literal[j] {
              same = false
              break
            }
            guard same else { continue }
          }
          found[id >> 6] |= bit
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
