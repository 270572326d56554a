import PodmortemCorrelate
import PodmortemModel

/// An image that cannot be pulled, classified by the registry's answer (docs/kubernetes.md §7.2).
///
/// `Failed to pull image "x": <err>` then `Error: ErrImagePull`; during back-off (10 s doubling to
/// 300 s) `Back-off pulling image "x"` and waiting reason `ImagePullBackOff`.
package struct ImagePullFailingRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "image.pull-failing", category: .imagePull, title: "image pull failing",
    rationale: "the kubelet retries a failed pull with a 10 s back-off doubling to 300 s (§7.2); the pull error "
      + "text tells a missing image from missing credentials, a rate limit, the network or the wrong platform")

  package init() {}

  private static let waitingReasons: Set<String> = [
    "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable",
  ]

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

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    let containers = pod.containers([.container, .initContainer])
    let regular = containers.filter { $0.role == .container }
    return containers.compactMap { container in
      let failed =
        pod.events("Failed", container: container.name).filter {
          $0.patternID.map(Self.failedPatterns.contains) ?? false
        }
        + pod.events("FailedSync", container: container.name).filter { $0.patternID == "event.failedsync-image-pull" }
      let pulls = failed.filter { $0.patternID == "event.failed-pull-image" }
      let never = pod.events("ErrImageNeverPull", container: container.name)
      let backOff = pod.events("BackOff", container: container.name).filter {
        $0.patternID == "event.backoff-pulling-image"
      }
      // A line that names no container is about the pod's only regular container.
      let logs = pod.logs.filter { log in
        guard let id = log.patternID, Self.logPatterns.contains(id) else { return false }
        let named = log.container ?? log.capture("container")
        return named.map { $0 == container.name } ?? (regular.count <= 1 && container.role == .container)
      }
      let waiting = container.waitingReason.map { Self.waitingReasons.contains($0) } ?? false
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

  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "the tag does not exist",
      .text(
        #"""
        Name:             web-5f6d7c8b9-w2q4e
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:55:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Pending
        IP:               10.244.1.30
        IPs:
          IP:           10.244.1.30
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   
            Image:          nginx:1.99
            Image ID:       
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       ImagePullBackOff
            Ready:          False
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
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
          Type     Reason     Age                   From               Message
          ----     ------     ----                  ----               -------
          Normal   Scheduled  5m                    default-scheduler  Successfully assigned default/web-5f6d7c8b9-w2q4e to node-1
          Normal   Pulling    2m9s (x5 over 5m)     kubelet            Pulling image "nginx:1.99"
          Warning  Failed     2m8s (x5 over 4m59s)  kubelet            Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found
          Warning  Failed     2m8s (x5 over 4m59s)  kubelet            Error: ErrImagePull
          Normal   BackOff    4s (x20 over 4m58s)   kubelet            Back-off pulling image "nginx:1.99"
          Warning  Failed     4s (x20 over 4m58s)   kubelet            Error: ImagePullBackOff
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical, container: "web",
          facts: [
            KeyValue("pullError", "not-found"), KeyValue("image", "nginx:1.99"), KeyValue("pullFailures", "5"),
            KeyValue("reason", "ImagePullBackOff"),
          ], evidenceLines: [23, 52, 53, 54])
      ]),
    RuleExample(
      "one registry timeout, then the pull succeeded",
      .text(
        #"""
        Name:             web-5f6d7c8b9-v7t3r
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.31
        IPs:
          IP:           10.244.1.31
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:11:02 +0000
            Ready:          True
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       True 
          ContainersReady             True 
          PodScheduled                True 
        Volumes:
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
          Type     Reason     Age                From               Message
          ----     ------     ----               ----               -------
          Normal   Scheduled  50m                default-scheduler  Successfully assigned default/web-5f6d7c8b9-v7t3r to node-1
          Normal   Pulling    49m (x2 over 50m)  kubelet            Pulling image "registry.example.com/shop/web:4.2.0"
          Warning  Failed     49m                kubelet            Failed to pull image "registry.example.com/shop/web:4.2.0": rpc error: code = DeadlineExceeded desc = failed to pull and unpack image "registry.example.com/shop/web:4.2.0": failed to resolve reference "registry.example.com/shop/web:4.2.0": failed to do request: Head "https://registry.example.com/v2/shop/web/manifests/4.2.0": dial tcp 10.20.0.8:443: i/o timeout
          Warning  Failed     49m                kubelet            Error: ErrImagePull
          Normal   BackOff    49m                kubelet            Back-off pulling image "registry.example.com/shop/web:4.2.0"
          Warning  Failed     49m                kubelet            Error: ImagePullBackOff
          Normal   Pulled     49m                kubelet            Successfully pulled image "registry.example.com/shop/web:4.2.0" in 2.417s (2.417s including waiting). Image size: 48213577 bytes.
          Normal   Created    49m                kubelet            Created container: web
          Normal   Started    49m                kubelet            Started container web
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "tag does not exist",
      .pod("web-0") { p in
        p.container("web", state: .waiting(reason: "ImagePullBackOff", message: nil), image: "nginx:1.99")
        p.event(
          .warning, "Failed",
          "Failed to pull image \"nginx:1.99\": rpc error: code = NotFound desc = failed to pull and unpack image "
            + "\"docker.io/library/nginx:1.99\": failed to resolve reference \"docker.io/library/nginx:1.99\": "
            + "docker.io/library/nginx:1.99: not found", count: 4)
        p.event(.normal, "BackOff", "Back-off pulling image \"nginx:1.99\"", count: 12)
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical, container: "web",
          facts: [KeyValue("pullError", "not-found"), KeyValue("image", "nginx:1.99"), .int("pullFailures", 4)],
          evidenceText: ["Failed to pull image", "Back-off pulling image"])
      ]),
    RuleExample(
      "private registry without credentials",
      .pod("web-1") { p in
        p.container("web", state: .waiting(reason: "ErrImagePull", message: nil), image: "registry.example.com/app:1")
        p.event(
          .warning, "Failed",
          "Failed to pull image \"registry.example.com/app:1\": failed to authorize: failed to fetch anonymous token: "
            + "unexpected status from GET request: 401 Unauthorized")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "unauthorized")])
      ]),
    RuleExample(
      "Docker Hub rate limit",
      .pod("web-2") { p in
        p.container("web", state: .waiting(reason: "ErrImagePull", message: nil))
        p.event(
          .warning, "Failed",
          "Failed to pull image \"redis:7\": 429 Too Many Requests - Server message: toomanyrequests: You have reached "
            + "your pull rate limit")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "rate-limited")])
      ]),
    RuleExample(
      "arm64 node, amd64-only image",
      .pod("web-3") { p in
        p.container("web", state: .waiting(reason: "ErrImagePull", message: nil))
        p.event(
          .warning, "Failed",
          "Failed to pull image \"example/app:1\": no matching manifest for linux/arm64 in the manifest list entries")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "wrong-architecture")])
      ]),
    RuleExample(
      "imagePullPolicy Never, image absent",
      .pod("web-4") { p in
        p.container("web", state: .waiting(reason: "ErrImageNeverPull", message: nil))
        p.event(
          .warning, "ErrImageNeverPull",
          "Container image \"example/app:1\" is not present with pull policy of Never")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "never-pull")])
      ]),
    RuleExample(
      "registry DNS failure",
      .pod("web-5") { p in
        p.container("web", state: .waiting(reason: "ImagePullBackOff", message: nil))
        p.event(
          .warning, "Failed",
          "Failed to pull image \"reg.internal/app:1\": dial tcp: lookup reg.internal on 10.96.0.10:53: no such host")
      },
      expect: [
        ExpectedFinding(ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "network")])
      ]),
    RuleExample(
      "pulled in the end, running",
      .pod("web-6") { p in
        p.container("web")
        p.event(.warning, "Failed", "Failed to pull image \"redis:7\": i/o timeout", lastAgo: 3000)
      }),
    RuleExample(
      "an OpenShift 3 FailedSync: the pod's infrastructure image cannot be pulled",
      .text(
        """
        LASTSEEN   FIRSTSEEN   COUNT     NAME               KIND      SUBOBJECT   TYPE      REASON       SOURCE                        MESSAGE
        59m        59m         1         registry-1-deploy  Pod                   Normal    Scheduled    {default-scheduler }          Successfully assigned registry-1-deploy to node1.example.com
        58m        58m         1         registry-1-deploy  Pod                   Warning   FailedSync   {kubelet node1.example.com}   Error syncing pod, skipping: failed to "StartContainer" for "POD" with ErrImagePull: "net/http: request canceled"
        """, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical,
          facts: [KeyValue("pullError", "network")], evidenceLines: [3])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone: the tag does not exist, pulls backing off",
      .text(
        #"""
        Events:
          Type     Reason     Age                From     Message
          ----     ------     ----               ----     -------
          Normal   Pulling    2m (x4 over 3m)    kubelet  Pulling image "registry.example.com/shop/web:2.4.9"
          Warning  Failed     2m (x4 over 3m)    kubelet  Failed to pull image "registry.example.com/shop/web:2.4.9": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/web:2.4.9": failed to resolve reference "registry.example.com/shop/web:2.4.9": registry.example.com/shop/web:2.4.9: not found
          Warning  Failed     2m (x4 over 3m)    kubelet  Error: ErrImagePull
          Normal   BackOff    90s (x6 over 3m)   kubelet  Back-off pulling image "registry.example.com/shop/web:2.4.9"
          Warning  Failed     90s (x6 over 3m)   kubelet  Error: ImagePullBackOff
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical,
          facts: [KeyValue("pullError", "not-found"), KeyValue("pullFailures", "4")], evidenceLines: [5, 6])
      ]),
    RuleExample(
      "an Events table alone: one registry timeout, then the pull succeeded and the container started",
      .text(
        #"""
        Events:
          Type     Reason     Age                From     Message
          ----     ------     ----               ----     -------
          Normal   Pulling    5m (x2 over 6m)    kubelet  Pulling image "registry.example.com/shop/web:2.4.9"
          Warning  Failed     6m                 kubelet  Failed to pull image "registry.example.com/shop/web:2.4.9": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/web:2.4.9": failed to resolve reference "registry.example.com/shop/web:2.4.9": failed to do request: Head "https://registry.example.com/v2/shop/web/manifests/2.4.9": dial tcp 10.0.0.40:443: i/o timeout
          Warning  Failed     6m                 kubelet  Error: ErrImagePull
          Normal   Pulled     5m                 kubelet  Successfully pulled image "registry.example.com/shop/web:2.4.9" in 4.2s (4.2s including waiting). Image size: 48213712 bytes.
          Normal   Created    5m                 kubelet  Created container: web
          Normal   Started    5m                 kubelet  Started container web
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
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
