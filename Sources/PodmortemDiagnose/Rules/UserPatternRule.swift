import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// Findings that patterns raise on their own (docs/architecture.md "Patterns"): a pattern file may
/// give a pattern a severity, a title and an explanation, and every log line or event message it
/// matches then becomes evidence of one finding per pod and container (per node for kubelet lines
/// that name no pod), with no Swift rule of its own. The shipped patterns carry no severity, so
/// this rule draws nothing until `--patterns` adds one that does. Its findings carry the
/// pattern's id, so a config file ignores or overrides them by that id.
///
/// Log records were classified at ingest (their pattern id and captures); event messages are
/// matched here against the patterns of kind `event` that carry a severity.
///
/// Examples, in `Examples/UserPatternRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: an Events table alone whose warning an event pattern with a severity matches
/// - near miss: the same Events table once the license was renewed
/// - fires: the kubelet's journal alone: a kubelet pattern with a severity matches a line that names no pod
package struct UserPatternRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "pattern.user", category: .pattern, title: "a pattern with a severity matched",
    rationale: "a pattern file that gives a pattern a severity asks for a finding wherever it matches; the "
      + "finding is the pattern's, named by its id", scopes: [.pod, .node])

  /// Only the patterns that carry a severity.
  private let severe: PatternCatalog

  /// The rule without patterns: it draws nothing (the shipped catalog's patterns carry no severity).
  package init() { severe = .empty }

  /// The rule for the patterns of `catalog` that carry a severity.
  package init(catalog: PatternCatalog) {
    severe = PatternCatalog(patterns: catalog.patterns.filter { $0.severity != nil })
  }

  package func configured(patterns: PatternCatalog) -> any DiagnosisRule { UserPatternRule(catalog: patterns) }

  /// A finding of this rule carries the id of the pattern that raised it.
  package func draws(_ ruleID: String) -> Bool { severe.pattern(id: ruleID) != nil }

  /// One hit: the pattern, whom it is about, and the lines.
  private struct Hits {
    var pattern: Pattern
    var container: String?
    var count = 0
    var evidence: [Evidence] = []
    var captures: [KeyValue] = []
  }

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    guard !severe.patterns.isEmpty else { return [] }
    var hits: [String: Hits] = [:]
    func add(_ pattern: Pattern, container: String?, count: Int, evidence: [Evidence], captures: [KeyValue]) {
      let key = pattern.id + "\u{0}" + (container ?? "")
      var h = hits[key] ?? Hits(pattern: pattern, container: container)
      h.count += count
      h.evidence += evidence
      if !captures.isEmpty { h.captures = captures }
      hits[key] = h
    }
    for log in pod.logs {
      guard let id = log.patternID, let pattern = severe.pattern(id: id) else { continue }
      add(pattern, container: log.container, count: 1, evidence: [log.evidence], captures: log.captures)
    }
    for event in pod.events {
      guard let hit = severe.firstMatch(event.message, kind: .event), let pattern = severe.pattern(id: hit.patternID)
      else { continue }
      add(pattern, container: event.containerName, count: event.count, evidence: event.evidence, captures: hit.captures)
    }
    return hits.values.map { Self.finding($0, subject: pod.subject($0.container)) }
  }

  /// The findings about kubelet lines that name no pod.
  package func diagnoseNodes(in state: CorrelatedState, podFindings: [Finding]) -> [Finding] {
    guard !severe.patterns.isEmpty else { return [] }
    var hits: [String: Hits] = [:]
    for log in state.nodeLogs {
      guard let id = log.patternID, let pattern = severe.pattern(id: id) else { continue }
      var h = hits[id] ?? Hits(pattern: pattern)
      h.count += 1
      h.evidence.append(log.evidence)
      if !log.captures.isEmpty { h.captures = log.captures }
      hits[id] = h
    }
    return hits.values.map { Self.finding($0, subject: Subject(object: "node logs")) }
  }

  private static func finding(_ h: Hits, subject: Subject) -> Finding {
    let p = h.pattern
    let times = PodmortemDiagnose.times(h.count)
    return Finding(
      ruleID: p.id, category: .pattern, severity: p.severity ?? .info, subject: subject, title: p.title ?? p.id,
      explanation: (p.explanation ?? "") + " (pattern '\(p.id)' from \(p.file) matched \(times))",
      remedy: "", facts: h.captures + [KeyValue("matches", String(h.count))], evidence: Array(Set(h.evidence)).sorted())
  }
}
