import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import Testing

@Suite struct ContainerLogParserTests {
  private let podPath = "var/log/pods/default_web-0_0f1c/web/0.log"

  private func run(_ text: String, window: Int = .max, relativePath: String = "") -> LogIngestRun {
    ingestLog(
      text, parsers: [KubeletLogParser.self, ContainerLogParser.self], window: window,
      source: SourceInfo(name: "dump/" + relativePath, relativePath: relativePath))
  }

  @Test func criLinesWithVariableWidthTimes() throws {
    let text = """
      2026-11-27T01:02:03.123456789Z stdout F starting server on :8080
      2026-11-27T01:02:03.5Z stderr F warning: config missing
      2026-11-27T01:02:04Z stdout F\u{20}
      2026-11-27T01:02:05+01:00 stdout F done
      """
    let result = run(text, relativePath: podPath)
    #expect(result.account.formats == ["container-log"])
    #expect(result.account.parsed == 4)
    #expect(result.records.map(\.message) == ["starting server on :8080", "warning: config missing", "", "done"])
    #expect(result.records.map { $0.severity ?? "" } == ["stdout", "stderr", "stdout", "stdout"])
    #expect(result.records.allSatisfy { $0.origin == .container })
    #expect(result.records.allSatisfy { ($0.namespace, $0.pod, $0.container) == ("default", "web-0", "web") })
    #expect(result.records.dropFirst().first?.time == TimeRange(exactly: instant("2026-11-27T01:02:03.5Z")))
    #expect(result.records.last?.time == TimeRange(exactly: instant("2026-11-27T00:02:05Z")))
    #expect(result.diagnostics.isEmpty)
  }

  private let partials = """
    2026-11-27T01:02:03.1Z stdout P first chunk,\u{20}
    2026-11-27T01:02:03.2Z stderr F an error in between
    2026-11-27T01:02:03.3Z stdout P second chunk,\u{20}
    2026-11-27T01:02:03.4Z stdout F last chunk
    2026-11-27T01:02:04Z stdout P cut off at the end
    """

  @Test(arguments: [1, 7, 4096])
  func partialChunksJoinWithTheirFullLine(window: Int) throws {
    let result = run(partials, window: window, relativePath: podPath)
    #expect(result.records.count == 3)
    #expect(result.account.parsed == 5)
    #expect(result.account.unrecognised == 0)
    let stderr = try #require(result.records.first)
    #expect(stderr.message == "an error in between")
    let joined = try #require(result.records.dropFirst().first)
    #expect(joined.message == "first chunk, second chunk, last chunk")
    #expect(joined.text == joined.message)
    #expect(joined.evidence.ref.line == 1)
    #expect(joined.time == TimeRange(exactly: instant("2026-11-27T01:02:03.1Z")))
    #expect(result.records.last?.message == "cut off at the end")
    #expect(result.records.last?.evidence.ref.line == 5)
  }

  @Test(arguments: [1, 7, 4096])
  func dockerJSONFile(window: Int) throws {
    let text = """
      {"log":"Listening on 8080\\n","stream":"stdout","time":"2016-10-20T18:39:20.57606443Z"}
      {"log":"part one ","stream":"stderr","time":"2016-10-20T18:39:21.1Z"}
      {"log":"part two\\r\\n","stream":"stderr","time":"2016-10-20T18:39:21.2Z"}
      {"log":"quote \\" and \\u00e9\\n","stream":"stdout","time":"2016-10-20T18:39:22Z"}
      """
    let result = run(
      text, window: window,
      relativePath:
        "var/log/containers/web-0_default_web-05657a9c673d612aedd955a65136ccca36b82ba987831de7844cdc0238f1d707.log")
    #expect(result.account.formats == ["container-log"])
    #expect(result.records.map(\.message) == ["Listening on 8080", "part one part two", "quote \" and é"])
    #expect(result.records.map { $0.severity ?? "" } == ["stdout", "stderr", "stdout"])
    #expect(result.records.first?.time == TimeRange(exactly: instant("2016-10-20T18:39:20.57606443Z")))
    #expect(result.records.allSatisfy { $0.pod == "web-0" && $0.namespace == "default" && $0.container == "web" })
    #expect(result.account.parsed == 4)
  }

  @Test func withoutAKnownPathThereIsNoSubject() throws {
    let r = try #require(run("2026-11-27T01:02:03Z stdout F hello\n", relativePath: "logs/app.log").records.first)
    #expect(r.pod == nil)
    #expect(r.message == "hello")
  }

  @Test(arguments: [1, 7, 4096])
  func badLinesAreUnrecognisedAndNeverCrash(window: Int) {
    let text = """
      2026-11-27T01:02:03Z stdout F ok
      2026-11-27T01:02:03Z stdin F wrong stream
      2026-13-27T01:02:03Z stdout F bad month
      2026-11-27T01:02:03Z stdout X bad tag
      {"log":"no time","stream":"stdout"}
      plain text

      \u{00}\u{FF}
      2026-11-27T01:02:03Z stdout F:future tag keeps working
      """
    let result = run(text, window: window)
    #expect(result.account.lines == 9)
    #expect(result.account.parsed == 2)
    #expect(result.account.ignored == 1)
    #expect(result.account.unrecognised == 6)
    #expect(result.records.map(\.message) == ["ok", "tag keeps working"])
  }

  @Test func sniff() {
    let cri = [Line(number: 1, text: "2026-11-27T01:02:03Z stdout F hello")]
    let docker = [Line(number: 1, text: #"{"log":"x\n","stream":"stdout","time":"2016-10-20T18:39:20Z"}"#)]
    #expect(ContainerLogParser.sniff(head: cri, info: SourceInfo(name: "x")) == 90)
    #expect(ContainerLogParser.sniff(head: docker, info: SourceInfo(name: "/var/log/pods/a_b_c/d/0.log")) == 95)
    #expect(KubeletLogParser.sniff(head: cri, info: SourceInfo(name: "x")) == 0)
    #expect(ContainerLogParser.sniff(head: [Line(number: 1, text: "hello")], info: SourceInfo(name: "x")) == 0)
  }
}
