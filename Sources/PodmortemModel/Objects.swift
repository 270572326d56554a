/// What a source says about a node: its conditions and taints (docs/kubernetes.md §1.6, §8.3).
package struct NodeSnapshot: Hashable, Sendable, Codable {
  package var name: String
  package var uid: String?
  /// Condition rows: `Ready Unknown … NodeStatusUnknown Kubelet stopped posting node status.`
  package var conditions: [PodCondition]
  package var taints: [String]
  package var unschedulable: Bool?
  /// The STATUS column of `kubectl get nodes` (`Ready`, `NotReady`, `Ready,SchedulingDisabled`)
  /// when that is all the source says: `NotReady` is Ready `False` or `Unknown`, it cannot tell which.
  package var displayStatus: String?
  /// The line that shows each condition (by type) and the lines of the taints, where the input
  /// lays them out one per line (describe's Conditions table and Taints): a finding cites these.
  package var conditionEvidence: [String: Evidence] = [:]
  package var taintEvidence: [Evidence] = []
  package var evidence: [Evidence]

  package init(name: String) {
    self.name = name
    self.conditions = []
    self.taints = []
    self.evidence = []
  }
}

/// A deployment, replicaset, statefulset, daemonset or job as `describe` or JSON shows it.
package struct WorkloadSnapshot: Hashable, Sendable, Codable {
  package var kind: String
  package var namespace: String?
  package var name: String
  /// The replica line verbatim, e.g. `3 desired | 3 updated | 3 total | 1 available | 2 unavailable`.
  package var replicas: String?
  /// `Pods Status:` verbatim: `1 Running / 2 Waiting / 0 Succeeded / 0 Failed`.
  package var podsStatus: String?
  package var conditions: [PodCondition]
  package var evidence: [Evidence]

  package init(kind: String, name: String, namespace: String? = nil) {
    self.kind = kind
    self.name = name
    self.namespace = namespace
    self.conditions = []
    self.evidence = []
  }
}

/// One line (or one joined record) of a kubelet, container or other log.
package struct LogRecord: Hashable, Sendable, Codable {
  package enum Origin: String, Hashable, Sendable, Codable {
    /// klog text, journald-wrapped klog, or the kubelet's JSON format.
    case kubelet
    /// A container's own output (CRI or docker json-file).
    case container
    /// The node's kernel or container runtime (dmesg, syslog `kernel:`, containerd, dockerd, CRI-O,
    /// `docker events`).
    case node
    case other
  }

  package var origin: Origin
  package var time: TimeRange?
  /// klog severity letter (`I`, `W`, `E`, `F`) or the CRI stream (`stdout`, `stderr`).
  package var severity: String?
  /// The message: for structured klog lines the quoted message unquoted.
  package var message: String
  /// The text patterns match: for klog the whole body after the header, as written (the quoted
  /// message and the key/value pairs; a multi-line value's lines joined with newlines); for the
  /// JSON log format the same text re-rendered in klog form; otherwise the message.
  package var text: String
  /// Structured key/value pairs in the order they were written.
  package var fields: [KeyValue]
  /// The pattern that recognised the message, and what it captured.
  package var patternID: String?
  package var captures: [KeyValue]
  /// The node the line was written on, when the input says (journald's host field).
  package var node: String?
  /// The pod and container the log belongs to when its path or fields tell.
  package var namespace: String?
  package var pod: String?
  package var container: String?
  /// For a line of a paste that names no pod although it is about one (a bare `Liveness probe
  /// failed: …`): where the pasted block begins, whose unnamed pod it belongs to (`ObjectRef.pastedAt`).
  package var pastedAt: SourceRef?
  /// Which run of its container a container log holds, when its file says: `kubectl logs
  /// --previous` output (must-gather `previous.log`, troubleshoot `<c>-previous.log`), or the
  /// kubelet's `/var/log/pods/…/<c>/<n>.log`, whose `n` is the restart count of that run
  /// (docs/kubernetes.md §10.2).
  package var previousRun = false
  package var restartNumber: Int?
  package var evidence: Evidence

  package init(origin: Origin, message: String, evidence: Evidence) {
    self.origin = origin
    self.message = message
    self.text = message
    self.fields = []
    self.captures = []
    self.evidence = evidence
  }

  /// The value of the first field named `key`.
  package func field(_ key: String) -> String? { fields.first { $0.key == key }?.value }
  package func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }
}

/// An ordered key/value pair (dictionaries would lose the order in which a log wrote them).
package struct KeyValue: Hashable, Sendable, Codable {
  package var key: String
  package var value: String

  package init(_ key: String, _ value: String) {
    self.key = key
    self.value = value
  }
}

/// What ingest produces from a source: every parser emits these, nothing else.
package enum Record: Hashable, Sendable {
  case pod(PodSnapshot)
  case event(Event)
  case node(NodeSnapshot)
  case workload(WorkloadSnapshot)
  case log(LogRecord)
}
