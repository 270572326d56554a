import Foundation
import PodmortemInput
import PodmortemModel

/// One input line as the kubectl parsers see it: colour codes (real `ESC[…m` or pasted as
/// `^[[…m`) and markdown bold removed, trailing white space trimmed, indentation measured.
struct KubectlLine {
  let line: Line
  /// What the text alone gives, in one object: a line `KubectlLineMemo` holds shares its reading
  /// with every later line of the same text, and a copy of the line copies one reference.
  private let reading: Reading

  /// The cleaned text.
  var text: String { reading.text }
  /// The cleaned text without its indentation.
  var body: Substring { reading.body }
  /// Leading white space in columns, a tab counting as two.
  var indent: Int { reading.indent }
  /// True when `text` is ASCII: the byte-level fast paths (`KubectlBytes`) apply.
  var isASCII: Bool { reading.isASCII }
  /// `Key:  value` → (`Key`, `value`) for describe fields; nil unless the key is a plain label
  /// (letters, digits, spaces, `-./()#_`) followed by `:` and then white space or the end.
  /// Read once, when the line is made: nearly every parser asks.
  var field: (key: Substring, value: Substring)? { reading.field }
  /// For a line `KubectlLineMemo` holds, a number no other text read by the same parser has: what
  /// depends on the text alone may be remembered under it (`EventRowMemo`). 0: not held.
  var textID: Int { reading.textID }
  /// The describe key sets `field`'s key is in (`DescribeKeys.kind`; empty without a field), read
  /// once with the field: a line `KubectlLineMemo` holds is not looked up again.
  var keyKind: DescribeKeyKind { reading.keyKind }
  /// The `DescribeKey` `field`'s key is (`DescribeKeys.key`; nil without a field), read once with
  /// the field as `keyKind`.
  var describeKey: DescribeKey? { reading.describeKey }

  /// What `init` reads from a line's text.
  final class Reading: Sendable {
    let text: String
    let body: Substring
    let indent: Int
    let isASCII: Bool
    let field: (key: Substring, value: Substring)?
    /// The words, when they were read ahead (a line `KubectlLineMemo` holds); nil: `tokens` reads them.
    let knownTokens: [Substring]?
    let textID: Int
    let keyKind: DescribeKeyKind
    let describeKey: DescribeKey?
    /// `KubectlLine.underline(body, isASCII:)`, read with the rest: an Events table and a condition
    /// table ask it of every row, and each asking reached the body again (about 450 instructions
    /// a row; docs/architecture.md "Speed of the describe path").
    let isUnderline: Bool
    /// For a held line (`textID` not 0), the strings the describe block keeps from it, made once
    /// per held text (`HeldStrings`); nil for a line not held, and for a held one the block asks
    /// none of them of. One reference, nil for the lines a sniffer reads and drops: three optional
    /// strings cost their release in every reading's deinit.
    let heldStrings: HeldStrings?

    /// `heldAs`: 0 for a line not held; otherwise its `textID`, and its words read ahead as
    /// `KubectlLine.held(as:)` reads them (`KubectlLine.readsWordsAhead`).
    init(
      text: String, body: Substring, indent: Int, isASCII: Bool, field: (key: Substring, value: Substring)?,
      heldAs id: Int = 0
    ) {
      // Everything read from `body` and `field` before they are stored: read after, each cost a
      // retain and a release of the line's storage (callgrind).
      // Looked up from the key alone: `field.map` and `field.flatMap` each copied the whole optional
      // pair (both substrings retained) and released it, on every line read afresh (callgrind).
      let keyKind: DescribeKeyKind
      let describeKey: DescribeKey?
      if let key = field?.key {
        // One search of the table for both (`DescribeKeys.lookUp`).
        (keyKind, describeKey) = DescribeKeys.lookUp(key)
      } else {
        keyKind = []
        describeKey = nil
      }
      var knownTokens: [Substring]?
      if id != 0, KubectlLine.readsWordsAhead(body, keyKind: keyKind, describeKey: describeKey) {
        knownTokens = KubectlLine.words(body, isASCII: isASCII)
      }
      self.isUnderline = KubectlLine.underline(body, isASCII: isASCII)
      self.heldStrings =
        id == 0
        ? nil
        : HeldStrings.asked(
          field: field, words: knownTokens, body: body, isASCII: isASCII, keyKind: keyKind, describeKey: describeKey)
      self.keyKind = keyKind
      self.describeKey = describeKey
      self.knownTokens = knownTokens
      self.text = text
      self.body = body
      self.indent = indent
      self.isASCII = isASCII
      self.field = field
      self.textID = id
    }

