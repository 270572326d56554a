import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// The writer's escaper finds the first byte to escape of a block of sixteen from the block's
/// own test and reads a text's last bytes as its last sixteen (docs/architecture.md "JSON, fast
/// and streamed"). The reference is the run writer `InPlaceWriterTests.Reference` (the escaper
/// as it was before it stored in place, kept for those tests): both must hand the sink the same
/// pieces (every byte, and where each piece ends) for strings of every length up to 80 with one,
/// two or a run of bytes to escape at every offset, clean strings of every length, hostile
/// pieces (NUL, CR, tab, every control byte, quotes, backslashes, a Kelvin sign, a dotted
/// capital İ, a combining accent, emoji), strings that cross the buffer's end, and every line
/// of the samples (`InPlaceWriterTests.sampleLines`).
@Suite("the escaper's blocks of sixteen write what the run writer wrote")
struct EscapeBlockTests {
  static let flaggedBytes: [String] = ["\"", "\\", "\0", "\r", "\t", "\n", "\u{1}", "\u{1F}"]
  static let cleanPieces: [String] = ["a", "é", "\u{212A}", "\u{130}", "e\u{301}", "😀", "/", "\u{7F}", " "]

  static func steps(_ texts: [String]) -> [InPlaceWriterTests.Step] { texts.map { .string($0) } }

  @Test("one, two or a run of bytes to escape at every offset of texts up to 80 bytes")
  func escapesAtEveryOffset() {
    var texts: [String] = []
    for length in 0...80 {
      let clean = String(repeating: "x", count: length)
      texts.append(clean)
      for at in 0..<max(length, 1) where length > 0 {
        let flagged = Self.flaggedBytes[(length + at) % Self.flaggedBytes.count]
        var bytes = Array(clean.utf8)
        bytes.replaceSubrange(at..<(at + 1), with: Array(flagged.utf8))
        texts.append(String(decoding: bytes, as: UTF8.self))
        // A second one 1, 7 and 16 bytes on, and a run of three.
        for gap in [1, 7, 16] where at + gap < length {
          var two = bytes
          two.replaceSubrange((at + gap)..<(at + gap + 1), with: Array("\"".utf8))
          texts.append(String(decoding: two, as: UTF8.self))
        }
        if at + 3 <= length {
          var run = Array(clean.utf8)
          run.replaceSubrange(at..<(at + 3), with: Array("\\\"\n".utf8))
          texts.append(String(decoding: run, as: UTF8.self))
        }
      }
    }
    let steps = Self.steps(texts)
    #expect(texts.count > 10_000)
    #expect(InPlaceWriterTests.written(steps) == InPlaceWriterTests.reference(steps))
  }

  @Test("seeded random texts of hostile pieces, each written alone and all in one document")
  func seededHostileTexts() {
    var rng = SplitMix64(seed: 0xB10C_16)
    var texts: [String] = []
    for _ in 0..<6_000 {
      var text = ""
      for _ in 0..<rng.below(40) {
        switch rng.below(6) {
        case 0: text += Self.flaggedBytes[rng.below(Self.flaggedBytes.count)]
        case 1: text += Self.cleanPieces[rng.below(Self.cleanPieces.count)]
        case 2: text += InPlaceWriterTests.pieces[rng.below(InPlaceWriterTests.pieces.count)]
        case 3:
          text += String(
            decoding: (0..<rng.below(20)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, as: UTF8.self)
        default: text += String(repeating: "k", count: rng.below(24))
        }
      }
      texts.append(text)
    }
    for text in texts.prefix(1_500) {
      let steps = Self.steps([text])
      #expect(InPlaceWriterTests.written(steps) == InPlaceWriterTests.reference(steps), "\(Array(text.utf8))")
    }
    let steps = Self.steps(texts)
    #expect(InPlaceWriterTests.written(steps) == InPlaceWriterTests.reference(steps))
  }

  @Test("texts whose escapes or last sixteen bytes meet the buffer's end at every point")
  func atTheBufferEnd() {
    let capacity = InPlaceWriterTests.Reference.capacity
    for fill in (capacity - 120)..<(capacity - 40) {
      for tail in [
        "abcdefghijklmnopq\"", "\"abcdefghijklmnop", "ab\"cd", "0123456789abcde\u{1}f", "\u{212A}\u{130}\"x",
      ] {
        let steps: [InPlaceWriterTests.Step] = [
          .string(String(repeating: "y", count: fill)), .string(tail + String(repeating: "z", count: fill % 19)),
          .string(tail),
        ]
        #expect(InPlaceWriterTests.written(steps) == InPlaceWriterTests.reference(steps), "\(fill) \(tail)")
      }
    }
  }
}

/// A time off the second is stored in place as `ISOTime.milliseconds` writes it
/// (`JSONStreamWriter.millisecondTime`), where the memo formatted each new one into a string
/// (docs/architecture.md "JSON, fast and streamed"). The reference is the code it replaced,
/// `string(ReportTime.iso(date))`: the same bytes for seeded times of every day from 1970 to
/// 9999 with every kind of fraction, the neighbours of whole seconds, the ends of the range and
/// past them, negative, NaN, infinite and ±0; and the same pieces handed to the sink when the
/// times cross the buffer's end (`InPlaceWriterTests.Reference.time`).
@Suite("times off the second stored in place as ReportTime.iso wrote them")
struct MillisecondTimeTests {
  static func seconds(_ rng: inout SplitMix64) -> Double {
    let last = ReportTime.lastFastSecond
    switch rng.below(9) {
    case 0: return Double(rng.below(Int(last) + 1)) + Double(rng.below(1_000_000)) / 1_000_000
    case 1: return Double(rng.below(Int(last) + 1)).nextUp
    case 2: return Double(rng.below(Int(last) + 1)).nextDown
    case 3:
      return [
        0.0005, 0.999_999_9, -0.001, -0.5, last + 0.5, last + 0.999, last + 1.25, (last + 1).nextDown, -0.0, 0.0,
        .nan, .infinity, -.infinity, -62_135_596_800.25, 1e12 + 0.5, -1e12 - 0.25, .leastNonzeroMagnitude,
        -.leastNonzeroMagnitude, -978_307_200.5, 252_423_993_600.5,
      ][rng.below(20)]
    case 4: return Double(UInt64(truncatingIfNeeded: rng.next()) >> 30) / 1_000
    case 5: return (Double(rng.below(2_000_000_000_000)) - 1e12) / 1_000
    default:
      // The times of a kubelet log: a few days, microseconds.
      return 1_795_740_000 + Double(rng.below(4 * 86_400)) + Double(rng.below(1_000_000)) / 1_000_000
    }
  }

