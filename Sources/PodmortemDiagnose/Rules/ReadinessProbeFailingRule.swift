import PodmortemCorrelate
import PodmortemModel

/// A readiness probe failing: the pod leaves Service endpoints, nothing restarts (REFERENCE.md §6.2).
///
/// Readiness starts as Failure and only gates traffic; the kubelet never kills a container for it,
/// so restarts always have another cause.
package struct ReadinessProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.readiness-failing", category: .probeFailure, title: "readiness probe failing",
    rationale: "a failing readiness probe removes the pod from Service endpoints but never restarts the "
      + "container (§6.2); failures while the container is starting are normal")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      guard let f = ProbeFailures(.readiness, container: container, in: pod) else { return nil }
      let ready = container.ready == true
      let restarts = container.restartCount ?? 0
      let facts = f.facts + [KeyValue("ready", ready ? "true" : "false"), .int("restarts", restarts)]
      return Self.description.finding(
        ready ? .info : .warning, pod.subject(container.name), title: Self.title(f, ready: ready),
        explanation: Self.explanation(f, ready: ready, restarts: restarts),
        remedy: [f.modeRemedy, "'kubectl get endpointslices' shows whether the pod receives traffic"].compactMap { $0 }
          .joined(separator: "; "), facts: facts, evidence: f.evidence)
    }
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "503 keeps the container out of endpoints",
      .pod("web-1") { p in
        p.container("web", ready: false, probes: [.readiness: .http(8080, "/ready")])
        p.event(
          .warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 20,
          lastAgo: 10, firstAgo: 600)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .warning, container: "web",
          facts: [
            KeyValue("probe", "readiness"), KeyValue("mode", "http-status"), .int("statusCode", 503),
            .int("failures", 20), KeyValue("ready", "false"),
          ], evidenceLines: ["Readiness probe failed", "Readiness:"])
      ]),
    RuleExample(
      "refused during start-up, ready now",
      .pod("web-2") { p in
        p.container("web", ready: true, probes: [.readiness: .http(8080, "/ready")])
        p.event(
          .warning, "Unhealthy",
          "Readiness probe failed: Get \"http://10.1.2.3:8080/ready\": dial tcp 10.1.2.3:8080: connect: connection refused",
          count: 2, lastAgo: 3500, firstAgo: 3510)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .info,
          facts: [KeyValue("mode", "refused"), KeyValue("ready", "true")])
      ]),
    RuleExample(
      "liveness failures are not readiness failures",
      .pod("web-3") { p in
        p.container("web", probes: [.liveness: .http(8080, "/healthz")])
        p.event(.warning, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500")
      }),
  ]
}

fileprivate extension ReadinessProbeFailingRule {
  static func title(_ f: ProbeFailures, ready: Bool) -> String {
    ready
      ? "readiness probe failed earlier (\(f.mode.rawValue)); container '\(f.container.name)' is ready now"
      : "readiness probe failing (\(f.mode.rawValue)): container '\(f.container.name)' receives no traffic"
  }

  static func explanation(_ f: ProbeFailures, ready: Bool, restarts: Int) -> String {
    var text =
      "\(f.specText.prefix(1).uppercased())\(f.specText.dropFirst()) failed \(f.failures) times: \(f.modeText)."
    text +=
      ready
      ? " The container is ready now, so the pod is back in its Services' endpoints."
      : " While it fails the pod is removed from its Services' endpoints."
    text += " Readiness never restarts a container"
    text += restarts > 0 ? "; the \(restarts) restarts have another cause." : "."
    return text
  }
}
