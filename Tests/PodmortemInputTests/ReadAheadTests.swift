import Foundation
import PodmortemInput
import PodmortemModel
import Synchronization
import Testing

/// A gzip file of text is inflated on a thread of its own (`ReadAheadSource`): the reader must see
/// the bytes, the lines and the diagnostics of reading it on one thread, in the same order.
@Suite struct ReadAheadTests {
  /// Lines and diagnostics as one sequence, in the order the visitor and the sink saw them.
  final class Events: Sendable {
    private let items = Mutex<[String]>([])
    func add(_ item: String) { items.withLock { $0.append(item) } }
    var all: [String] { items.withLock { $0 } }
  }

  func read(_ paths: [String], options: InputOptions = .init(), stopAfter: Int = .max) -> [String] {
    let events = Events()
    let reader = InputReader(options: options) { events.add("diagnostic \($0.level): \($0.message)") }
    reader.read(paths) { info, lines in
      var count = 0
      while count < stopAfter, let line = lines.next() {
        events.add("\(info.name):\(line.number) \(line.text)")
        count += 1
      }
    }
    return events.all
  }

  /// Several megabytes: far more than the queue holds, so the thread waits for the reader.
  static let lines = (1...60_000).map { "I1127 00:00:00.\($0) 4187 prober.go:107] \"Probe failed\" line=\($0)" }

  @Test func aGzipFileReadsAsThePlainFileDoes() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let plain = try dir.write("kubelet.log", text(Self.lines))
    _ = try dir.run(["gzip", "-k", "-6", "kubelet.log"])
    let zipped = dir.path + "/kubelet.log.gz"
    let fromPlain = read([plain]).map { $0.replacingOccurrences(of: plain, with: "X") }
    let fromGzip = read([zipped]).map { $0.replacingOccurrences(of: zipped, with: "X") }
    #expect(fromPlain.count == Self.lines.count)
    #expect(fromGzip == fromPlain)
  }

  /// The stream's own diagnostic comes where one thread would give it: after every whole line,
  /// before the cut last line (which the reader only ends when the stream has ended).
  @Test func aTruncatedStreamWarnsWhenTheReaderReachesTheCut() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("whole.log", text(Self.lines))
    let whole = try dir.run(["gzip", "-c", "-6", "whole.log"])
    let path = try dir.write("cut.log.gz", Array(whole.prefix(whole.count / 2)))
    let events = read([path])
    let warning = try #require(events.firstIndex { $0.hasPrefix("diagnostic warning: truncated gzip stream") })
    // At most the cut line after it.
    #expect(warning >= events.count - 2)
    #expect(events.filter { $0.hasPrefix("diagnostic") }.count == 1)
    let read = events[..<warning].map { String($0.split(separator: " ", maxSplits: 1)[1]) }
    #expect(read == Array(Self.lines.prefix(read.count)))
  }

  /// A reader that stops early stops the thread; the next input is read as usual.
  @Test func aReaderThatStopsEarlyLetsTheRunGoOn() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("a.log", text(Self.lines))
    _ = try dir.run(["gzip", "-6", "a.log"])
    let second = try dir.write("b.log", "second\n")
    let events = read([dir.path + "/a.log.gz", second], stopAfter: 10)
    #expect(events.count == 11)
    #expect(events.last == "\(second):1 second")
  }

  /// The decompression cap stops the stream at the same byte with the same message as before.
  @Test func theCapStopsAtTheSameByte() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("big.log", text(Self.lines))
    _ = try dir.run(["gzip", "-6", "big.log"])
    let options = InputOptions(maxBytesPerSource: 1_000_000)
    let events = read([dir.path + "/big.log.gz"], options: options)
    let lines = events.filter { !$0.hasPrefix("diagnostic") }
    let bytes = lines.reduce(0) { $0 + $1.split(separator: " ", maxSplits: 1)[1].utf8.count + 1 }
    // The last line is cut at the cap (no newline of its own).
    #expect(bytes - 1 == 1_000_000)
    #expect(events.contains { $0.contains("more than '1000000' decompressed bytes (--max-bytes)") })
  }
}
