import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// Hostile pieces the tests below build names, texts and messages from: a Kelvin sign (`==` to
/// `K`), a dotted capital I, an accent composed and decomposed, an Arabic number sign (a prepend
/// mark, one `Character` with what follows it), NUL, CR, tab, line breaks and spaces of every kind.
private let hostilePieces = [
  "", "a", "web-0", "K", "\u{212A}", "\u{130}", "caf\u{E9}", "cafe\u{301}", "\u{301}", "\u{600}", "\u{600}a", "\0",
  "\r", "\t", "\n", "\r\n", " ", "\u{A0}", "\u{85}", "\u{2028}", "\u{3000}", "\u{7F}", "\u{1F}", "!", "~", "日",
]

private func hostile(_ rng: inout SplitMix64, pieces: Int) -> String {
  var s = ""
  for _ in 0..<rng.below(pieces + 1) { s += hostilePieces[rng.below(hostilePieces.count)] }
  if rng.below(40) == 0 { s += String(repeating: "x", count: 70_000) }
  return s
}

private func encoded<T: Encodable>(_ value: T) throws -> Data {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  return try encoder.encode(value)
}

/// `Correlator.bare` copies one history of every default and gives it the key and names, where
/// it built the snapshot's defaults for every pod (docs/architecture.md "Speed of the EventList
/// path"); the building is kept below as the reference.
@Suite struct BareHistoryTests {
  static func reference(_ name: Correlator.PodName, uid: String?) -> PodHistory {
    var snapshot = PodSnapshot(name: name.name, namespace: name.namespace)
    snapshot.uid = uid
    return PodHistory(
      key: PodKey(namespace: name.namespace, name: name.name, uid: uid), snapshots: [], latest: snapshot)
  }

  @Test func bareIsTheBuiltHistory() throws {
    var rng = SplitMix64(seed: 2_816)
    for _ in 0..<3_000 {
      let name = Correlator.PodName(namespace: hostile(&rng, pieces: 3), name: hostile(&rng, pieces: 4))
      let uid = rng.below(3) == 0 ? nil : hostile(&rng, pieces: 2)
      let bare = Correlator.bare(name, uid: uid)
      let reference = Self.reference(name, uid: uid)
      #expect(bare == reference)
      #expect(try encoded(bare) == encoded(reference))
      #expect(Array(bare.key.name.utf8) == Array(name.name.utf8))
      #expect(Array(bare.key.namespace.utf8) == Array(name.namespace.utf8))
      #expect(bare.latest.name.utf8.elementsEqual(name.name.utf8))
      #expect(bare.latest.namespace.map { Array($0.utf8) } == Array(name.namespace.utf8))
      #expect(bare.latest.uid.map { Array($0.utf8) } == uid.map { Array($0.utf8) })
    }
  }

  /// A history given out and changed leaves the next one as built: the shared one is a value.
  @Test func changingOneBareHistoryLeavesTheNext() throws {
    var first = Correlator.bare(Correlator.PodName(namespace: "prod", name: "web-0"), uid: "u-1")
    first.latest.containers = [ContainerSnapshot(name: "web")]
    first.latest.labels = ["app": "web"]
    first.events = []
    first.timeline = [TimelineEntry(time: Fixture.exact(0), kind: .event, summary: "x", evidence: [])]
    let name = Correlator.PodName(namespace: "dev", name: "db-0")
    let next = Correlator.bare(name, uid: nil)
    #expect(next == Self.reference(name, uid: nil))
    #expect(try encoded(next) == encoded(Self.reference(name, uid: nil)))
    #expect(next.latest.containers.isEmpty && next.latest.labels.isEmpty && next.timeline.isEmpty)
  }
}

/// `EvidenceSample.insert` takes an occurrence of at most four lines in strictly ascending order
/// as it is, and the first occurrence of an empty sample as its one smallest and largest; the
/// steps (sort, prefix, the two searches) are kept as `insertBySteps`, the reference here.
@Suite struct EvidenceInsertTests {
  static let sources = ["a.log", "b.log", "caf\u{E9}.log", "cafe\u{301}.log", "\u{212A}.log", "K.log", ""]

  static func line(_ rng: inout SplitMix64) -> Evidence {
    Evidence(
      ref: SourceRef(source: sources[rng.below(sources.count)], line: rng.below(6)), text: hostile(&rng, pieces: 2))
  }

