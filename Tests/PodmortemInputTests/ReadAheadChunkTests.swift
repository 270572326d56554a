import Foundation
import PodmortemModel
import Synchronization
import Testing

@testable import PodmortemInput

/// The read-ahead queue lets go of a chunk's bytes when the reader takes it, not when 64 taken
/// chunks are dropped together (docs/architecture.md "Memory of the kubelet-log run"). Every
/// chunk must still reach the reader once, in order, with its diagnostics before its bytes: the
/// reference is the same source read on the reader's thread (`ForwardingSource`, what a source
/// not read ahead is wrapped in), compared over hundreds of chunks, so past the queue's
/// compaction every 64 takes, at several depths, on seeded random bytes.
@Suite struct ReadAheadChunkTests {
  /// A small seeded generator (SplitMix64), so a failure can be replayed.
  struct Seeded {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
  }

  /// Pieces the bytes are made of: ASCII, NUL, CR LF, tabs, a Kelvin sign, a dotted capital I,
  /// a combining accent, and bytes that are not UTF-8.
  static let pieces: [[UInt8]] =
    ["I1127 00:00:00.1 4187 prober.go:107] ", "\u{0}", "\r\n", "\n", "\t", "\u{212A}", "\u{130}", "e\u{301}", "x"]
    .map { Array($0.utf8) } + [[0xFF], [0x80, 0x80]]

  /// Serves `bytes` in reads of seeded sizes (at least one byte until the end), and says
  /// something through `sink` on some reads, as a gzip stream warns in the read it finds a fault.
  struct Scripted: ByteSource {
    let bytes: [UInt8]
    var offset = 0
    var rng: Seeded
    var reads = 0
    let sink: DiagnosticSink

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
      reads += 1
      if rng.below(5) == 0 { sink(Diagnostic(.warning, SourceRef(source: "s", line: reads), "read \(reads)")) }
      let n = min(buffer.count, bytes.count - offset, 1 + rng.below(2 * buffer.count))
      guard n > 0 else { return 0 }
      bytes.withUnsafeBytes { src in
        UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + n)]))
      }
      offset += n
      return n
    }
  }

  final class Events: Sendable {
    private let items = Mutex<[String]>([])
    func add(_ item: String) { items.withLock { $0.append(item) } }
    var all: [String] { items.withLock { $0 } }
  }

  /// What a reader with buffers of `size` bytes sees of `source`, reads and diagnostics in order.
  static func drain(_ source: inout some ByteSource, size: Int, events: Events) {
    var buffer = [UInt8](repeating: 0, count: size)
    while true {
      let n = buffer.withUnsafeMutableBytes { source.read(into: $0) }
      events.add(n <= 0 ? "end" : "bytes " + buffer[0..<n].map { String($0) }.joined(separator: ","))
      if n <= 0 { return }
    }
  }

  @Test(arguments: 0..<12)
  func everyChunkReachesTheReaderInOrderAsOnOneThread(seed: UInt64) {
    var rng = Seeded(state: seed)
    var bytes: [UInt8] = []
    let length = [0, 1, 700, 5_000, 20_000][rng.below(5)]
    while bytes.count < length { bytes += Self.pieces[rng.below(Self.pieces.count)] }
    let size = [1, 7, 64, 512][rng.below(4)]
    let depth = [1, 2, 16][rng.below(3)]
    let sourceSeed = Seeded(state: rng.next())

    let direct = Events()
    let deferredHere = DeferredDiagnostics()
    var here = ForwardingSource(
      base: Scripted(bytes: bytes, rng: sourceSeed, sink: deferredHere.sink), deferred: deferredHere,
      diagnostics: { direct.add("diagnostic \($0.message)") })
    Self.drain(&here, size: size, events: direct)

    let ahead = Events()
    let deferred = DeferredDiagnostics()
    var read = ReadAheadSource(
      Scripted(bytes: bytes, rng: sourceSeed, sink: deferred.sink), deferred: deferred,
      diagnostics: { ahead.add("diagnostic \($0.message)") }, readSize: size, depth: depth)
    Self.drain(&read, size: size, events: ahead)

    #expect(ahead.all == direct.all)
    #expect(direct.all.filter { $0.hasPrefix("bytes") }.count >= min(bytes.count / (2 * size), 64))
    #expect(direct.all.last == "end")
  }
}
