import Foundation
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// `OutputFilter.filterInPlace(_:)` filters a finding where it lies, writing a field only when
/// filtering changed its bytes, where `finding(_:)` copied the finding in and out and built a new
/// subject and facts for every finding (docs/architecture.md "Speed after ingest: two cores").
/// `finding(_:)` is the reference: two filters, each with its own masker, are fed the same
/// findings, one filtering in place and one through `finding(_:)`; every string of every finding
/// must come out with the same bytes, and the same tokens must be numbered.
struct OutputFilterFindingInPlaceTests {
  /// Every string of a finding, and its rule, category and severity, as bytes (`==` on strings is
  /// canonical equivalence; the report writes bytes).
  static func bytes(_ f: Finding) -> [[UInt8]] {
    var out: [[UInt8]] = [Array(f.ruleID.utf8), Array(f.category.rawValue.utf8), Array(f.severity.rawValue.utf8)]
    for part in [f.subject.namespace, f.subject.pod, f.subject.container, f.subject.object] {
      out.append(part.map { Array($0.utf8) } ?? [0xFF])
    }
    out += [Array(f.title.utf8), Array(f.explanation.utf8), Array(f.remedy.utf8)]
    for kv in f.facts { out += [Array(kv.key.utf8), Array(kv.value.utf8)] }
    out.append([UInt8(truncatingIfNeeded: f.facts.count)])
    for e in f.evidence { out += [Array(e.ref.source.utf8), Array(String(e.ref.line).utf8), Array(e.text.utf8)] }
    out.append([UInt8(truncatingIfNeeded: f.evidence.count)])
    out.append(Array((f.severityOverriddenFrom?.rawValue ?? "-").utf8))
    return out
  }

  /// A hostile string: secrets of several rules' kinds, a PEM line, controls, a Kelvin sign, a
  /// dotted capital İ, an accent composed and decomposed, NUL, CR, tabs, random bytes, empty and
  /// huge values, or a line of the samples.
  static func text(_ rng: inout SplitMix64, samples: [String]) -> String {
    switch rng.below(14) {
    case 0: return "password=hunter\(rng.below(40))pw"
    case 1: return "-----BEGIN RSA PRIVATE KEY-----"
    case 2: return "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ\(rng.below(9))In0.c2lnbmF0dXJl"
    case 3: return "http://user:s3cret\(rng.below(9))@host/x"
    case 4: return "\u{212A}ube-\(rng.below(30)) \u{130}stanbul caf\u{E9} cafe\u{301}"
    case 5: return "a\u{0}b\r\tc\u{1B}[31m\u{85}\u{9B}\u{202E}-\(rng.below(30))"
    case 6: return String(decoding: rng.hostileBytes(count: rng.below(200)), as: UTF8.self)
    case 7: return ""
    case 8: return String(repeating: "long value \(rng.below(5)) ", count: 1 + rng.below(2_000))
    case 9, 10: return samples.isEmpty ? "app" : samples[rng.below(samples.count)]
    default: return "app-\(rng.below(50))"
    }
  }

  static func finding(_ rng: inout SplitMix64, samples: [String]) -> Finding {
    func maybe() -> String? { rng.below(4) == 0 ? nil : text(&rng, samples: samples) }
    let subject = Subject(namespace: maybe(), pod: maybe(), container: maybe(), object: maybe())
    var facts: [KeyValue] = []
    for _ in 0..<rng.below(8) { facts.append(KeyValue(text(&rng, samples: samples), text(&rng, samples: samples))) }
    var evidence: [Evidence] = []
    let source = rng.below(3) == 0 ? text(&rng, samples: samples) : "describe.txt"
    var line = 1 + rng.below(100)
    for _ in 0..<rng.below(10) {
      evidence.append(Evidence(ref: SourceRef(source: source, line: line), text: text(&rng, samples: samples)))
      line += rng.below(3) == 0 ? 5 : 1
    }
    var f = Finding(
      ruleID: "probe.liveness-failing", category: .probeFailure, severity: .critical, subject: subject,
      title: text(&rng, samples: samples), explanation: text(&rng, samples: samples),
      remedy: text(&rng, samples: samples), facts: facts, evidence: evidence)
    if rng.below(5) == 0 { f.severityOverriddenFrom = .warning }
    return f
  }

  static func compare(_ findings: [Finding], masker: Bool) {
    let new = OutputFilter(masker: masker ? SecretMasker() : nil)
    let old = OutputFilter(masker: masker ? SecretMasker() : nil)
    var changed = 0
    for (i, f) in findings.enumerated() {
      var got = f
      new.filterInPlace(&got)
      let reference = old.finding(f)
      #expect(bytes(got) == bytes(reference), "finding \(i)")
      if bytes(reference) != bytes(f) { changed += 1 }
    }
    #expect(new.masker?.distinctSecrets == old.masker?.distinctSecrets)
    #expect(changed > 0)
  }

  @Test("seeded hostile findings, with and without the masker")
  func seeded() {
    var rng = SplitMix64(seed: 28_161)
    let findings = (0..<3_000).map { _ in Self.finding(&rng, samples: []) }
    Self.compare(findings, masker: true)
    Self.compare(findings, masker: false)
  }

  @Test("findings made of the samples' lines")
  func samples() {
    let lines = OutputFilterEvidenceTests.sampleLines()
    #expect(lines.count > 1_000)
    var rng = SplitMix64(seed: 28_163)
    let findings = (0..<3_000).map { _ in Self.finding(&rng, samples: lines) }
    Self.compare(findings, masker: true)
    Self.compare(findings, masker: false)
  }

  /// A finding filtering leaves as it was keeps sharing its facts' and evidence's storage.
  @Test func anUnchangedFindingKeepsItsStorage() {
    let f = Finding(
      ruleID: "r", category: .probeFailure, severity: .warning, subject: Subject(namespace: "ns", pod: "p"),
      title: "t", explanation: "e", remedy: "r", facts: [KeyValue("k", "v")],
      evidence: [Evidence(ref: SourceRef(source: "s", line: 1), text: "a line")])
    var g = f
    OutputFilter(masker: SecretMasker()).filterInPlace(&g)
    #expect(g == f)
    g.facts.withUnsafeBufferPointer { a in
      f.facts.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) }
    }
    g.evidence.withUnsafeBufferPointer { a in
      f.evidence.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) }
    }
  }
}
