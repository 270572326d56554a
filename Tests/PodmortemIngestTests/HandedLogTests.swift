import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// The kubelet log's parser hands its log records over (`KubeletLogParser.feed(_:handing:emit:)`)
/// and the ingestor classifies and range-checks the record it owns in place
/// (`Ingestor.runHanding`), where the parser lent each record and the ingestor copied it first
/// (docs/architecture.md "Speed of the kubelet-log path"). The reference is the reading before:
/// the generic `run` with the parser's `feed(_:emit:)`, each record handed on by `delivered`
/// (held to the steps one after another by `DeliveredLogTests`). On seeded logs of sample lines,
/// multi-line values, wrapped lines, journald and JSON lines, an "Event occurred" line, spliced
/// with hostile pieces (NUL, CR, tabs, a Kelvin sign, a dotted capital I, combining accents),
/// cut, empty and 64 KiB long, read as a paste and as a bundle member, whole through `ingest` and
/// as a second part through `ingestPart`: the same records byte for byte, in the same order, the
/// same diagnostics, accounts and pasted block.
@Suite struct HandedLogTests {
  /// Lines the kubelet writes, read as the log parser reads them (klog, values over lines,
  /// journald, JSON), so that every way a record is made is met.
  static let kubeletLines = [
    #"I1127 00:00:00.012051    4187 prober.go:107] "Probe failed" probeType="Liveness" pod="prod/app-1" podUID="5fd2" containerName="worker" probeResult="failure" output="HTTP probe failed with statuscode: 503""#,
    #"E1127 00:00:01.000000    4187 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"worker\" with CrashLoopBackOff: \"back-off 5m0s restarting failed container=worker pod=app-2_shop(d4d3)\"" pod="shop/app-2" podUID="d4d3""#,
    #"E1127 00:00:02.000000    4187 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"web\" with CrashLoopBackOff: \"back-off 99999999999999999999s restarting failed container=web pod=web-0_shop(u1)\"""#,
    #"I1127 00:00:03.000000    4187 event.go:389] "Event occurred" object="default/app-3" fieldPath="spec.containers{worker}" kind="Pod" apiVersion="v1" type="Warning" reason="Unhealthy" message="Readiness probe failed: HTTP probe failed with statuscode: 503""#,
    #"I1127 00:00:04.000000    4187 kubelet.go:2404] "SyncLoop UPDATE" source="api" pods=["kube-system/app-4"]"#,
    #"W1127 00:00:05.000000    4187 prober.go:104] Liveness probe for "web-0_shop(uid):web" failed (failure): Get http://10.0.0.1:8080/healthz"#,
    #"I1127 00:00:06.000000    4187 kuberuntime_container.go:779] "Killing container with a grace period" pod="shop/web-0" podUID="u1" containerName="web" containerID="containerd://f10d" gracePeriod=30"#,
    #"E1127 00:00:07.000000    4187 remote_runtime.go:343] "ContainerStatus from runtime service failed" err=<"#,
    "\trpc error: code = NotFound desc = an error occurred when try to find container",
    "\t\"f10d27c89780c2152779468594a53fde\": not found",
    #" > containerID="f10d27c89780c2152779468594a53fde""#,
    #"E1127 00:00:08.000000    4187 kubelet.go:1] "Failed to process watch event" err=<"#,
    "\tcut short, no closing line",
    #"Nov 27 00:00:09 node-1 kubelet[4187]: I1127 00:00:09.000000    4187 prober.go:107] "Probe failed" probeType="Readiness" pod="prod/app-1" podUID="5fd2" containerName="worker" probeResult="failure" output="timeout""#,
    "Nov 27 00:00:10 node-1 kubelet[4187]: Flag --cgroup-driver has been deprecated",
    "Nov 27 00:00:11 node-1 containerd[900]: time=\"2026-11-27T00:00:11Z\" level=error msg=\"failed\"",
    #"{"ts":1795741211000.5,"caller":"prober/prober.go:107","msg":"Probe failed","v":0,"probeType":"Liveness","pod":{"name":"app-1","namespace":"prod"},"podUID":"5fd2","containerName":"worker","probeResult":"failure","output":"HTTP probe failed with statuscode: 500"}"#,
    #"{"ts":1795741212000,"msg":"Error syncing pod, skipping","err":"failed to \"StartContainer\" for \"web\" with ImagePullBackOff"}"#,
    #"I1127 00:00:13.000000    4187 kubelet_pods.go:1000] "this line is long enough that a terminal may have wrapped it at its edge, so the parser holds it" pod="shop/web-0""#,
    "and this is the rest of it, as the terminal wrapped it",
    "",
    "   ",
    "goroutine 1 [running]:",
    "plain text nobody recognises",
  ]

  static let hostile = [
    "", "\u{0}", "\r", "\r\n", "\t", "é", "e\u{301}", "\u{212A}", "\u{130}", "🙂", "\"", "\\", " ", "\u{FFFD}",
  ]

