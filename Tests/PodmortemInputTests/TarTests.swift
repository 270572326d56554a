import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@Suite struct TarTests {
  private let longPath =
    "namespaces/production-with-a-long-name/pods/web-frontend-7d9c6b5f4-abcde/containers/nginx-sidecar/logs/current.log"

  /// A folder with a few files for `tar` to pack.
  private func tree() throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    try dir.write("src/ns/prod/events.json", text(numberedLines(400, "events")))
    try dir.write("src/" + longPath, text(numberedLines(50, "long")))
    try dir.write("src/notes.txt", "one\ntwo\n")
    return dir
  }

  private func tar(_ dir: TemporaryDirectory, _ format: String, compress: Bool = false) throws -> [UInt8] {
    try dir.run(
      [
        "tar", "--format=\(format)", compress ? "-czf" : "-cf", "-", "-C", "src", "--mtime=@1700000000",
        "ns/prod/events.json", longPath, "notes.txt",
      ])
  }

  @Test(arguments: ["gnu", "pax", "ustar"], [1, 7, 4096])
  func readsEveryEntryThroughEveryWindow(format: String, window: Int) throws {
    let dir = try tree()
    defer { dir.remove() }
    for compress in [false, true] {
      let name = compress ? "bundle.tar.gz" : "bundle.tar"
      let result = collect(bytes: try tar(dir, format, compress: compress), window: window, name: name)
      #expect(result.names == ["\(name)!ns/prod/events.json", "\(name)!\(longPath)", "\(name)!notes.txt"])
      #expect(result.texts("\(name)!ns/prod/events.json") == numberedLines(400, "events"))
      #expect(result.texts("\(name)!\(longPath)") == numberedLines(50, "long"))
      #expect(result.texts("\(name)!notes.txt") == ["one", "two"])
      #expect(result.diagnostics.isEmpty)
      let first = try #require(result.sources.first?.info)
      #expect(first.relativePath == "ns/prod/events.json")
      #expect(first.root == name)
      #expect(first.modificationDate == Date(timeIntervalSince1970: 1_700_000_000))
    }
  }

  @Test func inflatesGzipEntriesInsideATar() throws {
    let dir = try tree()
    defer { dir.remove() }
    try dir.run(["gzip", "-k", "src/notes.txt"])
    let bytes = try dir.run(["tar", "--format=gnu", "-cf", "-", "-C", "src", "notes.txt.gz", "ns/prod/events.json"])
    let result = collect(bytes: bytes, window: 7, name: "b.tar")
    #expect(result.names == ["b.tar!notes.txt.gz", "b.tar!ns/prod/events.json"])
    #expect(result.texts("b.tar!notes.txt.gz") == ["one", "two"])
    #expect(result.sources.first?.info.relativePath == "notes.txt.gz")
  }

  @Test func unreadEntryDataIsSkipped() throws {
    let dir = try tree()
    defer { dir.remove() }
    let log = DiagnosticLog()
    var firstLines: [String: String] = [:]
    let source = MemoryByteSource(try tar(dir, "gnu", compress: true), window: 7)
    InputReader(diagnostics: log.sink).read(source, as: SourceInfo(name: "b.tgz")) { info, reader in
      firstLines[info.relativePath] = reader.next()?.text
    }
    #expect(firstLines["ns/prod/events.json"] == numberedLines(1, "events")[0])
    #expect(firstLines[longPath] == numberedLines(1, "long")[0])
    #expect(firstLines["notes.txt"] == "one")
    #expect(log.all.isEmpty)
  }

  @Test func corruptHeaderStopsTheArchiveAndKeepsWhatWasRead() throws {
    let dir = try tree()
    defer { dir.remove() }
    var bytes = try dir.run(["tar", "--format=gnu", "-cf", "-", "-C", "src", "notes.txt", "ns/prod/events.json"])
    // notes.txt: header at 0, data in one block; the second header starts at byte 1024.
    bytes[1024 + 3] ^= 0x20
    let result = collect(bytes: bytes, window: 4096, name: "b.tar")
    #expect(result.names == ["b.tar!notes.txt"])
    let warning = try #require(result.diagnostics.first)
    #expect(warning.message == "corrupt tar header at byte 1024; the rest is skipped")
    #expect(warning.byteOffset == 1024)
  }

  @Test func truncatedArchiveIsReported() throws {
    let dir = try tree()
    defer { dir.remove() }
    let bytes = try dir.run(["tar", "--format=gnu", "-cf", "-", "-C", "src", "notes.txt", "ns/prod/events.json"])
    let result = collect(bytes: Array(bytes.prefix(1536 + 2000)), window: 7, name: "b.tar")
    #expect(result.names == ["b.tar!notes.txt", "b.tar!ns/prod/events.json"])
    #expect(result.messages(.warning) == ["truncated tar archive in 'ns/prod/events.json'"])
  }

  @Test func readsAnOldV7HeaderWithNoMagic() {
    var header = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int) {
      for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
    }
    let body = Array("v7 line\n".utf8)
    put("old/v7.log", at: 0)
    put("0000644", at: 100)
    put(String(format: "%011o", body.count), at: 124)
    put(String(format: "%011o", 1_700_000_000), at: 136)
    put("0", at: 156)
    put("        ", at: 148)
    let sum = header.reduce(0) { $0 + Int($1) }
    put(String(format: "%06o", sum) + "\0", at: 148)
    let bytes = header + body + [UInt8](repeating: 0, count: 512 - body.count) + [UInt8](repeating: 0, count: 1024)
    let result = collect(bytes: bytes, window: 7, name: "old.tar")
    #expect(result.names == ["old.tar!old/v7.log"])
    #expect(result.texts("old.tar!old/v7.log") == ["v7 line"])
    #expect(result.sources.first?.info.modificationDate == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(result.diagnostics.isEmpty)
  }

  @Test func everyTruncationOfATarGzIsReportedAndKeepsAPrefix() throws {
    let dir = try tree()
    defer { dir.remove() }
    let whole = try tar(dir, "gnu", compress: true)
    let full = collect(bytes: whole, name: "b.tgz").names
    for cut in stride(from: 0, to: whole.count, by: 97) {
      let result = collect(bytes: Array(whole.prefix(cut)), window: 4096, name: "b.tgz")
      #expect(Array(full.prefix(result.names.count)) == result.names)
      #expect(!result.diagnostics.isEmpty, "cut at \(cut)")
    }
  }

  @Test func corruptedBytesNeverCrashOrHang() throws {
    let dir = try tree()
    defer { dir.remove() }
    let whole = try tar(dir, "gnu", compress: true)
    let plain = try tar(dir, "pax")
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func random(_ bound: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(bound))
    }
    for original in [whole, plain] {
      for _ in 0..<60 {
        var bytes = original
        for _ in 0...random(4) { bytes[random(bytes.count)] = UInt8(random(256)) }
        let result = collect(bytes: bytes, window: 4096, name: "fuzz")
        #expect(result.sources.count <= 3)
      }
    }
  }
}
