import Foundation
import PodmortemModel

/// Identifies one pod across sources: namespace and name, plus the uid when any source knew it,
/// so a recreated pod with the same name stays a different pod.
package struct PodKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  package var namespace: String
  package var name: String
  package var uid: String?
  /// For a pod the input shows but does not name (an Events table pasted alone): the line where
  /// its pasted block begins. `name` and `namespace` are then empty.
  package var pastedAt: SourceRef?

  package init(namespace: String, name: String, uid: String? = nil) {
    self.namespace = namespace
    self.name = name
    self.uid = uid
  }

  /// The unnamed pod of the block pasted at `ref`.
  package init(pastedAt ref: SourceRef) {
    self.init(namespace: "", name: "")
    pastedAt = ref
  }

  /// True for the unnamed pod of a pasted block.
  package var isUnnamed: Bool { name.isEmpty && pastedAt != nil }

  package var description: String {
    if isUnnamed, let pastedAt { return "the pasted pod (name not shown) at \(pastedAt)" }
    return "\(namespace)/\(name)"
  }

  /// The pod's name where a command needs one: `<pod>` when the input did not show it.
  package var commandName: String { isUnnamed ? "<pod>" : name }

  package static func < (lhs: PodKey, rhs: PodKey) -> Bool {
    let l = lhs.pastedAt ?? SourceRef(source: "", line: 0)
    let r = rhs.pastedAt ?? SourceRef(source: "", line: 0)
    return (lhs.namespace, lhs.name, lhs.uid ?? "") < (rhs.namespace, rhs.name, rhs.uid ?? "")
      || ((lhs.namespace, lhs.name, lhs.uid ?? "") == (rhs.namespace, rhs.name, rhs.uid ?? "") && l < r)
  }
}

extension PodHistory {
  /// `<` on the keys of two histories, read in place: the tuples' comparison unrolled (the first
  /// field that differs by `==` decides by `<`, then the pasted-at lines, a missing one as
  /// `SourceRef(source: "", line: 0)`), without copying a key or building a tuple. `finish` sorts
  /// every pod with it (`PodKeyOrderTests` holds it to `PodKey.<`).
  package static func keyPrecedes(_ a: UnsafePointer<PodHistory>, _ b: UnsafePointer<PodHistory>) -> Bool {
    if a.pointee.key.namespace != b.pointee.key.namespace { return a.pointee.key.namespace < b.pointee.key.namespace }
    if a.pointee.key.name != b.pointee.key.name { return a.pointee.key.name < b.pointee.key.name }
    let (ua, ub) = (a.pointee.key.uid ?? "", b.pointee.key.uid ?? "")
    if ua != ub { return ua < ub }
    if a.pointee.key.pastedAt == nil && b.pointee.key.pastedAt == nil { return false }
    return (a.pointee.key.pastedAt ?? SourceRef(source: "", line: 0))
      < (b.pointee.key.pastedAt ?? SourceRef(source: "", line: 0))
  }
}

extension PodKey {
  /// `<` on two keys read in place, as `PodHistory.keyPrecedes` compares two histories' keys: the
  /// finish sorts the pods' keys before it builds their histories (`Correlator.HistoryList`), so
  /// the keys are compared without the histories (`PodKeyOrderTests` holds it to `PodKey.<`).
  static func precedes(_ a: UnsafePointer<PodKey>, _ b: UnsafePointer<PodKey>) -> Bool {
    if a.pointee.namespace != b.pointee.namespace { return a.pointee.namespace < b.pointee.namespace }
    if a.pointee.name != b.pointee.name { return a.pointee.name < b.pointee.name }
    let (ua, ub) = (a.pointee.uid ?? "", b.pointee.uid ?? "")
    if ua != ub { return ua < ub }
    if a.pointee.pastedAt == nil && b.pointee.pastedAt == nil { return false }
    return (a.pointee.pastedAt ?? SourceRef(source: "", line: 0))
      < (b.pointee.pastedAt ?? SourceRef(source: "", line: 0))
  }
}

