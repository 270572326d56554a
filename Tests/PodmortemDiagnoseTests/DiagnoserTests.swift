import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

@testable import PodmortemDiagnose

/// docs/kubernetes.md §6.2, §7.1: liveness timeouts → Killing x9 → exit 137 → restart 9 → back-off.
private func livenessIncident() -> ExamplePod {
  var p = ExamplePod("web-0")
  p.container(
    "web", state: .waiting(reason: "CrashLoopBackOff", message: nil),
    lastState: .terminated(
      Termination(reason: "Error", exitCode: 137, startedAt: ExamplePod.ago(299), finishedAt: ExamplePod.ago(266))),
    restarts: 9, probes: [.liveness: .http(80, "/healthz"), .readiness: .http(80, "/healthz")])
  p.event(
    .warning, "Unhealthy",
    "Liveness probe failed: Get \"http://10.244.1.7:80/healthz\": context deadline exceeded (Client.Timeout exceeded "
      + "while awaiting headers)", count: 27, lastAgo: 242, firstAgo: 3120)
  p.event(
    .warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 40, lastAgo: 250)
  p.event(.normal, "Killing", "Container web failed liveness probe, will be restarted", count: 9, lastAgo: 242)
  p.event(
    .warning, "BackOff", "Back-off restarting failed container web in pod web-0_default(0f1c)", count: 180, lastAgo: 60,
    firstAgo: 2700)
  return p
}

@Test func oneIncidentIsOneFinding() throws {
  let findings = Diagnoser().diagnose(livenessIncident().state)
  #expect(findings.map(\.ruleID) == ["probe.liveness-failing"])
  let f = try #require(findings.first)
  #expect(f.severity == .critical)
  #expect(f.fact("alsoExplains") == "container.exit-code,crashloop.backoff,probe.readiness-failing")
  // The back-off arithmetic is folded in.
  #expect(f.fact("backoffSeconds") == "300")
  #expect(f.fact("nextStartIn") == "34..49")
  #expect(f.fact("restarts") == "9")
  #expect(f.fact("probe") == "liveness")
  #expect(f.explanation.contains("sync retries"))
  #expect(f.evidence.contains { $0.text.contains("Back-off restarting failed container") })
  #expect(f.evidence.contains { $0.text.contains("Readiness probe failed") })
}

@Test func aCrashLoopWithoutProbeKillsKeepsItsOwnFinding() {
  var p = ExamplePod("api-0")
  p.container(
    "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
    lastState: .terminated(Termination(reason: "Error", exitCode: 1)), restarts: 3)
  let findings = Diagnoser().diagnose(p.state)
  #expect(findings.map(\.ruleID) == ["crashloop.backoff"])
  #expect(findings.first?.fact("alsoExplains") == "container.exit-code")
}

@Test func oomOwnsTheCrashLoop() {
  var p = ExamplePod("api-0")
  p.container(
    "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
    lastState: .terminated(Termination(reason: "OOMKilled", exitCode: 137)), restarts: 7, limits: ["memory": "256Mi"])
  let findings = Diagnoser().diagnose(p.state)
  #expect(findings.map(\.ruleID) == ["container.oom-killed"])
  #expect(findings.first?.fact("backoffSeconds") == "300")
}

@Test func healthyPodsHaveNoWarnings() {
  var p = ExamplePod("web-0")
  p.container("web", probes: [.liveness: .http(8080, "/healthz"), .readiness: .http(8080, "/ready")])
  p.event(.normal, "Scheduled", "Successfully assigned default/web-0 to node-1", from: "default-scheduler")
  p.event(.normal, "Started", "Started container web")
  #expect(Diagnoser().diagnose(p.state).allSatisfy { $0.severity == .info })
  #expect(Diagnoser().diagnose(p.state).isEmpty)
}

