import Foundation
import PodmortemModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The Input stage's side of follow mode (`--follow`, README "Following a live stream"): the last
/// input is watched instead of read once — a pipe or a FIFO until its writer closes it, a regular
/// file (a growing kubelet log) as `tail -f` does, until `stop()`.
///
/// While the stream has nothing new, each read waits `idleMilliseconds` at a time and calls
/// `idle` between waits, on the reading thread, so the caller can act on what it has (the
/// `Podmortem` facade re-diagnoses then). `stop()` may be called from any thread: it wakes a
/// waiting read, which then ends the stream as if its writer had closed it, so the parsers flush
/// and the run finishes normally.
package final class FollowControl: @unchecked Sendable {
  // `stopped` is guarded by `lock`; `idle` is only called on the reading thread.
  private let lock = NSLock()
  private var stopped = false
  private let idle: () -> Void
  /// A self-pipe: `stop()` writes a byte so a `poll` waiting on a stream returns at once.
  private let wakeRead: Int32
  private let wakeWrite: Int32
  /// How long one wait for new bytes lasts before `idle` is called.
  package let idleMilliseconds: Int32

  package init(idleMilliseconds: Int32 = 500, idle: @escaping () -> Void = {}) {
    self.idleMilliseconds = max(1, idleMilliseconds)
    self.idle = idle
    var fds: [Int32] = [-1, -1]
    if pipe(&fds) == 0 {
      _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
      _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
      _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
    }
    wakeRead = fds[0]
    wakeWrite = fds[1]
  }

  deinit {
    if wakeRead >= 0 { close(wakeRead) }
    if wakeWrite >= 0 { close(wakeWrite) }
  }

  /// Ends the followed stream: a waiting read returns at once, later reads return nothing.
  package func stop() {
    lock.lock()
    let first = !stopped
    stopped = true
    lock.unlock()
    guard first, wakeWrite >= 0 else { return }
    var byte: UInt8 = 1
    _ = write(wakeWrite, &byte, 1)
  }

  package var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  /// What a wait ended with.
  enum Wait { case ready, idle, stopped }

  /// Waits until `fd` (when given) has bytes or has been closed by its writer, `stop()` is called,
  /// or `milliseconds` pass. With `callIdle`, a wait that times out calls `idle` before returning.
  func wait(for fd: Int32?, milliseconds: Int32, callIdle: Bool) -> Wait {
    if isStopped { return .stopped }
    var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
    if let fd { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
    let n = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
    if isStopped { return .stopped }
    if n > 0, fds.count > 1, fds[1].revents != 0 { return .ready }
    if n == 0 && callIdle { idle() }
    // poll itself failing (not EINTR, a signal arriving) must not make the caller spin.
    if n < 0 && errno != EINTR { usleep(UInt32(min(max(milliseconds, 1), 1000)) * 1000) }
    // A timeout, or EINTR: the caller waits again.
    return .idle
  }
}

/// A stream read in follow mode: standard input, a FIFO or a regular file, read through
/// `FollowControl` (see there). A regular file that reaches its end is waited on for more, read
/// again from the start when it shrinks (it was truncated), and, when another file has taken its
/// path (log rotation renamed it and the logger started a new one), read to its end and left for
/// the new file, as `tail -F` does.
struct FollowSource: ByteSource {
  private(set) var descriptor: FileDescriptor
  let control: FollowControl
  /// The path a regular file was opened by, to notice that it was rotated; nil for standard input.
  private let path: String?
  private let name: String
  private let diagnostics: DiagnosticSink
  private let isRegularFile: Bool
  private var offset: Int64 = 0
  private var failed = false

  init(
    _ descriptor: FileDescriptor, control: FollowControl, path: String? = nil, name: String,
    diagnostics: @escaping DiagnosticSink
  ) {
    self.descriptor = descriptor
    self.control = control
    self.path = path
    self.name = name
    self.diagnostics = diagnostics
    if let status = descriptor.status() {
      isRegularFile = (status.st_mode & S_IFMT) == S_IFREG
    } else {
      isRegularFile = false
    }
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard buffer.count > 0 else { return 0 }
    while !failed {
      if isRegularFile {
        // A growing file: read what is there; at its end, wait and look again.
        if control.isStopped { return 0 }
        if let n = readNow(into: buffer), n != 0 { return max(0, n) }
        if let size = descriptor.status().map({ Int64($0.st_size) }), size < offset {
          _ = lseek(descriptor.fd, 0, SEEK_SET)
          diagnostics(
            Diagnostic(
              .note, SourceRef(source: name, line: 0),
              "shrank from \(offset) to \(size) bytes (truncated); reading it again from the start"))
          offset = 0
          continue
        }
        if reopenIfRotated() { continue }
        if control.wait(for: nil, milliseconds: control.idleMilliseconds, callIdle: true) == .stopped { return 0 }
      } else {
        switch control.wait(for: descriptor.fd, milliseconds: control.idleMilliseconds, callIdle: true) {
        case .stopped: return 0
        case .idle: continue
        case .ready:
          // nil: the descriptor is non-blocking and the bytes went to another reader; wait again.
          guard let n = readNow(into: buffer) else { continue }
          return max(0, n)
        }
      }
    }
    return 0
  }

  /// One `read`: the byte count, 0 at the end, -1 after an error (reported once), nil when a
  /// non-blocking descriptor has nothing yet.
  private mutating func readNow(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
    switch descriptor.readBytes(into: buffer) {
    case .success(let n):
      offset += Int64(n)
      return n
    case .failure(let error) where error.code == EAGAIN || error.code == EWOULDBLOCK:
      return nil
    case .failure(let error):
      failed = true
      diagnostics(
        Diagnostic(
          .warning, SourceRef(source: name, line: 0), "read failed at byte \(offset): \(error)", byteOffset: offset))
      return -1
    }
  }

  /// At the end of the file: when its path now names another file (rotation), opens that one
  /// and returns true; false while the path names the same file or none (a rename not yet followed
  /// by a new file).
  private mutating func reopenIfRotated() -> Bool {
    guard let path, let current = descriptor.status() else { return false }
    var named = stat()
    guard stat(path, &named) == 0, (named.st_mode & S_IFMT) == S_IFREG,
      named.st_ino != current.st_ino || named.st_dev != current.st_dev
    else { return false }
    guard case .success(let reopened) = FileDescriptor.opening(path) else { return false }
    descriptor = reopened
    diagnostics(
      Diagnostic(
        .note, SourceRef(source: name, line: 0),
        "replaced by a new file after \(offset) bytes (log rotation); reading the new file from its start"))
    offset = 0
    return true
  }

  /// True when no byte is waiting to be read, after waiting up to `milliseconds` for one.
  func nothingWaiting(milliseconds: Int32) -> Bool {
    if control.isStopped { return true }
    if isRegularFile {
      let position = lseek(descriptor.fd, 0, SEEK_CUR)
      guard position >= 0, let status = descriptor.status() else { return true }
      return Int64(status.st_size) <= Int64(position)
    }
    return control.wait(for: descriptor.fd, milliseconds: milliseconds, callIdle: false) != .ready
  }
}

extension InputReader {
  /// Reads `input` (`-` for standard input) in follow mode until its writer closes it or
  /// `control.stop()` is called. A directory cannot be followed: it is read once, with a warning.
  func follow(_ input: String, control: FollowControl, visit: (SourceInfo, inout LineReader) -> Void) {
    let info: SourceInfo
    let descriptor: FileDescriptor
    if input == "-" {
      info = SourceInfo(name: "<stdin>", isStandardInput: true)
      descriptor = .standardInput()
    } else {
      var status = stat()
      guard stat(input, &status) == 0 else {
        report(.error, input, "cannot read '\(input)': \(FileError.current)")
        return
      }
      guard (status.st_mode & S_IFMT) != S_IFDIR else {
        report(.warning, input, "a directory cannot be followed; read '\(input)' once")
        readDirectory(input, visit: visit)
        return
      }
      // A FIFO is opened without waiting for its writer, so `stop()` can end the wait for one.
      let fifo = (status.st_mode & S_IFMT) == S_IFIFO
      switch FileDescriptor.opening(input, flags: fifo ? O_NONBLOCK : 0) {
      case .failure(let error):
        report(.error, input, "cannot read '\(input)': \(error)")
        return
      case .success(let opened):
        if fifo { _ = fcntl(opened.fd, F_SETFL, fcntl(opened.fd, F_GETFL) & ~O_NONBLOCK) }
        descriptor = opened
      }
      info = SourceInfo(name: input, modificationDate: fifo ? nil : modificationDate(status))
    }
    let source = FollowSource(
      descriptor, control: control, path: input == "-" ? nil : input, name: info.name, diagnostics: diagnostics)
    _ = readStream(source, info: info, depth: 0, visit: visit)
  }
}
