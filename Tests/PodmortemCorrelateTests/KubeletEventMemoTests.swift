import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `KubeletEventLog.add` takes the key of a line whose identity fields repeat a line before it
/// from its memo, without building the line's event (docs/architecture.md "Speed of the
/// kubelet-log path"); it must gather what building the event gathered.
@Suite struct KubeletEventMemoTests {
  /// `KubeletEventLog.add` before the memo, kept as the reference: every line's event built, its
  /// identity made, keyed and looked up.
  static func referenceAdd(_ log: LogRecord, into events: inout KubeletEventLog) -> Bool {
    guard log.patternID == KubeletEventLog.patternID, let event = KubeletEventLog.event(from: log) else { return false }
    var hasher = Hasher()
    hasher.combine(log.evidence.ref)
    KubeletEventLog.gather(
      log, line: hasher.finalize(),
      into: &events.byIdentity[
        KubeletEventLog.Key(EventIdentity(event)), default: KubeletEventLog.Gathered(event: event, lines: [])])
    return true
  }

  /// Field values drawn from few, so that lines repeat their identity fields; hostile ones among
  /// them: a Kelvin sign and the `K` it equals, a dotted capital I, an accent composed and
  /// combining (equal identities spelt in other bytes), CR, NUL, a tab, empty, blanks a message
  /// is trimmed of, a field path prefix, and 2 KiB (past the memo's room).
  private static let objects = [
    "default/web-0", "default/web-\u{212A}", "default/web-K", "prod/app-8412a3-00358", "node-1", "ns/\u{130}", "",
    "/x", "a/", "caf\u{e9}/p", "cafe\u{301}/p", "ns/p\u{0}q", "ns/p\rq",
  ]
  private static let messages = [
    "Readiness probe failed: HTTP probe failed with statuscode: 503", "Back-off restarting failed container",
    "caf\u{e9}", "cafe\u{301}", "a\rb", "\u{0}", "\t", "", " spaced ", "spec.containers{worker}: Killing",
    String(repeating: "long ", count: 410),
  ]
  private static let names = [
    "object", "kind", "type", "reason", "message", "fieldPath", "apiVersion", "obj\u{e9}ct", "\u{212A}ind", "Kind",
    "objec", "objectt", "",
  ]

  static func record(_ rng: inout SplitMix64, line: Int) -> LogRecord {
    var log = LogRecord(
      origin: .kubelet, message: "Event occurred",
      evidence: Evidence(ref: SourceRef(source: "kubelet.log", line: line), text: "I1127 line \(line)"))
    // Besides the pattern: another, one of its length, and its spellings in other bytes.
    log.patternID =
      rng.below(10) == 0
      ? [
        "kubelet.probe-failed", "kubelet.event-occurreD", "kubelet.event-occurr\u{e9}d",
        "kubelet.event-occurre\u{301}d",
        "kubelet.event-occurred\u{0}", nil,
      ][rng.below(6)] : KubeletEventLog.patternID
    log.fields = [
      KeyValue("object", objects[rng.below(objects.count)]),
      KeyValue("kind", ["Pod", "pod", "POD", " Pod", "Node", "\u{212A}"][rng.below(6)]),
      KeyValue("type", rng.below(3) == 0 ? "Normal" : "Warning"),
      KeyValue("reason", ["Unhealthy", "BackOff", "Unhealthy\t", ""][rng.below(4)]),
      KeyValue("message", messages[rng.below(messages.count)]),
    ]
    if rng.below(3) == 0 { log.fields.append(KeyValue("fieldPath", ["spec.containers{worker}", ""][rng.below(2)])) }
    if rng.below(3) == 0 { log.fields.insert(KeyValue("apiVersion", "v1"), at: rng.below(log.fields.count + 1)) }
    if rng.below(6) == 0 { log.fields.remove(at: rng.below(log.fields.count)) }
    // A repeated name (the first counts), a near-miss name, a name not ASCII.
    if rng.below(8) == 0 {
      let name = names[rng.below(names.count)]
      let value = rng.below(2) == 0 ? objects[rng.below(objects.count)] : messages[rng.below(messages.count)]
      log.fields.insert(KeyValue(name, value), at: rng.below(log.fields.count + 1))
    }
    log.captures = [KeyValue("event.pattern", "kubelet.probe-failed"), KeyValue("event.code", "\(rng.below(3))")]
    log.time = TimeRange(exactly: Date(timeIntervalSince1970: 1_795_740_000 + Double(rng.below(1000))))
    return log
  }

