import Foundation
import PodmortemModel
import PodmortemReport
import Testing

/// Text from the input is hostile: a pod name, an event message or a log line can hold markup, a
/// Markdown link, an escape sequence or XML's CDATA terminator. Whatever a finding quotes, each
/// format shows it as text and keeps its own structure (docs/architecture.md "Secrets" for the
/// control characters, which `ReportInput` makes visible for every format).
@Suite("hostile text in every format")
struct HostileTextTests {
  static let script = "<script>alert(1)</script>"
  static let pre = "</pre><img src=x onerror=alert(2)>"
  static let link = "[click](javascript:alert(3))"
  static let pipes = "a | b | c"
  static let fence = "```"
  static let ansi = "\u{1B}[31mred\u{1B}[0m"
  static let cdata = "]]><evil/>"
  static let control = "bell\u{07} nul\u{00} del\u{7F}"
  static let all = [
    Hostile("script", script), Hostile("pre", pre), Hostile("link", link), Hostile("pipes", pipes),
    Hostile("fence", fence), Hostile("ansi", ansi), Hostile("cdata", cdata), Hostile("control", control),
  ]

  /// A hostile string named for the test list, which must not print it raw.
  struct Hostile: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    init(_ name: String, _ text: String) {
      self.name = name
      self.text = text
    }
    var testDescription: String { name }
  }

  /// One finding whose title, explanation, remedy, fact and evidence each carry `text`.
  static func input(_ text: String) -> ReportInput {
    let finding = Finding(
      ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical,
      subject: Subject(namespace: "shop", pod: "web-0", container: "app"), title: "title \(text) end",
      explanation: "explanation \(text) end", remedy: "remedy \(text) end", facts: [KeyValue("output", text)],
      evidence: [Evidence(ref: SourceRef(source: "describe.txt", line: 7), text: "evidence \(text) end")])
    return ReportFixture.input([finding])
  }

  @Test("HTML shows markup as text", arguments: all)
  func html(_ hostile: Hostile) {
    let text = hostile.text
    let out = HTMLRenderer().render(Self.input(text))
    #expect(!out.contains("<script>alert"), "a script element from the input")
    #expect(!out.contains("<img src=x"), "an element from the input")
    #expect(!out.contains("</pre><img"))
    #expect(!out.contains("href=\"javascript:"))
    #expect(!out.contains("\u{1B}") && !out.contains("\u{07}") && !out.contains("\u{00}"))
    if text == Self.script { #expect(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;")) }
  }

  @Test("JUnit XML escapes markup and carries no character XML forbids", arguments: all)
  func junit(_ hostile: Hostile) {
    let text = hostile.text
    let out = JUnitRenderer().render(Self.input(text))
    #expect(!out.contains("<script>") && !out.contains("<evil/>") && !out.contains("<img"))
    #expect(!out.contains("]]>"), "CDATA's terminator must never appear raw")
    let forbidden = out.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }
    #expect(forbidden.isEmpty, "characters XML 1.0 cannot carry: \(forbidden.map(\.value))")
    #expect(out.components(separatedBy: "<failure ").count == 2, "one failure, its structure intact")
  }

  @Test("SARIF is valid JSON whose message holds the text as text", arguments: all)
  func sarif(_ hostile: Hostile) throws {
    let text = hostile.text
    let out = SARIFRenderer().render(Self.input(text))
    #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a raw control character")
    let doc = try ReportFixture.json(out)
    let run = try #require((doc["runs"] as? [[String: Any]])?.first)
    let result = try #require((run["results"] as? [[String: Any]])?.first)
    let message = try #require((result["message"] as? [String: Any])?["text"] as? String)
    #expect(message.contains("title "))
    if text == Self.script || text == Self.pipes || text == Self.cdata { #expect(message.contains(text)) }
  }

  @Test("JSON is valid and quotes the text", arguments: all)
  func json(_ hostile: Hostile) throws {
    let text = hostile.text
    let out = JSONRenderer().render(Self.input(text))
    #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a raw control character")
    let doc = try ReportFixture.json(out)
    let finding = try #require((doc["findings"] as? [[String: Any]])?.first)
    let title = try #require(finding["title"] as? String)
    if text == Self.script || text == Self.link { #expect(title == "title \(text) end") }
  }

  @Test("Markdown keeps its tables, headings and fences", arguments: all)
  func markdown(_ hostile: Hostile) {
    let text = hostile.text
    let out = MarkdownRenderer().render(Self.input(text))
    #expect(!out.contains("\u{1B}") && !out.contains("\u{07}") && !out.contains("\u{00}"))
    // The summary line and the heading stay one line each, and pipes cannot open a cell.
    let heading = out.split(separator: "\n").first { $0.hasPrefix("### 1. ") }
    #expect(heading != nil)
    if text == Self.pipes { #expect(heading?.contains("a \\| b \\| c") == true) }
  }

  /// Quoted text stays text in Markdown: a link from the input is no live link, inline HTML is no
  /// HTML, and evidence holding a ``` fence cannot close the fence around it.
  @Test("Markdown makes no live link or HTML of quoted text, and a fence in evidence stays inside")
  func markdownKeepsInputAsText() throws {
    // Outside the evidence's code block (where text is shown as is), a `]` before `(javascript:`
    // is escaped, and no `<` opens a tag.
    let linked = Self.outsideCodeBlocks(MarkdownRenderer().render(Self.input(Self.link)))
    #expect(!linked.replacingOccurrences(of: "\\]", with: "").contains("](javascript:"), "a live javascript: link")
    let scripted = Self.outsideCodeBlocks(MarkdownRenderer().render(Self.input(Self.script)))
    #expect(!scripted.contains("<script>"), "raw HTML from the input")
    let lines = MarkdownRenderer().render(Self.input(Self.fence)).split(
      separator: "\n", omittingEmptySubsequences: false)
    let open = try #require(lines.firstIndex { $0.hasPrefix("```") && $0.hasSuffix("text") })
    let fence = lines[open].prefix { $0 == "`" }
    let close = try #require(lines[(open + 1)...].firstIndex { $0 == fence })
    // Every evidence line is inside, and none of them is a fence at least as long.
    let inside = lines[(open + 1)..<close]
    #expect(inside.contains { $0.contains("evidence ") })
    #expect(!inside.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(String(fence)) })
    #expect(MarkdownRenderer.fence(around: ["a ```` b", "`"]) == "`````")
    #expect(MarkdownRenderer.prose("<b>[x](y)</b> `z` & co") == "&lt;b&gt;[x\\](y)&lt;/b&gt; \\`z\\` &amp; co")
    #expect(MarkdownRenderer.prose("[x][r] [r]: u [signal 11]") == "[x\\][r] [r\\]: u [signal 11]")
  }

  /// The Markdown without its fenced code blocks.
  static func outsideCodeBlocks(_ markdown: String) -> String {
    var out: [Substring] = []
    var fence: Substring?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let ticks = line.prefix { $0 == "`" }
      if let open = fence {
        if line == open { fence = nil }
      } else if ticks.count >= 3 {
        fence = ticks
      } else {
        out.append(line)
      }
    }
    return out.joined(separator: "\n")
  }

  @Test("text shows escape sequences and control characters, never sends them", arguments: all)
  func text(_ hostile: Hostile) {
    let text = hostile.text
    let out = TextRenderer().render(Self.input(text))
    #expect(!out.contains("\u{1B}") && !out.contains("\u{07}") && !out.contains("\u{00}"))
    if text == Self.ansi { #expect(out.contains("\\x1b[31m")) }
  }
}