    /// `reading` with its words and number (`KubectlLine.held(as:)`): the keys are not looked up again.
    init(_ reading: Reading, knownTokens: [Substring]?, textID: Int) {
      self.text = reading.text
      self.body = reading.body
      self.indent = reading.indent
      self.isASCII = reading.isASCII
      self.field = reading.field
      self.knownTokens = knownTokens
      self.textID = textID
      self.keyKind = reading.keyKind
      self.describeKey = reading.describeKey
      self.isUnderline = reading.isUnderline
      // The words are the same whether read ahead or when asked: a held reading's strings were
      // chosen with its words when it had them, and a reading without words asks no first word.
      if textID == 0 {
        self.heldStrings = nil
      } else if reading.textID != 0, reading.knownTokens != nil || knownTokens == nil {
        self.heldStrings = reading.heldStrings
      } else {
        self.heldStrings = HeldStrings.asked(
          field: reading.field, words: knownTokens, body: reading.body, isASCII: reading.isASCII,
          keyKind: reading.keyKind, describeKey: reading.describeKey)
      }
    }
  }

  /// What a held line gives the describe block as strings, made once per held text: the block
  /// keeps a field's value (a phase, an image, a limit) or a condition row's type from nearly every
  /// line it reads, and made afresh for every pod each `String` of a `Substring` cost about 240
  /// instructions (docs/architecture.md "Speed of the describe path"). Made only for the texts and
  /// parts the block can ask them of (`asked`): made for every held line, the strings nobody
  /// asked (a probe line's value and the two label splits of its `=`, an environment line's key
  /// and value) raised the describes' peak RSS (docs/architecture.md "Memory of the EventList and
  /// describe paths"). A part not made is made when asked, from the same bytes.
  final class HeldStrings: Sendable {
    /// `String(field.key)` and `String(field.value)`; nil without a field or when not made.
    let key: String?
    let value: String?
    /// `String(tokens[0])`; nil when not made.
    let firstWord: String?
    /// A label's name and value as `DescribeBlock.label` reads them from the body (`tier=web`
    /// under `Labels:`) and from the field's value (`Labels:  app=web`), nil inside where it reads
    /// none; nil outside when not made.
    let bodyLabel: (key: String, value: String)??
    let valueLabel: (key: String, value: String)??
    /// For a line of two words, the second a condition's status (`Ready  True`):
    /// `PodCondition(type: tokens[0], status: DescribeBlock.conditionStatus(tokens[1]))`, the
    /// condition `DescribeBlock.conditionLine` makes of it in a table of two columns; nil otherwise.
    let condition: PodCondition?

    private init(
      key: String?, value: String?, firstWord: String?, bodyLabel: (key: String, value: String)??,
      valueLabel: (key: String, value: String)??, condition: PodCondition?
    ) {
      self.key = key
      self.value = value
      self.firstWord = firstWord
      self.bodyLabel = bodyLabel
      self.valueLabel = valueLabel
      self.condition = condition
    }

