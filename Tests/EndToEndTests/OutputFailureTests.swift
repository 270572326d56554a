import Foundation
import Testing

/// The report's destination can fail: a full disk, a closed stdout, a reader that went away.
/// podmortem then exits 74 with one line on stderr, or quietly on a closed pipe — never a trap.
@Suite struct OutputFailureTests {
  static let sample = BinaryRunner.repoRoot.appendingPathComponent("samples/crashloop-max/describe.txt").path

  /// Runs `script` with `/bin/sh`, `$BIN` set to the binary; stdout and stderr as the script sets them,
  /// stderr captured.
  private func shell(_ script: String, stdout: FileHandle? = nil) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.environment = ["BIN": BinaryRunner.binary.path, "SAMPLE": Self.sample, "PATH": "/usr/bin:/bin"]
    let err = Pipe()
    process.standardError = err
    if let stdout { process.standardOutput = stdout }
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit, "ended by signal \(process.terminationStatus)")
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test(arguments: ["analyze", "events", "explain"])
  func aFullDiskIsExit74WithOneLine(command: String) throws {
    guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
    let invocation =
      command == "explain"
      ? "\"$BIN\" explain backoff --restarts 3" : "\"$BIN\" \(command) --now 2026-11-27T01:00:00Z \"$SAMPLE\""
    let result = try shell("exec \(invocation) > /dev/full")
    #expect(result.status == 74)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(lines.first?.hasPrefix("podmortem: cannot write the report to standard output: no space left") == true)
  }

  @Test func aClosedStdoutIsExit74WithOneLine() throws {
    let result = try shell("exec \"$BIN\" \"$SAMPLE\" >&-")
    #expect(result.status == 74)
    #expect(result.stderr == "podmortem: cannot write the report: standard output is closed\n")
  }

  @Test func aClosedPipeWithSIGPIPEIgnoredExitsQuietly() throws {
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()
    let result = try shell("trap '' PIPE; exec \"$BIN\" \"$SAMPLE\"", stdout: pipe.fileHandleForWriting)
    #expect(result.status == 141)
    #expect(result.stderr.isEmpty)
  }

  @Test func aClosedStderrDoesNotStopTheReport() throws {
    let out = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    // The input names a missing file too, so there is a diagnostic to write to the closed stderr.
    process.arguments = ["-c", "exec \"$BIN\" \"$SAMPLE\" /nonexistent 2>&-"]
    process.environment = ["BIN": BinaryRunner.binary.path, "SAMPLE": Self.sample]
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 1)
    #expect(String(decoding: data, as: UTF8.self).contains("CrashLoopBackOff"))
  }
}
