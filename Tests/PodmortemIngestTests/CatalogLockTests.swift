import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

/// The catalog's shared state is guarded by the standard library's `Mutex` (a kind's lazy index,
/// the memo of recurring texts, each regex's compiled code and pool of scratches), where it was
/// `NSLock` (docs/architecture.md "Speed of the kubelet-log path"). The sections guarded are the
/// same; here a fresh catalog is asked from eight tasks at once, so that every index is first
/// built, every deferred regex first compiled and the memo and the scratch pools used while
/// other tasks use them, and every answer must be `ReferenceRecognition`'s (`RecognitionSameTests`),
/// captures byte for byte, on seeded recurring and hostile texts (`RecognitionMemoTests.text`) and sample lines.
@Suite struct CatalogLockTests {
  static let reference = RecognitionSameTests.reference
  static let domains = RecognitionSameTests.domains
  static func bytes(_ hit: PatternHit?) -> [[UInt8]]? { RecognitionSameTests.bytes(hit) }

  /// One task's texts and, for each, the reference's answers for every kind and domain.
  struct Asked: Sendable {
    let texts: [String]
    let kinds: [[[[UInt8]]?]]
    let details: [[[[UInt8]]?]]
  }

  static func asked(seed: UInt64) -> Asked {
    var rng = SplitMix64(seed: 4_100 + seed)
    // A small pool, so that texts recur within a task and across tasks: recurring texts and sample
    // lines' bodies after their klog header.
    let lines = SampleLines.all
    let pool =
      (0..<12).map { _ in RecognitionMemoTests.text(&rng) }
      + (0..<12).map { _ in
        let line = lines[Int(rng.next() % UInt64(lines.count))]
        return line.range(of: "] ").map { String(line[$0.upperBound...]) } ?? line
      }
    let texts = (0..<80).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }
    return Asked(
      texts: texts,
      kinds: texts.map { text in PatternKind.allCases.map { bytes(reference.firstMatch(text, kind: $0)) } },
      details: texts.map { text in domains.map { bytes(reference.detail(text, $0)) } })
  }

  @Test(arguments: 0..<2)
  func aCatalogAskedFromEightTasksAtOnceAnswersAsTheReference(round: UInt64) async {
    let asked = (0..<8).map { Self.asked(seed: round &* 8 &+ UInt64($0)) }
    let catalog = PatternCatalog.shipped(diagnostics: { _ in })
    let mismatches = await withTaskGroup(of: Int.self) { group in
      for task in asked {
        group.addTask {
          var bad = 0
          for (index, text) in task.texts.enumerated() {
            for (k, kind) in PatternKind.allCases.enumerated() {
              if Self.bytes(catalog.firstMatch(text, kind: kind)) != task.kinds[index][k] { bad += 1 }
              if Self.bytes(catalog.firstMatch(recurring: text, kind: kind)) != task.kinds[index][k] { bad += 1 }
            }
            for (d, domain) in Self.domains.enumerated()
            where Self.bytes(catalog.detail(text, domain)) != task.details[index][d] {
              bad += 1
            }
          }
          return bad
        }
      }
      return await group.reduce(0, +)
    }
    #expect(mismatches == 0)
    // The comparison is of recognised texts, not only misses.
    let recognised = asked.map { ($0.kinds + $0.details).joined().filter { $0 != nil }.count }.reduce(0, +)
    #expect(recognised > 100)
    #expect(catalog.matchFailureCount == 0)
  }
}
