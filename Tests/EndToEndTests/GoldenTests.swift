import Foundation
import Testing

/// The reports podmortem gives for every shipped sample, kept beside it in
/// `samples/<case>/golden/`: `describe.{txt,md,json}` for the pasted describe output and
/// `objects.{txt,md,json}` for the case's pod and event JSON. `PODMORTEM_RECORD=1 swift test`
/// rewrites them and fails on purpose, so a re-recording is always a visible, reviewed change.
@Suite("golden outputs of the samples")
struct GoldenTests {
  /// The moment every sample's ages are relative to (samples/manifest.json `captureEpoch`).
  static let now = "2026-11-27T01:00:00Z"
  static let formats = [("text", "txt"), ("markdown", "md"), ("json", "json")]

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var inputs: [String]
    var golden: String
    var testDescription: String { "\(name) \(golden)" }
  }

  static var cases: [Case] {
    let samples = BinaryRunner.repoRoot.appendingPathComponent("samples")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
    var out: [Case] = []
    for name in names.sorted() {
      let dir = "samples/\(name)"
      let has = { (file: String) in
        FileManager.default.fileExists(atPath: BinaryRunner.repoRoot.appendingPathComponent("\(dir)/\(file)").path)
      }
      if has("describe.txt") { out.append(Case(name: name, inputs: ["\(dir)/describe.txt"], golden: "describe")) }
      if has("pod.json") && has("events.json") {
        out.append(Case(name: name, inputs: ["\(dir)/pod.json", "\(dir)/events.json"], golden: "objects"))
      }
    }
    return out
  }

  @Test("golden reports", arguments: cases)
  func golden(_ c: Case) throws {
    let record = ProcessInfo.processInfo.environment["PODMORTEM_RECORD"] == "1"
    for (format, ext) in Self.formats {
      let r = try BinaryRunner.run(["--format", format, "--now", Self.now] + c.inputs, environment: ["NO_COLOR": "1"])
      #expect(r.status == 0 || r.status == 1, "\(c.name): exit \(r.status): \(r.stderr)")
      if format == "json" {
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        for finding in doc?["findings"] as? [[String: Any]] ?? [] {
          #expect(
            !((finding["evidence"] as? [Any]) ?? []).isEmpty,
            "\(c.name): finding \(finding["rule"] ?? "?") cites no line")
        }
      }
      let path = BinaryRunner.repoRoot.appendingPathComponent("samples/\(c.name)/golden/\(c.golden).\(ext)")
      if record {
        try FileManager.default.createDirectory(
          at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try r.stdout.write(to: path, atomically: true, encoding: .utf8)
        Issue.record("recorded \(path.path): unset PODMORTEM_RECORD and run again")
        continue
      }
      let expected = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
      if expected != r.stdout {
        Issue.record(
          """
          \(c.name) \(c.golden).\(ext) differs from the golden output (PODMORTEM_RECORD=1 swift test rewrites it):
          \(try Self.unifiedDiff(expected: path, actual: r.stdout))
          """)
      }
    }
  }

  @Test("healthy samples give no warning or critical finding", arguments: ["healthy", "healthy-completed-job-pod"])
  func healthy(name: String) throws {
    for inputs in [["describe.txt"], ["pod.json", "events.json"], ["get-events.txt"], ["events.txt"]] {
      // A pod with no events has empty event tables (kubectl said so on stderr): nothing to read.
      let sizes = inputs.map { file -> Int in
        let path = BinaryRunner.repoRoot.appendingPathComponent("samples/\(name)/\(file)").path
        return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
      }
      if sizes.contains(0) { continue }
      let r = try BinaryRunner.run(
        ["--format", "json", "--now", Self.now] + inputs.map { "samples/\(name)/\($0)" })
      #expect(r.status == 0, "\(name) \(inputs): \(r.stdout.prefix(2000))")
      let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
      let severe = (doc?["findings"] as? [[String: Any]] ?? []).filter { $0["severity"] as? String != "info" }
      #expect(severe.isEmpty, "\(name) \(inputs): \(severe)")
    }
  }

  /// `diff -u` of the golden file against what podmortem printed now.
  static func unifiedDiff(expected: URL, actual: String) throws -> String {
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
    try actual.write(to: tmp, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: tmp) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
    p.arguments = ["-u", "--label", "golden", "--label", "now", expected.path, tmp.path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data.prefix(20_000), as: UTF8.self)
  }
}
