import Foundation

/// How a probe checks the container (docs/kubernetes.md §1.4).
package enum ProbeHandler: Hashable, Sendable, Codable {
  case httpGet(scheme: String, host: String, port: String, path: String)
  case tcpSocket(host: String, port: String)
  case exec(command: [String])
  case grpc(port: String, service: String)
  case unknown

  /// The handler as `kubectl describe` prints it (`http-get http://:8080/healthz`); `ProbeLine` in
  /// PodmortemText reads it back.
  package var describeText: String {
    switch self {
    case .httpGet(let scheme, let host, let port, let path): "http-get \(scheme.lowercased())://\(host):\(port)\(path)"
    case .tcpSocket(let host, let port): "tcp-socket \(host):\(port)"
    case .exec(let command): "exec [\(command.joined(separator: " "))]"
    case .grpc(let port, let service): "grpc <pod>:\(port) \(service)"
    case .unknown: "unknown"
    }
  }
}

/// A liveness, readiness or startup probe with its thresholds.
///
/// Unset values are the apiserver defaults (docs/kubernetes.md §6.1): timeout 1 s, period 10 s,
/// success 1, failure 3, initial delay 0.
package struct ProbeSpec: Hashable, Sendable, Codable {
  package enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
    case liveness, readiness, startup
  }

  package var handler: ProbeHandler
  package var initialDelaySeconds: Int
  package var timeoutSeconds: Int
  package var periodSeconds: Int
  package var successThreshold: Int
  package var failureThreshold: Int
  /// `probe.terminationGracePeriodSeconds`, only in JSON/YAML.
  package var terminationGracePeriodSeconds: Int?
  package var evidence: Evidence?

  package init(
    handler: ProbeHandler, initialDelaySeconds: Int = 0, timeoutSeconds: Int = 1, periodSeconds: Int = 10,
    successThreshold: Int = 1, failureThreshold: Int = 3, terminationGracePeriodSeconds: Int? = nil,
    evidence: Evidence? = nil
  ) {
    self.handler = handler
    self.initialDelaySeconds = initialDelaySeconds
    self.timeoutSeconds = timeoutSeconds
    self.periodSeconds = periodSeconds
    self.successThreshold = successThreshold
    self.failureThreshold = failureThreshold
    self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    self.evidence = evidence
  }
}

/// `State:` / `Last State:` of a container (docs/kubernetes.md §1.3).
package enum ContainerState: Hashable, Sendable, Codable {
  case waiting(reason: String?, message: String?)
  case running(startedAt: TimeRange?)
  case terminated(Termination)
}

/// A finished container run.
package struct Termination: Hashable, Sendable, Codable {
  package var reason: String?
  package var message: String?
  package var exitCode: Int
  package var signal: Int?
  package var startedAt: TimeRange?
  package var finishedAt: TimeRange?
  /// What Ingest recognised in `message` (patterns/details.json, domain `termination-message`):
  /// `crash=go-panic` and the like.
  package var messageDetail: [KeyValue] = []

  package init(
    reason: String? = nil, message: String? = nil, exitCode: Int, signal: Int? = nil, startedAt: TimeRange? = nil,
    finishedAt: TimeRange? = nil
  ) {
    self.reason = reason
    self.message = message
    self.exitCode = exitCode
    self.signal = signal
    self.startedAt = startedAt
    self.finishedAt = finishedAt
  }
}

/// One container (init, regular or ephemeral) of a pod snapshot: its spec and its status.
package struct ContainerSnapshot: Hashable, Sendable, Codable {
  package enum Role: String, Hashable, Sendable, Codable {
    case initContainer = "init"
    case container
    case ephemeral
  }

  package var name: String
  package var role: Role
  package var image: String?
  package var state: ContainerState?
  package var lastState: ContainerState?
  package var ready: Bool?
  package var started: Bool?
  package var restartCount: Int?
  package var limits: [String: String]
  package var requests: [String: String]
  package var probes: [ProbeSpec.Kind: ProbeSpec]
  /// The preStop hook, as text (`exec [sleep 40]`, `http-get :8080/drain`), when known.
  package var preStop: String?
  package var postStart: String?
  /// Names of environment variables only: values are never kept unless asked (secrets).
  package var environmentNames: [String]
  /// Restartable init container (sidecar).
  package var restartPolicyAlways: Bool
  /// The reason of a Terminated state the input shows without its exit code (a describe cut after
  /// `Reason:  OOMKilled`): kept apart, because a termination is never invented without its code.
  package var terminatedReasonOnly: String?
  /// What Ingest recognised in the waiting message (patterns/details.json, the domain its reason
  /// picks): `pullError=not-found`, `configError=secret-missing name=db`, `backoff=5m0s`.
  package var waitingDetail: [KeyValue] = []
  /// The lines that show `state` and `lastState` (describe's `State:` and `Last State:` blocks), for
  /// findings to cite first: the decisive lines among the container's.
  package var stateEvidence: [Evidence] = []
  package var lastStateEvidence: [Evidence] = []
  package var evidence: [Evidence]

  /// The name of a container the input shows events of but never names (an Events table whose
  /// rows carry no field path and whose messages name no container). Never a real name: container
  /// names are DNS labels.
  package static let unknownName = "<unknown>"

  package init(name: String, role: Role = .container) {
    self.name = name
    self.role = role
    self.limits = [:]
    self.requests = [:]
    self.probes = [:]
    self.environmentNames = []
    self.restartPolicyAlways = false
    self.evidence = []
  }
}

