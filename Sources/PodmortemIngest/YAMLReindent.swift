/// A pod's YAML whose indentation the paste damaged — flattened by a chat client, a copy that lost
/// a list's `- ` to an elision (`containerStatuses:` then `...` then `state:`), a mixture of both
/// — rebuilt from what its keys mean, as a person reads it: `exitCode:` belongs to a `terminated:`,
/// `restartCount:` to a container's status, `phase:` to the pod's status
/// (docs/kubernetes.md §4.4).
///
/// Used only when the text as pasted does not decode. Each `key:` line goes to the innermost open
/// mapping that has such a key (a container state's `reason:` before the pod status's); a key that
/// is not a field podmortem reads is dropped with whatever it holds; a key its list item already has
/// (or a line starting `- `) starts the next item. The result is a whole Pod document.
enum YAMLReindent {
  /// What the fields of one mapping hold.
  private enum Field {
    case scalar
    case map(Schema)
    case list(Schema)
    /// A list of plain values (`finalizers:` then `- foregroundDeletion`).
    case scalarList
  }

  private enum Schema: Hashable {
    case pod, metadata, ownerReference, spec, status, containerStatus, state, waiting, running, terminated, condition
    case container, probe, exec, httpGet, tcpSocket
    /// The values of a `.scalarList`.
    case scalars

    var fields: [Substring: Field] {
      switch self {
      case .pod:
        return [
          "apiVersion": .scalar, "kind": .scalar, "metadata": .map(.metadata), "spec": .map(.spec),
          "status": .map(.status),
        ]
      case .metadata:
        return [
          "name": .scalar, "namespace": .scalar, "uid": .scalar, "creationTimestamp": .scalar,
          "deletionTimestamp": .scalar, "deletionGracePeriodSeconds": .scalar, "generateName": .scalar,
          "ownerReferences": .list(.ownerReference), "finalizers": .scalarList,
        ]
      case .ownerReference:
        return [
          "apiVersion": .scalar, "kind": .scalar, "name": .scalar, "uid": .scalar, "controller": .scalar,
          "blockOwnerDeletion": .scalar,
        ]
      case .spec:
        return [
          "nodeName": .scalar, "terminationGracePeriodSeconds": .scalar, "containers": .list(.container),
          "initContainers": .list(.container),
        ]
      case .container:
        return [
          "name": .scalar, "image": .scalar, "command": .scalarList, "args": .scalarList,
          "livenessProbe": .map(.probe), "readinessProbe": .map(.probe), "startupProbe": .map(.probe),
        ]
      case .probe:
        return [
          "exec": .map(.exec), "httpGet": .map(.httpGet), "tcpSocket": .map(.tcpSocket), "grpc": .map(.tcpSocket),
          "initialDelaySeconds": .scalar, "timeoutSeconds": .scalar, "periodSeconds": .scalar,
          "successThreshold": .scalar, "failureThreshold": .scalar, "terminationGracePeriodSeconds": .scalar,
        ]
      case .exec:
        return ["command": .scalarList]
      case .httpGet:
        return ["path": .scalar, "port": .scalar, "scheme": .scalar, "host": .scalar]
      case .tcpSocket:
        return ["port": .scalar, "host": .scalar, "service": .scalar]
      case .status:
        return [
          "phase": .scalar, "reason": .scalar, "message": .scalar, "hostIP": .scalar, "podIP": .scalar,
          "startTime": .scalar, "qosClass": .scalar, "conditions": .list(.condition),
          "containerStatuses": .list(.containerStatus), "initContainerStatuses": .list(.containerStatus),
          "ephemeralContainerStatuses": .list(.containerStatus),
        ]
      case .containerStatus:
        return [
          "name": .scalar, "image": .scalar, "ready": .scalar, "started": .scalar, "restartCount": .scalar,
          "state": .map(.state), "lastState": .map(.state),
        ]
      case .state:
        return ["waiting": .map(.waiting), "running": .map(.running), "terminated": .map(.terminated)]
      case .waiting:
        return ["reason": .scalar, "message": .scalar]
      case .running:
        return ["startedAt": .scalar]
      case .terminated:
        return [
          "exitCode": .scalar, "signal": .scalar, "reason": .scalar, "message": .scalar, "startedAt": .scalar,
          "finishedAt": .scalar,
        ]
      case .condition:
        return ["type": .scalar, "status": .scalar, "reason": .scalar, "message": .scalar]
      case .scalars:
        return [:]
      }
    }

