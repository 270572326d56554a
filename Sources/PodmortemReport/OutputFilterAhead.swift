import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// Filtering a large report on two cores, token for token as on one.
///
/// Tokens are numbered in the order a reader meets secrets: findings, then the pods, then the
/// event history (`ReportInput.init`). Most strings hold no secret, and a string without one
/// filters to the same text whatever was numbered before it. So the pods' second half is
/// filtered ahead on a second thread by a filter that numbers nothing, while this thread filters
/// the findings and the first half; that filter stops at the first pod holding a secret (or a
/// PEM block), and this thread filters it and every pod after it, in order, once the first half
/// is done, then the history — the numbering one thread would give
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
    let podWork = weights.reduce(0, +)
    guard podWork + s.events.count >= max(1, twoThreadsFrom) else {
      for i in findings.indices { findings[i] = finding(findings[i]) }
      state(&s)
      return
    }
    // The second thread takes the pods from where half the pods' work is left. The history is
    // not split: it holds the very events the pods hold, so once both halves are in, nearly all
    // of it is a lookup among the events the pods' filtering left the same.
    var cut = s.pods.count
    var done = 0
    for (i, w) in weights.enumerated() {
      if done >= podWork / 2 {
        cut = i
        break
      }
      done += w
    }
    // Each thread works on its own range of the pods, in place: the pods are not copied.
    let ahead = OutputFilter(ahead: masker)
    let progress = AheadProgress(podsDone: cut)
    // The events of the pods each thread filtered that stayed the same (`event(_:keptBy:)`).
    var kept = Set<EventKey>()
    let keptAhead = s.pods.withUnsafeMutableBufferPointer { pods in
      let lists = AheadLists(pods: pods)
      return BothCores.run(
        {
          for i in findings.indices { findings[i] = finding(findings[i]) }
          for i in 0..<cut { pod(&pods[i], kept: &kept) }
        },
        { [lists, progress, ahead, cut] in ahead.filterAhead(lists, from: cut, progress: progress) }
      ).1
    }
    // From the first pod that held a secret on, in order, numbering tokens; then the history,
    // in order: an event either thread kept is left as it is, any other is filtered here.
    for i in progress.podsDone..<s.pods.count { pod(&s.pods[i], kept: &kept) }
    for i in s.events.indices {
      let e = s.events[i]
      if keptAhead.contains(EventKey(e)) { continue }
      s.events[i] = event(e, keptBy: kept)
    }
    s.caveats = strings(s.caveats)
  }

  /// Filters the pods from `cut` on, in order, up to the first that holds a secret; a pod is
  /// filtered on a copy, so the one that stops it is left as it was. Returns the events of the
  /// pods it finished that filtering left the same.
  private func filterAhead(_ lists: AheadLists, from cut: Int, progress: AheadProgress) -> Set<EventKey> {
    var kept = Set<EventKey>()
    guard let ahead else { return kept }
    for i in cut..<lists.pods.count {
      var p = lists.pods[i]
      pod(&p, kept: &kept)
      if ahead.metSecret {
        // This pod's events were "left the same" by a filter that masks nothing: not kept.
        for e in lists.pods[i].events { kept.remove(EventKey(e)) }
        return kept
      }
      lists.pods[i] = p
      progress.podsDone = i + 1
    }
    return kept
  }
}

/// The state's pods as the second thread reaches them (`@unchecked Sendable`: it writes only the
/// pods from the cut on, which the calling thread does not touch until `BothCores.run` returns).
private struct AheadLists: @unchecked Sendable {
  let pods: UnsafeMutableBufferPointer<PodHistory>
}

/// How far the second thread got (`@unchecked Sendable`: written by it, read after it is done).
private final class AheadProgress: @unchecked Sendable {
  var podsDone: Int

  init(podsDone: Int) { self.podsDone = podsDone }
}
