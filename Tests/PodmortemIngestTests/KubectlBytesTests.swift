import Foundation
import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// The byte-level fast paths of the kubectl text parsers (`KubectlBytes`, `KubectlLine`,
/// `KubectlCommand.firstWordRejects`) answer exactly as the `Character`-level code they skip, on
/// every line of every shipped sample and real paste and on lines made to trip them.
@Suite struct KubectlBytesTests {
  /// Every text file under samples/ (kubectl output, pastes, logs) as lines, `\r` stripped as the
  /// reader does.
  static let sampleFiles: [(name: String, lines: [String])] = {
    ShippedSamples.contents(withExtensions: ["txt", "md", "log", "yaml", "json"]).map { url, data in
      let text = String(decoding: data, as: UTF8.self)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
        $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
      }
      return (url.path, lines)
    }
  }()

  static let sampleLines: [String] = sampleFiles.flatMap(\.lines)

  /// Lines that put a non-ASCII byte, a combining mark, a tab or a cleaning step exactly where a
  /// byte-level answer could differ from a `Character`-level one.
  static let trickyLines: [String] = [
    "", " ", "\t", "Name:", "Name:\u{301}  web-0", "Nam\u{e9}:  web-0", "Name :  x", "N:", ":", " : x",
    "Name:\tweb-0", "Name:web-0", "Events:  <none>", "  Type    Reason   Age   From   Message",
    "  Type\u{301}    Reason   Age   From   Message", "Type\tReason\tAge\tFrom\tMessage", "  Type", "  Types  x",
    "  FirstSeen  LastSeen  Count  From  SubObjectPath  Type  Reason  Message",
    "NAME   READY   STATUS   RESTARTS   AGE",
    "NAME:  x", "NAMe   READY", "N\u{c9}   READY", "ME   READY   STATUS", "SEEN   TYPE   REASON   OBJECT   MESSAGE",
    "TIME   MSG", "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE", "kubectl get pods", "Kubectl describe po x",
    "kuebctl get evevt", "kubect get pods", "kubectll get pods", "ubectl get pods", "kubetcl get pods", "k get pods",
    "k -n x get pods", "oc get events", "OC.exe get pods", "/usr/local/bin/kubectl get pods", "C:\\kubectl get pods",
    "host:~$kubectl get pods", "host:~$ kubectl get pods", "[root@m ~]# kubectl get pods", "(venv) kubectl get pods",
    "KUBECONFIG=~/.kube/x kubectl get pods", "K_1=x kubectl get pods", "K-1=x kubectl get pods",
    "sudo kubectl get pods",
    "❯ kubectl get pods", "➜ kubectl get pods", "-> kubectl get pods", "Running: kubectl get pods",
    "**kubectl get pods**", "__kubectl get pods__", "`kubectl get pods`", " kubectl get pods", "kubectl\tget pods",
    "kubectl/ get pods", "///", "a/b/ get", "Status:  Running", "Labels:  app=web", "Mounts:", "Started:  x",
    "Image:  nginx", "kubectl\u{301} get pods", "kübectl get pods", "$ date -u", "$ ", "--", "---", "- - -", "```",
    "~~~",
    "No resources found in default namespace.", "No events found", "Error from server (NotFound): x",
    "PS> kubectl get pods",
    "# kubectl get pods", "% kubectl get pods", "> kubectl get pods", "  web:", "  web-1:", "  -web:", "  Web:",
    "  w\u{e9}b:", "  web\u{301}:", "    State:          Waiting",
    "  Warning  BackOff  5s (x2 over 25s)  kubelet  Back-off",
    "  Warning\u{a0} BackOff", "Name:  web-0   \u{a0}", "Name:  web-0 \u{301}", "Name:  web-0\r",
    "Name:  web-0\u{b}\u{c}",
    "\u{1b}[1mName:\u{1b}[0m  web-0", "^[[1mName:^[[0m  web-0", "> Name:  web-0", "`web-0   0/1   Running   0   2m`",
    "**Name:**  web-0", "#   Warning  x", "| a | b | c |", "│ Name:  web-0 │", "  ----     ------", "\t-- \t--",
    // Characters canonically equivalent to ASCII ones (U+1FEF is a backtick, U+212A a K).
    "\u{1FEF}\u{1FEF}\u{1FEF}", "`\u{1FEF}`", "``\u{1FEF}", "\u{1FEF}kubectl get pods\u{1FEF}",
    "\u{212A}UBECTL get pods",
    "N\u{212A}   READY", "ctl describe pod web-0", "ectl get pods", "bectl get events", "CTL get pods", "ctl:  x",
    "Type\u{301}   Reason", "$\u{301} kubectl get pods", "$ \u{301}kubectl get pods",
  ]

  static let lines = sampleLines + trickyLines

  @Test func linesAreReadTheSameFromBytes() {
    #expect(Self.sampleLines.count > 10_000)
    var checked = 0
    for (i, text) in Self.lines.enumerated() where Self.readsTheSame(text, number: i + 1) { checked += 1 }
    #expect(checked == Self.lines.count)
  }

  /// Every answer `KubectlLine` and the questions asked of every line give from the bytes is the
  /// `Character`-level one for `text`; an issue names the line when not.
  static func readsTheSame(_ text: String, number: Int) -> Bool {
    let line = Line(number: number, text: text)
    let fast = KubectlLine(line)
    let slow = KubectlLine(line, bytes: false)
    #expect(!slow.isASCII)
    guard
      fast.text == slow.text, fast.body == slow.body, fast.indent == slow.indent,
      fast.field?.key == slow.field?.key, fast.field?.value == slow.field?.value,
      fast.tokens.map(String.init) == slow.tokens.map(String.init),
      fast.tokens.map(fast.column(of:)) == slow.tokens.map(slow.column(of:)), fast.isUnderline == slow.isUnderline,
      // A tab scalar, as `hasTab` reads the bytes: a tab and a combining mark after it are one
      // `Character` that is not "\t" (a seeded random line found it; no sample holds one).
      fast.hasTab == slow.text.unicodeScalars.contains("\t"), TableHeader(fast) == TableHeader(slow),
      DescribeEventsTable.header(fast) == DescribeEventsTable.header(slow),
      KubectlTextParser.isBoundary(fast) == KubectlTextParser.isBoundary(slow, quick: false),
      KubectlCommand.isCommand(fast.body) == KubectlCommand.isCommand(slow.body, quick: false)
    else {
      Issue.record("line read differently from its bytes: \(text.debugDescription)")
      return false
    }
    if let key = fast.field?.key {
      #expect(DescribeBlock.isContainerName(key) == Self.characterContainerName(key), "\(text.debugDescription)")
    }
    return true
  }

  /// Lines made of the pieces describe, tables and commands print (keys and colons, padding of
  /// spaces and tabs, header words, dashes, placeholders, prompts, trailing white space) and a few
  /// characters beyond ASCII, seeded: read the same from their bytes as `Character` by `Character`.
  @Test func randomLinesAreReadTheSameFromBytes() {
    var rng = SplitMix64(seed: 0x6b75_6265_6374_6c31)
    let pieces = [
      "Name:", "Namespace:", "Type", "Reason", "Age", "From", "Message", "FirstSeen", "LastSeen", "Count",
      "SubObjectPath", "NAME", "READY", "STATUS", "LAST", "SEEN", "Normal", "Warning", "BackOff", "web-0", "worker:",
      "Image:", "State:", "Waiting", "Restart Count:", "kubectl", "k", "get", "describe", "pods", "$", "#", ">", "--",
      "-", "---", "<id", "here>", "<pod>", "a<b", "x>", "=", "K=1", "sudo", "Running:", "ctl", "oc", "/usr/bin/kubectl",
      "5s", "(x2", "over", "25s)", "kubelet", "10.0.0.1:8080", "Type:", "T", "TYPE", "é", "\u{301}", "\u{A0}", "│",
      "**", "`", "|", "\u{1B}[1m", "No", "events.", "```", "~~~",
    ]
    let gaps = [" ", "  ", "   ", "\t", " \t", ""]
    let ends = ["", " ", "  ", "\t", "\r", "\u{B}", " \u{C}"]
    var checked = 0
    for n in 0..<6_000 {
      var text = String(repeating: " ", count: rng.below(4) == 0 ? rng.below(9) : 0)
      if rng.below(10) == 0 { text = "\t" + text }
      for k in 0..<(1 + rng.below(9)) {
        if k > 0 { text += gaps[rng.below(gaps.count)] }
        text += pieces[rng.below(pieces.count)]
      }
      text += ends[rng.below(ends.count)]
      if Self.readsTheSame(text, number: n + 1) { checked += 1 }
      // The byte-level helpers against the view-walking code they stand for, on the same text.
      let body = Substring(text).drop { $0 == " " || $0 == "\t" }
      #expect(KubectlBytes.contains(body.utf8, 0x3C) == body.utf8.contains(0x3C))
      #expect(KubectlBytes.equals(body.utf8, "--") == body.utf8.elementsEqual("--".utf8))
      #expect(KubectlBytes.words(body) == KubectlBytes.indexedWords(body))
      let first = KubectlBytes.firstWord(body)
      #expect(KubectlBytes.firstWordIs(body, "Type") == first.elementsEqual("Type".utf8))
      #expect(KubectlBytes.firstWordIs(body, "FirstSeen") == first.elementsEqual("FirstSeen".utf8))
      let opens =
        first.first.map(KubectlBytes.isUpper) == true
        && !first.contains(where: { KubectlBytes.isLower($0) || $0 == 0x3A })
      #expect(KubectlBytes.firstWordMayOpenHeader(body) == opens, "\(text.debugDescription)")
    }
    #expect(checked == 6_000)
  }

  /// The sniffer's score, which stops asking once no line can change it, is the score every
  /// question of every line gives, on the head of every sample (and on the tricky lines).
  @Test func sniffStopsOnlyWhereTheScoreIsDecided() {
    #expect(Self.sampleFiles.count > 500)
    for file in Self.sampleFiles + [("tricky", Self.trickyLines)] {
      let head = file.lines.prefix(Ingestor.headLines).enumerated().map { Line(number: $0 + 1, text: $1) }
      let info = SourceInfo(name: file.name)
      #expect(
        KubectlTextParser.score(head: head, info: info)
          == KubectlTextParser.score(head: head, info: info, exhaustive: true), "\(file.name)")
    }
  }

  /// A line that only the `Character`-level cleaning reads still gets every answer.
  @Test func cleanedLinesKeepTheirAnswers() {
    let bold = KubectlLine(Line(number: 1, text: "**Name:**  web-0"))
    #expect(bold.field?.key == "Name" && bold.field?.value == "web-0")
    let accented = KubectlLine(Line(number: 1, text: "  Namé:  web-0"))
    #expect(!accented.isASCII && accented.field?.key == "Namé" && accented.indent == 2)
    let framed = KubectlLine(Line(number: 1, text: "│ Name:  web-0   │"))
    #expect(framed.field?.value == "web-0")
  }

  /// `DescribeBlock.isContainerName` as it was read `Character` by `Character`.
  static func characterContainerName(_ key: Substring) -> Bool {
    !key.isEmpty && key.count <= 63 && key.first != "-" && key.last != "-"
      && key.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
  }
}
