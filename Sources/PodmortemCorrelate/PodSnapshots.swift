import PodmortemModel

/// The distinct snapshots of one pod (docs/architecture.md "Memory of the EventList and describe
/// paths", the pods' snapshots): what a `Set<PodSnapshot>` kept, without hashing every snapshot
/// whole. Each snapshot carries a fingerprint of a few fields that differ between distinct captures
/// (capture time, first source line, uid, phase, sizes); an insert compares fingerprints first and
/// the whole snapshot (`==`) only when they match, so a duplicate is found as a `Set` finds it and a
/// new capture costs a few field hashes. The order of the snapshots is the order they were inserted
/// in; every reader sorts them (`PodAssembly.captureOrder`) or does not depend on it.
package struct PodSnapshots: Sequence, ExpressibleByArrayLiteral, Sendable {
  private var prints: [Int] = []
  private var snapshots: [PodSnapshot] = []

  package init() {}

  package init(arrayLiteral elements: PodSnapshot...) {
    for s in elements { insert(s) }
  }

  package var count: Int { snapshots.count }
  package var isEmpty: Bool { snapshots.isEmpty }

  /// A few fields of `s`, hashed: equal snapshots have equal fingerprints.
  static func fingerprint(_ s: PodSnapshot) -> Int {
    var h = Hasher()
    h.combine(s.capturedAt)
    h.combine(s.evidence.first?.ref)
    h.combine(s.evidence.count)
    h.combine(s.uid)
    h.combine(s.phase)
    h.combine(s.containers.count)
    h.combine(s.restarts)
    return h.finalize()
  }

  /// Adds `s` unless an equal snapshot is already here; whether it was added, as `Set.insert`.
  @discardableResult
  package mutating func insert(_ s: PodSnapshot) -> Bool {
    let print = Self.fingerprint(s)
    for i in prints.indices where prints[i] == print && snapshots[i] == s { return false }
    prints.append(print)
    snapshots.append(s)
    return true
  }

  /// Drops the middle snapshot of pod `uid` once it has more than 2 × `kept` (`Correlator.trim`).
  /// The choice follows `PodAssembly.captureOrder`, a total order, so it is the same in any order.
  package mutating func trim(uid: String?, kept: Int) {
    var same: [Int] = []
    for i in snapshots.indices where snapshots[i].uid == uid { same.append(i) }
    guard same.count > 2 * kept else { return }
    same.sort { PodAssembly.captureOrder(snapshots[$0], snapshots[$1]) }
    let i = same[kept]
    prints.remove(at: i)
    snapshots.remove(at: i)
  }

  package func makeIterator() -> IndexingIterator<[PodSnapshot]> { snapshots.makeIterator() }

  /// The snapshots, in the order they were inserted in.
  package var inserted: [PodSnapshot] { snapshots }
}
