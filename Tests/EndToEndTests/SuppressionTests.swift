import Foundation
import Testing

/// `.podmortem.yaml`, `--config`, `--no-config` on the shipped samples (README "Suppressing findings").
@Suite("suppression file, end to end")
struct SuppressionTests {
  static let now = "2026-11-27T01:00:00Z"

  static func sample(_ path: String) -> String { BinaryRunner.repoRoot.appendingPathComponent("samples/\(path)").path }

  /// Runs podmortem in a fresh directory holding `.podmortem.yaml` (when `config` is given).
  static func run(_ arguments: [String], config: String?) throws -> BinaryRunner.Result {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    if let config {
      try config.write(to: dir.appendingPathComponent(".podmortem.yaml"), atomically: true, encoding: .utf8)
    }
    return try BinaryRunner.run(["--now", now] + arguments, cwd: dir)
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test("the working directory's .podmortem.yaml hides an ignored rule, says so, and the exit code follows")
  func ignoredRule() throws {
    let input = Self.sample("readiness-503/describe.txt")
    let plain = try Self.run([input], config: nil)
    #expect(plain.status == 1)
    #expect(!plain.stdout.contains("suppressed"))
    let r = try Self.run([input], config: "ignore:\n  rules: [probe.readiness-failing]\n")
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count > 1 && lines[1] == "1 finding suppressed by .podmortem.yaml (rule probe.readiness-failing: 1)")
    #expect(!r.stdout.contains("WARNING"))
    // --no-config and --config none ignore the file.
    for flag in [["--no-config"], ["--config", "none"]] {
      let ignored = try Self.run(flag + [input], config: "ignore:\n  rules: [probe.readiness-failing]\n")
      #expect(ignored.status == 1)
      #expect(ignored.stdout.contains("WARNING"))
    }
  }

