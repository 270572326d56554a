import PodmortemModel
import PodmortemText

/// The Events table at the end of a describe output, in every era (docs/kubernetes.md §1.6, §1.7):
/// `Type Reason Age From Message` (1.8+), `FirstSeen LastSeen Count From SubObjectPath Type Reason
/// Message` (1.2–1.7, ShortHumanDuration ages) and the ≤1.1 table with absolute times and no Type.
///
/// A row is emitted when the next row, a blank line or the end arrives, because a message may
/// continue on following lines at column 0.
struct DescribeEventsTable {
  enum Era: Equatable {
    case modern, v17, v11
  }

  /// The object the events are about: describe filters by it (§1.6). Its name is empty when the
  /// table was pasted without the describe block above it.
  var owner: ObjectRef
  var era: Era = .modern
  /// The header's From and Message offsets (read by the tests' reference rows).
  private(set) var fromColumn: Int?
  private(set) var messageColumn: Int?
  private var pending: Event?
  private var pendingLines = 0

  init(owner: ObjectRef) {
    self.owner = owner
  }

  /// The era a header line names, if it is one.
  static func header(_ line: KubectlLine) -> Era? {
    // Every line of a describe's Events table is asked: only `Type …` or `FirstSeen …` may be one.
    // Their first bytes are looked at before the words are compared: every line of a container
    // log's head is asked this, and each comparison reaches the bytes through the view's
    // contiguous storage, about 300 instructions (docs/architecture.md, "Sniffing a head of long
    // lines"; `EventsHeaderGateTests` holds this to the comparisons alone).
    if line.isASCII {
      let first = line.body.utf8.first
      if first != 0x54 && first != 0x46 { return nil }
      if !KubectlBytes.firstWordIs(line.body, "Type"), !KubectlBytes.firstWordIs(line.body, "FirstSeen") { return nil }
    }
    let words = line.tokens
    switch words {
    case ["Type", "Reason", "Age", "From", "Message"]: return .modern
    // 1.3–1.5 spelled it `SubobjectPath`.
    case ["FirstSeen", "LastSeen", "Count", "From", "SubObjectPath", "Type", "Reason", "Message"],
      ["FirstSeen", "LastSeen", "Count", "From", "SubobjectPath", "Type", "Reason", "Message"]:
      return .v17
    case ["FirstSeen", "LastSeen", "Count", "From", "SubobjectPath", "Reason", "Message"]: return .v11
    default: return nil
    }
  }

  /// Consumes a line of the table; nil when the line is not part of it.
  /// `ages` reads the rows' age cells (`AgeMemo`).
  mutating func feed(
    _ line: KubectlLine, context: ParseContext, ages: inout AgeMemo, rows: inout EventRowMemo,
    emit: (consuming Record) -> Void
  ) -> SourceAccount.Verdict? {
    if let era = Self.header(line) {
      flush(emit: emit)
      self.era = era
      let columns = line.tokens.map { line.column(of: $0) }
      // Offsets count characters; a tab in the header (a copy that kept tabs) makes them meaningless.
      let aligned = era == .modern && !Self.hasTab(line)
      fromColumn = aligned ? columns[3] : nil
      messageColumn = aligned ? columns[4] : nil
      return .ignored
    }
    if line.isUnderline {
      flush(emit: emit)
      return .ignored
    }
    if let event = heldRow(line, context: context, ages: &ages, rows: &rows) {
      flush(emit: emit)
      pending = consume event
      pendingLines = 1
      return .parsed
    }
    // A message with embedded newlines continues at column 0 (§1.6); a wrapped paste puts the
    // whole message on the next line. An indented `Normal`/`Warning` line is a row this table
    // could not read, never part of the message before it.
    let looksLikeRow = line.indent > 0 && line.tokens.first.map { Cells.isEventType($0) } == true
    if var event = pending, pendingLines < Self.maxContinuationLines, !(looksLikeRow && !event.message.isEmpty) {
      let text = line.indent == 0 ? Substring(line.text) : line.body
      event.message = event.message.isEmpty ? String(text) : event.message + "\n" + text
      // The message changed: what a held row's message was recognised as (`heldRow`) is not this
      // message's; `Ingestor.classify` recognises the whole of it, as for any row.
      event.patternID = nil
      event.captures = []
      event.evidence.append(context.evidence(line.line))
      pending = event
      pendingLines += 1
      return .parsed
    }
    return nil
  }

