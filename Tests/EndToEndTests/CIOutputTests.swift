import Foundation
import Testing

/// `-o junit` and `-o sarif` (README "In CI"), each validated against its schema in Tests/Schemas/
/// with the validators `make test` installs (xmllint, Python jsonschema).
@Suite("CI outputs")
struct CIOutputTests {
  static let now = "2026-11-27T01:00:00Z"
  static let schemas = BinaryRunner.repoRoot.appendingPathComponent("Tests/Schemas")

  /// Writes `text` to a temporary file and runs `command` on it; returns status and output.
  static func validate(_ text: String, name: String, _ command: (String) -> String) throws -> (Int32, String) {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    let log = dir.appendingPathComponent("validator.log")
    let status = try BinaryRunner.shell("\(command(file.path)) > '\(log.path)' 2>&1", cwd: dir)
    return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
  }

  static func validateJUnit(_ xml: String) throws -> (Int32, String) {
    try validate(xml, name: "report.xml") { "xmllint --noout --schema '\(schemas.path)/junit.xsd' '\($0)'" }
  }

  static func validateSARIF(_ json: String) throws -> (Int32, String) {
    let script = """
      import json, sys, jsonschema
      schema = json.load(open(sys.argv[1]))
      v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
      errors = list(v.iter_errors(json.load(open(sys.argv[2]))))
      for e in errors[:5]: print(e.message, list(e.absolute_path))
      sys.exit(1 if errors else 0)
      """
    return try validate(json, name: "report.sarif") {
      "python3 -c \"\(script.replacingOccurrences(of: "\"", with: "\\\""))\" '\(schemas.path)/sarif-schema-2.1.0.json' '\($0)'"
    }
  }

  static func json(_ arguments: [String]) throws -> [String: Any] {
    let r = try BinaryRunner.run(["-o", "json", "--now", now] + arguments)
    return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  @Test("the validators are installed (make test-deps) and reject a broken document")
  func validatorsWork() throws {
    let (xmlStatus, _) = try Self.validateJUnit("<testsuites><testcase/></testsuites>")
    #expect(xmlStatus != 0)
    let (sarifStatus, _) = try Self.validateSARIF("{\"version\": \"2.0.0\", \"runs\": []}")
    #expect(sarifStatus != 0)
  }

  @Test("JUnit: valid against the schema; one testcase per pod, a failure per finding at or above --fail-on")
  func junit() throws {
    let r = try BinaryRunner.run(["-o", "junit", "--now", Self.now, "samples/_all"])
    #expect(r.status == 1)
    let (status, log) = try Self.validateJUnit(r.stdout)
    #expect(status == 0, "\(log)")
    let doc = try Self.json(["samples/_all"])
    let pods = try #require(doc["pods"] as? [[String: Any]])
    let findings = try #require(doc["findings"] as? [[String: Any]])
    #expect(r.stdout.components(separatedBy: "<testcase ").count - 1 == pods.count)
    #expect(r.stdout.components(separatedBy: "<failure ").count - 1 == findings.count)
    #expect(r.stdout.contains("<testcase classname=\"pod.default\" name=\"checkout-6b8f9c7d54-qv7xk\""))
    let failing = Set(findings.compactMap { ($0["subject"] as? [String: Any])?["pod"] as? String })
    #expect(r.stdout.contains("tests=\"\(pods.count)\" failures=\"\(failing.count)\""))

    let critical = try BinaryRunner.run(["-o", "junit", "--fail-on", "critical", "--now", Self.now, "samples/_all"])
    let criticalCount = findings.count { $0["severity"] as? String == "critical" }
    #expect(critical.stdout.components(separatedBy: "<failure ").count - 1 == criticalCount)
    #expect(criticalCount < findings.count)
    #expect(critical.stdout.contains("<system-out>WARNING "))
    #expect(try Self.validateJUnit(critical.stdout).0 == 0)
  }

  @Test("JUnit: hostile text (markup, control characters) stays well-formed")
  func junitHostile() throws {
    let describe = """
      Name:             web-<0>&"x"
      Namespace:        default
      Status:           Running
      Events:
        Type     Reason     Age   From     Message
        ----     ------     ----  ----     -------
        Warning  Unhealthy  10s   kubelet  Liveness probe failed: <script>\u{1B}[31m & \u{01}]]>

      """
    let r = try BinaryRunner.run(["-o", "junit", "--fail-on", "info", "--now", Self.now], stdin: describe)
    let (status, log) = try Self.validateJUnit(r.stdout)
    #expect(status == 0, "\(log)")
    #expect(!r.stdout.contains("\u{1B}"))
  }

  @Test("SARIF: valid 2.1.0; rules from the catalog; a result per finding located at its evidence lines")
  func sarif() throws {
    let r = try BinaryRunner.run(["-o", "sarif", "--now", Self.now, "samples/_all"])
    #expect(r.status == 1)
    let (status, log) = try Self.validateSARIF(r.stdout)
    #expect(status == 0, "\(log)")
    let sarif = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(sarif["version"] as? String == "2.1.0")
    let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let rules = try #require(driver["rules"] as? [[String: Any]])
    let ruleIDs = rules.compactMap { $0["id"] as? String }
    #expect(ruleIDs.contains("probe.liveness-failing"))
    #expect(Set(ruleIDs).count == ruleIDs.count)
    #expect(rules.allSatisfy { (($0["fullDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false })

    let results = try #require(run["results"] as? [[String: Any]])
    let findings = try #require(try Self.json(["samples/_all"])["findings"] as? [[String: Any]])
    #expect(results.count == findings.count)
    for (result, finding) in zip(results, findings) {
      #expect(result["ruleId"] as? String == finding["rule"] as? String)
      let index = try #require(result["ruleIndex"] as? Int)
      #expect(ruleIDs[index] == finding["rule"] as? String)
      let level = ["critical": "error", "warning": "warning", "info": "note"][finding["severity"] as? String ?? ""]
      #expect(result["level"] as? String == level)
      let evidence = try #require(finding["evidence"] as? [[String: Any]])
      let locations = try #require(result["locations"] as? [[String: Any]])
      let located = locations.map { loc -> String in
        let physical = loc["physicalLocation"] as? [String: Any]
        let uri = (physical?["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
        let line = (physical?["region"] as? [String: Any])?["startLine"] as? Int ?? 0
        return "\(uri):\(line)"
      }
      #expect(located == evidence.map { "\($0["source"] as? String ?? ""):\($0["line"] as? Int ?? 0)" })
    }
  }

  @Test("SARIF of standard input and of nothing recognised is still valid")
  func sarifEdges() throws {
    let stdin = try BinaryRunner.run(
      ["-o", "sarif", "--now", Self.now],
      stdin: String(
        contentsOf: BinaryRunner.repoRoot.appendingPathComponent("samples/oomkilled/describe.txt"), encoding: .utf8))
    #expect(try Self.validateSARIF(stdin.stdout).0 == 0)
    #expect(stdin.stdout.contains("\"uri\" : \"%3Cstdin%3E\""))
    let nothing = try BinaryRunner.run(["-o", "sarif"], stdin: ExitCodeTests.top)
    #expect(nothing.status == 2)
    #expect(try Self.validateSARIF(nothing.stdout).0 == 0)
  }
}