@Test func findingsSortMostSevereFirstThenSubjectThenRule() {
  let a = Finding(
    ruleID: "b.x", category: .volume, severity: .warning, subject: Subject(pod: "a"), title: "", explanation: "",
    remedy: "")
  let b = Finding(
    ruleID: "a.x", category: .volume, severity: .critical, subject: Subject(pod: "z"), title: "", explanation: "",
    remedy: "")
  let c = Finding(
    ruleID: "a.x", category: .volume, severity: .warning, subject: Subject(pod: "a"), title: "", explanation: "",
    remedy: "")
  #expect(Diagnoser.sorted([a, b, c]).map(\.ruleID) == ["a.x", "a.x", "b.x"])
  #expect(Diagnoser.sorted([a, b, c]).first?.severity == .critical)
}

@Test func absorptionStaysWithinTheSameContainer() {
  var p = ExamplePod("web-0")
  p.container("web", probes: [.liveness: .http(80, "/healthz")])
  p.container(
    "sidecar", state: .waiting(reason: "CrashLoopBackOff", message: nil),
    lastState: .terminated(Termination(reason: "Error", exitCode: 1)), restarts: 4)
  p.event(.warning, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", container: "web")
  let ids = Diagnoser().diagnose(p.state).map(\.ruleID)
  #expect(ids.contains("crashloop.backoff"))
  #expect(ids.contains("probe.liveness-failing"))
}

@Test func theReferenceIncidentInDescribeTextIsOneCriticalFinding() throws {
  // docs/kubernetes.md §6.2, §7.1: liveness timeouts → Killing x9 → exit 137 → 9 restarts → back-off 5m.
  let example = try #require(LivenessProbeFailingRule.examples.first)
  guard case .text(let text, let now) = example.input else {
    Issue.record("the first liveness example is not text")
    return
  }
  let run = ExampleRun(text, now: try #require(ISO8601DateFormatter().date(from: now)))
  #expect(run.findings.count == 1)
  #expect(run.findings.map(\.ruleID) == ["probe.liveness-failing"])
  #expect(run.findings.first?.severity == .critical)
  #expect(run.findings.first?.fact("alsoExplains") == "container.exit-code,crashloop.backoff")
}

/// The absorb table is built once from `rules` and rebuilt when they change: without the rule that
/// absorbs the exit code, the exit-code finding stands on its own.
@Test func foldFollowsTheRulesAfterTheyChange() {
  var p = ExamplePod("api-0")
  p.container(
    "api", state: .waiting(reason: "CrashLoopBackOff", message: nil),
    lastState: .terminated(Termination(reason: "Error", exitCode: 1)), restarts: 3)
  var diagnoser = Diagnoser()
  #expect(diagnoser.diagnose(p.state).map(\.ruleID) == ["crashloop.backoff"])
  diagnoser.rules.removeAll { $0.description.absorbs.contains("container.exit-code") }
  #expect(diagnoser.diagnose(p.state).map(\.ruleID).sorted() == ["container.exit-code"])
}

/// A 1.0 reason in lower camel case is its later spelling. The ASCII test of the first letter
/// answers as the Unicode property did, for every ASCII first character and for other letters.
@Test func lowerCamelReasonsMatchTheirLaterSpelling() {
  func before(_ recorded: String, _ reason: String) -> Bool {
    if recorded == reason { return true }
    guard let first = recorded.unicodeScalars.first, first.properties.isLowercase, recorded.count == reason.count
    else { return false }
    return recorded.prefix(1).uppercased() + recorded.dropFirst() == reason
  }
  #expect(PodHistory.same("backOff", "BackOff"))
  #expect(!PodHistory.same("backoff", "BackOff"))
  var recorded = (0...127).compactMap(Unicode.Scalar.init).map { String($0) + "ackOff" }
  recorded += ["éclat", "ßtate", "ǆx", "ackOff", ""]
  for r in recorded {
    for reason in ["BackOff", "Éclat", "SState", "ǅx", r, r.uppercased(), r.prefix(1).uppercased() + r.dropFirst()] {
      #expect(PodHistory.same(r, reason) == before(r, reason), "\(r) \(reason)")
    }
  }
}
