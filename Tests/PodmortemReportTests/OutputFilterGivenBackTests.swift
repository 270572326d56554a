import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// `OutputFilter.findingsAndState` now looks at the history's events first
/// (`unchangedEvents(_:givenBack:)`) and gives the long strings it found clean to `filterLong`
/// (`LongGivenBack`), which answers those very strings without masking them again; before, the
/// findings were filtered first and the events looked at after (`state(_:)`), so a finding's
/// evidence line cited from an event was tested there and masked here (docs/architecture.md
/// "Secrets"). The reference is that order: a filter of its own, with its own masker, filters the
/// findings in place and then calls `state(_:)`. On seeded states whose events' long lines are
/// cited by findings as the very strings and as fresh copies, with secrets at a line's start or
/// end, split over a PEM block's lines, controls, NUL, CR, tabs, a Kelvin sign, a dotted capital
/// İ, an accent composed and decomposed, random bytes, and lines cited again after a memo's hit,
/// both must give the same findings, pods, events and caveats, byte for byte, and number the same
/// tokens, on one thread and on two.
struct OutputFilterGivenBackTests {
  static let secrets = ["hunter", "s3cret", "Zx9kP2mQ7rT4vW8y1aB", "eyJzdWIi", "MIIEowIBAAKCAQEA"]

  /// A long line (more than `OutputFilter.shortBytes`, so `filterLong` takes it): a kubelet line,
  /// clean or with something to mask or spell out at its start or end, or random bytes.
  static func longLine(_ rng: inout SplitMix64) -> String {
    let n = rng.below(1_000)
    let line =
      "I1127 00:00:\(n % 60).623384    4187 prober.go:107] \"Probe failed\" probeType=\"Readiness\" "
      + "pod=\"default/app-\(n)\" podUID=\"01d74256-b535-a18f-0f12-11413a9bedd4\" probeResult=\"failure\""
    switch rng.below(16) {
    case 0: return "password=hunter\(n % 40)pw " + line
    case 1: return line + " token=Zx9kP2mQ7rT4vW8y1aB\(n % 7)"
    case 2: return line + " \u{212A}ube \u{130}stanbul caf\u{E9}"
    case 3: return line + " cafe\u{301}"
    case 4: return line + " a\u{0}b\r\tc"
    case 5: return "\u{1B}[31m" + line + "\u{9B}\u{202E}"
    case 6: return "-----BEGIN RSA PRIVATE KEY----- " + line
    case 7: return line + " Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ\(n % 9)In0.c2lnbmF0dXJl"
    case 8: return "http://user:s3cret\(n % 9)@host/x " + line
    case 9: return String(decoding: rng.hostileBytes(count: 97 + rng.below(300)), as: UTF8.self)
    default: return line
    }
  }

  /// A copy of `text` with its own storage: the same bytes, another representation.
  static func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

  static let pem = ["-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"]

