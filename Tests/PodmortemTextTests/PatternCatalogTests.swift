import Foundation
import PodmortemModel
import Testing

@testable import PodmortemText

/// Collects diagnostics from a `DiagnosticSink`, which may be called from any thread.
final class DiagnosticLog: @unchecked Sendable {
  private var items: [Diagnostic] = []
  private let lock = NSLock()

  var sink: DiagnosticSink { { [self] diagnostic in lock.withLock { items.append(diagnostic) } } }
  var all: [Diagnostic] { lock.withLock { items } }
  var messages: [String] { all.map(\.message) }
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

@Suite struct PatternCatalogTests {
  static let good = #"""
    {"id": "test.good", "kinds": ["event"], "literals": ["Node is"], "regex": "^Node is not ready$",
     "examples": [{"text": "Node is not ready", "captures": {}}], "counterexamples": ["Node is ready"]}
    """#

  func load(_ patterns: String..., name: String = "mine.json") -> (PatternCatalog, DiagnosticLog) {
    let log = DiagnosticLog()
    let json = #"{"patterns": ["# + patterns.joined(separator: ",\n") + "]}"
    return (PatternCatalog.load(files: [(name, json)], diagnostics: log.sink), log)
  }

  @Test func validPatternLoadsWithoutDiagnostics() throws {
    let (catalog, log) = load(Self.good)
    #expect(log.all.isEmpty)
    #expect(catalog.patterns.map(\.id) == ["test.good"])
    let pattern = try #require(catalog.pattern(id: "test.good"))
    #expect(pattern.kinds == [.event])
    #expect(pattern.file == "mine.json")
    #expect(pattern.examples == [PatternExample(text: "Node is not ready", captures: [:])])
  }

  @Test func badRegexIsRejectedNamingFileAndPattern() throws {
    let (catalog, log) = load(
      #"{"id": "test.broken", "kinds": ["event"], "regex": "^(?<probe>\\w+ probe", "examples": [{"text": "x"}]}"#,
      name: "user/broken.json")
    #expect(catalog.patterns.isEmpty)
    let diagnostic = try #require(log.all.first)
    #expect(log.all.count == 1)
    #expect(diagnostic.ref.source == "user/broken.json")
    #expect(diagnostic.ref.line == 1)
    #expect(diagnostic.level == .warning)
    #expect(diagnostic.message.hasPrefix("pattern 'test.broken' skipped: regex does not compile: missing closing"))
    #expect(diagnostic.message.hasSuffix("at offset 19"))
    #expect(diagnostic.description.hasPrefix("user/broken.json:1: warning: pattern 'test.broken'"))
  }

  @Test func failingExampleIsRejectedWithItsName() throws {
    let (catalog, log) = load(
      #"""
      {"id": "test.example-fails", "kinds": ["event"], "regex": "^Started container (?<container>\\S+)$",
       "examples": [{"text": "Started container web", "captures": {"container": "web"}},
                    {"text": "Created container: web", "captures": {"container": "web"}}]}
      """#)
    #expect(catalog.patterns.isEmpty)
    #expect(
      log.messages == ["pattern 'test.example-fails' skipped: example 2 does not match: 'Created container: web'"])
  }

  @Test func oneBadAndOneGoodPatternLoadsTheGoodOne() {
    let (catalog, log) = load(
      #"{"id": "test.bad", "kinds": ["event"], "regex": "(", "examples": [{"text": "("}]}"#, Self.good)
    #expect(catalog.patterns.map(\.id) == ["test.good"])
    #expect(log.all.count == 1)
    #expect(log.messages.first?.hasPrefix("pattern 'test.bad' skipped: regex does not compile") == true)
  }

  @Test func malformedPatternIsSkippedAndTheRestLoads() {
    let (catalog, log) = load(#"{"id": "test.no-regex", "kinds": ["event"], "examples": []}"#, Self.good)
    #expect(catalog.patterns.map(\.id) == ["test.good"])
    #expect(log.messages == ["pattern 'test.no-regex' skipped: missing key 'regex' at 'patterns[0]'"])
  }

  @Test(arguments: [
    (
      #"{"id": "test.x", "kinds": ["events"], "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: unknown kind 'events' (expected one of 'event', 'kubelet', 'container', 'node', 'reference', 'detail')"
    ),
    (
      #"{"id": "test.x", "kinds": [], "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: 'kinds' is empty"
    ),
    (
      #"{"id": "Test X", "kinds": ["event"], "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'Test X' skipped: id 'Test X' must be lower-case letters, digits, '.' and '-'"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "a"}"#,
      "pattern 'test.x' skipped: no examples"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "a", "severity": "warning", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: severity 'warning' needs a 'title' and an 'explanation'"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "a", "severity": "fatal", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: unknown severity 'fatal' (expected 'info', 'warning' or 'critical')"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "(?<a>a)", "examples": [{"text": "a", "captures": {"b": "a"}}]}"#,
      "pattern 'test.x' skipped: example 1 expects capture 'b' but the regex has no group 'b'"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "(?<a>a+)", "examples": [{"text": "aa", "captures": {"a": "a"}}]}"#,
      "pattern 'test.x' skipped: example 1 captures 'aa' for 'a', expected 'a'"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "(?<a>a)(?<b>b)?", "examples": [{"text": "a", "captures": {"b": "b"}}]}"#,
      "pattern 'test.x' skipped: example 1 captures nothing for 'b', expected 'b'"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "literals": ["zz"], "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: example 1 does not contain literal 'zz'"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "literals": [""], "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: a literal is empty"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "a", "examples": [{"text": "a"}], "counterexamples": ["ba"]}"#,
      "pattern 'test.x' skipped: counterexample 1 matches: 'ba'"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "regex": "^(a+)+$", "examples": [{"text": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"}]}"#,
      "pattern 'test.x' skipped: example 1: match limit exceeded"
    ),
    (
      #"{"id": "test.x", "kinds": "event", "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: expected Array<Any> at 'patterns[0].kinds'"
    ),
    (
      #"{"id": "test.x", "kinds": ["detail"], "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: a pattern of kind 'detail' is of that kind alone and names its 'detail' domain"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "detail": "d", "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: 'detail' is for patterns of kind 'detail' only"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "sets": {"k": "v"}, "regex": "a", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: 'sets' is for 'detail' patterns only"
    ),
    (
      #"{"id": "test.x", "kinds": ["event"], "classify": {"b": "d"}, "regex": "(?<a>a)", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: 'classify' names capture 'b' but the regex has no group 'b'"
    ),
    (
      #"{"id": "test.x", "kinds": ["detail"], "detail": "d", "classify": {"a": "d"}, "regex": "(?<a>a)", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: 'classify' of 'a' needs a domain other than the pattern's own"
    ),
    (
      #"{"id": "test.x", "kinds": ["detail"], "detail": "d", "sets": {"a": "v"}, "regex": "(?<a>a)", "examples": [{"text": "a"}]}"#,
      "pattern 'test.x' skipped: 'sets' key 'a' is also a group of the regex"
    ),
  ])
  func invalidPatternIsRejected(json: String, message: String) {
    let (catalog, log) = load(json)
    #expect(catalog.patterns.isEmpty)
    #expect(log.messages == [message])
  }

  /// A capture a pattern classifies gets the first matching detail of its domain: its groups and
  /// the facts it sets; a detail never matches text on its own, and a key the hit has stays.
  @Test func classifiedCaptureCarriesItsDetail() throws {
    let (catalog, log) = load(
      #"""
      {"id": "test.probe", "kinds": ["event"], "regex": "^probe failed: (?<output>.*)$",
       "classify": {"output": "out"}, "examples": [{"text": "probe failed: x"}]}
      """#,
      #"""
      {"id": "out.status", "kinds": ["detail"], "detail": "out", "regex": "status (?<code>\\d+)",
       "sets": {"mode": "status"}, "examples": [{"text": "status 503", "captures": {"code": "503", "mode": "status"}}]}
      """#,
      #"""
      {"id": "out.any", "kinds": ["detail"], "detail": "out", "regex": "(?<output>.+)", "sets": {"mode": "other"},
       "examples": [{"text": "anything"}]}
      """#)
    #expect(log.all.isEmpty)
    let hit = try #require(catalog.firstMatch("probe failed: HTTP status 503", kind: .event))
    #expect(hit.patternID == "test.probe")
    #expect(
      hit.captures == [KeyValue("output", "HTTP status 503"), KeyValue("code", "503"), KeyValue("mode", "status")])
    let other = try #require(catalog.firstMatch("probe failed: refused", kind: .event))
    #expect(other.captures == [KeyValue("output", "refused"), KeyValue("mode", "other")])
    #expect(catalog.firstMatch("status 503", kind: .event) == nil)
    #expect(catalog.detail("status 404", "out")?.capture("code") == "404")
    #expect(catalog.detail("status 404", "elsewhere") == nil)
  }

  /// A detail classifies its own captures too, and domains that name each other stop at the bound.
  @Test func detailsClassifyTheirCapturesToABoundedDepth() throws {
    let (catalog, log) = load(
      #"""
      {"id": "a.x", "kinds": ["detail"], "detail": "a", "regex": "^a(?<rest>.*)$", "classify": {"rest": "b"},
       "sets": {"a": "yes"}, "examples": [{"text": "ab"}]}
      """#,
      #"""
      {"id": "b.x", "kinds": ["detail"], "detail": "b", "regex": "^(?<more>.*)$", "classify": {"more": "a"},
       "sets": {"b": "yes"}, "examples": [{"text": "b"}]}
      """#)
    #expect(log.all.isEmpty)
    let hit = try #require(catalog.detail("aaaaaaaa", "a"))
    #expect(hit.capture("a") == "yes" && hit.capture("b") == "yes")
    #expect(hit.captures.count < 12)
  }

  /// Every domain a shipped pattern classifies in has detail patterns, and every detail domain is
  /// used, by a pattern or by Ingest for a container's state messages.
  @Test func shippedDetailDomainsAreClassifiedAndDefined() {
    let log = DiagnosticLog()
    let domains = PatternCatalog.shipped(diagnostics: log.sink).detailDomains
    #expect(log.all.isEmpty)
    #expect(!domains.classified.isEmpty)
    #expect(domains.classified.subtracting(domains.defined).isEmpty)
    #expect(domains.defined.subtracting(domains.classified).subtracting(PatternCatalog.stateMessageDomains).isEmpty)
    #expect(PatternCatalog.stateMessageDomains.subtracting(domains.defined).isEmpty)
  }

  @Test func unknownKeysAreReportedButThePatternLoads() {
    let (catalog, log) = load(
      #"{"id": "test.x", "kinds": ["event"], "regex": "a", "examples": [{"text": "a"}], "counterexample": ["b"]}"#)
    #expect(catalog.patterns.map(\.id) == ["test.x"])
    #expect(log.messages == ["pattern 'test.x': unknown key 'counterexample' ignored"])
  }

  @Test func severityWithTitleAndExplanationLoads() throws {
    let (catalog, log) = load(
      #"""
      {"id": "container.panic", "kinds": ["container"], "literals": ["panic: "], "regex": "^panic: (?<message>.*)$",
       "severity": "critical", "title": "go panic", "explanation": "the program panicked",
       "examples": [{"text": "panic: runtime error: index out of range [3] with length 3",
                     "captures": {"message": "runtime error: index out of range [3] with length 3"}}]}
      """#)
    #expect(log.all.isEmpty)
    let pattern = try #require(catalog.pattern(id: "container.panic"))
    #expect(pattern.severity == .critical)
    #expect(pattern.title == "go panic")
    #expect(pattern.explanation == "the program panicked")
  }

  @Test func notAPatternFileIsOneError() throws {
    let log = DiagnosticLog()
    let catalog = PatternCatalog.load(
      files: [("a.json", "{\"patterns\": [ oops"), ("b.json", "[]")], diagnostics: log.sink)
    #expect(catalog.patterns.isEmpty)
    #expect(log.all.map(\.ref.source) == ["a.json", "b.json"])
    #expect(log.all.allSatisfy { $0.level == .error && $0.message.hasPrefix("not a pattern file: ") })
  }

  @Test func duplicateIdsAcrossFilesKeepTheFirst() {
    let log = DiagnosticLog()
    let json = #"{"patterns": ["# + Self.good + "]}"
    let catalog = PatternCatalog.load(files: [("one.json", json), ("two.json", json)], diagnostics: log.sink)
    #expect(catalog.patterns.map(\.file) == ["one.json"])
    #expect(log.all.map(\.ref.source) == ["two.json"])
    #expect(log.messages == ["pattern 'test.good' skipped: id already defined in 'one.json'"])
  }

  @Test func firstMatchLooksOnlyAtTheKindAndReturnsCaptures() throws {
    let (catalog, log) = load(
      #"""
      {"id": "kubelet.probe", "kinds": ["kubelet"], "literals": ["Probe failed"],
       "regex": "^\"Probe failed\" probeType=\"(?<probe>\\w+)\"", "examples": [{"text": "\"Probe failed\" probeType=\"Liveness\""}]}
      """#,
      #"""
      {"id": "event.probe", "kinds": ["event", "kubelet"], "literals": ["probe failed"],
       "regex": "^(?<probe>\\w+) probe failed: (?<output>.*)$", "examples": [{"text": "Liveness probe failed: 503"}]}
      """#)
    #expect(log.all.isEmpty)
    let kubelet = #""Probe failed" probeType="Readiness" pod="default/web-0""#
    #expect(catalog.firstMatch(kubelet, kind: .kubelet)?.patternID == "kubelet.probe")
    #expect(catalog.firstMatch(kubelet, kind: .event) == nil)
    #expect(catalog.firstMatch(kubelet, kind: .container) == nil)
    let hit = try #require(catalog.firstMatch("Startup probe failed: dial tcp: i/o timeout", kind: .event))
    #expect(hit.patternID == "event.probe")
    #expect(hit.captures == [KeyValue("probe", "Startup"), KeyValue("output", "dial tcp: i/o timeout")])
    #expect(hit.capture("output") == "dial tcp: i/o timeout")
    #expect(catalog.firstMatch("Startup probe failed: x", kind: .kubelet)?.patternID == "event.probe")
  }

  @Test func literalPrefilterDecidesBeforeTheRegex() {
    // The regex alone would match "Readiness probe failed", but the literal requires "Liveness".
    let (catalog, _) = load(
      #"{"id": "test.live", "kinds": ["event"], "literals": ["Liveness"], "regex": "probe failed", "examples": [{"text": "Liveness probe failed"}]}"#
    )
    #expect(catalog.firstMatch("Readiness probe failed", kind: .event) == nil)
    #expect(catalog.firstMatch("Liveness probe failed", kind: .event)?.patternID == "test.live")
  }

  @Test func matchErrorsCountAsNoMatch() {
    let (catalog, log) = load(
      #"{"id": "test.slow", "kinds": ["container"], "regex": "^(a+)+$", "examples": [{"text": "aaa"}]}"#)
    #expect(log.all.isEmpty)
    let evil = String(repeating: "a", count: 40) + "b"
    #expect(catalog.firstMatch(evil, kind: .container) == nil)
    #expect(catalog.firstMatch(evil, kind: .container) == nil)
    #expect(catalog.firstMatch("aaaa", kind: .container)?.patternID == "test.slow")
    #expect(catalog.matchFailureCount == 2)
    #expect(catalog.matchFailures.map(\.id) == ["test.slow"])
    #expect(catalog.matchFailures.map(\.count) == [2])
  }

  @Test func mergingPutsTheOtherCatalogFirstAndReplacesItsIds() {
    let (base, _) = load(
      Self.good,
      #"{"id": "test.any", "kinds": ["event"], "regex": "ready", "examples": [{"text": "ready"}]}"#, name: "base.json")
    let (user, _) = load(
      #"{"id": "test.good", "kinds": ["event"], "regex": "not ready", "examples": [{"text": "not ready"}]}"#,
      name: "user.json")
    let merged = base.merging(user)
    #expect(merged.patterns.map(\.id) == ["test.good", "test.any"])
    #expect(merged.pattern(id: "test.good")?.file == "user.json")
    #expect(merged.firstMatch("Node is not ready", kind: .event)?.patternID == "test.good")
  }

  @Test func loadsADirectoryInNameOrder() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-patterns-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try (#"{"patterns": ["# + Self.good + "]}")
      .write(to: directory.appendingPathComponent("b.json"), atomically: true, encoding: .utf8)
    try #"{"patterns": [{"id": "test.a", "kinds": ["event"], "regex": "a", "examples": [{"text": "a"}]}]}"#
      .write(to: directory.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
    try "not json".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    let log = DiagnosticLog()
    let catalog = PatternCatalog.load(directory: directory, diagnostics: log.sink)
    #expect(log.all.isEmpty)
    #expect(catalog.patterns.map(\.id) == ["test.a", "test.good"])
    #expect(catalog.patterns.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["a.json", "b.json"])
  }

  @Test func missingDirectoryIsAnError() {
    let log = DiagnosticLog()
    let missing = URL(fileURLWithPath: "/nonexistent/podmortem-patterns")
    let catalog = PatternCatalog.load(directory: missing, diagnostics: log.sink)
    #expect(catalog.patterns.isEmpty)
    #expect(log.all.map(\.level) == [.error])
    #expect(log.all.first?.ref.source == "/nonexistent/podmortem-patterns")
  }

  @Test func shippedPatternsLoadWithoutDiagnostics() {
    let log = DiagnosticLog()
    let catalog = PatternCatalog.shipped(diagnostics: log.sink)
    #expect(log.all.map(\.description) == [])
    #expect(catalog.patterns.count >= 15)
    #expect(catalog.pattern(id: "event.probe-failed")?.file == "patterns/event-messages.json")
  }

  @Test func everyPatternFileInTheRepositoryLoadsWithoutDiagnostics() throws {
    let log = DiagnosticLog()
    let catalog = PatternCatalog.load(
      directory: repositoryRoot.appendingPathComponent("patterns"), diagnostics: log.sink)
    #expect(log.all.map(\.description) == [])
    #expect(!catalog.patterns.isEmpty)
  }

  @Test(arguments: [
    ("Liveness probe failed: HTTP probe failed with statuscode: 503", "event.probe-failed"),
    ("Readiness probe errored and resulted in unknown state: context canceled", "event.probe-errored"),
    ("Container web failed liveness probe, will be restarted", "event.probe-killing"),
    ("Back-off restarting failed container", "event.backoff-restarting"),
    (#"Back-off pulling image "nginx:1.27""#, "event.backoff-pulling-image"),
    ("0/3 nodes are available: 3 Insufficient cpu.", "event.failed-scheduling"),
    ("System OOM encountered, victim process: java, pid: 1234", "event.system-oom"),
    ("PreStopHook failed", "event.prestop-hook-failed"),
  ])
  func shippedCatalogRecognisesEventMessages(message: String, id: String) {
    let catalog = PatternCatalog.shipped { _ in }
    #expect(catalog.firstMatch(message, kind: .event)?.patternID == id)
  }

  @Test func shippedEventExamplesHitTheirOwnPattern() {
    // No shipped event pattern shadows another: each example is claimed by its own pattern first.
    let catalog = PatternCatalog.shipped { _ in }
    for pattern in catalog.patterns where pattern.kinds.contains(.event) {
      for example in pattern.examples {
        #expect(catalog.firstMatch(example.text, kind: .event)?.patternID == pattern.id, "\(example.text)")
      }
    }
  }

  /// ShippedPatterns.swift must hold exactly the files in patterns/; regenerate it when they differ.
  @Test func shippedPatternsAreUpToDate() throws {
    let command = "python3 tools/generate-patterns.py"
    if ProcessInfo.processInfo.environment["PODMORTEM_RECORD"] == "1" {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", repositoryRoot.appendingPathComponent("tools/generate-patterns.py").path]
      try process.run()
      process.waitUntilExit()
      Issue.record("regenerated ShippedPatterns.swift with '\(command)'; rebuild and run the tests again")
      return
    }
    let directory = repositoryRoot.appendingPathComponent("patterns")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
      .sorted()
    #expect(
      PatternCatalog.shippedFiles.map(\.name) == names,
      "ShippedPatterns.swift is stale: run '\(command)' (or PODMORTEM_RECORD=1 swift test --filter PatternCatalogTests)"
    )
    for name in names {
      let contents = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
      let shipped = PatternCatalog.shippedFiles.first { $0.name == name }?.contents
      #expect(
        shipped == contents,
        "ShippedPatterns.swift is stale for '\(name)': run '\(command)' (or PODMORTEM_RECORD=1 swift test --filter PatternCatalogTests)"
      )
    }
  }
}
