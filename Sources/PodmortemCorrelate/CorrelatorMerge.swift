import Foundation
import PodmortemModel

// Merging correlators: a large file is parsed in parts on two threads, each part into a correlator
// of its own, and the parts' correlators are merged once at the end (docs/architecture.md "Long and
// live inputs", Two cores). The correlator depends only on the set of records it was given, so
// the merge of the correlators of two sets of records is the correlator of their union: every
// part of the state below is a union, a minimum or maximum, or a bounded sample whose kept
// records of the union are among the kept records of each part.

extension Correlator {
  /// Adds everything `other` was given, as if its records had been added here.
  package mutating func merge(_ other: consuming Correlator) {
    book.merge(&other.book)
    pastedBlocks.formUnion(other.pastedBlocks)
    for (block, name) in other.pastedNames { pastedNames[block] = min(pastedNames[block] ?? name, name) }
    for (block, snapshots) in other.pastedPods {
      for pod in snapshots where pastedPods[block, default: []].insert(pod) {
        Self.trim(&pastedPods[block, default: []], uid: nil)
      }
    }
    for (key, snapshots) in other.pods {
      for pod in snapshots where pods[key, default: []].insert(pod) {
        Self.trim(&pods[key, default: []], uid: pod.uid)
      }
    }
    kubeletEvents.merge(other.kubeletEvents)
    addedOnly.merge(other.addedOnly)
    // Each of `other`'s samples is taken out before it is merged, so its arrays go as it is
    // merged, not at the end beside every array the merge made here (a file's first half, which
    // dropped its tails, makes them again for the second half's records: docs/architecture.md
    // "Memory of the kubelet-log run", Tails the first half need not keep).
    for key in Array(other.podLogs.keys) {
      guard let sample = other.podLogs.removeValue(forKey: key) else { continue }
      podLogs[key, default: LogSample()].merge(sample)
    }
    for key in Array(other.looseLogs.keys) {
      guard let sample = other.looseLogs.removeValue(forKey: key) else { continue }
      looseLogs[key, default: LogSample()].merge(sample)
    }
    for key in Array(other.pastedLogs.keys) {
      guard let sample = other.pastedLogs.removeValue(forKey: key) else { continue }
      pastedLogs[key, default: LogSample()].merge(sample)
    }
    nodeLogs.merge(other.nodeLogs)
    // Which pod a source names first depends on the order; only whether it names one or several
    // is read (`finishReleasing`), and that is the same in any order.
    for (source, seen) in other.sourcePods {
      if let mine = sourcePods[source] {
        sourcePods[source] = (mine.first, mine.many || seen.many || mine.first != seen.first)
      } else {
        sourcePods[source] = seen
      }
    }
    lastSourcePods = nil
    for (name, snapshots) in other.nodes { nodes[name, default: []].formUnion(snapshots) }
    workloads.formUnion(other.workloads)
    if let capture = other.now { note(capture) }
  }
}

extension Correlator {
  /// Moves the log lines of pasted block `old` that name no pod to block `new`, as if the source
  /// had given them `new` (`LogRecord.pastedAt`): a file's second part names its own first such
  /// line as its block, which is the first part's when the first part has one.
  package mutating func movePastedLogs(from old: SourceRef, to new: SourceRef) {
    guard old != new, let sample = pastedLogs.removeValue(forKey: old) else { return }
    pastedLogs[new, default: LogSample()].merge(sample.mapped { $0.pastedAt = new })
  }
}

extension EventBook {
  /// Adds every observation `other` holds, entry by entry in its insertion order; `other` is left
  /// empty, each of its chunks freed once absorbed (`EntryTable.takeAll`). Each entry is found
  /// by the hash `other`'s table kept for its identity, not hashed again (`EntryTable.modify`).
  mutating func merge(_ other: inout EventBook) {
    other.entries.takeAll { identity, hash, entry in entries.modify(taking: identity, hash: hash) { $0.absorb(entry) } }
  }
}

extension EventBook.Entry {
  /// Takes the lineages and the pattern of `other`, an entry of the same identity: what adding its
  /// observations one by one gives (`add(_:kindSpelling:patternID:captures:isCombined:message:)`).
  mutating func absorb(_ other: EventBook.Entry) {
    if let spelling = other.kindSpelling { kindSpelling = min(kindSpelling ?? spelling, spelling) }
    for lineage in other.named.values {
      if let name = lineage.names.first { named.merge(lineage, as: name) }
    }
    for lineage in other.unnamed { unnamed = EventBook.coalesce(unnamed, adding: lineage) }
    if let id = other.patternID, patternID.map({ id < $0 }) ?? true {
      patternID = id
      captures = other.captures
    }
    if other.patternID != nil, other.patternID == patternID {
      for (message, captures) in other.capturesByMessage where capturesByMessage[message] == nil {
        capturesByMessage[message] = captures
      }
    }
  }
}

extension KubeletEventLog {
  /// Adds the lines `other` gathered: per identity the union of lines, the earliest first and
  /// latest last time, and the first and last lines of both.
  mutating func merge(_ other: KubeletEventLog) {
    for (identity, theirs) in other.byIdentity {
      guard var mine = byIdentity.removeValue(forKey: identity) else {
        byIdentity[identity] = theirs
        continue
      }
      mine.lines.formUnion(theirs.lines)
      mine.event.count = mine.lines.count
      if let t = theirs.event.firstSeen {
        mine.event.firstSeen = mine.event.firstSeen.map { $0.earliest <= t.earliest ? $0 : t } ?? t
      }
      if let t = theirs.event.lastSeen {
        mine.event.lastSeen = mine.event.lastSeen.map { $0.latest >= t.latest ? $0 : t } ?? t
      }
      for line in theirs.first { Self.keepFirst(&mine, line) }
      for line in theirs.last { Self.keepLast(&mine, line) }
      byIdentity[identity] = mine
    }
  }
}

extension AddedOnlyCheck {
  /// Adds what `other` saw: a source ruled out in either is ruled out, and the counts and
  /// positions of each identity are the extremes of both.
  package mutating func merge(_ other: AddedOnlyCheck) {
    ruledOut.formUnion(other.ruledOut)
    for source in other.ruledOut { candidates[source] = nil }
    for (source, seen) in other.candidates where !ruledOut.contains(source) {
      for (identity, theirs) in seen {
        guard var mine = candidates[source]?[identity] else {
          candidates[source, default: [:]][identity] = theirs
          continue
        }
        mine.minCount = min(mine.minCount, theirs.minCount)
        mine.maxCount = max(mine.maxCount, theirs.maxCount)
        mine.firstRef = [mine.firstRef, theirs.firstRef].compactMap { $0 }.min()
        mine.lastRef = [mine.lastRef, theirs.lastRef].compactMap { $0 }.max()
        candidates[source, default: [:]][identity] = mine
      }
    }
  }
}
