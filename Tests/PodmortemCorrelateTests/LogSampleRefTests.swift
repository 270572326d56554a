import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `LogSample.sameRef` compares two lines' places where the sample used `==` and `!=`
/// (docs/architecture.md "Speed of the kubelet-log path"); `SourceRef`'s own `==` is the
/// reference it must answer as.
@Suite struct LogSampleRefTests {
  /// Sources few and hostile, so that pairs are often equal: equal bytes, equal as `String`s in
  /// other bytes (a Kelvin sign and `K`, an accent composed and combining), a dotted capital I,
  /// CR, NUL, a tab, empty.
  private static let sources = [
    "kubelet.log", "kubelet.log", "bundle.tar.gz!k\u{212A}.log", "bundle.tar.gz!kK.log", "caf\u{e9}", "cafe\u{301}",
    "\u{130}", "a\rb", "\u{0}", "\t", "",
  ]

  @Test(arguments: 0..<8)
  func sameRefIsEquality(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var equal = 0
    for _ in 0..<2_000 {
      let a = SourceRef(source: Self.sources[rng.below(Self.sources.count)], line: rng.below(4) - 1)
      let b = SourceRef(source: Self.sources[rng.below(Self.sources.count)], line: rng.below(4) - 1)
      #expect(LogSample.sameRef(a, b) == (a == b))
      #expect(!LogSample.sameRef(a, b) == (a != b))
      if a == b { equal += 1 }
    }
    #expect(equal > 50)
  }
}
