import Foundation
import PodmortemModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns what the user named — files, directories, `-` for standard input — into text sources.
///
/// Formats are recognised by their magic bytes, never by name: gzip is inflated as it is read,
/// tar and zip archives are read entry by entry (never extracted), and nesting (`.gz` inside a
/// tar, a tar inside gzip) is followed, each archive level adding `!entry` to the source name.
/// Every problem becomes a `Diagnostic`; a broken source stops alone and the rest is still read.
package struct InputReader: Sendable {
  package var options: InputOptions
  let diagnostics: DiagnosticSink
  /// The decompressed bytes left for this run, shared by every stream it opens.
  package let budget: DecompressionBudget
  /// Reports progress per input, when asked for (`progress:`).
  let meter: ProgressMeter?
  /// The file being visited in parts, while its visitor runs (`InputOptions.splitFilesAbove`).
  package let parts = PartsSlot()

  /// How many bytes are read ahead to recognise a format and to spot binary data.
  static let sniffBytes = 8 * 1024
  /// Archives inside archives deeper than this are not opened (a recursive zip quine, say).
  static let maxDepth = 8

  /// - Parameter progress: told how far each input has been read (`InputProgress`), on the
  ///   reading thread; nil reads without counting.
  package init(
    options: InputOptions = .init(), diagnostics: @escaping DiagnosticSink, progress: ProgressSink? = nil
  ) {
    self.options = options
    self.diagnostics = diagnostics
    self.meter = progress.map(ProgressMeter.init)
    self.budget = DecompressionBudget(
      limit: options.maxTotalBytes ?? DecompressionBudget.defaultCeiling,
      maxExpansionRatio: options.maxTotalBytes == nil ? options.maxExpansionRatio : .max,
      expansionCheckAfter: options.expansionCheckAfter)
  }

  /// Reads every input in order (`-` is standard input), calling `visit` once per text source.
  /// The visitor reads as many lines as it wants; what it leaves is skipped. With `following`,
  /// the last input is read in follow mode (`FollowControl`): waited on until it ends or is stopped.
  package func read(
    _ inputs: [String], following: FollowControl? = nil, visit: (SourceInfo, inout LineReader) -> Void
  ) {
    if options.maxTotalBytes == nil { budget.setLimit(DecompressionBudget.defaultLimit(for: inputs)) }
    for (index, input) in inputs.enumerated() {
      if let following, index == inputs.count - 1 {
        follow(input, control: following, visit: visit)
        continue
      }
      meter?.begin(input: input)
      if input == "-" {
        readStandardInput(visit: visit)
      } else {
        readPath(input, visit: visit)
      }
      meter?.end()
    }
  }

  /// Reads standard input as the source `<stdin>`.
  package func readStandardInput(visit: (SourceInfo, inout LineReader) -> Void) {
    let info = SourceInfo(name: "<stdin>", isStandardInput: true)
    let file = FileSource(.standardInput(meter: meter), name: info.name, diagnostics: diagnostics)
    _ = readStream(file, info: info, depth: 0, visit: visit)
  }

  /// Reads any byte stream as the source `info` (after the same format detection as a file).
  package func read(_ source: some ByteSource, as info: SourceInfo, visit: (SourceInfo, inout LineReader) -> Void) {
    _ = readStream(source, info: info, depth: 0, visit: visit)
  }

  private func readPath(_ path: String, visit: (SourceInfo, inout LineReader) -> Void) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      report(.error, path, "cannot read '\(path)': \(FileError.current)")
      return
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      readDirectory(path, visit: visit)
    } else {
      let source = SourceInfo(name: path, modificationDate: modificationDate(info))
      readFile(path, info: source, visit: visit)
    }
  }

  /// Opens one file and reads it as a stream.
  func readFile(_ path: String, info: SourceInfo, visit: (SourceInfo, inout LineReader) -> Void) {
    switch FileDescriptor.opening(path, meter: meter) {
    case .failure(let error):
      report(.error, info.name, "cannot read '\(path)': \(error)")
    case .success(let descriptor):
      let file = FileSource(descriptor, name: info.name, diagnostics: diagnostics)
      _ = readStream(file, info: info, depth: 0, visit: visit)
    }
  }

  /// Recognises what `source` holds and reads it: the text is visited, an archive or a compressed
  /// stream is opened. Returns the stream as far as it was read, so an enclosing archive can go on.
  func readStream(
    _ source: any ByteSource, info: SourceInfo, depth: Int, visit: (SourceInfo, inout LineReader) -> Void
  ) -> any ByteSource {
    guard depth <= Self.maxDepth else {
      report(.warning, info.name, "skipped: archives nested more than '\(Self.maxDepth)' levels deep")
      return source
    }
    let started = ContinuousClock.now
    let live = unwrap(source, to: FollowSource.self) != nil
    let peek = PeekSource(base: source, peek: Self.sniffBytes, untilNewline: live)
    let head = peek.head
    if let (encoding, bomLength) = TextEncoding.detect(head) {
      // A byte-order mark: dropped, and UTF-16/UTF-32 decoded to UTF-8 (docs/architecture.md "The flow").
      let skipped = SkippingSource(base: peek, skipping: bomLength)
      guard encoding != .utf8 else { return readStream(skipped, info: info, depth: depth, visit: visit) }
      report(.note, info.name, "decoded \(encoding.rawValue) text to UTF-8")
      return readStream(
        TranscodingSource(base: skipped, encoding: encoding), info: info, depth: depth, visit: visit)
    }
    switch Format(head) {
    case .gzip:
      guard depth == 0, !live else {
        let gzip = GzipSource(
          base: peek, name: info.name, limit: options.maxBytesPerSource, budget: budget, diagnostics: diagnostics)
        return readStream(gzip, info: info, depth: depth + 1, visit: visit)
      }
      return readGzipAhead(peek, info: info, visit: visit)
    case .tar:
      return readTar(peek, info: info, depth: depth, visit: visit)
    case .zip:
      guard let file = source as? FileSource, let status = file.descriptor.status(),
        (status.st_mode & S_IFMT) == S_IFREG
      else {
        report(.warning, info.name, "skipped: a zip archive can only be read from a file; unzip '\(info.name)' first")
        return peek
      }
      readZip(file.descriptor, size: Int64(status.st_size), info: info, depth: depth, visit: visit)
      return peek
    case .unsupported(let kind):
      report(
        .error, info.name,
        "cannot read '\(info.name)': \(kind) compression is not supported; recompress it with gzip")
      return peek
    case .empty:
      report(.note, info.name, "empty source")
      return peek
    case .binary:
      if let file = source as? FileSource, let status = file.descriptor.status(), (status.st_mode & S_IFMT) == S_IFREG,
        hasZipEnd(file.descriptor, size: Int64(status.st_size))
      {
        // A zip whose first local header is damaged: its central directory still lists the entries.
        readZip(file.descriptor, size: Int64(status.st_size), info: info, depth: depth, visit: visit)
        return peek
      }
      let offset = head.firstIndex(of: 0) ?? 0
      report(.note, info.name, "skipped binary data: a NUL byte at byte \(offset)", byteOffset: Int64(offset))
      return peek
    case .text, .textWithNUL:
      var text: any ByteSource = peek
      if case .textWithNUL(let offset) = Format(head) {
        report(
          .note, info.name, "NUL bytes in text read as spaces (the first at byte \(offset))",
          byteOffset: Int64(offset))
        text = NULReplacingSource(base: peek)
      }
      let name = info.name
      meter?.reading(name)
      let sink = diagnostics
      let cap = options.maxLineBytes
      let perSecond = options.slowBytesPerSecond
      let rate = perSecond >= 1e6 ? "\(Int(perSecond / 1e6)) MB/s" : "\(Int(perSecond)) bytes/s"
      // A followed stream is slow by nature: it is not warned about.
      text = TimedSource(
        base: text, started: started, afterSeconds: live ? .infinity : options.slowAfterSeconds,
        bytesPerSecond: options.slowBytesPerSecond
      ) { bytes, seconds in
        sink(
          Diagnostic(
            .warning, SourceRef(source: name, line: 0),
            "reading slowly: \(bytes) bytes in \(Int(seconds.rounded())) s (under \(rate)); the run goes on"))
      }
      // A plain file named on its own may be read in two parts (`FileParts`).
      var offered: FileParts?
      if depth == 0, !live, let least = options.splitFilesAbove, case .text = Format(head),
        let file = source as? FileSource, let status = file.descriptor.status(), (status.st_mode & S_IFMT) == S_IFREG,
        Int64(status.st_size) >= least
      {
        let parts = FileParts(
          descriptor: file.descriptor, size: Int64(status.st_size), name: name, maxLineBytes: cap)
        text = GatedSource(base: text, gate: parts.gate)
        offered = parts
      }
      var reader = LineReader(text, maxLineBytes: cap) { number, length in
        sink(
          Diagnostic(
            .warning, SourceRef(source: name, line: number),
            "line '\(number)' is '\(length)' bytes long; kept the first '\(cap)' bytes"))
      }
      parts.set(offered)
      visit(info, &reader)
      parts.set(nil)
      return reader.byteSource
    }
  }

  /// A gzip file or standard input holding text: inflated on a thread of its own, a bounded
  /// queue ahead of the parser (`ReadAheadSource`), with the same bytes and diagnostics in the
  /// same order as inflating it here. Anything else inside (a tar, another gzip) is read here, so
  /// an archive always reads its own stream.
  private func readGzipAhead(
    _ peek: PeekSource, info: SourceInfo, visit: (SourceInfo, inout LineReader) -> Void
  ) -> any ByteSource {
    let deferred = DeferredDiagnostics()
    let gzip = GzipSource(
      base: peek, name: info.name, limit: options.maxBytesPerSource, budget: budget, diagnostics: deferred.sink)
    // The sniffing read, here as it would be inside `readStream`; what it said is said now.
    let inner = PeekSource(base: gzip, peek: Self.sniffBytes)
    for diagnostic in deferred.drain() { diagnostics(diagnostic) }
    let isText: Bool
    switch Format(inner.head) {
    case .text, .textWithNUL: isText = TextEncoding.detect(inner.head) == nil
    default: isText = false
    }
    guard isText else {
      let forwarded = ForwardingSource(base: inner, deferred: deferred, diagnostics: diagnostics)
      return readStream(forwarded, info: info, depth: 1, visit: visit)
    }
    let ahead = ReadAheadSource(
      inner, deferred: deferred, diagnostics: diagnostics, readSize: LineReader.defaultChunkSize)
    return readStream(ahead, info: info, depth: 1, visit: visit)
  }

  /// The modification time in a `stat` result.
  func modificationDate(_ info: stat) -> Date {
    #if canImport(Darwin)
      let spec = info.st_mtimespec
    #else
      let spec = info.st_mtim
    #endif
    return Date(timeIntervalSince1970: TimeInterval(spec.tv_sec) + TimeInterval(spec.tv_nsec) / 1e9)
  }

  func report(_ level: Diagnostic.Level, _ source: String, _ message: String, byteOffset: Int64? = nil) {
    diagnostics(Diagnostic(level, SourceRef(source: source, line: 0), message, byteOffset: byteOffset))
  }
}

