import PodmortemCorrelate
import PodmortemModel

/// What the pods of one run share, read once for all of them on one thread: the `Diagnoser`
/// makes one for each list of pods it diagnoses in turn (one per thread) and hands it to every
/// pod's rules in the `PodReading`; a pod diagnosed on its own gets one of its own. Each table is
/// built when a rule first asks for it and answers for the `CorrelatedState` it was built from,
/// the only state a run's rules are given (docs/architecture.md "Diagnosis: read a pod once").
package final class RunReading {
  package init() {}

  /// The state's pods' positions by the controller that owns them (`latest.controlledBy`), in the
  /// state's order, built when first asked. A `Dictionary` keyed by `String` finds the key `==` to
  /// the one asked for (its hash is canonical equivalence's), so a key's positions are exactly
  /// those a scan testing `controlledBy == owner` keeps, in the same order.
  private var controlled: [String: [Int]]?

  /// The positions in `state.pods` of the pods whose `latest.controlledBy` is `== owner`, in order.
  /// `EvictedRule.replacement` asks it for each evicted pod: a scan of every pod for each was
  /// 107,000 instructions an evicted pod on 1,000 describes (callgrind).
  /// `RunReadingTests` holds it to the scan.
  package func pods(controlledBy owner: String, in state: CorrelatedState) -> [Int] {
    if let controlled { return controlled[owner] ?? [] }
    var built: [String: [Int]] = [:]
    let pods = state.pods
    for i in pods.indices {
      guard let controller = pods[i].latest.controlledBy else { continue }
      built[controller, default: []].append(i)
    }
    controlled = built
    return built[owner] ?? []
  }

  /// `CrashLoopBackOffRule.unknownCountTexts`' explanations already written, for a container whose
  /// last run, `get pods` row and back-off delay the input does not show: the text then depends on
  /// the back-off events' count alone (`nil`: no back-off event), so one written text serves every
  /// container with that count, and the findings share its bytes instead of each holding a copy
  /// (an EventList's crash loops are mostly such: 1,276 in 8 MiB). At most `textsKept` are kept.
  private var unknownCountExplanations: [Int?: String] = [:]

  /// The last `unknownCountTexts` title written with no delay, and the container name it names.
  private var unknownCountTitle: (name: String, title: String)?

  /// How many explanations `unknownCountExplanations` keeps: a hostile input with a different count
  /// on every event cannot grow it past this; past it a text is written and not kept.
  static let textsKept = 1_024

  /// `CrashLoopBackOffRule.unknownCountTexts(name:last:summary:rowRestarts:observed:step:backOffEvents:)`,
  /// each text taken from an earlier call when that call's inputs give the same bytes: the
  /// explanation for the same back-off events' count when neither the last run, the row's
  /// restarts nor a delay is shown (the other inputs are not read then), the title for a name of
  /// the same bytes (`==` would also match a name canonically equivalent but spelled otherwise,
  /// whose title differs) when no delay is shown. `RunReadingTests` holds it to the function.
  package func unknownCountTexts(
    name: String, last: Termination?, summary: String?, rowRestarts: Int?, observed: Double?, step: Int,
    backOffEvents: Int?
  ) -> (title: String, explanation: String) {
    guard last == nil, rowRestarts == nil, observed == nil else {
      return CrashLoopBackOffRule.unknownCountTexts(
        name: name, last: last, summary: summary, rowRestarts: rowRestarts, observed: observed, step: step,
        backOffEvents: backOffEvents)
    }
    let title: String
    if let kept = unknownCountTitle, Self.sameBytes(kept.name, name) {
      title = kept.title
    } else {
      title = CrashLoopBackOffRule.unknownCountTitle(name: name, delay: nil)
      unknownCountTitle = (name, title)
    }
    if let explanation = unknownCountExplanations[backOffEvents] { return (title, explanation) }
    let explanation = CrashLoopBackOffRule.unknownCountExplanation(
      last: nil, summary: summary, rowRestarts: nil, delay: nil, step: step, backOffEvents: backOffEvents)
    if unknownCountExplanations.count < Self.textsKept { unknownCountExplanations[backOffEvents] = explanation }
    return (title, explanation)
  }

  /// Whether two strings are the same bytes (not only canonically equivalent).
  static func sameBytes(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
  }
}
