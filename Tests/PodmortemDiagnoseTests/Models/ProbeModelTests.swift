import PodmortemModel
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
  #expect(ProbeFailureMessage(message)?.mode == mode)
}

@Test func probeMessageParts() throws {
  let parsed = try #require(ProbeFailureMessage("Startup probe failed: HTTP probe failed with statuscode: 500"))
  #expect(parsed.kind == .startup)
  #expect(parsed.statusCode == 500)
  #expect(!parsed.errored)
  let empty = try #require(ProbeFailureMessage("Liveness probe failed: "))
  #expect(empty.output.isEmpty)
  #expect(ProbeFailureMessage("Back-off restarting failed container") == nil)
  #expect(ProbeFailureMessage("Liveness probe warning: Probe terminated redirects") == nil)
}

@Test func handlerDecidesUnrecognisedOutput() {
  #expect(
    ProbeFailureMessage.classify(output: "weird", handler: .httpGet(scheme: "HTTP", host: "", port: "1", path: "/")).0
      == .unknown)
  #expect(ProbeFailureMessage.classify(output: "weird", handler: .exec(command: ["x"])).0 == .execFailed)
}
