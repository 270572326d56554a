import Foundation
import Testing

/// The decisive line first (docs/architecture.md "Findings"): for every failing sample, the line
/// `samples/decisive.json` names is among the first three evidence lines of the first finding the
/// binary reports on the sample's describe output.
@Suite struct DecisiveEvidenceTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var sample: String
    var decisive: String
    var testDescription: String { sample }
  }

  static let cases: [Case] = {
    let url = BinaryRunner.repoRoot.appendingPathComponent("samples/decisive.json")
    guard let data = try? Data(contentsOf: url),
      let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let cases = document["cases"] as? [String: String]
    else { return [] }
    return cases.sorted { $0.key < $1.key }.map { Case(sample: $0.key, decisive: $0.value) }
  }()

  @Test func everyFailingSampleNamesItsDecisiveLine() throws {
    #expect(Self.cases.count >= 15)
    let samples = try FileManager.default.contentsOfDirectory(
      atPath: BinaryRunner.repoRoot.appendingPathComponent("samples").path)
    for c in Self.cases { #expect(samples.contains(c.sample), "\(c.sample) is not a sample") }
  }

  @Test(arguments: cases)
  func decisiveLineIsAmongTheFirstThree(_ c: Case) throws {
    let result = try BinaryRunner.run(
      ["analyze", "--format", "json", "--now", "2026-11-27T01:00:00Z", "samples/\(c.sample)/describe.txt"])
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "no JSON: \(result.stderr)")
    let findings = try #require(document["findings"] as? [[String: Any]])
    let first = try #require(findings.first, "\(c.sample): no finding")
    let lines = (first["evidence"] as? [[String: Any]] ?? []).prefix(3).compactMap { $0["text"] as? String }
    #expect(lines.contains { $0.contains(c.decisive) }, "\(c.sample): '\(c.decisive)' not in \(lines)")
  }
}
