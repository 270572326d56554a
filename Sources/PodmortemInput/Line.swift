/// One line of a source: its 1-based number and its text, `\r` stripped, invalid UTF-8 replaced.
package struct Line: Hashable, Sendable {
  package var number: Int
  package var text: String
  /// True when the line was longer than the cap and was cut (a diagnostic says so).
  package var truncated: Bool

  package init(number: Int, text: String, truncated: Bool = false) {
    self.number = number
    self.text = text
    self.truncated = truncated
  }
}

/// Raw bytes from somewhere: a file, stdin, a gzip stream, a tar entry.
///
/// `read` fills `buffer` with up to `buffer.count` bytes and returns how many it wrote; 0 means
/// the end. A source that breaks (truncated gzip) reports it through its diagnostics and then
/// returns 0: readers never see errors, only the bytes that could be recovered.
package protocol ByteSource {
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
  /// The source this one reads from, for a layer over another (`WrappingSource`); nil otherwise.
  /// A requirement, so peeling layers needs no cast to `any WrappingSource`: such a cast looks up
  /// each concrete type's conformance, and a first look-up searches every conformance record of
  /// the binary (docs/architecture.md, "The start-up floor").
  var wrappedSource: (any ByteSource)? { get }
}

extension ByteSource {
  package var wrappedSource: (any ByteSource)? { nil }
}

/// Bytes already in memory (tests, small embedded texts). Serves at most `window` bytes per read
/// so tests can push input through 1-, 7- and 4096-byte windows.
package struct MemoryByteSource: ByteSource {
  private let bytes: [UInt8]
  private var offset = 0
  private let window: Int

  package init(_ bytes: [UInt8], window: Int = .max) {
    self.bytes = bytes
    self.window = max(1, window)
  }

  package init(_ text: String, window: Int = .max) {
    self.init(Array(text.utf8), window: window)
  }

  package mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = min(buffer.count, window, bytes.count - offset)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]).copyMemory(
        from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + n)]))
    }
    offset += n
    return n
  }
}
