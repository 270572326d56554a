import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// `PodEventReasons` reads each event's reason once per pod into a bit for each reason rules ask,
/// and a rule asks the pod's events only when the bit is set (docs/architecture.md "Diagnosis:
/// read a pod once"). The references: `PodHistory.same` (and `==` for the reasons compared
/// exactly) for each bit, the pod's own queries (`events(_:)`, `hasEvent(of:)`) for each pod, and
/// each rule given every bit (`PodEventReasons.every`, so every query runs as before) for the
/// rules' findings. Hostile reasons: lower camel case, a Kelvin sign, a dotted capital I,
/// combining accents, NUL, CR, tabs, empty, huge, and texts one byte off a reason.
@Suite struct PodEventReasonsTests {

  private static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  /// Every reason as rules spell it, in lower camel case, and hostile texts near them.
  private static let recorded: [String] = {
    var out: [String] = ["", "a", "A", "\u{0}", "\r", "\t", "\r\n", String(repeating: "F", count: 70_000)]
    for r in PodEventReasons.Reason.allCases {
      let t = r.text
      let lower = t.prefix(1).lowercased() + t.dropFirst()
      out += [t, lower, t.uppercased(), t.lowercased(), t + "\u{0}", t + "\r", "\t" + t, t + " ", String(t.dropLast())]
      out += [
        t + "\u{301}", "\r\n" + t.dropFirst(), lower + "\u{301}", t.replacingOccurrences(of: "K", with: "\u{212A}"),
      ]
      out += [t.replacingOccurrences(of: "i", with: "\u{130}"), t.replacingOccurrences(of: "e", with: "e\u{301}")]
      out += [t.replacingOccurrences(of: "e", with: "\u{E9}"), "\u{212A}" + t.dropFirst(), "\u{130}" + t.dropFirst()]
      out += [t + t, String(t.reversed()), "x" + t.dropFirst(), t.prefix(1) + "X" + t.dropFirst(2)]
    }
    // Lower case first letters outside ASCII, and the one-character reasons' neighbours.
    out += ["évicted", "ǆ", "ß", "ﬁailed", "\u{212A}illing", "killing", "kILLING", "kil\u{0}ling"]
    return out
  }()

  /// The reference bit of `r` for `text`: `same`, or `==` for the reasons compared exactly.
  private static func asked(_ text: String, _ r: PodEventReasons.Reason) -> Bool {
    r.exact ? text == r.text : PodHistory.same(text, r.text)
  }

  @Test func bitsAreTheComparisons() {
    var rng = SplitMix64(seed: 33_016)
    var texts = Self.recorded
    // Seeded texts: pieces of reasons joined, a byte changed, hostile bytes.
    for _ in 0..<5_000 {
      var t = Self.pick(Self.recorded, &rng)
      switch rng.below(4) {
      case 0: t += Self.pick(Self.recorded, &rng)
      case 1:
        var bytes = Array(t.utf8)
        if !bytes.isEmpty { bytes[rng.below(bytes.count)] ^= UInt8(1 << rng.below(8)) }
        t = String(decoding: bytes, as: UTF8.self)
      case 2: t = String(decoding: rng.hostileBytes(count: rng.below(24)), as: UTF8.self)
      default: break
      }
      texts.append(t)
    }
    var set = 0
    for text in texts {
      let bits = PodEventReasons.bits(of: text)
      #expect(bits == PodEventReasons.bitsAsked(of: text), "\(Array(text.utf8))")
      for r in PodEventReasons.Reason.allCases {
        #expect((bits & r.bit != 0) == Self.asked(text, r), "\(r) \(Array(text.utf8))")
        if bits & r.bit != 0 { set += 1 }
      }
    }
    #expect(set > 100)
  }

