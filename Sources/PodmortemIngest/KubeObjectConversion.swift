import Foundation
import PodmortemModel
import PodmortemText

/// Turns decoded Kubernetes objects (JSON or YAML) into model records.
struct KubeObjectConverter {
  /// What became of one document.
  struct Outcome {
    var records: [Record] = []
    /// Problems the document itself reports (a watch `ERROR` status), with their level.
    var notes: [(Diagnostic.Level, String)] = []
    /// True when the document was understood but holds nothing podmortem models.
    var ignored = false
  }

  /// The kinds that become records; others are recognised and ignored.
  static let modelledKinds: Set<String> = [
    "Event", "Pod", "Node", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
  ]

  /// True when a document of `kind` cannot produce a record, so it need not be decoded.
  static func isIgnorable(kind: String?) -> Bool {
    guard let kind else { return false }
    return !modelledKinds.contains(kind) && !kind.hasSuffix("List") && kind != "Status"
  }

  var captureTime: CaptureTime?

  func convert(_ document: KubeDocument, evidence: ObjectEvidence) -> Outcome {
    var outcome = Outcome()
    if let verb = document.verb, let event = document.routedEvent {
      convert(event, watchType: verb, evidence: evidence, into: &outcome)
    } else if let object = document.watchObject, let type = document.object.type {
      switch type {
      case "BOOKMARK":
        outcome.ignored = true
      case "ERROR":
        outcome.notes.append((.warning, "watch error: \(statusText(object))"))
        outcome.ignored = true
      default:
        convert(object, watchType: type, evidence: evidence, into: &outcome)
      }
    } else if let map = document.containerMap {
      // Container statuses keyed by name and nothing else: the pod they belong to, unnamed.
      var object = document.object
      object.currentState = KubeV1Beta1PodState(info: map)
      outcome.records.append(.pod(pod(object, evidence: evidence)))
    } else if let items = document.items {
      for item in items { convert(item, watchType: nil, evidence: evidence, into: &outcome) }
      if items.isEmpty { outcome.ignored = true }
    } else {
      convert(document.object, watchType: nil, evidence: evidence, into: &outcome)
    }
    if outcome.records.isEmpty && outcome.notes.isEmpty { outcome.ignored = true }
    return outcome
  }

  private func convert(_ object: KubeObject, watchType: String?, evidence: ObjectEvidence, into outcome: inout Outcome)
  {
    var kind = object.kind
    if kind == nil && (object.involvedObject != nil || object.regarding != nil) {
      // event-exporter prints the typed Event, which has no apiVersion/kind.
      kind = "Event"
    }
    if kind == nil { kind = Self.inferredKind(object) }
    switch kind {
    case "Event":
      if let event = event(object, watchType: watchType, evidence: evidence) {
        outcome.records.append(.event(event))
      } else {
        outcome.notes.append((.warning, "event '\(object.metadata?.name ?? "")' names no involved object"))
      }
    case "Pod":
      outcome.records.append(.pod(pod(object, evidence: evidence)))
    case "Node":
      outcome.records.append(.node(node(object, evidence: evidence)))
    case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
      outcome.records.append(.workload(workload(object, kind: kind ?? "", evidence: evidence)))
    case "Status":
      outcome.notes.append((.warning, "api status: \(statusText(object))"))
    default:
      break
    }
  }

  private func statusText(_ object: KubeObject) -> String {
    let code = object.code.map { "\($0) " } ?? ""
    let reason = object.reason.map { "'\($0)' " } ?? ""
    return "\(code)\(reason)\(object.message ?? "")".trimmingCharacters(in: .whitespaces)
  }

  // MARK: - Events