  /// Emits the row still waiting for continuation lines.
  mutating func flush(emit: (consuming Record) -> Void) {
    // Moved out, not copied: the row is emitted once.
    if let event = pending.take() { emit(.event(consume event)) }
    pendingLines = 0
  }

  /// More continuation lines than this end the row: a message is at most a few KiB.
  private static let maxContinuationLines = 200

  /// `row(_:context:ages:)`, read once per distinct text and table state (`EventRowMemo`).
  private func heldRow(
    _ line: KubectlLine, context: ParseContext, ages: inout AgeMemo, rows: inout EventRowMemo
  ) -> Event? {
    guard line.textID != 0 else { return row(line, context: context, ages: &ages) }
    let key = EventRowMemo.Key(
      textID: line.textID, era: era, fromColumn: fromColumn, messageColumn: messageColumn,
      capture: context.captureTime)
    // A held row is made in the memo, copied out of its slot once (`EventRowMemo.row(at:owner:
    // evidence:)`): handed out as an optional of an optional and bound, it was copied twice, a
    // retain and a release of each of its strings more (callgrind).
    if let slot = rows.slot(key) {
      return rows.row(at: slot, owner: owner, evidence: context.evidence(line.line))
    }
    // Read for an owner with nothing set: the owner is this table's, set below.
    var ownerless = self
    ownerless.owner = ObjectRef(name: "")
    ownerless.pending = nil
    var read = ownerless.row(line, context: context, ages: &ages)
    // Its message recognised once too, as `Ingestor.classify` recognises an event's message when
    // no pattern is set (the same catalog: the Ingestor sets `context.patterns`); a row whose
    // message goes on is recognised again whole (`feed`).
    if read?.patternID == nil, let message = read?.message,
      let hit = context.patterns.firstMatch(message, kind: .event)
    {
      read?.patternID = hit.patternID
      read?.captures = hit.captures
    }
    rows.hold(read, key)
    guard var event = read else { return nil }
    EventRowMemo.own(&event, owner: owner, evidence: context.evidence(line.line))
    return event
  }

  /// Reads a row of any era (tried in the era of the header first).
  func row(_ line: KubectlLine, context: ParseContext) -> Event? {
    var ages = AgeMemo(enabled: false)
    return row(line, context: context, ages: &ages)
  }

  /// `row(_:context:)` with its age cells read through `ages`.
  func row(_ line: KubectlLine, context: ParseContext, ages: inout AgeMemo) -> Event? {
    switch era {
    case .modern: modernRow(line, context, &ages) ?? v17Row(line, context, &ages)
    case .v17: v17Row(line, context, &ages) ?? modernRow(line, context, &ages)
    case .v11: v11Row(line, context)
    }
  }

  /// The words a modern row whose age cell is a time (`readsWholeAgeCell`) is read from: its type,
  /// reason, an age cell of up to six words (a 1.0–1.1 time), a source of up to two (`kubelet,
  /// node-1`) and the message's first word, whose rest of the line is the message. Every index the
  /// row compares with the count of its words is below this, so the first `datedRowWords` words
  /// answer as all of them do, except a `{kubelet node-1}` source, which runs to its closing word:
  /// read again with all of them.
  static let datedRowWords = 12

  /// The words a row is read from when its third word is no such time (`readsWholeAgeCell`): an
  /// age cell of one word or four (`5m (x3 over 10m)`), so the last index the row compares with
  /// the count of its words is 2 + 4 + 2 = 8 (docs/architecture.md "Speed of the describe path").
  static let rowWords = 9

  private func modernRow(_ line: KubectlLine, _ context: ParseContext, _ ages: inout AgeMemo) -> Event? {
    // Split only as far as the cells need (`KubectlLine.leadingTokens`): a first-time row's message
    // was split word by word and then taken whole.
    var (t, complete) = line.leadingTokens(Self.rowWords)
    // An age cell `AgeCell.read` reads (a dated or RFC1123Z time: up to six words) needs more.
    if !complete, t.count > 2, Self.readsWholeAgeCell(t[2].utf8) {
      (t, complete) = line.leadingTokens(Self.datedRowWords)
    }
    return modernRow(line, t, complete: complete, context, &ages)
  }

