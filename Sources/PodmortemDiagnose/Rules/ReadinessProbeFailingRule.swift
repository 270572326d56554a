import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A readiness probe failing: the pod leaves Service endpoints, nothing restarts (docs/kubernetes.md §6.2).
///
/// Readiness starts as Failure and only gates traffic; the kubelet never kills a container for it,
/// so restarts always have another cause.
///
/// Examples, in `Examples/ReadinessProbeFailingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: 503 from /ready: out of the endpoints, never restarted
/// - near miss: a redirect to another host is a ProbeWarning, not a failure
/// - fires: `journalctl -u kubelet` probe lines alone
/// - fires: 503 keeps the container out of endpoints
/// - fires: refused during start-up, ready now
/// - fires: ready now, failed only in its first 31 s: info
/// - fires: started 20 s ago, not ready yet, still inside its 41 s start-up window: info
/// - fires: failed only while starting an hour ago, yet still not ready: warning
/// - near miss: liveness failures are not readiness failures
/// - near miss: an Events table alone with a readiness ProbeWarning (a redirect): a warning, not a failure
/// - fires: a get events row alone: refused once, fewer than failureThreshold: info
package struct ReadinessProbeFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "probe.readiness-failing", category: .probeFailure, title: "readiness probe failing",
    rationale: "a failing readiness probe removes the pod from Service endpoints but never restarts the "
      + "container (§6.2); failures while the container is starting are normal")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, probes: PodProbes(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, probes: PodProbes, in state: CorrelatedState) -> [Finding] {
    // No readiness probe event or line: `ProbeFailures` is nil for every container, so none is
    // copied to ask it (docs/architecture.md "Diagnosis: read a pod once").
    guard probes.mayHaveFailed(.readiness) else { return [] }
    // The containers read where they are, by index: `compactMap` handed each one out as a copy
    // only to be asked about (docs/architecture.md "Speed of the probe rules"). A container with
    // a failure is `f.container`, the copy `ProbeFailures` keeps of it.
    let containers = pod.containers([.container, .initContainer])
    var found: [Finding] = []
    for i in containers.indices {
      guard let f = ProbeFailures.read(.readiness, container: containers[i], in: pod, probes: probes) else { continue }
      found.append(finding(f, pod: pod, in: state))
    }
    return found
  }

  private func finding(_ f: ProbeFailures, pod: PodHistory, in state: CorrelatedState) -> Finding {
    let ready = f.container.ready == true
    let restarts = f.container.restartCount ?? 0
    // Failures only while the container was starting are how readiness works (§6.2): worth
    // knowing, not a degradation — whether it is ready now, or not yet and still in that window.
    let window = Self.startupWindow(f, restarts: restarts)
    let starting = !ready && window.map { end in pod.now(in: state).map { $0 <= end } ?? false } == true
    // Fewer failures than failureThreshold and no readiness shown (an Events table alone): the
    // kubelet flips a ready container to unready only after that many in a row (§6.2), so these
    // alone took no traffic away.
    let threshold = f.spec?.failureThreshold ?? Self.defaultFailureThreshold
    let below = f.container.ready == nil && f.kills.isEmpty && f.failures > 0 && f.failures < threshold
    // Appended to the facts' own list, made with room for exactly these (`facts(reserving:)`), in
    // the order they were first appended in; not joined into a new one with a list of two.
    var facts = f.facts(reserving: 2 + (window != nil ? 1 : 0) + (below ? 1 : 0))
    facts.append(KeyValue("ready", ready ? "true" : "false"))
    facts.append(.int("restarts", restarts))
    if window != nil { facts.append(KeyValue("startupOnly", "true")) }
    if below { facts.append(KeyValue("belowThreshold", "true")) }
    return Self.description.finding(
      ready || starting || below ? .info : .warning, pod.subject(f.container.name),
      title: below ? Self.belowTitle(f, threshold: threshold) : Self.title(f, ready: ready),
      explanation: Self.explanation(f, ready: ready, restarts: restarts, belowThreshold: below ? threshold : nil),
      remedy: Self.remedy(f), facts: facts, decisive: f.decisive, evidence: f.evidence)
  }
}

extension ReadinessProbeFailingRule {
  /// failureThreshold when the spec is not shown: the API's default (docs/kubernetes.md §6.1).
  static let defaultFailureThreshold = 3

