import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// What the pods of a run share (`RunReading`), held to the code each table replaces, kept as
/// the reference: the scan of every pod by controller (`EvictedRule.replacement(of:in:)`) and the
/// back-off texts written for every finding (`CrashLoopBackOffRule.unknownCountTexts`).
@Suite struct RunReadingTests {
  /// Controllers spelled alike and apart: canonically equivalent pairs (a precomposed and a
  /// combining accent, a Kelvin sign and K), a dotted capital I, NUL, CR LF, a tab, empty, long.
  static let controllers: [String?] = [
    nil, "ReplicaSet/web", "ReplicaSet/w\u{E9}b", "ReplicaSet/we\u{301}b", "ReplicaSet/\u{212A}", "ReplicaSet/K",
    "ReplicaSet/\u{130}", "", "\u{0}", "a\r\nb", "\t", "StatefulSet/db",
    String(repeating: "ReplicaSet/x", count: 2_000),
  ]

  static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  static func state(_ rng: inout SplitMix64) -> CorrelatedState {
    let base = Date(timeIntervalSince1970: 1_800_000_000)
    let times: [TimeRange?] = [
      nil, TimeRange(exactly: base), TimeRange(exactly: base + 60), TimeRange(earliest: base, latest: base + 120),
    ]
    var state = CorrelatedState()
    state.pods = (0..<rng.below(80)).map { i in
      let name = pick(["web-1", "web-2", "db-0", "w\u{E9}b", "we\u{301}b", "x-\(i)"], &rng)
      let namespace = pick(["prod", "dev", "pr\u{F6}d", "pro\u{308}d"], &rng)
      var snapshot = PodSnapshot(name: name, namespace: namespace)
      snapshot.controlledBy = pick(controllers, &rng)
      snapshot.phase = pick(["Running", "Pending", nil, "running", "Running\u{0}"], &rng)
      snapshot.reason = pick(["Evicted", nil, "Error"], &rng)
      snapshot.terminating = rng.below(5) == 0
      snapshot.deletionTimestamp = rng.below(6) == 0 ? TimeRange(exactly: base) : nil
      snapshot.creationTime = pick(times, &rng)
      return PodHistory(key: PodKey(namespace: namespace, name: name), snapshots: [snapshot], latest: snapshot)
    }
    return state
  }

  /// The positions by controller are the scan's `==` filter for every controller, present or not,
  /// and each pod's replacement is the scan's, on 1,500 seeded states; one `RunReading` answers
  /// for every pod of its state.
  @Test func replacementIsTheScan() {
    var rng = SplitMix64(seed: 35_001)
    var replaced = 0
    for _ in 0..<1_500 {
      let state = Self.state(&rng)
      let run = RunReading()
      for owner in Self.controllers.compactMap({ $0 }) + ["absent"] {
        let scan = state.pods.indices.filter { state.pods[$0].latest.controlledBy == owner }
        #expect(run.pods(controlledBy: owner, in: state) == scan)
      }
      for pod in state.pods {
        let reference = EvictedRule.replacement(of: pod, in: state)
        let new = EvictedRule.replacement(of: pod, in: state, run: run)
        #expect(new == reference)
        if reference != nil { replaced += 1 }
      }
    }
    #expect(replaced > 1_000)
  }

  /// The back-off texts handed out by one `RunReading` over thousands of seeded calls are the bytes
  /// `unknownCountTexts` writes for each: names that are canonically equivalent but spelled apart
  /// in turn, hostile names, last runs and row restarts present or not, delays (zero, negative
  /// zero, huge), counts from `Int.min` to `Int.max`, and more distinct counts than it keeps.
  @Test func unknownCountTextsAreTheFunction() {
    var rng = SplitMix64(seed: 35_002)
    let names = [
      "app", "w\u{E9}b", "we\u{301}b", "\u{212A}", "K", "\u{130}stanbul", "", "\u{0}", "a\r\nb", "\t",
      String(repeating: "x", count: 3_000), ContainerSnapshot.unknownName,
    ]
    let counts: [Int?] = [nil, 0, 1, 2, 21, -1, Int.min, Int.max, 1_000_000]
    let run = RunReading()
    var kept = 0
    for i in 0..<12_000 {
      let name = Self.pick(names, &rng)
      let shown = rng.below(3) == 0
      let last = shown ? ExplanationTextTests.randomTermination(&rng) : nil
      let summary = last == nil ? Self.pick([nil, "", "exit"], &rng) : Self.pick(["it crashed", "\u{301}", ""], &rng)
      let rowRestarts = rng.below(4) == 0 ? Self.pick([0, 3, Int.min, Int.max], &rng) : nil
      let observed = rng.below(4) == 0 ? Self.pick([0, -0.0, 10, 300, 1e9], &rng) : nil
      let step = observed == nil ? Self.pick([0, 1, 64], &rng) : Self.pick([1, 5, 64], &rng)
      // Past 8,000 calls, counts no call has given before: the table stops keeping them.
      let backOffEvents = i >= 8_000 ? 5_000_000 + i : Self.pick(counts, &rng)
      let new = run.unknownCountTexts(
        name: name, last: last, summary: summary, rowRestarts: rowRestarts, observed: observed, step: step,
        backOffEvents: backOffEvents)
      let reference = CrashLoopBackOffRule.unknownCountTexts(
        name: name, last: last, summary: summary, rowRestarts: rowRestarts, observed: observed, step: step,
        backOffEvents: backOffEvents)
      #expect(Array(new.title.utf8) == Array(reference.title.utf8))
      #expect(Array(new.explanation.utf8) == Array(reference.explanation.utf8))
      if last == nil, rowRestarts == nil, observed == nil { kept += 1 }
    }
    #expect(kept > 3_000)
  }

  /// `sameBytes` is byte equality, not `==`: canonically equivalent spellings differ.
  @Test func sameBytesIsByteEquality() {
    let texts = ["", "a", "w\u{E9}b", "we\u{301}b", "\u{212A}", "K", "a\r\nb", "\u{0}", "ab", "ba"]
    for a in texts {
      for b in texts { #expect(RunReading.sameBytes(a, b) == (Array(a.utf8) == Array(b.utf8))) }
    }
  }
}
