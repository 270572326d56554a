import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How far the reading of one input has got, for a progress line (README "Progress"). The Input
/// stage only reports these values; drawing them is the command line's business.
package struct InputProgress: Sendable, Equatable {
  /// What the user named: a file, a directory, an archive, `-`.
  package var input: String
  /// The source being read: the input itself, a file of the directory, an archive member
  /// (`bundle.tar.gz!ns/prod/events.json`); empty until its first text source begins.
  package var current: String
  /// Bytes read from the disk or the pipe for this input so far (compressed bytes, for an archive).
  package var bytes: Int64
  /// The input's size when it is one regular file; nil for directories and streams.
  package var total: Int64?
  /// Time since this input was begun.
  package var elapsed: Duration
  /// True once, when the input has been read (the last report for it).
  package var finished: Bool

  package init(
    input: String, current: String = "", bytes: Int64 = 0, total: Int64? = nil, elapsed: Duration = .zero,
    finished: Bool = false
  ) {
    self.input = input
    self.current = current
    self.bytes = bytes
    self.total = total
    self.elapsed = elapsed
    self.finished = finished
  }
}

/// Receives progress on the reading thread after every read from a file or standard input, and
/// once with `finished` at the end of each input. It must be quick (the caller throttles drawing).
package typealias ProgressSink = @Sendable (InputProgress) -> Void

/// Counts the bytes read for the input being read and passes each new total to a `ProgressSink`.
final class ProgressMeter: @unchecked Sendable {
  // Guarded by `lock`: an archive's readers and the directory walk share it.
  private let lock = NSLock()
  private let sink: ProgressSink
  private var progress: InputProgress?
  private var started = ContinuousClock.now

  init(sink: @escaping ProgressSink) { self.sink = sink }

  /// A new input begins.
  func begin(input: String) {
    var info = stat()
    let total: Int64? =
      input != "-" && stat(input, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
    lock.lock()
    progress = InputProgress(input: input, total: total)
    started = .now
    lock.unlock()
  }

  /// A text source of the current input begins.
  func reading(_ source: String) {
    lock.lock()
    progress?.current = source
    lock.unlock()
  }

  /// `count` more bytes were read.
  func add(_ count: Int) {
    guard count > 0 else { return }
    lock.lock()
    guard var current = progress else {
      lock.unlock()
      return
    }
    current.bytes = current.bytes.addingReportingOverflow(Int64(count)).partialValue
    current.elapsed = .now - started
    progress = current
    lock.unlock()
    sink(current)
  }

  /// The current input has been read.
  func end() {
    lock.lock()
    guard var current = progress else {
      lock.unlock()
      return
    }
    current.elapsed = .now - started
    current.finished = true
    progress = nil
    lock.unlock()
    sink(current)
  }
}
