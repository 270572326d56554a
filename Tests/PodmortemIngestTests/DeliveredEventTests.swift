import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// `Ingestor.delivered` changes an event in place (classified, range-checked) instead of copying
/// it out of its enum and back at each step, the reading's callback does it with
/// `Ingestor.deliver` on the one copy it makes, and `RangeCheck` leaves an event's captures as
/// they are when none is a back-off (docs/architecture.md "Speed of the describe path"). On
/// seeded random events both must hand on what the steps did one after another before, with the
/// same diagnostics in the same order, the catalog's answers taken from one memo for the whole
/// sequence (`MessageMatchMemo`) or asked each time. `before` is that code, kept here as the
/// reference.
@Suite struct DeliveredEventTests {
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  /// Messages recognised and not, naming a pod or not, with back-offs usable and not.
  static let messages = [
    "Liveness probe failed: HTTP probe failed with statuscode: 503",
    "Readiness probe failed: Get \"http://10.1.2.3:8080/ready\": context deadline exceeded",
    "Back-off restarting failed container worker in pod app-1_shop(5fd2)",
    "Back-off restarting failed container",
    "back-off 5m0s restarting failed container=web pod=web-0_shop(u1)",
    "back-off 99999999999999999999s restarting failed container=web pod=web-0_shop(u1)",
    "Failed to pull image \"registry.example/app:v2\": rpc error: code = NotFound",
    "Successfully assigned shop/app-2 to node-1",
    "0/3 nodes are available: 3 Insufficient cpu.",
    "Container image \"nginx\" already present on machine",
    "plain text nobody recognises K\u{212A} İ e\u{301}\r\u{0}",
    "",
  ]
  static let backoffs = ["5m0s", "10s", "", "x", "18446744073709551615s", "1h2m3s", "-1s"]
  static let counts: [Int?] = [nil, 0, 1, 7, Int(Int32.max), Int(Int32.max) + 1, -1, Int.max, Int.min]

  static func event(_ rng: inout SplitMix64) -> Event {
    let message = messages[Int(rng.next() % UInt64(messages.count))]
    let names = ["", "app-1", "web-0"]
    var e = Event(
      involved: ObjectRef(
        kind: rng.next() % 3 == 0 ? nil : "Pod", namespace: "shop", name: names[Int(rng.next() % 3)]),
      type: rng.next() % 2 == 0 ? .warning : .normal, reason: "Reason\(rng.next() % 4)", message: message,
      count: counts[Int(rng.next() % UInt64(counts.count))],
      evidence: rng.next() % 4 == 0
        ? [] : [Evidence(ref: SourceRef(source: "describe.txt", line: Int(rng.next() % 90) + 1), text: message)])
    // Captures and a pattern a parser or an earlier step left, some a back-off the check drops.
    if rng.next() % 3 == 0 {
      e.patternID = "given.pattern"
      for _ in 0..<Int(rng.next() % 4) {
        let keys = ["backoff", "event.backoff", "container", "pod", "podName", "x.backoff", "backoffs"]
        e.captures.append(
          KeyValue(
            keys[Int(rng.next() % UInt64(keys.count))], backoffs[Int(rng.next() % UInt64(backoffs.count))]))
      }
    }
    return e
  }

  /// `delivered` as it was for an event: classified on the whole record, then range-checked on
  /// the whole record, the captures filtered whether or not one is a back-off.
  static func before(_ record: Record, diagnostics: DiagnosticSink) -> Record {
    guard case .event(var event) = record else { return record }
    if event.patternID == nil, let hit = patterns.firstMatch(event.message, kind: .event) {
      event.patternID = hit.patternID
      event.captures = hit.captures
    }
    if event.involved.name.isEmpty, event.capture("pod") == nil, event.capture("podName") == nil,
      let reference = patterns.firstMatch(event.message, kind: .reference)
    {
      event.captures += reference.captures.filter { $0.key == "pod" || $0.key == "namespace" }
    }
    let classified = Record.event(event)
    guard case .event(var checked) = classified else { return classified }
    let ref = checked.evidence.first?.ref ?? SourceRef(source: "", line: 0)
    if let count = checked.count, !(0...Int(Int32.max)).contains(count) {
      diagnostics(Diagnostic(.warning, ref, "event count '\(count)' is not a 32-bit count; dropped"))
      checked.count = nil
    }
    checked.captures = checked.captures.filter { capture in
      guard capture.key == "backoff" || capture.key.hasSuffix(".backoff"), Durations.goDuration(capture.value) == nil
      else { return true }
      diagnostics(
        Diagnostic(.warning, ref, "back-off '\(capture.value.prefix(40))' is not a duration podmortem can use; ignored")
      )
      return false
    }
    return .event(checked)
  }

  @Test func handsOnWhatTheStepsDidInTurn() {
    var rng = SplitMix64(seed: 2020)
    var dropped = 0
    var classified = 0
    // One memo per way in, as one reading keeps one for all its events.
    var sharedForDelivered = MessageMatchMemo()
    var sharedForDeliver = MessageMatchMemo()
    for round in 0..<4_000 {
      let record = Record.event(Self.event(&rng))
      let old = LogDiagnosticCollector()
      let new = LogDiagnosticCollector()
      let place = LogDiagnosticCollector()
      let expected = Self.before(record) { old.add($0) }
      var block: SourceRef?
      let got = Ingestor.delivered(
        record, patterns: Self.patterns, isPaste: rng.next() % 2 == 0, block: &block,
        messages: &sharedForDelivered, diagnostics: { new.add($0) })
      #expect(got == expected)
      #expect(block == nil)
      guard case .event(var inPlace) = record else { continue }
      var asked = MessageMatchMemo(remembering: false)
      if round % 2 == 0 {
        Ingestor.deliver(&inPlace, patterns: Self.patterns, messages: &sharedForDeliver, diagnostics: { place.add($0) })
      } else {
        Ingestor.deliver(&inPlace, patterns: Self.patterns, messages: &asked, diagnostics: { place.add($0) })
      }
      #expect(Record.event(inPlace) == expected)
      #expect(new.diagnostics == old.diagnostics)
      #expect(place.diagnostics == old.diagnostics)
      dropped += old.diagnostics.count
      if case .event(let e) = expected, e.patternID != nil, e.patternID != "given.pattern" { classified += 1 }
    }
    // The inputs reach every branch: counts and back-offs dropped, messages recognised.
    #expect(dropped > 100)
    #expect(classified > 100)
  }
}
