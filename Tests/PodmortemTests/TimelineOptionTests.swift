import Foundation
import PodmortemCorrelate
import Testing

@testable import Podmortem
@testable import PodmortemReport

/// `AnalysisOptions.timelines` off (what the CLI does for JSON, JUnit, SARIF and `podmortem
/// events`) leaves every timeline empty and changes nothing else: the reports that print no
/// timeline are byte for byte those of a run that built them, on every shipped sample and bundle.
@Suite struct TimelineOptionTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func report(_ inputs: [String], timelines: Bool) -> ReportInput {
    var options = AnalysisOptions(
      inputs: inputs.map { repo.appendingPathComponent($0).path }, now: Date(timeIntervalSince1970: 1_795_740_000))
    options.timelines = timelines
    return Analysis(options: options).run(diagnostics: { _ in }).report
  }

  static var inputSets: [[String]] {
    let samples = repo.appendingPathComponent("samples")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
    return [["samples"]]
      + names.sorted().filter { !$0.hasSuffix(".json") && !$0.hasSuffix(".md") }.map { ["samples/\($0)"] }
  }

  @Test(arguments: inputSets)
  func reportsWithoutTimelinesAreUnchanged(_ inputs: [String]) {
    let built = Self.report(inputs, timelines: true)
    let skipped = Self.report(inputs, timelines: false)
    #expect(skipped.state.pods.allSatisfy { $0.timeline.isEmpty })
    for format in [ReportFormat.json, .junit, .sarif] {
      #expect(format.render(skipped) == format.render(built), "\(inputs) \(format)")
    }
    #expect(
      JSONRenderer().renderEvents(skipped, events: skipped.state.events)
        == JSONRenderer().renderEvents(built, events: built.state.events))
    var cleared = built.state.pods
    for i in cleared.indices { cleared[i].timeline = [] }
    #expect(cleared == skipped.state.pods)
    #expect(skipped.findings == built.findings)
  }

  @Test func theWholeSampleSetHasTimelinesToSkip() {
    let built = Self.report(["samples"], timelines: true)
    #expect(built.state.pods.filter { !$0.timeline.isEmpty }.count > 20)
  }

  @Test func onlyTheFormatsThatPrintTimelinesAskForThem() {
    #expect(OutputFormat.allCases.filter(\.printsTimelines) == [.text, .markdown, .html])
  }
}
