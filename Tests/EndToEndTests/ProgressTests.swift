import Foundation
import Testing

/// The progress line (README "Progress"): on stderr when it is a terminal and an input takes more
/// than a second; never in a pipe, never in the report.
@Suite("progress")
struct ProgressTests {
  static let now = "2026-11-27T01:00:00Z"

  /// A shell script that feeds a tar.gz of the shipped `_all` samples to podmortem through a pipe,
  /// 1 KiB every 0.1 s (about 2 s in all), with `redirect` (stdout to `out.txt`, stderr to …).
  static func slowFeed(in dir: URL, redirect: String) throws -> URL {
    let samples = BinaryRunner.repoRoot.appendingPathComponent("samples").path
    #expect(try BinaryRunner.shell("tar czf bundle.tar.gz -C '\(samples)' _all", cwd: dir) == 0)
    let script = dir.appendingPathComponent("feed.sh")
    try """
    feed() {
      size=$(wc -c < "$1"); i=0
      while [ $((i * 1024)) -lt "$size" ]; do
        dd if="$1" bs=1024 skip=$i count=1 2>/dev/null; i=$((i + 1)); sleep 0.1
      done
    }
    feed bundle.tar.gz | '\(BinaryRunner.binary.path)' --now \(now) - \(redirect)

    """.write(to: script, atomically: true, encoding: .utf8)
    return script
  }

  @Test("on a terminal: bytes, rate and the bundle member being read, redrawn with \\r and erased; not in the report")
  func terminal() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try Self.slowFeed(in: dir, redirect: "> out.txt")
    // script(1) runs the pipeline on a pseudo-terminal: stderr is the terminal, stdout a file.
    let started = Date()
    #expect(
      try BinaryRunner.shell("env -u NO_COLOR TERM=xterm script -qec 'sh feed.sh' typescript > /dev/null", cwd: dir)
        == 1,
      "exit 1: the samples have findings")
    let tty = try String(contentsOf: dir.appendingPathComponent("typescript"), encoding: .utf8)
    let drawn = tty.components(separatedBy: "\r").filter { $0.hasPrefix("reading <stdin>!_all/") }
    #expect(drawn.count >= 2, "redrawn in place: \(tty.prefix(600))")
    #expect(drawn.allSatisfy { $0.contains(" kB") && $0.contains("/s") })
    let seconds = Date().timeIntervalSince(started)
    #expect(Double(drawn.count) <= 10 * seconds + 1, "at most ten a second")
    #expect(tty.contains("\r\u{1B}[K"), "erased before the report and diagnostics")
    // The diagnostic about an empty member starts on a clean line.
    #expect(tty.contains("\r\u{1B}[Kpodmortem: <stdin>!_all/describe-pod-missing.txt"))
    let report = try String(contentsOf: dir.appendingPathComponent("out.txt"), encoding: .utf8)
    #expect(report.contains("findings about"))
    #expect(!report.contains("reading ") && !report.contains("\r"))
  }

  @Test("in a pipe: no progress line")
  func pipe() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try Self.slowFeed(in: dir, redirect: "2>&1 > out.txt | cat > err.txt")
    #expect(try BinaryRunner.shell("sh feed.sh", cwd: dir) == 0)
    let err = try String(contentsOf: dir.appendingPathComponent("err.txt"), encoding: .utf8)
    #expect(err.contains("empty source"), "diagnostics still come: \(err)")
    #expect(!err.contains("reading ") && !err.contains("\r"))
  }

  @Test("on a terminal, an input read in under a second draws nothing")
  func quick() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let sample = BinaryRunner.repoRoot.appendingPathComponent("samples/liveness-http-timeout/describe.txt").path
    let command = "'\(BinaryRunner.binary.path)' --now \(Self.now) '\(sample)' > out.txt"
    #expect(try BinaryRunner.shell("script -qec \"\(command)\" typescript > /dev/null", cwd: dir) == 1)
    let tty = try String(contentsOf: dir.appendingPathComponent("typescript"), encoding: .utf8)
    #expect(!tty.contains("reading "))
  }
}
