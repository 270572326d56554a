import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `AnchoredStart` lets `MatchIndex.first` skip an anchored regex whose start a text does not
/// begin with (docs/architecture.md "Speed of the kubelet-log path"). What it must hold: a text it
/// turns away has no match, and PCRE2 would have found none at once (no limit met on the way),
/// so the regex run it replaces, kept here as the reference, answered exactly "no match"; and the
/// reading gives nil for every source it is not sure of. Checked on the shipped patterns'
/// examples and counterexamples, cut, spliced and with hostile bytes at their start, and on
/// seeded random regexes of the shapes the reading accepts, rejects and nearly accepts.
@Suite struct AnchoredStartTests {
  static let catalog = PatternCatalog.shipped(diagnostics: { _ in })

  /// A regex that meets a limit within a few steps: a text turned away must fail within them.
  static let tiny = RegexLimits(matchLimit: 12, depthLimit: 12, heapLimitKiB: 20_000, jitStackBytes: 1 << 20)

  static func admits(_ start: AnchoredStart, _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { start.admits($0) }
  }

  static func admits(_ start: AnchoredStart, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { start.admits($0) }
  }

  /// What the reading makes of a source, as the alternatives' bytes (`.` for a masked bit's byte).
  static func shown(_ pattern: String, caseless: Bool = false) -> [String]? {
    AnchoredStart(pattern: pattern, caseless: caseless).map { start in
      start.alternatives.map { alternative in
        String(
          decoding: (0..<alternative.length).map { k -> UInt8 in
            let mask = UInt8(truncatingIfNeeded: alternative.mask >> UInt64(8 * k))
            return mask == 0xFF ? UInt8(truncatingIfNeeded: alternative.value >> UInt64(8 * k)) : UInt8(ascii: ".")
          }, as: UTF8.self)
      }
    }
  }

