import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@Suite struct GzipTests {
  /// Gzips `text` with the system `gzip`.
  private func gzip(_ text: String) throws -> [UInt8] {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("plain.txt", text)
    return try dir.run(["gzip", "-c", "-9", "plain.txt"])
  }

  @Test(arguments: [1, 7, 4096])
  func inflatesThroughEveryWindow(window: Int) throws {
    let lines = numberedLines(3000, "gz")
    let result = collect(bytes: try gzip(text(lines)), window: window, name: "app.log.gz")
    #expect(result.names == ["app.log.gz"])
    #expect(result.texts("app.log.gz") == lines)
    #expect(result.diagnostics.isEmpty)
  }

  @Test func readsEveryMemberOfAMultiMemberFile() throws {
    let first = numberedLines(200, "first")
    let second = numberedLines(300, "second")
    let bytes = try gzip(text(first)) + gzip(text(second))
    for window in [1, 7, 4096] {
      let result = collect(bytes: bytes, window: window)
      #expect(result.texts("mem") == first + second)
      #expect(result.diagnostics.isEmpty)
    }
  }

  @Test func truncatedStreamKeepsWhatWasReadAndNamesTheOffset() throws {
    let lines = numberedLines(5000, "cut")
    let whole = try gzip(text(lines))
    let cut = Array(whole.prefix(whole.count / 2))
    let result = collect(bytes: cut, window: 7, name: "dump.gz")
    let read = try #require(result.texts("dump.gz"))
    #expect(read.count > 100)
    // Every complete line read is the original line; only the last one may be cut short.
    #expect(Array(read.dropLast()) == Array(lines.prefix(read.count - 1)))
    let warning = try #require(result.diagnostics.first { $0.level == .warning })
    #expect(warning.message == "truncated gzip stream at byte \(cut.count)")
    #expect(warning.byteOffset == Int64(cut.count))
    #expect(warning.ref.source == "dump.gz")
  }

  @Test func corruptStreamIsADiagnosticNotACrash() throws {
    var bytes = try gzip(text(numberedLines(2000, "bad")))
    for index in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[index] ^= 0x5A }
    let result = collect(bytes: bytes, window: 4096)
    #expect(result.diagnostics.contains { $0.level == .warning && $0.message.hasPrefix("corrupt gzip stream at byte") })
  }

  @Test func stopsAtTheDecompressionCap() throws {
    let bomb = String(repeating: String(repeating: "0", count: 99) + "\n", count: 20_000)
    let options = InputOptions(maxBytesPerSource: 50_000)
    let result = collect(bytes: try gzip(bomb), options: options)
    let lines = try #require(result.texts("mem"))
    #expect(lines.count == 500)
    #expect(result.messages(.warning).contains { $0.contains("more than '50000' decompressed bytes") })
  }

  @Test func gzipOfBinaryDataIsSkipped() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("blob", [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2])
    let result = collect(bytes: try dir.run(["gzip", "-c", "blob"]))
    #expect(result.sources.isEmpty)
    #expect(result.messages(.note).count == 1)
  }
}
