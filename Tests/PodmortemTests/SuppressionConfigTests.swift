import Foundation
import Podmortem
import PodmortemCorrelate
import PodmortemModel
import PodmortemReport
import Testing

/// `.podmortem.yaml` (README "Suppressing findings"): parsing, every error with its line, and
/// how the config narrows a report.
@Suite("suppression config")
struct SuppressionConfigTests {
  /// The real catalogs: shipped rules and patterns.
  static let known = SuppressionConfig.KnownIDs.shipped()

  static func parse(_ text: String) throws(ConfigErrors) -> SuppressionConfig {
    try SuppressionConfig.parse(text, file: ".podmortem.yaml", known: known)
  }

  /// The error lines a bad file gives.
  static func errors(_ text: String) -> [String] {
    do {
      _ = try parse(text)
      return []
    } catch {
      return error.errors.map(\.description)
    }
  }

  static func finding(
    _ rule: String, _ severity: Severity, namespace: String? = "default", pod: String? = "web-0",
    category: FindingCategory = .probeFailure
  ) -> PodmortemModel.Finding {
    PodmortemModel.Finding(
      ruleID: rule, category: category, severity: severity, subject: Subject(namespace: namespace, pod: pod),
      title: "\(rule) on \(pod ?? "-")", explanation: "e", remedy: "")
  }

  static func report(_ findings: [PodmortemModel.Finding]) -> ReportInput {
    ReportInput(toolVersion: "0", accounts: [], diagnostics: [], state: Correlator().finish(), findings: findings)
  }

  @Test("a full file parses into its entries, with their lines")
  func parsesAFullFile() throws {
    let config = try Self.parse(
      """
      # comments are fine
      ignore:
        rules: [probe.readiness-failing, "image.*"]
        patterns:
          - kubelet.probe-failed
        namespaces: kube-system
        pods: ["monitoring/*", "*/debug-shell"]
      overrides:
        - rule: container.exit-code
          severity: INFO
          namespaces: ["staging-*"]
          pods: [prod/batch-*]
        - rule: "probe.*"
          severity: critical
      """)
    #expect(config.rules.map(\.text) == ["probe.readiness-failing", "image.*"])
    #expect(config.rules.map(\.line) == [3, 3])
    #expect(config.patterns.map(\.text) == ["kubelet.probe-failed"])
    #expect(config.patterns.first?.line == 5)
    #expect(config.namespaces.map(\.text) == ["kube-system"])
    #expect(config.pods.map(\.text) == ["monitoring/*", "*/debug-shell"])
    #expect(config.overrides.count == 2)
    #expect(config.overrides[0].severity == .info)
    #expect(config.overrides[0].namespaces.map(\.text) == ["staging-*"])
    #expect(config.overrides[0].pods.map(\.text) == ["prod/batch-*"])
    #expect(config.overrides[1].rule.text == "probe.*")
    #expect(config.overrides[1].severity == .critical)
  }

  @Test("an empty file, or one of comments and empty keys, suppresses nothing")
  func emptyFiles() throws {
    #expect(try Self.parse("") == SuppressionConfig(file: ".podmortem.yaml"))
    #expect(try Self.parse("# nothing yet\n") == SuppressionConfig(file: ".podmortem.yaml"))
    #expect(try Self.parse("ignore:\noverrides:\n") == SuppressionConfig(file: ".podmortem.yaml"))
  }

