import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// Byte gates asked before the character or JSON work on every line of a container log's head
/// (docs/architecture.md, "Sniffing a head of long lines"), each held to the code it replaced,
/// kept here as the reference: the console clock's first byte, the event type by bytes, the
/// console label's two bytes before the tab search, a docker entry's `"log"` before its object is
/// parsed, and the node-log sniffer's split without a logfmt time.
enum BundleSniffGateInputs {
  /// Tokens and texts each gate is about, with the hostile pieces of `BundleShortcutInputs`.
  static let made: [String] = [
    "", ":", "::", "1:05", "12:05", "3:05:26", "15:05:26", "123:05", "1:5", "1:05:2", "1:05:26:00", "٣:05",
    "1\u{301}:05", "\u{FF11}:05", ":05", "a:05", "Normal", "Warning", "Normal ", "normal", "Norma\u{301}l",
    "Warnin\u{301}g", "N\u{30A}ormal", "Warning\u{301}", "Name\tweb-0", "Status: Running", "Name", "Status:\tRunning",
    "a\tb", "é\tx", "É: x", "N", "N\t", "\tName", "Restart Count:\t3", "name: x", "Container kiosk\tx",
    "\u{212A}ind: x", "\u{130}mage: x",
  ]

  /// Made texts, sample lines and seeded strings, and every word of each.
  static let texts: [String] = {
    var all = made + SampleLines.all + BundleShortcutInputs.strings(count: 20_000, seed: 2212)
    var rng = SplitMix64(seed: 2213)
    for _ in 0..<5_000 {
      var chars = Array(made[rng.below(made.count)])
      for _ in 0..<rng.below(3) {
        let piece = BundleShortcutInputs.pieces[rng.below(BundleShortcutInputs.pieces.count)]
        chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
      }
      all.append(String(chars))
    }
    return all
  }()

  static let tokens: [Substring] = texts.flatMap { text in [Substring(text)] + text.split(separator: " ") }
}

@Suite struct ConsoleClockGateTests {
  /// `ConsoleEventRow.isClock` as it was, kept as the reference: the characters walked from the
  /// first.
  static func referenceIsClock(_ token: Substring) -> Bool {
    guard token.dropFirst(8).isEmpty else { return false }
    let parts = token.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3,
      parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isNumber) })
    else { return false }
    return parts[0].count <= 2 && parts.dropFirst().allSatisfy { $0.count == 2 }
  }

  @Test func aClockIsWhatTheReferenceCallsOne() {
    var clocks = 0
    for token in BundleSniffGateInputs.tokens {
      let new = ConsoleEventRow.isClock(token)
      #expect(new == Self.referenceIsClock(token), "\(token.debugDescription)")
      if new { clocks += 1 }
    }
    // Both answers are reached: the gate is not all that answers.
    #expect(clocks >= 10)
  }
}

@Suite struct EventTypeBytesTests {
  /// `Cells.isEventType` as it was, kept as the reference: compared as text.
  static func referenceIsEventType(_ token: Substring) -> Bool { token == "Normal" || token == "Warning" }

  @Test func anEventTypeIsWhatTheTextComparisonSays() {
    var types = 0
    for token in BundleSniffGateInputs.tokens {
      let new = Cells.isEventType(token)
      #expect(new == Self.referenceIsEventType(token), "\(token.debugDescription)")
      if new { types += 1 }
    }
    #expect(types >= 10)
  }
}

@Suite struct ConsoleTabbedGateTests {
  /// `ConsolePodDetails.tabbed` as it was, kept as the reference: the tab or `: ` searched for
  /// before the label's first character is looked at.
  static func referenceTabbed(_ body: Substring) -> (ConsolePodDetails.Label, Substring)? {
    let head: Substring
    let value: Substring
    if let tab = ASCIISearch.firstIndex(of: "\t", in: body) ?? body.firstIndex(of: "\t") {
      head = body[..<tab]
      value = body[body.index(after: tab)...].drop { $0 == " " || $0 == "\t" }
    } else if let colon = ASCIISearch.range(of: ": ", in: body) ?? body.range(of: ": ") {
      head = body[..<colon.lowerBound]
      value = body[colon.upperBound...].drop { $0 == " " }
    } else {
      return nil
    }
    guard let label = ConsolePodDetails.label(head) else { return nil }
    return (label, value)
  }

  @Test func aTabbedLabelIsTheReferenceLabel() {
    var labels = 0
    for text in BundleSniffGateInputs.texts {
      let body = Substring(text)
      let new = ConsolePodDetails.tabbed(body)
      let old = Self.referenceTabbed(body)
      #expect(new?.0 == old?.0 && new?.1 == old?.1, "\(text.debugDescription)")
      if new != nil { labels += 1 }
    }
    #expect(labels >= 10)
  }
}

