import PodmortemCorrelate
import PodmortemModel

/// Volumes that cannot be attached or mounted (REFERENCE.md §9.1).
///
/// `MountVolume.SetUp failed for volume "x" : configmap "y" not found`, `Multi-Attach error for
/// volume …`, and `Unable to attach or mount volumes: … context deadline exceeded` (2m3s timeout).
package struct VolumeMountFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "volume.mount-failing", category: .volume, title: "volume cannot be mounted",
    rationale: "the kubelet cannot start containers until every volume is attached and mounted; it retries and "
      + "reports FailedMount / FailedAttachVolume with the cause (§9.1)")

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let events = pod.events.filter { $0.reason == "FailedMount" || $0.reason == "FailedAttachVolume" }
    guard !events.isEmpty else { return [] }
    let running = pod.containers().contains { $0.isRunning }
    var findings: [Finding] = []
    var seen: Set<String> = []
    for event in events.reversed() {
      let (kind, volume, object) = Self.classify(event.message)
      guard seen.insert("\(kind)/\(volume ?? "")").inserted else { continue }
      if kind == "mount-timeout", events.contains(where: { Self.classify($0.message).0 != "mount-timeout" }) {
        continue
      }
      let related = events.filter { Self.classify($0.message).0 == kind }
      var facts: [KeyValue] = [KeyValue("kind", kind), .int("failures", related.totalCount)]
      if let volume { facts.append(KeyValue("volume", volume)) }
      if let object { facts.append(KeyValue("object", object)) }
      findings.append(
        Self.description.finding(
          running ? .info : .critical, pod.subject(), title: Self.title(kind, volume: volume, object: object),
          explanation: Self.explanation(kind, message: event.message, running: running),
          remedy: Self.remedy(kind, object: object), facts: facts, evidence: related.evidence))
    }
    return findings
  }

  /// The failure kind, the volume name and the missing object (`configmap/app-config`).
  static func classify(_ message: String) -> (String, String?, String?) {
    let volume = Self.quoted(after: "for volume ", in: message)
    if message.contains("Multi-Attach error") { return ("multi-attach", volume, nil) }
    for kind in ["configmap", "secret"] {
      if let name = Self.quoted(after: "\(kind) ", in: message), message.contains("\(kind) \"\(name)\" not found") {
        return ("\(kind)-missing", volume, "\(kind)/\(name)")
      }
    }
    if message.hasPrefix("AttachVolume.Attach failed") { return ("attach-failed", volume, nil) }
    if message.hasPrefix("Unable to attach or mount volumes") {
      return (message.contains("unattached volumes=[]") ? "mount-timeout" : "attach-timeout", volume, nil)
    }
    return ("mount-failed", volume, nil)
  }

  private static func quoted(after marker: String, in text: String) -> String? {
    guard let range = text.range(of: marker + "\"") else { return nil }
    let name = text[range.upperBound...].prefix { $0 != "\"" }
    return name.isEmpty ? nil : String(name)
  }

  package static let examples: [RuleExample] = [
    RuleExample(
      "configmap missing",
      .pod("web-0", phase: "Pending") { p in
        p.container("web", state: .waiting(reason: "ContainerCreating", message: nil))
        p.event(
          .warning, "FailedMount",
          "MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found",
          count: 8)
        p.event(
          .warning, "FailedMount",
          "Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[], failed to process "
            + "volumes=[]: context deadline exceeded", count: 2)
      },
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .critical,
          facts: [
            KeyValue("kind", "configmap-missing"), KeyValue("volume", "config"),
            KeyValue("object", "configmap/app-config"),
            .int("failures", 8),
          ], evidenceLines: ["configmap \"app-config\" not found"])
      ]),
    RuleExample(
      "RWO volume still attached to the old node",
      .pod("db-0", phase: "Pending") { p in
        p.container("db", state: .waiting(reason: "ContainerCreating", message: nil))
        p.event(
          .warning, "FailedAttachVolume",
          "Multi-Attach error for volume \"pvc-3f2a\" Volume is already exclusively attached to one node and can't be "
            + "attached to another", from: "attachdetach-controller")
      },
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume,
          facts: [KeyValue("kind", "multi-attach"), KeyValue("volume", "pvc-3f2a")])
      ]),
    RuleExample("no volume events", .pod("web-1") { p in p.container("web") }),
  ]
}

fileprivate extension VolumeMountFailingRule {
  static func title(_ kind: String, volume: String?, object: String?) -> String {
    let v = volume.map { "volume '\($0)'" } ?? "a volume"
    switch kind {
    case "configmap-missing", "secret-missing": return "\(v) cannot be mounted: \(object ?? kind) does not exist"
    case "multi-attach": return "\(v) is still attached to another node (Multi-Attach)"
    case "attach-timeout", "attach-failed": return "\(v) cannot be attached"
    default: return "\(v) cannot be mounted"
    }
  }

  static func explanation(_ kind: String, message: String, running: Bool) -> String {
    var text = "The kubelet reports '\(message)'."
    switch kind {
    case "multi-attach":
      text += " A ReadWriteOnce volume can be attached to one node at a time; the old pod's node has not released it."
    case "mount-timeout", "attach-timeout":
      text += " The kubelet gave up waiting for the volumes after 2m3s and will retry."
    default: break
    }
    text +=
      running
      ? " The containers are running now, so the mount succeeded later."
      : " The containers cannot start until it mounts."
    return text
  }

  static func remedy(_ kind: String, object: String?) -> String {
    switch kind {
    case "configmap-missing", "secret-missing":
      return "create \(object ?? "the object") in the pod's namespace, or mark the volume optional"
    case "multi-attach":
      return "make sure the old pod is gone and its node detached the volume (VolumeAttachment objects)"
    case "attach-timeout", "attach-failed":
      return "check the CSI driver's controller logs and the VolumeAttachment status"
    default: return "check the kubelet log and the CSI node plugin for the mount error"
    }
  }
}
