import Foundation
import Podmortem
import Testing

// The example of docs/library.md, word for word (a test below checks that the two agree). It uses
// only what `import Podmortem` makes public.
// BEGIN EXAMPLE
func triage(_ paths: [String], summary: URL) throws -> Int {
  var options = AnalysisOptions(inputs: paths)
  options.now = ISO8601DateFormatter().date(from: "2026-11-27T01:00:00Z")
  let result = Analysis(options: options).run()
  for problem in result.problems where problem.level == .error {
    print("input problem: \(problem)")
  }
  let serious = result.findings.filter { $0.severity >= .warning }
  for finding in serious {
    let decisive = finding.evidence.first.map { "\($0.source):\($0.line)" } ?? "no evidence"
    print("\(finding.severity.rawValue) \(finding.subject): \(finding.title) [\(decisive)]")
  }
  try result.rendered(as: .markdown).write(to: summary, atomically: true, encoding: .utf8)
  return serious.count
}
// END EXAMPLE

struct LibraryExampleTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func theDocumentedExampleRunsOnAShippedSample() throws {
    let sample = Self.root.appendingPathComponent("samples/liveness-http-timeout/describe.txt").path
    let summary = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-library-\(getpid()).md")
    defer { try? FileManager.default.removeItem(at: summary) }
    let count = try triage([sample], summary: summary)
    #expect(count == 1)
    let markdown = try String(contentsOf: summary, encoding: .utf8)
    #expect(markdown.hasPrefix("# Incident summary"))
  }

  @Test func theResultSaysWhatTheCommandSays() throws {
    let sample = Self.root.appendingPathComponent("samples/liveness-http-timeout/describe.txt").path
    var options = AnalysisOptions(inputs: [sample])
    options.now = ISO8601DateFormatter().date(from: "2026-11-27T01:00:00Z")
    let result = Analysis(options: options).run()
    #expect(result.readAnything)
    let finding = try #require(result.findings.first)
    #expect(finding.ruleID == "probe.liveness-failing" && finding.severity == .critical)
    #expect(finding.pod != nil && finding.container != nil && finding.fact("probe") == "liveness")
    #expect(finding.evidence.first?.text.contains("Liveness probe failed") == true)
    #expect(result.sources.map(\.source) == [sample] && result.sources[0].unrecognised == 0)
    // Every format renders, and JSON is the document the command writes.
    for format in OutputFormat.allCases { #expect(!result.rendered(as: format).isEmpty, "\(format)") }
    let json = try JSONSerialization.jsonObject(with: Data(result.rendered(as: .json).utf8)) as? [String: Any]
    #expect((json?["findings"] as? [Any])?.count == result.findings.count)
    #expect(Finding.Severity.info < .warning && Finding.Severity.warning < .critical)
  }

  @Test func secretsAreMaskedInTheResultAndProblemsNeverStopTheRun() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-library-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let paste = dir.appendingPathComponent("events.txt")
    try """
    LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
    2m          Warning   Unhealthy   pod/web-0   Liveness probe failed: Get "http://10.0.0.7:8080/health?token=ghp_16C7e42F292c6912E7710c838347Ae178B4a": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
    """.write(to: paste, atomically: true, encoding: .utf8)
    var options = AnalysisOptions(inputs: [paste.path, dir.appendingPathComponent("missing.txt").path])
    options.now = ISO8601DateFormatter().date(from: "2026-11-27T01:00:00Z")
    let result = Analysis(options: options).run()
    #expect(result.problems.contains { $0.level == .error && $0.source.hasSuffix("missing.txt") })
    let finding = try #require(result.findings.first)
    let everything = ([finding.explanation, finding.title] + finding.evidence.map(\.text)).joined()
    #expect(!everything.contains("ghp_16C7e42F292c6912E7710c838347Ae178B4a"))
  }

  @Test func docsShowTheExampleThisFileRuns() throws {
    let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/library.md"), encoding: .utf8)
    let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let example = try #require(
      test.components(separatedBy: "// BEGIN EXAMPLE\n").last?.components(separatedBy: "// END EXAMPLE").first)
    #expect(doc.contains("import Foundation\nimport Podmortem\n\n" + example + "```"))
  }
}
