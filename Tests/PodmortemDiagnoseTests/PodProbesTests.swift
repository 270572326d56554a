import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// A pod's probe events and lines are read once for every probe rule and container (`PodProbes`,
/// issue 16). On seeded random pods with hostile captures (missing, empty, non-ASCII, repeated,
/// the unknown container's name, values the line's text holds or not) its answers must be those
/// of the filters `ProbeFailures` ran before for each probe kind and container: the same events
/// and records in the same order, with the same captures.
@Suite struct PodProbesTests {

  static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  static let names = ["web", "init-db", "wéb", "", ContainerSnapshot.unknownName]
  /// Names asked about beyond the drawn ones (drawing none, so the seeded pods stay as they were):
  /// a decomposed accent (equal to `wéb` under `==`), a Kelvin sign, a dotted capital I, NUL, CR,
  /// a tab, a huge name.
  static let askedNames = [
    "we\u{301}b", "\u{212A}", "\u{130}", "web\u{0}", "web\r", "\tweb", String(repeating: "w", count: 100_000),
  ]
  private static let probeValues: [String?] = [
    nil, "Liveness", "Readiness", "Startup", "liveness", "readiness", "startup", "", "Lívéness", "LIVENESS",
    "Live\u{0301}ness", "\u{212A}", "\u{130}", "Liveness\u{0}", "startup\r", "\tReadiness",
  ]
  private static let logPatterns: [String?] = [
    nil, "kubelet.probe-failed", "kubelet.probe-failed-legacy", "kubelet.probe-errored",
    "kubelet.probe-errored-legacy", "kubelet.probe-failed ", "kubelet.other",
  ]
  private static let eventPatterns: [String?] = [
    nil, "event.probe-failed", "event.probe-errored", "event.probe-killing", "event.other",
  ]
  private static let reasons = ["Unhealthy", "unhealthy", "Killing", "killing", "BackOff", "Ünhealthy"]
  private static let captureKeys = ["probe", "container", "output", "mode", "statusCode", "error", "other"]
  private static let values = ["", "503", "connection refused", "wéb", "web", "timeout", "日本", "Liveness"]

  /// Captures drawn at random: each key maybe missing, maybe twice, with any value.
  private static func captures(_ rng: inout SplitMix64, probe: Bool) -> [KeyValue] {
    var out: [KeyValue] = []
    for _ in 0..<rng.below(6) {
      let key = pick(captureKeys, &rng)
      let value: String
      switch key {
      case "probe": value = pick(probeValues, &rng) ?? ""
      case "container": value = pick(names, &rng)
      default: value = pick(values, &rng)
      }
      out.append(KeyValue(key, value))
    }
    if probe, let p = pick(probeValues, &rng) { out.insert(KeyValue("probe", p), at: rng.below(out.count + 1)) }
    return out
  }

