/// A kubectl (or `oc`) command line pasted above its output, however it was typed: behind a prompt
/// or an arrow (`$ `, `-> `, `[12:54:41] $ `, `Running: `), by another path or name
/// (`./cluster/kubectl.sh`, `C:\kubectl`, `microk8s.kubectl`, `k`), capitalised by a chat app
/// (`Kubectl describe po x`), in bold or backticks (`**k get events -n kube-system**`), or with
/// one slip of the fingers (`kuebctl get evevt`). It separates outputs and is never output itself.
enum KubectlCommand {
  private static let clients: Set<String> = [
    "kubectl", "kubectl.sh", "kubectl.exe", "oc", "oc.exe", "microk8s.kubectl", "kubecolor", "k",
  ]
  private static let verbs: Set<Substring> = [
    "get", "describe", "logs", "events", "top", "rollout", "delete", "apply", "exec", "explain", "debug",
    "cluster-info",
  ]
  /// Words a prompt or a wrapper puts before the client.
  private static let leaders: Set<Substring> = ["|", "->", "=>", "❯", "➜", "sudo", "watch", "time", "Running:"]

  /// True when the first word of `bytes` is plain ASCII and neither a prompt or wrapper
  /// (`mayLead`) nor a client (`isClient`), so the line is no command: the byte-level form of the
  /// first-word test in `isCommand`, for the lines of a describe or a table (docs/architecture.md
  /// "Speed of the describe path"). False means "maybe": the `Character`-level test decides.
  static func firstWordRejects(_ bytes: Substring.UTF8View) -> Bool {
    bytes.withContiguousStorageIfAvailable { firstWordRejects($0) } ?? false
  }

