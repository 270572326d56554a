import Foundation
import PodmortemTestSupport
import PodmortemText
import Testing

/// `LiteralSet.scan` walks the automaton with its loops holding only the lanes' rows (each keeping
/// its output flag until it is used) and hands an output state to `emit` out of line
/// (docs/architecture.md "Speed of the kubelet-log path", its bullet on recognition's walk). It
/// must find what the walk before did: `ReferenceLiteralSet`, that code as it was (the same
/// automaton, built the same way, walked with the outputs handled inside the loops), kept here as
/// the reference, and both must be `Literal.occurs` for every literal. Compared on every sample line and its text
/// after a klog header, against the shipped literals of each kind and detail domain (as the
/// catalog groups them), and on seeded texts of literal pieces and hostile pieces (empty, NUL, CR,
/// tabs, a Kelvin sign, a dotted capital I, combining accents, non-ASCII) from 0 bytes to 64 KiB.
/// The reference keeps the automaton's construction as it was too, element by element, so the
/// same comparisons hold the construction through the arrays' storage (docs/architecture.md
/// "Speed of the kubelet-log path", the bullet on the catalog's memo) to it.
@Suite struct LiteralWalkSameTests {
  /// The distinct literals of each kind and domain, as `PatternCatalog` gives them to one set.
  static let groups: [[String]] = {
    let patterns = PatternCatalog.shipped(diagnostics: { _ in }).patterns
    var groups: [String: [String]] = [:]
    for pattern in patterns {
      let keys = pattern.detail.map { ["detail:" + $0] } ?? pattern.kinds.map { "kind:\($0)" }
      for key in keys {
        for literal in pattern.literals where !literal.text.isEmpty && !groups[key, default: []].contains(literal.text)
        {
          groups[key, default: []].append(literal.text)
        }
      }
    }
    return groups.keys.sorted().map { groups[$0, default: []] }
  }()

  static func check(_ set: LiteralSet, _ reference: ReferenceLiteralSet, _ literals: [String], _ text: String) {
    let new = set.occurring(in: text)
    #expect(new == reference.occurring(in: text), "\(text)")
    #expect(new == literals.indices.filter { Literal(literals[$0]).occurs(in: text) }, "\(text)")
  }

  @Test func everySampleLineFindsWhatTheWalkBeforeFound() {
    #expect(Self.groups.count > 5)
    var found = 0
    for literals in Self.groups {
      let bytes = literals.map { Array($0.utf8) }
      let set = LiteralSet(bytes)
      let reference = ReferenceLiteralSet(bytes)
      for line in SampleLines.all {
        Self.check(set, reference, literals, line)
        if let body = line.range(of: "] ") { Self.check(set, reference, literals, String(line[body.upperBound...])) }
        found += set.occurring(in: line).count
      }
    }
    // The lines hold the literals: the comparison is not of empty sets alone.
    #expect(found > 1_000)
  }

  @Test(arguments: 0..<6)
  func seededHostileTextsFindWhatTheWalkBeforeFound(seed: UInt64) {
    var rng = SplitMix64(seed: 1_900 + seed)
    let hostile = ["", "\u{0}", "\r", "\r\n", "\t", "\u{212A}", "\u{130}", "e\u{301}", "é", "🙂", " ", "\""]
    // The shipped groups, and overlapping literals with hostile bytes, some longer than the walked prefix.
    let own = [
      "K", "\u{212A}", "\u{130}i", "e\u{301}", "\r\n", "\u{0}x", "\ta\t", "ab", "aab", "b",
      String(repeating: "ab", count: 9) + "c",
    ]
    for literals in Self.groups + [own] {
      let bytes = literals.map { Array($0.utf8) }
      let set = LiteralSet(bytes)
      let reference = ReferenceLiteralSet(bytes)
      let pieces =
        literals.flatMap { literal -> [String] in
          let b = Array(literal.utf8)
          let cut = b.count / 2
          return [literal, String(decoding: b[..<cut], as: UTF8.self), String(decoding: b[cut...], as: UTF8.self)]
        } + hostile
      for round in 0..<120 {
        var text = round % 3 == 0 ? SampleLines.random(&rng) : ""
        let target = round == 0 ? 65_536 : rng.below(round % 2 == 0 ? 90 : 900)
        while text.utf8.count < target { text += pieces[rng.below(pieces.count)] }
        Self.check(set, reference, literals, text)
      }
      Self.check(set, reference, literals, "")
    }
  }
}

/// `LiteralSet` as it was before its walk was rewritten (docs/architecture.md "Speed of the
/// kubelet-log path"): kept as the reference `LiteralWalkSameTests` holds the new walk to.
struct ReferenceLiteralSet {
  /// The literals, by id (their index).
  let literals: [[UInt8]]
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
  var wordCount: Int { (literals.count + 63) / 64 }

