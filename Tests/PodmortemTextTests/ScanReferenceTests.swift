import Foundation
import PodmortemTestSupport
import PodmortemText
import Testing

/// The masker's prefilter (`SecretMasker.literalsPresent`) and `VisibleText.needsEscaping` against
/// the byte loops they replaced, kept here as the references: the prefilter's pass that asked
/// every byte's literals and counted base64 runs byte by byte, and the control scan that compared
/// every byte (docs/architecture.md "Secrets"). Both are compared on every line of the
/// repository's samples and on seeded random text built from every literal in every case, long
/// base64 runs, secrets, PEM lines, control characters, C1 and bidi controls, cut UTF-8 sequences,
/// a Kelvin sign and a dotted capital İ.
@Suite("prefilter and control scan against their byte loops")
struct ScanReferenceTests {
  /// The prefilter as it was before the byte-pair table and the base64 skip: the reference.
  struct ReferencePrefilter {
    let literals: [[UInt8]]
    let startingWith: [UInt64]
    let secondIs: [UInt64]
    let singleByte: UInt64
    let base64RunBit: UInt64

    static func lower(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }

    static func isBase64(_ b: UInt8) -> Bool {
      (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2B || b == 0x2F
    }

    /// The masker's distinct literals in rule order, as `SecretMasker.init` numbers them.
    init(rules: [SecretRule] = SecretRules.all) {
      var distinct: [String] = []
      for rule in rules {
        for literal in rule.literals where !distinct.contains(literal) { distinct.append(literal) }
      }
      var table = [UInt64](repeating: 0, count: 256)
      var second = [UInt64](repeating: 0, count: 256)
      var single: UInt64 = 0
      var runBit: UInt64 = 0
      var bytes: [[UInt8]] = []
      func mark(_ table: inout [UInt64], _ byte: UInt8, _ bit: UInt64) {
        table[Int(byte)] |= bit
        if (0x61...0x7A).contains(byte) { table[Int(byte & ~0x20)] |= bit }
      }
      for (i, literal) in distinct.enumerated() {
        let bit = UInt64(1) << UInt64(i)
        if literal == SecretRules.longBase64Run {
          runBit = bit
          bytes.append([])
          continue
        }
        let lowered = literal.utf8.map(Self.lower)
        bytes.append(lowered)
        if let first = lowered.first { mark(&table, first, bit) }
        if lowered.count == 1 { single |= bit }
        if lowered.count >= 2 { mark(&second, lowered[1], bit) }
      }
      literals = bytes
      startingWith = table
      secondIs = second
      singleByte = single
      base64RunBit = runBit
    }

    /// One pass, byte by byte: the base64 run counted, then the literals the byte and the next
    /// one can begin compared.
    func scan(_ text: String) -> UInt64 {
      let buffer = Array(text.utf8)
      var found: UInt64 = 0
      var run = 0
      let count = buffer.count
      var i = 0
      while i < count {
        let b = buffer[i]
        if Self.isBase64(b) {
          run += 1
          if run >= 40 { found |= base64RunBit }
        } else {
          run = 0
        }
        var candidates = startingWith[Int(b)] & ~found
        if candidates != 0 {
          candidates &= singleByte | (i + 1 < count ? secondIs[Int(buffer[i + 1])] : 0)
        }
        while candidates != 0 {
          let index = candidates.trailingZeroBitCount
          candidates &= candidates - 1
          let literal = literals[index]
          if i + literal.count <= count {
            var k = 2
            while k < literal.count, Self.lower(buffer[i + k]) == literal[k] { k += 1 }
            if k >= literal.count { found |= UInt64(1) << UInt64(index) }
          }
        }
        i += 1
      }
      return found
    }
  }

  /// `VisibleText.needsEscaping` as it was, byte by byte: the reference.
  static func referenceNeedsEscaping(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    let count = bytes.count
    var i = 0
    while i < count {
      let b = bytes[i]
      if b < 0x20 {
        if b != 0x0A && b != 0x09 { return true }
      } else if b == 0x7F {
        return true
      } else if b == 0xC2, i + 1 < count, (0x80...0x9F).contains(bytes[i + 1]) {
        return true
      } else if b == 0xE2, i + 2 < count {
        let b1 = bytes[i + 1]
        let b2 = bytes[i + 2]
        if (b1 == 0x80 && (0xAA...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2)) { return true }
      }
      i += 1
    }
    return false
  }

