import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import Podmortem
@testable import PodmortemReport

/// A large kubelet log read in two halves on two threads (`SecondPart`, docs/architecture.md "Long
/// and live inputs") gives byte for byte the reports, diagnostics and accounts of reading it in
/// one go: on seeded generated logs (multi-line values, wrapped lines, CRLF, journald lines and
/// lines no parser reads, which make the run read on instead of using the second half) and on the
/// shipped kubelet logs repeated past the reader's first chunk.
@Suite struct SecondPartTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// A klog log of about `bytes` bytes; `unread` puts lines no parser reads in it.
  static func log(seed: UInt64, bytes: Int, unread: Bool, crlf: Bool) -> String {
    var rng = SplitMix64(seed: seed)
    var lines: [String] = []
    var size = 0
    var second = 0
    while size < bytes {
      second += Int.random(in: 0...2, using: &rng)
      let time = String(
        format: "1127 %02d:%02d:%02d.%06d", (second / 3600) % 24, (second / 60) % 60, second % 60, size % 999_983)
      let pod = "app-\(Int.random(in: 0..<40, using: &rng))"
      let ns = ["prod", "default", "kube-system"][Int.random(in: 0..<3, using: &rng)]
      var chunk: [String]
      switch Int.random(in: 0..<11, using: &rng) {
      case 0:
        chunk = [
          "I\(time)    4187 prober.go:107] \"Probe failed\" probeType=\"Liveness\" pod=\"\(ns)/\(pod)\" podUID=\"u-\(pod)\" containerName=\"web\" probeResult=\"failure\" output=\"HTTP probe failed with statuscode: 503\""
        ]
      case 1:
        chunk = [
          "I\(time)    4187 event.go:389] \"Event occurred\" object=\"\(ns)/\(pod)\" fieldPath=\"spec.containers{web}\" kind=\"Pod\" apiVersion=\"v1\" type=\"Warning\" reason=\"Unhealthy\" message=\"Liveness probe failed: HTTP probe failed with statuscode: 503\""
        ]
      case 2:
        chunk = [
          "E\(time)    4187 pod_workers.go:1298] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"web\\\" with CrashLoopBackOff: \\\"back-off 40s restarting failed container=web pod=\(pod)_\(ns)(u-\(pod))\\\"\" pod=\"\(ns)/\(pod)\" podUID=\"u-\(pod)\""
        ]
      case 3:
        chunk = [
          "I\(time)    4187 kubelet.go:2408] \"SyncLoop UPDATE\" source=\"api\" pods=[\"\(ns)/\(pod)\"]"
        ]
      case 4:
        // A multi-line value (`key=<` … ` >`).
        chunk = [
          "I\(time)    4187 kuberuntime_manager.go:1050] \"Config\" pod=\"\(ns)/\(pod)\" data=<",
          "\tline one of \(pod)",
          "\tline two", " >",
        ]
      case 5:
        // A long line wrapped by a terminal: the rest has no header.
        chunk = [
          "W\(time)    4187 reflector.go:535] k8s.io/client-go/informers/factory.go:150: failed to list *v1.Service: Get \"https://10.0.0.1:6443/api/v1/services?limit=500\": dial tcp",
          "10.0.0.1:6443: connect: connection refused",
        ]
      case 6:
        chunk = [
          "I\(time)    4187 kubelet.go:2446] \"SyncLoop (PLEG): event for pod\" pod=\"\(ns)/\(pod)\" event={\"ID\":\"u-\(pod)\",\"Type\":\"ContainerDied\",\"Data\":\"2c33\"}"
        ]
      case 7 where unread:
        chunk = ["goroutine \(Int.random(in: 1...99, using: &rng)) [running]:", "\tmain.main()"]
      case 8:
        chunk = [
          "Nov 27 00:26:44 worker-2 kubelet[1187]: I\(time)    1187 prober.go:107] \"Probe failed\" probeType=\"Readiness\" pod=\"\(ns)/\(pod)\" podUID=\"u-\(pod)\" containerName=\"web\" probeResult=\"failure\" output=\"Get \\\"http://10.244.1.2:8080/ready\\\": context deadline exceeded\""
        ]
      case 9:
        // Lines the bench log has that name no pod: some join the source's pasted block.
        chunk = [
          "I\(time)    4187 scope.go:117] \"RemoveContainer\" containerID=\"\(String(size, radix: 16))\"",
          "W\(time)    4187 manager.go:1169] Failed to process watch event {EventType:0 Name:/kubepods/burstable/podu-\(pod)/2c33 WatchSource:0}: task 2c33 not found: not found",
          "I\(time)    4187 kuberuntime_container.go:779] \"Killing container with a grace period\" pod=\"\(ns)/\(pod)\" podUID=\"u-\(pod)\" containerName=\"web\" containerID=\"containerd://2c33\" gracePeriod=30",
        ]
      default:
        chunk = ["I\(time)    4187 kubelet_pods.go:1100] \"Clean up pod workers for terminated pods\""]
      }
      for line in chunk { size += line.utf8.count + (crlf ? 2 : 1) }
      lines += chunk
    }
    return lines.joined(separator: crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n")
  }

  /// What a run says: every report format, the diagnostics in the order they were said, and the
  /// accounts; and the first lines of the second halves it used.
  static func run(_ path: String, split: Bool) -> (reports: [String], diagnostics: [String], used: [Int]) {
    var options = AnalysisOptions(inputs: [path], now: Date(timeIntervalSince1970: 1_795_740_000))
    options.splitFilesAbove = split ? 1 : nil
    let used = Lines()
    options.secondPartUsed = { used.add($0) }
    let said = Lines()
    let result = Analysis(options: options).run(diagnostics: { said.add($0.description) })
    let reports = ReportFormat.allCases.map { $0.render(result.report) }
    return (reports + ["\(result.report.accounts)"], said.all, used.numbers)
  }

  static func compare(_ path: String) -> [Int] {
    let one = run(path, split: false)
    let two = run(path, split: true)
    #expect(one.used.isEmpty)
    #expect(two.reports == one.reports, "\(path)")
    #expect(two.diagnostics == one.diagnostics, "\(path)")
    return two.used
  }

  static func write(_ text: String, name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-second-part-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: file)
    return file.path
  }

  @Test(arguments: 0..<8)
  func generatedLogsGiveTheSameReports(seed: UInt64) throws {
    let unread = seed % 4 == 3
    let crlf = seed % 4 == 2
    let path = try Self.write(
      Self.log(seed: seed, bytes: 400_000 + Int(seed) * 37_000, unread: unread, crlf: crlf), name: "kubelet-\(seed).log"
    )
    let used = Self.compare(path)
    // A clean log is read in two halves; one with unread lines after its middle is read on.
    if !unread { #expect(used.count == 1, "\(seed)") }
  }

  @Test func shippedKubeletLogsRepeatedGiveTheSameReports() throws {
    let logs = [
      "samples/bundles/kubelet-journal/kubelet-journal.log",
      "samples/bundles/must-gather/must-gather.local.1234/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/host_service_logs/masters/kubelet_service.log",
    ]
    for (i, log) in logs.enumerated() {
      let text = try String(contentsOf: Self.repo.appendingPathComponent(log), encoding: .utf8)
      var repeated = text.hasSuffix("\n") ? text : text + "\n"
      while repeated.utf8.count < 400_000 { repeated += repeated }
      _ = Self.compare(try Self.write(repeated, name: "shipped-\(i).log"))
    }
  }
}

/// Lines said from any thread, in order.
private final class Lines: @unchecked Sendable {
  // Guarded by `lock`.
  private let lock = NSLock()
  private var items: [String] = []
  private var ints: [Int] = []

  func add(_ s: String) {
    lock.lock()
    items.append(s)
    lock.unlock()
  }

  func add(_ n: Int) {
    lock.lock()
    ints.append(n)
    lock.unlock()
  }

  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }

  var numbers: [Int] {
    lock.lock()
    defer { lock.unlock() }
    return ints
  }
}
