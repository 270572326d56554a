import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

/// Property tests of `Correlator`: random histories, observed by random describe and JSON
/// snapshots, must merge to the same state in any order and with duplicates, and to the true counts.
struct CorrelatorPropertyTests {
  /// One event object of the generated history: when it happened.
  struct Object {
    var name: String
    var occurrences: [Double]
  }

  /// One identity: the pod, container, reason and message, and its objects in time order
  /// (a later object is what a restarted kubelet creates).
  struct Identity {
    var pod: String
    var uid: String
    var container: String
    var reason: String
    var message: String
    var objects: [Object]

    var total: Int { objects.reduce(0) { $0 + $1.occurrences.count } }
  }

  struct Scenario {
    var identities: [Identity]
    var records: [Record]
  }

  static func scenario(seed: UInt64) -> Scenario {
    var rng = SplitMix64(seed: seed)
    var identities: [Identity] = []
    let pods = Int.random(in: 1...3, using: &rng)
    for p in 0..<pods {
      for c in 0..<Int.random(in: 1...2, using: &rng) {
        for r in 0..<Int.random(in: 1...2, using: &rng) {
          let reason = ["Unhealthy", "BackOff"][r]
          var objects: [Object] = []
          var t = Double(Int.random(in: -3000 ... -1000, using: &rng))
          for o in 0..<Int.random(in: 1...2, using: &rng) {
            var occurrences: [Double] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
              occurrences.append(t)
              t += Double(Int.random(in: 5...120, using: &rng))
            }
            objects.append(Object(name: "web-\(p).\(c)\(r)\(o)", occurrences: occurrences))
            // A restarted kubelet creates the next object well after the last one.
            t += Double(Int.random(in: 900...1500, using: &rng))
          }
          identities.append(
            Identity(
              pod: "web-\(p)", uid: "uid-\(p)", container: "c\(c)", reason: reason,
              message: "\(reason) of c\(c) on web-\(p)", objects: objects))
        }
      }
    }
    let end = identities.flatMap { $0.objects.flatMap(\.occurrences) }.max() ?? 0
    var captures = (0..<Int.random(in: 2...4, using: &rng)).map { _ in Double(Int.random(in: -1000...6000, using: &rng))
    }
    captures.append(end + Double(Int.random(in: 1...300, using: &rng)))
    var records: [Record] = []
    for (k, capture) in captures.enumerated() {
      let json = Bool.random(using: &rng)
      let source = json ? "capture-\(k).json" : "describe-\(k).txt"
      var line = 1
      for p in 0..<pods {
        records.append(
          .pod(Fixture.pod("web-\(p)", uid: json ? "uid-\(p)" : nil, capture: capture, source: source, line: line)))
        line += 1
      }
      for id in identities {
        for object in id.objects {
          let seen = object.occurrences.filter { $0 <= capture }
          guard let first = seen.first, let last = seen.last else { continue }
          line += 1
          if json {
            records.append(
              .event(
                Fixture.jsonEvent(
                  pod: id.pod, uid: id.uid, reason: id.reason, message: id.message,
                  fieldPath: "spec.containers{\(id.container)}", name: object.name, count: seen.count, first: first,
                  last: last, source: source, line: line)))
          } else {
            let prefixed = Bool.random(using: &rng)
            records.append(
              .event(
                Fixture.describeEvent(
                  pod: id.pod, reason: id.reason,
                  message: prefixed ? "spec.containers{\(id.container)}: \(id.message)" : id.message,
                  count: seen.count, first: first, last: last, capture: capture, source: source, line: line)))
          }
        }
      }
    }
    return Scenario(identities: identities, records: records)
  }

  @Test(arguments: 0..<40)
  func orderAndDuplicatesDoNotMatter(seed: UInt64) {
    let s = Self.scenario(seed: seed)
    var rng = SplitMix64(seed: seed &* 7919)
    let reference = Fixture.correlate(s.records)
    #expect(Fixture.correlate(s.records.shuffled(using: &rng)) == reference)
    #expect(Fixture.correlate(s.records.reversed()) == reference)
    let twice = (s.records + s.records.filter { _ in Bool.random(using: &rng) }).shuffled(using: &rng)
    #expect(Fixture.correlate(twice) == reference)
    #expect(Fixture.correlate(s.records + s.records) == reference)
  }

  @Test(arguments: 0..<40)
  func countsAreTheTrueOnes(seed: UInt64) {
    let s = Self.scenario(seed: seed)
    let state = Fixture.correlate(s.records)
    #expect(state.events.count == s.identities.count)
    for id in s.identities {
      let merged = state.events.filter { $0.involved.name == id.pod && $0.message == id.message }
      #expect(merged.count == 1, "\(id.message)")
      #expect(merged.first?.count == id.total, "\(id.message)")
      #expect(merged.first?.objects == id.objects.count, "\(id.message)")
      #expect([nil, "spec.containers{\(id.container)}"].contains(merged.first?.involved.fieldPath))
      let first = id.objects.first?.occurrences.first ?? 0
      #expect(
        merged.first?.firstSeen.map { $0.earliest <= Fixture.at(first) && Fixture.at(first) <= $0.latest } == true)
    }
    #expect(state.pods.count == Set(s.identities.map(\.pod)).count)
    #expect(state.pods.allSatisfy { !$0.events.isEmpty })
  }
}