  /// Every file under samples/ (up to 4 MiB each, decoded as UTF-8 with repairs), whole and line
  /// by line.
  static func sampleTexts() -> [String] {
    var texts: [String] = []
    for file in ShippedSamples.contents() {
      let text = String(decoding: file.data, as: UTF8.self)
      texts.append(text)
      texts += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
    return texts
  }

  /// Seeded random texts of hostile pieces: every literal in lower, upper and mixed case, whole,
  /// cut short and at the text's end; base64 runs around the threshold of 40, broken by one
  /// byte; secrets and PEM lines; every C0 control, DEL, C1 and bidi controls, their UTF-8 cut
  /// short (through `String`, so repaired); non-ASCII letters, a Kelvin sign, a dotted capital İ,
  /// combining accents; long runs of plain ASCII so the word tests see whole clean words.
  static func randomTexts(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    var pieces = SecretRules.all.flatMap(\.literals).filter { $0 != SecretRules.longBase64Run }
    let mixed = pieces.map { literal in
      String(literal.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
    }
    pieces += pieces.map { $0.uppercased() } + mixed + pieces.map { String($0.dropLast()) }
    pieces += pieces.map { String($0.prefix(2)) }
    pieces += [
      String(repeating: "Ab9+", count: 9), String(repeating: "Zz/0", count: 10), String(repeating: "q", count: 39),
      String(repeating: "Q", count: 40), "x/+", "a", "A", "=", "?", "&", ";", ":", "/", "-", "_", " ", "  ", "\n", "\t",
      "\r", "\r\n", "\u{0}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{A0}", "\u{202A}", "\u{202E}",
      "\u{202F}", "\u{2066}", "\u{2069}", "\u{206A}", "\u{2029}", "\u{2028}", "\u{200E}", "é", "e\u{301}", "☃", "🦀",
      "\u{212A}", "\u{130}", "K", "k", "İ", "ı", "x", "P", "T", "S", "\"", "\\",
      "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop", "password=hunter2", "AKIAIOSFODNN7EXAMPLE",
      "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "https://user:s3cr3tP4ss@example.com/",
      "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----",
      "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePz",
      "Authorization: Bearer abc.def",
      "I1127 00:00:00.001288    4187 kubelet.go:2408] \"SyncLoop UPDATE\" source=\"api\"",
      "Readiness probe failed: HTTP probe failed with statuscode: 503",
    ]
    for b in UInt8(0)..<0x20 { pieces.append(String(UnicodeScalar(b))) }
    // Cut and stray UTF-8: a C1's or a bidi control's lead bytes alone, continuation bytes
    // alone; `String` repairs them to U+FFFD, as input decoding does.
    for bytes: [UInt8] in [
      [0xC2], [0xE2], [0xE2, 0x80], [0xE2, 0x81], [0x80], [0xAE], [0xC2, 0xE2, 0x80, 0xAE], [0xFF],
    ] {
      pieces.append(String(decoding: bytes, as: UTF8.self))
    }
    return (0..<count).map { _ in
      (0..<Int.random(in: 0...16, using: &rng)).map { _ in pieces[Int.random(in: pieces.indices, using: &rng)] }
        .joined()
    }
  }

  @Test("the prefilter finds the literals its byte loop found, on the samples and on seeded random text")
  func prefilterAsTheByteLoop() {
    let masker = SecretMasker()
    let reference = ReferencePrefilter()
    let samples = Self.sampleTexts()
    #expect(samples.count > 1_000)
    var differing = 0
    var withLiterals = 0
    for text in samples + Self.randomTexts(count: 30_000, seed: 0x5EC2E7) {
      let old = reference.scan(text)
      if old != 0 { withLiterals += 1 }
      if masker.literalsPresent(text) != old {
        differing += 1
        if differing <= 5 { Issue.record("prefilter differs on \(text.debugDescription)") }
      }
    }
    #expect(differing == 0)
    // The comparison saw texts with literals and without.
    #expect(withLiterals > 1_000)
  }

  @Test(
    "the scan of even pairs finds what the scan of every pair found: samples, seeded text, every literal at every offset"
  )
  func evenPairsAsEveryPair() {
    let masker = SecretMasker()
    var differing = 0
    var withLiterals = 0
    func compare(_ text: String) {
      let old = masker.literalsPresentByEveryPair(text)
      if old != 0 { withLiterals += 1 }
      if masker.literalsPresent(text) != old {
        differing += 1
        if differing <= 5 { Issue.record("even pairs differ on \(text.debugDescription)") }
      }
    }
    for text in Self.sampleTexts() + Self.randomTexts(count: 30_000, seed: 0xE7E4_9A15) { compare(text) }
    // Every literal, in lower, upper and mixed case and cut by a byte, alone and at every offset
    // of fillers of each length up to 12 (so at even and odd offsets, at the start and the end),
    // the fillers plain, non-ASCII (a Kelvin sign, a dotted capital I, a combining accent),
    // controls (NUL, CR, tab) or the literals' own bytes.
    let literals = SecretRules.all.flatMap(\.literals).filter { $0 != SecretRules.longBase64Run }
    var forms: [String] = []
    for literal in literals {
      let mixed = String(
        literal.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
      forms += [literal, literal.uppercased(), mixed, String(literal.dropLast()), String(literal.dropFirst())]
    }
    let fillers = ["x", " ", "\u{212A}", "\u{130}", "e\u{301}", "\u{0}", "\r", "\t", "=", "s", "é"]
    var compared = 0
    for form in forms {
      for filler in fillers {
        for before in 0...12 {
          for after in [0, 1, 2, 5] {
            compare(String(repeating: filler, count: before) + form + String(repeating: filler, count: after))
            compared += 1
          }
        }
      }
    }
    // Two literals next to each other, and huge and empty texts.
    for a in forms.prefix(40) {
      for b in forms.suffix(40) { compare(a + b) }
    }
    compare("")
    compare(String(repeating: "a", count: 1 << 16) + "token")
    compare(String(repeating: "\u{212A}", count: 70_001) + "=")
    #expect(differing == 0)
    #expect(compared > 20_000)
    #expect(withLiterals > 20_000)
  }

  @Test("a base64 run is found at every length and place the byte loop found it")
  func base64Runs() {
    let masker = SecretMasker()
    let reference = ReferencePrefilter()
    var compared = 0
    for length in 0...90 {
      for runStart in stride(from: 0, through: length, by: 3) {
        for runLength in [0, 1, 38, 39, 40, 41, 80] where runStart + runLength <= length {
          for filler in ["-", "é", " "] {
            var text = ""
            for i in 0..<length {
              text += (runStart..<(runStart + runLength)).contains(i) ? (i % 2 == 0 ? "A" : "/") : filler
            }
            #expect(masker.literalsPresent(text) == reference.scan(text), "\(text)")
            compared += 1
          }
        }
      }
    }
    #expect(compared > 5_000)
  }

  @Test("needsEscaping answers as its byte loop did, on the samples and on seeded random text")
  func controlScanAsTheByteLoop() {
    var differing = 0
    var needing = 0
    let texts = Self.sampleTexts() + Self.randomTexts(count: 30_000, seed: 0xC0_47_801)
    for text in texts {
      let old = Self.referenceNeedsEscaping(text)
      if old { needing += 1 }
      if VisibleText.needsEscaping(text) != old {
        differing += 1
        if differing <= 5 { Issue.record("needsEscaping differs on \(text.debugDescription)") }
      }
    }
    #expect(differing == 0)
    #expect(needing > 1_000 && needing < texts.count)
  }

  @Test("each control at each place of a text of up to 24 bytes is found as the byte loop found it")
  func controlAtEveryPlace() {
    let controls = ["\u{1B}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{2066}", "\t", "\n", "\u{A0}", "\u{202F}", "é"]
    var compared = 0
    for length in 0...24 {
      for place in 0...length {
        for control in controls {
          let text = String(repeating: "a", count: place) + control + String(repeating: "b", count: length - place)
          #expect(VisibleText.needsEscaping(text) == Self.referenceNeedsEscaping(text), "\(text.debugDescription)")
          compared += 1
        }
      }
    }
    #expect(compared == 3_250)
  }

  @Test("each control at each place of a text of up to 80 bytes, across the vector blocks, as the byte loop found it")
  func controlAcrossBlocks() {
    // The blocks of 32 and 16 bytes and the words after them: a control (one to three bytes, a
    // bidi control's three bytes cut by a block's end among them) at every place, on ASCII and on
    // non-ASCII text (every lead byte sends a block to the byte loop), and the near misses.
    let controls = [
      "\u{1B}", "\u{7F}", "\u{9B}", "\u{80}", "\u{9F}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\0", "\r",
      "\t", "\n", "\u{A0}", "\u{202F}", "\u{2065}", "\u{206A}", "\u{2029}", "é", "\u{212A}", "\u{130}", "\u{1F600}",
    ]
    var compared = 0
    for filler in ["a", "\u{A0}", "~"] {
      for length in 0...80 {
        let count = filler == "\u{A0}" ? length / 2 : length
        for place in stride(from: 0, through: count, by: 1) {
          for control in controls {
            let text = String(repeating: filler, count: place) + control + String(repeating: "b", count: count - place)
            #expect(VisibleText.needsEscaping(text) == Self.referenceNeedsEscaping(text), "\(text.debugDescription)")
            // The control's own bytes cut at the text's end.
            let cut = String(decoding: Array(text.utf8).dropLast(1), as: UTF8.self)
            #expect(VisibleText.needsEscaping(cut) == Self.referenceNeedsEscaping(cut), "\(cut.debugDescription)")
            compared += 1
          }
        }
      }
    }
    #expect(compared > 100_000)
  }
}
