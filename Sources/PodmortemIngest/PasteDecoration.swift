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
    return isFence(t) || isElision(t) || isPrompt(t) || isRule(t) || isDelimiter(t) || isMarkupOnly(t)
      || isBoldHeading(t) || KubectlCommand.isCommand(t)
  }

  /// A line that is only bold text, maybe with a colon (`**What happened**:`, `**kubernetes-master:**`):
  /// the heading a poster writes above a paste.
  static func isBoldHeading(_ t: Substring) -> Bool {
    var t = t
    if t.last == ":" { t = t.dropLast() }
    // The two stars first: counting walks the whole line (every line a log parser cannot read is
    // asked this).
    guard t.hasPrefix("**"), t.count > 4, t.count <= 120, t.hasSuffix("**") else { return false }
    let inside = t.dropFirst(2).dropLast(2)
    return !inside.isEmpty && !inside.contains("*") && inside.first != " " && inside.last != " "
  }

  /// An AsciiDoc listing block's delimiter or attribute line (`----`, `....`, `[source,sh]`), or a
  /// line of `=` a poster draws under a heading or between pastes.
  static func isDelimiter(_ t: Substring) -> Bool {
    if let mark = t.first, "-.=".contains(mark), t.count >= 4, t.allSatisfy({ $0 == mark }) { return true }
    guard t.hasPrefix("[source"), t.hasSuffix("]"), t.count <= 40 else { return false }
    return t.dropFirst(7).dropLast().allSatisfy { $0.isLetter || $0.isNumber || ",-_ =\"".contains($0) }
  }

  /// HTML a page or an issue wraps a paste in, alone on its line: `<pre>`, `<pre class="x"><code>`,
  /// `</code></pre>`, `<details>`, `<summary>kubectl describe pod</summary>`.
  static func isMarkupOnly(_ t: Substring) -> Bool {
    guard t.first == "<", t.last == ">", t.count <= 200 else { return false }
    let wrappers: Set<Substring> = [
      "pre", "code", "details", "summary", "p", "br", "div", "span", "b", "i", "tt", "kbd", "samp",
    ]
    var rest = t
    var opened: Substring?
    while let open = rest.firstIndex(of: "<") {
      // Text between tags only inside a summary (its title), never a paste of its own.
      if !rest[..<open].allSatisfy(\.isWhitespace), opened != "summary" { return false }
      guard let close = rest[open...].firstIndex(of: ">") else { return false }
      let inner = rest[rest.index(after: open)..<close]
      let name = Substring(inner.drop { $0 == "/" }.prefix { $0.isLetter }.lowercased())
      guard wrappers.contains(name) else { return false }
      opened = inner.first == "/" ? nil : name
      rest = rest[rest.index(after: close)...]
    }
    return rest.isEmpty
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
    // Every elision starts with `.`, `…`, a space, `[`, `(`, `<` or an `s` of either case (only
    // `S` and `s` lower to `s`), so any other ASCII first byte answers at once. Most lines a sniffer
    // asks about are of that kind; a non-ASCII first byte (`…` among them) takes the full path.
    if let first = t.utf8.first, first < 0x80 {
      switch first {
      case UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: "["), UInt8(ascii: "("), UInt8(ascii: "<"),
        UInt8(ascii: "s"), UInt8(ascii: "S"):
        break
      default:
        return false
      }
    }
    let lowered = t.lowercased()
    if ["[...]", "(...)", "<...>", "<snip>", "[snip]", "snip", "<snipped>", "[truncated]"].contains(lowered) {
      return true
    }
    // Dots, ellipses and spaces only, with three dots or one ellipsis; one pass, stopping at the
    // first other character.
    var dots = 0
    var ellipsis = false
    for c in t {
      if c == "." {
        dots += 1
      } else if c == "…" {
        dots += 1
        ellipsis = true
      } else if c != " " {
        return false
      }
    }
    return dots >= 1 && (dots >= 3 || ellipsis)
  }

  /// A shell prompt, alone or with its command: `$ kubectl get pods`, `$`, `# crictl logs x`,
  /// `[root@master ~]# oc get events`, `oper@node0:~$ kubectl …`, `root@cp ~ ➜  kubectl …`,
  /// `❯ kubectl get pods`, `PS C:\> kubectl …`, and a shell comment (`# pod status is Evicted`).
  static func isPrompt(_ t: Substring) -> Bool {
    if t == "$" || t == "#" || t == "%" || t == "❯" || t == "➜" { return true }
    for mark in ["$ ", "# ", "% ", "❯ ", "➜ "] where t.hasPrefix(mark) { return true }
    if t.hasPrefix("PS "), t.contains("> ") || t.hasSuffix(">") { return true }
    // `root:~# …`, `node1:/tmp$ …`: `host:dir` then the prompt's mark.
    let word = t.prefix { $0 != " " }
    if let colon = word.firstIndex(of: ":"), colon > word.startIndex, let mark = word.last, mark == "#" || mark == "$",
      word[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
    {
      return true
    }
    // `[user@host dir]# …` or `user@host:dir$ …`: a prompt ends at the first `$`, `#` or `➜`
    // after a `user@host` word, before any space-separated command.
    // No `@` byte, no `@` character: answered before the line is walked character by character
    // (a whole line when it holds none).
    guard KubectlBytes.contains(t.utf8, 0x40), let at = t.firstIndex(of: "@"),
      t.distance(from: t.startIndex, to: at) <= 40
    else { return false }
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
