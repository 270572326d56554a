import PodmortemCorrelate
import PodmortemModel

/// An image that cannot be pulled, classified by the registry's answer (docs/kubernetes.md §7.2).
///
/// `Failed to pull image "x": <err>` then `Error: ErrImagePull`; during back-off (10 s doubling to
/// 300 s) `Back-off pulling image "x"` and waiting reason `ImagePullBackOff`.
///
/// Examples, in `Examples/ImagePullFailingRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: the tag does not exist
/// - near miss: one registry timeout, then the pull succeeded
/// - fires: tag does not exist
/// - fires: private registry without credentials
/// - fires: Docker Hub rate limit
/// - fires: arm64 node, amd64-only image
/// - fires: imagePullPolicy Never, image absent
/// - fires: registry DNS failure
/// - near miss: pulled in the end, running
/// - fires: an OpenShift 3 FailedSync: the pod's infrastructure image cannot be pulled
/// - fires: an Events table alone: the tag does not exist, pulls backing off
/// - near miss: an Events table alone: one registry timeout, then the pull succeeded and the container started
/// - fires: a pre-1.0 get pods table: both containers wait on images that do not exist
/// - near miss: a pre-1.0 get pods table: the container is running
package struct ImagePullFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "image.pull-failing", category: .imagePull, title: "image pull failing",
    rationale: "the kubelet retries a failed pull with a 10 s back-off doubling to 300 s (§7.2); the pull error "
      + "text tells a missing image from missing credentials, a rate limit, the network or the wrong platform")

  package init() {}

  private static let waitingReasons: Set<String> = [
    "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable",
  ]

  /// The reasons of the events the rule reads, in the order `diagnose` takes them apart.
  static let eventReasons = ["Failed", "FailedSync", "ErrImageNeverPull", "BackOff"]
  /// `eventReasons` as `PodEventReasons` asks them, in the same order (`PodEventReasonsTests`).
  static let eventReasonKinds: [PodEventReasons.Reason] = [.failed, .failedSync, .errImageNeverPull, .backOff]
  /// `eventReasonKinds`' bits (`PodEventReasons.hasAny(mask:)`).
  static let eventReasonMask = PodEventReasons.mask(eventReasonKinds)

  /// Events of a failed pull (patterns/event-messages.json): `Failed to pull image "x": <err>`, and the
  /// `Error: ErrImagePull` (or `ImagePullBackOff`, `InvalidImageName`) that follows it.
  static let failedPatterns: Set<String> = [
    "event.failed-pull-image", "event.error-image-pull", "event.waiting-to-start-pull",
  ]
  /// Kubelet and runtime lines of a failed pull (patterns/kubelet.json, patterns/node.json).
  static let logPatterns: Set<String> = [
    "kubelet.image-pull-failed", "kubelet.pullimage-service-failed", "kubelet.failed-to-pull-image-message",
    "kubelet.sync-errimagepull", "kubelet.sync-imagepullbackoff", "kubelet.back-off-pulling-image",
    "kubelet.container-start-failed-pull", "kubelet.waiting-image-pull", "node.containerd-pull-failed",
    "node.containerd-pull-no-progress", "node.docker-invalid-repository-name",
  ]
  /// `logPatterns` as a list, to ask `PodLogIndex` for their records.
  static let logPatternList = Array(logPatterns)

  /// Whether a container waits for its image: `waiting` in the loop (a waiting reason of
  /// `waitingReasons`, or, without a waiting reason, a `pullError` in its waiting detail), read in
  /// place where the loop copied each container whole (about 1,000 instructions a container on
  /// 1,000 describes, callgrind; docs/architecture.md "Speed of the other rules").
  /// `ContainerPrecheckTests` holds the loop empty whenever this is false and the pod has no pull
  /// line and no kept event.
  static func anyWaiting(_ containers: [ContainerSnapshot]) -> Bool {
    for i in containers.indices {
      if let reason = containers[i].waitingReason {
        if waitingReasons.contains(reason) { return true }
      } else if containers[i].waitingDetail.contains(where: { $0.key == "pullError" }) {
        return true
      }
    }
    return false
  }

  /// `containers.filter { $0.role == .container }.count`, counted through the array in place: the
  /// rule needs only how many there are, and the filtered list copied every regular container of
  /// every pod into a list of its own (each of its strings and arrays retained, then released,
  /// and an allocation per pod; docs/architecture.md "Diagnosis: read a pod once").
  /// `ExplanationTextTests` holds it to the filter.
  static func regularCount(_ containers: [ContainerSnapshot]) -> Int {
    var count = 0
    for i in containers.indices where containers[i].role == .container { count &+= 1 }
    return count
  }

  /// The patterns of the events of `eventReasons` a container's lists keep: `failedPatterns`, the
  /// failed sync's and the pull back-off's.
  static let pullEventPatterns = failedPatterns.union(["event.failedsync-image-pull", "event.backoff-pulling-image"])

  /// Whether an event of the pod has a pattern of `pullEventPatterns` (`Set` membership is `==`,
  /// as the filters below compare), whatever its reason. The patterns are ASCII holding no `K`,
  /// `;` or `` ` ``, the only ASCII characters another character decomposes to (the Kelvin sign,
  /// U+037E, U+1FEF), so a string `==` to one of them is its very bytes and has its length in
  /// UTF-8: an id of another length (`event.backoff-restarting`, a crash loop's) is none of them
  /// without hashing it. `BareContainerTests` holds it to the `Set`.
  ///
  /// For the same reason an id is one of them exactly when its bytes are one's bytes, so each id
  /// is compared with the patterns' bytes (`isPullPattern`), where a `Set` of the lengths and one
  /// of the patterns hashed it twice (about 330 instructions an event, callgrind on 1,000
  /// describes; docs/architecture.md "Speed of the other rules").
  static func hasPullPattern(_ pod: PodHistory) -> Bool {
    let events = pod.events
    for i in events.indices {
      guard let id = events[i].patternID else { continue }
      if isPullPattern(id) { return true }
    }
    return false
  }

  /// Whether `id` is one of `pullEventPatterns`, by its bytes (`hasPullPattern`).
  static func isPullPattern(_ id: String) -> Bool {
    let n = id.utf8.count
    guard n < 64, pullEventPatternLengths >> UInt64(n) & 1 == 1 else { return false }
    var id = id
    return id.withUTF8 { bytes in
      for pattern in pullEventPatternBytes where pattern.count == bytes.count {
        if pattern.elementsEqual(bytes) { return true }
      }
      return false
    }
  }

  /// `pullEventPatterns`' UTF-8 bytes.
  static let pullEventPatternBytes = pullEventPatterns.sorted().map { Array($0.utf8) }
  /// Bit n set: a pattern is n bytes long (each is shorter than 64).
  static let pullEventPatternLengths: UInt64 = pullEventPatternBytes.reduce(0) { mask, bytes in
    bytes.count < 64 ? mask | 1 << UInt64(bytes.count) : mask
  }

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: PodLogIndex(pod.logs), reasons: PodEventReasons(pod), in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, logs: reading.logs, reasons: reading.reasons, in: state)
  }

  /// The findings, the pod's log records read by pattern from `index` (`PodLogIndex`, read once
  /// per pod by the `Diagnoser`), and the reasons of its events from `reasons` (`PodEventReasons`):
  /// a pod with no event of a reason asked is not asked for those events.
  ///
  /// `askPatterns: false` also runs the loop for a pod whose containers do not wait for an image
  /// (`anyWaiting`), and queries a container's events whenever the pod has one of the four
  /// reasons, as before `pullEvents` (the reference `BareContainerTests` holds it to).
  func diagnose(
    _ pod: PodHistory, logs index: PodLogIndex, reasons: PodEventReasons, in state: CorrelatedState,
    askPatterns: Bool = true
  ) -> [Finding] {
    // The pod's pull lines, read once for all its containers (issue 16).
    let pullLines = index.logs(Self.logPatternList)
    // Containers known by name only show no waiting state, so a container fails here only by a
    // pull line or an event of the four reasons: a pod with neither has no finding, and its
    // containers need not be copied to find that out (`BareContainerTests` holds it to the loop).
    let hasEvents = reasons.hasAny(mask: Self.eventReasonMask)
    if pullLines.isEmpty, pod.containersShowNoRuns, !hasEvents { return [] }
    // Nor has one whose events of those reasons are none a container's lists below keep: the
    // `BackOff` of a crash loop (`event.backoff-restarting`, an EventList's every crash-looping
    // pod) sets the bit its pull back-off shares. With no `ErrImageNeverPull` event and no event of
    // a kept pattern, every container's `failed`, `never` and `backOff` are empty, and `logs` and
    // `waiting` are as above (docs/architecture.md "Diagnosis: read a pod once";
    // `BareContainerTests` holds it to the loop).
    let pullEvents = hasEvents && (!askPatterns || reasons.has(.errImageNeverPull) || Self.hasPullPattern(pod))
    if pullLines.isEmpty, pod.containersShowNoRuns, !pullEvents { return [] }
    let containers = pod.containers([.container, .initContainer])
    // Without a pull line or a kept event every container's `logs`, `failed`, `never` and
    // `backOff` below are empty, so a container passes the guard by `waiting` alone: a pod none of
    // whose containers waits so has no finding, and its containers need not be copied
    // (`anyWaiting`; `askPatterns: false` runs the loop, as before).
    if askPatterns, pullLines.isEmpty, !pullEvents, !Self.anyWaiting(containers) { return [] }
    let regular = Self.regularCount(containers)
    return containers.compactMap { container in
      // The four reasons' events in one pass over the pod's events (`events(_:container:)` for
      // each), when the pod has an event the lists below keep: without one, each list is empty
      // (a crash loop's `BackOff` sets the bit but is no pull back-off; see `pullEvents`).
      let byReason =
        pullEvents ? pod.events(Self.eventReasons, container: container.name) : PodHistory.EventsByReason()
      let failed =
        byReason[0].filter {
          $0.patternID.map(Self.failedPatterns.contains) ?? false
        }
        + byReason[1].filter { $0.patternID == "event.failedsync-image-pull" }
      let pulls = failed.filter { $0.patternID == "event.failed-pull-image" }
      let never = byReason[2]
      let backOff = byReason[3].filter {
        $0.patternID == "event.backoff-pulling-image"
      }
      // A line that names no container is about the pod's only regular container.
      let logs = pullLines.filter { log in
        let named = log.container ?? log.capture("container")
        return named.map { $0 == container.name } ?? (regular <= 1 && container.role == .container)
      }
      // Before 1.0 the waiting reason was the error's text, recognised as a pull error at ingest.
      let waiting =
        container.waitingReason.map { Self.waitingReasons.contains($0) }
        ?? container.waitingDetail.contains { $0.key == "pullError" }
      let failing = !(failed.isEmpty && never.isEmpty && backOff.isEmpty && logs.isEmpty)
      guard waiting || (!container.isRunning && failing) else { return nil }
      // No state shown (an Events table alone): a pull or start after the last failure means the
      // image arrived in the end, as a Running state would say (docs/kubernetes.md §7.2).
      if !waiting, container.state == nil, Self.pulledSince(failed + never + backOff, container.name, in: pod) {
        return nil
      }
      let logError = logs.last { $0.capture("error") != nil }
      let failedSync = failed.last { $0.patternID == "event.failedsync-image-pull" }
      let detail =
        pulls.last?.message ?? never.first?.message ?? container.waitingMessage ?? logError?.capture("error")
        ?? failedSync?.message ?? ""
      let stalled = logs.contains { $0.patternID == "node.containerd-pull-no-progress" }
      // The waiting reason, else the latest `Error: ImagePullBackOff` / `Error: ErrImagePull` event's
      // (an Events table alone), else a kubelet line's. Between equal times (a console list without
      // dates), the back-off: ImagePullBackOff follows ErrImagePull.
      let errorEvent = failed.filter { $0.patternID == "event.error-image-pull" }.max {
        let (a, b) = ($0.lastSeen?.latest ?? .distantPast, $1.lastSeen?.latest ?? .distantPast)
        return a != b
          ? a < b : ($0.capture("reason") != "ImagePullBackOff" && $1.capture("reason") == "ImagePullBackOff")
      }
      let reason =
        container.waitingReason ?? errorEvent?.capture("reason") ?? logs.lazy.compactMap { $0.capture("reason") }.last
      // What Ingest recognised in the pull error (patterns/details.json, domain pull-error).
      let recognised =
        pulls.last?.capture("pullError") ?? container.waitingDetail.first { $0.key == "pullError" }?.value
        ?? logError?.capture("pullError") ?? failedSync?.capture("pullError") ?? backOff.last?.capture("pullError")
      let kind =
        stalled && detail.isEmpty
        ? "stalled" : Self.kind(recognised, reason: reason, neverPull: !never.isEmpty)
      var facts: [KeyValue] = [KeyValue("pullError", kind)]
      if let image = container.image ?? logs.lazy.compactMap({ $0.capture("image") }).last {
        facts.append(KeyValue("image", image))
      }
      if let reason { facts.append(KeyValue("reason", reason)) }
      let attempts = pulls.totalCount
      if attempts > 0 { facts.append(.int("pullFailures", attempts)) }
      var shown = container
      if shown.image == nil { shown.image = facts.first { $0.key == "image" }?.value }
      return Self.description.finding(
        .critical, pod.subject(container.name), title: Self.title(shown, kind: kind),
        explanation: Self.explanation(
          shown, kind: kind, detail: detail.isEmpty ? logs.last?.message ?? "" : detail, backOffs: backOff.totalCount),
        remedy: Self.remedy(kind, container: shown), facts: facts,
        decisive: pulls.evidence + failed.evidence + never.evidence + logs.map(\.evidence) + container.waitingEvidence,
        evidence: container.evidence
          + backOff.evidence)
    }
  }

  /// `not-found`, `unauthorized`, `rate-limited`, `network`, `wrong-architecture`, `never-pull`, `invalid-name`, `unknown`
  /// (and `stalled`, decided by the caller from the runtime's no-progress line): the waiting reason
  /// when it says, else what the pull error was recognised as.
  static func kind(_ recognised: String?, reason: String?, neverPull: Bool) -> String {
    if neverPull || reason == "ErrImageNeverPull" { return "never-pull" }
    if reason == "InvalidImageName" { return "invalid-name" }
    return recognised ?? "unknown"
  }

  /// True when a `Pulled` or `Started` event of the container is later than every failure.
  private static func pulledSince(_ failures: [MergedEvent], _ container: String, in pod: PodHistory) -> Bool {
    guard let lastFailure = failures.compactMap({ $0.lastSeen?.latest }).max() else { return false }
    return (pod.events("Pulled", container: container) + pod.events("Started", container: container)).contains {
      guard let seen = ($0.lastSeen ?? $0.firstSeen)?.earliest else { return false }
      return seen > lastFailure
    }
  }
}