    /// The strings `DescribeBlock` can ask of a held line of this reading (its field, its words
    /// when read ahead, its body, its key's sets and case), from the text alone; nil when it can
    /// ask none:
    /// - the key, of a field whose key is no describe key and starts with a lower-case letter or a
    ///   digit: a container's name (`  web:`, a DNS label) and a limit's or a request's resource
    ///   (`cpu:  500m`, `nvidia.com/gpu:  1`); an environment variable (`POD_NAME:  …`) is read
    ///   from the body;
    /// - the value, of those keys with a value (a limit, a request) and of the describe keys whose
    ///   value the block keeps as it is (`valueKeys`);
    /// - the first word, of a line whose second word is a condition's status (`conditionLine`);
    /// - the body's label, of a body without a space (`sectionLine` under `Labels:`);
    /// - the value's label, of `Labels:`.
    ///
    /// Out of line: called once per held text, and inlined it kept `Reading.init` from being
    /// inlined into `KubectlLine.init` (with `underline`), which every line read afresh passes
    /// through (a bundle's sniffed heads: +0.1 %, callgrind).
    @inline(never)
    static func asked(
      field: (key: Substring, value: Substring)?, words: [Substring]?, body: Substring, isASCII: Bool,
      keyKind: DescribeKeyKind, describeKey: DescribeKey?
    ) -> HeldStrings? {
      var key: String?
      var value: String?
      var valueLabel: (key: String, value: String)??
      if let (k, v) = field {
        if let describeKey {
          if valueKeys.contains(describeKey) { value = String(v) }
          if describeKey == .labels { valueLabel = .some(DescribeBlock.label(v)) }
        } else if keyKind.isEmpty, let first = k.utf8.first, KubectlBytes.isLower(first) || KubectlBytes.isDigit(first)
        {
          key = String(k)
          if !v.isEmpty { value = String(v) }
        }
      }
      var firstWord: String?
      var condition: PodCondition?
      if let words, words.count >= 2, let status = DescribeBlock.conditionStatus(words[1]) {
        let type = String(words[0])
        firstWord = type
        if words.count == 2 { condition = PodCondition(type: type, status: status) }
      }
      var bodyLabel: (key: String, value: String)??
      if isASCII ? !KubectlBytes.contains(body.utf8, 0x20) : !body.contains(" ") {
        bodyLabel = .some(DescribeBlock.label(body))
      }
      guard key != nil || value != nil || firstWord != nil || bodyLabel != nil || valueLabel != nil else { return nil }
      return HeldStrings(
        key: key, value: value, firstWord: firstWord, bodyLabel: bodyLabel, valueLabel: valueLabel,
        condition: condition)
    }

    /// The describe keys whose value `DescribeBlock` keeps as a `String` of the value
    /// (`topField`, `containerFieldLine`, `stateField`).
    static let valueKeys: Set<DescribeKey> = [
      .name, .namespace, .status, .reason, .message, .controlledBy, .qosClass, .holderIdentity, .replicas,
      .podsStatus, .podsStatuses, .image, .state, .lastState, .lastTerminationState,
    ]
  }

  /// `String(field.key)`: the held reading's copy (`HeldStrings.key`), made once per text
  /// `KubectlLineMemo` holds, or made now; empty without a field.
  var keyString: String { reading.heldStrings?.key ?? (reading.field.map { String($0.key) } ?? "") }

  /// `String(field.value)`: the held reading's copy (`HeldStrings.value`), made once per text
  /// `KubectlLineMemo` holds, or made now; empty without a field.
  var valueString: String { reading.heldStrings?.value ?? (reading.field.map { String($0.value) } ?? "") }

  /// `String(tokens[0])`: the held reading's copy (`HeldStrings.firstWord`), made once per text
  /// `KubectlLineMemo` holds with its words, or made now; empty without words.
  var firstWordString: String { reading.heldStrings?.firstWord ?? (tokens.first.map { String($0) } ?? "") }

  /// `HeldStrings.condition`: the condition a two-column table makes of this held row, once per
  /// text; nil for a line not held or not such a row.
  var heldCondition: PodCondition? { reading.heldStrings?.condition }

  /// The held reading's strings (`HeldStrings`), nil when none were made: for tests.
  var heldStrings: HeldStrings? { reading.heldStrings }

  /// `DescribeBlock.label(body)` (`ofBody`) or `DescribeBlock.label(field.value)`: the held
  /// reading's (`HeldStrings`), read once per text `KubectlLineMemo` holds, or read now.
  func label(ofBody: Bool) -> (key: String, value: String)? {
    if let held = reading.heldStrings, let made = ofBody ? held.bodyLabel : held.valueLabel { return made }
    return ofBody ? DescribeBlock.label(body) : field.flatMap { DescribeBlock.label($0.value) }
  }

