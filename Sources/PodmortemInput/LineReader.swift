#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits a byte stream into lines with flat memory: `\n` ends a line, one trailing `\r` is
/// stripped, invalid UTF-8 is replaced with U+FFFD, and a line longer than `maxLineBytes` is cut
/// (the rest of it is skipped, not buffered) and reported through `onTruncated`.
package struct LineReader {
  private var source: any ByteSource
  private let maxLineBytes: Int
  private var chunk: [UInt8]
  private var chunkStart = 0
  private var chunkEnd = 0
  private var pending: [UInt8] = []
  private var pendingOverflow = false
  private var lineNumber = 0
  private var finished = false
  private let onTruncated: (Int, Int) -> Void
  /// The followed stream below the wrappers, in follow mode (its descriptor and control are shared).
  private let followed: FollowSource?
  /// The source, as far as it has been read: an archive takes its stream back from it after an entry.
  var byteSource: any ByteSource { source }
  /// Bytes consumed from the source so far.
  package private(set) var bytesRead: Int64 = 0

  /// - Parameters:
  ///   - firstLine: the number of the source's first line (a file's second part, `FileParts`).
  ///   - onTruncated: called with the line number and the line's full length in bytes when a line
  ///     is cut at `maxLineBytes`.
  package init(
    _ source: some ByteSource, maxLineBytes: Int = 1 << 20, chunkSize: Int = defaultChunkSize, firstLine: Int = 1,
    onTruncated: @escaping (Int, Int) -> Void = { _, _ in }
  ) {
    self.lineNumber = firstLine - 1
    self.source = source
    self.followed = unwrap(source, to: FollowSource.self)
    self.maxLineBytes = max(1, maxLineBytes)
    self.chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
    self.onTruncated = onTruncated
  }

  /// The size of each read of the source.
  package static let defaultChunkSize = 64 * 1024

  /// A reader over text in memory, for tests and embedded data.
  package init(string: String, window: Int = .max) {
    self.init(MemoryByteSource(string, window: window))
  }

  private var overflowLength = 0

  /// Follow mode: true when every complete line that has arrived was returned and the followed stream has
  /// no byte waiting, after waiting up to `milliseconds` for one — so a sniffer can stop
  /// gathering head lines instead of waiting for lines that may not come for minutes. Always
  /// false for a source that is not followed, so reading it is unchanged.
  package func isCaughtUp(milliseconds: Int32 = 200) -> Bool {
    guard let followed, !finished else { return false }
    // A complete line still in the chunk is waiting; the start of one is not.
    if chunkStart < chunkEnd {
      let (start, end) = (chunkStart, chunkEnd)
      let hasLine = chunk.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return false }
        return memchr(base + start, 0x0A, end - start) != nil
      }
      if hasLine { return false }
    }
    var current: any ByteSource = source
    while true {
      if current is FollowSource { return followed.nothingWaiting(milliseconds: milliseconds) }
      if let peek = current as? PeekSource, peek.hasUnservedHead { return false }
      guard let base = current.wrappedSource else { return false }
      current = base
    }
  }

  /// The next line, or nil at the end of the source.
  package mutating func next() -> Line? {
    while true {
      if chunkStart < chunkEnd {
        let start = chunkStart
        let end = chunkEnd
        let found: Int? = chunk.withUnsafeBytes { raw in
          guard let base = raw.baseAddress, let hit = memchr(base + start, 0x0A, end - start) else { return nil }
          return UnsafeRawPointer(hit) - base
        }
        if let found {
          chunkStart = found + 1
          // The common case: the whole line sits in the chunk, so it is decoded without a copy.
          if pending.isEmpty && !pendingOverflow && found - start <= maxLineBytes {
            return emitInChunk(start..<found)
          }
          append(start..<found)
          return emit()
        }
        append(start..<end)
        chunkStart = end
      }
      if finished {
        if pending.isEmpty && !pendingOverflow { return nil }
        return emit()
      }
      let n = chunk.withUnsafeMutableBytes { source.read(into: $0) }
      if n <= 0 {
        finished = true
      } else {
        chunkStart = 0
        chunkEnd = n
        bytesRead += Int64(n)
      }
    }
  }

  /// What `next(offering:)` did with a line.
  package enum Offered {
    /// The offer took the line's bytes: no `String` was made of it.
    case taken(number: Int)
    /// The line, as `next()` gives it.
    case line(Line)
  }

  /// `next()`, except that a line whose bytes sit whole in the chunk (the common case, where
  /// `next()` decodes them without a copy) is first offered to `take` as those bytes, without its
  /// `\n` and one trailing `\r` (the bytes `next()` decodes), with its number. When `take`
  /// returns true it has read them and no `String` is made (`.taken`); otherwise the line is made
  /// as `next()` makes it (`.line`). Any other line (one that spans chunks, one cut at
  /// `maxLineBytes`, the last without a `\n`) is made as `next()` makes it, not offered. Nil at
  /// the end of the source. The lines, their numbers and the reads of the source are `next()`'s
  /// (docs/architecture.md "Speed of the EventList path").
  package mutating func next(offering take: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Offered? {
    offered(take, goingOn: false)
  }

  /// `next(offering:)` called again after every line `take` takes, without returning: the next
  /// line `take` does not take (or that is not offered), as `next()` makes it, or nil at the end
  /// of the source. Every line taken on the way is `take`'s, with its number, in order; the
  /// lines, their numbers and the reads of the source are `next()`'s. A pretty-printed EventList
  /// is read nearly all through `take`: returning after each line, to be called again for the
  /// next, was about a fifth of the reader's own instructions a line (docs/architecture.md
  /// "Speed of the EventList path"). `OfferedLineReaderTests` holds it to `next()` and
  /// `next(offering:)`.
  package mutating func nextUntaken(offering take: (UnsafeBufferPointer<UInt8>, Int) -> Bool) -> Line? {
    switch offered(take, goingOn: true) {
    case .line(let line)?: return line
    // Going on, a taken line is never returned.
    case .taken?, nil: return nil
    }
  }

  /// The loop of `next(offering:)` and `nextUntaken(offering:)`: after a line `take` takes, it
  /// returns it as `.taken` or, `goingOn`, reads on. Inlined into each, where `goingOn` is a
  /// constant, so neither pays for the other's branch.
  @inline(__always)
  private mutating func offered(
    _ take: (UnsafeBufferPointer<UInt8>, Int) -> Bool, goingOn: Bool
  ) -> Offered? {
    while true {
      if chunkStart < chunkEnd {
        let start = chunkStart
        let end = chunkEnd
        let found: Int? = chunk.withUnsafeBytes { raw in
          guard let base = raw.baseAddress, let hit = memchr(base + start, 0x0A, end - start) else { return nil }
          return UnsafeRawPointer(hit) - base
        }
        if let found {
          chunkStart = found + 1
          if pending.isEmpty && !pendingOverflow && found - start <= maxLineBytes {
            lineNumber += 1
            var last = found
            if last > start && chunk[last - 1] == 0x0D { last -= 1 }
            let number = lineNumber
            let taken = chunk.withUnsafeBufferPointer {
              take(UnsafeBufferPointer(rebasing: $0[start..<last]), number)
            }
            if taken {
              if goingOn { continue }
              return .taken(number: number)
            }
            let text = chunk.withUnsafeBufferPointer {
              String(decoding: UnsafeBufferPointer(rebasing: $0[start..<last]), as: UTF8.self)
            }
            return .line(Line(number: number, text: text, truncated: false))
          }
          append(start..<found)
          return .line(emit())
        }
        append(start..<end)
        chunkStart = end
      }
      if finished {
        if pending.isEmpty && !pendingOverflow { return nil }
        return .line(emit())
      }
      let n = chunk.withUnsafeMutableBytes { source.read(into: $0) }
      if n <= 0 {
        finished = true
      } else {
        chunkStart = 0
        chunkEnd = n
        bytesRead += Int64(n)
      }
    }
  }

  /// True when the source is followed (`--follow`): otherwise `isCaughtUp` is always false.
  package var isFollowed: Bool { followed != nil }

  private mutating func emitInChunk(_ range: Range<Int>) -> Line {
    lineNumber += 1
    var end = range.upperBound
    if end > range.lowerBound && chunk[end - 1] == 0x0D { end -= 1 }
    let text = chunk.withUnsafeBufferPointer {
      String(decoding: UnsafeBufferPointer(rebasing: $0[range.lowerBound..<end]), as: UTF8.self)
    }
    return Line(number: lineNumber, text: text, truncated: false)
  }

  private mutating func append(_ range: Range<Int>) {
    guard !range.isEmpty else { return }
    let room = maxLineBytes - pending.count
    if room >= range.count {
      pending.append(contentsOf: chunk[range])
    } else {
      if room > 0 { pending.append(contentsOf: chunk[range.lowerBound..<(range.lowerBound + room)]) }
      pendingOverflow = true
    }
    overflowLength += range.count
  }

  private mutating func emit() -> Line {
    lineNumber += 1
    var bytes = pending[...]
    if !pendingOverflow, bytes.last == 0x0D { bytes = bytes.dropLast() }
    let text = String(decoding: bytes, as: UTF8.self)
    let truncated = pendingOverflow
    if truncated { onTruncated(lineNumber, overflowLength) }
    pending.removeAll(keepingCapacity: pending.count <= 1 << 16)
    pendingOverflow = false
    overflowLength = 0
    return Line(number: lineNumber, text: text, truncated: truncated)
  }
}