  @Test("a severity override changes the exit code and JSON says what the rule had decided")
  func override() throws {
    let input = Self.sample("oomkilled/describe.txt")
    let config = """
      overrides:
        - rule: container.oom-killed
          severity: info
          pods: ["default/report-builder-*"]
      """
    let r = try Self.run(["--fail-on", "warning", input], config: config)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("INFO  default/report-builder-7f9d6c8b5-c7v2n (report-builder)"))
    let doc = try Self.json(try Self.run(["-o", "json", input], config: config).stdout)
    let findings = try #require(doc["findings"] as? [[String: Any]])
    #expect(findings.first?["severity"] as? String == "info")
    #expect(findings.first?["severityOverriddenFrom"] as? String == "critical")
    let suppressed = try #require(doc["suppressed"] as? [String: Any])
    #expect(suppressed["count"] as? Int == 0)
    #expect(suppressed["overridden"] as? Int == 1)
    #expect(suppressed["file"] as? String == ".podmortem.yaml")
    // Out of scope (another namespace): unchanged.
    let other = try Self.run(
      [input], config: "overrides:\n  - rule: container.oom-killed\n    severity: info\n    namespaces: [prod]\n")
    #expect(other.status == 1)
    #expect(other.stdout.contains("CRITICAL"))
  }

  @Test("JSON, Markdown and HTML count the suppressed findings; without a config JSON has no 'suppressed'")
  func otherFormats() throws {
    let inputs = [Self.sample("oomkilled/describe.txt"), Self.sample("readiness-503/describe.txt")]
    let config = "ignore:\n  pods: [\"*/orders-api-*\"]\n  rules: [\"container.*\"]\n"
    let doc = try Self.json(try Self.run(["-o", "json"] + inputs, config: config).stdout)
    let suppressed = try #require(doc["suppressed"] as? [String: Any])
    #expect(suppressed["count"] as? Int == 2)
    #expect(suppressed["byEntry"] as? [String: Int] == ["rule container.*": 1, "pod */orders-api-*": 1])
    let entries = try #require(suppressed["findings"] as? [[String: Any]])
    #expect(entries.compactMap { $0["rule"] as? String } == ["container.oom-killed", "probe.readiness-failing"])
    #expect((doc["findings"] as? [Any])?.isEmpty == true)
    let line = "2 findings suppressed by .podmortem.yaml (rule container.\\*: 1, pod \\*/orders-api-\\*: 1)."
    let markdown = try Self.run(["-o", "markdown"] + inputs, config: config)
    #expect(markdown.stdout.contains(line), "\(markdown.stdout.prefix(600))")
    let html = try Self.run(["-o", "html"] + inputs, config: config)
    #expect(
      html.stdout.contains(
        "<p class=\"meta\">2 findings suppressed by .podmortem.yaml (rule container.*: 1, pod */orders-api-*: 1)</p>"))
    let none = try Self.json(try Self.run(["-o", "json"] + inputs, config: nil).stdout)
    #expect(none["suppressed"] == nil)
  }

  @Test("SARIF keeps a suppressed finding as a result with an external suppression; valid against the schema")
  func sarif() throws {
    let config = "ignore:\n  rules: [container.oom-killed]\n"
    let r = try Self.run(["-o", "sarif", Self.sample("oomkilled/describe.txt")], config: config)
    #expect(r.status == 0)
    let (status, log) = try CIOutputTests.validateSARIF(r.stdout)
    #expect(status == 0, "\(log)")
    let doc = try Self.json(r.stdout)
    let run = try #require((doc["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == 1)
    let suppressions = try #require(results.first?["suppressions"] as? [[String: Any]])
    #expect(suppressions.first?["kind"] as? String == "external")
    #expect(
      suppressions.first?["justification"] as? String
        == "suppressed by .podmortem.yaml (rule container.oom-killed)")
  }

  @Test("JUnit carries the config and the count as properties; valid against the schema")
  func junit() throws {
    let config = "ignore:\n  rules: [container.oom-killed]\n"
    let r = try Self.run(["-o", "junit", Self.sample("oomkilled/describe.txt")], config: config)
    #expect(r.status == 0)
    let (status, log) = try CIOutputTests.validateJUnit(r.stdout)
    #expect(status == 0, "\(log)")
    #expect(r.stdout.contains("<property name=\"podmortem.config\" value=\".podmortem.yaml\"/>"))
    #expect(r.stdout.contains("<property name=\"podmortem.suppressed\" value=\"1\"/>"))
    #expect(!r.stdout.contains("<failure"))
  }

  @Test("a bad file is a usage error (64) naming file and line for every problem, before any input is read")
  func badFile() throws {
    let r = try Self.run(
      [Self.sample("oomkilled/describe.txt")],
      config: "ignore:\n  rules: [container.oom-kiled]\noverrides:\n  - rule: probe.*\n    severity: urgent\n")
    #expect(r.status == 64)
    #expect(r.stdout.isEmpty)
    #expect(
      r.stderr == """
        podmortem: .podmortem.yaml:2: error: unknown rule 'container.oom-kiled'. Did you mean 'container.oom-killed'?
        podmortem: .podmortem.yaml:5: error: bad severity 'urgent': use info, warning or critical

        """)
    let missing = try Self.run(
      ["--config", "/nonexistent/podmortem.yaml", Self.sample("oomkilled/describe.txt")], config: nil)
    #expect(missing.status == 64)
    #expect(missing.stderr == "podmortem: /nonexistent/podmortem.yaml: error: no such file\n")
  }

  @Test("--config PATH reads that file; a pattern id from --patterns is known")
  func explicitPath() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let config = dir.appendingPathComponent("ci.yaml")
    try "ignore:\n  namespaces: [default]\n".write(to: config, atomically: true, encoding: .utf8)
    let r = try BinaryRunner.run(["--now", Self.now, "--config", config.path, Self.sample("oomkilled/describe.txt")])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("1 finding suppressed by \(config.path) (namespace default: 1)"))
    // The README's pattern from --patterns: its id is known to the config, and its finding goes.
    let patterns = dir.appendingPathComponent("patterns")
    let logs = dir.appendingPathComponent("must-gather/namespaces/shop/pods/pay-0/app/app/logs")
    try FileManager.default.createDirectory(at: patterns, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    try UserPatternTests.readmePattern.write(
      to: patterns.appendingPathComponent("mine.json"), atomically: true, encoding: .utf8)
    try "ERROR payment gateway timed out after 30s\n".write(
      to: logs.appendingPathComponent("current.log"), atomically: true, encoding: .utf8)
    try "ignore:\n  patterns: [my.payment-timeout]\n".write(to: config, atomically: true, encoding: .utf8)
    let mine = try BinaryRunner.run(
      ["--config", "ci.yaml", "--patterns", "patterns", "must-gather"], cwd: dir)
    #expect(mine.status == 0, "\(mine.stderr)")
    #expect(mine.stdout.contains("1 finding suppressed by ci.yaml (pattern my.payment-timeout: 1)"))
    // Without --patterns the id is unknown.
    let unknown = try BinaryRunner.run(["--config", "ci.yaml", "must-gather"], cwd: dir)
    #expect(unknown.status == 64)
    #expect(unknown.stderr == "podmortem: ci.yaml:2: error: unknown pattern 'my.payment-timeout'\n")
  }
}
