import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText
import Testing

@testable import PodmortemIngest

/// Lines no structured parser claims — a message pasted in prose, node logs — read line by line
/// against the shipped patterns.
struct PastedLinesTests {
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  static func run(_ text: String, name: String = "paste.txt") -> IngestRun {
    var reader = LineReader(string: text)
    let context = ParseContext(
      source: SourceInfo(name: name), captureTime: CaptureTime(date: objectCaptureDate, origin: .flag),
      diagnostics: { _ in })
    var records: [Record] = []
    let account = Ingestor(patterns: patterns).ingest(&reader, context: context) { records.append($0) }
    return IngestRun(records: records, diagnostics: [], account: account)
  }

  static func logs(_ run: IngestRun) -> [LogRecord] {
    run.records.compactMap { if case .log(let l) = $0 { l } else { nil } }
  }

  @Test func eventMessagesInProseBecomeEventsOfThePastedPod() throws {
    let run = Self.run(
      """
      The pod keeps restarting, describe says:
      `Liveness probe failed: Get http://10.0.0.7:5000/: dial tcp 10.0.0.7:5000: connect: connection refused`
      and then *Back-off restarting failed container*
      """)
    #expect(run.account.formats == ["plain-text"])
    #expect(run.events.map(\.reason) == ["Unhealthy", "BackOff"])
    #expect(run.events.map(\.patternID) == ["event.probe-failed", "event.backoff-restarting"])
    // One pasted block: both belong to the unnamed pod that starts at the first recognised line.
    #expect(run.events.allSatisfy { $0.involved.isUnnamed && $0.involved.pastedAt?.line == 2 })
    #expect(run.account.firstUnrecognised == [1])
  }

  @Test func aMessageBehindItsStateReasonIsRead() throws {
    let run = Self.run(
      "*CrashLoopBackOff: Back-off 20s restarting failed container=db pod=db-0_shop(a41f9e07-5641-11e8-b98a-c3d21e5f9a60)*"
    )
    let log = try #require(Self.logs(run).first)
    #expect(log.patternID == "kubelet.backoff-restarting")
    #expect(log.pod == "db-0" && log.namespace == "shop" && log.capture("backoff") == "20s")
    #expect(
      PlainTextParser.candidates("CrashLoopBackOff (back-off 5m0s restarting x)") == [
        "CrashLoopBackOff (back-off 5m0s restarting x)", "back-off 5m0s restarting x",
      ])
  }

  @Test func dmesgDockerEventsAndLogfmtAreNodeLogs() throws {
    let run = Self.run(
      """
      [ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB, anon-rss:164992kB
      [Thu Dec  7 00:05:15 2017] Killed process 28438 (java) total-vm:20255636kB, anon-rss:466160kB, file-rss:13684kB
      2019-05-04T18:05:45.011072877-05:00 container oom 7c41e0b9d5a2f38e6b1d94c07a3f5e28d9b16c4a70e3f2d8b5a19c6e04d7f3a2 (image=sha256:d9c3, io.kubernetes.container.name=notebook, io.kubernetes.container.ports=[{"name":"a","containerPort":8888}], io.kubernetes.pod.name=jupyter-ann, io.kubernetes.pod.namespace=jhub)
      level=error msg="PullImage \\"registry.example.com/web:1\\" failed" error="rpc error: code = NotFound desc = not found"
      """)
    #expect(run.account.formats == ["node-log"])
    let logs = Self.logs(run)
    #expect(logs.count == 4 && logs.allSatisfy { $0.origin == .node })
    #expect(
      logs.map(\.patternID) == [
        "node.memcg-oom-kill", "node.killed-process", "node.docker-container-oom", "node.containerd-pull-failed",
      ])
    #expect(logs[0].time == nil)
    #expect(logs[1].time?.earliest == date("2017-12-07T00:05:15Z"))
    #expect(logs[2].pod == "jupyter-ann" && logs[2].namespace == "jhub" && logs[2].container == "notebook")
    #expect(logs[2].time?.earliest == date("2019-05-04T23:05:45.011Z"))
    #expect(logs[3].capture("image") == "registry.example.com/web:1" && logs[3].severity == "error")
    // A line about a container that names no pod belongs to the pasted block; the named one does not.
    #expect(logs[0].pastedAt?.line == 1 && logs[1].pastedAt?.line == 1 && logs[2].pastedAt == nil)
  }

  @Test func aBundleMembersLinesStayWithoutAPastedPod() {
    var reader = LineReader(string: "[ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi)")
    let context = ParseContext(
      source: SourceInfo(name: "b.tar!node/dmesg", relativePath: "node/dmesg"),
      captureTime: CaptureTime(date: objectCaptureDate, origin: .flag), diagnostics: { _ in })
    var records: [Record] = []
    _ = Ingestor(patterns: Self.patterns).ingest(&reader, context: context) { records.append($0) }
    let logs = records.compactMap { if case .log(let l) = $0 { l } else { nil } }
    #expect(logs.count == 1 && logs[0].pastedAt == nil)
  }

  @Test(
    arguments: [
      (
        "/kubepods/burstable/pod0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f/05657a9c673d4e",
        "0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f", "05657a9c673d4e"
      ),
      (
        "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8a3f2c1d_6b7e_4d90_a5c3_e1f07b92d468.slice/cri-containerd-5e0b9d27c3f4.scope",
        "8a3f2c1d-6b7e-4d90-a5c3-e1f07b92d468", "5e0b9d27c3f4"
      ),
      ("/kubepods/pod2c7e81b9-da9c-11e7-9d36-5254b04e7a13", "2c7e81b9-da9c-11e7-9d36-5254b04e7a13", nil),
      ("/system.slice/mysqld.service", nil, nil),
    ] as [(String, String?, String?)])
  func cgroupPathsNameThePodAndContainer(path: String, uid: String?, container: String?) {
    let parsed = CgroupPath.parse(path)
    #expect(parsed.podUID == uid)
    #expect(parsed.containerID == container)
  }
}

