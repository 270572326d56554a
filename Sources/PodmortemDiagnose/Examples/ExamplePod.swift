import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// Builds the pods rule examples run on, writing the describe-like line each fact would come
/// from, so examples can assert the evidence a finding cites.
///
/// Times are seconds before `ExamplePod.now` (2026-11-27T01:00:00Z), the capture time.
package struct ExamplePod: Sendable {
  package static let now = Date(timeIntervalSince1970: 1_795_741_200)
  package static let source = "example"
  /// The shipped patterns, which recognise the messages of built events.
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  package var snapshot: PodSnapshot
  package var events: [MergedEvent] = []
  package var nodes: [NodeSnapshot] = []
  private var nextLine = 1

  package init(_ name: String, namespace: String = "default", node: String? = "node-1", phase: String = "Running") {
    snapshot = PodSnapshot(name: name, namespace: namespace)
    snapshot.node = node
    snapshot.phase = phase
    snapshot.capturedAt = CaptureTime(date: Self.now, origin: .flag)
    snapshot.evidence = [line("Name:             \(name)"), line("Namespace:        \(namespace)")]
    if let node {
      snapshot.evidence.append(line("Node:             \(node)/10.0.0.5"))
    } else {
      snapshot.evidence.append(line("Node:             <none>"))
    }
    snapshot.evidence.append(line("Status:           \(phase)"))
  }

  /// A moment `seconds` before the capture time.
  package static func ago(_ seconds: Double) -> TimeRange { TimeRange(exactly: now.addingTimeInterval(-seconds)) }

  /// The next evidence line.
  package mutating func line(_ text: String) -> Evidence {
    defer { nextLine += 1 }
    return Evidence(ref: SourceRef(source: Self.source, line: nextLine), text: text)
  }

  /// Adds a pod-level line (`Reason:  Evicted`) to the pod's evidence.
  package mutating func podLine(_ text: String) { snapshot.evidence.append(line(text)) }

  /// Adds a container with the lines describe prints for it.
  package mutating func container(
    _ name: String, role: ContainerSnapshot.Role = .container, state: ContainerState? = .running(startedAt: ago(3600)),
    lastState: ContainerState? = nil, ready: Bool? = nil, restarts: Int = 0, probes: [ProbeSpec.Kind: ProbeSpec] = [:],
    limits: [String: String] = [:], preStop: String? = nil, image: String = "example/app:1.0"
  ) {
    var c = ContainerSnapshot(name: name, role: role)
    c.image = image
    c.state = state
    c.lastState = lastState
    c.ready = ready ?? (state.map { if case .running = $0 { true } else { false } } ?? false)
    c.restartCount = restarts
    c.limits = limits
    c.preStop = preStop
    c.evidence.append(line("  \(name):"))
    c.evidence.append(line("    Image:          \(image)"))
    if let preStop { c.evidence.append(line("    PreStop:        \(preStop)")) }
    if let state { c.evidence += lines(for: state, label: "State") }
    if let lastState { c.evidence += lines(for: lastState, label: "Last State") }
    c.evidence.append(line("    Ready:          \(c.ready == true ? "True" : "False")"))
    c.evidence.append(line("    Restart Count:  \(restarts)"))
    for (resource, value) in limits.sorted(by: { $0.key < $1.key }) {
      c.evidence.append(line("      \(resource):  \(value)"))
    }
    for kind in ProbeSpec.Kind.allCases {
      guard var probe = probes[kind] else { continue }
      let label = kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst() + ":"
      probe.evidence = line(
        "    \(label.padding(toLength: 16, withPad: " ", startingAt: 0))\(probe.handler.describeText) "
          + "delay=\(probe.initialDelaySeconds)s timeout=\(probe.timeoutSeconds)s period=\(probe.periodSeconds)s "
          + "#success=\(probe.successThreshold) #failure=\(probe.failureThreshold)")
      c.probes[kind] = probe
    }
    snapshot.containers.append(c)
  }

  private mutating func lines(for state: ContainerState, label: String) -> [Evidence] {
    let head = "    \(label):".padding(toLength: 20, withPad: " ", startingAt: 0)
    switch state {
    case .running: return [line(head + "Running")]
    case .waiting(let reason, _):
      return [line(head + "Waiting")] + (reason.map { [line("      Reason:       \($0)")] } ?? [])
    case .terminated(let t):
      var out = [line(head + "Terminated")]
      if let reason = t.reason { out.append(line("      Reason:       \(reason)")) }
      if let message = t.message { out.append(line("      Message:      \(message)")) }
      out.append(line("      Exit Code:    \(t.exitCode)"))
      return out
    }
  }

  /// Adds an event as a describe Events row (`Warning  Unhealthy  4m2s (x27 over 52m)  kubelet  …`).
  package mutating func event(
    _ type: EventType = .warning, _ reason: String, _ message: String, count: Int = 1, container: String? = nil,
    lastAgo: Double = 60, firstAgo: Double? = nil, from: String = "kubelet"
  ) {
    let first = firstAgo ?? lastAgo
    let age =
      count > 1 ? "\(Seconds.format(lastAgo)) (x\(count) over \(Seconds.format(first)))" : Seconds.format(lastAgo)
    let row = line("  \(type)  \(reason)  \(age)  \(from)  \(message)")
    let involved = ObjectRef(
      kind: "Pod", namespace: snapshot.namespace, name: snapshot.name,
      fieldPath: container.map { "spec.containers{\($0)}" })
    var event = MergedEvent(
      involved: involved, type: type, reason: reason, message: message, sourceComponent: from, count: count,
      firstSeen: Self.ago(first), lastSeen: Self.ago(lastAgo), evidence: [row])
    // Recognised as Ingest recognises a message (docs/architecture.md "Patterns").
    let hit = Self.patterns.firstMatch(message, kind: .event)
    event.patternID = hit?.patternID
    event.captures = hit?.captures ?? []
    events.append(event)
  }

  /// Adds a node with its Ready condition.
  package mutating func node(_ name: String, ready: String, reason: String? = nil) {
    var node = NodeSnapshot(name: name)
    node.conditions = [PodCondition(type: "Ready", status: ready, reason: reason)]
    node.evidence = [line("  Ready  \(ready)  \(reason ?? "")")]
    nodes.append(node)
  }

  /// The pod's history as the correlator would hand it over.
  package var history: PodHistory {
    var snapshot = snapshot
    Self.patterns.classifyStates(of: &snapshot)
    return PodHistory(
      key: PodKey(namespace: snapshot.namespace ?? "default", name: snapshot.name), snapshots: [snapshot],
      latest: snapshot, events: events)
  }

  /// A correlated state holding just this pod (and its nodes), captured at `now`.
  package var state: CorrelatedState {
    CorrelatedState(
      pods: [history], nodes: Dictionary(nodes.map { ($0.name, $0) }) { a, _ in a }, events: events,
      now: CaptureTime(date: Self.now, origin: .flag))
  }
}

