import PodmortemInput
import PodmortemModel

/// What a file in a support bundle is, known from its path alone (docs/kubernetes.md §12): which tool
/// wrote the bundle, what the file holds, and the pod and container it belongs to.
///
/// The content is still sniffed: the path says where to look and whom a log line is about, the
/// sniffer confirms the format.
package struct BundleFile: Hashable, Sendable {
  /// The tool whose layout the path follows.
  package enum Producer: String, Hashable, Sendable, CaseIterable {
    /// `kubectl cluster-info dump --output-directory`.
    case clusterInfoDump = "cluster-info-dump"
    /// OpenShift `oc adm must-gather` / `oc adm inspect`.
    case mustGather = "must-gather"
    /// troubleshoot.sh `kubectl support-bundle`.
    case troubleshoot
    /// `kubectl crust-gather`.
    case crustGather = "crust-gather"
    /// Rancher's `rancher2_logs_collector.sh` (one archive per node).
    case rancherLogsCollector = "rancher-logs-collector"
    /// Rancher support-bundle-kit (Harvester, Longhorn).
    case supportBundleKit = "support-bundle-kit"
    /// A copy of the kubelet's own `/var/log/pods` or `/var/log/containers`.
    case varLogPods = "var-log-pods"
  }

  /// How a kubelet log was captured.
  package enum KubeletLogForm: String, Hashable, Sendable {
    /// `journalctl -u kubelet` output: every line prefixed `Nov 27 01:02:03 node kubelet[123]: `.
    case journal
    /// The kubelet's own log file: bare klog lines.
    case file
  }

  /// What the file holds.
  package enum Role: Hashable, Sendable {
    /// A list of events (an EventList, or every event of a namespace).
    case eventList
    /// A list of pods.
    case podList
    /// A node list or one node object.
    case nodes
    /// Deployments, replicasets, daemonsets, statefulsets, jobs: a list or one object.
    case workloads
    /// One pod object.
    case podObject
    /// One event object.
    case eventObject
    /// `kubectl describe` text; `resource` is what was described (`pods`, `nodes`).
    case describeText(resource: String)
    /// `kubectl get` table text; `resource` is what was listed (`pods`, `events`, `nodes` …).
    case getText(resource: String)
    /// The whole `kubectl cluster-info dump` stdout in one file: JSON objects, then log sections.
    case clusterInfoDump
    /// A container's log; the path names whose (see `ContainerLogPath`).
    case containerLog(ContainerLogPath)
    /// A kubelet log.
    case kubeletLog(KubeletLogForm)
    /// A file the producer writes that podmortem does not read (services, config maps, versions).
    case other
    /// A path no known layout explains. The accounting lists these; the sniffer still reads them.
    case unknown
  }

  /// The syntax the path's extension promises (`.json`, `.yaml`; anything else is text).
  package enum Syntax: String, Hashable, Sendable {
    case json, yaml, text
  }

  package var producer: Producer?
  package var role: Role
  /// The namespace the path names, for per-namespace lists, objects and logs.
  package var namespace: String?
  package var syntax: Syntax
  /// True when the path ended in `.gz` (the input layer has already inflated it).
  package var compressed: Bool
  /// The path that was classified, `/`-separated, without a leading `./` or a `.gz` suffix.
  package var path: String

  package init(
    producer: Producer?, role: Role, namespace: String? = nil, syntax: Syntax = .text, compressed: Bool = false,
    path: String = ""
  ) {
    self.producer = producer
    self.role = role
    self.namespace = namespace
    self.syntax = syntax
    self.compressed = compressed
    self.path = path
  }

  /// Whom a container log is about, when the role is a container log.
  package var containerLog: ContainerLogPath? {
    if case .containerLog(let log) = role { return log }
    return nil
  }

  /// True for a path no layout explains.
  package var isUnknown: Bool { role == .unknown }
}

/// The pod and container a container-log file belongs to, as far as its path tells.
package struct ContainerLogPath: Hashable, Sendable {
  package var namespace: String?
  package var pod: String?
  /// Nil when one file holds every container of the pod (cluster-info dump `logs.txt`, whose
  /// section headers name the container, or `kubectl logs --all-containers`).
  package var container: String?
  /// The log of the previous container instance (`kubectl logs --previous`).
  package var previous: Bool
  /// A rotated log file (`0.log.20261127-010203`, must-gather `rotated/`).
  package var rotated: Bool
  /// The pod UID of a `/var/log/pods/<ns>_<pod>_<uid>` directory.
  package var podUID: String?
  /// The restart count of a kubelet log file `<n>.log`.
  package var restartCount: Int?
  /// The container ID of a `/var/log/containers/…-<id>.log` link.
  package var containerID: String?
  /// `<ns>-<pod>` when a rancher collector file name could not be split (the namespace is not
  /// one the collector collects); match it against known pods.
  package var joinedName: String?

  package init(
    namespace: String?, pod: String?, container: String?, previous: Bool = false, rotated: Bool = false,
    podUID: String? = nil, restartCount: Int? = nil, containerID: String? = nil, joinedName: String? = nil
  ) {
    self.namespace = namespace
    self.pod = pod
    self.container = container
    self.previous = previous
    self.rotated = rotated
    self.podUID = podUID
    self.restartCount = restartCount
    self.containerID = containerID
    self.joinedName = joinedName
  }

  /// Fills the subject of a log record from the path, keeping what the record already knows
  /// (a cluster-info dump section header is more precise than its file name).
  package func attribute(_ record: inout LogRecord) {
    if record.namespace == nil { record.namespace = namespace }
    if record.pod == nil { record.pod = pod }
    if record.container == nil { record.container = container }
    if previous { record.previousRun = true }
    if record.restartNumber == nil { record.restartNumber = restartCount }
  }
}

extension SourceInfo {
  /// What this source is in a support bundle, from its path (docs/kubernetes.md §12).
  package var bundleFile: BundleFile { BundleLayout.classify(self) }
}

extension BundleFile.Role {
  /// A short stable name for the accounting (`pod-list`, `container-log`, `unknown`).
  package var name: String {
    switch self {
    case .eventList: "event-list"
    case .podList: "pod-list"
    case .nodes: "nodes"
    case .workloads: "workloads"
    case .podObject: "pod-object"
    case .eventObject: "event-object"
    case .describeText(let resource): "describe-\(resource)"
    case .getText(let resource): "get-\(resource)"
    case .clusterInfoDump: "cluster-info-dump"
    case .containerLog: "container-log"
    case .kubeletLog(let form): "kubelet-\(form.rawValue)"
    case .other: "other"
    case .unknown: "unknown"
    }
  }
}

extension BundleFile {
  /// `must-gather pod-list`, `unknown`: what the accounting says about a file's place in a bundle.
  package var summary: String {
    [producer?.rawValue, role.name].compactMap { $0 }.joined(separator: " ")
  }
}
