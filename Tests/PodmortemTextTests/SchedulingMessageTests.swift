import Testing

@testable import PodmortemText

@Test func referenceExample() throws {
  let m = try #require(
    SchedulingMessage(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        + "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        + "2 No preemption victims found for incoming pod."))
  #expect(m.totalNodes == 3)
  #expect(m.entries.map(\.count) == [1, 2])
  #expect(
    m.entries.map(\.reason) == [
      .untoleratedTaint(taint: "{node-role.kubernetes.io/control-plane: }"), .insufficient(resource: "cpu"),
    ])
  #expect(m.preemption?.map(\.reason) == [.preemptionNotHelpful, .noPreemptionVictims])
  #expect(m.preemptionCannotHelp)
  #expect(!m.truncated)
}

@Test func prefilterMessage() throws {
  let m = try #require(SchedulingMessage("0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims."))
  #expect(m.prefilter == "pod has unbound immediate PersistentVolumeClaims")
  #expect(m.entries.isEmpty)
  #expect(SchedulingReason(m.prefilter ?? "") == .unboundPVCs)
}

@Test func truncatedMessageDropsThePartialEntry() throws {
  let m = try #require(
    SchedulingMessage("0/40 nodes are available: 10 Insufficient memory, 12 node(s) didn't match Pod's node affin ..."))
  #expect(m.truncated)
  #expect(m.entries.count == 1)
  #expect(m.entries.first?.reason == .insufficient(resource: "memory"))
}

@Test(arguments: [
  ("Too many pods", "too-many-pods"), ("node(s) didn't match Pod's node affinity/selector", "node-affinity"),
  ("node(s) were unschedulable", "node-unschedulable"),
  ("node(s) didn't have free ports for the requested pod ports", "no-free-ports"),
  ("node(s) didn't match pod anti-affinity rules", "pod-anti-affinity"),
  ("node(s) didn't match pod topology spread constraints", "topology-spread"),
  ("node(s) had volume node affinity conflict", "volume-node-affinity-conflict"),
  ("Insufficient nvidia.com/gpu", "insufficient-nvidia.com/gpu"), ("something new", "other"),
])
func reasonIDs(text: String, id: String) {
  #expect(SchedulingReason(text).id == id)
  #expect(!SchedulingReason(text).nextStep.isEmpty)
}

@Test func notASchedulingMessage() {
  #expect(SchedulingMessage("Successfully assigned default/web-0 to node-1") == nil)
}
