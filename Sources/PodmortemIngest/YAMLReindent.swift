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
  }

  private enum Schema: Hashable {
    case pod, metadata, spec, status, containerStatus, state, waiting, running, terminated, condition

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
          "deletionTimestamp": .scalar, "deletionGracePeriodSeconds": .scalar,
        ]
      case .spec:
        return ["nodeName": .scalar, "terminationGracePeriodSeconds": .scalar]
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
      }
    }

    /// The mappings above this one in a Pod, outermost first, with the key each sits under.
    var path: [(Schema, Substring, isList: Bool)] {
      switch self {
      case .pod: return []
      case .metadata: return [(.pod, "metadata", false)]
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

    for line in lines {
      var body = Substring(line).drop { $0 == " " || $0 == "\t" }
      if body.isEmpty { continue }
      let dash = body.hasPrefix("- ")
      if dash { body = body.dropFirst(2).drop { $0 == " " } }
      let key = YAMLFragment.key(body)
      // Where the key belongs: the innermost open mapping that has it.
      let target = key.flatMap { key in stack.lastIndex { $0.schema.fields[key] != nil } }
      if inBlock || key == nil, target == nil {
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
        continue
      }
      let value = body.dropFirst(key.count + 1).drop { $0 == " " }
      switch stack[stack.count - 1].schema.fields[key] {
      case .map(let schema)? where value.isEmpty:
        push(key, isList: false, schema: schema, newItem: dash)
      case .list(let schema)? where value.isEmpty:
        push(key, isList: true, schema: schema, newItem: dash)
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
