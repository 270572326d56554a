import PodmortemModel

/// The command a poster shows above pasted JSON or YAML — `$ kubectl get po -o yaml -n shop web-0`,
/// `oc get pod/web-0 -o json`, `curl …/api/v1/nodes/node-1 | jq .status.conditions` — read for the
/// object it names, so a document cut before its `metadata.name` (or a piece of one, such as a
/// conditions array) still has the subject the poster asked for.
struct PasteCommand: Equatable {
  /// `Pod` or `Node`: the kinds whose pieces podmortem reads.
  var kind: String
  var name: String
  var namespace: String?
  /// The command's line: the evidence of the name it gives.
  var evidence: Evidence?

  private static let kinds: [String: String] = [
    "po": "Pod", "pod": "Pod", "pods": "Pod", "no": "Node", "node": "Node", "nodes": "Node",
  ]
  /// kubectl flags that take a value as the next word.
  private static let valueFlags: Set<Substring> = [
    "-n", "--namespace", "-o", "--output", "-l", "--selector", "-c", "--container", "--context", "--kubeconfig",
    "--field-selector", "--sort-by", "--template", "-L", "--label-columns", "--cluster", "--user", "-s", "--server",
  ]

  /// The object `line` names, when it is such a command (behind a shell prompt or not).
  static func parse(_ line: String) -> PasteCommand? {
    guard line.utf8.count <= 2048, line.contains("kubectl") || line.contains("oc ") || line.contains("curl ") else {
      return nil
    }
    var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
    // A prompt in front: everything up to the command's own word.
    guard let start = words.firstIndex(where: { ["kubectl", "oc", "curl"].contains($0) || $0.hasSuffix("/kubectl") })
    else { return nil }
    words = words[start...]
    // Only the first command of a pipeline names the object (`… | jq .status`).
    if let pipe = words.firstIndex(where: { $0 == "|" || $0.hasPrefix("|") }) { words = words[..<pipe] }
    let program = words.first ?? ""
    return program == "curl" ? fromURL(words.dropFirst()) : fromKubectl(words.dropFirst())
  }

  /// `kubectl get|describe KIND NAME`, `KIND/NAME`, with `-n`/`--namespace` anywhere.
  private static func fromKubectl(_ words: ArraySlice<Substring>) -> PasteCommand? {
    var positional: [Substring] = []
    var namespace: String?
    var i = words.startIndex
    while i < words.endIndex {
      let word = words[i]
      if word == "-n" || word == "--namespace" {
        if i + 1 < words.endIndex { namespace = String(words[i + 1]) }
        i += 2
        continue
      }
      if word.hasPrefix("--namespace=") {
        namespace = String(word.dropFirst("--namespace=".count))
      } else if word.hasPrefix("-n"), word.count > 2, !word.hasPrefix("--") {
        namespace = String(word.dropFirst(2))
      } else if valueFlags.contains(word) {
        i += 1
      } else if !word.hasPrefix("-") {
        positional.append(word)
      }
      i += 1
    }
    guard positional.first == "get" || positional.first == "describe", positional.count >= 2 else { return nil }
    let target = positional[1]
    if let slash = target.firstIndex(of: "/") {
      guard let kind = kinds[target[..<slash].lowercased()], positional.count == 2 else { return nil }
      return named(kind, target[target.index(after: slash)...], namespace)
    }
    // One object of one kind: `get pods` lists them all, `get pod a b` names two.
    guard let kind = kinds[target.lowercased()], positional.count == 3 else { return nil }
    return named(kind, positional[2], namespace)
  }

  /// `…/api/v1/namespaces/NS/pods/NAME` or `…/api/v1/nodes/NAME` (a subresource after it, a query).
  private static func fromURL(_ words: ArraySlice<Substring>) -> PasteCommand? {
    guard let url = words.first(where: { $0.contains("/api/v1/") }) else { return nil }
    let path = url.drop { $0 == "\"" || $0 == "'" }.prefix { $0 != "?" && $0 != "\"" && $0 != "'" }
    guard let api = path.range(of: "/api/v1/") else { return nil }
    let parts = path[api.upperBound...].split(separator: "/")
    if parts.count >= 4, parts[0] == "namespaces", parts[2] == "pods" {
      return named("Pod", parts[3], String(parts[1]))
    }
    if parts.count >= 2, parts[0] == "nodes" { return named("Node", parts[1], nil) }
    return nil
  }

  private static func named(_ kind: String, _ name: Substring, _ namespace: String?) -> PasteCommand? {
    // A Kubernetes name (RFC 1123 subdomain), not a placeholder or a shell expansion.
    guard !name.isEmpty, name.count <= 253,
      name.allSatisfy({ ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" || $0 == "." })
    else { return nil }
    return PasteCommand(kind: kind, name: String(name), namespace: namespace)
  }

  /// `record` with this command's object as its name, when it is of that kind and names none.
  func naming(_ record: Record) -> Record {
    switch record {
    case .pod(var pod) where kind == "Pod" && pod.name.isEmpty:
      pod.name = name
      pod.namespace = pod.namespace ?? namespace
      pod.pastedAt = nil
      if let evidence { pod.evidence.append(evidence) }
      return .pod(pod)
    case .node(var node) where kind == "Node" && node.name.isEmpty:
      node.name = name
      if let evidence { node.evidence.append(evidence) }
      return .node(node)
    default:
      return record
    }
  }
}
