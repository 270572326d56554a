import Foundation
import PodmortemCorrelate
import PodmortemModel

/// Renders the versioned JSON document (docs/findings-schema.md). Keys are sorted and every array is
/// in a deterministic order, so the output is stable for scripts and golden tests.
package struct JSONRenderer: Sendable {
  /// Bumped on any incompatible change to the document's shape.
  package static let schemaVersion = 1

  package init() {}

  package func render(_ input: ReportInput) -> String {
    Self.encode(Document(input))
  }

  /// The document of `podmortem events -o json`: the same document without `findings`, `pods` and
  /// `suppressed`, its `events` the ones selected (docs/findings-schema.md "The events document").
  package func renderEvents(_ input: ReportInput, events: [MergedEvent]) -> String {
    var doc = Document(input)
    doc.findings = nil
    doc.pods = nil
    doc.suppressed = nil
    doc.events = events.map(EventDTO.init)
    return Self.encode(doc)
  }

  private static func encode(_ doc: Document) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, enc in
      var c = enc.singleValueContainer()
      try c.encode(ReportTime.iso(date))
    }
    guard let data = try? encoder.encode(doc) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// How reports write times: ISO 8601 in UTC, fractional seconds only when there are any.
enum ReportTime {
  static func iso(_ date: Date) -> String {
    let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
    return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: !whole, timeZone: .gmt))
  }

  /// A time range for people, to the nearest second: a range narrower than a second is one time
  /// (its midpoint: `lastTimestamp`, describe times and second-precision ages all land on their
  /// second); a wider one is `start…end`, the end shortened to its time of day, so an age's
  /// uncertainty stays visible.
  static func text(_ range: TimeRange) -> String {
    func second(_ d: Date) -> Date { Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded()) }
    if range.width < 1 { return iso(second(range.midpoint)) }
    let end = iso(second(range.latest))
    let short = end.split(separator: "T").last.map(String.init) ?? end
    return "\(iso(second(range.earliest)))…\(short)"
  }
}

// MARK: - The document (its own types: the schema must not drift when the model does)

private struct Document: Encodable {
  let schemaVersion = JSONRenderer.schemaVersion
  let tool: Tool
  let sources: [Source]
  let diagnostics: [DiagnosticDTO]
  var findings: [FindingDTO]?
  var pods: [PodDTO]?
  var events: [EventDTO]
  let caveats: [String]
  let now: CaptureDTO?
  var suppressed: SuppressedDTO?

  init(_ input: ReportInput) {
    tool = Tool(name: "podmortem", version: input.toolVersion)
    sources = input.accounts.map(Source.init)
    diagnostics = input.diagnostics.map(DiagnosticDTO.init)
    findings = input.findings.map(FindingDTO.init)
    pods = input.state.pods.map { PodDTO($0, reveal: input.revealSecrets) }
    events = input.state.events.map(EventDTO.init)
    caveats = input.state.caveats
    now = input.state.now.map(CaptureDTO.init)
    suppressed = input.suppressed.map(SuppressedDTO.init)
  }
}

/// What a `.podmortem.yaml` suppressed (docs/findings-schema.md "Top level", `suppressed`).
private struct SuppressedDTO: Encodable {
  let file: String
  let count: Int
  let overridden: Int
  let byEntry: [String: Int]
  let findings: [SuppressedFindingDTO]

  init(_ s: Suppressed) {
    file = s.file
    count = s.count
    overridden = s.overridden
    byEntry = Dictionary(s.byReason.map { ($0.reason, $0.count) }, uniquingKeysWith: +)
    findings = s.entries.map(SuppressedFindingDTO.init)
  }
}

private struct SuppressedFindingDTO: Encodable {
  let ruleID: String
  let severity: String
  let subject: SubjectDTO
  let title: String
  let suppressedBy: String

  enum CodingKeys: String, CodingKey {
    case ruleID = "rule", severity, subject, title, suppressedBy
  }

