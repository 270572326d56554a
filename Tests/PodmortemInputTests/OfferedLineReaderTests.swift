import PodmortemInput
import Testing

/// `LineReader.next(offering:)` gives the lines `next()` gives: a line offered and taken is the
/// bytes `next()` decodes (its `\n` and one trailing `\r` off), with the number `next()` gives
/// it; a line declined, or never offered (across chunks, cut at the limit, the last without a
/// `\n`), is `next()`'s line (docs/architecture.md "Speed of the EventList path"). `next()` is
/// the reference: on seeded byte streams (invalid UTF-8, NUL, CR alone and before `\n`, tabs, a
/// Kelvin sign, a dotted capital I, a combining accent, empty lines, lines longer than the chunk
/// and than the limit), read through windows of 1 byte to the whole, chunks of 1 byte to 64 KiB
/// and limits of 1 byte up, the offer taking or declining at random.
@Suite struct OfferedLineReaderTests {
  typealias SplitMix64 = ReadAheadChunkTests.Seeded

  static let pieces: [[UInt8]] = [
    [0x0A], [0x0D, 0x0A], [0x0D], [0x0D, 0x0D, 0x0A], [0x00], [0x09], [0xFF], [0xC3], [0xC3, 0xA9],
    Array("\u{212A}".utf8), Array("\u{130}".utf8), Array("e\u{301}".utf8), Array("        \"message\": \"x\",".utf8),
    Array("{".utf8), Array("}".utf8), Array("\"".utf8), Array("\\".utf8), Array("plain ascii text".utf8),
  ]