/// What a person puts around a paste is ignored, never unrecognised; everything else still is.
struct PasteDecorationTests {
  @Test(arguments: [
    "```", "```console", "~~~", "> ```yaml", "...", "  ......", "…", ". . .", "[...]", "<snip>", "$",
    "$ kubectl get pods -n shop", "# crictl logs 9a3e71c0d2b5f -t", "# pod status.reason is Evicted",
    "[root@master1 ~]# oc get events -n default", "[root@master1 ~]# ", "oper@node0:~$ kubectl -n sock-shop get pods",
    "root@controlplane ~ ➜  kubectl get pods --all-namespaces", "❯ kubectl get pods", "PS C:\\> kubectl get pods",
    "root:~# kgetpods web-0", "[source,sh]", "----", "....", "==========================", "<pre>", "<details>",
    "</code></pre>", "<pre class=\"wp-block-code\"><code>", "<details><summary>kubectl describe pod</summary>",
    "  <summary>Events</summary>", "-> kubectl get events", "**k get events -n kube-system**", "kuebctl get evevt",
    "Kubectl describe po -n <namespace>", "C:\\kubectl describe po demo-0",
    "[12:54:41] $ ./cluster/kubectl.sh describe pod x",
    "Running: cluster/../_output/bin/kubectl describe minions node-1", "`oc get events -w`",
    "**What happened**:", "**kubernetes-master:**",
  ])
  func decoration(_ line: String) {
    #expect(PasteDecoration.contains(line))
  }

  @Test(arguments: [
    "Warning  Unhealthy  10s  kubelet  Liveness probe failed", "}", "  \"reason\": \"OOMKilled\",",
    "user@example.com wrote: the pod crashes", "```yaml is what I pasted below", "price $5", "Status:",
    "CrashLoopBackOff... again", "<pre>Warning  Unhealthy  10s  kubelet  Liveness probe failed</pre>",
    "<summary>x</summary> and then the pod died", "Command: kubectl get pods", "k -n shop get pods",
    "kubelet get pods", "--", "---", "k8s get pods", "kubectl is broken", "<script>alert(1)</script>",
    "**Status:**  CrashLoopBackOff", "**a** and **b**",
  ])
  func notDecoration(_ line: String) {
    #expect(!PasteDecoration.contains(line))
  }

  @Test func aFencedPasteCountsItsFencesAsIgnored() {
    let run = PastedLinesTests.run(
      """
      ```console
      $ kubectl describe pod web-0 | tail -3
      I have no idea what this means
      ```
      """)
    #expect(run.account.unrecognised == 1)
    #expect(run.account.ignored == 3)
  }
}

