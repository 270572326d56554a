import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText
import Testing

@testable import PodmortemIngest

/// Log lines in the shapes people paste them (issue "Diagnose whatever was pasted"): behind a web
/// UI's time stamp, in an old kubelet's wording, and the runtime's own lines.
struct LogFormsTests {
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  static func logs(_ text: String) -> (records: [LogRecord], account: SourceAccount) {
    var reader = LineReader(string: text)
    let context = ParseContext(
      source: SourceInfo(name: "paste.txt"),
      captureTime: CaptureTime(date: instant("2017-05-24T08:50:00Z"), origin: .flag), diagnostics: { _ in })
    var records: [LogRecord] = []
    let account = Ingestor(patterns: patterns).ingest(&reader, context: context) { record in
      if case .log(let log) = record { records.append(log) }
    }
    return (records, account)
  }

  @Test func aViewerTimeGluedToTheKlogHeaderIsAPrefix() throws {
    let glued = "5/24/2017 4:45:11 PME0524 08:45:11.781435    8074 kubelet.go:1] x"
    let spaced = "12/1/2026 10:02:03 AM I1201 10:02:03.000001    8074 kubelet.go:1] x"
    #expect(String(decoding: PastePrefix.payload(glued), as: UTF8.self).hasPrefix("E0524 08:45:11"))
    #expect(String(decoding: PastePrefix.payload(spaced), as: UTF8.self).hasPrefix("I1201 10:02:03"))
    // Near misses: a 24-hour time, a two-digit year, no meridiem are not a viewer's stamp.
    for text in ["5/24/2017 16:45:11 E0524", "5/24/17 4:45:11 PM E0524", "5/24/2017 4:45:11 E0524", "5/24 ok"] {
      #expect(PastePrefix.viewerTime(Array(text.utf8), from: 0) == nil, "\(text)")
    }
  }

  /// `grep -H` (with or without `-n`) names the file, `talosctl logs` and parallel-ssh tools the
  /// node, in front of each line: read past, as a quote mark is.
  @Test func aFileOrNodeNameInFrontOfTheLineIsAPrefix() throws {
    let klog = #"E1127 00:58:40.512204    2291 prober.go:104] "Probe failed" probeType="Liveness" pod="shop/web-0""#
    for prefix in ["kubelet.log:", "/var/log/kubelet.log:123:", "10.5.0.2: ", "node-1.example: ", "logs/node-1.log:7-"]
    {
      #expect(String(decoding: PastePrefix.payload(prefix + klog), as: UTF8.self) == klog, "\(prefix)")
    }
    let json = #"{"ts":1700000000000.123,"msg":"Probe failed"}"#
    #expect(String(decoding: PastePrefix.payload("10.5.0.2: " + json), as: UTF8.self) == json)
    // Not a name: no `.` or `/` in it, a space before the line that is no klog header or JSON, a
    // program's `file.go:42: message`, a URL.
    for text in [
      "E1127: x", "node-1: I1127 00:58:40.5", "10.5.0.2: hello", "main.go:42: started", "http://example.com/x",
      "app.kubernetes.io/name: web",
    ] {
      #expect(PastePrefix.sourceName(Array(text.utf8), from: 0) == nil, "\(text)")
    }
    let read = Self.logs(
      "kubelet.log:" + klog
        + #" podUID="5e0c1a2b" containerName="web" probeResult="failure" output="HTTP probe failed with statuscode: 500""#
        + "\n")
    #expect(read.account.firstUnrecognised.isEmpty && read.records.first?.pod == "web-0")
  }

  /// kubelet 1.5–1.7 named the volume by its unique name, then `(spec.Name: "…")` and the pod by uid,
  /// and put `with:` before the error (the glusterfs paste of the real-pastes corpus).
  @Test func aRancherKubeletLogWithTheOldMountWordingIsAMountFailure() throws {
    let uid = "0f1c2d3e-405a-11e7-9c2d-0a3f71e85c26"
    let text = """
      ```
      5/24/2017 4:45:04 PMI0524 08:45:04.581562    8074 operation_executor.go:917] MountVolume.SetUp succeeded for volume "kubernetes.io/secret/\(uid)-default-token-abcde" (spec.Name: "default-token-abcde") pod "\(uid)" (UID: "\(uid)").
      5/24/2017 4:45:11 PME0524 08:45:11.781435    8074 nestedpendingoperations.go:262] Operation for "\\"kubernetes.io/nfs/\(uid)-data\\" (\\"\(uid)\\")" failed. No retries permitted until 2017-05-24 08:47:11.781402628 +0000 UTC (durationBeforeRetry 2m0s). Error: MountVolume.SetUp failed for volume "kubernetes.io/nfs/\(uid)-data" (spec.Name: "data") pod "\(uid)" (UID: "\(uid)") with: mount failed: exit status 32
      """
    let run = Self.logs(text)
    #expect(run.account.formats == ["kubelet-log"])
    #expect(run.account.unrecognised == 0)
    let failed = try #require(run.records.first { $0.patternID == "kubelet.mountvolume-setup-failed-legacy" })
    #expect(failed.capture("volume") == "data")
    #expect(failed.capture("podUID") == uid)
    #expect(failed.capture("error") == "mount failed: exit status 32")
    #expect(failed.severity == "E")
    // The line that succeeded is read, and recognised as nothing.
    #expect(run.records.count == 2 && run.records[0].patternID == nil)
  }

  /// The eviction manager's ranking names several pods: none of them is the line's pod; a list of
  /// one is.
  @Test func aListOfSeveralPodsNamesNone() throws {
    let ranked =
      #"I0528 16:05:50.514706 2269385 eviction_manager.go:405] "Eviction manager: pods ranked for eviction" pods=["ops/a-0","ops/b-0","dev/c-0"]"#
    let one =
      #"I0528 16:05:51.514706 2269385 eviction_manager.go:405] "Eviction manager: pods evicted, waiting for pod to be cleaned up" pods=["ops/a-0"]"#
    let run = Self.logs(ranked + "\n" + one + "\n")
    #expect(run.records.count == 2)
    #expect(run.records.first?.pod == nil)
    #expect(run.records.last.map { ($0.namespace, $0.pod) } ?? (nil, nil) == ("ops", "a-0"))
  }
}

/// A container log read with `tail` from the kubelet's `/var/log/containers` link: the file name
/// names the pod, namespace and container of the lines after it.
@Test func aTailedContainerLogLinkNamesThePod() throws {
  let id = String(repeating: "8e1f4b27", count: 8)
  let text = """
    node$ sudo tail /var/log/containers/web-7c9e4fa2d1-w5rkq_shop_api-\(id).log
    2026-11-27T00:41:37.822853908+00:00 stderr F panic: boom
    """
  let run = LogFormsTests.logs(text)
  #expect(run.account.formats == ["container-log"] && run.account.unrecognised == 0)
  let record = try #require(run.records.first)
  #expect((record.namespace, record.pod, record.container) == ("shop", "web-7c9e4fa2d1-w5rkq", "api"))
  #expect(record.patternID == "container.go-panic" && record.capture("message") == "boom")
  // Another file, or a link without its 64-digit id, names nothing.
  #expect(ContainerLogParser.namedLogFile("$ tail /var/log/app.log") == nil)
  #expect(ContainerLogParser.namedLogFile("$ tail web-0_shop_api-abc.log") == nil)
}
