import PodmortemModel
import Testing

@testable import PodmortemDiagnose

/// One example of one rule, named for the test list.
struct LabelledExample: CustomTestStringConvertible, Sendable {
  var rule: any DiagnosisRule
  var example: RuleExample
  var testDescription: String { "\(rule.description.id) \(example)" }
}

@Test(
  "every rule example holds",
  arguments: RuleCatalog.all.flatMap { rule in rule.examples.map { LabelledExample(rule: rule, example: $0) } })
func ruleExample(_ labelled: LabelledExample) {
  let example = labelled.example
  let location = SourceLocation(fileID: example.file, filePath: example.file, line: example.line, column: 1)
  guard case .state(let state) = example.input else { return }
  let findings = state.pods.flatMap { labelled.rule.diagnose($0, in: state) }
  #expect(findings.count == example.expect.count, "findings: \(findings.map(\.title))", sourceLocation: location)
  for expected in example.expect {
    let mismatches = findings.map { expected.mismatch($0) }
    #expect(
      mismatches.contains { $0 == nil }, "\(mismatches.compactMap { $0 }.joined(separator: "; "))",
      sourceLocation: location)
  }
}

@Test func everyRuleHasTriggeringAndNonTriggeringExamples() {
  for rule in RuleCatalog.all {
    #expect(rule.examples.contains { !$0.expect.isEmpty }, "\(rule.description.id) has no triggering example")
    #expect(rule.examples.contains { $0.expect.isEmpty }, "\(rule.description.id) has no non-triggering example")
  }
}

@Test func expectedFindingReportsTheFirstMismatch() {
  let finding = Finding(
    ruleID: "a.b", category: .volume, severity: .warning, subject: Subject(pod: "p"), title: "t", explanation: "",
    remedy: "", facts: [KeyValue("mode", "timeout")], evidence: [])
  #expect(ExpectedFinding(ruleID: "a.b", category: .volume).mismatch(finding) == nil)
  #expect(ExpectedFinding(ruleID: "a.c", category: .volume).mismatch(finding) == "rule 'a.b' is not 'a.c'")
  #expect(
    ExpectedFinding(ruleID: "a.b", category: .volume, facts: [KeyValue("mode", "refused")]).mismatch(finding)
      == "fact 'mode' is 'timeout', expected 'refused'")
  #expect(
    ExpectedFinding(ruleID: "a.b", category: .volume, evidenceLines: ["x"]).mismatch(finding)
      == "no evidence line contains 'x'")
}