    /// The mappings above this one in a Pod, outermost first, with the key each sits under.
    var path: [(Schema, Substring, isList: Bool)] {
      switch self {
      case .pod: return []
      case .metadata: return [(.pod, "metadata", false)]
      case .ownerReference: return Schema.metadata.path + [(.metadata, "ownerReferences", true)]
      case .scalars: return []
      case .container: return Schema.spec.path + [(.spec, "containers", true)]
      case .probe: return Schema.container.path + [(.container, "livenessProbe", false)]
      case .exec: return Schema.probe.path + [(.probe, "exec", false)]
      case .httpGet: return Schema.probe.path + [(.probe, "httpGet", false)]
      case .tcpSocket: return Schema.probe.path + [(.probe, "tcpSocket", false)]
      case .spec: return [(.pod, "spec", false)]
      case .status: return [(.pod, "status", false)]
      case .containerStatus: return Schema.status.path + [(.status, "containerStatuses", true)]
      case .condition: return Schema.status.path + [(.status, "conditions", true)]
      case .state: return Schema.containerStatus.path + [(.containerStatus, "state", false)]
      case .waiting: return Schema.state.path + [(.state, "waiting", false)]
      case .running: return Schema.state.path + [(.state, "running", false)]
      case .terminated: return Schema.state.path + [(.state, "terminated", false)]
      }
    }
  }

  /// One open mapping: its schema and the indentation of its keys; for a list item, the keys it
  /// has so far and whether its `- ` is written yet.
  private struct Open {
    var schema: Schema
    var indent: Int
    var isItem = false
    var keys: Set<Substring> = []
    var dashWritten = false
  }

  /// True when the indentation of `lines` cannot be the one kubectl wrote: a `key:` that opens a
  /// mapping or list is followed by a line that is not deeper (and is not a `- ` item of a list
  /// written at the key's own level). Such text may still parse as YAML, into the wrong nesting
  /// (`state:` and `terminated:` side by side, both empty), so it is read by its keys instead.
  /// So is a key repeated in one mapping (the keys of a list's items flattened to the list's own
  /// level: `- lastProbeTime: null`, `lastTransitionTime: …`, then the next item's).
  static func looksFlattened(_ lines: [String]) -> Bool {
    var opener: Int?
    /// The keys of the mapping open at each column, deepest last.
    var levels: [(column: Int, keys: Set<Substring>)] = []
    var inBlock: Int?
    /// The column of the last `conditions:` or `containerStatuses:` and its items' own keys.
    var listAt: (column: Int, itemKeys: Set<Substring>)?
    for line in lines.prefix(maximumLines) {
      let indent = line.prefix { $0 == " " }.count
      var body = line.dropFirst(indent)
      if body.isEmpty || body.allSatisfy(\.isWhitespace) || body.hasPrefix("#") { continue }
      if let block = inBlock {
        // A block scalar's lines (`message: |`) are its text, however they look.
        if indent > block { continue }
        inBlock = nil
      }
      let dash = body.hasPrefix("- ")
      if let opener {
        if dash ? indent < opener : indent <= opener { return true }
      }
      opener = nil
      if dash { body = body.dropFirst(2) }
      guard let key = YAMLFragment.key(body) else { continue }
      let column = indent + (dash ? 2 : 0)
      let value = body.dropFirst(key.count + 1).drop { $0 == " " }
      if let list = listAt, indent < list.column {
        listAt = nil
      } else if let list = listAt, !dash, indent == list.column, list.itemKeys.contains(key) {
        // `conditions:` then `- lastProbeTime: null` then `lastTransitionTime: …` at the list's own
        // column: a condition's key, which the status beside the list never has.
        return true
      }
      if value.isEmpty, let itemKeys = Self.itemKeys[key] { listAt = (indent, itemKeys) }
      while let last = levels.last, last.column > column || (dash && last.column == column) { levels.removeLast() }
      if let last = levels.last, last.column == column {
        if last.keys.contains(key) { return true }
        levels[levels.count - 1].keys.insert(key)
      } else {
        levels.append((column, [key]))
      }
      if value.allSatisfy({ $0 == " " || $0 == "\r" }) { opener = column }
      if value.hasPrefix("|") || value.hasPrefix(">") { inBlock = indent }
    }
    return false
  }

