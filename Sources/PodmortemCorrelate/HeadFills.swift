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
  // `keys` and `known` are read and written under `lock` only.
  private let lock = NSLock()
  private var keys: [Key] = []
  private var known = Set<Key>()

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
}

extension Correlator {
  /// What a correlator taking one half of a file read in two does with `fills`: the first half
  /// publishes the heads it fills, the second drops its heads of the published keys.
  struct HeadSharing {
    /// How many records the second half takes between two reads of the published keys: the lock
    /// is taken once per so many records, and a head published meanwhile holds at most `keep`
    /// records until then.
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
  /// head it fills with records before `fills.bound` (`HeadFills`); nil stops it.
  package mutating func publishHeads(to fills: HeadFills?) {
    heads = fills.map { HeadSharing(fills: $0, publishes: true) }
  }

  /// Makes this correlator the second half of a file read in two: it keeps no head of a key
  /// published to `fills`, and holds records at or after `fills.bound` only.
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

  /// False when the second half was given a record before its bound: it may have dropped a head
  /// the merge needs, and is not to be merged.
  package var headsHeld: Bool { !(heads?.outOfBounds ?? false) }

  /// `log` inserted into `subject`'s sample, by the first or the second half.
  mutating func insertSharing(_ log: LogRecord, _ subject: HeadFills.Subject) {
    guard let sharing = heads else { return }
    let fills = sharing.fills
    if sharing.publishes {
      if withSample(subject, { $0.insert(log, filling: fills.bound) }) {
        fills.publish(HeadFills.Key(subject: subject, pattern: log.patternID))
      }
      return
    }
    let ref = log.evidence.ref
    if ref.line < fills.bound.line || ref.source != fills.bound.source { heads?.outOfBounds = true }
    if sharing.countdown <= 1 { sweepHeads() } else { heads?.countdown = sharing.countdown - 1 }
    withSample(subject) { $0.insert(log) }
  }

  private mutating func withSample<R>(_ subject: HeadFills.Subject, _ body: (inout LogSample) -> R) -> R {
    switch subject {
    case .pod(let name): return body(&podLogs[name, default: LogSample()])
    case .loose(let name): return body(&looseLogs[name, default: LogSample()])
    case .node: return body(&nodeLogs)
    }
  }
}
