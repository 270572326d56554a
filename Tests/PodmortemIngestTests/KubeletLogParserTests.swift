import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import Testing

@Suite struct KubeletLogParserTests {
  private let probe =
    #"I1127 01:02:03.456789   12345 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-0" podUID="0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f" containerName="web" probeResult="failure" output="HTTP probe failed with statuscode: 503""#

  private func run(_ text: String, window: Int = .max, capture: String = "2026-11-27T04:00:00Z") -> LogIngestRun {
    ingestLog(
      text, parsers: [KubeletLogParser.self, ContainerLogParser.self], window: window, capture: instant(capture))
  }

  @Test func klogLineBecomesOneRecord() throws {
    let result = run(probe + "\n")
    let r = try #require(result.records.first)
    #expect(result.records.count == 1)
    #expect(result.account.formats == ["kubelet-log"])
    #expect(r.origin == .kubelet)
    #expect(r.severity == "I")
    #expect(r.message == "Probe failed")
    #expect(r.fields.map(\.key) == ["probeType", "pod", "podUID", "containerName", "probeResult", "output"])
    #expect(r.field("output") == "HTTP probe failed with statuscode: 503")
    #expect((r.namespace, r.pod, r.container) == ("default", "web-0", "web"))
    #expect(r.text.hasPrefix(#""Probe failed" probeType="Readiness""#))
    #expect(r.evidence == Evidence(ref: SourceRef(source: "kubelet.log", line: 1), text: probe))
    let time = try #require(r.time)
    #expect(time.width == 0)
    #expect(abs(time.earliest.timeIntervalSince1970 - 1_795_741_323.456789) < 1e-5)
  }

  /// A paste wrapped at the terminal's width: the rest of a long line sits on the next lines
  /// without a header, and the record is the whole line again (mid-word breaks included).
  @Test func aWrappedLineIsJoinedToItsRecord() throws {
    let cut = probe.index(probe.startIndex, offsetBy: 120)
    let wrapped = String(probe[..<cut]) + "\n" + String(probe[cut...]) + "\n" + probe + "\n"
    let result = run(wrapped)
    #expect(result.records.count == 2)
    #expect(result.account.unrecognised == 0 && result.account.parsed == 3)
    let r = try #require(result.records.first)
    #expect(r.field("output") == "HTTP probe failed with statuscode: 503")
    #expect(r.evidence.ref.line == 1)
    #expect(result.records.map(\.text) == [result.records[1].text, result.records[1].text])

    // A short line is never waiting for a continuation, and prose after it stays unrecognised.
    let short = run("I1127 01:02:03.456789   12345 kubelet.go:1] \"Started\"\nthis is not a log line\n")
    #expect(short.records.count == 1 && short.account.unrecognised == 1)
  }

  @Test func oneNoteSaysTheYearAndZoneWereInferred() throws {
    let result = run(probe + "\n" + probe + "\n" + probe + "\n")
    #expect(result.records.count == 3)
    #expect(result.diagnostics.count == 1)
    let note = try #require(result.diagnostics.first)
    #expect(note.level == .note)
    #expect(note.ref == SourceRef(source: "kubelet.log", line: 1))
    #expect(note.message.contains("'2026-11-27T04:00:00Z'"))
    #expect(note.message.contains("'UTC'"))
  }

  @Test func decemberLinesReadInJanuaryAreLastYear() throws {
    let line =
      #"E1231 23:59:58.000001    4052 kubelet.go:2000] "Pod fully terminated and removed from etcd" pod="default/web-0""#
    let result = run(line, capture: "2027-01-01T00:10:00Z")
    let time = try #require(result.records.first?.time)
    #expect(abs(time.earliest.timeIntervalSince(instant("2026-12-31T23:59:58.000001Z"))) < 1e-5)
    #expect(result.records.first?.severity == "E")
  }

  @Test func timeZoneCanBeGiven() throws {
    let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
    let context = ParseContext(
      source: SourceInfo(name: "k.log"), captureTime: CaptureTime(date: instant("2026-11-27T04:00:00Z"), origin: .flag),
      diagnostics: { _ in })
    var parser = KubeletLogParser(context: context, timeZone: berlin)
    var records: [LogRecord] = []
    _ = parser.feed(Line(number: 1, text: probe)) { if case .log(let r) = $0 { records.append(r) } }
    // A long line waits for a possible wrapped continuation until the next line or the end.
    parser.finish { if case .log(let r) = $0 { records.append(r) } }
    let time = try #require(records.first?.time)
    #expect(abs(time.earliest.timeIntervalSince(instant("2026-11-27T00:02:03.456789Z"))) < 1e-5)
  }

