import Foundation
import Testing

/// `--patterns DIR`: a pattern with a severity raises a finding with no Swift code (README "Adding a
/// pattern"), and a broken pattern file is a diagnostic naming it, never a crash.
@Suite("user patterns through the binary")
struct UserPatternTests {
  /// The README's example, verbatim.
  static let readmePattern = #"""
    { "patterns": [ {
        "id": "my.payment-timeout",
        "kinds": ["container"],
        "literals": ["payment gateway"],
        "regex": "payment gateway timed out after (?<seconds>\\d+)s",
        "severity": "warning",
        "title": "Payment gateway timeouts",
        "explanation": "The app reports gateway timeouts; probes fail after them.",
        "examples": [ { "text": "ERROR payment gateway timed out after 30s",
                        "captures": { "seconds": "30" } } ],
        "counterexamples": [ "payment gateway ok" ]
    } ] }
    """#

  static let eventPattern = #"""
    { "patterns": [ {
        "id": "my.checkout-probe-timeout",
        "kinds": ["event"],
        "literals": ["/healthz"],
        "regex": "^Liveness probe failed: Get \"http://[^\"]+/healthz\": context deadline exceeded",
        "severity": "critical",
        "title": "checkout health endpoint too slow",
        "explanation": "Our health endpoint must answer within the probe timeout.",
        "examples": [ { "text": "Liveness probe failed: Get \"http://10.0.0.1:8080/healthz\": context deadline exceeded" } ]
    } ] }
    """#

  private func findings(_ stdout: String) throws -> [[String: Any]] {
    let doc = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
    return doc?["findings"] as? [[String: Any]] ?? []
  }

  @Test("the README's pattern raises its finding from a container log in a must-gather")
  func readmeExample() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let patterns = dir.appendingPathComponent("patterns")
    let logs = dir.appendingPathComponent("must-gather/namespaces/shop/pods/pay-0/app/app/logs")
    try FileManager.default.createDirectory(at: patterns, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    try Self.readmePattern.write(to: patterns.appendingPathComponent("mine.json"), atomically: true, encoding: .utf8)
    try
      "starting\nERROR payment gateway timed out after 30s\npayment gateway ok\nERROR payment gateway timed out after 45s\n"
      .write(to: logs.appendingPathComponent("current.log"), atomically: true, encoding: .utf8)

    let r = try BinaryRunner.run(["--format", "json", "--patterns", "patterns", "must-gather"], cwd: dir)
    #expect(r.status == 1, "a warning finding with the default --fail-on warning: \(r.stderr)")
    let mine = try findings(r.stdout).filter { $0["rule"] as? String == "my.payment-timeout" }
    #expect(mine.count == 1)
    let f = try #require(mine.first)
    #expect(f["category"] as? String == "pattern")
    #expect(f["severity"] as? String == "warning")
    #expect((f["subject"] as? [String: Any])?["pod"] as? String == "pay-0")
    #expect((f["subject"] as? [String: Any])?["container"] as? String == "app")
    #expect((f["facts"] as? [String: String])?["matches"] == "2")
    #expect((f["facts"] as? [String: String])?["seconds"] == "45")
    #expect(((f["evidence"] as? [[String: Any]]) ?? []).compactMap { $0["line"] as? Int } == [2, 4])

    // Without the folder, the same input raises nothing.
    let plain = try BinaryRunner.run(["--format", "json", "must-gather"], cwd: dir)
    #expect(try findings(plain.stdout).isEmpty)
  }

  @Test("an event pattern with a severity matches the events of a describe")
  func eventPattern() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.eventPattern.write(to: dir.appendingPathComponent("events.json"), atomically: true, encoding: .utf8)
    let sample = BinaryRunner.repoRoot.appendingPathComponent("samples/liveness-http-timeout/describe.txt").path
    let r = try BinaryRunner.run(["--format", "json", "--now", "2026-11-27T01:00:00Z", "--patterns", dir.path, sample])
    let mine = try findings(r.stdout).filter { $0["rule"] as? String == "my.checkout-probe-timeout" }
    #expect(mine.first?["severity"] as? String == "critical")
    #expect((mine.first?["facts"] as? [String: String])?["matches"] == "12")
  }

  @Test("a broken pattern file is a diagnostic naming the file and pattern; the run goes on")
  func brokenPattern() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try
      #"{ "patterns": [ { "id": "my.bad", "kinds": ["event"], "regex": "(unclosed", "examples": [{"text": "x"}] } ] }"#
      .write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
    let sample = BinaryRunner.repoRoot.appendingPathComponent("samples/healthy/describe.txt").path
    let r = try BinaryRunner.run(["--now", "2026-11-27T01:00:00Z", "--patterns", dir.path, sample])
    #expect(r.status == 0)
    #expect(r.stderr.contains("bad.json"))
    #expect(r.stderr.contains("my.bad"))
  }
}
