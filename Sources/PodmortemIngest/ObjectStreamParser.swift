import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// Kubernetes objects as JSON, streamed: a single object, a `List`/`EventList`/`PodList`,
/// `kubectl get -w -o json` (pretty objects one after another, docs/kubernetes.md §3.2), watch NDJSON
/// (`{"type":…,"object":…}`), eventrouter lines (`{"verb":…,"event":…}`, possibly behind a klog
/// header, §10.1) and event-exporter lines (one event per line).
///
/// `JSONScanner` frames each object (each list item) out of the lines; each is then decoded on
/// its own, so memory follows the largest object, not the file.
///
/// Line accounting: the verdict of a line is due when the line is fed, but whether an object
/// decodes is known only at its last line. The lines of an object in progress count as parsed
/// (as ignored once its `kind` is seen to be one podmortem does not model); its last line gets
/// the object's real verdict, and a malformed object is reported by a diagnostic naming its lines.
package struct ObjectStreamParser: LineParser {
  package static let format = "kubernetes-json"

  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    // The first line that is not blank (or a klog line without an object) must open an object or array.
    var opened = false
    var member = false
    for line in head where !line.text.allSatisfy(\.isWhitespace) && !isPasteBoundary(line.text) {
      if line.number == 1, isCutTag(line.text) { continue }
      let payload = klogPayload(line.text)
      if let payload, payload.first != "{" { continue }
      opened = opensJSON(payload ?? line.text[...])
      member = !opened && (isMemberFragment(line.text) || isExcerptTail(line.text))
      break
    }
    if member || opened {
      // A piece of a pod's or node's status: a member cut out of its object (`"web": {` of a
      // v1beta1 `info` map, `"containerStatuses": [`), or a bare conditions array (`jq .status.conditions`).
      var pieces: UInt64 = 0
      for line in head where pieces != pieceNeedles.all { pieces |= pieceNeedles.found(in: line.text) }
      let piece = { (key: String) in pieces & pieceNeedles.bit("\"\(key)\"") != 0 }
      let conditions = piece("type") && piece("status") && piece("lastTransitionTime")
      let containers = piece("state") || piece("restartCount") || piece("containerStatuses")
      if member { return containers || conditions || isJSONExcerpt(head) ? 60 : 0 }
      if conditions && !head.contains(where: { has("\"kind\"", $0.text) }) { return 60 }
    }
    guard opened else { return 0 }
    var found: UInt64 = 0
    let kubeletJSON = keyNeedles.bit("\"ts\":") | keyNeedles.bit("\"msg\":")
    for line in head {
      let inLine = keyNeedles.found(in: line.text)
      // The kubelet's JSON log format (§10.1) has `ts` and `msg`; it is not an object stream.
      if inLine & kubeletJSON == kubeletJSON { return 0 }
      found |= inLine
    }
    let seen = { (key: String) in found & keyNeedles.bit("\"\(key)\"") != 0 }
    if seen("verb") && seen("event") { return 95 }
    if seen("type") && seen("object") { return 95 }
    if seen("apiVersion") || seen("kind") || seen("involvedObject") || seen("regarding") || seen("items") {
      return 90
    }
    // Older troubleshoot.sh bundles write bare arrays of typed objects, with no kind anywhere: the
    // bundle path says what the file lists.
    return itemKind(listKind: nil, role: info.bundleFile.role) == nil ? 0 : 80
  }

  /// 95 is the most `sniff` gives (`Ingestor.pick`).
  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    bar > 95 ? 0 : sniff(head: head, info: info)
  }

  /// Asked first: on a head that is not JSON it answers from the first line, and a JSON head's 90
  /// or 95 leaves the log sniffers, which read every line of the head, nothing to ask.
  package static var sniffCost: Int { -1 }

  /// `text.contains(needle)` as Foundation answers it, on bytes when they can say
  /// (`ASCIISearch`): a head of long single-line objects made these calls most of a source's
  /// sniffing (docs/architecture.md, "Sniffing a head of long lines").
  private static func has(_ needle: String, _ text: String) -> Bool {
    ASCIISearch.contains(needle, in: text) ?? text.contains(needle)
  }

  /// The quoted keys the sniffer looks for in a head's every line, and the kubelet JSON log's.
  static let keyNeedles = ASCIISearch.QuotedNeedles(
    ["apiVersion", "kind", "items", "type", "object", "verb", "event", "involvedObject", "regarding"].map {
      "\"\($0)\""
    } + ["\"ts\":", "\"msg\":"])
  /// The quoted keys of a piece of a pod's or node's status (`pieceKeys`).
  static let pieceNeedles = ASCIISearch.QuotedNeedles(pieceKeys.map { "\"\($0)\"" })

  private let context: ParseContext
  private let converter: KubeObjectConverter
  private let decoder = JSONDecoder()
  private var scanner = JSONScanner()
  /// Strings the reader builds, shared from one object to the next (`StringPool`).
  private var strings = StringPool()
  /// The separators of the members the reader read last (`MemberMemo`).
  private var members = MemberMemo()
  /// The log sections of a cluster-info dump, once one has started.
  private var logs: ClusterInfoDumpLogsParser?
  private var picker = EvidencePicker(message: ["\"message\"", "\"note\""], name: ["\"name\""])
  /// The object the last command shown above the values names (`$ kubectl get pod web-0 -o json`).
  private var command: PasteCommand?
  /// The line a member pasted without its object starts on, while that object is read.
  private var fragmentLine: Int?
  /// The items of a bare conditions array read so far (`jq .status.conditions`), with their evidence.
  private var conditions: [KubeCondition] = []
  private var conditionEvidence: ObjectEvidence?
  private var conditionsAreNodes = false
  /// The first and last line of the tail of an object cut into, while it lasts.
  private var excerptTail: (first: Int, last: Int)?
  /// The last kind `isIgnorable` was asked about, and its answer.
  private var lastKind: (kind: String, ignorable: Bool)?

  /// The lines of a pod's fields when the reader that rebuilt the JSON knows them (`GronParser`):
  /// used instead of finding them in the value's bytes.
  package var fieldLines: JSONFieldLines?

  package init(context: ParseContext) {
    self.context = context
    self.converter = KubeObjectConverter(captureTime: context.captureTime)
  }

  /// A reader for JSON that starts at line `firstLine` of a source another parser reads (an object
  /// pasted after kubectl text: `KubectlTextParser`).
  package init(context: ParseContext, firstLine: Int) {
    self.init(context: context)
    scanner = JSONScanner(firstLine: firstLine)
  }

  /// True while a value has begun and not ended (nor failed): its next lines are this reader's.
  package var isWithinValue: Bool { !scanner.isBetweenValues && !scanner.isSkipping }

  /// True when `text` starts a JSON object, or a list of them, on its own: `{`, `{"kind": …`, `[`
  /// alone, `[{`. Text that only opens a bracket (`[1] see above`) does not.
  package static func opensObject(_ text: Substring) -> Bool {
    let body = text.drop { $0 == " " || $0 == "\t" }
    guard opensJSON(body) else { return false }
    if body.first == "{" { return true }
    let rest = body.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\r" }
    return rest.isEmpty || rest.first == "{"
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    // `kubectl cluster-info dump` to stdout: JSON objects, then `==== START logs …` sections
    // (docs/kubernetes.md §10.3). Between objects, a marker hands the lines to the logs parser until the
    // next object starts.
    if !scanner.isInValue, logs?.isInSection == true || ClusterInfoDumpLogsParser.Marker(line.text) != nil {
      var parser = logs ?? ClusterInfoDumpLogsParser(context: context)
      let verdict = parser.feed(line, emit: emit)
      logs = parser
      return verdict
    }
    let wasInValue = scanner.isInValue
    if !wasInValue, Self.isPasteBoundary(line.text) || (line.number == 1 && Self.isCutTag(line.text)) {
      if var command = PasteCommand.parse(line.text) {
        command.evidence = context.evidence(line)
        self.command = command
      }
      // Counted as an empty line, so the scanner's line numbers stay the source's.
      scanner.feedLine(""[...]) { _ in }
      return .ignored
    }
    if scanner.isBetweenValues, Self.isExcerptTail(line.text) {
      // The rest of an object whose start was not pasted (an excerpt that begins mid-object):
      // JSON, but nothing can be read from it without the object's identity.
      if excerptTail == nil { excerptTail = (line.number, line.number) } else { excerptTail?.last = line.number }
      scanner.feedLine(""[...]) { _ in }
      return .ignored
    }
    // Asked on every line, answered on one in thousands: the call alone was 18 instructions a
    // line (issue 16, callgrind).
    if excerptTail != nil { noteExcerptTail() }
    // What the scanner reads when it is not the whole line (nil: the line, fed without making a
    // Substring of it).
    var payload: Substring?
    if scanner.isBetweenValues, Self.isMemberFragment(line.text) {
      // A member pasted without its object: read inside the object it was cut from, which the end
      // of the input (or the next value in column 0) closes.
      payload = "{" + line.text[...]
      fragmentLine = line.number
    }
    var klogWithoutObject = false
    if !wasInValue, let body = Self.klogPayload(line.text) {
      if body.first == "{" { payload = body } else { klogWithoutObject = true }
    }
    if !wasInValue { picker.start(line) }
    picker.look(at: line)
    if klogWithoutObject {
      scanner.feedLine(""[...]) { _ in }
      return .ignored
    }
    // Most lines end no value: no array is made for them. Two empty arrays a line (the outputs
    // and their verdicts) were two releases a line (issue 16, callgrind); the verdicts are now
    // folded as they come (`BestVerdict`, held by `EventListLineTests` to the search of the
    // array it replaced).
    var outputs: [JSONScanner.Output]?
    if let payload {
      scanner.feedLine(payload) { Self.append($0, to: &outputs) }
    } else {
      scanner.feedLine(line.text) { Self.append($0, to: &outputs) }
    }
    return verdict(of: outputs, emit: emit) { line.text.allSatisfy(\.isWhitespace) }
  }

  /// A line's verdict once the scanner has read it, from what it gave (`outputs`): the best of
  /// the values' verdicts; else, within a value, parsed (ignored for an ignorable kind); else
  /// unrecognised after a problem or on a line the scanner skips that is not blank (`isBlank`,
  /// asked only then); else ignored. Shared by `feed(_:emit:)` and `feed(bytes:number:emit:)`.
  private mutating func verdict(
    of outputs: [JSONScanner.Output]?, emit: (Record) -> Void, isBlank: () -> Bool
  ) -> SourceAccount.Verdict {
    var verdicts = BestVerdict()
    var sawProblem = false
    if let outputs {
      for output in outputs {
        switch output {
        case .value(let value):
          verdicts.add(handle(value, emit: emit))
        case .problem(let problem):
          sawProblem = report(problem)
        }
      }
    }
    if let verdict = verdicts.best { return verdict }
    return quietVerdict(sawProblem: sawProblem, isBlank: isBlank)
  }

  /// The verdict of a line on which no value got one (`verdict(of:emit:isBlank:)`): within a
  /// value, parsed (ignored for an ignorable kind); else unrecognised after a problem or on a line
  /// the scanner skips that is not blank; else ignored.
  @inline(__always)
  private mutating func quietVerdict(sawProblem: Bool, isBlank: () -> Bool) -> SourceAccount.Verdict {
    if scanner.isInValue { return isIgnorable(scanner.currentKind) ? .ignored : .parsed }
    if sawProblem || (scanner.isSkipping && !isBlank()) { return .unrecognised }
    return .ignored
  }

  /// Reads a line from its bytes (`feed(bytes:number:emit:)`).
  package static var readsBytes: Bool { true }

  /// `feed(_:emit:)` of a line inside a value, read from its bytes without a `String` made of
  /// them: of `feed`'s steps, a line inside a value takes only the picker's look, the scanner and
  /// the verdict, and each reads bytes. Nil, with nothing changed, for any other line (between
  /// values `feed` asks text questions: markers, paste boundaries, fragments, klog headers) and
  /// for a line that is not all ASCII, whose `String` may differ from its bytes (invalid UTF-8 is
  /// replaced) and whose blank test is by `Character`. `OfferedLinesTests` holds it to `feed`.
  package mutating func feed(
    bytes: UnsafeBufferPointer<UInt8>, number: Int, emit: (Record) -> Void
  ) -> SourceAccount.Verdict? {
    guard scanner.isInValue, !scanner.isBetweenValues, Self.isASCIILine(bytes) else { return nil }
    if excerptTail != nil { noteExcerptTail() }
    var outputs: [JSONScanner.Output]?
    scanner.feedLine(bytes: bytes) { Self.append($0, to: &outputs) }
    // After the scanner, which may have read the line as one member: then the picker answers from
    // its key and value (`EvidencePicker.look(at:number:member:)`). The values the line ends are
    // handled below, after the look, as before.
    picker.look(at: bytes, number: number, member: scanner.memberLine)
    // The line's `String`, as `LineReader` makes it, only for a line that may be unrecognised.
    // A line that ends no value (nearly every line) takes the verdict's tail without the empty
    // optional: consumed by the `switch`, it is not released, where passing it on released it
    // once a line (issue 16, callgrind; docs/architecture.md "Speed of the EventList path").
    switch consume outputs {
    case .none:
      return quietVerdict(sawProblem: false) { String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace) }
    case .some(let produced):
      return verdict(of: produced, emit: emit) { String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace) }
    }
  }

  /// `ASCIISearch.isASCII(bytes)`, inlined into the line's path: every word of the line read, the
  /// last one overlapping the one before (a line of fewer than eight bytes is read as two
  /// overlapping halves, or byte by byte under four), the high bits gathered and tested once. A
  /// line of a pretty-printed list is about 38 bytes: the call, its word loop and its byte loop
  /// over the last bytes were about 74 instructions a line (issue 16, callgrind).
  /// `OfferedLinesTests` holds it to `ASCIISearch.isASCII` and to a byte loop.
  @inline(__always)
  static func isASCIILine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = bytes.count
    guard let base = bytes.baseAddress, n > 0 else { return true }
    let raw = UnsafeRawPointer(base)
    var high: UInt64 = 0
    if n >= 8 {
      var i = 0
      while i + 8 <= n {
        high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        i += 8
      }
      high |= raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    } else if n >= 4 {
      high =
        UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
    } else {
      for i in 0..<n { high |= UInt64(base[i]) }
    }
    return high & 0x8080_8080_8080_8080 == 0
  }

  /// `KubeObjectConverter.isIgnorable(kind:)`, remembered for the last kind asked: every line of
  /// an object asks it of the same kind, and the answer hashed the kind each time (issue 16, perf).
  mutating func isIgnorable(_ kind: String?) -> Bool {
    guard let kind else { return false }
    if let last = lastKind, last.kind == kind { return last.ignorable }
    let ignorable = KubeObjectConverter.isIgnorable(kind: kind)
    lastKind = (kind, ignorable)
    return ignorable
  }

  /// True when `text` opens a JSON object or array: `{` then a key, `}` or nothing, `[` then a
  /// value, `]` or nothing. A bracketed prompt (`[root@host ~]# kubectl …`, `[@@@ ~]#`) or a
  /// bracketed log time opens neither.
  static func opensJSON(_ text: Substring) -> Bool {
    var bytes = text.utf8.drop { $0 == 0x20 || $0 == 0x09 }
    guard let open = bytes.first, open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else { return false }
    bytes = bytes.dropFirst().drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    guard let next = bytes.first else { return true }
    if open == UInt8(ascii: "{") { return next == UInt8(ascii: "\"") || next == UInt8(ascii: "}") }
    switch next {
    case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "]"), UInt8(ascii: "-"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      let word = String(decoding: bytes.prefix { (0x61...0x7A).contains($0) }, as: UTF8.self)
      return word == "true" || word == "false" || word == "null"
    default:
      return false
    }
  }

  /// A line of JSON that can only be the inside or the end of an object (`"reason": null,`, `},`,
  /// `]`), seen between values: the tail of an object whose start the paste does not have. A
  /// member that opens an object or array is not one (`isMemberFragment` reads it).
  static func isExcerptTail(_ text: String) -> Bool {
    // Most lines between values open one (`{`): rejected from their first byte, without walking
    // the line by Characters (which was a third of the time on an NDJSON stream).
    let utf8 = text.utf8
    let lead = utf8.first { $0 != 0x20 && $0 != 0x09 }
    guard lead == 0x22 || lead == 0x7D || lead == 0x5D else { return false }
    let body = text.drop { $0 == " " || $0 == "\t" }.prefix { $0 != "\r" }
    guard let first = body.first else { return false }
    if first == "}" || first == "]" { return body.allSatisfy { "}],: \t".contains($0) } }
    guard first == "\"", !isMemberFragment(text), let close = body.dropFirst().firstIndex(of: "\"") else {
      return false
    }
    return body[body.index(after: close)...].drop { $0 == " " }.first == ":"
  }

  /// True when most lines of `head` are JSON members or brackets and one names a field every
  /// Kubernetes object or event has: an excerpt of a Kubernetes JSON document.
  static func isJSONExcerpt(_ head: [Line]) -> Bool {
    var json = 0
    var other = 0
    var kubernetes = false
    for line in head {
      let body = line.text.drop { $0 == " " || $0 == "\t" }
      if body.isEmpty || isPasteBoundary(line.text) { continue }
      if isExcerptTail(line.text) || isMemberFragment(line.text) || body.first == "{" || body.first == "[" {
        json += 1
        kubernetes =
          kubernetes
          || ["\"metadata\"", "\"involvedObject\"", "\"status\"", "\"kind\"", "\"type\""].contains {
            body.hasPrefix($0)
          }
      } else {
        other += 1
      }
    }
    return kubernetes && json >= 5 && json >= 9 * other
  }

  /// Says once which lines were the tail of an object the paste cut into.
  private mutating func noteExcerptTail() {
    guard let tail = excerptTail else { return }
    excerptTail = nil
    let lines = tail.first == tail.last ? "line \(tail.first) is" : "lines \(tail.first)-\(tail.last) are"
    let message = "\(lines) the end of a JSON object whose start is not in the input: not read"
    context.diagnostics(Diagnostic(.note, context.ref(tail.first), message))
  }

  /// The most conditions one bare array gives an object (a node has five, a pod six).
  private static let maximumConditions = 64

  /// Keys that tell a piece of a pod's or node's status.
  static let pieceKeys = ["state", "restartCount", "containerStatuses", "type", "status", "lastTransitionTime"]

  /// `"web": {` or `"containerStatuses": [`: a member of an object, pasted without the object.
  static func isMemberFragment(_ text: String) -> Bool {
    let body = text.drop { $0 == " " || $0 == "\t" }
    guard body.first == "\"", let close = body.dropFirst().firstIndex(of: "\"") else { return false }
    let rest = body[body.index(after: close)...].drop { $0 == " " }
    guard rest.first == ":" else { return false }
    let value = rest.dropFirst().drop { $0 == " " }.prefix { $0 != " " && $0 != "\r" }
    return value == "{" || value == "["
  }

  /// A markdown fence or a shell command line around pasted JSON (```` ```json ````, `$ kubectl get
  /// pod web-0 -o json`): it separates objects and is not part of one.
  static func isPasteBoundary(_ text: String) -> Bool {
    // A body whose first Character is `{` or `"` (the line that opens each item of a
    // pretty-printed list) is none of the prefixes below, nor a cut fence (a backtick first), and
    // is not asked `isCommand`: said from its bytes, without the Substring walks (issue 16, perf).
    // The byte after it is ASCII or absent, so no combining mark joins it into another Character.
    if Self.leadsWithBraceOrQuote(text) { return false }
    let body = text.drop { $0 == " " || $0 == "\t" }
    return body.hasPrefix("```") || body.hasPrefix("~~~") || body.hasPrefix("$ ") || body.hasPrefix("kubectl ")
      || body.hasPrefix("oc ") || body.hasPrefix("curl ") || isCutFence(body)
      || (body.first != "{" && body.first != "\"" && KubectlCommand.isCommand(body))
  }

  /// True when the first byte after leading spaces and tabs is `{` or `"` and the byte after
  /// it is ASCII or absent: then `text.drop { $0 == " " || $0 == "\t" }.first` is that
  /// Character (a space joined to a combining mark is not dropped, and its mark is no ASCII byte).
  static func leadsWithBraceOrQuote(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { leadsWithBraceOrQuote($0) }
      ?? Array(text.utf8).withUnsafeBufferPointer { leadsWithBraceOrQuote($0) }
  }

  private static func leadsWithBraceOrQuote(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "\"") else { return false }
    // `{` then CR LF would still be two Characters, but a lone CR is ASCII too: only a byte
    // of 0x80 and above can begin a mark that extends the `{`.
    return i + 1 == bytes.count || bytes[i + 1] < 0x80
  }

  /// What a copy that started late leaves of a fence (`` `` ``, `` `json``): backticks and a
  /// language tag, nothing else.
  static func isCutFence(_ body: Substring) -> Bool {
    guard body.first == "`" else { return false }
    let tag = body.drop { $0 == "`" }.prefix { $0 != "\r" }
    return body.count - tag.count <= 2 && tag.count <= 12 && tag.allSatisfy { $0.isLetter || $0.isNumber }
  }

  /// A first line that is only a language tag whose backticks the copy lost (`json`, `son`).
  static func isCutTag(_ text: String) -> Bool {
    let body = text.prefix { $0 != "\r" }
    return !body.isEmpty && body.count <= 10 && body.allSatisfy { $0.isLetter && $0.isLowercase }
  }

  package mutating func finish(emit: (Record) -> Void) {
    noteExcerptTail()
    var outputs: [JSONScanner.Output] = []
    scanner.finish { outputs.append($0) }
    for output in outputs {
      switch output {
      case .value(let value): _ = handle(value, emit: emit)
      case .problem(let problem): _ = report(problem)
      }
    }
    flushConditions(emit: emit)
  }

  /// Passes a framing problem on; true when it is one. A member pasted without its object ends
  /// without the object's closing brace by its nature: that is said in a note, not a warning.
  private func report(_ problem: JSONScanner.Problem) -> Bool {
    if let fragmentLine, problem.line == fragmentLine, problem.message.hasPrefix("truncated value") {
      let message =
        "JSON from line \(fragmentLine) is a piece of an object (it starts with a member): "
        + "read as the object it was cut from, up to its last complete member"
      context.diagnostics(Diagnostic(.note, context.ref(problem.line), message))
      return false
    }
    context.diagnostics(Diagnostic(.warning, context.ref(problem.line), problem.message))
    return true
  }

  /// The conditions of a bare array, as the node or pod the command above them names (a node's
  /// have `lastHeartbeatTime`, docs/kubernetes.md §4.4); the conditions of an unnamed node are
  /// not a node podmortem can report on, and are said to be skipped.
  private mutating func flushConditions(emit: (Record) -> Void) {
    defer {
      conditions = []
      conditionEvidence = nil
      conditionsAreNodes = false
    }
    guard !conditions.isEmpty, let evidence = conditionEvidence else { return }
    let list = conditions.map {
      PodCondition(
        type: $0.type ?? "", status: $0.status ?? "", reason: $0.reason.flatMap { $0.isEmpty ? nil : $0 },
        message: $0.message.flatMap { $0.isEmpty ? nil : $0 })
    }
    if conditionsAreNodes || command?.kind == "Node" {
      guard let command, command.kind == "Node" else {
        let message = "node conditions without the node's name (no command above them names it): not reported"
        context.diagnostics(Diagnostic(.note, evidence.first?.ref ?? context.ref(0), message))
        return
      }
      var node = NodeSnapshot(name: command.name)
      node.conditions = list
      node.evidence = evidence.forObject
      emit(.node(node))
      return
    }
    var pod = PodSnapshot(name: "")
    pod.pastedAt = evidence.first?.ref
    pod.conditions = list
    pod.capturedAt = context.captureTime
    pod.evidence = evidence.forObject
    emit(command?.naming(.pod(pod)) ?? .pod(pod))
  }

  /// `outputs.append(output)`, the array made at the first.
  private static func append(_ output: JSONScanner.Output, to outputs: inout [JSONScanner.Output]?) {
    if outputs == nil { outputs = [output] } else { outputs?.append(output) }
  }

  private mutating func handle(_ value: JSONScanner.Value, emit: (Record) -> Void) -> SourceAccount.Verdict {
    // Through the memo of the last kind asked, which every line of the object asked of the same
    // kind: the set's look-up hashed it once more an object (issue 16, callgrind).
    if isIgnorable(value.kind) {
      flushConditions(emit: emit)
      return .ignored
    }
    // The fast path: plain JSON of the declared types, read without Foundation, into the
    // document where it lies (a document returned as a value was copied whole on its way here).
    var document = KubeDocument.empty
    if !KubeJSONReader.read(value.bytes, pool: &strings, members: &members, into: &document) {
      guard let decoded = decodeWithFoundation(value) else { return .unrecognised }
      document = decoded
    }
    if value.isListItem, document.object.kind == nil {
      document.object.kind = Self.itemKind(listKind: value.listKind, role: context.source.bundleFile.role)
    }
    // `condition` is nil for an object with a kind (its first test), and asking it copied the
    // document (4 KB) for the getter: an event of a list is not asked (issue 16, callgrind).
    if value.isListItem, value.listKind == nil, document.object.kind == nil, let condition = document.condition {
      // An item of a bare conditions array: gathered, and read as one object when the array ends.
      if conditions.isEmpty { conditionEvidence = picker.evidence(context) }
      conditionsAreNodes = conditionsAreNodes || document.object.lastHeartbeatTime != nil
      if conditions.count < Self.maximumConditions { conditions.append(condition) }
      return .parsed
    }
    flushConditions(emit: emit)
    var outcome = converter.convert(document, evidence: picker.evidence(context, pool: &strings))
    citeFields(of: &outcome, in: value)
    return deliver(outcome, emit: emit)
  }

  /// Gives the pods of `outcome` the lines of their state, deletion and probe fields
  /// (`JSONFieldLines`), found in the value's bytes: only values that held a pod are scanned again.
  private func citeFields(of outcome: inout KubeObjectConverter.Outcome, in value: JSONScanner.Value) {
    guard outcome.records.contains(where: { if case .pod = $0 { true } else { false } }) else { return }
    let lines = fieldLines ?? JSONFieldLines(value.bytes, startLine: value.startLine)
    for (i, record) in outcome.records.enumerated() {
      guard case .pod(var pod) = record else { continue }
      lines.apply(to: &pod, source: context.source.name, pasted: context.lineText)
      outcome.records[i] = .pod(pod)
    }
  }

  /// `value` decoded by Foundation's `JSONDecoder`, for what `KubeJSONReader` is not sure about;
  /// its problems (and its failure, as nil) reported as diagnostics naming the value's lines.
  private func decodeWithFoundation(_ value: JSONScanner.Value) -> KubeDocument? {
    let document: KubeDocument
    do {
      let problems = DecodeProblems()
      decoder.userInfo[DecodeProblems.key] = problems
      document = try decoder.decode(KubeDocument.self, from: Data(value.bytes))
      for message in problems.messages {
        context.diagnostics(
          Diagnostic(.warning, context.ref(value.startLine), "object on line \(value.startLine): \(message)"))
      }
    } catch {
      let lines =
        value.startLine == value.endLine ? "line \(value.startLine)" : "lines \(value.startLine)-\(value.endLine)"
      context.diagnostics(
        Diagnostic(.warning, context.ref(value.startLine), "cannot read object on \(lines): \(describe(error))"))
      return nil
    }
    return document
  }

  /// The kind of a list item that names none: typed lists (`kubectl cluster-info dump`) put `kind`
  /// on the list only, so `PodList` gives `Pod`; a bare array (older troubleshoot.sh bundles) is
  /// known by what its bundle file lists.
  static func itemKind(listKind: String?, role: BundleFile.Role) -> String? {
    if let listKind, listKind.hasSuffix("List"), listKind.count > 4 { return String(listKind.dropLast(4)) }
    switch role {
    case .podList: return "Pod"
    case .eventList: return "Event"
    case .nodes: return "Node"
    default: return nil
    }
  }

  private func deliver(_ outcome: KubeObjectConverter.Outcome, emit: (Record) -> Void) -> SourceAccount.Verdict {
    for (level, message) in outcome.notes {
      context.diagnostics(Diagnostic(level, picker.startRef(context), message))
    }
    for record in outcome.records { emit(command?.naming(record) ?? record) }
    return outcome.records.isEmpty ? .ignored : .parsed
  }

  /// The klog header of an eventrouter line (`I1127 01:02:03.456789       1 glog.go:58] `), or nil.
  static func klogPayload(_ text: String) -> Substring? {
    let bytes = text.utf8
    guard let first = bytes.first, [0x49, 0x57, 0x45, 0x46].contains(first), bytes.count > 22 else { return nil }
    var i = bytes.index(after: bytes.startIndex)
    func digits(_ n: Int) -> Bool {
      for _ in 0..<n {
        guard i < bytes.endIndex, (0x30...0x39).contains(bytes[i]) else { return false }
        i = bytes.index(after: i)
      }
      return true
    }
    func byte(_ b: UInt8) -> Bool {
      guard i < bytes.endIndex, bytes[i] == b else { return false }
      i = bytes.index(after: i)
      return true
    }
    guard digits(4), byte(0x20), digits(2), byte(0x3A), digits(2), byte(0x3A), digits(2), byte(0x2E), digits(6)
    else { return nil }
    // The rest of the header is `  pid file:line] `.
    guard let close = text[i...].firstIndex(of: "]") else { return nil }
    let after = text.index(after: close)
    guard after < text.endIndex, text[after] == " " else { return nil }
    return text[text.index(after: after)...]
  }
}

