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

/// One `Unhealthy` event message taken apart: `Liveness probe failed: HTTP probe failed with statuscode: 503`.
package struct ProbeFailureMessage: Hashable, Sendable {
  package var kind: ProbeSpec.Kind
  /// `probe errored` (counts toward nothing) rather than `probe failed`.
  package var errored: Bool
  /// The probe output: the text after `probe failed: `, possibly empty (an exec probe with no output).
  package var output: String
  package var mode: ProbeMode
  /// The HTTP status for `http-status`.
  package var statusCode: Int?

  /// Parses `<Kind> probe failed: <output>` or `<Kind> probe errored[ and resulted in X state]: <error>`.
  package init?(_ text: String) {
    // An operator's copy of the event names the pod first (`Pod web-0: Startup probe failed: …`),
    // as event.probe-failed allows (patterns/event-messages.json).
    var message = Substring(text)
    if message.hasPrefix("Pod "), let colon = message.firstIndex(of: ":"),
      message[message.index(message.startIndex, offsetBy: 4)..<colon].allSatisfy({
        $0.isLetter || $0.isNumber || $0 == "-" || $0 == "."
      })
    {
      message = message[message.index(after: colon)...].drop { $0 == " " }
    }
    let kinds: [(String, ProbeSpec.Kind)] = [("Liveness", .liveness), ("Readiness", .readiness), ("Startup", .startup)]
    guard let (prefix, kind) = kinds.first(where: { message.hasPrefix($0.0 + " probe ") }) else { return nil }
    let rest = message.dropFirst(prefix.count + " probe ".count)
    self.kind = kind
    if rest.hasPrefix("failed:") {
      errored = false
      output = String(rest.dropFirst("failed:".count).drop { $0 == " " })
    } else if rest.hasPrefix("errored"), let colon = rest.firstIndex(of: ":") {
      // ≥1.33: `probe errored and resulted in unknown state: …` (§6.3).
      errored = true
      output = String(rest[rest.index(after: colon)...].drop { $0 == " " })
    } else {
      return nil
    }
    (mode, statusCode) = errored ? (.errored, nil) : ProbeFailureMessage.classify(output: output, handler: nil)
  }

  /// Classifies a probe output; `handler` (when known) decides unrecognised text.
  package static func classify(output: String, handler: ProbeHandler?) -> (ProbeMode, Int?) {
    let marker = "HTTP probe failed with statuscode: "
    if let range = output.range(of: marker) {
      return (.httpStatus, Int(output[range.upperBound...].prefix { $0.isNumber }))
    }
    // Exec timeout: ≥1.31 `command timed out: "…" timed out after 1s`, ≤1.30 `command "…" timed out`.
    if output.hasPrefix("command timed out") || (output.hasPrefix("command \"") && output.hasSuffix("timed out")) {
      return (.execTimeout, nil)
    }
    let grpcMarkers = [
      "failed to connect service", "health rpc", "grpc health protocol", "service unhealthy (responded with",
    ]
    if grpcMarkers.contains(where: output.contains) { return (.grpc, nil) }
    if output.contains("connection refused") { return (.refused, nil) }
    let timeoutMarkers = ["context deadline exceeded", "Client.Timeout", "i/o timeout", "request canceled"]
    if timeoutMarkers.contains(where: output.contains) { return (.timeout, nil) }
    if output.contains("connection reset by peer") || output.hasSuffix("EOF") { return (.reset, nil) }
    if output.contains("dial tcp") { return (.tcp, nil) }
    switch handler {
    case .exec: return (.execFailed, nil)
    case .httpGet, .tcpSocket, .grpc: return (.unknown, nil)
    case .unknown, nil:
      // HTTP, TCP and gRPC outputs are Go error strings matched above; anything else (or
      // nothing at all) is an exec command's own output.
      if output.hasPrefix("Get ") || output.hasPrefix("Get\"") { return (.unknown, nil) }
      return (.execFailed, nil)
    }
  }
}