  /// A seeded log: a head of klog lines the sniffer picks the kubelet parser for, then lines of
  /// the kubelet, of the samples, spliced, cut, repeated long, or hostile.
  static func log(_ rng: inout SplitMix64) -> String {
    // Klog lines first, enough that the sniffer picks the kubelet log's parser whatever follows.
    var lines = (0..<Ingestor.headLines).map { kubeletLines[$0 % 7] }
    for _ in 0..<(20 + rng.below(120)) {
      var line: String
      switch rng.below(10) {
      case 0...4: line = kubeletLines[rng.below(kubeletLines.count)]
      case 5, 6: line = SampleLines.all[rng.below(SampleLines.all.count)]
      case 7: line = SampleLines.random(&rng)
      case 8: line = hostile[rng.below(hostile.count)]
      default:
        line = kubeletLines[rng.below(kubeletLines.count)]
        var bytes = Array(line.utf8)
        for _ in 0..<(1 + rng.below(3)) {
          bytes.insert(contentsOf: Array(hostile[rng.below(hostile.count)].utf8), at: rng.below(bytes.count + 1))
        }
        if rng.below(3) == 0 { bytes = Array(bytes.prefix(rng.below(bytes.count + 1))) }
        if rng.below(20) == 0 {
          bytes = Array([[UInt8]](repeating: bytes, count: 65_536 / max(1, bytes.count)).joined())
        }
        line = String(decoding: bytes, as: UTF8.self)
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + (rng.below(2) == 0 ? "\n" : "")
  }

  struct Reading {
    var records: [Record] = []
    var diagnostics: [String] = []
    var account = SourceAccount(source: "kubelet.log")
    var block: SourceRef?
  }

  static func context(paste: Bool, sink: Collector<Diagnostic>) -> ParseContext {
    ParseContext(
      source: SourceInfo(name: "kubelet.log", relativePath: paste ? "" : "node/kubelet.log"),
      captureTime: CaptureTime(date: objectCaptureDate, origin: .flag), diagnostics: { sink.append($0) })
  }

  /// The reading through `ingest`, which hands the kubelet log's records over.
  static func handed(_ text: String, paste: Bool) -> Reading {
    var reader = LineReader(string: text)
    let sink = Collector<Diagnostic>()
    var out = Reading()
    let result = Ingestor().ingest(&reader, context: context(paste: paste, sink: sink), started: { _ in }) {
      out.records.append($0)
    }
    out.account = result.account
    out.block = result.pastedBlock
    out.diagnostics = sink.items.map { String(reflecting: $0) }
    return out
  }

  /// The reading before: `run` with the parser's `feed(_:emit:)`, each record by `delivered`.
  static func lent(_ text: String, paste: Bool, fallback withFallback: Bool = true) -> Reading {
    var reader = LineReader(string: text)
    let sink = Collector<Diagnostic>()
    let ingestor = Ingestor()
    var context = context(paste: paste, sink: sink)
    context.patterns = ingestor.patterns
    var parser = KubeletLogParser(context: context)
    var fallback = paste && withFallback ? PasteFallback(context: context, logs: false) : nil
    var out = Reading()
    out.account.formats = [KubeletLogParser.format]
    out.account.captureTime = context.captureTime
    if !paste { out.account.layout = context.source.bundleFile.summary }
    var block: SourceRef?
    var messages = MessageMatchMemo()
    ingestor.run(
      &parser, fallback: &fallback, head: [], reader: &reader, account: &out.account, unquote: false, watch: nil
    ) { record in
      out.records.append(
        Ingestor.delivered(
          record, patterns: ingestor.patterns, isPaste: paste, block: &block, messages: &messages,
          diagnostics: context.diagnostics))
    }
    out.account.bytes = reader.bytesRead
    out.block = block
    out.diagnostics = sink.items.map { String(reflecting: $0) }
    return out
  }

  /// A record's every string as bytes (`==` on strings would take an accent spelt two ways as one).
  static func bytes(_ records: [Record]) -> [[UInt8]] { records.map { Array(String(reflecting: $0).utf8) } }

  @Test(arguments: 0..<40)
  func handsOnWhatTheLentReadingHandedOn(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let text = Self.log(&rng)
    for paste in [true, false] {
      let handed = Self.handed(text, paste: paste)
      let lent = Self.lent(text, paste: paste)
      #expect(handed.account.formats.first == KubeletLogParser.format)
      #expect(!handed.records.isEmpty)
      let equal = handed.records == lent.records
      let sameBytes = Self.bytes(handed.records) == Self.bytes(lent.records)
      #expect(equal)
      #expect(sameBytes)
      #expect(handed.diagnostics == lent.diagnostics)
      #expect(handed.account == lent.account)
      #expect(handed.block == lent.block)
    }
  }

  /// The second part of a source read in two (`ingestPart`) hands its records over too.
  @Test(arguments: 0..<20)
  func aSecondPartHandsOnWhatTheLentReadingHandedOn(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let text = Self.log(&rng)
    for paste in [true, false] {
      let sink = Collector<Diagnostic>()
      let context = Self.context(paste: paste, sink: sink)
      var reader = LineReader(string: text)
      let ingestor = Ingestor()
      var records: [Record] = []
      var start = IngestStart(parser: KubeletLogParser.self, context: context, quoted: false)
      start.context.patterns = ingestor.patterns
      let part = ingestor.ingestPart(&reader, firstLine: 1, after: start) { records.append($0) }
      // A second part has no paste fallback: its unrecognised lines make it depend on the first.
      let lent = Self.lent(text, paste: paste, fallback: false)
      var account = lent.account
      account.formats = []
      account.captureTime = nil
      account.layout = nil
      #expect(!records.isEmpty)
      let sameBytes = Self.bytes(records) == Self.bytes(lent.records)
      #expect(sameBytes)
      #expect(sink.items.map { String(reflecting: $0) } == lent.diagnostics)
      #expect(part.account == account)
      #expect(part.pastedBlock == lent.block)
    }
  }
}
