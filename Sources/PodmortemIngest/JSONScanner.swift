/// A byte-level streaming splitter for JSON text: it frames values without parsing them.
///
/// It tracks strings, escapes and nesting and hands out each complete value as a small byte
/// array: every top-level value of a concatenated or newline-delimited stream (`kubectl get -w
/// -o json`, watch NDJSON, event-exporter lines), and every element of the `items` array of a
/// top-level object (`List`, `EventList`) or of a top-level array — the wrapper itself is never
/// buffered. Memory is proportional to the largest single value, not to the input.
///
/// It checks framing only (brackets, strings, keys against values); scalars are left to the
/// decoder that reads each value. A framing problem is reported and the scanner resynchronises:
/// at the next `{` in column 0 (a new top-level value), or, inside a pretty-printed list, at the
/// next line whose first character is a `{` in the column the list's elements start at.
package struct JSONScanner {
  /// One complete value.
  package struct Value {
    package var bytes: [UInt8]
    /// The 1-based lines the value starts and ends on.
    package var startLine: Int
    package var endLine: Int
    /// The `kind` string of the value itself when the scanner saw it (`Pod`, `Event`).
    package var kind: String?
    /// True for an element of a list's `items` (or of a top-level array).
    package var isListItem: Bool
    /// The `kind` of the list an item belongs to (`PodList`), when it came before `items`: typed Go
    /// structs marshal `kind` first and leave it off the items (`kubectl cluster-info dump`).
    package var listKind: String? = nil
  }

  /// A framing problem; the scanner has already resynchronised or is skipping to do so.
  package struct Problem: Hashable, Sendable {
    package var line: Int
    package var message: String
  }

  /// What `feed` and `finish` hand out, in input order.
  package enum Output {
    case value(Value)
    case problem(Problem)
  }

  private enum Phase {
    /// In an object, before a key (or `}`).
    case key
    /// In an object, after a key.
    case colon
    /// Before a value (or `]` in an array).
    case value
    /// After a value, before `,` or the closing bracket.
    case afterValue
  }

  private enum Pending {
    case none, kindKey, itemsKey
  }

  private enum Collect {
    case none, key, kindValue
  }

  private static let quote: UInt8 = 0x22
  private static let backslash: UInt8 = 0x5C
  private static let newline: UInt8 = 0x0A
  private static let openBrace: UInt8 = 0x7B
  private static let closeBrace: UInt8 = 0x7D
  private static let openBracket: UInt8 = 0x5B
  private static let closeBracket: UInt8 = 0x5D
  private static let colon: UInt8 = 0x3A
  private static let comma: UInt8 = 0x2C
  private static let kindBytes: [UInt8] = Array("kind".utf8)
  private static let itemsBytes: [UInt8] = Array("items".utf8)
  /// The longest key or `kind` collected; a longer one is neither `kind` nor `items`.
  private static let maxCollected = ShortBytes.capacity
  /// The most room a new value's buffer is given ahead (`completeValue`).
  private static let reservedRoom = 64 * 1024

  private let maxDepth: Int
  private let maxValueBytes: Int

  /// The line the next byte belongs to.
  package private(set) var line = 1
  private var stack: [UInt8] = []
  private var phase = Phase.value
  private var inString = false
  private var escaped = false
  private var collect = Collect.none
  /// The bytes of the key or `kind` value being collected (at most `maxCollected`), held in
  /// place: as an array, emptying it at every key of an item went through Array's generic
  /// `replaceSubrange` and each run was appended through `append(contentsOf:)` (issue 16,
  /// callgrind: 17M of the 8 MiB EventList's reading). `JSONFramerTests` holds the scanner to
  /// `ReferenceJSONScanner`, which keeps the array.
  private var collected = ShortBytes()
  private var pending = Pending.none
  /// The stack depth at which list elements live; 0 when not inside a list.
  private var elementDepth = 0
  /// The column the first list element started at, when it began its line (pretty output).
  private var elementColumn: Int?
  private var listItems = 0
  /// True while the bytes of the current value (or list element) are being kept.
  private var capturing = false
  private var captureFrom: Int?
  /// The bytes of the value being kept: `buffer[..<kept]`. The array's count is its room (the
  /// bytes past `kept` are not the value's), so a line and its line end are copied into it in one step
  /// (`store`): appended through `append(contentsOf:)` and then `append`, each line of a
  /// pretty-printed list took two of Array's appends, about 150 instructions (issue 16,
  /// callgrind). `JSONFramerTests` holds the scanner to `ReferenceJSONScanner`, which appends.
  private var buffer: [UInt8] = []
  private var kept = 0
  private var valueStartLine = 0
  private var valueKind: String?
  /// The wrapper's `kind` as seen when its `items` began.
  private var listKind: String?
  private var wrapperStartLine = 0
  private var skipping = false
  /// While skipping inside a list: the list's stack, to restore at the next element.
  private var resumeList: (stack: [UInt8], column: Int)?
  private var column = 0
  private var lineHasContent = false
  /// True once a line inside the current top-level value began with white space: the value is
  /// indented, so a `{` in column 0 cannot be nested in it (without indentation it can).
  private var valueIndented = false
  /// How many line ends the current string was wrapped at (`joinWrapped`).
  private var wrappedLines = 0
  /// False to read every byte through `feed`'s loop, as before `plainTokens`: the tests'
  /// reference.
  var readsPlainTokens = true
  /// The line `feedLine` was last given, when `member` read it whole: where its key's bytes are
  /// (between its first two quotes) and its string value's (between its last two; an empty range
  /// at 0 for a scalar). Such a line holds no other quote, so what it holds between two quotes
  /// is its key or its string value (`EvidencePicker.look(at:number:member:)`). Nil for any other
  /// line, and after a chunk that is not a line.
  package var memberLine: MemberLine? {
    guard memberKeyEnd >= 0 else { return nil }
    return MemberLine(
      key: memberKeyStart..<memberKeyEnd, value: memberValueStart..<memberValueEnd, valueIsString: memberValueIsString)
  }
  /// `memberLine`'s fields, -1 in `memberKeyEnd` for none (four words and a flag stored, where an
  /// optional of ranges was copied in and out).
  private var memberKeyStart = 0
  private var memberKeyEnd = -1
  private var memberValueStart = 0
  private var memberValueEnd = 0
  private var memberValueIsString = false

  package struct MemberLine {
    package var key: Range<Int>
    package var value: Range<Int>
    package var valueIsString: Bool
  }

  /// - Parameters:
  ///   - maxDepth: nesting deeper than this is a problem (a guard against hostile input).
  ///   - maxValueBytes: a single value larger than this is a problem and is skipped.
  ///   - firstLine: the number of the first line fed (JSON that starts part-way into a source).
  package init(maxDepth: Int = 256, maxValueBytes: Int = 256 << 20, firstLine: Int = 1) {
    self.maxDepth = maxDepth
    self.maxValueBytes = maxValueBytes
    self.line = max(1, firstLine)
  }

  /// True while the scanner is inside a value (or list element) it will hand out.
  package var isInValue: Bool { capturing }
  /// True between top-level values: not inside any value, list or wrapper.
  package var isBetweenValues: Bool { stack.isEmpty && !skipping && !inString }
  /// True while the scanner is discarding input to resynchronise after a problem.
  package var isSkipping: Bool { skipping }
  /// The `kind` of the value being read, once the scanner has seen it.
  package var currentKind: String? { valueKind }

  /// Every stored field, for the tests that hold `plainTokens` to the loop (`PlainTokensTests`):
  /// all but the value's buffer (its bytes kept are `keptBytes`) and `collected`, which is only
  /// read at the end of the string it collects.
  var wholeState: String {
    let resume = resumeList.map { "\($0.stack) \($0.column)" } ?? "-"
    return "\(line) \(stack) \(phase) \(inString) \(escaped) \(collect) \(pending) \(elementDepth) "
      + "\(elementColumn ?? -1) \(listItems) \(capturing) \(captureFrom ?? -1) \(kept) "
      + "\(valueStartLine) \(valueKind ?? "-") \(listKind ?? "-") \(wrapperStartLine) \(skipping) \(resume) "
      + "\(column) \(lineHasContent) \(valueIndented) \(wrappedLines)"
  }

  /// The bytes of the value kept so far, for the same tests.
  var keptBytes: ArraySlice<UInt8> { buffer[..<kept] }

  /// Feeds the bytes of one line followed by a newline.
  package mutating func feedLine(_ text: Substring, _ handle: (Output) -> Void) {
    var text = text
    text.withUTF8 { feed(UnsafeRawBufferPointer($0), lineEnds: true, handle) }
  }

  /// `feedLine(_:_:)` of a whole string, without making a `Substring` of it first.
  package mutating func feedLine(_ text: String, _ handle: (Output) -> Void) {
    // A native string's bytes are read where they lie: `withUTF8` needs a mutable copy, which
    // retained and released the line's storage once a line (issue 16, callgrind).
    let fed: Void? = text.utf8.withContiguousStorageIfAvailable {
      feed(UnsafeRawBufferPointer($0), lineEnds: true, handle)
    }
    if fed == nil {
      var text = text
      text.withUTF8 { feed(UnsafeRawBufferPointer($0), lineEnds: true, handle) }
    }
  }

  /// `feedLine(_:_:)` of a line's bytes, without a `String` made of them.
  package mutating func feedLine(bytes: UnsafeBufferPointer<UInt8>, _ handle: (Output) -> Void) {
    feed(UnsafeRawBufferPointer(bytes), lineEnds: true, handle)
  }

  /// The line end after a line's bytes.
  private mutating func lineEnd(_ handle: (Output) -> Void) {
    guard !skipping && !inString else {
      withUnsafeBytes(of: Self.newline) { feed($0, handle) }
      return
    }
    // The line end outside a string, as `feed` reads it (its `newline` case, then the byte kept
    // when a value is being kept), without a second pass through `feed` for one byte: two calls
    // a line were a third of the scanner's calls on a pretty-printed list (issue 16).
    line += 1
    column = 0
    lineHasContent = false
    guard capturing else { return }
    // `keep` of the one byte.
    if kept + 1 > maxValueBytes {
      problem("value starting at line \(valueStartLine) is larger than \(maxValueBytes) bytes", handle)
    } else {
      store(UnsafeBufferPointer(start: nil, count: 0), lineEnd: true)
    }
  }

  /// Feeds any chunk of bytes; values and problems are handed to `handle` as they complete.
  package mutating func feed(_ chunk: UnsafeRawBufferPointer, _ handle: (Output) -> Void) {
    feed(chunk, lineEnds: false, handle)
  }

  /// `feed(_:_:)`, then the line end when `lineEnds` (`feedLine`): when the value being kept goes
  /// on past the line, outside a string, the line's rest and its line end are kept in one step,
  /// as `keep` and then `lineEnd` would keep them (within the size limit, so neither reports).
  private mutating func feed(_ chunk: UnsafeRawBufferPointer, lineEnds: Bool, _ handle: (Output) -> Void) {
    let bytes = chunk.bindMemory(to: UInt8.self)
    let n = bytes.count
    var i = 0
    captureFrom = capturing ? 0 : nil
    memberKeyEnd = -1
    // A member line of a pretty-printed object (`"name": "web-0",`) is read as one (`member`), or
    // by a loop of its own up to its first bracket, escape or unclosed string (`plainTokens`).
    if readsPlainTokens && !skipping && !inString && !escaped && !stack.isEmpty {
      i = plainTokens(bytes, from: 0)
      if !lineEnds { memberKeyEnd = -1 }
    }
    while i < n {
      if skipping {
        i = skip(bytes, from: i)
        continue
      }
      if inString {
        i = scanString(bytes, from: i, handle)
        continue
      }
      let b = bytes[i]
      switch b {
      case 0x20, 0x09, 0x0D:
        // Indentation is much of pretty-printed input: skip a run of it at once, eight spaces a
        // word (`ByteWords.spacesEnd`), then byte by byte through tabs and carriage returns.
        var j = ByteWords.spacesEnd(bytes, from: i + 1)
        while j < n && (bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D) { j += 1 }
        if column == 0 && !stack.isEmpty { valueIndented = true }
        column += j - i
        i = j
        continue
      case Self.newline:
        line += 1
        column = 0
        lineHasContent = false
      case Self.openBrace, Self.openBracket:
        open(b, at: i, handle)
      case Self.closeBrace, Self.closeBracket:
        close(b, bytes, at: i, handle)
      default:
        if stack.isEmpty && b == Self.comma {
          // Items of an array pasted without the array (`},` then `{`): the comma only separates.
          column += 1
          i += 1
          continue
        }
        if stack.isEmpty {
          garbage(bytes, at: i, handle)
          continue
        }
        column += 1
        lineHasContent = true
        switch b {
        case Self.quote:
          openString()
          // The string's bytes read at once, not after another turn of this loop for `inString`.
          i = scanString(bytes, from: i + 1, handle)
          continue
        case Self.colon:
          if phase == .colon { phase = .value }
        case Self.comma:
          phase = stack.last == Self.openBrace ? .key : .value
          pending = .none
        default:
          if phase == .value { phase = .afterValue }
        }
      }
      i += 1
    }
    if lineEnds, capturing, !skipping, !inString, let from = captureFrom, from < n, kept + (n - from) < maxValueBytes {
      store(UnsafeBufferPointer(rebasing: bytes[from..<n]), lineEnd: true)
      captureFrom = nil
      line += 1
      column = 0
      lineHasContent = false
      return
    }
    if capturing, let from = captureFrom, from < n {
      keep(bytes, from..<n, handle)
    }
    captureFrom = nil
    if lineEnds { lineEnd(handle) }
  }

  /// Reads from `start` what the loop of `feed` reads in its simplest cases, with the state in
  /// locals, and returns where it stopped: white space, a string closed on the line without an
  /// escape, `:`, `,` and a scalar's bytes. It stops, leaving the rest to that loop, at a
  /// bracket, a line feed, a string with an escape or not closed before the end, and the value
  /// of a `kind` being collected. Each case changes the state as the loop's does: its `column`,
  /// `lineHasContent`, `valueIndented` (white space in column 0), the phase, and at the depth
  /// where keys are collected the pending `kind` or `items` key (a key's bytes are compared where
  /// they lie: `collected` is only read at the end of the string it collects, and a key longer
  /// than `maxCollected`, not collected, is neither).
  /// A member line of a pretty-printed list went through the loop in about 7 steps and 1.6
  /// calls of `scanString` and `closeString`, about 600 instructions (issue 16, callgrind); in
  /// the phase `key` the line is first offered whole to `member`.
  /// The caller has checked that the scanner is not skipping, not in a string and inside a
  /// value (the stack not empty): nothing here changes the stack. `JSONFramerTests` holds the
  /// scanner to `ReferenceJSONScanner` and to itself with this loop off (`readsPlainTokens`),
  /// its whole state compared after every line and chunk.
  @inline(__always)
  private mutating func plainTokens(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    if phase == .key, member(bytes, from: start) { return bytes.count }
    let n = bytes.count
    var i = start
    var phase = self.phase
    var pending = self.pending
    var column = self.column
    var content = lineHasContent
    var indented = valueIndented
    var sawString = false
    let keyDepth = stack.count == elementDepth + 1
    let itemsDepth = elementDepth == 0 && stack.count == 1
    let inObject = stack.last == Self.openBrace
    scan: while i < n {
      switch bytes[i] {
      case 0x20, 0x09, 0x0D:
        var j = ByteWords.spacesEnd(bytes, from: i + 1)
        while j < n && (bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D) { j += 1 }
        if column == 0 { indented = true }
        column += j - i
        i = j
      case Self.quote:
        // The value of a `kind` key is collected (`openString`): the loop's.
        if keyDepth && phase == .value && pending == .kindKey { break scan }
        let j = ByteWords.stringStop(bytes, from: i + 1)
        guard j < n, bytes[j] == Self.quote else { break scan }
        if keyDepth && phase == .key {
          // `openString` collects the key, `closeString` compares it.
          let key = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j])
          if Self.isKind(key) {
            pending = .kindKey
          } else if itemsDepth, Self.isItems(key) {
            pending = .itemsKey
          } else {
            pending = .none
          }
          phase = .colon
        } else if phase == .key {
          phase = .colon
          pending = .none
        } else if phase == .value {
          phase = .afterValue
        }
        sawString = true
        content = true
        column += j + 1 - i
        i = j + 1
      case Self.colon:
        if phase == .colon { phase = .value }
        content = true
        column += 1
        i += 1
      case Self.comma:
        phase = inObject ? .key : .value
        pending = .none
        content = true
        column += 1
        i += 1
      case Self.newline, Self.openBrace, Self.openBracket, Self.closeBrace, Self.closeBracket:
        break scan
      default:
        if phase == .value { phase = .afterValue }
        content = true
        column += 1
        i += 1
      }
    }
    guard i > start else { return i }
    self.phase = phase
    self.pending = pending
    self.column = column
    lineHasContent = content
    valueIndented = indented
    if sawString {
      // As `openString` and `closeString` leave them.
      wrappedLines = 0
      collect = .none
    }
    return i
  }

  /// Reads the rest of the bytes from `start` when they are one member as kubectl prints it
  /// (`            "name": "web-0",`): white space or none, a key without an escape, `": `, a
  /// string without an escape or a scalar's bytes, a `,` or none, and nothing after. The state
  /// is then what `plainTokens`' loop leaves after reading those tokens one by one from the
  /// phase `key`: `column` past the bytes, `lineHasContent`, `valueIndented` when the white space
  /// begins in column 0, the pending `kind` or `items` key at the depth where keys are collected,
  /// then the phase after the value (`afterValue`) or after the comma (`key` in an object,
  /// `value` in an array, nothing pending). False, with nothing changed, for anything else, and
  /// for the string value of a `kind` key, which is collected (`openString`). A line of an
  /// EventList is most often one member: read token by token, its white space, two strings, colon
  /// and comma were about 420 instructions (issue 16, callgrind). `PlainTokensTests` holds the
  /// scanner to itself without `plainTokens` and to `ReferenceJSONScanner`.
  @inline(__always)
  private mutating func member(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
    let n = bytes.count
    var j = start
    guard j < n else { return false }
    var b = bytes[j]
    let leadingSpace = b == 0x20 || b == 0x09 || b == 0x0D
    if leadingSpace {
      j = ByteWords.spacesEnd(bytes, from: j + 1)
      while j < n && (bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D) { j += 1 }
      guard j < n else { return false }
      b = bytes[j]
    }
    guard b == Self.quote else { return false }
    let keyStart = j + 1
    let keyEnd = ByteWords.stringStop(bytes, from: keyStart)
    // `"`, `:` and a space after the key, and a value's first byte after them.
    guard keyEnd + 3 < n, bytes[keyEnd] == Self.quote, bytes[keyEnd + 1] == Self.colon, bytes[keyEnd + 2] == 0x20
    else { return false }
    j = keyEnd + 3
    let valueIsString = bytes[j] == Self.quote
    var valueStart = 0
    var valueEnd = 0
    if valueIsString {
      let end = ByteWords.stringStop(bytes, from: j + 1)
      guard end < n, bytes[end] == Self.quote else { return false }
      valueStart = j + 1
      valueEnd = end
      j = end + 1
    } else {
      let scalarStart = j
      while j < n && Self.isScalarByte(bytes[j]) { j += 1 }
      guard j > scalarStart else { return false }
    }
    let comma = j < n && bytes[j] == Self.comma
    if comma { j += 1 }
    guard j == n else { return false }
    var pending = Pending.none
    if stack.count == elementDepth + 1 {
      let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<keyEnd])
      if Self.isKind(key) {
        // Its string value is collected as the value's kind: `feed`'s loop reads it.
        if valueIsString { return false }
        pending = .kindKey
      } else if elementDepth == 0, stack.count == 1, Self.isItems(key) {
        pending = .itemsKey
      }
    }
    if leadingSpace && column == 0 { valueIndented = true }
    if start == 0 {
      memberKeyStart = keyStart
      memberKeyEnd = keyEnd
      memberValueStart = valueStart
      memberValueEnd = valueEnd
      memberValueIsString = valueIsString
    }
    column += n - start
    lineHasContent = true
    wrappedLines = 0
    collect = .none
    if comma {
      phase = stack.last == Self.openBrace ? .key : .value
      self.pending = .none
    } else {
      phase = .afterValue
      self.pending = pending
    }
    return true
  }

  /// A byte `feed`'s loop reads as part of a scalar inside a value: none of white space, a line
  /// feed, a bracket, `"`, `:` or `,`.
  @inline(__always)
  private static func isScalarByte(_ b: UInt8) -> Bool {
    switch b {
    case 0x20, 0x09, 0x0D, Self.newline, Self.openBrace, Self.closeBrace, Self.openBracket, Self.closeBracket,
      Self.quote, Self.colon, Self.comma:
      return false
    default:
      return true
    }
  }

  /// True when `key` is `kind` (`collected.equals(kindBytes)`), from its bytes.
  @inline(__always)
  private static func isKind(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
    key.count == 4 && key[0] == 0x6B && key[1] == 0x69 && key[2] == 0x6E && key[3] == 0x64
  }

  /// True when `key` is `items` (`collected.equals(itemsBytes)`), from its bytes.
  @inline(__always)
  private static func isItems(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
    key.count == 5 && key[0] == 0x69 && key[1] == 0x74 && key[2] == 0x65 && key[3] == 0x6D && key[4] == 0x73
  }

  /// The end of the input: a value still open is truncated.
  package mutating func finish(_ handle: (Output) -> Void) {
    if !skipping && !stack.isEmpty, capturing, let closed = Self.closedAtLastMember(Array(buffer[..<kept])) {
      // A paste cut off inside an object: what it holds up to its last whole member still reads.
      handle(
        .value(
          Value(
            bytes: closed, startLine: valueStartLine, endLine: line, kind: valueKind, isListItem: elementDepth > 0,
            listKind: elementDepth > 1 ? listKind : nil)))
      handle(
        .problem(
          Problem(
            line: valueStartLine,
            message: truncatedMessage("end of input") + "; read up to its last complete member")))
    } else if !skipping && !stack.isEmpty {
      if !capturing && elementDepth > 0 {
        let message = "list starting at line \(wrapperStartLine) ends early after \(listItems) items"
        handle(.problem(Problem(line: wrapperStartLine, message: message)))
      } else {
        handle(.problem(Problem(line: currentStartLine, message: truncatedMessage("end of input"))))
      }
    }
    reset()
    skipping = false
    resumeList = nil
  }

  /// `bytes`, an object or array cut off part-way, closed after its last complete member: cut at
  /// the last `,`, or just after the last opening or closing bracket, outside a string, and the
  /// brackets still open there closed. Nil when nothing complete is left.
  static func closedAtLastMember(_ bytes: [UInt8]) -> [UInt8]? {
    var stack: [UInt8] = []
    var inString = false
    var escaped = false
    var safe: (end: Int, stack: [UInt8])?
    for (i, b) in bytes.enumerated() {
      if inString {
        if escaped {
          escaped = false
        } else if b == backslash {
          escaped = true
        } else if b == quote {
          inString = false
        }
        continue
      }
      switch b {
      case quote: inString = true
      case openBrace, openBracket:
        stack.append(b)
        safe = (i + 1, stack)
      case closeBrace, closeBracket:
        guard !stack.isEmpty else { return nil }
        stack.removeLast()
        safe = (i + 1, stack)
      case comma: safe = (i, stack)
      default: break
      }
    }
    guard let safe, !safe.stack.isEmpty else { return nil }
    var out = Array(bytes[..<safe.end])
    for open in safe.stack.reversed() { out.append(open == openBrace ? closeBrace : closeBracket) }
    return out
  }

  // MARK: - Strings

  private mutating func openString() {
    inString = true
    wrappedLines = 0
    collect = .none
    let depth = stack.count
    guard depth == elementDepth + 1 else { return }
    if phase == .key {
      collect = .key
      collected.removeAll()
    } else if phase == .value, pending == .kindKey {
      collect = .kindValue
      collected.removeAll()
    }
  }

  private mutating func scanString(
    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ handle: (Output) -> Void
  ) -> Int {
    let n = bytes.count
    var j = start
    if escaped {
      if bytes[j] == Self.newline {
        if joinWrapped(bytes, at: j, handle) { return j + 1 }
        escaped = false
        unterminatedString(handle)
        return j
      }
      escaped = false
      j += 1
    }
    j = ByteWords.stringStop(bytes, from: j)
    if collect != .none {
      if collected.count + (j - start) <= Self.maxCollected {
        // As a buffer of its own, not a `Slice` through Array's generic path.
        collected.append(UnsafeBufferPointer(rebasing: bytes[start..<j]))
      } else {
        collect = .none
      }
    }
    column += j - start
    guard j < n else { return n }
    switch bytes[j] {
    case Self.backslash:
      collect = .none
      column += 1
      if j + 1 < n {
        if bytes[j + 1] == Self.newline {
          escaped = true
          if joinWrapped(bytes, at: j + 1, handle) { return j + 2 }
          escaped = false
          unterminatedString(handle)
          return j + 1
        }
        column += 1
        return j + 2
      }
      escaped = true
      return n
    case Self.newline:
      if joinWrapped(bytes, at: j, handle) { return j + 1 }
      unterminatedString(handle)
      return j
    default:
      inString = false
      column += 1
      closeString()
      return j + 1
    }
  }

  private mutating func closeString() {
    switch collect {
    case .key:
      phase = .colon
      if collected.equals(Self.kindBytes) {
        pending = .kindKey
      } else if elementDepth == 0, stack.count == 1, collected.equals(Self.itemsBytes) {
        pending = .itemsKey
      } else {
        pending = .none
      }
    case .kindValue:
      valueKind = collected.string
      pending = .none
      phase = .afterValue
    case .none:
      if phase == .key {
        phase = .colon
        pending = .none
      } else if phase == .value {
        phase = .afterValue
      }
    }
    collect = .none
  }

  /// The most lines one string may be wrapped onto.
  static let maxWrappedLines = 64

  /// A line end inside a string of an indented value: a terminal or chat window wrapped a long
  /// line there (JSON strings hold no raw line end, and pretty printers never split one). The line
  /// end is left out of the value, so the string reads whole; false when it cannot be a wrap (a
  /// value without indentation is NDJSON, where it is a line cut short).
  private mutating func joinWrapped(_ bytes: UnsafeBufferPointer<UInt8>, at j: Int, _ handle: (Output) -> Void) -> Bool
  {
    guard valueIndented, capturing, wrappedLines < Self.maxWrappedLines else { return false }
    wrappedLines += 1
    if let from = captureFrom { keep(bytes, from..<j, handle) }
    captureFrom = j + 1
    line += 1
    column = 0
    lineHasContent = false
    return true
  }

  private mutating func unterminatedString(_ handle: (Output) -> Void) {
    problem("unterminated string in value starting at line \(currentStartLine)", handle)
  }

  // MARK: - Brackets

  private mutating func open(_ b: UInt8, at i: Int, _ handle: (Output) -> Void) {
    let betweenItems = elementDepth > 0 && stack.count == elementDepth && phase == .value
    // An array's element in a value whose indentation the paste stripped (`"ownerReferences": [`
    // then `{` in column 0) is nested, as its brackets say.
    let strippedElement = !valueIndented && phase == .value && stack.last == Self.openBracket
    if column == 0 && b == Self.openBrace && !stack.isEmpty && !betweenItems && !strippedElement {
      // A `{` in column 0 inside an indented value: pretty printers never put nested values there,
      // so the value before it was cut short (a truncated NDJSON line, an interrupted watch).
      handle(.problem(Problem(line: currentStartLine, message: truncatedMessage("a new object in line \(line)"))))
      reset()
      resumeList = nil
    }
    let startColumn = column
    let startsLine = !lineHasContent
    column += 1
    lineHasContent = true
    if stack.isEmpty {
      valueIndented = false
      wrapperStartLine = line
      listKind = nil
      stack.append(b)
      if b == Self.openBracket {
        enterList(depth: 1)
      } else {
        startValue(at: i)
        phase = .key
      }
      return
    }
    guard phase == .value else {
      problem("unexpected '\(Character(Unicode.Scalar(b)))' in value starting at line \(currentStartLine)", handle)
      return
    }
    guard stack.count < maxDepth else {
      problem("nesting deeper than \(maxDepth) levels in value starting at line \(currentStartLine)", handle)
      return
    }
    if elementDepth == 0 && stack.count == 1 && b == Self.openBracket && pending == .itemsKey {
      // The `items` of a list: drop the wrapper, keep the elements one by one.
      listKind = valueKind
      capturing = false
      captureFrom = nil
      kept = 0
      stack.append(b)
      enterList(depth: 2)
      return
    }
    if elementDepth > 0 && stack.count == elementDepth {
      if elementColumn == nil && startsLine { elementColumn = startColumn }
      startValue(at: i)
    }
    stack.append(b)
    phase = b == Self.openBrace ? .key : .value
    pending = .none
  }

  private mutating func close(_ b: UInt8, _ bytes: UnsafeBufferPointer<UInt8>, at i: Int, _ handle: (Output) -> Void) {
    let expected = b == Self.closeBrace ? Self.openBrace : Self.openBracket
    column += 1
    lineHasContent = true
    guard let top = stack.last, top == expected else {
      if stack.isEmpty {
        garbage(bytes, at: i, handle)
      } else {
        problem("unexpected '\(Character(Unicode.Scalar(b)))' in value starting at line \(currentStartLine)", handle)
      }
      return
    }
    stack.removeLast()
    phase = .afterValue
    pending = .none
    if stack.count == elementDepth && capturing {
      completeValue(bytes, through: i, handle)
      if elementDepth > 0 { listItems += 1 }
    } else if elementDepth > 0 && stack.count == elementDepth - 1 {
      // The list's closing bracket: the rest of the wrapper is read but not kept.
      elementDepth = 0
      elementColumn = nil
    }
  }

  private mutating func enterList(depth: Int) {
    elementDepth = depth
    elementColumn = nil
    listItems = 0
    phase = .value
    pending = .none
  }

  private mutating func startValue(at i: Int) {
    capturing = true
    captureFrom = i
    valueStartLine = line
    valueKind = nil
    kept = 0
  }

  private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ handle: (Output) -> Void) {
    if kept + range.count > maxValueBytes {
      problem("value starting at line \(valueStartLine) is larger than \(maxValueBytes) bytes", handle)
      return
    }
    // Copied as a buffer of its own (one copy of the bytes), not as a `Slice`, which Array
    // appends through the generic path (issue 16, perf).
    store(UnsafeBufferPointer(rebasing: bytes[range]), lineEnd: false)
  }

  /// Keeps `run`, then a line end when `lineEnd`, after the bytes kept: the caller has checked
  /// the size. The room is doubled (as Array grows) when they do not fit.
  @inline(__always)
  private mutating func store(_ run: UnsafeBufferPointer<UInt8>, lineEnd: Bool) {
    let end = kept + run.count
    let need = lineEnd ? end + 1 : end
    if need > buffer.count {
      // At most the limit's room (a line end past it is never kept), no product overflowing.
      let room = max(need, min(min(buffer.count, Int.max / 4) * 2, maxValueBytes))
      buffer.append(contentsOf: repeatElement(0, count: room - buffer.count))
    }
    let at = kept
    buffer.withUnsafeMutableBufferPointer { room in
      guard let base = room.baseAddress else { return }
      if let from = run.baseAddress { (base + at).update(from: from, count: run.count) }
      if lineEnd { base[end] = Self.newline }
    }
    kept = need
  }

  private mutating func completeValue(_ bytes: UnsafeBufferPointer<UInt8>, through i: Int, _ handle: (Output) -> Void) {
    if let from = captureFrom {
      keep(bytes, from..<(i + 1), handle)
      if skipping { return }
    }
    capturing = false
    captureFrom = nil
    // The array is handed on holding the kept bytes only (its room past them cut off in place).
    buffer.removeLast(buffer.count - kept)
    let value = Value(
      bytes: buffer, startLine: valueStartLine, endLine: line, kind: valueKind, isListItem: elementDepth > 0,
      listKind: elementDepth > 1 ? listKind : nil)
    // The next value's buffer starts with this one's room (capped), not empty: grown from
    // nothing, a list item of a kilobyte was copied into six or seven growing buffers (issue 16).
    let room = min(kept, Self.reservedRoom)
    buffer = Array(repeating: 0, count: room)
    kept = 0
    valueKind = nil
    handle(.value(value))
  }

  // MARK: - Problems and resynchronisation

  private var currentStartLine: Int { capturing ? valueStartLine : wrapperStartLine }

  private func truncatedMessage(_ cause: String) -> String {
    let what = capturing ? (elementDepth > 0 ? "list item" : "value") : (elementDepth > 0 ? "list" : "value")
    return "truncated \(what) starting at line \(currentStartLine): \(cause)"
  }

  private mutating func garbage(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, _ handle: (Output) -> Void) {
    var end = i
    while end < bytes.count && end - i < 40 && bytes[end] != Self.newline { end += 1 }
    let excerpt = String(decoding: bytes[i..<end], as: UTF8.self)
    handle(.problem(Problem(line: line, message: "unexpected text between objects: '\(excerpt)'")))
    reset()
    skipping = true
  }

  /// Reports a problem inside a value and starts skipping to the next resynchronisation point.
  private mutating func problem(_ message: String, _ handle: (Output) -> Void) {
    handle(.problem(Problem(line: line, message: message)))
    if elementDepth > 0 {
      let listStack = Array(stack.prefix(elementDepth))
      resumeList = elementColumn.map { (listStack, $0) }
    } else {
      resumeList = nil
    }
    let depth = elementDepth
    let column = elementColumn
    let items = listItems
    reset()
    skipping = true
    if resumeList != nil {
      elementDepth = depth
      elementColumn = column
      listItems = items
    }
  }

  private mutating func reset() {
    stack.removeAll(keepingCapacity: true)
    phase = .value
    inString = false
    escaped = false
    collect = .none
    pending = .none
    elementDepth = 0
    elementColumn = nil
    capturing = false
    captureFrom = nil
    buffer.removeAll(keepingCapacity: false)
    kept = 0
    valueKind = nil
  }

  /// Discards bytes until a resynchronisation point; returns the index to go on from.
  private mutating func skip(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var i = start
    while i < bytes.count {
      let b = bytes[i]
      if b == Self.newline {
        line += 1
        column = 0
        lineHasContent = false
      } else if b == Self.openBrace && column == 0 {
        skipping = false
        resumeList = nil
        elementDepth = 0
        return i
      } else if b == Self.openBrace, !lineHasContent, let resume = resumeList, column == resume.column {
        skipping = false
        stack = resume.stack
        elementDepth = resume.stack.count
        elementColumn = resume.column
        phase = .value
        resumeList = nil
        return i
      } else {
        if b != 0x20 && b != 0x09 && b != 0x0D { lineHasContent = true }
        column += 1
      }
      i += 1
    }
    return i
  }
}