  /// Builds the automaton; an empty literal occurs everywhere and is not looked for.
  init(_ literals: [[UInt8]], maxTableEntries: Int = 1 << 24) {
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
  func scan(_ text: UnsafeBufferPointer<UInt8>, into found: UnsafeMutableBufferPointer<UInt64>) {
    let classCount = self.classCount
    guard classCount > 0 else {
      // Too many literals for a table: each searched on its own.
      for (id, literal) in literals.enumerated() where !literal.isEmpty && Self.occurs(literal, in: text) {
        found[id >> 6] |= 1 << UInt64(id & 63)
      }
      return
    }
    classOf.withUnsafeBufferPointer { classOf in
      transitions.withUnsafeBufferPointer { transitions in
        outputStart.withUnsafeBufferPointer { outputStart in
          outputs.withUnsafeBufferPointer { outputs in
            let n = text.count
            /// The literals whose walked prefix ends at byte `end`, where the walk reached `row`: a
            /// literal no longer than its prefix occurs; a longer one occurs when the text holds
            /// its rest after the prefix.
            func emit(_ row: Int, _ end: Int) {
              let state = row / classCount
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
            // One walk is a chain of dependent table loads, one per byte. A long text is walked as
            // four quarters at once, four independent chains the processor overlaps: each from the
            // root at the start of its quarter to `longest - 1` bytes past the quarter's end (the
            // last to the end of the text). A literal starting inside a quarter ends within that
            // quarter's walk, and the bits are only ever set, so the answer is the one walk's (a
            // test compares them on random texts). Two halves at once took 6.3 % of the 128 MiB
            // log's run (`perf`, docs/architecture.md "Speed of the kubelet-log path").
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
              // All four in step while every walk has bytes left (the last, with no reach past its
              // quarter, ends first, or with the others when the text's end cut them).
              let together = min(e0, n &- s3)
              var row0 = 0
              var row1 = 0
              var row2 = 0
              var row3 = 0
              var i = 0
              while i < together {
                let next0 = transitions[row0 &+ Int(classOf[Int(text[i])])]
                let next1 = transitions[row1 &+ Int(classOf[Int(text[s1 &+ i])])]
                let next2 = transitions[row2 &+ Int(classOf[Int(text[s2 &+ i])])]
                let next3 = transitions[row3 &+ Int(classOf[Int(text[s3 &+ i])])]
                row0 = Int(next0 & ~Self.outputFlag)
                row1 = Int(next1 & ~Self.outputFlag)
                row2 = Int(next2 & ~Self.outputFlag)
                row3 = Int(next3 & ~Self.outputFlag)
                if (next0 | next1 | next2 | next3) & Self.outputFlag != 0 {
                  if next0 & Self.outputFlag != 0 { emit(row0, i) }
                  if next1 & Self.outputFlag != 0 { emit(row1, s1 &+ i) }
                  if next2 & Self.outputFlag != 0 { emit(row2, s2 &+ i) }
                  if next3 & Self.outputFlag != 0 { emit(row3, s3 &+ i) }
                }
                i &+= 1
              }
              // Then the first three walks' reach into the next quarter, in step too (they are
              // equally long unless the text's end cut one): alone, three such stretches one after
              // another took longer than the quarters saved on a kubelet line of 250 bytes.
              let rest = min(e0, e1 &- s1, e2 &- s2)
              while i < rest {
                let next0 = transitions[row0 &+ Int(classOf[Int(text[i])])]
                let next1 = transitions[row1 &+ Int(classOf[Int(text[s1 &+ i])])]
                let next2 = transitions[row2 &+ Int(classOf[Int(text[s2 &+ i])])]
                row0 = Int(next0 & ~Self.outputFlag)
                row1 = Int(next1 & ~Self.outputFlag)
                row2 = Int(next2 & ~Self.outputFlag)
                if (next0 | next1 | next2) & Self.outputFlag != 0 {
                  if next0 & Self.outputFlag != 0 { emit(row0, i) }
                  if next1 & Self.outputFlag != 0 { emit(row1, s1 &+ i) }
                  if next2 & Self.outputFlag != 0 { emit(row2, s2 &+ i) }
                }
                i &+= 1
              }
              /// The rest of the walk at `row`, from `k` to `end`.
              func finish(_ row: Int, from k: Int, to end: Int) {
                var row = row
                var k = k
                while k < end {
                  let next = transitions[row &+ Int(classOf[Int(text[k])])]
                  row = Int(next & ~Self.outputFlag)
                  if next & Self.outputFlag != 0 { emit(row, k) }
                  k &+= 1
                }
              }
              finish(row0, from: i, to: e0)
              finish(row1, from: s1 &+ i, to: e1)
              finish(row2, from: s2 &+ i, to: e2)
              finish(row3, from: s3 &+ together, to: n)
              first = n
            }
            var row = 0
            while first < n {
              let next = transitions[row &+ Int(classOf[Int(text[first])])]
              row = Int(next & ~Self.outputFlag)
              if next & Self.outputFlag != 0 { emit(row, first) }
              first &+= 1
            }
          }
        }
      }
    }
  }

  /// Whether `needle` occurs in `haystack`, byte by byte (the fallback's search).
  static func occurs(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
    guard haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where needle.indices.allSatisfy({ haystack[start + $0] == needle[$0] }) {
      return true
    }
    return false
  }

  func occurring(in text: String) -> [Int] {
    var words = [UInt64](repeating: 0, count: wordCount)
    var text = text
    text.withUTF8 { bytes in words.withUnsafeMutableBufferPointer { scan(bytes, into: $0) } }
    return literals.indices.filter { words[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
  }
}
