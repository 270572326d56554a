import Foundation
import PodmortemCorrelate
import PodmortemModel

/// The questions rules ask of a pod's history, answered one way for all of them.
extension PodHistory {
  /// The finding subject for the pod, or for one of its containers.
  /// A pod the input does not name is the object `the pasted pod (name not shown) at input.txt:3`.
  package func subject(_ container: String? = nil) -> Subject {
    if key.isUnnamed { return Subject(container: container, object: key.description) }
    return Subject(namespace: key.namespace, pod: key.name, container: container)
  }

  /// The capture time arithmetic is anchored to: the state's, else the pod's latest snapshot's.
  package func now(in state: CorrelatedState) -> Date? { state.now?.date ?? latest.capturedAt?.date }

  /// Containers of the given roles, in spec order. A pod known only from `kubectl get events` or
  /// kubelet log lines has no container list: its containers are then the ones its events and
  /// log lines name, with no state, or one `ContainerSnapshot.unknownName` when none is named.
  ///
  /// The Diagnoser computes them once per pod (`preparedForRules()`); a pod not prepared so (a
  /// rule run on its own) computes them on every call, with the same result.
  package func containers(_ roles: ContainerRoles = [.container]) -> [ContainerSnapshot] {
    if let cached = cachedContainers(roles) { return cached }
    return knownContainers.filter { roles.includes($0.role) }
  }

  /// The answer `prepareForRules` computed for `roles`, if it is one of the three sets rules ask
  /// `containers` for and the pod was prepared.
  private func cachedContainers(_ roles: ContainerRoles) -> [ContainerSnapshot]? {
    switch roles.rawValue {
    case ContainerRoles.container.rawValue: queries.regularContainers
    case ContainerRoles.container.rawValue | ContainerRoles.initContainer.rawValue: queries.regularAndInitContainers
    case ContainerRoles.initContainer.rawValue: queries.initContainers
    default: nil
    }
  }

  /// The pod with the answers every rule asks for computed once (`PodQueryCache`): its known
  /// containers and those of the role sets rules ask for. The answers are those of the uncached
  /// queries; `PodQueryCacheTests` compares them on seeded random pods.
  package func preparedForRules() -> PodHistory {
    var pod = self
    pod.prepareForRules()
    return pod
  }

  /// `preparedForRules()` in place. The Diagnoser owns the pod it diagnoses (its copy out of the
  /// state's list), so it prepares that one: returning a prepared copy copied the whole history
  /// (every string and array retained, then released) for every pod (docs/architecture.md
  /// "Diagnosis: read a pod once").
  package mutating func prepareForRules() {
    let known = computedKnownContainers
    queries.regularContainers = Self.containers(known, of: [.container])
    queries.regularAndInitContainers = Self.containers(known, of: [.container, .initContainer])
    queries.initContainers = Self.containers(known, of: [.initContainer])
    queries.containers = known
  }

  /// `known.filter { roles.includes($0.role) }`: `known` itself when every container is of those
  /// roles (most pods: regular containers only, asked for regular and init containers), no
  /// array when none is, else the filtered copy. The same containers in the same order; sharing
  /// the list spares a copy of every container (each of its strings and arrays retained) and an
  /// allocation per role set and pod. `PodQueryCacheTests` holds it to the filter.
  static func containers(_ known: [ContainerSnapshot], of roles: ContainerRoles) -> [ContainerSnapshot] {
    var matching = 0
    for i in known.indices where roles.includes(known[i].role) { matching &+= 1 }
    if matching == known.count { return known }
    if matching == 0 { return [] }
    return known.filter { roles.includes($0.role) }
  }

  /// True when no snapshot lists the pod's containers (an EventList's pods, a kubelet log's):
  /// its known containers are then the names its events and lines give, each
  /// `ContainerSnapshot(name:role:)`, which shows no state, last state, restart count or
  /// terminated reason (`computedKnownContainers`). A rule that needs one of those to say anything
  /// answers from this, before it copies every container to look (`BareContainerTests` holds
  /// the containers to it, and the rules' old loops to their answers).
  package var containersShowNoRuns: Bool { latest.containers.isEmpty }

  /// The snapshot's containers, else the containers named by events and logs.
  private var knownContainers: [ContainerSnapshot] { queries.containers ?? computedKnownContainers }