@Suite struct DockerLogKeyGateTests {
  /// Docker json-file lines and their near misses: the key escaped, other keys, cut lines.
  static let lines: [String] = {
    let shapes = [
      #"{"log":"started\n","stream":"stdout","time":"2016-10-20T18:39:20.57606443Z"}"#,
      #"{"\u006cog":"started\n","stream":"stdout","time":"2016-10-20T18:39:20.57606443Z"}"#,
      #"{"lo\u0067":"x","stream":"stderr","time":"2016-10-20T18:39:20Z"}"#,
      #"{"logs":"x","stream":"stderr","time":"2016-10-20T18:39:20Z"}"#,
      #"{"level":"warn","ts":"2026-11-27T00:00:00.944621Z","msg":"cache miss"}"#,
      #"{"msg":"the \"log\" key","log":"y\n","stream":"stdout","time":"2016-10-20T18:39:20Z"}"#,
      #"{"log":"x"}"#, #"{"log""#, #""log""#, #"{"lOg":"x","stream":"stdout","time":"2016-10-20T18:39:20Z"}"#,
    ]
    var rng = SplitMix64(seed: 2214)
    var all = shapes + SampleLines.all
    for _ in 0..<20_000 {
      var chars = Array(shapes[rng.below(shapes.count)])
      for _ in 0..<rng.below(3) {
        let piece = BundleShortcutInputs.pieces[rng.below(BundleShortcutInputs.pieces.count)]
        chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
      }
      if rng.below(4) == 0 { chars = Array(chars.prefix(rng.below(chars.count + 1))) }
      all.append(String(chars))
    }
    return all
  }()

  /// The gate answers no only where the parser, the code it stands before, finds no `log` member:
  /// `dockerEntry` is otherwise the same code.
  @Test func noLogKeyIsNoLogMember() {
    var turnedAway = 0
    var withLog = 0
    for text in Self.lines {
      let b = Array(text.utf8)
      let hasLog = LogJSON.parseObject(b)?.contains { $0.key == "log" } == true
      if hasLog { withLog += 1 }
      if !ContainerLogParser.mayHoldLogKey(b) {
        turnedAway += 1
        #expect(!hasLog, "\(text.debugDescription)")
      }
    }
    #expect(turnedAway >= 1_000)
    #expect(withLog >= 1_000)
  }
}

@Suite struct NodeLogSniffSplitTests {
  /// Bracketed words and times on either side of the dot and length checks.
  static let made: [String] = [
    "[INFO] started", "[DEBUG] 2026-11-27 00:00:00 health check ok", "[ 7063.247407] eth0: link up", "[7063] x",
    "[ 7063.247407 ] x", "[.] x", "[1.2.3] x", "[1\u{301}.5] x", "[Thu Dec  7 00:05:14 2017] oom",
    "[Thu Dec 7 00:05:14 2017]",
    "[Thu Dec 7 00:05:14 201] x", "[hu Dec  7 00:05:14 2017] x", "[                   ] x",
    "[é Dec  7 00:05:14 2017] x",
    "[] x", "[", "time=\"2026-11-27T00:00:00.120066Z\" level=debug msg=\"loaded\"", "level=info msg=x",
    "time=\"bad\" msg=x",
  ]

  @Test func splitAnswersAsTheReferenceAroundTheBracketChecks() {
    var dated = 0
    for text in Self.made + BundleSniffGateInputs.texts {
      let b = Array(text.utf8)
      let new = NodeLogParser.split(b)
      #expect(NodeLogSplitTests.same(new, NodeLogSplitTests.referenceSplit(b)), "\(text.debugDescription)")
      if new?.form == .dmesg { dated += 1 }
    }
    #expect(dated >= 4)
  }

