import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `PodHistory.latest` is held as `MergedView` (its names alone, or the whole view boxed) where it
/// was a stored snapshot (docs/architecture.md "Memory of the EventList and describe paths"). The
/// reference is the history as it was, `ReferencePodHistory`, with `==`, hashing and coding
/// synthesized from its stored properties: each history must read back the view it was given,
/// compare, hash and code as the reference does, on the shipped samples' pods and on seeded hostile
/// views (strings `==` calls equal whose bytes differ, NUL, CR, tab, a 5,000-byte and an empty one).
struct PodHistoryMergedViewTests {
  /// `PodHistory` before `MergedView`: `latest` stored.
  struct ReferencePodHistory: Hashable, Codable {
    var key: PodKey
    var snapshots: [PodSnapshot]
    var latest: PodSnapshot
    var events: [MergedEvent]
    var logs: PodLogs
    var timeline: [TimelineEntry]
    var queries = PodQueryCache()

    private enum CodingKeys: String, CodingKey {
      case key, snapshots, latest, events, logs, timeline
    }

    init(_ h: PodHistory, latest: PodSnapshot) {
      (key, snapshots, self.latest, events, logs, timeline) = (h.key, h.snapshots, latest, h.events, h.logs, h.timeline)
    }
  }

  /// The JSON coding of `value`, its keys sorted. A table keyed by other than strings is coded in
  /// the order it iterates: compared only between values that share their tables.
  static func encoded<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try encoder.encode(value))
  }

  /// Every byte `latest` shows, as the reference's coding gives them; with `printed`, as its
  /// printing gives them too, tables in the order they iterate (the same tables, not rebuilt).
  static func expectSameView(_ a: PodSnapshot, _ b: PodSnapshot, printed: Bool = true, _ note: String) throws {
    #expect(a == b, "\(note)")
    #expect(try encoded(a) == encoded(b), "\(note)")
    if printed {
      #expect(Array(String(reflecting: a).utf8) == Array(String(reflecting: b).utf8), "\(note)")
      #expect(a.labels.capacity == b.labels.capacity, "\(note)")
    }
  }

  /// `view` held in a history answers as the reference holding it, before and after
  /// `holdLatestWhole`, and after a write of `view` to a history that held another.
  static func check(_ view: PodSnapshot, key: PodKey, _ note: String) throws {
    var history = PodHistory(key: key, snapshots: [view], latest: view)
    let reference = ReferencePodHistory(history, latest: view)
    try expectSameView(history.latest, view, note)
    // Held as names exactly when nothing but the names is set.
    let bare = MergedView.view(namespace: view.namespace, name: view.name, uid: view.uid)
    let holdsNames = view == bare && view.labels.capacity == bare.labels.capacity
    #expect(history.latestHoldsOnlyNames == holdsNames, "\(note)")
    #expect(try encoded(history) == encoded(reference), "\(note)")
    // Decoded from the reference's bytes, as the reference decodes them (a condition's pattern and
    // captures are not coded, so a decoded view may differ from the one coded; tables decoded
    // apart may iterate, and so code, in other orders: compared by `==`).
    let bytes = Data(try encoded(reference))
    let decoded = try JSONDecoder().decode(PodHistory.self, from: bytes)
    let decodedReference = try JSONDecoder().decode(ReferencePodHistory.self, from: bytes)
    #expect(decoded.latest == decodedReference.latest, "\(note)")
    #expect(decoded.key == decodedReference.key && decoded.snapshots == decodedReference.snapshots, "\(note)")
    #expect(decoded.events == decodedReference.events && decoded.timeline == decodedReference.timeline, "\(note)")
    #expect(decoded.logs == decodedReference.logs, "\(note)")
    let whole = history
    history.holdLatestWhole()
    #expect(!history.latestHoldsOnlyNames, "\(note)")
    try expectSameView(history.latest, view, note)
    #expect(history == whole && history.hashValue == whole.hashValue, "\(note)")
    #expect(try encoded(history) == encoded(reference), "\(note)")
    // A write stores the value written and empties what rules asked of the old one.
    var written = PodHistory(key: key, snapshots: [], latest: PodSnapshot(name: "other"))
    written.queries.containers = []
    written.latest = view
    try expectSameView(written.latest, view, note)
    #expect(written.queries.containers == nil, "\(note)")
    #expect(written.latestHoldsOnlyNames == holdsNames, "\(note)")
  }

  /// `==` and hashing of histories answer as the reference's, on every pair of `views`.
  static func checkPairs(_ views: [PodSnapshot], _ note: String) {
    let key = PodKey(namespace: "shop", name: "web")
    let histories = views.map { PodHistory(key: key, snapshots: [], latest: $0) }
    let references = zip(histories, views).map { ReferencePodHistory($0, latest: $1) }
    for i in histories.indices {
      for j in histories.indices {
        #expect((histories[i] == histories[j]) == (references[i] == references[j]), "\(note) \(i) \(j)")
        if histories[i] == histories[j] { #expect(histories[i].hashValue == histories[j].hashValue, "\(note)") }
      }
    }
  }

  @Test func samplesPodsReadBackTheirViews() throws {
    let pods = try SharedPodValuesTests.samplePods()
    #expect(pods.count > 20)
    for (name, pod) in pods {
      try Self.check(pod, key: PodKey(namespace: pod.namespace ?? "", name: pod.name, uid: pod.uid), name)
    }
    Self.checkPairs(pods.prefix(40).map(\.pod), "samples")
  }

  @Test func samplesStatesKeepTheirViews() throws {
    var (named, whole) = (0, 0)
    for name in try ReleasingFinishTests.cases() {
      let correlator = ReleasingFinishTests.correlator(
        reading: ReleasingFinishTests.samples.appendingPathComponent(name).path)
      for pod in correlator.finish().pods {
        if pod.latestHoldsOnlyNames { named += 1 } else { whole += 1 }
        let reference = ReferencePodHistory(pod, latest: pod.latest)
        #expect(try Self.encoded(pod) == Self.encoded(reference), "\(name)")
        try Self.check(pod.latest, key: pod.key, name)
      }
    }
    // Pods known from their events alone hold names; those a describe or JSON showed, whole views.
    #expect(named > 0 && whole > 0)
  }

  /// A view of names, hostile ones, with perhaps one more field set.
  static func view(_ rng: inout SplitMix64) -> PodSnapshot {
    let pick = { (rng: inout SplitMix64) in SharedPodValuesTests.pick(&rng) }
    var s = PodSnapshot(name: pick(&rng), namespace: Bool.random(using: &rng) ? pick(&rng) : nil)
    if Bool.random(using: &rng) { s.uid = pick(&rng) }
    switch Int.random(in: 0..<14, using: &rng) {
    case 0: s.phase = pick(&rng)
    case 1: s.controlledBy = pick(&rng)
    case 2: s.labels = SharedPodValuesTests.table(&rng)
    case 3: s.labels.reserveCapacity(Int.random(in: 1...40, using: &rng))
    case 4: s.terminating = true
    case 5: s.deletionInFuture = true
    case 6: s.restarts = Int.random(in: -1...1, using: &rng)
    case 7: s.pastedAt = SourceRef(source: pick(&rng), line: Int.random(in: 0...3, using: &rng))
    case 8: s.evidence = [Evidence(ref: SourceRef(source: pick(&rng), line: 1), text: pick(&rng))]
    case 9: s.finalizers = SharedPodValuesTests.list(&rng)
    case 10: s = SharedPodValuesTests.snapshot(&rng)
    case 11: s.message = pick(&rng)
    default: break
    }
    return s
  }

  @Test(arguments: 0..<40)
  func hostileViewsReadBackAndCompareAsBefore(seed: Int) throws {
    var rng = SplitMix64(seed: UInt64(seed))
    var views: [PodSnapshot] = []
    for i in 0..<30 {
      let v = Self.view(&rng)
      try Self.check(v, key: PodKey(namespace: v.namespace ?? "", name: v.name, uid: v.uid), "seed \(seed) view \(i)")
      views.append(v)
    }
    // Canonically equal names of other bytes: equal as the reference says, bytes kept.
    views.append(PodSnapshot(name: "K", namespace: "caf\u{E9}"))
    views.append(PodSnapshot(name: "\u{212A}", namespace: "cafe\u{301}"))
    Self.checkPairs(views, "seed \(seed)")
  }

  /// Diagnosis boxes the view of the pod it reads; a reader scanning pods for an owner skips one
  /// of names (`EvictedRule.replacement`): such a view has none.
  @Test func viewsOfNamesHaveNoOwner() {
    var rng = SplitMix64(seed: 7)
    for _ in 0..<500 {
      let v = Self.view(&rng)
      let h = PodHistory(key: PodKey(namespace: "", name: ""), snapshots: [], latest: v)
      if h.latestHoldsOnlyNames {
        #expect(v.controlledBy == nil && v.phase == nil && v.reason == nil && v.containers.isEmpty)
      }
    }
  }
}
