import Foundation
import PodmortemCorrelate
import PodmortemModel

/// Builders for the records parsers emit, so tests read like the kubectl text they stand for.
enum Fixture {
  /// 2026-11-27T00:00:00Z.
  static let epoch = Date(timeIntervalSince1970: 1_795_737_600)

  static func at(_ seconds: Double) -> Date { epoch.addingTimeInterval(seconds) }

  static func exact(_ seconds: Double) -> TimeRange { TimeRange(exactly: at(seconds)) }

  static func capture(_ seconds: Double) -> CaptureTime { CaptureTime(date: at(seconds), origin: .input) }

  /// The range a describe age allows for an instant `t` seen at capture `c` (HumanDuration bands,
  /// docs/kubernetes.md §2): one second under 10 minutes, one minute under 3 hours.
  static func aged(_ t: Double, capturedAt c: Double) -> TimeRange {
    let age = (c - t).rounded(.down)
    let unit: Double = age < 600 ? 1 : 60
    let shown = (age / unit).rounded(.down) * unit
    return TimeRange(earliest: at(c - shown - unit + 0.001), latest: at(c - shown))
  }

  static func evidence(_ source: String, _ line: Int, _ text: String = "") -> [Evidence] {
    [Evidence(ref: SourceRef(source: source, line: line), text: text)]
  }

  /// An event as the describe parser emits it: no uid, no kind, no name, ages as ranges.
  static func describeEvent(
    pod: String = "web-0", namespace: String? = "prod", type: String = "Warning", reason: String = "Unhealthy",
    message: String = "Readiness probe failed: HTTP probe failed with statuscode: 503",
    fieldPath: String? = nil, count: Int?, first: Double, last: Double, capture: Double,
    source: String = "describe.txt", line: Int = 1
  ) -> Event {
    Event(
      involved: ObjectRef(namespace: namespace, name: pod, fieldPath: fieldPath), type: EventType(type),
      reason: reason, message: message, sourceComponent: "kubelet", count: count,
      firstSeen: aged(first, capturedAt: capture), lastSeen: aged(last, capturedAt: capture),
      evidence: evidence(source, line, "  \(type)  \(reason)  ...  \(message)"))
  }

  /// An event as the JSON parser emits it: everything known, times to the second.
  static func jsonEvent(
    pod: String = "web-0", namespace: String = "prod", uid: String? = "uid-web-0", type: String = "Warning",
    reason: String = "Unhealthy", message: String = "Readiness probe failed: HTTP probe failed with statuscode: 503",
    fieldPath: String? = "spec.containers{web}", host: String = "node-1", name: String, count: Int,
    first: Double, last: Double, isSeries: Bool = false, watchType: String? = nil, source: String = "events.json",
    line: Int = 1
  ) -> Event {
    Event(
      involved: ObjectRef(kind: "Pod", namespace: namespace, name: pod, uid: uid, fieldPath: fieldPath),
      type: EventType(type), reason: reason, message: message, sourceComponent: "kubelet", sourceHost: host,
      eventName: name, count: count, firstSeen: exact(first), lastSeen: exact(last), isSeries: isSeries,
      watchType: watchType, evidence: evidence(source, line, "\"name\": \"\(name)\""))
  }

  static func pod(
    _ name: String = "web-0", namespace: String? = "prod", uid: String? = nil, capture: Double,
    source: String = "describe.txt", line: Int = 1
  ) -> PodSnapshot {
    var p = PodSnapshot(name: name, namespace: namespace)
    p.uid = uid
    p.capturedAt = Fixture.capture(capture)
    p.evidence = evidence(source, line, "Name: \(name)")
    return p
  }

  static func correlate(_ records: [Record]) -> Summary {
    var c = Correlator()
    for r in records { c.add(r) }
    return Summary(c.finish())
  }
}

/// The comparable part of a correlated state (`CorrelatedState` itself is not Equatable).
struct Summary: Equatable {
  var state: CorrelatedState

  init(_ s: CorrelatedState) { state = s }

  var events: [MergedEvent] { state.events }
  var pods: [PodHistory] { state.pods }
  var caveats: [String] { state.caveats }

  static func == (a: Summary, b: Summary) -> Bool {
    a.state.pods == b.state.pods && a.state.events == b.state.events && a.state.caveats == b.state.caveats
      && a.state.now == b.state.now && a.state.nodes == b.state.nodes && a.state.workloads == b.state.workloads
      && a.state.nodeLogs == b.state.nodeLogs
  }
}