  static func same(_ a: EvidenceSample, _ b: EvidenceSample) -> Bool {
    func bytes(_ parts: [[Evidence]]) -> [[[UInt8]]] {
      parts.map {
        $0.map { Array($0.ref.source.utf8) + [0xFF] + Array("\($0.ref.line)".utf8) + [0xFF] + Array($0.text.utf8) }
      }
    }
    return a == b && a.parts.head == b.parts.head && a.parts.tail == b.parts.tail
      && bytes(a.parts.head) == bytes(b.parts.head) && bytes(a.parts.tail) == bytes(b.parts.tail)
      && a.lines == b.lines
  }

  @Test func insertIsTheSteps() {
    var rng = SplitMix64(seed: 4_404)
    var taken = 0
    for _ in 0..<4_000 {
      var sample = EvidenceSample()
      var reference = EvidenceSample()
      for _ in 0..<(1 + rng.below(8)) {
        var lines = (0..<rng.below(7)).map { _ in Self.line(&rng) }
        // Often already in order and distinct, as a parser gives them.
        if rng.below(2) == 0 {
          lines.sort { $0.ref != $1.ref ? $0.ref < $1.ref : $0.text < $1.text }
          if rng.below(3) == 0, let first = lines.first { lines.append(first) }
        }
        if lines.count <= 4 { taken += 1 }
        sample.insert(lines)
        reference.insertBySteps(lines)
        #expect(Self.same(sample, reference))
      }
      var merged = EvidenceSample(Array(sample.lines.prefix(3)))
      var mergedReference = EvidenceSample()
      mergedReference.insertBySteps(Array(sample.lines.prefix(3)))
      merged.merge(sample)
      mergedReference.merge(reference)
      #expect(Self.same(merged, mergedReference))
    }
    #expect(taken > 10_000)
  }

  @Test func initIsTheSteps() {
    var rng = SplitMix64(seed: 4_405)
    for _ in 0..<4_000 {
      let lines = (0..<rng.below(6)).map { _ in Self.line(&rng) }
      var reference = EvidenceSample()
      reference.insertBySteps(lines)
      #expect(Self.same(EvidenceSample(lines), reference))
    }
  }
}

/// `EventIdentity.trimmed` answers from the ends' bytes when both are printable ASCII; the scalar
/// test before it is kept here as the reference.
@Suite struct EventIdentityTrimBytesTests {
  static func reference(_ s: String) -> String {
    guard let f = s.unicodeScalars.first, let l = s.unicodeScalars.last else { return s }
    if (0x21...0x7E).contains(f.value) && (0x21...0x7E).contains(l.value) { return s }
    let space = CharacterSet.whitespacesAndNewlines
    guard space.contains(f) || space.contains(l) else { return s }
    return s.trimmingCharacters(in: space)
  }

  @Test func trimsAsTheScalarTest() {
    var rng = SplitMix64(seed: 7_331)
    for _ in 0..<30_000 {
      let text = hostile(&rng, pieces: 6)
      let trimmed = EventIdentity.trimmed(text)
      let reference = Self.reference(text)
      #expect(trimmed == reference)
      #expect(Array(trimmed.utf8) == Array(reference.utf8), "\(text.debugDescription)")
    }
  }

  /// Every text of the samples, as a line and as its fields between blanks.
  @Test func trimsTheSamplesAsTheScalarTest() throws {
    var seen = 0
    for line in ShippedSamples.lines() {
      for piece in [line] + line.split(separator: "\"").map(String.init) {
        #expect(Array(EventIdentity.trimmed(piece).utf8) == Array(Self.reference(piece).utf8))
        seen += 1
      }
    }
    #expect(seen > 10_000)
  }
}

