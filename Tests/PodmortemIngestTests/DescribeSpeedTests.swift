import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// What the describe path no longer asks, or asks once (docs/architecture.md "Speed of the
/// describe path"), held to the code it replaced, kept here as the reference: an Events row read
/// from its first words only, a held Events row's words read when asked, a command test that stops
/// at the first four words, a line's underline test read with its text, and a block's arrays grown
/// in the room of the block before.
@Suite struct DescribeSpeedTests {
  static let context = DescribeRowBytesTests.context

  /// Hostile pieces: a Kelvin sign, a dotted capital I, a combining accent, NUL, CR, a tab, an
  /// empty and a huge word.
  static let hostile = [
    "\u{212A}", "İ", "e\u{301}", "\u{301}", "\u{0}", "\r", "\t", "", String(repeating: "x", count: 5_000), "é", "│",
    "<id here>", "<nil>", "{", "}", ",",
  ]

  // MARK: rows from their first words

  /// Events rows of more words than `DescribeEventsTable.rowWords`: the sample rows and seeded rows
  /// (`DescribeRowBytesTests.lines`) with long messages, `{kubelet node-1}` and `kubelet, node-1`
  /// sources, dated and RFC1123Z ages, placeholders and hostile words, at every place a cell ends.
  static let longRows: [String] = {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.longRows"))
    let ages = [
      "35s", "5m (x3 over 10m)", "2018-03-01 10:11:12.123 +0000 UTC", "2018-03-01 10:11:12.123 +0000 UTC m=+0.1",
      "Sat, 21 Feb 2015 02:59:53 +0000", "<unknown>", "4m2s (x27 over 52m)", "2021-07-01T13:53:17Z", "<nil>",
      "(x2 over 5m)", "5m (x2",
    ]
    let sources = [
      "kubelet", "{kubelet node-1}", "{kubelet", "{kubelet  node-1 x y z w v u t s r q p}", "kubelet, node-1",
      "kubelet,", "default-scheduler", "", "spec.containers{web}", "{kubelet node-1} {x}",
    ]
    let words = DescribeRowBytesTests.words + hostile + ["pod", "web-0", "in", "failed", "Back-off", "restarting"]
    var rows: [String] = []
    for _ in 0..<6_000 {
      let type = ["Normal", "Warning", "Normal", "Warnin\u{301}"][rng.below(4)]
      var row = "  " + type + "   " + ["BackOff", "Pulled", "Failed", ""][rng.below(4)]
      row += "  " + ages[rng.below(ages.count)] + "  " + sources[rng.below(sources.count)] + "  "
      let count = rng.below(24)
      row += (0..<count).map { _ in words[rng.below(words.count)] }.joined(separator: [" ", "  ", "\t"][rng.below(3)])
      rows.append(row)
    }
    return rows
  }()

  /// `text`'s row read by every table from its first words (`fresh`) is the row read from all of
  /// them (`all`) and the reference `modernRow`'s; the number of tables that read a row.
  static func rowsRead(_ text: String, fresh: KubectlLine, all: KubectlLine) -> Int {
    var read = 0
    for table in DescribeRowBytesTests.tables {
      let new = table.row(fresh, context: context)
      #expect(new == table.row(all, context: context), "\(text)")
      var ages = AgeMemo(enabled: false)
      let reference = DescribeRowBytesTests.referenceModernRow(table, all) ?? table.v17Row(all, context, &ages)
      #expect(new == reference, "\(text)")
      if new != nil { read += 1 }
    }
    return read
  }

  /// Every row, read from its first words (a fresh line: `KubectlLine.leadingTokens`), is the row
  /// read from all of its words (the words read ahead, as a held line has them), and the row the
  /// reference `modernRow` reads; rows longer than the words split are among them.
  @Test func rowsFromTheirFirstWordsAreRowsFromAllOfThem() {
    var read = 0
    var long = 0
    for text in DescribeRowBytesTests.lines + Self.longRows {
      let fresh = KubectlLine(Line(number: 1, text: text))
      let all = fresh.withTokensRead()
      let (first, complete) = fresh.leadingTokens(DescribeEventsTable.rowWords)
      #expect(complete == (first.count == all.tokens.count), "\(text)")
      #expect(first == Array(all.tokens.prefix(first.count)), "\(text)")
      if !complete { long += 1 }
      read += Self.rowsRead(text, fresh: fresh, all: all)
    }
    #expect(long > 1_000, "\(long)")
    #expect(read > 8_000, "\(read)")
  }