  /// `lines` with the pieces of lines a terminal wrapped joined back: a line in column 0 that is
  /// no key, list item, comment or document marker cannot follow an indented line in YAML (a
  /// continuation is indented), so it is the rest of that line when that line is as long as a
  /// terminal is wide (60 or more). The numbers of the lines kept.
  static func unwrapped(_ lines: [String], numbers: [Int]) -> (lines: [String], numbers: [Int]) {
    guard lines.count == numbers.count, lines.contains(where: { $0.first.map { $0 != " " } ?? false }) else {
      return (lines, numbers)
    }
    var out: [String] = []
    var kept: [Int] = []
    var quote: Character?
    for (line, number) in zip(lines, numbers) {
      defer { quote = openQuote(after: Substring(out.last ?? ""), open: nil) }
      if quote != nil, let last = out.last, line.first.map({ $0 != " " }) ?? false {
        // The rest of a quoted value the wrap cut (`quantity:` then `1Gi, available: …`).
        out[out.count - 1] = last + line
        continue
      }
      // Terminals and chat windows wrap at 60 columns or more: a shorter line was not wrapped.
      if let last = out.last, last.count >= 60, last.first == " ", let first = line.first, first != " ",
        first != "#", first != "\t",
        !line.hasPrefix("- "), line != "-", !line.hasPrefix("---"), !line.hasPrefix("..."),
        YAMLFragment.key(Substring(line)) == nil
      {
        out[out.count - 1] = last + line
        continue
      }
      out.append(line)
      kept.append(number)
    }
    return (out, kept)
  }

  /// The quote a YAML line leaves open (`message: 'The node was low on resource: … quantity:`
  /// goes on below), given the quote open before it: nil when none is.
  static func openQuote(after line: Substring, open: Character?) -> Character? {
    var body = line.drop { $0 == " " || $0 == "\t" }
    while body.last == " " || body.last == "\r" { body = body.dropLast() }
    if let open {
      // Inside a quoted scalar: it ends at a line ending with its quote.
      return body.last == open ? nil : open
    }
    if body.hasPrefix("- ") { body = body.dropFirst(2) }
    guard let key = YAMLFragment.key(body) else { return nil }
    let value = body.dropFirst(key.count + 1).drop { $0 == " " }
    guard let quote = value.first, quote == "'" || quote == "\"" else { return nil }
    return value.count > 1 && value.last == quote ? nil : quote
  }

  /// The keys only an item of these lists has: never the keys of the mapping the list sits in.
  private static let itemKeys: [Substring: Set<Substring>] = {
    let container: Set<Substring> = [
      "containerID", "image", "imageID", "lastState", "state", "ready", "started", "restartCount", "name",
    ]
    return [
      "conditions": ["lastProbeTime", "lastTransitionTime", "type", "status"], "containerStatuses": container,
      "initContainerStatuses": container, "ephemeralContainerStatuses": container,
    ]
  }()

  /// The most lines a fragment may have for this (a paste, not a file).
  static let maximumLines = 2000

