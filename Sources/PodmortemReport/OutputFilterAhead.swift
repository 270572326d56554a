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
  package func findingsAndState(
    _ findings: inout [Finding], _ s: inout CorrelatedState, twoThreadsFrom: Int = twoThreadsFrom
  ) {
    let weights = s.pods.map { 1 + $0.events.count + $0.timeline.count }
    let total = weights.reduce(s.events.count, +)
    guard total >= max(1, twoThreadsFrom) else {
      for i in findings.indices { findings[i] = finding(findings[i]) }
      state(&s)
      return
    }
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
    // Moved out, so each list has one owner and is changed in place.
    let work = AheadWork(pods: Array(s.pods[cut...]), events: s.events)
    s.pods.removeSubrange(cut...)
    s.events = []
    let ahead = OutputFilter(ahead: masker)
    _ = BothCores.run(
      {
        for i in findings.indices { findings[i] = finding(findings[i]) }
        for i in s.pods.indices { pod(&s.pods[i]) }
      },
      { [work, ahead] in ahead.filterAhead(work) })
    // From the first pod or event that held a secret on, in order, numbering tokens.
    for i in work.podsDone..<work.pods.count { pod(&work.pods[i]) }
    for i in work.eventsDone..<work.events.count { work.events[i] = event(work.events[i]) }
    s.pods += work.pods
    s.events = work.events
    s.caveats = strings(s.caveats)
  }

  /// Filters `work`'s pods, then its events, in order, up to the first that holds a secret; a pod
  /// is filtered on a copy, so the one that stops it is left as it was.
  private func filterAhead(_ work: AheadWork) {
    guard let ahead else { return }
    for i in work.pods.indices {
      var p = work.pods[i]
      pod(&p)
      if ahead.metSecret { return }
      work.pods[i] = p
      work.podsDone = i + 1
    }
    for i in work.events.indices {
      let e = event(work.events[i])
      if ahead.metSecret { return }
      work.events[i] = e
      work.eventsDone = i + 1
    }
  }
}

/// The pods and events filtered ahead, and how many of each are done (`@unchecked Sendable`: the
/// second thread owns it until `BothCores.run` returns, the calling thread after).
private final class AheadWork: @unchecked Sendable {
  var pods: [PodHistory]
  var events: [MergedEvent]
  var podsDone = 0
  var eventsDone = 0

  init(pods: [PodHistory], events: [MergedEvent]) {
    self.pods = pods
    self.events = events
  }
}
