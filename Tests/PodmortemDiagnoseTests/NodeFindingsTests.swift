import Foundation
import PodmortemCorrelate
import PodmortemDiagnose
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText
import Testing

/// A pasted `kubectl describe node` run end to end: the node's own findings.
@Suite struct NodeFindingsTests {
  static func describeNode(ready: String, reason: String, message: String, disk: String = "False") -> String {
    """
    Name:               worker-3
    Roles:              <none>
    Labels:             kubernetes.io/hostname=worker-3
    Annotations:        node.alpha.kubernetes.io/ttl: 0
    CreationTimestamp:  Mon, 02 Nov 2026 08:00:00 +0000
    Taints:             node.kubernetes.io/unreachable:NoExecute
                        node.kubernetes.io/unreachable:NoSchedule
    Unschedulable:      false
    Conditions:
      Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
      ----             ------    -----------------                 ------------------                ------              -------
      MemoryPressure   False     Fri, 27 Nov 2026 00:12:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
      DiskPressure     \(disk)     Fri, 27 Nov 2026 00:12:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   KubeletHasDiskPressure   kubelet has disk pressure
      Ready            \(ready)   Fri, 27 Nov 2026 00:12:40 +0000   Fri, 27 Nov 2026 00:13:31 +0000   \(reason)   \(message)
    Events:
      Type    Reason        Age   From             Message
      ----    ------        ----  ----             -------
      Normal  NodeNotReady  47m   node-controller  Node worker-3 status is now: NodeNotReady

    """
  }

  private func findings(_ text: String) -> [Finding] {
    var reader = LineReader(string: text)
    let now = Timestamps.rfc3339("2026-11-27T01:00:00Z") ?? Date()
    let context = ParseContext(
      source: SourceInfo(name: "node.txt"), captureTime: CaptureTime(date: now, origin: .flag), diagnostics: { _ in })
    var correlator = Correlator()
    _ = Ingestor().ingest(&reader, context: context) { correlator.add($0) }
    return Diagnoser().diagnose(correlator.finish())
  }

  /// A describe cut before its Ready row: the other conditions' NodeStatusUnknown, or the node
  /// controller's taint, still say the node is not ready.
  @Test func aNodeCutBeforeItsReadyRowIsNotReadyByItsOtherSigns() throws {
    let lines = Self.describeNode(ready: "False", reason: "KubeletNotReady", message: "x").split(
      separator: "\n", omittingEmptySubsequences: false)
    let noReadyRow = lines.filter { !$0.contains("Ready            False") && !$0.contains("NodeNotReady") }
    let unreachable = try #require(findings(noReadyRow.joined(separator: "\n")).first { $0.ruleID == "node.not-ready" })
    #expect(unreachable.fact("nodeReady") == "Unknown")
    #expect(unreachable.evidence.allSatisfy { $0.text.contains("node.kubernetes.io/") })

    let unknownRows = noReadyRow.map {
      $0.replacingOccurrences(of: "False     Fri", with: "Unknown   Fri")
        .replacingOccurrences(
          of: "KubeletHasSufficientMemory   kubelet has sufficient memory available",
          with: "NodeStatusUnknown   Kubelet stopped posting node status.")
    }.filter { !$0.contains("node.kubernetes.io/unreachable") }
    let stopped = try #require(findings(unknownRows.joined(separator: "\n")).first { $0.ruleID == "node.not-ready" })
    #expect(stopped.fact("nodeReady") == "Unknown")
    #expect(stopped.fact("reason") == "NodeStatusUnknown")
    #expect(stopped.evidence.map(\.text).contains { $0.contains("MemoryPressure") })
  }

  @Test func aNodeWhoseKubeletStoppedReportingIsNotReady() throws {
    let f = try #require(
      findings(
        Self.describeNode(
          ready: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.")
      )
      .first { $0.ruleID == "node.not-ready" })
    #expect(f.severity == .critical)
    #expect(f.category == .nodeNotReady)
    #expect(f.subject.object == "node/worker-3")
    #expect(f.fact("nodeReady") == "Unknown")
    #expect(f.explanation.contains("between 2026-11-27T00:12:00Z and 2026-11-27T00:13:00Z"))
    #expect(f.evidence.map(\.ref.line).sorted() == [14, 18])
  }

