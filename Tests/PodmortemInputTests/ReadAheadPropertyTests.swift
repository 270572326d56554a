import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Synchronization
import Testing

/// `ReadAheadSource` reuses its chunks (docs/architecture.md "Memory of the kubelet-log run"):
/// whatever the read sizes, the queue depth and where the reader stops, it must give the bytes and
/// the diagnostics, in the same order, that reading the source on the reader's thread gives.
@Suite struct ReadAheadPropertyTests {
  final class Events: Sendable {
    private let items = Mutex<[String]>([])
    func add(_ item: String) { items.withLock { $0.append(item) } }
    var all: [String] { items.withLock { $0 } }
  }

  /// A source drawn from a seed: reads of random sizes (never more than asked), diagnostics on
  /// some reads and at the end, then nothing but ends.
  struct ScriptedSource: ByteSource {
    var rng: SplitMix64
    var remaining: Int
    var position = 0
    var reads = 0
    var ended = false
    let sink: DiagnosticSink

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
      reads += 1
      for index in 0..<[0, 0, 0, 1, 2][rng.below(5)] {
        sink(Diagnostic(.note, SourceRef(source: "s", line: 0), "read \(reads) note \(index)"))
      }
      guard remaining > 0, buffer.count > 0 else {
        if !ended { sink(Diagnostic(.warning, SourceRef(source: "s", line: 0), "ended at \(position)")) }
        ended = true
        return 0
      }
      let n = min(remaining, 1 + rng.below(buffer.count))
      for index in 0..<n { buffer[index] = UInt8(truncatingIfNeeded: (position + index) &* 31 &+ 7) }
      position += n
      remaining -= n
      return n
    }
  }

  /// Reads `source` as the reader does, with `readSize` buffers, stopping after `stopAfter` reads
  /// or at the end; every read and every diagnostic becomes one event.
  func events(
    _ make: (DeferredDiagnostics, @escaping DiagnosticSink) -> any ByteSource, readSize: Int, stopAfter: Int
  ) -> [String] {
    let events = Events()
    let deferred = DeferredDiagnostics()
    let sink: DiagnosticSink = { events.add("diagnostic \($0.message)") }
    var source = make(deferred, sink)
    var buffer = [UInt8](repeating: 0, count: readSize)
    for _ in 0..<stopAfter {
      let n = buffer.withUnsafeMutableBytes { source.read(into: $0) }
      events.add("read \(buffer.prefix(max(0, n)))")
      if n <= 0 { break }
    }
    return events.all
  }

  @Test(arguments: 1...60 as ClosedRange<UInt64>)
  func readingAheadGivesWhatReadingHereGives(seed: UInt64) {
    var rng = SplitMix64(seed: seed &* 7919)
    let readSize = 1 + rng.below(300)
    let depth = 1 + rng.below(5)
    let total = rng.below(readSize * 40)
    let stopAfter = rng.below(3) == 0 ? 1 + rng.below(30) : Int.max
    let script = SplitMix64(seed: rng.next())
    let here = events(
      { deferred, sink in
        ForwardingSource(
          base: ScriptedSource(rng: script, remaining: total, sink: deferred.sink), deferred: deferred,
          diagnostics: sink)
      }, readSize: readSize, stopAfter: stopAfter)
    let ahead = events(
      { deferred, sink in
        ReadAheadSource(
          ScriptedSource(rng: script, remaining: total, sink: deferred.sink), deferred: deferred,
          diagnostics: sink, readSize: readSize, depth: depth)
      }, readSize: readSize, stopAfter: stopAfter)
    #expect(ahead == here, "seed \(seed): readSize \(readSize), depth \(depth), total \(total)")
    #expect(here.contains { $0.hasPrefix("read") })
  }
}