  /// The sniffer asks only whether a line splits: without the logfmt time it splits the same,
  /// into the same form and body.
  @Test func aSplitWithoutTheTimeIsTheSameSplit() {
    var logfmt = 0
    for text in Self.made + NodeLogSplitTests.madeLines + BundleSniffGateInputs.texts {
      let b = Array(text.utf8)
      let full = NodeLogParser.split(b)
      let quick = NodeLogParser.split(b, readingTime: false)
      #expect((full == nil) == (quick == nil), "\(text.debugDescription)")
      #expect(full?.form == quick?.form && full?.body == quick?.body, "\(text.debugDescription)")
      if full?.form == .logfmt, full?.time != nil { logfmt += 1 }
      if let full, full.form != .logfmt { #expect(full.time == quick?.time) }
    }
    #expect(logfmt >= 1)
  }
}

@Suite struct KubectlRowGateTests {
  /// The kubectl sniffer as it was, kept as the reference: every fragment question asked of every
  /// line while it could raise the score, each line split into words for them.
  static func referenceScore(head: [Line], info: SourceInfo, exhaustive: Bool = false, atLeast bar: Int = 0) -> Int {
    if !exhaustive, bar > 90 { return 0 }
    var sawName = false
    var sawDescribeField = false
    var notes = 0
    var others = 0
    var score = 0
    var consoleLabels = 0
    var consoleStarts = false
    let probeContext = ParseContext(
      source: info, captureTime: CaptureTime(date: .distantPast, origin: .currentTime), diagnostics: { _ in })
    let probe = DescribeReader(context: probeContext)
    for line in head {
      if !exhaustive, score >= 90 || (sawName && sawDescribeField) { break }
      let read = KubectlLine(line)
      if read.isBlank { continue }
      if KubectlTextParser.isNote(read) {
        notes += 1
        continue
      }
      others += 1
      let l = exhaustive || score < 60 && bar <= 60 ? read.withTokensRead() : read
      if exhaustive || score < 50 && bar <= 50 {
        let starts = ConsolePodDetails.starts(l)
        if starts { consoleStarts = true }
        if starts || ConsolePodDetails.label(l.body) != nil { consoleLabels += 1 }
      }
      if exhaustive || score < 60 && bar <= 60, NodeConditionRows.row(l) != nil { score = max(score, 60) }
      if let header = TableHeader(l) {
        score = max(score, header.kind == .other ? 40 : 90)
      } else if DescribeEventsTable.header(l) != nil {
        score = max(score, 85)
      } else {
        if l.indent == 0, let f = l.field {
          sawName = sawName || f.key == "Name"
          sawDescribeField =
            sawDescribeField || ["Namespace", "Roles", "Labels", "CreationTimestamp"].contains(f.key)
        }
        if exhaustive || score < 60 && bar <= 60,
          probe.canStart(l) || KubectlTextParser.readsHeaderless(l, context: probeContext)
            || ConsoleEventRow.row(l, block: SourceRef(source: "", line: 0), context: probeContext) != nil
        {
          score = max(score, 60)
        }
      }
    }
    if sawName { score = max(score, sawDescribeField ? 90 : 50) }
    if consoleStarts, consoleLabels >= 2 { score = max(score, 50) }
    if notes > 0 && others == 0 { score = max(score, 30) }
    return score
  }

  /// A container log's lines in the five styles of `bench/gen_bundle.py`, and rows each gate is
  /// about, near misses of them and hostile pieces.
  static let pieces: [String] = [
    "2026-11-27T00:00:00.550443Z DEBUG [http] retrying upstream call attempt=2 backoff=200ms",
    "2026-11-27T00:00:01.157507Z ERROR [db] failed to reach upstream: dial tcp 10.0.0.7:443: i/o timeout",
    "[DEBUG] 2026-11-27 00:00:00 health check ok", "[WARN] 2026-11-27 00:00:01 Ready to serve",
    #"{"level":"warn","ts":"2026-11-27T00:00:00.944621Z","caller":"app/main.go:71","msg":"cache miss key=user:1234"}"#,
    #"time="2026-11-27T00:00:00.120066Z" level=debug msg="loaded config from /etc/app/config.yaml" component=app"#,
    "W1127 00:00:00.657517       1 main.go:16] health check ok", "I1127 00:00:01.000001   7 main.go:9] Normal start",
    "web-0   0/1     CrashLoopBackOff   5          3m", "default   web-0   1/1   Running   0   3m",
    "web-0 x 1/1", "a/b c d", "5m   Warning   BackOff   pod/web-0   Back-off restarting failed container",
    "5m   5m   3   web-0.1   Pod   spec.containers{web}   Normal   Pulled   kubelet   pulled",
    "5m   5m   +3   web-0.1   Pod      Started   kubelet   started", "5m 5m -0 x", "5m 5m + x", "5m 5m 3x",
    "  Warning  Unhealthy  5s    kubelet  Liveness probe failed", "  Normal   Pulled  5s (x3 over 1m)  kubelet  ok",
    "  1m  1m  1  {kubelet node-1}  spec.containers{web}  Warning  BackOff  Back-off",
    "node-1   Ready    control-plane   5d   v1.29.0", "node-2   NotReady,SchedulingDisabled   <none>   5d   v1.29.0",
    "node-3   Unknown   <none>   5d   v1.29.0",
    "Ready   False   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   KubeletNotReady   x",
    "MemoryPressure   True   Mon, 01 Jan 2024 00:00:00 +0000   Mon, 01 Jan 2024 00:00:00 +0000   Reason   m",
    "3:05:26 PM   Warning   BackOff   Back-off restarting", "15:05   Normal   Scheduled   assigned",
    "pod/egg-<id here>   1/1   Running", "Name:         web-0", "Namespace:    default", "ame:  web-0",
    "    State:          Waiting", "    Restart Count:  5", "Status:  Running", "Type    Reason   Age   From   Message",
    "NAME    READY   STATUS    RESTARTS   AGE", "Normal", "Warning", "NormalWarning", "xNormal", "Trueish", "",
    "K\u{212A}elvin \u{130} e\u{301} 1/1", "Norma\u{301}l Warning", "\u{0}\r", "\t1/1\t", "a\t0/1", "a 1/1 b",
  ]

