// Shared by the libFuzzer entry points in Fuzz/Targets (docs/architecture.md "Fuzzing").

import CLibFuzzer
import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel

/// The capture time every fuzz run is relative to: 2026-11-27T01:00:00Z (samples/manifest.json).
package let fuzzCaptureDate = Date(timeIntervalSince1970: 1_795_741_200)

/// A context for `source` whose diagnostics are discarded (the fuzzer looks for traps and hangs,
/// not for what a parser reports).
package func fuzzContext(
  _ source: SourceInfo, origin: CaptureTime.Origin = .flag, keepEnvironmentValues: Bool = false
) -> ParseContext {
  ParseContext(
    source: source, captureTime: CaptureTime(date: fuzzCaptureDate, origin: origin), diagnostics: { _ in },
    keepEnvironmentValues: keepEnvironmentValues)
}

/// The fuzzer's bytes as an array (libFuzzer passes a null pointer for the empty input).
package func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
  guard let data, size > 0 else { return [] }
  return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Feeds every line of `bytes` to a fresh `parser` for `source`, the way `Ingestor.ingest` does
/// after sniffing, and finishes it; returns the number of records emitted.
@discardableResult
package func feed(
  _ parser: any LineParser.Type, _ bytes: [UInt8], source: SourceInfo, keepEnvironmentValues: Bool = false
) -> Int {
  var reader = LineReader(MemoryByteSource(bytes), maxLineBytes: 64 << 10)
  var instance = parser.init(context: fuzzContext(source, keepEnvironmentValues: keepEnvironmentValues))
  var records = 0
  while let line = reader.next() {
    _ = instance.feed(line) { _ in records += 1 }
  }
  instance.finish { _ in records += 1 }
  return records
}

/// One scratch file per fuzzing process: the zip reader and the whole pipeline read files (a zip
/// needs random access), so the input is written here before each run.
package enum ScratchFile {
  package static let path: String = {
    let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    return "\(dir)/podmortem-fuzz-\(getpid()).input"
  }()

  /// Replaces the scratch file's content with `bytes`; false when it cannot be written.
  package static func write(_ bytes: [UInt8]) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
      let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return false }
      written += n
    }
    return true
  }
}

/// Runs libFuzzer with this process's arguments over `entry` (libFuzzer's flags: -runs, -max_total_time,
/// -timeout, -rss_limit_mb, corpus folders; https://llvm.org/docs/LibFuzzer.html "Options").
package func runFuzzer(_ entry: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(LLVMFuzzerRunDriver(&argc, &argv, entry))
}
