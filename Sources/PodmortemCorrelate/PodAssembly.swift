import Foundation
import PodmortemModel

/// Merges the snapshots of one pod into one view and decides which pod a snapshot, event or log
/// line belongs to when a name was reused (a recreated pod has a new uid, §1.6).
package enum PodAssembly {
  /// The namespace of a pod whose source did not say (describe without the line, a bare row).
  package static let defaultNamespace = "default"

  /// Splits the snapshots of one namespace/name into pods: one per uid; snapshots without a uid
  /// go to the uid whose lifetime fits them, or form a pod of their own when no uid is known.
  package static func split(namespace: String, name: String, _ snapshots: some Sequence<PodSnapshot>)
    -> [PodKey: [PodSnapshot]]
  {
    var byUID: [String: [PodSnapshot]] = [:]
    var anonymous: [PodSnapshot] = []
    for s in snapshots {
      if let uid = s.uid, !uid.isEmpty { byUID[uid, default: []].append(s) } else { anonymous.append(s) }
    }
    guard !byUID.isEmpty else { return [PodKey(namespace: namespace, name: name): anonymous] }
    let uids = byUID.keys.sorted()
    let lives = uids.map { uid in lifetime(byUID[uid] ?? []) }
    for s in anonymous {
      let born = s.creationTime ?? s.startTime
      let at = born?.earliest ?? s.capturedAt?.date
      let i = pick(born: born, at: at, lives: lives)
      byUID[uids[i], default: []].append(s)
    }
    var out: [PodKey: [PodSnapshot]] = [:]
    for (uid, list) in byUID { out[PodKey(namespace: namespace, name: name, uid: uid)] = list }
    return out
  }

  /// When a pod existed as far as its snapshots tell: from creation (or start) to its last capture.
  package static func lifetime(_ snapshots: [PodSnapshot]) -> TimeRange? {
    var range: TimeRange? = nil
    for s in snapshots {
      for t in [s.creationTime, s.startTime, s.capturedAt.map { TimeRange(exactly: $0.date) }] {
        range = Lineage.hull(range, t)
      }
    }
    return range
  }

  /// The index of the life that a thing born at `born` (or seen at `at`) belongs to: the one whose
  /// range overlaps `born`; else the latest one that began before `at`; else the first.
  package static func pick(born: TimeRange?, at: Date?, lives: [TimeRange?]) -> Int {
    if let born, let i = lives.firstIndex(where: { $0.map { born.overlaps(TimeRange(exactly: $0.earliest)) } ?? false })
    {
      return i
    }
    guard let at else { return 0 }
    var best: (index: Int, start: Date)? = nil
    for (i, life) in lives.enumerated() {
      if let start = life?.earliest, start <= at, start > (best?.start ?? .distantPast) { best = (i, start) }
    }
    return best?.index ?? 0
  }

  /// Oldest capture first; snapshots without a capture time first; ties by source position.
  package static func captureOrder(_ a: PodSnapshot, _ b: PodSnapshot) -> Bool {
    let ta = a.capturedAt?.date ?? .distantPast
    let tb = b.capturedAt?.date ?? .distantPast
    if ta != tb { return ta < tb }
    let ea = a.evidence.first?.ref
    let eb = b.evidence.first?.ref
    if ea != eb { return (ea ?? SourceRef(source: "", line: 0)) < (eb ?? SourceRef(source: "", line: 0)) }
    return String(describing: a) < String(describing: b)
  }

  /// The snapshots merged newest-wins: each field takes the value of the newest snapshot that has
  /// one. Containers merge by name; `terminating` holds once any snapshot saw it (a deletion is
  /// never undone).
  package static func latest(_ sorted: [PodSnapshot], key: PodKey) -> PodSnapshot {
    var m = PodSnapshot(name: key.name, namespace: key.namespace)
    m.uid = key.uid
    // Every snapshot's lines, in an array of their exact size: the merged pod may keep it as it is.
    // One capture's lines are taken as they are (below), not copied here.
    var evidence: [Evidence] = []
    if sorted.count > 1 { evidence.reserveCapacity(sorted.reduce(0) { $0 + $1.evidence.count }) }
    // One capture whose containers merge nothing and drop nothing (`mergesNothing`) keeps them as
    // they are, the merging steps not taken: they appended a copy of every container (each of
    // its strings and arrays retained) only for the count below to find them the capture's and
    // drop the copies (docs/architecture.md "Speed of the EventList path"; `LatestSharingTests`
    // holds the result to the merging code).
    let keepsContainers = sorted.count == 1 && Self.mergesNothing(sorted[0].containers)
    // Each merged container's lines, one array per capture merged into it, joined once at the end
    // (`mergedLines`): merging them capture by capture built and freed an array of every line so
    // far at each step (docs/architecture.md "Memory of the EventList and describe paths").
    var pieces: [[[Evidence]]] = []
    for s in sorted {
      m.namespace = s.namespace ?? m.namespace
      m.uid = s.uid ?? m.uid
      m.node = s.node ?? m.node
      m.hostIP = s.hostIP ?? m.hostIP
      m.podIP = s.podIP ?? m.podIP
      m.phase = s.phase ?? m.phase
      m.displayStatus = s.displayStatus ?? m.displayStatus
      m.reason = s.reason ?? m.reason
      if let message = s.message {
        m.message = message
        m.messageCaptures = s.messageCaptures
      }
      m.startTime = s.startTime ?? m.startTime
      m.creationTime = s.creationTime ?? m.creationTime
      m.deletionTimestamp = s.deletionTimestamp ?? m.deletionTimestamp
      m.deletionGracePeriodSeconds = s.deletionGracePeriodSeconds ?? m.deletionGracePeriodSeconds
      m.terminationGracePeriodSeconds = s.terminationGracePeriodSeconds ?? m.terminationGracePeriodSeconds
      m.terminating = m.terminating || s.terminating
      if s.terminating { m.deletionInFuture = s.deletionInFuture }
      if !s.deletionEvidence.isEmpty { m.deletionEvidence = s.deletionEvidence }
      if !s.finalizers.isEmpty { m.finalizers = s.finalizers }
      if !s.labels.isEmpty { m.labels = s.labels }
      m.controlledBy = s.controlledBy ?? m.controlledBy
      m.qosClass = s.qosClass ?? m.qosClass
      if !s.conditions.isEmpty { m.conditions = s.conditions }
      if !s.tolerations.isEmpty { m.tolerations = s.tolerations }
      for c in s.containers where !keepsContainers {
        if let i = m.containers.firstIndex(where: { $0.name == c.name }) {
          m.containers[i] = mergeFields(m.containers[i], c)
          pieces[i].append(c.evidence)
        } else {
          m.containers.append(c)
          pieces.append([c.evidence])
        }
      }
      m.ready = s.ready ?? m.ready
      m.restarts = s.restarts ?? m.restarts
      m.lastRestart = s.lastRestart ?? m.lastRestart
      m.capturedAt = s.capturedAt ?? m.capturedAt
      if sorted.count > 1 { evidence += s.evidence }
    }
    // A `get pods` row's container of unknown name stands for one the other snapshots name.
    for role in Set(m.containers.map(\.role)) where !keepsContainers {
      let ofRole = m.containers.filter { $0.role == role }
      if ofRole.contains(where: { $0.name != ContainerSnapshot.unknownName }) {
        // Removed with their lines, the two arrays kept side by side.
        var i = m.containers.count
        while i > 0 {
          i -= 1
          if m.containers[i].role == role && m.containers[i].name == ContainerSnapshot.unknownName {
            m.containers.remove(at: i)
            pieces.remove(at: i)
          }
        }
      }
    }
    for i in pieces.indices where pieces[i].count > 1 { m.containers[i].evidence = mergedLines(pieces[i]) }
    // A pod captured once (the usual case) keeps its capture's containers and lines as they are,
    // stored once: the copies appended above hold exactly those elements, in that order, when no
    // container was merged or dropped (their count says it), and the lines are one capture's. A
    // copy of each beside the capture was a tenth of the JSON report's peak on 10,000 describes
    // (docs/architecture.md "Memory of the EventList and describe paths").
    if sorted.count == 1 {
      if keepsContainers || m.containers.count == sorted[0].containers.count { m.containers = sorted[0].containers }
      m.evidence = sortedUnique(sorted[0].evidence)
    } else {
      m.evidence = sortedUnique(evidence)
    }
    return m
  }

  /// True when merging `containers` as one capture's changes nothing: no two share a name (by
  /// `==`, as the merge matches them), so each is appended as it is, and none is of unknown name
  /// beside another, so none is dropped for a named one of its role. The merge then gives exactly
  /// `containers`.
  static func mergesNothing(_ containers: [ContainerSnapshot]) -> Bool {
    containers.withUnsafeBufferPointer { c in
      for i in c.indices {
        if c.count > 1, c[i].name == ContainerSnapshot.unknownName { return false }
        for j in 0..<i where c[j].name == c[i].name { return false }
      }
      return true
    }
  }

  /// `list` without repeats, ordered by line then text. A list already in that order (one
  /// snapshot's lines, the usual case) is returned as it is instead of being hashed into a set and
  /// sorted again (a tenth of correlating 10,000 describes, bench/run.sh, perf).
  package static func sortedUnique(_ list: [Evidence]) -> [Evidence] {
    func before(_ a: Evidence, _ b: Evidence) -> Bool { (a.ref, a.text) < (b.ref, b.text) }
    // Whether it is in order already is asked of the lines where they lie (`ascends`): pairing
    // them (`zip`) copied each line twice and comparing them as tuples copied their fields again
    // (`SortedUniqueInPlaceTests` keeps that check as the reference).
    let inOrder = list.withUnsafeBufferPointer { lines in
      guard let base = lines.baseAddress else { return true }
      return lines.indices.dropFirst().allSatisfy { ascends(base + ($0 - 1), base + $0) }
    }
    if inOrder { return list }
    return Array(Set(list)).sorted(by: before)
  }

  /// `(a.ref, a.text) < (b.ref, b.text)` read in place, unrolled as a tuple compares: the first
  /// field that differs by `==` decides by `<` (the ref's source, then its line; `SourceRef.<`
  /// is the tuple of those two), else the texts by `<`.
  static func ascends(_ a: UnsafePointer<Evidence>, _ b: UnsafePointer<Evidence>) -> Bool {
    if a.pointee.ref.source != b.pointee.ref.source { return a.pointee.ref.source < b.pointee.ref.source }
    if a.pointee.ref.line != b.pointee.ref.line { return a.pointee.ref.line < b.pointee.ref.line }
    return a.pointee.text < b.pointee.text
  }

  /// The lines `merge` gives a container merged from captures whose lines are `pieces`, in merge
  /// order: each step was `sortedUnique` of the lines so far and the next capture's, in an array
  /// of exactly their count. When all the lines in a row are in order (`ascends`), every step's
  /// were (each is a prefix of them), so each step gave its array as it was and the last one is
  /// all of them, in an array of their count: built once here. Otherwise the steps are taken as
  /// `merge` took them. `ContainerLinesTests` holds it to `merge`'s steps.
  static func mergedLines(_ pieces: [[Evidence]]) -> [Evidence] {
    guard let first = pieces.first else { return [] }
    if pieces.count == 1 { return first }
    var all: [Evidence] = []
    all.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
    for p in pieces { all += p }
    let inOrder = all.withUnsafeBufferPointer { lines in
      guard let base = lines.baseAddress else { return true }
      return lines.indices.dropFirst().allSatisfy { ascends(base + ($0 - 1), base + $0) }
    }
    if inOrder { return all }
    var lines = first
    for p in pieces.dropFirst() {
      var step: [Evidence] = []
      step.reserveCapacity(lines.count + p.count)
      step += lines
      step += p
      lines = sortedUnique(step)
    }
    return lines
  }

  /// `newer` over `older`, field by field.
  static func merge(_ older: ContainerSnapshot, _ newer: ContainerSnapshot) -> ContainerSnapshot {
    var m = mergeFields(older, newer)
    var evidence: [Evidence] = []
    evidence.reserveCapacity(m.evidence.count + newer.evidence.count)
    evidence += m.evidence
    evidence += newer.evidence
    m.evidence = sortedUnique(evidence)
    return m
  }

  /// `merge` but for the lines: `older`'s are left as they are (`latest` joins every capture's
  /// once, `mergedLines`).
  static func mergeFields(_ older: ContainerSnapshot, _ newer: ContainerSnapshot) -> ContainerSnapshot {
    var m = older
    m.role = newer.role
    m.image = newer.image ?? m.image
    if let state = newer.state {
      m.state = state
      m.waitingDetail = newer.waitingDetail
      m.stateEvidence = newer.stateEvidence
    }
    if newer.lastState != nil { m.lastStateEvidence = newer.lastStateEvidence }
    m.terminatedReasonOnly = newer.terminatedReasonOnly ?? m.terminatedReasonOnly
    m.lastState = newer.lastState ?? m.lastState
    m.ready = newer.ready ?? m.ready
    m.started = newer.started ?? m.started
    m.restartCount = newer.restartCount ?? m.restartCount
    if !newer.limits.isEmpty { m.limits = newer.limits }
    if !newer.requests.isEmpty { m.requests = newer.requests }
    m.probes.merge(newer.probes) { _, new in new }
    m.preStop = newer.preStop ?? m.preStop
    m.postStart = newer.postStart ?? m.postStart
    if !newer.environmentNames.isEmpty { m.environmentNames = newer.environmentNames }
    m.restartPolicyAlways = m.restartPolicyAlways || newer.restartPolicyAlways
    return m
  }
}
