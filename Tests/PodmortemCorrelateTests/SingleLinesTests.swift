import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// The kubelet log's observation of an identity taken from its kept lines when they are one
/// ascending run or the same lines twice (`EvidenceSample.ofSingleLines`, docs/architecture.md
/// "Speed of the EventList path"), held to the sample it replaced: each line inserted as an
/// occurrence of its own, then `lines`.
@Suite("the kept lines of one identity give the sample's lines")
struct SingleLinesTests {
  private static let texts = [
    "", "a", "b", "ab", "I0101 10:00:00.000001", "I0101 10:00:00.000002", "K", "\u{212A}", "caf\u{E9}",
    "cafe\u{301}", "\u{301}", "\u{130}", "\0", "\r", "\t", "\r\n", "x y", "日",
  ]
  private static let sources = ["kubelet.log", "b.log", "K", "\u{212A}", "caf\u{E9}", "cafe\u{301}", ""]

  private static func line(_ rng: inout SplitMix64, ascii: Bool) -> Evidence {
    func pick(_ list: [String]) -> String {
      var s = list[rng.below(list.count)]
      while ascii && !s.utf8.allSatisfy({ $0 < 0x80 }) { s = list[rng.below(list.count)] }
      return s
    }
    var text = pick(texts)
    if rng.below(3) == 0 { text += pick(texts) }
    if rng.below(100) == 0 { text += String(repeating: "z", count: 70_000) }
    let lines = [0, 1, 2, 3, Int.max, Int.min, -1]
    let number = rng.below(4) == 0 ? lines[rng.below(lines.count)] : rng.below(12)
    return Evidence(ref: SourceRef(source: pick(sources), line: number), text: text)
  }

  /// The sample as `observation` built it.
  private static func sampled(_ first: [Evidence], _ last: [Evidence]) -> [Evidence] {
    var sample = EvidenceSample()
    for line in first + last { sample.insert([line]) }
    return sample.lines
  }

  private static func bytes(_ lines: [Evidence]) -> [[UInt8]] {
    lines.flatMap { [Array($0.ref.source.utf8), Array(String($0.ref.line).utf8), Array($0.text.utf8)] }
  }

  @Test("every answer given is the sample's lines, byte for byte; the gathering's shapes are answered")
  func asTheSample() {
    var rng = SplitMix64(seed: 3_413)
    var answered = 0
    for round in 0..<20_000 {
      let ascii = round % 3 != 0
      // The lines of an identity as the gathering keeps them: all lines sorted, each once, the
      // first and last `keep`; or lists of any shape.
      let first: [Evidence]
      let last: [Evidence]
      if rng.below(4) != 0 {
        var all: [Evidence] = []
        for _ in 0..<(1 + rng.below(8)) {
          let l = Self.line(&rng, ascii: ascii)
          if !all.contains(l) { all.append(l) }
        }
        all.sort { $0.ref != $1.ref ? $0.ref < $1.ref : $0.text < $1.text }
        first = Array(all.prefix(EvidenceSample.keep))
        last = Array(all.suffix(EvidenceSample.keep))
      } else {
        first = (0..<rng.below(5)).map { _ in Self.line(&rng, ascii: ascii) }
        last = rng.below(3) == 0 ? first : (0..<rng.below(5)).map { _ in Self.line(&rng, ascii: ascii) }
      }
      let reference = Self.sampled(first, last)
      if let lines = EvidenceSample.ofSingleLines(first, last) {
        answered += 1
        #expect(lines == reference, "round \(round)")
        #expect(Self.bytes(lines) == Self.bytes(reference), "round \(round)")
      }
    }
    #expect(answered > 5_000)
  }
}
