import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

@testable import Podmortem
@testable import PodmortemReport

/// The analyze report lists the events that findings and timelines cite (docs/findings-schema.md
/// "Top level", `events`); `podmortem events` is where the whole history goes.
@Suite struct CitedEventsTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func report(_ inputs: [String]) -> ReportInput {
    let options = AnalysisOptions(
      inputs: inputs.map { repo.appendingPathComponent($0).path }, now: Date(timeIntervalSince1970: 1_795_740_000))
    return Analysis(options: options).run(diagnostics: { _ in }).report
  }

  @Test func listsExactlyTheEventsFindingsAndShownTimelinesCite() {
    let report = Self.report(["samples"])
    let cited = report.citedEvents
    let lines = Set(report.findings.flatMap(\.evidence).map(\.ref))
    let shown = Set(report.timelinePods.shown.flatMap(\.events))
    #expect(!shown.isEmpty)
    var expected: [MergedEvent] = []
    for e in report.state.events where shown.contains(e) || e.evidence.contains(where: { lines.contains($0.ref) }) {
      expected.append(e)
    }
    #expect(cited == expected)
    // Some events are cited by no finding and lie in no drawn timeline: the document leaves them out.
    #expect(cited.count < report.state.events.count)
    // Every event a finding's evidence shares a line with is listed, pod event or not.
    for e in report.state.events where e.evidence.contains(where: { lines.contains($0.ref) }) {
      #expect(cited.contains(e))
    }
  }

  @Test func allPodsListsEveryPodsEvents() {
    var report = Self.report(["samples"])
    report.allPods = true
    let cited = Set(report.citedEvents)
    for pod in report.state.pods { for e in pod.events { #expect(cited.contains(e)) } }
  }

  @Test func aHealthyPodsEventsAreInTheEventsDocumentNotTheReport() throws {
    let report = Self.report(["samples/healthy-completed-job-pod/describe.txt"])
    #expect(report.findings.isEmpty)
    #expect(report.state.events.count == 4)
    let analyze = try #require(
      try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
    #expect((analyze["events"] as? [Any])?.count == 0)
    let events = try #require(
      try JSONSerialization.jsonObject(
        with: Data(JSONRenderer().renderEvents(report, events: report.state.events).utf8)) as? [String: Any])
    #expect((events["events"] as? [Any])?.count == 4)
  }
}