  private let multiLine = """
    I1127 01:02:03.456789    4052 prober.go:107] "Probe failed" probeType="Liveness" pod="default/liveness-exec" podUID="93e17ecc-ab55-461a-b526-29248d2554ad" containerName="liveness" probeResult="failure" output=<
    \tcat: can't open '/tmp/healthy': No such file or directory
    \t
    \tsecond line
     > extra="after"
    I1127 01:02:04.000000    4052 kubelet.go:2528] "SyncLoop (probe)" probe="liveness" status="unhealthy" pod="default/liveness-exec"

    """

  @Test(arguments: [1, 7, 4096])
  func multiLineValuesJoinIntoTheRecordOfTheirFirstLine(window: Int) throws {
    let result = run(multiLine, window: window)
    #expect(result.records.count == 2)
    let r = try #require(result.records.first)
    #expect(r.field("output") == "cat: can't open '/tmp/healthy': No such file or directory\n\nsecond line")
    #expect(r.fields.last == KeyValue("extra", "after"))
    #expect(r.evidence.ref.line == 1)
    #expect(
      r.text.hasSuffix(
        "output=<\n\tcat: can't open '/tmp/healthy': No such file or directory\n\t\n\tsecond line\n > extra=\"after\""))
    #expect(result.records.last?.message == "SyncLoop (probe)")
    #expect(result.records.last?.evidence.ref.line == 6)
    #expect(result.account.lines == 6)
    #expect(result.account.parsed == 6)
    #expect(result.account.unrecognised == 0)
  }

  @Test func errorValuesAcrossLinesThenMorePairs() throws {
    let text = """
      E1127 01:02:03.000000    4052 kuberuntime_container.go:700] "PreStop hook failed" err=<
      \tcommand '/bin/sh -c sleep 5; exit 1' exited with 1: line one
      \tline two
       > pod="default/web-0" podUID="uid-1" containerName="web" containerID="containerd://abc"
      """
    let r = try #require(run(text).records.first)
    #expect(r.fields.first?.key == "err")
    #expect(r.field("err") == "command '/bin/sh -c sleep 5; exit 1' exited with 1: line one\nline two")
    #expect((r.pod, r.container) == ("web-0", "web"))
  }

  @Test func aValueNeverClosedIsStillEmitted() throws {
    let text = """
      I1127 01:02:03.000000    4052 prober.go:107] "Probe failed" output=<
      \tpartial
      I1127 01:02:04.000000    4052 prober.go:107] "Probe failed" output=<
      \tcut at the end
      """
    let result = run(text)
    #expect(result.records.map { $0.field("output") } == ["partial", "cut at the end"])
    #expect(result.account.parsed == 4)
  }

  @Test func journaldPrefixedLines() throws {
    let text = """
      -- Logs begin at Thu 2026-11-26 00:00:00 UTC. --
      Nov 27 01:02:03 node-1 kubelet[4052]: I1127 01:02:03.456789    4052 prober.go:107] "Probe failed" probeType="Liveness" pod="default/web-0" podUID="u" containerName="web" probeResult="failure" output=<
      Nov 27 01:02:03 node-1 kubelet[4052]: \tline one
      Nov 27 01:02:03 node-1 kubelet[4052]:  >
      Nov 27 01:02:05 node-1 systemd[1]: kubelet.service: Main process exited, code=exited, status=1/FAILURE
      Nov 27 01:02:06 node-1 kubelet[4060]: Flag --container-runtime has been deprecated
      """
    let result = run(text)
    #expect(result.account.formats == ["kubelet-log"])
    #expect(result.account.ignored == 1)
    #expect(result.account.parsed == 5)
    #expect(result.records.count == 3)
    let probe = try #require(result.records.first)
    #expect(probe.field("output") == "line one")
    #expect(probe.pod == "web-0")
    let systemd = try #require(result.records.dropFirst().first)
    #expect(systemd.origin == .other)
    #expect(systemd.field("identifier") == "systemd")
    #expect(systemd.message == "kubelet.service: Main process exited, code=exited, status=1/FAILURE")
    let systemdTime = try #require(systemd.time)
    #expect(systemdTime.earliest == instant("2026-11-27T01:02:05Z"))
    #expect(systemdTime.width == 1)
    #expect(result.records.last?.origin == .kubelet)
    #expect(result.diagnostics.count == 1)
  }

  @Test func journaldIsoTimesNeedNoInference() throws {
    let text =
      #"2027-01-01T00:00:00.100000+0000 node-1 kubelet[4052]: I1231 23:59:59.999000    4052 kubelet.go:2439] "SyncLoop DELETE" source="api" pods=["default/web-0"]"#
    let result = run(text, capture: "2027-06-01T00:00:00Z")
    let r = try #require(result.records.first)
    #expect(result.diagnostics.isEmpty)
    #expect(abs((r.time?.earliest.timeIntervalSince(instant("2026-12-31T23:59:59.999Z"))) ?? 1) < 1e-5)
    #expect((r.namespace, r.pod) == ("default", "web-0"))
  }

  @Test func jsonLoggingFormat() throws {
    let text = """
      {"ts":1732669323456.789,"caller":"prober/prober.go:107","msg":"Probe failed","v":1,"probeType":"Readiness","pod":{"name":"web-0","namespace":"default"},"podUID":"0f1c","containerName":"web","probeResult":"failure","output":"HTTP probe failed with statuscode: 503"}
      {"ts":1732669324000,"caller":"kuberuntime/kuberuntime_container.go:700","msg":"Container termination failed with gracePeriod","pod":{"name":"web-0","namespace":"default"},"containerName":"web","gracePeriod":30,"err":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}
      """
    let result = run(text)
    #expect(result.account.formats == ["kubelet-log"])
    #expect(result.diagnostics.isEmpty)
    let r = try #require(result.records.first)
    #expect(r.message == "Probe failed")
    #expect(r.severity == "I")
    #expect(abs((r.time?.earliest.timeIntervalSince1970 ?? 0) - 1_732_669_323.456789) < 1e-5)
    #expect(r.field("pod") == "default/web-0")
    #expect((r.namespace, r.pod, r.container) == ("default", "web-0", "web"))
    #expect(
      r.text
        == #""Probe failed" probeType="Readiness" pod="default/web-0" podUID="0f1c" containerName="web" probeResult="failure" output="HTTP probe failed with statuscode: 503""#
    )
    let e = try #require(result.records.last)
    #expect(e.severity == "E")
    #expect(e.fields.map(\.key) == ["err", "pod", "containerName", "gracePeriod"])
    #expect(e.text.hasSuffix(#"containerName="web" gracePeriod=30"#))
    #expect(e.text.hasPrefix(#""Container termination failed with gracePeriod" err="rpc error"#))
  }

  @Test func infofFreeTextAndEventOccurred() throws {
    let text = """
      I1127 01:02:03.000000    4052 prober.go:117] Liveness probe for "web-0_default(0f1c):web" failed (failure): HTTP probe failed with statuscode: 500
      I1127 01:02:04.000000    4052 event.go:389] "Event occurred" object="default/web-0" fieldPath="spec.containers{web}" kind="Pod" apiVersion="v1" type="Warning" reason="Unhealthy" message="Liveness probe failed: HTTP probe failed with statuscode: 500"
      I1127 01:02:05.000000    4052 kubelet_node_status.go:700] "Recording event message for node" node="node-1" event="NodeNotReady"
      """
    let records = run(text).records
    #expect(records.count == 3)
    #expect(records.first?.message.hasPrefix("Liveness probe for ") == true)
    #expect(records.first?.fields.isEmpty == true)
    #expect(records.first?.pod == nil)
    let event = try #require(records.dropFirst().first)
    #expect((event.namespace, event.pod, event.container) == ("default", "web-0", "web"))
    #expect(event.field("reason") == "Unhealthy")
    #expect(records.last?.pod == nil)
  }

  @Test func podFromTheKubeletsPodFormat() {
    var record = LogRecord(
      origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "s", line: 1), text: ""))
    record.fields = [KeyValue("pod", "web-0_default(0f1c)")]
    let located = KubeletLogParser.located(record)
    #expect((located.namespace, located.pod) == ("default", "web-0"))
  }

  /// Pod references split on bytes when ASCII and by characters otherwise: the same answers
  /// (a combining mark after `/` makes another character, so that `/` splits nothing).
  @Test(
    arguments: [
      ("pod", "shop/web-0", "shop", "web-0"), ("pod", "/web-0", nil, "web-0"), ("pod", "\"shop/web-0", "shop", "web-0"),
      ("pod", "web-0_shop(0f1c)", "shop", "web-0"), ("pod", "web-0(0f1c)", nil, "web-0(0f1c)"),
      ("pod", "web_0_shop(0f1c", nil, "web_0_shop(0f1c"), ("pod", "web-0", nil, "web-0"), ("pod", "\"", nil, nil),
      ("pods", "[\"shop/web-0\"]", "shop", "web-0"), ("pods", "[\"shop/a\" \"shop/b\"]", nil, nil),
      ("pods", "[\"shop/a\",\"shop/b\"]", nil, nil), ("pod", "shöp/wéb-0", "shöp", "wéb-0"),
      ("pod", "shop/\u{301}web-0", nil, "shop/\u{301}web-0"), ("pod", "wéb_shop(0f1c)", "shop", "wéb"),
    ] as [(String, String, String?, String?)])
  func podReferencesSplitTheSameOnBytesAndCharacters(key: String, value: String, namespace: String?, pod: String?) {
    var record = LogRecord(
      origin: .kubelet, message: "m", evidence: Evidence(ref: SourceRef(source: "s", line: 1), text: ""))
    record.fields = [KeyValue(key, value)]
    let located = KubeletLogParser.located(record)
    #expect(located.namespace == namespace)
    #expect(located.pod == pod)
  }

  @Test(arguments: [1, 7, 4096])
  func badLinesAreUnrecognisedAndNeverCrash(window: Int) {
    let text =
      probe + "\n\n" + "goroutine 1 [running]:\n" + "\u{00}\u{FF}binary\u{01}\n" + #"{"ts":broken"# + "\n"
      + "I1127 01:02:03.456789   12345 prober.go:107] \"unterminated\n" + "\t stray continuation\n"
    let result = run(text, window: window)
    #expect(result.account.lines == 7)
    #expect(result.account.ignored == 1)
    #expect(result.account.unrecognised == 4)
    #expect(result.account.firstUnrecognised == [3, 4, 5, 7])
    #expect(result.records.count == 2)
  }

  @Test func sniffPrefersKubeletLogs() {
    let head = [Line(number: 1, text: probe), Line(number: 2, text: "\tcontinuation")]
    #expect(KubeletLogParser.sniff(head: head, info: SourceInfo(name: "x")) == 90)
    #expect(
      KubeletLogParser.sniff(head: [Line(number: 1, text: "NAME READY STATUS")], info: SourceInfo(name: "x")) == 0)
    #expect(ContainerLogParser.sniff(head: head, info: SourceInfo(name: "x")) == 0)
  }
}