  /// `modernRow` from the row's first words `t`; `complete`: they are all of its words.
  private func modernRow(
    _ line: KubectlLine, _ t: [Substring], complete: Bool, _ context: ParseContext, _ ages: inout AgeMemo
  ) -> Event? {
    guard t.count >= 3, Cells.isEventType(t[0]),
      let age = line.isASCII
        ? Self.asciiAgeCell(t, at: 2, capture: context.captureTime, age: { ages.parse($0, style: .human) })
        : AgeCell.read(t, at: 2, style: .human, capture: context.captureTime, age: { ages.parse($0, style: .human) })
    else { return nil }
    var i = 2 + age.consumed
    var source: (component: String, host: String?, consumed: Int)?
    if i < t.count {
      // A `{…}` source runs to the word that closes it, which may lie past the words split.
      if !complete, t[i].utf8.first == 0x7B {
        return modernRow(line, line.tokens, complete: true, context, &ages)
      }
      let offset = line.column(of: t[i])
      // Header offsets tell an empty From from a message that starts with a lower-case word.
      // Not on a row with tabs: its offsets are not the header's.
      let fromIsEmpty = offset == messageColumn && fromColumn != messageColumn && !Self.hasTab(line)
      if !fromIsEmpty && (offset == fromColumn || Cells.looksLikeComponent(t[i])) {
        source = Self.source(t, at: i)
        i += source?.consumed ?? 0
      }
    }
    var event = makeEvent(
      type: EventType(String(t[0])), reason: t[1], message: i < t.count ? line.rest(from: t[i]) : "", context: context,
      line: line)
    event.sourceComponent = source?.component
    event.sourceHost = source?.host
    if let count = age.count {
      event.count = count
      event.lastSeen = age.time
      event.firstSeen = age.first
    } else {
      event.firstSeen = age.time
      event.lastSeen = age.time
    }
    return event
  }

  func v17Row(_ line: KubectlLine, _ context: ParseContext, _ ages: inout AgeMemo) -> Event? {
    let t = line.tokens
    // COUNT and a TYPE cell after it first: they cost little and turn away most lines, where the
    // ages cost most (every line of a head a sniffer reads is asked whether it is such a row).
    guard t.count >= 6, Int(t[2]) != nil, t[3...].contains(where: Cells.isEventType),
      let first = AgeCell.read(
        t, at: 0, style: .short, capture: context.captureTime, allowCount: false, age: { ages.parse($0, style: .short) }
      ),
      first.consumed == 1,
      let last = AgeCell.read(
        t, at: 1, style: .short, capture: context.captureTime, allowCount: false, age: { ages.parse($0, style: .short) }
      ),
      last.consumed == 1, let count = Int(t[2])
    else { return nil }
    var i = 3
    var source: (component: String, host: String?, consumed: Int)?
    if !Cells.isEventType(t[i]) && !Cells.looksLikeFieldPath(t[i]) {
      source = Cells.source(t, at: i)
      i += source?.consumed ?? 0
    }
    var fieldPath: String?
    if i < t.count, Cells.looksLikeFieldPath(t[i]) {
      fieldPath = String(t[i])
      i += 1
    }
    guard i + 1 < t.count, Cells.isEventType(t[i]) else { return nil }
    var event = makeEvent(
      type: EventType(String(t[i])), reason: t[i + 1], message: i + 2 < t.count ? line.rest(from: t[i + 2]) : "",
      context: context, line: line)
    if let fieldPath { event.involved.fieldPath = fieldPath }
    event.sourceComponent = source?.component
    event.sourceHost = source?.host
    event.count = count
    event.firstSeen = first.time
    event.lastSeen = last.time
    return event
  }

  func v11Row(_ line: KubectlLine, _ context: ParseContext) -> Event? {
    let t = line.tokens
    // COUNT first: the two times are read from twelve words joined (see `v17Row`).
    guard t.count >= 15, Int(t[12]) != nil else { return nil }
    let firstText = t[0...5].joined(separator: " ")
    let lastText = t[6...11].joined(separator: " ")
    guard let first = Timestamps.range(firstText), let last = Timestamps.range(lastText), let count = Int(t[12]),
      let source = Cells.source(t, at: 13)
    else { return nil }
    var i = 13 + source.consumed
    var fieldPath: String?
    if i < t.count, Cells.looksLikeFieldPath(t[i]) {
      fieldPath = String(t[i])
      i += 1
    } else if i + 3 < t.count, t[i] == "implicitly", t[i + 1] == "required", t[i + 2] == "container" {
      fieldPath = t[i...(i + 3)].joined(separator: " ")
      i += 4
    }
    guard i < t.count else { return nil }
    // ≤1.1 events had no type column.
    var event = makeEvent(
      type: .other(""), reason: t[i], message: i + 1 < t.count ? line.rest(from: t[i + 1]) : "", context: context,
      line: line)
    if let fieldPath { event.involved.fieldPath = fieldPath }
    event.sourceComponent = source.component
    event.sourceHost = source.host
    event.count = count
    event.firstSeen = first
    event.lastSeen = last
    return event
  }