  /// docs/kubernetes.md §4.1, §4.2: core/v1 and events.k8s.io/v1 are two views of one stored object.
  private func event(_ object: KubeObject, watchType: String?, evidence: ObjectEvidence) -> Event? {
    guard let reference = object.involvedObject ?? object.regarding else { return nil }
    let involved = ObjectRef(
      // Not metadata.namespace: events about cluster-scoped objects (nodes) live in `default` (§4.1).
      kind: reference.kind, namespace: nonEmpty(reference.namespace),
      name: reference.name ?? "", uid: reference.uid, fieldPath: reference.fieldPath)
    let legacyCount = object.count ?? object.deprecatedCount
    let legacyFirst = object.firstTimestamp ?? object.deprecatedFirstTimestamp
    let eventTime = KubeTime.parse(object.eventTime)
    let first = KubeTime.parse(legacyFirst) ?? eventTime
    let last =
      KubeTime.parse(object.lastTimestamp ?? object.deprecatedLastTimestamp)
      ?? KubeTime.parse(object.series?.lastObservedTime) ?? eventTime
    return Event(
      involved: involved, type: EventType(object.type ?? ""), reason: object.reason ?? "",
      message: object.message ?? object.note ?? "",
      sourceComponent: nonEmpty(object.source?.component) ?? nonEmpty(object.deprecatedSource?.component)
        ?? nonEmpty(object.reportingComponent) ?? nonEmpty(object.reportingController),
      sourceHost: nonEmpty(object.source?.host) ?? nonEmpty(object.deprecatedSource?.host)
        ?? nonEmpty(object.reportingInstance),
      eventName: object.metadata?.name, count: legacyCount ?? object.series?.count, firstSeen: first, lastSeen: last,
      // §4.1: events created through events.k8s.io have eventTime but no count or firstTimestamp.
      isSeries: eventTime != nil && legacyCount == nil && legacyFirst == nil, watchType: watchType,
      evidence: evidence.forEvent)
  }

  // MARK: - Pods

  /// The kind of an object pasted without `kind:` (a `status:` block, a `containerStatuses` list),
  /// from the fields only that kind has; nil when nothing tells.
  static func inferredKind(_ object: KubeObject) -> String? {
    let status = object.status?.object
    if status?.containerStatuses != nil || status?.initContainerStatuses != nil || status?.qosClass != nil
      || status?.podIP != nil || object.spec?.containers != nil || object.currentState?.info != nil
    {
      return "Pod"
    }
    if let conditions = status?.conditions, conditions.contains(where: { Self.podConditions.contains($0.type ?? "") }) {
      return "Pod"
    }
    // A pod's phase with what only a pod's status has beside it: its start time, or a reason the
    // kubelet or the node controller gives a pod (`Evicted`, `NodeLost`, `DeadlineExceeded`).
    if let phase = status?.phase, Self.podPhases.contains(phase),
      status?.startTime != nil || Self.podReasons.contains(status?.reason ?? "")
    {
      return "Pod"
    }
    return nil
  }

  private static let podPhases: Set<String> = ["Pending", "Running", "Succeeded", "Failed", "Unknown"]
  private static let podReasons: Set<String> = [
    "Evicted", "NodeLost", "DeadlineExceeded", "Preempting", "UnexpectedAdmissionError", "NodeAffinity",
    "Shutdown", "Terminated",
  ]

  /// Conditions only a pod has (`Ready` is a node's too).
  private static let podConditions: Set<String> = [
    "PodScheduled", "Initialized", "ContainersReady", "PodReadyToStartContainers", "DisruptionTarget",
  ]

