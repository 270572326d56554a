import Foundation
import PodmortemModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A plain regular file that may be read in two parts: the reading thread reads it from its start
/// as always, and a second reader (`reader(from:firstLine:diagnostics:)`) reads from a line start
/// onwards, on another thread (docs/architecture.md "Long and live inputs", Two cores).
///
/// `InputReader` offers one (`InputReader.parts`) for a file named on its own — not standard
/// input, not compressed, not an archive member, no byte-order mark or NUL byte in its head — of
/// at least `InputOptions.splitFilesAbove` bytes, while its visitor runs. The visitor chooses the
/// line to split at (`stop(at:decide:)`); when the reading thread gets there it asks `decide`,
/// which says whether the first part ends there (the second part's result is used) or the file is
/// read on to its end as if it had never been split. Either way the first part is the file's own
/// reader, so what it reads is byte for byte what one reader reads.
package final class FileParts: @unchecked Sendable {
  // `gate` is used on the reading thread only; `descriptor` is read with `pread` (no shared
  // position) from any thread.
  let descriptor: FileDescriptor
  let gate = PartGate()
  /// The file's size when it was opened.
  package let size: Int64
  private let name: String
  private let maxLineBytes: Int

  init(descriptor: FileDescriptor, size: Int64, name: String, maxLineBytes: Int) {
    self.descriptor = descriptor
    self.size = size
    self.name = name
    self.maxLineBytes = maxLineBytes
  }

  /// Up to `count` bytes at `offset` (fewer at the end of the file or on a read error).
  package func bytes(at offset: Int64, count: Int) -> [UInt8] {
    guard offset >= 0, count > 0 else { return [] }
    var out = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let read = out.withUnsafeMutableBytes { raw in
        descriptor.readBytes(
          into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), at: offset + Int64(filled), metered: false)
      }
      guard case .success(let n) = read, n > 0 else { break }
      filled += n
    }
    out.removeSubrange(filled...)
    return out
  }

  /// How many line ends (`\n`) the first `offset` bytes hold; nil when they cannot all be read.
  package func lineEnds(before offset: Int64) -> Int? {
    let block = 1 << 20
    var buffer = [UInt8](repeating: 0, count: block)
    var at: Int64 = 0
    var count = 0
    while at < offset {
      let want = Int(min(Int64(block), offset - at))
      let read = buffer.withUnsafeMutableBytes { raw in
        descriptor.readBytes(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<want]), at: at, metered: false)
      }
      guard case .success(let n) = read, n > 0 else { return nil }
      count += buffer.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return 0 }
        var lines = 0
        var p = base
        let end = base + n
        while p < end, let hit = memchr(p, 0x0A, end - p) {
          lines += 1
          p = UnsafeRawPointer(hit) + 1
        }
        return lines
      }
      at += Int64(n)
    }
    return count
  }

  /// Makes the reading thread stop at `offset` and call `decide` there: true ends the file's first
  /// part at `offset`, false reads on. False, and nothing changes, when the reading thread has
  /// already read past `offset` (a file whose head the sniffer took whole).
  package func stop(at offset: Int64, decide: @escaping () -> Bool) -> Bool {
    guard offset > gate.offset, offset < size else { return false }
    gate.stopAt = offset
    gate.decide = decide
    return true
  }

  /// True when the first part ended where `stop(at:decide:)` said.
  package var stopped: Bool { gate.stopped }

  /// The lines from `offset` (a line start) to the end of the file, numbered from `firstLine`;
  /// a line cut at the length cap and a read error go to `diagnostics`, as the file's own reader
  /// reports them.
  package func reader(from offset: Int64, firstLine: Int, diagnostics: @escaping DiagnosticSink) -> LineReader {
    let name = self.name
    let cap = maxLineBytes
    let source = FileSource(descriptor, name: name, from: offset, diagnostics: diagnostics)
    return LineReader(source, maxLineBytes: cap, firstLine: firstLine) { number, length in
      diagnostics(
        Diagnostic(
          .warning, SourceRef(source: name, line: number),
          "line '\(number)' is '\(length)' bytes long; kept the first '\(cap)' bytes"))
    }
  }
}

/// Where the reading thread is in a file offered in parts, and where it is to stop.
final class PartGate {
  /// Bytes the reading thread has been given so far.
  var offset: Int64 = 0
  var stopAt: Int64?
  var decide: (() -> Bool)?
  var stopped = false
}

/// The file's own stream below its line reader, stopping where the gate says.
struct GatedSource: WrappingSource {
  var base: any ByteSource
  let gate: PartGate

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    if gate.stopped { return 0 }
    var room = buffer.count
    if let stop = gate.stopAt {
      if gate.offset >= stop {
        gate.stopAt = nil
        if gate.decide?() == true {
          gate.decide = nil
          gate.stopped = true
          return 0
        }
        gate.decide = nil
      } else {
        room = Int(min(Int64(room), stop - gate.offset))
      }
    }
    let n = base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<room]))
    if n > 0 { gate.offset += Int64(n) }
    return n
  }
}

/// The parts of the file being visited, handed from `InputReader` to its visitor.
package final class PartsSlot: @unchecked Sendable {
  // Guarded by `lock`.
  private let lock = NSLock()
  private var current: FileParts?

  init() {}

  func set(_ parts: FileParts?) {
    lock.lock()
    current = parts
    lock.unlock()
  }

  /// The parts of the file being visited, once; nil for any other source.
  package func take() -> FileParts? {
    lock.lock()
    defer { lock.unlock() }
    let parts = current
    current = nil
    return parts
  }
}
