import PodmortemModel

// The fields of each Kubernetes object `KubeJSONReader` reads, object by object: the schema half
// of the reader (the byte-level half, `KubeJSONReader.swift`, reads keys, scalars, arrays and
// maps and steps over what is not asked). Each function reads one object type of
// `KubeObjects.swift`, looks its keys up in the tables of `KubeJSONKeys.swift` and skips the rest.
extension KubeJSONReader {
  // MARK: - The document

  /// Fills an empty `document` where it lies: built from locals, it was copied whole on return.
  mutating func readDocument(into document: inout KubeDocument) throws(Unsure) {
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.document, &m) {
      switch k {
      case KubeJSONKeys.documentObject: document.watchObject = try optionalObject()
      case KubeJSONKeys.documentVerb: document.verb = try string()
      case KubeJSONKeys.documentEvent: document.routedEvent = try optionalObject()
      case KubeJSONKeys.documentItems: document.items = try array { r throws(Unsure) in try r.requiredObject() }
      default: try objectField(k, into: &document.object)
      }
    }
    guard peek() == nil else { throw Unsure() }
    if document.object.kind == nil, document.object.metadata == nil, document.object.status == nil,
      document.object.spec == nil, document.object.type == nil, !document.hasWatchObject, document.verb == nil,
      document.items == nil, document.object.currentState == nil
    {
      // Possibly a map of container statuses (a v1beta1 `info`): `KubeDocument` tries that itself.
      throw Unsure()
    }
    if document.verb == nil { document.routedEvent = nil }
  }

  private mutating func optionalObject() throws(Unsure) -> KubeObject? {
    if try null() { return nil }
    return try requiredObject()
  }

  private mutating func requiredObject() throws(Unsure) -> KubeObject {
    var object = KubeObject()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.object, &m) { try objectField(k, into: &object) }
    return object
  }

  /// One member of a `KubeObject`; `k` indexes `KubeJSONKeys.object` (which `KubeJSONKeys.document` begins with).
  private mutating func objectField(_ k: Int, into o: inout KubeObject) throws(Unsure) {
    switch k {
    case 0: o.apiVersion = try string()
    case 1: o.kind = try string()
    case 2: o.metadata = try metadata()
    case 3: o.type = try string()
    case 4: o.reason = try string()
    case 5: o.message = try string()
    case 6: o.note = try string()
    case 7: o.count = try int32()
    case 8: o.firstTimestamp = try string()
    case 9: o.lastTimestamp = try string()
    case 10: o.eventTime = try string()
    case 11: o.series = try series()
    case 12: o.source = try eventSource()
    case 13: o.reportingComponent = try string()
    case 14: o.reportingController = try string()
    case 15: o.reportingInstance = try string()
    case 16: o.involvedObject = try objectReference()
    case 17: o.regarding = try objectReference()
    case 18: o.deprecatedSource = try eventSource()
    case 19: o.deprecatedFirstTimestamp = try string()
    case 20: o.deprecatedLastTimestamp = try string()
    case 21: o.deprecatedCount = try int32()
    case 22: o.spec = try spec()
    case 23: o.status = try statusField()
    case 24: o.code = try int32()
    case 25: o.lastTransitionTime = try string()
    case 26: o.lastHeartbeatTime = try string()
    case 27: o.lastProbeTime = try string()
    case 28: o.id = try string()
    case 29: o.namespace = try string()
    case 30: o.currentState = try v1beta1State()
    default: try skipValue()
    }
  }

  // MARK: - Events

  private mutating func metadata() throws(Unsure) -> KubeMetadata? {
    if try null() { return nil }
    var v = KubeMetadata()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.metadata, &m) {
      switch k {
      case 0: v.name = try string()
      case 1: v.namespace = try string()
      case 2: v.uid = try string()
      case 3: v.creationTimestamp = try string()
      case 4: v.deletionTimestamp = try string()
      case 5: v.deletionGracePeriodSeconds = try int32()
      case 6: v.finalizers = try array { r throws(Unsure) in try r.requiredString() }
      case 7: v.labels = try dictionary { r throws(Unsure) in try r.requiredString() }
      case 8: v.ownerReferences = try array { r throws(Unsure) in try r.ownerReference() }
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func ownerReference() throws(Unsure) -> KubeOwnerReference {
    var v = KubeOwnerReference()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.ownerReference, &m) {
      switch k {
      case 0: v.kind = try string()
      case 1: v.name = try string()
      case 2: v.controller = try bool()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func objectReference() throws(Unsure) -> KubeObjectReference? {
    if try null() { return nil }
    var v = KubeObjectReference()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.objectReference, &m) {
      switch k {
      case 0: v.kind = try string()
      case 1: v.namespace = try string()
      case 2: v.name = try string()
      case 3: v.uid = try string()
      case 4: v.fieldPath = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func series() throws(Unsure) -> KubeEventSeries? {
    if try null() { return nil }
    var v = KubeEventSeries()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.series, &m) {
      switch k {
      case 0: v.count = try int32()
      case 1: v.lastObservedTime = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func eventSource() throws(Unsure) -> KubeEventSource? {
    if try null() { return nil }
    var v = KubeEventSource()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.eventSource, &m) {
      switch k {
      case 0: v.component = try string()
      case 1: v.host = try string()
      default: try skipValue()
      }
    }
    return v
  }

  // MARK: - Specs

  private mutating func spec() throws(Unsure) -> KubeSpec? {
    if try null() { return nil }
    var v = KubeSpec()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.spec, &m) {
      switch k {
      case 0: v.nodeName = try string()
      case 1: v.containers = try array { r throws(Unsure) in try r.container() }
      case 2: v.initContainers = try array { r throws(Unsure) in try r.container() }
      case 3: v.ephemeralContainers = try array { r throws(Unsure) in try r.container() }
      case 4: v.terminationGracePeriodSeconds = try int32()
      case 5: v.tolerations = try array { r throws(Unsure) in try r.toleration() }
      case 6: v.taints = try array { r throws(Unsure) in try r.taint() }
      case 7: v.unschedulable = try bool()
      case 8: v.replicas = try int32()
      case 9: v.completions = try int32()
      case 10: v.parallelism = try int32()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func container() throws(Unsure) -> KubeContainer {
    var v = KubeContainer()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.container, &m) {
      switch k {
      case 0: v.name = try string()
      case 1: v.image = try string()
      case 2: v.restartPolicy = try string()
      case 3: v.livenessProbe = try probe()
      case 4: v.readinessProbe = try probe()
      case 5: v.startupProbe = try probe()
      case 6: v.lifecycle = try lifecycle()
      case 7: v.resources = try resources()
      case 8: v.env = try array { r throws(Unsure) in try r.envVar() }
      default: try skipValue()
      }
    }
    return v
  }

  /// Only the name: the value is stepped over, never built (secrets).
  private mutating func envVar() throws(Unsure) -> KubeEnvVar {
    var v = KubeEnvVar()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.envVar, &m) {
      switch k {
      case 0: v.name = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func resources() throws(Unsure) -> KubeResources? {
    if try null() { return nil }
    var v = KubeResources()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.resources, &m) {
      switch k {
      case 0: v.limits = try dictionary { r throws(Unsure) in try r.requiredScalar() }
      case 1: v.requests = try dictionary { r throws(Unsure) in try r.requiredScalar() }
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func probe() throws(Unsure) -> KubeProbe? {
    if try null() { return nil }
    var v = KubeProbe()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.probe, &m) {
      switch k {
      case 0: v.exec = try execAction()
      case 1: v.httpGet = try httpGetAction()
      case 2: v.tcpSocket = try tcpSocketAction()
      case 3: v.grpc = try grpcAction()
      case 4: v.initialDelaySeconds = try int32()
      case 5: v.timeoutSeconds = try int32()
      case 6: v.periodSeconds = try int32()
      case 7: v.successThreshold = try int32()
      case 8: v.failureThreshold = try int32()
      case 9: v.terminationGracePeriodSeconds = try int32()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func lifecycle() throws(Unsure) -> KubeLifecycle? {
    if try null() { return nil }
    var v = KubeLifecycle()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.lifecycle, &m) {
      switch k {
      case 0: v.preStop = try lifecycleHandler()
      case 1: v.postStart = try lifecycleHandler()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func lifecycleHandler() throws(Unsure) -> KubeLifecycleHandler? {
    if try null() { return nil }
    var v = KubeLifecycleHandler()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.lifecycleHandler, &m) {
      switch k {
      case 0: v.exec = try execAction()
      case 1: v.httpGet = try httpGetAction()
      case 2: v.tcpSocket = try tcpSocketAction()
      case 3: v.sleep = try sleepAction()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func execAction() throws(Unsure) -> KubeExecAction? {
    if try null() { return nil }
    var v = KubeExecAction()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.execAction, &m) {
      switch k {
      case 0: v.command = try array { r throws(Unsure) in try r.requiredString() }
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func httpGetAction() throws(Unsure) -> KubeHTTPGetAction? {
    if try null() { return nil }
    var v = KubeHTTPGetAction()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.httpGetAction, &m) {
      switch k {
      case 0: v.path = try string()
      case 1: v.port = try scalar()
      case 2: v.host = try string()
      case 3: v.scheme = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func tcpSocketAction() throws(Unsure) -> KubeTCPSocketAction? {
    if try null() { return nil }
    var v = KubeTCPSocketAction()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.tcpSocketAction, &m) {
      switch k {
      case 0: v.port = try scalar()
      case 1: v.host = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func grpcAction() throws(Unsure) -> KubeGRPCAction? {
    if try null() { return nil }
    var v = KubeGRPCAction()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.grpcAction, &m) {
      switch k {
      case 0: v.port = try int32()
      case 1: v.service = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func sleepAction() throws(Unsure) -> KubeSleepAction? {
    if try null() { return nil }
    var v = KubeSleepAction()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.sleepAction, &m) {
      switch k {
      case 0: v.seconds = try int32()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func toleration() throws(Unsure) -> KubeToleration {
    var v = KubeToleration()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.toleration, &m) {
      switch k {
      case 0: v.key = try string()
      case 1: v.operator = try string()
      case 2: v.value = try string()
      case 3: v.effect = try string()
      case 4: v.tolerationSeconds = try int32()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func taint() throws(Unsure) -> KubeTaint {
    var v = KubeTaint()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.taint, &m) {
      switch k {
      case 0: v.key = try string()
      case 1: v.value = try string()
      case 2: v.effect = try string()
      default: try skipValue()
      }
    }
    return v
  }

  // MARK: - Statuses

  /// `status`: a string (a `Status` object's) or an object.
  private mutating func statusField() throws(Unsure) -> KubeStatusField? {
    switch peek() {
    case Self.quote: return .text(try stringValue())
    case Self.openBrace: return .object(try status())
    case 0x6E:
      try literal("null")
      return nil
    default: throw Unsure()
    }
  }

  private mutating func status() throws(Unsure) -> KubeStatus {
    var v = KubeStatus()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.status, &m) {
      switch k {
      case 0: v.phase = try string()
      case 1: v.reason = try string()
      case 2: v.message = try string()
      case 3: v.conditions = try array { r throws(Unsure) in try r.condition() }
      case 4: v.podIP = try string()
      case 5: v.hostIP = try string()
      case 6: v.startTime = try string()
      case 7: v.qosClass = try string()
      case 8: v.containerStatuses = try array { r throws(Unsure) in try r.containerStatus() }
      case 9: v.initContainerStatuses = try array { r throws(Unsure) in try r.containerStatus() }
      case 10: v.ephemeralContainerStatuses = try array { r throws(Unsure) in try r.containerStatus() }
      case 11: v.replicas = try int32()
      case 12: v.updatedReplicas = try int32()
      case 13: v.readyReplicas = try int32()
      case 14: v.availableReplicas = try int32()
      case 15: v.unavailableReplicas = try int32()
      case 16: v.currentReplicas = try int32()
      case 17: v.desiredNumberScheduled = try int32()
      case 18: v.currentNumberScheduled = try int32()
      case 19: v.numberReady = try int32()
      case 20: v.updatedNumberScheduled = try int32()
      case 21: v.numberAvailable = try int32()
      case 22: v.numberMisscheduled = try int32()
      case 23: v.active = try int32()
      case 24: v.ready = try int32()
      case 25: v.succeeded = try int32()
      case 26: v.failed = try int32()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func condition() throws(Unsure) -> KubeCondition {
    var v = KubeCondition()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.condition, &m) {
      switch k {
      case 0: v.type = try string()
      case 1: v.status = try string()
      case 2: v.reason = try string()
      case 3: v.message = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func containerStatus() throws(Unsure) -> KubeContainerStatus {
    var v = KubeContainerStatus()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.containerStatus, &m) {
      switch k {
      case 0: v.name = try string()
      case 1: v.image = try string()
      case 2: v.state = try containerState()
      case 3: v.lastState = try containerState()
      case 4: v.ready = try bool()
      case 5: v.started = try bool()
      case 6: v.restartCount = try int32()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func containerState() throws(Unsure) -> KubeContainerState? {
    if try null() { return nil }
    var v = KubeContainerState()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.containerState, &m) {
      switch k {
      case 0: v.waiting = try waiting()
      case 1: v.running = try running()
      case 2: v.terminated = try terminated()
      case 3: v.termination = try terminated()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func waiting() throws(Unsure) -> KubeWaiting? {
    if try null() { return nil }
    var v = KubeWaiting()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.waiting, &m) {
      switch k {
      case 0: v.reason = try string()
      case 1: v.message = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func running() throws(Unsure) -> KubeRunning? {
    if try null() { return nil }
    var v = KubeRunning()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.running, &m) {
      switch k {
      case 0: v.startedAt = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func terminated() throws(Unsure) -> KubeTerminated? {
    if try null() { return nil }
    var v = KubeTerminated()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.terminated, &m) {
      switch k {
      case 0: v.exitCode = try int32()
      case 1: v.signal = try int32()
      case 2: v.reason = try string()
      case 3: v.message = try string()
      case 4: v.startedAt = try string()
      case 5: v.finishedAt = try string()
      default: try skipValue()
      }
    }
    return v
  }

  private mutating func v1beta1State() throws(Unsure) -> KubeV1Beta1PodState? {
    if try null() { return nil }
    var v = KubeV1Beta1PodState()
    var m = try openObject()
    while let k = try nextKey(KubeJSONKeys.v1beta1State, &m) {
      switch k {
      case 0: v.host = try string()
      case 1: v.hostIP = try string()
      case 2: v.podIP = try string()
      case 3: v.info = try dictionary { r throws(Unsure) in try r.containerStatus() }
      default: try skipValue()
      }
    }
    return v
  }
}