  /// Rows whose cells reach the last of the words split (`DescribeEventsTable.rowWords`): an age
  /// of four words and a source of two, then a message of one word or more, and the same with a
  /// time `AgeCell.read` reads (`datedRowWords`): read from their first words, they are the rows
  /// read from all of them, and the reference's.
  @Test func rowsReachingTheirLastSplitWordAreRowsFromAllOfThem() {
    let ages = [
      "5m (x3 over 10m)", "4m2s (x27 over 52m)", "5m (x3 over 10m", "5m (x3 ovr 10m)", "35s",
      "Sat, 21 Feb 2015 02:59:53 +0000", "2018-03-01 10:11:12.123 +0000 UTC", "2021-07-01T13:53:17Z", "<nil>",
      "2018-03-01", "Sat,",
    ]
    let sources = ["kubelet, node-1", "kubelet,", "kubelet", "{kubelet node-1}", "spec.containers{web}"]
    let messages = ["x", "Back-off restarting", "a b c d e f g h i j k l m n", "\u{212A} İ e\u{301}", "<none> x"]
    var read = 0
    for age in ages {
      for source in sources {
        for message in messages {
          let text = "  Warning  BackOff  \(age)  \(source)  \(message)"
          let fresh = KubectlLine(Line(number: 1, text: text))
          read += Self.rowsRead(text, fresh: fresh, all: fresh.withTokensRead())
        }
      }
    }
    #expect(read > 300, "\(read)")
  }