  @Test func sourcesAreReadOnlyWhereTheReadingIsSure() {
    #expect(Self.shown(#"^"Probe failed" probeType="(?<probe>Liveness)""#) == [#""Probe f"#])
    #expect(
      Self.shown(#"^(?<reason>ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull): (?<error>.+)$"#)
        == ["ErrImage", "ImagePul", "InvalidI", "ErrImage"])
    #expect(
      Self.shown(#"^(?:"Back-off restarting" err="back-off|[Bb]ack-off) (?<b>\d+)"#) == [#""Back-of"#, ".ack-off"])
    #expect(Self.shown(#"^(ab|c)d"#) == ["ab", "c"])
    #expect(Self.shown(#"^\(x\)\.y"#) == ["(x).y"])
    #expect(Self.shown(#"^ab?c"#) == ["a"])
    #expect(Self.shown(#"^ab*c"#) == ["a"])
    #expect(Self.shown(#"^ab{0,2}c"#) == ["a"])
    #expect(Self.shown(#"^ab+c"#) == ["ab"])
    #expect(Self.shown(#"^a\dc"#) == ["a"])
    #expect(Self.shown(#"^a.c"#) == ["a"])
    #expect(Self.shown(#"^a(?:b|c)"#) == ["a"])
    #expect(Self.shown(#"^[ac]x"#) == [".x"])
    // Sources it is not sure of.
    for pattern in [
      #"abc"#, #"^"#, #"^a|b"#, #"^(?:a|b)?c"#, #"^(?:a|b)*c"#, #"^(?:a|b){1,2}c"#, #"^(?:a|)c"#, #"^(?:|a)c"#,
      #"^(?i)abc"#, #"^a(?i)bc"#, #"^(?=a)a"#, #"^(?<=a)b"#, #"^(?<!a)b"#, #"^(?#c)a"#, #"^(*UTF)a"#, #"^a(*SKIP)b"#,
      #"^\Qa\E"#, #"^\d"#, #"^.a"#, #"^a?b"#, #"^[abc]"#, #"^[a-c]"#, #"^[^a]"#, #"^[\]a]"#, #"^(?|a|b)"#,
      #"^(?:a|b"#, #"^a)"#, #"^[ab"#, #"^é"#, #"^\é"#, #"^(?1)(a)"#, #"^(?:(?:a|b)|c)"#, #"^a\"#,
    ] {
      #expect(Self.shown(pattern) == nil, "\(pattern)")
    }
    #expect(Self.shown("^abc", caseless: true) == nil)
  }

  @Test func theKubeletLinesThatFailedMostAreTurnedAway() throws {
    let waiting = try #require(Self.catalog.pattern(id: "kubelet.waiting-image-pull")?.regex)
    let backOff = try #require(Self.catalog.pattern(id: "kubelet.backoff-restarting")?.regex)
    let waitingStart = try #require(AnchoredStart(pattern: waiting.pattern, caseless: waiting.caseless))
    let backOffStart = try #require(AnchoredStart(pattern: backOff.pattern, caseless: backOff.caseless))
    let event = #""Event occurred" object="shop/web-0" fieldPath="" kind="Pod" reason="BackOff": x"#
    let syncing =
      #""Error syncing pod, skipping" err="failed to \"StartContainer\" for \"w\" with CrashLoopBackOff: \"back-off 5m0s restarting failed container=w pod=web-0_shop(u)\"""#
    #expect(!Self.admits(waitingStart, event))
    #expect(!Self.admits(backOffStart, syncing))
    #expect(Self.admits(waitingStart, "ErrImagePull: rpc error"))
    #expect(Self.admits(backOffStart, "Back-off 10s restarting failed container=w pod=p"))
    // Most of the kubelet kind's regexes are anchored at a quoted message.
    let kubelet = Self.catalog.patterns.filter { $0.kinds.contains(.kubelet) && $0.detail == nil }
    let read = kubelet.filter { AnchoredStart(pattern: $0.regex.pattern, caseless: $0.regex.caseless) != nil }
    #expect(read.count * 3 >= kubelet.count * 2, "\(read.count) of \(kubelet.count)")
  }

  /// Texts near every shipped pattern's examples: whole, cut to each of their first 12 lengths,
  /// each of their first 10 bytes changed to a hostile one, a hostile piece before them, and
  /// seeded hostile bytes.
  static func nearTexts(_ pattern: Pattern, _ rng: inout SplitMix64) -> [[UInt8]] {
    let pieces: [[UInt8]] = [
      [], [0], [13], [9], Array("\u{212A}".utf8), Array("\u{130}".utf8), Array("e\u{301}".utf8), Array("é".utf8),
      [0xC3], [0xFF], Array(#"""#.utf8), Array("\\".utf8), Array(" ".utf8), Array("b".utf8), Array("B".utf8),
    ]
    var texts: [[UInt8]] = []
    for text in pattern.examples.map(\.text) + pattern.counterexamples {
      let bytes = Array(text.utf8)
      texts.append(bytes)
      for n in 0..<min(bytes.count, 12) { texts.append(Array(bytes.prefix(n))) }
      for k in 0..<min(bytes.count, 10) {
        var changed = bytes
        let piece = pieces[rng.below(pieces.count)]
        changed.replaceSubrange(k..<(k + 1), with: piece)
        texts.append(changed)
        var flipped = bytes
        flipped[k] ^= UInt8(1) << UInt8(rng.below(8))
        texts.append(flipped)
      }
      texts.append(pieces[rng.below(pieces.count)] + bytes)
      texts.append(rng.hostileBytes(count: rng.below(12)) + bytes.dropFirst(rng.below(4)))
    }
    for _ in 0..<20 { texts.append(rng.hostileBytes(count: rng.below(40))) }
    return texts
  }

  /// The regex as it runs, and as the JIT and the interpreter under `tiny` limits.
  struct Runs {
    let regex: Regex
    let quick: Regex
    let slow: Regex

    init(_ regex: Regex) throws {
      self.regex = regex
      quick = try Regex(regex.pattern, caseless: regex.caseless, limits: AnchoredStartTests.tiny)
      slow = try Regex(regex.pattern, caseless: regex.caseless, jit: false, limits: AnchoredStartTests.tiny)
    }
  }

  /// A text turned away has no match, and PCRE2 fails on it within a few steps, JIT code and
  /// interpreter alike (so the match it replaces could not have met a limit).
  static func holds(_ runs: Runs, _ start: AnchoredStart, on bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard !admits(start, text) else { return }
    for regex in [runs.regex, runs.quick, runs.slow] {
      do {
        #expect(try regex.namedCaptures(in: text) == nil, "\(regex.pattern): \(text)")
      } catch {
        Issue.record("\(regex.pattern) on \(text.debugDescription): \(error)")
      }
    }
  }

  @Test(arguments: 0..<4)
  func shippedStartsTurnAwayOnlyTextsWithNoMatch(seed: UInt64) throws {
    var rng = SplitMix64(seed: 32_100 + seed)
    var turnedAway = 0
    for pattern in Self.catalog.patterns {
      guard let start = AnchoredStart(pattern: pattern.regex.pattern, caseless: pattern.regex.caseless) else {
        continue
      }
      let runs = try Runs(pattern.regex)
      for bytes in Self.nearTexts(pattern, &rng) {
        Self.holds(runs, start, on: bytes)
        if !Self.admits(start, String(decoding: bytes, as: UTF8.self)) { turnedAway += 1 }
      }
      // Every example matches, so each is let in.
      for example in pattern.examples { #expect(Self.admits(start, example.text), "\(pattern.id)") }
    }
    #expect(turnedAway > 1_000)
  }

  /// A random regex of the shapes the reading meets: `^`, sometimes a first group of branches,
  /// branches of literal bytes, escapes, classes, dots and nested groups, each perhaps
  /// quantified; sometimes a top-level `|`, an inline option or a nullable group repeated so
  /// that it backtracks past any limit.
  static func randomPattern(_ rng: inout SplitMix64) -> String {
    let atoms = [
      "a", "b", "B", "c", "-", " ", #"""#, ":", #"\-"#, #"\""#, #"\."#, "[Bb]", "[ab]", "[abc]", "[a-c]", ".",
      #"\d"#, "(?:a|b)", "(?:|a)", "(?:(?:|){14}a)", "(?<n>ab)", "é",
    ]
    let quantifiers = ["", "", "", "", "?", "*", "+", "{0,2}", "{1,2}", "+?", "??"]
    func branch(_ rng: inout SplitMix64) -> String {
      (0..<(1 + rng.below(4))).map { _ in atoms[rng.below(atoms.count)] + quantifiers[rng.below(quantifiers.count)] }
        .joined()
    }
    var pattern = rng.below(8) == 0 ? "" : "^"
    if rng.below(10) == 0 { pattern += "(?i)" }
    if rng.below(6) == 0 { pattern += "(?:|){14}" }
    if rng.below(2) == 0 {
      let opener = ["(?:", "(", "(?<g>", "(?P<g>", "(?=", "(?|"][rng.below(6)]
      pattern += opener + (0..<(1 + rng.below(3))).map { _ in branch(&rng) }.joined(separator: "|") + ")"
      pattern += ["", "", "", "?", "*", "+", "{0,1}"][rng.below(7)]
    }
    pattern += branch(&rng)
    if rng.below(8) == 0 { pattern += "|" + branch(&rng) }
    return pattern
  }

  @Test(arguments: 0..<4)
  func randomStartsTurnAwayOnlyTextsWithNoMatch(seed: UInt64) throws {
    var rng = SplitMix64(seed: 32_200 + seed)
    let alphabet: [[UInt8]] = ["a", "b", "B", "c", "-", " ", #"""#, ":", ".", "1", "é", "\u{212A}"].map {
      Array($0.utf8)
    }
    var read = 0
    var turnedAway = 0
    for _ in 0..<1_000 {
      let pattern = Self.randomPattern(&rng)
      guard let regex = try? Regex(pattern), let start = AnchoredStart(pattern: pattern, caseless: false) else {
        continue
      }
      read += 1
      let runs = try Runs(regex)
      for _ in 0..<40 {
        let bytes = (0..<rng.below(10)).flatMap { _ in alphabet[rng.below(alphabet.count)] }
        Self.holds(runs, start, on: bytes)
        if !Self.admits(start, bytes) { turnedAway += 1 }
      }
    }
    #expect(read > 60)
    #expect(turnedAway > 2_000)
  }
}
