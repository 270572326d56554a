import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// An evidence line's `line`, `ref` and `source` written at once (`lineRefAndSource`, which
/// copies the line's digits and the source's escape where they are still in the buffer) against
/// the members written one by one as before, the reference: the sink is handed the same pieces
/// (every byte, and where each piece ends) on seeded documents of hostile sources, texts and line
/// numbers that cross the buffer's end at every point (docs/architecture.md "JSON, fast and
/// streamed").
@Suite("evidence members written at once against one by one")
struct EvidenceMembersTests {
  enum Step {
    /// A string element that moves where the next evidence line starts in the buffer.
    case filler(String)
    case evidence(Evidence)
  }

  static let lines: [Int] =
    [0, 1, -1, 9, 10, 99, 100, 12_345, 99_999, Int.max, Int.min, Int.max - 1, Int.min + 1, 1_000_000_000_000_000_000]

  static func source(_ rng: inout SplitMix64) -> String {
    switch rng.below(8) {
    case 0: return ""
    case 1: return "kubelet.log"
    case 2: return "bundle.tar.gz!pods/web-0/app.log"
    case 3:
      // Short sources of hostile pieces: quotes, backslashes, every control byte, U+2028,
      // a Kelvin sign, a dotted capital I, combining accents.
      return (0..<(1 + rng.below(6))).map { _ in
        InPlaceWriterTests.pieces[rng.below(InPlaceWriterTests.pieces.count)]
      }
      .joined()
    default: return InPlaceWriterTests.text(&rng)
    }
  }

  static func document(seed: UInt64) -> [Step] {
    var rng = SplitMix64(seed: seed)
    return (0..<(100 + rng.below(1_500))).map { _ in
      if rng.below(4) == 0 {
        return .filler(String(repeating: "f", count: rng.below(300)))
      }
      let line = rng.below(2) == 0 ? lines[rng.below(lines.count)] : rng.below(100_000) - 10
      return .evidence(Evidence(ref: SourceRef(source: source(&rng), line: line), text: InPlaceWriterTests.text(&rng)))
    }
  }

  static func written(_ steps: [Step], atOnce: Bool) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var w = JSONStreamWriter { bytes in
      chunks.append(Array(bytes))
      return true
    }
    w.beginArray()
    for step in steps {
      w.element()
      switch step {
      case .filler(let text): w.string(text)
      case .evidence(let e):
        if atOnce {
          w.evidence(e)
        } else {
          // `evidence(_:)` as it was: member by member.
          w.beginObject()
          w.key("line")
          w.int(e.ref.line)
          w.key("ref")
          w.ref(e.ref)
          w.key("source")
          w.string(e.ref.source)
          w.key("text")
          w.string(e.text)
          w.endObject()
        }
      }
    }
    w.endArray()
    w.endDocument()
    return chunks
  }

  @Test("seeded documents of hostile evidence lines, byte for byte and piece for piece")
  func randomDocuments() {
    var bytes = 0
    var evidence = 0
    for seed in UInt64(0)..<80 {
      let steps = Self.document(seed: 0xE71D_E0CE + seed)
      let chunks = Self.written(steps, atOnce: true)
      #expect(chunks == Self.written(steps, atOnce: false), "seed \(seed)")
      bytes += chunks.reduce(0) { $0 + $1.count }
      evidence += steps.filter { if case .evidence = $0 { true } else { false } }.count
    }
    // The documents crossed the buffer many times.
    #expect(bytes > 40 * InPlaceWriterTests.Reference.capacity)
    #expect(evidence > 40_000)
  }

  @Test("an evidence line at every offset near the buffer's end")
  func acrossTheEnd() {
    let sources = [
      "", "a", "kubelet.log", "x\"y\\z\u{1}", String(repeating: "\"", count: 300), "\u{212A}\u{130}e\u{301}",
    ]
    var compared = 0
    for source in sources {
      for line in [0, 7, 123_456, Int.max, -5] {
        // A filler that leaves the buffer's end a few bytes either side of every member.
        for fill in stride(
          from: InPlaceWriterTests.Reference.capacity - 1_400, to: InPlaceWriterTests.Reference.capacity - 60, by: 7)
        {
          let steps: [Step] = [
            .filler(String(repeating: "f", count: fill)),
            .evidence(Evidence(ref: SourceRef(source: source, line: line), text: "t")),
            .evidence(Evidence(ref: SourceRef(source: source, line: line), text: "")),
          ]
          #expect(Self.written(steps, atOnce: true) == Self.written(steps, atOnce: false), "\(fill) \(line)")
          compared += 1
        }
      }
    }
    #expect(compared > 5_000)
  }
}

/// `lowercasedPart` (an ASCII text lowered byte by byte on the stack) against
/// `stringPart(text.lowercased())`, the reference: the same pieces handed to the sink.
@Suite("a lowered part written from its bytes against lowercased()")
struct LowercasedPartTests {
  static func written(_ texts: [String], fromBytes: Bool) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var w = JSONStreamWriter { bytes in
      chunks.append(Array(bytes))
      return true
    }
    w.beginArray()
    for text in texts {
      w.element()
      w.openString()
      if fromBytes { w.lowercasedPart(text) } else { w.stringPart(text.lowercased()) }
      w.rawPart("/")
      w.closeString()
    }
    w.endArray()
    w.endDocument()
    return chunks
  }

  @Test("kinds and schemes: ASCII, hostile, non-ASCII, 31 to 33 bytes, empty, longer than the buffer")
  func kinds() {
    var rng = SplitMix64(seed: 0x10CA5E)
    var texts = [
      "", "Pod", "POD", "pod", "ReplicaSet", "HTTPS", "hTtP", "@[`{", "AZaz09", "\"Q\\", "\u{0}\r\t\u{1F}\u{7F}",
      "\u{212A}ind", "\u{130}stanbul", "Cafe\u{301}", "ÀB", String(repeating: "A", count: 31),
      String(repeating: "B", count: 32), String(repeating: "C", count: 33), String(repeating: "Q\"", count: 40_000),
    ]
    for _ in 0..<3_000 {
      texts.append(
        (0..<rng.below(12)).map { _ in
          rng.below(3) == 0
            ? InPlaceWriterTests.pieces[rng.below(InPlaceWriterTests.pieces.count)]
            : String(UnicodeScalar(UInt8(rng.below(128))))
        }
        .joined())
    }
    #expect(Self.written(texts, fromBytes: true) == Self.written(texts, fromBytes: false))
    // One at a time too, so each starts at the buffer's start.
    for text in texts.prefix(200) {
      #expect(
        Self.written([text], fromBytes: true) == Self.written([text], fromBytes: false), "\(text.debugDescription)")
    }
  }
}
