import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@Suite struct ZipTests {
  /// Writes `a.zip` with Python's zipfile: a deflated log, a stored file, a gzip inside, a folder.
  private func archive(_ dir: TemporaryDirectory) throws -> String {
    try dir.write("y.log", text(numberedLines(300, "zip")))
    try dir.run(["gzip", "-k", "y.log"])
    let script = """
      import zipfile
      with zipfile.ZipFile('a.zip', 'w') as z:
          z.write('y.log', 'x/y.log', compress_type=zipfile.ZIP_DEFLATED)
          z.writestr('x/', '')
          z.writestr(zipfile.ZipInfo('x/stored.txt', (2024, 5, 6, 7, 8, 10)), 'stored one\\r\\nstored two\\n')
          z.write('y.log.gz', 'x/y.log.gz', compress_type=zipfile.ZIP_STORED)
      """
    try dir.run(["python3", "-c", script])
    return dir.path + "/a.zip"
  }

  @Test func readsStoredDeflatedAndNestedGzipEntries() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let zip = try archive(dir)
    let result = collect([zip])
    #expect(result.names == ["\(zip)!x/y.log", "\(zip)!x/stored.txt", "\(zip)!x/y.log.gz"])
    #expect(result.texts("\(zip)!x/y.log") == numberedLines(300, "zip"))
    #expect(result.texts("\(zip)!x/stored.txt") == ["stored one", "stored two"])
    #expect(result.texts("\(zip)!x/y.log.gz") == numberedLines(300, "zip"))
    #expect(result.diagnostics.isEmpty)
    let stored = try #require(result.sources.first { $0.info.relativePath == "x/stored.txt" }?.info)
    #expect(stored.root == zip)
    #expect(
      stored.modificationDate
        == DateComponents(
          calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
          year: 2024, month: 5, day: 6, hour: 7, minute: 8, second: 10
        ).date)
  }

  @Test func badEntriesAreNamedAndTheOthersStillRead() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let zip = try archive(dir)
    var bytes = try dir.bytes("a.zip")
    // Method 99 for x/y.log, in its local header (offset 0) and its central directory record.
    bytes[8] = 99
    let central = try #require(findSignature(bytes, [0x50, 0x4B, 0x01, 0x02]))
    bytes[central + 10] = 99
    // Corrupt one byte of the stored entry's data: its CRC-32 no longer matches.
    let storedData = try #require(findBytes(bytes, Array("stored one".utf8)))
    bytes[storedData] = UInt8(ascii: "S")
    try dir.write("a.zip", bytes)
    let result = collect([zip])
    #expect(result.names == ["\(zip)!x/stored.txt", "\(zip)!x/y.log.gz"])
    #expect(result.texts("\(zip)!x/stored.txt") == ["Stored one", "stored two"])
    #expect(result.texts("\(zip)!x/y.log.gz") == numberedLines(300, "zip"))
    let warnings = result.diagnostics.filter { $0.level == .warning }.map { "\($0.ref.source): \($0.message)" }
    #expect(
      warnings == [
        "\(zip)!x/y.log: skipped zip entry 'x/y.log': unsupported compression method '99'",
        "\(zip)!x/stored.txt: crc mismatch in zip entry (data may be corrupt)",
      ])
  }

  @Test func aZipInsideAStreamIsRefusedWithAMessage() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    _ = try archive(dir)
    let result = collect(bytes: try dir.bytes("a.zip"), name: "piped")
    #expect(result.sources.isEmpty)
    #expect(result.messages(.warning) == ["skipped: a zip archive can only be read from a file; unzip 'piped' first"])
  }

  @Test func corruptedArchivesNeverCrash() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let zip = try archive(dir)
    let original = try dir.bytes("a.zip")
    var seed: UInt64 = 42
    for round in 0..<60 {
      var bytes = original
      for _ in 0..<3 {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes[Int((seed >> 33) % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: seed >> 17)
      }
      // Every other round also cuts the archive short.
      try dir.write("a.zip", round.isMultiple(of: 2) ? bytes : Array(bytes.prefix(bytes.count - round * 7)))
      let result = collect([zip])
      #expect(result.sources.count <= 3)
    }
  }

  private func findSignature(_ bytes: [UInt8], _ signature: [UInt8]) -> Int? { findBytes(bytes, signature) }

  private func findBytes(_ bytes: [UInt8], _ needle: [UInt8]) -> Int? {
    guard bytes.count >= needle.count else { return nil }
    return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
  }
}
