import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

/// `MergedEvent` holds its fields in storage its copies share (a pod's events and the history are
/// the same events) and keeps value semantics: a write to a copy never shows in another, and
/// equality, hashing and coding are those of the fields.
struct MergedEventStorageTests {
  static func event(_ message: String = "Liveness probe failed: HTTP probe failed with statuscode: 503")
    -> MergedEvent
  {
    var e = MergedEvent(
      involved: ObjectRef(kind: "Pod", namespace: "prod", name: "web-0", uid: "u1", fieldPath: "spec.containers{web}"),
      type: .warning, reason: "Unhealthy", message: message, sourceComponent: "kubelet", sourceHost: "n1", count: 3,
      firstSeen: TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000)),
      lastSeen: TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_060)), caveats: ["c"],
      evidence: [Evidence(ref: SourceRef(source: "events.json", line: 7), text: "\"message\": \"…\"")])
    e.patternID = "probe.http-status"
    e.captures = [KeyValue("statusCode", "503")]
    return e
  }

  @Test func copiesShareTheirStorageUntilOneIsWritten() {
    let original = Self.event()
    var copy = original
    #expect(copy.sharesStorage(with: original))
    copy.caveats.append("another")
    copy.count += 1
    #expect(!copy.sharesStorage(with: original))
    #expect(original.caveats == ["c"] && original.count == 3)
    #expect(copy.caveats == ["c", "another"] && copy.count == 4)
    #expect(copy != original)
  }

  @Test func aWriteToAnElementOfAnArrayLeavesTheOtherHoldersAlone() {
    let e = Self.event()
    var history = [e, Self.event("other")]
    var podEvents = [history[0]]
    #expect(podEvents[0].sharesStorage(with: history[0]))
    podEvents[0].message = "changed"
    #expect(history[0].message == e.message)
    history[1].reason = "BackOff"
    #expect(history[1].reason == "BackOff" && e.reason == "Unhealthy")
  }

  @Test func equalityAndHashingAreTheFields() {
    let a = Self.event()
    let b = Self.event()
    #expect(!a.sharesStorage(with: b))
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(Set([a, b]).count == 1)
    #expect(a != Self.event("different"))
  }

  @Test func codingKeepsEveryFieldUnderItsName() throws {
    let e = Self.event()
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = try encoder.encode(e)
    let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys.sorted()
    #expect(
      keys == [
        "captures", "caveats", "count", "evidence", "exemplars", "firstSeen", "involved", "lastSeen", "message",
        "objects", "patternID", "reason", "sourceComponent", "sourceHost", "type",
      ])
    #expect(try JSONDecoder().decode(MergedEvent.self, from: data) == e)
  }
}

/// `MergedEvent`'s storage is read without the runtime's exclusivity check
/// (`@exclusivity(unchecked)`, docs/architecture.md "Speed of the EventList path"): every getter
/// still gives the value the event was built or last written with, byte for byte, a write to a
/// copy (through every `_modify`) still leaves the other holders' values as they were, and two
/// threads reading the same events, one writing copies of them, read the same values.
@Suite("a merged event's fields read without the exclusivity check are the fields given")
struct MergedEventUncheckedReadTests {
  private static let pieces = [
    "", "a", "web-0", "Unhealthy", "Liveness probe failed: ", "K", "\u{212A}", "I", "\u{130}", "caf\u{E9}",
    "cafe\u{301}", "\u{301}", "\0", "\r", "\t", "\r\n", " ", "日", "Normal", "Warning",
  ]

  private static func hostile(_ rng: inout SplitMix64, pieces count: Int = 4) -> String {
    var s = ""
    for _ in 0..<rng.below(count + 1) { s += pieces[rng.below(pieces.count)] }
    if rng.below(50) == 0 { s += String(repeating: "x", count: 70_000) }
    return s
  }

  private static func optional(_ rng: inout SplitMix64) -> String? {
    rng.below(3) == 0 ? nil : hostile(&rng)
  }

  private static func range(_ rng: inout SplitMix64) -> TimeRange? {
    guard rng.below(4) != 0 else { return nil }
    let start = Double(rng.below(2_000_000_000)) + Double(rng.below(1_000)) / 1_000
    return TimeRange(
      earliest: Date(timeIntervalSince1970: start),
      latest: Date(timeIntervalSince1970: start + Double(rng.below(3_600))))
  }

  /// The fields an event is built with, as plain values: what its getters must give back.
  struct Given: Equatable, Sendable {
    var involved: ObjectRef
    var type: EventType
    var reason: String
    var message: String
    var template: String?
    var exemplars: [String]
    var sourceComponent: String?
    var sourceHost: String?
    var count: Int
    var firstSeen: TimeRange?
    var lastSeen: TimeRange?
    var objects: Int
    var caveats: [String]
    var evidence: [Evidence]
    var patternID: String?
    var captures: [KeyValue]

    var event: MergedEvent {
      var e = MergedEvent(
        involved: involved, type: type, reason: reason, message: message, template: template, exemplars: exemplars,
        sourceComponent: sourceComponent, sourceHost: sourceHost, count: count, firstSeen: firstSeen,
        lastSeen: lastSeen, objects: objects, caveats: caveats, evidence: evidence)
      e.patternID = patternID
      e.captures = captures
      return e
    }

