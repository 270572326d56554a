import PodmortemInput
import PodmortemModel

/// `gron` output: a JSON document flattened to one assignment per line, for grepping
/// (`json.status.containerStatuses[0].lastState.terminated.reason = "OOMKilled";`,
/// https://github.com/tomnomnom/gron). A paste of it is often a grep's slice of a pod or an event
/// list. The assignments are put back together into the document they came from, which the JSON
/// reader then reads as any pasted object; every line of that document carries the number of the
/// assignment that made it, and evidence quotes the assignment as pasted (docs/kubernetes.md §4.4).
package struct GronParser: LineParser {
  package static let format = "gron"

  /// A line is an assignment when it is `json`, then `.key`, `["key"]` or `[N]` steps, ` = `, a
  /// JSON value and `;`.
  package static func sniff(head: [Line], info: SourceInfo) -> Int {
    var lines = 0
    var hits = 0
    for line in head where !line.text.isEmpty {
      lines += 1
      if Assignment(line.text) != nil { hits += 1 }
    }
    return hits > 0 && hits * 2 >= lines ? 95 : 0
  }

  /// 95 is the most `sniff` gives (`Ingestor.pick`).
  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    bar > 95 ? 0 : sniff(head: head, info: info)
  }

  /// The most assignments, and bytes of them, one document is built from (it is held whole until
  /// the end, unlike JSON, which streams); past either the rest is counted unrecognised and a
  /// diagnostic says so (a gron of a whole cluster's events belongs in JSON).
  static let maxAssignments = 200_000
  static let maxBytes = 32 << 20

  private let context: ParseContext
  private var root = Node(line: 0)
  private var count = 0
  private var bytes = 0
  private var texts: [Int: String] = [:]
  private var fields: [String: JSONFieldLines.Field] = [:]
  private var names: [String: String] = [:]
  private var warned = false

  package init(context: ParseContext) { self.context = context }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    if line.text.isEmpty { return .ignored }
    guard let assignment = Assignment(line.text) else { return .unrecognised }
    guard count < Self.maxAssignments, bytes + line.text.utf8.count <= Self.maxBytes else {
      if !warned {
        warned = true
        context.diagnostics(
          Diagnostic(
            .warning, context.ref(line.number),
            "more than \(Self.maxAssignments) gron assignments or \(Self.maxBytes >> 20) MiB of them: "
              + "the rest are not read"))
      }
      return .unrecognised
    }
    if count == 0 { root.line = line.number }
    guard root.assign(assignment.path[...], value: assignment.value, line: line.number) else { return .unrecognised }
    count += 1
    bytes += line.text.utf8.count
    texts[line.number] = line.text
    // Every assignment names its field's path: the lines findings cite (`JSONFieldLines`).
    let path = assignment.path.map { step -> String in
      switch step {
      case .key(let key): return String(key.dropFirst().dropLast())
      case .index(let n): return String(n)
      }
    }.joined(separator: ".")
    fields[path] = JSONFieldLines.Field(line: line.number, text: line.text)
    if path == "name" || path.hasSuffix(".name"), assignment.value.hasPrefix("\""), assignment.value.count >= 2 {
      names[path] = String(assignment.value.dropFirst().dropLast())
    }
    return .parsed
  }

  package mutating func finish(emit: (Record) -> Void) {
    guard count > 0 else { return }
    // The document has a line for every line of the source, so the JSON reader's line numbers are
    // the source's: an assignment's value on its own line; a container the paste shows no line of
    // (a grep's slice) opens in front of its first member, and every container closes at the end
    // of its last member's line.
    var document = Rendering()
    document.render(root, label: "")
    guard document.inOrder else {
      context.diagnostics(
        Diagnostic(
          .warning, context.ref(root.line),
          "gron assignments out of gron's own order (a document's paths sorted): the document is not read"))
      return
    }
    var inner = context
    let texts = self.texts
    inner.lineText = { texts[$0] }
    var reader = ObjectStreamParser(context: inner)
    reader.fieldLines = JSONFieldLines(fields: fields, names: names)
    for number in 1...max(1, document.last) {
      _ = reader.feed(Line(number: number, text: document.lines[number] ?? ""), emit: emit)
    }
    reader.finish(emit: emit)
  }
}

/// The rebuilt document as JSON text by source line (`GronParser.finish`).
private struct Rendering {
  var lines: [Int: String] = [:]
  var last = 0
  var inOrder = true
  private var pending = ""

  private mutating func put(_ line: Int, _ text: String) {
    if line <= last { inOrder = false }
    lines[line] = pending + text
    pending = ""
    last = line
  }

  mutating func render(_ node: Node, label: String) {
    if let value = node.value {
      put(node.line, label + value)
      return
    }
    let (open, close) = node.isArray ? ("[", "]") : ("{", "}")
    if node.own { put(node.line, label + open) } else { pending += label + open }
    // An array's elements in index order (as gron sorts them: `[2]` before `[10]`).
    let members =
      node.isArray
      ? node.members.sorted {
        if case .index(let a) = $0.key, case .index(let b) = $1.key { return a < b }
        return false
      } : node.members
    for (i, member) in members.enumerated() {
      var childLabel = i > 0 ? "," : ""
      if case .key(let key) = member.key { childLabel += key + ": " }
      render(member.node, label: childLabel)
    }
    if pending.isEmpty { lines[last, default: ""] += close } else { pending += close }
  }
}

