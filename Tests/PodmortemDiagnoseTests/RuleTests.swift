import Foundation
import PodmortemCorrelate
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText
import Testing

@testable import PodmortemDiagnose

/// One example of one rule, named for the test list.
struct LabelledExample: CustomTestStringConvertible, Sendable {
  var rule: any DiagnosisRule
  var example: RuleExample
  var testDescription: String { "\(rule.description.id) \(example)" }

  var location: SourceLocation {
    SourceLocation(fileID: example.file, filePath: example.file, line: example.line, column: 1)
  }
}

/// Every rule as the examples run it: with the shipped patterns and the example patterns.
let exampleRules = RuleCatalog.all.map { $0.configured(patterns: ExampleRun.patterns) }

private let allExamples = exampleRules.flatMap { rule in
  rule.examples.map { LabelledExample(rule: rule, example: $0) }
}

@Test(
  "every state example holds",
  arguments: allExamples.filter { if case .state = $0.example.input { true } else { false } })
func ruleStateExample(_ labelled: LabelledExample) {
  let example = labelled.example
  guard case .state(let state) = example.input else { return }
  let podFindings = state.pods.flatMap { labelled.rule.diagnose($0, in: state) }
  let findings = podFindings + labelled.rule.diagnoseNodes(in: state, podFindings: podFindings)
  #expect(
    findings.count == example.expect.count, "findings: \(findings.map(\.title))", sourceLocation: labelled.location)
  for expected in example.expect {
    let mismatches = findings.map { expected.mismatch($0) }
    #expect(
      mismatches.contains { $0 == nil }, "\(mismatches.compactMap { $0 }.joined(separator: "; "))",
      sourceLocation: labelled.location)
  }
}

/// Runs text the way `podmortem` does: ingest with the shipped patterns, correlate, diagnose.
struct ExampleRun {
  /// The shipped patterns and those the examples of `UserPatternRule` use.
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in }).merging(UserPatternRule.examplePatterns)
  static let sourceName = "example.txt"

  var account: SourceAccount
  var state: CorrelatedState
  var findings: [Finding]
  /// The findings about pods alone, which node-scope rules are given.
  var podFindings: [Finding]

  init(_ text: String, now: Date) {
    var reader = LineReader(string: text)
    let context = ParseContext(
      source: SourceInfo(name: Self.sourceName), captureTime: CaptureTime(date: now, origin: .flag),
      diagnostics: { _ in })
    var correlator = Correlator()
    account = Ingestor(patterns: Self.patterns).ingest(&reader, context: context) { correlator.add($0) }
    if let capture = account.captureTime { correlator.note(capture) }
    let state = correlator.finish()
    let diagnoser = Diagnoser(patterns: Self.patterns)
    self.state = state
    findings = diagnoser.diagnose(state)
    podFindings = state.pods.flatMap { diagnoser.diagnose($0, in: state) }
  }
}

/// A finding in one line, for failure messages: rule, severity, container, facts and cited lines.
private func summary(_ f: Finding) -> String {
  let facts = f.facts.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
  let lines = f.evidence.map { String($0.ref.line) }.joined(separator: ",")
  return "[\(f.ruleID) \(f.severity.rawValue) \(f.subject.container ?? "-") {\(facts)} lines \(lines)]"
}

@Test(
  "every text example holds end to end",
  arguments: allExamples.filter { if case .text = $0.example.input { true } else { false } })
func ruleTextExample(_ labelled: LabelledExample) throws {
  let example = labelled.example
  let location = labelled.location
  guard case .text(let text, let nowText) = example.input else { return }
  let now = try #require(ISO8601DateFormatter().date(from: nowText), "bad now '\(nowText)'", sourceLocation: location)
  let run = ExampleRun(text, now: now)
  let found = run.findings.map(summary).joined(separator: " ")
  #expect(
    run.account.unrecognised == 0, "unrecognised lines \(run.account.firstUnrecognised)", sourceLocation: location)
  for expected in example.expect {
    let mismatches = run.findings.map { expected.mismatch($0, citedLines: example.citedLines) }
    #expect(
      mismatches.contains { $0 == nil },
      "\(expected.ruleID): \(mismatches.compactMap { $0 }.joined(separator: "; ")); found \(found)",
      sourceLocation: location)
  }
  // One finding per cause: nothing at warning or above that the example's story does not name.
  let expectedIDs = Set(example.expect.map(\.ruleID))
  for finding in run.findings where finding.severity >= .warning && !expectedIDs.contains(finding.ruleID) {
    Issue.record("unexpected \(summary(finding))", sourceLocation: location)
  }
  // A rule draws only about what its scopes say: a node's finding names no pod.
  let scopes = labelled.rule.description.scopes
  let nodeFindings = labelled.rule.diagnoseNodes(in: run.state, podFindings: run.podFindings)
  #expect(
    scopes.contains(.node) || nodeFindings.isEmpty, "node findings from a pod-scope rule", sourceLocation: location)
  #expect(nodeFindings.allSatisfy { $0.subject.pod == nil }, "a node finding names a pod", sourceLocation: location)
  if !scopes.contains(.pod) {
    let podFindings = run.state.pods.flatMap { labelled.rule.diagnose($0, in: run.state) }
    #expect(podFindings.isEmpty, "pod findings from a node-scope rule", sourceLocation: location)
  }
  // A near miss: the example's own rule draws nothing, not even a finding another one absorbs.
  if !example.triggers(labelled.rule) {
    let rule = labelled.rule
    let pods = run.state.pods.flatMap { rule.diagnose($0, in: run.state) }
    let own = pods + rule.diagnoseNodes(in: run.state, podFindings: run.podFindings)
    #expect(own.isEmpty, "near miss triggered: \(own.map(summary))", sourceLocation: location)
  }
}

