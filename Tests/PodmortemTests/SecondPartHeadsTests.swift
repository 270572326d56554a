import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import Podmortem
@testable import PodmortemReport

/// A kubelet log read in two halves on two threads, the second half dropping the heads the first
/// half filled (`HeadFills`, docs/architecture.md "Memory of the kubelet-log run"), gives byte for
/// byte the reports and diagnostics of reading it in one go; and heads were published.
@Suite struct SecondPartHeadsTests {
  /// A klog log of about `bytes` bytes over `pods` pods, so that every pod's heads fill early;
  /// values carry non-ASCII text (a Kelvin sign, a dotted capital I, a combining accent) and tabs.
  static func log(seed: UInt64, bytes: Int, pods: Int) -> String {
    var rng = SplitMix64(seed: seed)
    let outputs = ["statuscode: 503", "\u{212A}elvin \u{130}stanbul", "cafe\u{301}", "tab\there", ""]
    var text = ""
    var second = 0
    while text.utf8.count < bytes {
      second += Int.random(in: 0...1, using: &rng)
      let time = String(format: "1127 %02d:%02d:%02d.%06d", (second / 3600) % 24, (second / 60) % 60, second % 60, 0)
      let pod = "app-\(Int.random(in: 0..<pods, using: &rng))"
      let output = outputs[Int.random(in: 0..<outputs.count, using: &rng)]
      switch Int.random(in: 0..<5, using: &rng) {
      case 0:
        text +=
          "I\(time)    4187 prober.go:107] \"Probe failed\" probeType=\"Liveness\" pod=\"prod/\(pod)\" podUID=\"u-\(pod)\" containerName=\"web\" probeResult=\"failure\" output=\"HTTP probe failed with \(output)\"\n"
      case 1:
        text +=
          "E\(time)    4187 pod_workers.go:1298] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"web\\\" with CrashLoopBackOff: \\\"back-off 40s restarting failed container=web pod=\(pod)_prod(u-\(pod))\\\"\" pod=\"prod/\(pod)\" podUID=\"u-\(pod)\"\n"
      case 2:
        text += "I\(time)    4187 kubelet.go:2408] \"SyncLoop UPDATE\" source=\"api\" pods=[\"prod/\(pod)\"]\n"
      case 3:
        text += "W\(time)    4187 reflector.go:535] watch of \(output) ended\n"
      default:
        text += "I\(time)    4187 kubelet_pods.go:1100] \"Clean up pod workers for terminated pods\"\n"
      }
    }
    return text
  }

  @Test(arguments: 0..<3)
  func headsDroppedGiveTheSameReports(seed: UInt64) throws {
    let path = try SecondPartTests.write(
      Self.log(seed: seed, bytes: 300_000 + Int(seed) * 50_000, pods: 2 + Int(seed)), name: "heads-\(seed).log")
    let used = SecondPartTests.compare(path)
    #expect(used.count == 1)
    var options = AnalysisOptions(inputs: [path], now: Date(timeIntervalSince1970: 1_795_740_000))
    options.splitFilesAbove = 1
    let published = Counts()
    options.headsPublished = { published.add($0) }
    _ = Analysis(options: options).run(diagnostics: { _ in })
    #expect(published.all.count == 1)
    #expect(published.all.allSatisfy { $0 > 0 })
  }
}

/// Numbers said from any thread.
private final class Counts: @unchecked Sendable {
  // Guarded by `lock`.
  private let lock = NSLock()
  private var items: [Int] = []

  func add(_ n: Int) {
    lock.lock()
    items.append(n)
    lock.unlock()
  }

  var all: [Int] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