extension RuleExample.Input {
  /// A state with one pod built by `build`.
  package static func pod(
    _ name: String, namespace: String = "default", node: String? = "node-1", phase: String = "Running",
    _ build: (inout ExamplePod) -> Void
  ) -> RuleExample.Input {
    var pod = ExamplePod(name, namespace: namespace, node: node, phase: phase)
    build(&pod)
    return .state(pod.state)
  }

  /// A state with one node and no pods, its condition rows (`type`, `status`) written as
  /// describe's Conditions table writes them, one line each.
  package static func node(_ name: String, conditions: [(type: String, status: String)]) -> RuleExample.Input {
    var node = NodeSnapshot(name: name)
    for (index, c) in conditions.enumerated() {
      let row = Evidence(ref: SourceRef(source: ExamplePod.source, line: index + 1), text: "  \(c.type)  \(c.status)")
      node.conditions.append(PodCondition(type: c.type, status: c.status))
      node.conditionEvidence[c.type] = row
      node.evidence.append(row)
    }
    return .state(CorrelatedState(nodes: [name: node], now: CaptureTime(date: ExamplePod.now, origin: .flag)))
  }
}

extension ProbeSpec {
  /// An HTTP GET probe on `port` and `path` with the given thresholds (defaults per §6.1).
  package static func http(
    _ port: Int, _ path: String, delay: Int = 0, timeout: Int = 1, period: Int = 10, failure: Int = 3
  ) -> ProbeSpec {
    ProbeSpec(
      handler: .httpGet(scheme: "HTTP", host: "", port: String(port), path: path), initialDelaySeconds: delay,
      timeoutSeconds: timeout, periodSeconds: period, failureThreshold: failure)
  }

  /// An exec probe.
  package static func exec(_ command: [String], timeout: Int = 1, period: Int = 10, failure: Int = 3) -> ProbeSpec {
    ProbeSpec(
      handler: .exec(command: command), timeoutSeconds: timeout, periodSeconds: period, failureThreshold: failure)
  }
}
