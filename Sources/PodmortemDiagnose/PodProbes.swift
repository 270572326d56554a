import PodmortemCorrelate
import PodmortemModel

/// What a pod's history says about its probes, read once per pod: its `Unhealthy` events taken
/// apart, its probe `Killing` events, and its kubelet probe lines with their captures read out of
/// the packed records. The liveness, readiness and startup rules ask it for every container
/// (`ProbeFailures`); before, each of them filtered all the pod's events and log records again for
/// every container, and read a record's captures from its bytes once per question, which was half
/// of diagnosing a kubelet log (docs/architecture.md "Diagnosis: read a pod once").
///
/// Each answer is the one the pod's own filters give (`PodHistory.probeFailures`,
/// `PodHistory.probeKills`, the kubelet lines `ProbeFailures` selects): the same records in the
/// same order with the same captures (`PodProbesTests`, on seeded random pods).
package struct PodProbes: Sendable {
  /// A kubelet line of a failed or errored probe attempt (patterns/kubelet.json), the captures the
  /// probe rules read found once (`PackedLog.firstCaptures`): `probe` and `container` read, the
  /// others' places kept and read when asked, which is of one line of a probe finding at most.
  /// Every capture of every line was built before (`log.captures`), where a rule reads two of
  /// most lines (docs/architecture.md "Speed of the probe rules").
  package struct Line: Sendable {
    package var log: PackedLog
    /// A failed attempt (`ProbeFailures.failedPatterns`), else an errored one.
    package var failed: Bool
    /// The kind whose `ProbeFailures.probeType` is `capture("probe")`, nil when it is none's:
    /// read once here, not at every question of every probe rule and container (`lines`).
    package var kind: ProbeSpec.Kind?
    /// `capture("container")`, read once for the same reason.
    package var container: String?
    /// `kind`'s bit (`PodProbes.bit`), 0 for none: what `lines` compares, as an integer, where
    /// the kinds' `==` is called through their conformance from another module.
    fileprivate var kindBit: UInt8 = 0
    /// Where the values of the first `output`, `error`, `mode` and `statusCode` captures are.
    fileprivate var outputAt: PackedLog.CapturePlace?
    fileprivate var errorAt: PackedLog.CapturePlace?
    fileprivate var modeAt: PackedLog.CapturePlace?
    fileprivate var statusCodeAt: PackedLog.CapturePlace?

    /// `log.capture("output")`.
    package var output: String? { outputAt.map { log.captureValue(at: $0) } }
    /// `log.capture("error")`.
    package var error: String? { errorAt.map { log.captureValue(at: $0) } }
    /// `log.capture("mode")`.
    package var mode: String? { modeAt.map { log.captureValue(at: $0) } }
    /// `log.capture("statusCode")`.
    package var statusCode: String? { statusCodeAt.map { log.captureValue(at: $0) } }

    /// The line `log`, its captures found (`Line`).
    fileprivate init(log: PackedLog, failed: Bool) {
      self.log = log
      self.failed = failed
      var probe: String?
      var container: String?
      var outputAt: PackedLog.CapturePlace?
      var errorAt: PackedLog.CapturePlace?
      var modeAt: PackedLog.CapturePlace?
      var statusCodeAt: PackedLog.CapturePlace?
      log.firstCaptures(PodProbes.asked) { k, place, value in
        switch k {
        case 0: probe = value
        case 1: container = value
        case 2: outputAt = place
        case 3: errorAt = place
        case 4: modeAt = place
        default: statusCodeAt = place
        }
      }
      if let probe {
        switch probe {
        case ProbeFailures.probeType(.liveness): kind = .liveness
        case ProbeFailures.probeType(.readiness): kind = .readiness
        case ProbeFailures.probeType(.startup): kind = .startup
        default: break
        }
        if let kind { kindBit = PodProbes.bit(kind) }
      }
      self.container = container
      self.outputAt = outputAt
      self.errorAt = errorAt
      self.modeAt = modeAt
      self.statusCodeAt = statusCodeAt
    }
  }

  /// The captures a `Line` reads (`probe`, `container`) and places (the rest), in the order
  /// `Line.init` reads their indices.
  fileprivate static let asked = CaptureKeys(
    reading: ["probe", "container"], placing: ["output", "error", "mode", "statusCode"])

  /// `Unhealthy` events (any spelling `PodHistory.same` allows) that are probe attempts, in the
  /// pod's event order.
  package private(set) var unhealthy: [(event: MergedEvent, message: ProbeFailureMessage)] = []
  /// `Killing` events of a probe kill (`event.probe-killing`), with the probe they capture.
  package private(set) var kills: [(event: MergedEvent, probe: String?)] = []
  /// What `failures` and `kills` select by, for each entry of `unhealthy` and of `kills` at the
  /// same place: its kind, and the event's `containerName`, read once here (`Asked`).
  private var unhealthyAsked: [Asked] = []
  private var killsAsked: [Asked] = []
  /// The pod's probe lines, in the pod's log order.
  package private(set) var lines: [Line] = []
  /// The probe kinds an entry above is about (`Self.bit`): an `Unhealthy` event's kind, a kill's
  /// `probe` capture that is a kind's raw value, a line's `probe` capture that is a kind's
  /// `ProbeFailures.probeType`. No other entry is ever selected for a kind (`failures`, `kills`,
  /// `lines` ask exactly these), so a kind without its bit has no failure (`mayHaveFailed`).
  private var kinds: UInt8 = 0

  /// The pod's probe events and lines. `pod` is the pod the rules read (`preparedForRules`).
  /// Borrowed: an initialiser takes its arguments owned unless told otherwise, so a caller that
  /// only borrows the pod (every rule) copied the whole history, every string and array of it
  /// retained and then released, to hand it over.
  package init(_ pod: borrowing PodHistory) {
    let eventCount = pod.events.count
    var eventsRead = 0
    for event in pod.events {
      eventsRead += 1
      let reason = event.reason
      if PodHistory.same(reason, "Unhealthy") {
        if let message = ProbeFailureMessage(patternID: event.patternID, captures: event.captures) {
          if unhealthy.isEmpty {
            // Room, at the first, for this one and the events left (`firstRoom`).
            let room = Self.firstRoom(eventCount &- eventsRead)
            unhealthy.reserveCapacity(room)
            unhealthyAsked.reserveCapacity(room)
          }
          unhealthyAsked.append(Asked(kind: Self.bit(message.kind), container: event.containerName))
          unhealthy.append((event, message))
          kinds |= Self.bit(message.kind)
        }
      } else if PodHistory.same(reason, "Killing"), event.patternID == Self.killingPattern {
        let probe = event.capture("probe")
        let kind = probe.flatMap(ProbeSpec.Kind.init(rawValue:))
        killsAsked.append(Asked(kind: kind.map(Self.bit) ?? 0, container: event.containerName))
        kills.append((event, probe))
        if let kind { kinds |= Self.bit(kind) }
      }
    }
    // The kept records read in place, by index (`PodLogs.packed`): iterated as a `PodLogs`, each
    // record was copied and handed out through the unspecialised `Collection` witnesses.
    let logs = pod.logs.packed
    for i in logs.indices {
      guard let id = logs[i].patternID else { continue }
      guard let failed = ProbeFailures.isFailed(patternID: id) else { continue }
      let line = Line(log: logs[i], failed: failed)
      kinds |= line.kindBit
      if lines.isEmpty { lines.reserveCapacity(Self.firstRoom(logs.endIndex &- i &- 1)) }
      lines.append(line)
    }
  }

  /// Room for a list's first entry and for as many as `left` more, up to 31 more: what a list
  /// of `PodProbes` is given when its first entry comes, where it grew one entry at a time from
  /// empty (allocated again at 1, 2, 4, 8, … entries: 1.6M of `init` on the 4 MiB kubelet-log
  /// slice, callgrind; docs/architecture.md "Speed of the probe rules"). A capacity only: the
  /// lists hold the same entries.
  private static func firstRoom(_ left: Int) -> Int { 1 &+ min(max(left, 0), 31) }

  fileprivate static func bit(_ kind: ProbeSpec.Kind) -> UInt8 {
    switch kind {
    case .liveness: 1
    case .readiness: 2
    case .startup: 4
    }
  }

  /// False when no event or line of the pod is about a `kind` probe, so that `failures`, `kills`
  /// and `lines` are empty for it whatever the container: the cheapest decisive question, asked
  /// before a probe rule copies each container to ask them. On the 8 MiB EventList most pods have
  /// no probe event, or one of another kind, and the three probe rules asked for every container
  /// (docs/architecture.md "Diagnosis: read a pod once"; `PodProbesTests` holds it to the three
  /// answers).
  package func mayHaveFailed(_ kind: ProbeSpec.Kind) -> Bool { kinds & Self.bit(kind) != 0 }

  /// What a probe question selects an event by, read once per event: its kind's bit (an `Unhealthy`
  /// event's `message.kind`; the kind a kill's `probe` capture is the raw value of, nil for none),
  /// and its `containerName`, the first thing `PodHistory.belongs` reads (about 950 instructions
  /// a call through the involved object). The kinds' raw values differ from each other, so
  /// `probe == kind.rawValue` is `ProbeSpec.Kind(rawValue: probe) == kind`.
  private struct Asked: Sendable {
    /// `bit(kind)`, 0 for none: compared as an integer, where the kinds' `==` is called through
    /// their conformance from another module.
    var kind: UInt8
    var container: String?
  }

  /// `pod.belongs(event, to: name)`, given the event's `containerName` read before: `belongs`
  /// answers `container == name` when there is one, and reads the rest itself when there is none.
  private static func belongs(
    _ event: MergedEvent, named container: String?, to name: String, in pod: PodHistory
  ) -> Bool {
    if let container { return container == name }
    return pod.belongs(event, to: name)
  }

  /// The event pattern of a probe kill (patterns/event-messages.json).
  static let killingPattern = "event.probe-killing"

  /// `pod.probeFailures(kind, container: name)`: every `Unhealthy` event of probe `kind` about
  /// container `name`, taken apart.
  /// A loop by index: `compactMap` built a tuple for every entry it was handed. Each entry is
  /// selected by what `init` read of it (`Asked`): testing the tuples' kinds and handing their
  /// events to `belongs` copied an entry (its event and its message's strings) several times per
  /// question, and `belongs` read the event's container name again for every container asked
  /// about (11.4M of the 4 MiB kubelet-log slice, callgrind; docs/architecture.md "Diagnosis: read
  /// a pod once"). `PodProbesTests` holds it to `pod.probeFailures`.
  package func failures(
    _ kind: ProbeSpec.Kind, container name: String, in pod: PodHistory
  ) -> [(MergedEvent, ProbeFailureMessage)] {
    var found: [(MergedEvent, ProbeFailureMessage)] = []
    let bit = Self.bit(kind)
    for i in unhealthyAsked.indices where unhealthyAsked[i].kind == bit {
      guard Self.belongs(unhealthy[i].event, named: unhealthyAsked[i].container, to: name, in: pod) else { continue }
      found.append((unhealthy[i].event, unhealthy[i].message))
    }
    return found
  }

  /// Where the entries `failures` answers are in `unhealthy`, in the same order: `ProbeFailures`
  /// reads them there, where each answer copied the entry (its event and its message's strings)
  /// into a list of its own, and then out of it again (docs/architecture.md "Speed of the probe
  /// rules"; `PodProbesTests` holds it to `failures`).
  package func failurePositions(_ kind: ProbeSpec.Kind, container name: String, in pod: PodHistory) -> [Int] {
    var found: [Int] = []
    let bit = Self.bit(kind)
    for i in unhealthyAsked.indices where unhealthyAsked[i].kind == bit {
      // `belongs(_:named:to:in:)`, the event read only when its container name is not known:
      // handed over as an argument, the entry was copied whole, message and all, to take it out.
      if let container = unhealthyAsked[i].container {
        guard container == name else { continue }
      } else {
        guard pod.belongs(unhealthy[i].event, to: name) else { continue }
      }
      found.append(i)
    }
    return found
  }

  /// `pod.probeKills(kind, container: name)`: the kills by probe `kind` of container `name`,
  /// selected as `failures` selects.
  package func kills(_ kind: ProbeSpec.Kind, container name: String, in pod: PodHistory) -> [MergedEvent] {
    var found: [MergedEvent] = []
    let bit = Self.bit(kind)
    for i in killsAsked.indices where killsAsked[i].kind == bit {
      guard Self.belongs(kills[i].event, named: killsAsked[i].container, to: name, in: pod) else { continue }
      found.append(kills[i].event)
    }
    return found
  }

  /// The lines of failed and of errored attempts of the probe kubelet lines call `probeType`
  /// (`Liveness`) about container `name`: a line that captures no container is about every one,
  /// and every line is about the container whose name the input does not show. One pass for both:
  /// `ProbeFailures` asked for each in turn, reading every line's captures twice (14.0M of the
  /// 4 MiB kubelet-log slice's 60.3M in `ProbeFailures.init`, callgrind). `PodProbesTests` holds
  /// both lists to the pod's own filters.
  ///
  /// Asked by kind: a line's `probe` capture is `probeType(kind)` exactly when `init` read that
  /// kind from it (the same `==`, and the three spellings are not equal to each other), and its
  /// `container` capture was read there too. Reading both captures at every question was a fifth
  /// of `ProbeFailures.init` on the 4 MiB kubelet-log slice (callgrind).
  package func lines(_ kind: ProbeSpec.Kind, container name: String) -> (failed: [Line], errored: [Line]) {
    var failed: [Line] = []
    var errored: [Line] = []
    let anyContainer = name == ContainerSnapshot.unknownName
    let bit = Self.bit(kind)
    for i in lines.indices where lines[i].kindBit == bit {
      if !anyContainer, let container = lines[i].container, container != name { continue }
      if lines[i].failed { failed.append(lines[i]) } else { errored.append(lines[i]) }
    }
    return (failed, errored)
  }

  /// Where the lines `lines(_:container:)` answers are in `lines`, in the same order, for the
  /// same reason as `failurePositions` (`PodProbesTests` holds it to `lines(_:container:)`).
  package func linePositions(_ kind: ProbeSpec.Kind, container name: String) -> (failed: [Int], errored: [Int]) {
    var failed: [Int] = []
    var errored: [Int] = []
    let anyContainer = name == ContainerSnapshot.unknownName
    let bit = Self.bit(kind)
    for i in lines.indices where lines[i].kindBit == bit {
      if !anyContainer, let container = lines[i].container, container != name { continue }
      if lines[i].failed { failed.append(i) } else { errored.append(i) }
    }
    return (failed, errored)
  }
}
