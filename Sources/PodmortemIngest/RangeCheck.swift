import PodmortemModel
import PodmortemText

/// The last range checks on a parsed record, whatever format it came from: a value that passed
/// its parser's syntax but lies outside what Kubernetes can hold (a probe period of 0, a
/// `back-off 18446744073709551615s`) is reported with the line it came from and dropped, so no
/// later stage does arithmetic on it (docs/architecture.md "What must hold").
enum RangeCheck {
  /// `record` taken, not borrowed: a pod moved out of it is the only copy, and a container is
  /// written only when a check changes it (`isInRange`). Borrowed, the pod was copied out of the
  /// record and its containers array copied on the first write, on every pod (callgrind; docs/
  /// architecture.md "Speed of the describe path"). `RangeCheckTests` keeps the check as it was.
  static func check(_ record: consuming Record, diagnostics: DiagnosticSink) -> Record {
    switch consume record {
    case .pod(var pod):
      let podRef = pod.evidence.first?.ref
      if let restarts = pod.restarts, !(0...Int(Int32.max)).contains(restarts) {
        report(podRef, "restart count '\(restarts)' is not a 32-bit count; dropped", diagnostics)
        // A `get pods` row gives its one container the same count: dropped with it, said once.
        for index in pod.containers.indices where pod.containers[index].restartCount == restarts {
          pod.containers[index].restartCount = nil
        }
        pod.restarts = nil
      }
      for index in pod.containers.indices where !isInRange(pod.containers[index]) {
        check(&pod.containers[index], fallback: podRef, diagnostics: diagnostics)
      }
      return .pod(pod)
    case .event(var event):
      check(&event, diagnostics: diagnostics)
      return .event(event)
    case .log(var log):
      check(&log, diagnostics: diagnostics)
      return .log(log)
    case .node(let node):
      return .node(node)
    case .workload(let workload):
      return .workload(workload)
    }
  }

  /// True when `check(&container, …)` changes nothing and says nothing: the restart count and
  /// every probe's fields in range, and no waiting message with an unusable back-off. Asked
  /// without a write, so that a container nobody changes is not copied.
  private static func isInRange(_ container: ContainerSnapshot) -> Bool {
    if let restarts = container.restartCount, !(0...Int(Int32.max)).contains(restarts) { return false }
    for probe in container.probes.values where !probeIsInRange(probe) { return false }
    if case .waiting(_, let message?) = container.state, let token = backOffToken(message),
      Durations.goDuration(token) == nil
    {
      return false
    }
    return true
  }

  /// No field of `probe` out of the bounds `check` holds it to (the same bounds, without the
  /// array of fields `check` makes to name the first one out of them).
  private static func probeIsInRange(_ probe: ProbeSpec) -> Bool {
    func within(_ value: Int, _ least: Int) -> Bool { value >= least && value <= Int(Int32.max) }
    return within(probe.initialDelaySeconds, 0) && within(probe.timeoutSeconds, 0) && within(probe.periodSeconds, 1)
      && within(probe.successThreshold, 1) && within(probe.failureThreshold, 1)
  }

  /// `check` for an event, changed in place.
  static func check(_ event: inout Event, diagnostics: DiagnosticSink) {
    // `count` is int32 in the API; rules add counts up, so a larger one is dropped here.
    if let count = event.count, !(0...Int(Int32.max)).contains(count) {
      report(event.evidence.first?.ref, "event count '\(count)' is not a 32-bit count; dropped", diagnostics)
      event.count = nil
    }
    // Most events have no back-off capture: their captures stay as they are, not a filtered copy.
    guard event.captures.contains(where: isBackOffKey) else { return }
    event.captures = checkedCaptures(event.captures, ref: event.evidence.first?.ref, diagnostics: diagnostics)
  }

