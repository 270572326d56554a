import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

/// The recognition of `PatternCatalog` (`firstMatch` per kind, `detail` per domain) is the one it
/// made before its speed-ups (docs/architecture.md "Speed of the kubelet-log path": the kinds in
/// an array, the matchers tried picked from the literals found, the captures made as one array,
/// the locks' exclusivity checks and `pcre2_match` left out for JIT code; then a candidate's
/// regex read without copying its matcher, the detail domains found by slot and their captures
/// appended in place, the code and a scratch taken under one lock): compared
/// with `ReferenceRecognition`, the code they replaced, on every line of every sample (whole, and
/// the text after a klog header's `] `) and on seeded random lines.
@Suite struct RecognitionSameTests {
  static let catalog = PatternCatalog.shipped(diagnostics: { _ in })
  static let reference = ReferenceRecognition(catalog.patterns)
  static let domains = Set(catalog.patterns.compactMap(\.detail)).sorted()

  /// The hit as bytes: `String`'s `==` would call canonically equivalent spellings equal.
  static func bytes(_ hit: PatternHit?) -> [[UInt8]]? {
    hit.map { hit in [Array(hit.patternID.utf8)] + hit.captures.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] } }
  }

  static func check(_ text: String) {
    for kind in PatternKind.allCases {
      let new = catalog.firstMatch(text, kind: kind)
      let old = reference.firstMatch(text, kind: kind)
      #expect(bytes(new) == bytes(old), "\(kind): \(text)")
    }
    for domain in domains {
      #expect(bytes(catalog.detail(text, domain)) == bytes(reference.detail(text, domain)), "\(domain): \(text)")
    }
  }

  @Test func everySampleLineIsRecognisedAsBefore() {
    #expect(SampleLines.all.count > 10_000)
    var recognised = 0
    for line in SampleLines.all {
      Self.check(line)
      // The kubelet kind reads the text after the klog header.
      if let body = line.range(of: "] ") {
        Self.check(String(line[body.upperBound...]))
      }
      if Self.catalog.firstMatch(line, kind: .kubelet) != nil { recognised += 1 }
    }
    // The samples hold real kubelet lines: the comparison is not of misses alone.
    #expect(recognised > 100)
  }

  /// The anchored regexes' starts (`AnchoredStart`, a regex not run when the text does not
  /// begin with its start): every pattern's examples and counterexamples, cut to each of their
  /// first 12 lengths, each of their first 10 bytes changed to a hostile piece (NUL, CR, a tab, a
  /// Kelvin sign, a dotted capital I, a combining accent, a quote, the other case) and with such
  /// a piece before them, and the two starts the kubelet lines fail most against spliced in front
  /// of sample lines.
  @Test(arguments: 0..<2)
  func textsAtTheAnchoredStartsAreRecognisedAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 3_200 + seed)
    let pieces = ["", "\u{0}", "\r", "\t", "\u{212A}", "\u{130}", "e\u{301}", "\"", "\\", " ", "b", "B", "k"]
    let texts = Self.catalog.patterns.flatMap { $0.examples.map(\.text) + $0.counterexamples }
    for text in texts {
      let bytes = Array(text.utf8)
      Self.check(text)
      for n in 0..<min(bytes.count, 12) { Self.check(String(decoding: bytes.prefix(n), as: UTF8.self)) }
      for k in 0..<min(bytes.count, 10) {
        var changed = bytes
        changed.replaceSubrange(k..<(k + 1), with: Array(pieces[rng.below(pieces.count)].utf8))
        Self.check(String(decoding: changed, as: UTF8.self))
      }
      Self.check(pieces[rng.below(pieces.count)] + text)
    }
    for _ in 0..<200 {
      let start = ["ErrImagePull: ", "ImagePullBackOff: ", "Back-off ", "back-off ", "\"Back-off ", "Err", "Back"][
        rng.below(7)]
      Self.check(start + SampleLines.random(&rng))
    }
  }

  @Test(arguments: 0..<4)
  func seededRandomLinesAreRecognisedAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 1_600 + seed)
    for _ in 0..<400 { Self.check(SampleLines.random(&rng)) }
  }
}