  private static func firstWordRejects(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = bytes.first else { return true }
    // Marks around the line (`**`, `__`, `` ` ``) and a leading space: the full test.
    if first == 0x2A || first == 0x5F || first == 0x60 || first == 0x20 { return false }
    var end = 0
    while end < bytes.count, bytes[end] != 0x20 {
      if bytes[end] >= 0x80 { return false }
      end += 1
    }
    guard end <= 256 else { return false }
    let word = UnsafeBufferPointer(rebasing: bytes[0..<end])
    // mayLead: a prompt's opening piece, a prompt word, a wrapper, an assignment.
    switch first {
    case 0x23, 0x5B, 0x28: return false  // # [ (
    default: break
    }
    switch word[end - 1] {
    case 0x24, 0x23, 0x3E, 0x25, 0x5D: return false  // $ # > % ]
    default: break
    }
    // Lengths first: most first words are none of these.
    for leader in asciiLeaders where leader.count == end && word.elementsEqual(leader) { return false }
    // isCutClient: the end of `kubectl` a copy cut.
    for cut in asciiCutClients where cut.count == end && word.elementsEqual(cut) { return false }
    if let eq = word.firstIndex(of: 0x3D), eq > 0,
      word[..<eq].allSatisfy({ KubectlBytes.isLetter($0) || KubectlBytes.isDigit($0) || $0 == 0x5F })
    {
      return false
    }
    // isClient: the last piece of a path (split on `/ \ $ #`), lower-cased.
    let name = lastPathPiece(word)
    if isNearKubectl(name) { return false }
    for client in asciiClients where name.count == client.count {
      if zip(name, client).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 }) { return false }
    }
    return true
  }

  /// True when `bytes` are ASCII and none of their first four words (split on spaces, as
  /// `isCommand` splits them) may be a client or the cut end of one (`mayBeClient`): then
  /// `client(in:)` finds no client among them. False means "maybe".
  static func noClientAmongFirstWords(_ bytes: Substring.UTF8View) -> Bool {
    bytes.withContiguousStorageIfAvailable { b -> Bool in
      // All of it: a space that a combining mark follows is no separator of `Character`s.
      guard KubectlBytes.isASCII(b) else { return false }
      var i = 0
      var words = 0
      while words < 4 {
        while i < b.count, b[i] == 0x20 { i += 1 }
        guard i < b.count else { return true }
        var j = i
        while j < b.count, b[j] != 0x20 { j += 1 }
        if mayBeClient(UnsafeBufferPointer(rebasing: b[i..<j])) { return false }
        words += 1
        i = j
      }
      return true
    } ?? false
  }

  /// The last piece of the ASCII `word` as a path (split on `/ \ $ #`, trailing separators
  /// dropped), where `isClient` looks for the client's name.
  static func lastPathPiece(_ word: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var nameEnd = word.count
    while nameEnd > 0, isPathSeparator(word[nameEnd - 1]) { nameEnd -= 1 }
    var nameStart = nameEnd
    while nameStart > 0, !isPathSeparator(word[nameStart - 1]) { nameStart -= 1 }
    return UnsafeBufferPointer(rebasing: word[nameStart..<nameEnd])
  }

  /// `isClient`'s test of an ASCII `name` of 6 to 8 bytes: lower-cased (on ASCII, `A`–`Z` only),
  /// one edit from `kubectl`. False for any other length.
  static func isNearKubectl(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
    guard name.count >= 6 && name.count <= 8 else { return false }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { lowered in
      for k in 0..<name.count { lowered[k] = KubectlBytes.isUpper(name[k]) ? name[k] | 0x20 : name[k] }
      return kubectlBytes.withUnsafeBufferPointer {
        oneEditAway(UnsafeBufferPointer(rebasing: lowered[0..<name.count]), $0)
      }
    }
  }

  /// False only when the ASCII `word` is neither `isClient` nor `isCutClient`: the last piece of
  /// its path (split on `/ \ $ #`), lower-cased, is no client and not one edit from `kubectl`,
  /// and the word is no cut client in any case.
  static func mayBeClient(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
    guard word.count <= 256 else { return true }
    let name = lastPathPiece(word)
    if isNearKubectl(name) { return true }
    func isLowered(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
      a.count == b.count && zip(a, b).allSatisfy { ($0 | 0x20) == $1 || $0 == $1 }
    }
    for client in asciiAllClients where isLowered(name, client) { return true }
    for cut in asciiCutClients where isLowered(word, cut) { return true }
    return false
  }

  /// `clients` as bytes (lower case).
  private static let asciiAllClients = clients.map { Array($0.utf8) }

  @inline(__always) private static func isPathSeparator(_ b: UInt8) -> Bool {
    b == 0x2F || b == 0x5C || b == 0x24 || b == 0x23
  }

  private static let asciiLeaders = ["|", "->", "=>", "sudo", "watch", "time", "Running:"].map { Array($0.utf8) }
  private static let asciiCutClients = ["ctl", "ectl", "bectl"].map { Array($0.utf8) }
  private static let asciiClients = ["kubectl", "kubectl.sh", "kubectl.exe", "oc", "oc.exe", "microk8s.kubectl", "k"]
    .map { Array($0.utf8) }

  /// The index of the client among `words`, when the words are a kubectl command.
  static func client(in words: [Substring]) -> Int? {
    for (i, word) in words.prefix(4).enumerated() {
      // A paste whose first characters were lost (`ctl describe pod web-0`) keeps the rest of the
      // client's name: enough when a verb follows it.
      let cut = i == 0 && isCutClient(word) && words.count > 1 && verbs.contains(words[1])
      guard isClient(word) || cut else {
        // Only a prompt or a wrapper may stand before the client.
        if mayLead(word) { continue }
        return nil
      }
      return i
    }
    return nil
  }

  /// True when `body` is a kubectl command line: its client, then a verb or a flag.
  /// `quick: false` skips the byte-level first-word test (`firstWordRejects`), for tests.
  static func isCommand(_ body: Substring, quick: Bool = true) -> Bool {
    guard body.utf8.count <= 4096 else { return false }
    if quick, firstWordRejects(body.utf8) { return false }
    var t = body
    for mark in ["**", "__", "`"] where t.hasPrefix(mark) && t.hasSuffix(mark) && t.count > 2 * mark.count {
      t = t.dropFirst(mark.count).dropLast(mark.count)
    }
    // Most lines read here are a describe's or a table's: their first word already says no,
    // before any array is built.
    let first = t.drop { $0 == " " }.prefix { $0 != " " }
    guard mayLead(first) || isClient(first) || isCutClient(first) else { return false }
    // A prompt's or wrapper's first word (`[signal`, `tier=backend`) leaves the client to one of the
    // next three words: on ASCII, when none of the first four can be one, `client(in:)` finds none,
    // which the `Character`-level split below took about 60,000 instructions a line to tell
    // (docs/architecture.md "Speed of the describe path").
    if quick, noClientAmongFirstWords(t.utf8) { return false }
    let words = t.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: true)
    guard let c = client(in: words), c + 1 < words.count else { return false }
    let next = words[c + 1]
    // `k` alone is only a client when a verb follows it; the others may take a flag first.
    return verbs.contains(next) || (next.hasPrefix("-") && !isAlias(words[c]))
  }

  /// The namespace a `get` or `events` command names with `-n`/`--namespace` (nil with `-A`, or
  /// when it names none): the namespace of the rows printed under it that have no NAMESPACE column.
  static func namespace(_ body: Substring) -> String? {
    guard isCommand(body) else { return nil }
    let words = body.split(separator: " ", omittingEmptySubsequences: true).prefix(40)
    guard let c = client(in: Array(words)) else { return nil }
    var namespace: String?
    var verb: Substring?
    var i = words.startIndex + c + 1
    while i < words.endIndex {
      let w = words[i]
      if w == "|" || w == ">" || w == "&&" || w == ";" { break }
      if w == "-A" || w == "--all-namespaces" { return nil }
      if (w == "-n" || w == "--namespace"), i + 1 < words.endIndex {
        namespace = String(words[i + 1])
        i += 2
        continue
      }
      if w.hasPrefix("--namespace=") { namespace = String(w.dropFirst("--namespace=".count)) }
      if w.hasPrefix("-n"), w.count > 2, !w.hasPrefix("--") { namespace = String(w.dropFirst(2)) }
      if verb == nil, !w.hasPrefix("-") { verb = w }
      i += 1
    }
    guard verb == "get" || verb == "events", let namespace, isName(namespace) else { return nil }
    return namespace
  }

  /// True when `body` is a kubectl command whose output is kubectl's text (`get` without `-o
  /// yaml|json`, `describe`, `events`, `top`): what follows it is read as kubectl output.
  static func printsText(_ body: Substring) -> Bool {
    guard isCommand(body) else { return false }
    let words = body.split(separator: " ", omittingEmptySubsequences: true).prefix(40)
    guard let c = client(in: Array(words)) else { return false }
    var verb: Substring?
    var previous: Substring = ""
    for w in words.dropFirst(c + 1) {
      if w == "|" || w == ">" || w == "&&" || w == ";" { break }
      let output = previous == "-o" || previous == "--output" ? w : w.hasPrefix("-o") ? w.dropFirst(2) : ""
      let format = output.drop { $0 == "=" }
      if format.hasPrefix("yaml") || format.hasPrefix("json") { return false }
      if verb == nil, !w.hasPrefix("-"), previous != "-n", previous != "--namespace" { verb = w }
      previous = w
    }
    return verb == "get" || verb == "describe" || verb == "events" || verb == "top"
  }

  /// A DNS-1123 label, as namespaces are (`<namespace>` placeholders are not).
  private static func isName(_ s: String) -> Bool {
    guard let first = s.first, first.isLetter || first.isNumber, s.count <= 63 else { return false }
    return s.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }
  }

  private static func isAlias(_ word: Substring) -> Bool { word == "k" }

  /// A word that may stand before the client: a prompt or a wrapper, an environment assignment
  /// (`KUBECONFIG=~/.kube/prod`), or the opening piece of a prompt (`[root@m`, `(venv)`, a
  /// backtick before it).
  private static func mayLead(_ word: Substring) -> Bool {
    if let c = word.first, "#[(`".contains(c) { return true }
    return isPromptWord(word) || leaders.contains(word) || isAssignment(word)
  }

  /// `NAME=value` before a command.
  private static func isAssignment(_ word: Substring) -> Bool {
    guard let eq = word.firstIndex(of: "="), eq > word.startIndex else { return false }
    return word[..<eq].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  /// `kubectl`, a path ending in it (`/usr/local/bin/kubectl`, `C:\kubectl`), glued to its prompt
  /// (`host:~$kubectl`), in any case, or one transposition, insertion, deletion or substitution away
  /// from `kubectl`. Only prompts, wrappers and assignments stand before it (`client(in:)`).
  private static func isClient(_ word: Substring) -> Bool {
    guard word.utf8.count <= 256 else { return false }
    let name =
      word.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "$" || $0 == "#" }).last.map { $0.lowercased() }
      ?? ""
    if clients.contains(name) { return true }
    guard name.count >= 6 && name.count <= 8 else { return false }
    return Array(name.utf8).withUnsafeBufferPointer { a in kubectlBytes.withUnsafeBufferPointer { oneEditAway(a, $0) } }
  }

  private static let kubectlBytes = Array("kubectl".utf8)

  /// The end of `kubectl` whose first characters a copy lost (`ctl`, `ectl`, `bectl`; `ubectl` is
  /// one edit away and a client already).
  private static func isCutClient(_ word: Substring) -> Bool {
    word == "ctl" || word == "ectl" || word == "bectl"
  }

  /// A prompt word: ends in `$`, `#`, `>`, `%` or `]` (`[root@m ~]#`, `host:~$`, `C:\>`,
  /// `[12:54:41]`). Not a label ending in `:`: a describe's `Command:` may hold `kubectl get …`.
  private static func isPromptWord(_ word: Substring) -> Bool {
    guard let last = word.last else { return false }
    return "$#>%]".contains(last)
  }

  /// Damerau distance ≤ 1 (and not 0).
  private static func oneEditAway(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    if a.elementsEqual(b) { return false }
    if a.count == b.count {
      // The first two positions that differ, and how many do.
      var diffs = 0
      var d0 = 0
      var d1 = 0
      for k in a.indices where a[k] != b[k] {
        if diffs == 0 { d0 = k } else if diffs == 1 { d1 = k }
        diffs += 1
      }
      if diffs == 1 { return true }
      return diffs == 2 && d1 == d0 + 1 && a[d0] == b[d1] && a[d1] == b[d0]
    }
    let (long, short) = a.count > b.count ? (a, b) : (b, a)
    guard long.count == short.count + 1 else { return false }
    var i = 0
    while i < short.count, long[i] == short[i] { i += 1 }
    return long[(i + 1)...].elementsEqual(short[i...])
  }
}