  private func pod(_ object: KubeObject, evidence: ObjectEvidence) -> PodSnapshot {
    let meta = object.metadata
    let spec = object.spec
    let status = object.status?.object
    // §4.5: a v1beta1 pod has its name in `id` and its namespace at the top.
    var pod = PodSnapshot(name: meta?.name ?? object.id ?? "", namespace: meta?.namespace ?? object.namespace)
    if pod.name.isEmpty { pod.pastedAt = (evidence.first ?? evidence.name ?? evidence.message)?.ref }
    pod.uid = meta?.uid
    pod.node = revealed(spec?.nodeName) ?? revealed(object.currentState?.host)
    pod.hostIP = revealed(status?.hostIP) ?? revealed(object.currentState?.hostIP)
    pod.podIP = revealed(status?.podIP) ?? revealed(object.currentState?.podIP)
    pod.phase = status?.phase
    pod.reason = status?.reason
    pod.message = status?.message
    pod.startTime = KubeTime.parse(status?.startTime)
    pod.creationTime = KubeTime.parse(meta?.creationTimestamp)
    pod.deletionTimestamp = KubeTime.parse(meta?.deletionTimestamp)
    pod.deletionGracePeriodSeconds = meta?.deletionGracePeriodSeconds
    pod.terminationGracePeriodSeconds = spec?.terminationGracePeriodSeconds
    // §8.1: a deleted pod is Terminating until it is gone, unless it already finished.
    pod.terminating = pod.deletionTimestamp != nil && pod.phase != "Succeeded" && pod.phase != "Failed"
    pod.finalizers = meta?.finalizers ?? []
    pod.labels = (meta?.labels ?? [:]).compactMapValues(revealed)
    pod.controlledBy = controller(meta)
    pod.qosClass = status?.qosClass
    pod.conditions = conditions(status?.conditions)
    pod.tolerations = (spec?.tolerations ?? []).map(tolerationText)
    pod.containers =
      containers(spec?.initContainers, status?.initContainerStatuses, role: .initContainer)
      + containers(spec?.containers, status?.containerStatuses, role: .container)
      + containers(spec?.ephemeralContainers, status?.ephemeralContainerStatuses, role: .ephemeral)
    if let info = object.currentState?.info {
      // §4.5: v1beta1 keyed the statuses by container name.
      let statuses = info.sorted { $0.key < $1.key }.map { name, status in
        var named = status
        named.name = named.name ?? name
        return named
      }
      pod.containers += containers(nil, statuses, role: .container)
    }
    pod.capturedAt = captureTime
    pod.evidence = evidence.forObject
    return pod
  }

  private func controller(_ meta: KubeMetadata?) -> String? {
    guard let owner = meta?.ownerReferences?.first(where: { $0.controller == true }) else { return nil }
    return "\(owner.kind ?? "")/\(owner.name ?? "")"
  }

  private func containers(
    _ specs: [KubeContainer]?, _ statuses: [KubeContainerStatus]?, role: ContainerSnapshot.Role
  ) -> [ContainerSnapshot] {
    var result: [ContainerSnapshot] = []
    var seen: Set<String> = []
    for spec in specs ?? [] {
      let name = spec.name ?? ""
      seen.insert(name)
      var container = ContainerSnapshot(name: name, role: role)
      container.image = revealed(spec.image)
      // An init container with restartPolicy Always is a sidecar.
      container.restartPolicyAlways = role == .initContainer && spec.restartPolicy == "Always"
      for (kind, probe) in [
        (ProbeSpec.Kind.liveness, spec.livenessProbe), (.readiness, spec.readinessProbe), (.startup, spec.startupProbe),
      ] {
        if let probe { container.probes[kind] = probeSpec(probe) }
      }
      container.preStop = spec.lifecycle?.preStop.map(handlerText)
      container.postStart = spec.lifecycle?.postStart.map(handlerText)
      container.limits = (spec.resources?.limits ?? [:]).mapValues(\.text)
      container.requests = (spec.resources?.requests ?? [:]).mapValues(\.text)
      container.environmentNames = (spec.env ?? []).compactMap(\.name)
      if let status = statuses?.first(where: { $0.name == name }) { apply(status, to: &container) }
      result.append(container)
    }
    // A status without a spec (a partial object) still tells the state.
    for status in statuses ?? [] where !seen.contains(status.name ?? "") {
      var container = ContainerSnapshot(
        name: status.name.flatMap { $0.isEmpty ? nil : $0 } ?? ContainerSnapshot.unknownName, role: role)
      container.image = revealed(status.image)
      apply(status, to: &container)
      result.append(container)
    }
    return result
  }

  private func apply(_ status: KubeContainerStatus, to container: inout ContainerSnapshot) {
    container.state = state(status.state)
    container.lastState = state(status.lastState)
    container.ready = status.ready
    container.started = status.started
    container.restartCount = status.restartCount
  }

