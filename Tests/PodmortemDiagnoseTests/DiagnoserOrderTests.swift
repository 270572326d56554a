import PodmortemCorrelate
import PodmortemModel
import Testing

@testable import PodmortemDiagnose

/// A seeded generator (SplitMix64): the same findings on every run.
private struct Seeded: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// One of `values`, chosen by `rng`.
private func pick<T>(_ values: [T], _ rng: inout Seeded) -> T { values[Int(rng.next() % UInt64(values.count))] }

/// Findings from a small alphabet, so severities, subjects, rule ids and titles tie often, and some
/// different subjects share a description (`a/b` is both namespace a pod b and the object `a/b`).
/// Each explanation is unique: it tells apart findings the order cannot, so a test sees ties' order.
private func findings(_ count: Int, seed: UInt64) -> [Finding] {
  var rng = Seeded(state: seed)
  let subjects = [
    Subject(namespace: "a", pod: "b"), Subject(object: "a/b"), Subject(namespace: "a", pod: "b", container: "c"),
    Subject(namespace: "a", pod: "bb"), Subject(pod: "b"), Subject(object: "node/n1"), Subject(),
  ]
  return (0..<count).map { i in
    Finding(
      ruleID: pick(["probe.liveness-failing", "crashloop.backoff", "exit.nonzero"], &rng),
      category: .volume, severity: pick(Severity.allCases, &rng),
      subject: pick(subjects, &rng), title: pick(["", "t", "u"], &rng),
      explanation: "finding \(i)", remedy: "")
  }
}

/// The order as first written: the plain comparator, subjects compared by `Subject.<`.
private func reference(_ findings: [Finding]) -> [Finding] {
  findings.sorted {
    if $0.severity != $1.severity { return $0.severity > $1.severity }
    if $0.subject != $1.subject { return $0.subject < $1.subject }
    if $0.ruleID != $1.ruleID { return $0.ruleID < $1.ruleID }
    return $0.title < $1.title
  }
}

@Test func sortedOrdersFindingsExactlyAsThePlainComparatorDoes() {
  for seed in UInt64(0)..<200 {
    let input = findings(Int(seed % 40), seed: seed)
    #expect(Diagnoser.sorted(input) == reference(input), "seed \(seed)")
  }
}

@Test func foldLeavesASingleFindingAsItIs() {
  let diagnoser = Diagnoser()
  #expect(diagnoser.fold([]).isEmpty)
  for seed in UInt64(0)..<20 {
    let one = findings(1, seed: seed)
    #expect(diagnoser.fold(one) == one, "seed \(seed)")
  }
}
