import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The binary running while a test feeds it: stdin stays open, stdout and stderr are collected as
/// they come, so a test can see a line appear before the stream ends.
final class LiveProcess: @unchecked Sendable {
  let process = Process()
  private let input = Pipe()
  // Guarded by `lock`: filled by the reader threads.
  private let lock = NSLock()
  private var out = Data()
  private var err = Data()
  private let done = DispatchGroup()

  init(_ arguments: [String], stdin: Bool = true) throws {
    process.executableURL = BinaryRunner.binary
    process.arguments = arguments
    process.currentDirectoryURL = BinaryRunner.repoRoot
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = stdin ? input : FileHandle.nullDevice
    try process.run()
    for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
      done.enter()
      // POSIX reads: each returns what has arrived (FileHandle.availableData may wait for more).
      let fd = pipe.fileHandleForReading.fileDescriptor
      DispatchQueue.global().async {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
          let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
          if n < 0 && errno == EINTR { continue }
          if n <= 0 { break }
          self.lock.lock()
          if isOut { self.out.append(contentsOf: buffer[0..<n]) } else { self.err.append(contentsOf: buffer[0..<n]) }
          self.lock.unlock()
        }
        self.done.leave()
      }
    }
  }

  var stdout: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: out, as: UTF8.self)
  }

  var stderr: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: err, as: UTF8.self)
  }

  func write(_ text: String) throws {
    try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
  }

  func closeInput() throws { try input.fileHandleForWriting.close() }

  /// Waits up to `seconds` for `condition` on what stdout holds so far.
  func waitForStdout(seconds: Double = 15, _ condition: (String) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition(stdout) { return true }
      usleep(50_000)
    }
    return condition(stdout)
  }

  /// Waits for the process to exit (up to `seconds`, then kills it) and returns its status.
  func finish(seconds: Double = 20) -> Int32 {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    _ = done.wait(timeout: .now() + 5)
    return process.terminationStatus
  }
}

/// `analyze --follow` (README "Following a live stream"): findings as they appear, the report at
/// the end of the stream or on SIGINT/SIGTERM.
@Suite("follow")
struct FollowTests {
  static let watch = sample("samples/_all/get-events-watch.txt").split(
    separator: "\n", omittingEmptySubsequences: false
  ).map { String($0) + "\n" }
  /// The header and the rows up to the eviction of batch-importer (a critical finding).
  static let first = watch[0..<15].joined()
  static let rest = watch[15...].joined()
  static let jsonStream = sample("samples/bundles/events-watch/events-watch-kubectl.json").split(
    separator: "\n", omittingEmptySubsequences: false
  ).map { String($0) + "\n" }
  static let evicted = "critical default/batch-importer-7d6c9f8b5-9kx2w: pod evicted"

  /// A shipped sample's text (empty when missing, which the tests then fail on).
  static func sample(_ path: String) -> String {
    (try? String(contentsOf: BinaryRunner.repoRoot.appendingPathComponent(path), encoding: .utf8)) ?? ""
  }

  @Test("a finding is printed while the stream is open; SIGINT prints the final report and exits as usual")
  func interrupt() throws {
    let run = try LiveProcess(["analyze", "--follow"])
    try run.write(Self.first)
    #expect(run.waitForStdout { $0.contains(Self.evicted) }, "the finding appears before the stream ends")
    #expect(run.process.isRunning)
    #expect(!run.stdout.contains("findings about"), "no report before the stream ends")
    let line = run.stdout.split(separator: "\n").first { $0.contains(Self.evicted) }.map(String.init) ?? ""
    #expect(line.range(of: #"^\d\d:\d\d:\d\d new     critical "#, options: .regularExpression) != nil, "\(line)")
    #expect(line.hasSuffix("[pod.evicted]"))
    run.process.interrupt()
    let status = run.finish()
    #expect(status == 1, "critical findings: exit 1, as without --follow")
    let out = run.stdout
    #expect(out.contains("findings about"))
    #expect(out.contains("CRITICAL  default/batch-importer-7d6c9f8b5-9kx2w  pod evicted"))
    let changeAt = out.range(of: Self.evicted)?.lowerBound
    let reportAt = out.range(of: "findings about")?.lowerBound
    #expect(changeAt != nil && reportAt != nil && changeAt! < reportAt!, "change lines come before the report")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
  }

  @Test("SIGTERM ends the stream as SIGINT does")
  func terminate() throws {
    let run = try LiveProcess(["-w", "--fail-on", "critical"])
    try run.write(Self.first)
    #expect(run.waitForStdout { $0.contains(Self.evicted) })
    run.process.terminate()
    #expect(run.finish() == 1)
    #expect(run.stdout.contains("CRITICAL  default/batch-importer-7d6c9f8b5-9kx2w"))
  }

