import PodmortemModel
import PodmortemTestSupport

/// Random events for the event book's seeded tests (`EventBookChunkFreeTests`, `HistoryOrderTests`).
enum RandomEvent {
  /// A random event: few names, reasons and messages, so that identities repeat across books and
  /// wildcard identities (no uid, no namespace) join clusters; last seen at one of `minutes`
  /// whole minutes, or not at all; with `captures`, some with pattern captures.
  static func event(_ rng: inout SplitMix64, names: Int, minutes: UInt64, line: Int, captures: Bool) -> Event {
    let last = Double(rng.next() % minutes) * 60
    let withTime = rng.next() % 8 != 0
    var event = Event(
      involved: ObjectRef(
        kind: ["Pod", "pod", nil][Int(rng.next() % 3)], namespace: ["prod", nil, "dev"][Int(rng.next() % 3)],
        name: "web-\(rng.next() % UInt64(names))", uid: rng.next() % 2 == 0 ? "uid-\(rng.next() % 3)" : nil,
        fieldPath: rng.next() % 2 == 0 ? "spec.containers{web}" : nil),
      type: EventType(["Normal", "Warning"][Int(rng.next() % 2)]),
      reason: ["Unhealthy", "BackOff", "Killing"][Int(rng.next() % 3)], message: "m\(rng.next() % 3)",
      sourceComponent: rng.next() % 3 == 0 ? nil : "kubelet", count: Int(rng.next() % 9) + 1,
      firstSeen: withTime ? Fixture.exact(last - Double(rng.next() % 3) * 10) : nil,
      lastSeen: withTime ? Fixture.exact(last) : nil,
      evidence: Fixture.evidence("events.json", line))
    event.eventName = rng.next() % 2 == 0 ? "e\(rng.next() % 4)" : nil
    if captures, rng.next() % 3 == 0 {
      event.patternID = ["event.probe", "event.backoff"][Int(rng.next() % 2)]
      event.captures = [KeyValue("code", "\(500 + rng.next() % 4)")]
    }
    return event
  }
}