  /// `bytes: false` reads the line `Character` by `Character` only: the reference the byte-level
  /// fast paths are tested against (`KubectlBytesTests`).
  ///
  /// `heldAs`: 0 for a line not held; otherwise the line as `held(as: heldAs)` makes it, read in one
  /// reading (`KubectlLineMemo`: reading it and then making the held reading from it allocated and
  /// filled two, and released the first).
  init(_ line: Line, bytes: Bool = true, heldAs id: Int = 0) {
    self.line = line
    if bytes, let shape = Self.plainShape(line.text) {
      // Nothing to clean (no colour, quote, code, bold, comment, pipe or frame): only the trailing
      // white space goes, and every question below is answered from the bytes.
      let utf8 = line.text.utf8
      let text =
        shape.end < utf8.count
        ? String(Substring(utf8[..<utf8.index(utf8.startIndex, offsetBy: shape.end)])) : line.text
      let bytes = text.utf8
      let body = Substring(bytes[bytes.index(bytes.startIndex, offsetBy: shape.start)...])
      self.reading = Reading(
        text: text, body: body, indent: shape.indent, isASCII: true, field: KubectlBytes.field(body), heldAs: id)
      return
    }
    var text = line.text
    if text.utf8.contains(0x1B) || text.utf8.contains(0x5E) { text = Self.stripColour(text) }
    // A web page's copy pads with no-break spaces (U+00A0, `&nbsp;`): padding all the same.
    if text.utf8.contains(0xA0), text.contains("\u{00A0}") { text = text.replacing("\u{00A0}", with: " ") }
    // A markdown quote (`> Name:  web-0`, `>   Warning  Unhealthy …`): the quoted text is the paste.
    if text.utf8.first == 0x3E { text = Self.unquote(text) }
    // A row pasted as inline code: `` `web-0   0/1   CrashLoopBackOff   5   2m` ``.
    if text.utf8.first == 0x60 || text.utf8.last == 0x60 { text = Self.uncode(text) }
    if text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("**") { text = text.replacing("**", with: "") }
    // Emphasis around one cell (`**_**ErrImagePull**_**`): bold and italic markers glued to a word.
    if text.utf8.contains(0x2A), text.contains("**") {
      text = text.replacing("**_**", with: "").replacing("**", with: "")
    }
    // A shell comment in front of pasted output (`#   Warning  DeadlineExceeded  12m …`).
    if text.utf8.first == 0x23, text.hasPrefix("# ") || text.hasPrefix("#\t") || text == "#" {
      text = String(text.dropFirst(text.count > 1 ? 2 : 1))
    }
    if text.utf8.contains(0x7C), text.contains(" | ") { text = Self.unpipe(text) }
    // A terminal UI's frame (k9s draws `│` down both sides of its describe view).
    if text.utf8.contains(0xE2), text.contains("│") { text = Self.unframe(text) }
    let trimmedEnd = text.lastIndex { !$0.isWhitespace }.map { text.index(after: $0) } ?? text.startIndex
    let cleaned = String(text[..<trimmedEnd])
    let start = cleaned.firstIndex { $0 != " " && $0 != "\t" } ?? cleaned.endIndex
    // A pasted tab usually stands for one describe level (PrefixWriter's two spaces, §1.1).
    let indent = cleaned[..<start].reduce(0) { $0 + ($1 == "\t" ? 2 : 1) }
    let body = cleaned[start...]
    let isASCII = bytes && KubectlBytes.isASCII(cleaned[...].utf8)
    self.reading = Reading(
      text: cleaned, body: body, indent: indent, isASCII: isASCII,
      field: isASCII ? KubectlBytes.field(body) : Self.characterField(body), heldAs: id)
  }

  /// When `text` is ASCII and holds nothing the cleaning steps of `init` would change (no ESC or
  /// `^` (colour), `*` (bold), `|` (a markdown table), no `>`, `` ` `` or `#` first and no `` ` ``
  /// last): where its trailing white space begins (`end`), where its indentation ends (`start`)
  /// and the indentation in columns, a tab counting as two, read in one pass over the bytes. Nil
  /// when it does (or is not stored contiguously): the full cleaning runs.
  private static func plainShape(_ text: String) -> (end: Int, start: Int, indent: Int)? {
    text.utf8.withContiguousStorageIfAvailable { bytes -> (end: Int, start: Int, indent: Int)? in
      if let first = bytes.first, let last = bytes.last {
        if first == 0x3E || first == 0x60 || first == 0x23 || last == 0x60 { return nil }
        guard isPlain(bytes) else { return nil }
      }
      var end = bytes.count
      while end > 0, KubectlBytes.isWhitespace(bytes[end - 1]) { end -= 1 }
      var start = 0
      var indent = 0
      while start < end, KubectlBytes.isBlank(bytes[start]) {
        indent += bytes[start] == 0x09 ? 2 : 1
        start += 1
      }
      return (end, start, indent)
    } ?? nil
  }

