import Foundation
import PodmortemCorrelate
import Testing

@testable import Podmortem
@testable import PodmortemReport

/// A report holds each event once: every event of a pod is the history's event itself (one
/// storage, `MergedEvent`), also after the output filter, unless masking changed it.
@Suite struct SharedEventsTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func report(_ inputs: [String], revealSecrets: Bool = false) -> ReportInput {
    let options = AnalysisOptions(
      inputs: inputs.map { repo.appendingPathComponent($0).path }, now: Date(timeIntervalSince1970: 1_795_740_000),
      revealSecrets: revealSecrets)
    return Analysis(options: options).run(diagnostics: { _ in }).report
  }

  @Test(arguments: [false, true])
  func podsHoldTheHistorysEvents(revealSecrets: Bool) {
    let report = Self.report(["samples"], revealSecrets: revealSecrets)
    let history = report.state.events
    let equal = Set(history)
    var podEvents = 0
    var shared = 0
    for pod in report.state.pods {
      for e in pod.events {
        podEvents += 1
        // The history holds an equal event; with the same storage unless the filter rewrote it.
        #expect(equal.contains(e))
        if history.contains(where: { $0.sharesStorage(with: e) }) { shared += 1 }
      }
    }
    #expect(podEvents > 100)
    // The samples hold a few events with secrets or control characters to rewrite, not more.
    #expect(shared * 10 >= podEvents * 9, "\(shared) of \(podEvents) pod events shared")
  }
}
