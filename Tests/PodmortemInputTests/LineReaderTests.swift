import PodmortemInput
import Testing

@Suite struct LineReaderTests {
  private func lines(_ text: String, window: Int, maxLineBytes: Int = 1 << 20) -> [Line] {
    var reader = LineReader(MemoryByteSource(text, window: window), maxLineBytes: maxLineBytes, chunkSize: 16)
    var lines: [Line] = []
    while let line = reader.next() { lines.append(line) }
    return lines
  }

  @Test(arguments: [1, 7, 4096])
  func stripsCarriageReturnsAcrossWindows(window: Int) {
    let read = lines("alpha\r\nbeta\r\n\r\ngamma-without-newline", window: window)
    #expect(read.map(\.text) == ["alpha", "beta", "", "gamma-without-newline"])
    #expect(read.map(\.number) == [1, 2, 3, 4])
  }

  @Test func replacesInvalidUTF8() {
    var reader = LineReader(MemoryByteSource([0x6F, 0x6B, 0xFF, 0xC3, 0x0A, 0xC3, 0xA9, 0x0A]))
    #expect(reader.next()?.text == "ok\u{FFFD}\u{FFFD}")
    #expect(reader.next()?.text == "é")
    #expect(reader.next() == nil)
  }

  @Test(arguments: [1, 7, 4096])
  func cutsLongLinesAndReportsTheirLength(window: Int) {
    var reports: [[Int]] = []
    let text = "short\n" + String(repeating: "x", count: 100) + "\r\nafter\n"
    var reader = LineReader(MemoryByteSource(text, window: window), maxLineBytes: 10, chunkSize: 8) {
      reports.append([$0, $1])
    }
    var read: [Line] = []
    while let line = reader.next() { read.append(line) }
    #expect(read.map(\.text) == ["short", String(repeating: "x", count: 10), "after"])
    #expect(read.map(\.truncated) == [false, true, false])
    #expect(reports == [[2, 101]])
  }
}