  /// True when no byte of `bytes` is ≥ 0x80, ESC, `^`, `*` or `|`: eight bytes at a time, each
  /// word tested for a high bit and for a byte equal to each of the four (the zero-byte test of
  /// http://graphics.stanford.edu/~seander/bithacks.html#ZeroInWord, which is exact as a yes/no).
  private static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      while i + 8 <= n {
        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        if w & 0x8080_8080_8080_8080 != 0 || hasByte(w, 0x1B) || hasByte(w, 0x5E) || hasByte(w, 0x2A)
          || hasByte(w, 0x7C)
        {
          return false
        }
        i += 8
      }
    }
    while i < n {
      let b = bytes[i]
      if b >= 0x80 || b == 0x1B || b == 0x5E || b == 0x2A || b == 0x7C { return false }
      i += 1
    }
    return true
  }

  /// True when some byte of `word` is `byte`.
  @inline(__always) private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
  }

  /// `known`'s reading (a line of the same text) for `line`: its number and truncation, the held
  /// text (the same bytes) and everything read from it (`KubectlLineMemo`).
  init(_ line: Line, as known: KubectlLine) {
    self.line = Line(number: line.number, text: known.line.text, truncated: line.truncated)
    self.reading = known.reading
  }

  /// Line `number` (not cut) with `known`'s text and reading: `init(_:as:)` of a line whose text
  /// is `known`'s, without that line's own `String` (`KubectlLineMemo.held(_:number:)`).
  init(number: Int, as known: KubectlLine) {
    self.line = Line(number: number, text: known.line.text, truncated: false)
    self.reading = known.reading
  }

  private init(line: Line, reading: Reading) {
    self.line = line
    self.reading = reading
  }

  /// This line known by `id`, its words read now unless it is a describe field's or an Events row's
  /// (`readsWordsAhead`), for the readings that are held and given out again. `KubectlLineMemo`
  /// reads a line it holds this way in one go (`init(_:bytes:heldAs:)`).
  func held(as id: Int) -> KubectlLine {
    let ahead = Self.readsWordsAhead(body, keyKind: keyKind, describeKey: describeKey)
    return KubectlLine(line: line, reading: Reading(reading, knownTokens: ahead ? readTokens : nil, textID: id))
  }

  /// Whether a held line's words are read ahead: not for the lines the describe path does not ask
  /// for them once held, whose words are read when asked (`tokens`, `leadingTokens`), the same
  /// words. A describe field's line (`Image:  …`, `Container ID:  …`, the lines that differ from pod
  /// to pod and so are the ones read afresh) is not asked for them. Nor is a line whose first word
  /// is an event type (`Normal`, `Warning`: a describe's Events row): a held row is read once per
  /// table state (`EventRowMemo`, under its `textID`), from its first words only
  /// (`leadingTokens`), and its words read ahead (about 3,900 instructions for a row) were asked
  /// by no one on the rows the row memo answers (docs/architecture.md "Speed of the describe path").
  static func readsWordsAhead(_ body: Substring, keyKind: DescribeKeyKind, describeKey: DescribeKey?) -> Bool {
    if describeKey != nil || !keyKind.isEmpty { return false }
    return !KubectlBytes.firstWordIs(body, "Normal") && !KubectlBytes.firstWordIs(body, "Warning")
  }

  /// True when the words were read with the line (a held line's, `readsWordsAhead`, or
  /// `withTokensRead`).
  var wordsKnown: Bool { reading.knownTokens != nil }

  /// This line with its words read now, for a caller that asks for them many times: the sniffer
  /// tries every headerless table layout on a line, and each layout asked for the words afresh
  /// (on a kubelet log's head, 16 splits of a long line). The same words `tokens` reads.
  func withTokensRead() -> KubectlLine {
    guard reading.knownTokens == nil else { return self }
    return KubectlLine(line: line, reading: Reading(reading, knownTokens: readTokens, textID: reading.textID))
  }

  var isBlank: Bool { body.isEmpty }
  var number: Int { line.number }

  /// The words of the line, split on spaces and tabs; each keeps its position in `text`.
  var tokens: [Substring] { reading.knownTokens ?? readTokens }

  /// The first `limit` of `tokens` and whether they are all of them: on an ASCII line whose words
  /// are not read yet and hold no placeholder (`<`), only as many as asked are split
  /// (`KubectlBytes.words(_:limit:)`); otherwise all of `tokens`. `DescribeRowBytesTests` holds a
  /// row read from them to one read from `tokens`.
  func leadingTokens(_ limit: Int) -> (words: [Substring], complete: Bool) {
    if let known = reading.knownTokens { return (known, true) }
    guard isASCII, !KubectlBytes.contains(body.utf8, 0x3C) else { return (readTokens, true) }
    return KubectlBytes.words(body, limit: limit)
  }

  /// `tokens`, read from the text.
  private var readTokens: [Substring] { Self.words(body, isASCII: isASCII) }

  /// The words of `body` (a line's, `isASCII` its text's): `tokens`.
  static func words(_ body: Substring, isASCII: Bool) -> [Substring] {
    let words = isASCII ? KubectlBytes.words(body) : body.split(whereSeparator: { $0 == " " || $0 == "\t" })
    return KubectlBytes.contains(body.utf8, 0x3C) ? Self.joiningPlaceholders(words) : words
  }

  /// `words` with a poster's placeholder of up to three words kept as one token: `pod/egg-<id here>`
  /// is one cell of a pasted `get events` row, not two that shift every column after it. A
  /// placeholder opens with `<` and a letter inside a word and closes with `>` (then at most one
  /// `.`, `,` or `)`) at the end of one of the next two words, which hold no `<` or other `>`; an
  /// operator in a message (`a < 5 and b > 3`) opens with no letter and stays words.
  static func joiningPlaceholders(_ words: [Substring]) -> [Substring] {
    var joined: [Substring] = []
    joined.reserveCapacity(words.count)
    var i = 0
    while i < words.count {
      let word = words[i]
      if opensPlaceholder(word),
        let close = (i + 1..<min(i + 3, words.count)).first(where: { closesPlaceholder(words[$0]) }),
        words[(i + 1)..<close].allSatisfy({ !$0.contains("<") && !$0.contains(">") })
      {
        joined.append(word.base[word.startIndex..<words[close].endIndex])
        i = close + 1
      } else {
        joined.append(word)
        i += 1
      }
    }
    return joined
  }

  /// A word whose last `<` is followed by a letter and no `>`: `egg-<id`, `<pod`.
  private static func opensPlaceholder(_ word: Substring) -> Bool {
    guard let open = word.lastIndex(of: "<") else { return false }
    let inside = word[word.index(after: open)...]
    return inside.first?.isLetter == true && !inside.contains(">")
  }

  /// A word with no `<` that ends with `>`, then at most one `.`, `,` or `)`: `here>`, `name>.`.
  private static func closesPlaceholder(_ word: Substring) -> Bool {
    guard !word.contains("<") else { return false }
    let core = word.last.map { ".,)".contains($0) } == true ? word.dropLast() : word
    return core.count > 1 && core.last == ">" && core.dropLast().allSatisfy { $0 != ">" }
  }

  /// The column `token` (a slice of `text`) starts at, counted in characters.
  func column(of token: Substring) -> Int {
    isASCII
      ? text.utf8.distance(from: text.startIndex, to: token.startIndex)
      : text.distance(from: text.startIndex, to: token.startIndex)
  }

  /// True when the line holds a tab.
  var hasTab: Bool { text.utf8.contains(0x09) }

  /// `field` read `Character` by `Character`: the reference the byte-level reading
  /// (`KubectlBytes.field`) must agree with on ASCII text.
  static func characterField(_ body: Substring) -> (key: Substring, value: Substring)? {
    guard let colon = body.firstIndex(of: ":"), colon > body.startIndex else { return nil }
    let key = body[..<colon]
    let after = body.index(after: colon)
    guard after == body.endIndex || body[after] == " " || body[after] == "\t" else { return nil }
    guard let first = key.first, first.isLetter, key.last != " ",
      key.allSatisfy({ $0.isLetter || $0.isNumber || " -./()#_".contains($0) })
    else { return nil }
    let value = body[after...].drop { $0 == " " || $0 == "\t" }
    return (key, value)
  }

  /// The text from the start of `token` to the end of the line.
  func rest(from token: Substring) -> Substring { text[token.startIndex...] }

  /// A line of only dashes and white space (a table underline, a `grep -A` separator), read once
  /// with the line's text (`Reading.isUnderline`).
  var isUnderline: Bool { reading.isUnderline }

  /// True when `body` (a line's, `isASCII` its text's) is not empty and holds only dashes and
  /// white space.
  static func underline(_ body: Substring, isASCII: Bool) -> Bool {
    guard !body.isEmpty else { return false }
    if isASCII { return body.utf8.allSatisfy { $0 == 0x2D || KubectlBytes.isBlank($0) } }
    return body.allSatisfy { $0 == "-" || $0 == " " || $0 == "\t" }
  }

  /// A line wrapped in single backticks, without them (a fence's three backticks stay).
  /// A line whose opening backtick a cut copy lost keeps its closing one: when that is the line's
  /// only backtick and its last character, it goes too.
  static func uncode(_ text: String) -> String {
    var body = Substring(text).drop { $0 == " " }
    if body.last == "`", !body.hasPrefix("`"), text.utf8.lazy.filter({ $0 == UInt8(ascii: "`") }).count == 1 {
      return String(body.dropLast())
    }
    guard !body.hasPrefix("``"), body.hasPrefix("`") else { return text }
    body = body.dropFirst()
    var trimmed = body
    while trimmed.last == " " { trimmed = trimmed.dropLast() }
    if trimmed.hasSuffix("`") { trimmed = trimmed.dropLast() }
    return String(trimmed)
  }

  /// The text between a frame's `│` borders: the left border and one space after it, and the right
  /// border with the padding before it, removed; a `│` inside the text stays.
  static func unframe(_ text: String) -> String {
    var body = Substring(text).drop { $0 == " " }
    guard body.first == "│" else { return text }
    body = body.dropFirst()
    if body.first == " " { body = body.dropFirst() }
    var end = body
    while end.last == " " { end = end.dropLast() }
    if end.last == "│" { body = end.dropLast() }
    return String(body)
  }

  /// The text of a markdown quote line: `> ` (or a bare `>`) removed, nested quotes too.
  static func unquote(_ text: String) -> String {
    var rest = Substring(text)
    while rest.hasPrefix(">") {
      rest = rest.dropFirst()
      if rest.hasPrefix(" ") { rest = rest.dropFirst() }
    }
    return String(rest)
  }

  /// A markdown table row (`Warning | FailedScheduling | 21h | default-scheduler | 0/4 nodes …`,
  /// how web consoles' event lists paste into an issue) as the padded columns kubectl prints: cells
  /// joined by three spaces, the outer pipes dropped. A line with fewer than three cells is prose.
  static func unpipe(_ text: String) -> String {
    var body = Substring(text).drop { $0 == " " || $0 == "\t" }
    if body.hasPrefix("|") { body = body.dropFirst() }
    if body.hasSuffix("|") { body = body.dropLast() }
    let cells = body.split(separator: "|", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    // kubectl's own `Replicas:  3 desired | 3 updated | …` is a describe field, not a table.
    guard cells.count >= 3, !cells[0].contains(": "), !cells[0].hasSuffix(":") else { return text }
    return cells.joined(separator: "   ")
  }

  private static func stripColour(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var scalars = text.unicodeScalars[...]
    while let c = scalars.first {
      var introducer = 0
      if c == "\u{1B}", scalars.dropFirst().first == "[" {
        introducer = 2
      } else if c == "^", scalars.dropFirst().starts(with: "[[".unicodeScalars) {
        introducer = 3
      }
      if introducer > 0 {
        let params = scalars.dropFirst(introducer).prefix { ("0"..."9").contains($0) || $0 == ";" || $0 == "?" }
        let final = scalars.dropFirst(introducer + params.count).first
        if let final, final.properties.isAlphabetic, final.isASCII {
          scalars = scalars.dropFirst(introducer + params.count + 1)
          continue
        }
      }
      out.unicodeScalars.append(c)
      scalars = scalars.dropFirst()
    }
    return out
  }
}