  @Test("findings are printed in steps; the end of the stream prints the report with every finding")
  func endOfStream() throws {
    let run = try LiveProcess(["-w"])
    try run.write(Self.first)
    #expect(run.waitForStdout { $0.contains(Self.evicted) })
    #expect(!run.stdout.contains("billing-db-credentials"), "the second part is not read yet")
    try run.write(Self.rest)
    #expect(run.waitForStdout { $0.contains("new     critical default/billing-api-6f7d8c9b5-j8h3s") })
    try run.closeInput()
    #expect(run.finish() == 1)
    let out = run.stdout
    #expect(out.contains("findings about"))
    // Each finding is announced once: the same rule and subject is not repeated.
    let changes = out.split(separator: "\n").filter {
      $0.range(of: #"^\d\d:\d\d:\d\d "#, options: .regularExpression) != nil
    }
    #expect(Set(changes.map { $0.dropFirst(9) }).count == changes.count)
    #expect(changes.count >= 4)
  }

  @Test("-o json: one JSON object per change (NDJSON), then the report on one line")
  func ndjson() throws {
    let run = try LiveProcess(["-w", "-o", "json"])
    // The watch stream in two steps: the liveness finding first, then its kills raise it to critical.
    try run.write(Self.jsonStream[0..<300].joined())
    #expect(run.waitForStdout { $0.contains(#""change":"new""#) })
    try run.write(Self.jsonStream[300...].joined())
    #expect(run.waitForStdout { $0.contains(#""change":"raised""#) })
    try run.closeInput()
    #expect(run.finish() == 1)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    #expect(objects.allSatisfy { $0 != nil }, "every line is one JSON object")
    let changes = objects.compactMap { $0 }.filter { $0["change"] != nil }
    let report = try #require(objects.last ?? nil)
    #expect(report["schemaVersion"] as? Int == 1)
    #expect(changes.count == lines.count - 1)
    let raised = try #require(changes.first { $0["change"] as? String == "raised" })
    #expect(raised["previousSeverity"] as? String == "warning")
    #expect((raised["time"] as? String)?.hasSuffix("Z") == true)
    let finding = try #require(raised["finding"] as? [String: Any])
    #expect(finding["rule"] as? String == "probe.liveness-failing")
    #expect(finding["severity"] as? String == "critical")
    // The change's finding has the shape of the report's findings[] entries.
    let reported = try #require((report["findings"] as? [[String: Any]])?.first)
    #expect(Set(finding.keys) == Set(reported.keys))
    #expect(changes.first { $0["change"] as? String == "new" }?["previousSeverity"] == nil)
  }

  /// Live forms a user pipes in: `kubectl get pods -w`, `kubectl events -w`, a kubelet journal;
  /// the lines that raise the first finding, and the rule it has.
  static let liveForms: [(sample: String, firstLines: Int, rule: String)] = [
    ("samples/_all/get-pods-watch.txt", 4, "[init.container-failing]"),
    ("samples/_all/events-watch.txt", 10, "[crashloop.backoff]"),
    ("samples/bundles/kubelet-journal/kubelet-journal.log", 40, "[probe.liveness-failing]"),
  ]

  @Test(
    "kubectl get pods -w, kubectl events -w and a kubelet log: a finding while the stream is open", arguments: liveForms
  )
  func liveForm(_ form: (sample: String, firstLines: Int, rule: String)) throws {
    let lines = Self.sample(form.sample).split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }
    let run = try LiveProcess(["-w"])
    try run.write(lines[0..<form.firstLines].joined())
    #expect(run.waitForStdout { $0.contains(form.rule) }, "\(form.sample)")
    #expect(!run.stdout.contains("findings about") && !run.stdout.contains("finding about"))
    try run.write(lines[form.firstLines...].joined())
    try run.closeInput()
    #expect(run.finish() == 1)
    #expect(run.stdout.contains(" about "), "the report at the end of the stream")
  }