fileprivate extension ImagePullFailingRule {
  static func title(_ container: ContainerSnapshot, kind: String) -> String {
    "image \(container.image.map { "'\($0)' " } ?? "")for container '\(container.name)' cannot be pulled (\(kind))"
  }

  static func explanation(_ container: ContainerSnapshot, kind: String, detail: String, backOffs: Int) -> String {
    var text = detail.isEmpty ? "The image pull fails." : "The pull fails with '\(detail)'."
    switch kind {
    case "not-found": text += " The registry has no such repository or tag."
    case "unauthorized": text += " The registry refused the credentials (or got none)."
    case "rate-limited": text += " The registry is rate-limiting this node's pulls (HTTP 429)."
    case "network": text += " The node cannot reach the registry (DNS, routing or a timeout)."
    case "wrong-architecture": text += " The image has no variant for the node's OS/architecture."
    case "never-pull": text += " imagePullPolicy is Never and the image is not on the node."
    case "invalid-name": text += " The image reference is not a valid name."
    case "stalled":
      text +=
        " The runtime cancelled the pull because no bytes arrived within its progress deadline (a slow or stuck registry or proxy)."
    default: break
    }
    text += " The kubelet retries with a back-off of 10s doubling to 300s"
    text += backOffs > 0 ? " (Back-off pulling image x\(backOffs))." : "."
    return text
  }

  static func remedy(_ kind: String, container: ContainerSnapshot) -> String {
    switch kind {
    case "not-found": return "check the image name and tag exist (e.g. 'crane ls' or the registry UI) and fix the spec"
    case "unauthorized":
      return "add an imagePullSecret with valid credentials for the registry to the pod or its service account"
    case "rate-limited":
      return "authenticate pulls, use a registry mirror or cache, or wait for the limit window to pass"
    case "network", "stalled":
      return "check DNS and egress from the node to the registry (and any proxy settings of containerd)"
    case "wrong-architecture":
      return "build a multi-arch image or pin the pod to nodes of the image's architecture (kubernetes.io/arch)"
    case "never-pull": return "load the image onto the node, or set imagePullPolicy to IfNotPresent"
    case "invalid-name": return "fix the image reference"
    default: return "read the full pull error in the events and the kubelet log"
    }
  }
}
