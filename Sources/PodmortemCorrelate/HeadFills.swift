import Foundation
import PodmortemModel

/// Which log heads the first half of a file split in two (`SecondPart`) has filled, published for
/// the second half, which then keeps no head of its own for them (docs/architecture.md "Memory of
/// the kubelet-log run", Heads the second half need not keep).
///
/// A head is the first `LogSample.keep` records of one pod (or node, or pod named without a
/// namespace) and one pattern (or the unrecognised ones), by source position. Every record of the
/// second half lies at or after `bound`, the second half's first line. When the first half's head
/// holds `keep` records that all lie before `bound`, the merged head (`LogSample.merge`, the
/// smallest `keep` of both) is the first half's whatever the second half kept, and the merged tail
/// is the largest `keep` of the first half's tail and the second half's tail (which, holding
/// fewer than `keep` records, holds all that the second half's head does). So the second half's
/// head is never read then, and is dropped. The key is the correlator's own bucket for the record
/// (`Correlator.podLogs`, `looseLogs`, `nodeLogs`), which `Correlator.merge` matches by the same
/// key; pasted blocks' lines (`pastedLogs`), which the merge may move to another block
/// (`movePastedLogs`), are never published.
///
/// A head's last record only moves earlier as records arrive, so once published a key stays true.
/// Published keys are appended under a lock (rare: at most once per key) and read by the second
/// half every `Correlator.HeadSharing.sweepEvery` records and once more when the file's first half
/// is read.
///
/// The other way round, the second half publishes each key whose tail holds `keep` records (all
/// at or after `bound`; a tail, once full, stays full): the merged tail is then the largest `keep`
/// of the second half's tail and the first half's records at or after `bound` (of files read
/// before), so the first half frees its tail's records of this file before `bound` and keeps no
/// more of them (`LogSample.dropTail`), sweeping every `sweepEvery` records and once more before
/// the merge. When the second half is not used the first half reads on to the end and its tails
/// take the records after the cut again; a tail left with fewer than `keep` records at or after
/// `bound` is then given the first half's records again from a second reading of the file
/// (`reread`, `Correlator.endTailDrops`).
package final class HeadFills: @unchecked Sendable {
  /// A correlator's bucket of log records.
  enum Subject: Hashable {
    case pod(Correlator.PodName)
    case loose(String)
    case node
  }

  /// A bucket and a pattern (nil: the unrecognised records).
  struct Key: Hashable {
    var subject: Subject
    var pattern: String?
  }

  /// The first line of the second half: every record it gives lies at or after it.
  package let bound: SourceRef
  // `keys`, `known` and `tailKeys` are read and written under `lock` only.
  private let lock = NSLock()
  private var keys: [Key] = []
  private var known = Set<Key>()
  private var tailKeys: [Key] = []
  /// Set on the reading thread when it reaches the cut and uses the second half
  /// (`SecondPart.join`); read there once the first half is read (`Correlator.publishHeads`).
  package var partUsed = false
  /// Gives every log record the file's single reading gives, to `offer`, on the reading thread:
  /// the first half's tails that the reading on did not refill, when the second half was not used,
  /// are restored from it (`Correlator.endTailDrops`; `SecondPart` reads the file again).
  package var reread: ((_ offer: (LogRecord) -> Void) -> Void)?
  // The first half's own, used on the reading thread only (`Correlator.sweepTails`).
  /// How many published full tails the first half has read.
  var tailsTaken = 0
  /// The keys whose tails the first half has dropped (`LogSample.dropTail`).
  var droppedTails: [Key] = []
  /// Published keys the first half held no record of at a sweep: dropped once it does.
  var pendingTails: [Key] = []

  package init(bound: SourceRef) { self.bound = bound }

  /// Publishes `key`, once.
  func publish(_ key: Key) {
    lock.lock()
    defer { lock.unlock() }
    if known.insert(key).inserted { keys.append(key) }
  }

  /// The keys published from the `from`-th on.
  func published(from: Int) -> [Key] {
    lock.lock()
    defer { lock.unlock() }
    return from < keys.count ? Array(keys[from...]) : []
  }

  /// How many keys are published (tests).
  package var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return keys.count
  }

  /// Publishes that the second half's tail of `key` holds `keep` records. Once per key without a
  /// set of the keys: a tail fills once (`LogSample.insertFillingTail`) and the key is its sample's.
  func publishTail(_ key: Key) {
    lock.lock()
    defer { lock.unlock() }
    tailKeys.append(key)
  }

  /// The full tails published from the `from`-th on.
  func publishedTails(from: Int) -> [Key] {
    lock.lock()
    defer { lock.unlock() }
    return from < tailKeys.count ? Array(tailKeys[from...]) : []
  }

  /// How many full tails are published (tests).
  package var tailCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return tailKeys.count
  }
}