  @Test("every error names file and line, with the nearest rule or key suggested")
  func badFile() {
    let errors = Self.errors(
      """
      ignore:
        rulez: [x]
        rules: [probe.livenes-failing, "prob.*", "probe.[x"]
        patterns: [kubelet.probe-faild]
        namespaces: [Kube_System, ""]
        pods: [web-0, "a/b/c"]
      overrides:
        - rule: probe.liveness-failing
          severity: high
        - severity: info
        - rule: [probe.liveness-failing]
          severity: info
      colour: red
      """)
    #expect(
      errors == [
        ".podmortem.yaml:2: error: unknown key 'rulez' in 'ignore'. Did you mean 'rules'?",
        ".podmortem.yaml:3: error: unknown rule 'probe.livenes-failing'. Did you mean 'probe.liveness-failing'?",
        ".podmortem.yaml:3: error: rule glob 'prob.*' matches no rule",
        ".podmortem.yaml:3: error: bad rule glob: 'probe.[x' has a '[' that is never closed",
        ".podmortem.yaml:4: error: unknown pattern 'kubelet.probe-faild'. Did you mean 'kubelet.probe-failed'?",
        ".podmortem.yaml:5: error: bad namespace glob 'Kube_System': 'K' never occurs in a namespace name "
          + "(lower-case letters, digits, '-' and '.')",
        ".podmortem.yaml:5: error: bad namespace glob: an empty name",
        ".podmortem.yaml:6: error: pod 'web-0' must be namespace/name (*/web-0 for any namespace)",
        ".podmortem.yaml:6: error: pod 'a/b/c' must be namespace/name (*/c for any namespace)",
        ".podmortem.yaml:9: error: bad severity 'high': use info, warning or critical",
        ".podmortem.yaml:10: error: an override needs 'rule'",
        ".podmortem.yaml:11: error: 'rule' must be a single value",
        ".podmortem.yaml:13: error: unknown key 'colour' in the file (known: 'ignore', 'overrides')",
      ])
  }

  @Test("YAML that does not parse, or is not a mapping, is an error at its line")
  func notYAML() {
    #expect(
      Self.errors("ignore:\n  rules: [a\n") == [
        ".podmortem.yaml:3: error: not YAML: while parsing a flow sequence at line 2: did not find expected ',' or ']'"
      ])
    #expect(
      Self.errors("- probe.*\n") == [".podmortem.yaml:1: error: expected a mapping with the keys 'ignore', 'overrides'"]
    )
    #expect(
      Self.errors("ignore: [probe.*]\n")
        == [
          ".podmortem.yaml:1: error: 'ignore' must be a mapping with the keys 'rules', 'patterns', 'namespaces', 'pods'"
        ])
    #expect(
      Self.errors("overrides:\n  rule: probe.*\n")
        == [".podmortem.yaml:2: error: 'overrides' must be a list of entries with 'rule' and 'severity'"])
  }

  @Test("an alias bomb is refused without being expanded")
  func aliasBomb() {
    var text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in 1..<12 { text += "l\(i): &l\(i) [*\(i == 1 ? "a" : "l\(i - 1)"), *\(i == 1 ? "a" : "l\(i - 1)")]\n" }
    text += "ignore:\n  rules: *l11\n"
    let errors = Self.errors(text)
    #expect(errors.count <= 50)
    #expect(errors.first == ".podmortem.yaml:1: error: unknown key 'a' in the file (known: 'ignore', 'overrides')")
    #expect(errors.contains { $0.contains("each entry of 'rules' must be a string") })
  }

  @Test("ignored rules, patterns, namespaces and pods leave the report and are counted per entry")
  func apply() throws {
    let config = try Self.parse(
      """
      ignore:
        rules: ["probe.readiness-*"]
        namespaces: [kube-system]
        pods: ["*/debug-*"]
      overrides:
        - rule: container.exit-code
          severity: info
          namespaces: ["staging-*"]
        - rule: container.exit-code
          severity: critical
      """)
    let out = config.apply(
      to: Self.report([
        Self.finding("probe.readiness-failing", .warning),
        Self.finding("probe.readiness-failing", .warning, pod: "web-1"),
        Self.finding("crashloop.backoff", .critical, namespace: "kube-system", pod: "coredns-1"),
        Self.finding("crashloop.backoff", .critical, namespace: nil, pod: "debug-shell"),
        Self.finding("container.exit-code", .warning, namespace: "staging-eu", pod: "api-0"),
        Self.finding("container.exit-code", .warning, namespace: "prod", pod: "api-0"),
        Self.finding("probe.liveness-failing", .critical),
      ]))
    #expect(out.findings.map(\.ruleID) == ["probe.liveness-failing", "container.exit-code", "container.exit-code"])
    #expect(out.findings.map(\.subject.namespace) == ["default", "prod", "staging-eu"])
    #expect(out.findings.map(\.severity) == [.critical, .critical, .info])
    #expect(out.findings.map(\.severityOverriddenFrom) == [nil, .warning, .warning])
    let suppressed = try #require(out.suppressed)
    #expect(suppressed.count == 4)
    #expect(suppressed.overridden == 2)
    #expect(
      suppressed.line
        == "4 findings suppressed by .podmortem.yaml (rule probe.readiness-*: 2, namespace kube-system: 1, pod */debug-*: 1)"
    )
  }

  @Test("pattern ids suppress only the findings patterns raise; rule globs only rules'")
  func patternsAndRules() throws {
    let config = try Self.parse("ignore:\n  patterns: [\"kubelet.probe-*\"]\n")
    let pattern = Self.finding("kubelet.probe-failed", .warning, category: .pattern)
    let rule = Self.finding("probe.liveness-failing", .critical)
    let out = config.apply(to: Self.report([pattern, rule]))
    #expect(out.findings.map(\.ruleID) == ["probe.liveness-failing"])
    #expect(out.suppressed?.entries.map(\.reason) == ["pattern kubelet.probe-*"])
  }

  @Test("nothing suppressed: the report says so with no line, and counts zero")
  func nothingSuppressed() throws {
    let config = try Self.parse("ignore:\n  rules: [pod.evicted]\n")
    let out = config.apply(to: Self.report([Self.finding("probe.liveness-failing", .critical)]))
    #expect(out.findings.count == 1)
    #expect(out.suppressed?.count == 0)
    #expect(out.suppressed?.line == nil)
  }

  @Test("loading: the working directory's file, --config, --config none and --no-config")
  func loading() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try SuppressionConfig.load(explicit: nil, disabled: false, directory: dir.path, known: Self.known) == nil)
    try "ignore:\n  rules: [pod.evicted]\n".write(
      to: dir.appendingPathComponent(".podmortem.yaml"), atomically: true, encoding: .utf8)
    let found = try SuppressionConfig.load(explicit: nil, disabled: false, directory: dir.path, known: Self.known)
    #expect(found?.file == ".podmortem.yaml")
    #expect(found?.rules.map(\.text) == ["pod.evicted"])
    #expect(try SuppressionConfig.load(explicit: nil, disabled: true, directory: dir.path, known: Self.known) == nil)
    #expect(
      try SuppressionConfig.load(explicit: "none", disabled: false, directory: dir.path, known: Self.known) == nil)
    let missing = dir.appendingPathComponent("missing.yaml").path
    #expect(throws: ConfigErrors([ConfigError(file: missing, line: 0, "no such file")])) {
      try SuppressionConfig.load(explicit: missing, disabled: false, directory: dir.path, known: Self.known)
    }
    #expect(throws: ConfigErrors([ConfigError(file: dir.path, line: 0, "is a directory, not a config file")])) {
      try SuppressionConfig.load(explicit: dir.path, disabled: false, directory: dir.path, known: Self.known)
    }
  }

  @Test("globs: a '[' never closed and a trailing backslash are refused; bracket expressions work")
  func globs() {
    #expect(SuppressionConfig.globProblem("web-[0-9]") == nil)
    #expect(SuppressionConfig.globProblem("web-[]]") == nil)
    #expect(SuppressionConfig.globProblem("web-[") == "'web-[' has a '[' that is never closed")
    #expect(SuppressionConfig.globProblem("web\\") == "'web\\' ends in '\\'")
    #expect(SuppressionConfig.Glob("web-[0-9]", line: 1).matches("web-7"))
    #expect(!SuppressionConfig.Glob("web-[0-9]", line: 1).matches("web-a"))
  }
}
