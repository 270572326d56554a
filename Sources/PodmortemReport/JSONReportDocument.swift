import Foundation
import PodmortemCorrelate
import PodmortemModel

/// The JSON report's own types (docs/findings-schema.md): the schema must not drift when the model
/// does. Each is `Encodable` — the reference `JSONRendererStreamTests` compares against. The
/// document's frame (diagnostics, capture, sources, suppressed findings, tool) and probes write
/// themselves with `write(to:)`, members in the order of their keys' UTF-8 bytes, which is what
/// `JSONRenderer` streams; events, findings, pods, containers, states and evidence are written
/// straight from the model (`JSONModelWriter.swift`), and the writers their DTOs had are kept in
/// the tests as that writer's reference (`JSONModelWriterTests`).
struct Document: Encodable {
  let schemaVersion = JSONRenderer.schemaVersion
  let tool: ToolDTO
  let sources: [Source]
  let diagnostics: [DiagnosticDTO]
  var findings: [FindingDTO]?
  var pods: [PodDTO]?
  var events: [EventDTO]
  let caveats: [String]
  let now: CaptureDTO?
  var suppressed: SuppressedDTO?

  init(_ input: ReportInput) {
    tool = ToolDTO(name: "podmortem", version: input.toolVersion)
    sources = input.accounts.map(Source.init)
    diagnostics = input.diagnostics.map(DiagnosticDTO.init)
    findings = input.findings.map(FindingDTO.init)
    pods = input.state.pods.map { PodDTO($0, reveal: input.revealSecrets) }
    events = input.citedEvents.map(EventDTO.init)
    caveats = input.state.caveats
    now = input.state.now.map(CaptureDTO.init)
    suppressed = input.suppressed.map(SuppressedDTO.init)
  }
}

/// What a `.podmortem.yaml` suppressed (docs/findings-schema.md "Top level", `suppressed`).
struct SuppressedDTO: Encodable {
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

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("byEntry")
    w.beginObject()
    for k in JSONStreamWriter.sortedKeys(byEntry) {
      w.key(text: k)
      w.int(byEntry[k] ?? 0)
    }
    w.endObject()
    w.key("count")
    w.int(count)
    w.key("file")
    w.string(file)
    w.key("findings")
    w.beginArray()
    for f in findings {
      w.element()
      f.write(to: &w)
    }
    w.endArray()
    w.key("overridden")
    w.int(overridden)
    w.endObject()
  }
}

struct SuppressedFindingDTO: Encodable {
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

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("rule")
    w.string(ruleID)
    w.key("severity")
    w.string(severity)
    w.key("subject")
    subject.write(to: &w)
    w.key("suppressedBy")
    w.string(suppressedBy)
    w.key("title")
    w.string(title)
    w.endObject()
  }
}

struct ToolDTO: Encodable {
  let name: String
  let version: String

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("name")
    w.string(name)
    w.key("version")
    w.string(version)
    w.endObject()
  }
}

struct CaptureDTO: Encodable {
  let time: Date
  let origin: String
  init(_ c: CaptureTime) {
    time = c.date
    origin = c.origin.rawValue
  }

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("origin")
    w.string(origin)
    w.key("time")
    w.string(ReportTime.iso(time))
    w.endObject()
  }
}

struct RangeDTO: Encodable {
  let earliest: Date
  let latest: Date
  init?(_ r: TimeRange?) {
    guard let r else { return nil }
    earliest = r.earliest
    latest = r.latest
  }

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("earliest")
    w.time(earliest)
    w.key("latest")
    w.time(latest)
    w.endObject()
  }
}

struct Source: Encodable {
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

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("bytes")
    w.int(bytes)
    if let captureTime {
      w.key("captureTime")
      captureTime.write(to: &w)
    }
    w.key("firstUnrecognisedLines")
    w.ints(firstUnrecognisedLines)
    w.key("formats")
    w.strings(formats)
    w.key("ignored")
    w.int(ignored)
    if let layout {
      w.key("layout")
      w.string(layout)
    }
    w.key("lines")
    w.int(lines)
    w.key("parsed")
    w.int(parsed)
    w.key("source")
    w.string(source)
    w.key("unrecognised")
    w.int(unrecognised)
    w.endObject()
  }
}

struct DiagnosticDTO: Encodable {
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

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    if let byteOffset {
      w.key("byteOffset")
      w.int(byteOffset)
    }
    w.key("level")
    w.string(level)
    if let line {
      w.key("line")
      w.int(line)
    }
    w.key("message")
    w.string(message)
    w.key("source")
    w.string(source)
    w.endObject()
  }
}

/// An evidence line as `line`, `ref` (`source:line`), `source` and `text`. It holds the evidence
/// itself: `ref`'s text is built only when `JSONEncoder` asks for it, and the stream writes it
/// from the source and line (`JSONStreamWriter.ref`) without a string per line.
struct EvidenceDTO: Encodable {
  let evidence: Evidence
  init(_ e: Evidence) { evidence = e }

  enum CodingKeys: String, CodingKey { case ref, source, line, text }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(evidence.ref.description, forKey: .ref)
    try c.encode(evidence.ref.source, forKey: .source)
    try c.encode(evidence.ref.line, forKey: .line)
    try c.encode(evidence.text, forKey: .text)
  }
}

struct FindingDTO: Encodable {
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

struct SubjectDTO: Encodable {
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

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    if let container {
      w.key("container")
      w.string(container)
    }
    if let namespace {
      w.key("namespace")
      w.string(namespace)
    }
    if let object {
      w.key("object")
      w.string(object)
    }
    if let pod {
      w.key("pod")
      w.string(pod)
    }
    w.endObject()
  }
}

struct EventDTO: Encodable {
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
    // `[component, host]` without the nils, joined by ", ", nil when that is empty — without the array.
    switch (e.sourceComponent, e.sourceHost) {
    case (nil, nil): source = nil
    case (let component?, nil): source = component.nilIfEmpty
    case (nil, let host?): source = host.nilIfEmpty
    case (let component?, let host?): source = component + ", " + host
    }
    caveats = e.caveats
    evidence = e.evidence.map(EvidenceDTO.init)
  }
}

struct PodDTO: Encodable {
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

struct ContainerDTO: Encodable {
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

struct StateDTO: Encodable {
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

struct ProbeDTO: Encodable {
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

  func write(to w: inout JSONStreamWriter) {
    w.beginObject()
    w.key("failureThreshold")
    w.int(failureThreshold)
    w.key("handler")
    w.string(handler)
    w.key("initialDelaySeconds")
    w.int(initialDelaySeconds)
    w.key("periodSeconds")
    w.int(periodSeconds)
    w.key("successThreshold")
    w.int(successThreshold)
    w.key("timeoutSeconds")
    w.int(timeoutSeconds)
    w.endObject()
  }
}

extension String {
  var nilIfEmpty: String? { isEmpty ? nil : self }
}