  static let heads: [[Line]] = {
    var rng = SplitMix64(seed: 2215)
    let styles = Array(pieces.prefix(8))
    var heads = SniffBarTests.heads.map(\.head)
    for _ in 0..<600 {
      let n = 1 + rng.below(60)
      heads.append(
        (0..<n).map { i in
          var text = rng.below(4) == 0 ? pieces[rng.below(pieces.count)] : styles[rng.below(styles.count)]
          if rng.below(5) == 0 {
            var chars = Array(text)
            let piece = BundleShortcutInputs.pieces[rng.below(BundleShortcutInputs.pieces.count)]
            chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
            text = String(chars)
          }
          return Line(number: i + 1, text: text)
        })
    }
    return heads
  }()

  /// Every headerless layout insists on a cell `mayHoldRow` looks for.
  @Test func everyHeaderlessLayoutHasAGateTheBytesAnswer() {
    for (layout, gate) in zip(KubectlTextParser.headerlessLayouts, KubectlTextParser.headerlessGates) {
      switch layout.kind {
      case .pods:
        #expect(gate.readyAt.map { KubectlTextParser.readyWords & (1 << UInt64(min($0, 63))) != 0 } == true)
      case .events: #expect(gate.eventType || gate.count)
      case .nodes, .other, .legacyPods: #expect(gate == KubectlTextParser.Gate())
      }
    }
    #expect(KubectlTextParser.headerlessLayouts.count == 17)
  }

  /// A line the bytes turn away is one no row question reads.
  @Test func aLineTurnedAwayIsReadByNoRow() {
    let context = ParseContext(
      source: SourceInfo(name: "t"), captureTime: CaptureTime(date: .distantPast, origin: .currentTime),
      diagnostics: { _ in })
    let probe = DescribeReader(context: context)
    var away = 0
    var rows = 0
    for text in Self.pieces + BundleSniffGateInputs.texts {
      let line = KubectlLine(Line(number: 1, text: text)).withTokensRead()
      let anyRow =
        NodeConditionRows.row(line) != nil || KubectlTextParser.readsHeaderless(line, context: context)
        || ConsoleEventRow.row(line, block: SourceRef(source: "", line: 0), context: context) != nil
        || probe.canStart(line) != probe.startsWithoutRow(line)
      if anyRow { rows += 1 }
      guard line.isASCII, !KubectlBytes.mayHoldRow(line.body, readyWords: KubectlTextParser.readyWords) else {
        continue
      }
      away += 1
      #expect(!anyRow, "\(text.debugDescription)")
    }
    #expect(away >= 1_000)
    #expect(rows >= 15)
  }

  /// The sniffer gives the reference's score at every bar on every head.
  @Test func theScoreIsTheReferenceScore() {
    let infos = SniffBarTests.infos("h")
    var raised = 0
    for (n, head) in Self.heads.enumerated() {
      let info = infos[n % infos.count]
      let full = Self.referenceScore(head: head, info: info)
      if full >= 60 { raised += 1 }
      #expect(
        KubectlTextParser.score(head: head, info: info, exhaustive: true)
          == Self.referenceScore(head: head, info: info, exhaustive: true))
      for bar in SniffBarTests.bars(around: full) + [0, 50, 60] {
        #expect(
          KubectlTextParser.score(head: head, info: info, atLeast: bar)
            == Self.referenceScore(head: head, info: info, atLeast: bar), "head \(n), bar \(bar)")
      }
    }
    #expect(raised >= 100)
  }
}

