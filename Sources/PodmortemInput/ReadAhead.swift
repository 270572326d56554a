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
///
/// The buffers go round: a chunk the reader has used up goes back to the thread, which reads into
/// it again, so a run allocates at most `depth + 2` buffers however long the stream is, and holds
/// no chunk once it has been read (docs/architecture.md "Memory of the kubelet-log run").
package struct ReadAheadSource: ByteSource {
  private let handle: Handle
  private var current: Chunk?
  private var offset = 0

  /// How many reads may be waiting: 16 × 64 KiB keeps the parser fed without holding much.
  package static let defaultDepth = 16

  /// - Parameters:
  ///   - source: read only by the thread from now on.
  ///   - deferred: where `source` sends its diagnostics; they are forwarded to `diagnostics` in
  ///     the reader's order.
  ///   - readSize: the size of each read of `source`: the reader's buffer size.
  package init(
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
        let chunk = channel.reusable() ?? Chunk(capacity: size)
        let n = source.read(into: chunk.storage)
        chunk.count = min(max(0, n), size)
        chunk.diagnostics = deferred.drain()
        guard channel.put(chunk), n > 0 else { break }
      }
      channel.finish()
    }
    thread.name = "podmortem-read-ahead"
    thread.start()
  }

  package mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard buffer.count > 0 else { return 0 }
    while true {
      if let chunk = current, offset < chunk.count {
        let n = min(buffer.count, chunk.count - offset)
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: chunk.storage[offset..<(offset + n)]))
        offset += n
        return n
      }
      if let chunk = current, chunk.count == 0 { return 0 }
      guard let next = handle.channel.take() else { return 0 }
      for diagnostic in next.diagnostics { handle.diagnostics(diagnostic) }
      next.diagnostics = []
      // The used-up chunk goes back to the thread, unless a copy of this reader still holds it.
      if var used = current {
        current = nil
        if isKnownUniquelyReferenced(&used) { handle.channel.giveBack(used) }
      }
      current = next
      offset = 0
      // One read of the source per read of the reader, the end (no bytes) included.
      if next.count == 0 { return 0 }
    }
  }

  /// One read of the source: what it said while reading, then what it read (nothing at the end).
  /// Filled by the thread, then read by the reader: the channel's lock orders the two.
  private final class Chunk: @unchecked Sendable {
    var diagnostics: [Diagnostic] = []
    let storage: UnsafeMutableRawBufferPointer
    var count = 0

    init(capacity: Int) {
      storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
      storage.deallocate()
    }
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

  /// The bounded queue between the thread and the reader, and the used chunks on their way back.
  private final class Channel: @unchecked Sendable {
    // Guarded by `condition`.
    private var queue: [Chunk] = []
    private var spare: [Chunk] = []
    private var cancelled = false
    private var finished = false
    private let depth: Int
    private let condition = NSCondition()

    init(depth: Int) {
      self.depth = depth
      queue.reserveCapacity(depth)
    }

    var isCancelled: Bool {
      condition.lock()
      defer { condition.unlock() }
      return cancelled
    }

    /// Waits for room; false when the reader has gone.
    func put(_ chunk: Chunk) -> Bool {
      condition.lock()
      defer { condition.unlock() }
      while queue.count >= depth && !cancelled { condition.wait() }
      guard !cancelled else { return false }
      queue.append(chunk)
      condition.broadcast()
      return true
    }

    /// The next chunk, waiting for it; nil when the thread has ended and everything was taken.
    /// The queue lets go of it: a chunk that was read is held by the reader alone.
    func take() -> Chunk? {
      condition.lock()
      defer { condition.unlock() }
      while queue.isEmpty && !finished { condition.wait() }
      guard !queue.isEmpty else { return nil }
      // At most `depth` chunks wait: moving the rest up is cheap.
      let chunk = queue.removeFirst()
      condition.broadcast()
      return chunk
    }

    /// A chunk the reader has used up, to read into again.
    func giveBack(_ chunk: Chunk) {
      condition.lock()
      defer { condition.unlock() }
      if spare.count < 2 { spare.append(chunk) }
    }

    /// A used chunk to read into, if the reader has given one back.
    func reusable() -> Chunk? {
      condition.lock()
      defer { condition.unlock() }
      return spare.popLast()
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
package final class DeferredDiagnostics: @unchecked Sendable {
  // Guarded by `lock`.
  private var items: [Diagnostic] = []
  private let lock = NSLock()

  package init() {}

  package var sink: DiagnosticSink { { [self] diagnostic in lock.withLock { items.append(diagnostic) } } }

  package func drain() -> [Diagnostic] {
    lock.withLock {
      defer { items = [] }
      return items
    }
  }
}

/// A source whose diagnostics were deferred, read on this thread after all: each read forwards
/// what the source said during it before its bytes are used.
package struct ForwardingSource: WrappingSource {
  package var base: any ByteSource
  let deferred: DeferredDiagnostics
  let diagnostics: DiagnosticSink

  package init(base: any ByteSource, deferred: DeferredDiagnostics, diagnostics: @escaping DiagnosticSink) {
    self.base = base
    self.deferred = deferred
    self.diagnostics = diagnostics
  }

  package mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = base.read(into: buffer)
    flush()
    return n
  }

  /// Forwards what the source has said so far.
  func flush() {
    for diagnostic in deferred.drain() { diagnostics(diagnostic) }
  }
}
