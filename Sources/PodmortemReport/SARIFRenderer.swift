import Foundation
import PodmortemCorrelate
import PodmortemDiagnose
import PodmortemModel

/// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for code
/// scanning dashboards (README "In CI"): the rule catalog as `tool.driver.rules`, one result per
/// finding, its evidence lines as `locations` (source and line). Tests validate the output against
/// the OASIS schema in Tests/Schemas/.
package struct SARIFRenderer: Sendable {
  package init() {}

  package func render(_ input: ReportInput) -> String {
    var rules = RuleCatalog.all.map { rule in
      let d = type(of: rule).description
      return Rule(
        id: d.id, name: d.id, shortDescription: Text(text: d.title), fullDescription: Text(text: d.rationale),
        properties: RuleProperties(category: d.category.rawValue))
    }
    // Findings raised by patterns (patterns/*.json, --patterns) have no catalog entry: their rule
    // is described by the first such finding.
    let suppressed = input.suppressed?.entries ?? []
    for f in input.findings + suppressed.map(\.finding) where !rules.contains(where: { $0.id == f.ruleID }) {
      rules.append(
        Rule(
          id: f.ruleID, name: f.ruleID, shortDescription: Text(text: f.title), fullDescription: nil,
          properties: RuleProperties(category: f.category.rawValue)))
    }
    let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    func result(_ f: Finding, suppressions: [Suppression]?) -> Result {
      Result(
        ruleId: f.ruleID, ruleIndex: index[f.ruleID] ?? 0, level: Self.level(f.severity),
        message: Text(text: Self.message(f)),
        locations: f.evidence.map(Self.location),
        partialFingerprints: ["podmortemFinding/v1": "\(f.ruleID)|\(f.subject.description)"],
        suppressions: suppressions,
        properties: ResultProperties(
          severity: f.severity.rawValue, subject: f.subject.description, category: f.category.rawValue,
          facts: Dictionary(f.facts.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }),
          severityOverriddenFrom: f.severityOverriddenFrom?.rawValue))
    }
    // A finding a config file suppressed stays a result, with an `external` suppression naming
    // the file and entry (SARIF §3.35, §3.34.3): dashboards show it as suppressed, not as fixed.
    let results =
      input.findings.map { result($0, suppressions: nil) }
      + suppressed.map { e in
        result(
          e.finding,
          suppressions: [
            Suppression(
              kind: "external",
              justification: "suppressed by \(input.suppressed?.file ?? "a config file") (\(e.reason))")
          ])
      }
    let log = Log(
      runs: [
        Run(
          tool: Tool(
            driver: Driver(
              name: "podmortem", version: input.toolVersion, semanticVersion: input.toolVersion, rules: rules)),
          results: results,
          invocations: [Invocation(executionSuccessful: true, toolExecutionNotifications: notifications(input))])
      ])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(log) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Input problems (stderr diagnostics) as the invocation's notifications.
  private func notifications(_ input: ReportInput) -> [Notification] {
    input.diagnostics.map { d in
      Notification(
        level: d.level == .error ? "error" : d.level == .warning ? "warning" : "note",
        message: Text(text: d.message), locations: [Self.location(d.ref, snippet: nil)])
    }
  }

  /// critical → error, warning → warning, info → note (SARIF §3.27.10).
  static func level(_ s: Severity) -> String {
    switch s {
    case .critical: "error"
    case .warning: "warning"
    case .info: "note"
    }
  }

  static func message(_ f: Finding) -> String {
    var out = "\(f.subject.description): \(f.title)\n\(f.explanation)"
    if !f.remedy.isEmpty { out += "\nNext: \(f.remedy)" }
    return out
  }

  private static func location(_ e: Evidence) -> Location { location(e.ref, snippet: e.text) }

  private static func location(_ ref: SourceRef, snippet: String?) -> Location {
    Location(
      physicalLocation: PhysicalLocation(
        artifactLocation: ArtifactLocation(uri: uri(ref.source)),
        region: ref.line > 0 ? Region(startLine: ref.line, snippet: snippet.map { Text(text: $0) }) : nil))
  }

  /// A source's provenance (`dump/events.json`, `bundle.tar.gz!ns/prod/events.json`, `<stdin>`)
  /// as a relative URI reference: path characters kept, everything else percent-encoded.
  static func uri(_ source: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: ":")
    return source.addingPercentEncoding(withAllowedCharacters: allowed) ?? "unknown"
  }
}

// MARK: - The SARIF document (only the properties podmortem fills)

private struct Log: Encodable {
  let schema = "https://json.schemastore.org/sarif-2.1.0.json"
  let version = "2.1.0"
  let runs: [Run]

  enum CodingKeys: String, CodingKey {
    case schema = "$schema", version, runs
  }
}

private struct Run: Encodable {
  let tool: Tool
  let results: [Result]
  let invocations: [Invocation]
}

private struct Tool: Encodable {
  let driver: Driver
}

private struct Driver: Encodable {
  let name: String
  let version: String
  let semanticVersion: String
  let rules: [Rule]
}

private struct Text: Encodable {
  let text: String
}

private struct Rule: Encodable {
  let id: String
  let name: String
  let shortDescription: Text
  let fullDescription: Text?
  let properties: RuleProperties
}

private struct RuleProperties: Encodable {
  let category: String
}

private struct Result: Encodable {
  let ruleId: String
  let ruleIndex: Int
  let level: String
  let message: Text
  let locations: [Location]
  let partialFingerprints: [String: String]
  let suppressions: [Suppression]?
  let properties: ResultProperties
}

private struct Suppression: Encodable {
  let kind: String
  let justification: String
}

private struct ResultProperties: Encodable {
  let severity: String
  let subject: String
  let category: String
  let facts: [String: String]
  let severityOverriddenFrom: String?
}

private struct Location: Encodable {
  let physicalLocation: PhysicalLocation
}

private struct PhysicalLocation: Encodable {
  let artifactLocation: ArtifactLocation
  let region: Region?
}

private struct ArtifactLocation: Encodable {
  let uri: String
}

private struct Region: Encodable {
  let startLine: Int
  let snippet: Text?
}

private struct Invocation: Encodable {
  let executionSuccessful: Bool
  let toolExecutionNotifications: [Notification]
}

private struct Notification: Encodable {
  let level: String
  let message: Text
  let locations: [Location]
}
