import PodmortemText

/// A piece of a Kubernetes object's YAML pasted on its own — a `status:` block, a
/// `containerStatuses:` list, one container's `state:`/`lastState:`, a `conditions:` list, a list of
/// Events — made back into a document the object decoder reads: the common indentation removed and
/// the piece put under the keys it sits below in a Pod (`status:`, `status.containerStatuses`).
enum YAMLFragment {
  /// Keys that sit directly under a Pod's `status:`.
  static let podStatusKeys: Set<Substring> = [
    "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses", "conditions", "phase", "hostIP",
    "hostIPs", "podIP", "podIPs", "startTime", "qosClass", "nominatedNodeName",
  ]
  /// Keys of one entry of `containerStatuses`.
  static let containerStatusKeys: Set<Substring> = [
    "state", "lastState", "restartCount", "containerID", "imageID", "ready", "started", "allocatedResources",
  ]
  /// Keys of a container state (`state:` and `lastState:` hold one of them).
  static let stateKeys: Set<Substring> = ["terminated", "waiting", "running"]
  /// Keys at the top of an object: a fragment starting with one is read as it is.
  static let objectKeys: Set<Substring> = ["apiVersion", "kind", "metadata", "spec", "status", "items", "type"]

  /// `line` without the markdown bold a poster put around a key or a value (`**lastState**:`,
  /// `**message: |` … `Timer elapsed**`): YAML never starts a value with `**` (an alias is `*name`)
  /// nor ends a key with it, and a plain scalar ending in `**` is rarer than a bold one.
  static func unemphasised(_ line: String) -> String {
    // Two `*` characters in a row are two `*` bytes in a row (nothing else is canonically `*`), so
    // the byte search rules out most lines before the character search.
    guard hasDoubleAsterisk(line.utf8), line.contains("**") else { return line }
    var text = Substring(line)
    let indent = text.prefix { $0 == " " }
    var body = text.dropFirst(indent.count)
    if body.hasPrefix("- **") {
      body = "- " + body.dropFirst(4)
    } else if body.hasPrefix("**") {
      body = body.dropFirst(2)
    }
    let keyStart = body.hasPrefix("- ") ? body.index(body.startIndex, offsetBy: 2) : body.startIndex
    if let range = body.range(of: "**:"), !body[keyStart..<range.lowerBound].contains(" ") {
      body = body[..<range.lowerBound] + body[body.index(range.lowerBound, offsetBy: 2)...]
    }
    if body.hasSuffix("**") { body = body.dropLast(2) }
    text = indent + body
    return String(text)
  }

  /// True when `bytes` hold two `*` in a row.
  static func hasDoubleAsterisk(_ bytes: String.UTF8View) -> Bool {
    var previous: UInt8 = 0
    for byte in bytes {
      if byte == UInt8(ascii: "*") && previous == byte { return true }
      previous = byte
    }
    return false
  }

