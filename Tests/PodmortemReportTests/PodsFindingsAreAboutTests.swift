import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemReport

/// `ReportInput.podsFindingsAreAbout` looks ASCII pods up by their bytes when every finding names
/// its pod in ASCII (`ASCIIPodNames`), and asks the sets of strings otherwise
/// (docs/architecture.md "JSON, fast and streamed"). The sets, `podsFindingsAreAboutByEquivalence`
/// (the code before, kept), are the reference: on seeded pods and findings whose namespaces and
/// names are ASCII, respelt (a Kelvin sign for a K, an accent composed and decomposed, a dotted
/// capital İ), cut, empty, missing, or hold NUL, CR and tabs, both must pick the same pods.
struct PodsFindingsAreAboutTests {
  static let names = [
    "web-0", "web-1", "Kafka-2", "\u{212A}afka-2", "caf\u{E9}", "cafe\u{301}", "\u{130}stanbul", "Istanbul", "",
    "a\u{0}b", "a\rb", "a\tb", "db-\u{301}", "default", "kube-system", "x", "web-0 ", "web-", "0",
  ]

  static func name(_ rng: inout SplitMix64, ascii: Bool) -> String {
    if rng.below(6) == 0 { return "pod-\(rng.below(40))" }
    if rng.below(20) == 0 { return String(decoding: rng.hostileBytes(count: rng.below(20)), as: UTF8.self) }
    var text = names[rng.below(names.count)]
    if ascii && !text.utf8.allSatisfy({ $0 < 0x80 }) { text = "web-0" }
    // The same bytes in storage of its own, now and then.
    if rng.below(3) == 0 { text = String(decoding: Array(text.utf8), as: UTF8.self) }
    return text
  }

  @Test("seeded pods and findings pick the pods the sets pick")
  func seeded() {
    var rng = SplitMix64(seed: 28_301)
    var ascii = 0
    var picked = 0
    for round in 0..<1_500 {
      // Half the rounds name every finding's pod in ASCII (the byte table answers), half not.
      let asciiFindings = round.isMultiple(of: 2)
      var input = ReportInput(
        toolVersion: "t", accounts: [], diagnostics: [], state: CorrelatedState(), findings: [],
        filter: OutputFilter(masker: nil))
      var state = CorrelatedState()
      for _ in 0..<rng.below(30) {
        let key =
          rng.below(10) == 0
          ? PodKey(pastedAt: SourceRef(source: Self.name(&rng, ascii: false), line: 1 + rng.below(3)))
          : PodKey(namespace: Self.name(&rng, ascii: false), name: Self.name(&rng, ascii: false))
        let snapshot = PodSnapshot(name: key.name, namespace: key.namespace)
        state.pods.append(PodHistory(key: key, snapshots: [snapshot], latest: snapshot))
      }
      var findings: [Finding] = []
      for _ in 0..<rng.below(20) {
        let subject = Subject(
          namespace: rng.below(4) == 0 ? nil : Self.name(&rng, ascii: asciiFindings),
          pod: rng.below(5) == 0 ? nil : Self.name(&rng, ascii: asciiFindings),
          object: rng.below(4) == 0 ? (state.pods.randomElement(using: &rng)?.key.description ?? "node") : nil)
        findings.append(
          Finding(
            ruleID: "r", category: .probeFailure, severity: .warning, subject: subject, title: "t",
            explanation: "e", remedy: "r"))
      }
      // A pod named by a finding, now and then, as the finding spells it.
      if let f = findings.randomElement(using: &rng), let pod = f.subject.pod {
        let key = PodKey(namespace: f.subject.namespace ?? "ns", name: pod)
        let snapshot = PodSnapshot(name: key.name, namespace: key.namespace)
        state.pods.append(PodHistory(key: key, snapshots: [snapshot], latest: snapshot))
      }
      input.state = state
      input.findings = findings
      let positions = Array(state.pods.indices).filter { _ in rng.below(5) != 0 }
      if ASCIIPodNames(findings) != nil { ascii += 1 }
      let got = input.podsFindingsAreAbout(among: positions)
      #expect(got == input.podsFindingsAreAboutByEquivalence(among: positions), "round \(round)")
      picked += got.count
    }
    #expect(ascii > 600 && ascii < 1_500)
    #expect(picked > 1_000)
  }
}
