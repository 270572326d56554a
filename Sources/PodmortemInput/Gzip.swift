// The only file that imports CZlib (docs/architecture.md "What must hold"; ConfinementTests enforces it).
import CZlib
import PodmortemModel

/// Owns one zlib `z_stream` for inflating and frees it in `deinit`. The one place where zlib
/// return codes become Swift values; gzip streams and zip entries both inflate through it.
final class Inflater {
  /// What the compressed bytes are wrapped in.
  enum Format {
    /// A gzip member (RFC 1952): header, deflate data, CRC-32 and length trailer.
    case gzip
    /// Bare deflate data (RFC 1951), as stored in a zip entry.
    case raw
  }

  /// The outcome of one `inflate` call.
  struct Step {
    var consumed: Int
    var produced: Int
    /// The deflate stream (the gzip member) ended in this step.
    var ended: Bool
    /// zlib refused the data; a short description of why.
    var failure: String?
  }

  private var stream = z_stream()
  private let ready: Bool

  init(_ format: Format) {
    // windowBits 15 is the largest window; +16 makes zlib parse the gzip header and trailer,
    // a negative value means raw deflate with no header at all.
    let windowBits: Int32 = format == .gzip ? 15 + 16 : -15
    ready = CZlib_inflateInit2(&stream, windowBits) == Z_OK
  }

  deinit {
    if ready { inflateEnd(&stream) }
  }

  /// Inflates from `input` into `output` until one of them is used up or the stream ends.
  func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Step {
    guard ready else { return Step(consumed: 0, produced: 0, ended: false, failure: "zlib could not start") }
    guard let outBase = output.baseAddress, output.count > 0 else {
      return Step(consumed: 0, produced: 0, ended: false, failure: nil)
    }
    // zlib never writes through next_in; the mutable cast only satisfies the C signature.
    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = uInt(clamping: input.count)
    stream.next_out = outBase.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = uInt(clamping: output.count)
    let availIn = Int(stream.avail_in)
    let availOut = Int(stream.avail_out)
    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
    let consumed = availIn - Int(stream.avail_in)
    let produced = availOut - Int(stream.avail_out)
    stream.next_in = nil
    stream.next_out = nil
    switch code {
    case Z_OK, Z_BUF_ERROR:
      return Step(consumed: consumed, produced: produced, ended: false, failure: nil)
    case Z_STREAM_END:
      return Step(consumed: consumed, produced: produced, ended: true, failure: nil)
    case Z_MEM_ERROR:
      return Step(consumed: consumed, produced: produced, ended: false, failure: "out of memory")
    case Z_NEED_DICT:
      return Step(consumed: consumed, produced: produced, ended: false, failure: "preset dictionary required")
    default:
      let detail = stream.msg.map { String(cString: $0) } ?? "code '\(code)'"
      return Step(consumed: consumed, produced: produced, ended: false, failure: detail)
    }
  }

  /// Starts a new stream with the same format (the next member of a multi-member gzip file).
  func reset() {
    if ready { inflateReset(&stream) }
  }

  /// The CRC-32 (as in gzip and zip) of `bytes`, continuing from `crc`.
  static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
    return UInt32(CZlib.crc32(uLong(crc), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
  }
}

/// A gzip stream, inflated as it is read: never whole in memory. Reads every member of a
/// multi-member file; a truncated or corrupt stream gives the bytes recovered so far and a
/// diagnostic naming the compressed byte offset; output past `limit` bytes is cut with a diagnostic.
struct GzipSource: ByteSource, WrappingSource {
  var base: any ByteSource
  private let inflater = Inflater(.gzip)
  private var input = [UInt8](repeating: 0, count: 64 * 1024)
  private var inputStart = 0
  private var inputEnd = 0
  private var baseEnded = false
  private var done = false
  private var memberOpen = true
  /// Compressed bytes consumed by zlib so far: the offset that diagnostics name.
  private var compressedOffset: Int64 = 0
  private var produced: Int64 = 0
  private let limit: Int64
  private let budget: DecompressionBudget
  private let name: String
  private let diagnostics: DiagnosticSink

  init(
    base: any ByteSource, name: String, limit: Int64, budget: DecompressionBudget,
    diagnostics: @escaping DiagnosticSink
  ) {
    self.base = base
    self.budget = budget
    self.name = name
    self.limit = limit
    self.diagnostics = diagnostics
  }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard buffer.count > 0 else { return 0 }
    while !done {
      if inputStart == inputEnd && !baseEnded { refill() }
      if !memberOpen {
        // A member ended: another member may follow (multi-member gzip, RFC 1952 §2.2).
        if inputStart == inputEnd {
          done = true
          break
        }
        if input[inputStart] != 0x1F || (inputEnd - inputStart > 1 && input[inputStart + 1] != 0x8B) {
          report(.note, "ignored trailing bytes after the gzip stream at byte \(compressedOffset)")
          done = true
          break
        }
        inflater.reset()
        memberOpen = true
      }
      if produced >= limit {
        report(.warning, "stopped at byte \(compressedOffset): more than '\(limit)' decompressed bytes (--max-bytes)")
        done = true
        break
      }
      let room = budget.reserve(Int(min(Int64(buffer.count), limit - produced)))
      guard room > 0 else {
        report(
          .warning,
          "stopped at byte \(compressedOffset): the run's '\(budget.limit)' decompressed bytes are spent "
            + "(--max-total-bytes)")
        done = true
        break
      }
      let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<room])
      let step = input.withUnsafeBytes { bytes in
        inflater.inflate(UnsafeRawBufferPointer(rebasing: bytes[inputStart..<inputEnd]), into: window)
      }
      budget.release(room - step.produced)
      inputStart += step.consumed
      compressedOffset += Int64(step.consumed)
      produced += Int64(step.produced)
      if budget.expandsTooMuch(produced: produced, consumed: compressedOffset) {
        report(
          .warning,
          "stopped at byte \(compressedOffset): the stream expands more than \(budget.maxExpansionRatio):1 "
            + "(a compression bomb? --max-total-bytes reads it anyway)")
        done = true
        return step.produced
      }
      if let failure = step.failure {
        report(.warning, "corrupt gzip stream at byte \(compressedOffset): \(failure)")
        done = true
        return step.produced
      }
      if step.ended { memberOpen = false }
      if step.produced > 0 { return step.produced }
      if !step.ended && step.consumed == 0 && inputStart < inputEnd {
        // zlib made no progress with input and room to spare: never spin on it.
        report(.warning, "corrupt gzip stream at byte \(compressedOffset): no progress")
        done = true
      }
      if !step.ended && step.consumed == 0 && inputStart == inputEnd && baseEnded {
        report(.warning, "truncated gzip stream at byte \(compressedOffset)")
        done = true
      }
    }
    return 0
  }

  private mutating func refill() {
    inputStart = 0
    inputEnd = input.withUnsafeMutableBytes { base.read(into: $0) }
    if inputEnd <= 0 {
      inputEnd = 0
      baseEnded = true
    }
  }

  private func report(_ level: Diagnostic.Level, _ message: String) {
    diagnostics(Diagnostic(level, SourceRef(source: name, line: 0), message, byteOffset: compressedOffset))
  }
}