    /// The event's fields read through its getters.
    init(_ e: MergedEvent) {
      involved = e.involved
      type = e.type
      reason = e.reason
      message = e.message
      template = e.template
      exemplars = e.exemplars
      sourceComponent = e.sourceComponent
      sourceHost = e.sourceHost
      count = e.count
      firstSeen = e.firstSeen
      lastSeen = e.lastSeen
      objects = e.objects
      caveats = e.caveats
      evidence = e.evidence
      patternID = e.patternID
      captures = e.captures
    }

    init(_ rng: inout SplitMix64) {
      involved = ObjectRef(
        kind: optional(&rng), namespace: optional(&rng), name: hostile(&rng), uid: optional(&rng),
        fieldPath: optional(&rng),
        pastedAt: rng.below(4) == 0 ? SourceRef(source: hostile(&rng), line: rng.below(1_000)) : nil)
      type = EventType(["Normal", "Warning", hostile(&rng)][rng.below(3)])
      reason = hostile(&rng)
      message = hostile(&rng, pieces: 8)
      template = optional(&rng)
      exemplars = (0..<rng.below(4)).map { _ in hostile(&rng) }
      sourceComponent = optional(&rng)
      sourceHost = optional(&rng)
      count = [0, 1, rng.below(1_000_000), Int.max, Int.min][rng.below(5)]
      firstSeen = range(&rng)
      lastSeen = range(&rng)
      objects = rng.below(5)
      caveats = (0..<rng.below(3)).map { _ in hostile(&rng) }
      evidence = (0..<rng.below(4)).map { _ in
        Evidence(ref: SourceRef(source: hostile(&rng), line: rng.below(100_000)), text: hostile(&rng, pieces: 6))
      }
      patternID = optional(&rng)
      captures = (0..<rng.below(3)).map { _ in KeyValue(hostile(&rng), hostile(&rng)) }
    }

    /// Every string of the fields as bytes, in field order: `==` on strings is canonical
    /// equivalence, the bytes tell a Kelvin sign from a `K`.
    var bytes: [[UInt8]] {
      var strings: [String?] = [
        involved.kind, involved.namespace, involved.name, involved.uid, involved.fieldPath, involved.pastedAt?.source,
        type.description, reason, message, template, sourceComponent, sourceHost, patternID,
      ]
      strings += exemplars + caveats + evidence.flatMap { [$0.ref.source, $0.text] }
      strings += captures.flatMap { [$0.key, $0.value] }
      return strings.map { Array(($0 ?? "\u{1}nil").utf8) }
    }
  }

  @Test(arguments: 0..<4)
  func gettersGiveTheFieldsAndCopiesKeepTheirOwn(seed: UInt64) {
    var rng = SplitMix64(seed: 0x5EED_0E00 &+ seed)
    for _ in 0..<100 {
      let given = Given(&rng)
      let original = given.event
      #expect(Given(original) == given)
      #expect(Given(original).bytes == given.bytes)
      // Every field written on a copy, through its `_modify`: the original keeps its own.
      let other = Given(&rng)
      var copy = original
      #expect(copy.sharesStorage(with: original))
      copy.involved = other.involved
      copy.type = other.type
      copy.reason = other.reason
      copy.message.append(contentsOf: other.message)
      copy.template = other.template
      copy.exemplars.append(contentsOf: other.exemplars)
      copy.sourceComponent = other.sourceComponent
      copy.sourceHost = other.sourceHost
      copy.count = other.count
      copy.firstSeen = other.firstSeen
      copy.lastSeen = other.lastSeen
      copy.objects = other.objects
      copy.caveats.append(contentsOf: other.caveats)
      copy.evidence = other.evidence
      copy.patternID = other.patternID
      copy.captures = other.captures
      #expect(!copy.sharesStorage(with: original))
      #expect(Given(original) == given && Given(original).bytes == given.bytes)
      var written = other
      written.message = given.message + other.message
      written.exemplars = given.exemplars + other.exemplars
      written.caveats = given.caveats + other.caveats
      #expect(Given(copy) == written && Given(copy).bytes == written.bytes)
      #expect(copy == written.event && original == given.event)
    }
  }

  /// Collects what each thread read.
  private final class Reads: @unchecked Sendable {
    private let lock = NSLock()
    private var byThread: [Int: [[[UInt8]]]] = [:]
    func put(_ thread: Int, _ reads: [[[UInt8]]]) { lock.withLock { byThread[thread] = reads } }
    func of(_ thread: Int) -> [[[UInt8]]]? { lock.withLock { byThread[thread] } }
  }

  @Test func twoThreadsReadTheSameEventsWhileOneWritesCopies() {
    var rng = SplitMix64(seed: 0x0E0E_2026)
    let givens = (0..<300).map { _ in Given(&rng) }
    let events = givens.map(\.event)
    let expected = givens.map(\.bytes)
    let reads = Reads()
    DispatchQueue.concurrentPerform(iterations: 2) { thread in
      var seen: [[[UInt8]]] = []
      for round in 0..<5 {
        for e in events {
          seen.append(Given(e).bytes)
          if thread == 1 {
            // A copy written on this thread while the other reads the event it was copied from.
            var copy = e
            copy.message.append("\u{212A}\(round)")
            copy.caveats.append("\0")
            copy.count &+= 1
            #expect(!copy.sharesStorage(with: e) && copy.count == e.count &+ 1)
          }
        }
      }
      reads.put(thread, seen)
    }
    let all = Array(repeating: expected, count: 5).flatMap { $0 }
    #expect(reads.of(0) == all)
    #expect(reads.of(1) == all)
    #expect(events.map { Given($0) } == givens)
  }
}
