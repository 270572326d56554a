import Foundation
import Testing

/// kubectl's vocabulary on every command (README "Selecting"): `-o/--output`, `-n`, `-A`,
/// `--for` with globs, `--since` durations, `--types`, the plugin name and subcommand suggestions.
@Suite("kubectl flags")
struct KubectlFlagsTests {
  static let now = "2026-11-27T01:00:00Z"
  static let events = "samples/_all/get-events-A.txt"
  static let all = "samples/_all"

  static func eventsJSON(_ arguments: [String]) throws -> [[String: Any]] {
    let r = try BinaryRunner.run(["events", "-o", "json", "--now", now] + arguments + [events])
    #expect(r.status == 0, "\(arguments): \(r.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    return try #require(doc["events"] as? [[String: Any]])
  }

  static func findings(_ arguments: [String], input: String = all) throws -> (Int32, [[String: Any]]) {
    let r = try BinaryRunner.run(["-o", "json", "--now", now] + arguments + [input])
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    return (r.status, try #require(doc["findings"] as? [[String: Any]]))
  }

  @Test("-o, --output and --format are one option, on analyze, events and the default command")
  func outputAlias() throws {
    let input = "samples/liveness-http-timeout/describe.txt"
    let base = try BinaryRunner.run(["analyze", "--format", "json", "--now", Self.now, input])
    for spelling in [["-o", "json"], ["--output", "json"], ["-ojson"], ["--output=json"]] {
      #expect(try BinaryRunner.run(spelling + ["--now", Self.now, input]).stdout == base.stdout, "\(spelling)")
      #expect(try BinaryRunner.run(["analyze"] + spelling + ["--now", Self.now, input]).stdout == base.stdout)
    }
    let events = try BinaryRunner.run(["events", "--format", "json", "--now", Self.now, Self.events])
    #expect(try BinaryRunner.run(["events", "-o", "json", "--now", Self.now, Self.events]).stdout == events.stdout)
    #expect(try BinaryRunner.run(["events", "-ojson", "--now", Self.now, Self.events]).stdout == events.stdout)
    #expect(try BinaryRunner.run(["-o", "pdf", input]).status == 64)
    #expect(try BinaryRunner.run(["events", "-o", "sarif", input]).status == 64)
  }

  @Test("-n keeps one namespace; -A overrides it as in kubectl")
  func namespaces() throws {
    let batch = try Self.eventsJSON(["-n", "batch"])
    #expect(batch.count == 4)
    #expect(batch.allSatisfy { $0["namespace"] as? String == "batch" })
    #expect(try Self.eventsJSON(["--namespace", "default"]).count == 106)
    #expect(try Self.eventsJSON(["-A"]).count == 110)
    #expect(try Self.eventsJSON(["-n", "batch", "--all-namespaces"]).count == 110)
    // analyze: every finding of samples/_all is in default, so -n batch leaves none and exits 0.
    let (status, none) = try Self.findings(["-n", "batch"])
    #expect(status == 0)
    #expect(none.isEmpty)
    let (failing, some) = try Self.findings(["-n", "default"])
    #expect(failing == 1)
    #expect(some.count == 17)
  }

  @Test("--for kind/name, kubectl's resource aliases, and a glob for the name")
  func forObject() throws {
    let one = try Self.eventsJSON(["--for", "pod/postgres-0"])
    #expect(one.count == 10)
    #expect(try Self.eventsJSON(["--for", "po/postgres-0"]).count == 10)
    #expect(try Self.eventsJSON(["--for", "pods/postgres-0"]).count == 10)
    let glob = try Self.eventsJSON(["--for", "pod/*-0"])
    #expect(glob.count > one.count)
    #expect(glob.allSatisfy { ($0["object"] as? String ?? "").hasSuffix("-0") })
    #expect(try Self.eventsJSON(["--for", "deployment/postgres-0"]).isEmpty)
    let (_, checkout) = try Self.findings(["--for", "pod/checkout-*"])
    #expect(checkout.count == 1)
    #expect((checkout.first?["subject"] as? [String: Any])?["pod"] as? String == "checkout-6b8f9c7d54-qv7xk")
    let (status, none) = try Self.findings(["--for", "pod/no-such-*"])
    #expect(status == 0)
    #expect(none.isEmpty)
  }

  @Test(
    "--for is validated like kubectl events --for",
    arguments: [
      ("postgres-0", "--for must be in resource/name form"),
      ("pod/a/b", "may not have more than one slash"),
      ("gizmo/x", "the server doesn't have a resource type \"gizmo\""),
    ])
  func forValidation(value: String, message: String) throws {
    for command in [["events"], ["analyze"], []] {
      let r = try BinaryRunner.run(command + ["--for", value, Self.events])
      #expect(r.status == 64)
      #expect(r.stderr.contains(message), "\(command): \(r.stderr)")
      #expect(r.stdout.isEmpty)
    }
  }

  @Test("--types Normal,Warning; an unknown type is an error as in kubectl")
  func types() throws {
    let warnings = try Self.eventsJSON(["--types", "Warning"])
    #expect(warnings.count == 30)
    #expect(warnings.allSatisfy { $0["type"] as? String == "Warning" })
    #expect(try Self.eventsJSON(["--types", "normal,WARNING"]).count == 110)
    for command in [["events"], ["analyze"]] {
      let r = try BinaryRunner.run(command + ["--types", "Warning,Error", Self.events])
      #expect(r.status == 64)
      #expect(r.stderr.contains("valid --types are Normal or Warning"))
    }
  }

  @Test("--since takes a duration back from the capture time or an RFC 3339 time")
  func since() throws {
    let recent = try Self.eventsJSON(["--since", "10m"])
    let same = try Self.eventsJSON(["--since", "2026-11-27T00:50:00Z"])
    #expect(recent.count == same.count)
    #expect(recent.count < 110)
    #expect(!recent.isEmpty)
    #expect(try Self.eventsJSON(["--since", "2h"]).count == 110)
    #expect(try Self.eventsJSON(["--since", "1h30m"]).count >= recent.count)
    for bad in ["yesterday", "0s", "-5m", "10", "100000h"] {
      let r = try BinaryRunner.run(["events", "--since", bad, Self.events])
      #expect(r.status == 64, "\(bad)")
      #expect(!r.stderr.isEmpty)
    }
  }

  @Test("on analyze, --types and --since narrow the events and the timelines, not the findings")
  func analyzeEventFilters() throws {
    let input = "samples/liveness-http-timeout/describe.txt"
    let all = try BinaryRunner.run(["--now", Self.now, input])
    #expect(all.stdout.contains("event  Normal Scheduled"))
    let warnings = try BinaryRunner.run(["--types", "Warning", "--now", Self.now, input])
    #expect(warnings.status == all.status)
    #expect(!warnings.stdout.contains("Normal Scheduled"))
    #expect(!warnings.stdout.contains("Normal Killing"))
    #expect(warnings.stdout.contains("Warning Unhealthy: Liveness probe failed"))
    let (_, before) = try Self.findings([], input: input)
    let (_, after) = try Self.findings(["--types", "Warning", "--since", "5m"], input: input)
    #expect(before.count == after.count)
    let recent = try BinaryRunner.run(["--since", "5m", "--now", Self.now, input])
    #expect(!recent.stdout.contains("2026-11-27T00:2"))
    #expect(recent.stdout.contains("2026-11-27T00:57"))
    let json = try BinaryRunner.run(["-o", "json", "--types", "Warning", "--now", Self.now, input])
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let events = try #require(doc["events"] as? [[String: Any]])
    #expect(!events.isEmpty)
    #expect(events.allSatisfy { $0["type"] as? String == "Warning" })
  }

  @Test("invoked as kubectl-podmortem, usage and help say 'kubectl podmortem'")
  func pluginName() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let plugin = dir.appendingPathComponent("kubectl-podmortem")
    try FileManager.default.createSymbolicLink(at: plugin, withDestinationURL: BinaryRunner.binary)
    let help = try BinaryRunner.run(["--help"], executable: plugin)
    #expect(help.status == 0)
    #expect(help.stdout.contains("USAGE: kubectl podmortem <subcommand>"))
    #expect(help.stdout.contains("kubectl describe pod web-0 | kubectl podmortem"))
    let usage = try BinaryRunner.run(["--no-such-flag"], executable: plugin)
    #expect(usage.status == 64)
    #expect(usage.stderr.contains("kubectl podmortem"))
    let events = try BinaryRunner.run(["events", "--help"], executable: plugin)
    #expect(events.stdout.contains("kubectl podmortem events"))
    #expect(!(try BinaryRunner.run(["--help"]).stdout.contains("kubectl podmortem")))
  }

