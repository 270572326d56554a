import PodmortemCorrelate
import PodmortemModel

/// Everything a pod's history says about one probe of one container failing: `Unhealthy` events,
/// kubelet `Probe failed` log lines and probe kills (docs/kubernetes.md §6.3).
package struct ProbeFailures: Sendable {
  package var kind: ProbeSpec.Kind
  package var container: ContainerSnapshot
  package var spec: ProbeSpec?
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
  /// (docs/architecture.md "Diagnosis: read a pod once").
  package init?(
    _ kind: ProbeSpec.Kind, container: borrowing ContainerSnapshot, in pod: borrowing PodHistory, probes: PodProbes
  ) {
    // A pod with no probe event and no probe line of this kind (most pods of an EventList or of
    // describes) has no failure of it: each list below would be empty (`PodProbes.mayHaveFailed`).
    guard probes.mayHaveFailed(kind) else { return nil }
    let failed = probes.failures(kind, container: container.name, in: pod)
    let kills = probes.kills(kind, container: container.name, in: pod)
    // Recognised once in Ingest: the structured `"Probe failed"` line and the unstructured
    // `Liveness probe for "pod_ns(uid):c" failed (failure): …` of kubelets before 1.21.
    let (logs, erroredLogs) = probes.lines(kind, container: container.name)
    guard !failed.isEmpty || !kills.isEmpty || !logs.isEmpty || !erroredLogs.isEmpty else { return nil }
    self.kind = kind
    self.container = copy container
    spec = self.container.probes[kind]
    // `failed.map(\.0)` by index: `map` handed out each entry, message and all, as a copy.
    var events: [MergedEvent] = []
    events.reserveCapacity(failed.count)
    for i in failed.indices { events.append(failed[i].0) }
    self.events = events
    self.kills = kills
    let (outrightCount, erroredCount, latestOutright) = Self.tally(failed)
    failures = outrightCount + logs.count
    errored = erroredCount + erroredLogs.count
    // The most recent by time; between equal times (a paste without ages), the later line.
    let latest = (latestOutright ?? (failed.isEmpty ? nil : failed.count - 1)).map { failed[$0] }
    if let latest {
      latestOutput = latest.1.output
      (mode, statusCode) =
        latest.1.errored
        ? (.errored, nil)
        : ProbeFailureMessage.mode(
          detail: latest.1.detailMode, statusCode: latest.0.capture("statusCode"), handler: spec?.handler)
    } else if let log = logs.last {
      latestOutput = log.capture("output") ?? log.log.field("output") ?? ""
      (mode, statusCode) = ProbeFailureMessage.mode(
        detail: log.capture("mode"), statusCode: log.capture("statusCode"), handler: spec?.handler)
    } else if let log = erroredLogs.last {
      // Only errored attempts: what the error says went wrong, else 'errored'.
      latestOutput = log.capture("error") ?? log.capture("output") ?? ""
      let (classified, code) = ProbeFailureMessage.mode(
        detail: log.capture("mode"), statusCode: log.capture("statusCode"), handler: spec?.handler)
      (mode, statusCode) = classified == .unknown || classified == .execFailed ? (.errored, nil) : (classified, code)
    } else {
      latestOutput = ""
      (mode, statusCode) = (.unknown, nil)
    }
    decisive = Self.decisive(
      events: self.events, kills: kills, logs: logs, erroredLogs: erroredLogs,
      termination: self.container.terminationEvidence)
    // `decisive + all`: joining an empty list (a container known by name alone) still copied
    // every line of the first.
    let all = self.container.allEvidence
    evidence = all.isEmpty ? decisive : decisive + all
  }

  /// `events.evidence + kills.evidence + logs.map(\.log.evidence) + erroredLogs.map(\.log.evidence)
  /// + termination`: the same lines in the same order, appended into one list reserved for them
  /// all, where each `+` and `map` made a list of its own and copied the ones before it again
  /// (`PodProbesTests` keeps the joined lists as the reference).
  static func decisive(
    events: [MergedEvent], kills: [MergedEvent], logs: [PodProbes.Line], erroredLogs: [PodProbes.Line],
    termination: [Evidence]
  ) -> [Evidence] {
    var count = logs.count &+ erroredLogs.count &+ termination.count
    for i in events.indices { count &+= events[i].evidence.count }
    for i in kills.indices { count &+= kills[i].evidence.count }
    var out: [Evidence] = []
    out.reserveCapacity(count)
    for i in events.indices { out.append(contentsOf: events[i].evidence) }
    for i in kills.indices { out.append(contentsOf: kills[i].evidence) }
    for i in logs.indices { out.append(logs[i].log.evidence) }
    for i in erroredLogs.indices { out.append(erroredLogs[i].log.evidence) }
    out.append(contentsOf: termination)
    return out
  }

  /// The summed counts of the outright and of the errored failed events, and the position of the
  /// latest outright one (`isEarlier`), in one pass: in place of the outright and errored lists
  /// filtered out of `failed` (each entry copied) and `max(by:)` over the first. The same sums
  /// in the same order, and the entry `max(by:)` keeps (it replaces its pick only by one above
  /// it). `PodProbesTests` holds it to the lists and `max(by:)` on seeded events.
  static func tally(
    _ failed: [(MergedEvent, ProbeFailureMessage)]
  ) -> (outright: Int, errored: Int, latest: Int?) {
    var outright = 0
    var errored = 0
    var latest: Int?
    for i in failed.indices {
      if failed[i].1.errored {
        errored += failed[i].0.count
      } else {
        outright += failed[i].0.count
        if let kept = latest {
          if isEarlier(failed[kept].0, failed[i].0) { latest = i }
        } else {
          latest = i
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
  package var facts: [KeyValue] {
    var facts = [KeyValue("probe", kind.rawValue), KeyValue("mode", mode.rawValue), .int("failures", failures)]
    if errored > 0 { facts.append(.int("errored", errored)) }
    if let statusCode { facts.append(.int("statusCode", statusCode)) }
    if let spec {
      facts += [
        .int("failureThreshold", spec.failureThreshold), .int("periodSeconds", spec.periodSeconds),
        .int("timeoutSeconds", spec.timeoutSeconds), .int("initialDelaySeconds", spec.initialDelaySeconds),
      ]
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
    text.add("The ")
    text.add(kind.rawValue)
    text.add(" probe")
    if let spec {
      text.add(" (")
      text.add(spec.handler.describeText)
      text.add(", timeout ")
      text.add(String(spec.timeoutSeconds))
      text.add("s, period ")
      text.add(String(spec.periodSeconds))
      text.add("s, failureThreshold ")
      text.add(String(spec.failureThreshold))
      text.add(")")
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
  package var unknownsText: String {
    spec == nil
      ? " The input holds no pod spec, so the probe's settings (and when the kubelet acts on them) are not known." : ""
  }

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
