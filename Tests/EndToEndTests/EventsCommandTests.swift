import Foundation
import Testing

/// `podmortem events` on the time-series samples (samples/snapshots/): each file copied with its
/// manifest capture time as its modification time, the anchor podmortem uses without `--now`.
@Suite("podmortem events")
struct EventsCommandTests {
  static let files = [
    "describe-t-20m.txt", "describe-t-10m.txt", "describe-t-0.txt", "events-t-0.json", "kubelet-restart-events.json",
    "kubelet-restart-describe.txt",
  ]
  static let inventory = "inventory-6d8f7b5c9-zt8mx"
  static let reportAPI = "report-api-7c5d9b8f6-m2q7t"

  /// Copies the snapshot samples into a temporary directory, each dated to its capture time.
  static func samples() throws -> URL {
    let dir = try BinaryRunner.temporaryDirectory()
    let source = BinaryRunner.repoRoot.appendingPathComponent("samples/snapshots")
    let manifest = try JSONSerialization.jsonObject(
      with: Data(contentsOf: BinaryRunner.repoRoot.appendingPathComponent("samples/manifest.json")))
    let cases = (manifest as? [String: Any])?["cases"] as? [String: Any]
    let entries = (cases?["snapshots"] as? [String: Any])?["files"] as? [String: [String: Any]] ?? [:]
    for file in files {
      let target = dir.appendingPathComponent(file)
      try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target)
      let text = try #require(entries[file]?["captureTime"] as? String, "\(file)")
      let capture = try #require(ISO8601DateFormatter().date(from: text), "\(file)")
      try FileManager.default.setAttributes([.modificationDate: capture], ofItemAtPath: target.path)
    }
    return dir
  }

  /// Runs `podmortem events` on the dated samples.
  static func events(_ arguments: [String], files: [String] = files) throws -> BinaryRunner.Result {
    let dir = try samples()
    defer { try? FileManager.default.removeItem(at: dir) }
    return try BinaryRunner.run(["events"] + arguments + files, cwd: dir)
  }

  /// The table's rows as cells (split on runs of 3+ spaces, the renderer's padding).
  static func rows(_ table: String) -> [[String]] {
    table.split(separator: "\n").map { line in
      line.split(separator: "   ", omittingEmptySubsequences: true).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
    }
  }

  @Test("one row per identity, counts of the latest snapshot, absolute times, sorted by last seen")
  func table() throws {
    let r = try Self.events([])
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty)
    let rows = Self.rows(r.stdout)
    #expect(rows.first == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "FIRST SEEN", "MESSAGE"])
    let body = Array(rows.dropFirst())
    #expect(body.count == 8)
    let identities = body.map { [$0[1], $0[2], $0[3], $0[6]] }
    #expect(Set(identities.map { $0.joined(separator: "|") }).count == body.count)
    func row(_ reason: String, _ messagePrefix: String = "") -> [String]? {
      body.first { $0[2] == reason && $0[6].hasPrefix(messagePrefix) }
    }
    #expect(
      row("BackOff") == [
        "2026-11-27T00:59:54Z", "Warning", "BackOff", "Pod/\(Self.inventory)", "101", "2026-11-27T00:36:49Z",
        "Back-off restarting failed container inventory in pod \(Self.inventory)_default"
          + "(30e1938b-b5b9-5090-bbe2-d2012366fb27)",
      ])
    #expect(row("Created")?[4] == "10")
    #expect(row("Pulled", "Container image")?[4] == "9")
    #expect(row("Scheduled")?[0] == "2026-11-27T00:36:30Z")
    #expect(
      row("Unhealthy")?[0...5] == [
        "2026-11-27T00:59:00Z", "Warning", "Unhealthy", "Pod/\(Self.reportAPI)", "47", "2026-11-27T00:10:00Z",
      ])
    let lastSeen = body.map(\.[0])
    #expect(lastSeen == lastSeen.sorted())
    #expect(lastSeen.allSatisfy { $0.hasPrefix("2026-11-27T") && !$0.contains("…") })
  }

  @Test("the describe snapshots alone give the same counts as with the JSON")
  func describesAlone() throws {
    let r = try Self.events([], files: ["describe-t-20m.txt", "describe-t-10m.txt", "describe-t-0.txt"])
    #expect(r.status == 0)
    let counts = Self.rows(r.stdout).dropFirst().map { "\($0[2]) \($0[4])" }.sorted()
    #expect(counts == ["BackOff 101", "Created 10", "Pulled 1", "Pulled 9", "Pulling 1", "Scheduled 1", "Started 10"])
  }

  @Test("--for pod/<name> keeps that pod's events")
  func forPod() throws {
    let r = try Self.events(["--for", "pod/\(Self.reportAPI)"])
    #expect(r.status == 0)
    let body = Self.rows(r.stdout).dropFirst()
    #expect(body.count == 1)
    #expect(body.first?[3] == "Pod/\(Self.reportAPI)")
    let other = try Self.events(["--for", "Pod/\(Self.inventory)"])
    #expect(Self.rows(other.stdout).dropFirst().count == 7)
  }

  @Test("--types Warning, -n and --since filter like kubectl events")
  func filters() throws {
    let warnings = Self.rows(try Self.events(["--types", "Warning"]).stdout).dropFirst()
    #expect(warnings.map(\.[2]) == ["Unhealthy", "BackOff"])
    let reports = Self.rows(try Self.events(["-n", "reports"]).stdout).dropFirst()
    #expect(reports.map(\.[2]) == ["Unhealthy"])
    let both = Self.rows(try Self.events(["--types", "Warning", "-n", "default"]).stdout).dropFirst()
    #expect(both.map(\.[2]) == ["BackOff"])
    let recent = Self.rows(try Self.events(["--since", "2026-11-27T00:59:00Z"]).stdout).dropFirst()
    #expect(recent.map(\.[2]) == ["Unhealthy", "BackOff"])
  }

  @Test("--format json is the report document without findings and pods, with the table's rows")
  func json() throws {
    let table = Self.rows(try Self.events([]).stdout).dropFirst()
    let r = try Self.events(["--format", "json"])
    #expect(r.status == 0)
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    // docs/findings-schema.md "The events document": the analyze document's keys, less three.
    #expect(Set(doc.keys) == ["schemaVersion", "tool", "now", "events", "sources", "diagnostics", "caveats"])
    let rows = try #require(doc["events"] as? [[String: Any]])
    #expect(rows.count == table.count)
    for (j, t) in zip(rows, table) {
      #expect(j["type"] as? String == t[1])
      #expect(j["reason"] as? String == t[2])
      let name = t[3].split(separator: "/").last.map(String.init) ?? t[3]
      #expect((j["object"] as? String)?.hasSuffix("/" + name) == true || j["object"] as? String == name)
      #expect((j["count"] as? Int).map(String.init) == t[4])
      let last = try #require(j["lastSeen"] as? [String: Any])
      #expect(last["earliest"] is String && last["latest"] is String)
    }
    let restart = rows.first { $0["reason"] as? String == "Unhealthy" }
    #expect(restart?["objects"] as? Int == 2)
    #expect(restart?["namespace"] as? String == "reports")
  }

  @Test("nothing matches: no table, a note on stderr, exit 0")
  func nothingMatches() throws {
    let r = try Self.events(["--for", "deployment/nothing"])
    #expect(r.status == 0)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains("no events found"))
  }

  @Test("nothing could be read: exit 2", arguments: [["no-such-file.txt"], ["empty.txt"]])
  func unreadable(files: [String]) throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data().write(to: dir.appendingPathComponent("empty.txt"))
    let r = try BinaryRunner.run(["events"] + files, cwd: dir)
    #expect(r.status == 2)
    #expect(!r.stderr.isEmpty)
    #expect(!r.stdout.contains("LAST SEEN"))
  }

  @Test("a bad --since or --format is a usage error: exit 64")
  func usage() throws {
    #expect(try BinaryRunner.run(["events", "--since", "yesterday", "x"]).status == 64)
    #expect(try BinaryRunner.run(["events", "--format", "yaml", "x"]).status == 64)
  }
}