  /// `knownContainers`, computed.
  private var computedKnownContainers: [ContainerSnapshot] {
    guard latest.containers.isEmpty else { return latest.containers }
    // A pod names a handful of containers: a list searched in order, not a dictionary per call
    // (every rule asks, for every pod). The containers are built as their names come, a later
    // init container's event making one an init container, where a list of names and roles was
    // built first and then mapped (two allocations a pod; `DiagnoserOrderTests` holds the
    // containers to that first reading, of events and of records).
    var known: [ContainerSnapshot] = []
    func add(_ name: String?, _ role: ContainerSnapshot.Role = .container) {
      guard let name, !name.isEmpty else { return }
      if let i = known.firstIndex(where: { $0.name == name }) {
        if role == .initContainer { known[i].role = role }
      } else {
        known.append(ContainerSnapshot(name: name, role: role))
      }
    }
    for i in events.indices {
      // The event's object read once: each read of `involved` copies it (issue 16, perf).
      let involved = events[i].involved
      let role: ContainerSnapshot.Role =
        involved.fieldPath?.hasPrefix("spec.initContainers") == true ? .initContainer : .container
      add(involved.containerName ?? events[i].capture("container"), role)
    }
    // The records read by index (`PodLogs.packed`), not through `PodLogs`' unspecialised
    // `Collection` witnesses. Each is still copied to call its getter (another module's); the
    // container and the `containerName` field are read in one walk of its bytes
    // (`containerOrContainerNameField`; docs/architecture.md "Diagnosis: read a pod once").
    let records = logs.packed
    for i in records.indices { add(records[i].containerOrContainerNameField) }
    // Events or recognised lines, yet no container named anywhere: one container whose name the
    // input does not show.
    if known.isEmpty, !events.isEmpty || records.contains(where: { $0.patternID != nil }) {
      add(ContainerSnapshot.unknownName)
    }
    return known
  }

  /// Events with `reason` about container `name`. An event that names no container (describe's
  /// table has no object column) belongs to it when its message names it (the `container` its
  /// pattern captured: `Started container web`, `Container web failed liveness probe…`), or when it
  /// is the pod's only regular container.
  package func events(_ reason: String, container name: String? = nil) -> [MergedEvent] {
    events.filter { event in Self.same(event.reason, reason) && (name.map { belongs(event, to: $0) } ?? true) }
  }

  /// Whether an event of the pod has one of `reasons` (`same`, so the lower camel case of
  /// Kubernetes 1.0 too): when none has, `events(_:container:)` answers none for every container,
  /// and a rule that reads only those events can answer before copying a container.
  package func hasEvent(of reasons: [String]) -> Bool {
    for event in events {
      let recorded = event.reason
      for reason in reasons where Self.same(recorded, reason) { return true }
    }
    return false
  }

  /// `reasons.map { events($0, container: name) }` in one pass over the events: each event's
  /// reason is read once, and whether it is about the container asked only when its reason is
  /// one of them, once. A rule that asked for four reasons for every container read every event
  /// four times (`ImagePullFailingRule`, issue 16, callgrind). The same events in the same
  /// order for each reason; `PodQueryCacheTests` compares them.
  package func events(_ reasons: [String], container name: String) -> EventsByReason {
    var found = EventsByReason()
    for event in events {
      let recorded = event.reason
      var about: Bool?
      for r in reasons.indices where Self.same(recorded, reasons[r]) {
        if about == nil { about = belongs(event, to: name) }
        if about == true { found.append(event, at: r, of: reasons.count) }
      }
    }
    return found
  }

  /// The events of each reason asked (`events(_:container:)` with several reasons), by the
  /// reason's position. Most containers have none of them: then no list is allocated.
  package struct EventsByReason {
    private var lists: [[MergedEvent]] = []

    /// The events of the reason at `position`, in the pod's order.
    package subscript(_ position: Int) -> [MergedEvent] { lists.indices.contains(position) ? lists[position] : [] }

    mutating func append(_ event: MergedEvent, at position: Int, of count: Int) {
      if lists.isEmpty { lists = Array(repeating: [], count: count) }
      lists[position].append(event)
    }
  }

  /// Kubernetes 1.0 wrote reasons in lower camel case (`failedScheduling`, `failed`, `backOff`;
  /// docs/kubernetes.md §1.7): the same reason as its later spelling.
  static func same(_ recorded: String, _ reason: String) -> Bool {
    if recorded == reason { return true }
    guard startsLowerCase(recorded), recorded.count == reason.count else { return false }
    return recorded.prefix(1).uppercased() + recorded.dropFirst() == reason
  }

