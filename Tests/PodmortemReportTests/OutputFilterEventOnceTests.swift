import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// The output filter decides first, on an event's strings, whether filtering would change it
/// (`OutputFilter.leavesUnchanged`), and looks at each of the history's events once: its pod and
/// the history then leave it as it is (`OutputFilter.unchangedEvents`, docs/architecture.md
/// "Speed of the EventList path"). On seeded random events and states (secrets, control
/// characters, PEM lines, long strings, shared and rebuilt events) it must give what filtering
/// every field of every event gave: the same events, the same tokens in the same order.
@Suite("an event the filter leaves unchanged is decided once, with the same result")
struct OutputFilterEventOnceTests {
  /// Clean strings, and strings that hold a secret, a control character, a PEM line or nothing
  /// a rule masks though a prefilter literal occurs (`://`, `=`).
  static func text(_ rng: inout SplitMix64, dirty: Bool) -> String {
    let clean = [
      "a", "prod", "spec.containers{app}", "Back-off restarting failed container app in pod app-000001_prod",
      "6513270e-0000-4000-8000-0c5ca6a3a450", "Get \"http://10.244.1.2:8080/ready\": context deadline exceeded",
      "a=b", String(repeating: "long line without anything ", count: 6),
    ]
    let dirtyOnes = [
      OutputFilterTests.dirty, "token=Zx9kP2mQ7rT4vW8y1aB\(Int.random(in: 0..<4, using: &rng))", "\u{1B}[31mred",
      "bidi \u{202E}evil", "c1 \u{85} next", "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA7",
      "-----END RSA PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----", "http://user:s3cretpass@host/x",
      "x password=hunter2\(Int.random(in: 0..<4, using: &rng))pw " + String(repeating: "y", count: 100),
    ]
    let options = dirty && Int.random(in: 0..<3, using: &rng) == 0 ? dirtyOnes : clean
    return options[Int.random(in: options.indices, using: &rng)]
  }

  static func event(_ rng: inout SplitMix64, dirty: Bool) -> MergedEvent {
    func s() -> String { text(&rng, dirty: dirty) }
    func maybe() -> String? { Bool.random(using: &rng) ? nil : s() }
    let object = ObjectRef(
      kind: Bool.random(using: &rng) ? "Pod" : maybe(), namespace: maybe(), name: s(), uid: maybe(),
      fieldPath: maybe(),
      pastedAt: Int.random(in: 0..<4, using: &rng) == 0
        ? SourceRef(source: s(), line: Int.random(in: 1...3, using: &rng)) : nil)
    // Evidence lines, sometimes consecutive lines of one source (a PEM block cited line by line).
    let source = Bool.random(using: &rng) ? "events.json" : s()
    let first = Int.random(in: 1...4, using: &rng)
    let evidence = (0..<Int.random(in: 0...4, using: &rng)).map { i in
      Evidence(ref: SourceRef(source: source, line: first + i), text: s())
    }
    var e = MergedEvent(
      involved: object, type: [.warning, .normal, .other(s())][Int.random(in: 0..<3, using: &rng)], reason: s(),
      message: s(), template: maybe(), exemplars: Bool.random(using: &rng) ? [] : [s(), s()], sourceComponent: maybe(),
      sourceHost: maybe(), count: Int.random(in: 1...3, using: &rng),
      caveats: Bool.random(using: &rng) ? [] : [s()], evidence: evidence)
    e.patternID = maybe()
    return e
  }

  @Test("event(_:) gives what filtering field by field gives, tokens included")
  func eventSameAsFieldByField() {
    var rng = SplitMix64(seed: 16_014)
    var unchanged = 0
    var changed = 0
    for round in 0..<400 {
      let reveal = round % 5 == 0
      let new = OutputFilter(masker: reveal ? nil : SecretMasker())
      let old = OutputFilter(masker: reveal ? nil : SecretMasker())
      for _ in 0..<Int.random(in: 1...12, using: &rng) {
        let e = Self.event(&rng, dirty: Bool.random(using: &rng))
        let a = new.event(e)
        let b = old.eventFieldByField(e)
        #expect(a == b, "round \(round)")
        #expect(a.sharesStorage(with: e) == b.sharesStorage(with: e), "round \(round)")
        #expect(new.masker?.distinctSecrets == old.masker?.distinctSecrets, "round \(round)")
        if b.sharesStorage(with: e) { unchanged += 1 } else { changed += 1 }
      }
    }
    // Both sides of the decision were taken many times.
    #expect(unchanged > 300 && changed > 300)
  }

