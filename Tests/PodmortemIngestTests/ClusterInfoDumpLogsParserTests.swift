import Foundation
import PodmortemInput
import PodmortemModel
import Synchronization
import Testing

@testable import PodmortemIngest

/// The tail of a `kubectl cluster-info dump` stdout: the last JSON object, then log sections — one
/// ending without a newline before END, one failed request cut off before its END, a blank log line.
private let dump = """
  {
      "kind": "PodList",
      "items": []
  }
  ==== START logs for container app of pod prod/web-0 ====
  starting server on :8080
  panic: runtime error: invalid memory address

  goroutine 1 [running]:
  ==== END logs for container app of pod prod/web-0 ====
  ==== START logs for container sidecar of pod prod/web-0 ====
  proxy ready==== END logs for container sidecar of pod prod/web-0 ====
  ==== START logs for container init-db of pod prod/web-1 ====
  Request log error: the server rejected our request for an unknown reason (get pods web-1)
  ==== START logs for container coredns of pod kube-system/coredns-7db6d8ff4d-5x2qj ====
  [INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5
  ==== END logs for container coredns of pod kube-system/coredns-7db6d8ff4d-5x2qj ====
  Create log request error: container "x" in pod "y" is waiting to start: ContainerCreating
  {"kind": "EventList"}

  """

/// Collects records from the ingestor.
private final class Records: Sendable {
  private let items = Mutex<[Record]>([])
  func add(_ record: Record) { items.withLock { $0.append(record) } }
  var logs: [LogRecord] {
    items.withLock { $0 }.compactMap {
      if case .log(let log) = $0 { return log }
      return nil
    }
  }
}

private func ingest(_ text: String, window: Int, info: SourceInfo = SourceInfo(name: "dump.txt"))
  -> (SourceAccount, [LogRecord])
{
  var reader = LineReader(MemoryByteSource(text, window: window))
  let records = Records()
  let context = ParseContext(
    source: info, captureTime: CaptureTime(date: Date(timeIntervalSince1970: 0), origin: .flag), diagnostics: { _ in })
  let account = Ingestor().ingest(&reader, context: context) { records.add($0) }
  return (account, records.logs)
}

@Suite struct ClusterInfoDumpLogsParserTests {
  @Test(arguments: [1, 7, 4096])
  func sectionsBecomeAttributedRecords(window: Int) {
    let (account, logs) = ingest(dump, window: window)
    // The stream starts with JSON: the object parser reads it and hands the log sections over.
    #expect(account.formats == [ObjectStreamParser.format])
    #expect(
      logs.map(\.message) == [
        "starting server on :8080", "panic: runtime error: invalid memory address", "goroutine 1 [running]:",
        "proxy ready",
        "[INFO] plugin/reload: Running configuration SHA512 = "
          + "591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5",
      ])
    #expect(logs.allSatisfy { $0.origin == .container })
    #expect(logs[0].namespace == "prod")
    #expect(logs[0].pod == "web-0")
    #expect(logs[0].container == "app")
    #expect(logs[3].container == "sidecar")
    #expect(logs[4].namespace == "kube-system")
    #expect(logs[4].pod == "coredns-7db6d8ff4d-5x2qj")
    #expect(logs[1].evidence == Evidence(ref: SourceRef(source: "dump.txt", line: 7), text: logs[1].message))
    #expect(logs[3].evidence.text == "proxy ready==== END logs for container sidecar of pod prod/web-0 ====")
    // 19 lines: 5 log records; 8 marker and error lines and a blank log line ignored; the empty
    // PodList (2 lines parsed as the list's wrapper, 2 ignored) and the EventList line.
    #expect(account.lines == 19)
    #expect(account.parsed == 7)
    #expect(account.unrecognised == 0)
    #expect(account.ignored == 12)
    #expect(logs.count == 5)
  }

  @Test func sniffNeedsTheMarkerOrTheLayout() {
    let head = [Line(number: 1, text: "==== START logs for container a of pod ns/p ====")]
    #expect(ClusterInfoDumpLogsParser.sniff(head: head, info: SourceInfo(name: "x")) == 90)
    #expect(ClusterInfoDumpLogsParser.sniff(head: [Line(number: 1, text: "{")], info: SourceInfo(name: "x")) == 0)
    let logsTxt = SourceInfo(name: "dump/prod/web-0/logs.txt", relativePath: "prod/web-0/logs.txt")
    #expect(ClusterInfoDumpLogsParser.sniff(head: [], info: logsTxt) == 90)
    let whole = SourceInfo(
      name: "c.tar.gz!kubeadm/kubectl/cluster-info_dump", relativePath: "kubeadm/kubectl/cluster-info_dump")
    #expect(ClusterInfoDumpLogsParser.sniff(head: [Line(number: 1, text: "{")], info: whole) == 20)
  }

  @Test func markers() {
    typealias Marker = ClusterInfoDumpLogsParser.Marker
    #expect(
      Marker("==== START logs for container app of pod prod/web-0 ====")
        == .start(namespace: "prod", pod: "web-0", container: "app"))
    #expect(Marker("==== END logs for container app of pod prod/web-0 ====") == .end(before: ""))
    #expect(Marker("x==== END logs for container app of pod prod/web-0 ====") == .end(before: "x"))
    #expect(Marker("Request log error: boom") == .error("Request log error: boom"))
    #expect(Marker("==== START logs for container app ====") == nil)
    #expect(Marker("==== START logs for container  of pod / ====") == nil)
    #expect(Marker("a log line that mentions ==== END logs for container") == nil)
  }
}
