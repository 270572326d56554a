import PodmortemCorrelate
import PodmortemModel

/// An image that cannot be pulled, classified by the registry's answer (REFERENCE.md §7.2).
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

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      let failed = pod.events("Failed", container: container.name).filter {
        $0.message.hasPrefix("Failed to pull image") || $0.message.hasPrefix("Error: ErrImagePull")
          || $0.message.hasPrefix("Error: ImagePullBackOff") || $0.message.hasPrefix("Error: InvalidImageName")
      }
      let never = pod.events("ErrImageNeverPull", container: container.name)
      let backOff = pod.events("BackOff", container: container.name).filter {
        $0.message.hasPrefix("Back-off pulling image")
      }
      let waiting = container.waitingReason.map { Self.waitingReasons.contains($0) } ?? false
      guard waiting || (!container.isRunning && !(failed.isEmpty && never.isEmpty)) else { return nil }
      let detail =
        failed.last { $0.message.hasPrefix("Failed to pull image") }?.message ?? never.first?.message
        ?? container.waitingMessage ?? ""
      let kind = Self.classify(detail, reason: container.waitingReason, neverPull: !never.isEmpty)
      var facts: [KeyValue] = [KeyValue("pullError", kind)]
      if let image = container.image { facts.append(KeyValue("image", image)) }
      if let reason = container.waitingReason { facts.append(KeyValue("reason", reason)) }
      let attempts = failed.filter { $0.message.hasPrefix("Failed to pull image") }.totalCount
      if attempts > 0 { facts.append(.int("pullFailures", attempts)) }
      return Self.description.finding(
        .critical, pod.subject(container.name), title: Self.title(container, kind: kind),
        explanation: Self.explanation(container, kind: kind, detail: detail, backOffs: backOff.totalCount),
        remedy: Self.remedy(kind, container: container), facts: facts,
        evidence: container.evidence + failed.evidence + never.evidence + backOff.evidence)
    }
  }

  /// `not-found`, `unauthorized`, `rate-limited`, `network`, `wrong-architecture`, `never-pull`, `invalid-name`, `unknown`.
  static func classify(_ detail: String, reason: String?, neverPull: Bool) -> String {
    let text = detail.lowercased()
    if neverPull || reason == "ErrImageNeverPull" || text.contains("pull policy of never") { return "never-pull" }
    if reason == "InvalidImageName" || text.contains("invalid reference format") { return "invalid-name" }
    if text.contains("no matching manifest for") { return "wrong-architecture" }
    if text.contains("toomanyrequests") || text.contains("429") || text.contains("rate limit") { return "rate-limited" }
    if ["unauthorized", "pull access denied", "authorization failed", "403 forbidden", "401", "denied:"].contains(
      where: text.contains)
    {
      return "unauthorized"
    }
    if ["not found", "manifest unknown", "repository does not exist", "name unknown"].contains(where: text.contains) {
      return "not-found"
    }
    let network = [
      "dial tcp", "i/o timeout", "no such host", "lookup ", "context deadline exceeded", "tls handshake timeout",
      "connection refused", "network is unreachable",
    ]
    if network.contains(where: text.contains) { return "network" }
    return "unknown"
  }

  package static let examples: [RuleExample] = [
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
          evidenceLines: ["Failed to pull image", "Back-off pulling image"])
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
    case "network": return "check DNS and egress from the node to the registry (and any proxy settings of containerd)"
    case "wrong-architecture":
      return "build a multi-arch image or pin the pod to nodes of the image's architecture (kubernetes.io/arch)"
    case "never-pull": return "load the image onto the node, or set imagePullPolicy to IfNotPresent"
    case "invalid-name": return "fix the image reference"
    default: return "read the full pull error in the events and the kubelet log"
    }
  }
}