  /// The document for `lines`, or nil when no line is a field podmortem reads.
  static func document(_ lines: [String]) -> String? {
    guard lines.count <= maximumLines else { return nil }
    var out: [String] = []
    var stack: [Open] = []
    /// The indentation a continuation line of the last scalar gets, while one may follow.
    var continuation: Int?
    /// True while the lines are a block scalar's (`message: |`).
    var inBlock = false
    /// True after a key podmortem does not read opened a block (`managedFields:`, `labels:`), until
    /// a line is taken: its lines' keys go only where such a key is still missing.
    var skipping = false

    func pad(_ n: Int) -> String { String(repeating: " ", count: n) }

    /// Writes `key: value` into the mapping at the top of the stack.
    func write(_ key: Substring, _ value: Substring, newItem: Bool) {
      var top = stack[stack.count - 1]
      if top.isItem && (newItem || top.keys.contains(key)) {
        top.keys = []
        top.dashWritten = false
      }
      top.keys.insert(key)
      let text = value.isEmpty ? key + ":" : key + ": " + value
      if top.isItem && !top.dashWritten {
        out.append(pad(top.indent - 2) + "- " + text)
        top.dashWritten = true
      } else {
        out.append(pad(top.indent) + text)
      }
      stack[stack.count - 1] = top
    }

    /// Writes `key:` and opens what it holds.
    func push(_ key: Substring, isList: Bool, schema: Schema, newItem: Bool) {
      write(key, "", newItem: newItem)
      let indent = stack[stack.count - 1].indent + (isList ? 4 : 2)
      stack.append(Open(schema: schema, indent: indent, isItem: isList))
    }

    /// Opens the mappings from a Pod's root down to `schema`, for a fragment that starts inside it.
    func open(down schema: Schema) {
      stack = [Open(schema: .pod, indent: 0)]
      let path = schema.path
      for (i, step) in path.enumerated() {
        push(step.1, isList: step.isList, schema: i + 1 < path.count ? path[i + 1].0 : schema, newItem: false)
      }
    }

    /// Where `key` belongs: the innermost open mapping that has such a field and has not had it
    /// yet. A mapping that has it already is not where it goes (the line belongs to a block that
    /// was dropped: `managedFields`' `- apiVersion: v1` under a pod, a container's `name:` under
    /// `metadata`); a list item that has it starts the next item, unless the line has no `- ` and
    /// a mapping further out still lacks it (`uid:` of the metadata after its `ownerReferences`).
    func target(of key: Substring, dash: Bool) -> Int? {
      var item: Int?
      for i in stack.indices.reversed() where stack[i].schema.fields[key] != nil {
        let open = stack[i]
        if !open.keys.contains(key) { return i }
        // Inside a dropped block, a key never starts an item: it is the block's own.
        if open.isItem, !skipping {
          if dash { return i }
          item = item ?? i
        }
      }
      return item
    }

    for line in lines {
      var body = Substring(line).drop { $0 == " " || $0 == "\t" }
      if body.isEmpty { continue }
      let dash = body.hasPrefix("- ")
      if dash { body = body.dropFirst(2).drop { $0 == " " } }
      let key = YAMLFragment.key(body)
      if dash, key == nil, !inBlock, let top = stack.last, top.schema == .scalars {
        // One value of a list of values.
        out.append(pad(top.indent) + "- " + body)
        continue
      }
      let target = key.flatMap { target(of: $0, dash: dash) }
      // A key with nothing after it or a block scalar's indicator (`imageID: >-`) ends a block
      // scalar whose indentation is lost: a line of text rarely looks so.
      let opensValue =
        key.map { key in
          let value = body.dropFirst(key.count + 1).drop { $0 == " " }.prefix { $0 != "\r" }
          return value.isEmpty || ["|", "|-", "|+", ">", ">-", ">+"].contains(value)
        } ?? false
      if inBlock || key == nil, target == nil, !(inBlock && opensValue) {
        // A block scalar's line, or a plain scalar continued on the next line.
        if let continuation { out.append(pad(continuation) + body) }
        continue
      }
      inBlock = false
      continuation = nil
      guard let key else { continue }
      if let target {
        stack.removeSubrange((target + 1)...)
      } else if stack.isEmpty,
        let root = [Schema.pod, .status, .containerStatus, .state, .terminated, .condition].first(where: {
          $0.fields[key] != nil
        })
      {
        open(down: root)
      } else {
        // Not a field podmortem reads: dropped, with what it holds.
        if body.dropFirst(key.count + 1).allSatisfy({ $0 == " " || $0 == "\r" }) { skipping = true }
        continue
      }
      skipping = false
      let value = body.dropFirst(key.count + 1).drop { $0 == " " }
      switch stack[stack.count - 1].schema.fields[key] {
      case .map(let schema)? where value.isEmpty:
        push(key, isList: false, schema: schema, newItem: dash)
      case .list(let schema)? where value.isEmpty:
        push(key, isList: true, schema: schema, newItem: dash)
      case .scalarList? where value.isEmpty:
        push(key, isList: false, schema: .scalars, newItem: dash)
      default:
        write(key, value, newItem: dash)
        continuation = stack[stack.count - 1].indent + 2
        inBlock = value.hasPrefix("|") || value.hasPrefix(">")
      }
    }
    guard !stack.isEmpty else { return nil }
    return out.joined(separator: "\n")
  }
}
