import Foundation
import PodmortemCorrelate
import PodmortemModel

/// Volumes that cannot be attached or mounted (docs/kubernetes.md §9.1).
///
/// `MountVolume.SetUp failed for volume "x" : configmap "y" not found`, `Multi-Attach error for
/// volume …`, and `Unable to attach or mount volumes: … context deadline exceeded` (2m3s timeout).
///
/// Examples, in `Examples/VolumeMountFailingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: the ConfigMap behind a volume does not exist
/// - near miss: a volume that attached and mounted
/// - fires: configmap missing
/// - fires: RWO volume still attached to the old node
/// - near miss: no volume events
/// - fires: a Multi-Attach error that cleared: the volume attached and the container started after it (Events table
///   alone)
/// - fires: a 1.6-era Events table: the volume manager's older wording names the missing ConfigMap
/// - near miss: an Events table alone: the volume attached and the container started, nothing failed
/// - near miss: `journalctl -u kubelet` lines alone: the ConfigMap volume mounted
/// - fires: a 2015 kubelet's lines alone: the secret behind a volume does not exist
package struct VolumeMountFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "volume.mount-failing", category: .volume, title: "volume cannot be mounted",
    rationale: "the kubelet cannot start containers until every volume is attached and mounted; it retries and "
      + "reports FailedMount / FailedAttachVolume with the cause (§9.1)")

  package init() {}

  /// Kubelet lines of a volume that cannot be set up (patterns/kubelet.json).
  static let logPatterns: Set<String> = [
    "kubelet.mountvolume-setup-failed", "kubelet.mountvolume-setup-failed-legacy",
    "kubelet.mountvolume-mountdevice-failed",
    "kubelet.unable-to-attach-or-mount", "kubelet.unable-to-mount-volumes-legacy",
    "kubelet.volume-not-in-use",
  ]
  /// `logPatterns` as a list, to ask `PodLogIndex` for their records.
  static let logPatternList = Array(logPatterns)

  /// One failed volume operation, from an event or a kubelet line.
  struct Failure {
    var kind: String
    var volume: String?
    var object: String?
    var count: Int
    var message: String
    var evidence: [Evidence]
    var last: Date?
  }

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: PodLogIndex(pod.logs), reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: reading.logs, reasons: reading.reasons, in: state)
  }

  /// The findings, the pod's log records read by pattern from `index` (`PodLogIndex`, read once
  /// per pod by the `Diagnoser`) and its events' reasons from `reasons` (`PodEventReasons`): a pod
  /// with neither reason's bit has no such event, and its events are not read to find that out
  /// (two reads and compares an event, about 200 instructions; docs/architecture.md "Speed of the
  /// other rules").
  func diagnose(
    _ pod: PodHistory, logs index: PodLogIndex, reasons: PodEventReasons, in state: CorrelatedState
  ) -> [Finding] {
    let events =
      reasons.has(.failedMountExactly) || reasons.has(.failedAttachVolumeExactly)
      ? pod.events.filter { $0.reason == "FailedMount" || $0.reason == "FailedAttachVolume" } : []
    var failures = events.map { e in
      let (kind, volume, object) = Self.classify(patternID: e.patternID, captures: e.captures)
      return Failure(
        kind: kind, volume: volume, object: object, count: e.count, message: e.message, evidence: e.evidence,
        last: e.lastSeen?.latest)
    }
    for log in index.logs(Self.logPatternList) {
      guard let id = log.patternID else { continue }
      let failure: Failure
      switch id {
      case "kubelet.unable-to-attach-or-mount":
        failure = Failure(
          kind: log.capture("unattached")?.isEmpty == false ? "attach-timeout" : "mount-timeout", volume: nil,
          object: nil, count: 1, message: log.message, evidence: [log.evidence], last: log.time?.latest)
      case "kubelet.volume-not-in-use":
        failure = Failure(
          kind: "attach-pending", volume: log.capture("volume"), object: nil, count: 1, message: log.message,
          evidence: [log.evidence], last: log.time?.latest)
      default:
        let volume = log.capture("volume")
        let (kind, _, object) = Self.classify(patternID: "event.volume-operation-failed", captures: log.captures)
        failure = Failure(
          kind: kind, volume: volume, object: object, count: 1, message: log.message, evidence: [log.evidence],
          last: log.time?.latest)
      }
      failures.append(failure)
    }
    guard !failures.isEmpty else { return [] }
    // Running now, or a container Started after the last failure (an Events table alone shows
    // no container state): the volume mounted in the end.
    let lastFailure = failures.compactMap(\.last).max()
    let startedSince = pod.events("Started").contains { started in
      guard let failed = lastFailure, let start = (started.lastSeen ?? started.firstSeen)?.earliest else {
        return false
      }
      return start > failed
    }
    let running = pod.containers().contains { $0.isRunning } || startedSince
    var findings: [Finding] = []
    var seen: Set<String> = []
    for failure in failures.reversed() {
      let kind = failure.kind
      guard seen.insert("\(kind)/\(failure.volume ?? "")").inserted else { continue }
      if kind == "mount-timeout", failures.contains(where: { $0.kind != "mount-timeout" }) { continue }
      let related = failures.filter { $0.kind == kind }
      var facts: [KeyValue] = [KeyValue("kind", kind), .int("failures", related.reduce(0) { $0 + $1.count })]
      if let volume = failure.volume { facts.append(KeyValue("volume", volume)) }
      if let object = failure.object { facts.append(KeyValue("object", object)) }
      findings.append(
        Self.description.finding(
          running ? .info : .critical, pod.subject(),
          title: Self.title(kind, volume: failure.volume, object: failure.object),
          explanation: Self.explanation(kind, message: failure.message, running: running),
          remedy: Self.remedy(kind, object: failure.object), facts: facts, evidence: related.flatMap(\.evidence)))
    }
    return findings
  }

  /// The failure kind, the volume name and the missing object (`configmap/app-config`), from the
  /// event pattern the message matched and what its error was recognised as (patterns/details.json,
  /// domain volume-error).
  static func classify(patternID: String?, captures: [KeyValue]) -> (String, String?, String?) {
    func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }
    let volume = capture("volume")
    switch patternID {
    case "event.multi-attach": return ("multi-attach", volume, nil)
    case "event.unable-to-attach-or-mount":
      return (capture("unattached")?.isEmpty == false ? "attach-timeout" : "mount-timeout", volume, nil)
    default: break
    }
    switch capture("volumeError") {
    case "configmap-missing": return ("configmap-missing", volume, capture("name").map { "configmap/\($0)" })
    case "secret-missing": return ("secret-missing", volume, capture("name").map { "secret/\($0)" })
    default: break
    }
    if patternID == "event.volume-operation-failed", capture("operation") == "AttachVolume.Attach" {
      return ("attach-failed", volume, nil)
    }
    return ("mount-failed", volume, nil)
  }
}

fileprivate extension VolumeMountFailingRule {
  static func title(_ kind: String, volume: String?, object: String?) -> String {
    let v = volume.map { "volume '\($0)'" } ?? "a volume"
    switch kind {
    case "configmap-missing", "secret-missing": return "\(v) cannot be mounted: \(object ?? kind) does not exist"
    case "multi-attach": return "\(v) is still attached to another node (Multi-Attach)"
    case "attach-timeout", "attach-failed": return "\(v) cannot be attached"
    case "attach-pending": return "\(v) is not yet in use on the node"
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
    case "attach-pending":
      text +=
        " The kubelet waits until the node's status lists the volume in volumesInUse, which the attach/detach "
        + "controller needs before it reports the volume attached; until then it retries with a growing back-off."
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
    case "attach-timeout", "attach-failed", "attach-pending":
      return "check the CSI driver's controller logs and the VolumeAttachment status"
    default: return "check the kubelet log and the CSI node plugin for the mount error"
    }
  }
}
