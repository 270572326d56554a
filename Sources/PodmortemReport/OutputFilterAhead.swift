import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// Filtering a large report on two cores, token for token as on one.
///
/// Tokens are numbered in the order a reader meets secrets: findings, then the pods, then the
/// event history (`ReportInput.init`). Most strings hold no secret, and a string without one
/// filters to the same text whatever was numbered before it. So the pods' second half and the
/// history are filtered ahead on a second thread by a filter that numbers nothing, while this
/// thread filters the findings and the first half; that filter stops at the first pod or event
/// holding a secret (or a PEM block), and this thread filters it and everything after it, in
/// order, once the first half is done — the numbering one thread would give
/// (`OutputFilterTwoThreadsTests`; docs/architecture.md "Speed after ingest: two cores").
extension OutputFilter {
  /// What a filter working ahead met (`metSecret`); used by that filter's thread only.
  final class Ahead: @unchecked Sendable {
    var metSecret = false
  }

  /// From this much work on (pods, their events and timeline entries, and history events),
  /// `findingsAndState` uses two threads.
  package static let twoThreadsFrom = 4_000

  /// `findings` filtered in order, then `state(&s)`: the same strings and tokens as one thread
  /// gives, on two threads from `twoThreadsFrom` on.
  ///
  /// Which of the history's events filtering leaves as they are (`unchangedEvents`) is found
  /// first, which numbers no token, and the long strings it found clean are given to `filterLong`
  /// (`giveBack`) before the findings are filtered: a finding cites the events' lines, and each
  /// was tested there and masked again here (docs/architecture.md "Secrets").
  /// `OutputFilterGivenBackTests` keeps the order before (the findings, then `state(_:)`) as the
  /// reference.
  package func findingsAndState(
    _ findings: inout [Finding], _ s: inout CorrelatedState, twoThreadsFrom: Int = twoThreadsFrom
  ) {
    let weights = s.pods.map { 1 + $0.events.count + $0.timeline.count }
    let total = weights.reduce(s.events.count, +)
    guard total >= max(1, twoThreadsFrom) else {
      var clean: LongGivenBack? = LongGivenBack()
      let unchanged = unchangedEvents(s.events, givenBack: &clean)
      giveBack(clean)
      for i in findings.indices { filterInPlace(&findings[i]) }
      state(&s, unchanged: unchanged)
      return
    }
    // Which of the history's events filtering leaves as they are, each half looked at on its own
    // thread; read by both threads below, written by neither.
    let half = s.events.count / 2
    let (low, high) = s.events.withUnsafeBufferPointer { events in
      let lists = EventsToLook(events: events)
      return BothCores.run(
        {
          var clean: LongGivenBack? = LongGivenBack()
          return (unchangedEvents(events[..<half], givenBack: &clean), clean)
        },
        { [lists, half] in
          var clean: LongGivenBack? = LongGivenBack()
          return (self.unchangedEvents(lists.events[half...], givenBack: &clean), clean)
        })
    }
    let unchanged = low.0.union(high.0)
    giveBack(low.1)
    giveBack(high.1)
    // The second thread takes the history and the pods from where half the work is left.
    var cut = s.pods.count
    var done = 0
    for (i, w) in weights.enumerated() {
      if done >= total / 2 {
        cut = i
        break
      }
      done += w
    }
    // Each thread works on its own range of the same lists, in place: the pods are not copied.
    let ahead = OutputFilter(ahead: masker)
    let progress = AheadProgress(podsDone: cut)
    s.pods.withUnsafeMutableBufferPointer { pods in
      s.events.withUnsafeMutableBufferPointer { events in
        let lists = AheadLists(pods: pods, events: events)
        _ = BothCores.run(
          {
            for i in findings.indices { filterInPlace(&findings[i]) }
            for i in 0..<cut { pod(&pods[i], unchanged: unchanged) }
          },
          { [lists, progress, ahead, cut, unchanged] in
            ahead.filterAhead(lists, from: cut, unchanged: unchanged, progress: progress)
          })
      }
    }
    // From the first pod or event that held a secret on, in order, numbering tokens.
    for i in progress.podsDone..<s.pods.count { pod(&s.pods[i], unchanged: unchanged) }
    for i in progress.eventsDone..<s.events.count where !unchanged.contains(s.events[i].storageIdentity) {
      s.events[i] = event(s.events[i])
    }
    s.caveats = strings(s.caveats)
  }

  /// Filters the pods from `cut` on, then the events, in order, up to the first that holds a
  /// secret; a pod is filtered on a copy, so the one that stops it is left as it was.
  private func filterAhead(
    _ lists: AheadLists, from cut: Int, unchanged: Set<ObjectIdentifier>, progress: AheadProgress
  ) {
    guard let ahead else { return }
    for i in cut..<lists.pods.count {
      var p = lists.pods[i]
      pod(&p, unchanged: unchanged)
      if ahead.metSecret { return }
      lists.pods[i] = p
      progress.podsDone = i + 1
    }
    for i in lists.events.indices {
      guard !unchanged.contains(lists.events[i].storageIdentity) else {
        progress.eventsDone = i + 1
        continue
      }
      let e = event(lists.events[i])
      if ahead.metSecret { return }
      lists.events[i] = e
      progress.eventsDone = i + 1
    }
  }
}

/// The state's pods and events as the second thread reaches them (`@unchecked Sendable`: it
/// writes only the pods from the cut on and the events, which the calling thread does not touch
/// until `BothCores.run` returns).
private struct AheadLists: @unchecked Sendable {
  let pods: UnsafeMutableBufferPointer<PodHistory>
  let events: UnsafeMutableBufferPointer<MergedEvent>
}

/// The state's events as the second thread looks at them (`@unchecked Sendable`: read only, by
/// both threads, while neither writes them).
private struct EventsToLook: @unchecked Sendable {
  let events: UnsafeBufferPointer<MergedEvent>
}

/// How far the second thread got (`@unchecked Sendable`: written by it, read after it is done).
private final class AheadProgress: @unchecked Sendable {
  var podsDone: Int
  var eventsDone = 0

  init(podsDone: Int) { self.podsDone = podsDone }
}
