// libFuzzer entry point: PodmortemInput's format detection, gzip, tar and zip readers, BOM and
// UTF-16/32 decoding and the line reader, on one file (docs/architecture.md "Fuzzing").

import FuzzSupport
import PodmortemInput
import PodmortemModel

/// One input; libFuzzer calls it once per generated input.
func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard ScratchFile.write(fuzzBytes(data, size)) else { return 0 }
  // Small caps so a decompression bomb stops quickly (the guards are what is fuzzed, not zlib).
  let options = InputOptions(maxBytesPerSource: 8 << 20, maxLineBytes: 64 << 10, maxTotalBytes: 32 << 20)
  let reader = InputReader(options: options, diagnostics: { _ in })
  var lines = 0
  reader.read([ScratchFile.path]) { _, reader in
    while reader.next() != nil { lines += 1 }
  }
  return 0
}

@main
enum FuzzInput {
  static func main() { runFuzzer(fuzzInput) }
}
