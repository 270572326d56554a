import Foundation
import Testing

/// Crafted inputs for every crash site found by the bad-input pass (issue: "no trap on input"),
/// each run through the real binary: it must end normally (0, 1 or 2, never a signal) and name
/// the bad value on stderr. The inputs are built here, byte by byte; none is committed.
@Suite struct HostileInputTests {
  /// A describe of a crash-looping pod, edited per case.
  static let describe: String = {
    let url = BinaryRunner.repoRoot.appendingPathComponent("samples/crashloop-max/describe.txt")
    return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
  }()

  /// One 512-byte ustar header with a correct checksum.
  static func tarHeader(name: String, size: [UInt8], type: UInt8 = UInt8(ascii: "0")) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ bytes: [UInt8], _ at: Int) { for (i, b) in bytes.enumerated() { block[at + i] = b } }
    put(Array(name.utf8), 0)
    put(Array("0000644\0".utf8), 100)
    put(Array("0000000\0".utf8), 108)
    put(Array("0000000\0".utf8), 116)
    put(size, 124)
    put(Array("00000000000\0".utf8), 136)
    put(Array("        ".utf8), 148)
    block[156] = type
    put(Array("ustar\0".utf8), 257)
    put(Array("00".utf8), 263)
    let sum = block.reduce(0) { $0 + Int($1) }
    put(Array(String(format: "%06o\0 ", sum).utf8), 148)
    return block
  }

  static func octalSize(_ n: Int) -> [UInt8] { Array(String(format: "%011o\0", n).utf8) }

  static func padded(_ bytes: [UInt8]) -> [UInt8] {
    bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
  }

  /// A pax extended header with these records, then `data` as the file `name`.
  static func paxTar(_ records: [(String, String)], name: String, data: [UInt8]) -> [UInt8] {
    var body: [UInt8] = []
    for (key, value) in records {
      let rest = " \(key)=\(value)\n"
      var length = rest.utf8.count + 1
      while String(length).count + rest.utf8.count != length { length += 1 }
      body += Array("\(length)\(rest)".utf8)
    }
    return tarHeader(name: "PaxHeader", size: octalSize(body.count), type: UInt8(ascii: "x")) + padded(body)
      + tarHeader(name: name, size: octalSize(data.count)) + padded(data) + [UInt8](repeating: 0, count: 1024)
  }

  /// A 128-byte zip whose zip64 end record puts the directory at an offset that overflows when
  /// its size is added.
  static func zip64Overflow() -> [UInt8] {
    func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8((value >> (8 * UInt64($0))) & 0xFF) } }
    let prefix: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26)
    let record =
      le(0x0606_4B50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4) + le(1, 8) + le(1, 8) + le(16, 8)
      + le(0xFFFF_FFFF_FFFF_FFF8, 8)
    let locator = le(0x0706_4B50, 4) + le(0, 4) + le(UInt64(prefix.count), 8) + le(1, 4)
    let end =
      le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(0xFFFF, 2) + le(0xFFFF, 2) + le(0xFFFF_FFFF, 4)
      + le(0xFFFF_FFFF, 4) + le(0, 2)
    return prefix + record + locator + end
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var file: String
    var bytes: [UInt8]
    /// Text stderr must contain: the diagnostic naming the bad value.
    var diagnostic: String
    var testDescription: String { name }
  }

  static let cases: [Case] = {
    let withBackOff = describe.replacingOccurrences(
      of: "      Reason:      CrashLoopBackOff\n",
      with: "      Reason:      CrashLoopBackOff\n      Message:     back-off 18446744073709551615s restarting "
        + "failed container=inventory pod=inventory-6d8f7b5c9-zt8mx_default(30e1938b)\n")
    let backOffEvent =
      describe
      + "  Warning  FailedSync  6s (x3 over 1m)  kubelet  Error syncing pod, skipping: failed to \"StartContainer\" "
      + "for \"inventory\" with CrashLoopBackOff: \"back-off 18446744073709551615s restarting failed "
      + "container=inventory pod=inventory-6d8f7b5c9-zt8mx_default(30e1938b)\"\n"
    let pod = #"""
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"default"},
       "status":{"phase":"Running","containerStatuses":[{"name":"web","restartCount":1e30,"ready":false,
       "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container=web"}}}]}}
      """#
    return [
      Case(
        name: "tar GNU base-256 size near Int.max", file: "b256.tar",
        bytes: tarHeader(name: "a.txt", size: [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0x01])
          + padded(Array("hello\n".utf8)) + [UInt8](repeating: 0, count: 1024),
        diagnostic: "entry size '9223372036854775297' is out of range"),
      Case(
        name: "pax size=9223372036854775807", file: "pax-size.tar",
        bytes: paxTar([("size", "9223372036854775807")], name: "a.txt", data: Array("hello\n".utf8)),
        diagnostic: "size '9223372036854775807' is out of range"),
      Case(
        name: "pax mtime 1e19", file: "mtime-1e19.tar",
        bytes: paxTar([("mtime", "1e19")], name: "describe.txt", data: Array(describe.utf8)),
        diagnostic: "pax mtime '1e19' is not a time"),
      Case(
        name: "pax mtime inf", file: "mtime-inf.tar",
        bytes: paxTar([("mtime", "inf")], name: "describe.txt", data: Array(describe.utf8)),
        diagnostic: "pax mtime 'inf' is not a time"),
      Case(
        name: "pax mtime nan", file: "mtime-nan.tar",
        bytes: paxTar([("mtime", "nan")], name: "describe.txt", data: Array(describe.utf8)),
        diagnostic: "pax mtime 'nan' is not a time"),
      Case(
        name: "pax record length near Int.max", file: "pax-length.tar",
        bytes: tarHeader(name: "PaxHeader", size: octalSize(32), type: UInt8(ascii: "x"))
          + padded(Array("9223372036854775807 path=a.txt\n\n".utf8))
          + tarHeader(name: "describe.txt", size: octalSize(describe.utf8.count)) + padded(Array(describe.utf8))
          + [UInt8](repeating: 0, count: 1024),
        diagnostic: "CrashLoopBackOff"),
      Case(
        name: "zip64 offset + size overflows", file: "zip64.zip", bytes: zip64Overflow(),
        diagnostic: "central directory out of bounds"),
      Case(
        name: "back-off 18446744073709551615s in a waiting message", file: "backoff.txt",
        bytes: Array(withBackOff.utf8),
        diagnostic: "backoff.txt:24: warning: back-off '18446744073709551615s' is not a duration"),
      Case(
        name: "back-off 18446744073709551615s in a FailedSync event", file: "backoff-event.txt",
        bytes: Array(backOffEvent.utf8),
        diagnostic: "backoff-event.txt:72: warning: back-off '18446744073709551615s' is not a duration"),
      Case(
        name: "Restart Count: 9223372036854775807", file: "restarts.txt",
        bytes: Array(
          describe.replacingOccurrences(of: "Restart Count:  9", with: "Restart Count:  9223372036854775807").utf8),
        diagnostic: "restarts.txt:33: warning: Restart Count '9223372036854775807' is not a 32-bit count"),
      Case(
        name: "get pods RESTARTS 9223372036854775807", file: "get-pods.txt",
        bytes: Array(
          ("NAME                        READY   STATUS             RESTARTS      AGE\n"
            + "inventory-6d8f7b5c9-zt8mx   0/1     CrashLoopBackOff   9223372036854775807 (95s ago)   23m\n").utf8),
        diagnostic: "get-pods.txt:2: warning: restart count '9223372036854775807' is not a 32-bit count; dropped"),
      Case(
        name: "probe timeout=-20s", file: "timeout.txt",
        bytes: Array(describe.replacingOccurrences(of: "delay=0s timeout=1s", with: "delay=0s timeout=-20s").utf8),
        diagnostic: "timeout.txt:39: warning: Liveness probe attribute 'timeout=-20s' is out of range"),
      Case(
        name: "probe period=0s", file: "period.txt",
        bytes: Array(describe.replacingOccurrences(of: "timeout=1s period=10s", with: "timeout=1s period=0s").utf8),
        diagnostic: "period.txt:39: warning: Liveness probe attribute 'period=0s' is out of range"),
      Case(
        name: "pod JSON restartCount 1e30", file: "pod.json", bytes: Array(pod.utf8),
        diagnostic:
          "pod.json:1: warning: object on line 1: field 'status.containerStatuses.0.restartCount' is 1e+30, not a 32-bit integer"
      ),
    ]
  }()

  @Test(arguments: cases)
  func endsNormallyWithADiagnostic(_ input: Case) throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent(input.file).path
    try Data(input.bytes).write(to: URL(fileURLWithPath: path))
    for format in ["text", "json"] {
      let result = try BinaryRunner.run(["--format", format, "--now", "2026-11-27T01:00:00Z", path])
      #expect([0, 1, 2].contains(result.status), "\(input.name): exit \(result.status)\n\(result.stderr)")
      #expect(!result.stderr.contains("Fatal error"))
      #expect(
        (result.stderr + result.stdout).contains(input.diagnostic), "\(input.name): stderr was \(result.stderr)")
    }
  }

  @Test func aKlogThreadIDOf19NinesIsNotANumberThatTraps() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("kubelet.log")
    let text =
      "I1127 01:00:00.000000 9999999999999999999 kubelet.go:123] \"Error syncing pod, skipping\" err=\"x\" pod=\"default/web-0\"\n"
      + "I1127 01:00:01.000000    1234 kubelet.go:123] \"SyncLoop (probe)\" probe=\"liveness\" status=\"unhealthy\" pod=\"default/web-0\"\n"
    try Data(text.utf8).write(to: path)
    let result = try BinaryRunner.run(["--format", "json", "--now", "2026-11-27T01:00:00Z", path.path])
    #expect([0, 1].contains(result.status), "exit \(result.status)\n\(result.stderr)")
    #expect(result.stdout.contains("\"lines\" : 2"))
  }

  @Test func eventCountsPastInt32AreDropped() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("describe.txt")
    let text = Self.describe.replacingOccurrences(of: "6s (x101 over 23m)", with: "6s (x9223372036854775807 over 23m)")
    try Data(text.utf8).write(to: path)
    let result = try BinaryRunner.run(["--now", "2026-11-27T01:00:00Z", path.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("event count '9223372036854775807' is not a 32-bit count; dropped"))
  }

  @Test func explainTakesHugeNumbersWithoutTrapping() throws {
    let backoff = try BinaryRunner.run(["explain", "backoff", "--restarts", "9223372036854775807"])
    #expect(backoff.status == 0)
    #expect(backoff.stdout.contains("back-off: 5m"))
    let probe = try BinaryRunner.run([
      "explain", "probe", "http-get http://:8080/ delay=0s timeout=-20s period=0s #success=1 #failure=3",
    ])
    #expect(probe.status == 0)
    #expect(!probe.stderr.contains("Fatal error"))
  }
}
