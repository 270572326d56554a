import Foundation
import Podmortem
import PodmortemReport
import Testing

/// docs/findings-schema.md and the JSON document say the same: every field the document lists is
/// emitted (on the shipped samples), and nothing is emitted that it does not list.
@Suite struct JSONSchemaDocumentTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func doc() throws -> String {
    try String(contentsOf: repo.appendingPathComponent("docs/findings-schema.md"), encoding: .utf8)
  }

  /// The rows of the markdown table under `heading`: first cell's backticked names → the row.
  static func table(_ text: String, heading: String) -> [(names: [String], row: String)] {
    guard let start = text.range(of: "\n" + heading + "\n") else { return [] }
    var rows: [(names: [String], row: String)] = []
    for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("#") { break }
      guard line.hasPrefix("| `") else { continue }
      let first = line.dropFirst(2).prefix { $0 != "|" }
      let names = first.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter {
        $0.offset % 2 == 1
      }.map { String($0.element) }
      rows.append((names, String(line)))
    }
    return rows
  }

  /// The backticked names in the third cell that look like JSON keys.
  static func listed(in row: String) -> Set<String> {
    let cells = row.split(separator: "|", omittingEmptySubsequences: false)
    guard cells.count > 3 else { return [] }
    let parts = cells[3].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter {
      $0.offset % 2 == 1
    }.map { String($0.element) }
    return Set(parts.filter { $0.first?.isLowercase == true && $0.allSatisfy { $0.isLetter } })
  }

  static func report(_ arguments: [String] = [], eventsDocument: Bool = false) throws -> [String: Any] {
    // A pasted Events table gives a pod the input does not name (`pastedAt`).
    let inputs = ["samples/_all", "samples/bundles", "samples/pastes/events-table-secret-missing-b21/input.txt"].map {
      repo.appendingPathComponent($0).path
    }
    var options = AnalysisOptions(inputs: inputs, now: Date(timeIntervalSince1970: 1_795_740_000))
    options.revealSecrets = false
    let result = Analysis(options: options).run(diagnostics: { _ in })
    let json =
      eventsDocument
      ? JSONRenderer().renderEvents(result.report, events: result.report.state.events)
      : JSONRenderer().render(result.report)
    return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  @Test func everyDocumentedFieldIsEmittedAndNothingElse() throws {
    let text = try Self.doc()
    let report = try Self.report()
    let top = Self.table(text, heading: "## Top level")
    let optional: Set<String> = ["suppressed"]  // only with a config file
    let documentedTop = Set(top.flatMap(\.names))
    #expect(
      Set(report.keys).subtracting(["schemaVersion"])
        == documentedTop.subtracting(optional).subtracting(["schemaVersion"]))
    #expect(report["schemaVersion"] as? Int == 1)

    // Findings: every documented field on some finding, and no other.
    let findings = try #require(report["findings"] as? [[String: Any]])
    let findingFields = Set(Self.table(text, heading: "## Findings").flatMap(\.names))
    let emitted = Set(findings.flatMap(\.keys))
    #expect(emitted == findingFields.subtracting(["severityOverriddenFrom"]))

    // Events: the fields the `events` row lists, on the whole history (the events document's:
    // the report lists only the cited events, which need not show every field).
    let eventsRow = try #require(top.first { $0.names == ["events"] }?.row)
    let events = try #require(try Self.report(eventsDocument: true)["events"] as? [[String: Any]])
    let eventKeys = Set(events.flatMap(\.keys))
    #expect(eventKeys == Self.listed(in: eventsRow).subtracting(["earliest", "latest"]))

    // Pods: the fields the `pods` row lists (`input.txt:3` is an example, not a key).
    let podsRow = try #require(top.first { $0.names == ["pods"] }?.row)
    let pods = try #require(report["pods"] as? [[String: Any]])
    #expect(Set(pods.flatMap(\.keys)) == Self.listed(in: podsRow))

    // Sources.
    let sourcesRow = try #require(top.first { $0.names == ["sources"] }?.row)
    let sources = try #require(report["sources"] as? [[String: Any]])
    #expect(Set(sources.flatMap(\.keys)) == Self.listed(in: sourcesRow))
  }
}