/// One event after merging every source that saw it (docs/kubernetes.md §1.6, §4, §5).
///
/// Its fields are held once, in storage shared by every copy and copied on the first write to a
/// shared one: a pod's `events` and `CorrelatedState.events` hold the same event, not two copies
/// of it (docs/architecture.md "What must hold", Streaming). Equality, hashing and coding are
/// those of the fields.
package struct MergedEvent: Hashable, Sendable, Codable {
  /// The fields as one value: what `MergedEvent` compares, hashes and codes.
  private struct Fields: Hashable, Sendable, Codable {
    var involved: ObjectRef
    var type: EventType
    var reason: String
    var message: String
    var template: String?
    var exemplars: [String]
    var sourceComponent: String?
    var sourceHost: String?
    var count: Int
    var firstSeen: TimeRange?
    var lastSeen: TimeRange?
    var objects: Int
    var caveats: [String]
    var evidence: [Evidence]
    var patternID: String?
    var captures: [KeyValue] = []
  }

  /// Written only through `fields`, which copies it first when another event shares it.
  ///
  /// The runtime's exclusivity check is left out of `fields` (`@exclusivity(unchecked)`): every
  /// getter below, and every read of `storage.fields` here, paid a `swift_beginAccess` call (85
  /// instructions), 25.9M instructions of the 8 MiB EventList's run and 23.5M of 1,000 describes',
  /// in Correlate's finish, diagnosis and the report (docs/architecture.md "Speed of the EventList
  /// path"). No access to it overlaps a write: a write goes through `fields`' `_modify`, which
  /// first makes the storage this event's alone (`isKnownUniquelyReferenced`), so no other value,
  /// and no other thread, reads the storage it writes; and nothing here reads an event's own
  /// fields while yielding them for a write. The static (compile-time) checks still hold for
  /// every access.
  private final class Storage: @unchecked Sendable {
    @exclusivity(unchecked) var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  private var storage: Storage

  private var fields: Fields {
    get { storage.fields }
    _modify {
      if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
      yield &storage.fields
    }
  }

  package var involved: ObjectRef {
    get { storage.fields.involved }
    _modify { yield &fields.involved }
  }
  package var type: EventType {
    get { storage.fields.type }
    _modify { yield &fields.type }
  }
  package var reason: String {
    get { storage.fields.reason }
    _modify { yield &fields.reason }
  }
  /// The message of the latest occurrence (for events.k8s.io series: the first occurrence's note).
  package var message: String {
    get { storage.fields.message }
    _modify { yield &fields.message }
  }
  /// The message with variable parts (IPs, ports, hashes, durations) replaced, when several
  /// merged events share it; nil when the event stands alone.
  package var template: String? {
    get { storage.fields.template }
    _modify { yield &fields.template }
  }
  /// Up to a few distinct messages this template stands for.
  package var exemplars: [String] {
    get { storage.fields.exemplars }
    _modify { yield &fields.exemplars }
  }
  package var sourceComponent: String? {
    get { storage.fields.sourceComponent }
    _modify { yield &fields.sourceComponent }
  }
  package var sourceHost: String? {
    get { storage.fields.sourceHost }
    _modify { yield &fields.sourceHost }
  }
  /// The best count every source allows: the latest of one object, summed across objects.
  package var count: Int {
    get { storage.fields.count }
    _modify { yield &fields.count }
  }
  package var firstSeen: TimeRange? {
    get { storage.fields.firstSeen }
    _modify { yield &fields.firstSeen }
  }
  package var lastSeen: TimeRange? {
    get { storage.fields.lastSeen }
    _modify { yield &fields.lastSeen }
  }
  /// How many distinct event objects (kubelet restarts, TTL re-creation) were merged.
  package var objects: Int {
    get { storage.fields.objects }
    _modify { yield &fields.objects }
  }
  /// Caveats a reader must know (`series count may lag up to 30 minutes`).
  package var caveats: [String] {
    get { storage.fields.caveats }
    _modify { yield &fields.caveats }
  }
  package var evidence: [Evidence] {
    get { storage.fields.evidence }
    _modify { yield &fields.evidence }
  }
  /// The event pattern the message matched in Ingest (patterns/event-messages.json): rules ask for
  /// it instead of reading the message, and read what it captured (and what its details classified).
  package var patternID: String? {
    get { storage.fields.patternID }
    _modify { yield &fields.patternID }
  }
  package var captures: [KeyValue] {
    get { storage.fields.captures }
    _modify { yield &fields.captures }
  }

  /// The value the event's pattern captured as `key`.
  package func capture(_ key: String) -> String? { storage.fields.captures.first { $0.key == key }?.value }

  package init(
    involved: ObjectRef, type: EventType, reason: String, message: String, template: String? = nil,
    exemplars: [String] = [], sourceComponent: String? = nil, sourceHost: String? = nil, count: Int,
    firstSeen: TimeRange? = nil, lastSeen: TimeRange? = nil, objects: Int = 1, caveats: [String] = [],
    evidence: [Evidence] = []
  ) {
    storage = Storage(
      Fields(
        involved: involved, type: type, reason: reason, message: message, template: template, exemplars: exemplars,
        sourceComponent: sourceComponent, sourceHost: sourceHost, count: count, firstSeen: firstSeen,
        lastSeen: lastSeen, objects: objects, caveats: caveats, evidence: evidence))
  }

  /// Whether `test` holds for every string of the event but its pattern's id and captures: the
  /// involved object's kind, namespace, name, uid, field path and pasted-at source, an unknown
  /// type's text, reason, message, template, exemplars, source component and host, caveats, and
  /// each evidence line's source and text. Stops at the first string it fails. The strings are
  /// read where they lie: the getters copy a whole object reference or evidence array first, every
  /// string in it retained (the output filter asks this of every event, docs/architecture.md
  /// "Speed of the EventList path").
  package func allStrings(_ test: (String) -> Bool) -> Bool {
    guard storage.fields.involved.kind.map(test) ?? true, storage.fields.involved.namespace.map(test) ?? true,
      test(storage.fields.involved.name), storage.fields.involved.uid.map(test) ?? true,
      storage.fields.involved.fieldPath.map(test) ?? true,
      storage.fields.involved.pastedAt.map({ test($0.source) }) ?? true
    else { return false }
    if case .other(let text) = storage.fields.type, !test(text) { return false }
    guard test(storage.fields.reason), test(storage.fields.message), storage.fields.template.map(test) ?? true,
      storage.fields.sourceComponent.map(test) ?? true, storage.fields.sourceHost.map(test) ?? true
    else { return false }
    for i in storage.fields.exemplars.indices where !test(storage.fields.exemplars[i]) { return false }
    for i in storage.fields.caveats.indices where !test(storage.fields.caveats[i]) { return false }
    for i in storage.fields.evidence.indices {
      guard test(storage.fields.evidence[i].ref.source), test(storage.fields.evidence[i].text) else { return false }
    }
    return true
  }

  /// Whether the involved object's kind is `pod` in any case (`kind.lowercased() == "pod"`), nil
  /// when the event names no kind; read in place (`involved` copies the whole reference, every
  /// string retained), and an ASCII kind compared by its bytes, where lower-casing built a string
  /// per event (`finish` and `attach` ask this of every event: docs/architecture.md "Speed of the
  /// EventList path"; `KindIsPodTests` holds it to `lowercased()`).
  package var involvedKindIsPod: Bool? {
    guard let kind = storage.fields.involved.kind else { return nil }
    return Self.isPod(kind)
  }

  /// `kind.lowercased() == "pod"`: on ASCII, lower-casing maps `A`–`Z` alone and `==` compares
  /// bytes, so three bytes that are `p`, `o`, `d` in either case say yes and any other length no.
  static func isPod(_ kind: String) -> Bool {
    let bytes = kind.utf8
    if bytes.count == 3 {
      var i = bytes.startIndex
      let b0 = bytes[i]
      bytes.formIndex(after: &i)
      let b1 = bytes[i]
      bytes.formIndex(after: &i)
      let b2 = bytes[i]
      if b0 < 0x80 && b1 < 0x80 && b2 < 0x80 {
        return b0 | 0x20 == UInt8(ascii: "p") && b1 | 0x20 == UInt8(ascii: "o") && b2 | 0x20 == UInt8(ascii: "d")
      }
    } else if bytes.count < 16, bytes.allSatisfy({ $0 < 0x80 }) {
      return false
    }
    return kind.lowercased() == "pod"
  }

  /// Names this event's storage, which every copy of the event shares until one is written: two
  /// events with the same identity are the same value, for as long as either lives (an identity
  /// may be reused once no copy holds the storage).
  package var storageIdentity: ObjectIdentifier { ObjectIdentifier(storage) }

  /// The UTF-8 lengths of the reason and the message, the number of evidence lines and the first
  /// one's line number (-1 without), read in place: the getters copy the strings and the
  /// evidence array out first (the report asks this of every event it may list,
  /// `ReportInput.citedEvents`).
  package var sizes: (reasonBytes: Int, messageBytes: Int, evidence: Int, firstLine: Int) {
    (
      storage.fields.reason.utf8.count, storage.fields.message.utf8.count, storage.fields.evidence.count,
      storage.fields.evidence.isEmpty ? -1 : storage.fields.evidence[0].ref.line
    )
  }

  /// True when `other` is this event's very storage (a copy of the same event, not rebuilt).
  package func sharesStorage(with other: MergedEvent) -> Bool { storage === other.storage }

  package static func == (a: MergedEvent, b: MergedEvent) -> Bool {
    a.storage === b.storage || a.storage.fields == b.storage.fields
  }

  package func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

  package init(from decoder: any Decoder) throws { storage = Storage(try Fields(from: decoder)) }

  package func encode(to encoder: any Encoder) throws { try storage.fields.encode(to: encoder) }

  /// The container the event is about, from its field path or the `spec.containers{x}: ` prefix.
  /// Read in place: `involved` would copy the whole object reference first.
  package var containerName: String? { storage.fields.involved.containerName }
}

/// One entry of a pod's timeline.
package struct TimelineEntry: Hashable, Sendable, Codable {
  package enum Kind: String, Hashable, Sendable, Codable {
    case event
    case containerStarted = "container-started"
    case containerFinished = "container-finished"
    case restart
    case probeFailure = "probe-failure"
    case kill
    case deletionRequested = "deletion-requested"
    case graceDeadline = "grace-deadline"
    case log
  }

  package var time: TimeRange?
  package var kind: Kind
  package var container: String?
  package var summary: String
  package var evidence: [Evidence]
  /// Where the entry falls in the kubelet's causal order, for entries at the same time (a
  /// describe's ages give several events one range): Scheduled, Pulling, Pulled, Created, Started,
  /// Unhealthy, Killing, BackOff (`Timeline.causalStep`).
  package var step = 0
  /// An event of type Warning (drawn in the warning colour).
  package var isWarning = false

  package init(time: TimeRange?, kind: Kind, container: String? = nil, summary: String, evidence: [Evidence] = []) {
    self.time = time
    self.kind = kind
    self.container = container
    self.summary = summary
    self.evidence = evidence
  }
}

/// Answers a pod's rules all ask, computed once for the pod before its rules run
/// (`PodHistory.preparedForRules()` in Diagnose) instead of by every rule (issue 16, perf). Not
/// part of the pod's value: every pod's cache compares equal, hashes to nothing and is not coded,
/// and any change to the pod's snapshot, events or logs empties it.
package struct PodQueryCache: Hashable, Sendable {
  /// The pod's known containers, in spec order (`PodHistory.containers`), when computed.
  package var containers: [ContainerSnapshot]?
  /// The known containers of the three sets of roles rules ask for (`ContainerRoles` in
  /// Diagnose): regular containers, regular and init containers, init containers; nil when not
  /// computed. Three fields, not an array by the sets' bit masks: that array was an allocation
  /// for every pod diagnosed (docs/architecture.md "Diagnosis: read a pod once").
  package var regularContainers: [ContainerSnapshot]?
  package var regularAndInitContainers: [ContainerSnapshot]?
  package var initContainers: [ContainerSnapshot]?

  package init() {}

  package static func == (a: PodQueryCache, b: PodQueryCache) -> Bool { true }
  package func hash(into hasher: inout Hasher) {}
}

/// Everything podmortem knows about one pod after correlation.
package struct PodHistory: Hashable, Sendable, Codable {
  package var key: PodKey
  /// Every snapshot of the pod, oldest capture first.
  package var snapshots: [PodSnapshot]
  /// The snapshots merged into one view: the newest value of every field any snapshot had.
  package var latest: PodSnapshot {
    didSet { queries = PodQueryCache() }
  }
  /// The pod's own events and its containers' events, oldest last-seen first.
  package var events: [MergedEvent] {
    didSet { queries = PodQueryCache() }
  }
  /// Log records about this pod (kubelet lines naming it, its containers' logs), packed: a
  /// record's strings are built when they are read (`PodLogs`).
  package var logs: PodLogs {
    didSet { queries = PodQueryCache() }
  }
  /// Everything above on one time line, ordered.
  package var timeline: [TimelineEntry]
  /// What rules ask of the pod, once computed (`PodQueryCache`); empty until diagnosis fills it.
  package var queries = PodQueryCache()

  private enum CodingKeys: String, CodingKey {
    case key, snapshots, latest, events, logs, timeline
  }

  package init(
    key: PodKey, snapshots: [PodSnapshot], latest: PodSnapshot, events: [MergedEvent] = [], logs: PodLogs = [],
    timeline: [TimelineEntry] = []
  ) {
    self.key = key
    self.snapshots = snapshots
    self.latest = latest
    self.events = events
    self.logs = logs
    self.timeline = timeline
  }

  /// The latest snapshot of container `name`, if any source showed it.
  package func container(_ name: String) -> ContainerSnapshot? { latest.containers.first { $0.name == name } }

  /// The history of a pod known only by its key (`Correlator.bare`): no snapshots, and as its
  /// merged view a snapshot of every default (`PodSnapshot(name:namespace:)`) with the key's name,
  /// `namespace` and the key's uid. The defaults are copied from one snapshot built once and the
  /// three fields set in place: an initializer sets them without the observers a later write to
  /// `latest` runs (each such write copied the whole history).
  init(bare key: PodKey, namespace: String) {
    self.key = key
    self.snapshots = []
    self.latest = Self.emptySnapshot
    self.latest.name = key.name
    self.latest.namespace = namespace
    self.latest.uid = key.uid
    self.events = []
    self.logs = []
    self.timeline = []
  }

  /// `PodSnapshot(name: "", namespace: "")`, built once (`init(bare:namespace:)`).
  private static let emptySnapshot = PodSnapshot(name: "", namespace: "")

  /// Makes a bare history (`init(bare:namespace:)`, of any key) the bare history of `key` and
  /// `namespace`: the key and the merged view's name, namespace and uid written in place, the
  /// same writes on the same snapshot as the initializer's, every other field already the one it
  /// gives. `Correlator.HistoryList.ordered()` copies one bare history into each bare pod's place
  /// and gives it its key there (`BareInPlaceTests` holds it to the initializer).
  mutating func makeBare(_ key: PodKey, namespace: String) {
    self.key = key
    latest.name = key.name
    latest.namespace = namespace
    latest.uid = key.uid
  }
}

/// The correlated picture of every input: what diagnosis rules and reports read.
package struct CorrelatedState: Sendable {
  /// Pods, sorted by key.
  package var pods: [PodHistory]
  /// Nodes by name.
  package var nodes: [String: NodeSnapshot]
  package var workloads: [WorkloadSnapshot]
  /// The whole deduplicated event history, sorted by last seen.
  package var events: [MergedEvent]
  /// Log records that belong to no pod (node-level kubelet lines).
  package var nodeLogs: [LogRecord]
  /// Caveats about the history as a whole (`stream carries only ADDED events: repeats may be missing`).
  package var caveats: [String]
  /// The latest capture time of any source, the anchor "now" for arithmetic.
  package var now: CaptureTime?

  package init(
    pods: [PodHistory] = [], nodes: [String: NodeSnapshot] = [:], workloads: [WorkloadSnapshot] = [],
    events: [MergedEvent] = [], nodeLogs: [LogRecord] = [], caveats: [String] = [], now: CaptureTime? = nil
  ) {
    self.pods = pods
    self.nodes = nodes
    self.workloads = workloads
    self.events = events
    self.nodeLogs = nodeLogs
    self.caveats = caveats
    self.now = now
  }
}
