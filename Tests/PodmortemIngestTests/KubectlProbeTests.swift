import PodmortemModel
import Testing

@testable import PodmortemIngest

@Test func probeHandlersInEveryForm() throws {
  let http = try #require(
    KubectlProbe.parse("http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"))
  #expect(http.handler == .httpGet(scheme: "http", host: "", port: "8080", path: "/healthz"))
  #expect(
    KubectlProbe.parse("http-get https://10.0.0.1:http/ delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .httpGet(scheme: "https", host: "10.0.0.1", port: "http", path: "/"))
  #expect(
    KubectlProbe.parse("http-get http://:8080 delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .httpGet(scheme: "http", host: "", port: "8080", path: ""))
  #expect(
    KubectlProbe.parse("tcp-socket :5432 delay=15s timeout=1s period=20s #success=1 #failure=3")?.handler
      == .tcpSocket(host: "", port: "5432"))
  let exec = try #require(
    KubectlProbe.parse("exec [sh -c pg_isready -U postgres] delay=0s timeout=5s period=10s #success=1 #failure=6"))
  #expect(exec.handler == .exec(command: ["sh", "-c", "pg_isready", "-U", "postgres"]))
  #expect(exec.timeoutSeconds == 5 && exec.failureThreshold == 6)
  #expect(
    KubectlProbe.parse("grpc <pod>:9090 svc delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .grpc(port: "9090", service: "svc"))
  #expect(
    KubectlProbe.parse("grpc <pod>:9090  delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler
      == .grpc(port: "9090", service: ""))
  #expect(KubectlProbe.parse("unknown delay=0s timeout=1s period=10s #success=1 #failure=3")?.handler == .unknown)
}

@Test func probeThresholdSpellings() throws {
  // ≤1.36 `#success=/#failure=`, ≥1.37 `successThreshold=/failureThreshold=` (§1.4).
  let old = try #require(KubectlProbe.parse("tcp-socket :80 delay=3s timeout=2s period=7s #success=1 #failure=9"))
  let new = try #require(
    KubectlProbe.parse("tcp-socket :80 delay=3s timeout=2s period=7s successThreshold=1 failureThreshold=9"))
  #expect(old == new)
  #expect(
    old.initialDelaySeconds == 3 && old.timeoutSeconds == 2 && old.periodSeconds == 7 && old.failureThreshold == 9)
}

@Test func malformedProbesAreRejected() {
  #expect(KubectlProbe.parse("http-get http://:8080/healthz") == nil)
  #expect(KubectlProbe.parse("http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1") == nil)
  #expect(KubectlProbe.parse("carrier-pigeon delay=0s timeout=1s period=10s #success=1 #failure=3") == nil)
  #expect(
    KubectlProbe.parse("http-get http://:8080/healthz delay=0s timeout=x period=10s #success=1 #failure=3") == nil)
}
