import PodmortemIngest
import PodmortemModel
import Testing

@Suite struct KlogParserTests {
  private let probeLine =
    #"I1127 01:02:03.456789   12345 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-0" podUID="0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f" containerName="web" probeResult="failure" output="HTTP probe failed with statuscode: 503""#

  private func body(_ text: String) -> KlogBody { KlogBody.parse(Array(text.utf8), from: 0) }

  @Test func headerFields() throws {
    let b = Array(probeLine.utf8)
    let h = try #require(KlogHeader.parse(b))
    #expect(h.severity == "I")
    #expect((h.month, h.day, h.hour, h.minute, h.second) == (11, 27, 1, 2, 3))
    #expect(abs(h.fraction - 0.456789) < 1e-9)
    #expect(h.threadID == 12345)
    #expect(h.file == "prober.go")
    #expect(h.line == 107)
    #expect(String(decoding: b[h.bodyStart...], as: UTF8.self).hasPrefix(#""Probe failed""#))
    // The padding before the thread id copied as a tab.
    let tabbed = try #require(KlogHeader.parse(Array("I1127 01:02:03.456789\t12345 prober.go:107] x".utf8)))
    #expect(tabbed.threadID == 12345 && tabbed.file == "prober.go")
  }

  @Test(arguments: [
    "", "hello", "X1127 01:02:03.456789   12345 prober.go:107] x", "I1327 01:02:03.456789   1 prober.go:107] x",
    "I1127 01:02:03.456789   12345 prober.go:107 x", "I1127 01:02:03.456789 prober.go:107] x",
    "I1127 1:02:03.456789   1 a.go:1] x",
  ])
  func notAHeader(text: String) {
    #expect(KlogHeader.parse(Array(text.utf8)) == nil)
  }

  @Test func structuredMessageAndFieldsInOrder() {
    let b = Array(probeLine.utf8)
    let start = KlogHeader.parse(b)?.bodyStart ?? 0
    let body = KlogBody.parse(b, from: start)
    #expect(body.structured)
    #expect(body.message == "Probe failed")
    #expect(body.fields.map(\.key) == ["probeType", "pod", "podUID", "containerName", "probeResult", "output"])
    #expect(body.fields.last?.value == "HTTP probe failed with statuscode: 503")
    #expect(body.openKey == nil)
  }

  @Test func quotedValuesAreUnescaped() {
    let text =
      #""Error syncing pod, skipping" err="failed to \"StartContainer\" for \"web\" with CrashLoopBackOff: \"back-off 40s restarting failed container=web pod=web-0_default(0f1c)\"" pod="default/web-0""#
    let b = body(text)
    #expect(b.message == "Error syncing pod, skipping")
    #expect(
      b.fields.first
        == KeyValue(
          "err",
          #"failed to "StartContainer" for "web" with CrashLoopBackOff: "back-off 40s restarting failed container=web pod=web-0_default(0f1c)""#
        ))
    #expect(b.fields.last == KeyValue("pod", "default/web-0"))
  }

  @Test func unquotedValuesKeepBracketsStructsAndJSON() {
    let text =
      #""SyncLoop (PLEG): event for pod" pod="default/web-0" event={"ID":"93e1","Type":"ContainerDied","Data":"0565 x"} gracePeriod=30 pods=["default/a" "default/b"] condition={Type:Ready Status:False Message:a b=c} podUID=93e1 done=true"#
    let b = body(text)
    #expect(
      b.fields == [
        KeyValue("pod", "default/web-0"), KeyValue("event", #"{"ID":"93e1","Type":"ContainerDied","Data":"0565 x"}"#),
        KeyValue("gracePeriod", "30"), KeyValue("pods", #"["default/a" "default/b"]"#),
        KeyValue("condition", "{Type:Ready Status:False Message:a b=c}"), KeyValue("podUID", "93e1"),
        KeyValue("done", "true"),
      ])
  }

  @Test func unquotedValueWithSpacesRunsToTheNextKey() {
    let b = body(#""Got sys oom event" event=&{Pid:4242 ProcessName:java} note=a b c last="x""#)
    #expect(
      b.fields == [KeyValue("event", "&{Pid:4242 ProcessName:java}"), KeyValue("note", "a b c"), KeyValue("last", "x")])
  }

  @Test func multiLineValueOpensAtTheEnd() {
    let b = body(#""Probe failed" probeType="Liveness" output=<"#)
    #expect(b.openKey == "output")
    #expect(b.fields == [KeyValue("probeType", "Liveness")])
  }

  @Test func freeTextInfof() {
    let text = #"Liveness probe for "web-0_default(0f1c):web" failed (failure): HTTP probe failed with statuscode: 500"#
    let b = body(text)
    #expect(!b.structured)
    #expect(b.message == text)
    #expect(b.fields.isEmpty)
  }

  @Test func aQuotedPrefixThatIsNotAMessageIsFreeText() {
    let b = body(#""quoted"and more"#)
    #expect(!b.structured)
    #expect(b.message == #""quoted"and more"#)
  }

  @Test func cutLinesKeepWhatTheyHave() {
    let b = body(#""Probe failed" probeType="Liveness" output="HTTP probe fai"#)
    #expect(b.fields.last == KeyValue("output", #""HTTP probe fai"#))
    let garbage = body(#""Msg" key="v" not a pair"#)
    #expect(garbage.fields == [KeyValue("key", "v")])
  }
}
