import Foundation
import Podmortem
import PodmortemModel
import PodmortemReport
import Synchronization
import Testing

/// The follow session and the progress text (README "Following a live stream", "Progress").
@Suite("follow session")
struct FollowSessionTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let watch =
    ((try? String(contentsOf: repo.appendingPathComponent("samples/_all/get-events-watch.txt"), encoding: .utf8))
    ?? "").split(separator: "\n").map { String($0) + "\n" }

  /// Appends to `file`.
  static func append(_ text: String, to file: URL) throws {
    let handle = try FileHandle(forWritingTo: file)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
  }

  /// Waits up to 15 s for `condition`.
  static func wait(_ condition: () -> Bool) -> Bool {
    for _ in 0..<300 where !condition() { usleep(50_000) }
    return condition()
  }

  @Test("a growing file: each finding reported once as it appears, stop() ends the run with every finding")
  func session() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-follow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("events.txt")
    try Self.watch[0..<15].joined().write(to: file, atomically: false, encoding: .utf8)
    let session = FollowSession(
      options: AnalysisOptions(inputs: [file.path], now: Date(timeIntervalSince1970: 1_795_741_200)),
      selection: Selection(), intervalMilliseconds: 100)
    let changes = Mutex<[FollowChange]>([])
    let result = Mutex<AnalysisResult?>(nil)
    let thread = Thread {
      let r = session.run(diagnostics: { _ in }) { change in changes.withLock { $0.append(change) } }
      result.withLock { $0 = r }
    }
    thread.start()
    let rules = { changes.withLock { $0.map { "\($0.finding.ruleID) \($0.finding.subject)" } } }
    #expect(Self.wait { rules().contains("pod.evicted default/batch-importer-7d6c9f8b5-9kx2w") })
    #expect(!rules().contains { $0.hasPrefix("config.create-container-error") })
    try Self.append(Self.watch[15..<19].joined(), to: file)
    #expect(Self.wait { rules().contains { $0.hasPrefix("config.create-container-error") } })
    #expect(result.withLock { $0 == nil }, "still following")
    session.stop()
    #expect(Self.wait { result.withLock { $0 != nil } })
    let final = try #require(result.withLock { $0 })
    #expect(Set(rules()).count == rules().count, "each finding once")
    #expect(Set(final.findings.map { "\($0.ruleID) \($0.subject)" }) == Set(rules()))
    #expect(changes.withLock { $0.allSatisfy { $0.kind == .new && $0.previousSeverity == nil } })
    #expect(final.report.accounts.first?.lines == 19)
  }

  @Test("-n narrows the findings reported as they appear, not what the run finds")
  func selection() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-follow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("events.txt")
    try Self.watch[0..<15].joined().write(to: file, atomically: false, encoding: .utf8)
    let session = FollowSession(
      options: AnalysisOptions(inputs: [file.path]), selection: Selection(namespace: "other"),
      intervalMilliseconds: 50)
    let changes = Mutex<Int>(0)
    let result = Mutex<AnalysisResult?>(nil)
    let thread = Thread {
      let r = session.run(diagnostics: { _ in }) { _ in changes.withLock { $0 += 1 } }
      result.withLock { $0 = r }
    }
    thread.start()
    usleep(600_000)
    session.stop()
    #expect(Self.wait { result.withLock { $0 != nil } })
    #expect(result.withLock { $0?.findings.count } == 2)
    #expect(changes.withLock { $0 } == 0)
    #expect(FollowSession.problem(following: [Self.repo.path]) != nil, "a directory cannot be followed")
    #expect(
      FollowSession.problem(following: [Self.repo.path, "-"]) == nil, "a directory before the stream is read once")
  }

  static let finding = PodmortemModel.Finding(
    ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical,
    subject: Subject(namespace: "default", pod: "web-0", container: "web"), title: "liveness probe failing",
    explanation: "e", remedy: "r", facts: [KeyValue("probe", "liveness")],
    evidence: [Evidence(ref: SourceRef(source: "<stdin>", line: 3), text: "Liveness probe failed")])

  @Test("a change as one text line and as one NDJSON object")
  func lines() throws {
    let time = Date(timeIntervalSince1970: 1_795_741_207)
    let new = FollowChange(finding: Self.finding, previousSeverity: nil, time: time)
    #expect(new.kind == .new)
    #expect(
      new.textLine(palette: .plain)
        == "01:00:07 new     critical default/web-0 (web): liveness probe failing [probe.liveness-failing]\n")
    let raised = FollowChange(finding: Self.finding, previousSeverity: .warning, time: time)
    #expect(raised.kind == .raised)
    #expect(raised.textLine(palette: .plain).hasSuffix("[probe.liveness-failing] (was warning)\n"))
    var lower = Self.finding
    lower.severity = .info
    #expect(FollowChange(finding: lower, previousSeverity: .warning, time: time).kind == .lowered)
    #expect(raised.textLine(palette: .ansi).contains("\u{1B}[1;31mcritical"))
    let json = raised.jsonLine()
    #expect(json.hasSuffix("}\n") && json.filter { $0 == "\n" }.count == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(object["change"] as? String == "raised")
    #expect(object["previousSeverity"] as? String == "warning")
    #expect(object["time"] as? String == "2026-11-27T01:00:07Z")
    let finding = try #require(object["finding"] as? [String: Any])
    #expect(finding["rule"] as? String == "probe.liveness-failing")
    #expect((finding["subject"] as? [String: String])?["pod"] == "web-0")
    #expect((finding["facts"] as? [String: String])?["probe"] == "liveness")
    #expect((finding["evidence"] as? [[String: Any]])?.first?["ref"] as? String == "<stdin>:3")
    #expect(new.jsonLine().contains(#""change":"new""#) && !new.jsonLine().contains("previousSeverity"))
  }

  @Test("the final JSON report on one line")
  func oneLine() {
    #expect(
      FollowOutput.oneLine(json: "{\n  \"b\": [1, 2],\n  \"a\": \"x/y\"\n}\n") == #"{"a":"x/y","b":[1,2]}"# + "\n")
    #expect(FollowOutput.oneLine(json: "not json") == "not json")
  }

  @Test("progress text: nothing for the first second or once read; bytes, total, rate; the name cut from its start")
  func progress() {
    var p = ReadProgress(
      input: "bundle.tar.gz", current: "", bytes: 120_345_678, total: 300_000_000, elapsed: .seconds(2))
    #expect(ProgressText.line(p, width: 120) == "reading bundle.tar.gz  120.3 MB of 300.0 MB (40%)  60.1 MB/s")
    p.current = "bundle.tar.gz!namespaces/production/pods/checkout-6b8f9c7d54-qv7xk/checkout/checkout/logs/current.log"
    let cut = ProgressText.line(p, width: 80) ?? ""
    #expect(cut.count <= 79)
    #expect(cut.hasPrefix("reading …") && cut.contains("current.log  120.3 MB"))
    let grown = ReadProgress(input: "kubelet.log", bytes: .max, total: 1, elapsed: .seconds(1))
    #expect(ProgressText.line(grown, width: 200)?.contains("(100%)") == true)
    p.elapsed = .milliseconds(900)
    #expect(ProgressText.line(p, width: 80) == nil)
    p.elapsed = .seconds(3)
    p.finished = true
    #expect(ProgressText.line(p, width: 80) == nil)
    let stdin = ReadProgress(input: "-", current: "<stdin>\u{1B}[2J", bytes: 17_000, total: nil, elapsed: .seconds(4))
    #expect(ProgressText.line(stdin, width: 80) == "reading <stdin>\\x1b[2J  17 kB  4 kB/s")
  }
}
