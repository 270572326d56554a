import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemReport
import Testing

/// Reports built straight from findings, the way the stages before Report hand them over.
enum ReportFixture {
  static let now = CaptureTime(date: Date(timeIntervalSince1970: 1_795_741_200), origin: .flag)

  /// Finding `index` about pod `web-<index>`, citing line `index` of `describe.txt`.
  static func finding(
    _ index: Int, severity: Severity = .warning, title: String? = nil, explanation: String = "It failed.",
    remedy: String = "Fix it.", evidence: String = "Warning  BackOff  kubelet  Back-off restarting failed container"
  ) -> Finding {
    Finding(
      ruleID: "crashloop.backoff", category: .crashloopBackoff, severity: severity,
      subject: Subject(namespace: "shop", pod: "web-\(index)", container: "app"), title: title ?? "finding \(index)",
      explanation: explanation, remedy: remedy, facts: [KeyValue("restarts", String(index))],
      evidence: [Evidence(ref: SourceRef(source: "describe.txt", line: index), text: evidence)])
  }

  /// A report of `findings` over one source of 40 lines.
  static func input(_ findings: [Finding]) -> ReportInput {
    var account = SourceAccount(source: "describe.txt")
    account.formats = ["kubectl-describe"]
    account.lines = 40
    account.parsed = 40
    return ReportInput(
      toolVersion: "0.0.0-test", accounts: [account], diagnostics: [], state: CorrelatedState(now: now),
      findings: findings)
  }

  static let counts = [0, 1, 5]

  /// Five findings, most severe first, as the Diagnoser orders them.
  static func findings(_ count: Int) -> [Finding] {
    (1...max(count, 1)).prefix(count).map { finding($0, severity: $0 == 1 ? .critical : .warning) }
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }
}

