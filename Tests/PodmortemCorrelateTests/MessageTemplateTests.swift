import Foundation
import PodmortemModel
import Testing

@testable import PodmortemCorrelate

struct MessageTemplateTests {
  @Test(arguments: [
    (
      #"Readiness probe failed: Get "http://10.244.1.17:8080/ready": dial tcp 10.244.1.17:8080: connect: connection refused"#,
      #"Readiness probe failed: Get "http://<ip>:<port>/ready": dial tcp <ip>:<port>: connect: connection refused"#
    ),
    (
      "Liveness probe failed: Get \"http://10.0.0.5:80/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
      "Liveness probe failed: Get \"http://<ip>:<port>/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
    ),
    (
      "Back-off restarting failed container web in pod web-6f9c8d7b5-kq2lp_prod(6d7c1a2e-8f3b-4c5d-9e0f-123456789abc)",
      "Back-off restarting failed container web in pod web-<hash>_prod(<uid>)"
    ),
    ("back-off 5m0s restarting failed container=web", "back-off <duration> restarting failed container=web"),
    (
      "Successfully pulled image \"nginx:1.25\" in 1.234s (1.234s including waiting)",
      "Successfully pulled image \"nginx:<n>\" in <duration> (<duration> including waiting)"
    ),
    ("Created pod: fluentd-x7k2p", "Created pod: fluentd-<hash>"),
    ("Created pod: web-0", "Created pod: web-<n>"),
    ("Container image \"web:v1\" already present on machine", "Container image \"web:v1\" already present on machine"),
    ("0/3 nodes are available: 3 Insufficient memory.", "<n>/<n> nodes are available: <n> Insufficient memory."),
    (
      "Readiness probe failed: HTTP probe failed with statuscode: 503",
      "Readiness probe failed: HTTP probe failed with statuscode: <n>"
    ),
    ("limits 512Mi for ipv4 http2", "limits 512Mi for ipv4 http2"),
    ("container id 3f5a9c0e12b4d6e8 exited", "container id <hex> exited"),
    ("Started container web", "Started container web"),
    ("dial tcp [fd00::1]:8080: i/o timeout", "dial tcp [fd00::<n>]:<port>: i/o timeout"),
  ])
  func replacesVariableParts(message: String, template: String) {
    #expect(MessageTemplate.template(message) == template)
  }

  @Test func fortyReadinessFailuresShareOneTemplate() throws {
    var records: [Record] = []
    for i in 0..<40 {
      let pod = "web-\(i)"
      let message =
        "Readiness probe failed: Get \"http://10.1.\(i / 10).\(i + 2):8080/ready\": dial tcp 10.1.\(i / 10).\(i + 2):8080: connect: connection refused"
      records.append(
        .event(
          Fixture.jsonEvent(pod: pod, uid: "uid-\(i)", message: message, name: "\(pod).a", count: 3, first: 0, last: 30)
        ))
    }
    let s = Fixture.correlate(records)
    #expect(s.events.count == 40)
    let templates = Set(s.events.map(\.template))
    #expect(
      templates == [
        #"Readiness probe failed: Get "http://<ip>:<port>/ready": dial tcp <ip>:<port>: connect: connection refused"#
      ])
    let exemplars = try #require(s.events.first?.exemplars)
    #expect(exemplars.count == 3)
    #expect(Set(s.events.map(\.exemplars)).count == 1)
  }

  @Test("the suffix alphabet's bits are the alphabet's bytes")
  func safeAlphabetBits() {
    let alphabet = Set(MessageTemplate.safeAlphabet.utf8)
    #expect(alphabet.count == 27)
    for c in UInt8.min...UInt8.max { #expect(MessageTemplate.isSafe(c) == alphabet.contains(c), "byte \(c)") }
  }

  @Test func aSingleMessageHasNoTemplate() {
    let s = Fixture.correlate([
      .event(Fixture.jsonEvent(name: "web-0.a", count: 3, first: 0, last: 30)),
      .event(
        Fixture.jsonEvent(
          reason: "BackOff", message: "Back-off restarting failed container web", name: "web-0.b", count: 3, first: 0,
          last: 30)),
    ])
    #expect(s.events.allSatisfy { $0.template == nil && $0.exemplars.isEmpty })
  }

  @Test func templatesDoNotCrossReasons() {
    let s = Fixture.correlate([
      .event(
        Fixture.jsonEvent(
          reason: "Unhealthy", message: "probe failed: 10.0.0.1", name: "a", count: 1, first: 0, last: 0)),
      .event(
        Fixture.jsonEvent(reason: "Other", message: "probe failed: 10.0.0.2", name: "b", count: 1, first: 0, last: 0)),
    ])
    #expect(s.events.allSatisfy { $0.template == nil })
  }
}