  /// The end of the container's start-up window when every counted failure falls inside it, else
  /// nil. The window is initialDelaySeconds + failureThreshold × periodSeconds (+ timeoutSeconds for
  /// the last attempt) after the container started: a probe that starts failing then is the app
  /// still starting (§6.2). Only for a container that never restarted, whose failures all come from
  /// events with a known last time (a kubelet log line alone is not placed), and whose probe is known.
  static func startupWindow(_ f: ProbeFailures, restarts: Int) -> Date? {
    guard restarts == 0, let spec = f.spec, case .running(let started?) = f.container.state, !f.events.isEmpty
    else { return nil }
    let counted = f.events.reduce(0) { $0 + $1.count }
    guard f.failures + f.errored == counted else { return nil }
    // Spec values are range-checked int32s at ingest (docs/architecture.md "What must hold"); Double
    // arithmetic cannot overflow, and a negative or absurd window is no window.
    let seconds =
      Double(spec.initialDelaySeconds) + Double(spec.failureThreshold) * Double(spec.periodSeconds)
      + Double(spec.timeoutSeconds)
    guard seconds > 0, seconds <= Plausible.maxDurationSeconds else { return nil }
    let end = started.latest.addingTimeInterval(seconds)
    for e in f.events {
      guard let last = e.lastSeen ?? e.firstSeen, last.latest <= end else { return nil }
    }
    return end
  }
}

/// The finding's texts, each gathered as its pieces and written once into a string of exactly
/// their length (`TextPieces`). Built as interpolations joined by `+` and `+=`, every piece was a
/// string of its own, copied and grown again on each join (the explanation 19,000 instructions a
/// finding on the kubelet log, callgrind); appended to one reserved string and then copied to its
/// own length (`compacted`), still about 350 instructions a piece and 12,000 an explanation. The
/// same pieces in the same order; `ProbeFindingTextTests` keeps the interpolated texts as the
/// reference (docs/architecture.md "Diagnosis: read a pod once").
extension ReadinessProbeFailingRule {
  static func title(_ f: ProbeFailures, ready: Bool) -> String {
    return TextPieces.written { text in
      text.add(ready ? "readiness probe failed earlier (" : "readiness probe failing (")
      text.add(f.mode.rawValue)
      text.add(ready ? "); container '" : "): container '")
      text.add(f.container.name)
      text.add(ready ? "' is ready now" : "' receives no traffic")
    }
  }

  static func belowTitle(_ f: ProbeFailures, threshold: Int) -> String {
    return TextPieces.written { text in
      if f.failures == 0 && f.errored > 0 {
        text.add("readiness probe errored ")
        text.addTimes(f.errored)
      } else {
        text.add("readiness probe failed ")
        text.addTimes(f.failures)
      }
      text.add(" (")
      text.add(f.mode.rawValue)
      text.add("), fewer than the ")
      text.add(String(threshold))
      text.add(" in a row that make container '")
      text.add(f.container.name)
      text.add("' unready")
    }
  }

  static func explanation(_ f: ProbeFailures, ready: Bool, restarts: Int, belowThreshold: Int? = nil) -> String {
    return TextPieces.written { text in
      f.addOpening(to: &text)
      if let threshold = belowThreshold {
        text.add(" The kubelet marks a ready container unready only after ")
        text.add(String(threshold))
        text.add(" failures in a row")
        if !f.hasSpec { text.add(" (failureThreshold's default)") }
        text.add(", so these alone took no traffic away; a container still starting is unready until its first ")
        text.add("success anyway. The input does not show whether it is ready now.")
      } else if ready {
        text.add(" The container is ready now, so the pod is back in its Services' endpoints.")
      } else {
        text.add(" While it fails the pod is removed from its Services' endpoints.")
      }
      text.add(" Readiness never restarts a container")
      if restarts > 0 {
        text.add("; the ")
        text.add(String(restarts))
        text.add(" restarts have another cause.")
      } else {
        text.add(".")
      }
      f.addUnknowns(to: &text)
    }
  }

  /// The mode's advice, if any, and where to see the traffic, joined by `; ` as
  /// `[String].joined(separator:)` joined them (the reference in `ProbeFindingTextTests`).
  static func remedy(_ f: ProbeFailures) -> String {
    guard f.hasModeRemedy else { return Self.endpointsRemedy }
    return TextPieces.written { text in
      _ = f.addModeRemedy(to: &text)
      text.add("; ")
      text.add(Self.endpointsRemedy)
    }
  }

  static let endpointsRemedy = "'kubectl get endpointslices' shows whether the pod receives traffic"
}