  /// Whether `text` starts with a lower case letter. An ASCII first letter (every reason the
  /// kubelet and controllers write) is lower case only from a to z, and is the string's first
  /// UTF-8 byte: decided there, without reading the scalars; other letters by their properties.
  private static func startsLowerCase(_ text: String) -> Bool {
    if let byte = text.utf8.first, byte < 0x80 { return byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    guard let first = text.unicodeScalars.first else { return false }
    return first.properties.isLowercase
  }

  /// Whether `event` is about container `name` (`events(_:container:)`).
  ///
  /// Decided by counting, not by filtering the containers into lists: the lists of the containers
  /// the event's capture names and of the regular ones were two allocations per event asked
  /// about, and the capture was read again for every container (issue 16, callgrind). The
  /// containers named so all carry the captured name, so one of them is `name` exactly when the
  /// capture is. `PodQueryCacheTests` keeps the filtering version as the reference.
  func belongs(_ event: MergedEvent, to name: String) -> Bool {
    if let container = event.containerName { return container == name }
    let all = knownContainers
    if let captured = event.capture("container"), all.contains(where: { $0.name == captured }) {
      return captured == name
    }
    var regular = 0
    var firstRegularIsName = false
    for i in all.indices where all[i].role == .container {
      if regular == 0 { firstRegularIsName = all[i].name == name }
      regular &+= 1
      if regular > 1 { return false }
    }
    return regular == 0 || firstRegularIsName
  }

  /// Every `Unhealthy` event of probe `kind` about container `name`, taken apart.
  package func probeFailures(_ kind: ProbeSpec.Kind, container name: String) -> [(MergedEvent, ProbeFailureMessage)] {
    events("Unhealthy", container: name).compactMap { event in
      guard let parsed = ProbeFailureMessage(patternID: event.patternID, captures: event.captures), parsed.kind == kind
      else { return nil }
      return (event, parsed)
    }
  }

  /// `Killing` events for probe kills of container `name` (`Container web failed liveness probe, will be restarted`).
  package func probeKills(_ kind: ProbeSpec.Kind, container name: String) -> [MergedEvent] {
    events("Killing", container: name).filter {
      $0.patternID == "event.probe-killing" && $0.capture("probe") == kind.rawValue
    }
  }

  /// The command that prints the log of `container`'s run that ended, ready to paste once:
  /// `kubectl logs -n shop web-0 -c web --previous` (`<pod>` when the input does not name the pod).
  ///
  /// Written into one string of the right capacity instead of three nested interpolations, it
  /// saved less than hoped: 3,300 → 3,100 instructions a call (callgrind, an EventList, where the
  /// probe and back-off findings ask for it each), each append about 350. Its pieces are now
  /// gathered and written once (`TextPieces`). The same bytes in the same order;
  /// `PodQueryCacheTests` keeps the interpolation as the reference.
  ///
  /// It has at most eight pieces, known here: their length is counted and they are written into
  /// the string at once, without `TextPieces`' list (its allocation and a retain and release of
  /// every piece were half of the 2,300 instructions a call, callgrind on an EventList).
  package func previousLogsCommand(_ container: String) -> String {
    let namespaced = !(key.namespace.isEmpty || key.isUnnamed)
    let named = container != ContainerSnapshot.unknownName
    let name = key.commandName
    var n = 13 &+ name.utf8.count &+ 11
    if namespaced { n &+= 4 &+ key.namespace.utf8.count }
    if named { n &+= 4 &+ container.utf8.count }
    let namespace = key.namespace
    return String(unsafeUninitializedCapacity: n) { out in
      var at = 0
      writeUTF8("kubectl logs ", into: out, at: &at)
      if namespaced {
        writeUTF8("-n ", into: out, at: &at)
        writeUTF8(namespace, into: out, at: &at)
        writeByte(UInt8(ascii: " "), into: out, at: &at)
      }
      writeUTF8(name, into: out, at: &at)
      if named {
        writeUTF8(" -c ", into: out, at: &at)
        writeUTF8(container, into: out, at: &at)
      }
      writeUTF8(" --previous", into: out, at: &at)
      return at
    }
  }

  /// Where to read the log of `container`'s run that ended: when the input holds it
  /// (`endedRunLog`), its last error line as file:line with its text (or the file, when no line
  /// reads as an error); else the command that prints it (`previousLogsCommand`).
  package func previousLogs(_ container: String) -> String {
    let lines = endedRunLog(container)
    guard let last = lines.last else { return previousLogsCommand(container) }
    let source = last.ref.source
    guard let error = Self.lastErrorLine(lines.filter { $0.ref.source == source }) else {
      return "it is in the input: \(source) (up to line \(last.ref.line))"
    }
    var quoted = trimmedWhitespace(error.message)
    if quoted.count > 120 { quoted = String(quoted.prefix(119)) + "…" }
    return "it is in the input: \(error.ref) '\(quoted)' (its last error line)"
  }

  /// The log lines the input holds of the run of `container` that ended (its `Last State`, or
  /// its state while it waits to restart): what `kubectl logs --previous` prints, which for a
  /// waiting container is also what `kubectl logs` prints (the kubelet serves the last terminated
  /// instance, docs/kubernetes.md §10.2). Those are a `--previous` file, the kubelet's `<n>.log`
  /// of that run (n is the restart count while it waits, one less once the next run is up, §10.2),
  /// or, for a waiting container, a log that names no run. In source order.
  package func endedRunLog(_ container: String) -> [PackedLog] {
    guard let c = self.container(container), c.lastTermination != nil else { return [] }
    let running = c.isRunning
    // One less than a running container's count, checked: a count is range-checked where it is
    // read (0 to Int32.max), but a pod built otherwise may hold any Int, and `Int.min - 1` traps.
    // No run numbered below `Int.min` exists, so nothing matches then.
    let ended = c.restartCount.flatMap { count -> Int? in
      guard running else { return count }
      let (before, overflow) = count.subtractingReportingOverflow(1)
      return overflow ? nil : before
    }
    return logs.filter { log in
      guard log.origin == .container, log.container == container else { return false }
      if log.previousRun { return true }
      if let n = log.restartNumber { return n == ended }
      return !running && c.waitingReason != nil
    }.sorted { $0.ref < $1.ref }
  }

  /// The last error lines (at most `limit`, in source order) of the ended run's log the input
  /// holds (`endedRunLog`): decisive evidence after the termination's own lines, since they say
  /// what the program itself reported before it stopped. Lines a container pattern recognised, else
  /// lines written to stderr.
  package func endedRunErrors(_ container: String, limit: Int = 3) -> [Evidence] {
    let lines = endedRunLog(container)
    guard let source = lines.last?.ref.source else { return [] }
    let run = lines.filter { $0.ref.source == source }
    let recognised = run.filter { $0.patternID != nil }
    let errors = recognised.isEmpty ? run.filter { $0.severity == "stderr" } : recognised
    return errors.suffix(limit).map(\.evidence)
  }

  /// The last line of a run's log that reads as an error: one a container pattern recognised,
  /// else one written to stderr, else none.
  static func lastErrorLine(_ lines: [PackedLog]) -> PackedLog? {
    lines.last { $0.patternID != nil } ?? lines.last { $0.severity == "stderr" }
  }

  /// True when the pod is being deleted.
  package var isTerminating: Bool { latest.terminating || latest.deletionTimestamp != nil }

  /// True when the pod has finished (`Succeeded`/`Failed`).
  package var isTerminal: Bool { latest.phase == "Succeeded" || latest.phase == "Failed" }
}

extension ContainerSnapshot {
  /// The most recent finished run: the current state if terminated, else the last state.
  package var lastTermination: Termination? {
    if case .terminated(let t) = state { return t }
    if case .terminated(let t) = lastState { return t }
    return nil
  }

