import PodmortemCorrelate
import PodmortemModel

/// Everything a pod's history says about one probe of one container failing: `Unhealthy` events,
/// kubelet `Probe failed` log lines and probe kills (docs/kubernetes.md §6.3).
package struct ProbeFailures: Sendable {
  package var kind: ProbeSpec.Kind
  package var container: ContainerSnapshot
  package var spec: ProbeSpec? { didSet { hasSpec = spec != nil } }
  /// `spec != nil`, kept as the spec is set: asked of the optional itself, the whole spec was
  /// copied out (its strings retained, then released) to look at its tag, about 400 instructions
  /// a probe finding (docs/architecture.md "Speed of the probe rules").
  package private(set) var hasSpec: Bool
  package var events: [MergedEvent]
  /// Failed attempts (events × counts, plus log lines); errored attempts are not counted here.
  package var failures: Int
  /// Errored attempts, which do not count toward failureThreshold (§6.2).
  package var errored: Int
  /// The mode of the most recent failure (errored only when nothing failed outright).
  package var mode: ProbeMode
  package var statusCode: Int?
  package var latestOutput: String
  /// `Killing … failed <kind> probe` events.
  package var kills: [MergedEvent]
  /// The failing attempts, the kills and the run that ended: the lines a probe finding cites first.
  package var decisive: [Evidence]
  package var evidence: [Evidence]

  /// Nil when nothing says this probe failed.
  package init?(_ kind: ProbeSpec.Kind, container: borrowing ContainerSnapshot, in pod: borrowing PodHistory) {
    self.init(kind, container: container, in: pod, probes: PodProbes(pod))
  }

  /// Nil when nothing says this probe failed. `probes` are `pod`'s probe events and lines, read
  /// once for all its probe rules and containers (`PodProbes`). `pod` is borrowed, as in
  /// `PodProbes.init`: taken owned, each probe rule copied the history for every container.
  /// `container` is borrowed too, and copied only when something failed: every probe rule asks
  /// for every container of every pod, and most ask of a probe that did not fail, so taken owned
  /// it was copied (each of its strings and arrays retained) and destroyed again for nothing
  /// (docs/architecture.md "Diagnosis: read a pod once"). The rules ask `read`, which answers the
  /// same.
  package init?(
    _ kind: ProbeSpec.Kind, container: borrowing ContainerSnapshot, in pod: borrowing PodHistory,
    probes: borrowing PodProbes
  ) {
    guard let read = Self.read(kind, container: container, in: pod, probes: probes) else { return nil }
    self = read
  }

  /// Every stored property given: `read` works each one out in a local and builds the value once
  /// from them.
  private init(
    kind: ProbeSpec.Kind, container: consuming ContainerSnapshot, spec: consuming ProbeSpec?,
    events: consuming [MergedEvent], failures: Int, errored: Int, mode: ProbeMode, statusCode: Int?,
    latestOutput: consuming String, kills: consuming [MergedEvent], decisive: consuming [Evidence],
    evidence: consuming [Evidence]
  ) {
    hasSpec = spec != nil
    self.kind = kind
    self.container = container
    self.spec = spec
    self.events = events
    self.failures = failures
    self.errored = errored
    self.mode = mode
    self.statusCode = statusCode
    self.latestOutput = latestOutput
    self.kills = kills
    self.decisive = decisive
    self.evidence = evidence
  }

  /// `ProbeFailures(kind, container:, in:, probes:)`: nil when nothing says this probe failed.
  package static func read(
    _ kind: ProbeSpec.Kind, container: borrowing ContainerSnapshot, in pod: borrowing PodHistory,
    probes: borrowing PodProbes
  ) -> ProbeFailures? {
    // A pod with no probe event and no probe line of this kind (most pods of an EventList or of
    // describes) has no failure of it: each list below would be empty (`PodProbes.mayHaveFailed`).
    guard probes.mayHaveFailed(kind) else { return nil }
    // Where the failed events and the lines are in `probes`, not copies of them: the entries are
    // read where they are below (docs/architecture.md "Speed of the probe rules").
    let failed = probes.failurePositions(kind, container: container.name, in: pod)
    let kills = probes.kills(kind, container: container.name, in: pod)
    // Recognised once in Ingest: the structured `"Probe failed"` line and the unstructured
    // `Liveness probe for "pod_ns(uid):c" failed (failure): …` of kubelets before 1.21.
    let (logs, erroredLogs) = probes.linePositions(kind, container: container.name)
    guard !failed.isEmpty || !kills.isEmpty || !logs.isEmpty || !erroredLogs.isEmpty else { return nil }
    let container = copy container
    let spec = container.probes[kind]
    // The failed events' entries read by position in `unhealthy`, not copied into a list of their
    // own first. Reading one part of an entry still copies the whole pair (its message's strings
    // retained and released); a pointer into the list instead of the list measured the same
    // (docs/architecture.md "Speed of the probe rules", what is left).
    let entries = probes.unhealthy
    var events: [MergedEvent] = []
    events.reserveCapacity(failed.count)
    for p in failed { events.append(entries[p].event) }
    let (outrightCount, erroredCount, latestOutright) = Self.tally(entries, at: failed)
    // The most recent by time; between equal times (a paste without ages), the later line.
    var latestEvent: (output: String, mode: ProbeMode, statusCode: Int?)?
    if let latest = latestOutright ?? failed.last {
      // The entry taken out once: each of the four reads of a part of it copied the whole pair.
      let entry = entries[latest]
      let (mode, statusCode) =
        entry.message.errored
        ? (ProbeMode.errored, Int?.none)
        : ProbeFailureMessage.mode(
          detail: entry.message.detailMode, statusCode: entry.event.capture("statusCode"), handler: spec?.handler)
      latestEvent = (entry.message.output, mode, statusCode)
    }
    let latestOutput: String
    let mode: ProbeMode
    let statusCode: Int?
    if let latestEvent {
      (latestOutput, mode, statusCode) = latestEvent
    } else if let last = logs.last {
      latestOutput = probes.lines[last].output ?? probes.lines[last].log.field("output") ?? ""
      (mode, statusCode) = ProbeFailureMessage.mode(
        detail: probes.lines[last].mode, statusCode: probes.lines[last].statusCode,
        handler: spec?.handler)
    } else if let last = erroredLogs.last {
      // Only errored attempts: what the error says went wrong, else 'errored'.
      latestOutput = probes.lines[last].error ?? probes.lines[last].output ?? ""
      let (classified, code) = ProbeFailureMessage.mode(
        detail: probes.lines[last].mode, statusCode: probes.lines[last].statusCode,
        handler: spec?.handler)
      (mode, statusCode) = classified == .unknown || classified == .execFailed ? (.errored, nil) : (classified, code)
    } else {
      latestOutput = ""
      (mode, statusCode) = (.unknown, nil)
    }
    let decisive = Self.decisive(
      events: events, kills: kills, lines: probes.lines, logs: logs, erroredLogs: erroredLogs,
      termination: container.terminationEvidence)
    // `decisive + all`: joining an empty list (a container known by name alone) still copied
    // every line of the first.
    let all = container.allEvidence
    let evidence = all.isEmpty ? decisive : decisive + all
    return ProbeFailures(
      kind: kind, container: container, spec: spec, events: events, failures: outrightCount + logs.count,
      errored: erroredCount + erroredLogs.count, mode: mode, statusCode: statusCode, latestOutput: latestOutput,
      kills: kills, decisive: decisive, evidence: evidence)
  }

  /// `events.evidence + kills.evidence + logs' evidence + erroredLogs' evidence + termination`:
  /// the same lines in the same order, appended into one list reserved for them all, where each
  /// `+` and `map` made a list of its own and copied the ones before it again. The lines are
  /// given as their positions in `lines` (`PodProbes.linePositions`) and each one's evidence is
  /// read where it is (docs/architecture.md "Speed of the probe rules"). `ProbeFailuresTests`
  /// keeps the version over copied lines, and `PodProbesTests` the joined lists, as the reference.
  static func decisive(
    events: [MergedEvent], kills: [MergedEvent], lines: [PodProbes.Line], logs: [Int], erroredLogs: [Int],
    termination: [Evidence]
  ) -> [Evidence] {
    var count = logs.count &+ erroredLogs.count &+ termination.count
    for i in events.indices { count &+= events[i].evidence.count }
    for i in kills.indices { count &+= kills[i].evidence.count }
    var out: [Evidence] = []
    out.reserveCapacity(count)
    for i in events.indices { out.append(contentsOf: events[i].evidence) }
    for i in kills.indices { out.append(contentsOf: kills[i].evidence) }
    for p in logs { out.append(lines[p].log.evidence) }
    for p in erroredLogs { out.append(lines[p].log.evidence) }
    out.append(contentsOf: termination)
    return out
  }

  /// The summed counts of the outright and of the errored failed events at `positions` (in
  /// `entries`), and the position of the latest outright one (`isEarlier`), in one pass: in place
  /// of the outright and errored lists filtered out of the failed events (each entry copied) and
  /// `max(by:)` over the first. The same sums in the same order, and the entry `max(by:)` keeps
  /// (it replaces its pick only by one above it). The entries are read where they are, not copied
  /// into a list of their own first (docs/architecture.md "Speed of the probe rules");
  /// `ProbeFailuresTests` keeps the version over a copied list as the reference, and
  /// `PodProbesTests` holds that to the lists and `max(by:)` on seeded events.
  static func tally(
    _ entries: [(event: MergedEvent, message: ProbeFailureMessage)], at positions: [Int]
  ) -> (outright: Int, errored: Int, latest: Int?) {
    var outright = 0
    var errored = 0
    var latest: Int?
    for p in positions {
      if entries[p].message.errored {
        errored += entries[p].event.count
      } else {
        outright += entries[p].event.count
        if let kept = latest {
          if isEarlier(entries[kept].event, entries[p].event) { latest = p }
        } else {
          latest = p
        }
      }
    }
    return (outright, errored, latest)
  }

  /// `max(by:)`'s order of failed events: `a` is before `b` when it was last seen earlier; between
  /// equal times (a paste without ages, `distantPast`), when its last line comes first.
  static func isEarlier(_ a: MergedEvent, _ b: MergedEvent) -> Bool {
    let (at, bt) = (a.lastSeen?.latest ?? .distantPast, b.lastSeen?.latest ?? .distantPast)
    guard at == bt, let al = a.evidence.last?.ref, let bl = b.evidence.last?.ref else { return at < bt }
    return al < bl
  }

  /// The probe type as kubelet lines capture it (`Liveness`): the kind's raw value capitalised.
  /// Spelled out, not built per call (issue 16) nor looked up in a dictionary built once, whose
  /// hashing was 420 instructions a call and an eighth of `ProbeFailures.init` on an EventList
  /// (callgrind; `DiagnoserOrderTests` holds the spellings to the capitalised raw values).
  static func probeType(_ kind: ProbeSpec.Kind) -> String {
    switch kind {
    case .liveness: "Liveness"
    case .readiness: "Readiness"
    case .startup: "Startup"
    }
  }

  /// The kubelet patterns of a failed probe attempt (patterns/kubelet.json).
  static let failedPatterns: Set<String> = ["kubelet.probe-failed", "kubelet.probe-failed-legacy"]
  /// The kubelet patterns of an errored attempt, which does not count toward failureThreshold (§6.2).
  static let erroredPatterns: Set<String> = ["kubelet.probe-errored", "kubelet.probe-errored-legacy"]

  /// True for a pattern of `failedPatterns`, false for one of `erroredPatterns`, nil for any
  /// other: the two sets' answers without hashing the pattern twice for every log record of a pod
  /// (`PodProbes.init`: 16,441 hashes, 6.5M of the 4 MiB kubelet-log slice's 35.2M, callgrind).
  /// `PodProbesTests` holds it to the sets.
  ///
  /// An id of any other length in UTF-8 is none of them: the four are ASCII of 20, 21, 27 and 28
  /// bytes, and a string `==` one of them (canonical equivalence) decomposes to its ASCII
  /// characters; the only other characters that decompose to ASCII are the Kelvin sign (`K`),
  /// U+037E (`;`) and U+1FEF (`` ` ``), none of which the ids hold, so such a string is those
  /// very bytes (unicode.org/reports/tr15). Most of a pod's records are of other patterns, and
  /// each was compared with up to four ids, a full string comparison each.
  static func isFailed(patternID id: String) -> Bool? {
    switch id.utf8.count {
    case 20, 21, 27, 28: break
    default: return nil
    }
    return switch id {
    case "kubelet.probe-failed", "kubelet.probe-failed-legacy": true
    case "kubelet.probe-errored", "kubelet.probe-errored-legacy": false
    default: nil
    }
  }

  /// Facts every probe finding carries.
  package var facts: [KeyValue] { facts(reserving: 0) }

  /// `facts`, in a list with room for exactly `extra` facts more: the rules append theirs, and
  /// the list literal grown by each append and by the spec's four was two or three allocations
  /// and copies a finding (docs/architecture.md "Speed of the probe rules"; `ProbeFailuresTests`
  /// holds it to the list as first written).
  package func facts(reserving extra: Int) -> [KeyValue] {
    var count = 3
    if errored > 0 { count &+= 1 }
    if statusCode != nil { count &+= 1 }
    if hasSpec { count &+= 4 }
    var facts: [KeyValue] = []
    facts.reserveCapacity(count &+ max(extra, 0))
    facts.append(KeyValue("probe", kind.rawValue))
    facts.append(KeyValue("mode", mode.rawValue))
    facts.append(.int("failures", failures))
    if errored > 0 { facts.append(.int("errored", errored)) }
    if let statusCode { facts.append(.int("statusCode", statusCode)) }
    if let spec {
      facts.append(.int("failureThreshold", spec.failureThreshold))
      facts.append(.int("periodSeconds", spec.periodSeconds))
      facts.append(.int("timeoutSeconds", spec.timeoutSeconds))
      facts.append(.int("initialDelaySeconds", spec.initialDelaySeconds))
    }
    return facts
  }

  /// `http-get http://:8080/healthz (timeout 1s, period 10s, failureThreshold 3)`, or the kind alone.
  package var specText: String { specText(opening: "the ") }

  /// `specText` opening a sentence: its first character upper-cased, which is always the `t` of
  /// `the `. Written so (`The `) rather than upper-casing the first `Character` of a written
  /// `specText` and copying the rest after it (which
  /// `ProbeFindingTextTests` keeps as the reference): three strings more and about 1,300
  /// instructions a probe finding (callgrind).
  package var sentenceSpecText: String { specText(opening: "The ") }

  private func specText(opening: String) -> String {
    guard let spec else { return "\(opening)\(kind.rawValue) probe" }
    return "\(opening)\(kind.rawValue) probe (\(spec.handler.describeText), timeout \(spec.timeoutSeconds)s, "
      + "period \(spec.periodSeconds)s, failureThreshold \(spec.failureThreshold))"
  }

  /// Adds the first sentence both probe explanations open with (`<spec> <attempts>: <mode>.`) to
  /// `text`, piece by piece: `sentenceSpecText`, `attemptsText` and `modeText` as pieces, not
  /// interpolated into strings of their own first (docs/architecture.md "Diagnosis: read a pod
  /// once"; `ProbeFindingTextTests` holds it to the interpolated sentence). `unknownsText` ends
  /// each explanation.
  package func addOpening(to text: inout TextPieces) {
    // `The `, the kind and ` probe` (and ` (` before the spec) as one piece: a piece cost about
    // 130 instructions (docs/architecture.md "Speed of the probe rules").
    if let spec {
      text.add(Self.openingWithSpec(kind))
      text.add(spec.handler.describeText)
      text.add(", timeout ")
      text.add(String(spec.timeoutSeconds))
      text.add("s, period ")
      text.add(String(spec.periodSeconds))
      text.add("s, failureThreshold ")
      text.add(String(spec.failureThreshold))
      text.add(")")
    } else {
      text.add(Self.opening(kind))
    }
    if failures == 0 && errored > 0 {
      text.add(" errored ")
      text.addTimes(errored)
    } else {
      text.add(" failed ")
      text.addTimes(failures)
    }
    text.add(": ")
    addModeText(to: &text)
    text.add(".")
  }

  /// `The <kind> probe`, spelled out for each kind.
  static func opening(_ kind: ProbeSpec.Kind) -> String {
    switch kind {
    case .liveness: "The liveness probe"
    case .readiness: "The readiness probe"
    case .startup: "The startup probe"
    }
  }

  /// `The <kind> probe (`, spelled out for each kind.
  static func openingWithSpec(_ kind: ProbeSpec.Kind) -> String {
    switch kind {
    case .liveness: "The liveness probe ("
    case .readiness: "The readiness probe ("
    case .startup: "The startup probe ("
    }
  }

  /// `modeText`, piece by piece.
  package func addModeText(to text: inout TextPieces) {
    switch mode {
    case .httpStatus:
      text.add("the endpoint answered HTTP ")
      text.add(statusCode.map(String.init) ?? "error")
    case .refused: text.add("nothing listens on the port (connection refused)")
    case .timeout: text.add("the endpoint did not answer within the timeout")
    case .reset: text.add("the connection was reset or closed early")
    case .execFailed:
      text.add(latestOutput.isEmpty ? "the command exited non-zero with no output" : "the command exited non-zero")
    case .execTimeout: text.add("the command ran past the timeout")
    case .tcp: text.add("the TCP connection failed")
    case .grpc: text.add("the gRPC health check failed")
    case .errored: text.add("the probe could not run (errored attempts do not count toward failureThreshold)")
    case .unknown: text.add("the probe failed")
    }
    if !latestOutput.isEmpty {
      text.add(": '")
      text.add(latestOutput)
      text.add("'")
    }
  }

  /// What the input does not say that the finding would need: said, not assumed.
  package var unknownsText: String { hasSpec ? "" : Self.noSpecText }

  /// `unknownsText`, added to `text` only when it says something: adding the empty text cost a
  /// piece (docs/architecture.md "Speed of the probe rules").
  package func addUnknowns(to text: inout TextPieces) {
    if !hasSpec { text.add(Self.noSpecText) }
  }

  static let noSpecText =
    " The input holds no pod spec, so the probe's settings (and when the kubelet acts on them) are not known."

  /// `failed 3 times`, or `errored twice` when no attempt failed outright.
  package var attemptsText: String {
    failures == 0 && errored > 0 ? "errored \(times(errored))" : "failed \(times(failures))"
  }

  /// The mode in words, with the output quoted.
  package var modeText: String {
    let output = latestOutput.isEmpty ? "" : ": '\(latestOutput)'"
    switch mode {
    case .httpStatus: return "the endpoint answered HTTP \(statusCode.map(String.init) ?? "error")\(output)"
    case .refused: return "nothing listens on the port (connection refused)\(output)"
    case .timeout: return "the endpoint did not answer within the timeout\(output)"
    case .reset: return "the connection was reset or closed early\(output)"
    case .execFailed:
      return latestOutput.isEmpty
        ? "the command exited non-zero with no output" : "the command exited non-zero\(output)"
    case .execTimeout: return "the command ran past the timeout\(output)"
    case .tcp: return "the TCP connection failed\(output)"
    case .grpc: return "the gRPC health check failed\(output)"
    case .errored:
      return "the probe could not run (errored attempts do not count toward failureThreshold)\(output)"
    case .unknown: return "the probe failed\(output)"
    }
  }

  /// `modeRemedy`, piece by piece, added to `text`; false (nothing added) when there is none.
  /// The probe rules' remedies add it so, where the interpolated advice was a string of its own
  /// copied in again (docs/architecture.md "Diagnosis: read a pod once"); `ProbeFindingTextTests`
  /// holds the remedies to `modeRemedy`.
  package func addModeRemedy(to text: inout TextPieces) -> Bool {
    switch mode {
    case .timeout, .execTimeout:
      if let spec, spec.timeoutSeconds <= 1 {
        text.add("timeoutSeconds is ")
        text.add(String(spec.timeoutSeconds))
        text.add("s (the default): raise it above the endpoint's slowest response, or make the health endpoint cheaper")
      } else {
        text.add("make the health check answer within timeoutSeconds or raise timeoutSeconds")
      }
    case .refused: text.add("check that the probe port matches the port the process listens on")
    case .httpStatus:
      text.add("check why the health endpoint returns ")
      text.add(statusCode.map(String.init) ?? "an error")
    case .execFailed: text.add("run the probe command by hand with 'kubectl exec' to see why it fails")
    default: return false
    }
    return true
  }

  /// Whether the mode has advice of its own (`modeRemedy` is not nil).
  package var hasModeRemedy: Bool {
    switch mode {
    case .timeout, .execTimeout, .refused, .httpStatus, .execFailed: true
    default: false
    }
  }

  /// Advice that depends on the mode alone.
  package var modeRemedy: String? {
    switch mode {
    case .timeout, .execTimeout:
      if let spec, spec.timeoutSeconds <= 1 {
        return "timeoutSeconds is \(spec.timeoutSeconds)s (the default): raise it above the endpoint's slowest "
          + "response, or make the health endpoint cheaper"
      }
      return "make the health check answer within timeoutSeconds or raise timeoutSeconds"
    case .refused: return "check that the probe port matches the port the process listens on"
    case .httpStatus: return "check why the health endpoint returns \(statusCode.map(String.init) ?? "an error")"
    case .execFailed: return "run the probe command by hand with 'kubectl exec' to see why it fails"
    default: return nil
    }
  }
}
