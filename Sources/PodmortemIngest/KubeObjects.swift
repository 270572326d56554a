/// The Kubernetes wire types podmortem reads from JSON and YAML: only the fields it models.
///
/// One `KubeObject` covers every kind (Event, Pod, Node, workloads, a watch `Status`): the fields
/// of the kinds do not clash in type, so one decode pass reads any of them, and unknown fields
/// are skipped. Environment values are never decoded (secrets).
struct KubeDocument: Decodable, Equatable {
  /// The object itself, when the document is not an envelope.
  var object: KubeObject
  /// `{"type": "ADDED", "object": {…}}` (a watch event, docs/kubernetes.md §3.2).
  var watchObject: KubeObject? {
    get { heldWatchObject?.object }
    set { heldWatchObject = newValue.map(OutOfLine.init) }
  }
  /// `{"verb": "ADDED", "event": {…}, "old_event": {…}}` (eventrouter).
  var verb: String?
  var routedEvent: KubeObject? {
    get { heldRoutedEvent?.object }
    set { heldRoutedEvent = newValue.map(OutOfLine.init) }
  }
  /// The envelopes' objects, held out of line: a `KubeObject` is 1,312 bytes, and held in place
  /// the two made every document about 4 KB, copied whole (an outlined copy over every field,
  /// and `memcpy`s) where each event of a list was started from `KubeDocument.empty` and handed
  /// on, though an envelope is rare (docs/architecture.md, "Speed of the EventList path").
  /// `KubeDocumentInPlaceTests` holds the documents to `JSONDecoder`'s and to the fields set.
  private var heldWatchObject: OutOfLine?
  private var heldRoutedEvent: OutOfLine?

  /// `watchObject != nil`, without copying the object out.
  var hasWatchObject: Bool { heldWatchObject != nil }
  /// A list decoded whole (YAML lists the splitter did not split).
  var items: [KubeObject]?
  /// Container statuses keyed by container name, when that is all the document is: a v1beta1
  /// `info` map, or a member of one pasted alone (docs/kubernetes.md §4.5).
  var containerMap: [String: KubeContainerStatus]?

  /// The document as one condition (an item of a bare `status.conditions` array), if it is one:
  /// a `type` and a string `status`, and nothing of an event or an object.
  var condition: KubeCondition? {
    guard object.kind == nil, object.metadata == nil, object.involvedObject == nil, object.regarding == nil,
      heldWatchObject == nil, let type = object.type, case .text(let status)? = object.status,
      object.lastTransitionTime != nil || object.lastHeartbeatTime != nil || object.lastProbeTime != nil
    else { return nil }
    return KubeCondition(type: type, status: status, reason: object.reason, message: object.message)
  }

  private enum CodingKeys: String, CodingKey {
    case object, verb, event, items
  }

  /// A document read by `KubeJSONReader`, which leaves a bare container-status map to this decoder.
  init(
    object: KubeObject, watchObject: KubeObject?, verb: String?, routedEvent: KubeObject?, items: [KubeObject]?
  ) {
    self.object = object
    self.heldWatchObject = watchObject.map(OutOfLine.init)
    self.verb = verb
    self.heldRoutedEvent = routedEvent.map(OutOfLine.init)
    self.items = items
  }

  /// A `KubeObject` behind a reference (an indirect case): a document holding none is a word
  /// of nil for each envelope.
  private indirect enum OutOfLine: Equatable {
    case held(KubeObject)

    init(_ object: KubeObject) { self = .held(object) }

    var object: KubeObject {
      switch self {
      case .held(let object): object
      }
    }
  }

  init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    heldWatchObject = try c.decodeIfPresent(KubeObject.self, forKey: .object).map(OutOfLine.init)
    verb = try c.decodeIfPresent(String.self, forKey: .verb)
    heldRoutedEvent = verb == nil ? nil : try c.decodeIfPresent(KubeObject.self, forKey: .event).map(OutOfLine.init)
    items = try c.decodeIfPresent([KubeObject].self, forKey: .items)
    object = try KubeObject(from: decoder)
    if object.kind == nil, object.metadata == nil, object.status == nil, object.spec == nil, object.type == nil,
      heldWatchObject == nil, verb == nil, items == nil, object.currentState == nil,
      let map = try? decoder.singleValueContainer().decode([String: KubeContainerStatus].self)
    {
      let statuses = map.filter { $0.value.state != nil || $0.value.lastState != nil }
      containerMap = statuses.isEmpty ? nil : statuses
    }
  }
}

