import PodmortemModel
import Testing

@testable import PodmortemText

@Test func probeHandlersInEveryForm() throws {
  let http = try #require(
    ProbeLine.parse("http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"))
  #expect(http.handler == .httpGet(scheme: "http", host: "", port: "8080", path: "/healthz"))
  #expect(
    ProbeLine.parse("http-get https://10.0.0.1:http/ delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .httpGet(scheme: "https", host: "10.0.0.1", port: "http", path: "/"))
  #expect(
    ProbeLine.parse("http-get http://:8080 delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .httpGet(scheme: "http", host: "", port: "8080", path: ""))
  #expect(
    ProbeLine.parse("tcp-socket :5432 delay=15s timeout=1s period=20s #success=1 #failure=3")?.handler
      == .tcpSocket(host: "", port: "5432"))
  let exec = try #require(
    ProbeLine.parse("exec [sh -c pg_isready -U postgres] delay=0s timeout=5s period=10s #success=1 #failure=6"))
  #expect(exec.handler == .exec(command: ["sh", "-c", "pg_isready", "-U", "postgres"]))
  #expect(exec.timeoutSeconds == 5 && exec.failureThreshold == 6)
  #expect(
    ProbeLine.parse("grpc <pod>:9090 svc delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .grpc(port: "9090", service: "svc"))
  #expect(
    ProbeLine.parse("grpc <pod>:9090  delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .grpc(port: "9090", service: ""))
  #expect(ProbeLine.parse("unknown delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler == .unknown)
}

@Test func probeThresholdSpellings() throws {
  // ≤1.36 `#success=/#failure=`, ≥1.37 `successThreshold=/failureThreshold=` (§1.4).
  let old = try #require(ProbeLine.parse("tcp-socket :80 delay=3s timeout=2s period=7s #success=1 #failure=9"))
  let new = try #require(
    ProbeLine.parse("tcp-socket :80 delay=3s timeout=2s period=7s successThreshold=1 failureThreshold=9"))
  #expect(old == new)
  #expect(
    old.initialDelaySeconds == 3 && old.timeoutSeconds == 2 && old.periodSeconds == 7 && old.failureThreshold == 9)
}

@Test func malformedProbesAreRejected() {
  #expect(ProbeLine.parse("http-get http://:8080/healthz") == nil)
  #expect(ProbeLine.parse("http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1") == nil)
  #expect(ProbeLine.parse("carrier-pigeon delay=0s timeout=1s period=10s #success=1 #failure=3") == nil)
  #expect(
    ProbeLine.parse("http-get http://:8080/healthz delay=0s timeout=x period=10s #success=1 #failure=3") == nil)
}

// Pasted lines (`explain probe`): a label, unreadable handlers and partial attributes are fine.

@Test func httpProbeLine() throws {
  let (kind, spec) = try #require(
    ProbeLine.parse(
      pasted: "Liveness:       http-get http://:8080/healthz delay=5s timeout=2s period=15s #success=1 #failure=4"))
  #expect(kind == .liveness)
  #expect(spec.handler == .httpGet(scheme: "http", host: "", port: "8080", path: "/healthz"))
  #expect(spec.initialDelaySeconds == 5)
  #expect(spec.timeoutSeconds == 2)
  #expect(spec.periodSeconds == 15)
  #expect(spec.failureThreshold == 4)
}

@Test func newThresholdForm() throws {
  let (_, spec) = try #require(
    ProbeLine.parse(pasted: "tcp-socket :5432 delay=0s timeout=1s period=10s successThreshold=2 failureThreshold=6"))
  #expect(spec.handler == .tcpSocket(host: "", port: "5432"))
  #expect(spec.successThreshold == 2)
  #expect(spec.failureThreshold == 6)
}

@Test func execAndGrpcLines() throws {
  let (_, exec) = try #require(
    ProbeLine.parse(pasted: "exec [cat /tmp/healthy] delay=0s timeout=1s period=10s #success=1 #failure=3"))
  #expect(exec.handler == .exec(command: ["cat", "/tmp/healthy"]))
  let (kind, grpc) = try #require(
    ProbeLine.parse(pasted: "Startup: grpc <pod>:9090  delay=0s timeout=1s period=10s #success=1 #failure=30"))
  #expect(kind == .startup)
  #expect(grpc.handler == .grpc(port: "9090", service: ""))
  #expect(grpc.failureThreshold == 30)
}

@Test func notAProbeLine() {
  #expect(ProbeLine.parse(pasted: "Restart Count:  9") == nil)
}

@Test func pastedLinesTolerateWhatDescribeNeverPrints() throws {
  let (kind, spec) = try #require(ProbeLine.parse(pasted: "carrier-pigeon period=5s #failure=2"))
  #expect(kind == nil)
  #expect(spec.handler == .unknown)
  #expect(spec.periodSeconds == 5 && spec.failureThreshold == 2 && spec.timeoutSeconds == 1)
}

@Test func equalsSignsInTheHandlerStayInTheHandler() throws {
  let grpc = try #require(
    ProbeLine.parse("exec [grpc_health_probe -addr=:8080] delay=0s timeout=1s period=10s #success=1 #failure=3"))
  #expect(grpc.handler == .exec(command: ["grpc_health_probe", "-addr=:8080"]))
  let query = try #require(
    ProbeLine.parse("http-get http://:8080/health?full=1 delay=0s timeout=1s period=10s #success=1 #failure=3"))
  #expect(query.handler == .httpGet(scheme: "http", host: "", port: "8080", path: "/health?full=1"))
}

@Test(arguments: [
  ProbeHandler.httpGet(scheme: "HTTPS", host: "10.0.0.1", port: "http", path: "/ready"),
  .tcpSocket(host: "", port: "5432"), .exec(command: ["cat", "/tmp/healthy"]), .grpc(port: "9090", service: "svc"),
  .grpc(port: "9090", service: ""), .unknown,
])
func describeTextReadsBack(handler: ProbeHandler) throws {
  let line = "\(handler.describeText) delay=1s timeout=2s period=3s #success=1 #failure=4"
  let spec = try #require(ProbeLine.parse(Substring(line)))
  if case .httpGet(let scheme, let host, let port, let path) = handler {
    // describe lower-cases the scheme (§1.4).
    #expect(spec.handler == .httpGet(scheme: scheme.lowercased(), host: host, port: port, path: path))
  } else {
    #expect(spec.handler == handler)
  }
  #expect(spec.initialDelaySeconds == 1 && spec.timeoutSeconds == 2 && spec.periodSeconds == 3)
}