  static func input(_ rng: inout SplitMix64) -> (CorrelatedState, [Finding], [String]) {
    let pool = (0..<(5 + rng.below(30))).map { _ in longLine(&rng) }
    func pick() -> String { pool[rng.below(pool.count)] }
    func short() -> String {
      ["a", "app-\(rng.below(9))", "password=hunter\(rng.below(9))pw", "\u{1B}x", "\u{212A}"][rng.below(5)]
    }
    var state = CorrelatedState()
    var events: [MergedEvent] = []
    for _ in 0..<rng.below(40) {
      let evidence = (0..<(1 + rng.below(3))).map { i in
        Evidence(ref: SourceRef(source: "kubelet.log", line: 1 + i + rng.below(500)), text: pick())
      }
      let object = ObjectRef(kind: "Pod", namespace: "default", name: "app-\(rng.below(9))", uid: nil)
      events.append(
        MergedEvent(
          involved: object, type: .warning, reason: short(), message: rng.below(3) == 0 ? pick() : short(),
          template: nil, exemplars: rng.below(4) == 0 ? [pick()] : [], sourceComponent: "kubelet",
          sourceHost: nil, count: 1 + rng.below(3), caveats: [], evidence: evidence))
    }
    for p in 0..<rng.below(12) {
      var snapshot = PodSnapshot(name: "app-\(p)", namespace: "default")
      snapshot.message = rng.below(3) == 0 ? pick() : short()
      var container = ContainerSnapshot(name: short())
      container.evidence = (0..<rng.below(3)).map { i in
        Evidence(ref: SourceRef(source: "kubelet.log", line: 900 + i), text: rng.below(2) == 0 ? pick() : short())
      }
      snapshot.containers = [container]
      let mine = events.isEmpty ? [] : (0..<rng.below(4)).map { _ in events[rng.below(events.count)] }
      state.pods.append(
        PodHistory(
          key: PodKey(namespace: "default", name: "app-\(p)"), snapshots: [snapshot], latest: snapshot,
          events: mine, timeline: []))
    }
    state.events = events
    state.caveats = [rng.below(2) == 0 ? pick() : short()]
    var findings: [Finding] = []
    for i in 0..<rng.below(12) {
      var evidence: [Evidence] = []
      for _ in 0..<rng.below(6) {
        // The very string an event holds, a copy of its bytes, or a line of the findings' own.
        let text: String
        switch rng.below(4) {
        case 0, 1: text = pick()
        case 2: text = fresh(pick())
        default: text = longLine(&rng)
        }
        evidence.append(Evidence(ref: SourceRef(source: "kubelet.log", line: 1 + rng.below(900)), text: text))
      }
      if rng.below(5) == 0 {
        // A long line that events hold alone, here inside a PEM block: masked whole, not given back.
        evidence = [
          Evidence(ref: SourceRef(source: "key.pem", line: 1), text: Self.pem[0]),
          Evidence(ref: SourceRef(source: "key.pem", line: 2), text: pick()),
          Evidence(ref: SourceRef(source: "key.pem", line: 3), text: Self.pem[1]),
        ]
      }
      findings.append(
        Finding(
          ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical,
          subject: Subject(namespace: "default", pod: "app-\(i)"), title: short(),
          explanation: rng.below(2) == 0 ? pick() : fresh(pick()), remedy: short(), evidence: evidence))
    }
    return (state, findings, pool)
  }