/// A paste read as one format still reads a line of another kind by the patterns.
struct PasteFallbackTests {
  @Test func anEventMessageInsideAKubeletLogPasteIsRead() {
    let run = PastedLinesTests.run(
      """
      May 28 16:05:50 node-5 kubelet[2269]: I0528 16:05:50.514706 2269 eviction_manager.go:405] "Eviction manager: pods ranked for eviction" pods=["ops/ledger-0"]
      ledger-0\t\tEvicted\t\tThe node was low on resource: ephemeral-storage. Threshold quantity: 30Gi, available: 24094024Ki.
      May 28 16:05:54 node-5 kubelet[2269]: I0528 16:05:54.802914 2269 eviction_manager.go:627] "Eviction manager: pod is evicted successfully" pod="ops/ledger-0"
      """)
    #expect(run.account.formats.first == "kubelet-log")
    #expect(run.account.formats.contains("plain-text"))
    #expect(run.account.unrecognised == 0)
    #expect(run.events.map(\.patternID) == ["event.evicted-low-resource"])
  }
}

/// A row whose message does not say which event it is takes its reason from the column before it.
struct ReasonColumnTests {
  @Test func theReasonAndTypeBeforeAMessage() {
    let message = "Exec lifecycle hook ([sh]) for Container \"c\" in Pod \"p_ns(1)\" failed - error: x"
    #expect(
      PlainTextParser.reasonColumn(before: message, in: "Warning  FailedPreStopHook  " + message)! == (
        "Warning", "FailedPreStopHook"
      ))
    #expect(
      PlainTextParser.reasonColumn(before: message, in: "FailedPostStartHook\t" + message)! == (
        "", "FailedPostStartHook"
      ))
    #expect(PlainTextParser.reasonColumn(before: message, in: "we saw: " + message) == nil)
    #expect(PlainTextParser.reasonColumn(before: message, in: message) == nil)
  }
}

/// A `NAME  REASON  MESSAGE` line (a jsonpath or custom-columns query) names its pod.
struct PodColumnTests {
  @Test func aPodNameBeforeTheReasonNamesThePod() throws {
    let message = "The node was low on resource: ephemeral-storage. Threshold quantity: 30Gi, available: 24094024Ki. "
    let run = PastedLinesTests.run("ledger-7d9f8b6c5d-wq4zn\t\tEvicted\t\t" + message + "\n")
    let event = try #require(run.events.first)
    #expect(event.involved.name == "ledger-7d9f8b6c5d-wq4zn" && event.involved.kind == "Pod")
    #expect(event.patternID == "event.evicted-low-resource")
    #expect(
      PlainTextParser.podColumn(before: message, reason: "Evicted", in: "pod/web-0  Evicted  " + message)?.name
        == "web-0")
    // Not a pod name, not the reason, or more cells than a name and a reason: the block stays unnamed.
    #expect(PlainTextParser.podColumn(before: message, reason: "Evicted", in: "We  Evicted  " + message) == nil)
    #expect(PlainTextParser.podColumn(before: message, reason: "Evicted", in: "web-0  Failed  " + message) == nil)
    #expect(
      PlainTextParser.podColumn(before: message, reason: "Evicted", in: "shop  web-0  Evicted  " + message) == nil)
  }
}

/// A paste read as kubectl output still reads the kubelet log lines pasted among it.
struct KubeletLinesInKubectlPasteTests {
  @Test func kubeletJournalLinesAmongKubectlRows() throws {
    let run = PastedLinesTests.run(
      """
      shop  web-7d9f8b6c5d-wq4zn  0/1  Error  0  50m  10.128.6.48  node-5
      # the kubelet log
      May 28 16:05:54 node-5 kubelet[2269]: I0528 16:05:54.802914 2269 eviction_manager.go:627] "Eviction manager: pod is evicted successfully" pod="shop/web-7d9f8b6c5d-wq4zn"
      """)
    #expect(run.account.formats == ["kubectl-text", "kubelet-log"])
    #expect(run.account.unrecognised == 0)
    let log = try #require(PastedLinesTests.logs(run).first)
    #expect(log.namespace == "shop" && log.pod == "web-7d9f8b6c5d-wq4zn")
    #expect(log.evidence.ref.line == 3)
  }
}
