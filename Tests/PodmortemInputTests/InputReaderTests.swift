import Foundation
import PodmortemInput
import PodmortemModel
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct InputReaderTests {
  @Test func refusesXzZstdAndBzip2AndSuggestsGzip() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let plain = try dir.write("plain.log", "hello\n")
    if hasTool("xz") {
      try dir.run(["xz", "-k", "plain.log"])
    } else {
      try dir.write("plain.log.xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04])
    }
    // Names say nothing: the magic bytes decide.
    try dir.write("zstd.log", [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x58])
    try dir.write("b.dat", Array("BZh91AY&SY".utf8))
    let xz = dir.path + "/plain.log.xz"
    let result = collect([xz, dir.path + "/zstd.log", dir.path + "/b.dat", plain])
    #expect(result.names == [plain])
    #expect(
      result.diagnostics.map { "\($0.level): \($0.message)" } == [
        "error: cannot read '\(xz)': xz compression is not supported; recompress it with gzip",
        "error: cannot read '\(dir.path)/zstd.log': zstd compression is not supported; recompress it with gzip",
        "error: cannot read '\(dir.path)/b.dat': bzip2 compression is not supported; recompress it with gzip",
      ])
    #expect(result.diagnostics.first?.ref.source == xz)
  }

  @Test func skipsBinaryAndNotesEmptyFiles() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    // An ELF header: NULs and control bytes throughout, unlike text with a stray NUL (LossTests).
    let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3E, 0, 1, 0, 0, 0]
    let binary = try dir.write("core", elf + Array("then\n".utf8))
    let empty = try dir.write("empty.log", [])
    let plain = try dir.write("ok.log", "fine\n")
    let result = collect([binary, empty, plain])
    #expect(result.names == [plain])
    #expect(
      result.diagnostics.map { "\($0.ref.source) \($0.level): \($0.message)" } == [
        "\(binary) note: skipped binary data: a NUL byte at byte 7",
        "\(empty) note: empty source",
      ])
  }

  @Test func missingFileIsAnErrorAndTheRestIsRead() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let second = try dir.write("b.log", "b\n")
    let first = try dir.write("a.log", "a\n")
    let result = collect([second, dir.path + "/missing.log", first])
    #expect(result.names == [second, first])
    #expect(result.messages(.error) == ["cannot read '\(dir.path)/missing.log': no such file or directory"])
  }

  @Test func plainFileKeepsItsNameAndModificationTime() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = try dir.write("crlf.log", Array("first\r\nsecond\r\n\u{FF}\r\n".utf8) + [0xC3, 0x28, 0x0A])
    let mtime = Date(timeIntervalSince1970: 1_700_000_000)
    try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: path)
    let result = collect([path])
    let source = try #require(result.sources.first)
    #expect(source.info == SourceInfo(name: path, relativePath: "", root: path, modificationDate: mtime))
    #expect(source.lines.map(\.text) == ["first", "second", "\u{FF}", "\u{FFFD}("])
  }

  /// 50 MB of one line, made on the fly so the test itself holds no copy.
  private struct LongLineSource: ByteSource {
    var left = 50_000_000
    var tail = Array("\r\nnext line\n".utf8)[...]

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
      if left > 0 {
        let n = min(left, buffer.count)
        buffer.baseAddress?.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "z"), count: n)
        left -= n
        return n
      }
      let n = min(tail.count, buffer.count)
      for index in 0..<n { buffer[index] = tail[tail.startIndex + index] }
      tail = tail.dropFirst(n)
      return n
    }
  }

  @Test func fiftyMegabyteLineIsCutWithAWarningAndMemoryStaysFlat() {
    let log = DiagnosticLog()
    var lines: [Line] = []
    let before = peakResidentBytes()
    InputReader(diagnostics: log.sink).read(LongLineSource(), as: SourceInfo(name: "huge.log")) { _, reader in
      while let line = reader.next() { lines.append(line) }
    }
    let growth = peakResidentBytes() - before
    #expect(lines.map(\.number) == [1, 2])
    #expect(lines.first?.text.utf8.count == 1 << 20)
    #expect(lines.first?.truncated == true)
    #expect(lines.last?.text == "next line")
    #expect(
      log.all.map(\.description) == [
        "huge.log:1: warning: line '1' is '50000001' bytes long; kept the first '1048576' bytes"
      ])
    // The line is never held whole: the peak grows by far less than its 50 MB.
    #expect(growth < 24 << 20)
  }

  private func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
  }
}
