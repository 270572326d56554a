import PodmortemModel

/// Which text a pattern applies to.
package enum PatternKind: String, Hashable, Sendable, Codable, CaseIterable {
  /// An event's message (`Liveness probe failed: HTTP probe failed with statuscode: 503`).
  case event
  /// Kubelet log text after the klog or journald header: a structured message with its key/value
  /// pairs (`"Probe failed" probeType="Liveness" pod="ns/p"`) or an Infof free-text message.
  case kubelet
  /// A container's own log line.
  case container
  /// A line of the node's own logs outside the kubelet: the kernel (dmesg, syslog `kernel:`), the
  /// container runtime (containerd, dockerd, CRI-O) and `docker events` (docs/kubernetes.md §10).
  case node
  /// A reference, inside an event message or a kubelet line, to the pod it is about
  /// (`pod "web-0_shop(0f1c…)"`, `set up pod "web-0_shop" network`, `for pod shop/web-0`): looked
  /// for after the text's own pattern, for the pod an object-less paste is about.
  case reference
  /// A part of another pattern's capture, classified (docs/patterns.md "Details"): a probe's output,
  /// a pull error, a volume or config error. A detail pattern names its `detail` domain and the
  /// facts it `sets`; a pattern of another kind names which of its captures to `classify` in which
  /// domain, and its hit then carries the first matching detail's captures and facts too.
  case detail
}

/// One example line of a pattern: it must match, capturing exactly `captures` when given.
package struct PatternExample: Hashable, Sendable {
  package var text: String
  /// The named groups the match must produce, and nothing else; nil when the file gives none.
  package var captures: [String: String]?

  package init(text: String, captures: [String: String]?) {
    self.text = text
    self.captures = captures
  }
}

/// A recognised message from `patterns/*.json`: a regex with named groups behind a literal
/// prefilter, its examples and counterexamples, and optionally the finding it raises on its own.
package struct Pattern: Sendable {
  /// Stable and unique across all files (`event.probe-failed`).
  package let id: String
  package let kinds: [PatternKind]
  /// Substrings that must all occur (case-sensitive) before the regex runs.
  package let literals: [Literal]
  package let regex: Regex
  /// Set when the pattern raises a finding with no Swift rule; `title` and `explanation` are then set.
  package let severity: Severity?
  package let title: String?
  package let explanation: String?
  package let examples: [PatternExample]
  package let counterexamples: [String]
  /// The file the pattern was loaded from, for diagnostics and `podmortem explain`.
  package let file: String
  /// For an event message: the type and reason the message is sent with (`Warning Unhealthy`), so a
  /// message pasted without its row still becomes the event it was (docs/kubernetes.md §9).
  package let event: EventReason?
  /// True when the text is about the node, not one pod's container (`Container runtime network not
  /// ready`): such a line naming no pod stays a node fact instead of joining a pasted pod.
  package let isAboutNode: Bool
  /// For a `detail` pattern: the domain it classifies (`probe-output`).
  package let detail: String?
  /// For a `detail` pattern: the facts a match adds besides its named groups (`mode=http-status`).
  package let sets: [KeyValue]
  /// Captures of this pattern to classify, each with the detail domain to classify it in.
  package let classify: [Classification]

  package init(
    id: String, kinds: [PatternKind], literals: [String], regex: Regex, severity: Severity? = nil,
    title: String? = nil, explanation: String? = nil, examples: [PatternExample] = [],
    counterexamples: [String] = [], file: String, event: EventReason? = nil, isAboutNode: Bool = false,
    detail: String? = nil, sets: [KeyValue] = [], classify: [Classification] = []
  ) {
    self.detail = detail
    self.sets = sets
    self.classify = classify
    self.event = event
    self.isAboutNode = isAboutNode
    self.id = id
    self.kinds = kinds
    self.literals = literals.map(Literal.init)
    self.regex = regex
    self.severity = severity
    self.title = title
    self.explanation = explanation
    self.examples = examples
    self.counterexamples = counterexamples
    self.file = file
  }

  /// Whether every literal occurs in `text`: the cheap check that decides if the regex runs.
  package func passesPrefilter(_ text: String) -> Bool {
    literals.allSatisfy { $0.occurs(in: text) }
  }

  /// The hit for `text`, or nil when a literal is missing or the regex does not match.
  package func match(_ text: String) throws(RegexError) -> PatternHit? {
    guard passesPrefilter(text), let found = try regex.firstMatch(in: text) else { return nil }
    return PatternHit(patternID: id, captures: found.captures.map { KeyValue($0.name, $0.value) } + sets)
  }
}

/// One capture of a pattern to classify with the `detail` patterns of a domain.
package struct Classification: Hashable, Sendable {
  /// The capture's group name (`output`).
  package var capture: String
  /// The detail domain (`probe-output`).
  package var domain: String

  package init(capture: String, domain: String) {
    self.capture = capture
    self.domain = domain
  }
}

/// The type and reason of the event a message is sent with: `Warning Unhealthy`.
package struct EventReason: Hashable, Sendable {
  /// `Normal` or `Warning`.
  package var type: String
  package var reason: String

  package init(type: String, reason: String) {
    self.type = type
    self.reason = reason
  }

  /// `Warning Unhealthy`; nil unless it is a type (`Normal` or `Warning`) and one reason word.
  package init?(_ text: String) {
    let words = text.split(separator: " ")
    guard words.count == 2, words[0] == "Normal" || words[0] == "Warning",
      words[1].allSatisfy({ $0.isLetter || $0.isNumber })
    else { return nil }
    self.init(type: String(words[0]), reason: String(words[1]))
  }
}

/// A pattern that matched: which one, and what its named groups captured, in group order.
package struct PatternHit: Hashable, Sendable {
  package var patternID: String
  package var captures: [KeyValue]

  package init(patternID: String, captures: [KeyValue]) {
    self.patternID = patternID
    self.captures = captures
  }

  /// The value of the named group `key`, or nil when it did not participate.
  package func capture(_ key: String) -> String? { captures.first { $0.key == key }?.value }
}
