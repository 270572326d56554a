import Foundation
import PodmortemModel

/// Builds a pod's timeline from its snapshots, merged events and log records.
///
/// - An event is placed at its last occurrence; an event that happened more than once gets a
///   second entry at its first occurrence (`first of x5`), so the timeline shows how long it went on.
/// - `Unhealthy` events are probe failures and `Killing` events kills (docs/kubernetes.md §9.1).
/// - Container starts and finishes come from `State`/`Last State` of every snapshot, deduplicated.
/// - A restart is placed between the two captures whose restart counts differ, or at the start of
///   the current run when that falls between them.
/// - A deletion is requested at deletionTimestamp − deletionGracePeriodSeconds, and the grace
///   period ends at deletionTimestamp (§1.2, §8.1).
/// - Order: by time, entries without a time last; at the same time the kubelet's causal order
///   (Scheduled → Pulling → Pulled → Created → Started → Unhealthy → Killing → BackOff), then
///   evidence order.
package enum Timeline {
  package static func build(snapshots: [PodSnapshot], latest: PodSnapshot, events: [MergedEvent], logs: PodLogs)
    -> [TimelineEntry]
  {
    var entries: [TimelineEntry] = []
    for e in events { entries += eventEntries(e) }
    entries += containerEntries(snapshots)
    entries += restartEntries(snapshots)
    entries += deletionEntries(latest)
    for l in logs {
      entries.append(
        TimelineEntry(time: l.time, kind: .log, container: l.container, summary: l.message, evidence: [l.evidence]))
    }
    return entries.sorted(by: order)
  }

  static func eventEntries(_ e: MergedEvent) -> [TimelineEntry] {
    let kind: TimelineEntry.Kind =
      switch e.reason {
      case "Unhealthy": .probeFailure
      case "Killing": .kill
      default: .event
      }
    // The summaries are kept as long as the pod: each is written into a string of its own length.
    // Interpolation grew its buffer by doubling and kept the spare room (a third of a timeline's
    // text on the bench EventList, docs/architecture.md "Memory of the EventList and describe
    // paths"); the text is the interpolation's (`TimelineSummaryTests`).
    let type = e.type.description
    let count = e.count > 1 ? String(e.count) : ""
    var last = TimelineEntry(
      time: e.lastSeen ?? e.firstSeen, kind: kind, container: e.containerName,
      summary: e.count > 1
        ? exactly(type, " ", e.reason, ": ", e.message, " (x", count, ")")
        : exactly(type, " ", e.reason, ": ", e.message),
      evidence: e.evidence)
    last.step = causalStep[e.reason] ?? causalStep.count + 1
    last.isWarning = e.type == .warning
    guard e.count > 1, let first = e.firstSeen, first != e.lastSeen else { return [last] }
    var start = TimelineEntry(
      time: first, kind: kind, container: e.containerName,
      summary: exactly(type, " ", e.reason, ": ", e.message, " (first of x", count, ")"),
      evidence: Array(e.evidence.prefix(1)))
    start.step = last.step
    start.isWarning = last.isWarning
    return [start, last]
  }

  /// `parts` joined, in a string given the room of exactly their bytes.
  static func exactly(_ parts: String...) -> String {
    var text = ""
    text.reserveCapacity(parts.reduce(0) { $0 + $1.utf8.count })
    for part in parts { text += part }
    return text
  }

  /// Starts and finishes from every snapshot's `State` and `Last State`, one entry per run, each
  /// marked with its run when the restart count tells it (`run`).
  static func containerEntries(_ snapshots: [PodSnapshot]) -> [TimelineEntry] {
    var entries: [TimelineEntry] = []
    var index: [[String]: Int] = [:]
    func add(
      _ time: TimeRange?, _ kind: TimelineEntry.Kind, _ container: String, _ summary: String, _ ev: [Evidence],
      _ run: String?
    ) {
      guard let time else { return }
      let text = run.map { "\(summary) — \($0)" } ?? summary
      // Two sources showing the same run agree to the second; a second copy adds nothing but the
      // newer capture's word for the run (what was current may have ended since).
      let second = String(Int(saturating: time.earliest.timeIntervalSince1970.rounded(.down)))
      let key = [kind.rawValue, container, summary, second]
      if let i = index[key] {
        if run != nil { entries[i].summary = text }
        return
      }
      index[key] = entries.count
      entries.append(TimelineEntry(time: time, kind: kind, container: container, summary: text, evidence: ev))
    }
    for (position, s) in snapshots.enumerated() {
      let isLatest = position == snapshots.count - 1
      for c in s.containers {
        let ev = Array(c.evidence.prefix(EvidenceSample.linesPerOccurrence))
        for (state, isLast) in [(c.state, false), (c.lastState, true)] {
          guard let state else { continue }
          let marker = run(of: c, state: state, isLastState: isLast, isLatest: isLatest, detail: true)
          let short = run(of: c, state: state, isLastState: isLast, isLatest: isLatest, detail: false)
          switch state {
          case .running(let startedAt):
            add(startedAt, .containerStarted, c.name, "container '\(c.name)' started", ev, marker)
          case .terminated(let t):
            add(t.startedAt, .containerStarted, c.name, "container '\(c.name)' started", ev, marker)
            add(t.finishedAt, .containerFinished, c.name, "container '\(c.name)' \(finished(t))", ev, short)
          case .waiting: break
          }
        }
      }
    }
    return entries
  }

  /// Which run of its container a `State` or `Last State` shows, numbered by restart count as the
  /// kubelet numbers the run's log file (`0.log` is the first run, docs/kubernetes.md §10.2):
  /// `run 7 (current)` for the running state, `run 6 (previous, OOMKilled, exit 137)` for the last
  /// state of a running container, `(last, …)` for a run that ended and was not followed (yet);
  /// the reason and exit code only with `detail` (a finish entry says them already). Only the
  /// latest capture says current, previous or last. Nil without a restart count.
  static func run(
    of c: ContainerSnapshot, state: ContainerState, isLastState: Bool, isLatest: Bool, detail withDetail: Bool
  ) -> String? {
    guard let count = c.restartCount, count >= 0 else { return nil }
    let number: Int
    let word: String
    switch (state, isLastState) {
    case (.running, false):
      number = count
      word = "current"
    case (.terminated, false):
      number = count
      word = "last"
    case (.terminated, true):
      // The run before the current one, or, while the container waits to restart, the last run.
      let waiting = if case .waiting = c.state { true } else { false }
      number = waiting || c.state == nil ? count : count - 1
      word = waiting || c.state == nil ? "last" : "previous"
    default:
      return nil
    }
    guard number >= 0 else { return nil }
    guard isLatest else { return "run \(number)" }
    var detail = [word]
    if withDetail, case .terminated(let t) = state {
      if let reason = t.reason { detail.append(reason) }
      detail.append("exit \(t.exitCode)")
    }
    return "run \(number) (\(detail.joined(separator: ", ")))"
  }

  private static func finished(_ t: Termination) -> String {
    var s = "finished with exit code \(t.exitCode)"
    if let r = t.reason { s += " (\(r))" }
    if let sig = t.signal { s += ", signal \(sig)" }
    return s
  }

  /// Restart counts that grew between two captures, per container (or for the pod, from `get pods`).
  static func restartEntries(_ snapshots: [PodSnapshot]) -> [TimelineEntry] {
    var entries: [TimelineEntry] = []
    var previous: [String: (count: Int, at: Date?)] = [:]
    let podKey = "\u{0}pod"
    for s in snapshots {
      var counts: [(String, Int, TimeRange?)] = s.containers.compactMap { c in
        guard let n = c.restartCount else { return nil }
        if case .running(let startedAt) = c.state { return (c.name, n, startedAt) }
        return (c.name, n, nil)
      }
      if counts.isEmpty, let r = s.restarts { counts = [(podKey, r, s.lastRestart)] }
      for (name, count, restartedAt) in counts {
        defer { previous[name] = (count, s.capturedAt?.date) }
        guard let before = previous[name], count > before.count else { continue }
        var time: TimeRange? = nil
        if let from = before.at, let to = s.capturedAt?.date { time = TimeRange(earliest: from, latest: to) }
        // The current run's start (or `get pods`' last restart) is the last restart itself, when it
        // falls between the two captures.
        if let r = restartedAt, time.map({ $0.overlaps(r) }) ?? true { time = r }
        let n = count - before.count
        let who = name == podKey ? "pod" : "container '\(name)'"
        entries.append(
          TimelineEntry(
            time: time, kind: .restart, container: name == podKey ? nil : name,
            summary: "\(who) restarted \(n) time\(n == 1 ? "" : "s") (restart count \(before.count) → \(count))",
            evidence: Array(s.evidence.prefix(1))))
      }
    }
    return entries
  }

  static func deletionEntries(_ pod: PodSnapshot) -> [TimelineEntry] {
    guard let deadline = pod.deletionTimestamp else { return [] }
    let ev = Array(pod.evidence.prefix(1))
    var entries = [
      TimelineEntry(time: deadline, kind: .graceDeadline, summary: "grace period ends", evidence: ev)
    ]
    if let grace = pod.deletionGracePeriodSeconds {
      let requested = TimeRange(
        earliest: deadline.earliest.addingTimeInterval(-Double(grace)),
        latest: deadline.latest.addingTimeInterval(-Double(grace)))
      entries.append(
        TimelineEntry(
          time: requested, kind: .deletionRequested, summary: "deletion requested with a \(grace)s grace period",
          evidence: ev))
    }
    return entries
  }

  /// By time (earliest bound, then latest), entries without a time last, then by evidence.
  /// The kubelet's order for one container's start and its failures
  /// (kubernetes/pkg/kubelet/kuberuntime/kuberuntime_container.go `startContainer`: pull, create,
  /// start; then the prober and the back-off), for events that share a time.
  static let causalStep: [String: Int] = [
    "Scheduled": 1, "Pulling": 2, "Pulled": 3, "Created": 4, "Started": 5, "Unhealthy": 6, "Killing": 7, "BackOff": 8,
  ]

  static func order(_ a: TimelineEntry, _ b: TimelineEntry) -> Bool {
    switch (a.time, b.time) {
    case (nil, .some): return false
    case (.some, nil): return true
    case (let x?, let y?) where x != y: return (x.earliest, x.latest) < (y.earliest, y.latest)
    default: break
    }
    if a.step != b.step { return a.step < b.step }
    let ea = a.evidence.first.map { [$0.ref.source, String(format: "%012d", $0.ref.line)] } ?? []
    let eb = b.evidence.first.map { [$0.ref.source, String(format: "%012d", $0.ref.line)] } ?? []
    if ea != eb { return ea.lexicographicallyPrecedes(eb) }
    return [a.kind.rawValue, a.container ?? "", a.summary].lexicographicallyPrecedes([
      b.kind.rawValue, b.container ?? "", b.summary,
    ])
  }
}
