import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// The fallback for text no other parser claims: prose, a ticket, a chat message. A line that holds
/// a message Kubernetes writes — an event message pasted without its row (`Liveness probe failed:
/// …`), a kubelet message without its klog header, a kernel line — becomes the record it stands
/// for, recognised by the pattern catalog (docs/architecture.md "Patterns"); every other non-blank
/// line is unrecognised, so the accounting tells the user exactly what podmortem did not understand.
///
/// The message may sit behind the state reason it explains (`CrashLoopBackOff: Back-off 20s …`,
/// `ErrImagePull (rpc error: …)`) or inside emphasis or inline code (`*…*`, `` `…` ``). Records
/// that name no pod belong to the pasted block's unnamed pod (`ObjectRef.pastedAt`): the first
/// recognised line of the source.
package struct PlainTextParser: LineParser {
  package static let format = "plain-text"

  package static func sniff(head: [Line], info: SourceInfo) -> Int { 1 }

  private let context: ParseContext
  /// Where the pasted block's unnamed pod begins: the first recognised line.
  private var block: SourceRef?
  /// The pod a web console's event card names above its message (`ConsoleLink`).
  private var named: ObjectRef?
  /// A console card's count (`19 times in the last 4 minutes`) above its message, and its line.
  private var pendingCount: (count: Int, evidence: Evidence)?

  package init(context: ParseContext) {
    self.context = context
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    if line.text.allSatisfy(\.isWhitespace) { return .ignored }
    if let link = ConsoleLink(line.text) {
      switch link.kind {
      case "Pod": named = ObjectRef(kind: "Pod", namespace: link.namespace, name: link.name)
      case "Namespace": if named?.namespace == nil { named?.namespace = link.name }
      default: break
      }
      return .ignored
    }
    if let n = ConsoleEventRow.repeatCount(KubectlLine(line)) {
      pendingCount = (n, context.evidence(line))
      return .ignored
    }
    // A card's time (`17 May 2025, 10:16`, `26 Apr 2023 at 5:10 PM`): a local time without a zone.
    if named != nil, ConsoleLink.isCardTime(line.text) { return .ignored }
    let patterns = context.patterns
    guard !patterns.patterns.isEmpty else { return .unrecognised }
    if let monitor = MonitorLine(line.text) { return read(monitor, line: line, emit: emit) }
    let candidates = Self.candidates(line.text)
    // An event's message anywhere in the line before a log message: a row's message column may
    // hold text a log pattern also finds inside the whole line.
    for candidate in candidates {
      if let hit = patterns.firstMatch(candidate, kind: .event),
        let (type, reason) = patterns.pattern(id: hit.patternID)?.event.map({ ($0.type, $0.reason) })
          ?? Self.reasonColumn(before: candidate, in: line.text)
      {
        let at = block ?? context.ref(line.number)
        block = at
        let involved = named ?? Self.podColumn(before: candidate, reason: reason, in: line.text)
        var event = Event(
          involved: involved ?? ObjectRef(name: "", pastedAt: at), type: EventType(type), reason: reason,
          message: candidate, evidence: [context.evidence(line)])
        event.patternID = hit.patternID
        event.captures = hit.captures
        // An old row's SUBOBJECT column names the container (`spec.containers{web}`).
        event.involved.fieldPath = Self.fieldPath(in: line.text)
        if let (count, evidence) = pendingCount {
          event.count = count
          event.evidence.insert(evidence, at: 0)
          pendingCount = nil
        }
        emit(.event(event))
        return .parsed
      }
    }
    for candidate in candidates {
      for (kind, origin) in [(PatternKind.kubelet, LogRecord.Origin.kubelet), (.node, .node)] {
        guard let hit = patterns.firstMatch(candidate, kind: kind) else { continue }
        let at = block ?? context.ref(line.number)
        block = at
        var record = LogRecord(origin: origin, message: candidate, evidence: context.evidence(line))
        record.patternID = hit.patternID
        record.captures = hit.captures
        record.pastedAt = at
        emit(.log(record))
        return .parsed
      }
    }
    return .unrecognised
  }

  package mutating func finish(emit: (Record) -> Void) {}

  /// An event monitor's line: the event its message is, about the object its words name; a
  /// message podmortem has no pattern for is recognised and left (the line's form is known).
  private func read(_ monitor: MonitorLine, line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    let message = String(monitor.message)
    guard let hit = context.patterns.firstMatch(message, kind: .event),
      let event = context.patterns.pattern(id: hit.patternID)?.event
    else { return .ignored }
    var e = Event(
      involved: monitor.involved, type: EventType(event.type), reason: event.reason, message: message,
      evidence: [context.evidence(line)])
    e.patternID = hit.patternID
    e.captures = hit.captures
    if monitor.warning != (e.type == .warning) { e.type = monitor.warning ? .warning : .normal }
    emit(.event(e))
    return .parsed
  }

  /// The texts a line may hold a message in, most likely first: the line without its paste prefix
  /// and decoration, then what follows a leading state reason (`CrashLoopBackOff: …`,
  /// `CrashLoopBackOff (…)`).
  static func candidates(_ text: String) -> [String] {
    let payload = String(decoding: PastePrefix.payload(text), as: UTF8.self)
    let decoration: Set<Character> = ["*", "_", "`", " ", "\t", "\r"]
    var t = Substring(payload)
    while let c = t.first, decoration.contains(c) { t = t.dropFirst() }
    while let c = t.last, decoration.contains(c) { t = t.dropLast() }
    guard !t.isEmpty else { return [] }
    var out = [String(t)]
    // `Reason: message` or `Reason (message)`: a reason is one CamelCase word.
    let word = t.prefix { $0.isLetter }
    if let first = word.first, first.isUppercase, word.count >= 4 {
      let rest = t.dropFirst(word.count)
      if rest.hasPrefix(": ") {
        out.append(String(rest.dropFirst(2)))
      } else if rest.hasPrefix(" (") {
        var inner = rest.dropFirst(2)
        if let close = inner.lastIndex(of: ")") { inner = inner[..<close] }
        out.append(String(inner))
      }
    }
    // A row pasted without its header or with columns lost (`Warning  FailedSync  Error syncing
    // pod, …`, `{kubelet node-1}<TAB>spec.containers{web}<TAB>Warning<TAB>Unhealthy<TAB>Readiness
    // probe failed: …`): the text after each column gap (a tab or two spaces) may be the message.
    for column in columnStarts(t) where !out.contains(String(t[column...])) {
      out.append(String(t[column...]))
    }
    // A message quoted inside prose: the text of each inline-code or emphasis span.
    for mark in ["`", "**", "*"] where payload.contains(mark) {
      let parts = payload.components(separatedBy: mark)
      guard parts.count >= 3 else { continue }
      for index in stride(from: 1, to: parts.count - 1, by: 2) {
        let span = parts[index].trimmingCharacters(in: .whitespaces)
        if span.count >= 8, !out.contains(span) { out.append(span) }
      }
    }
    return out
  }

  /// The TYPE and REASON columns in front of a message whose wording does not say which event it
  /// is (a hook failure is FailedPostStartHook or FailedPreStopHook): the CamelCase word just before
  /// the message, and `Warning`/`Normal` before that if present.
  static func reasonColumn(before message: String, in text: String) -> (String, String)? {
    guard let range = text.range(of: message) else { return nil }
    let words = text[..<range.lowerBound].split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard let reason = words.last, let first = reason.first, first.isUppercase, reason.count >= 4,
      reason.allSatisfy(\.isLetter)
    else { return nil }
    let type = words.dropLast().last.map(String.init).flatMap { $0 == "Warning" || $0 == "Normal" ? $0 : nil }
    return (type ?? "", String(reason))
  }

  /// The pod a `NAME  REASON  MESSAGE` line names before its reason column, as `kubectl get pod x
  /// -o jsonpath='{.metadata.name}{"\t"}{.status.reason}{"\t"}{.status.message}'` prints it: exactly
  /// two cells before the message, a pod name (or `pod/name`) and the event's reason.
  static func podColumn(before message: String, reason: String, in text: String) -> ObjectRef? {
    guard let range = text.range(of: message) else { return nil }
    let words = text[..<range.lowerBound].split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard words.count == 2, words[1] == reason else { return nil }
    var name = words[0]
    if name.hasPrefix("pod/") { name = name.dropFirst(4) }
    guard name.count >= 3, name.count <= 253, name.contains("-"), name.first?.isLetter == true,
      name.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" || $0 == "." })
    else { return nil }
    return ObjectRef(kind: "Pod", name: String(name))
  }

  /// A container field path written in the line (`spec.containers{web}`,
  /// `spec.initContainers{init-db}`), as the SUBOBJECT column of old `get events` rows shows it.
  static func fieldPath(in text: String) -> String? {
    for prefix in ["spec.containers{", "spec.initContainers{", "spec.ephemeralContainers{"] {
      guard let open = text.range(of: prefix), let close = text[open.upperBound...].firstIndex(of: "}") else {
        continue
      }
      let name = text[open.upperBound..<close]
      guard !name.isEmpty, name.count <= 253, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
      else { return nil }
      return String(text[open.lowerBound...close])
    }
    return nil
  }

  /// Where the text after each column gap begins (at most `maxColumns`): a gap is a tab or a run
  /// of two or more spaces, as kubectl's tab writer and pasted tables leave between columns.
  static func columnStarts(_ t: Substring, maxColumns: Int = 12) -> [Substring.Index] {
    var starts: [Substring.Index] = []
    var i = t.startIndex
    while i < t.endIndex, starts.count < maxColumns {
      let c = t[i]
      guard c == "\t" || c == " " else {
        i = t.index(after: i)
        continue
      }
      var j = i
      var width = 0
      var tab = false
      while j < t.endIndex, t[j] == " " || t[j] == "\t" {
        if t[j] == "\t" { tab = true }
        width += 1
        j = t.index(after: j)
      }
      if (tab || width >= 2), j < t.endIndex { starts.append(j) }
      i = j
    }
    return starts
  }
}