@Suite struct HeaderWordGateTests {
  /// Headers, their near misses (a word that begins in lower case, a digit or a unit in
  /// parentheses, a placeholder), and the lines `KubectlRowGateTests` reads.
  static let lines: [String] = [
    "NAME    READY   STATUS    RESTARTS   AGE", "NAME    READY   status    RESTARTS   AGE", "NAME READY 1STATUS",
    "NAME   CPU(cores)   MEMORY(bytes)", "NAME   cpu(cores)", "NAME   CPU(<a b>)   MEMORY", "NAME   CPU(<a b>)",
    "NAME   <none>   AGE", "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE",
    "AST SEEN   TYPE   REASON   OBJECT   MESSAGE",
    "SEEN   TYPE   REASON   OBJECT   MESSAGE", "ME   READY   STATUS   RESTARTS   AGE",
    "POD   IP   CONTAINER(S)   IMAGE(S)",
    "NAME\tREADY\tSTATUS", "NAME  READY  \u{212A}ELVIN", "NAME  READY  \u{130}", "NAME  READY  É",
    "W1127 00:00:00.657517  1 main.go:16] ok",
    "EVENT   LAST   SEEN", "FIRST SEEN   LAST SEEN   COUNT   NAME   KIND   SUBOBJECT   REASON   SOURCE   MESSAGE",
    "REASON   OBJECT   MESSAGE", "REASON   object   MESSAGE", "NAME", "NAME ", "NAME\t", " NAME   READY", "NAME   _X",
  ]

  @Test func aHeaderIsTheOneReadWithoutTheWordGate() {
    var headers = 0
    for text in Self.lines + KubectlRowGateTests.pieces + BundleSniffGateInputs.texts {
      let line = KubectlLine(Line(number: 1, text: text))
      let new = TableHeader(line)
      #expect(new == TableHeader(line, wordGate: false), "\(text.debugDescription)")
      if new != nil { headers += 1 }
    }
    #expect(headers >= 10)
  }
}

@Suite struct PasteDecorationGateTests {
  /// `PasteDecoration.isPrompt` and `isBoldHeading` as they were, kept as the reference: the `@`
  /// looked for along the whole line, the line counted before its stars were looked at.
  static func referenceIsPrompt(_ t: Substring) -> Bool {
    if t == "$" || t == "#" || t == "%" || t == "❯" || t == "➜" { return true }
    for mark in ["$ ", "# ", "% ", "❯ ", "➜ "] where t.hasPrefix(mark) { return true }
    if t.hasPrefix("PS "), t.contains("> ") || t.hasSuffix(">") { return true }
    let word = t.prefix { $0 != " " }
    if let colon = word.firstIndex(of: ":"), colon > word.startIndex, let mark = word.last, mark == "#" || mark == "$",
      word[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
    {
      return true
    }
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

  static func referenceIsBoldHeading(_ t: Substring) -> Bool {
    var t = t
    if t.last == ":" { t = t.dropLast() }
    guard t.count > 4, t.count <= 120, t.hasPrefix("**"), t.hasSuffix("**") else { return false }
    let inside = t.dropFirst(2).dropLast(2)
    return !inside.isEmpty && !inside.contains("*") && inside.first != " " && inside.last != " "
  }

  static let made: [String] = [
    "[root@master ~]# oc get events", "oper@node0:~$ kubectl get pods", "root@cp ~ ➜  kubectl get pods",
    "user@host:dir$", "user@host:dir$x", "a@b", "@", "x@\u{301}host$ ls", "user\u{301}@host$ ls", "us er@host$ ls",
    "(venv) user@host:~/src$ kubectl", "\u{212A}@host# ls", "\u{130}@host# ls", "**What happened**:",
    "**kubernetes-master:**", "** x **", "****", "*****", "**a*b**", "**\u{301}x**", "**é**", "**x**\r",
    String(repeating: "a", count: 39) + "@h$ ls", String(repeating: "a", count: 40) + "@h$ ls",
    String(repeating: "a", count: 41) + "@h$ ls", "**" + String(repeating: "x", count: 116) + "**",
    "**" + String(repeating: "x", count: 117) + "**",
  ]

  @Test func aPromptAndABoldHeadingAreWhatTheReferenceSays() {
    var prompts = 0
    var bold = 0
    for text in Self.made + BundleSniffGateInputs.texts {
      let t = Substring(text)
      let prompt = PasteDecoration.isPrompt(t)
      #expect(prompt == Self.referenceIsPrompt(t), "\(text.debugDescription)")
      #expect(PasteDecoration.isBoldHeading(t) == Self.referenceIsBoldHeading(t), "\(text.debugDescription)")
      if prompt { prompts += 1 }
      if PasteDecoration.isBoldHeading(t) { bold += 1 }
    }
    #expect(prompts >= 5)
    #expect(bold >= 3)
  }
}