  @Test("the krew manifest installs the binary as kubectl-podmortem at this version")
  func krewManifest() throws {
    let text = try String(
      contentsOf: BinaryRunner.repoRoot.appendingPathComponent("plugins/podmortem.yaml"), encoding: .utf8)
    let version = try BinaryRunner.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(text.contains("kind: Plugin"))
    #expect(text.contains("name: podmortem"))
    #expect(text.contains("version: v\(version)"))
    #expect(text.contains("bin: kubectl-podmortem"))
  }

  @Test("a near-miss subcommand is a usage error with a suggestion, not two missing files")
  func didYouMean() throws {
    let r = try BinaryRunner.run(["explian", "backoff"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("Did you mean 'explain'?"))
    #expect(!r.stderr.contains("no such file"))
    #expect(try BinaryRunner.run(["evnets"]).stderr.contains("Did you mean 'events'?"))
    #expect(try BinaryRunner.run(["analyse", "x"]).stderr.contains("Did you mean 'analyze'?"))
    // A file of that name is read as input, as before.
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try CommandLineTests.describe.write(to: dir.appendingPathComponent("explian"), atomically: true, encoding: .utf8)
    let file = try BinaryRunner.run(["--now", Self.now, "explian"], cwd: dir)
    #expect(file.status == 0)
    #expect(file.stdout.contains("No findings"))
  }
}