/// Any Kubernetes object, as the union of the fields podmortem reads.
struct KubeObject: Decodable, Equatable {
  var apiVersion: String?
  var kind: String?
  var metadata: KubeMetadata?
  // Event (core/v1 and events.k8s.io/v1, docs/kubernetes.md §4.1, §4.2); `type` is also the watch verb.
  var type: String?
  var reason: String?
  var message: String?
  var note: String?
  @Int32Field var count: Int?
  var firstTimestamp: String?
  var lastTimestamp: String?
  var eventTime: String?
  var series: KubeEventSeries?
  var source: KubeEventSource?
  var reportingComponent: String?
  var reportingController: String?
  var reportingInstance: String?
  var involvedObject: KubeObjectReference?
  var regarding: KubeObjectReference?
  var deprecatedSource: KubeEventSource?
  var deprecatedFirstTimestamp: String?
  var deprecatedLastTimestamp: String?
  @Int32Field var deprecatedCount: Int?
  // Pod, Node, workloads; `status` is a string in a `Status` object.
  var spec: KubeSpec?
  var status: KubeStatusField?
  // Status (a watch ERROR).
  @Int32Field var code: Int?
  // A condition, when the document is an item of a bare conditions array.
  var lastTransitionTime: String?
  var lastHeartbeatTime: String?
  var lastProbeTime: String?
  // v1beta1 and v1beta2 Pods (docs/kubernetes.md §4.5): the name in `id`, the containers' statuses
  // in `currentState.info`, keyed by container name.
  var id: String?
  var namespace: String?
  var currentState: KubeV1Beta1PodState?
}

/// A v1beta1 pod's `currentState` (docs/kubernetes.md §4.5).
struct KubeV1Beta1PodState: Decodable, Equatable {
  var host: String?
  var hostIP: String?
  var podIP: String?
  var info: [String: KubeContainerStatus]?
}

struct KubeMetadata: Decodable, Equatable {
  var name: String?
  var namespace: String?
  var uid: String?
  var creationTimestamp: String?
  var deletionTimestamp: String?
  @Int32Field var deletionGracePeriodSeconds: Int?
  var finalizers: [String]?
  var labels: [String: String]?
  var ownerReferences: [KubeOwnerReference]?
}

struct KubeOwnerReference: Decodable, Equatable {
  var kind: String?
  var name: String?
  var controller: Bool?
}

struct KubeObjectReference: Decodable, Equatable {
  var kind: String?
  var namespace: String?
  var name: String?
  var uid: String?
  var fieldPath: String?
}

struct KubeEventSeries: Decodable, Equatable {
  @Int32Field var count: Int?
  var lastObservedTime: String?
}

struct KubeEventSource: Decodable, Equatable {
  var component: String?
  var host: String?
}

struct KubeSpec: Decodable, Equatable {
  // Pod
  var nodeName: String?
  var containers: [KubeContainer]?
  var initContainers: [KubeContainer]?
  var ephemeralContainers: [KubeContainer]?
  @Int32Field var terminationGracePeriodSeconds: Int?
  var tolerations: [KubeToleration]?
  // Node
  var taints: [KubeTaint]?
  var unschedulable: Bool?
  // Workloads
  @Int32Field var replicas: Int?
  @Int32Field var completions: Int?
  @Int32Field var parallelism: Int?
}

struct KubeContainer: Decodable, Equatable {
  var name: String?
  var image: String?
  var restartPolicy: String?
  var livenessProbe: KubeProbe?
  var readinessProbe: KubeProbe?
  var startupProbe: KubeProbe?
  var lifecycle: KubeLifecycle?
  var resources: KubeResources?
  var env: [KubeEnvVar]?
}

/// Only the name: the value (or its `valueFrom`) is never read.
struct KubeEnvVar: Decodable, Equatable {
  var name: String?
}

struct KubeResources: Decodable, Equatable {
  var limits: [String: KubeScalar]?
  var requests: [String: KubeScalar]?
}

struct KubeProbe: Decodable, Equatable {
  var exec: KubeExecAction?
  var httpGet: KubeHTTPGetAction?
  var tcpSocket: KubeTCPSocketAction?
  var grpc: KubeGRPCAction?
  @Int32Field var initialDelaySeconds: Int?
  @Int32Field var timeoutSeconds: Int?
  @Int32Field var periodSeconds: Int?
  @Int32Field var successThreshold: Int?
  @Int32Field var failureThreshold: Int?
  @Int32Field var terminationGracePeriodSeconds: Int?
}

struct KubeLifecycle: Decodable, Equatable {
  var preStop: KubeLifecycleHandler?
  var postStart: KubeLifecycleHandler?
}

