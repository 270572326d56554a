import Foundation
import Testing

/// Exit codes that cannot mislead a CI job (README "Exit codes"): input nobody recognised is not
/// a clean bill of health.
@Suite("exit codes")
struct ExitCodeTests {
  static let now = "2026-11-27T01:00:00Z"
  /// `kubectl top pods`: real kubectl output, but nothing podmortem reads.
  static let top = """
    NAME                        CPU(cores)   MEMORY(bytes)
    web-0                       12m          130Mi
    api-7d9f8c6b5-x2k4m         3m           64Mi

    """
  static let healthy = CommandLineTests.describe

  @Test("a kubectl top table: exit 2, the reason on stderr, nothing on stdout")
  func kubectlTop() throws {
    let r = try BinaryRunner.run(["--now", Self.now], stdin: Self.top)
    #expect(r.status == 2)
    #expect(r.stdout.isEmpty)
    #expect(!r.stdout.contains("No findings"))
    #expect(r.stderr.contains("nothing recognised: none of the 3 lines in 1 source"))
  }

  /// A project README: prose, a code block, a table — no Kubernetes output.
  static let readme = """
    # shop-api

    The checkout service. Build it with `make`, run it with `make run`.

    ```
    make test
    ```

    | setting | default |
    | --- | --- |
    | PORT | 8080 |

    Contributions welcome; see CONTRIBUTING.md.

    """

  @Test("a README: exit 2 with the reason, for analyze and for events")
  func readme() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.readme.write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    for command in [["analyze"], ["events"], []] {
      let r = try BinaryRunner.run(command + ["--now", Self.now, "README.md"], cwd: dir)
      #expect(r.status == 2, "\(command)")
      #expect(r.stdout.isEmpty, "\(command)")
      #expect(r.stderr.contains("nothing recognised"), "\(command)")
    }
  }

  @Test("empty standard input: exit 2, 'nothing could be read', no 'No findings' line")
  func devNull() throws {
    let r = try BinaryRunner.run([], stdin: "")
    #expect(r.status == 2)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains("nothing could be read"))
  }

  @Test(
    "machine formats still carry the accounting when nothing was recognised", arguments: ["json", "sarif", "junit"])
  func machineFormats(format: String) throws {
    let r = try BinaryRunner.run(["-o", format, "--now", Self.now], stdin: Self.top)
    #expect(r.status == 2)
    #expect(!r.stdout.isEmpty)
    if format == "json" {
      let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      let sources = try #require(doc["sources"] as? [[String: Any]])
      // A `top` table is kubectl output podmortem knows and has nothing to read in: ignored lines.
      #expect(sources.first?["ignored"] as? Int == 3)
      #expect(sources.first?["parsed"] as? Int == 0)
    }
  }

  @Test("a recognised healthy describe still exits 0 and says No findings")
  func recognisedHealthy() throws {
    let r = try BinaryRunner.run(["--now", Self.now], stdin: Self.healthy)
    #expect(r.status == 0)
    #expect(r.stdout.contains("No findings"))
    #expect(r.stderr.isEmpty)
  }

  @Test("the healthy sample exits 0, the failing one 1")
  func samples() throws {
    #expect(try BinaryRunner.run(["--now", Self.now, "samples/healthy/describe.txt"]).status == 0)
    #expect(try BinaryRunner.run(["--now", Self.now, "samples/liveness-http-timeout/describe.txt"]).status == 1)
    let critical = try BinaryRunner.run(
      ["--fail-on", "critical", "--now", Self.now, "samples/liveness-http-timeout/describe.txt"])
    #expect(critical.status == 1)
  }

  @Test("--fail-on-unrecognised: exit 3 above the limit, the usual code at or below it")
  func failOnUnrecognised() throws {
    // Four describe lines and four lines of noise: half the lines are not recognised.
    let mixed = Self.healthy + "lorem ipsum\ndolor sit amet\nconsectetur\nadipiscing elit\n"
    let over = try BinaryRunner.run(["--fail-on-unrecognised", "10", "--now", Self.now], stdin: mixed)
    #expect(over.status == 3)
    #expect(over.stderr.contains("50% of the lines were not recognised, above --fail-on-unrecognised 10%"))
    #expect(over.stdout.contains("No findings"))
    let under = try BinaryRunner.run(["--fail-on-unrecognised", "60%", "--now", Self.now], stdin: mixed)
    #expect(under.status == 0)
    let events = try BinaryRunner.run(["events", "--fail-on-unrecognised", "0", "--now", Self.now], stdin: mixed)
    #expect(events.status == 3)
    for bad in ["150", "-1", "half", "nan"] {
      #expect(try BinaryRunner.run(["--fail-on-unrecognised", bad, "x"]).status == 64, "\(bad)")
    }
  }
}
