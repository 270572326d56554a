import Foundation
import Testing

/// Reports a person can act on (docs/architecture.md "Findings"): decisive lines from JSON
/// objects, remedies that cite what the input already holds.
@Suite struct ActionableReportTests {
  static let now = "2026-11-27T01:00:00Z"
  static let bundles = BinaryRunner.repoRoot.appendingPathComponent("samples/bundles")

  /// The findings of a JSON report: rule id, subject pod, remedy, evidence texts and refs.
  static func findings(_ inputs: [String]) throws -> [[String: Any]] {
    let r = try BinaryRunner.run(["-o", "json", "--now", now] + inputs)
    #expect(r.status == 1, "exit \(r.status): \(r.stderr)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    return try #require(document["findings"] as? [[String: Any]])
  }

  static func evidence(_ finding: [String: Any]) -> [(ref: String, text: String)] {
    ((finding["evidence"] as? [[String: Any]]) ?? []).map { ($0["ref"] as? String ?? "", $0["text"] as? String ?? "") }
  }

  static func finding(_ findings: [[String: Any]], rule: String, pod: String) -> [String: Any]? {
    findings.first { f in
      f["rule"] as? String == rule && ((f["subject"] as? [String: Any])?["pod"] as? String)?.hasPrefix(pod) == true
    }
  }

  /// From `kubectl cluster-info dump`, the OOM finding cites the `"reason": "OOMKilled"` and
  /// `"exitCode": 137` lines of pods.json first, not only the BackOff event.
  @Test func clusterInfoDumpOOMCitesTheFieldLinesOfPodsJSON() throws {
    let all = try Self.findings([Self.bundles.appendingPathComponent("cluster-info-dump/cluster-info-dump.tar.gz").path]
    )
    let oom = try #require(Self.finding(all, rule: "container.oom-killed", pod: "report-builder"))
    let first = Self.evidence(oom).prefix(2)
    #expect(first.map(\.text) == [#""reason": "OOMKilled","#, #""exitCode": 137,"#])
    #expect(first.allSatisfy { $0.ref.contains("cluster-state/default/pods.json:") })
  }

  /// A bundle that holds the log of the run that ended (must-gather's `previous.log`, the
  /// dump's log section of a waiting container) is cited, last error line first; without it the
  /// remedy gives the command, once.
  @Test func remedyCitesThePreviousLogTheInputHolds() throws {
    let gather = try Self.findings([Self.bundles.appendingPathComponent("must-gather").path])
    let crash = try #require(Self.finding(gather, rule: "crashloop.backoff", pod: "inventory"))
    let remedy = try #require(crash["remedy"] as? String)
    #expect(remedy.contains("inventory/inventory/logs/previous.log:5 'panic: runtime error"), "\(remedy)")
    #expect(!remedy.contains("kubectl logs"))
    // The crashed run's own last error lines are evidence too, after the termination's lines.
    let cited = Self.evidence(crash)
    let panic = try #require(cited.firstIndex { $0.ref.hasSuffix("previous.log:5") })
    #expect(cited[panic].text.contains("panic: runtime error"))
    #expect(cited.prefix(panic).contains { $0.text.contains("CrashLoopBackOff") || $0.text.contains("Error") })

    let dump = try Self.findings([
      Self.bundles.appendingPathComponent("cluster-info-dump/cluster-info-dump.tar.gz").path
    ])
    let dumped = try #require(Self.finding(dump, rule: "crashloop.backoff", pod: "inventory"))
    #expect((dumped["remedy"] as? String)?.contains("inventory-6d8f7b5c9-zt8mx/logs.txt:6 'panic:") == true)
    // The kubelet's `<n>.log` of the run that ended: 9.log while inventory waits after restart 9.
    let pods = try Self.findings([
      Self.bundles.appendingPathComponent("var-log-pods").path,
      BinaryRunner.repoRoot.appendingPathComponent("samples/crashloop-max/pod.json").path,
    ])
    let kubelet = try #require(Self.finding(pods, rule: "crashloop.backoff", pod: "inventory"))
    #expect((kubelet["remedy"] as? String)?.contains("/inventory/9.log:") == true, "\(kubelet["remedy"] ?? "")")
    // checkout is running again: the dump's log section is the current run, not the killed one.
    let live = try #require(Self.finding(dump, rule: "probe.liveness-failing", pod: "checkout"))
    let command = "kubectl logs -n default checkout-6b8f9c7d54-qv7xk -c checkout --previous"
    #expect((live["remedy"] as? String)?.components(separatedBy: command).count == 2)
  }
}