/// The verdict of a line on which objects ended, folded as each object's verdict comes, without
/// an array of them: parsed if any became a record, else ignored if any is, else the first (nil
/// for none). `EventListLineTests` keeps the array's search it replaced as the reference.
struct BestVerdict {
  private var first: SourceAccount.Verdict?
  private var parsed = false
  private var ignored = false

  mutating func add(_ verdict: SourceAccount.Verdict) {
    if first == nil { first = verdict }
    switch verdict {
    case .parsed: parsed = true
    case .ignored: ignored = true
    case .unrecognised: break
    }
  }

  var best: SourceAccount.Verdict? { parsed ? .parsed : ignored ? .ignored : first }
}

/// The candidate lines an object's records can cite.
struct ObjectEvidence {
  var message: Evidence?
  var name: Evidence?
  var first: Evidence?

  var forEvent: [Evidence] { (message ?? name ?? first).map { [$0] } ?? [] }
  var forObject: [Evidence] { (name ?? first ?? message).map { [$0] } ?? [] }
}

/// A decoding error in a few words: where in the object, and what was wrong.
func describe(_ error: Error) -> String {
  func text(_ context: DecodingError.Context) -> String {
    let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    var detail = context.debugDescription
    if detail.hasSuffix(".") { detail.removeLast() }
    if let first = detail.first { detail = first.lowercased() + detail.dropFirst() }
    return path.isEmpty ? detail : "'\(path)': \(detail)"
  }
  switch error {
  case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
    DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
    return text(context)
  default:
    let line = String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
    return line
  }
}

