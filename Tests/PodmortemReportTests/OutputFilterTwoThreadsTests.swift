import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// A large report is filtered on two threads (`OutputFilter.findingsAndState`,
/// docs/architecture.md "Speed after ingest: two cores"): on seeded random states whose secrets lie
/// nowhere, anywhere, only late, or in a PEM block, it must give what one thread gives — the
/// same strings, the same token numbers, the same distinct secrets.
@Suite("filtering on two threads numbers tokens as one thread does")
struct OutputFilterTwoThreadsTests {

  /// Strings of a pod or finding: clean, or holding one of a few secrets (so numbering order shows).
  static func text(_ rng: inout SplitMix64, dirty: Bool) -> String {
    guard dirty, Int.random(in: 0..<3, using: &rng) == 0 else { return "s\(Int.random(in: 0..<4, using: &rng))" }
    return [
      "x password=hunter2\(Int.random(in: 0..<6, using: &rng))pw", OutputFilterTests.dirty, "\u{1B}[31mred",
      "token=Zx9kP2mQ7rT4vW8y1aB\(Int.random(in: 0..<6, using: &rng))",
    ][Int.random(in: 0..<4, using: &rng)]
  }

  static let pem = [
    "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA7", "-----END RSA PRIVATE KEY-----",
  ]

  /// `secretsFrom`: the share of pods (0...4 quarters) after which secrets may appear; 5: none.
  static func input(_ rng: inout SplitMix64, secretsFrom: Int) -> (CorrelatedState, [Finding]) {
    var state = CorrelatedState()
    let count = Int.random(in: 0...40, using: &rng)
    for p in 0..<count {
      let dirty = secretsFrom < 5 && p * 4 >= count * secretsFrom && Int.random(in: 0..<4, using: &rng) == 0
      var snapshot = PodSnapshot(name: "p\(p)", namespace: text(&rng, dirty: dirty))
      snapshot.message = text(&rng, dirty: dirty)
      var container = ContainerSnapshot(name: text(&rng, dirty: dirty))
      container.state = .waiting(reason: "CrashLoopBackOff", message: text(&rng, dirty: dirty))
      if dirty && Int.random(in: 0..<8, using: &rng) == 0 {
        container.evidence = Self.pem.enumerated().map { i, line in
          Evidence(ref: SourceRef(source: "d.txt", line: 10 + i), text: line)
        }
      }
      snapshot.containers = [container]
      let events = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
        ReportFastPathTests.event(&rng, dirty: dirty)
      }
      let timeline = (0..<Int.random(in: 0...3, using: &rng)).map { i in
        TimelineEntry(
          time: nil, kind: .log, container: text(&rng, dirty: dirty), summary: text(&rng, dirty: dirty),
          evidence: [Evidence(ref: SourceRef(source: "f", line: i + 1), text: text(&rng, dirty: dirty))])
      }
      state.pods.append(
        PodHistory(
          key: PodKey(namespace: "ns", name: "p\(p)"), snapshots: [snapshot], latest: snapshot, events: events,
          timeline: timeline))
      state.events += events
    }
    for _ in 0..<Int.random(in: 0...10, using: &rng) {
      state.events.append(ReportFastPathTests.event(&rng, dirty: secretsFrom < 5 && Bool.random(using: &rng)))
    }
    state.caveats = [text(&rng, dirty: secretsFrom < 5)]
    let findings = (0..<Int.random(in: 0...5, using: &rng)).map { i in
      Finding(
        ruleID: "r\(i)", category: .pattern, severity: .warning, subject: Subject(namespace: "ns", pod: "p\(i)"),
        title: "t", explanation: text(&rng, dirty: secretsFrom < 5), remedy: "",
        evidence: [Evidence(ref: SourceRef(source: "f", line: i + 1), text: text(&rng, dirty: secretsFrom < 5))])
    }
    return (state, findings)
  }

  @Test("the same findings, pods, events, caveats and tokens as filtering on one thread")
  func sameAsOneThread() {
    var rng = SplitMix64(seed: 16_002)
    var masked = 0
    for round in 0..<600 {
      let (state, findings) = Self.input(&rng, secretsFrom: round % 6)
      let reveal = round % 7 == 0
      let one = OutputFilter(masker: reveal ? nil : SecretMasker())
      var oneFindings = findings
      for i in oneFindings.indices { oneFindings[i] = one.finding(oneFindings[i]) }
      var oneState = state
      one.state(&oneState)
      let two = OutputFilter(masker: reveal ? nil : SecretMasker())
      var twoFindings = findings
      var twoState = state
      two.findingsAndState(&twoFindings, &twoState, twoThreadsFrom: 1)
      #expect(twoFindings == oneFindings, "round \(round)")
      #expect(twoState.pods == oneState.pods, "round \(round)")
      #expect(twoState.events == oneState.events, "round \(round)")
      #expect(twoState.caveats == oneState.caveats, "round \(round)")
      #expect(two.masker?.distinctSecrets == one.masker?.distinctSecrets, "round \(round)")
      // Then the diagnostics, filtered after the state, get the same tokens too.
      let d = Diagnostic(
        .warning, SourceRef(source: "f", line: 1), "x password=hunter23pw and \(OutputFilterTests.dirty)")
      #expect(two.diagnostic(d) == one.diagnostic(d), "round \(round)")
      masked += one.masker?.distinctSecrets ?? 0
    }
    // Secrets were numbered: the rounds compared tokens, not only clean text.
    #expect(masked > 100)
  }

  @Test("below the threshold nothing changes: one thread, the same result")
  func belowThreshold() {
    var rng = SplitMix64(seed: 7)
    let (state, findings) = Self.input(&rng, secretsFrom: 0)
    let one = OutputFilter(masker: SecretMasker())
    var a = findings
    var aState = state
    one.findingsAndState(&a, &aState)
    let two = OutputFilter(masker: SecretMasker())
    var b = findings
    for i in b.indices { b[i] = two.finding(b[i]) }
    var bState = state
    two.state(&bState)
    #expect(a == b)
    #expect(aState.pods == bState.pods)
    #expect(aState.events == bState.events)
  }
}