/// The recognition `PatternCatalog` made before this session's changes, kept as the reference the
/// new one is held to (`RecognitionSameTests`): kinds and domains in dictionaries, each index's
/// matchers tried in order once their literals all occur (the same `LiteralSet`), the named
/// captures mapped into pairs and the pattern's `sets` appended, details classified to the same
/// depth. Its regexes run in PCRE2's interpreter, `pcre2_match`, which is also the reference for
/// the JIT code the new path enters directly.
struct ReferenceRecognition {
  struct Matcher {
    let id: String
    let regex: Regex
    let sets: [KeyValue]
    let classify: [Classification]
  }

  struct Index {
    let matchers: [Matcher]
    let literals: LiteralSet
    let required: [UInt64]

    init(_ patterns: [Pattern]) {
      var ids: [[UInt8]: Int] = [:]
      var distinct: [[UInt8]] = []
      var needs: [[Int]] = []
      var matchers: [Matcher] = []
      for pattern in patterns {
        var own: [Int] = []
        for literal in pattern.literals where !literal.text.isEmpty {
          let bytes = Array(literal.text.utf8)
          if let id = ids[bytes] {
            own.append(id)
          } else {
            ids[bytes] = distinct.count
            own.append(distinct.count)
            distinct.append(bytes)
          }
        }
        needs.append(own)
        // The interpreter, under the same limits.
        let regex =
          (try? Regex(pattern.regex.pattern, caseless: pattern.regex.caseless, jit: false, limits: pattern.regex.limits))
          ?? pattern.regex
        matchers.append(Matcher(id: pattern.id, regex: regex, sets: pattern.sets, classify: pattern.classify))
      }
      self.matchers = matchers
      literals = LiteralSet(distinct)
      let words = literals.wordCount
      var required = [UInt64](repeating: 0, count: matchers.count * words)
      for (index, own) in needs.enumerated() {
        for id in own { required[index * words + id >> 6] |= 1 << UInt64(id & 63) }
      }
      self.required = required
    }

    func first(matching text: String) -> (hit: PatternHit, classify: [Classification])? {
      let words = literals.wordCount
      var found = [UInt64](repeating: 0, count: max(words, 1))
      var subject = text
      subject.withUTF8 { bytes in found.withUnsafeMutableBufferPointer { literals.scan(bytes, into: $0) } }
      for index in matchers.indices {
        var passes = true
        for w in 0..<words where required[index * words + w] & ~found[w] != 0 {
          passes = false
          break
        }
        guard passes else { continue }
        let candidate = matchers[index]
        if let found = try? candidate.regex.namedCaptures(in: text) {
          let captures = found.map { KeyValue($0.name, $0.value) } + candidate.sets
          return (PatternHit(patternID: candidate.id, captures: captures), candidate.classify)
        }
      }
      return nil
    }
  }

  let byKind: [PatternKind: Index]
  let byDomain: [String: Index]

  init(_ patterns: [Pattern]) {
    var byKind: [PatternKind: [Pattern]] = [:]
    var byDomain: [String: [Pattern]] = [:]
    for pattern in patterns {
      if let domain = pattern.detail {
        byDomain[domain, default: []].append(pattern)
        continue
      }
      for kind in Set(pattern.kinds) { byKind[kind, default: []].append(pattern) }
    }
    self.byKind = byKind.mapValues(Index.init)
    self.byDomain = byDomain.mapValues(Index.init)
  }

  func firstMatch(_ text: String, kind: PatternKind) -> PatternHit? {
    guard let index = byKind[kind], let hit = index.first(matching: text) else { return nil }
    return classified(hit, depth: 0)
  }

  func detail(_ text: String, _ domain: String) -> PatternHit? { detail(text, domain, depth: 0) }

  private func detail(_ text: String, _ domain: String, depth: Int) -> PatternHit? {
    guard depth < 3, let index = byDomain[domain], let hit = index.first(matching: text) else { return nil }
    return classified(hit, depth: depth + 1)
  }

  private func classified(_ found: (hit: PatternHit, classify: [Classification]), depth: Int) -> PatternHit {
    var hit = found.hit
    for classification in found.classify {
      guard let value = hit.capture(classification.capture),
        let detail = detail(value, classification.domain, depth: depth)
      else { continue }
      hit.captures += detail.captures.filter { new in !hit.captures.contains { $0.key == new.key } }
    }
    return hit
  }
}