  /// A long kubelet line may be continued by a wrapped rest; in a live stream that has gone quiet
  /// it is read at once all the same.
  @Test("the last line of a quiet kubelet stream is not held back")
  func quietStreamLastLine() throws {
    let run = try LiveProcess(["-w"])
    try run.write(
      #"I1127 01:02:03.456789   12345 prober.go:107] "Probe failed" probeType="Liveness" pod="default/web-0" "#
        + #"podUID="0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f" containerName="web" probeResult="failure" "#
        + #"output="HTTP probe failed with statuscode: 503""# + "\n")
    #expect(run.waitForStdout { $0.contains("[probe.liveness-failing]") })
    try run.closeInput()
    #expect(run.finish() == 1)
  }

  @Test("a growing file is followed as tail -f does, until SIGINT")
  func growingFile() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("events.txt")
    try Self.watch[0..<8].joined().write(to: file, atomically: false, encoding: .utf8)
    let run = try LiveProcess(["-w", file.path], stdin: false)
    #expect(run.waitForStdout { $0.contains("crashloop.backoff") })
    #expect(!run.stdout.contains("pod.evicted"))
    let handle = try FileHandle(forWritingTo: file)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(Self.watch[8..<15].joined().utf8))
    try handle.close()
    #expect(run.waitForStdout { $0.contains(Self.evicted) }, "lines appended to the file are read")
    #expect(run.process.isRunning, "the end of the file is not the end of the stream")
    run.process.interrupt()
    #expect(run.finish() == 1)
    #expect(run.stdout.contains("2 findings about"))
  }

  @Test("a FIFO nobody writes to: SIGINT still ends the wait (exit 2, nothing read)")
  func fifoWithoutWriter() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("stream")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let run = try LiveProcess(["-w", fifo.path], stdin: false)
    usleep(700_000)
    #expect(run.process.isRunning)
    run.process.interrupt()
    #expect(run.finish(seconds: 10) == 2)
    #expect(run.stderr.contains("nothing could be read"))
  }

  @Test("a FIFO is followed until its writer closes it")
  func fifo() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("stream")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let run = try LiveProcess(["-w", fifo.path], stdin: false)
    let writer = try FileHandle(forWritingTo: fifo)
    try writer.write(contentsOf: Data(Self.first.utf8))
    #expect(run.waitForStdout { $0.contains(Self.evicted) })
    try writer.close()
    #expect(run.finish() == 1)
    #expect(run.stdout.contains("findings about"))
  }

  @Test("--follow on a directory is a usage error; earlier inputs are read before the stream")
  func inputs() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try BinaryRunner.run(["-w", dir.path])
    #expect(r.status == 64)
    #expect(r.stderr.contains("is a directory"))
    let describe = "samples/liveness-http-timeout/describe.txt"
    let both = try BinaryRunner.run(["-w", "--now", "2026-11-27T01:00:00Z", describe, "-"], stdin: Self.first)
    #expect(both.status == 1)
    #expect(both.stdout.contains("[probe.liveness-failing]"), "findings from the file read first are printed too")
    #expect(both.stdout.contains(Self.evicted))
    #expect(both.stdout.contains("from 2 sources"))
  }

  @Test("the suppression file applies to the change lines: ignored rules get none, overrides show")
  func suppression() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let config = dir.appendingPathComponent("podmortem.yaml")
    try "ignore:\n  rules: [pod.evicted]\noverrides:\n  - rule: crashloop.backoff\n    severity: warning\n"
      .write(to: config, atomically: true, encoding: .utf8)
    let r = try BinaryRunner.run(["-w", "--config", config.path], stdin: Self.first)
    let changes = r.stdout.split(separator: "\n").filter {
      $0.range(of: #"^\d\d:\d\d:\d\d "#, options: .regularExpression) != nil
    }
    #expect(changes.count == 1, "\(r.stdout)")
    #expect(changes.first?.contains("new     warning  default/accounts-api-6c8d9f7b5-x9z4w") == true)
    #expect(!r.stdout.contains("[pod.evicted]"))
    #expect(r.stdout.contains("suppressed by"))
  }

  @Test("the reader closing the pipe during follow: exit 141, nothing on stderr")
  func closedPipe() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("watch.txt")
    try Self.watch.joined().write(to: input, atomically: true, encoding: .utf8)
    // head -1 takes the first change line and leaves; the stream stays open (sleep) until then.
    let command =
      "(cat watch.txt; sleep 5) | '\(BinaryRunner.binary.path)' -w 2> err.txt | head -1 > out.txt;"
      + " echo ${PIPESTATUS[1]} > status.txt"
    let started = Date()
    #expect(try BinaryRunner.shell("bash -c '\(command.replacingOccurrences(of: "'", with: "'\\''"))'", cwd: dir) == 0)
    let status = try String(contentsOf: dir.appendingPathComponent("status.txt"), encoding: .utf8)
    #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "141")
    #expect(try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8).contains(" new "))
    #expect(try String(contentsOf: dir.appendingPathComponent("err.txt"), encoding: .utf8).isEmpty)
    #expect(Date().timeIntervalSince(started) < 30)
  }

  @Test("-o sarif: change lines go to stderr, stdout holds only the document")
  func documentFormats() throws {
    let r = try BinaryRunner.run(["-w", "-o", "sarif"], stdin: Self.first)
    #expect(r.status == 1)
    #expect(r.stderr.contains(Self.evicted))
    let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    #expect(doc?["version"] as? String == "2.1.0")
  }
}
