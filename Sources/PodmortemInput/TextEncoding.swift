/// Text that is not plain UTF-8 but still text: a byte-order mark in front (Windows editors,
/// PowerShell's `>` writes UTF-16LE), UTF-16 or UTF-32. Detected by the BOM only
/// (https://www.unicode.org/faq/utf_bom.html#bom4); decoded to UTF-8 as it is read.
enum TextEncoding: String, Equatable {
  case utf8 = "UTF-8"
  case utf16LE = "UTF-16LE"
  case utf16BE = "UTF-16BE"
  case utf32LE = "UTF-32LE"
  case utf32BE = "UTF-32BE"

  /// The encoding a byte-order mark at the start of `head` announces, and the mark's length.
  static func detect(_ head: [UInt8]) -> (encoding: TextEncoding, bomLength: Int)? {
    if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
    if head.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return (.utf32LE, 4) }
    if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return (.utf32BE, 4) }
    if head.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
    if head.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
    return nil
  }

  var unitBytes: Int {
    switch self {
    case .utf8: 1
    case .utf16LE, .utf16BE: 2
    case .utf32LE, .utf32BE: 4
    }
  }
}

/// Another source without its first `count` bytes (a byte-order mark).
struct SkippingSource: WrappingSource {
  var base: any ByteSource
  private var toSkip: Int

  init(base: any ByteSource, skipping count: Int) {
    self.base = base
    self.toSkip = count
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while toSkip > 0 {
      let n = base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(toSkip, buffer.count)]))
      guard n > 0 else { return 0 }
      toSkip -= n
    }
    return base.read(into: buffer)
  }
}

/// UTF-16 or UTF-32 text decoded to UTF-8 while it is read. Unpaired surrogates and values
/// that are not Unicode scalars become U+FFFD, as a decoder must (Unicode §3.9).
struct TranscodingSource: WrappingSource {
  var base: any ByteSource
  private let encoding: TextEncoding
  private var input: [UInt8] = []
  private var output: [UInt8] = []
  private var outputStart = 0
  private var ended = false
  private var chunk = [UInt8](repeating: 0, count: 16 * 1024)

  init(base: any ByteSource, encoding: TextEncoding) {
    self.base = base
    self.encoding = encoding
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard buffer.count > 0 else { return 0 }
    while outputStart == output.count {
      output.removeAll(keepingCapacity: true)
      outputStart = 0
      if ended { return 0 }
      let n = chunk.withUnsafeMutableBytes { base.read(into: $0) }
      if n == 0 { ended = true } else { input += chunk[0..<n] }
      decode()
    }
    let n = min(buffer.count, output.count - outputStart)
    output.withUnsafeBytes { bytes in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[outputStart..<(outputStart + n)]))
    }
    outputStart += n
    return n
  }

  private func unit(_ at: Int) -> UInt32 {
    switch encoding {
    case .utf16LE: UInt32(input[at]) | UInt32(input[at + 1]) << 8
    case .utf16BE: UInt32(input[at]) << 8 | UInt32(input[at + 1])
    case .utf32LE:
      UInt32(input[at]) | UInt32(input[at + 1]) << 8 | UInt32(input[at + 2]) << 16 | UInt32(input[at + 3]) << 24
    case .utf32BE:
      UInt32(input[at]) << 24 | UInt32(input[at + 1]) << 16 | UInt32(input[at + 2]) << 8 | UInt32(input[at + 3])
    case .utf8: UInt32(input[at])
    }
  }

  /// Decodes every complete code unit (or surrogate pair) in `input`; at the end, a trailing
  /// partial unit becomes U+FFFD.
  private mutating func decode() {
    let width = encoding.unitBytes
    var at = 0
    while at + width <= input.count {
      let first = unit(at)
      var scalar: Unicode.Scalar?
      var used = width
      if width == 2, (0xD800..<0xDC00).contains(first) {
        if at + 2 * width > input.count && !ended { break }  // the low half is in the next read
        if at + 2 * width <= input.count {
          let second = unit(at + width)
          if (0xDC00..<0xE000).contains(second) {
            scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            used = 2 * width
          }
        }
      } else {
        scalar = Unicode.Scalar(first)
      }
      append(scalar ?? "\u{FFFD}")
      at += used
    }
    input.removeFirst(at)
    if ended && !input.isEmpty {
      append("\u{FFFD}")
      input.removeAll()
    }
  }

  private mutating func append(_ scalar: Unicode.Scalar) {
    UTF8.encode(scalar) { output.append($0) }
  }
}

/// Text with stray NUL bytes (a log whose writer crashed mid-line, a file padded by a full
/// disk): each NUL is read as a space so the lines around it are kept.
struct NULReplacingSource: WrappingSource {
  var base: any ByteSource

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = base.read(into: buffer)
    for index in 0..<n where buffer[index] == 0 { buffer[index] = 0x20 }
    return n
  }
}

/// Measures how fast a text source is read and warns once, while it is still being read, when it
/// has taken over `afterSeconds` at under `bytesPerSecond` (a slow disk, a network mount, a
/// pathological input): the user learns which source holds the run up.
struct TimedSource: WrappingSource {
  var base: any ByteSource
  private let afterSeconds: Double
  private let bytesPerSecond: Double
  private let started: ContinuousClock.Instant
  private var bytes: Int64 = 0
  private var warned = false
  private let warn: (Int64, Double) -> Void

  /// `started`: when reading the source began (before its first bytes were peeked at).
  init(
    base: any ByteSource, started: ContinuousClock.Instant, afterSeconds: Double, bytesPerSecond: Double,
    warn: @escaping (Int64, Double) -> Void
  ) {
    self.base = base
    self.started = started
    self.afterSeconds = afterSeconds
    self.bytesPerSecond = bytesPerSecond
    self.warn = warn
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = base.read(into: buffer)
    bytes += Int64(n)
    if !warned {
      let elapsed = ContinuousClock.now - started
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      if seconds >= afterSeconds && Double(bytes) < bytesPerSecond * seconds {
        warned = true
        warn(bytes, seconds)
      }
    }
    return n
  }
}