/// `finishReleasing` builds the pods' positions by name once for events and logs, reads the pods'
/// lifetimes only when pods share a name, and leaves the logs alone when no pod has any. The state
/// of events alone is held to the state of the same events with one log line of a pod no event
/// names, which takes every step (each pod's logs sorted, the positions built for the logs): the
/// same pods but that one, equal and encoded the same.
@Suite struct FinishWithoutLogsTests {
  @Test func eventsAloneFinishAsWithALogLine() throws {
    var rng = SplitMix64(seed: 9_090)
    for round in 0..<150 {
      var events: [Record] = []
      for line in 0..<rng.below(60) {
        var event = RandomEvent.event(&rng, names: 1 + rng.below(12), minutes: 30, line: line, captures: true)
        if rng.below(5) == 0 { event.involved.name = hostile(&rng, pieces: 2) }
        events.append(.event(event))
      }
      if rng.below(3) == 0 { events.append(.pod(Fixture.pod("web-\(rng.below(4))", uid: nil, capture: 10))) }
      var alone = Correlator()
      for r in events { alone.add(r) }
      var log = LogRecord(
        origin: .container, message: "panic: \(round)", evidence: Fixture.evidence("zz-only.log", 1)[0])
      log.namespace = "zz-ns"
      log.pod = "zz-pod"
      var withLog = alone
      withLog.add(.log(log))
      let a = alone.finishReleasing(timelines: rng.below(2) == 0)
      let b = withLog.finishReleasing(timelines: true)
      let others = b.pods.filter { $0.key.name != "zz-pod" }
      #expect(a.pods.count == others.count)
      #expect(a.pods.map(\.key) == others.map(\.key))
      #expect(a.pods.map(\.events) == others.map(\.events))
      #expect(a.pods.map(\.logs) == others.map(\.logs))
      #expect(try encoded(a.pods.map(\.key)) == encoded(others.map(\.key)))
      #expect(try encoded(a.pods.map(\.latest)) == encoded(others.map(\.latest)))
      #expect(try encoded(a.pods.map(\.events)) == encoded(others.map(\.events)))
      #expect(a.events == b.events)
    }
  }
}

/// `EventIdentity.init(_:)` sets its fields in place, reads the event borrowed and asks
/// `hasPrefix` only when the first bytes allow it (`mayBegin`); the initializer before it (the
/// memberwise one, the scalar trim, `hasPrefix` every time) is kept here as the reference.
@Suite struct EventIdentityInPlaceTests {
  static func nonEmpty(_ s: String?) -> String? {
    guard let s else { return nil }
    let t = EventIdentityTrimBytesTests.reference(s)
    return t.isEmpty ? nil : t
  }

  static func splitFieldPathPrefix(_ message: String) -> (String, String)? {
    guard message.hasPrefix("spec.") || message.hasPrefix("implicitly required container "),
      let marker = message.range(of: "}: ")
    else { return nil }
    let path = String(message[..<message.index(after: marker.lowerBound)])
    guard !path.contains(" ") || path.hasPrefix("implicitly required container ") else { return nil }
    return (path, String(message[marker.upperBound...]))
  }

  static func reference(_ event: Event) -> EventIdentity {
    var fieldPath = nonEmpty(event.involved.fieldPath)
    var message = EventIdentityTrimBytesTests.reference(event.message)
    if let (path, rest) = splitFieldPathPrefix(message), fieldPath == nil || fieldPath == path {
      fieldPath = path
      message = rest
    }
    var component = nonEmpty(event.sourceComponent)
    var host = nonEmpty(event.sourceHost)
    if host == nil, let c = component, let comma = c.firstIndex(of: ",") {
      host = nonEmpty(String(c[c.index(after: comma)...]))
      component = nonEmpty(String(c[..<comma]))
    }
    return EventIdentity(
      namespace: nonEmpty(event.involved.namespace), kind: nonEmpty(event.involved.kind)?.lowercased(),
      name: event.involved.name, uid: nonEmpty(event.involved.uid), fieldPath: fieldPath,
      type: event.type.description, reason: event.reason, component: component, host: host,
      message: message.hasPrefix(EventIdentity.combinedPrefix) ? EventIdentity.combinedPrefix : message,
      pastedAt: event.involved.name.isEmpty ? event.involved.pastedAt : nil)
  }

  static func bytes(_ id: EventIdentity) -> [[UInt8]?] {
    [id.namespace, id.kind, id.name, id.uid, id.fieldPath, id.type, id.reason, id.component, id.host, id.message]
      .map { $0.map { Array($0.utf8) } } + [id.pastedAt.map { Array("\($0)".utf8) }]
  }

  static let messages = [
    "spec.containers{web}: Liveness probe failed", " spec.containers{web}: x", "spec.containers{a b}: x",
    "implicitly required container POD: ok", "(combined from similar events): Scheduled", "(combined from",
    "s\u{301}pec.containers{web}: x", "\u{212A}spec.", "spec", "i", "(", "",
  ]

