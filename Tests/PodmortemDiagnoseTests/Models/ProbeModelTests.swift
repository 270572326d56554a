import PodmortemModel
import PodmortemText
import Testing

@testable import PodmortemDiagnose

@Test func defaultProbeTiming() {
  let model = ProbeModel(ProbeSpec(handler: .httpGet(scheme: "HTTP", host: "", port: "8080", path: "/healthz")))
  // period 10, failureThreshold 3, timeout 1 (§6.1).
  #expect(model.detection == 20...31)
  #expect(model.restartLatency == 20...40)
  #expect(model.startupBudget == 30)
}

@Test func initialDelayShiftsRestartLatency() {
  let spec = ProbeSpec(
    handler: .tcpSocket(host: "", port: "5432"), initialDelaySeconds: 15, periodSeconds: 5, failureThreshold: 6)
  #expect(ProbeModel(spec).restartLatency == 40...50)
  #expect(ProbeModel(spec).startupBudget == 45)
}

@Test func suggestedStartupThresholdCoversTheStartWithHeadroom() {
  let model = ProbeModel(ProbeSpec(handler: .unknown, periodSeconds: 10))
  #expect(model.suggestedStartupFailureThreshold(coveringStartOf: 90) == 14)
  #expect(model.suggestedStartupFailureThreshold(coveringStartOf: 5) == 3)
}

@Test(arguments: [
  ("Liveness probe failed: HTTP probe failed with statuscode: 503", ProbeMode.httpStatus),
  (
    "Readiness probe failed: Get \"http://10.1.2.3:8080/healthz\": dial tcp 10.1.2.3:8080: connect: connection refused",
    .refused
  ),
  (
    "Liveness probe failed: Get \"http://10.244.1.7:80/healthz\": context deadline exceeded (Client.Timeout exceeded "
      + "while awaiting headers)", .timeout
  ),
  (
    "Liveness probe failed: Get http://10.1.2.3/: net/http: request canceled (Client.Timeout exceeded while awaiting headers)",
    .timeout
  ),
  ("Liveness probe failed: dial tcp 10.1.2.3:5432: i/o timeout", .timeout),
  ("Liveness probe failed: read tcp 10.1.2.3:4242->10.1.2.4:8080: read: connection reset by peer", .reset),
  ("Liveness probe failed: Get \"http://10.1.2.3:8080/\": EOF", .reset),
  ("Liveness probe failed: ", .execFailed),
  ("Liveness probe failed: cat: /tmp/healthy: No such file or directory", .execFailed),
  ("Liveness probe failed: command \"cat /tmp/healthy\" timed out", .execTimeout),
  ("Liveness probe failed: command timed out: \"cat /tmp/healthy\" timed out after 1s", .execTimeout),
  ("Liveness probe failed: dial tcp 10.1.2.3:5432: connect: no route to host", .tcp),
  ("Liveness probe failed: service unhealthy (responded with \"NOT_SERVING\")", .grpc),
  ("Liveness probe failed: timeout: failed to connect service \":9090\" within 1s: context deadline exceeded", .grpc),
  ("Readiness probe errored: rpc error: code = NotFound desc = failed to exec in container", .errored),
  ("Readiness probe errored and resulted in unknown state: rpc error: code = Unknown", .errored),
])
func probeModes(message: String, mode: ProbeMode) {
  #expect(recognised(message)?.mode == mode)
}

/// The message as Ingest recognises it (the shipped patterns), then taken apart.
private func recognised(_ message: String) -> ProbeFailureMessage? {
  let hit = PatternCatalog.shipped(diagnostics: { _ in }).firstMatch(message, kind: .event)
  return ProbeFailureMessage(patternID: hit?.patternID, captures: hit?.captures ?? [])
}

@Test func probeMessageParts() throws {
  let parsed = try #require(recognised("Startup probe failed: HTTP probe failed with statuscode: 500"))
  #expect(parsed.kind == .startup)
  #expect(parsed.statusCode == 500)
  #expect(!parsed.errored)
  let empty = try #require(recognised("Liveness probe failed: "))
  #expect(empty.output.isEmpty)
  let named = try #require(
    recognised("Pod web-0: Readiness probe failed: dial tcp 10.0.0.5:80: connect: connection refused"))
  #expect(named.kind == .readiness && named.mode == .refused)
  #expect(recognised("Back-off restarting failed container") == nil)
  #expect(recognised("Liveness probe warning: Probe terminated redirects") == nil)
}

@Test func handlerDecidesUnrecognisedOutput() {
  let http = ProbeHandler.httpGet(scheme: "HTTP", host: "", port: "1", path: "/")
  #expect(ProbeFailureMessage.mode(detail: nil, statusCode: nil, handler: http).0 == .unknown)
  #expect(ProbeFailureMessage.mode(detail: nil, statusCode: nil, handler: .exec(command: ["x"])).0 == .execFailed)
  #expect(ProbeFailureMessage.mode(detail: "unknown", statusCode: nil, handler: .exec(command: ["x"])).0 == .execFailed)
  #expect(ProbeFailureMessage.mode(detail: "unknown", statusCode: nil, handler: nil).0 == .unknown)
  #expect(
    ProbeFailureMessage.mode(detail: "http-status", statusCode: "99999999999", handler: http) == (.httpStatus, nil))
}