  @Test func aReadyNodeWithDiskPressureIsAWarning() {
    let all = findings(
      Self.describeNode(ready: "True", reason: "KubeletReady", message: "kubelet is posting ready status", disk: "True")
    )
    #expect(all.map(\.ruleID) == ["node.condition"])
    #expect(all.first?.severity == .warning)
    #expect(all.first?.fact("condition") == "DiskPressure")
  }

  @Test func aHealthyNodeGivesNothing() {
    #expect(
      findings(Self.describeNode(ready: "True", reason: "KubeletReady", message: "kubelet is posting ready status"))
        .isEmpty)
  }

  @Test func aGetNodesRowSaysNotReadyWithoutSayingWhichReadyStatus() throws {
    let all = findings(
      """
      $ kubectl get nodes
      NAME        STATUS                        ROLES           AGE    VERSION
      worker01    Ready                         control-plane   421d   v1.29.4
      worker02    NotReady                      <none>          421d   v1.29.4
      worker03    Ready,SchedulingDisabled      <none>          421d   v1.29.4

      """)
    #expect(all.map(\.ruleID) == ["node.not-ready"])
    let f = try #require(all.first)
    #expect(f.subject.object == "node/worker02" && f.fact("nodeReady") == "NotReady")
    #expect(f.explanation.contains("False") && f.explanation.contains("Unknown"))
    #expect(f.evidence.map(\.ref.line) == [4])
  }

  @Test func headerlessGetNodesRows() {
    let all = findings("k8s-2     NotReady   5d        v1.7.0\nk8s-3     Ready      5d        v1.7.0\n")
    #expect(all.map { $0.subject.object } == ["node/k8s-2"])
  }
}

/// The kubelet's journal alone says the node's network is not ready.
@Suite struct NodeNetworkNotReadyTests {
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  private func findings(_ text: String) -> [Finding] {
    var reader = LineReader(string: text)
    let now = Timestamps.rfc3339("2026-11-27T01:00:00Z") ?? Date()
    let context = ParseContext(
      source: SourceInfo(name: "kubelet.log"), captureTime: CaptureTime(date: now, origin: .flag), diagnostics: { _ in }
    )
    var correlator = Correlator()
    _ = Ingestor(patterns: Self.patterns).ingest(&reader, context: context) { correlator.add($0) }
    return Diagnoser(patterns: Self.patterns).diagnose(correlator.finish())
  }

