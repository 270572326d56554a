import Foundation
import PodmortemCorrelate
import PodmortemModel

/// A container in CrashLoopBackOff, with the kubelet's back-off arithmetic and the cause of the
/// exits (docs/kubernetes.md §7.1, §8.4).
///
/// The delay after exit k is 0, 10, 20, 40, 80, 160, 300, 300 … s from finishedAt. The BackOff
/// event count counts 10–15 s sync retries, not restarts. When the exits come from a probe kill
/// or an OOM kill, those rules own the finding and this one folds into it.
///
/// Examples, in `Examples/CrashLoopBackOffRuleExamples.swift`; each runs as a test, and a near miss must not fire:
/// - fires: exit 1 after 2s, restart 5: the next delay is 160s
/// - near miss: recovered: running and ready for 47m after three quick exits
/// - fires: a containerStatuses entry cut off at 'state:': 30 restarts of a container that exits 0
/// - near miss: near miss: the state is cut off after four restarts: too few to call a loop
/// - fires: a get pods row of a two-container pod: RESTARTS is the pod's sum, not one container's
/// - fires: a kubelet back-off line alone: the restart count is not shown, the delay is the kubelet's own
/// - fires: a 1.5-era Events table alone: FailedSync carries the back-off the container waits out
/// - fires: exit 1 at restart 9: 300 s back-off
/// - fires: restart 2 waits 20 s; the waiting message agrees
/// - fires: a run of over 10 minutes resets the back-off
/// - near miss: recovered: running again after old back-off events
/// - near miss: a container's State lines alone: the back-off ended, running and ready after four restarts
/// - fires: a pod's YAML status block alone: the waiting message's back-off 2m40s agrees with restart 5
package struct CrashLoopBackOffRule: DiagnosisRule {
  package static let description = RuleDescription(
    id: "crashloop.backoff", category: .crashloopBackoff, title: "container in CrashLoopBackOff",
    rationale: "the kubelet delays each restart 0, 10, 20, 40, 80, 160, then 300 s from the last finishedAt and "
      + "resets after a run of over 10 minutes (§7.1); the exit reason says why it keeps exiting",
    absorbs: ["container.exit-code"])

  package init() {}

  package func diagnose(_ pod: PodHistory, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, run: nil, in: state)
  }

  package func diagnose(_ pod: PodHistory, reading: PodReading, in state: CorrelatedState) -> [Finding] {
    diagnose(pod, run: reading.run, in: state)
  }

  /// The findings; `run`, when given, writes the texts of a finding whose restart count is not
  /// shown, or hands out one it wrote already (`RunReading.unknownCountTexts`).
  func diagnose(_ pod: PodHistory, run: RunReading?, in state: CorrelatedState) -> [Finding] {
    let backOffs = pod.events.filter { $0.patternID == "event.backoff-restarting" }
    // Containers known by name alone are not waiting, have not exited, and without a back-off
    // event have none of their own: no container passes the guard below
    // (`PodHistory.containersShowNoRuns`).
    if backOffs.isEmpty && pod.containersShowNoRuns { return [] }
    // Nor has one none of whose containers waits in CrashLoopBackOff or has its state cut off
    // after a loop's restarts, with no back-off event: each container's `events` are then empty
    // and the guard below fails for every one (`mayLoop`).
    if backOffs.isEmpty && !Self.mayLoop(pod) { return [] }
    return loop(pod, backOffs: backOffs, run: run, in: state)
  }

  /// Whether a container waits in CrashLoopBackOff or passes `restartingStateCutOff`, read in
  /// place: the loop copied every container whole to ask (about 1,000 instructions a container,
  /// and a query of the pod's events for each, callgrind on 1,000 describes; docs/architecture.md
  /// "Speed of the other rules"). `ContainerPrecheckTests` holds the loop empty whenever this is
  /// false and the pod has no back-off event.
  static func mayLoop(_ pod: PodHistory) -> Bool {
    let containers = pod.containers([.container, .initContainer])
    for i in containers.indices {
      if containers[i].waitingReason == "CrashLoopBackOff" { return true }
      if containers[i].state == nil && containers[i].ready != true && containers[i].lastTermination != nil
        && (containers[i].restartCount ?? 0) >= loopRestarts
      {
        return true
      }
    }
    return false
  }

  /// The findings of every container, `backOffs` the pod's back-off events.
  func loop(_ pod: PodHistory, backOffs: [MergedEvent], run: RunReading?, in state: CorrelatedState) -> [Finding] {
    pod.containers([.container, .initContainer]).compactMap { container in
      let events = pod.events("BackOff", container: container.name).filter { backOffs.contains($0) }
      guard
        container.waitingReason == "CrashLoopBackOff" || (!events.isEmpty && !container.isRunning)
          || Self.restartingStateCutOff(container)
      else {
        return nil
      }
      return finding(container, events: events, pod: pod, now: pod.now(in: state), run: run)
    }
  }

  /// The fewest restarts that show a loop when the input cuts off the container's current state
  /// (`state:` with nothing under it) and shows no back-off: each restart is an exit the kubelet
  /// waited out (§7.1), and five put the delay at 80 s or more.
  static let loopRestarts = 5

  /// A container whose current state the input does not show, not ready, that has exited before and
  /// has been restarted at least `loopRestarts` times: restarting in a loop, as far as the input shows.
  static func restartingStateCutOff(_ container: ContainerSnapshot) -> Bool {
    container.state == nil && container.ready != true && container.lastTermination != nil
      && (container.restartCount ?? 0) >= loopRestarts
  }

  /// The first eight delays of `model`'s curve as explanations write them (`0s, 10s, 20s, …`).
  /// Every finding explains the standard curve, so its text is written once per run, not once
  /// per finding: nine `Seconds.format` calls and a join were a quarter of a finding's cost on
  /// an EventList (callgrind). Another model's is written as before. `ExplanationTextTests`
  /// keeps the expression as the reference.
  static func curveText(_ model: CrashLoopBackOffModel) -> String {
    model == .standard ? standardCurveText : writtenCurve(model)
  }

  /// `model`'s cap as explanations write it (`5m`); the standard one's written once per run.
  static func capText(_ model: CrashLoopBackOffModel) -> String {
    model == .standard ? standardCapText : Seconds.format(model.maxSeconds)
  }

  private static let standardCurveText = writtenCurve(.standard)
  private static let standardCapText = Seconds.format(CrashLoopBackOffModel.standard.maxSeconds)

  private static func writtenCurve(_ model: CrashLoopBackOffModel) -> String {
    model.curve(8).map { Seconds.format($0) }.joined(separator: ", ")
  }

  private func finding(
    _ container: ContainerSnapshot, events: [MergedEvent], pod: PodHistory, now: Date?, run: RunReading?
  ) -> Finding {
    guard let restarts = container.restartCount else {
      return unknownCount(container, events: events, pod: pod, run: run)
    }
    let last = container.lastTermination
    let observed = CrashLoopBackOffModel.observedDelay(of: container)
    let model = CrashLoopBackOffModel.standard
    let a = model.assess(
      restartCount: restarts, finishedAt: last?.finishedAt, lastStartedAt: last?.startedAt, now: now,
      observedDelay: observed)
    let cause = Self.cause(container, pod: pod)
    var facts: [KeyValue] = [
      .int("restarts", restarts), KeyValue("cause", cause), .int("backoffSeconds", Int(saturating: a.delaySeconds)),
      .int("backoffStep", a.step), KeyValue("backoffReset", a.reset ? "true" : "false"),
    ]
    if let nextStartIn = a.nextStartIn { facts.append(.seconds("nextStartIn", nextStartIn)) }
    if let observed { facts.append(.int("observedBackoffSeconds", Int(saturating: observed))) }
    if let last {
      facts.append(.int("exitCode", last.exitCode))
      let meaning = ExitCodes.explain(last)
      if let signal = meaning.signalName { facts.append(KeyValue("signal", signal)) }
      if let reason = last.reason { facts.append(KeyValue("reason", reason)) }
    }
    if !events.isEmpty { facts.append(.int("backoffEvents", events.totalCount)) }
    return Self.description.finding(
      .critical, pod.subject(container.name),
      title: Self.title(container, restarts: restarts, cause: cause, last: last),
      explanation: Self.explanation(a, model: model, last: last, events: events),
      remedy: Self.remedy(cause, last: last, logs: pod.previousLogs(container.name)), facts: facts,
      decisive: EvidenceRanking.joined(
        container.waitingEvidence, container.terminationEvidence, events.evidence, pod.endedRunErrors(container.name)),
      evidence: container.evidence)
  }

  /// The finding when the input does not show the restart count (a kubelet log line, an Events
  /// table alone): the delay is the kubelet's own (`back-off 5m0s` in its message) when shown, and
  /// the restart count is only bounded from below by where that delay sits on the curve.
  private func unknownCount(
    _ container: ContainerSnapshot, events: [MergedEvent], pod: PodHistory, run: RunReading?
  ) -> Finding {
    let model = CrashLoopBackOffModel.standard
    let observed = CrashLoopBackOffModel.observedDelay(of: container)
    let last = container.lastTermination
    let cause = Self.cause(container, pod: pod)
    var facts: [KeyValue] = [KeyValue("cause", cause)]
    var summary: String?
    if let last {
      let meaning = ExitCodes.explain(last)
      summary = meaning.summary
      facts.append(.int("exitCode", last.exitCode))
      if let signal = meaning.signalName { facts.append(KeyValue("signal", signal)) }
      if let reason = last.reason { facts.append(KeyValue("reason", reason)) }
    }
    var rowRestarts: Int?
    if let total = pod.latest.restarts, container.name == ContainerSnapshot.unknownName {
      // A `get pods` row: RESTARTS sums the pod's containers (while initializing, its init containers').
      facts.append(.int("restarts", total))
      rowRestarts = total
    }
    var step = 0
    if let observed {
      // The first exit on the default curve with this delay: the container exited at least that often.
      step = (1...64).first { model.delay(afterExit: $0) >= observed } ?? 64
      facts += [
        .int("backoffSeconds", Int(saturating: observed)), .int("observedBackoffSeconds", Int(saturating: observed)),
        .int("backoffStep", step),
      ]
    }
    if !events.isEmpty { facts.append(.int("backoffEvents", events.totalCount)) }
    let backOffEvents = events.isEmpty ? nil : events.totalCount
    let (title, text) =
      run?.unknownCountTexts(
        name: container.name, last: last, summary: summary, rowRestarts: rowRestarts, observed: observed, step: step,
        backOffEvents: backOffEvents)
      ?? Self.unknownCountTexts(
        name: container.name, last: last, summary: summary, rowRestarts: rowRestarts, observed: observed, step: step,
        backOffEvents: backOffEvents)
    return Self.description.finding(
      .critical, pod.subject(container.name), title: title, explanation: text,
      remedy: Self.remedy(cause, last: last, logs: pod.previousLogs(container.name)), facts: facts,
      decisive: EvidenceRanking.joined(
        container.waitingEvidence, container.terminationEvidence, events.evidence, pod.endedRunErrors(container.name)),
      evidence: container.evidence)
  }

  /// `The last run ended with exit code 1 (Error): <summary>. `, the sentence both back-off
  /// explanations open with when the input shows the last termination.
  static func addLastRun(_ last: Termination, summary: String, to text: inout TextPieces) {
    text.add("The last run ended with exit code ")
    text.add(String(last.exitCode))
    if let reason = last.reason {
      text.add(" (")
      text.add(reason)
      text.add(")")
    }
    text.add(": ")
    text.add(summary)
    text.add(". ")
  }

  /// `unknownCount`'s title and explanation: `summary` is the last termination's meaning,
  /// `rowRestarts` a `get pods` row's RESTARTS, `step` where `observed` sits on the default curve,
  /// `backOffEvents` the BackOff events' summed count. Gathered as their pieces and written once
  /// (`TextPieces`): as interpolations appended to a growing string they were 21,000 instructions
  /// a finding on an EventList (callgrind). `ExplanationTextTests` keeps the interpolations as
  /// the reference (docs/architecture.md "Diagnosis: read a pod once").
  static func unknownCountTexts(
    name: String, last: Termination?, summary: String?, rowRestarts: Int?, observed: Double?, step: Int,
    backOffEvents: Int?
  ) -> (title: String, explanation: String) {
    // The delay both texts quote, formatted once. The title is written on its own: its pieces
    // were added between the explanation's, which changes neither text.
    let delay = observed.map { Seconds.format($0) }
    return (
      unknownCountTitle(name: name, delay: delay),
      unknownCountExplanation(
        last: last, summary: summary, rowRestarts: rowRestarts, delay: delay, step: step, backOffEvents: backOffEvents)
    )
  }

  /// `unknownCountTexts`' title, `delay` the observed delay as `Seconds.format` writes it.
  static func unknownCountTitle(name: String, delay: String?) -> String {
    TextPieces.written { title in
      title.add("container '")
      title.add(name)
      title.add("' in CrashLoopBackOff (restart count not shown")
      if let delay {
        title.add("; back-off ")
        title.add(delay)
      }
      title.add(")")
    }
  }

  /// `unknownCountTexts`' explanation, `delay` the observed delay as `Seconds.format` writes it.
  /// Without `last`, `rowRestarts` and `delay` it reads `backOffEvents` alone.
  static func unknownCountExplanation(
    last: Termination?, summary: String?, rowRestarts: Int?, delay: String?, step: Int, backOffEvents: Int?
  ) -> String {
    let model = CrashLoopBackOffModel.standard
    return TextPieces.written { text in
      if let last { Self.addLastRun(last, summary: summary ?? "", to: &text) }
      if let total = rowRestarts {
        text.add("The row's RESTARTS column shows ")
        text.add(String(total))
        text.add(" across the pod's containers, not per container. ")
      } else {
        text.add("The input does not show the restart count. ")
      }
      if let delay {
        text.add("The kubelet says it waits ")
        text.add(delay)
        text.add(" before the next start; on the default curve (")
        text.add(Self.curveText(model))
        text.add(" …, capped at ")
        text.add(Self.capText(model))
        text.add(") that delay follows exit ")
        text.add(String(step))
        text.add(" or a later one, so the container has restarted at least ")
        text.add(String(step - 1))
        text.add(" times (unless the kubelet's curve is tuned).")
      } else {
        text.add("The kubelet delays each restart by ")
        text.add(Self.curveText(model))
        text.add(" …, capped at ")
        text.add(Self.capText(model))
        text.add("; without the restart count or the waiting message, where it is on that curve is not known.")
      }
      if let backOffEvents {
        text.add(" The BackOff event count (x")
        text.add(String(backOffEvents))
        text.add(") counts sync retries every 10–15s, not restarts.")
      }
    }
  }

  /// Why the container keeps exiting: `oom`, `liveness`, `startup`, `start-error`, `signal`, `exit-code`, `unknown`.
  private static func cause(_ container: ContainerSnapshot, pod: PodHistory) -> String {
    if container.lastTermination?.reason == "OOMKilled" { return "oom" }
    if !pod.probeKills(.liveness, container: container.name).isEmpty { return "liveness" }
    if !pod.probeKills(.startup, container: container.name).isEmpty { return "startup" }
    guard let last = container.lastTermination else { return "unknown" }
    if last.reason == "StartError" || last.reason == "ContainerCannotRun" || last.exitCode == 128 {
      return "start-error"
    }
    return (129...159).contains(last.exitCode) ? "signal" : "exit-code"
  }
}

