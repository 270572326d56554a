import Foundation
import PodmortemInput
import PodmortemModel
import Testing

/// Decompression budgets: per run as well as per source, and an expansion-ratio guard per stream.
/// The bombs are built here with the system `gzip`, small enough for a unit test.
@Suite struct BudgetTests {
  /// Writes `text` gzipped to `name` in `dir`, returning the path.
  private func gzipped(_ dir: TemporaryDirectory, _ name: String, _ text: String) throws -> String {
    try dir.write(name + ".src", text)
    let bytes = try dir.run(["gzip", "-c", "-9", name + ".src"])
    try FileManager.default.removeItem(atPath: dir.path + "/" + name + ".src")
    return try dir.write(name, bytes)
  }

  @Test func theRunBudgetSpansSources() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let lines = numberedLines(2000, "budget")
    let size = text(lines).utf8.count
    let first = try gzipped(dir, "a.log.gz", text(lines))
    let second = try gzipped(dir, "b.log.gz", text(lines))
    // Each source is under the per-source cap; together they pass the run's budget.
    let options = InputOptions(maxTotalBytes: Int64(size + size / 2))
    let result = collect([first, second], options: options)
    #expect(result.texts(first) == lines)
    let cut = try #require(result.texts(second))
    #expect(cut.count < lines.count && cut.count > 0)
    #expect(
      result.messages(.warning).contains {
        $0.contains("the run's '\(size + size / 2)' decompressed bytes are spent (--max-total-bytes)")
      })
  }

  @Test func theDefaultBudgetIs100TimesTheInputAtMost4GiB() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write("one.gz", [UInt8](repeating: 1, count: 1000))
    try dir.write("folder/two.gz", [UInt8](repeating: 1, count: 3000))
    #expect(DecompressionBudget.defaultLimit(for: [file]) == 100_000)
    #expect(DecompressionBudget.defaultLimit(for: [file, dir.path + "/folder"]) == 400_000)
    #expect(DecompressionBudget.defaultLimit(for: ["-"]) == 4 << 30)
    #expect(DecompressionBudget.defaultLimit(for: [dir.path + "/missing"]) == 1)
  }

  /// A symlink named as an input (`/var/log/containers/*.log` are symlinks) counts its target's
  /// size: the default budget once measured the link itself, 0 bytes, and stopped a linked `.gz`
  /// after its first byte.
  @Test func aSymlinkedInputIsBudgetedByItsTarget() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let lines = numberedLines(2000, "linked")
    let target = try gzipped(dir, "app.log.gz", text(lines))
    let link = dir.path + "/link.log.gz"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    let size = try #require(try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int)
    #expect(DecompressionBudget.defaultLimit(for: [link]) == Int64(size) * DecompressionBudget.defaultRatio)
    let result = collect([link], options: InputOptions())
    #expect(result.texts(link) == lines)
    #expect(result.messages(.warning).isEmpty)
  }

  @Test func aStreamThatExpandsTooMuchIsStopped() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let zeros = String(repeating: String(repeating: "0", count: 999) + "\n", count: 2000)
    let path = try gzipped(dir, "zeros.gz", zeros)
    var options = InputOptions()
    options.maxExpansionRatio = 50
    options.expansionCheckAfter = 100_000
    let result = collect([path], options: options)
    let lines = try #require(result.texts(path))
    #expect(lines.count < 2000)
    #expect(
      result.messages(.warning).contains { $0.contains("the stream expands more than 50:1 (a compression bomb?") })
    // An explicit run budget is the user's say: the ratio guard is off.
    options.maxTotalBytes = 10 << 20
    let explicit = collect([path], options: options)
    #expect(explicit.texts(path)?.count == 2000)
    #expect(explicit.diagnostics.isEmpty)
  }

  /// Hands out ten bytes per read, 20 ms apart: a source far under 1 MB/s.
  struct SlowSource: ByteSource {
    var base: MemoryByteSource

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
      usleep(20_000)
      return base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(10, buffer.count)]))
    }
  }

  @Test func aSlowSourceIsNamedWhileItIsRead() {
    var options = InputOptions()
    options.slowAfterSeconds = 0.1
    let log = DiagnosticLog()
    var lines: [String] = []
    let source = SlowSource(base: MemoryByteSource(Array(text(numberedLines(20, "slow")).utf8)))
    InputReader(options: options, diagnostics: log.sink).read(source, as: SourceInfo(name: "slow.log")) { _, reader in
      while let line = reader.next() { lines.append(line.text) }
    }
    #expect(lines == numberedLines(20, "slow"))
    let warnings = log.with(.warning).map(\.message)
    #expect(warnings.count == 1)
    #expect(warnings.first?.hasPrefix("reading slowly: ") == true)
    #expect(warnings.first?.hasSuffix("(under 1 MB/s); the run goes on") == true)
  }

  @Test func ordinaryLogsPassTheRatioGuard() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let lines = numberedLines(20_000, "app")
    let path = try gzipped(dir, "app.log.gz", text(lines))
    var options = InputOptions()
    options.expansionCheckAfter = 100_000
    let result = collect([path], options: options)
    #expect(result.texts(path) == lines)
    #expect(result.diagnostics.isEmpty)
  }
}