  private func state(_ state: KubeContainerState?) -> ContainerState? {
    guard let state else { return nil }
    if let waiting = state.waiting { return .waiting(reason: waiting.reason, message: waiting.message) }
    if let running = state.running { return .running(startedAt: KubeTime.parse(running.startedAt)) }
    if let t = state.terminated ?? state.termination {
      // §4.5: the kubelets of late 2014 wrote an OOM kill's reason as `OOM Killed`.
      let reason = state.terminated == nil && t.reason == "OOM Killed" ? "OOMKilled" : t.reason
      return .terminated(
        Termination(
          reason: reason, message: t.message, exitCode: t.exitCode ?? 0, signal: t.signal,
          startedAt: KubeTime.parse(t.startedAt), finishedAt: KubeTime.parse(t.finishedAt)))
    }
    return nil
  }

  /// §6.1: fields the apiserver would default are filled in when a hand-written object omits them.
  private func probeSpec(_ probe: KubeProbe) -> ProbeSpec {
    let handler: ProbeHandler
    if let http = probe.httpGet {
      handler = .httpGet(
        scheme: http.scheme ?? "HTTP", host: http.host ?? "", port: http.port?.text ?? "", path: http.path ?? "")
    } else if let tcp = probe.tcpSocket {
      handler = .tcpSocket(host: tcp.host ?? "", port: tcp.port?.text ?? "")
    } else if let exec = probe.exec {
      handler = .exec(command: exec.command ?? [])
    } else if let grpc = probe.grpc {
      handler = .grpc(port: String(grpc.port ?? 0), service: grpc.service ?? "")
    } else {
      handler = .unknown
    }
    return ProbeSpec(
      handler: handler, initialDelaySeconds: probe.initialDelaySeconds ?? 0, timeoutSeconds: probe.timeoutSeconds ?? 1,
      periodSeconds: probe.periodSeconds ?? 10, successThreshold: probe.successThreshold ?? 1,
      failureThreshold: probe.failureThreshold ?? 3, terminationGracePeriodSeconds: probe.terminationGracePeriodSeconds)
  }

  /// A lifecycle handler as describe renders it: `exec [sleep 40]`, `http-get http://:8080/drain`.
  private func handlerText(_ handler: KubeLifecycleHandler) -> String {
    if let exec = handler.exec {
      return "exec [\((exec.command ?? []).joined(separator: " "))]"
    }
    if let http = handler.httpGet {
      var path = http.path ?? ""
      if !path.isEmpty && !path.hasPrefix("/") { path = "/" + path }
      let scheme = (http.scheme ?? "HTTP").lowercased()
      return "http-get \(scheme)://\(hostPort(http.host ?? "", http.port?.text ?? ""))\(path)"
    }
    if let tcp = handler.tcpSocket {
      return "tcp-socket \(hostPort(tcp.host ?? "", tcp.port?.text ?? ""))"
    }
    if let sleep = handler.sleep {
      return "sleep \(sleep.seconds ?? 0)s"
    }
    return "unknown"
  }