  @Test func identityIsTheMemberwiseOne() {
    var rng = SplitMix64(seed: 5_150)
    for line in 0..<20_000 {
      var event = RandomEvent.event(&rng, names: 6, minutes: 20, line: line, captures: true)
      event.message =
        (rng.below(2) == 0 ? Self.messages[rng.below(Self.messages.count)] : "") + hostile(&rng, pieces: 3)
      if rng.below(2) == 0 { event.involved.namespace = hostile(&rng, pieces: 2) }
      if rng.below(3) == 0 { event.involved.kind = ["Pod", " pod ", "\u{130}", "", "P\u{212A}"][rng.below(5)] }
      if rng.below(3) == 0 { event.involved.fieldPath = hostile(&rng, pieces: 2) }
      if rng.below(3) == 0 { event.sourceComponent = ["kubelet, node-1", "kubelet,", ",\u{301}x", " "][rng.below(4)] }
      if rng.below(4) == 0 { event.sourceHost = hostile(&rng, pieces: 2) }
      if rng.below(6) == 0 {
        event.involved.name = ""
        event.involved.pastedAt = SourceRef(source: "paste.txt", line: line)
      }
      let id = EventIdentity(event)
      let reference = Self.reference(event)
      #expect(id == reference)
      #expect(Self.bytes(id) == Self.bytes(reference))
    }
  }

  @Test func mayBeginIsHasPrefix() {
    var rng = SplitMix64(seed: 5_151)
    let prefixes = ["spec.", "implicitly required container ", EventIdentity.combinedPrefix, "s", "", "\u{212A}", "K"]
    for _ in 0..<30_000 {
      let prefix = prefixes[rng.below(prefixes.count)]
      let text = (rng.below(2) == 0 ? prefix : "") + hostile(&rng, pieces: 3)
      #expect(EventIdentity.mayBegin(text, with: prefix) == text.hasPrefix(prefix), "\(text.debugDescription)")
    }
  }
}

/// `MergedEvent.isPod` answers ASCII kinds from their bytes; `lowercased() == "pod"` is the reference.
@Suite struct KindIsPodTests {
  @Test func isPodIsLowercasedPod() {
    var rng = SplitMix64(seed: 3_003)
    let kinds = [
      "pod", "Pod", "POD", "pOd", "pods", "po", "", "P\u{130}D", "p\u{301}od", "po\u{212A}", "Pod\0", "p\rd",
    ]
    for kind in kinds { #expect(MergedEvent.isPod(kind) == (kind.lowercased() == "pod"), "\(kind.debugDescription)") }
    for _ in 0..<30_000 {
      let letters = [
        "p", "P", "o", "O", "d", "D", "q", "\u{130}", "\u{212A}", "\u{301}", "\0", "\r", "\t", "\u{50}", "0",
      ]
      var kind = ""
      for _ in 0..<rng.below(5) { kind += letters[rng.below(letters.count)] }
      if rng.below(50) == 0 { kind += String(repeating: "d", count: 30) }
      #expect(MergedEvent.isPod(kind) == (kind.lowercased() == "pod"), "\(kind.debugDescription)")
      let event = MergedEvent(
        involved: ObjectRef(kind: rng.below(5) == 0 ? nil : kind, name: "web-0"), type: EventType("Normal"),
        reason: "Pulled", message: "m", count: 1)
      #expect(event.involvedKindIsPod == event.involved.kind.map { $0.lowercased() == "pod" })
    }
  }
}

/// `Correlator.PodName.<` compares the fields unrolled; the tuples' `<` is the reference.
@Suite struct PodNameOrderTests {
  @Test func orderIsTheTuples() {
    var rng = SplitMix64(seed: 8_118)
    for _ in 0..<30_000 {
      let a = Correlator.PodName(namespace: hostile(&rng, pieces: 2), name: hostile(&rng, pieces: 2))
      let b =
        rng.below(3) == 0
        ? Correlator.PodName(namespace: a.namespace, name: hostile(&rng, pieces: 2))
        : Correlator.PodName(namespace: hostile(&rng, pieces: 2), name: hostile(&rng, pieces: 2))
      #expect((a < b) == ((a.namespace, a.name) < (b.namespace, b.name)))
      #expect((b < a) == ((b.namespace, b.name) < (a.namespace, a.name)))
    }
    let names = (0..<500).map { _ in
      Correlator.PodName(namespace: hostile(&rng, pieces: 1), name: hostile(&rng, pieces: 2))
    }
    let sorted = names.sorted()
    let reference = names.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    #expect(
      sorted.map { Array($0.namespace.utf8) + [0xFF] + Array($0.name.utf8) }
        == reference.map { Array($0.namespace.utf8) + [0xFF] + Array($0.name.utf8) })
  }
}