  /// A seeded pod. `decorate`, when given, fills in each listed container (its probes, state and
  /// counts) with draws of its own after the container's; without it the draws, and so the pods,
  /// are those these tests were written on.
  static func pod(
    _ rng: inout SplitMix64, decorate: ((inout ContainerSnapshot, inout SplitMix64) -> Void)? = nil
  ) -> PodHistory {
    var snapshot = PodSnapshot(name: "app-0", namespace: "prod")
    if rng.next() % 2 == 0 {
      let roles: [ContainerSnapshot.Role] = [.container, .initContainer, .ephemeral]
      snapshot.containers = (0..<rng.below(3)).map { _ in
        var container = ContainerSnapshot(name: pick(names, &rng), role: pick(roles, &rng))
        decorate?(&container, &rng)
        return container
      }
    }
    var events: [MergedEvent] = []
    for i in 0..<rng.below(7) {
      let path: String? = pick(
        [
          nil, "spec.containers{web}", "spec.initContainers{init-db}", "spec.containers{wéb}", "spec.containers",
          "spec.containers{we\u{301}b}", "spec.containers{\u{212A}}", "spec.containers{}", "spec.containers{\u{130}}",
        ], &rng)
      var event = MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0", fieldPath: path),
        type: .warning, reason: pick(reasons, &rng), message: "m\(i)", count: 1 + rng.below(4),
        evidence: [Evidence(ref: SourceRef(source: "e.txt", line: i + 1), text: "e\(i)")])
      event.patternID = pick(eventPatterns, &rng)
      event.captures = captures(&rng, probe: true)
      events.append(event)
    }
    var logs: [LogRecord] = []
    for i in 0..<rng.below(9) {
      let captured = captures(&rng, probe: true)
      // The line holds some captured values (packed as slices of it) and not others.
      let text =
        rng.next() % 2 == 0
        ? "I1127 probe " + captured.map { "\($0.key)=\($0.value)" }.joined(separator: " ") : "line \(i)"
      var log = LogRecord(
        origin: .kubelet, message: text, evidence: Evidence(ref: SourceRef(source: "k.log", line: i + 1), text: text))
      log.patternID = pick(logPatterns, &rng)
      log.captures = captured
      log.container = rng.next() % 3 == 0 ? pick(names, &rng) : nil
      if rng.next() % 3 == 0 { log.fields = [KeyValue("output", pick(values, &rng))] }
      logs.append(log)
    }
    return PodHistory(
      key: PodKey(namespace: "prod", name: "app-0"), snapshots: [snapshot], latest: snapshot, events: events,
      logs: PodLogs(logs)
    ).preparedForRules()
  }

  /// The kubelet lines `ProbeFailures` selected before `PodProbes`: every record of the pod
  /// filtered, its captures read from the packed bytes.
  private static func filtered(
    _ pod: PodHistory, patterns: Set<String>, probeType: String, container name: String
  ) -> [PackedLog] {
    pod.logs.filter { log in
      guard let id = log.patternID, patterns.contains(id), log.capture("probe") == probeType else { return false }
      return log.capture("container").map { $0 == name || name == ContainerSnapshot.unknownName } ?? true
    }
  }

  @Test func answersAsThePodsFilters() {
    var rng = SplitMix64(seed: 16)
    var selected = (events: 0, kills: 0, lines: 0, skipped: 0, decided: 0, evidence: 0)
    for _ in 0..<4_000 {
      let pod = Self.pod(&rng)
      let probes = PodProbes(pod)
      let containers = Set(pod.containers([.container, .initContainer]).map(\.name) + Self.names + Self.askedNames)
      for kind in ProbeSpec.Kind.allCases {
        let probeType = ProbeFailures.probeType(kind)
        for name in containers.sorted() {
          let old = pod.probeFailures(kind, container: name)
          let new = probes.failures(kind, container: name, in: pod)
          #expect(old.map(\.0) == new.map(\.0))
          #expect(old.map(\.1) == new.map(\.1))
          // Where `ProbeFailures` reads them: the same entries in the same order.
          let positions = probes.failurePositions(kind, container: name, in: pod)
          #expect(positions.map { probes.unhealthy[$0].event } == new.map(\.0))
          #expect(positions.map { probes.unhealthy[$0].message } == new.map(\.1))
          selected.events += new.count
          let kills = probes.kills(kind, container: name, in: pod)
          #expect(pod.probeKills(kind, container: name) == kills)
          selected.kills += kills.count
          let both = probes.lines(kind, container: name)
          let linePositions = probes.linePositions(kind, container: name)
          #expect(linePositions.failed.map { probes.lines[$0].log } == both.failed.map(\.log))
          #expect(linePositions.errored.map { probes.lines[$0].log } == both.errored.map(\.log))
          #expect(linePositions.failed.allSatisfy { probes.lines[$0].failed })
          #expect(linePositions.errored.allSatisfy { !probes.lines[$0].failed })
          // `mayHaveFailed` is decisive: without it, every list a probe finding reads is empty,
          // so `ProbeFailures` (and a probe rule, for every container) answers nil as it did
          // after reading them.
          if !probes.mayHaveFailed(kind) {
            #expect(new.isEmpty && kills.isEmpty && both.failed.isEmpty && both.errored.isEmpty)
            #expect(ProbeFailures(kind, container: ContainerSnapshot(name: name), in: pod, probes: probes) == nil)
            if !probes.unhealthy.isEmpty || !probes.kills.isEmpty || !probes.lines.isEmpty { selected.skipped += 1 }
          } else if !new.isEmpty || !kills.isEmpty || !both.failed.isEmpty || !both.errored.isEmpty {
            selected.decided += 1
          }
          // The decisive lines appended into one list are the joined lists they replace.
          let termination = name.isEmpty ? [] : [Evidence(ref: SourceRef(source: "d.txt", line: 9), text: name)]
          let joined =
            new.map(\.0).evidence + kills.evidence + both.failed.map(\.log.evidence)
            + both.errored.map(\.log.evidence) + termination
          let decisive = ProbeFailures.decisive(
            events: new.map(\.0), kills: kills, logs: both.failed, erroredLogs: both.errored, termination: termination)
          #expect(decisive == joined && decisive.map { Array($0.text.utf8) } == joined.map { Array($0.text.utf8) })
          let inPlace = ProbeFailures.decisive(
            events: new.map(\.0), kills: kills, lines: probes.lines, logs: linePositions.failed,
            erroredLogs: linePositions.errored, termination: termination)
          #expect(inPlace == joined && inPlace.map { Array($0.text.utf8) } == joined.map { Array($0.text.utf8) })
          selected.evidence += decisive.count
          for failed in [true, false] {
            let patterns = failed ? ProbeFailures.failedPatterns : ProbeFailures.erroredPatterns
            let before = Self.filtered(pod, patterns: patterns, probeType: probeType, container: name)
            let lines = failed ? both.failed : both.errored
            #expect(before == lines.map(\.log))
            for (log, line) in zip(before, lines) {
              let decoded = log.captures
              // The captures a line keeps (`PackedLog.firstCaptures`) are the record's first of
              // each name, as `capture(_:)` and the decoded list give them, byte for byte.
              let kept: [(String, String?)] = [
                ("container", line.container), ("output", line.output), ("error", line.error),
                ("mode", line.mode), ("statusCode", line.statusCode),
              ]
              for (key, value) in kept {
                #expect(log.capture(key).map { Array($0.utf8) } == value.map { Array($0.utf8) })
                #expect(decoded.first { $0.key == key }.map { Array($0.value.utf8) } == value.map { Array($0.utf8) })
              }
              #expect(decoded.first { $0.key == "container" }?.value == line.container)
              #expect(decoded.first { $0.key == "probe" }?.value == probeType)
            }
            selected.lines += lines.count
          }
        }
      }
    }
    // The draws reach every kind of answer, not only empty ones.
    #expect(selected.events > 500 && selected.kills > 100 && selected.lines > 500 && selected.evidence > 2_000)
    // Pods with probe entries of other kinds only are skipped, and pods with some are asked.
    #expect(selected.skipped > 500 && selected.decided > 500)
  }

  /// `ProbeFailures.tally` answers as the lists and `max(by:)` it replaces in `ProbeFailures.init`:
  /// the outright and errored events' summed counts and the latest outright event (else the last
  /// event), on seeded lists with ties of time and of line, events seen at no time, with no line,
  /// errored only, outright only, and empty.
  @Test func tallyIsTheFilteredLists() {
    var rng = SplitMix64(seed: 26)
    let base = Date(timeIntervalSince1970: 1_800_000_000)
    let times: [TimeRange?] = [
      nil, TimeRange(exactly: base), TimeRange(exactly: base),
      TimeRange(earliest: base.addingTimeInterval(-60), latest: base.addingTimeInterval(5)),
      TimeRange(exactly: base.addingTimeInterval(5)), TimeRange(exactly: .distantPast),
    ]
    let counts = [1, 1, 2, 3, 7, 1 << 40]
    var seen = (latest: 0, fallback: 0, none: 0)
    for _ in 0..<5_000 {
      var failed: [(MergedEvent, ProbeFailureMessage)] = []
      for i in 0..<rng.below(8) {
        let line = 1 + rng.below(4)
        var event = MergedEvent(
          involved: ObjectRef(kind: "Pod", namespace: "prod", name: "app-0"), type: .warning, reason: "Unhealthy",
          message: "m\(i)", count: Self.pick(counts, &rng), lastSeen: Self.pick(times, &rng),
          evidence: rng.below(4) == 0 ? [] : [Evidence(ref: SourceRef(source: "e.txt", line: line), text: "e")])
        event.patternID = "event.probe-failed"
        guard
          var message = ProbeFailureMessage(
            patternID: "event.probe-failed", captures: [KeyValue("probe", "liveness"), KeyValue("output", "o\(i)")])
        else {
          Issue.record("no message")
          return
        }
        message.errored = rng.below(3) == 0
        failed.append((event, message))
      }
      // The code `tally` replaces, on the positions so that the entry it picks is named exactly.
      let outright = failed.indices.filter { !failed[$0].1.errored }
      let outrightCount = outright.reduce(0) { $0 + failed[$1].0.count }
      let erroredCount = failed.indices.filter { failed[$0].1.errored }.reduce(0) { $0 + failed[$1].0.count }
      let latest =
        outright.max { ai, bi in
          let (a, b) = (failed[ai], failed[bi])
          let (at, bt) = (a.0.lastSeen?.latest ?? .distantPast, b.0.lastSeen?.latest ?? .distantPast)
          guard at == bt, let al = a.0.evidence.last?.ref, let bl = b.0.evidence.last?.ref else { return at < bt }
          return al < bl
        } ?? failed.indices.last
      let tally = ProbeFailures.tally(failed)
      #expect(tally.outright == outrightCount && tally.errored == erroredCount)
      #expect((tally.latest ?? (failed.isEmpty ? nil : failed.count - 1)) == latest)
      // The same tally of entries read where they are, at positions among others: every entry
      // of `failed` placed at a drawn position among errored and outright entries not asked for.
      var entries: [(event: MergedEvent, message: ProbeFailureMessage)] = []
      var positions: [Int] = []
      for entry in failed {
        for _ in 0..<rng.below(3) { entries.append(Self.pick(failed, &rng)) }
        positions.append(entries.count)
        entries.append((entry.0, entry.1))
      }
      let atPositions = ProbeFailures.tally(entries, at: positions)
      #expect(atPositions.outright == tally.outright && atPositions.errored == tally.errored)
      #expect(atPositions.latest == tally.latest.map { positions[$0] })
      if tally.latest != nil { seen.latest += 1 } else if latest != nil { seen.fallback += 1 } else { seen.none += 1 }
    }
    #expect(seen.latest > 500 && seen.fallback > 100 && seen.none > 100)
  }

  /// `ProbeFailures.isFailed(patternID:)` answers as the two pattern sets it stands for: their
  /// members, near misses (case, a trailing byte, one byte short, a combining accent) and hostile ids.
  @Test func failedPatternIsTheSets() {
    var ids = Array(ProbeFailures.failedPatterns) + Array(ProbeFailures.erroredPatterns)
    ids += ids.map { $0.uppercased() } + ids.map { $0 + " " } + ids.map { String($0.dropLast()) }
    ids += [
      "", "kubelet.probe", "kubelet.probe-failed\u{0}", "kubelet.probe-faile\u{301}d", "K\u{212A}", "\u{130}",
      "event.probe-killing", "kubelet.probe-warning", "\t\r\n",
      // The four lengths in bytes (20, 21, 27, 28), other bytes: a Kelvin sign, a dotted İ, a
      // combining accent, NUL, CR, a tab.
      "kubelet.probe-faile\u{0}", "kubelet.probe-errore\r", "kubelet.probe-failed-legac\t",
      "kubelet.probe-errored-legac\u{0}", "\u{212A}ubelet.probe-fail", "kubelet.probe-fa\u{130}ed",
      "kubelet.probe-faile\u{301}", "kubelet.probe-errore\u{301}", String(repeating: "k", count: 20),
      "kubelet.probe-failed-legacy\u{0}",
    ]
    // Every length the fast check lets through is one of the four.
    #expect(
      ids.allSatisfy { ProbeFailures.isFailed(patternID: $0) == nil || [20, 21, 27, 28].contains($0.utf8.count) })
    var answers = (failed: 0, errored: 0)
    for id in ids {
      let expected: Bool? =
        ProbeFailures.failedPatterns.contains(id) ? true : ProbeFailures.erroredPatterns.contains(id) ? false : nil
      #expect(ProbeFailures.isFailed(patternID: id) == expected, "\(id)")
      if expected == true { answers.failed += 1 }
      if expected == false { answers.errored += 1 }
    }
    #expect(answers.failed == 2 && answers.errored == 2)
  }
}
