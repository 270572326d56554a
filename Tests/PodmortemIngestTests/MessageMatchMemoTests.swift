import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `MessageMatchMemo` answers a message from the last one of the same bytes and kind in its place
/// (docs/architecture.md "Speed of the describe path"). On seeded sequences of messages — repeated
/// near and far, far more distinct ones than the memo has places, recognised and not, each kind,
/// and texts equal only canonically whose captures differ in their bytes — every answer must be the
/// catalog's own, captures byte for byte; and a look in which a pattern fails must be counted as
/// often as the catalog alone counts it.
struct MessageMatchMemoTests {
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  static func message(_ rng: inout SplitMix64, pool: Int) -> String {
    let n = Int(rng.next() % UInt64(pool))
    switch rng.next() % 9 {
    case 0: return "Liveness probe failed: HTTP probe failed with statuscode: \(500 + n % 4)"
    case 1: return "Readiness probe failed: Get \"http://10.0.\(n % 7).1:8080/ready\": caf\u{E9} \(n % 3)"
    case 2: return "Readiness probe failed: Get \"http://10.0.\(n % 7).1:8080/ready\": cafe\u{301} \(n % 3)"
    case 3: return "Back-off restarting failed container worker-\(n) in pod app-\(n)_shop(5fd2)"
    case 4: return "Successfully assigned shop/app-\(n) to node-\(n % 5)"
    case 5: return "Failed to pull image \"registry.example/app:v\(n)\": rpc error: code = NotFound K\u{212A}"
    case 6: return "Container image \"nginx:1.\(n % 30)\" already present on machine"
    case 7: return "plain text nobody recognises \(n) İ\r\u{0}"
    default: return ""
    }
  }

  static func sameBytes(_ a: PatternHit?, _ b: PatternHit?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return Array(a.patternID.utf8) == Array(b.patternID.utf8)
      && a.captures.map { Array($0.key.utf8) } == b.captures.map { Array($0.key.utf8) }
      && a.captures.map { Array($0.value.utf8) } == b.captures.map { Array($0.value.utf8) }
  }

  @Test func everyAnswerIsTheCatalogsOwnByteForByte() {
    var rng = SplitMix64(seed: 7_070)
    let kinds: [PatternKind] = [.event, .reference, .event, .kubelet]
    var hits = 0
    for pool in [3, 200, 5_000] {
      var memo = MessageMatchMemo()
      for i in 0..<6_000 {
        let text = Self.message(&rng, pool: pool)
        let kind = kinds[Int(rng.next() % UInt64(kinds.count))]
        let got = memo.firstMatch(text, kind: kind, in: Self.patterns)
        let expected = Self.patterns.firstMatch(text, kind: kind)
        if !Self.sameBytes(got, expected) {
          Issue.record(
            "pool \(pool), message \(i) (\(kind)): \(String(describing: got)) != \(String(describing: expected))")
          break
        }
        if expected != nil { hits += 1 }
      }
    }
    // The sequences reach recognised messages of several patterns, not only misses.
    #expect(hits > 3_000)
  }

  @Test func aLookInWhichAPatternFailsIsNotRemembered() {
    let log = LogDiagnosticCollector()
    let json =
      #"{"patterns": [{"id": "test.slow", "kinds": ["event"], "regex": "^(a+)+$", "examples": [{"text": "aaa"}]}]}"#
    let catalog = PatternCatalog.load(files: [("mine.json", json)], diagnostics: { log.add($0) })
    #expect(log.diagnostics.isEmpty)
    var memo = MessageMatchMemo()
    let evil = String(repeating: "a", count: 40) + "b"
    #expect(memo.firstMatch(evil, kind: .event, in: catalog) == nil)
    #expect(memo.firstMatch(evil, kind: .event, in: catalog) == nil)
    #expect(catalog.matchFailureCount == 2)
    #expect(memo.firstMatch("aaaa", kind: .event, in: catalog)?.patternID == "test.slow")
    #expect(memo.firstMatch("aaaa", kind: .event, in: catalog)?.patternID == "test.slow")
    #expect(memo.firstMatch(evil, kind: .event, in: catalog) == nil)
    #expect(catalog.matchFailureCount == 3)
  }
}
