import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `Ingestor.cgroupCapture` tells a capture's key by its length before comparing it with
/// `cgroup` (docs/architecture.md "Speed of the kubelet-log path"). The reference is the look it
/// replaced, `LogRecord.capture("cgroup")` (the first capture whose key is `==`, canonically
/// equivalent); both must give the same value, byte for byte, on seeded captures whose keys are
/// `cgroup`, its look-alikes (a Kelvin sign, a dotted capital İ, combining accents after any of its
/// letters, precomposed letters, NUL, CR, tabs, cut or grown by a byte, upper case) and other
/// keys, in any order, repeated, with values empty, hostile or huge.
@Suite struct CgroupCaptureTests {
  static let keys: [String] = [
    "cgroup", "cgroup", "Cgroup", "CGROUP", "cgrou", "cgroups", "cgroup\u{0}", "\u{0}cgroup", "cgroup\r",
    "cgroup\t", " cgroup", "cgro\u{301}up", "c\u{327}group", "cgroup\u{301}", "\u{E7}group", "cgr\u{F6}up",
    "cgroup\u{212A}", "\u{212A}", "\u{130}", "e\u{301}", "\u{E9}", "", "podUID", "containerID", "pod", "event.reason",
    "kgroup", "cgr\u{2060}oup",
  ]
  static let values: [String] = [
    "", "/kubepods/burstable/pod1234/abcd", "\u{212A}", "\u{130}", "e\u{301}", "\u{0}", "\r\n", "\t",
    String(repeating: "x", count: 70_000), "\(Int.min)", "\(Int.max)",
  ]

  @Test(arguments: 0..<4)
  func cgroupCaptureIsCaptureOfCgroup(seed: UInt64) {
    var rng = SplitMix64(seed: 8_800 + seed)
    var found = 0
    let evidence = Evidence(ref: SourceRef(source: "s", line: 1), text: "m")
    for _ in 0..<3_000 {
      var log = LogRecord(origin: .kubelet, message: "m", evidence: evidence)
      let count = Int(rng.next() % 7)
      for _ in 0..<count {
        let key = Self.keys[Int(rng.next() % UInt64(Self.keys.count))]
        let value = Self.values[Int(rng.next() % UInt64(Self.values.count))]
        log.captures.append(KeyValue(key, value))
      }
      let expected = log.capture("cgroup")
      let got = Ingestor.cgroupCapture(log)
      #expect(got.map { Array($0.utf8) } == expected.map { Array($0.utf8) }, "\(log.captures.map(\.key))")
      if expected != nil { found += 1 }
    }
    // The comparison is of records that have the capture, not only of those without.
    #expect(found > 500)
  }
}