  init(_ e: Suppressed.Entry) {
    ruleID = e.finding.ruleID
    severity = e.finding.severity.rawValue
    subject = SubjectDTO(e.finding.subject)
    title = e.finding.title
    suppressedBy = e.reason
  }
}

private struct Tool: Encodable {
  let name: String
  let version: String
}

private struct CaptureDTO: Encodable {
  let time: Date
  let origin: String
  init(_ c: CaptureTime) {
    time = c.date
    origin = c.origin.rawValue
  }
}

private struct RangeDTO: Encodable {
  let earliest: Date
  let latest: Date
  init?(_ r: TimeRange?) {
    guard let r else { return nil }
    earliest = r.earliest
    latest = r.latest
  }
}

private struct Source: Encodable {
  let source: String
  let formats: [String]
  let bytes: Int64
  let lines: Int
  let parsed: Int
  let ignored: Int
  let unrecognised: Int
  let firstUnrecognisedLines: [Int]
  let captureTime: CaptureDTO?
  let layout: String?

  init(_ a: SourceAccount) {
    source = a.source
    formats = a.formats
    bytes = a.bytes
    lines = a.lines
    parsed = a.parsed
    ignored = a.ignored
    unrecognised = a.unrecognised
    firstUnrecognisedLines = a.firstUnrecognised
    captureTime = a.captureTime.map(CaptureDTO.init)
    layout = a.layout
  }
}

private struct DiagnosticDTO: Encodable {
  let level: String
  let source: String
  let line: Int?
  let byteOffset: Int64?
  let message: String
  init(_ d: Diagnostic) {
    level = d.level.rawValue
    source = d.ref.source
    line = d.ref.line > 0 ? d.ref.line : nil
    byteOffset = d.byteOffset
    message = d.message
  }
}

private struct EvidenceDTO: Encodable {
  let ref: String
  let source: String
  let line: Int
  let text: String
  init(_ e: Evidence) {
    ref = e.ref.description
    source = e.ref.source
    line = e.ref.line
    text = e.text
  }
}

private struct FindingDTO: Encodable {
  let ruleID: String
  let category: String
  let severity: String
  let subject: SubjectDTO
  let title: String
  let explanation: String
  let remedy: String
  let facts: [String: String]
  let evidence: [EvidenceDTO]
  let severityOverriddenFrom: String?

  enum CodingKeys: String, CodingKey {
    case ruleID = "rule", category, severity, subject, title, explanation, remedy, facts, evidence,
      severityOverriddenFrom
  }

  init(_ f: Finding) {
    ruleID = f.ruleID
    category = f.category.rawValue
    severity = f.severity.rawValue
    subject = SubjectDTO(f.subject)
    title = f.title
    explanation = f.explanation
    remedy = f.remedy
    facts = Dictionary(f.facts.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    evidence = f.evidence.map(EvidenceDTO.init)
    severityOverriddenFrom = f.severityOverriddenFrom?.rawValue
  }
}

private struct SubjectDTO: Encodable {
  let namespace: String?
  let pod: String?
  let container: String?
  let object: String?
  init(_ s: Subject) {
    namespace = s.namespace
    pod = s.pod
    container = s.container
    object = s.object
  }
}

private struct EventDTO: Encodable {
  let object: String
  let namespace: String?
  let fieldPath: String?
  let type: String
  let reason: String
  let message: String
  let template: String?
  let exemplars: [String]
  let count: Int
  let objects: Int
  let firstSeen: RangeDTO?
  let lastSeen: RangeDTO?
  let source: String?
  let caveats: [String]
  let evidence: [EvidenceDTO]