/// What the first bytes of a stream say it is.
enum Format: Equatable {
  case gzip
  case tar
  case zip
  /// A compression podmortem does not read (xz, zstd, bzip2).
  case unsupported(String)
  case empty
  case binary
  case text
  /// Text with a few stray NUL bytes (at most one in 64 bytes, the other bytes text): read, the
  /// NULs as spaces, instead of skipping the whole file.
  case textWithNUL(firstAt: Int)

  init(_ head: [UInt8]) {
    if head.isEmpty {
      self = .empty
    } else if head.starts(with: [0x1F, 0x8B]) {
      self = .gzip
    } else if head.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
      self = .unsupported("xz")
    } else if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
      self = .unsupported("zstd")
    } else if head.count >= 4, head.starts(with: Array("BZh".utf8)), (0x31...0x39).contains(head[3]) {
      self = .unsupported("bzip2")
    } else if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
      self = .zip
    } else if TarHeader.looksLikeTar(head) {
      self = .tar
    } else if let first = head.firstIndex(of: 0) {
      let nuls = head.count { $0 == 0 }
      // Control bytes other than tab, newline, carriage return, form feed and escape mark binary data.
      let controls = head.count { $0 != 0 && ($0 < 0x08 || (0x0E..<0x1B).contains($0) || (0x1C..<0x20).contains($0)) }
      self = nuls * 64 <= max(head.count, 64) && controls * 100 <= head.count ? .textWithNUL(firstAt: first) : .binary
    } else {
      self = .text
    }
  }
}