  static func json<T: Encodable>(_ value: T) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(value)) ?? Data()
  }

  @Test("the events looked at first and their clean long strings given back: what the findings, then the state, gave")
  func sameAsFindingsThenState() {
    var rng = SplitMix64(seed: 0x31_6B_AC)
    var givenBack = 0
    var masked = 0
    for round in 0..<400 {
      let (state, findings, pool) = Self.input(&rng)
      let reveal = round % 7 == 0
      let reference = OutputFilter(masker: reveal ? nil : SecretMasker())
      var oldFindings = findings
      for i in oldFindings.indices { reference.filterInPlace(&oldFindings[i]) }
      var oldState = state
      reference.state(&oldState)
      let filter = OutputFilter(masker: reveal ? nil : SecretMasker())
      var newFindings = findings
      var newState = state
      filter.findingsAndState(&newFindings, &newState, twoThreadsFrom: round % 2 == 0 ? Int.max : 1)
      #expect(Self.json(newFindings) == Self.json(oldFindings), "round \(round)")
      #expect(Self.json(newState.pods) == Self.json(oldState.pods), "round \(round)")
      #expect(Self.json(newState.events) == Self.json(oldState.events), "round \(round)")
      #expect(newState.caveats.map { Array($0.utf8) } == oldState.caveats.map { Array($0.utf8) }, "round \(round)")
      #expect(filter.masker?.distinctSecrets == reference.masker?.distinctSecrets, "round \(round)")
      if !reveal {
        // No secret of the pool reaches what a report prints (of a pod, its merged view and events).
        let pods = newState.pods.map { Self.json($0.latest) + Self.json($0.events) }
        let printed = String(
          decoding: Self.json(newFindings) + pods.reduce(Data(), +) + Self.json(newState.events), as: UTF8.self)
        for secret in Self.secrets { #expect(!printed.contains(secret), "round \(round): \(secret)") }
      }
      givenBack += pool.filter { filter.answersAsGivenBack($0) }.count
      masked += reference.masker?.distinctSecrets ?? 0
    }
    // Lines were given back and answered so, and secrets were numbered: tokens were compared too.
    #expect(givenBack > 1_000)
    #expect(masked > 500)
  }

  @Test("a string given back is one filtering gives back: its bytes, no token; a copy is filtered again")
  func givenBackIsClean() {
    var rng = SplitMix64(seed: 16_031)
    var given = 0
    var answered = 0
    for round in 0..<300 {
      let (state, _, pool) = Self.input(&rng)
      let masker: SecretMasker? = round % 5 == 0 ? nil : SecretMasker()
      let filter = OutputFilter(masker: masker)
      var found: LongGivenBack? = LongGivenBack()
      let unchanged = filter.unchangedEvents(state.events, givenBack: &found)
      // The same events found unchanged as before.
      #expect(unchanged == OutputFilter(masker: masker).unchangedEvents(state.events), "round \(round)")
      let clean = found?.strings ?? []
      filter.giveBack(found)
      let reference = OutputFilter(masker: masker.map { _ in SecretMasker() })
      for text in clean {
        #expect(text.utf8.count > OutputFilter.shortBytes)
        #expect(Array(reference(text).utf8) == Array(text.utf8), "round \(round): \(text.debugDescription)")
        // Two strings may share a place: the later one is held.
        if filter.answersAsGivenBack(text) { answered += 1 }
        #expect(Array(filter(text).utf8) == Array(text.utf8))
      }
      #expect(reference.masker?.distinctSecrets ?? 0 == 0, "round \(round)")
      // Every pool string, the very one or a copy, filters as a filter that was given nothing.
      let other = OutputFilter(masker: masker.map { _ in SecretMasker() })
      for text in pool + pool.map(Self.fresh) {
        #expect(Array(filter(text).utf8) == Array(other(text).utf8), "round \(round): \(text.debugDescription)")
      }
      #expect(filter.masker?.distinctSecrets == other.masker?.distinctSecrets, "round \(round)")
      for text in pool.map(Self.fresh) { #expect(!filter.answersAsGivenBack(text)) }
      given += clean.count
    }
    #expect(given > 1_000)
    #expect(Double(answered) > 0.95 * Double(given), "\(answered) of \(given)")
  }

  @Test("a long string's place reads every word: one template's strings spread")
  func templatesSpread() {
    // One template and length, a count and an address put in (a finding's explanation): the four
    // words the place was chosen from before miss what differs.
    var newPlaces = Set<Int>()
    var oldPlaces = Set<Int>()
    var texts = Set<String>()
    var rng = SplitMix64(seed: 5)
    for _ in 0..<1_500 {
      let text =
        "The readiness probe failed \(10 + rng.below(90)) times: the endpoint did not answer within the "
        + "timeout: 'Get \"http://10.244.\(100 + rng.below(900)).\(100 + rng.below(900)):8080/ready\": "
        + "context deadline exceeded'. While it fails the pod is removed from its Services' endpoints."
      guard texts.insert(text).inserted else { continue }
      var copy = text
      newPlaces.insert(copy.withUTF8 { LongMemo.slot($0) })
      oldPlaces.insert(copy.withUTF8 { Self.slotFromFourWords($0) })
      #expect((0..<LongMemo.slots).contains(copy.withUTF8 { LongMemo.slot($0) }))
    }
    // Random places for this many strings would take about 1 - e^(-n/4096) of the table.
    let expected = Double(LongMemo.slots) * (1 - exp(-Double(texts.count) / Double(LongMemo.slots)))
    #expect(Double(newPlaces.count) > 0.9 * expected, "\(newPlaces.count) of \(expected)")
    #expect(oldPlaces.count < newPlaces.count / 4, "\(oldPlaces.count)")
  }

  /// `LongMemo.slot(_:)` as it was, from the length and the words at the start, a third and two
  /// thirds in, and the end: the reference the places' spread is compared with.
  static func slotFromFourWords(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    let n = bytes.count
    guard let base = bytes.baseAddress, n >= 8 else { return 0 }
    let raw = UnsafeRawPointer(base)
    let head = raw.loadUnaligned(as: UInt64.self)
    let third = raw.loadUnaligned(fromByteOffset: (n - 8) / 3, as: UInt64.self)
    let twoThirds = raw.loadUnaligned(fromByteOffset: (n - 8) / 3 * 2, as: UInt64.self)
    let tail = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    var mixed = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(truncatingIfNeeded: n)
    mixed = (mixed ^ (third &* 0x1656_67B1_9E37_79F9)) &* 0x9E37_79B9_7F4A_7C15
    mixed = (mixed ^ (twoThirds &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed >> 52)
  }
}