  init(_ e: MergedEvent) {
    object = e.involved.description
    namespace = e.involved.namespace
    fieldPath = e.involved.fieldPath
    type = e.type.description
    reason = e.reason
    message = e.message
    template = e.template
    exemplars = e.exemplars
    count = e.count
    objects = e.objects
    firstSeen = RangeDTO(e.firstSeen)
    lastSeen = RangeDTO(e.lastSeen)
    source = [e.sourceComponent, e.sourceHost].compactMap { $0 }.joined(separator: ", ").nilIfEmpty
    caveats = e.caveats
    evidence = e.evidence.map(EvidenceDTO.init)
  }
}

private struct PodDTO: Encodable {
  let namespace: String
  let name: String
  /// For a pod the input shows but does not name: where its pasted block begins (`name` is empty).
  let pastedAt: String?
  let uid: String?
  let node: String?
  let phase: String?
  let status: String?
  let reason: String?
  let message: String?
  let terminating: Bool
  let deletionTimestamp: RangeDTO?
  let deletionGracePeriodSeconds: Int?
  let finalizers: [String]
  let controlledBy: String?
  let restarts: Int?
  let containers: [ContainerDTO]
  let conditions: [String: String]
  let snapshots: Int
  let events: Int
  let logs: Int

  init(_ p: PodHistory, reveal: Bool) {
    let s = p.latest
    namespace = p.key.namespace
    name = p.key.name
    pastedAt = p.key.isUnnamed ? p.key.pastedAt?.description : nil
    uid = p.key.uid ?? s.uid
    node = s.node
    phase = s.phase
    status = s.kubectlStatus
    reason = s.reason
    message = s.message
    terminating = s.terminating
    deletionTimestamp = RangeDTO(s.deletionTimestamp)
    deletionGracePeriodSeconds = s.deletionGracePeriodSeconds
    finalizers = s.finalizers
    controlledBy = s.controlledBy
    restarts = s.restarts
    containers = s.containers.map(ContainerDTO.init)
    conditions = Dictionary(s.conditions.map { ($0.type, $0.status) }, uniquingKeysWith: { _, last in last })
    snapshots = p.snapshots.count
    events = p.events.count
    logs = p.logs.count
  }
}

private struct ContainerDTO: Encodable {
  let name: String
  let role: String
  let image: String?
  let state: StateDTO?
  let lastState: StateDTO?
  let ready: Bool?
  let restartCount: Int?
  let limits: [String: String]
  let requests: [String: String]
  let probes: [String: ProbeDTO]
  let environment: [String]

  init(_ c: ContainerSnapshot) {
    name = c.name
    role = c.role.rawValue
    image = c.image
    state = c.state.map(StateDTO.init)
    lastState = c.lastState.map(StateDTO.init)
    ready = c.ready
    restartCount = c.restartCount
    limits = c.limits
    requests = c.requests
    probes = Dictionary(c.probes.map { ($0.key.rawValue, ProbeDTO($0.value)) }, uniquingKeysWith: { a, _ in a })
    environment = c.environmentNames
  }
}

private struct StateDTO: Encodable {
  let state: String
  let reason: String?
  let message: String?
  let exitCode: Int?
  let signal: Int?
  let startedAt: RangeDTO?
  let finishedAt: RangeDTO?

  init(_ s: ContainerState) {
    switch s {
    case .waiting(let reason, let message):
      (state, self.reason, self.message, exitCode, signal, startedAt, finishedAt) =
        ("waiting", reason, message, nil, nil, nil, nil)
    case .running(let started):
      (state, reason, message, exitCode, signal, startedAt, finishedAt) =
        ("running", nil, nil, nil, nil, RangeDTO(started), nil)
    case .terminated(let t):
      (state, reason, message, exitCode, signal, startedAt, finishedAt) =
        ("terminated", t.reason, t.message, t.exitCode, t.signal, RangeDTO(t.startedAt), RangeDTO(t.finishedAt))
    }
  }
}

private struct ProbeDTO: Encodable {
  let handler: String
  let initialDelaySeconds: Int
  let timeoutSeconds: Int
  let periodSeconds: Int
  let successThreshold: Int
  let failureThreshold: Int

  init(_ p: ProbeSpec) {
    handler = p.handler.describeText
    initialDelaySeconds = p.initialDelaySeconds
    timeoutSeconds = p.timeoutSeconds
    periodSeconds = p.periodSeconds
    successThreshold = p.successThreshold
    failureThreshold = p.failureThreshold
  }
}

extension String {
  var nilIfEmpty: String? { isEmpty ? nil : self }
}
