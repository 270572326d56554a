import PodmortemModel
import PodmortemText

/// The fixed-layout klog header `Lmmdd hh:mm:ss.uuuuuu threadid file:line] ` (docs/kubernetes.md §10.1).
///
/// It has no year and no zone: `KubeletLogParser` supplies both.
package struct KlogHeader: Hashable, Sendable {
  /// `I`, `W`, `E` or `F`.
  package var severity: String
  package var month: Int
  package var day: Int
  package var hour: Int
  package var minute: Int
  package var second: Int
  /// The fraction of the second (klog writes microseconds).
  package var fraction: Double
  package var threadID: Int
  /// `prober.go`.
  package var file: String
  package var line: Int
  /// The byte offset where the message starts.
  package var bodyStart: Int

  /// Reads a header at `start`; nil when the bytes there are not one.
  package static func parse(_ b: [UInt8], from start: Int = 0) -> KlogHeader? {
    let s = b[...]
    var i = start
    guard i < b.count, let severity = severityLetter(b[i]) else { return nil }
    i += 1
    guard let month = TimeBytes.digits(s, &i, 2), let day = TimeBytes.digits(s, &i, 2), skip(b, &i, 0x20),
      let hour = TimeBytes.digits(s, &i, 2), skip(b, &i, 0x3A), let minute = TimeBytes.digits(s, &i, 2),
      skip(b, &i, 0x3A), let second = TimeBytes.digits(s, &i, 2), (1...12).contains(month), (1...31).contains(day),
      hour < 24, minute < 60, second < 61
    else { return nil }
    let fraction = TimeBytes.fraction(s, &i).value
    // The thread id is right-aligned in 7 columns, so any number of spaces may precede it (or a
    // tab, where a terminal copy turned the padding into one).
    guard i < b.count, b[i] == 0x20 || b[i] == 0x09 else { return nil }
    while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
    let idStart = i
    var threadID = 0
    // At most 18 digits: 19 nines overflow Int (a fuzzed header trapped here).
    while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - idStart < 18 {
      threadID = threadID * 10 + Int(b[i] - 0x30)
      i += 1
    }
    guard i > idStart, skip(b, &i, 0x20) else { return nil }
    let fileStart = i
    while i < b.count, b[i] != 0x3A, b[i] != 0x5D, b[i] != 0x20 { i += 1 }
    guard i > fileStart, skip(b, &i, 0x3A) else { return nil }
    let file = String(decoding: b[fileStart..<(i - 1)], as: UTF8.self)
    let lineStart = i
    var line = 0
    while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - lineStart < 9 {
      line = line * 10 + Int(b[i] - 0x30)
      i += 1
    }
    guard i > lineStart, skip(b, &i, 0x5D) else { return nil }
    if i < b.count, b[i] == 0x20 { i += 1 }
    return KlogHeader(
      severity: severity, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      threadID: threadID, file: file, line: line, bodyStart: i)
  }

  private static func severityLetter(_ c: UInt8) -> String? {
    switch c {
    case 0x49: "I"
    case 0x57: "W"
    case 0x45: "E"
    case 0x46: "F"
    default: nil
    }
  }

  private static func skip(_ b: [UInt8], _ i: inout Int, _ byte: UInt8) -> Bool {
    guard i < b.count, b[i] == byte else { return false }
    i += 1
    return true
  }
}