  @Test func theKubeletsNetworkNotReadyLinesMakeTheNodeNotReady() throws {
    let f = try #require(
      findings(
        """
        Nov 27 00:40:01 worker-7 kubelet[1485]: E1127 00:40:01.261124    1485 kubelet.go:2104] Container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized
        Nov 27 00:40:06 worker-7 kubelet[1485]: W1127 00:40:06.262549    1485 cni.go:171] Unable to update cni config: No networks found in /etc/cni/net.d
        Nov 27 00:40:06 worker-7 kubelet[1485]: E1127 00:40:06.911200    1485 kubelet.go:2448] "Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"
        """
      ).first { $0.ruleID == "node.not-ready" })
    #expect(f.subject.object == "node/worker-7")
    #expect(f.fact("reason") == "NetworkPluginNotReady")
    #expect(f.fact("lines") == "2")
    #expect(f.evidence.first?.ref.line == 3)
    #expect(f.explanation.contains("cni plugin not initialized"))
  }

  @Test func aReadyNetworkIsNoFinding() {
    let none = findings(
      """
      Nov 27 00:40:06 worker-7 kubelet[1485]: I1127 00:40:06.911200    1485 kubelet.go:2448] "Fast updating node status as it just became ready"
      """)
    #expect(none.isEmpty)
  }

  /// Conditions rows pasted without their describe (and a row the window wrapped mid-reason): the
  /// pasted node, unnamed, has MemoryPressure.
  @Test func headerlessConditionRowsAreAnUnnamedNode() throws {
    let text =
      "MemoryPressure \tTrue \tFri, 27 Nov 2026 00:12:40 +0000 \tFri, 27 Nov 2026 00:02:40 +0000 \tKubeletHasInsufficientM\n"
      + "emory \tkubelet has insufficient memory available\n"
      + "DiskPressure \tFalse \tFri, 27 Nov 2026 00:12:40 +0000 \tFri, 27 Nov 2026 00:02:40 +0000 \tKubeletHasNoDiskPressure \tkubelet has no disk pressure\n"
    let all = findings(text)
    let memory = try #require(all.first { $0.fact("condition") == "MemoryPressure" })
    #expect(all.count == 1)
    #expect(memory.subject.object == "the pasted node (name not shown)")
    #expect(memory.fact("node") == nil)
    #expect(memory.explanation.contains("KubeletHasInsufficientMemory: kubelet has insufficient memory available"))
  }

  /// Near miss: a pod's two-column condition rows are not a node's.
  @Test func podConditionRowsAreNoNode() {
    #expect(findings("Ready   False\nContainersReady   False\n").allSatisfy { $0.ruleID != "node.condition" })
  }

  static func nodeEvents(_ rows: [String]) -> String {
    (["Events:", "  Type     Reason                     Age                 From                 Message"] + rows)
      .joined(separator: "\n") + "\n"
  }

  /// A node's Events table alone: the latest NodeHasInsufficientMemory says MemoryPressure holds,
  /// and EvictionThresholdMet is cited with it.
  @Test func pressureFromNodeEventsAlone() throws {
    let text = Self.nodeEvents([
      "  Normal   NodeHasSufficientMemory    50m (x2 over 3d)     kubelet, worker-7    Node worker-7 status is now: NodeHasSufficientMemory",
      "  Normal   NodeHasInsufficientMemory  20m (x3 over 2d)     kubelet, worker-7    Node worker-7 status is now: NodeHasInsufficientMemory",
      "  Warning  EvictionThresholdMet       5m (x12 over 2d)     kubelet, worker-7    Attempting to reclaim memory",
    ])
    let f = try #require(findings(text).first { $0.ruleID == "node.condition" })
    #expect(f.subject.object == "node/worker-7")
    #expect(f.severity == .warning)
    #expect(f.fact("condition") == "MemoryPressure")
    #expect(f.fact("status") == "True")
    #expect(f.evidence.map(\.ref.line) == [4, 5])
  }

  /// Near miss: the pressure was relieved after it rose.
  @Test func relievedPressureFromNodeEventsIsNoFinding() {
    let text = Self.nodeEvents([
      "  Normal   NodeHasInsufficientMemory  50m     kubelet, worker-7    Node worker-7 status is now: NodeHasInsufficientMemory",
      "  Normal   NodeHasSufficientMemory    20m     kubelet, worker-7    Node worker-7 status is now: NodeHasSufficientMemory",
    ])
    #expect(findings(text).allSatisfy { $0.ruleID != "node.condition" })
  }

  /// EvictionThresholdMet alone: the kubelet's host is the node.
  @Test func evictionThresholdMetAlone() throws {
    let text = Self.nodeEvents([
      "  Warning  EvictionThresholdMet  2m (x4 over 9m)  kubelet, worker-2  Attempting to reclaim ephemeral-storage"
    ])
    let f = try #require(findings(text).first { $0.ruleID == "node.condition" })
    #expect(f.subject.object == "node/worker-2")
    #expect(f.fact("reason") == "EvictionThresholdMet")
  }

  /// Near miss: EvictionThresholdMet beside an evicted pod is that pod's finding, not a second one.
  @Test func evictionThresholdMetBesideAnEvictedPodIsOneFinding() {
    let text = """
      LAST SEEN   TYPE      REASON                 OBJECT                  MESSAGE
      10m         Warning   EvictionThresholdMet   node/worker-2           Attempting to reclaim ephemeral-storage
      9m          Warning   Evicted                pod/web-5d4f8b7c9-x2x9k  The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 8%.
      """
    let all = findings(text)
    #expect(all.contains { $0.ruleID == "pod.evicted" })
    #expect(all.allSatisfy { $0.ruleID != "node.condition" })
  }

  /// Near miss: the pressure came and went after the eviction manager acted; the threshold event
  /// names no node but belongs to the one the status events name.
  @Test func evictionThresholdMetThenRelievedIsNoFinding() {
    let text = Self.nodeEvents([
      "  Warning  EvictionThresholdMet       14m   kubelet  Attempting to reclaim memory",
      "  Normal   NodeHasInsufficientMemory  14m   kubelet  Node node-1 status is now: NodeHasInsufficientMemory",
      "  Normal   NodeHasSufficientMemory    9m    kubelet  Node node-1 status is now: NodeHasSufficientMemory",
    ])
    #expect(findings(text).allSatisfy { $0.ruleID != "node.condition" })
  }

}
