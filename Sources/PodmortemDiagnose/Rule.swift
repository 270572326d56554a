import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// A diagnosis rule: one kubelet (or scheduler, or controller) behaviour, what it concludes and
/// the examples that prove it. One rule per file in `Rules/`, named for what it finds; its
/// examples in `Examples/` (docs/architecture.md "Adding a rule").
///
/// A rule draws findings about what its description's `scopes` say: each pod (`diagnose(_:in:)`),
/// or the nodes the input shows (`diagnoseNodes(in:podFindings:)`). Either way the `Diagnoser`
/// folds them by `absorbs`.
package protocol DiagnosisRule: Sendable {
  /// The rule's stable id, category, title, scopes and rationale.
  static var description: RuleDescription { get }
  /// Triggering and non-triggering examples; every one runs as a test.
  static var examples: [RuleExample] { get }
  /// The findings this rule draws about one pod (scope `.pod`).
  func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding]
  /// `diagnose(_:in:)` given `probes`, the pod's probe events and lines as `PodProbes(pod)` reads
  /// them: the `Diagnoser` reads them once per pod for all its rules. A rule that reads them
  /// draws the same findings as `diagnose(_:in:)`; the others ignore them.
  func diagnose(_ pod: PodHistory, probes: PodProbes, in state: CorrelatedState) -> [Finding]
  /// `diagnose(_:in:)` given `reading`, what the `Diagnoser` reads of the pod once for all its
  /// rules (its probe entries, its log records by pattern). A rule that reads it draws the same
  /// findings as `diagnose(_:in:)`; the others answer as `diagnose(_:probes:in:)`.
  func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding]
  /// The findings this rule draws about the nodes in `state` (scope `.node`). `podFindings` are
  /// the findings already drawn about pods, folded: a node's finding is left out where a pod's
  /// finding already tells the same cause (one finding per cause).
  func diagnoseNodes(in state: CorrelatedState, podFindings: [Finding]) -> [Finding]
  /// The rule as a run with the pattern catalog `patterns` uses it (the shipped patterns and any
  /// `--patterns` files); most rules are the same rule whatever the patterns.
  func configured(patterns: PatternCatalog) -> any DiagnosisRule
  /// Whether a finding with rule id `ruleID` is this rule's: its own id, unless the rule names its
  /// findings otherwise (a user pattern's finding carries the pattern's id).
  func draws(_ ruleID: String) -> Bool
}

extension DiagnosisRule {
  package var description: RuleDescription { Self.description }
  package var examples: [RuleExample] { Self.examples }
  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] { [] }
  package func diagnose(_ pod: PodHistory, probes: PodProbes, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, in: state)
  }
  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, probes: reading.probes, in: state)
  }
  package func diagnoseNodes(in state: CorrelatedState, podFindings: [Finding]) -> [Finding] { [] }
  package func configured(patterns: PatternCatalog) -> any DiagnosisRule { self }
  package func draws(_ ruleID: String) -> Bool { ruleID == Self.description.id }
}

/// What the `Diagnoser` reads of a pod once, before its rules run, and hands to every rule
/// (`DiagnosisRule.diagnose(_:reading:in:)`): its probe events and lines (`PodProbes`), its
/// log records by pattern (`PodLogIndex`) and the reasons its events carry (`PodEventReasons`),
/// with what the run's pods share (`RunReading`, one for all the pods one thread diagnoses).
/// A rule run on its own reads what it needs itself, with the same answer.
package struct PodReading {
  package let probes: PodProbes
  package let logs: PodLogIndex
  package let reasons: PodEventReasons
  package let run: RunReading

  package init(_ pod: borrowing PodHistory, run: RunReading = RunReading()) {
    probes = PodProbes(pod)
    logs = PodLogIndex(pod.logs)
    reasons = PodEventReasons(pod)
    self.run = run
  }
}

/// What a rule's findings are about.
package enum RuleScope: String, Hashable, Sendable, CaseIterable {
  /// A pod, or one of its containers (`Subject.pod`, `Subject.container`).
  case pod
  /// A node (`Subject.object` is `node/NAME`, or the pasted node when the input does not name it).
  case node
}

/// What a rule is: the stable id scripts key on, its category, and why it exists.
package struct RuleDescription: Hashable, Sendable {
  /// Stable id, `area.what-it-finds` (`probe.liveness-failing`).
  package var id: String
  package var category: FindingCategory
  package var title: String
  /// Why the conclusion holds: the kubelet behaviour it models, with docs/kubernetes.md sections.
  package var rationale: String
  /// Rules whose findings about the same subject are symptoms of this rule's cause: the
  /// `Diagnoser` folds them into this rule's finding (evidence, facts, explanation).
  package var absorbs: [String]
  /// What its findings are about: pods (the default), nodes, or both.
  package var scopes: Set<RuleScope>

  package init(
    id: String, category: FindingCategory, title: String, rationale: String, absorbs: [String] = [],
    scopes: Set<RuleScope> = [.pod]
  ) {
    self.id = id
    self.category = category
    self.title = title
    self.rationale = rationale
    self.absorbs = absorbs
    self.scopes = scopes
  }

  /// A finding of this rule. Its evidence is ranked by weight, not by line (docs/architecture.md
  /// "Findings"): the `decisive` lines first, in the order the rule gives them (the failing event or
  /// log line, then the exit, OOM or signal lines, then the deletion), then the rest of `evidence`
  /// as context, in source order.
  package func finding(
    _ severity: Severity, _ subject: Subject, title: String, explanation: String, remedy: String,
    facts: [KeyValue], decisive: [Evidence] = [], evidence: [Evidence]
  ) -> Finding {
    Finding(
      ruleID: id, category: category, severity: severity, subject: subject, title: title, explanation: explanation,
      remedy: remedy, facts: facts, evidence: EvidenceRanking.ranked(decisive: decisive, evidence: evidence))
  }
}