  /// The lines that show `lastTermination` (its `State:` or `Last State:` block): a finding's
  /// decisive lines about a run that ended.
  package var terminationEvidence: [Evidence] {
    if case .terminated = state { return stateEvidence }
    if case .terminated = lastState { return lastStateEvidence }
    return []
  }

  /// The lines that show the waiting state, when the container is waiting.
  package var waitingEvidence: [Evidence] {
    if case .waiting = state { return stateEvidence }
    return []
  }

  /// The termination shown as `Last State:` (the run before the current one).
  package var previousTermination: Termination? {
    if case .terminated(let t) = lastState { return t }
    return nil
  }

  /// The waiting reason, if the container is waiting.
  package var waitingReason: String? {
    if case .waiting(let reason, _) = state { return reason }
    return nil
  }

  package var waitingMessage: String? {
    if case .waiting(_, let message) = state { return message }
    return nil
  }

  package var isRunning: Bool {
    if case .running = state { return true }
    return false
  }

  /// The container's own lines and its probe lines.
  /// No probe shown: the container's own lines as they are, not joined with an empty list
  /// (which copied each line).
  package var allEvidence: [Evidence] {
    if probes.isEmpty { return evidence }
    return evidence + probes.values.compactMap(\.evidence)
  }
}

extension Array where Element == MergedEvent {
  /// Every evidence line of these events.
  package var evidence: [Evidence] { flatMap(\.evidence) }
  /// The summed count.
  package var totalCount: Int { reduce(0) { $0 + $1.count } }
}

/// A set of container roles, as the bits of `PodQueryCache.containersByRoles`' positions (init 1,
/// container 2, ephemeral 4): what rules ask `PodHistory.containers` for. A `Set` of roles hashed
/// each role's name, and every rule built one for every pod (issue 16, callgrind).
package struct ContainerRoles: OptionSet, Sendable {
  package let rawValue: Int

  package init(rawValue: Int) { self.rawValue = rawValue }

  package static let initContainer = ContainerRoles(rawValue: 1)
  package static let container = ContainerRoles(rawValue: 2)
  package static let ephemeral = ContainerRoles(rawValue: 4)
  /// Every role.
  package static let all: ContainerRoles = [.initContainer, .container, .ephemeral]

  /// Whether `role` is one of these.
  package func includes(_ role: ContainerSnapshot.Role) -> Bool {
    switch role {
    case .initContainer: contains(.initContainer)
    case .container: contains(.container)
    case .ephemeral: contains(.ephemeral)
    }
  }
}

/// A pod's log records by the pattern that recognised them, read once for all the pod's rules.
///
/// Six rules filtered every record of the pod by its pattern id (`pod.logs.filter { … }`), each
/// pass copying every record out of `PodLogs` and comparing or hashing its id: on a kubelet log
/// slice of 400 pods that was about 60M instructions for the few lines they keep
/// (docs/architecture.md "Diagnosis: read a pod once"). The index walks the records once and
/// keeps, for each distinct id in the order first seen, the positions of its records; a rule
/// asks for the records of its ids (`logs(_:)`). Ids are told apart by `==` on strings, as the
/// filters' `==` and `Set.contains` tell them, so the records answered are the filter's, in the
/// pod's order; `PodLogIndexTests` holds every rule's query to the filter it replaces.
package struct PodLogIndex: Sendable {
  /// The pod's records, read in place by index (`PodLogs.packed`): iterated as a `PodLogs`, each
  /// was copied out through its unspecialised `Collection` witnesses.
  private let records: [PackedLog]
  /// The distinct pattern ids of the records, in the order first seen.
  private var ids: [String] = []
  /// The positions in `records` of each id's records, ascending, by the id's place in `ids`.
  private var positions: [[Int]] = []
  /// Each id's place in `ids`, once there are more than `searchedIds` of them (empty before).
  private var place: [String: Int] = [:]

  /// Up to this many distinct ids, an id's place is found by searching `ids` with `==`: a pod's
  /// records hold a handful of patterns, and hashing every record's id into a dictionary grown
  /// for each new one was most of the index's cost (docs/architecture.md "Diagnosis: read a pod
  /// once"). Beyond it, `place` is built from `ids` and asked instead, so a pod of many patterns
  /// costs what it did. `==` tells ids apart as the dictionary's keys are told apart.
  static let searchedIds = 8

  package init(_ logs: PodLogs) {
    records = logs.packed
    var last = -1
    for i in records.indices {
      guard let id = records[i].patternID else { continue }
      // Runs of one pattern are common (a probe failing every period): the last id first.
      let g: Int
      if last >= 0, ids[last] == id {
        g = last
      } else if let known = group(id) {
        g = known
      } else {
        g = ids.count
        ids.append(id)
        positions.append([])
        if ids.count > Self.searchedIds {
          if place.isEmpty {
            for k in ids.indices { place[ids[k]] = k }
          } else {
            place[id] = g
          }
        }
      }
      positions[g].append(i)
      last = g
    }
  }

  /// The place of `id` in `ids`, nil when no record has it.
  private func group(_ id: String) -> Int? {
    guard ids.count <= Self.searchedIds else { return place[id] }
    for g in ids.indices where ids[g] == id { return g }
    return nil
  }

  /// Whether no record was recognised by any of `asked`.
  package func isEmpty(_ asked: [String]) -> Bool {
    // No record recognised (most pods of an EventList or of describes): nothing to search.
    if ids.isEmpty { return true }
    for id in asked where group(id) != nil { return false }
    return true
  }

  /// `logs.filter { $0.patternID.map(asked.contains) ?? false }`: the records whose pattern id is
  /// one of `asked` (repeated ids count once), in the pod's order.
  package func logs(_ asked: [String]) -> [PackedLog] {
    // No record recognised (most pods of an EventList or of describes): nothing to search.
    if ids.isEmpty { return [] }
    var groups: [Int] = []
    for id in asked {
      if let g = group(id), !groups.contains(g) { groups.append(g) }
    }
    if groups.isEmpty { return [] }
    if groups.count == 1 { return positions[groups[0]].map { records[$0] } }
    var all: [Int] = []
    for g in groups { all += positions[g] }
    all.sort()
    return all.map { records[$0] }
  }

  /// `logs([id])`.
  package func logs(_ id: String) -> [PackedLog] { logs([id]) }
}
