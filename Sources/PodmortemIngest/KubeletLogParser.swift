import Foundation
import PodmortemInput
import PodmortemModel

/// Kubelet logs: klog text (docs/kubernetes.md §10.1), the same behind journald's prefix, and the
/// `--logging-format=json` lines. Each log call becomes one `LogRecord` with origin `.kubelet`; a
/// multi-line value (`key=<` … ` >`) is joined into the record of the line that opened it.
///
/// klog and journald's short format give no year and no zone. The year comes from the capture
/// time (`YearInference`), the zone is UTC unless the parser is told otherwise, and one note per
/// source says so.
package struct KubeletLogParser: LineParser {
  package static let format = "kubelet-log"

  /// A joined record stops growing here; the lines past it are still accounted as parsed.
  package static let maxRecordBytes = 1 << 20

  private let context: ParseContext
  private let zone: TimeZone
  private let inference: YearInference
  private var notedInference = false
  private var notedOversize = false
  private var pending: Pending?
  /// The values that recur from line to line (a pod's name and UID, an event's object), shared
  /// (`KlogPairs.parse`, `locate`); made at the first line that asks.
  private var strings: StringPool? = StringPool()
  /// A long klog line held for one line: a paste wrapped at the terminal's width continues it on
  /// the next line, which has no header of its own (docs/kubernetes.md §10.1).
  private var held: Held?
  private struct Held {
    var bytes: [UInt8]
    var header: KlogHeader
    var journal: Journal?
    var line: Line
    var joined: Int
  }
  /// A line this long or longer may have been wrapped; shorter lines are emitted at once.
  static let wrapWidth = 60
  /// At most this many continuation lines are joined to one record.
  static let maxWrappedLines = 8

  /// A record whose multi-line value is still being read. A class, so that `pending` is one
  /// reference: as a struct of 296 bytes, asking whether a value is open copied the whole optional
  /// on every line (docs/architecture.md "Speed of the kubelet-log path"). It is changed only
  /// through `takePending`, which copies a box shared with a copy of the parser first, so the
  /// parser keeps a value's semantics; a box is changed only when it is its parser's alone, so a
  /// parser may be sent as before (`@unchecked Sendable`, as a copy-on-write buffer is).
  private final class Pending: @unchecked Sendable {
    var record: LogRecord
    var key: String
    var value: [String]
    var bytes: Int

    init(record: LogRecord, key: String, value: [String], bytes: Int) {
      self.record = record
      self.key = key
      self.value = value
      self.bytes = bytes
    }
  }

  /// A line's journald prefix, boxed: as an optional of 152 bytes it was copied with `memcpy` five
  /// times a line, held or not, where a reference is a word (docs/architecture.md "Speed of the
  /// kubelet-log path"). Never changed once made, so a box is shared as freely as its value.
  private final class Journal: Sendable {
    let prefix: JournaldPrefix
    init(_ prefix: JournaldPrefix) { self.prefix = prefix }
  }

  /// Whether a multi-line value is open.
  private var isOpen: Bool { pending != nil }

  /// The open value's record, taken out of `pending` and held by no other parser: a box a copy of
  /// this parser shares is copied before it is changed.
  private mutating func takePending() -> Pending? {
    guard var p = pending.take() else { return nil }
    if !isKnownUniquelyReferenced(&p) {
      p = Pending(record: p.record, key: p.key, value: p.value, bytes: p.bytes)
    }
    return p
  }

  package init(context: ParseContext) {
    self.init(context: context, timeZone: LogTime.utc)
  }

  /// - Parameter timeZone: the zone the kubelet's clock (and journalctl's display) was in.
  package init(context: ParseContext, timeZone: TimeZone) {
    self.context = context
    self.zone = timeZone
    self.inference = YearInference(anchor: context.captureTime.date, zone: timeZone)
  }

  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    var hits = 0
    var journal = 0
    var lines = 0
    for line in head {
      let b = PastePrefix.payload(line.text)
      if BlankText.isBlank(line.text) || JournaldPrefix.isMarker(line.text) { continue }
      let prefix = JournaldPrefix.parse(b)
      let start = prefix?.payloadStart ?? 0
      if start < b.count, b[start] == 0x09 || b[start] == 0x20 && start + 1 < b.count && b[start + 1] == 0x3E {
        continue  // a multi-line value's continuation says nothing on its own
      }
      lines += 1
      if KlogHeader.parse(b, from: start) != nil || isJSONLine(b, from: start) {
        hits += 1
      } else if prefix != nil {
        journal += 1
      }
    }
    guard hits > 0 else { return journal > 0 && journal * 2 >= lines ? 30 : 0 }
    return hits * 2 >= lines ? 90 : 60
  }

  /// 90 is the most `sniff` gives (`Ingestor.pick`).
  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    bar > 90 ? 0 : sniff(head: head, info: info)
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    feed(line, handing: { emit(.log($0)) }, emit: emit)
  }

  /// `feed(_:emit:)`, its log records handed over (`hand` owns each) and its events emitted: the
  /// ingestor classifies and range-checks a record it owns in place, where a record it was lent
  /// had to be copied first, a retain of every string and a release of each when the parser's
  /// own was destroyed (docs/architecture.md "Speed of the kubelet-log path").
  package mutating func feed(
    _ line: Line, handing hand: (consuming LogRecord) -> Void, emit: (Record) -> Void
  ) -> SourceAccount.Verdict {
    // Inside a multi-line value a leading tab or ` >` is the value's own; otherwise a paste prefix
    // (`> `, `- `, `grep -n`'s `123:`) is skipped.
    let open = isOpen
    let b = open ? Array(line.text.utf8) : PastePrefix.payload(line.text)
    // Parsed only where a prefix can start (`JournaldPrefix.mayStart`: a klog line cannot).
    let journal = JournaldPrefix.mayStart(b) ? JournaldPrefix.parse(b).map(Journal.init) : nil
    var inJournal = false
    var start = 0
    if let journal {
      inJournal = true
      start = journal.prefix.payloadStart
    }
    // Parsed once: it decides both whether the held line continues here and how this line is read.
    let header = open ? nil : KlogHeader.parse(b, from: start)
    var hasHeader = false
    if case .some = header { hasHeader = true }
    if var h = held.take() {
      if !inJournal, !hasHeader, Self.continuesWrappedLine(line.text, b), h.joined < Self.maxWrappedLines,
        h.bytes.count + line.text.utf8.count <= Self.maxRecordBytes
      {
        // The wrapped rest, as written: a line broken mid-word continues without a space.
        h.bytes += Array(line.text.utf8)
        h.joined += 1
        held = h
        return .parsed
      }
      klogRecord(h.bytes, header: h.header, journal: h.journal, line: h.line, hand: hand, emit: emit, mayHold: false)
    }
    if isOpen {
      if start < b.count, b[start] == 0x09 {
        appendValueLine(b, from: start)
        return .parsed
      }
      if start + 1 < b.count, b[start] == 0x20, b[start + 1] == 0x3E,
        start + 2 == b.count || b[start + 2] == 0x20
      {
        closeValue(b, from: start, hand: hand)
        return .parsed
      }
      flush(hand: hand)
    }
    if start >= b.count || b[start...].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
      return .ignored
    }
    if !inJournal, JournaldPrefix.isMarker(line.text) { return .ignored }
    // A header not parsed above (a value was open then) is parsed now; one that did not read
    // above would not read again.
    if let header = open ? KlogHeader.parse(b, from: start) : header {
      klogRecord(b, header: header, journal: journal, line: line, hand: hand, emit: emit, mayHold: true)
      return .parsed
    }
    if Self.isJSONLine(b, from: start) {
      return jsonRecord(b, from: start, line: line, hand: hand) ? .parsed : .unrecognised
    }
    if let journal = journal?.prefix {
      // Another unit's message, or the kubelet writing outside klog (flag warnings, a panic).
      var record = LogRecord(
        origin: journal.identifier == "kubelet"
          ? .kubelet : NodeLogParser.isNodeUnit(journal.identifier) ? .node : .other,
        message: String(decoding: b[start...], as: UTF8.self), evidence: context.evidence(line))
      record.fields = [KeyValue("identifier", journal.identifier), KeyValue("host", journal.host)]
      record.node = journal.host
      record.time = journalTime(journal, line: line)
      hand(record)
      return .parsed
    }
    return .unrecognised
  }

  package mutating func finish(emit: (Record) -> Void) {
    finish(handing: { emit(.log($0)) }, emit: emit)
  }

  /// `finish(emit:)`, its log records handed over (`feed(_:handing:emit:)`).
  package mutating func finish(handing hand: (consuming LogRecord) -> Void, emit: (Record) -> Void) {
    idle(handing: hand, emit: emit)
    flush(hand: hand)
  }

  package mutating func idle(emit: (Record) -> Void) {
    idle(handing: { emit(.log($0)) }, emit: emit)
  }

  /// `idle(emit:)`, its log records handed over (`feed(_:handing:emit:)`).
  package mutating func idle(handing hand: (consuming LogRecord) -> Void, emit: (Record) -> Void) {
    guard let h = held.take() else { return }
    klogRecord(h.bytes, header: h.header, journal: h.journal, line: h.line, hand: hand, emit: emit, mayHold: false)
  }

  /// True when `text` (a line without a klog header) reads as the rest of a wrapped line: not blank,
  /// no tab, not JSON, not a multi-line value's line, and not what a person put around the paste.
  private static func continuesWrappedLine(_ text: String, _ b: [UInt8]) -> Bool {
    // A terminal wraps text, it does not add tabs: a line with a tab is a table or another output.
    guard b.first != nil, !isJSONLine(b, from: 0), !b.contains(0x09), !b.allSatisfy({ $0 == 0x20 }) else {
      return false
    }
    if b.count >= 2, b[0] == 0x20, b[1] == 0x3E { return false }
    return !PasteDecoration.contains(text)
  }

  // MARK: klog text

  private mutating func klogRecord(
    _ b: [UInt8], header: KlogHeader, journal: Journal?, line: Line, hand: (consuming LogRecord) -> Void,
    emit: (Record) -> Void, mayHold: Bool
  ) {
    if mayHold, b.count >= Self.wrapWidth {
      held = Held(bytes: b, header: header, journal: journal, line: line, joined: 0)
      return
    }
    let body = b.withUnsafeBufferPointer { KlogBody.parse($0, from: header.bodyStart, pool: &strings) }
    if KlogHeader.isEventFile(header.file), let e = KlogEvent.parse(body.message) {
      // The event recorder's own line: the event itself (`KlogEvent`).
      let time = klogTime(header, journal: journal, line: line)
      var event = Event(
        involved: e.involved, type: e.type, reason: e.reason, message: e.message, sourceHost: journal?.prefix.host,
        count: 1, firstSeen: time, lastSeen: time, evidence: [context.evidence(line)])
      event.sourceComponent = journal?.prefix.identifier == "kubelet" ? "kubelet" : nil
      emit(.event(event))
      return
    }
    // Built in an optional and handed over with `take()`, which moves it out: a local `var`
    // located in place was copied into `hand` (a retain of every string) and then destroyed
    // (a release of each) (docs/architecture.md "Speed of the kubelet-log path").
    var built: LogRecord? = LogRecord(origin: .kubelet, message: body.message, evidence: context.evidence(line))
    built?.severity = header.severity
    built?.fields = body.fields
    built?.text = String(decoding: b[header.bodyStart...], as: UTF8.self)
    built?.time = klogTime(header, journal: journal, line: line)
    built?.node = journal?.prefix.host
    if let key = body.openKey {
      if let record = built.take() { pending = Pending(record: record, key: key, value: [], bytes: b.count) }
    } else {
      built?.locate(pool: &strings)
      if let record = built.take() { hand(record) }
    }
  }

  private mutating func appendValueLine(_ b: [UInt8], from start: Int) {
    guard let p = takePending() else { return }
    if p.bytes + b.count - start <= Self.maxRecordBytes {
      p.value.append(String(decoding: b[(start + 1)...], as: UTF8.self))
      p.record.text += "\n" + String(decoding: b[start...], as: UTF8.self)
      p.bytes += b.count - start
    } else if !notedOversize {
      notedOversize = true
      context.diagnostics(
        Diagnostic(
          .warning, p.record.evidence.ref,
          "multi-line log value '\(p.key)' is longer than \(Self.maxRecordBytes) bytes: the rest is skipped"))
    }
    pending = p
  }

  private mutating func closeValue(_ b: [UInt8], from start: Int, hand: (consuming LogRecord) -> Void) {
    guard let p = takePending() else { return }
    p.record.fields.append(KeyValue(p.key, p.value.joined(separator: "\n")))
    p.record.text += "\n" + String(decoding: b[start...], as: UTF8.self)
    if let key = KlogPairs.parse(b, from: start + 2, into: &p.record.fields) {
      p.key = key
      p.value = []
      pending = p
      return
    }
    hand(Self.located(p.record))
  }

  /// Emits a record whose value never got its closing ` >` (a cut log): what was read is kept.
  private mutating func flush(hand: (consuming LogRecord) -> Void) {
    guard let p = takePending() else { return }
    p.record.fields.append(KeyValue(p.key, p.value.joined(separator: "\n")))
    hand(Self.located(p.record))
  }

  // MARK: JSON format

  /// The JSON format always starts with the time (component-base `logs/json`).
  static func isJSONLine(_ b: [UInt8], from start: Int) -> Bool {
    let prefix = jsonLinePrefix
    return b.count - start > prefix.count && b[start..<(start + prefix.count)].elementsEqual(prefix)
  }

  /// The bytes a JSON kubelet line starts with, made once: made on every call, the array cost an
  /// allocation and a release for every line the sniffer reads (docs/architecture.md, "Sniffing a
  /// head of long lines").
  private static let jsonLinePrefix: [UInt8] = Array(#"{"ts":"#.utf8)

  private func jsonRecord(_ b: [UInt8], from start: Int, line: Line, hand: (consuming LogRecord) -> Void) -> Bool {
    guard let members = LogJSON.parseObject(Array(b[start...])) else { return false }
    var message = ""
    var verbosity: String?
    var time: TimeRange?
    var error: KeyValue?
    var fields: [KeyValue] = []
    var quoted: [Bool] = []
    for member in members {
      switch member.key {
      case "ts":
        if let ms = member.value.number { time = TimeRange(exactly: Date(timeIntervalSince1970: ms / 1000)) }
      case "msg": message = member.value.text
      case "v": verbosity = member.value.text
      case "caller", "logger": break
      default:
        let (value, isString) = Self.fieldValue(member.value)
        if member.key == "err", error == nil {
          error = KeyValue("err", value)
        } else {
          fields.append(KeyValue(member.key, value))
          quoted.append(isString)
        }
      }
    }
    if let error {
      fields.insert(error, at: 0)
      quoted.insert(true, at: 0)
    }
    var record = LogRecord(origin: .kubelet, message: message, evidence: context.evidence(line))
    record.severity = verbosity == nil && error != nil ? "E" : "I"
    record.time = time
    record.fields = fields
    var text = GoString.quote(message)
    for (field, isString) in zip(fields, quoted) {
      text += " \(field.key)=" + (isString ? GoString.quote(field.value) : field.value)
    }
    record.text = text
    Self.locate(&record)
    hand(record)
    return true
  }

  /// A JSON value as klog text would show it: `klog.KObj` objects as `ns/name`, strings unquoted,
  /// the rest as raw JSON. The flag says whether klog text would quote it.
  private static func fieldValue(_ value: LogJSON.Value) -> (String, Bool) {
    if case .string(let s) = value { return (s, true) }
    if let members = value.members, let name = members.first(where: { $0.key == "name" })?.value.string,
      members.allSatisfy({ $0.key == "name" || $0.key == "namespace" })
    {
      let namespace = members.first { $0.key == "namespace" }?.value.string ?? ""
      return (namespace.isEmpty ? name : "\(namespace)/\(name)", true)
    }
    return (value.text, false)
  }

  // MARK: time

  private mutating func klogTime(_ h: KlogHeader, journal: Journal?, line: Line) -> TimeRange? {
    let date: Date?
    if let instant = journal?.prefix.instant {
      // journalctl's ISO formats carry the year and the offset; the klog time is within seconds.
      let zone = journal?.prefix.utcOffset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
      date = YearInference(anchor: instant, zone: zone).instant(
        month: h.month, day: h.day, hour: h.hour, minute: h.minute, second: h.second, fraction: h.fraction)
    } else {
      noteInference(line)
      date = inference.instant(
        month: h.month, day: h.day, hour: h.hour, minute: h.minute, second: h.second, fraction: h.fraction)
    }
    return date.map(TimeRange.init(exactly:))
  }

  private mutating func journalTime(_ journal: JournaldPrefix, line: Line) -> TimeRange? {
    if let instant = journal.instant { return TimeRange(exactly: instant) }
    guard let r = journal.reading else { return nil }
    noteInference(line)
    guard
      let date = inference.instant(
        month: r.month, day: r.day, hour: r.hour, minute: r.minute, second: r.second, fraction: r.fraction)
    else { return nil }
    // `short` prints whole seconds: the moment lies somewhere in that second.
    return r.fractionDigits == 0
      ? TimeRange(earliest: date, latest: date.addingTimeInterval(1)) : TimeRange(exactly: date)
  }

  /// Foundation on Linux names UTC `GMT`; say what users expect.
  private var zoneName: String {
    zone.identifier == "GMT" || zone.identifier == "UTC" ? "UTC" : zone.identifier
  }

  private mutating func noteInference(_ line: Line) {
    guard !notedInference else { return }
    notedInference = true
    let captured = LogTime.internetDateTime(context.captureTime.date, zone: zone)
    context.diagnostics(
      Diagnostic(
        .note, context.ref(line.number),
        "log times have no year or zone: year inferred from the capture time '\(captured)' (\(context.captureTime.origin.rawValue)), zone assumed '\(zoneName)'"
      ))
  }

  // MARK: subject

  /// Fills namespace, pod and container from `pod="ns/name"`, `pods=["ns/name"]`,
  /// `containerName="c"`, or the object of an `"Event occurred"` line about a pod (§5.1).
  package static func located(_ record: consuming LogRecord) -> LogRecord {
    var r = record
    locate(&r)
    return r
  }

  /// `located`, in place: the parser fills the record it built without copying it.
  static func locate(_ r: inout LogRecord) {
    var none: StringPool?
    locate(&r, pool: &none)
  }

  /// `locate`, the pod's name and namespace shared through `pool` (`splitPod`). A field's key is
  /// told by its length in bytes first and compared only with the names of that length: each of
  /// them is ASCII without `K`, `;` or `` ` ``, the only ASCII a non-ASCII character is
  /// canonically equivalent to alone, so a string `==` to one is its very bytes, and of another
  /// length it is none of them; every key used to be compared with each name in turn, a call
  /// into the standard library for most (docs/architecture.md "Speed of the kubelet-log path").
  static func locate(_ r: inout LogRecord, pool: inout StringPool?) {
    var object: String?
    var kind: String?
    var fieldPath: String?
    for field in r.fields {
      let key = field.key
      switch key.utf8.count {
      case 3:
        if key == "pod", r.pod == nil { (r.namespace, r.pod) = splitPod(field.value, pool: &pool) }
      case 4:
        if key == "pods" {
          // One pod only: a list of several (`pods=["ns/a","ns/b"]`, the eviction manager's
          // ranking) is about none of them in particular.
          if r.pod == nil, let split = splitPods(field.value, pool: &pool) { (r.namespace, r.pod) = split }
        } else if key == "kind" {
          kind = field.value
        }
      case 6:
        if key == "object" { object = field.value }
      case 9:
        if key == "container" {
          if r.container == nil { r.container = field.value }
        } else if key == "fieldPath" {
          fieldPath = field.value
        }
      case 13:
        if key == "containerName", r.container == nil { r.container = field.value }
      default: break
      }
    }
    if r.pod == nil, kind == "Pod", let object {
      (r.namespace, r.pod) = splitPod(object, pool: &pool)
      if r.container == nil, let fieldPath { r.container = ObjectRef(name: "", fieldPath: fieldPath).containerName }
    }
  }

  /// The pod of a `pods=[…]` value naming one, as `locate` reads it: the value without `[` and `]`
  /// at its ends, nil when that is empty or holds a space or a comma, else split without `"` at its
  /// ends. An ASCII value is read on its bytes (one scalar a byte); any other as before.
  private static func splitPods(_ value: String, pool: inout StringPool?) -> (String?, String?)? {
    var value = value
    let ascii = value.withUTF8 { all -> (String?, String?)?? in
      guard all.allSatisfy({ $0 < 0x80 }) else { return .none }
      var start = 0
      var end = all.count
      while start < end, all[start] == 0x5B || all[start] == 0x5D { start += 1 }
      while end > start, all[end - 1] == 0x5B || all[end - 1] == 0x5D { end -= 1 }
      guard start < end, !all[start..<end].contains(0x20), !all[start..<end].contains(0x2C) else {
        return .some(nil)
      }
      while start < end, all[start] == 0x22 { start += 1 }
      while end > start, all[end - 1] == 0x22 { end -= 1 }
      return .some(splitASCIIPod(UnsafeBufferPointer(rebasing: all[start..<end]), pool: &pool))
    }
    if case .some(let answer) = ascii { return answer }
    let inner = trimming(value) { $0 == "[" || $0 == "]" }
    guard !inner.isEmpty, !Self.contains(inner, 0x20, " "), !Self.contains(inner, 0x2C, ",") else { return nil }
    return splitPod(trimming(inner) { $0 == "\"" }, pool: &pool)
  }

  /// `text` without the scalars `drop` accepts at either end: `trimmingCharacters(in:)` without
  /// building a `CharacterSet` per line.
  private static func trimming(_ text: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) })
    else { return "" }
    return String(scalars[first...last])
  }

  /// Whether `text` contains `needle` (`byte` is its one ASCII byte). An ASCII text, as pod
  /// references are, is searched byte by byte; any other keeps Foundation's search, whose
  /// answer for a byte followed by a combining mark it must not change.
  private static func contains(_ text: String, _ byte: UInt8, _ needle: String) -> Bool {
    isASCII(text) ? text.utf8.contains(byte) : text.contains(needle)
  }

  private static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

  /// `ns/name` (klog.KObj) or `name_ns(uid)` (the kubelet's `format.Pod`).
  static func splitPod(_ raw: String) -> (String?, String?) {
    var none: StringPool?
    return splitPod(raw, pool: &none)
  }

  /// `splitPod`, each part taken from `pool` when it holds the same bytes (a pod's name recurs
  /// from line to line).
  static func splitPod(_ raw: String, pool: inout StringPool?) -> (String?, String?) {
    // ASCII (every pod reference the kubelet writes): the same split on bytes, one character per
    // byte, without walking grapheme clusters; other text takes the general path below.
    var raw = raw
    let ascii = raw.withUTF8 { all -> (String?, String?)? in
      guard all.allSatisfy({ $0 < 0x80 }) else { return nil }
      return splitASCIIPod(all, pool: &pool)
    }
    if let ascii { return ascii }
    // A value cut before its closing quote keeps its opening one.
    let value = raw.hasPrefix("\"") ? String(raw.dropFirst()) : raw
    guard !value.isEmpty else { return (nil, nil) }
    if let slash = value.firstIndex(of: "/") {
      let ns = String(value[..<slash])
      return (ns.isEmpty ? nil : ns, String(value[value.index(after: slash)...]))
    }
    if let open = value.firstIndex(of: "("), value.hasSuffix(")"), let underscore = value[..<open].lastIndex(of: "_") {
      return (String(value[value.index(after: underscore)..<open]), String(value[..<underscore]))
    }
    return (nil, value)
  }

  /// `splitPod` for the bytes of an ASCII reference: in ASCII every byte is a character (a CR LF
  /// pair aside, which none of the bytes looked for belongs to), so byte offsets find what
  /// `Character` search finds. Each part made once from the bytes, or taken from `pool`.
  private static func splitASCIIPod(_ all: UnsafeBufferPointer<UInt8>, pool: inout StringPool?) -> (String?, String?) {
    func string(_ from: Int, _ to: Int) -> String {
      KlogPairs.string(UnsafeBufferPointer(rebasing: all[from..<to]), &pool)
    }
    let start = all.first == 0x22 ? 1 : 0
    let end = all.count
    guard start < end else { return (nil, nil) }
    if let slash = all[start..<end].firstIndex(of: 0x2F) {
      return (slash == start ? nil : string(start, slash), string(slash + 1, end))
    }
    if let open = all[start..<end].firstIndex(of: 0x28), all[end - 1] == 0x29,
      let underscore = all[start..<open].lastIndex(of: 0x5F)
    {
      return (string(underscore + 1, open), string(start, underscore))
    }
    return (nil, string(start, end))
  }
}

extension LogRecord {
  /// `KubeletLogParser.locate(_:pool:)` on this record, in place (reached through an optional).
  fileprivate mutating func locate(pool: inout StringPool?) {
    KubeletLogParser.locate(&self, pool: &pool)
  }
}