  /// `DescribeBlock.int32` (a restart count, an exit code, a signal) is `Plausible.int32`, the
  /// generic parse it replaced, on seeded and hostile values: signs, leading zeros, `Int32`'s
  /// bounds and past them, `Int.min` and `Int.max`, hostile pieces among digits, in a string of
  /// its own and inside a longer line.
  @Test func int32IsPlausibleInt32() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.int32"))
    var values = [
      "0", "-0", "+0", "1", "-1", "+1", "007", "2147483647", "2147483648", "-2147483648", "-2147483649",
      String(Int.max), String(Int.min), "9223372036854775808", "", "-", "+", " 1", "1 ", "1\t", "٣", "1_000",
      "0x10", "1e3", "１", "--1", "+-1",
    ]
    let pieces = ["0", "1", "9", "5", "-", "+"] + Self.hostile.filter { $0.count < 100 }
    for _ in 0..<20_000 {
      values.append((0..<rng.below(14)).map { _ in pieces[rng.below(pieces.count)] }.joined())
    }
    for value in values + Self.hostile {
      #expect(DescribeBlock.int32(Substring(value)) == Plausible.int32(value), "\(value)")
      let line = "    Restart Count:  " + value + "  x"
      let inner = line.dropFirst(20).dropLast(3)
      #expect(DescribeBlock.int32(inner) == Plausible.int32(inner), "\(value)")
    }
  }

  /// `TextMemo` (what `AgeMemo` holds per style) answers as `AgeStyle.parse`, the reference, on
  /// seeded cells of age units, digits and hostile pieces (numbers past `Int.max`, `Int.min`'s
  /// digits, empty cells, NUL, CR, tabs, a Kelvin sign, a dotted capital I, combining accents, a
  /// 5,000-byte cell), repeated near and far among more distinct cells than it has slots, and
  /// `AgeMemo` does on the same cells.
  @Test func textMemoReadsAgesAsParse() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.ageTable"))
    let pieces =
      ["0", "1", "5", "9", "35", "s", "m", "h", "d", "y", "ms", "-", "<", ">", "invalid", "unknown", "x", "(x3"]
      + [String(Int.max), String(Int.min), "9223372036854775808"] + Self.hostile
    var distinct: [Substring] = ["", "0s", "5m", "4m2s", "<invalid>", "<unknown>", "\(Int.max)s", "\(Int.min)m"]
    for _ in 0..<600 {
      // Ages kubectl prints (`35s`, `4m2s`, `12d`): more of them than the memo has places.
      let units = ["s", "m", "h", "d", "y", "m2s", "h5m", "d3h"]
      distinct.append(Substring(String(rng.below(100_000)) + units[rng.below(units.count)]))
    }
    for _ in 0..<1_500 {
      let text = (0..<(1 + rng.below(4))).map { _ in pieces[rng.below(pieces.count)] }.joined()
      distinct.append(Substring("  " + text + " ").dropFirst(2).dropLast())
    }
    var cells: [Substring] = []
    for _ in 0..<6_000 {
      let near = rng.below(3) == 0 && !cells.isEmpty
      cells.append(near ? cells[cells.count - 1 - rng.below(min(cells.count, 8))] : distinct[rng.below(distinct.count)])
    }
    var checked = 0
    for style in [AgeStyle.human, .short] {
      var table = TextMemo<Age?>()
      var memo = AgeMemo()
      for cell in cells {
        let expected = style.parse(cell)
        #expect(table.value(cell) { style.parse($0) } == expected, "\(cell)")
        #expect(memo.parse(cell, style: style) == expected, "\(cell)")
        if expected != nil { checked += 1 }
      }
    }
    #expect(checked > 1_000, "\(checked)")
  }

  /// `ProbeLineCache`, now a `TextMemo`, answers as `ProbeLine.parse` on the sample and seeded
  /// probe values of `KubectlStringsTests` with hostile pieces put in, numbers at and past
  /// `Int.max` and `Int.min`, and values that differ in their last byte, repeated near and far.
  @Test func textMemoReadsProbesAsParse() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.probes"))
    var distinct = KubectlStringsTests.sampleProbeValues + KubectlStringsTests.randomProbeValues(count: 400, seed: 33)
    let pieces =
      Self.hostile + [
        " delay=\(Int.max)s", " timeout=\(Int.min)s", " period=9223372036854775808s", " #failure=0", " #success=-1",
      ]
    for value in distinct.prefix(300) {
      var text = String(value)
      let at = rng.below(text.count + 1)
      text.insert(contentsOf: pieces[rng.below(pieces.count)], at: text.index(text.startIndex, offsetBy: at))
      distinct.append(Substring(text))
      distinct.append(Substring(String(value) + "1"))
    }
    var cache = ProbeLineCache()
    var read = 0
    for _ in 0..<5_000 {
      let value = distinct[rng.below(distinct.count)]
      let expected = ProbeLine.parse(value)
      #expect(cache.parse(value, isASCII: KubectlBytes.isASCII(value.utf8)) == expected, "\(value)")
      if expected != nil { read += 1 }
    }
    #expect(read > 500, "\(read)")
  }

  /// `KubectlBytes.words(_:limit:)` is the first words of `words`, for every limit up to past the
  /// last word, on sample lines and hostile texts.
  @Test func limitedWordsAreTheFirstWords() {
    var checked = 0
    let texts = KubectlBytesTests.sampleLines.prefix(3_000) + Self.hostile.map { "a \($0)  b\t\tc " + $0 }
    for text in texts {
      let body = Substring(text)
      guard KubectlBytes.isASCII(body.utf8) else { continue }
      let words = KubectlBytes.words(body)
      for limit in 1...(words.count + 2) {
        let (first, complete) = KubectlBytes.words(body, limit: limit)
        #expect(first == Array(words.prefix(limit)), "\(text) \(limit)")
        #expect(complete == (limit >= words.count), "\(text) \(limit)")
        checked += 1
      }
    }
    #expect(checked > 10_000)
  }

  // MARK: held rows' words read when asked

  /// A held line as `KubectlLine.held(as:)` made it before: its words read ahead unless it is a
  /// describe field's. The reference a held Events row, whose words are read when asked now, is
  /// compared with.
  static func referenceHeld(_ line: KubectlLine, as id: Int) -> KubectlLine {
    let held = line.held(as: id)
    let fieldLine = line.describeKey != nil || !line.keyKind.isEmpty
    return fieldLine ? held : held.withTokensRead()
  }

  /// Every sample line, every row of `DescribeRowBytesTests` and of `longRows`, and seeded lines of
  /// hostile words behind an event type or another first word, held as they are now and as they
  /// were (words read ahead): the same words, the same first words, the same number, the same
  /// header test and the same row under every table state; only lines whose first word is an event
  /// type go without their words read ahead.
  @Test func heldRowsWithoutTheirWordsReadAsWithThem() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.heldRows"))
    let firsts = [
      "Normal", "Warning", "Normal:", "Warning\t", "Normale", "normal", "Warnin\u{301}", "Type", "  Normal",
    ]
    var seeded: [String] = []
    for _ in 0..<4_000 {
      var text = String(repeating: " ", count: rng.below(4)) + firsts[rng.below(firsts.count)]
      for _ in 0..<rng.below(16) {
        text += [" ", "  ", "\t"][rng.below(3)]
        let pool = rng.below(2) == 0 ? Self.hostile : DescribeRowBytesTests.words
        text += pool[rng.below(pool.count)]
      }
      seeded.append(text)
    }
    let tables = DescribeRowBytesTests.tables
    var unread = 0
    var rows = 0
    for (n, text) in (KubectlBytesTests.lines + DescribeRowBytesTests.lines + Self.longRows + seeded).enumerated() {
      let fresh = KubectlLine(Line(number: n + 1, text: text))
      let held = fresh.held(as: n + 1)
      let reference = Self.referenceHeld(fresh, as: n + 1)
      if !held.wordsKnown && reference.wordsKnown { unread += 1 }
      // Read once as held, as the memo reads it: the same line as read and then held.
      let once = KubectlLine(Line(number: n + 1, text: text), heldAs: n + 1)
      #expect(once.wordsKnown == held.wordsKnown && once.tokens == held.tokens, "\(text.debugDescription)")
      #expect(once.text == held.text && once.body == held.body && once.indent == held.indent)
      #expect(once.isASCII == held.isASCII && once.textID == held.textID && once.isUnderline == held.isUnderline)
      #expect(once.field?.key == held.field?.key && once.field?.value == held.field?.value)
      #expect(once.keyKind == held.keyKind && once.describeKey == held.describeKey && once.line == held.line)
      #expect(held.tokens == reference.tokens, "\(text.debugDescription)")
      #expect(held.textID == reference.textID && held.text == reference.text && held.field?.key == reference.field?.key)
      let (first, complete) = held.leadingTokens(DescribeEventsTable.rowWords)
      #expect(first == Array(reference.tokens.prefix(first.count)), "\(text.debugDescription)")
      #expect(complete == (first.count == reference.tokens.count), "\(text.debugDescription)")
      #expect(DescribeEventsTable.header(held) == DescribeEventsTable.header(reference), "\(text.debugDescription)")
      for table in tables {
        let row = table.row(held, context: Self.context)
        #expect(row == table.row(reference, context: Self.context), "\(text.debugDescription)")
        if row != nil { rows += 1 }
      }
    }
    #expect(unread > 5_000, "\(unread)")
    #expect(rows > 8_000, "\(rows)")
  }

  // MARK: the command test

  /// Lines that open with a prompt's or wrapper's word (`[signal`, `tier=backend`, `sudo`, `#`,
  /// `(venv)`, `->`), followed by clients spelt every way, near misses, verbs and hostile words:
  /// `isCommand` answers as the `Character`-level test (`quick: false`), with and without the
  /// first-four-words shortcut taken.
  @Test func commandsAfterALeadingWordAreWhatTheSplitSays() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.commands"))
    let leaders = [
      "[signal", "[error]", "tier=backend", "KUBECONFIG=~/.kube/x", "sudo", "watch", "time", "#", "(venv)", "->",
      "=>", "$", "host:~$", "[root@m", "~]#", "`", "|", "Running:", "C:\\>", "%", "[12:54:41]",
    ]
    let clients = [
      "kubectl", "KUBECTL", "Kubectl", "kubect", "kubectll", "kuebctl", "kubecolor", "KubeColor", "oc", "OC", "oc.exe",
      "k", "K", "ctl", "ectl", "bectl", "CTL", "/usr/bin/kubectl", "C:\\kubectl.exe", "microk8s.kubectl", "kubectl.sh",
      "./cluster/kubectl.sh", "host:~$kubectl", "kubectl$", "x/", "/", "$#", "kubectI", "k\u{212A}", "kubec\u{301}tl",
    ]
    let others = [
      "get", "describe", "logs", "-n", "--namespace", "pods", "SIGSEGV:", "segmentation", "violation", "code=0x1",
      "configuration", "file", "contains", "errors", "web-0", "apps.kubernetes.io/pod-index=0",
    ]
    let pieces = clients + others + Self.hostile
    var commands = 0
    var shortcut = 0
    var checked = 0
    for _ in 0..<20_000 {
      var words = [leaders[rng.below(leaders.count)]]
      for _ in 0..<rng.below(8) {
        guard rng.below(3) == 0 else {
          words.append(pieces[rng.below(pieces.count)])
          continue
        }
        // A client, often with a verb or a flag after it: a command when it stands among the first four.
        words.append(clients[rng.below(clients.count)])
        if rng.below(2) == 0 { words.append(["get", "describe", "-n", "logs", "--context"][rng.below(5)]) }
      }
      let gap = [" ", "  ", " ", "\t", " \u{301}"][rng.below(5)]
      var text = words.joined(separator: gap)
      if rng.below(8) == 0 { text = "**" + text + "**" }
      if rng.below(8) == 0 { text = "  " + text }
      let body = Substring(text)
      let new = KubectlCommand.isCommand(body)
      #expect(new == KubectlCommand.isCommand(body, quick: false), "\(text.debugDescription)")
      if new { commands += 1 }
      if KubectlCommand.noClientAmongFirstWords(body.utf8) { shortcut += 1 }
      checked += 1
    }
    for text in KubectlBytesTests.lines {
      let body = Substring(text)
      #expect(
        KubectlCommand.isCommand(body) == KubectlCommand.isCommand(body, quick: false), "\(text.debugDescription)")
    }
    #expect(commands > 1_000 && shortcut > 1_000 && checked - commands > 5_000, "\(commands) \(shortcut)")
  }

  /// `mayBeClient` says "maybe" of every word `client(in:)` may take for a client: every client
  /// and cut client in any case and behind any path, and a word one edit from `kubectl`; and "no"
  /// of a prompt's first word, a label and words of six to eight bytes that are none.
  @Test func everyClientMayBeAClient() {
    let words = [
      "kubectl", "KUBECTL", "kubectl.sh", "kubectl.exe", "oc", "Oc", "oc.exe", "microk8s.kubectl", "kubecolor", "k",
      "K", "ctl", "ectl", "bectl", "CTL", "/usr/local/bin/kubectl", "C:\\kubectl", "host:~$kubectl", "kubectl#",
      "kubect", "kubectll", "kuebctl", "KUBECTI", "xkubectl",
    ]
    for word in words {
      let bytes = Array(word.utf8)
      #expect(bytes.withUnsafeBufferPointer { KubectlCommand.mayBeClient($0) }, "\(word)")
    }
    for word in ["get", "tier=backend", "[signal", "abcde", "abcdef", "abcdefghi", "pods", "", "/", "kbectll"] {
      let bytes = Array(word.utf8)
      #expect(!bytes.withUnsafeBufferPointer { KubectlCommand.mayBeClient($0) }, "\(word)")
    }
  }

  // MARK: the underline test

  /// The underline test as it was, asked of the line's body when asked: the reference.
  static func referenceIsUnderline(_ line: KubectlLine) -> Bool {
    guard !line.isBlank else { return false }
    if line.isASCII { return line.body.utf8.allSatisfy { $0 == 0x2D || KubectlBytes.isBlank($0) } }
    return line.body.allSatisfy { $0 == "-" || $0 == " " || $0 == "\t" }
  }

  /// A line's underline test, read with its text, is the reference's on sample lines and seeded
  /// dashes mixed with hostile pieces, read fresh, `Character` by `Character` and held.
  @Test func underlinesAreWhatTheWalkSays() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.underlines"))
    var memo = KubectlLineMemo(slots: 64)
    let pieces = ["-", "--", "----", " ", "  ", "\t"] + Self.hostile
    var texts = KubectlBytesTests.lines
    for _ in 0..<5_000 {
      texts.append((0..<(1 + rng.below(8))).map { _ in pieces[rng.below(pieces.count)] }.joined())
    }
    var underlines = 0
    for (i, text) in texts.enumerated() {
      let line = Line(number: i + 1, text: text)
      for l in [KubectlLine(line), KubectlLine(line, bytes: false), memo.read(line).line, memo.read(line).line] {
        #expect(l.isUnderline == Self.referenceIsUnderline(l), "\(text.debugDescription)")
        if l.isUnderline { underlines += 1 }
      }
    }
    #expect(underlines > 1_000)
  }

  // MARK: the blocks' scratch

  /// Records and verdicts of `lines` read with the blocks' arrays grown in the scratch's room
  /// and grown afresh (the reference), with and without the line memo; each pod's, node's and
  /// workload's arrays hold no more room with the scratch than without.
  static func readsAsWithoutScratch(_ lines: [String], name: String) -> Bool {
    let context = ParseContext(
      source: SourceInfo(name: "paste.txt"), captureTime: capture, diagnostics: { _ in })
    var results: [[Record]] = [[], [], []]
    var verdicts: [[SourceAccount.Verdict]] = [[], [], []]
    for (k, (memo, scratch)) in [(true, true), (true, false), (false, true)].enumerated() {
      var parser = KubectlTextParser(context: context, memo: memo, scratch: scratch)
      let keep = { (record: Record) in results[k].append(record) }
      for (i, text) in lines.enumerated() {
        verdicts[k].append(parser.feed(Line(number: i + 1, text: text), emit: keep))
      }
      parser.finish(emit: keep)
    }
    var same = results[0] == results[1] && results[2] == results[1] && verdicts[0] == verdicts[1]
    same = same && verdicts[2] == verdicts[1]
    for (new, old) in zip(results[0], results[1]) {
      switch (new, old) {
      case (.pod(let n), .pod(let o)):
        same = same && n.evidence.capacity <= o.evidence.capacity
        same = same && n.conditions.capacity <= o.conditions.capacity
        for (a, b) in zip(n.containers, o.containers) {
          same = same && a.evidence.capacity <= b.evidence.capacity
          same = same && a.stateEvidence.capacity <= b.stateEvidence.capacity
        }
      default: break
      }
    }
    if !same { Issue.record("records differ with the scratch: \(name)") }
    return same
  }

  @Test func samplesReadAsWithoutScratch() {
    #expect(KubectlBytesTests.sampleFiles.count > 50)
    var pods = 0
    for file in KubectlBytesTests.sampleFiles {
      _ = Self.readsAsWithoutScratch(file.lines, name: file.name)
      pods += file.lines.filter { $0.hasPrefix("Name:") }.count
    }
    #expect(pods > 50)
  }

  /// The describe samples glued in seeded orders, lines changed, dropped and replaced by hostile
  /// ones (so blocks end early, sections are cut, and a block's room is handed on mid-object).
  @Test func hostileGluingsReadAsWithoutScratch() {
    var rng = SplitMix64(seed: SplitMix64.seed("DescribeSpeedTests.gluings"))
    let kubectl = KubectlBytesTests.sampleFiles.filter { file in
      file.lines.contains { $0.hasPrefix("Name:") || $0.hasPrefix("Events:") }
    }
    #expect(kubectl.count > 10)
    for round in 0..<6 {
      var lines: [String] = []
      for _ in 0..<30 {
        var piece = kubectl[rng.below(kubectl.count)].lines
        for _ in 0..<rng.below(4) where !piece.isEmpty {
          let at = rng.below(piece.count)
          switch rng.below(4) {
          case 0: piece[at] += Self.hostile[rng.below(Self.hostile.count)]
          case 1: piece.remove(at: at)
          case 2: piece[at] = String(piece[at].prefix(rng.below(piece[at].count + 1)))
          default: piece.insert(Self.hostile[rng.below(Self.hostile.count)], at: at)
          }
        }
        lines += piece + (rng.below(2) == 0 ? [""] : ["", ""])
      }
      _ = Self.readsAsWithoutScratch(lines, name: "round \(round)")
    }
  }
}
