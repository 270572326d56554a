import PodmortemInput

/// Lines a person adds around pasted output — markdown fences and rules, elisions, shell prompts
/// and comments — that no parser needs to read. A line a parser did not recognise but that is one of
/// these is counted as ignored, so the unrecognised count measures only Kubernetes text podmortem
/// could not read (docs/architecture.md "Accounting").
enum PasteDecoration {
  static func contains(_ text: String) -> Bool {
    var t = Substring(text)
    trim(&t)
    // A markdown quote around any of these.
    while t.first == ">" {
      t = t.dropFirst()
      trim(&t)
    }
    if t.isEmpty { return true }
    return isFence(t) || isElision(t) || isPrompt(t) || isRule(t)
  }

  private static func trim(_ t: inout Substring) {
    while let c = t.first, c == " " || c == "\t" || c == "\r" { t = t.dropFirst() }
    while let c = t.last, c == " " || c == "\t" || c == "\r" { t = t.dropLast() }
  }

  /// ```` ``` ````, ```` ```console ````, `~~~`: a fence with an optional language word.
  static func isFence(_ t: Substring) -> Bool {
    guard t.hasPrefix("```") || t.hasPrefix("~~~") else { return false }
    let info = t.drop { $0 == "`" || $0 == "~" }
    return info.count <= 20 && info.allSatisfy { $0.isLetter || $0.isNumber || "-_+.".contains($0) }
  }

  /// A markdown thematic break (`***`, `___`, `* * *`), which a poster puts between pastes.
  static func isRule(_ body: Substring) -> Bool {
    guard let mark = body.first, mark == "*" || mark == "_" else { return false }
    return body.filter { $0 == mark }.count >= 3 && body.allSatisfy { $0 == mark || $0 == " " }
  }

  /// `...`, `…`, `. . .`, `[...]`, `<snip>`: something was left out.
  static func isElision(_ t: Substring) -> Bool {
    let lowered = t.lowercased()
    if ["[...]", "(...)", "<...>", "<snip>", "[snip]", "snip", "<snipped>", "[truncated]"].contains(lowered) {
      return true
    }
    let dots = t.filter { $0 == "." || $0 == "…" }.count
    return dots >= 1 && t.allSatisfy { $0 == "." || $0 == "…" || $0 == " " } && (dots >= 3 || t.contains("…"))
  }

  /// A shell prompt, alone or with its command: `$ kubectl get pods`, `$`, `# crictl logs x`,
  /// `[root@master ~]# oc get events`, `oper@node0:~$ kubectl …`, `root@cp ~ ➜  kubectl …`,
  /// `❯ kubectl get pods`, `PS C:\> kubectl …`, and a shell comment (`# pod status is Evicted`).
  static func isPrompt(_ t: Substring) -> Bool {
    if t == "$" || t == "#" || t == "%" || t == "❯" || t == "➜" { return true }
    for mark in ["$ ", "# ", "% ", "❯ ", "➜ "] where t.hasPrefix(mark) { return true }
    if t.hasPrefix("PS "), t.contains("> ") || t.hasSuffix(">") { return true }
    // `[user@host dir]# …` or `user@host:dir$ …`: a prompt ends at the first `$`, `#` or `➜`
    // after a `user@host` word, before any space-separated command.
    guard let at = t.firstIndex(of: "@"), t.distance(from: t.startIndex, to: at) <= 40 else { return false }
    let head = t[..<at].drop { $0 == "[" || $0 == "(" }
    guard !head.isEmpty, head.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else { return false }
    var i = t.index(after: at)
    var steps = 0
    while i < t.endIndex, steps < 120 {
      let c = t[i]
      if c == "$" || c == "#" || c == "➜" || c == "%" {
        let next = t.index(after: i)
        return next == t.endIndex || t[next] == " "
      }
      i = t.index(after: i)
      steps += 1
    }
    return false
  }
}