extension JSONScanner {
  /// A scanner that starts between two items of the `items` array of a top-level list, at line
  /// `firstLine`: in the state a scanner is in after the `,` that ends an item's last line, when
  /// the list's `kind` was not seen before its `items` (`isBetweenItems(column:)`). A second part
  /// of a source starts there (docs/architecture.md "Long and live inputs", Two cores).
  package init(betweenItemsAt firstLine: Int) {
    self.init(firstLine: firstLine)
    stack = [Self.openBrace, Self.openBracket]
    wrapperStartLine = self.line
    valueIndented = true
    enterList(depth: 2)
  }

  /// True when the scanner, at the start of a line, is between two items of the `items` array of
  /// a top-level object (after the `,` that ended the last item), the items starting in `column`
  /// and the wrapper's `kind` not seen before `items`, holding nothing else: the state
  /// `init(betweenItemsAt:)` starts in, but for the count of items read.
  package func isBetweenItems(column: Int) -> Bool {
    stack == [Self.openBrace, Self.openBracket] && elementDepth == 2 && phase == .value && pending == .none
      && collect == .none && !inString && !escaped && !capturing && captureFrom == nil && kept == 0
      && !skipping && resumeList == nil && elementColumn == column && listKind == nil && valueKind == nil
      && valueIndented && self.column == 0 && !lineHasContent && wrappedLines == 0
  }
}

