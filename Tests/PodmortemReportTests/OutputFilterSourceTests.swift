import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// `OutputFilter.evidence(_:)` gives a line whose source is the line before's the name that line
/// got, without looking it up again (docs/architecture.md "Speed after ingest: two cores"). The
/// reference is the mapping it replaced, kept here: every line filtered alone
/// (`OutputFilter.evidence(_: Evidence)`, which looks its source up). Two filters, one per way,
/// are given the same seeded random lists in the same order, so their tokens are numbered alike:
/// every list must come out the same, sources with secrets and control characters, names equal
/// only canonically (an accent composed and decomposed) and repeated, alternating or not, included.
@Suite("a list's lines reuse the name of the source before them as the look-up gave it")
struct OutputFilterSourceTests {
  static let sources = [
    "describe.txt", "caf\u{E9}.txt", "cafe\u{301}.txt", "", "a!b", "\u{212A}", "\u{130}", "x\r", "\0", "\t",
    OutputFilterTests.dirty, "token=Zx9kP2mQ7rT4vW8y1aB3",
  ]
  static let texts = [
    "Events:", "  Warning  BackOff  kubelet  Back-off restarting", "", "\u{1B}[31m", OutputFilterTests.dirty,
    "e\u{301}", "password=hunter2", String(repeating: "w", count: 150),
  ]

  @Test("every list comes out as filtering each line alone gave it")
  func sameLists() {
    var rng = SplitMix64(seed: 16_161)
    for masker in [SecretMasker(), nil] {
      let (new, old) = (OutputFilter(masker: masker), OutputFilter(masker: masker))
      var reused = 0
      for _ in 0..<3_000 {
        var source = Self.sources[rng.below(Self.sources.count)]
        let list = (0..<rng.below(12)).map { _ -> Evidence in
          // Mostly the line before's source, sometimes another.
          if rng.below(4) == 0 { source = Self.sources[rng.below(Self.sources.count)] } else { reused += 1 }
          return Evidence(
            ref: SourceRef(source: source, line: rng.below(50)), text: Self.texts[rng.below(Self.texts.count)])
        }
        // The reference: each line filtered alone, as `evidence(_:)` mapped them before.
        let reference = OutputFilter.mapped(list, old.evidence)
        let got = new.evidence(list)
        // Byte for byte: `==` on strings is canonical equivalence.
        func bytes(_ l: [Evidence]) -> [[UInt8]] { l.flatMap { [Array($0.ref.source.utf8), Array($0.text.utf8)] } }
        #expect(bytes(got) == bytes(reference))
        #expect(got.map(\.ref.line) == reference.map(\.ref.line))
      }
      #expect(reused > 10_000)
    }
  }
}