/// One gron line: the path's steps and the value's JSON text.
struct Assignment {
  enum Step: Hashable {
    /// The key as JSON text, quotes included.
    case key(String)
    case index(Int)
  }

  var path: [Step]
  var value: String

  /// The most steps a path may have: Kubernetes objects nest a dozen levels, not hundreds.
  static let maxDepth = 64

  init?(_ text: String) {
    // The first byte before the line is copied: the gron sniffer asks this of every line of every
    // head, and a line not starting with `j` does not start with `json` (docs/architecture.md,
    // "Sniffing a head of long lines"; `GronGateTests` keeps the copy first as the reference).
    guard text.utf8.first == 0x6A else { return nil }
    let b = Array(text.utf8)
    guard b.count >= 7, b.starts(with: Array("json".utf8)), b.last == 0x3B else { return nil }
    var i = 4
    var path: [Step] = []
    while i < b.count, b[i] != 0x20 {
      guard path.count < Self.maxDepth else { return nil }
      if b[i] == 0x2E {
        // `.key`: letters, digits, `_` and `$`, not starting with a digit.
        var j = i + 1
        while j < b.count, Self.isIdentifier(b[j]) { j += 1 }
        guard j > i + 1, !(b[i + 1] >= 0x30 && b[i + 1] <= 0x39) else { return nil }
        path.append(.key("\"" + String(decoding: b[(i + 1)..<j], as: UTF8.self) + "\""))
        i = j
      } else if b[i] == 0x5B, i + 1 < b.count, b[i + 1] == 0x22 {
        // `["key"]`: a JSON string, escapes kept.
        var j = i + 2
        while j < b.count, b[j] != 0x22 { j += b[j] == 0x5C ? 2 : 1 }
        guard j + 1 < b.count, b[j + 1] == 0x5D else { return nil }
        path.append(.key(String(decoding: b[(i + 1)...j], as: UTF8.self)))
        i = j + 2
      } else if b[i] == 0x5B {
        var j = i + 1
        while j < b.count, j - i <= 9, b[j] >= 0x30, b[j] <= 0x39 { j += 1 }
        guard j > i + 1, j < b.count, b[j] == 0x5D, let n = Int(String(decoding: b[(i + 1)..<j], as: UTF8.self))
        else { return nil }
        path.append(.index(n))
        i = j + 1
      } else {
        return nil
      }
    }
    guard i + 3 < b.count, b[i] == 0x20, b[i + 1] == 0x3D, b[i + 2] == 0x20 else { return nil }
    let value = String(decoding: b[(i + 3)..<(b.count - 1)], as: UTF8.self)
    guard let first = value.utf8.first, Self.opensValue(first) else { return nil }
    self.path = path
    self.value = value
  }

  private static func isIdentifier(_ c: UInt8) -> Bool {
    (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0x30 && c <= 0x39 || c == 0x5F || c == 0x24
  }

  /// A JSON value's first byte: `{`, `[`, a quote, a digit or `-`, `t`, `f`, `n`.
  private static func opensValue(_ c: UInt8) -> Bool {
    c == 0x7B || c == 0x5B || c == 0x22 || c == 0x2D || (c >= 0x30 && c <= 0x39) || c == 0x74 || c == 0x66
      || c == 0x6E
  }
}

/// The document being rebuilt: an object's members in the order they came, an array's elements by
/// index, or a value's JSON text; each with the line that made it.
private struct Node {
  var line: Int
  var value: String?
  var members: [(key: Assignment.Step, node: Node)] = []
  var positions: [Assignment.Step: Int] = [:]
  var isArray = false
  /// True when an assignment of its own made it (`json.metadata = {};`), not only its members'.
  var own = false

  init(line: Int) { self.line = line }

  /// Sets the value at `path`, making the containers on the way; false when the path goes through
  /// a value, or mixes keys and indexes in one container.
  mutating func assign(_ path: ArraySlice<Assignment.Step>, value: String, line: Int) -> Bool {
    guard let step = path.first else {
      self.line = line
      own = true
      if value == "{}" || value == "[]" {
        isArray = value == "[]"
      } else {
        guard members.isEmpty else { return false }
        self.value = value
      }
      return true
    }
    guard self.value == nil else { return false }
    if case .index = step {
      guard isArray || members.isEmpty else { return false }
      isArray = true
    } else if isArray {
      return false
    }
    if let at = positions[step] { return members[at].node.assign(path.dropFirst(), value: value, line: line) }
    var child = Node(line: line)
    guard child.assign(path.dropFirst(), value: value, line: line) else { return false }
    positions[step] = members.count
    members.append((step, child))
    return true
  }
}