  @Test("seeded times: the bytes ReportTime.iso wrote as a string")
  func sameAsISO() {
    var rng = SplitMix64(seed: 0x15_0715)
    let dates = (0..<40_000).map { _ in Date(timeIntervalSince1970: Self.seconds(&rng)) }
    let written = ReportFastPathTests.timesAndFormatted(dates)
    #expect(written.time == written.formatted)
  }

  @Test("times crossing the buffer's end: the same pieces handed to the sink")
  func sameBufferPieces() {
    var rng = SplitMix64(seed: 0x15_0716)
    for round in 0..<60 {
      var steps: [InPlaceWriterTests.Step] = [.string(String(repeating: "p", count: 65_000 + round * 17))]
      for _ in 0..<400 {
        steps.append(.time(Self.seconds(&rng)))
        if rng.below(4) == 0 { steps.append(.string(String(repeating: "q", count: rng.below(40)))) }
      }
      #expect(InPlaceWriterTests.written(steps) == InPlaceWriterTests.reference(steps), "round \(round)")
    }
  }
}

/// An empty array or object is stored at once (`JSONStreamWriter.emptyArray`, `.emptyObject`)
/// where it was opened and closed (docs/architecture.md "JSON, fast and streamed"). The
/// reference is `beginArray()`/`endArray()` and `beginObject()`/`endObject()`: both must hand
/// the sink the same pieces, and leave the writer in the same state (what follows is written
/// the same), at every depth from 0 to 140 (past the 64 levels of `outerBits`) and at every
/// point of the buffer's last bytes, as the first member or element of a container and after
/// others.
@Suite("empty containers stored at once as opening and closing them wrote them")
struct EmptyContainerTests {
  static func document(fill: Int, depth: Int, empties: [Int], shortcut: Bool) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var w = JSONStreamWriter { bytes in
      chunks.append(Array(bytes))
      return true
    }
    w.beginArray()
    w.element()
    w.string(String(repeating: "f", count: fill))
    for level in 0..<depth {
      w.element()
      if level % 2 == 0 {
        w.beginArray()
      } else {
        w.beginObject()
      }
      for (k, kind) in empties.enumerated() {
        if level % 2 == 0 { w.element() } else { w.key(text: "k\(k)") }
        switch (kind, shortcut) {
        case (0, true): w.emptyArray()
        case (0, false):
          w.beginArray()
          w.endArray()
        case (1, true): w.emptyObject()
        case (1, false):
          w.beginObject()
          w.endObject()
        default: w.string("s\(k)")
        }
      }
    }
    for level in stride(from: depth - 1, through: 0, by: -1) {
      if level % 2 == 0 {
        w.element()
        w.emptyArray()
        w.endArray()
      } else {
        w.key("after")
        w.int(level)
        w.endObject()
      }
    }
    w.endArray()
    w.endDocument()
    return chunks
  }

  @Test("every depth to 140, empties first and among others")
  func everyDepth() {
    for depth in 0...140 {
      for empties in [[0], [1], [2, 0, 1], [0, 0, 2, 1, 1]] {
        #expect(
          Self.document(fill: 10, depth: depth, empties: empties, shortcut: true)
            == Self.document(fill: 10, depth: depth, empties: empties, shortcut: false), "\(depth) \(empties)")
      }
    }
  }

  @Test("at every point of the buffer's last bytes")
  func atTheBufferEnd() {
    let capacity = InPlaceWriterTests.Reference.capacity
    for fill in stride(from: capacity - 400, to: capacity + 10, by: 3) {
      for depth in [1, 3, 40, 70] {
        #expect(
          Self.document(fill: fill, depth: depth, empties: [0, 1, 2, 0], shortcut: true)
            == Self.document(fill: fill, depth: depth, empties: [0, 1, 2, 0], shortcut: false), "\(fill) \(depth)")
      }
    }
  }
}