/// A pod condition row (`Ready False`).
package struct PodCondition: Hashable, Sendable, Codable {
  package var type: String
  package var status: String
  package var reason: String?
  package var message: String?
  /// The pattern the message matched and what it captured (a `DisruptionTarget` condition holds
  /// the eviction manager's message when the pod's own status does not), set by Ingest; not part
  /// of the condition's encoded form.
  package var patternID: String?
  package var messageCaptures: [KeyValue] = []

  private enum CodingKeys: String, CodingKey { case type, status, reason, message }

  package init(type: String, status: String, reason: String? = nil, message: String? = nil) {
    self.type = type
    self.status = status
    self.reason = reason
    self.message = message
  }
}

/// What one source says about one pod at one moment.
///
/// A describe output, a row of `kubectl get pods`, a Pod JSON object: each is a snapshot. The
/// correlator merges snapshots of the same pod; fields a source does not show stay nil.
package struct PodSnapshot: Hashable, Sendable, Codable {
  package var namespace: String?
  package var name: String
  package var uid: String?
  package var node: String?
  package var hostIP: String?
  package var podIP: String?
  /// `status.phase` (`Running`, `Pending`, `Failed` …).
  package var phase: String?
  /// The STATUS column of `kubectl get pods` (`CrashLoopBackOff`, `Init:0/2`, `Terminating`).
  package var displayStatus: String?
  /// `status.reason` (`Evicted`, `NodeLost`, `DeadlineExceeded`).
  package var reason: String?
  package var message: String?
  /// What Ingest recognised in `message`, which is an event's message too (the eviction manager's
  /// `The node was low on resource: …`): the event pattern's captures and details.
  package var messageCaptures: [KeyValue] = []
  package var startTime: TimeRange?
  package var creationTime: TimeRange?
  /// `metadata.deletionTimestamp`: request time + grace (docs/kubernetes.md §1.2).
  package var deletionTimestamp: TimeRange?
  /// `metadata.deletionGracePeriodSeconds` (`Termination Grace Period:` in describe).
  package var deletionGracePeriodSeconds: Int?
  /// `spec.terminationGracePeriodSeconds` (default 30).
  package var terminationGracePeriodSeconds: Int?
  /// True when the text says `Terminating` (describe Status or get STATUS).
  package var terminating: Bool
  /// True when the deletion timestamp lies ahead of the capture time (describe's
  /// `Terminating (lasts <invalid>)`, docs/kubernetes.md §1.2): still within the grace period.
  package var deletionInFuture = false
  /// The lines that show the deletion (describe's `Status: Terminating (lasts …)` and
  /// `Termination Grace Period:`), for findings about it to cite.
  package var deletionEvidence: [Evidence] = []
  package var finalizers: [String]
  package var labels: [String: String]
  /// `ReplicaSet/web-5d4f8b7c9`.
  package var controlledBy: String?
  package var qosClass: String?
  package var conditions: [PodCondition]
  package var tolerations: [String]
  package var containers: [ContainerSnapshot]
  /// The `READY` column (`1/2`) when that is all the source says.
  package var ready: ReadyCount?
  /// Total restarts from a `get pods` row, and how long ago the last one was.
  package var restarts: Int?
  package var lastRestart: TimeRange?
  /// When this snapshot was taken (the capture time of its source).
  package var capturedAt: CaptureTime?
  package var evidence: [Evidence]
  /// For a pod the input shows but does not name (a `status:` block pasted alone): where that
  /// block begins. `name` is then empty; each block is a pod of its own.
  package var pastedAt: SourceRef?

  package init(name: String, namespace: String? = nil) {
    self.name = name
    self.namespace = namespace
    self.terminating = false
    self.finalizers = []
    self.labels = [:]
    self.conditions = []
    self.tolerations = []
    self.containers = []
    self.evidence = []
  }
}

/// `READY 1/2`: ready containers over all containers (sidecars included, docs/kubernetes.md §3.4).
package struct ReadyCount: Hashable, Sendable, Codable {
  package var ready: Int
  package var total: Int

  package init(ready: Int, total: Int) {
    self.ready = ready
    self.total = total
  }
}