  /// `check` for a log record, changed in place.
  static func check(_ log: inout LogRecord, diagnostics: DiagnosticSink) {
    // Most records have no back-off capture: their captures stay as they are, not a filtered copy.
    // A key's last byte is asked first (`mayBeBackOffKey`): `==` and `hasSuffix` cost about 130
    // instructions a capture, every kubelet line's (docs/architecture.md "Speed of the
    // kubelet-log path").
    guard log.captures.contains(where: { mayBeBackOffKey($0) && isBackOffKey($0) }) else { return }
    log.captures = checkedCaptures(log.captures, ref: log.evidence.ref, diagnostics: diagnostics)
  }

  private static func isBackOffKey(_ capture: KeyValue) -> Bool {
    capture.key == "backoff" || capture.key.hasSuffix(".backoff")
  }

  /// False only when `isBackOffKey(capture)` is: a key equal to `backoff` or ending in the
  /// character `f` ends in the byte `f`, since no scalar but `f` decomposes canonically to a
  /// sequence ending in `f` (https://www.unicode.org/reports/tr15/). `RangeCheckBackOffKeyTests`
  /// holds it to `isBackOffKey`.
  @inline(__always)
  static func mayBeBackOffKey(_ capture: KeyValue) -> Bool {
    capture.key.utf8.last == UInt8(ascii: "f")
  }

  private static func check(_ container: inout ContainerSnapshot, fallback: SourceRef?, diagnostics: DiagnosticSink) {
    let ref = container.evidence.first?.ref ?? fallback
    if let restarts = container.restartCount, !(0...Int(Int32.max)).contains(restarts) {
      report(
        ref, "container '\(container.name)' restart count '\(restarts)' is not a 32-bit count; dropped", diagnostics)
      container.restartCount = nil
    }
    for (kind, probe) in container.probes {
      let fields = [
        ("initialDelaySeconds", probe.initialDelaySeconds, 0), ("timeoutSeconds", probe.timeoutSeconds, 0),
        ("periodSeconds", probe.periodSeconds, 1), ("successThreshold", probe.successThreshold, 1),
        ("failureThreshold", probe.failureThreshold, 1),
      ]
      // Bounds from https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#configure-probes
      if let bad = fields.first(where: { $0.1 < $0.2 || $0.1 > Int(Int32.max) }) {
        report(
          probe.evidence?.ref ?? ref,
          "\(kind.rawValue) probe \(bad.0) '\(bad.1)' is out of range; the probe is dropped",
          diagnostics)
        container.probes[kind] = nil
      }
    }
    if case .waiting(let reason, let message?) = container.state, let token = backOffToken(message),
      Durations.goDuration(token) == nil
    {
      // The line that shows the message, when the container's evidence has it.
      let line = container.evidence.first { $0.text.contains("back-off " + token) }?.ref ?? ref
      report(line, "back-off '\(token.prefix(40))' is not a duration podmortem can use; ignored", diagnostics)
      container.state = .waiting(reason: reason, message: nil)
    }
  }

  /// Captures with an unusable `backoff` value removed, each with a diagnostic.
  private static func checkedCaptures(_ captures: [KeyValue], ref: SourceRef?, diagnostics: DiagnosticSink)
    -> [KeyValue]
  {
    captures.filter { capture in
      guard isBackOffKey(capture),
        Durations.goDuration(capture.value) == nil
      else { return true }
      report(ref, "back-off '\(capture.value.prefix(40))' is not a duration podmortem can use; ignored", diagnostics)
      return false
    }
  }

  /// The duration after `back-off ` in a CrashLoopBackOff message, when it starts with a digit.
  private static func backOffToken(_ message: String) -> Substring? {
    guard let range = message.range(of: "back-off ") else { return nil }
    let token = message[range.upperBound...].prefix { !$0.isWhitespace }
    return token.first?.isNumber == true ? token : nil
  }

  private static func report(_ ref: SourceRef?, _ message: String, _ diagnostics: DiagnosticSink) {
    diagnostics(Diagnostic(.warning, ref ?? SourceRef(source: "", line: 0), message))
  }
}