  @Test func imagePullReasonsAreItsTexts() {
    #expect(ImagePullFailingRule.eventReasonKinds.map(\.text) == ImagePullFailingRule.eventReasons)
    #expect(
      [PodEventReasons.Reason.failedPostStartHook, .failedPreStopHook].map(\.text)
        == LifecycleHookFailedRule.hookReasons)
  }

  // MARK: - Pods

  private static let names = [
    "web", "init-db", "wéb", "we\u{301}b", "\u{212A}", "\u{130}", "a\r", "a\u{0}b", "\tc", "",
  ]
  private static let patterns: [String?] = [
    nil, "event.container-error", "event.failed-create-docker-container", "event.failed-pull-image",
    "event.error-image-pull", "event.waiting-to-start-pull", "event.failedsync-image-pull",
    "event.backoff-pulling-image", "event.evicted-low-resource", "event.marking-for-deletion", "event.other",
  ]

  /// A pod whose events carry the reasons rules ask for (or near them), listed containers or
  /// none, and statuses that make the rules speak.
  private static func pod(_ rng: inout SplitMix64) -> PodHistory {
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    snapshot.reason = pick([nil, "Evicted", "DeadlineExceeded", "NodeLost", "Other"], &rng)
    if rng.next() % 3 == 0 { snapshot.message = pick(names, &rng) }
    if rng.next() % 2 == 0 {
      snapshot.conditions = [PodCondition(type: "PodScheduled", status: pick(["True", "False"], &rng))]
    }
    if rng.next() % 3 == 0 {
      snapshot.containers = [ContainerSnapshot(name: pick(names, &rng), role: .container)]
    }
    var events: [MergedEvent] = []
    for i in 0..<rng.below(5) {
      let name = pick(names, &rng)
      let path: String? = pick([nil, "spec.containers{\(name)}", "spec.initContainers{\(name)}"], &rng)
      var event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: path),
        type: .warning, reason: pick(recorded, &rng), message: "m\(i) \(name)", count: 1 + rng.below(4),
        evidence: [Evidence(ref: SourceRef(source: "e.txt", line: i + 1), text: "e\(i)")])
      event.patternID = pick(patterns, &rng)
      for key in ["container", "configError", "image", "reason", "exitCode"] where rng.next() % 3 == 0 {
        event.captures.append(KeyValue(key, pick(names, &rng)))
      }
      events.append(event)
    }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events,
      logs: PodLogs([]))
  }

  @Test func podBitsAreItsQueries() {
    var rng = SplitMix64(seed: 16_033)
    var set = 0
    for _ in 0..<3_000 {
      let pod = Self.pod(&rng)
      let reasons = PodEventReasons(pod)
      #expect(
        PodReading(pod).reasons.hasAny(PodEventReasons.Reason.allCases)
          == reasons.hasAny(PodEventReasons.Reason.allCases))
      for r in PodEventReasons.Reason.allCases {
        let events = r.exact ? pod.events.filter { $0.reason == r.text } : pod.events(r.text)
        #expect(reasons.has(r) == !events.isEmpty, "\(r)")
        if reasons.has(r) { set += 1 }
      }
      #expect(
        reasons.hasAny(ImagePullFailingRule.eventReasonKinds) == pod.hasEvent(of: ImagePullFailingRule.eventReasons))
      #expect(
        reasons.hasAny([.failedPostStartHook, .failedPreStopHook])
          == pod.hasEvent(of: LifecycleHookFailedRule.hookReasons))
      #expect(
        reasons.hasAny(mask: ImagePullFailingRule.eventReasonMask)
          == pod.hasEvent(of: ImagePullFailingRule.eventReasons))
    }
    // Sixteen reasons share the seeded events since the two of `VolumeMountFailingRule`, so each
    // is drawn less often than among fourteen (972 bits set).
    #expect(set > 900)
  }

  /// Each rule that asks the bits finds what it finds given every bit (every query run, as before).
  @Test func rulesAnswerAsWithEveryQuery() {
    var rng = SplitMix64(seed: 33_161)
    let state = CorrelatedState()
    var found = 0
    for _ in 0..<3_000 {
      let raw = Self.pod(&rng)
      for pod in [raw, raw.preparedForRules()] {
        let reading = PodReading(pod)
        let every = PodEventReasons.every
        let logs = PodLogIndex(pod.logs)
        let pairs: [(String, [Finding], [Finding])] = [
          (
            "deadline", DeadlineExceededRule().diagnose(pod, reading: reading, in: state),
            DeadlineExceededRule().diagnose(pod, reasons: every, in: state)
          ),
          (
            "evicted", EvictedRule().diagnose(pod, reading: reading, in: state),
            EvictedRule().diagnose(pod, reasons: every, in: state)
          ),
          (
            "node", NodeNotReadyRule().diagnose(pod, reading: reading, in: state),
            NodeNotReadyRule().diagnose(pod, reasons: every, in: state)
          ),
          (
            "hook", LifecycleHookFailedRule().diagnose(pod, reading: reading, in: state),
            LifecycleHookFailedRule().diagnose(pod, reasons: every, in: state)
          ),
          (
            "config", ContainerConfigErrorRule().diagnose(pod, reading: reading, in: state),
            ContainerConfigErrorRule().diagnose(pod, reasons: every, in: state)
          ),
          (
            "sandbox", SandboxFailingRule().diagnose(pod, reading: reading, in: state),
            SandboxFailingRule().diagnose(pod, logs: logs, reasons: every, in: state)
          ),
          (
            "scheduling", FailedSchedulingRule().diagnose(pod, reading: reading, in: state),
            FailedSchedulingRule().diagnose(pod, logs: logs, reasons: every, in: state)
          ),
          (
            "pull", ImagePullFailingRule().diagnose(pod, reading: reading, in: state),
            ImagePullFailingRule().diagnose(pod, logs: logs, reasons: every, in: state)
          ),
          (
            "volume", VolumeMountFailingRule().diagnose(pod, reading: reading, in: state),
            VolumeMountFailingRule().diagnose(pod, logs: logs, reasons: every, in: state)
          ),
        ]
        for (name, new, old) in pairs {
          #expect(new == old, "\(name)")
          found += new.count
        }
        // Run on their own, the rules read the bits themselves, with the same answer.
        #expect(EvictedRule().diagnose(pod, in: state) == EvictedRule().diagnose(pod, reasons: every, in: state))
      }
    }
    #expect(found > 1_000, "\(found)")
  }
}