/// One example of a rule: an input and the findings the rule must draw from it. An example is
/// triggering when it expects a finding of its own rule; otherwise it is a near miss that must not
/// trigger. The location is recorded so a failing example points at itself.
///
/// Example text marks the lines a finding must cite with a `▶` at the start of the line
/// (docs/architecture.md "Adding a rule"). The marks are removed before the text is read, so the
/// text is ingested exactly as pasted and its line numbers stay those of the paste.
package struct RuleExample: Sendable, CustomStringConvertible {
  /// What the example feeds the rule.
  package enum Input: Sendable {
    /// A correlated state built in Swift; only the example's own rule runs on it.
    case state(CorrelatedState)
    /// Text as a user pastes it (`kubectl describe pod`, `kubectl get events`, kubelet log lines…),
    /// captured at `now` (ISO 8601). The tests run it through ingest, correlation and every rule,
    /// so line numbers count from 1 at the text's first line. Diagnose never reads text itself:
    /// the flow stays one-way (docs/architecture.md).
    case text(String, now: String)
  }

  /// The mark of a line to cite, at the very start of the line.
  package static let citeMark: Unicode.Scalar = "▶"

  package var name: String
  /// The input, its text without the `▶` marks.
  package var input: Input
  package var expect: [ExpectedFinding]
  /// The lines of the text (from 1, in order) that were marked `▶`: every finding the example
  /// expects must cite each of them.
  package var citedLines: [Int]
  package var file: String
  package var line: Int

  package init(
    _ name: String, _ input: Input, expect: [ExpectedFinding] = [], file: String = #filePath, line: Int = #line
  ) {
    self.name = name
    self.expect = expect
    self.file = file
    self.line = line
    if case .text(let marked, let now) = input {
      let (text, lines) = Self.unmarked(marked)
      self.input = .text(text, now: now)
      citedLines = lines
    } else {
      self.input = input
      citedLines = []
    }
  }

  /// `text` without the `▶` that starts a marked line, and the numbers (from 1) of those lines.
  /// Only a mark at a line's first character counts. Lines end at `\n` alone, as ingest counts
  /// them (a `\r\n` line's `\r` stays part of the line).
  package static func unmarked(_ text: String) -> (text: String, lines: [Int]) {
    var lines: [Int] = []
    var out = String.UnicodeScalarView()
    for (index, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if index > 0 { out.append("\n") }
      if line.first == citeMark {
        lines.append(index + 1)
        out.append(contentsOf: line.dropFirst())
      } else {
        out.append(contentsOf: line)
      }
    }
    return (String(out), lines)
  }

  /// True when the example expects a finding of rule `id`.
  package func triggers(_ id: String) -> Bool { expect.contains { $0.ruleID == id } }

  /// True when the example expects a finding `rule` draws.
  package func triggers(_ rule: any DiagnosisRule) -> Bool { expect.contains { rule.draws($0.ruleID) } }

  package var description: String {
    let base = file.split(separator: "/").last.map(String.init) ?? file
    return "\(base):\(line) \(name)"
  }
}

/// What a triggering example must produce: the rule id, category, severity, container, the facts
/// (each must be present with exactly that value) and strings some evidence line must contain
/// (`evidenceText`). The lines the finding must cite are marked `▶` in the example's text
/// (`RuleExample.citedLines`).
package struct ExpectedFinding: Hashable, Sendable {
  package var ruleID: String
  package var category: FindingCategory
  package var severity: Severity?
  package var container: String?
  package var facts: [KeyValue]
  package var evidenceText: [String]

  package init(
    ruleID: String, category: FindingCategory, severity: Severity? = nil, container: String? = nil,
    facts: [KeyValue] = [], evidenceText: [String] = []
  ) {
    self.ruleID = ruleID
    self.category = category
    self.severity = severity
    self.container = container
    self.facts = facts
    self.evidenceText = evidenceText
  }

  /// Why `finding` does not match, or nil when it does. `citedLines` are the example text's
  /// marked lines, each of which the finding must cite.
  package func mismatch(_ finding: Finding, citedLines: [Int] = []) -> String? {
    if finding.ruleID != ruleID { return "rule '\(finding.ruleID)' is not '\(ruleID)'" }
    if finding.category != category { return "category '\(finding.category.rawValue)' is not '\(category.rawValue)'" }
    if let severity, finding.severity != severity {
      return "severity '\(finding.severity.rawValue)' is not '\(severity.rawValue)'"
    }
    if let container, finding.subject.container != container {
      return "container '\(finding.subject.container ?? "")' is not '\(container)'"
    }
    for fact in facts where finding.fact(fact.key) != fact.value {
      return "fact '\(fact.key)' is '\(finding.fact(fact.key) ?? "<missing>")', expected '\(fact.value)'"
    }
    let cited = Set(finding.evidence.map(\.ref.line))
    if let line = citedLines.first(where: { !cited.contains($0) }) {
      let lines = cited.sorted().map(String.init).joined(separator: ",")
      return "evidence does not cite line \(line) (marked ▶; cites \(lines))"
    }
    for text in evidenceText where !finding.evidence.contains(where: { $0.text.contains(text) }) {
      return "no evidence line contains '\(text)'"
    }
    return nil
  }
}

extension KeyValue {
  /// An integer fact.
  package static func int(_ key: String, _ value: Int) -> KeyValue { KeyValue(key, String(value)) }
  /// A whole-seconds fact, `lo..hi` when the bounds differ.
  package static func seconds(_ key: String, _ range: ClosedRange<Double>) -> KeyValue {
    KeyValue(key, Seconds.fact(range))
  }
}
