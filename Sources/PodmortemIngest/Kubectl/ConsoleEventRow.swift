import PodmortemModel

/// Event rows copied from a web console's event list (OpenShift 3, Rancher) into an issue: a time
/// of day (`3:05:26 PM`, `15:05:26`), the type, the reason, the message; the console's count
/// (`3 times in the last minute`) follows on a line of its own or glued to the message's end.
///
/// The time of day has no date, so the event's times stay unknown; the object is the unnamed one
/// of the pasted block (`ObjectRef.pastedAt`) unless a message names it.
enum ConsoleEventRow {
  /// The event `line` shows, about the unnamed object of the block pasted at `block`.
  static func row(_ line: KubectlLine, block: SourceRef, context: ParseContext) -> Event? {
    let t = line.tokens
    guard let first = t.first, isClock(first) else { return nil }
    var i = 1
    if i < t.count, t[i] == "AM" || t[i] == "PM" { i += 1 }
    guard i + 2 < t.count, Cells.isEventType(t[i]), t[i + 1].first?.isLetter == true else { return nil }
    var reason = t[i + 1]
    var message = line.rest(from: t[i + 2])
    // A console's reason in words (`Back off`, `Failed scheduling`): when cells are apart by
    // padding, the reason is the whole cell before it.
    let cell = line.rest(from: t[i + 1])
    if let gap = Self.padding(in: cell) {
      let words = cell[..<gap.lowerBound]
      if words.contains(" "), words.split(separator: " ").count <= 3, words.allSatisfy({ $0.isLetter || $0 == " " }) {
        reason = words
        message = cell[gap.upperBound...]
      }
    }
    var count: Int?
    if let (n, rest) = repeated(message) {
      count = n
      message = rest
    }
    var event = Event(
      involved: ObjectRef(name: "", pastedAt: block), type: EventType(String(t[i])), reason: String(reason),
      message: String(message), count: count, evidence: [context.evidence(line.line)])
    if let prefixed = Cells.fieldPathPrefix(message) {
      event.involved.fieldPath = prefixed.fieldPath
      event.message = String(prefixed.message)
    }
    return event
  }

  /// The first run of padding in `text`: two or more spaces, or tabs.
  static func padding(in text: Substring) -> Range<Substring.Index>? {
    var i = text.startIndex
    while i < text.endIndex {
      if text[i] == "\t"
        || (text[i] == " " && text.index(after: i) < text.endIndex && text[text.index(after: i)] == " ")
      {
        let end = text[i...].firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        return i..<end
      }
      i = text.index(after: i)
    }
    return nil
  }

  /// The column titles a console's event list prints above its rows (`Type | Reason | Age | Source |
  /// Message`, pasted as a Markdown table): words of the titles only, naming Reason and Message.
  static func isHeader(_ line: KubectlLine) -> Bool {
    let titles: Set<Substring> = [
      "Type", "Reason", "Age", "Source", "From", "Message", "Count", "First", "Last", "Seen", "Time", "Object", "Kind",
      "Name", "Namespace",
    ]
    let t = line.tokens
    return t.count >= 3 && t.count <= 12 && t.contains("Reason") && t.contains("Message")
      && t.allSatisfy(titles.contains)
  }

  /// `3 times in the last minute`, `201 times in the last 47 minutes` on a line of its own.
  static func repeatCount(_ line: KubectlLine) -> Int? {
    guard let (n, rest) = repeated(line.body), rest.isEmpty else { return nil }
    return n
  }

  /// The count a console appends (`…"201 times in the last 47 minutes`), and the text before it.
  private static func repeated(_ text: Substring) -> (Int, Substring)? {
    guard let marker = text.range(of: " times in the last ") ?? text.range(of: " time in the last ") else {
      return nil
    }
    let head = text[..<marker.lowerBound]
    let digits = head.reversed().prefix { $0.isNumber }
    guard !digits.isEmpty, digits.count <= 9, let n = Int(String(digits.reversed())) else { return nil }
    let tail = text[marker.upperBound...]
    guard tail.split(separator: " ").count <= 2,
      tail.hasSuffix("minute") || tail.hasSuffix("minutes")
        || tail.hasSuffix("hour") || tail.hasSuffix("hours") || tail.hasSuffix("seconds")
    else { return nil }
    let rest = head.dropLast(digits.count)
    return (n, Substring(rest.reversed().drop { $0 == " " }.reversed()))
  }

  /// `3:05:26`, `15:05`: hours and minutes, maybe seconds.
  static func isClock(_ token: Substring) -> Bool {
    // The first part is digits: a first byte that is ASCII and no digit is a first character that
    // is no number (only ASCII digits among ASCII characters have a numeric type), or a `:` that
    // leaves the first part empty. Most tokens a sniffer asks about (`{"level":…`, `time="…`,
    // `[INFO]`, `I1127`) are answered by it.
    if let b = token.utf8.first, b < 0x80, !(0x30...0x39).contains(b) { return false }
    // Two or three parts of at most two characters: at most 8 characters, counted no further
    // than the 9th (the split below walks a whole token, a whole line of JSON without spaces).
    guard token.dropFirst(8).isEmpty else { return false }
    let parts = token.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3,
      parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isNumber) })
    else { return false }
    return parts[0].count <= 2 && parts.dropFirst().allSatisfy { $0.count == 2 }
  }
}
