import Foundation
import Testing

/// Inputs that used to give exit 0 and "No findings" (or exit 2 without a word): each must now
/// be read, or say why not.
@Suite struct SilentLossTests {
  static var describe: String { HostileInputTests.describe }

  private func run(_ file: String, _ bytes: [UInt8]) throws -> BinaryRunner.Result {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent(file)
    try Data(bytes).write(to: path)
    return try BinaryRunner.run(["--now", "2026-11-27T01:00:00Z", path.path])
  }

  @Test func aDescribeWithAUTF8BOMIsRead() throws {
    let result = try run("describe.txt", [0xEF, 0xBB, 0xBF] + Array(Self.describe.utf8))
    #expect(result.status == 1)
    #expect(result.stdout.contains("CrashLoopBackOff after 9 restarts"))
  }

  @Test func aUTF16LEDescribeIsRead() throws {
    let units: [UInt8] = Self.describe.utf16.flatMap { (unit: UInt16) -> [UInt8] in
      [UInt8(unit & 0xFF), UInt8(unit >> 8)]
    }
    let bytes: [UInt8] = [0xFF, 0xFE] + units
    let result = try run("describe.txt", bytes)
    #expect(result.status == 1)
    #expect(result.stdout.contains("CrashLoopBackOff after 9 restarts"))
    #expect(result.stderr.contains("decoded UTF-16LE text to UTF-8"))
  }

  @Test func aDescribeStartingAfterLine40OfAPasteIsRead() throws {
    let chat = (1...60).map { "chat line \($0): we restarted it twice and it still fails, any idea?\n" }.joined()
    let result = try run("paste.txt", Array((chat + Self.describe).utf8))
    #expect(result.status == 1)
    #expect(result.stdout.contains("CrashLoopBackOff after 9 restarts"))
  }

  @Test func aNULByteDoesNotSkipTheFile() throws {
    let text = Self.describe.replacingOccurrences(of: "Priority:", with: "Priority:\u{0}")
    let result = try run("describe.txt", Array(text.utf8))
    #expect(result.status == 1)
    #expect(result.stdout.contains("CrashLoopBackOff after 9 restarts"))
    #expect(result.stderr.contains("NUL bytes in text read as spaces"))
  }

  static let podJSON = #"""
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"default"},
     "spec":{"terminationGracePeriodSeconds":1e400,"containers":[{"name":"web","image":"web:1"}]},
     "status":{"phase":"Running","containerStatuses":[{"name":"web","restartCount":7,"ready":false,
     "lastState":{"terminated":{"exitCode":1,"reason":"Error","startedAt":"2026-11-27T00:50:00Z","finishedAt":"2026-11-27T00:55:00Z"}},
     "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container=web pod=web-0_default(x)"}}}]}}
    """#

  @Test func oneBadNumberDropsThatFieldNotThePod() throws {
    for bom in [false, true] {
      let result = try run("pod.json", (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(Self.podJSON.utf8))
      #expect(result.status == 1)
      #expect(result.stdout.contains("CrashLoopBackOff after 7 restarts"))
      #expect(result.stderr.contains("field 'spec.terminationGracePeriodSeconds'"))
      #expect(result.stderr.contains("that field is dropped"))
    }
  }

  @Test func aNamedFIFOIsReadLikeCat() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("describe.fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let sample = BinaryRunner.repoRoot.appendingPathComponent("samples/crashloop-max/describe.txt").path
    let writer = Process()
    writer.executableURL = URL(fileURLWithPath: "/bin/sh")
    writer.arguments = ["-c", "cat \"$1\" > \"$2\"", "sh", sample, fifo]
    try writer.run()
    let result = try BinaryRunner.run(["--now", "2026-11-27T01:00:00Z", fifo])
    writer.waitUntilExit()
    #expect(result.status == 1)
    #expect(result.stdout.contains("CrashLoopBackOff after 9 restarts"))
  }

  @Test func nothingToReadIsExit2WithAReason() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let empty = dir.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let zip = dir.appendingPathComponent("empty.zip")
    try Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)).write(to: zip)
    for arguments in [[empty.path], [zip.path], ["events", empty.path]] {
      let result = try BinaryRunner.run(arguments)
      #expect(result.status == 2)
      #expect(result.stderr.contains("podmortem: nothing could be read: the input holds no files"))
    }
    let stdin = try BinaryRunner.run([], stdin: "")
    #expect(stdin.status == 2)
    #expect(stdin.stderr.contains("podmortem: nothing could be read: every source was empty"))
    let missing = try BinaryRunner.run([dir.appendingPathComponent("missing.txt").path])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("podmortem: nothing could be read: every input failed (1 problem above)"))
  }
}
