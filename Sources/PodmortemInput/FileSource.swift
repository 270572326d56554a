import PodmortemModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Owns one open file descriptor and closes it in `deinit` (standard input is never closed).
final class FileDescriptor: Sendable {
  let fd: Int32
  private let owned: Bool
  /// Counts every byte read, for a progress line (`InputReader.init(progress:)`).
  private let meter: ProgressMeter?

  private init(fd: Int32, owned: Bool, meter: ProgressMeter?) {
    self.fd = fd
    self.owned = owned
    self.meter = meter
  }

  deinit {
    if owned { close(fd) }
  }

  /// Standard input, borrowed: it is not closed when the reader is done.
  static func standardInput(meter: ProgressMeter? = nil) -> FileDescriptor {
    FileDescriptor(fd: 0, owned: false, meter: meter)
  }

  /// Opens `path` for reading (with extra `flags`), or returns the `errno` description.
  static func opening(_ path: String, flags: Int32 = 0, meter: ProgressMeter? = nil) -> Result<
    FileDescriptor, FileError
  > {
    let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | flags) }
    guard fd >= 0 else { return .failure(FileError.current) }
    return .success(FileDescriptor(fd: fd, owned: true, meter: meter))
  }

  /// Reads up to `buffer.count` bytes at the current position, retrying on `EINTR`.
  func readBytes(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, FileError> {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return .success(0) }
    while true {
      let n = read(fd, base, buffer.count)
      if n >= 0 {
        meter?.add(n)
        return .success(n)
      }
      if errno != EINTR { return .failure(FileError.current) }
    }
  }

  /// Reads up to `buffer.count` bytes at `offset` without moving the position (zip central directory).
  /// `metered: false` leaves the progress meter alone (a read on another thread, `FileParts`).
  func readBytes(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, metered: Bool = true) -> Result<
    Int, FileError
  > {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return .success(0) }
    while true {
      let n = pread(fd, base, buffer.count, off_t(offset))
      if n >= 0 {
        if metered { meter?.add(n) }
        return .success(n)
      }
      if errno != EINTR { return .failure(FileError.current) }
    }
  }

  /// The file's status, when `fstat` can tell.
  func status() -> stat? {
    var info = stat()
    return fstat(fd, &info) == 0 ? info : nil
  }
}

/// An `errno` value with its description, for diagnostics.
struct FileError: Error, CustomStringConvertible {
  var code: Int32

  static var current: FileError { FileError(code: errno) }

  var description: String { String(cString: strerror(code)).lowercased() }
}

/// The bytes of an open file or of standard input, read with POSIX `read` in the caller's chunks;
/// or, from a given offset on, with `pread` and past the progress meter (the second part of a file
/// read in two, on another thread: `FileParts`). A read error ends the source with a diagnostic
/// naming the byte offset.
struct FileSource: ByteSource {
  let descriptor: FileDescriptor
  private let name: String
  private let diagnostics: DiagnosticSink
  private var offset: Int64
  /// True when reading with `pread` from `offset`, not from the descriptor's own position.
  private let positioned: Bool
  private var failed = false

  init(_ descriptor: FileDescriptor, name: String, from start: Int64? = nil, diagnostics: @escaping DiagnosticSink) {
    self.descriptor = descriptor
    self.name = name
    self.diagnostics = diagnostics
    self.offset = start ?? 0
    self.positioned = start != nil
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard !failed else { return 0 }
    let result =
      positioned ? descriptor.readBytes(into: buffer, at: offset, metered: false) : descriptor.readBytes(into: buffer)
    switch result {
    case .success(let n):
      offset += Int64(n)
      return n
    case .failure(let error):
      failed = true
      diagnostics(
        Diagnostic(
          .warning, SourceRef(source: name, line: 0), "read failed at byte \(offset): \(error)", byteOffset: offset))
      return 0
    }
  }
}

/// A source that reads from another one; lets an archive find its own stream again below the
/// layers (peeking, gzip) that an entry was read through.
protocol WrappingSource: ByteSource {
  var base: any ByteSource { get }
}

extension WrappingSource {
  var wrappedSource: (any ByteSource)? { base }
}

/// Peels wrapping layers until `T` is found.
func unwrap<T: ByteSource>(_ source: any ByteSource, to type: T.Type) -> T? {
  var current = source
  while true {
    if let found = current as? T { return found }
    guard let base = current.wrappedSource else { return nil }
    current = base
  }
}

/// A source whose first bytes were read ahead to sniff the format; they are served again first.
struct PeekSource: WrappingSource {
  var base: any ByteSource
  /// The bytes read ahead (up to the amount asked for; fewer when the source is shorter).
  private(set) var head: [UInt8] = []
  private var headOffset = 0

  /// - Parameter untilNewline: stop reading ahead once a line has ended (follow mode: a live
  ///   stream may not send `count` bytes for a long time).
  init(base: any ByteSource, peek count: Int, untilNewline: Bool = false) {
    self.base = base
    head = [UInt8](repeating: 0, count: count)
    guard untilNewline else {
      let n = head.withUnsafeMutableBytes { readFully(&self.base, into: $0) }
      head.removeSubrange(n...)
      return
    }
    var filled = 0
    while filled < count {
      let n = head.withUnsafeMutableBytes {
        self.base.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
      }
      if n <= 0 { break }
      filled += n
      if head[(filled - n)..<filled].contains(0x0A) { break }
    }
    head.removeSubrange(filled...)
  }

  /// True while bytes read ahead have not been served again.
  var hasUnservedHead: Bool { headOffset < head.count }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    if headOffset < head.count {
      let n = min(buffer.count, head.count - headOffset)
      head.withUnsafeBytes { bytes in
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[headOffset..<(headOffset + n)]))
      }
      headOffset += n
      if headOffset == head.count { head = [] }
      return n
    }
    return base.read(into: buffer)
  }
}

/// At most `remaining` bytes of another source: one tar entry inside the archive stream.
struct BoundedSource: WrappingSource {
  var base: any ByteSource
  /// Bytes of the entry not read yet.
  private(set) var remaining: Int64
  /// True when the stream ended before the entry did.
  private(set) var truncated = false

  init(base: any ByteSource, count: Int64) {
    self.base = base
    self.remaining = count
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard remaining > 0, !truncated else { return 0 }
    let n = Int(min(Int64(buffer.count), remaining))
    let got = base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]))
    if got <= 0 {
      truncated = true
      return 0
    }
    remaining -= Int64(got)
    return got
  }
}

/// Reads until `buffer` is full or the source ends; returns how many bytes were read.
func readFully(_ source: inout any ByteSource, into buffer: UnsafeMutableRawBufferPointer) -> Int {
  var filled = 0
  while filled < buffer.count {
    let n = source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
    if n <= 0 { break }
    filled += n
  }
  return filled
}

/// Reads and discards `count` bytes; returns how many were actually there.
func skip(_ source: inout any ByteSource, _ count: Int64) -> Int64 {
  guard count > 0 else { return 0 }
  var scratch = [UInt8](repeating: 0, count: Int(min(count, 64 * 1024)))
  var left = count
  while left > 0 {
    let n = scratch.withUnsafeMutableBytes { buffer in
      source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(min(Int64(buffer.count), left))]))
    }
    if n <= 0 { break }
    left -= Int64(n)
  }
  return count - left
}
