import Foundation
import PodmortemModel

/// The kubelet prober's timing for one probe (docs/kubernetes.md §6.1, §6.2).
///
/// Probes run every `periodSeconds`; a result is published after `failureThreshold` consecutive
/// failures. Errored attempts do not count. A liveness or startup failure kills the container
/// with the kill grace period (§8.2).
package struct ProbeModel: Hashable, Sendable {
  package var spec: ProbeSpec

  package init(_ spec: ProbeSpec) { self.spec = spec }

  private var period: Double { Double(max(1, spec.periodSeconds)) }
  private var threshold: Double { Double(max(1, spec.failureThreshold)) }

  /// Seconds from the moment the container stops answering until the kubelet publishes Failure:
  /// at best the first failing attempt is due at once, so (failureThreshold − 1) × period; at worst
  /// it waits a whole period and the last attempt runs to its timeout: failureThreshold × period + timeout.
  package var detection: ClosedRange<Double> {
    .ordered((threshold - 1) * period, threshold * period + Double(spec.timeoutSeconds))
  }

  /// Seconds from container start until a liveness probe that never succeeds triggers the kill:
  /// initialDelay + failureThreshold × period, ± one period (§6.2).
  package var restartLatency: ClosedRange<Double> {
    let nominal = Double(spec.initialDelaySeconds) + threshold * period
    return .ordered(max(0, nominal - period), nominal + period)
  }

  /// Seconds a startup probe allows before the kill: initialDelay + failureThreshold × period.
  package var startupBudget: Double { Double(spec.initialDelaySeconds) + threshold * period }

  /// A startupProbe failureThreshold (at this probe's period) whose budget covers a start that
  /// takes `observedStartSeconds`, with 50 % headroom: ceil(1.5 × start / period), at least 3.
  package func suggestedStartupFailureThreshold(coveringStartOf observedStartSeconds: Double) -> Int {
    max(3, Int(saturating: (1.5 * observedStartSeconds / max(1, period)).rounded(.up)))
  }
}

/// How a probe attempt failed, from the text after `probe failed: ` (docs/kubernetes.md §6.4).
package enum ProbeMode: String, Hashable, Sendable, Codable, CaseIterable {
  case httpStatus = "http-status"
  case refused
  case timeout
  case reset
  case execFailed = "exec-failed"
  case execTimeout = "exec-timeout"
  case tcp
  case grpc
  /// `probe errored`: a Go error; it does not count toward failureThreshold (§6.2).
  case errored
  case unknown
}

/// One `Unhealthy` event as Ingest recognised it (event.probe-failed, event.probe-errored) with the
/// detail of its output (patterns/details.json, domain `probe-output`):
/// `Liveness probe failed: HTTP probe failed with statuscode: 503`.
package struct ProbeFailureMessage: Hashable, Sendable {
  package var kind: ProbeSpec.Kind
  /// `probe errored` (counts toward nothing) rather than `probe failed`.
  package var errored: Bool
  /// The probe output: the text after `probe failed: `, possibly empty (an exec probe with no output).
  package var output: String
  package var mode: ProbeMode
  /// The HTTP status for `http-status`.
  package var statusCode: Int?
  /// The mode the output's detail pattern named, before the probe's handler is known.
  package var detailMode: String?

  /// The event patterns of a failed and an errored attempt (patterns/event-messages.json).
  static let failedPattern = "event.probe-failed"
  static let erroredPattern = "event.probe-errored"

  /// Nil unless `patternID` is a failed or errored probe attempt naming its probe.
  package init?(patternID: String?, captures: [KeyValue]) {
    func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }
    guard patternID == Self.failedPattern || patternID == Self.erroredPattern,
      let probe = capture("probe"), let kind = Self.kind(probe)
    else { return nil }
    self.kind = kind
    errored = patternID == Self.erroredPattern
    output = capture("output") ?? capture("error") ?? ""
    detailMode = capture("mode")
    (mode, statusCode) =
      errored ? (.errored, nil) : Self.mode(detail: detailMode, statusCode: capture("statusCode"), handler: nil)
  }

  /// The mode of an output whose detail pattern named `detail` (nil: none matched); the probe's
  /// `handler`, when known, decides what no detail recognised: an exec probe's own output fails it,
  /// while an HTTP, TCP or gRPC probe's output is a Go error the details should have named.
  package static func mode(detail: String?, statusCode: String?, handler: ProbeHandler?) -> (ProbeMode, Int?) {
    let code = statusCode.flatMap(Self.statusCode)
    switch (detail.flatMap(Self.probeMode), handler) {
    case (.httpStatus?, _): return (.httpStatus, code)
    case (.unknown?, .exec?): return (.execFailed, nil)
    case (let known?, _): return (known, nil)
    case (nil, .httpGet?), (nil, .tcpSocket?), (nil, .grpc?): return (.unknown, nil)
    case (nil, _): return (.execFailed, nil)
    }
  }

  /// `ProbeSpec.Kind(rawValue: probe.lowercased())`. The spellings events write (`Liveness`) and
  /// their lower case are told by their length and one comparison, which is equality of their
  /// bytes; any other text is lowered and looked up as before. Lowering every event's probe and
  /// looking it up among the raw values was 440 instructions an `Unhealthy` event (callgrind, the
  /// 8 MiB EventList; docs/architecture.md "Speed of the probe rules"). `ProbeKindFastTests`
  /// holds it to the lookup on hostile texts.
  static func kind(_ probe: String) -> ProbeSpec.Kind? {
    switch probe.utf8.count {
    case 8: if probe == "Liveness" || probe == "liveness" { return .liveness }
    case 9: if probe == "Readiness" || probe == "readiness" { return .readiness }
    case 7: if probe == "Startup" || probe == "startup" { return .startup }
    default: break
    }
    return ProbeSpec.Kind(rawValue: probe.lowercased())
  }

  /// `ProbeMode(rawValue: text)`. A raw value is found by its length and at most four
  /// comparisons, where the synthesised initialiser compared the text with the raw values one
  /// after another (330 instructions a detail, callgrind, the 8 MiB EventList); a text that is
  /// none of them byte for byte is looked up as before. `ProbeKindFastTests` holds it to the
  /// initialiser on hostile texts.
  static func probeMode(_ text: String) -> ProbeMode? {
    switch text.utf8.count {
    case 3: if text == "tcp" { return .tcp }
    case 4: if text == "grpc" { return .grpc }
    case 5: if text == "reset" { return .reset }
    case 7:
      if text == "timeout" { return .timeout }
      if text == "refused" { return .refused }
      if text == "errored" { return .errored }
      if text == "unknown" { return .unknown }
    case 11:
      if text == "http-status" { return .httpStatus }
      if text == "exec-failed" { return .execFailed }
    case 12: if text == "exec-timeout" { return .execTimeout }
    default: break
    }
    return ProbeMode(rawValue: text)
  }

  /// `Plausible.int32(Substring(text))`. One to nine ASCII digits (an HTTP status is three) are
  /// the decimal number they spell, which `Int32`'s parse gives too (no sign, no overflow: at
  /// most 999,999,999); any other text is parsed by `Int32` as before. The parse through
  /// `Substring` was 1,500 instructions a call (callgrind; docs/architecture.md "Diagnosis: read a
  /// pod once"). `ProbeFindingTextTests` holds it to the parse on hostile texts.
  static func statusCode(_ text: String) -> Int? {
    let utf8 = text.utf8
    if (1...9).contains(utf8.count) {
      var value = 0
      var digits = true
      for byte in utf8 {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
          digits = false
          break
        }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      if digits { return value }
    }
    return Plausible.int32(Substring(text))
  }
}
