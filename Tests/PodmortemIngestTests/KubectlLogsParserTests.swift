import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText
import Testing

@Suite struct KubectlLogsParserTests {
  private func ingest(_ text: String, relativePath: String) -> (SourceAccount, [LogRecord]) {
    var reader = LineReader(string: text, window: 7)
    let info = SourceInfo(name: "mg!\(relativePath)", relativePath: relativePath, root: "mg")
    let context = ParseContext(
      source: info, captureTime: CaptureTime(date: Date(timeIntervalSince1970: 0), origin: .flag),
      diagnostics: { _ in })
    var logs: [LogRecord] = []
    let account = Ingestor().ingest(&reader, context: context) { if case .log(let l) = $0 { logs.append(l) } }
    return (account, logs)
  }

  @Test("a must-gather current.log is attributed to its pod and container")
  func mustGatherLog() throws {
    let (account, logs) = ingest(
      "starting server\n2026-11-27T00:59:58.123456789Z listening on :8080\n\npanic: boom\n",
      relativePath: "namespaces/prod/pods/web-0/web/web/logs/current.log")
    #expect(account.formats == ["kubectl-logs"])
    #expect((account.parsed, account.ignored, account.unrecognised) == (3, 1, 0))
    #expect(logs.map(\.message) == ["starting server", "listening on :8080", "panic: boom"])
    #expect(logs.allSatisfy { $0.namespace == "prod" && $0.pod == "web-0" && $0.container == "web" })
    #expect(logs[1].time?.earliest == RFC3339.parse("2026-11-27T00:59:58.123456789Z")?.date)
    #expect(logs[0].time == nil)
  }

  @Test("the same text outside a bundle layout is not claimed")
  func outsideBundle() {
    let (account, logs) = ingest("starting server\n", relativePath: "notes/today.txt")
    #expect(account.formats == ["plain-text"])
    #expect(logs.isEmpty)
    #expect(account.unrecognised == 1)
  }
}