  /// The key a YAML line starts with (`  - name: x` → `name`), if it is a `key:` line.
  static func key(_ line: Substring) -> Substring? {
    if lacksKey(line) == true { return nil }
    var rest = line.drop { $0 == " " }
    if rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop { $0 == " " } }
    guard let colon = rest.firstIndex(of: ":") else { return nil }
    let key = rest[..<colon]
    guard let first = key.first, first.isLetter, first.isLowercase,
      key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
    else { return nil }
    let after = rest[rest.index(after: colon)...]
    guard after.isEmpty || after.first == " " else { return nil }
    return key
  }

  /// True when `line` is ASCII and its bytes show it is no `key:` line; nil when it is not ASCII.
  /// The YAML sniffer asks `key` of every line of a source's head, and walking a long line's
  /// characters to its first colon was most of the sniffer's cost on a plain-text container log
  /// (docs/architecture.md, "Sniffing a head of long lines"). In ASCII text every character is one
  /// byte but a CR LF pair, which fails every test here as its CR does; a letter is `A`–`Z` or
  /// `a`–`z`, a lower-case one `a`–`z`, and a number `0`–`9`: the bytes answer as the characters
  /// would (`YAMLKeyGateTests`).
  static func lacksKey(_ line: Substring) -> Bool? {
    line.utf8.withContiguousStorageIfAvailable { b -> Bool? in
      guard ASCIISearch.isASCII(b) else { return nil }
      var i = 0
      while i < b.count, b[i] == 0x20 { i += 1 }
      if i + 1 < b.count, b[i] == 0x2D, b[i + 1] == 0x20 {
        i += 2
        while i < b.count, b[i] == 0x20 { i += 1 }
      }
      guard i < b.count, (0x61...0x7A).contains(b[i]) else { return true }
      var k = i + 1
      while k < b.count, b[k] != 0x3A {
        let c = b[k]
        let allowed =
          (0x61...0x7A).contains(c) || (0x41...0x5A).contains(c) || (0x30...0x39).contains(c) || c == 0x5F || c == 0x2D
          || c == 0x2E
        if !allowed { return true }
        k += 1
      }
      guard k < b.count else { return true }
      return k + 1 < b.count && b[k + 1] != 0x20
    } ?? nil
  }

  /// True when the lines read as YAML of a pod's status: most are `key:` or list lines, and one
  /// names a field only a pod's status has.
  static func looksLikePodStatus(_ lines: [Substring]) -> Bool {
    var keys = 0
    var others = 0
    var statusKey = false
    for (index, line) in lines.enumerated() {
      // The answer needs `keys >= 4 * others`, and each line left adds at most one key: once the
      // lines left cannot make up for the others seen, the answer is no (a describe's head, whose
      // keys are capitalised, gets there within its first quarter).
      if keys + (lines.count - index) < 4 * others { return false }
      switch statusLineKind(line) {
      case .skipped: continue
      case .key(let names): keys += 1; statusKey = statusKey || names
      case .listOrText: keys += 1
      case .other: others += 1
      }
    }
    return statusKey && keys >= 3 && keys >= 4 * others
  }

  /// What one line counts as in `looksLikePodStatus`.
  enum StatusLineKind: Equatable {
    /// Blank, a fence, a comment, a rule or an elision: not counted.
    case skipped
    /// A `key:` line; `names` when the key is one only a pod's status has.
    case key(names: Bool)
    /// A list item, a quoted or lower-case continuation: counted as a key.
    case listOrText
    /// Anything else.
    case other
  }

  /// True when `key` names a field of a pod's status, a container's status or its state.
  static func isStatusKey(_ k: Substring) -> Bool {
    podStatusKeys.contains(k) || containerStatusKeys.contains(k) || stateKeys.contains(k) || k == "status"
  }

  /// `line`'s kind, from its bytes when it is ASCII without `**`, else as `statusLineKindByCharacters`.
  /// Making a `String` of every line of a head to take the markdown bold off and asking five
  /// `hasPrefix` by characters cost 1.8M instructions a head on a bundle's container logs
  /// (docs/architecture.md, "Sniffing a head of long lines"). In ASCII text every character is one
  /// byte but a CR LF pair, which no test here matches as its CR does not; a line without two `*`
  /// bytes in a row is one `unemphasised` leaves as it is; a lower-case character is `a`–`z`; and
  /// `PasteDecoration.isRule` wants a first `*` or `_`. The rule, the elision and the key are still
  /// asked of the functions themselves. `StatusLineKindTests` keeps the old loop as its reference.
  static func statusLineKind(_ line: Substring) -> StatusLineKind {
    let quick = line.utf8.withContiguousStorageIfAvailable { b -> StatusLineKind? in
      guard ASCIISearch.isASCII(b) else { return nil }
      var previous: UInt8 = 0
      for byte in b {
        if byte == 0x2A && previous == 0x2A { return nil }
        previous = byte
      }
      var i = 0
      while i < b.count, b[i] == 0x20 { i += 1 }
      guard i < b.count else { return .skipped }
      let first = b[i]
      if first == 0x23 { return .skipped }
      if first == 0x60 || first == 0x7E, i + 2 < b.count, b[i + 1] == first, b[i + 2] == first { return .skipped }
      if first == 0x2A || first == 0x5F { return nil }
      if PasteDecoration.isElision(line.dropFirst(i)) { return .skipped }
      if let k = key(line) { return .key(names: isStatusKey(k)) }
      if first == 0x2D, i + 1 == b.count || b[i + 1] == 0x20 { return .listOrText }
      if first == 0x22 || (0x61...0x7A).contains(first) { return .listOrText }
      return .other
    }
    if let quick = quick ?? nil { return quick }
    return statusLineKindByCharacters(line)
  }

  /// `line`'s kind asked by characters: the loop body `looksLikePodStatus` had before the byte path.
  static func statusLineKindByCharacters(_ line: Substring) -> StatusLineKind {
    let line = Substring(unemphasised(String(line)))
    let body = line.drop { $0 == " " }
    if body.isEmpty || body.hasPrefix("```") || body.hasPrefix("~~~") || body.hasPrefix("#")
      || PasteDecoration.isRule(body)
      || PasteDecoration.isElision(body)
    {
      return .skipped
    }
    if let k = key(line) {
      return .key(names: isStatusKey(k))
    } else if body.hasPrefix("- ") || body.hasPrefix("\"") || body.first?.isLowercase == true || body == "-" {
      return .listOrText  // a list item or a folded value's continuation
    } else {
      return .other
    }
  }

  /// The document for `lines` (one fragment, without fences), or nil when the fragment already is
  /// one (its first key is an object's own) or is not a fragment podmortem knows.
  static func document(_ lines: [String]) -> String? {
    var lines = lines
    // A copy that began mid-line lost the first line's indentation (`state:` at column 0 above
    // `        waiting:`, with its siblings at 6 further down): it stood at the level of the
    // shallowest line after it. A first line whose child is that shallowest level is a parent.
    if let i = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) {
      let rest = lines[(i + 1)...].filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }
      let own = lines[i].prefix { $0 == " " }.count
      if let restMin = rest.min(), let child = rest.first, own < restMin, child > restMin {
        lines[i] = String(repeating: " ", count: restMin) + lines[i].dropFirst(own)
      }
    }
    let content = lines.filter { !$0.allSatisfy(\.isWhitespace) }
    guard let firstLine = content.first else { return nil }
    let indent = content.map { $0.prefix { $0 == " " }.count }.min() ?? 0
    let dedented = lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(indent)) }
    guard let first = key(Substring(firstLine)) else { return nil }
    let isList = firstLine.drop { $0 == " " }.hasPrefix("- ")
    func nested(_ prefix: String, by spaces: Int) -> String {
      let pad = String(repeating: " ", count: spaces)
      return prefix + "\n" + dedented.map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }
    if isList {
      // A list pasted alone: container statuses, conditions, or objects (Events).
      let listKeys = Set(content.compactMap { key(Substring($0)) })
      if !listKeys.isDisjoint(with: containerStatusKeys) { return nested("status:\n  containerStatuses:", by: 2) }
      if listKeys.contains("lastTransitionTime") || listKeys.contains("lastProbeTime") {
        return nested("status:\n  conditions:", by: 2)
      }
      return nested("items:", by: 0)
    }
    if objectKeys.contains(first) { return indent == 0 ? nil : dedented.joined(separator: "\n") }
    // The keys at the fragment's own level decide where it sits; the first may be one a pod's
    // status and a container's state share (`message:`, `reason:`).
    let topKeys = Set(
      content.filter { $0.prefix { $0 == " " }.count == indent }.compactMap { key(Substring($0)) })
    if podStatusKeys.contains(first) || !topKeys.isDisjoint(with: podStatusKeys) { return nested("status:", by: 2) }
    if containerStatusKeys.contains(first) || first == "name" || !topKeys.isDisjoint(with: containerStatusKeys) {
      // One container's status: `state:`, `lastState:` …
      return nested("status:\n  containerStatuses:\n  -", by: 4)
    }
    if stateKeys.contains(first) {
      // One state's body (`terminated:` with its exit code): the container's current state, as far
      // as the paste shows.
      return nested("status:\n  containerStatuses:\n  - state:", by: 6)
    }
    return nil
  }
}
