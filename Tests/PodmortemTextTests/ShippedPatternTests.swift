import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// A run loads the shipped patterns unchecked (regexes compiled on first use, examples not run):
/// these tests are the check it relies on, and the proof that the one-pass literal automaton
/// selects exactly the patterns checking each literal in turn would.
@Suite struct ShippedPatternTests {
  static let checkedLog = DiagnosticLog()
  static let checked = PatternCatalog.shipped(checked: true, diagnostics: checkedLog.sink)
  static let unchecked = PatternCatalog.shipped(diagnostics: { _ in })

  @Test func everyShippedPatternPassesEveryCheck() {
    #expect(Self.checkedLog.messages == [])
    #expect(Self.checked.patterns.count == Self.unchecked.patterns.count)
    for pattern in Self.checked.patterns {
      #expect(pattern.regex.captureCount >= pattern.regex.groupNames.count, "\(pattern.id)")
      if Regex.isJITAvailable { #expect(pattern.regex.isJITCompiled, "\(pattern.id) is not JIT-compiled") }
    }
  }

  /// The unchecked load reads the sources decoded into ShippedPatterns.swift, the checked one the
  /// JSON files themselves: the same patterns, field by field (a stale generation fails here).
  @Test func uncheckedLoadGivesTheSamePatterns() {
    let log = DiagnosticLog()
    let unchecked = PatternCatalog.shipped(diagnostics: log.sink)
    #expect(log.all.isEmpty)
    #expect(unchecked.patterns.map(\.id) == Self.checked.patterns.map(\.id))
    for (a, b) in zip(unchecked.patterns, Self.checked.patterns) {
      #expect(a.kinds == b.kinds && a.literals == b.literals && a.regex.pattern == b.regex.pattern, "\(a.id)")
      #expect(a.sets == b.sets && a.classify == b.classify && a.detail == b.detail, "\(a.id)")
      #expect(a.examples == b.examples && a.counterexamples == b.counterexamples, "\(a.id)")
      #expect(a.severity == b.severity && a.title == b.title && a.explanation == b.explanation, "\(a.id)")
      #expect(a.event == b.event && a.isAboutNode == b.isAboutNode && a.file == b.file, "\(a.id)")
      #expect(a.regex.groupNames == b.regex.groupNames, "\(a.id)")
    }
  }

  @Test func aDeferredRegexCompilesOnFirstUseAndABrokenOneFailsEachMatch() throws {
    let regex = Regex(deferred: "(?<code>\\d+)")
    #expect(try regex.firstMatch(in: "status 503")?["code"] == "503")
    let broken = Regex(deferred: "(unclosed")
    #expect(broken.groupNames.isEmpty)
    #expect(throws: RegexError.self) { try broken.firstMatch(in: "(unclosed") }
  }

  /// Every text any shipped pattern is tested with: examples and counterexamples of all kinds.
  static var texts: [String] {
    Self.checked.patterns.flatMap { $0.examples.map(\.text) + $0.counterexamples }
  }

  @Test func theAutomatonFindsExactlyTheLiteralsThatOccur() {
    let literals = Array(Set(Self.checked.patterns.flatMap { $0.literals.map(\.text) })).sorted()
    let set = LiteralSet(literals.map { Array($0.utf8) })
    for text in Self.texts {
      let expected = literals.indices.filter { Literal(literals[$0]).occurs(in: text) }
      #expect(set.occurring(in: text) == expected, "\(text)")
    }
  }

  @Test func overlappingAndNestedLiteralsAreAllFound() {
    // Literals that are prefixes, suffixes and infixes of each other, and repeat their own start.
    let literals = ["aab", "ab", "b", "abab", "ba", "aaa", "é", "xé", "\u{1F680}"]
    let set = LiteralSet(literals.map { Array($0.utf8) })
    // The same literals past the table cap (searched one by one), and with a literal holding every
    // byte value (walked on its first `LiteralSet.prefixLength` bytes, the rest compared).
    let small = LiteralSet(literals.map { Array($0.utf8) }, maxTableEntries: 16)
    let everyByte = LiteralSet(literals.map { Array($0.utf8) } + [Array(0...255)])
    var generator = SplitMix64(seed: 16)
    let alphabet = ["a", "b", "x", "é", "\u{1F680}", " "]
    for _ in 0..<2_000 {
      let count = Int(generator.next() % 12)
      let text = (0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined()
      let expected = literals.indices.filter { Literal(literals[$0]).occurs(in: text) }
      #expect(set.occurring(in: text) == expected, "\(text)")
      #expect(small.occurring(in: text) == expected, "\(text)")
      #expect(everyByte.occurring(in: text) == expected, "\(text)")
    }
    #expect(LiteralSet([]).occurring(in: "anything") == [])
    #expect(LiteralSet([[], Array("a".utf8)]).occurring(in: "a") == [1])
  }

  /// A long text is walked as four quarters at once (`LiteralSet.scan`): the literals found are
  /// the ones that occur, whichever quarter holds them and wherever they cross a quarter's end.
  /// Seeded random texts of up to 700 bytes made of pieces of the literals, so occurrences fall
  /// everywhere, compared with `Literal.occurs` (what the one walk from the start found).
  @Test(arguments: 0..<8)
  func longTextsWalkedInQuartersFindExactlyTheLiteralsThatOccur(seed: UInt64) {
    var generator = SplitMix64(seed: 1_000 + seed)
    let shipped = Array(Set(Self.checked.patterns.flatMap { $0.literals.map(\.text) })).sorted()
    let literals =
      seed % 2 == 0
      ? shipped : ["aab", "ab", "b", "abab", "ba", "aaa", "é", "xé", String(repeating: "ab", count: 20) + "c"]
    let set = LiteralSet(literals.map { Array($0.utf8) })
    let pieces =
      literals.flatMap { literal -> [String] in
        let b = Array(literal.utf8)
        let cut = b.count / 2
        return [literal, String(decoding: b[..<cut], as: UTF8.self), String(decoding: b[cut...], as: UTF8.self)]
      } + ["a", "b", " ", "é", "x"]
    for _ in 0..<300 {
      var text = ""
      let target = Int(generator.next() % 700)
      while text.utf8.count < target { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
      let expected = literals.indices.filter { Literal(literals[$0]).occurs(in: text) }
      #expect(set.occurring(in: text) == expected, "\(text)")
    }
  }

  /// Literals longer than the walked prefix (`LiteralSet.prefixLength`) are compared past it where
  /// it ends: seeded random literals over a three-letter alphabet, many sharing their first
  /// twelve bytes or being prefixes of each other, found exactly where `Literal.occurs` finds them
  /// in random texts of up to 400 bytes (walked whole, and in quarters), including a text ending
  /// inside a literal's rest.
  @Test(arguments: 0..<8)
  func literalsLongerThanTheWalkedPrefixAreFoundExactlyWhereTheyOccur(seed: UInt64) {
    var generator = SplitMix64(seed: 2_000 + seed)
    let alphabet: [UInt8] = Array("abc".utf8)
    func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in alphabet[Int(generator.next() % 3)] } }
    let stem = random(LiteralSet.prefixLength)
    var literals: [[UInt8]] = []
    for _ in 0..<12 {
      let count = 1 + Int(generator.next() % 30)
      // Half share the stem: one automaton state, their rests told apart by the comparison.
      let shared = generator.next() % 2 == 0
      literals.append(shared ? Array((stem + random(count)).prefix(max(count, 1))) : random(count))
    }
    let set = LiteralSet(literals)
    for _ in 0..<300 {
      var text = random(Int(generator.next() % 400))
      // Pieces of the literals, so that occurrences (and near misses) are frequent.
      for _ in 0..<Int(generator.next() % 6) {
        let literal = literals[Int(generator.next() % UInt64(literals.count))]
        let cut = Int(generator.next() % UInt64(literal.count + 1))
        let at = Int(generator.next() % UInt64(text.count + 1))
        text.insert(contentsOf: generator.next() % 4 == 0 ? Array(literal[..<cut]) : literal, at: at)
      }
      let string = String(decoding: text, as: UTF8.self)
      let expected = literals.indices.filter {
        Literal(String(decoding: literals[$0], as: UTF8.self)).occurs(in: string)
      }
      #expect(set.occurring(in: string) == expected, "\(string)")
    }
  }

  /// The catalog's first match for every tested text and every kind is the first pattern, in
  /// catalog order, whose literals all occur and whose regex matches: the prefilter never skips a
  /// line a pattern would match, and never changes which pattern wins.
  @Test func prefilteredMatchingPicksThePatternMatchingEachInTurnWould() throws {
    let catalog = Self.unchecked
    for kind in PatternKind.allCases where kind != .detail {
      let candidates = catalog.patterns.filter { $0.detail == nil && $0.kinds.contains(kind) }
      for text in Self.texts {
        let naive = try candidates.lazy.compactMap { try $0.match(text) }.first
        let hit = catalog.firstMatch(text, kind: kind)
        #expect(hit?.patternID == naive?.patternID, "\(kind) \(text)")
        if let naive, let hit {
          #expect(Array(hit.captures.prefix(naive.captures.count)) == naive.captures, "\(kind) \(text)")
        }
      }
    }
    let domains = Set(catalog.patterns.compactMap(\.detail))
    for domain in domains {
      let candidates = catalog.patterns.filter { $0.detail == domain }
      for text in Self.texts {
        let naive = try candidates.lazy.compactMap { try $0.match(text) }.first
        #expect(catalog.detail(text, domain)?.patternID == naive?.patternID, "\(domain) \(text)")
      }
    }
  }
}
