import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

/// The catalog remembers what it answered for the short texts that recur, a detail's text (a
/// probe's output, a pull error) and the message of the kubelet's "Event occurred" line
/// (`firstMatch(recurring:kind:)`), in a fixed table by the text's bytes (docs/architecture.md
/// "Speed of the kubelet-log path"). The reference is `ReferenceRecognition`
/// (`RecognitionSameTests`), the recognition before any memo, kept there: on sequences that ask
/// the same texts over and over, near and far, in more places than the table has, every answer
/// must be the reference's, captures byte for byte, including texts equal only canonically (an
/// accent precomposed and decomposed, a Kelvin sign beside a `K`) whose captures differ in their
/// bytes; and a look in which a pattern fails must be counted every time it is made.
@Suite struct RecognitionMemoTests {
  static let reference = RecognitionSameTests.reference
  static let domains = RecognitionSameTests.domains
  static func bytes(_ hit: PatternHit?) -> [[UInt8]]? { RecognitionSameTests.bytes(hit) }

  /// The texts details and event messages are made of: every capture of every sample line's
  /// kubelet hit (the texts details are asked about), and every sample line's text after a klog
  /// header's `message="` (an "Event occurred" line's message and what follows it).
  static let recurring: [String] = {
    let catalog = PatternCatalog.shipped(diagnostics: { _ in })
    var texts: Set<String> = []
    for line in SampleLines.all {
      let body = line.range(of: "] ").map { String(line[$0.upperBound...]) } ?? line
      if let hit = catalog.firstMatch(body, kind: .kubelet) {
        for capture in hit.captures { texts.insert(capture.value) }
      }
      if let message = line.range(of: "message=\"") {
        texts.insert(String(line[message.upperBound...].prefix { $0 != "\"" }))
      }
    }
    return texts.sorted()
  }()

  /// A recurring text, or one spliced with a hostile piece (NUL, CR, tabs, a Kelvin sign, a dotted
  /// capital I, combining accents; an accent precomposed or decomposed), cut anywhere.
  static func text(_ rng: inout SplitMix64) -> String {
    var text = recurring[Int(rng.next() % UInt64(recurring.count))]
    switch rng.next() % 6 {
    case 0:
      let pieces = SampleLines.hostile + ["caf\u{E9}", "cafe\u{301}", "K", "\u{212A}"]
      let piece = pieces[Int(rng.next() % UInt64(pieces.count))]
      let bytes = Array(text.utf8)
      let at = Int(rng.next() % UInt64(bytes.count + 1))
      text = String(decoding: bytes[..<at] + Array(piece.utf8) + bytes[at...], as: UTF8.self)
    case 1:
      let bytes = Array(text.utf8)
      text = String(decoding: bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))), as: UTF8.self)
    case 2: text = String(repeating: text + " ", count: 1 + Int(rng.next() % 40))
    default: break
    }
    return text
  }

  @Test func everySampleTextAskedAgainIsAnsweredAsBefore() {
    #expect(Self.recurring.count > 100)
    let catalog = PatternCatalog.shipped(diagnostics: { _ in })
    var details = 0
    var events = 0
    // Three rounds: the first fills the table, the later ones are answered from it where a text
    // kept its place.
    for _ in 0..<3 {
      for text in Self.recurring {
        for domain in Self.domains {
          let expected = Self.reference.detail(text, domain)
          #expect(Self.bytes(catalog.detail(text, domain)) == Self.bytes(expected), "\(domain): \(text)")
          if expected != nil { details += 1 }
        }
        for kind in [PatternKind.event, .kubelet, .reference] {
          let expected = Self.reference.firstMatch(text, kind: kind)
          #expect(
            Self.bytes(catalog.firstMatch(recurring: text, kind: kind)) == Self.bytes(expected), "\(kind): \(text)")
          #expect(Self.bytes(catalog.firstMatch(text, kind: kind)) == Self.bytes(expected), "\(kind): \(text)")
          if kind == .event, expected != nil { events += 1 }
        }
      }
    }
    // The comparison is of recognised texts, not only misses.
    #expect(details > 200)
    #expect(events > 30)
  }

  @Test(arguments: 0..<4)
  func seededSequencesOfRecurringTextsAreAnsweredAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 2_300 + seed)
    let catalog = PatternCatalog.shipped(diagnostics: { _ in })
    // A small pool repeats near, a large one (more texts than the table's places) far.
    for poolSize in [5, 40, 600] {
      let pool = (0..<poolSize).map { _ in Self.text(&rng) }
      for _ in 0..<600 {
        let text = pool[Int(rng.next() % UInt64(poolSize))]
        let domain = Self.domains[Int(rng.next() % UInt64(Self.domains.count))]
        #expect(Self.bytes(catalog.detail(text, domain)) == Self.bytes(Self.reference.detail(text, domain)))
        let kind = PatternKind.allCases[Int(rng.next() % UInt64(PatternKind.allCases.count))]
        let expected = Self.bytes(Self.reference.firstMatch(text, kind: kind))
        #expect(Self.bytes(catalog.firstMatch(recurring: text, kind: kind)) == expected, "\(kind): \(text)")
      }
    }
  }

  @Test func aLookInWhichAPatternFailsIsCountedEveryTime() {
    let json = #"""
      {"patterns": [
        {"id": "test.outer", "kinds": ["kubelet"], "regex": "^x=(?<error>.*)$", "classify": {"error": "slow"},
         "examples": [{"text": "x=aaa"}]},
        {"id": "test.slow", "kinds": ["detail"], "detail": "slow", "regex": "^(a+)+$", "sets": {"mode": "a"},
         "examples": [{"text": "aaa"}]}
      ]}
      """#
    let log = LogDiagnosticCollector()
    let catalog = PatternCatalog.load(files: [("mine.json", json)], diagnostics: { log.add($0) })
    #expect(log.diagnostics.isEmpty)
    let evil = String(repeating: "a", count: 40) + "b"
    for round in 1...3 {
      #expect(catalog.firstMatch("x=" + evil, kind: .kubelet)?.captures == [KeyValue("error", evil)])
      #expect(catalog.firstMatch(recurring: "x=" + evil, kind: .kubelet)?.captures == [KeyValue("error", evil)])
      #expect(catalog.detail(evil, "slow") == nil)
      #expect(catalog.matchFailureCount == 3 * round)
    }
    // A look without a failure is remembered and answered as made.
    for _ in 0..<3 {
      #expect(
        catalog.firstMatch("x=aaaa", kind: .kubelet)?.captures == [KeyValue("error", "aaaa"), KeyValue("mode", "a")])
      #expect(catalog.detail("aaaa", "slow")?.captures == [KeyValue("mode", "a")])
    }
    #expect(catalog.matchFailureCount == 9)
  }
}