@Test func everyRuleHasTriggeringAndNonTriggeringTextExamples() {
  for rule in exampleRules {
    let id = rule.description.id
    let texts = rule.examples.filter { if case .text = $0.input { true } else { false } }
    #expect(texts.contains { $0.triggers(rule) }, "\(id) has no triggering text example")
    #expect(texts.contains { !$0.triggers(rule) }, "\(id) has no non-triggering text example")
  }
}

/// True when an example's text is a fragment a user pastes (an Events table, `get` rows, a
/// container's State lines, log lines), not a whole `kubectl describe`, whose first line is `Name:`.
func isFragment(_ example: RuleExample) -> Bool {
  guard case .text(let text, _) = example.input else { return false }
  let first = text.split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) }
  return first.map { !$0.drop { $0 == " " || $0 == "\t" }.hasPrefix("Name:") } ?? false
}

/// Issue 10: rules conclude from what was pasted, so every rule proves it on a fragment both ways.
@Test func everyRuleHasTriggeringAndNonTriggeringFragmentExamples() {
  for rule in exampleRules {
    let id = rule.description.id
    let fragments = rule.examples.filter(isFragment)
    #expect(fragments.contains { $0.triggers(rule) }, "\(id) has no triggering fragment example")
    #expect(fragments.contains { !$0.triggers(rule) }, "\(id) has no non-triggering fragment example")
  }
}

@Test func aFragmentIsTextWhoseFirstLineIsNotName() {
  let now = "2026-11-27T01:00:00Z"
  #expect(isFragment(RuleExample("rows", .text("\n  Warning  BackOff  2m  kubelet  Back-off", now: now))))
  #expect(!isFragment(RuleExample("describe", .text("\nName:         web-0\nNamespace:    default", now: now))))
  #expect(!isFragment(RuleExample("empty", .text("  \n", now: now))))
}

@Test func exampleTextIsReadLikeAPaste() {
  let run = ExampleRun(
    """
    LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
    2m          Warning   BackOff     pod/api-0   Back-off restarting failed container api in pod api-0_default(1f2e)
    """, now: Date(timeIntervalSince1970: 1_795_741_200))
  #expect(run.account.parsed == 1)
  #expect(run.state.pods.map(\.key.name) == ["api-0"])
  #expect(run.state.events.first?.evidence.first?.ref == SourceRef(source: ExampleRun.sourceName, line: 2))
}

@Test func expectedFindingReportsTheFirstMismatch() {
  let finding = Finding(
    ruleID: "a.b", category: .volume, severity: .warning, subject: Subject(pod: "p"), title: "t", explanation: "",
    remedy: "", facts: [KeyValue("mode", "timeout")],
    evidence: [Evidence(ref: SourceRef(source: "s", line: 4), text: "x y")])
  #expect(ExpectedFinding(ruleID: "a.b", category: .volume).mismatch(finding) == nil)
  #expect(ExpectedFinding(ruleID: "a.c", category: .volume).mismatch(finding) == "rule 'a.b' is not 'a.c'")
  #expect(
    ExpectedFinding(ruleID: "a.b", category: .volume, facts: [KeyValue("mode", "refused")]).mismatch(finding)
      == "fact 'mode' is 'timeout', expected 'refused'")
  #expect(
    ExpectedFinding(ruleID: "a.b", category: .volume, evidenceText: ["x"]).mismatch(finding, citedLines: [4]) == nil)
  #expect(
    ExpectedFinding(ruleID: "a.b", category: .volume).mismatch(finding, citedLines: [4, 5])
      == "evidence does not cite line 5 (marked ▶; cites 4)")
  #expect(
    ExpectedFinding(ruleID: "a.b", category: .volume, evidenceText: ["z"]).mismatch(finding)
      == "no evidence line contains 'z'")
}

@Test func nearMissesAreExamplesWithoutTheirOwnRule() {
  let example = RuleExample(
    "x", .text("", now: "2026-11-27T01:00:00Z"),
    expect: [ExpectedFinding(ruleID: "probe.readiness-failing", category: .probeFailure)])
  #expect(example.triggers("probe.readiness-failing"))
  #expect(!example.triggers("probe.liveness-failing"))
}

/// The `▶` at a line's start marks a line to cite; it is removed before the text is read.
@Test func markedLinesAreCitedAndTheMarksRemoved() {
  let now = "2026-11-27T01:00:00Z"
  let example = RuleExample(
    "marks", .text("Name:  web-0\n▶    Last State:  Terminated\n\n▶▶x ▶ y\n  ▶ indented is text", now: now),
    expect: [ExpectedFinding(ruleID: "a.b", category: .volume)])
  guard case .text(let text, let captured) = example.input else {
    Issue.record("a text example became \(example.input)")
    return
  }
  #expect(text == "Name:  web-0\n    Last State:  Terminated\n\n▶x ▶ y\n  ▶ indented is text")
  #expect(captured == now)
  #expect(example.citedLines == [2, 4])
  #expect(RuleExample.unmarked("") == ("", []))
  #expect(RuleExample.unmarked("▶") == ("", [1]))
  #expect(RuleExample.unmarked("a\r\n▶b\n") == ("a\r\nb\n", [2]))
}

/// A mark says what a finding must cite, so only an example that expects a finding has them.
@Test func onlyExamplesThatExpectAFindingMarkLines() {
  for labelled in allExamples where labelled.example.expect.isEmpty {
    #expect(
      labelled.example.citedLines.isEmpty, "a near miss marks lines \(labelled.example.citedLines)",
      sourceLocation: labelled.location)
  }
}