/// Every renderer on no finding, one and many (issue 15, "Tests where they are thin").
@Suite("every renderer on empty, one and many findings")
struct RendererCoverageTests {
  @Test("text", arguments: ReportFixture.counts)
  func text(_ count: Int) {
    let out = TextRenderer().render(ReportFixture.input(ReportFixture.findings(count)))
    #expect(out.contains("No findings") == (count == 0))
    for f in ReportFixture.findings(count) { #expect(out.contains(f.title), "\(f.title) missing") }
    #expect(!out.contains("\u{1B}"), "plain text has no colour escapes")
  }

  @Test("markdown", arguments: ReportFixture.counts)
  func markdown(_ count: Int) {
    let out = MarkdownRenderer().render(ReportFixture.input(ReportFixture.findings(count)))
    #expect(out.hasPrefix("# Incident summary\n"))
    #expect(out.contains("No findings") == (count == 0))
    #expect(out.contains("## Findings") == (count > 0))
    for (i, f) in ReportFixture.findings(count).enumerated() {
      #expect(out.contains("### \(i + 1). \(f.title)\n"), "heading of \(f.title)")
    }
    if count > 0 {
      let summary = count == 1 ? "1 finding (1 critical)" : "\(count) findings (1 critical, \(count - 1) warning)"
      #expect(out.contains(summary))
    }
    // Fences open and close in pairs: one per finding's evidence.
    #expect(out.components(separatedBy: "```").count - 1 == 2 * count)
  }

  @Test("json", arguments: ReportFixture.counts)
  func json(_ count: Int) throws {
    let doc = try ReportFixture.json(JSONRenderer().render(ReportFixture.input(ReportFixture.findings(count))))
    let findings = try #require(doc["findings"] as? [[String: Any]])
    #expect(findings.count == count)
    #expect(findings.map { $0["title"] as? String } == ReportFixture.findings(count).map(\.title))
    #expect(doc["schemaVersion"] as? Int == JSONRenderer.schemaVersion)
  }

  @Test("html", arguments: ReportFixture.counts)
  func html(_ count: Int) {
    let out = HTMLRenderer().render(ReportFixture.input(ReportFixture.findings(count)))
    #expect(out.hasPrefix("<!DOCTYPE html>") || out.hasPrefix("<!doctype html>"))
    #expect(out.hasSuffix("</html>\n") || out.hasSuffix("</html>"))
    #expect(out.contains("No findings") == (count == 0))
    for f in ReportFixture.findings(count) { #expect(out.contains(f.title), "\(f.title) missing") }
  }

  @Test("junit", arguments: ReportFixture.counts)
  func junit(_ count: Int) {
    let out = JUnitRenderer().render(ReportFixture.input(ReportFixture.findings(count)))
    #expect(out.hasPrefix("<?xml"))
    #expect(out.components(separatedBy: "<failure ").count - 1 == count, "one failure per warning or worse")
    #expect(out.contains("failures=\"\(count)\""))
    for f in ReportFixture.findings(count) { #expect(out.contains(f.title), "\(f.title) missing") }
  }

  @Test("sarif", arguments: ReportFixture.counts)
  func sarif(_ count: Int) throws {
    let doc = try ReportFixture.json(SARIFRenderer().render(ReportFixture.input(ReportFixture.findings(count))))
    #expect(doc["version"] as? String == "2.1.0")
    let run = try #require((doc["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == count)
    #expect(
      results.map { $0["level"] as? String }
        == ReportFixture.findings(count).map { $0.severity == .critical ? "error" : "warning" })
  }

  @Test("events table", arguments: ReportFixture.counts)
  func eventsTable(_ count: Int) {
    let events = (0..<count).map { i in
      MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "shop", name: "web-\(i)"), type: .warning, reason: "BackOff",
        message: "Back-off restarting failed container app in pod web-\(i)", count: i + 1,
        evidence: [Evidence(ref: SourceRef(source: "events.txt", line: i + 1), text: "row")])
    }
    let out = EventsTableRenderer().render(events)
    let lines = out.split(separator: "\n")
    #expect(lines.count == (count == 0 ? 0 : count + 1), "a header and one row per event, nothing when empty")
    for i in 0..<count { #expect(out.contains("Pod/web-\(i)"), "row of web-\(i)") }
  }
}

/// Scripts key on the JSON document: the same report renders byte for byte the same, with keys in
/// sorted order at every level (docs/findings-schema.md).
@Suite("stable JSON")
struct StableJSONTests {
  /// The keys of every object in `text`, in the order they are written.
  static func keyRuns(_ text: String) -> [[String]] {
    // Pretty-printed JSON puts each key at the start of its line: `  "key" : …`. Keys of one
    // object share an indentation; a deeper line belongs to a nested value.
    var stack: [(indent: Int, keys: [String])] = []
    var runs: [[String]] = []
    for line in text.split(separator: "\n") {
      let indent = line.prefix { $0 == " " }.count
      while let top = stack.last, top.indent > indent {
        runs.append(top.keys)
        stack.removeLast()
      }
      let body = line.dropFirst(indent)
      guard body.hasPrefix("\""), let end = body.dropFirst().firstIndex(of: "\""),
        body[body.index(after: end)...].hasPrefix(" :")
      else { continue }
      let key = String(body[body.index(after: body.startIndex)..<end])
      if let top = stack.last, top.indent == indent {
        stack[stack.count - 1].keys.append(key)
      } else {
        stack.append((indent, [key]))
      }
    }
    return runs + stack.map(\.keys)
  }

  @Test func jsonIsByteStableAndItsKeysSorted() {
    let input = ReportFixture.input(ReportFixture.findings(5))
    let first = JSONRenderer().render(input)
    #expect(first == JSONRenderer().render(input))
    let runs = Self.keyRuns(first)
    #expect(runs.count > 5, "objects found: \(runs.count)")
    for keys in runs { #expect(keys == keys.sorted(), "keys out of order: \(keys)") }
    #expect(runs.contains { $0.contains("findings") && $0.contains("schemaVersion") })
  }

  @Test func sarifIsByteStableAndItsKeysSorted() {
    let input = ReportFixture.input(ReportFixture.findings(5))
    let first = SARIFRenderer().render(input)
    #expect(first == SARIFRenderer().render(input))
    for keys in Self.keyRuns(first) { #expect(keys == keys.sorted(), "keys out of order: \(keys)") }
  }

  @Test func theKeyReaderSeesNestedObjects() {
    let runs = Self.keyRuns("{\n  \"a\" : {\n    \"z\" : 1,\n    \"b\" : 2\n  },\n  \"c\" : 3\n}\n")
    #expect(runs.contains(["z", "b"]))
    #expect(runs.contains(["a", "c"]))
  }
}
