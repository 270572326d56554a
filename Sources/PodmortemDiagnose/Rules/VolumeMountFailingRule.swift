import Foundation
import PodmortemCorrelate
import PodmortemModel

/// Volumes that cannot be attached or mounted (docs/kubernetes.md §9.1).
///
/// `MountVolume.SetUp failed for volume "x" : configmap "y" not found`, `Multi-Attach error for
/// volume …`, and `Unable to attach or mount volumes: … context deadline exceeded` (2m3s timeout).
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
    "kubelet.unable-to-attach-or-mount",
    "kubelet.volume-not-in-use",
  ]

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
    let events = pod.events.filter { $0.reason == "FailedMount" || $0.reason == "FailedAttachVolume" }
    var failures = events.map { e in
      let (kind, volume, object) = Self.classify(patternID: e.patternID, captures: e.captures)
      return Failure(
        kind: kind, volume: volume, object: object, count: e.count, message: e.message, evidence: e.evidence,
        last: e.lastSeen?.latest)
    }
    for log in pod.logs {
      guard let id = log.patternID, Self.logPatterns.contains(id) else { continue }
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

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "the ConfigMap behind a volume does not exist",
      .text(
        #"""
        Name:             web-5f6d7c8b9-m3n5p
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:52:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Pending
        IP:               
        IPs:              <none>
        Controlled By:    ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       ContainerCreating
            Ready:          False
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /etc/web from config (ro)
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   False 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          config:
            Type:      ConfigMap (a volume populated by a ConfigMap)
            Name:      app-config
            Optional:  false
          kube-api-access-x7k2p:
            Type:                    Projected (a volume that contains injected data from multiple sources)
            TokenExpirationSeconds:  3607
            ConfigMapName:           kube-root-ca.crt
            ConfigMapOptional:       <nil>
            DownwardAPI:             true
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason       Age                   From               Message
          ----     ------       ----                  ----               -------
          Normal   Scheduled    8m                    default-scheduler  Successfully assigned default/web-5f6d7c8b9-m3n5p to node-1
          Warning  FailedMount  103s (x11 over 8m)    kubelet            MountVolume.SetUp failed for volume "config" : configmap "app-config" not found
          Warning  FailedMount  117s (x3 over 5m57s)  kubelet            Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[], failed to process volumes=[]: context deadline exceeded
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .critical,
          facts: [
            KeyValue("kind", "configmap-missing"), KeyValue("volume", "config"),
            KeyValue("object", "configmap/app-config"), KeyValue("failures", "11"),
          ], evidenceLines: [55])
      ]),
    RuleExample(
      "a volume that attached and mounted",
      .text(
        #"""
        Name:             db-1
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-3/10.0.0.7
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=db
                          statefulset.kubernetes.io/pod-name=db-1
        Annotations:      <none>
        Status:           Running
        IP:               10.244.6.8
        IPs:
          IP:           10.244.6.8
        Controlled By:  StatefulSet/db
        Containers:
          db:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          postgres:16.4
            Image ID:       docker.io/library/postgres@sha256:7c3ad2f4e6b8d0a2c4e6f8b0d2a4c6e8f0b2d4a6c8e0f2b4d6a8c0e2f4b6d8a0
            Port:           5432/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:21:40 +0000
            Ready:          True
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/lib/postgresql/data from data (rw)
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       True 
          ContainersReady             True 
          PodScheduled                True 
        Volumes:
          data:
            Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
            ClaimName:  data-db-1
            ReadOnly:   false
          kube-api-access-x7k2p:
            Type:                    Projected (a volume that contains injected data from multiple sources)
            TokenExpirationSeconds:  3607
            ConfigMapName:           kube-root-ca.crt
            ConfigMapOptional:       <nil>
            DownwardAPI:             true
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type    Reason                  Age   From                     Message
          ----    ------                  ----  ----                     -------
          Normal  Scheduled               39m   default-scheduler        Successfully assigned default/db-1 to node-3
          Normal  SuccessfulAttachVolume  39m   attachdetach-controller  AttachVolume.Attach succeeded for volume "pvc-5b1f2c3d-4e6a-47b8-9c0d-1e2f3a4b5c6d"
          Normal  Started                 38m   kubelet                  Started container db
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
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
          ], evidenceText: ["configmap \"app-config\" not found"])
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
    RuleExample(
      "a Multi-Attach error that cleared: the volume attached and the container started after it (Events table alone)",
      .text(
        #"""
        Events:
          Type     Reason                  Age   From                     Message
          ----     ------                  ----  ----                     -------
          Warning  FailedAttachVolume      71s   attachdetach-controller  Multi-Attach error for volume "pvc-3e90b27c" Volume is already exclusively attached to one node and can't be attached to another
          Normal   SuccessfulAttachVolume  55s   attachdetach-controller  AttachVolume.Attach succeeded for volume "pvc-3e90b27c"
          Normal   Created                 37s   kubelet                  Created container nginx
          Normal   Started                 37s   kubelet                  Started container nginx
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .info,
          facts: [KeyValue("kind", "multi-attach"), KeyValue("volume", "pvc-3e90b27c")], evidenceLines: [4])
      ]),
    RuleExample(
      "a 1.6-era Events table: the volume manager's older wording names the missing ConfigMap",
      .text(
        #"""
        Events:
          FirstSeen  LastSeen  Count  From                 SubObjectPath  Type     Reason     Message
          ---------  --------  -----  ----                 -------------  ----     ------     -------
          3m         3m        1      {default-scheduler }                Normal   Scheduled  Successfully assigned web-5f6d7c8b9-m3n5p to node-1
          3m         1m        9      {kubelet node-1}                    Warning  FailedMount  Unable to mount volumes for pod "web-5f6d7c8b9-m3n5p_default(4b8e61a2-1151-11e6-a2d1-0adbaa6061ff)": configmaps "web-template" not found
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .critical,
          facts: [KeyValue("kind", "configmap-missing"), KeyValue("object", "configmap/web-template")],
          evidenceLines: [5])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §10.1).
    RuleExample(
      "an Events table alone: the volume attached and the container started, nothing failed",
      .text(
        #"""
        Events:
          Type    Reason                  Age   From                     Message
          ----    ------                  ----  ----                     -------
          Normal  SuccessfulAttachVolume  55s   attachdetach-controller  AttachVolume.Attach succeeded for volume "pvc-3e90b27c"
          Normal  Pulled                  40s   kubelet                  Container image "postgres:16" already present on machine
          Normal  Created                 40s   kubelet                  Created container: postgres
          Normal  Started                 39s   kubelet                  Started container postgres
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "`journalctl -u kubelet` lines alone: the ConfigMap volume mounted",
      .text(
        #"""
        Nov 27 00:58:40 node-1 kubelet[2291]: I1127 00:58:40.512204    2291 reconciler_common.go:258] "operationExecutor.MountVolume started for volume \"config\" (UniqueName: \"kubernetes.io/configmap/5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b-config\") pod \"web-5f6d7c8b9-m3n5p\" (UID: \"5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b\") " pod="shop/web-5f6d7c8b9-m3n5p"
        Nov 27 00:58:40 node-1 kubelet[2291]: I1127 00:58:40.614388    2291 operation_generator.go:721] "MountVolume.SetUp succeeded for volume \"config\" (UniqueName: \"kubernetes.io/configmap/5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b-config\") pod \"web-5f6d7c8b9-m3n5p\" (UID: \"5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b\") " pod="shop/web-5f6d7c8b9-m3n5p"
        """#, now: "2026-11-27T00:59:00Z"), expect: []),
  ]
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
