import PodmortemCorrelate
import PodmortemModel

/// A container the kubelet cannot create from its spec: a missing Secret, ConfigMap or key, or a
/// runAsNonRoot image that runs as root (docs/kubernetes.md §3.4, §9.1).
///
/// Examples, in `Examples/ContainerConfigErrorRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: an env var from a Secret that does not exist
/// - near miss: "Error: ErrImagePull" is a pull failure, not a config error
/// - fires: secret missing
/// - fires: key missing from a secret
/// - fires: runAsNonRoot with a root image
/// - near miss: pull errors are not config errors
/// - fires: Kubernetes 1.0: Docker refuses to create the container (lower-case reason 'failed')
/// - fires: an Events table alone: the Secret behind an env var does not exist
/// - fires: a container's State lines alone: waiting in CreateContainerConfigError, the missing object not shown
/// - near miss: headerless rows: "Error: ErrImagePull" is a pull failure, not a config error
package struct ContainerConfigErrorRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "config.create-container-error", category: .containerConfig, title: "container cannot be created from its spec",
    rationale: "CreateContainerConfigError is raised before the runtime is asked: the env or volume source does not "
      + "exist, or the security context cannot be met; the Failed event says which (§9.1)")

  package init() {}

  /// The waiting reasons of a container the kubelet cannot create. Built once: built for every
  /// container of every pod, this set (three strings hashed, a table allocated) was more than half
  /// of the rule's cost on an EventList (callgrind; `ExplanationTextTests` compares it with the literal).
  static let waitingReasons: Set<String> = ["CreateContainerConfigError", "CreateContainerError", "RunContainerError"]
  /// The patterns of the `Failed` events this rule reads (patterns/event-messages.json).
  static let eventPatterns = ["event.container-error", "event.failed-create-docker-container"]

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, reasons: reading.reasons, in: state)
  }

  /// The findings, the reasons of the pod's events read once from `reasons` (`PodEventReasons`,
  /// read once per pod by the `Diagnoser`): a pod with no `Failed` event is not asked for them.
  func diagnose(_ pod: PodHistory, reasons: PodEventReasons, in state: CorrelatedState) -> [Finding] {
    // Containers known by name only show no waiting reason, so a container fails here only by an
    // event of the two patterns: a pod with none has no finding, and its containers need not be
    // copied to find that out (`BareContainerTests` holds it to the loop).
    if pod.containersShowNoRuns, !Self.hasEventPattern(pod) { return [] }
    let failedEvents = reasons.has(.failed)
    // Without a `Failed` event every container's `failed` below is empty, so a container passes
    // the guard by its waiting reason alone: a pod none of whose containers waits for one of the
    // three has no finding, and its containers need not be copied (`anyWaiting`).
    if !failedEvents, !Self.anyWaiting(pod) { return [] }
    return loop(pod, failedEvents: failedEvents)
  }

  /// Whether an event of the pod has a pattern of `eventPatterns` (`contains` is `==`). Both are
  /// ASCII holding no `K`, `;` or `` ` ``, the only ASCII characters another character decomposes
  /// to (the Kelvin sign, U+037E, U+1FEF), so a string `==` to one of them is its very bytes: an id
  /// of another length in UTF-8 is neither, without comparing it (as
  /// `ImagePullFailingRule.hasPullPattern`; docs/architecture.md "Speed of the other rules").
  /// `ContainerPrecheckTests` holds it to `contains`.
  static func hasEventPattern(_ pod: PodHistory) -> Bool {
    let events = pod.events
    for i in events.indices {
      guard let id = events[i].patternID else { continue }
      let n = id.utf8.count
      guard n == eventPatternLengths.0 || n == eventPatternLengths.1 else { continue }
      if eventPatterns.contains(id) { return true }
    }
    return false
  }

  /// The lengths in UTF-8 of the two `eventPatterns`.
  static let eventPatternLengths = (eventPatterns[0].utf8.count, eventPatterns[1].utf8.count)

  /// Whether a container waits with one of `waitingReasons`, read in place (the loop copied each
  /// container whole to ask, about 1,000 instructions a container on 1,000 describes, callgrind;
  /// docs/architecture.md "Speed of the other rules"). `ContainerPrecheckTests` holds the loop
  /// empty whenever this is false and the pod has no `Failed` event.
  static func anyWaiting(_ pod: PodHistory) -> Bool {
    let containers = pod.containers([.container, .initContainer])
    for i in containers.indices {
      if let reason = containers[i].waitingReason, waitingReasons.contains(reason) { return true }
    }
    return false
  }

  /// The findings of every container; `failedEvents`: the pod has a `Failed` event.
  func loop(_ pod: PodHistory, failedEvents: Bool) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      let waiting = Self.waitingReasons
      // What Ingest recognised in the error (patterns/details.json, domain config-error).
      let failed =
        failedEvents
        ? pod.events("Failed", container: container.name).filter {
          ($0.patternID == Self.eventPatterns[0] && $0.capture("configError") != nil)
            || $0.patternID == Self.eventPatterns[1]
        } : []
      guard container.waitingReason.map(waiting.contains) ?? false || (!failed.isEmpty && !container.isRunning) else {
        return nil
      }
      let detail = failed.last?.message ?? container.waitingMessage ?? ""
      let (kind, object, key) = Self.classified(failed.last?.captures ?? container.waitingDetail)
      var facts: [KeyValue] = [KeyValue("kind", kind)]
      if let reason = container.waitingReason { facts.append(KeyValue("reason", reason)) }
      if let object { facts.append(KeyValue("object", object)) }
      if let key { facts.append(KeyValue("key", key)) }
      return Self.description.finding(
        .critical, pod.subject(container.name), title: Self.title(container, kind: kind, object: object, key: key),
        explanation: "The kubelet cannot create container '\(container.name)': '\(detail)'. It retries on every sync, "
          + "and the container never starts until the spec or the referenced object is fixed.",
        remedy: Self.remedy(kind, object: object, key: key), facts: facts,
        decisive: failed.evidence + container.waitingEvidence, evidence: container.evidence)
    }
  }

  /// The kind (`secret-missing`), the object (`secret/db-creds`) and the key, from what the error
  /// was recognised as; `other` when nothing was.
  static func classified(_ captures: [KeyValue]) -> (kind: String, object: String?, key: String?) {
    func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }
    guard let kind = capture("configError") else { return ("other", nil, nil) }
    let object: String? =
      switch kind {
      case "secret-missing", "secret-key-missing": capture("name").map { "secret/\($0)" }
      case "configmap-missing", "configmap-key-missing": capture("name").map { "configmap/\($0)" }
      default: nil
      }
    return (kind, object, capture("key"))
  }
}

fileprivate extension ContainerConfigErrorRule {
  static func title(_ container: ContainerSnapshot, kind: String, object: String?, key: String?) -> String {
    switch kind {
    case "secret-missing", "configmap-missing":
      return "container '\(container.name)' references missing \(object ?? kind)"
    case "secret-key-missing", "configmap-key-missing":
      return "container '\(container.name)' references key '\(key ?? "")' missing from \(object ?? kind)"
    case "run-as-non-root", "non-numeric-user": return "container '\(container.name)' violates runAsNonRoot"
    default: return "container '\(container.name)' cannot be created"
    }
  }

  static func remedy(_ kind: String, object: String?, key: String?) -> String {
    switch kind {
    case "secret-missing", "configmap-missing":
      return "create \(object ?? "the object") in the pod's namespace or fix the reference"
    case "secret-key-missing", "configmap-key-missing":
      return "add key '\(key ?? "")' to \(object ?? "the object"), fix the key name, or mark the reference optional"
    case "run-as-non-root": return "set runAsUser to a non-zero UID, or use an image whose USER is non-root"
    case "non-numeric-user": return "set a numeric runAsUser: the kubelet cannot verify a user name is non-root"
    default: return "read the Failed event and the waiting message for the runtime's reason"
    }
  }
}