  /// Go's `net.JoinHostPort`: IPv6 hosts get brackets.
  private func hostPort(_ host: String, _ port: String) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }

  private func tolerationText(_ t: KubeToleration) -> String {
    var text = t.key ?? ""
    if let value = t.value, !value.isEmpty { text += "=\(value)" }
    if let effect = t.effect, !effect.isEmpty { text += ":\(effect)" }
    if t.operator == "Exists" { text += " op=Exists" }
    if let seconds = t.tolerationSeconds { text += " for \(seconds)s" }
    return text.trimmingCharacters(in: .whitespaces)
  }

  /// The conditions that say something: one without a type (a paste cut inside the list) is none.
  private func conditions(_ list: [KubeCondition]?) -> [PodCondition] {
    (list ?? []).compactMap {
      guard let type = nonEmpty($0.type) else { return nil }
      return PodCondition(
        type: type, status: $0.status ?? "", reason: nonEmpty($0.reason), message: nonEmpty($0.message))
    }
  }

  // MARK: - Nodes and workloads

  private func node(_ object: KubeObject, evidence: ObjectEvidence) -> NodeSnapshot {
    var node = NodeSnapshot(name: object.metadata?.name ?? "")
    node.uid = object.metadata?.uid
    node.conditions = conditions(object.status?.object?.conditions)
    node.taints = (object.spec?.taints ?? []).map { taint in
      var text = taint.key ?? ""
      if let value = taint.value, !value.isEmpty { text += "=\(value)" }
      if let effect = taint.effect, !effect.isEmpty { text += ":\(effect)" }
      return text
    }
    node.unschedulable = object.spec?.unschedulable ?? false
    node.evidence = evidence.forObject
    return node
  }

  /// The replica line in describe's words for each kind.
  private func workload(_ object: KubeObject, kind: String, evidence: ObjectEvidence) -> WorkloadSnapshot {
    var workload = WorkloadSnapshot(
      kind: kind, name: object.metadata?.name ?? "", namespace: object.metadata?.namespace)
    let desired = object.spec?.replicas ?? 1
    let s = object.status?.object
    switch kind {
    case "Deployment":
      workload.replicas =
        "\(desired) desired | \(s?.updatedReplicas ?? 0) updated | \(s?.replicas ?? 0) total"
        + " | \(s?.availableReplicas ?? 0) available | \(s?.unavailableReplicas ?? 0) unavailable"
    case "ReplicaSet":
      workload.replicas = "\(s?.replicas ?? 0) current / \(desired) desired"
    case "StatefulSet":
      workload.replicas = "\(desired) desired | \(s?.replicas ?? 0) total"
    case "DaemonSet":
      workload.replicas =
        "\(s?.desiredNumberScheduled ?? 0) desired | \(s?.currentNumberScheduled ?? 0) current"
        + " | \(s?.numberReady ?? 0) ready | \(s?.updatedNumberScheduled ?? 0) up-to-date"
        + " | \(s?.numberAvailable ?? 0) available"
    case "Job":
      workload.replicas =
        "\(object.spec?.completions ?? 1) completions | \(object.spec?.parallelism ?? 1) parallelism"
      workload.podsStatus =
        "\(s?.active ?? 0) Active (\(s?.ready ?? 0) Ready) / \(s?.succeeded ?? 0) Succeeded / \(s?.failed ?? 0) Failed"
    default:
      break
    }
    workload.conditions = conditions(s?.conditions)
    workload.evidence = evidence.forObject
    return workload
  }
}

/// A value redacted by a support-bundle tool (`***HIDDEN***`, docs/kubernetes.md §12) is no value at all.
private func revealed(_ text: String?) -> String? {
  guard let text, !text.isEmpty, text != "***HIDDEN***" else { return nil }
  return text
}

private func nonEmpty(_ text: String?) -> String? {
  guard let text, !text.isEmpty else { return nil }
  return text
}

/// RFC 3339 times as the API writes them: `metav1.Time` in whole seconds, `MicroTime` with six
/// decimals (docs/kubernetes.md §4.1).
///
/// A time becomes a range as wide as its last written digit: `01:02:03Z` is [01:02:03, 01:02:04]
/// because the writer truncated to the second; `01:02:03.123456Z` is a microsecond wide.
enum KubeTime {
  static func parse(_ text: String?) -> TimeRange? {
    guard let text, let time = RFC3339.parse(text, options: .spaceSeparator) else { return nil }
    // As wide as the last written digit, less a hair: the same rule as `Timestamps.range`, so a
    // time written in JSON and the same time written by describe are the same range.
    return TimeRange(earliest: time.date, latest: time.date.addingTimeInterval(time.unit * 0.999))
  }
}

extension KubeDocument {
  /// A document with nothing read into it: what `KubeJSONReader.read(_:pool:into:)` fills. Built
  /// once and copied: building it for every value (four `KubeObject`s of nils, two of them through
  /// property wrappers) cost about 4,000 instructions a value (issue 16, callgrind).
  static let empty = KubeDocument(object: KubeObject(), watchObject: nil, verb: nil, routedEvent: nil, items: nil)
}
