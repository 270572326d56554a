import PodmortemModel

extension PatternCatalog {
  /// The detail domain a waiting reason's message is classified in (patterns/details.json).
  static let waitingDomains: [String: String] = [
    "ErrImagePull": "pull-error", "ImagePullBackOff": "pull-error", "InvalidImageName": "pull-error",
    "ErrImageNeverPull": "pull-error", "CreateContainerConfigError": "config-error",
    "CreateContainerError": "config-error", "RunContainerError": "config-error", "CrashLoopBackOff": "waiting-backoff",
  ]

  /// The detail domain of a termination message.
  static let terminationDomain = "termination-message"

  /// The detail domain of a waiting state with no reason of today's vocabulary: before 1.0 the
  /// reason was the error's text (`Error: image x not found`), shown as a `get pods` MESSAGE cell.
  static let legacyWaitingDomain = "legacy-waiting"

  /// The detail domains a container's state messages are classified in.
  package static var stateMessageDomains: Set<String> {
    Set(waitingDomains.values).union([terminationDomain, legacyWaitingDomain])
  }

  /// Recognises the pod's status message (as an event message: the eviction manager writes the
  /// same text to both) and every container's state messages.
  package func classifyStates(of pod: inout PodSnapshot) {
    if let message = pod.message, let hit = firstMatch(message, kind: .event) { pod.messageCaptures = hit.captures }
    // Since 1.26 the kubelet's reason for ending a pod is a `DisruptionTarget` condition
    // (`TerminationByKubelet` with the eviction message), and the pod's own reason may be empty.
    for index in pod.conditions.indices where pod.conditions[index].type == "DisruptionTarget" {
      if let message = pod.conditions[index].message, let hit = firstMatch(message, kind: .event) {
        pod.conditions[index].patternID = hit.patternID
        pod.conditions[index].messageCaptures = hit.captures
      }
    }
    for index in pod.containers.indices { classifyStates(of: &pod.containers[index]) }
  }

  /// Recognises a container's waiting message, in the domain its reason picks, and its termination
  /// messages (docs/architecture.md "Patterns"), so rules read what they say as facts: Ingest does
  /// this for every pod it reads.
  package func classifyStates(of container: inout ContainerSnapshot) {
    if case .waiting(let reason, let message?) = container.state {
      if let domain = reason.flatMap({ Self.waitingDomains[$0] }), let hit = detail(message, domain) {
        container.waitingDetail = hit.captures
      } else if reason == nil, let hit = detail(message, Self.legacyWaitingDomain) {
        container.waitingDetail = hit.captures
      }
    }
    func classified(_ state: ContainerState?) -> ContainerState? {
      guard case .terminated(var termination) = state, let message = termination.message,
        let hit = detail(message, Self.terminationDomain)
      else { return state }
      termination.messageDetail = hit.captures
      return .terminated(termination)
    }
    container.state = classified(container.state)
    container.lastState = classified(container.lastState)
  }
}