extension CrashLoopBackOffRule {
  static func title(_ container: ContainerSnapshot, restarts: Int, cause: String, last: Termination?) -> String {
    let why: String
    switch cause {
    case "oom": why = "OOMKilled"
    case "liveness": why = "killed by its liveness probe"
    case "startup": why = "killed by its startup probe"
    default:
      // Written as its pieces (`TextPieces`), as the explanation is: the interpolation was about
      // 3,600 instructions a finding on 1,000 describes (callgrind; docs/architecture.md "Speed of
      // the other rules"). `ContainerPrecheckTests` keeps it as the reference.
      return TextPieces.written { text in
        addTitleOpening(container.name, restarts: restarts, to: &text)
        if let last {
          text.add("exit code ")
          text.add(String(last.exitCode))
        } else {
          text.add("exiting")
        }
        text.add(")")
      }
    }
    return TextPieces.written { text in
      addTitleOpening(container.name, restarts: restarts, to: &text)
      text.add(why)
      text.add(")")
    }
  }

  /// `container '<name>' in CrashLoopBackOff after <restarts> restarts (`, the title's opening.
  private static func addTitleOpening(_ name: String, restarts: Int, to text: inout TextPieces) {
    text.add("container '")
    text.add(name)
    text.add("' in CrashLoopBackOff after ")
    text.add(String(restarts))
    text.add(" restarts (")
  }

