import Foundation
import PodmortemModel

/// Notices watch streams that carry only `ADDED` events although identities repeat with counts
/// that never grow: the stream shows new objects but not their updates (`MODIFIED`), so repeats of
/// an event are missing from it (docs/kubernetes.md §3.2).
///
/// Per source it keeps, for each identity, the smallest and largest count and evidence position,
/// and forgets a source as soon as it shows any other watch verb or a non-watch event.
package struct AddedOnlyCheck: Sendable {
  struct Seen: Sendable {
    var minCount: Int
    var maxCount: Int
    var firstRef: SourceRef?
    var lastRef: SourceRef?

    /// Two different lines of the source carry this identity.
    var repeated: Bool { firstRef != lastRef }

    mutating func record(count: Int, ref: SourceRef?) {
      minCount = min(minCount, count)
      maxCount = max(maxCount, count)
      if let ref {
        firstRef = firstRef.map { min($0, ref) } ?? ref
        lastRef = lastRef.map { max($0, ref) } ?? ref
      }
    }
  }

  /// Identities per candidate source.
  var candidates: [String: [EventIdentity: Seen]] = [:]
  /// Sources that showed something other than `ADDED`.
  var ruledOut = Set<String>()

  package init() {}

  package mutating func add(_ event: Event, identity: EventIdentity) {
    guard let source = event.evidence.first?.ref.source, !ruledOut.contains(source) else { return }
    guard event.watchType == "ADDED" else {
      ruledOut.insert(source)
      candidates[source] = nil
      return
    }
    let count = event.count ?? 1
    let ref = event.evidence.map(\.ref).min()
    candidates[source, default: [:]][
      identity, default: Seen(minCount: count, maxCount: count, firstRef: ref, lastRef: ref)
    ]
    .record(count: count, ref: ref)
  }

  /// One caveat per source that carries only ADDED events with repeats, sorted by source.
  package var caveats: [String] {
    candidates.keys.sorted().compactMap { source in
      guard let seen = candidates[source]?.values else { return nil }
      let repeats = seen.filter(\.repeated)
      guard !repeats.isEmpty, repeats.allSatisfy({ $0.minCount == $0.maxCount }) else { return nil }
      return "'\(source)' carries only ADDED events: repeats may be missing"
    }
  }
}
