import Foundation
import PodmortemInput
import PodmortemModel
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Follow mode and progress in the Input stage: a followed pipe is read line by line as it
/// arrives and ends on `stop()` or when its writer closes it; progress comes as values.
@Suite("follow and progress input")
struct FollowInputTests {
  /// Waits up to 10 s for `condition`.
  static func wait(_ condition: () -> Bool) -> Bool {
    for _ in 0..<200 where !condition() { usleep(50_000) }
    return condition()
  }

  /// A pipe whose read end is followed on a thread, and what was read from it.
  final class FollowedPipe: Sendable {
    let writer: Int32
    let lines = Mutex<[String]>([])
    let done = Mutex(false)
    /// `isCaughtUp` after each line.
    let caughtUp = Mutex<[Bool]>([])

    init(_ control: FollowControl) {
      var fds: [Int32] = [-1, -1]
      #expect(pipe(&fds) == 0)
      writer = fds[1]
      let readEnd = fds[0]
      Thread { [self] in
        InputReader(diagnostics: { _ in }).read(["/dev/fd/\(readEnd)"], following: control) { _, reader in
          while let line = reader.next() {
            lines.withLock { $0.append(line.text) }
            let now = reader.isCaughtUp(milliseconds: 10)
            caughtUp.withLock { $0.append(now) }
          }
        }
        close(readEnd)
        done.withLock { $0 = true }
      }.start()
    }
  }

  static func write(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    #expect(bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count)
  }

  @Test("lines arrive while the pipe stays open; idle is called while it is quiet; stop() ends the read")
  func stop() {
    let idles = Mutex(0)
    let control = FollowControl(idleMilliseconds: 50) { idles.withLock { $0 += 1 } }
    let run = FollowedPipe(control)
    Self.write(run.writer, "first line\nsecond")
    #expect(Self.wait { run.lines.withLock { $0 } == ["first line"] })
    #expect(Self.wait { idles.withLock { $0 } >= 2 }, "quiet: idle is called between waits")
    #expect(run.caughtUp.withLock { $0 } == [true], "nothing more waiting after the first line")
    Self.write(run.writer, " half\n")
    #expect(Self.wait { run.lines.withLock { $0.count } == 2 })
    #expect(!run.done.withLock { $0 })
    control.stop()
    #expect(Self.wait { run.done.withLock { $0 } }, "stop() wakes the waiting read")
    #expect(run.lines.withLock { $0 } == ["first line", "second half"])
    #expect(control.isStopped)
    close(run.writer)
  }

  @Test("the writer closing the pipe ends the stream")
  func writerCloses() {
    let control = FollowControl(idleMilliseconds: 50)
    let run = FollowedPipe(control)
    Self.write(run.writer, "only\nlast without newline")
    close(run.writer)
    #expect(Self.wait { run.done.withLock { $0 } })
    #expect(run.lines.withLock { $0 } == ["only", "last without newline"])
  }

  @Test("a followed file: appended lines are read, a truncation starts it again, a rotation moves to the new file")
  func growingFile() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = try dir.write("kubelet.log", "one\n")
    let control = FollowControl(idleMilliseconds: 50)
    let lines = Mutex<[String]>([])
    let notes = DiagnosticLog()
    let done = Mutex(false)
    Thread {
      InputReader(diagnostics: notes.sink).read([path], following: control) { _, reader in
        while let line = reader.next() { lines.withLock { $0.append(line.text) } }
      }
      done.withLock { $0 = true }
    }.start()
    #expect(Self.wait { lines.withLock { $0 } == ["one"] })
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("two\n".utf8))
    try handle.close()
    #expect(Self.wait { lines.withLock { $0 } == ["one", "two"] })
    // Rotation: the file is renamed and a new one takes its path.
    #expect(rename(path, path + ".1") == 0)
    try dir.write("kubelet.log", "three\n")
    #expect(Self.wait { lines.withLock { $0 } == ["one", "two", "three"] })
    #expect(notes.all.contains { $0.message.contains("log rotation") })
    // Truncation (the same file, emptied): read again from the start.
    let truncating = try #require(FileHandle(forWritingAtPath: path))
    try truncating.truncate(atOffset: 0)
    usleep(200_000)
    try truncating.write(contentsOf: Data("four\n".utf8))
    try truncating.close()
    #expect(Self.wait { lines.withLock { $0.last } == "four" })
    #expect(notes.all.contains { $0.message.contains("truncated") })
    #expect(!done.withLock { $0 })
    control.stop()
    #expect(Self.wait { done.withLock { $0 } })
  }

  @Test("a reader that is not followed is never caught up: reading files is unchanged")
  func notFollowed() {
    var reader = LineReader(string: "a\nb\n")
    #expect(reader.next()?.text == "a")
    #expect(!reader.isCaughtUp())
  }

  @Test("progress: bytes up to the file's size, its total, the member being read, then finished")
  func progress() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let body = text(numberedLines(3000))
    let file = try dir.write("app.log", body)
    try dir.write("bundle/ns/a.txt", "alpha\n")
    try dir.write("bundle/ns/b.txt", "beta\n")
    try dir.run(["tar", "cf", "bundle.tar", "-C", dir.path, "bundle"])
    let seen = Mutex<[InputProgress]>([])
    let reader = InputReader(diagnostics: { _ in }, progress: { p in seen.withLock { $0.append(p) } })
    reader.read([file, dir.path + "/bundle.tar"]) { _, lines in while lines.next() != nil {} }
    let all = seen.withLock { $0 }
    let log = all.filter { $0.input == file }
    #expect(log.last?.finished == true)
    #expect(log.last?.bytes == Int64(body.utf8.count))
    // The first bytes are read to recognise the format, before the text source begins.
    #expect(log.allSatisfy { $0.total == Int64(body.utf8.count) && ($0.current == file || $0.current.isEmpty) })
    #expect(log.last?.current == file)
    #expect(zip(log, log.dropFirst()).allSatisfy { $0.bytes <= $1.bytes })
    let tar = all.filter { $0.input.hasSuffix("bundle.tar") }
    #expect(Set(tar.map(\.current)).isSuperset(of: [dir.path + "/bundle.tar!bundle/ns/a.txt"]))
    #expect(tar.last?.finished == true && tar.filter(\.finished).count == 1)
  }
}
