import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KlogHeader.parse` finds the end of a header's file name eight bytes a word
/// (`ByteWords.fileStop`, docs/architecture.md "Speed of the kubelet-log path"). It must be the
/// byte loop it replaced, kept below, at every start of random windows of random bytes and of
/// real headers (the three stop bytes, their neighbours, the high bit, NUL, CR, tabs, bytes that
/// are not UTF-8); the parse as a whole is held to the header parse before by `KlogSharedTests`.
@Suite struct HeaderFileStopTests {
  /// The loop `KlogHeader.parse` ran: the first `:`, `]` or space from `start` on, or the end.
  static func byteLoop(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var i = start
    while i < b.count, b[i] != 0x3A, b[i] != 0x5D, b[i] != 0x20 { i += 1 }
    return i
  }

  static func checkEveryStart(_ window: [UInt8]) {
    window.withUnsafeBufferPointer { p in
      for start in 0...p.count {
        #expect(ByteWords.fileStop(p, from: start) == Self.byteLoop(p, from: start), "\(window) at \(start)")
      }
    }
  }

  @Test(arguments: 0..<4)
  func fileStopIsTheByteLoopOnRandomBytes(seed: UInt64) {
    var rng = SplitMix64(seed: 26_300 + seed)
    let alphabet: [UInt8] = [0x3A, 0x5D, 0x20, 0x3B, 0x5C, 0x5E, 0x21, 0x1F, 0xBA, 0xDD, 0xA0, 0x00, 0x0D, 0x09, 0xFF]
    for _ in 0..<400 {
      let bytes = (0..<rng.below(48)).map { _ in
        rng.below(2) == 0 ? alphabet[rng.below(alphabet.count)] : UInt8(truncatingIfNeeded: rng.next())
      }
      // One stop byte alone in a run of plain ones, anywhere, or none.
      var plain = [UInt8](repeating: 0x61, count: rng.below(40))
      if !plain.isEmpty, rng.below(4) != 0 { plain[rng.below(plain.count)] = alphabet[rng.below(3)] }
      Self.checkEveryStart(bytes)
      Self.checkEveryStart(plain)
    }
  }

  @Test func fileStopIsTheByteLoopOnHeaders() {
    let files = [
      "prober.go:107] ", "kuberuntime_container.go:779] ", "reconciler_common.go:258] ", "event.go:389]",
      "a:1]", "nofile] ", "x y:1] ", "", "kubelet.go", "k\u{212A}ubelet\u{130}.go:1] ", "e\u{301}vent.go:3] ",
      "pod_workers.go\r:1]", "tab\tfile.go:2] ",
    ]
    for file in files {
      Self.checkEveryStart(Array("I1127 00:00:00.072639    4187 \(file)\"msg\" k=\"v\"".utf8))
      Self.checkEveryStart(Array(file.utf8))
    }
  }
}