  /// `line.hasTab` with `memchr` (`utf8.contains` walked the view byte by byte).
  static func hasTab(_ line: KubectlLine) -> Bool { KubectlBytes.contains(Substring(line.text).utf8, 0x09) }

  /// `Cells.source(tokens, at: index)`, which answers a token that neither starts with `{` nor ends
  /// with `,` with the token itself: the bytes say so first. No other character is canonically
  /// equivalent to `{` or `,`, and one followed by a combining mark is another character, so a
  /// first `Character` `{` is a first byte `{` and a last `,` a last byte `,` (the `Character`
  /// tests walked the token's grapheme clusters for every row read).
  static func source(_ tokens: [Substring], at index: Int) -> (component: String, host: String?, consumed: Int)? {
    guard index < tokens.count else { return nil }
    let t = tokens[index].utf8
    if t.first != 0x7B && t.last != 0x2C { return (String(tokens[index]), nil, 1) }
    return Cells.source(tokens, at: index)
  }

  /// `AgeCell.read(tokens, at: index, style: .human, capture:, age:)` for the tokens of an ASCII
  /// line, where every `Character` is one byte (a line holds no `\n`: the reader splits at it).
  /// The shapes the reading tries before an age — a dated watch time (ten bytes), an RFC1123Z
  /// time (four, the last a comma), `<nil>`, a stored time (twenty or more) — are told by their
  /// bytes and read by `AgeCell.read` itself; an age and its `(xN over B)` are read here with
  /// byte tests where `hasPrefix`, `hasSuffix` and `==` compared grapheme clusters (about 6,000
  /// instructions a row; docs/architecture.md "Speed of the describe path").
  static func asciiAgeCell(
    _ tokens: [Substring], at index: Int, capture: CaptureTime, age parse: (Substring) -> Age?
  ) -> AgeCell? {
    guard index < tokens.count else { return nil }
    let t = tokens[index].utf8
    if readsWholeAgeCell(t) {
      return AgeCell.read(tokens, at: index, style: .human, capture: capture, age: parse)
    }
    guard let age = parse(tokens[index]) else { return nil }
    var cell = AgeCell(consumed: 1, time: AgeCell.anchor(age, capture))
    if index + 3 < tokens.count, KubectlBytes.hasPrefix(tokens[index + 1].utf8, "(x"),
      KubectlBytes.equals(tokens[index + 2].utf8, "over"), tokens[index + 3].utf8.last == 0x29
    {
      // Dropped as bytes: `dropFirst` and `dropLast` of a `Substring` walk grapheme clusters.
      guard let count = Int(Substring(tokens[index + 1].utf8.dropFirst(2))),
        let first = parse(Substring(tokens[index + 3].utf8.dropLast()))
      else { return nil }
      cell.count = count
      cell.first = AgeCell.anchor(first, capture)
      cell.consumed = 4
    } else if index + 1 < tokens.count, KubectlBytes.hasPrefix(tokens[index + 1].utf8, "(x") {
      return nil
    }
    return cell
  }

  /// Whether `asciiAgeCell` hands the cell opening with `t` to `AgeCell.read`: a dated watch time
  /// (ten bytes), an RFC1123Z time (four, the last a comma), `<nil>`, a stored time (twenty or more).
  static func readsWholeAgeCell(_ t: Substring.UTF8View) -> Bool {
    let count = t.count
    return count == 10 || count >= 20 || (count == 4 && t.last == 0x2C)
      || (count == 5 && KubectlBytes.equals(t, "<nil>"))
  }

  func makeEvent(
    type: EventType, reason: Substring, message: Substring, context: ParseContext, line: KubectlLine
  ) -> Event {
    var involved = owner
    var text = message
    // Bytes first (`fieldPathPrefix` asks `hasPrefix("spec.")` of `Character`s): no character but
    // these five is canonically equivalent to one of them, so a message whose bytes do not start
    // with them has no such prefix.
    if KubectlBytes.hasPrefix(message.utf8, "spec."), let prefixed = Cells.fieldPathPrefix(message) {
      involved.fieldPath = prefixed.fieldPath
      text = prefixed.message
    }
    return Event(
      involved: involved, type: type, reason: String(reason), message: String(text),
      evidence: [context.evidence(line.line)])
  }
}
