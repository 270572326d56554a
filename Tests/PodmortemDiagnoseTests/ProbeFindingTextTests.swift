import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// The liveness and readiness findings' titles, explanations and remedies, now gathered as their
/// pieces and written once (`TextPieces`), compared byte for byte. The references are the interpolated texts as first written, kept here to
/// hold the new writing to them byte for byte (docs/architecture.md "Diagnosis: read a pod once").
@Suite struct ProbeFindingTextTests {
  // MARK: The references, as first written.

  static func readinessTitle(_ f: ProbeFailures, ready: Bool) -> String {
    ready
      ? "readiness probe failed earlier (\(f.mode.rawValue)); container '\(f.container.name)' is ready now"
      : "readiness probe failing (\(f.mode.rawValue)): container '\(f.container.name)' receives no traffic"
  }

  static func readinessBelowTitle(_ f: ProbeFailures, threshold: Int) -> String {
    "readiness probe \(f.attemptsText) (\(f.mode.rawValue)), fewer than the \(threshold) in a row that make "
      + "container '\(f.container.name)' unready"
  }

  static func readinessExplanation(_ f: ProbeFailures, ready: Bool, restarts: Int, belowThreshold: Int? = nil)
    -> String
  {
    var text =
      "\(f.sentenceSpecText) \(f.attemptsText): \(f.modeText)."
    if let threshold = belowThreshold {
      text +=
        " The kubelet marks a ready container unready only after \(threshold) failures in a row"
        + "\(f.spec == nil ? " (failureThreshold's default)" : ""), so these alone took no traffic away; a "
        + "container still starting is unready until its first success anyway. The input does not show "
        + "whether it is ready now."
    } else {
      text +=
        ready
        ? " The container is ready now, so the pod is back in its Services' endpoints."
        : " While it fails the pod is removed from its Services' endpoints."
    }
    text += " Readiness never restarts a container"
    text += restarts > 0 ? "; the \(restarts) restarts have another cause." : "."
    return text + f.unknownsText
  }

  static func livenessTitle(_ f: ProbeFailures, kills: Int) -> String {
    kills > 0
      ? "liveness probe failing (\(f.mode.rawValue)): container '\(f.container.name)' killed \(times(kills))"
      : "liveness probe failing (\(f.mode.rawValue)) on container '\(f.container.name)'"
  }

  static func livenessExplanation(
    _ f: ProbeFailures, kills: Int, restarts: Int, model: ProbeModel?, slowStart: (run: Double, threshold: Int)?
  ) -> String {
    var text =
      "\(f.sentenceSpecText) \(f.attemptsText): \(f.modeText)."
    if let model, let spec = f.spec {
      text +=
        " The kubelet kills the container after \(spec.failureThreshold) consecutive failures, "
        + "\(Seconds.format(model.detection)) after the endpoint stops answering "
        + "((\(spec.failureThreshold) − 1) × \(spec.periodSeconds)s to \(spec.failureThreshold) × \(spec.periodSeconds)s "
        + "+ \(spec.timeoutSeconds)s timeout)."
    }
    if kills > 0 {
      text += " The kubelet killed the container \(times(kills)) (Killing x\(kills))"
      if let exit = f.container.lastTermination?.exitCode {
        let meaning = ExitCodes.explain(exit, reason: f.container.lastTermination?.reason)
        text += "; the last run exited \(exit) (\(meaning.summary))"
      }
      text +=
        f.container.restartCount == nil
        ? "; the input does not show the restart count." : "; the container has restarted \(times(restarts))."
    } else if restarts == 0 {
      text += " No kill is recorded yet: the failures have not reached the threshold in a row."
    }
    if let slowStart, let model, let spec = f.spec {
      text +=
        " The last run lasted only \(Seconds.format(slowStart.run)), within the \(Seconds.format(model.restartLatency))"
        + " a never-answering container survives (initialDelay \(spec.initialDelaySeconds)s + \(spec.failureThreshold)"
        + " × \(spec.periodSeconds)s ± \(spec.periodSeconds)s): the probe is killing a container that has not finished"
        + " starting."
    }
    if f.errored > 0 {
      text += " \(counted(f.errored, "attempt")) errored; errored attempts do not count toward failureThreshold."
    }
    return text + f.unknownsText
  }

  /// `specText` as first written, and its sentence as first built from it.
  static func specText(_ f: ProbeFailures) -> String {
    guard let spec = f.spec else { return "the \(f.kind.rawValue) probe" }
    return "the \(f.kind.rawValue) probe (\(spec.handler.describeText), timeout \(spec.timeoutSeconds)s, "
      + "period \(spec.periodSeconds)s, failureThreshold \(spec.failureThreshold))"
  }

  static func sentenceSpecText(_ f: ProbeFailures) -> String {
    "\(specText(f).prefix(1).uppercased())\(specText(f).dropFirst())"
  }

  // MARK: The cases.

  /// A pod whose one container failed both probes, read as the rules read it.
  static func failures() throws -> (liveness: ProbeFailures, readiness: ProbeFailures) {
    var p = ExamplePod("web-0")
    p.container(
      "web", lastState: .terminated(Termination(reason: "Error", exitCode: 137)), restarts: 2,
      probes: [.liveness: .http(80, "/healthz"), .readiness: .http(80, "/ready")])
    p.event(.warning, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", count: 3)
    p.event(.warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 4)
    let pod = p.history.preparedForRules()
    let container = try #require(pod.containers().first)
    return (
      try #require(ProbeFailures(.liveness, container: container, in: pod)),
      try #require(ProbeFailures(.readiness, container: container, in: pod))
    )
  }

  /// Hostile names and outputs: empty, the Kelvin sign, a dotted capital I, combining accents,
  /// CR, NUL, tabs, non-ASCII, and long text.
  static let hostile = [
    "", "web", "K\u{212A}", "\u{130}stanbul", "e\u{301}", "\u{301}x", "a\r\nb", "\u{0}", "\t\t", "日本",
    "'quoted'", String(repeating: "output ", count: 300),
  ]

  static let numbers = [0, 1, 2, 3, 9, 10, 59, 60, 3_600, -1, Int(Int32.max), Int(Int32.min)]

  static func randomize(_ f: inout ProbeFailures, _ rng: inout SplitMix64) {
    func pick<T>(_ values: [T]) -> T { values[rng.below(values.count)] }
    let handlers: [ProbeHandler] = [
      .httpGet(scheme: "HTTP", host: "", port: "8080", path: "/healthz"), .tcpSocket(host: "", port: "5432"),
      .exec(command: ["cat", pick(hostile)]), .grpc(port: "9090", service: ""), .unknown,
    ]
    f.spec =
      rng.below(4) == 0
      ? nil
      : ProbeSpec(
        handler: pick(handlers), initialDelaySeconds: pick(numbers), timeoutSeconds: pick(numbers),
        periodSeconds: pick(numbers), failureThreshold: pick(numbers))
    f.failures = pick(numbers)
    f.errored = pick([0, 0, 1, 2, 5])
    f.mode = pick(ProbeMode.allCases)
    f.statusCode = rng.below(3) == 0 ? nil : pick([200, 301, 500, 503, -1])
    f.latestOutput = pick(hostile)
    f.container.name = pick(hostile)
    f.container.restartCount = rng.below(4) == 0 ? nil : pick(numbers)
    f.container.lastState =
      rng.below(3) == 0
      ? nil
      : .terminated(
        Termination(reason: pick([nil, "Error", "OOMKilled", "\u{130}"]), exitCode: pick([0, 1, 137, 143, 255, -1])))
  }

  /// `TextPieces` gives the bytes `+` gives, whatever the pieces are, and `addTimes` spells as
  /// `times` does; so does the list of pieces it replaces (`GatheredPieces`), and the two give the
  /// same bytes: hostile pieces (a Kelvin sign, a dotted İ, a combining accent, NUL, CR, a tab,
  /// empty), texts that end just within the stack's room, just past it, and far past it (one
  /// huge piece, or many that cross it in the middle of a piece).
  @Test func textPiecesAreTheConcatenation() {
    var rng = SplitMix64(seed: 21_021)
    var lists = Self.hostile.map { [$0] } + [[], [""], ["", ""]]
    for _ in 0..<500 {
      lists.append((0..<rng.below(40)).map { _ in Self.hostile[rng.below(Self.hostile.count)] })
    }
    // Around the 1,024 bytes of room: ASCII and multi-byte fillers that end below, at and past it.
    for total in [1_022, 1_023, 1_024, 1_025, 1_026, 2_048, 3_000] {
      lists.append([String(repeating: "a", count: total)])
      lists.append([String(repeating: "a", count: total - 1), "\u{130}"])
      lists.append([String(repeating: "b", count: total - 2), "K\u{212A}", "tail"])
      lists.append([String(repeating: "c", count: 1_000), String(repeating: "e\u{301}", count: (total - 1_000) / 3)])
    }
    lists.append([String(repeating: "\u{0}\r\t", count: 100_000), "end"])
    lists.append((0..<400).map { _ in "\u{212A}\u{130}e\u{301}\u{0}\r\t " })
    for _ in 0..<200 {
      lists.append(
        (0..<rng.below(60)).map { _ in
          rng.below(8) == 0
            ? String(repeating: Self.hostile[rng.below(Self.hostile.count)], count: rng.below(200))
            : Self.hostile[rng.below(Self.hostile.count)]
        })
    }
    for pieces in lists {
      let written = TextPieces.written { text in
        for piece in pieces { text.add(piece) }
      }
      var gathered = GatheredPieces(capacity: rng.below(4))
      for piece in pieces { gathered.add(piece) }
      let joined = pieces.reduce("", +)
      #expect(Array(written.utf8) == Array(joined.utf8))
      #expect(Array(gathered.joined().utf8) == Array(joined.utf8))
    }
    for n in Self.numbers + [Int.max, Int.min] {
      let written = TextPieces.written { text in
        text.add("x ")
        text.addTimes(n)
      }
      var gathered = GatheredPieces(capacity: 2)
      gathered.add("x ")
      gathered.addTimes(n)
      #expect(Array(written.utf8) == Array("x \(times(n))".utf8))
      #expect(Array(gathered.joined().utf8) == Array(written.utf8))
    }
  }

  /// The remedies as first written: the steps in a list, joined.
  static func livenessRemedy(_ f: ProbeFailures, slowStart: (run: Double, threshold: Int)?, logs: String) -> String {
    var steps: [String] = []
    if let slowStart, let spec = f.spec {
      steps.append(
        "add a startupProbe with the same handler, periodSeconds: \(spec.periodSeconds) and failureThreshold: "
          + "\(slowStart.threshold) (\(slowStart.threshold * spec.periodSeconds)s to start, covering twice the "
          + "\(Seconds.format(slowStart.run)) it ran with 50 % headroom); liveness checks begin only after it succeeds")
    }
    if let modeRemedy = f.modeRemedy { steps.append(modeRemedy) }
    steps.append("read the killed run's log: \(logs)")
    return steps.joined(separator: "; ")
  }

  static func readinessRemedy(_ f: ProbeFailures) -> String {
    [f.modeRemedy, "'kubectl get endpointslices' shows whether the pod receives traffic"].compactMap { $0 }
      .joined(separator: "; ")
  }

  @Test func remediesAreTheReference() throws {
    var f = try Self.failures().liveness
    var rng = SplitMix64(seed: 21_022)
    var withStep = 0
    for round in 0..<2_000 {
      if round > 0 { Self.randomize(&f, &rng) }
      let small = [0, 1, 2, 3, 9, 10, 59, 60, 3_600, -1]
      if var spec = f.spec {
        // Periods as ingest admits them for the product the reference computes.
        spec.periodSeconds = small[rng.below(small.count)]
        f.spec = spec
      }
      let slowStart: (run: Double, threshold: Int)? =
        rng.below(2) == 0 ? nil : ([0, 0.4, 59.5, 3_600, -2, 1e12][rng.below(6)], small[rng.below(small.count)])
      let logs = Self.hostile[rng.below(Self.hostile.count)]
      let new = LivenessProbeFailingRule.remedy(f, slowStart: slowStart, logs: logs)
      #expect(Array(new.utf8) == Array(Self.livenessRemedy(f, slowStart: slowStart, logs: logs).utf8))
      if f.modeRemedy != nil { withStep += 1 }
      #expect(Array(ReadinessProbeFailingRule.remedy(f).utf8) == Array(Self.readinessRemedy(f).utf8))
    }
    #expect(withStep > 200)
  }

  /// `addModeRemedy` adds `modeRemedy`'s bytes, or nothing when it is nil, and `hasModeRemedy`
  /// says which: every mode, with and without a spec, timeouts and status codes seeded.
  @Test func modeRemedyPiecesAreTheInterpolatedAdvice() throws {
    var f = try Self.failures().liveness
    var rng = SplitMix64(seed: 21_023)
    var seen = Set<ProbeMode>()
    for _ in 0..<3_000 {
      Self.randomize(&f, &rng)
      seen.insert(f.mode)
      var added = false
      let text = TextPieces.written { text in added = f.addModeRemedy(to: &text) }
      #expect(added == (f.modeRemedy != nil))
      #expect(f.hasModeRemedy == (f.modeRemedy != nil))
      #expect(Array(text.utf8) == Array((f.modeRemedy ?? "").utf8))
    }
    #expect(seen == Set(ProbeMode.allCases))
  }

  @Test func specTextsAreTheReference() throws {
    let (liveness, readiness) = try Self.failures()
    var rng = SplitMix64(seed: 21_020)
    for var f in [liveness, readiness] {
      for kind in ProbeSpec.Kind.allCases {
        f.kind = kind
        for _ in 0..<300 {
          Self.randomize(&f, &rng)
          #expect(f.specText == Self.specText(f))
          #expect(f.sentenceSpecText == Self.sentenceSpecText(f))
          #expect(f.sentenceSpecText == "\(f.specText.prefix(1).uppercased())\(f.specText.dropFirst())")
        }
      }
    }
  }

  @Test func readinessTextsAreTheReference() throws {
    var f = try Self.failures().readiness
    var rng = SplitMix64(seed: 21_018)
    for round in 0..<2_000 {
      if round > 0 { Self.randomize(&f, &rng) }
      let ready = rng.below(2) == 0
      let restarts = Self.numbers[rng.below(Self.numbers.count)]
      let threshold: Int? = rng.below(2) == 0 ? nil : Self.numbers[rng.below(Self.numbers.count)]
      #expect(
        Array(ReadinessProbeFailingRule.title(f, ready: ready).utf8) == Array(Self.readinessTitle(f, ready: ready).utf8)
      )
      if let threshold {
        #expect(
          Array(ReadinessProbeFailingRule.belowTitle(f, threshold: threshold).utf8)
            == Array(Self.readinessBelowTitle(f, threshold: threshold).utf8))
      }
      #expect(
        Array(
          ReadinessProbeFailingRule.explanation(f, ready: ready, restarts: restarts, belowThreshold: threshold).utf8)
          == Array(Self.readinessExplanation(f, ready: ready, restarts: restarts, belowThreshold: threshold).utf8))
    }
    #expect(ReadinessProbeFailingRule.title(f, ready: true).hasPrefix("readiness probe failed earlier ("))
  }

  @Test func livenessTextsAreTheReference() throws {
    var f = try Self.failures().liveness
    var rng = SplitMix64(seed: 21_019)
    var withModel = 0
    for round in 0..<2_000 {
      if round > 0 { Self.randomize(&f, &rng) }
      let kills = Self.numbers[rng.below(Self.numbers.count)]
      let restarts = Self.numbers[rng.below(Self.numbers.count)]
      let model = f.spec.map(ProbeModel.init)
      if model != nil { withModel += 1 }
      let slowStart: (run: Double, threshold: Int)? =
        rng.below(2) == 0
        ? nil : ([0, 0.4, 59.5, 3_600, -2, 1e12][rng.below(6)], Self.numbers[rng.below(Self.numbers.count)])
      #expect(
        Array(LivenessProbeFailingRule.title(f, kills: kills).utf8) == Array(Self.livenessTitle(f, kills: kills).utf8))
      #expect(
        Array(
          LivenessProbeFailingRule.explanation(f, kills: kills, restarts: restarts, model: model, slowStart: slowStart)
            .utf8)
          == Array(
            Self.livenessExplanation(f, kills: kills, restarts: restarts, model: model, slowStart: slowStart).utf8))
    }
    #expect(withModel > 1_000)
  }

  /// `ProbeFailureMessage.statusCode` answers as the parse it stands for,
  /// `Plausible.int32(Substring(text))`: on digits of every length from none to twelve (leading
  /// zeros, `Int32`'s bounds and past them), signs, spaces, non-ASCII digits, a Kelvin sign, a
  /// dotted İ, a combining accent, NUL, CR, a tab, and seeded random texts.
  @Test func statusCodeIsTheParse() {
    var texts = [
      "", "0", "00", "503", "007", "200", "+503", "-1", "-0", "+", "-", "999999999", "0999999999", "1234567890",
      "2147483647", "2147483648", "-2147483648", "-2147483649", "5\u{0}3", "503\u{0}", "\u{0663}\u{0660}\u{0663}",
      "\u{FF15}\u{FF10}\u{FF13}", " 503", "503 ", "503\r", "\t503", "50\u{301}3", "\u{212A}", "\u{130}", "5e2",
      "0x1F", String(repeating: "9", count: 100_000),
    ]
    var rng = SplitMix64(seed: 503)
    let alphabet = Array("0123456789+- \u{0}\r\t\u{212A}\u{130}\u{301}a")
    for _ in 0..<5_000 {
      texts.append(String((0..<rng.below(13)).map { _ in alphabet[rng.below(alphabet.count)] }))
    }
    var parsed = 0
    for text in texts {
      let expected = Plausible.int32(Substring(text))
      #expect(ProbeFailureMessage.statusCode(text) == expected, "\(text.debugDescription)")
      if expected != nil { parsed += 1 }
    }
    #expect(parsed > 200)
  }
}