  /// Gathered as its pieces and written once (`TextPieces`): as interpolations appended to a
  /// growing string it was 21,000 instructions a finding on 1,000 describes (callgrind).
  /// `ExplanationTextTests` keeps the interpolations as the reference (docs/architecture.md
  /// "Diagnosis: read a pod once").
  static func explanation(
    _ a: CrashLoopBackOffModel.Assessment, model: CrashLoopBackOffModel, last: Termination?, events: [MergedEvent]
  ) -> String {
    return TextPieces.written { text in
      if let last { Self.addLastRun(last, summary: ExitCodes.explain(last).summary, to: &text) }
      if a.reset {
        text.add("That run lasted over ")
        text.add(String(Int(CrashLoopBackOffModel.resetAfterSeconds / 60)))
        text.add(" minutes, so the back-off reset: the restart is immediate and the delays start again at ")
        text.add(String(Int(model.initialSeconds)))
        text.add("s.")
      } else {
        text.add("After ")
        text.add(String(a.restartCount))
        text.add(" restarts this is exit ")
        text.add(String(a.step))
        text.add("; the kubelet waits ")
        text.add(Seconds.format(a.delaySeconds))
        text.add(" (delays per exit: ")
        text.add(Self.curveText(model))
        text.add(" …, capped at ")
        text.add(Self.capText(model))
        text.add("), counted from finishedAt.")
      }
      if let nextStartIn = a.nextStartIn {
        if nextStartIn.upperBound <= 0 {
          text.add(" The next start was due ")
          text.add(Seconds.format(-nextStartIn.upperBound))
          text.add(" before capture.")
        } else {
          text.add(" The next start is due in ")
          text.add(Seconds.format(.ordered(max(0, nextStartIn.lowerBound), nextStartIn.upperBound)))
          text.add(" (up to one 15s sync retry after the nominal delay).")
        }
      }
      if let observed = a.observedDelaySeconds {
        switch a.curve {
        case .consistent:
          text.add(" The waiting message's 'back-off ")
          text.add(Seconds.format(observed))
          text.add("' agrees.")
        case .earlierStep(let exits):
          let delay = Seconds.format(observed)
          text.add(" The waiting message says 'back-off ")
          text.add(delay)
          text.add("', step ")
          text.add(String(exits))
          text.add(" of the default curve: ")
          text.add("earlier runs outlasted the 10-minute reset, or the kubelet's maxContainerRestartPeriod is ")
          text.add(delay)
          text.add(".")
        case .reducedCurve:
          text.add(" The waiting message says 'back-off ")
          text.add(Seconds.format(observed))
          text.add("', which is on the 1s → 60s curve: the kubelet runs with ReduceDefaultCrashLoopBackOffDecay.")
        case .tunedMax(let seconds):
          text.add(" The waiting message says 'back-off ")
          text.add(Seconds.format(observed))
          text.add("': the kubelet's crashLoopBackOff.maxContainerRestartPeriod is probably ")
          text.add(Seconds.format(seconds))
          text.add(".")
        case .unexplained:
          text.add(" The waiting message says 'back-off ")
          text.add(Seconds.format(observed))
          text.add("', longer than this restart count allows.")
        case .notObserved: break
        }
      }
      if !events.isEmpty {
        text.add(" The BackOff event count (x")
        text.add(String(events.totalCount))
        text.add(") counts sync retries every 10–15s, not restarts.")
      }
    }
  }

  static func remedy(_ cause: String, last: Termination?, logs: String) -> String {
    switch cause {
    case "oom": return "raise resources.limits.memory or reduce the memory the process uses"
    case "liveness", "startup": return "fix the \(cause) probe failures (see the probe finding)"
    case "start-error":
      return
        "the runtime could not start the process\(last?.message.map { ": '\($0)'" } ?? ""); fix command/args or the image"
    default:
      let guidance =
        last.map { ExitCodes.explain($0).guidance } ?? "read the logs"
      return "\(guidance): \(logs)"
    }
  }
}