struct KubeLifecycleHandler: Decodable, Equatable {
  var exec: KubeExecAction?
  var httpGet: KubeHTTPGetAction?
  var tcpSocket: KubeTCPSocketAction?
  var sleep: KubeSleepAction?
}

struct KubeExecAction: Decodable, Equatable {
  var command: [String]?
}

struct KubeHTTPGetAction: Decodable, Equatable {
  var path: String?
  var port: KubeScalar?
  var host: String?
  var scheme: String?
}

struct KubeTCPSocketAction: Decodable, Equatable {
  var port: KubeScalar?
  var host: String?
}

struct KubeGRPCAction: Decodable, Equatable {
  @Int32Field var port: Int?
  var service: String?
}

struct KubeSleepAction: Decodable, Equatable {
  @Int32Field var seconds: Int?
}

struct KubeToleration: Decodable, Equatable {
  var key: String?
  var `operator`: String?
  var value: String?
  var effect: String?
  @Int32Field var tolerationSeconds: Int?
}

struct KubeTaint: Decodable, Equatable {
  var key: String?
  var value: String?
  var effect: String?
}

/// `status`: an object for Pods, Nodes and workloads, a string (`Failure`) in a `Status`.
enum KubeStatusField: Decodable, Equatable {
  case object(KubeStatus)
  case text(String)

  init(from decoder: Decoder) throws {
    if let text = try? decoder.singleValueContainer().decode(String.self) {
      self = .text(text)
    } else {
      self = .object(try KubeStatus(from: decoder))
    }
  }

  var object: KubeStatus? {
    if case .object(let status) = self { return status }
    return nil
  }
}

struct KubeStatus: Decodable, Equatable {
  // Pod
  var phase: String?
  var reason: String?
  var message: String?
  var conditions: [KubeCondition]?
  var podIP: String?
  var hostIP: String?
  var startTime: String?
  var qosClass: String?
  var containerStatuses: [KubeContainerStatus]?
  var initContainerStatuses: [KubeContainerStatus]?
  var ephemeralContainerStatuses: [KubeContainerStatus]?
  // Deployment, ReplicaSet, StatefulSet
  @Int32Field var replicas: Int?
  @Int32Field var updatedReplicas: Int?
  @Int32Field var readyReplicas: Int?
  @Int32Field var availableReplicas: Int?
  @Int32Field var unavailableReplicas: Int?
  @Int32Field var currentReplicas: Int?
  // DaemonSet
  @Int32Field var desiredNumberScheduled: Int?
  @Int32Field var currentNumberScheduled: Int?
  @Int32Field var numberReady: Int?
  @Int32Field var updatedNumberScheduled: Int?
  @Int32Field var numberAvailable: Int?
  @Int32Field var numberMisscheduled: Int?
  // Job
  @Int32Field var active: Int?
  @Int32Field var ready: Int?
  @Int32Field var succeeded: Int?
  @Int32Field var failed: Int?
}

struct KubeCondition: Decodable, Equatable {
  var type: String?
  var status: String?
  var reason: String?
  var message: String?
}

struct KubeContainerStatus: Decodable, Equatable {
  var name: String?
  var image: String?
  var state: KubeContainerState?
  var lastState: KubeContainerState?
  var ready: Bool?
  var started: Bool?
  @Int32Field var restartCount: Int?
}

struct KubeContainerState: Decodable, Equatable {
  var waiting: KubeWaiting?
  var running: KubeRunning?
  var terminated: KubeTerminated?
  /// `terminated` as v1beta1 and v1beta2 named it (docs/kubernetes.md §4.5).
  var termination: KubeTerminated?
}

struct KubeWaiting: Decodable, Equatable {
  var reason: String?
  var message: String?
}

struct KubeRunning: Decodable, Equatable {
  var startedAt: String?
}

struct KubeTerminated: Decodable, Equatable {
  @Int32Field var exitCode: Int?
  @Int32Field var signal: Int?
  var reason: String?
  var message: String?
  var startedAt: String?
  var finishedAt: String?
}

/// A scalar written as a string or a number: a port (`8080` or `http`), a quantity (`"500m"`,
/// or `1` in hand-written YAML).
struct KubeScalar: Decodable, Equatable {
  var text: String

  init(text: String) { self.text = text }

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let int = try? c.decode(Int.self) {
      text = String(int)
    } else if let string = try? c.decode(String.self) {
      text = string
    } else {
      text = String(try c.decode(Double.self))
    }
  }
}
