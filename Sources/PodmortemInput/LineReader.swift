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
  /// The source, as far as it has been read: an archive takes its stream back from it after an entry.
  var byteSource: any ByteSource { source }
  /// Bytes consumed from the source so far.
  package private(set) var bytesRead: Int64 = 0

  /// - Parameters:
  ///   - onTruncated: called with the line number and the line's full length in bytes when a line
  ///     is cut at `maxLineBytes`.
  package init(
    _ source: some ByteSource, maxLineBytes: Int = 1 << 20, chunkSize: Int = 64 * 1024,
    onTruncated: @escaping (Int, Int) -> Void = { _, _ in }
  ) {
    self.source = source
    self.maxLineBytes = max(1, maxLineBytes)
    self.chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
    self.onTruncated = onTruncated
  }

  /// A reader over text in memory, for tests and embedded data.
  package init(string: String, window: Int = .max) {
    self.init(MemoryByteSource(string, window: window))
  }

  private var overflowLength = 0

  /// The next line, or nil at the end of the source.
  package mutating func next() -> Line? {
    while true {
      if chunkStart < chunkEnd {
        // Find the newline in what is buffered.
        var i = chunkStart
        var found = -1
        chunk.withUnsafeBufferPointer { buf in
          while i < chunkEnd {
            if buf[i] == 0x0A {
              found = i
              return
            }
            i += 1
          }
        }
        if found >= 0 {
          append(chunkStart..<found)
          chunkStart = found + 1
          return emit()
        }
        append(chunkStart..<chunkEnd)
        chunkStart = chunkEnd
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