extension Correlator {
  /// What a correlator taking one half of a file read in two does with `fills`: the first half
  /// publishes the heads it fills and drops its tails of the keys the second half publishes; the
  /// second publishes the tails it fills and drops its heads of the keys the first half publishes.
  struct HeadSharing {
    /// How many records a half takes between two reads of the keys the other publishes: the lock
    /// is taken once per so many records, and a head or tail published meanwhile holds at most
    /// `keep` records until then.
    static let sweepEvery = 1024
    let fills: HeadFills
    let publishes: Bool
    /// How many published keys the second half has dropped the heads of.
    var taken = 0
    var countdown = sweepEvery
    /// Set when the second half gave a record before `fills.bound`, which the way a file is cut
    /// rules out; the part is then not used (`headsHeld`), since a head it dropped may be needed.
    var outOfBounds = false
  }

  /// Makes this correlator the first half of a file read in two: it publishes to `fills` every
  /// head it fills with records before `fills.bound` (`HeadFills`) and drops the tails the second
  /// half fills; nil ends that, once the file is read (`endTailDrops`).
  package mutating func publishHeads(to fills: HeadFills?) {
    if let sharing = heads, sharing.publishes { endTailDrops() }
    heads = fills.map { HeadSharing(fills: $0, publishes: true) }
  }

  /// Makes this correlator the second half of a file read in two: it keeps no head of a key
  /// published to `fills`, publishes its full tails, and holds records at or after `fills.bound`
  /// only.
  package mutating func dropHeads(publishedIn fills: HeadFills) {
    heads = HeadSharing(fills: fills, publishes: false)
  }

  /// Drops the heads of every key published since the last sweep (the second half).
  package mutating func sweepHeads() {
    guard let sharing = heads, !sharing.publishes else { return }
    let keys = sharing.fills.published(from: sharing.taken)
    heads?.taken += keys.count
    heads?.countdown = HeadSharing.sweepEvery
    for key in keys { withSample(key.subject) { $0.dropHead(of: key.pattern) } }
  }

  /// Drops the tails of every key the second half published full since the last sweep, and of
  /// those published before that this correlator then held no record of (the first half).
  package mutating func sweepTails() {
    guard let sharing = heads, sharing.publishes else { return }
    heads?.countdown = HeadSharing.sweepEvery
    let fills = sharing.fills
    let fresh = fills.publishedTails(from: fills.tailsTaken)
    fills.tailsTaken += fresh.count
    guard !fresh.isEmpty || !fills.pendingTails.isEmpty else { return }
    let bound = fills.bound
    var pending: [HeadFills.Key] = []
    for key in fills.pendingTails + fresh {
      if withSampleIfHeld(key.subject, { $0.dropTail(of: key.pattern, before: bound) }) == true {
        fills.droppedTails.append(key)
      } else {
        pending.append(key)
      }
    }
    fills.pendingTails = pending
  }

