/// How bad a finding is: `info` < `warning` < `critical`.
package enum Severity: String, Hashable, Comparable, Sendable, Codable, CaseIterable {
  case info, warning, critical

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .critical: 2
    }
  }

  package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The fixed vocabulary of finding categories (docs/architecture.md "Findings"). Scripts key on these.
package enum FindingCategory: String, Hashable, Sendable, Codable, CaseIterable {
  case probeFailure = "probe-failure"
  case crashloopBackoff = "crashloop-backoff"
  case oomKilled = "oom-killed"
  case containerExit = "container-exit"
  case imagePull = "image-pull"
  case stuckTerminating = "stuck-terminating"
  case lifecycleHook = "lifecycle-hook"
  case failedScheduling = "failed-scheduling"
  case volume
  case containerConfig = "container-config"
  case evicted
  case nodeNotReady = "node-not-ready"
  case initContainer = "init-container"
  case sandbox
  case deadlineExceeded = "deadline-exceeded"
  /// A pattern from `patterns/` that carries its own severity raised this finding.
  case pattern
}

/// What a finding is about.
package struct Subject: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  package var namespace: String?
  package var pod: String?
  package var container: String?
  /// For findings about something other than a pod (a node, a source).
  package var object: String?

  package init(namespace: String? = nil, pod: String? = nil, container: String? = nil, object: String? = nil) {
    self.namespace = namespace
    self.pod = pod
    self.container = container
    self.object = object
  }

  package var description: String {
    var s = [namespace, pod].compactMap { $0 }.joined(separator: "/")
    if let o = object { s += s.isEmpty ? o : " \(o)" }
    if let c = container { s += s.isEmpty ? c : " (\(c))" }
    return s
  }

  package static func < (lhs: Subject, rhs: Subject) -> Bool { lhs.description < rhs.description }
}

/// A conclusion with its evidence: one per cause, not one per symptom.
package struct Finding: Hashable, Sendable, Codable {
  /// Stable rule id, e.g. `probe.liveness-failing`.
  package var ruleID: String
  package var category: FindingCategory
  package var severity: Severity
  package var subject: Subject
  package var title: String
  /// The explanation with the arithmetic spelled out.
  package var explanation: String
  package var remedy: String
  /// Typed facts scripts key on (`probe`, `mode`, `restarts`, `nextStartIn` …).
  package var facts: [KeyValue]
  package var evidence: [Evidence]
  /// The rule's own severity when a config file (`.podmortem.yaml`) overrode it; nil otherwise.
  package var severityOverriddenFrom: Severity? = nil

  package init(
    ruleID: String, category: FindingCategory, severity: Severity, subject: Subject, title: String,
    explanation: String, remedy: String, facts: [KeyValue] = [], evidence: [Evidence] = []
  ) {
    self.ruleID = ruleID
    self.category = category
    self.severity = severity
    self.subject = subject
    self.title = title
    self.explanation = explanation
    self.remedy = remedy
    self.facts = facts
    self.evidence = evidence
  }

  package func fact(_ key: String) -> String? { facts.first { $0.key == key }?.value }
}
