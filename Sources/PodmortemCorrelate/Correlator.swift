import Foundation
import PodmortemModel
import PodmortemText

/// Merges records from every source, one at a time, into the correlated state.
///
/// Records are merged as they are added, so memory grows with distinct pods, event identities
/// and event objects, not with the number of records (docs/architecture.md "What must hold"). Each merged
/// event keeps a bounded sample of its evidence (`EvidenceSample`: the first and last three
/// occurrences). Log records are kept as a sample per pod or node: the first and last
/// `LogSample.keep` records of each pattern (with counts) and of the unrecognised lines. A pod keeps
/// the first and last `snapshotsKept` snapshots. Kubelet "Event occurred" lines are also occurrences
/// of events, gathered per identity (`KubeletEventLog`).
///
/// The result depends only on the set of records added: the same records in any order, or some
/// of them twice, give the same state.
package struct Correlator: Sendable {
  /// A pod's namespace and name, before uids split recreated pods apart.
  struct PodName: Hashable, Comparable {
    var namespace: String
    var name: String

    /// `(a.namespace, a.name) < (b.namespace, b.name)`, unrolled as the tuples compare (the first
    /// field that differs by `==` decides by `<`) without building the tuples, which copied both
    /// names out per comparison (docs/architecture.md "Speed of the EventList path";
    /// `PodNameOrderTests` holds it to the tuples).
    static func < (a: PodName, b: PodName) -> Bool {
      if a.namespace != b.namespace { return a.namespace < b.namespace }
      return a.name < b.name
    }

    /// The name alone: equal pod names have equal names, which hash equal as `String` hashes as
    /// it compares, so the sets and tables of pod names keep and find what the synthesized hash of
    /// both fields did; no output depends on a hash value (the seed changes from run to run). The
    /// finish's set of known names hashed each event's namespace as well, nearly always the same
    /// few (docs/architecture.md "Speed of the EventList path"; `PodNameHashTests`).
    func hash(into hasher: inout Hasher) { hasher.combine(name) }
  }

  var book = EventBook()
  /// Pasted blocks whose object the input does not name (`ObjectRef.pastedAt`): each is a pod of
  /// its own unless a recognised message in it names the pod (`Successfully assigned ns/web-0 to
  /// node-1`, `… in pod web-0_ns(uid)`); the least such name wins, so the order does not matter.
  var pastedBlocks = Set<SourceRef>()
  var pastedNames: [SourceRef: PodName] = [:]
  /// Snapshots of pods the input does not name (`PodSnapshot.pastedAt`), by block.
  var pastedPods: [SourceRef: PodSnapshots] = [:]
  /// Kubelet "Event occurred" log lines, gathered per identity until `finish`.
  var kubeletEvents = KubeletEventLog()
  var addedOnly = AddedOnlyCheck()
  var pods: [PodName: PodSnapshots] = [:]
  /// Labels, limits, conditions and the like that repeat between snapshots, held once
  /// (`SharedPodValues`); a memo only, not part of the state (not merged, emptied by `finish`).
  var podValues = SharedPodValues()

  /// How many snapshots of one pod are kept from each end of its capture order. A pod captured
  /// a thousand times (a `describe` in a loop) then costs what 2 × 16 captures cost: memory follows
  /// distinct pods, not input size. The first captures hold when things began, the last ones the
  /// present; what only the middle ones said is lost, and only for such long series.
  package static let snapshotsKept = 16

  /// Drops the middle snapshot of pod `uid` once it has more than 2 × `snapshotsKept`. The choice
  /// follows `PodAssembly.captureOrder`, a total order, so the result is the same in any input order.
  static func trim(_ set: inout PodSnapshots, uid: String?) {
    set.trim(uid: uid, kept: snapshotsKept)
  }
  var podLogs: [PodName: LogSample] = [:]
  /// Logs naming a pod without a namespace, by pod name.
  var looseLogs: [String: LogSample] = [:]
  var nodeLogs = LogSample()
  /// Lines of pasted blocks that name no pod (`LogRecord.pastedAt`), by block.
  var pastedLogs: [SourceRef: LogSample] = [:]
  /// The first pod a source's log lines name, and whether they name another one too.
  var sourcePods: [String: (first: PodName, many: Bool)] = [:]
  /// The entry of `sourcePods` last written or read, with its source.
  var lastSourcePods: (source: String, first: PodName, many: Bool)?
  var nodes: [String: Set<NodeSnapshot>] = [:]
  var workloads = Set<WorkloadSnapshot>()
  var now: CaptureTime?
  /// Set while this correlator takes one half of a file read in two (`HeadFills`).
  var heads: HeadSharing?

  package init() {}

  /// Merges one record. It is borrowed, not taken: a log record is packed into its sample (read,
  /// not kept), so taking it made every caller copy its borrowed record first, a retain of each of
  /// its strings and a release after (docs/architecture.md "Speed of the kubelet-log path"); what
  /// is kept of another kind of record is copied where it is stored.
  package mutating func add(_ record: Record) {
    switch record {
    case .event(let event):
      if event.involved.isUnnamed, let block = event.involved.pastedAt,
        event.involved.kind.map({ $0.lowercased() == "pod" }) ?? true
      {
        pastedBlocks.insert(block)
        if let pod = event.capture("pod") ?? event.capture("podName"), !pod.isEmpty {
          let name = PodName(
            namespace: event.capture("namespace") ?? event.involved.namespace ?? PodAssembly.defaultNamespace, name: pod
          )
          pastedNames[block] = min(pastedNames[block] ?? name, name)
        }
      }
      let identity = EventIdentity(event)
      // The ADDED-only check first, so that the identity is handed to the book and moved into its
      // table (`EventBook.add`); neither reads the other, nor the pod a back-off event adds.
      addedOnly.add(event, identity: identity)
      book.add(event, identity: identity)
      if let pod = BackOffFacts.snapshot(from: event) { add(.pod(pod)) }
    case .pod(let record):
      // Its repeated values replaced by the copies already held, byte for byte the same: each
      // snapshot held its own to the end of the run (docs/architecture.md "Memory of the
      // EventList and describe paths").
      var pod = record
      podValues.share(&pod)
      if pod.name.isEmpty, let block = pod.pastedAt {
        // A pod the input does not name: its block is its identity (and its snapshots are kept
        // like a named pod's, the first and last `snapshotsKept`).
        if pastedPods[block, default: []].insert(pod) { Self.trim(&pastedPods[block, default: []], uid: nil) }
        if let t = pod.capturedAt { note(t) }
        return
      }
      let key = PodName(namespace: pod.namespace ?? PodAssembly.defaultNamespace, name: pod.name)
      if pods[key, default: []].insert(pod) { Self.trim(&pods[key, default: []], uid: pod.uid) }
      if let t = pod.capturedAt { note(t) }
    case .node(let node):
      nodes[node.name, default: []].insert(node)
    case .workload(let workload):
      workloads.insert(workload)
    case .log(let log):
      // An "Event occurred" line is an occurrence of an event for the history, and a log line too;
      // a back-off line is also a snapshot of the container it names (BackOffFacts).
      _ = kubeletEvents.add(log)
      if let pod = BackOffFacts.snapshot(from: log) { add(.pod(pod)) }
      if let block = log.pastedAt {
        // A line of a paste: it names the block's pod, or belongs to whichever pod the block is
        // about (decided in `finish`, once every line of the source is known).
        guard let pod = log.pod else {
          pastedLogs[block, default: LogSample()].insert(log)
          return
        }
        pastedBlocks.insert(block)
        let name = PodName(namespace: log.namespace ?? PodAssembly.defaultNamespace, name: pod)
        pastedNames[block] = min(pastedNames[block] ?? name, name)
      }
      guard let pod = log.pod else {
        if heads == nil { nodeLogs.insert(log) } else { insertSharing(log, .node) }
        return
      }
      noteSourcePod(source: log.evidence.ref.source, namespace: log.namespace, pod: pod)
      if let ns = log.namespace {
        let name = PodName(namespace: ns, name: pod)
        if heads == nil { podLogs[name, default: LogSample()].insert(log) } else { insertSharing(log, .pod(name)) }
      } else if heads == nil {
        looseLogs[pod, default: LogSample()].insert(log)
      } else {
        insertSharing(log, .loose(pod))
      }
    }
  }

  /// Records the pod a source's log line names in `sourcePods`. A log's lines come from one source
  /// after another, so the last source's entry is checked first, without hashing its name again;
  /// once a source names two pods nothing more is learnt from it.
  private mutating func noteSourcePod(source: String, namespace: String?, pod: String) {
    if let last = lastSourcePods, last.source == source {
      if last.many || (last.first.name == pod && last.first.namespace == (namespace ?? PodAssembly.defaultNamespace)) {
        return
      }
    }
    let named = PodName(namespace: namespace ?? PodAssembly.defaultNamespace, name: pod)
    if let seen = sourcePods[source] {
      if !seen.many, seen.first != named { sourcePods[source]?.many = true }
    } else {
      sourcePods[source] = (named, false)
    }
    if let seen = sourcePods[source] { lastSourcePods = (source, seen.first, seen.many) }
  }

  /// Tells the correlator a source's capture time, for sources whose records do not carry it
  /// (event lists, logs); `now` is the latest of them.
  package mutating func note(_ capture: CaptureTime) {
    guard let current = now else {
      now = capture
      return
    }
    if (capture.date, capture.origin.rawValue) > (current.date, current.origin.rawValue) { now = capture }
  }

  /// The correlated state of everything added so far; the correlator is unchanged, so more can be
  /// added and the state built again (a follow session).
  package func finish() -> CorrelatedState {
    var copy = self
    return copy.finishReleasing()
  }

  /// `finish()` for a correlator that is not used again (a run's last diagnosis): the event book is
  /// handed over and emptied as it is merged, and each log sample is freed as soon as its records
  /// are in their pod's history, so the state is not held beside every observation it came from
  /// (the run's peak, docs/architecture.md "What must hold"). The correlator is left empty of both.
  /// Without `timelines` every pod's timeline is left empty: a report that prints none (JSON,
  /// JUnit, SARIF, `podmortem events`) does not hold them (docs/architecture.md "What must hold").
  package mutating func finishReleasing(timelines: Bool = true) -> CorrelatedState {
    var book = EventBook()
    swap(&book, &self.book)
    podValues = SharedPodValues()
    kubeletEvents.drainEvents { event, identity in book.add(event, identity: identity) }
    let events = book.drainMerged(now: now?.date)
    // A pasted pod the input does not name (a `status:` block below a kubelet excerpt), in a source
    // whose log lines name one pod and no other: that pod, as the block's nameless lines would be.
    for block in pastedPods.keys.sorted() where pastedNames[block] == nil {
      guard let seen = sourcePods[block.source], !seen.many, let snapshots = pastedPods.removeValue(forKey: block)
      else { continue }
      for var snapshot in snapshots {
        snapshot.name = seen.first.name
        snapshot.namespace = seen.first.namespace
        snapshot.pastedAt = nil
        pods[seen.first, default: []].insert(snapshot)
      }
    }
    // The histories as they are found, captured pods built and the others as their keys, put in
    // key order and built there once (`HistoryList`).
    var list = HistoryList()
    // Each name's snapshots are taken out as its pods are built: held in `pods` to the end, they
    // were a copy of every snapshot array beside the histories' (docs/architecture.md "Memory of
    // the EventList and describe paths").
    for name in pods.keys.sorted() {
      guard let snapshots = pods.removeValue(forKey: name) else { continue }
      for (key, sorted) in Self.pods(namespace: name.namespace, name: name.name, snapshots) {
        list.append(PodHistory(key: key, snapshots: sorted, latest: PodAssembly.latest(sorted, key: key)))
      }
    }
    // Pods known only from their events (`get events` alone) or their logs still get a history.
    // Grown from the captured pods alone: made with room for every event's pod as well, it saved
    // the rehashing at each doubling (7M instructions of the 8 MiB EventList) but raised the
    // 128 MB list's peak RSS by 7 MB (docs/architecture.md "Memory of the EventList and describe
    // paths"). Found by the names' bytes while they are ASCII (`KnownPodNames`).
    var known = KnownPodNames(list.keys.lazy.map { PodName(namespace: $0.namespace, name: $0.name) })
    for e in events where e.involvedKindIsPod == true {
      let name = PodName(namespace: e.involved.namespace ?? PodAssembly.defaultNamespace, name: e.involved.name)
      if known.insert(name) { list.appendBare(name, uid: e.involved.uid) }
    }
    for (block, snapshots) in pastedPods.sorted(by: { $0.key < $1.key }) {
      let key = PodKey(pastedAt: block)
      let sorted = snapshots.sorted(by: PodAssembly.captureOrder)
      list.append(PodHistory(key: key, snapshots: sorted, latest: PodAssembly.latest(sorted, key: key)))
    }
    let pastedPodBlocks = Set(pastedPods.keys)
    for block in pastedBlocks.sorted() where !pastedPodBlocks.contains(block) || pastedNames[block] != nil {
      if let name = pastedNames[block] {
        if known.insert(name) { list.appendBare(name, uid: nil) }
      } else {
        list.append(PodHistory(key: PodKey(pastedAt: block), snapshots: [], latest: PodSnapshot(name: "")))
      }
    }
    for name in podLogs.keys.sorted() where known.insert(name) { list.appendBare(name, uid: nil) }
    // A pasted block's lines that name no pod: the pod the block's lines name when they name one,
    // the block's own unnamed pod when the source names none, the node's logs when it names several.
    var nodeLogs = self.nodeLogs
    var pastedLogTargets: [SourceRef: PodName] = [:]
    for block in pastedLogs.keys.sorted() {
      let seen = sourcePods[block.source]
      if let name = pastedNames[block] ?? (seen?.many == false ? seen?.first : nil) {
        pastedLogTargets[block] = name
        if known.insert(name) { list.appendBare(name, uid: nil) }
      } else if seen == nil {
        if !list.keys.contains(where: { $0.pastedAt == block }) {
          list.append(PodHistory(key: PodKey(pastedAt: block), snapshots: [], latest: PodSnapshot(name: "")))
        }
      } else {
        for record in pastedLogs[block]?.records ?? [] { nodeLogs.insert(record) }
      }
    }
    for pod in looseLogs.keys.sorted() where !known.contains(where: { $0.name == pod }) {
      let name = PodName(namespace: PodAssembly.defaultNamespace, name: pod)
      known.insert(name)
      list.appendBare(name, uid: nil)
    }
    // Freed before the histories are put in order, when the old array and the new one are both
    // held (docs/architecture.md "Memory of the EventList and describe paths").
    known.removeAll()
    // The keys are sorted and each history built or moved once into its place in an array of
    // exactly their count (`HistoryList.ordered`): no history is copied, and no third array of
    // histories is held (docs/architecture.md "Speed of the EventList path").
    var histories = list.ordered()
    // The pods' positions by name, built once for the events and the logs: attaching events
    // changes no key (docs/architecture.md "Speed of the EventList path").
    let byName = PodPositions(histories)
    attach(events, to: &histories, byName: byName)
    attachLogs(to: &histories, byName: byName, pastedLogTargets: pastedLogTargets)
    for i in histories.indices where timelines {
      let h = histories[i]
      histories[i].timeline = Timeline.build(
        snapshots: h.snapshots, latest: h.latest, events: h.events, logs: h.logs)
    }
    return CorrelatedState(
      pods: histories, nodes: nodes.mapValues(Self.mergeNode), workloads: workloads.sorted(by: Self.workloadOrder),
      events: events,
      nodeLogs: nodeLogs.records, caveats: addedOnly.caveats, now: now)
  }

  /// The pods' histories as `finishReleasing` finds them, and then in key order. A history built
  /// (a captured or pasted pod) is kept as it is; a pod known only by name (from its events or its
  /// logs, nearly every pod of an EventList) is kept as its key. `ordered()` sorts the keys and
  /// builds each history in its place in an array of exactly their count: a captured one moved
  /// there, a bare one built there (`PodHistory.init(bare:namespace:)`). The finish built each bare
  /// history aside and copied it into the array (`bare`), sorted the histories' positions and
  /// copied each into a new array (`order.map`), then released the old array and every history in
  /// it: on the 8 MiB EventList 12,466 copies of 584 bytes and their releases (docs/architecture.md
  /// "Speed of the EventList path"). The order is the sort's over the same keys in the same
  /// positions, so it is the one the histories' sort gave (`HistoryListTests` holds it to the
  /// histories appended, sorted by `PodHistory.keyPrecedes` and taken by `order.map`).
  struct HistoryList {
    /// Every history's key, in the order found.
    private(set) var keys: [PodKey] = []
    /// For each key, its history's position in `built`, or -1 for a pod known only by name.
    private var builtAt: [Int] = []
    /// The histories built, each taken out (left nil) as it is moved into place.
    private var built: [PodHistory?] = []

    /// Takes `history` as it is given (`consuming`): borrowed, it was copied into `built`, every
    /// array and string of it retained, 2.2M instructions for 1,000 describes' pods
    /// (docs/architecture.md "Speed of the EventList path").
    mutating func append(_ history: consuming PodHistory) {
      keys.append(history.key)
      builtAt.append(built.count)
      built.append(history)
    }

    /// A pod known only by name: its history is `Correlator.bare(name, uid:)`, built in place.
    mutating func appendBare(_ name: PodName, uid: String?) {
      keys.append(PodKey(namespace: name.namespace, name: name.name, uid: uid))
      builtAt.append(-1)
    }

    /// The histories in key order (`PodKey.precedes` on the keys, the sort of their positions).
    consuming func ordered() -> [PodHistory] {
      let order = keys.withUnsafeBufferPointer { buffer -> [Int] in
        guard let base = buffer.baseAddress else { return [] }
        return buffer.indices.sorted { a, b in PodKey.precedes(base + a, base + b) }
      }
      var built = self.built
      self.built = []
      let builtAt = self.builtAt
      let keys = self.keys
      // A bare pod's place takes a copy of one bare history and is given its key there
      // (`PodHistory.makeBare`): each history built aside (`PodHistory(bare:namespace:)`) was
      // copied into its place and then destroyed: about 3,200 instructions a bare pod of the 8 MiB
      // EventList's 6,233, 1,700 now (docs/architecture.md "Speed of the EventList path").
      let blank = PodHistory(bare: PodKey(namespace: "", name: ""), namespace: "")
      return [PodHistory](unsafeUninitializedCapacity: order.count) { buffer, count in
        guard let base = buffer.baseAddress else { return }
        for (k, i) in order.enumerated() {
          let at = builtAt[i]
          if at >= 0, let history = built[at].take() {
            (base + k).initialize(to: history)
          } else {
            (base + k).initialize(to: blank)
            (base + k).pointee.makeBare(keys[i], namespace: keys[i].namespace)
          }
          count = k + 1
        }
      }
    }
  }

  /// The pods of one namespace/name and each one's snapshots in capture order: what
  /// `PodAssembly.split` and `sorted(by: PodAssembly.captureOrder)` give, in any order of pods.
  ///
  /// Most often the split gives one pod (no two uids among the snapshots) and the snapshots were
  /// inserted in capture order (a source is read top down): each one then comes before the next
  /// (`captureOrder`, a strict order on them, so sorting would give them as they are), and the
  /// snapshots are the pod's as they lie, without the split's copy and the sort's. They are
  /// copied once, to an array of their count, only when the insertions left room in theirs (a
  /// snapshot is hundreds of bytes, so an array of exactly its count has no room to spare).
  /// `PodGroupsTests` holds it to the split and the sort.
  static func pods(namespace: String, name: String, _ snapshots: PodSnapshots) -> [(PodKey, [PodSnapshot])] {
    let list = snapshots.inserted
    var uid: String? = nil
    var oneUID = true
    // The first uid, as the split's table keeps the first of keys equal by `==`.
    for s in list {
      guard let u = s.uid, !u.isEmpty else { continue }
      guard let known = uid else {
        uid = u
        continue
      }
      if known != u {
        oneUID = false
        break
      }
    }
    let inOrder =
      oneUID && list.indices.dropFirst().allSatisfy { PodAssembly.captureOrder(list[$0 - 1], list[$0]) }
    guard inOrder else {
      return PodAssembly.split(namespace: namespace, name: name, list).map {
        ($0.key, $0.value.sorted(by: PodAssembly.captureOrder))
      }
    }
    let key = PodKey(namespace: namespace, name: name, uid: uid)
    if list.capacity > list.count { return [(key, list.withUnsafeBufferPointer { Array($0) })] }
    return [(key, list)]
  }

  /// Each name's pods' positions, in index order, as `Dictionary(grouping:by:)` gives them, in a
  /// table with room for every pod from the start: grown as it went, it rehashed every name at each
  /// doubling (docs/architecture.md "Speed of the EventList path"; `PositionsByNameTests` keeps
  /// the grouping as the reference).
  static func positionsByName(_ histories: [PodHistory]) -> [String: [Int]] {
    var byName = [String: [Int]](minimumCapacity: histories.count)
    for i in histories.indices { byName[histories[i].key.name, default: []].append(i) }
    return byName
  }

  /// Each name's pods' positions, in index order, as `positionsByName` gives them: the first
  /// position of each name, and for each position the next one of the same name (-1: none).
  /// `positionsByName` made an array for every name, one allocation a pod (an EventList's pods
  /// each have a name of their own), and `attach` retained and released it for every event: on
  /// the 8 MiB EventList 5.7M instructions to build (docs/architecture.md "Speed of the EventList
  /// path"; `PodPositionsTests` holds it to `positionsByName`).
  ///
  /// While every pod's name is ASCII, the first positions are found by the names' bytes
  /// (`MixedSlots`, each position's name kept): there `String`'s `==` is the bytes' equality. The
  /// dictionary hashed each name with SipHash, to build it and again for every event's look-up
  /// (5.5M instructions of the 8 MiB EventList's finish, callgrind). A name asked that is not
  /// ASCII may still equal an ASCII one (a Kelvin sign is `==` to `K`): it is asked of the
  /// dictionary, built once at the first such question (`PodPositionsTests`).
  struct PodPositions {
    /// Each position's name, while every name is ASCII; empty otherwise.
    private var names: [String] = []
    private var slots = MixedSlots()
    /// The first position of each name, when some name is not ASCII (built at once) or a name
    /// asked is not (built then).
    private let firsts: Firsts
    private var next: [Int]

    /// The dictionary of first positions, built at most once.
    private final class Firsts {
      var table: [String: Int]?
      init(_ table: [String: Int]?) { self.table = table }
    }

    init(_ histories: [PodHistory]) {
      var next = [Int](repeating: -1, count: histories.count)
      let names = histories.map { $0.key.name }
      if names.count < Int(UInt32.max) - 1, names.allSatisfy({ ASCIISearch.isContiguousASCII($0) }),
        let slots = Self.slots(names, next: &next)
      {
        self.names = names
        self.slots = slots
        firsts = Firsts(nil)
      } else {
        var table = [String: Int](minimumCapacity: histories.count)
        for i in histories.indices.reversed() {
          if let later = table.updateValue(i, forKey: histories[i].key.name) { next[i] = later }
        }
        firsts = Firsts(table)
      }
      self.next = next
    }

    /// The slots of the names' first positions, each position's next of its name in `next`; nil
    /// when the slots are `crowded` (`MixedSlots`: names made to mix alike), and then `next` is
    /// filled again by the dictionary.
    private static func slots(_ names: [String], next: inout [Int]) -> MixedSlots? {
      var slots = MixedSlots()
      // From the last position down: the one held for a name is then the next of its name.
      let placed = names.withUnsafeBufferPointer { names -> Bool in
        for i in names.indices.reversed() {
          let mix = UTF8Bytes.mixed(names[i])
          switch slots.look(mix, { names[$0] == names[i] }) {
          case .held(let slot, let later):
            next[i] = later
            slots.replace(slot: slot, position: i)
          case .absent:
            slots.insert(mix, position: i)
            if slots.crowded { return false }
          case .crowded:
            return false
          }
        }
        return true
      }
      guard placed else {
        for i in next.indices { next[i] = -1 }
        return nil
      }
      return slots
    }

    /// The first position of a pod named `name`, if any: from the dictionary when the name is not
    /// ASCII or its look in the slots was `crowded`.
    func first(_ name: String) -> Int? {
      if let table = firsts.table { return table[name] }
      if ASCIISearch.isContiguousASCII(name) {
        let look = names.withUnsafeBufferPointer { names in
          slots.look(UTF8Bytes.mixed(name)) { names[$0] == name }
        }
        switch look {
        case .held(_, let position): return position
        case .absent: return nil
        case .crowded: break
        }
      }
      // The first positions as the dictionary holds them: from the last position down, each name's
      // first one last.
      var table = [String: Int](minimumCapacity: names.count)
      for i in names.indices.reversed() { table[names[i]] = i }
      firsts.table = table
      return table[name]
    }

    /// Whether no pod after position `i` has its name.
    func isOnly(_ i: Int) -> Bool { next[i] < 0 }

    /// The positions from `i` on of the pods of its name, ascending.
    func positions(from i: Int) -> [Int] {
      var out = [i]
      var at = i
      while next[at] >= 0 {
        at = next[at]
        out.append(at)
      }
      return out
    }

    /// The positions of the pods named `name`, ascending (`positionsByName(_:)[name] ?? []`).
    func positions(_ name: String) -> [Int] { first(name).map(positions(from:)) ?? [] }
  }

  /// The history of a pod known only by name (from its events or its logs): no snapshots, and
  /// as its merged view a snapshot of every default with the name, namespace and uid
  /// (`PodHistory.init(bare:namespace:)`, which copies one such snapshot built once: building the
  /// defaults and copying the snapshot into the history cost about 3,200 instructions a pod, and
  /// an EventList's pods are nearly all known only from their events; docs/architecture.md
  /// "Speed of the EventList path"; `BareHistoryTests` keeps the building as the reference).
  static func bare(_ name: PodName, uid: String?) -> PodHistory {
    PodHistory(bare: PodKey(namespace: name.namespace, name: name.name, uid: uid), namespace: name.namespace)
  }

  /// Gives each pod its own events: kind Pod (or unknown), same name, same namespace (or unknown),
  /// same uid when both know it; among pods sharing a name, the one alive when the event began.
  private func attach(_ events: [MergedEvent], to histories: inout [PodHistory], byName: PodPositions) {
    // The pods' lifetimes, read only to choose among pods of one name: computed at the first such
    // choice (an EventList's pods each have their own name).
    var lifetimes: [TimeRange?]? = nil
    for e in events {
      guard e.involvedKindIsPod ?? true else { continue }
      // Read out once: each `e.involved` copies the whole reference, every string retained.
      let involved = e.involved
      if involved.isUnnamed, let block = involved.pastedAt {
        // The pod a message of its block named, else the block's own unnamed pod.
        let target: Int?
        if let name = pastedNames[block] {
          target = histories.indices.first {
            histories[$0].key.name == name.name && histories[$0].key.namespace == name.namespace
          }
        } else {
          target = histories.indices.first { histories[$0].key.pastedAt == block }
        }
        if let target { histories[target].events.append(e) }
        continue
      }
      guard !involved.name.isEmpty, let head = byName.first(involved.name) else { continue }
      // One pod of that name (nearly always): the steps below keep it when its namespace fits and
      // its uid is the event's or unknown, and pick it as the only candidate; no arrays built.
      if byName.isOnly(head) {
        let i = head
        guard involved.namespace.map({ $0 == histories[i].key.namespace }) ?? true else { continue }
        if let uid = involved.uid, let known = histories[i].key.uid, known != uid { continue }
        histories[i].events.append(e)
        continue
      }
      var candidates = byName.positions(from: head).filter { i in
        involved.namespace.map { $0 == histories[i].key.namespace } ?? true
      }
      if let uid = involved.uid {
        let exact = candidates.filter { histories[$0].key.uid == uid }
        candidates = exact.isEmpty ? candidates.filter { histories[$0].key.uid == nil } : exact
      }
      guard !candidates.isEmpty else { continue }
      let at = (e.firstSeen ?? e.lastSeen)?.latest
      let lives = lifetimes ?? histories.map { PodAssembly.lifetime($0.snapshots) }
      lifetimes = lives
      let i = candidates[PodAssembly.pick(born: nil, at: at, lives: candidates.map { lives[$0] })]
      histories[i].events.append(e)
    }
  }

  private mutating func attachLogs(
    to histories: inout [PodHistory], byName: PodPositions, pastedLogTargets: [SourceRef: PodName]
  ) {
    // No log of any pod (an EventList, describes): no pod's logs change, and none needs sorting.
    if podLogs.isEmpty && looseLogs.isEmpty && pastedLogs.isEmpty { return }
    let lives = histories.map { PodAssembly.lifetime($0.snapshots) }
    // The kept records stay packed (`PodLogs`): their buffers move from the samples to the pods,
    // and a string is built only when a rule or a report reads it (docs/architecture.md "Memory
    // of the kubelet-log run").
    func place(_ records: [PackedLog], _ candidates: [Int]) {
      guard !candidates.isEmpty else { return }
      if candidates.count == 1 {
        // One pod of that name (the usual case): its logs grow by exactly these, not by doubling.
        let i = candidates[0]
        if histories[i].logs.isEmpty {
          // Its first: the sample's array itself, reserved at its count (`packedRecords`), where
          // every record was copied into an array of that size and the sample's freed (a copy and
          // a destroy of each record, by their value witnesses; docs/architecture.md "Speed of the
          // kubelet-log path").
          histories[i].logs = PodLogs(packed: records)
          return
        }
        histories[i].logs.reserveCapacity(histories[i].logs.count + records.count)
        histories[i].logs.append(contentsOf: records)
        return
      }
      for r in records {
        let i = candidates[PodAssembly.pick(born: nil, at: r.time?.latest, lives: candidates.map { lives[$0] })]
        histories[i].logs.append(r)
      }
    }
    // Each sample is taken out before its records are placed: it is freed as its pod's logs grow.
    // Records land in any order here; each pod's logs are sorted below.
    for name in Array(podLogs.keys) {
      guard let sample = podLogs.removeValue(forKey: name) else { continue }
      place(
        sample.packedRecords(),
        byName.positions(name.name).filter { histories[$0].key.namespace == name.namespace })
    }
    for pod in Array(looseLogs.keys) {
      guard let sample = looseLogs.removeValue(forKey: pod) else { continue }
      place(sample.packedRecords(), byName.positions(pod))
    }
    for block in Array(pastedLogs.keys) {
      guard let sample = pastedLogs.removeValue(forKey: block) else { continue }
      // The pod `finish` chose for the block, else the block's own unnamed pod (none: node logs).
      let target =
        pastedLogTargets[block].flatMap { name in
          histories.indices.first {
            histories[$0].key.name == name.name && histories[$0].key.namespace == name.namespace
          }
        } ?? histories.indices.first { histories[$0].key.pastedAt == block }
      if let target { histories[target].logs.append(contentsOf: sample.packedRecords()) }
    }
    for i in histories.indices { histories[i].logs.sortBySource() }
  }

  /// The snapshots of one node merged in source order, later ones winning field by field; taints
  /// are the union.
  private static func mergeNode(_ snapshots: Set<NodeSnapshot>) -> NodeSnapshot {
    let none = SourceRef(source: "", line: 0)
    let sorted = snapshots.sorted {
      ($0.evidence.first?.ref ?? none, String(describing: $0)) < (
        $1.evidence.first?.ref ?? none, String(describing: $1)
      )
    }
    var m = sorted.first ?? NodeSnapshot(name: "")
    for newer in sorted.dropFirst() {
      m.uid = newer.uid ?? m.uid
      if !newer.conditions.isEmpty { m.conditions = newer.conditions }
      m.taints = Array(Set(m.taints + newer.taints)).sorted()
      m.unschedulable = newer.unschedulable ?? m.unschedulable
      m.displayStatus = newer.displayStatus ?? m.displayStatus
      m.evidence = Array(Set(m.evidence + newer.evidence)).sorted { ($0.ref, $0.text) < ($1.ref, $1.text) }
    }
    return m
  }

  private static func workloadOrder(_ a: WorkloadSnapshot, _ b: WorkloadSnapshot) -> Bool {
    let ka = [a.namespace ?? "", a.kind, a.name]
    let kb = [b.namespace ?? "", b.kind, b.name]
    if ka != kb { return ka.lexicographicallyPrecedes(kb) }
    return String(describing: a) < String(describing: b)
  }
}
