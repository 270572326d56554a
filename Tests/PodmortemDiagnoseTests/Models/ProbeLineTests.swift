import PodmortemModel
import Testing

@testable import PodmortemDiagnose

@Test func httpProbeLine() throws {
  let (kind, spec) = try #require(
    ProbeLine.parse(
      "Liveness:       http-get http://:8080/healthz delay=5s timeout=2s period=15s #success=1 #failure=4"))
  #expect(kind == .liveness)
  #expect(spec.handler == .httpGet(scheme: "http", host: "", port: "8080", path: "/healthz"))
  #expect(spec.initialDelaySeconds == 5)
  #expect(spec.timeoutSeconds == 2)
  #expect(spec.periodSeconds == 15)
  #expect(spec.failureThreshold == 4)
}

@Test func newThresholdForm() throws {
  let (_, spec) = try #require(
    ProbeLine.parse("tcp-socket :5432 delay=0s timeout=1s period=10s successThreshold=2 failureThreshold=6"))
  #expect(spec.handler == .tcpSocket(host: "", port: "5432"))
  #expect(spec.successThreshold == 2)
  #expect(spec.failureThreshold == 6)
}

@Test func execAndGrpcLines() throws {
  let (_, exec) = try #require(
    ProbeLine.parse("exec [cat /tmp/healthy] delay=0s timeout=1s period=10s #success=1 #failure=3"))
  #expect(exec.handler == .exec(command: ["cat", "/tmp/healthy"]))
  let (kind, grpc) = try #require(
    ProbeLine.parse("Startup: grpc <pod>:9090  delay=0s timeout=1s period=10s #success=1 #failure=30"))
  #expect(kind == .startup)
  #expect(grpc.handler == .grpc(port: "9090", service: ""))
  #expect(grpc.failureThreshold == 30)
}

@Test func notAProbeLine() {
  #expect(ProbeLine.parse("Restart Count:  9") == nil)
}