  private static func expectSame(_ log: KubeletEventLog, _ reference: KubeletEventLog) {
    #expect(log.byIdentity.count == reference.byIdentity.count)
    for (key, gathered) in log.byIdentity {
      guard let expected = reference.byIdentity[key] else {
        Issue.record("no identity \(key.identity)")
        continue
      }
      #expect(gathered.event == expected.event)
      #expect(KubeletEventKeyTests.bytes(gathered.event) == KubeletEventKeyTests.bytes(expected.event))
      #expect(gathered.lines == expected.lines)
      #expect(KubeletEventKeyTests.bytes(gathered.first) == KubeletEventKeyTests.bytes(expected.first))
      #expect(KubeletEventKeyTests.bytes(gathered.last) == KubeletEventKeyTests.bytes(expected.last))
    }
  }

  /// Seeded lines, given twice and out of order, in one log and in two merged and then added to:
  /// each line taken or not as the reference takes it, the same identities, events byte for byte
  /// (the first line's), line hashes and first and last lines; and again after a drain.
  @Test(arguments: 0..<24)
  func gathersWhatBuildingTheEventGathered(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    // Most lines repeat the fields of one of a few, as a kubelet repeats its events.
    var pool: [[KeyValue]] = []
    for _ in 0..<16 { pool.append(Self.record(&rng, line: 1).fields) }
    var logs: [LogRecord] = []
    for i in 0..<600 {
      let line = rng.below(5) == 0 ? max(1, i - rng.below(40)) : i + 1
      var r = Self.record(&rng, line: line)
      if rng.below(5) != 0 { r.fields = pool[rng.below(pool.count)] }
      logs.append(r)
    }
    let cut = rng.below(logs.count)
    var log = KubeletEventLog()
    var other = KubeletEventLog()
    var reference = KubeletEventLog()
    var otherReference = KubeletEventLog()
    var hits = 0
    for (i, r) in logs.enumerated() {
      if i < cut || i >= cut + 200 {
        let memoized =
          KubeletEventLog.withIdentityFields(r.fields) { raw in
            log.memo.key(for: raw, hash: KubeletEventLog.IdentityMemo.hash(raw)) != nil
          } ?? false
        if memoized, r.patternID == KubeletEventLog.patternID { hits += 1 }
        #expect(log.add(r) == Self.referenceAdd(r, into: &reference))
      } else {
        #expect(other.add(r) == Self.referenceAdd(r, into: &otherReference))
      }
      if i == cut + 200 {
        log.merge(other)
        reference.merge(otherReference)
      }
    }
    Self.expectSame(log, reference)
    #expect(reference.byIdentity.count > 1)
    #expect(hits > 100)
    log.drainEvents { _, _ in }
    reference.drainEvents { _, _ in }
    #expect(log.memo.count == 0)
    for r in logs.prefix(100) { #expect(log.add(r) == Self.referenceAdd(r, into: &reference)) }
    Self.expectSame(log, reference)
  }

  /// `isEventPattern` is `==` with the pattern's id: on its spellings in other bytes, one of its
  /// length, longer and shorter ones, NUL, a Kelvin sign.
  @Test func eventPatternIsItsId() {
    let id = KubeletEventLog.patternID
    let ids = [
      id, "kubelet.event-occurreD", "kubelet.event-occurr\u{e9}d", "kubelet.event-occurre\u{301}d", id + "\u{0}",
      id + "\u{301}", String(id.dropLast()), "kubelet.event-occurred".replacingOccurrences(of: "k", with: "\u{212A}"),
      "",
      "kubelet.probe-failed",
    ]
    for s in ids { #expect(KubeletEventLog.isEventPattern(s) == (s == id)) }
    #expect(ids.filter(KubeletEventLog.isEventPattern).count == 1)
  }

  /// The bytes a line's identity fields are read as: the first field of each name, found only on
  /// an ASCII name, and equal bytes only for fields equal as bytes.
  @Test(arguments: 0..<8)
  func identityFieldsAreTheFirstOfEachName(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for i in 0..<300 {
      let r = Self.record(&rng, line: i + 1)
      let raw = KubeletEventLog.withIdentityFields(r.fields) { Array($0) }
      let ascii = r.fields.allSatisfy { $0.key.utf8.allSatisfy { $0 < 0x80 } }
      var expected: [UInt8] = []
      for name in ["object", "reason", "type", "kind", "fieldPath", "message"] {
        guard let value = r.fields.first(where: { Array($0.key.utf8) == Array(name.utf8) })?.value else {
          expected.append(0)
          continue
        }
        let n = value.utf8.count
        expected += [1, UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        expected += Array(value.utf8)
      }
      if !ascii || expected.count > KubeletEventLog.identityRoom {
        #expect(raw == nil)
      } else {
        #expect(raw == expected)
      }
    }
  }
}
