import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `EventIdentity.mergeOrder` (the namespace, kind and name compared as ranks, issue 16) must give
/// the order the sort with `precedes` gave, and `EventBook.SharedCaptures` must share the capture
/// arrays `Set<[KeyValue]>` shared. Both old forms are kept here as the references, because the
/// merge's clusters, and so every merged event and its order, follow from that order, and the
/// shared arrays are what the report prints.
@Suite struct MergeOrderTests {
  /// The reference: the identity sort of `EventBook.drainMerged` before the ranks, every field
  /// compared as a string in every comparison.
  static func referenceOrder(_ identities: [EventIdentity]) -> [Int] {
    let known = identities.map(\.knownFields)
    return identities.withUnsafeBufferPointer { ids -> [Int] in
      guard let base = ids.baseAddress else { return [] }
      return ids.indices.sorted { a, b in
        known[a] != known[b] ? known[a] > known[b] : EventIdentity.precedes(base + a, base + b)
      }
    }
  }

  /// Hostile pieces: a Kelvin sign beside `K`, a dotted capital I beside `I`, an accent composed
  /// and decomposed (one `String` under `==`, two byte sequences), CR, NUL, tabs, empty and long
  /// strings, and names equal but for their last byte.
  private static let pieces = [
    "", "web-0", "web-1", "K", "\u{212A}", "\u{130}", "I", "é", "e\u{301}", "\r", "\u{0}", "\t", "Back-off",
    "Liveness probe failed: ", String(repeating: "x", count: 300), "ns", "kubelet", "pod", "Pod",
    "web-7f9c6d5b4-abcde", "web-7f9c6d5b4-abcdf",
  ]

  /// ASCII pieces only (CR, NUL, tabs and empty strings among them), whose namespaces, kinds and
  /// names are ranked; identities with any other value there are sorted as before.
  private static let asciiPieces = pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }

  private static func text(_ rng: inout SplitMix64, parts: UInt64 = 3, ascii: Bool = false) -> String {
    let pool = ascii ? asciiPieces : pieces
    var s = ""
    for _ in 0..<Int(rng.next() % parts) { s += pool[Int(rng.next() % UInt64(pool.count))] }
    return s
  }

  private static func optional(_ rng: inout SplitMix64, ascii: Bool) -> String? {
    rng.next() % 3 == 0 ? nil : text(&rng, ascii: ascii)
  }

  private static func identity(_ rng: inout SplitMix64, ascii: Bool = false) -> EventIdentity {
    EventIdentity(
      namespace: optional(&rng, ascii: ascii), kind: optional(&rng, ascii: ascii), name: text(&rng, ascii: ascii),
      uid: optional(&rng, ascii: false), fieldPath: optional(&rng, ascii: false),
      type: rng.next() % 2 == 0 ? "Normal" : "Warning", reason: text(&rng), component: optional(&rng, ascii: false),
      host: optional(&rng, ascii: false), message: text(&rng),
      pastedAt: rng.next() % 4 == 0 ? SourceRef(source: text(&rng), line: Int(rng.next() % 3)) : nil)
  }

  @Test(arguments: [false, true]) func ranksOrderSeededIdentitiesAsTheStringsDo(ascii: Bool) {
    var rng = SplitMix64(seed: ascii ? 0xA5C1_1B00C : 0x5EED_B00C)
    for round in 0..<400 {
      let size = Int(rng.next() % 90)
      var identities: [EventIdentity] = []
      for _ in 0..<size {
        // Runs of one object's events, as a list or a describe gives them, and repeats.
        if let last = identities.last, rng.next() % 3 == 0 {
          var next = Self.identity(&rng, ascii: ascii)
          next.namespace = last.namespace
          next.kind = last.kind
          next.name = last.name
          identities.append(rng.next() % 4 == 0 ? last : next)
        } else {
          identities.append(Self.identity(&rng, ascii: ascii))
        }
      }
      #expect(EventIdentity.mergeOrder(identities) == Self.referenceOrder(identities), "round \(round)")
    }
    #expect(EventIdentity.mergeOrder([]) == [])
  }

  /// Every identity of every event of every sample, read as a run reads them.
  @Test func ranksOrderTheSamplesIdentitiesAsTheStringsDo() throws {
    var total = 0
    for name in try ReleasingFinishTests.cases() {
      let identities = ReleasingFinishTests.events(ofCase: name).map { EventIdentity($0) }
      #expect(EventIdentity.mergeOrder(identities) == Self.referenceOrder(identities), "\(name)")
      total += identities.count
    }
    #expect(total > 100)
  }

  /// The bytes of each key and value: canonically equal spellings are told apart.
  private static func bytes(_ captures: [KeyValue]) -> [[UInt8]] {
    captures.flatMap { [Array($0.key.utf8), Array($0.value.utf8)] }
  }

  @Test func sharedCapturesAreTheArraysTheSetOfArraysShared() {
    var rng = SplitMix64(seed: 0xCA97)
    for round in 0..<300 {
      // The reference: the set `EventBook.built` shared the arrays through before.
      var reference = Set<[KeyValue]>()
      var shared = Set<EventBook.SharedCaptures>()
      for _ in 0..<Int(rng.next() % 60) {
        let keys = ["code", "probe", Self.text(&rng, parts: 2)]
        let captures = (0..<Int(rng.next() % 4)).map { i in
          KeyValue(keys[(i + Int(rng.next() % 2)) % keys.count], Self.text(&rng, parts: 2))
        }
        let (wasNew, member) = reference.insert(captures)
        let (isNew, kept) = shared.insert(EventBook.SharedCaptures(captures: captures))
        #expect(wasNew == isNew, "round \(round)")
        #expect(Self.bytes(member) == Self.bytes(kept.captures), "round \(round)")
      }
      #expect(reference.count == shared.count, "round \(round)")
    }
  }
}
