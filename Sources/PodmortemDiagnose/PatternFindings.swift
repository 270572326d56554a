import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// Findings that patterns raise on their own (docs/architecture.md "Patterns"): a pattern file may give a
/// pattern a severity, a title and an explanation, and every log line or event message it matches
/// then becomes evidence of one finding per pod and container, with no Swift rule at all.
///
/// Log records were classified at ingest (their pattern id and captures); event messages are
/// matched here against the patterns of kind `event` that carry a severity.
package struct PatternFindings: Sendable {
  /// Only the patterns that carry a severity.
  private let severe: PatternCatalog

  package init(catalog: PatternCatalog) {
    severe = PatternCatalog(patterns: catalog.patterns.filter { $0.severity != nil })
  }

  /// True when no pattern carries a severity (the shipped catalog: its findings are the rules').
  package var isEmpty: Bool { severe.patterns.isEmpty }

  /// One hit: the pattern, whom it is about, and the lines.
  private struct Hits {
    var pattern: Pattern
    var container: String?
    var count = 0
    var evidence: [Evidence] = []
    var captures: [KeyValue] = []
  }

  /// The findings about one pod.
  package func diagnose(_ pod: PodHistory) -> [Finding] {
    guard !isEmpty else { return [] }
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

  /// The findings about log lines that name no pod (node-level kubelet lines).
  package func diagnose(nodeLogs: [LogRecord]) -> [Finding] {
    guard !isEmpty else { return [] }
    var hits: [String: Hits] = [:]
    for log in nodeLogs {
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
