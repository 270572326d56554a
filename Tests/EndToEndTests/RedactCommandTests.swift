import Foundation
import Testing

/// `podmortem redact IN OUT` (docs/architecture.md "Secrets"): a masked copy that keeps every
/// file's path and line numbers, and gives the same findings.
@Suite("podmortem redact")
struct RedactCommandTests {
  static let now = "2026-11-27T01:00:00Z"
  static let bundles = BinaryRunner.repoRoot.appendingPathComponent("samples/bundles")

  /// What is compared across the original and the copy: each finding's rule, severity, subject
  /// and facts, then each pod with how many events and log records it has.
  static func findings(_ inputs: [String], cwd: URL) throws -> [String] {
    let r = try BinaryRunner.run(["--format", "json", "--now", now] + inputs, cwd: cwd)
    #expect(r.status == 0 || r.status == 1, "podmortem \(inputs): exit \(r.status): \(r.stderr)")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let findings = (doc["findings"] as? [[String: Any]] ?? []).map { f in
      let subject = (f["subject"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map {
        "\($0.key)=\($0.value)"
      }
      let facts = (f["facts"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      return
        "\(f["rule"] ?? "") \(f["severity"] ?? "") [\(subject.joined(separator: ","))] \(facts.joined(separator: ","))"
    }.sorted()
    let pods = (doc["pods"] as? [[String: Any]] ?? []).map { p in
      "pod \(p["namespace"] ?? "")/\(p["name"] ?? "") events \(p["events"] ?? "") logs \(p["logs"] ?? "")"
    }.sorted()
    return findings + pods
  }

  static let bundleSamples: [String] = {
    let fm = FileManager.default
    let dirs = (try? fm.contentsOfDirectory(atPath: bundles.path)) ?? []
    return dirs.sorted().flatMap { dir -> [String] in
      let entries = (try? fm.contentsOfDirectory(atPath: bundles.appendingPathComponent(dir).path)) ?? []
      return entries.filter { $0 != "README.md" }.sorted().map { "samples/bundles/\(dir)/\($0)" }
    }
  }()

  @Test("every bundle sample round-trips: the redacted copy gives the same findings", arguments: bundleSamples)
  func roundTrip(_ sample: String) throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let copy = dir.appendingPathComponent("copy").path
    let r = try BinaryRunner.run(["redact", sample, copy])
    #expect(r.status == 0, "redact \(sample): exit \(r.status): \(r.stderr)")
    #expect(r.stdout.contains("copy written to"))
    let original = try Self.findings([sample], cwd: BinaryRunner.repoRoot)
    #expect(original.contains { $0.hasPrefix("pod ") })
    #expect(try Self.findings([copy], cwd: BinaryRunner.repoRoot) == original)
  }

  @Test("a .tar.gz output is a tar.gz that tar lists and podmortem reads to the same findings")
  func tarGzOutput() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let sample = "samples/bundles/must-gather/must-gather.local.1234"
    let out = dir.appendingPathComponent("copy.tar.gz").path
    let r = try BinaryRunner.run(["redact", sample, out])
    #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
    #expect(try BinaryRunner.shell("tar tzf copy.tar.gz > list.txt && gzip -t copy.tar.gz", cwd: dir) == 0)
    let listed = try String(contentsOf: dir.appendingPathComponent("list.txt"), encoding: .utf8)
    let long = listed.split(separator: "\n").filter { $0.utf8.count > 100 }
    #expect(listed.contains("namespaces/"), "\(listed)")
    #expect(
      try Self.findings([out], cwd: BinaryRunner.repoRoot) == (try Self.findings([sample], cwd: BinaryRunner.repoRoot)))
    // Names over 100 bytes travel in pax records; tar extracts them whole.
    if !long.isEmpty { #expect(try BinaryRunner.shell("mkdir x && tar xzf copy.tar.gz -C x", cwd: dir) == 0) }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".podmortem") }
    #expect(leftovers.isEmpty)
  }

  @Test("a text file: secrets masked, line numbers and every other byte of text kept, a PEM block's lines replaced")
  func textFile() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let lines = [
      "Name: web-0", "  DB_URL: postgres://app:Pa55w0rdURL@db:5432/app", "token=abc123xyz and token=abc123xyz",
      "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
      "  shortTail==", "-----END RSA PRIVATE KEY-----", "Image ID: registry.example.com/app@sha256:1bfd6cac592f050db9",
    ]
    try (lines.joined(separator: "\n") + "\n").write(
      to: dir.appendingPathComponent("in.txt"), atomically: true, encoding: .utf8)
    let r = try BinaryRunner.run(["redact", "in.txt", "out.txt"], cwd: dir)
    #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
    let out = try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8)
    let t = { (n: Int) in "\u{2039}redacted:\(n)\u{203A}" }
    #expect(
      out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
        "Name: web-0", "  DB_URL: postgres://app:\(t(1))@db:5432/app", "token=\(t(2)) and token=\(t(2))",
        "-----BEGIN RSA PRIVATE KEY-----", t(3), "  \(t(4))", "-----END RSA PRIVATE KEY-----",
        "Image ID: registry.example.com/app@sha256:1bfd6cac592f050db9", "",
      ])
    #expect(r.stdout.contains("out.txt: 5 masked (private-key 2, secret-assignment 2, url-password 1)"))
    #expect(r.stdout.contains("5 secrets (4 distinct) masked in 1 of 1 file"))
  }

  @Test("never overwrites: an existing output, the input itself, or a folder inside the input is refused")
  func refusals() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("in.txt")
    try "password=hunter22\n".write(to: input, atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("d"), withIntermediateDirectories: true)
    try "x\n".write(to: dir.appendingPathComponent("d/a.txt"), atomically: true, encoding: .utf8)
    for (args, why) in [
      (["in.txt", "in.txt"], "exists"), (["d/a.txt", "in.txt"], "exists"), (["d", "d/copy"], "inside the input"),
    ] {
      let r = try BinaryRunner.run(["redact"] + args, cwd: dir)
      #expect(r.status == 64, "\(args): exit \(r.status)")
      #expect(r.stderr.contains(why), "\(args): \(r.stderr)")
    }
    #expect(try String(contentsOf: input, encoding: .utf8) == "password=hunter22\n")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("d/copy").path))
  }

  @Test("an archive's member names cannot write outside the output")
  func traversal() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = """
      import io, tarfile
      with tarfile.open('evil.tar', 'w') as t:
          for name in ['../../escaped.txt', '/abs/escaped.txt', 'ok/events.txt']:
              data = b'password=hunter22\\n'
              info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
      """
    try script.write(to: dir.appendingPathComponent("make.py"), atomically: true, encoding: .utf8)
    #expect(try BinaryRunner.shell("python3 make.py", cwd: dir) == 0)
    let r = try BinaryRunner.run(["redact", "evil.tar", "out"], cwd: dir)
    #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
    let fm = FileManager.default
    #expect(!fm.fileExists(atPath: dir.deletingLastPathComponent().appendingPathComponent("escaped.txt").path))
    #expect(!fm.fileExists(atPath: "/abs/escaped.txt"))
    let written = try fm.subpathsOfDirectory(atPath: dir.appendingPathComponent("out").path).sorted()
    #expect(written.contains("ok/events.txt"))
    #expect(written.contains("_../_../escaped.txt"))
    #expect(written.contains("abs/escaped.txt"))
    let copy = try String(contentsOf: dir.appendingPathComponent("out/ok/events.txt"), encoding: .utf8)
    #expect(copy == "password=\u{2039}redacted:1\u{203A}\n")
  }
}