extension ObjectStreamParser: SplitParser {
  /// The line that opens an item of `kubectl get -o json`'s `items`, after the line that closed
  /// the one before: `        {` after `        },`, as kubectl indents a list's items (four
  /// spaces a level). JSON strings hold no raw line end, so such a line is never inside one.
  package static func partStart(in window: [UInt8]) -> Int? {
    let opens = Array("        {".utf8)
    let closes = Array("        },".utf8)
    return firstLine(in: window) { line, previous in
      guard let previous else { return false }
      let line = line.last == 0x0D ? line.dropLast() : line
      let before = previous.last == 0x0D ? previous.dropLast() : previous
      return line.elementsEqual(opens) && before.elementsEqual(closes)
    }
  }

  /// A reader whose first line, `firstLine`, opens an item of a top-level list's `items`
  /// (`partStart(in:)`).
  package init(secondPartAt firstLine: Int, context: ParseContext) {
    self.init(context: context)
    scanner = JSONScanner(betweenItemsAt: firstLine)
  }

  /// True when the scanner is between two items of a top-level list's `items`, the items in the
  /// column kubectl prints them at and the list's kind not seen before them
  /// (`JSONScanner.isBetweenItems(column:)`), and nothing else is held: no cluster-info logs,
  /// command line, member fragment, bare conditions or excerpt tail.
  package var isBetweenParts: Bool {
    scanner.isBetweenItems(column: 8) && logs == nil && command == nil && fragmentLine == nil
      && conditions.isEmpty && conditionEvidence == nil && excerptTail == nil && fieldLines == nil
  }

  /// Between two items nothing is held: the list's end, and what is said about it, are the
  /// second part's.
  package mutating func finishFirstPart(emit: (Record) -> Void) {}
}
