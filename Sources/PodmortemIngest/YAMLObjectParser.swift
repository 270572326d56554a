import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText
import Yams

/// Kubernetes objects as YAML: `---`-separated documents (`kubectl get -w -o yaml`, must-gather
/// and crust-gather files) and `kubectl get -o yaml` lists (docs/kubernetes.md §3.2, §12).
///
/// Each document is decoded on its own as soon as the next one starts. A list's `items:` are
/// split line by line — every `- ` at the items' indentation starts a new item — so a large list
/// is never held whole. Line accounting follows `ObjectStreamParser`: lines of a document in
/// progress count as parsed (ignored once a `kind:` podmortem does not model is seen), and a
/// document that cannot be read is reported by a diagnostic naming its first line.
package struct YAMLObjectParser: LineParser {
  package static let format = "kubernetes-yaml"

  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    var sawAPIVersion = false
    var sawKind = false
    var first = true
    for line in head {
      let text = line.text
      if BlankText.isBlank(text) { continue }
      let marks = sniffMarks(text)
      if marks.comment { continue }
      if first {
        first = false
        // JSON is not for this parser (JSON is YAML, but the streaming JSON parser is better at it).
        if ObjectStreamParser.opensJSON(text[...]) { return 0 }
      }
      if marks.apiVersion { sawAPIVersion = true }
      if marks.kind { sawKind = true }
    }
    if sawAPIVersion && sawKind { return 85 }
    if sawAPIVersion || sawKind { return 40 }
    // A piece of a pod's status pasted alone (`status:`, `containerStatuses:`, `lastState:`).
    return YAMLFragment.looksLikePodStatus(head.map { Substring($0.text) }) ? 45 : 0
  }

  /// Whether `text` starts with `#`, and whether after its leading spaces and dashes it starts
  /// with `apiVersion: ` or `kind: `: from the bytes when the text is ASCII, else as
  /// `sniffMarksByCharacters`. Three `hasPrefix` by characters cost 1,700 instructions a line of
  /// every head sniffed (docs/architecture.md, "Sniffing a head of long lines"); in ASCII text
  /// every character is one byte but a CR LF pair, and none of these needles holds a CR or can end
  /// inside that pair. `YAMLSniffMarksTests` keeps the old sniffer as its reference.
  static func sniffMarks(_ text: String) -> (comment: Bool, apiVersion: Bool, kind: Bool) {
    let quick = text.utf8.withContiguousStorageIfAvailable { b -> (Bool, Bool, Bool)? in
      guard ASCIISearch.isASCII(b) else { return nil }
      if b.first == 0x23 { return (true, false, false) }
      var i = 0
      while i < b.count, b[i] == 0x20 || b[i] == 0x2D { i += 1 }
      let rest = UnsafeBufferPointer(rebasing: b[i...])
      return (false, rest.starts(with: apiVersionBytes), rest.starts(with: kindBytes))
    }
    if let quick = quick ?? nil { return quick }
    return sniffMarksByCharacters(text)
  }

  private static let apiVersionBytes = Array("apiVersion: ".utf8)
  private static let kindBytes = Array("kind: ".utf8)

  /// The questions `sniffMarks` answers, asked by characters as `sniff` asked them before.
  static func sniffMarksByCharacters(_ text: String) -> (comment: Bool, apiVersion: Bool, kind: Bool) {
    if text.hasPrefix("#") { return (true, false, false) }
    let trimmed = text.drop { $0 == " " || $0 == "-" }
    return (false, trimmed.hasPrefix("apiVersion: "), trimmed.hasPrefix("kind: "))
  }

  /// 85 is the most `sniff` gives: a head another parser scored higher on is not read at all (a
  /// describe's head is scored 90 by the kubectl sniffer first, `Ingestor.pick`).
  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    bar > 85 ? 0 : sniff(head: head, info: info)
  }

  /// Asked last: after the kubectl sniffer, whose 90 on a describe leaves nothing to ask here.
  package static var sniffCost: Int { 2 }

  private struct Chunk {
    var lines: [String] = []
    /// The input line number of each of `lines` (elisions leave gaps).
    var numbers: [Int] = []
    var startLine = 0
    var kind: String?
  }

  private let context: ParseContext
  private let converter: KubeObjectConverter
  private var chunk = Chunk()
  private var picker = EvidencePicker(message: ["message:", "note:"], name: ["name:"])
  /// The indentation of the `- ` that starts each item while inside a top-level `items:`.
  private var itemIndent: Int?
  private var awaitingItems = false
  /// The object the last command shown above the documents names (`$ kubectl get pod web-0 -o yaml`).
  private var command: PasteCommand?
  /// The output of a kubectl command that prints text, while it lasts (none or one: an array, as a
  /// kubectl text reader may hold a YAML reader in turn).
  private var kubectl: [KubectlTextParser] = []

  package init(context: ParseContext) {
    self.context = context
    self.converter = KubeObjectConverter(captureTime: context.captureTime)
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    // The output of a kubectl command that prints text (`$ kubectl get events --watch` after the
    // manifest), up to the next fence or command.
    if !kubectl.isEmpty {
      let body = line.text.drop { $0 == " " }
      if body.hasPrefix("```") || body.hasPrefix("~~~") || KubectlCommand.isCommand(body) || body.hasPrefix("$ ") {
        kubectl[0].finish(emit: emit)
        kubectl = []
      } else {
        return kubectl[0].feed(line, emit: emit)
      }
    }
    var text = line.text
    // A markdown quote marker (`> kind: Pod`): YAML never starts a line with `>` at column 0.
    if text.hasPrefix("> ") { text.removeFirst(2) } else if text == ">" { text = "" }
    text = YAMLFragment.unemphasised(text)
    let body = text.drop { $0 == " " }
    // Markdown fences, rules and shell prompts around a pasted fragment separate documents.
    // A command line stands at the start of a line and is no `key:` (YAML never has one there; a
    // command quoted in a block scalar is indented).
    let atStart = text.first.map { $0 != " " && $0 != "\t" && $0 != "-" } ?? false
    let command = atStart && YAMLFragment.key(body) == nil ? PasteCommand.parse(text) : nil
    if body.hasPrefix("```") || body.hasPrefix("~~~") || body.hasPrefix("$ ") || PasteDecoration.isRule(body)
      || command != nil || ObjectStreamParser.isCutFence(body)
      || (line.number == 1 && ObjectStreamParser.isCutTag(text)) || (atStart && Self.isHeredocEnd(text))
    {
      flush(emit: emit)
      if var command {
        command.evidence = context.evidence(line)
        self.command = command
      }
      if KubectlCommand.printsText(body) {
        var reader = KubectlTextParser(context: context)
        _ = reader.feed(line, emit: emit)
        kubectl = [reader]
      }
      itemIndent = nil
      awaitingItems = false
      return .ignored
    }
    // `...` ends a YAML document, but kubectl never writes it: in a paste it is an elision, even
    // at column 0 (a paste whose indentation was stripped), handled below.
    if atStart, Self.isApplyOutput(body) {
      // kubectl's answer to the create or apply that sent the YAML (`pod "web-0" created`).
      flush(emit: emit)
      return .ignored
    }
    if text == "---" || text.hasPrefix("--- ") {
      flush(emit: emit)
      itemIndent = nil
      awaitingItems = false
      return .ignored
    }
    // What the poster left out (`  ...`, `[...]`) is not part of the document.
    if PasteDecoration.isElision(body.prefix { $0 != "\r" }) { return .ignored }
    let blank = text.allSatisfy(\.isWhitespace)
    let indent = text.prefix { $0 == " " }.count
    if awaitingItems && !blank {
      let rest = text.dropFirst(indent)
      if rest.hasPrefix("- ") || rest == "-" {
        awaitingItems = false
        itemIndent = indent
      } else if indent == 0 {
        awaitingItems = false
      }
    }
    if let itemIndent {
      if blank { return chunk.lines.isEmpty ? .ignored : verdict(adding: "", line: line) }
      let rest = text.dropFirst(min(indent, itemIndent))
      if indent == itemIndent && (rest.hasPrefix("- ") || rest == "-") {
        flush(emit: emit)
        start(line)
        return verdict(adding: String(rest.dropFirst(2)), line: line)
      }
      if indent >= itemIndent + 2 {
        return verdict(adding: String(text.dropFirst(itemIndent + 2)), line: line)
      }
      // Back at the list's own level: the items are over; the rest of the wrapper is not kept.
      flush(emit: emit)
      self.itemIndent = nil
      chunk = Chunk()
      chunk.kind = "List"
      return .ignored
    }
    if chunk.kind == "List" { return .ignored }
    if blank || text.hasPrefix("#") { return chunk.lines.isEmpty ? .ignored : verdict(adding: text, line: line) }
    if text == "items:" || text.hasPrefix("items: ") {
      if text.dropFirst(6).trimmingCharacters(in: .whitespaces) == "[]" {
        chunk.kind = "List"
        return .ignored
      }
      // A list: its wrapper is dropped and each item is read on its own.
      chunk = Chunk()
      awaitingItems = true
      return .ignored
    }
    if chunk.lines.isEmpty { start(line) }
    return verdict(adding: text, line: line)
  }

  package mutating func finish(emit: (Record) -> Void) {
    if !kubectl.isEmpty { kubectl[0].finish(emit: emit) }
    kubectl = []
    flush(emit: emit)
  }

  private mutating func start(_ line: Line) {
    chunk = Chunk()
    chunk.startLine = line.number
    picker.start(line)
  }

  /// `pod "web-0" created`, `deployment.apps/web configured`: what kubectl prints for each object
  /// a create, apply or delete handled.
  static func isApplyOutput(_ body: Substring) -> Bool {
    let words = body.split(separator: " ")
    guard words.count == 2 || words.count == 3, let last = words.last,
      ["created", "configured", "unchanged", "deleted", "patched", "replaced"].contains(last)
    else { return false }
    return words.dropLast().allSatisfy { !$0.contains(":") }
  }

  /// The end of a shell heredoc the YAML was typed in (`kubectl create -f - <<EOF` … `EOF`).
  static func isHeredocEnd(_ text: String) -> Bool {
    let word = text.prefix { $0 != "\r" }
    return (2...12).contains(word.count) && word.allSatisfy { ($0.isUppercase && $0.isASCII) || $0 == "_" }
  }

  /// The keys an object's YAML starts with.
  private static let topKeys = ["apiVersion", "kind", "metadata", "spec", "status"]

  /// The first line of a paste cut mid-word (`ind: Pod`, `Version: v1`) with its key made whole:
  /// the end of a key an object's YAML starts with, at column 0, is that key.
  static func restoringCutKey(_ text: String) -> String {
    let word = text.prefix { $0.isLetter }
    guard word.count >= 2, text.dropFirst(word.count).hasPrefix(":"),
      let key = topKeys.first(where: { $0.count > word.count && $0.hasSuffix(word) })
    else { return text }
    return key + text.dropFirst(word.count)
  }

  private mutating func verdict(adding text: String, line: Line) -> SourceAccount.Verdict {
    var text = text
    if line.number == 1 { text = Self.restoringCutKey(text) }
    if chunk.lines.isEmpty { start(line) }
    chunk.lines.append(text)
    chunk.numbers.append(line.number)
    picker.look(at: line)
    // The object's own kind comes first (a `kind:` in column 0 further down is an owner's or a
    // managed field's whose indentation the paste stripped).
    if chunk.kind == nil, text.hasPrefix("kind: ") {
      chunk.kind = text.dropFirst(6).trimmingCharacters(in: .whitespaces)
    }
    return KubeObjectConverter.isIgnorable(kind: chunk.kind) ? .ignored : .parsed
  }

  private mutating func flush(emit: (Record) -> Void) {
    defer { chunk = Chunk() }
    guard !chunk.lines.isEmpty, !KubeObjectConverter.isIgnorable(kind: chunk.kind) else { return }
    if let found = YAMLAliases.first(in: chunk.lines) {
      let message =
        "YAML document at line \(chunk.startLine) not read: it uses the alias '\(found.alias.prefix(40))', "
        + "and aliases are refused in input (they can expand without bound; kubectl never writes them)"
      context.diagnostics(Diagnostic(.warning, context.ref(chunk.startLine + found.index), message))
      return
    }
    // Lines a terminal wrapped are joined back first (docs/kubernetes.md §4.4).
    (chunk.lines, chunk.numbers) = YAMLReindent.unwrapped(chunk.lines, numbers: chunk.numbers)
    let yaml = YAMLFragment.document(chunk.lines) ?? chunk.lines.joined(separator: "\n")
    var document: KubeDocument
    let problems = DecodeProblems()
    let mayReindent = chunk.kind == nil || chunk.kind == "Pod"
    /// A pod's YAML whose indentation the paste damaged, read by what its keys mean.
    func reindented(_ why: String) -> KubeDocument? {
      guard mayReindent, let rebuilt = YAMLReindent.document(chunk.lines),
        let read = try? YAMLDecoder().decode(KubeDocument.self, from: rebuilt, userInfo: [DecodeProblems.key: problems])
      else { return nil }
      let message = "YAML document at line \(chunk.startLine) \(why); read by its keys as a pod"
      context.diagnostics(Diagnostic(.note, context.ref(chunk.startLine), message))
      return read
    }
    if mayReindent, YAMLReindent.looksFlattened(chunk.lines),
      let read = reindented("has its indentation flattened (a key that opens a block has nothing under it)")
    {
      document = read
    } else {
      do {
        document = try YAMLDecoder().decode(KubeDocument.self, from: yaml, userInfo: [DecodeProblems.key: problems])
      } catch {
        guard let read = reindented("does not nest as YAML (\(describe(error)))") else {
          let message = "cannot read YAML document starting at line \(chunk.startLine): \(describe(error))"
          context.diagnostics(Diagnostic(.warning, context.ref(chunk.startLine), message))
          return
        }
        document = read
      }
    }
    for message in problems.messages {
      context.diagnostics(
        Diagnostic(.warning, context.ref(chunk.startLine), "YAML document at line \(chunk.startLine): \(message)"))
    }
    let outcome = converter.convert(document, evidence: picker.evidence(context))
    for (level, message) in outcome.notes {
      context.diagnostics(Diagnostic(level, picker.startRef(context), message))
    }
    // The lines of the pods' state, deletion and probe fields (`JSONFieldLines`).
    let fieldLines =
      outcome.records.contains { if case .pod = $0 { true } else { false } }
      ? JSONFieldLines(yaml: zip(chunk.numbers, chunk.lines).map { (number: $0, text: $1) }) : nil
    for var record in outcome.records {
      if let fieldLines, case .pod(var pod) = record {
        fieldLines.apply(to: &pod, source: context.source.name)
        record = .pod(pod)
      }
      emit(command?.naming(record) ?? record)
    }
  }
}