  static func stream(_ rng: inout SplitMix64) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<rng.below(200) {
      switch rng.below(10) {
      case 0: bytes += (0..<rng.below(40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      case 1: bytes += [UInt8](repeating: 0x78, count: rng.below(3_000))
      default: bytes += pieces[rng.below(pieces.count)]
      }
    }
    return bytes
  }

  struct Read: Equatable {
    var lines: [Line] = []
    var taken: [Int] = []
    var truncations: [[Int]] = []
    var bytesRead: Int64 = 0
  }

  static func byNext(_ bytes: [UInt8], window: Int, chunk: Int, limit: Int) -> Read {
    var out = Read()
    var truncations: [[Int]] = []
    var reader = LineReader(MemoryByteSource(bytes, window: window), maxLineBytes: limit, chunkSize: chunk) {
      truncations.append([$0, $1])
    }
    while let line = reader.next() { out.lines.append(line) }
    out.truncations = truncations
    out.bytesRead = reader.bytesRead
    return out
  }

  static func byOffer(_ bytes: [UInt8], window: Int, chunk: Int, limit: Int, rng: inout SplitMix64) -> Read {
    var out = Read()
    var truncations: [[Int]] = []
    var reader = LineReader(MemoryByteSource(bytes, window: window), maxLineBytes: limit, chunkSize: chunk) {
      truncations.append([$0, $1])
    }
    var takenLine: Line?
    while let got = reader.next(offering: { bytes, number in
      guard rng.below(3) != 0 else { return false }
      takenLine = Line(number: number, text: String(decoding: bytes, as: UTF8.self), truncated: false)
      return true
    }) {
      switch got {
      case .taken(let number):
        guard let line = takenLine, line.number == number else {
          Issue.record("taken line \(number) not the one offered")
          return out
        }
        out.lines.append(line)
        out.taken.append(number)
        takenLine = nil
      case .line(let line):
        out.lines.append(line)
      }
    }
    out.truncations = truncations
    out.bytesRead = reader.bytesRead
    return out
  }

  @Test func offeredLinesAreNextsLines() {
    var rng = SplitMix64(state: 0x0FFE_4ED)
    var taken = 0
    for round in 0..<600 {
      let bytes = Self.stream(&rng)
      let window = [1, 3, 64, 4_096, Int.max][rng.below(5)]
      let chunk = [1, 2, 16, 100, 4_096, 65_536][rng.below(6)]
      let limit = [1, 5, 40, 1_000, 1 << 20][rng.below(5)]
      var reference = Self.byNext(bytes, window: window, chunk: chunk, limit: limit)
      let offered = Self.byOffer(bytes, window: window, chunk: chunk, limit: limit, rng: &rng)
      reference.taken = offered.taken
      #expect(offered == reference, "round \(round): window \(window), chunk \(chunk), limit \(limit)")
      // A taken line is one `next()` gave whole from the chunk: never cut.
      #expect(offered.taken.allSatisfy { reference.lines[$0 - 1].truncated == false })
      taken += offered.taken.count
    }
    // The offer was taken often enough for the comparison to say something.
    #expect(taken > 800)
  }

  /// `byOffer` through `nextUntaken`: the lines taken on the way gathered as `take` sees them,
  /// each line returned after them.
  static func byUntaken(_ bytes: [UInt8], window: Int, chunk: Int, limit: Int, rng: inout SplitMix64) -> Read {
    var out = Read()
    var truncations: [[Int]] = []
    var reader = LineReader(MemoryByteSource(bytes, window: window), maxLineBytes: limit, chunkSize: chunk) {
      truncations.append([$0, $1])
    }
    while let line = reader.nextUntaken(offering: { bytes, number in
      guard rng.below(3) != 0 else { return false }
      out.lines.append(Line(number: number, text: String(decoding: bytes, as: UTF8.self), truncated: false))
      out.taken.append(number)
      return true
    }) {
      out.lines.append(line)
    }
    out.truncations = truncations
    out.bytesRead = reader.bytesRead
    return out
  }

  /// `nextUntaken` (the offer made again after each line taken, without returning) against
  /// `next()` and against `next(offering:)` given the same answers: the same lines, numbers,
  /// truncations and bytes read, and the same lines taken.
  @Test func untakenLinesAreNextsLinesAndTheOffersAreTheSame() {
    var rng = SplitMix64(state: 0x5EED_0716)
    var taken = 0
    for round in 0..<600 {
      let bytes = Self.stream(&rng)
      let window = [1, 3, 64, 4_096, Int.max][rng.below(5)]
      let chunk = [1, 2, 16, 100, 4_096, 65_536][rng.below(6)]
      let limit = [1, 5, 40, 1_000, 1 << 20][rng.below(5)]
      let seed = rng.next()
      var answers = SplitMix64(state: seed)
      let untaken = Self.byUntaken(bytes, window: window, chunk: chunk, limit: limit, rng: &answers)
      answers = SplitMix64(state: seed)
      let offered = Self.byOffer(bytes, window: window, chunk: chunk, limit: limit, rng: &answers)
      var reference = Self.byNext(bytes, window: window, chunk: chunk, limit: limit)
      reference.taken = untaken.taken
      #expect(untaken == reference, "round \(round): window \(window), chunk \(chunk), limit \(limit)")
      #expect(untaken == offered, "round \(round): window \(window), chunk \(chunk), limit \(limit)")
      taken += untaken.taken.count
    }
    #expect(taken > 800)
  }

  @Test func anOfferTakenByEveryLineGivesEveryLineButTheLast() {
    let text = "alpha\r\nbeta\r\r\n\n\u{212A}\nlast"
    var reader = LineReader(MemoryByteSource(Array(text.utf8), window: 4), chunkSize: 8)
    var texts: [String] = []
    var kinds: [String] = []
    while let got = reader.next(offering: { bytes, _ in
      texts.append(String(decoding: bytes, as: UTF8.self))
      return true
    }) {
      switch got {
      case .taken: kinds.append("taken")
      case .line(let line):
        kinds.append("line")
        texts.append(line.text)
      }
    }
    // `beta\r\r`: one CR off, as `next()` strips it; lines across the 8-byte chunks are not offered.
    #expect(texts == ["alpha", "beta\r", "", "\u{212A}", "last"])
    #expect(kinds.count == 5)
    #expect(kinds.last == "line")
  }

  @Test func aSourceNotFollowedIsNotFollowed() {
    let reader = LineReader(string: "a\nb\n")
    #expect(!reader.isFollowed)
    #expect(!reader.isCaughtUp(milliseconds: 0))
  }
}