/// Up to `capacity` bytes in a fixed buffer of their own (`JSONScanner`'s collected key or
/// `kind`): emptied by setting the count, appended to with one copy, compared where it lies.
struct ShortBytes {
  static let capacity = 64
  private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
  private(set) var count = 0

  mutating func removeAll() { count = 0 }

  /// Appends `run`; the caller keeps the count within `capacity` (bytes past it are not kept).
  mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
    let taken = min(run.count, Self.capacity - count)
    guard taken > 0, let from = run.baseAddress else { return }
    let at = count
    withUnsafeMutableBytes(of: &storage) { $0.baseAddress?.advanced(by: at).copyMemory(from: from, byteCount: taken) }
    count += taken
  }

  /// True when the bytes held are `other`'s.
  func equals(_ other: [UInt8]) -> Bool {
    guard other.count == count else { return false }
    return withUnsafeBytes(of: storage) { held in
      for k in 0..<count where held[k] != other[k] { return false }
      return true
    }
  }

  /// The bytes held, decoded as UTF-8 (invalid bytes repaired, as `String(decoding:as:)` does).
  var string: String {
    withUnsafeBytes(of: storage) { String(decoding: UnsafeRawBufferPointer(rebasing: $0[0..<count]), as: UTF8.self) }
  }
}