  /// The end of the first half's reading (`publishHeads(to: nil)`). When the second half is used,
  /// the tails it filled since the last sweep are dropped before the merge. When it is not, this
  /// correlator has read the file on to its end: a dropped tail that holds `keep` records at or
  /// after the bound is the tail of every record the file gave (those dropped lie before the
  /// bound); any other is given the file's records before the bound again (`HeadFills.reread`),
  /// which makes it the largest `keep` of all. Either way the tails are then kept as any tail.
  mutating func endTailDrops() {
    guard let sharing = heads, sharing.publishes else { return }
    let fills = sharing.fills
    let bound = fills.bound
    if fills.partUsed { sweepTails() }
    let dropped = fills.droppedTails
    fills.droppedTails = []
    fills.pendingTails = []
    heads = nil
    if !fills.partUsed {
      let failed = dropped.filter { key in
        withSampleIfHeld(key.subject) { !$0.tailIsFull(of: key.pattern, from: bound) } ?? false
      }
      if !failed.isEmpty, let reread = fills.reread {
        let restore = Set(failed)
        reread { log in
          guard LogSample.isBefore(log.evidence.ref, bound), let subject = Self.subject(of: log),
            restore.contains(HeadFills.Key(subject: subject, pattern: log.patternID))
          else { return }
          _ = withSampleIfHeld(subject) { $0.restoreTail(log) }
        }
      }
    }
    for key in dropped { _ = withSampleIfHeld(key.subject) { $0.endTailDrop(of: key.pattern) } }
  }

  /// The bucket `add` puts `log` in, nil for a pasted block's line that names no pod.
  static func subject(of log: LogRecord) -> HeadFills.Subject? {
    guard let pod = log.pod else { return log.pastedAt == nil ? .node : nil }
    if let ns = log.namespace { return .pod(PodName(namespace: ns, name: pod)) }
    return .loose(pod)
  }

  /// False when the second half was given a record before its bound: it may have dropped a head
  /// the merge needs, and is not to be merged.
  package var headsHeld: Bool { !(heads?.outOfBounds ?? false) }

  /// `log` inserted into `subject`'s sample, by the first or the second half.
  mutating func insertSharing(_ log: LogRecord, _ subject: HeadFills.Subject) {
    guard let sharing = heads else { return }
    let fills = sharing.fills
    if sharing.publishes {
      if sharing.countdown <= 1 { sweepTails() } else { heads?.countdown = sharing.countdown - 1 }
      if withSample(subject, { $0.insert(log, filling: fills.bound) }) {
        fills.publish(HeadFills.Key(subject: subject, pattern: log.patternID))
      }
      return
    }
    let ref = log.evidence.ref
    if ref.line < fills.bound.line || ref.source != fills.bound.source { heads?.outOfBounds = true }
    if sharing.countdown <= 1 { sweepHeads() } else { heads?.countdown = sharing.countdown - 1 }
    if withSample(subject, { $0.insertFillingTail(log) }) {
      fills.publishTail(HeadFills.Key(subject: subject, pattern: log.patternID))
    }
  }

  private mutating func withSample<R>(_ subject: HeadFills.Subject, _ body: (inout LogSample) -> R) -> R {
    switch subject {
    case .pod(let name): return body(&podLogs[name, default: LogSample()])
    case .loose(let name): return body(&looseLogs[name, default: LogSample()])
    case .node: return body(&nodeLogs)
    }
  }

  /// `body` on `subject`'s sample when this correlator holds one, without making one.
  private mutating func withSampleIfHeld<R>(_ subject: HeadFills.Subject, _ body: (inout LogSample) -> R) -> R? {
    switch subject {
    case .pod(let name):
      guard podLogs[name] != nil else { return nil }
      return body(&podLogs[name, default: LogSample()])
    case .loose(let name):
      guard looseLogs[name] != nil else { return nil }
      return body(&looseLogs[name, default: LogSample()])
    case .node: return body(&nodeLogs)
    }
  }
}