/// An object link as a web console's event card copies into Markdown (OpenShift 4): a kind badge,
/// then the name linked to the object's page — `PodP[web-0](https://console…/k8s/ns/shop/pods/web-0)`,
/// `NamespaceNS[shop](…)`, `Generated from kubelet on [node-1](…/k8s/cluster/nodes/node-1)`.
struct ConsoleLink {
  var kind: String
  var name: String
  var namespace: String?

  /// Badges by kind, as the console prints them before the name (the kind's initials), with the
  /// kind's own name in front when the copy kept the badge's tooltip.
  private static let badges: [String: String] = [
    "P": "Pod", "PodP": "Pod", "Pod": "Pod", "NS": "Namespace", "NamespaceNS": "Namespace",
    "Namespace": "Namespace", "N": "Node", "NodeN": "Node", "Node": "Node",
  ]

  /// A console card's time: day, month, year, maybe `at`, then the time of day (`17 May 2025, 10:16`,
  /// `26 Apr 2023 at 5:10 PM`).
  static func isCardTime(_ text: String) -> Bool {
    let t = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).filter { $0 != "at" }
    guard t.count == 4 || t.count == 5, t[0].count <= 2, t[0].allSatisfy(\.isNumber), t[1].count >= 3,
      t[1].allSatisfy(\.isLetter), t[2].count == 4, t[2].allSatisfy(\.isNumber)
    else { return false }
    let clock = t[3].split(separator: ":")
    guard clock.count == 2 || clock.count == 3, clock.allSatisfy({ $0.count <= 2 && $0.allSatisfy(\.isNumber) })
    else { return false }
    return t.count == 4 || t[4] == "AM" || t[4] == "PM"
  }

  init?(_ text: String) {
    var body = Substring(text)
    while body.first == " " || body.first == "\t" { body = body.dropFirst() }
    while body.last == " " || body.last == "\t" { body = body.dropLast() }
    if body.hasPrefix("Generated from ") {
      guard let open = body.firstIndex(of: "[") else { return nil }
      body = "N" + body[open...]
    }
    guard let open = body.firstIndex(of: "["), let close = body.firstIndex(of: "]"), open < close,
      let kind = Self.badges[String(body[..<open])], body[body.index(after: close)...].hasPrefix("(")
    else { return nil }
    let name = body[body.index(after: open)..<close]
    guard !name.isEmpty, name.count <= 253,
      name.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" || $0 == "." })
    else { return nil }
    self.kind = kind
    self.name = String(name)
    // The page's address names the namespace: `/k8s/ns/<namespace>/pods/<name>`.
    let url = body[close...]
    if let ns = url.range(of: "/ns/") {
      let value = url[ns.upperBound...].prefix { $0 != "/" && $0 != ")" }
      if !value.isEmpty, value.count <= 63 { namespace = String(value) }
    }
  }
}