/// What follows a klog header: a structured `"message" key="value" …` (InfoS/ErrorS) or free text
/// (Infof).
package struct KlogBody: Hashable, Sendable {
  package var message: String
  package var fields: [KeyValue]
  /// True for `InfoS`/`ErrorS` output (the message was quoted).
  package var structured: Bool
  /// Set when the text ends in `key=<`: the value follows on the next lines, each starting with a
  /// tab, up to a line starting ` >` (klog `writeStringValue`, §10.1).
  package var openKey: String?

  package init(message: String, fields: [KeyValue] = [], structured: Bool, openKey: String? = nil) {
    self.message = message
    self.fields = fields
    self.structured = structured
    self.openKey = openKey
  }

  /// Reads the body that starts at byte `start`.
  package static func parse(_ b: [UInt8], from start: Int) -> KlogBody {
    if start < b.count, b[start] == 0x22, let (message, end) = GoString.unquote(b, from: start),
      end == b.count || b[end] == 0x20
    {
      var body = KlogBody(message: message, structured: true)
      body.openKey = KlogPairs.parse(b, from: end, into: &body.fields)
      return body
    }
    return KlogBody(message: String(decoding: b[min(start, b.count)...], as: UTF8.self), structured: false)
  }
}

/// The `key=value` pairs of a structured klog line (klog `internal/serialize` `KVListFormat`).
package enum KlogPairs {
  /// Appends the pairs found from `start` to the end of `b` to `fields` and returns the key of a
  /// multi-line value left open at the end (`key=<`). Text that is not a pair stops the reading;
  /// the record's raw text still holds it.
  package static func parse(_ b: [UInt8], from start: Int, into fields: inout [KeyValue]) -> String? {
    var i = start
    while true {
      while i < b.count, b[i] == 0x20 { i += 1 }
      guard i < b.count else { return nil }
      let keyStart = i
      while i < b.count, b[i] != 0x3D, b[i] != 0x20, b[i] != 0x22 { i += 1 }
      guard i > keyStart, i < b.count, b[i] == 0x3D else { return nil }
      // A klog line carries a handful of pairs (four on average on the bench log): room for eight
      // at the first, where the array grew to one, two, four and eight, an allocation and a copy
      // each (docs/architecture.md "Speed of the kubelet-log path").
      if fields.capacity == 0 { fields.reserveCapacity(8) }
      let key = String(decoding: b[keyStart..<i], as: UTF8.self)
      i += 1
      if i == b.count - 1, b[i] == 0x3C { return key }
      if i < b.count, b[i] == 0x22 {
        if let (value, end) = GoString.unquote(b, from: i) {
          fields.append(KeyValue(key, value))
          i = end
          continue
        }
        // An unterminated quote (a cut line): keep the rest as it is.
        fields.append(KeyValue(key, String(decoding: b[i...], as: UTF8.self)))
        return nil
      }
      let valueStart = i
      i = unquotedEnd(b, from: i)
      fields.append(KeyValue(key, String(decoding: b[valueStart..<i], as: UTF8.self)))
    }
  }

  /// Where an unquoted value (`%+v` of a number, a struct, `["ns/a" "ns/b"]`, a JSON object) ends:
  /// at a space outside brackets and strings that is followed by the next `key=` or the end.
  private static func unquotedEnd(_ b: [UInt8], from start: Int) -> Int {
    var i = start
    var depth = 0
    while i < b.count {
      switch b[i] {
      case 0x5B, 0x7B, 0x28: depth += 1
      case 0x5D, 0x7D, 0x29: depth = max(0, depth - 1)
      case 0x22:
        // A JSON string inside the value: skip to its closing quote, if it has one.
        var k = i + 1
        while k < b.count, b[k] != 0x22 { k += b[k] == 0x5C ? 2 : 1 }
        if k < b.count { i = k }
      case 0x20 where depth == 0:
        if startsPair(b, after: i) { return i }
      default: break
      }
      i += 1
    }
    return b.count
  }

  /// True when the text after the spaces at `i` is `key=` (or nothing).
  private static func startsPair(_ b: [UInt8], after i: Int) -> Bool {
    var k = i
    while k < b.count, b[k] == 0x20 { k += 1 }
    guard k < b.count else { return true }
    let keyStart = k
    while k < b.count, isKeyByte(b[k]) { k += 1 }
    return k > keyStart && k < b.count && b[k] == 0x3D
  }

  private static func isKeyByte(_ c: UInt8) -> Bool {
    switch c {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2E, 0x2D, 0x2F: true
    default: false
    }
  }
}
