import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// The node's own logs outside the kubelet (docs/kubernetes.md §10.4): the kernel ring buffer as
/// `dmesg` prints it (`[ 7063.247407] msg`, or `[Thu Dec  7 00:05:14 2017] msg` with `-T`),
/// `docker events` (`2019-05-04T18:05:45.011072877-05:00 container oom <id> (k=v, …)`) and the
/// logfmt lines of containerd and dockerd (`time="…" level=error msg="…" error="…"`). Syslog and
/// journald lines of these units (`kernel:`, `containerd[123]:`) are read by `KubeletLogParser`.
///
/// Every such line becomes a `LogRecord` of origin `node`; Ingest then matches its message against
/// the patterns of kind `node`. A `docker events` line names its pod through the labels the kubelet
/// puts on containers (`io.kubernetes.pod.name`, `io.kubernetes.pod.namespace`,
/// `io.kubernetes.container.name`).
package struct NodeLogParser: LineParser {
  package static let format = "node-log"

  /// journald/syslog identifiers of the units whose lines are node logs.
  package static func isNodeUnit(_ identifier: String) -> Bool {
    ["kernel", "containerd", "dockerd", "docker", "crio", "cri-o", "k3s-containerd"].contains(identifier)
  }

  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    var hits = 0
    var lines = 0
    for line in head {
      let b = PastePrefix.payload(line.text)
      if b.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) || b.first == 0x60 { continue }
      lines += 1
      // Whether the line splits, not its time: a logfmt line's time is read only when the line is.
      if Self.split(b, readingTime: false) != nil { hits += 1 }
    }
    guard hits > 0 else { return 0 }
    return hits * 2 >= lines ? 50 : 20
  }

  /// 50 is the most `sniff` gives (`Ingestor.pick`).
  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    bar > 50 ? 0 : sniff(head: head, info: info)
  }

  private let context: ParseContext

  package init(context: ParseContext) {
    self.context = context
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    let b = PastePrefix.payload(line.text)
    if b.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x60 }) { return .ignored }
    // A logfmt line's time is taken from the one reading of its pairs below, not read by `split`
    // in a pass of its own (`readingTime` changes nothing else).
    guard let parts = Self.split(b, readingTime: false) else { return .unrecognised }
    var record: LogRecord
    var time = parts.time
    switch parts.form {
    case .dmesg:
      record = LogRecord(origin: .node, message: parts.body, evidence: context.evidence(line))
      record.fields = [KeyValue("identifier", "kernel")]
    case .dockerEvent:
      record = LogRecord(origin: .node, message: parts.body, evidence: context.evidence(line))
      record.fields = [KeyValue("identifier", "docker")] + Self.labels(parts.body)
      record.pod = record.field("io.kubernetes.pod.name")
      record.namespace = record.field("io.kubernetes.pod.namespace")
      record.container = record.field("io.kubernetes.container.name")
    case .logfmt:
      let read = Self.logfmtLine(parts.body)
      let message = read.message ?? parts.body
      record = LogRecord(origin: .node, message: message, evidence: context.evidence(line))
      record.fields = read.fields
      record.severity = read.level
      record.text = Self.klogText(message: message, fields: read.fields)
      time = read.time.flatMap(Self.RFC3339Time)
    }
    record.time = time.map(TimeRange.init(exactly:))
    emit(.log(record))
    return .parsed
  }

  package mutating func finish(emit: (Record) -> Void) {}

  enum Form { case dmesg, dockerEvent, logfmt }

  /// The line's form, time (when it carries an absolute one) and message. `readingTime: false`
  /// leaves a logfmt line's time out (nil): the sniffer asks only whether a line splits, and
  /// whether it does never depends on that time (`NodeLogSplitTests`).
  static func split(_ b: [UInt8], readingTime: Bool = true) -> (form: Form, time: Date?, body: String)? {
    if b.first == 0x5B, let close = b.firstIndex(of: 0x5D), close < 40 {
      let hasDot = b[1..<close].contains(0x2E)
      // A bracket of fewer than 20 ASCII bytes without a `.` (`[INFO]`, `[main]`) is neither form
      // below: no `.` for the first, and fewer than 20 bytes for `ctime` (an ASCII text's bytes are
      // its UTF-8). It is answered before the bracket and the line's rest are made strings, which
      // every line of a container log with a bracketed level in front paid while its source was
      // sniffed (docs/architecture.md, "Sniffing a head of long lines"; `NodeLogBracketTests`
      // keeps the old code as the reference).
      if !hasDot, close - 1 < 20, !b[1..<close].contains(where: { $0 >= 0x80 }) { return nil }
      let inside = String(decoding: b[1..<close], as: UTF8.self)
      // The message after the bracket, made only for a line of either form.
      func body() -> String {
        let bodyStart = close + 1 < b.count && b[close + 1] == 0x20 ? close + 2 : close + 1
        return String(decoding: b[min(bodyStart, b.count)...], as: UTF8.self)
      }
      // `[ 7063.247407]`: seconds since boot, no absolute time. It holds a `.` character, which
      // is a `.` byte: without one (`[INFO]`, `[main]`) Foundation's trimming (about 7,000
      // instructions) is not asked (docs/architecture.md, "Sniffing a head of long lines").
      if hasDot {
        let trimmed = inside.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isNumber || $0 == "." }), trimmed.contains(".") {
          return (.dmesg, nil, body())
        }
      }
      // `[Thu Dec  7 00:05:14 2017]` (dmesg -T, the local time of the machine).
      if let date = ctime(inside) { return (.dmesg, date, body()) }
      return nil
    }
    // A first byte that is ASCII and none of `l`, `t` or a digit answers before the line is made a
    // string: it is the first character's first scalar, so that character is not `l` or `t` (no
    // other character is canonically equivalent to either: no logfmt `level=` or `time="`) and
    // is no number (among ASCII characters only the digits are: no docker event's time). The
    // node-log sniffer asks this of every line of a head (docs/architecture.md, "Sniffing a head
    // of long lines"; `NodeLogSplitGateTests` keeps the split without it as the reference).
    if let first = b.first, first < 0x80, first != 0x6C, first != 0x74, first < 0x30 || first > 0x39 {
      return nil
    }
    let text = String(decoding: b, as: UTF8.self)
    if text.hasPrefix("level=") || text.hasPrefix("time=\"") {
      // Bytes answer for an ASCII line (`ASCIISearch`); Foundation's search, about 13,000
      // instructions a line, only for the others (docs/architecture.md, "Sniffing a head of long
      // lines").
      let logfmt = ASCIISearch.contains("msg=", in: text) ?? text.contains("msg=")
      return logfmt ? (.logfmt, readingTime ? logfmtTime(text) : nil, text) : nil
    }
    // `docker events`: an RFC 3339 time, then `container|image|network|volume|daemon <action> <id>`.
    // The words after the time are looked at before the time is read: Foundation's formatter costs
    // tens of microseconds a call, and every line of a plain-text container log with an RFC 3339
    // time in front is asked this while its source is sniffed (docs/architecture.md, "Sniffing a
    // head of long lines").
    if let space = ASCIISearch.firstIndex(of: " ", in: text[...]) ?? text.firstIndex(of: " "), space > text.startIndex {
      let rest = text[text.index(after: space)...]
      if startsWithEventKind(rest), let time = RFC3339Time(String(text[..<space])) {
        return (.dockerEvent, time, String(rest))
      }
    }
    return nil
  }

  /// `Thu Dec  7 00:05:14 2017`, read as UTC (dmesg -T prints the machine's local time, which the
  /// line does not name).
  static func ctime(_ s: String) -> Date? {
    // The squeezed text below has no more characters than `s` has bytes: a text of fewer than 20
    // bytes (`INFO`, `main`) is answered before it is split and joined.
    guard s.utf8.count >= 20 else { return nil }
    // The length first: the formatter is made only for what could be such a time (a bracketed
    // `[INFO]` or `[main]` in front of a container log's lines is not).
    let squeezed = s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    guard squeezed.count >= 20, squeezed.count <= 28 else { return nil }
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(secondsFromGMT: 0)
    f.dateFormat = "EEE MMM d HH:mm:ss yyyy"
    return f.date(from: squeezed)
  }

  static func RFC3339Time(_ s: String) -> Date? {
    guard mayBeRFC3339Time(s) else { return nil }
    if let date = plainInternetTime(s) { return date }
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = f.date(from: s) { return d }
    // Nanoseconds: Foundation reads at most milliseconds.
    if let dot = s.firstIndex(of: "."), let zone = s[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" })
    {
      let digits = s[s.index(after: dot)..<zone]
      guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
      return f.date(from: String(s[..<dot]) + "." + String(digits.prefix(3)) + String(s[zone...]))
    }
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: s)
  }

  /// What `RFC3339Time` asks before reading: 20 to 40 characters, the first a number, a `T`
  /// among them. Counted from the bytes when they are ASCII without a CR (there every byte is one
  /// `Character`: CR LF is the only ASCII pair that joins), and the first asked as a byte there
  /// (a `Character`'s `isNumber` is its first scalar's numeric type, which among ASCII scalars
  /// only the digits have); any other text is counted by `Character` as before. Two counts by
  /// `Character` cost 1,500 instructions a line of a containerd or dockerd log in logfmt
  /// (docs/architecture.md, "Sniffing a head of long lines"; `RFC3339GateTests` keeps the old
  /// guard as the reference).
  static func mayBeRFC3339Time(_ s: String) -> Bool {
    let bytes = s.utf8.count
    // No text has more characters than bytes.
    guard bytes >= 20 else { return false }
    // The bytes walked in the string's storage where it has one (`UTF8View`'s iterator cost about
    // 900 instructions for a time).
    let plain =
      s.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 && $0 != 0x0D } }
      ?? s.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    if bytes <= 40, let first = s.utf8.first, plain {
      return first >= 0x30 && first <= 0x39 && (ASCIISearch.contains("T", in: s) ?? s.contains("T"))
    }
    let count = s.count
    return count >= 20 && count <= 40 && s.first?.isNumber == true
      && (ASCIISearch.contains("T", in: s) ?? s.contains("T"))
  }

  /// What the formatters below answer for a time of the plain shape `2019-05-04T18:05:45Z`, with
  /// an optional fraction of 1 to 9 digits and `Z` or `±hh:mm`, when every field is in range
  /// (years 1583–9999, where ICU's calendar is Gregorian; offsets under 15 hours): the instant to
  /// the millisecond, the fraction's further digits dropped, as ICU computes it (milliseconds
  /// since 1970 in a `Double`, divided by 1,000) and Foundation turns it into a `Date`. Nil for any
  /// other text, which the formatters read. A formatter is made and set up on every call, tens of
  /// microseconds: a containerd or dockerd log asks this of every line (docs/architecture.md,
  /// "Sniffing a head of long lines"; `NodeLogSplitTests` holds this to the formatters).
  static func plainInternetTime(_ s: String) -> Date? {
    // The fields read with `TimeBytes`, the project's one reader of printed times; the fraction's
    // digits counted and its first three kept as whole milliseconds (`TimeBytes.fraction` gives a
    // `Double`, which is not what ICU rounds).
    let b = Array(s.utf8)[...]
    var i = b.startIndex
    guard let (year, month, day) = TimeBytes.isoDate(b, &i), TimeBytes.take(b, &i, 0x54),
      let hour = TimeBytes.digits(b, &i, 2), TimeBytes.take(b, &i, 0x3A), let minute = TimeBytes.digits(b, &i, 2),
      TimeBytes.take(b, &i, 0x3A), let second = TimeBytes.digits(b, &i, 2), (1583...9999).contains(year),
      (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year), hour <= 23,
      minute <= 59, second <= 59
    else { return nil }
    var millis = 0
    if TimeBytes.take(b, &i, 0x2E) {
      var n = 0
      while let d = TimeBytes.digits(b, &i, 1) {
        if n < 3 { millis = millis * 10 + d }
        n += 1
      }
      guard n >= 1, n <= 9 else { return nil }
      for _ in min(n, 3)..<3 { millis *= 10 }
    }
    var offset = 0
    if !TimeBytes.take(b, &i, 0x5A) {
      let sign = TimeBytes.take(b, &i, 0x2D) ? -1 : TimeBytes.take(b, &i, 0x2B) ? 1 : 0
      guard sign != 0, let h = TimeBytes.digits(b, &i, 2), TimeBytes.take(b, &i, 0x3A),
        let m = TimeBytes.digits(b, &i, 2), h <= 14, m <= 59
      else { return nil }
      offset = sign * (h * 3_600 + m * 60)
    }
    guard i == b.endIndex else { return nil }
    let days = CivilDate.daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
    return Date(timeIntervalSinceReferenceDate: Double(seconds * 1_000 + millis) / 1_000 - 978_307_200)
  }

  static let eventKinds = ["container ", "image ", "network ", "volume ", "daemon ", "plugin "]
  private static let eventKindBytes = eventKinds.map { Array($0.utf8) }

  /// True when `rest` starts with one of `eventKinds`. The bytes answer unless a kind's bytes are
  /// followed by a non-ASCII byte, which may be a mark joining the kind's last space into another
  /// character; then the characters are compared. No other characters are canonically equivalent
  /// to the kinds' letters and space, so a line whose bytes start with none starts with none
  /// (`NodeLogSplitTests`). Every line of a sniffed container log with a word after its first
  /// space is asked this (docs/architecture.md, "Sniffing a head of long lines").
  static func startsWithEventKind(_ rest: Substring) -> Bool {
    let decided = rest.utf8.withContiguousStorageIfAvailable { r -> Bool? in
      for kind in eventKindBytes where r.count >= kind.count && r.prefix(kind.count).elementsEqual(kind) {
        return r.count == kind.count || r[kind.count] < 0x80 ? true : nil
      }
      return false
    }
    if let decided = decided ?? nil { return decided }
    return eventKinds.contains { rest.hasPrefix($0) }
  }

  /// The time of a logfmt line: its first `time` pair's value, read as RFC 3339.
  private static func logfmtTime(_ text: String) -> Date? {
    guard let value = logfmtValue("time", in: text) else { return nil }
    return RFC3339Time(value)
  }

  /// `logfmt(text).first { $0.key == key }?.value` for an ASCII `key`, without building the other
  /// pairs: the same reading of keys and values (`pairs`), with only the wanted value kept. A key
  /// made from bytes is `==` to an ASCII key only when its bytes are the key's (no other characters
  /// are canonically equivalent to ASCII letters, and bytes that are not UTF-8 read as U+FFFD), so
  /// keys are compared as bytes (`LogfmtValueTests`). The sniffer asks this of every line of a
  /// containerd or dockerd log's head (docs/architecture.md, "Sniffing a head of long lines").
  static func logfmtValue(_ key: String, in text: String) -> String? {
    let wanted = Array(key.utf8)
    var found: String?
    pairs(in: Array(text.utf8), wanted: { $0.elementsEqual(wanted) }) { _, value in
      found = value
      return false
    }
    return found
  }

  /// What a logfmt line's record takes from its pairs: the first `msg`, `level` and `time` values
  /// and every other pair, in order.
  struct LogfmtLine {
    var message: String?
    var level: String?
    var time: String?
    var fields: [KeyValue] = []
  }

  private static let msgKey = Array("msg".utf8)
  private static let levelKey = Array("level".utf8)
  private static let timeKey = Array("time".utf8)

  /// A logfmt line's pairs read once for its record. The record was made from `logfmt(text)`
  /// searched three times by key and filtered, after `logfmtValue` had read the pairs again for
  /// the time (docs/architecture.md, "Sniffing a head of long lines"). A key made from bytes is
  /// `==` to an ASCII key only when its bytes are the key's (`logfmtValue`), so the three keys
  /// are compared as bytes, before a `String` is made of any other key (`LogfmtLineTests` keeps
  /// the old reading as the reference).
  static func logfmtLine(_ text: String) -> LogfmtLine {
    var line = LogfmtLine()
    pairs(in: Array(text.utf8), wanted: { _ in true }) { key, value in
      if key.elementsEqual(msgKey) {
        if line.message == nil { line.message = value }
      } else if key.elementsEqual(levelKey) {
        if line.level == nil { line.level = value }
      } else if key.elementsEqual(timeKey) {
        if line.time == nil { line.time = value }
      } else {
        line.fields.append(KeyValue(String(decoding: key, as: UTF8.self), value))
      }
      return true
    }
    return line
  }

  /// What patterns match on a logfmt line: the message quoted, then its other pairs, as klog writes
  /// structured lines: `([GoString.quote(message)] + fields.map { "\(key)=\(quote(value))" })
  /// .joined(separator: " ")`, written into one buffer instead of an array of strings joined.
  static func klogText(message: String, fields: [KeyValue]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(message.utf8.count + 2 + fields.count * 24)
    appendQuoted(message, to: &out)
    for field in fields {
      out.append(0x20)
      out.append(contentsOf: field.key.utf8)
      out.append(0x3D)
      appendQuoted(field.value, to: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `GoString.quote(s)`'s bytes appended to `out`. A text none of whose bytes `quote` escapes or
  /// looks at twice (every byte from 0x20 up but `"`, `\`, DEL and `C2`, the first byte of a C1
  /// control) is quoted as it is, between two quotes, without the string `quote` makes; any other
  /// text is left to `quote` (`LogfmtLineTests`).
  static func appendQuoted(_ s: String, to out: inout [UInt8]) {
    let appended =
      s.utf8.withContiguousStorageIfAvailable { b -> Bool in
        for c in b where c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F || c == 0xC2 { return false }
        out.append(0x22)
        out.append(contentsOf: b)
        out.append(0x22)
        return true
      } ?? false
    if !appended { out.append(contentsOf: GoString.quote(s).utf8) }
  }

  /// `key=value key="quoted \"value\""` pairs, in order.
  static func logfmt(_ text: String) -> [KeyValue] {
    var out: [KeyValue] = []
    pairs(in: Array(text.utf8), wanted: { _ in true }) { key, value in
      out.append(KeyValue(String(decoding: key, as: UTF8.self), value))
      return true
    }
    return out
  }

  /// Reads `b`'s logfmt pairs in order and hands each pair whose key is `wanted` to `visit`, until
  /// it returns false. A quoted value is read whether wanted or not (its end is where the next
  /// pair starts); a bare one is made into a string only when wanted.
  private static func pairs(
    in b: [UInt8], wanted: (ArraySlice<UInt8>) -> Bool, visit: (ArraySlice<UInt8>, String) -> Bool
  ) {
    var i = 0
    while i < b.count {
      while i < b.count, b[i] == 0x20 { i += 1 }
      let keyStart = i
      while i < b.count, b[i] != 0x3D, b[i] != 0x20 { i += 1 }
      guard i < b.count, b[i] == 0x3D, i > keyStart else {
        while i < b.count, b[i] != 0x20 { i += 1 }
        continue
      }
      let key = b[keyStart..<i]
      let want = wanted(key)
      i += 1
      var value: String?
      if i < b.count, b[i] == 0x22, let (quoted, end) = GoString.unquote(b, from: i) {
        value = quoted
        i = end
      } else {
        let start = i
        while i < b.count, b[i] != 0x20 { i += 1 }
        if want { value = String(decoding: b[start..<i], as: UTF8.self) }
      }
      if want, let value, !visit(key, value) { return }
    }
  }

  /// The `(k=v, k=v)` attributes of a `docker events` line; a value may hold `, ` inside brackets.
  static func labels(_ body: String) -> [KeyValue] {
    guard let open = body.firstIndex(of: "(") else { return [] }
    var inner = body[body.index(after: open)...]
    if inner.hasSuffix(")") { inner = inner.dropLast() }
    var out: [KeyValue] = []
    var depth = 0
    var current = ""
    func flush() {
      if let eq = current.firstIndex(of: "=") {
        out.append(KeyValue(String(current[..<eq]), String(current[current.index(after: eq)...])))
      }
      current = ""
    }
    var previous: Character = " "
    for c in inner {
      switch c {
      case "[", "{": depth += 1
      case "]", "}": depth = max(0, depth - 1)
      default: break
      }
      if c == " ", previous == ",", depth == 0 {
        current.removeLast()
        flush()
      } else {
        current.append(c)
      }
      previous = c
    }
    flush()
    return out
  }
}
