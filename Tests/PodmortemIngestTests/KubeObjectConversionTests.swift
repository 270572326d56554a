import Foundation
import PodmortemModel
import Testing

@testable import PodmortemIngest

@Suite struct KubeObjectConversionTests {
  /// A written second is [t, t + 0.999 s], the rule `Timestamps.range` uses for describe times too.
  @Test func wholeSecondsAreOneSecondWide() throws {
    let range = try #require(KubeTime.parse("2026-11-27T01:02:03Z"))
    #expect(range.earliest == Date(timeIntervalSince1970: 1_795_741_323))
    #expect(abs(range.width - 0.999) < 1e-6)
  }

  @Test func microTimeIsOneMicrosecondWide() throws {
    let range = try #require(KubeTime.parse("2026-11-27T01:02:03.000250Z"))
    #expect(abs(range.earliest.timeIntervalSince1970 - 1_795_741_323.000250) < 1e-6)
    // A Date near 2026 resolves about 0.2 µs.
    #expect(abs(range.width - 1e-6) < 1e-7)
  }

  @Test func offsetsAreApplied() {
    #expect(KubeTime.parse("2026-11-27T02:02:03+01:00")?.earliest == Date(timeIntervalSince1970: 1_795_741_323))
    #expect(KubeTime.parse("2026-11-26T20:32:03-04:30")?.earliest == Date(timeIntervalSince1970: 1_795_741_323))
    #expect(KubeTime.parse("2000-02-29T00:00:00Z")?.earliest == Date(timeIntervalSince1970: 951_782_400))
    #expect(KubeTime.parse("1970-01-01T00:00:00Z")?.earliest == Date(timeIntervalSince1970: 0))
  }

  @Test(arguments: [
    "", "null", "2026-11-27", "2026-11-27T01:02:03", "2026-13-01T00:00:00Z", "2026-11-27T01:02:03.Z",
    "2026-11-27T01:02:03Zjunk",
  ])
  func rejectsWhatIsNotRFC3339(text: String) {
    #expect(KubeTime.parse(text) == nil)
  }

  @Test func skipsKindsItDoesNotModelWithoutDecoding() {
    #expect(KubeObjectConverter.isIgnorable(kind: "Service"))
    #expect(KubeObjectConverter.isIgnorable(kind: "ConfigMap"))
    #expect(!KubeObjectConverter.isIgnorable(kind: "Event"))
    #expect(!KubeObjectConverter.isIgnorable(kind: "EventList"))
    #expect(!KubeObjectConverter.isIgnorable(kind: "Status"))
    #expect(!KubeObjectConverter.isIgnorable(kind: nil))
  }

  @Test func rendersLifecycleHandlersAsDescribeDoes() throws {
    let json = #"""
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[
        {"name":"a","lifecycle":{"preStop":{"httpGet":{"host":"fd00::1","path":"drain","port":"admin","scheme":"HTTPS"}},"postStart":{"tcpSocket":{"port":9000}}}},
        {"name":"b","lifecycle":{"preStop":{"exec":{"command":["/bin/sh","-c","sleep 40"]}}}}]}}
      """#
    let pod = try #require(ingest(json).pods.first)
    #expect(pod.containers.map(\.preStop) == ["http-get https://[fd00::1]:admin/drain", "exec [/bin/sh -c sleep 40]"])
    #expect(pod.containers.map(\.postStart) == ["tcp-socket :9000", nil])
  }
}