/// Every example of `patterns/kubelet.json` is the text a klog line has after its header: put a
/// header in front, and the parser must hand that text back unchanged for the patterns to see.
@Suite struct KubeletPatternExampleTests {
  private struct Catalog: Decodable {
    struct Pattern: Decodable {
      struct Example: Decodable { var text: String }
      var id: String
      var examples: [Example]
    }
    var patterns: [Pattern]
  }

  @Test func examplesRoundTripThroughTheParser() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("patterns/kubelet.json")
    let catalog = try JSONDecoder().decode(Catalog.self, from: Data(contentsOf: url))
    #expect(catalog.patterns.count >= 30)
    #expect(Set(catalog.patterns.map(\.id)).count == catalog.patterns.count)
    for pattern in catalog.patterns {
      for example in pattern.examples {
        let line = "I1127 01:02:03.456789   12345 file.go:1] " + example.text
        let records = ingestLog(line, parsers: [KubeletLogParser.self]).records
        #expect(records.count == 1, "\(pattern.id)")
        #expect(records.first?.text == example.text, "\(pattern.id)")
        if example.text.hasPrefix("\"") {
          #expect(records.first?.fields.isEmpty == false || example.text.hasSuffix("=<"), "\(pattern.id)")
        }
      }
    }
  }
}

@Test func anEventOccurredLineCarriesTheEventPatternOfItsMessage() throws {
  let line =
    #"I1127 00:58:21.118203    2291 event.go:389] "Event occurred" object="default/web-0" fieldPath="spec.containers{web}" kind="Pod" apiVersion="v1" type="Normal" reason="Killing" message="Stopping container web""#
  var reader = LineReader(string: line + "\n")
  let context = ParseContext(
    source: SourceInfo(name: "kubelet.log"), captureTime: CaptureTime(date: objectCaptureDate, origin: .flag),
    diagnostics: { _ in })
  var records: [Record] = []
  _ = Ingestor(patterns: .shipped(diagnostics: { _ in })).ingest(&reader, context: context) { records.append($0) }
  guard case .log(let log)? = records.first else {
    Issue.record("no log record")
    return
  }
  #expect(log.patternID == "kubelet.event-occurred")
  #expect(log.capture("event.pattern") == "event.stopping-container" && log.capture("event.container") == "web")
}
