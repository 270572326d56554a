import Foundation
import PodmortemModel

/// Another source read on a thread of its own, at most `depth` reads ahead: a gzip stream inflates
/// on one core while the lines it produced are parsed on the other (docs/architecture.md "Long
/// and live inputs", Two cores).
///
/// What the reader sees is exactly what reading the source directly gives: the source is read with
/// the same buffer size the reader asks for, one source read per reader read, so every limit and
/// ratio check inside it falls where it would have; and the diagnostics the source raised in a read
/// reach the sink when the reader reaches that read's bytes, not earlier (`DeferredDiagnostics`).
/// A reader that stops early stops the thread: the last copy going away cancels it and waits.
struct ReadAheadSource: ByteSource {
  private let handle: Handle
  private var current: Chunk?
  private var offset = 0

  /// How many reads may be waiting: 16 × 64 KiB keeps the parser fed without holding much.
  static let defaultDepth = 16

  /// - Parameters:
  ///   - source: read only by the thread from now on.
  ///   - deferred: where `source` sends its diagnostics; they are forwarded to `diagnostics` in
  ///     the reader's order.
  ///   - readSize: the size of each read of `source`: the reader's buffer size.
  init(
    _ source: any ByteSource, deferred: DeferredDiagnostics, diagnostics: @escaping DiagnosticSink,
    readSize: Int = 64 * 1024, depth: Int = defaultDepth
  ) {
    let channel = Channel(depth: max(1, depth))
    handle = Handle(channel: channel, diagnostics: diagnostics)
    let transfer = Transfer(source: source)
    let size = max(1, readSize)
    let thread = Thread {
      var source = transfer.source
      while !channel.isCancelled {
        var bytes = [UInt8](repeating: 0, count: size)
        let n = bytes.withUnsafeMutableBytes { source.read(into: $0) }
        bytes.removeSubrange(max(0, n)...)
        guard channel.put(Chunk(diagnostics: deferred.drain(), bytes: bytes)), n > 0 else { break }
      }
      channel.finish()
    }
    thread.name = "podmortem-read-ahead"
    thread.start()
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard buffer.count > 0 else { return 0 }
    while true {
      if let chunk = current, offset < chunk.bytes.count {
        let n = min(buffer.count, chunk.bytes.count - offset)
        chunk.bytes.withUnsafeBytes { bytes in
          buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]))
        }
        offset += n
        return n
      }
      if let chunk = current, chunk.bytes.isEmpty { return 0 }
      guard let next = handle.channel.take() else { return 0 }
      for diagnostic in next.diagnostics { handle.diagnostics(diagnostic) }
      current = next
      offset = 0
      // One read of the source per read of the reader, the end (no bytes) included.
      if next.bytes.isEmpty { return 0 }
    }
  }

  /// One read of the source: what it said while reading, then what it read (nothing at the end).
  private struct Chunk {
    var diagnostics: [Diagnostic]
    var bytes: [UInt8]
  }

  /// Moves the source to the thread: only the thread touches it once it starts.
  private final class Transfer: @unchecked Sendable {
    let source: any ByteSource
    init(source: any ByteSource) { self.source = source }
  }

  /// Owned by the reader's copies only (the thread holds the channel, not this): when the last
  /// copy goes, the thread is told to stop and waited for, so it never outlives the read.
  private final class Handle {
    let channel: Channel
    let diagnostics: DiagnosticSink

    init(channel: Channel, diagnostics: @escaping DiagnosticSink) {
      self.channel = channel
      self.diagnostics = diagnostics
    }

    deinit {
      channel.cancelAndWait()
    }
  }

  /// The bounded queue between the thread and the reader.
  private final class Channel: @unchecked Sendable {
    // Guarded by `condition`.
    private var queue: [Chunk] = []
    private var head = 0
    private var cancelled = false
    private var finished = false
    private let depth: Int
    private let condition = NSCondition()

    init(depth: Int) { self.depth = depth }

    var isCancelled: Bool {
      condition.lock()
      defer { condition.unlock() }
      return cancelled
    }

    /// Waits for room; false when the reader has gone.
    func put(_ chunk: Chunk) -> Bool {
      condition.lock()
      defer { condition.unlock() }
      while queue.count - head >= depth && !cancelled { condition.wait() }
      guard !cancelled else { return false }
      queue.append(chunk)
      condition.broadcast()
      return true
    }

    /// The next chunk, waiting for it; nil when the thread has ended and everything was taken.
    func take() -> Chunk? {
      condition.lock()
      defer { condition.unlock() }
      while head == queue.count && !finished { condition.wait() }
      guard head < queue.count else { return nil }
      let chunk = queue[head]
      // The taken chunk's slot lets go of its bytes now: the queue drops its taken slots only 64 at
      // a time, and until then they held up to 64 read chunks of 64 KiB, 5.4 MB of the 128 MiB
      // gzip run's heap peak (docs/architecture.md "Memory of the kubelet-log run").
      queue[head] = Chunk(diagnostics: [], bytes: [])
      head += 1
      if head > 64 {
        queue.removeFirst(head)
        head = 0
      }
      condition.broadcast()
      return chunk
    }

    func finish() {
      condition.lock()
      finished = true
      condition.broadcast()
      condition.unlock()
    }

    func cancelAndWait() {
      condition.lock()
      cancelled = true
      condition.broadcast()
      while !finished { condition.wait() }
      condition.unlock()
    }
  }
}

/// Diagnostics held back instead of sent, for a source read on another thread: `ReadAheadSource`
/// sends them on when the reader gets to the bytes read beside them.
final class DeferredDiagnostics: @unchecked Sendable {
  // Guarded by `lock`.
  private var items: [Diagnostic] = []
  private let lock = NSLock()

  var sink: DiagnosticSink { { [self] diagnostic in lock.withLock { items.append(diagnostic) } } }

  func drain() -> [Diagnostic] {
    lock.withLock {
      defer { items = [] }
      return items
    }
  }
}

/// A source whose diagnostics were deferred, read on this thread after all: each read forwards
/// what the source said during it before its bytes are used.
struct ForwardingSource: WrappingSource {
  var base: any ByteSource
  let deferred: DeferredDiagnostics
  let diagnostics: DiagnosticSink

  init(base: any ByteSource, deferred: DeferredDiagnostics, diagnostics: @escaping DiagnosticSink) {
    self.base = base
    self.deferred = deferred
    self.diagnostics = diagnostics
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = base.read(into: buffer)
    flush()
    return n
  }

  /// Forwards what the source has said so far.
  func flush() {
    for diagnostic in deferred.drain() { diagnostics(diagnostic) }
  }
}