  @Test("a string is left unchanged exactly when filtering gives it back and numbers nothing")
  func leavesUnchangedIsExact() {
    var rng = SplitMix64(seed: 16_015)
    for round in 0..<3_000 {
      let masker = round % 4 == 0 ? nil : SecretMasker()
      let filter = OutputFilter(masker: masker)
      let text = Self.text(&rng, dirty: true)
      let clean = filter.leavesUnchanged(text)
      let filtered = filter(text)
      // Unchanged is promised; changed may be said of a string filtering gives back (a PEM begin
      // line that is no private key), which is then filtered as before.
      if clean {
        #expect(filtered == text, "\(text)")
        #expect((masker?.distinctSecrets ?? 0) == 0, "\(text)")
      }
      if filtered != text { #expect(!clean, "\(text)") }
    }
  }

  /// A state whose pods hold the history's events (storage shared), copies of them rebuilt
  /// (equal, not shared), and events of their own.
  static func state(_ rng: inout SplitMix64) -> CorrelatedState {
    var state = CorrelatedState()
    state.events = (0..<Int.random(in: 0...30, using: &rng)).map { _ in
      Self.event(&rng, dirty: Int.random(in: 0..<4, using: &rng) == 0)
    }
    for p in 0..<Int.random(in: 0...12, using: &rng) {
      var events: [MergedEvent] = []
      for _ in 0..<Int.random(in: 0...5, using: &rng) {
        let kind = state.events.isEmpty ? 3 : Int.random(in: 0..<4, using: &rng)
        if kind < 2 {
          events.append(state.events[Int.random(in: state.events.indices, using: &rng)])
        } else if kind == 2 {
          var copy = state.events[Int.random(in: state.events.indices, using: &rng)]
          copy.count += 0
          copy.reason = String(copy.reason.unicodeScalars.map(Character.init))
          events.append(copy)
        } else {
          events.append(Self.event(&rng, dirty: Bool.random(using: &rng)))
        }
      }
      let snapshot = PodSnapshot(name: "p\(p)", namespace: "ns")
      state.pods.append(
        PodHistory(
          key: PodKey(namespace: "ns", name: "p\(p)"), snapshots: [snapshot], latest: snapshot, events: events))
    }
    return state
  }

  @Test("filtering a state gives what filtering every event of every pod and the history gave")
  func stateSameAsEveryEvent() {
    var rng = SplitMix64(seed: 16_016)
    for round in 0..<300 {
      let original = Self.state(&rng)
      let reveal = round % 6 == 0
      let new = OutputFilter(masker: reveal ? nil : SecretMasker())
      var a = original
      new.state(&a)
      // The code before: each pod's events, then the history's, every event filtered field by field.
      let old = OutputFilter(masker: reveal ? nil : SecretMasker())
      var b = original
      for i in b.pods.indices {
        b.pods[i].key.namespace = old(b.pods[i].key.namespace)
        b.pods[i].key.name = old(b.pods[i].key.name)
        b.pods[i].latest = old.snapshot(b.pods[i].latest)
        for j in b.pods[i].events.indices { b.pods[i].events[j] = old.eventFieldByField(b.pods[i].events[j]) }
      }
      for i in b.events.indices { b.events[i] = old.eventFieldByField(b.events[i]) }
      #expect(a.pods == b.pods, "round \(round)")
      #expect(a.events == b.events, "round \(round)")
      #expect(new.masker?.distinctSecrets == old.masker?.distinctSecrets, "round \(round)")
      // The same secret gets the same token afterwards too: the numbering went the same way.
      let probe = "x password=hunter21pw token=Zx9kP2mQ7rT4vW8y1aB2 \(OutputFilterTests.dirty)"
      #expect(new(probe) == old(probe), "round \(round)")
    }
  }
}
