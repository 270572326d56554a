/// A `kubectl describe pod NAME` command line pasted above its output (`$ kubectl describe pod
/// web-0 -n shop`, `ops@host:~$ k describe po web-0`, `KUBECONFIG=… kubectl -n shop describe pod
/// web-0`, `oc describe pod web-0`): it names the pod of a describe fragment that has no `Name:`.
enum DescribeCommand {
  private static let resources: [Substring: String] = [
    "pod": "Pod", "pods": "Pod", "po": "Pod", "node": "Node", "nodes": "Node", "no": "Node",
  ]
  /// Flags that take the next word as their value.
  private static let valueFlags: Set<Substring> = [
    "-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-l", "--selector", "-c",
  ]

  /// The namespace (when `-n` says) and name of the pod the line describes, if it is such a command.
  static func pod(in line: KubectlLine) -> (namespace: String?, name: String)? {
    guard let object = object(in: line), object.kind == "Pod" else { return nil }
    return (object.namespace, object.name)
  }

  /// The kind (`Pod` or `Node`), namespace and name of the object the line describes.
  static func object(in line: KubectlLine) -> (kind: String, namespace: String?, name: String)? {
    // Every line of a describe passes here: most are rejected by this one scan.
    guard line.body.utf8.count < 4096, Self.mentionsDescribe(line.body.utf8) else { return nil }
    // A command quoted as inline code in a sentence (`` `kubectl describe node x` shows: ``): the
    // backticks are not part of its words.
    let words = line.body.split(separator: " ", omittingEmptySubsequences: true).map(Self.unticked)
    // The client: a word that is, or ends in, `kubectl` (a prompt may stand before it).
    // The client, behind whatever prompt or assignment stands before it (`KubectlCommand`).
    guard let client = KubectlCommand.client(in: words) else { return nil }
    var namespace: String?
    var sawDescribe = false
    var kind: String?
    var name: Substring?
    var i = client + 1
    while i < words.count {
      let w = words[i]
      if w == "|" || w == ">" || w == "&&" || w == ";" { break }
      if valueFlags.contains(w), i + 1 < words.count {
        if w == "-n" || w == "--namespace" { namespace = String(words[i + 1]) }
        i += 2
        continue
      }
      if w.hasPrefix("--namespace=") { namespace = String(w.dropFirst("--namespace=".count)) }
      if w.hasPrefix("-") {
        i += 1
        continue
      }
      if !sawDescribe {
        guard w == "describe" else { return nil }
        sawDescribe = true
      } else if kind == nil {
        if let slash = w.firstIndex(of: "/"), let k = resources[w[..<slash]] {
          kind = k
          name = w[w.index(after: slash)...]
        } else {
          guard let k = resources[w] else { return nil }
          kind = k
        }
      } else if name == nil {
        name = w
      }
      i += 1
    }
    guard let kind, let name, Self.isName(name) else { return nil }
    return (kind, kind == "Node" ? nil : namespace, String(name))
  }

  private static let describeBytes = Array(" describe ".utf8)

  /// True when the bytes hold ` describe `: a plain byte scan (Foundation's substring search on
  /// every line of a large describe cost a fifth of the run).
  private static func mentionsDescribe(_ bytes: Substring.UTF8View) -> Bool {
    let needle = describeBytes
    var matched = 0
    for b in bytes {
      if b == needle[matched] {
        matched += 1
        if matched == needle.count { return true }
      } else {
        matched = b == needle[0] ? 1 : 0
      }
    }
    return false
  }

  /// `word` without the backticks around it.
  private static func unticked(_ word: Substring) -> Substring {
    var w = word.drop { $0 == "`" }
    while w.last == "`" { w = w.dropLast() }
    return w
  }

  /// A DNS-1123 subdomain, as pod names are (`<pod-name>` placeholders are not names).
  private static func isName(_ s: Substring) -> Bool {
    guard let first = s.first, first.isLetter || first.isNumber, s.count <= 253 else { return false }
    return s.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" || $0 == "." }
  }
}
