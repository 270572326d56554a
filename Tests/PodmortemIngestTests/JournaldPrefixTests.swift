import PodmortemIngest
import Testing

@Suite struct JournaldPrefixTests {
  private func parse(_ text: String) -> JournaldPrefix? { JournaldPrefix.parse(Array(text.utf8)) }

  @Test func shortFormat() throws {
    let line = "Nov 27 01:02:03 node-1 kubelet[12345]: I1127 01:02:03.456789   12345 prober.go:107] x"
    let p = try #require(parse(line))
    #expect(p.host == "node-1")
    #expect(p.identifier == "kubelet")
    #expect(p.pid == 12345)
    #expect(p.instant == nil)
    #expect(p.reading?.month == 11)
    #expect(p.reading?.day == 27)
    #expect(p.reading?.second == 3)
    #expect(p.reading?.fractionDigits == 0)
    #expect(String(decoding: Array(line.utf8)[p.payloadStart...], as: UTF8.self).hasPrefix("I1127 "))
  }

  @Test func shortPreciseAndSpacePaddedDays() throws {
    let precise = try #require(parse("Jun 29 05:16:54.197389 ip-10-0-1-2 hyperkube[1495]: text"))
    #expect(precise.reading?.fractionDigits == 6)
    #expect(precise.identifier == "hyperkube")
    let padded = try #require(parse("Nov  7 01:02:03 node-1 systemd[1]: Started kubelet.service."))
    #expect(padded.reading?.day == 7)
    #expect(padded.identifier == "systemd")
  }

  @Test func isoFormatsCarryYearAndOffset() throws {
    let iso = try #require(parse("2026-11-27T01:02:03+0100 node-1 kubelet[7]: text"))
    #expect(iso.instant == instant("2026-11-27T00:02:03Z"))
    #expect(iso.utcOffset == 3600)
    let precise = try #require(parse("2026-11-27T01:02:03.250000+00:00 node-1 kubelet[7]: text"))
    #expect(precise.instant == instant("2026-11-27T01:02:03.25Z"))
    #expect(precise.utcOffset == 0)
  }

  @Test func identifierWithoutPid() throws {
    let p = try #require(parse("Nov 27 01:02:03 node-1 kernel: Out of memory: Killed process 4242 (java)"))
    #expect(p.identifier == "kernel")
    #expect(p.pid == nil)
  }

  @Test(arguments: [
    "", "I1127 01:02:03.456789   12345 prober.go:107] x", "Foo 27 01:02:03 node-1 kubelet[1]: x",
    "Nov 27 01:02:03 node-1", "Nov 27 25:02:03 node-1 kubelet[1]: x", "Nov 27 01:02:03 node-1 kubelet[x]: y",
  ])
  func notAPrefix(text: String) {
    #expect(parse(text) == nil)
  }

  @Test func markers() {
    #expect(JournaldPrefix.isMarker("-- Boot 5c1e9b7d6f3a4e2b8c0d1e2f3a4b5c6d --"))
    #expect(JournaldPrefix.isMarker("-- No entries --"))
    #expect(!JournaldPrefix.isMarker("--v=2"))
  }
}
