import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemDiagnose

/// Texts the explanations used to build for every finding and now build once: each compared with
/// the expression it replaces, kept here as the reference (docs/architecture.md "Diagnosis: read
/// a pod once").
@Suite struct ExplanationTextTests {

  /// The reference: the curve as `CrashLoopBackOffRule` wrote it into every explanation.
  private static func referenceCurve(_ model: CrashLoopBackOffModel) -> String {
    model.curve(8).map { Seconds.format($0) }.joined(separator: ", ")
  }

  /// The standard curve (written once per run), the reduced one, tuned ones (the cap below,
  /// at and above the initial delay, fractional, zero, huge) and seeded random ones: the text
  /// and the cap's are the reference's.
  @Test func crashLoopCurveTextIsTheReference() {
    var models: [CrashLoopBackOffModel] = [
      .standard, .reduced, CrashLoopBackOffModel(initialSeconds: 10, maxSeconds: 300),
      CrashLoopBackOffModel(initialSeconds: 10, maxSeconds: 301),
      CrashLoopBackOffModel(initialSeconds: 9, maxSeconds: 300),
    ]
    models += [0, 0.5, 1, 5, 10, 59.5, 60, 299, 300, 3_600, 1e6].map { CrashLoopBackOffModel.tuned(maxSeconds: $0) }
    var rng = SplitMix64(seed: 7_316)
    for _ in 0..<500 {
      let initial = Double(rng.below(20_000)) / 100
      let cap = Double(rng.below(400_000)) / 100
      models.append(CrashLoopBackOffModel(initialSeconds: initial, maxSeconds: cap))
    }
    for model in models {
      #expect(CrashLoopBackOffRule.curveText(model) == Self.referenceCurve(model))
      #expect(CrashLoopBackOffRule.capText(model) == Seconds.format(model.maxSeconds))
    }
    #expect(CrashLoopBackOffRule.curveText(.standard) == "0s, 10s, 20s, 40s, 1m20s, 2m40s, 5m, 5m")
  }

  /// The waiting reasons `ContainerConfigErrorRule` built for every container, now built once.
  @Test func configErrorReasonsAreTheLiteral() {
    let reference: Set<String> = ["CreateContainerConfigError", "CreateContainerError", "RunContainerError"]
    #expect(ContainerConfigErrorRule.waitingReasons == reference)
  }

  // MARK: CrashLoopBackOffRule's explanations, as first written: interpolations appended to a
  // growing string. Kept to hold the texts now gathered as pieces (`TextPieces`) to them byte for
  // byte (docs/architecture.md "Diagnosis: read a pod once").

  static func referenceExplanation(
    _ a: CrashLoopBackOffModel.Assessment, model: CrashLoopBackOffModel, last: Termination?, events: [MergedEvent]
  ) -> String {
    var text = ""
    if let last {
      let meaning = ExitCodes.explain(last)
      text +=
        "The last run ended with exit code \(last.exitCode)\(last.reason.map { " (\($0))" } ?? ""): "
        + "\(meaning.summary). "
    }
    if a.reset {
      text +=
        "That run lasted over \(Int(CrashLoopBackOffModel.resetAfterSeconds / 60)) minutes, so the back-off "
        + "reset: the restart is immediate and the delays start again at \(Int(model.initialSeconds))s."
    } else {
      let curve = CrashLoopBackOffRule.curveText(model)
      text +=
        "After \(a.restartCount) restarts this is exit \(a.step); the kubelet waits \(Seconds.format(a.delaySeconds))"
        + " (delays per exit: \(curve) …, capped at \(CrashLoopBackOffRule.capText(model))), counted from finishedAt."
    }
    if let nextStartIn = a.nextStartIn {
      text +=
        nextStartIn.upperBound <= 0
        ? " The next start was due \(Seconds.format(-nextStartIn.upperBound)) before capture."
        : " The next start is due in \(Seconds.format(.ordered(max(0, nextStartIn.lowerBound), nextStartIn.upperBound)))"
          + " (up to one 15s sync retry after the nominal delay)."
    }
    if let observed = a.observedDelaySeconds {
      switch a.curve {
      case .consistent: text += " The waiting message's 'back-off \(Seconds.format(observed))' agrees."
      case .earlierStep(let exits):
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))', step \(exits) of the default curve: "
          + "earlier runs outlasted the 10-minute reset, or the kubelet's maxContainerRestartPeriod is \(Seconds.format(observed))."
      case .reducedCurve:
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))', which is on the 1s → 60s curve: "
          + "the kubelet runs with ReduceDefaultCrashLoopBackOffDecay."
      case .tunedMax(let seconds):
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))': the kubelet's "
          + "crashLoopBackOff.maxContainerRestartPeriod is probably \(Seconds.format(seconds))."
      case .unexplained:
        text +=
          " The waiting message says 'back-off \(Seconds.format(observed))', longer than this restart count allows."
      case .notObserved: break
      }
    }
    if !events.isEmpty {
      text += " The BackOff event count (x\(events.totalCount)) counts sync retries every 10–15s, not restarts."
    }
    return text
  }

  /// The title and explanation `unknownCount` wrote; `rowRestarts` and `observed` stand for the
  /// pod and container it read them from.
  static func referenceUnknownCount(
    name: String, last: Termination?, rowRestarts: Int?, observed: Double?, events: [MergedEvent]
  ) -> (title: String, explanation: String) {
    let model = CrashLoopBackOffModel.standard
    let curve = CrashLoopBackOffRule.curveText(model)
    var text = ""
    if let last {
      let meaning = ExitCodes.explain(last)
      text +=
        "The last run ended with exit code \(last.exitCode)\(last.reason.map { " (\($0))" } ?? ""): \(meaning.summary). "
    }
    if let total = rowRestarts {
      text += "The row's RESTARTS column shows \(total) across the pod's containers, not per container. "
    } else {
      text += "The input does not show the restart count. "
    }
    var title = "container '\(name)' in CrashLoopBackOff (restart count not shown"
    if let observed {
      let step = (1...64).first { model.delay(afterExit: $0) >= observed } ?? 64
      text +=
        "The kubelet says it waits \(Seconds.format(observed)) before the next start; on the default curve "
        + "(\(curve) …, capped at \(CrashLoopBackOffRule.capText(model))) that delay follows exit \(step) or a later one, "
        + "so the container has restarted at least \(step - 1) times (unless the kubelet's curve is tuned)."
      title += "; back-off \(Seconds.format(observed))"
    } else {
      text +=
        "The kubelet delays each restart by \(curve) …, capped at \(CrashLoopBackOffRule.capText(model)); "
        + "without the restart count or the waiting message, where it is on that curve is not known."
    }
    title += ")"
    if !events.isEmpty {
      text += " The BackOff event count (x\(events.totalCount)) counts sync retries every 10–15s, not restarts."
    }
    return (title, text)
  }

  /// Hostile names, reasons and messages: empty, the Kelvin sign, a dotted capital I, combining
  /// accents, CR, NUL, tabs, non-ASCII, long text.
  static let hostile = [
    "", "web", "K\u{212A}", "\u{130}stanbul", "e\u{301}", "\u{301}x", "a\r\nb", "\u{0}", "\t\t", "日本",
    String(repeating: "Error ", count: 200),
  ]

  static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[rng.below(values.count)] }

  static func randomTermination(_ rng: inout SplitMix64) -> Termination? {
    rng.below(4) == 0
      ? nil
      : Termination(
        reason: rng.below(3) == 0 ? nil : pick(hostile + ["OOMKilled", "Error", "StartError"], &rng),
        exitCode: pick([0, 1, 2, 126, 127, 128, 137, 139, 143, 255, -1, Int(Int32.max), Int(Int32.min)], &rng))
  }

  static func randomEvents(_ rng: inout SplitMix64) -> [MergedEvent] {
    (0..<pick([0, 0, 1, 2, 3], &rng)).map { _ in
      MergedEvent(
        involved: ObjectRef(kind: "Pod", namespace: "ns", name: pick(hostile, &rng), fieldPath: nil), type: .warning,
        reason: "BackOff", message: pick(hostile, &rng), sourceComponent: "kubelet",
        count: pick([1, 2, 27, 1_000, Int(Int32.max)], &rng), firstSeen: nil, lastSeen: nil, evidence: [])
    }
  }

  static let seconds: [Double] = [0, 0.4, 1, 9.5, 10, 20, 40, 80, 160, 300, 301, 3_600, 1e9, -1, -3_600]

  /// Seeded random assessments (every curve case, reset or not, next starts due and past, hostile
  /// terminations, zero to three BackOff events), compared byte for byte.
  @Test func crashLoopExplanationIsTheReference() {
    var rng = SplitMix64(seed: 7_317)
    let models: [CrashLoopBackOffModel] = [.standard, .reduced, .tuned(maxSeconds: 60)]
    for _ in 0..<3_000 {
      let curves: [CrashLoopBackOffModel.Assessment.Curve] = [
        .notObserved, .consistent, .earlierStep(exitsSinceReset: Self.pick([0, 1, 5, 64, -1], &rng)), .reducedCurve,
        .tunedMax(seconds: Self.pick(Self.seconds, &rng)), .unexplained,
      ]
      let lower = Self.pick(Self.seconds, &rng)
      let a = CrashLoopBackOffModel.Assessment(
        restartCount: Self.pick([0, 1, 5, 1_000, -1, Int(Int32.max)], &rng), step: Self.pick([0, 1, 7, 64], &rng),
        delaySeconds: Self.pick(Self.seconds, &rng), nextStart: nil,
        nextStartIn: rng.below(3) == 0 ? nil : lower...(lower + Self.pick([0, 15, 1e6], &rng)),
        reset: rng.below(4) == 0, observedDelaySeconds: rng.below(3) == 0 ? nil : Self.pick(Self.seconds, &rng),
        curve: Self.pick(curves, &rng))
      let model = Self.pick(models, &rng)
      let last = Self.randomTermination(&rng)
      let events = Self.randomEvents(&rng)
      let new = CrashLoopBackOffRule.explanation(a, model: model, last: last, events: events)
      #expect(Array(new.utf8) == Array(Self.referenceExplanation(a, model: model, last: last, events: events).utf8))
    }
  }

  /// Seeded random containers of unknown restart count: hostile names and terminations, a row's
  /// RESTARTS or none, observed delays on and off the curve, zero to three BackOff events.
  @Test func crashLoopUnknownCountTextsAreTheReference() {
    var rng = SplitMix64(seed: 7_318)
    var observedSome = 0
    for _ in 0..<3_000 {
      let name = Self.pick(Self.hostile, &rng)
      let last = Self.randomTermination(&rng)
      let rowRestarts: Int? = rng.below(2) == 0 ? nil : Self.pick([0, 1, 7, 1_000, Int(Int32.max)], &rng)
      let observed: Double? = rng.below(3) == 0 ? nil : Self.pick(Self.seconds, &rng)
      let events = Self.randomEvents(&rng)
      let model = CrashLoopBackOffModel.standard
      let step = observed.map { o in (1...64).first { model.delay(afterExit: $0) >= o } ?? 64 } ?? 0
      if observed != nil { observedSome += 1 }
      let new = CrashLoopBackOffRule.unknownCountTexts(
        name: name, last: last, summary: last.map { ExitCodes.explain($0).summary }, rowRestarts: rowRestarts,
        observed: observed, step: step, backOffEvents: events.isEmpty ? nil : events.totalCount)
      let reference = Self.referenceUnknownCount(
        name: name, last: last, rowRestarts: rowRestarts, observed: observed, events: events)
      #expect(Array(new.title.utf8) == Array(reference.title.utf8))
      #expect(Array(new.explanation.utf8) == Array(reference.explanation.utf8))
    }
    #expect(observedSome > 1_000)
  }

  /// `trimmedWhitespace` answers as Foundation's trim: hostile texts, with and without blanks
  /// (spaces, tabs, no-break and ideographic spaces, CR, NUL) at either end, and seeded mixes.
  @Test func trimmedWhitespaceIsFoundations() {
    let ends = ["", " ", "\t", "  \t", "\u{A0}", "\u{3000}", "\r", "\n", "\u{0}", "x", "'", "\u{301}", "K\u{212A}"]
    var texts: [String] = []
    for head in ends {
      for middle in Self.hostile {
        for tail in ends { texts.append(head + middle + tail) }
      }
    }
    var rng = SplitMix64(seed: 7_319)
    for _ in 0..<2_000 {
      texts.append(
        (0..<rng.below(6)).map { _ in rng.below(2) == 0 ? Self.pick(ends, &rng) : Self.pick(Self.hostile, &rng) }
          .joined())
    }
    for text in texts {
      #expect(Array(trimmedWhitespace(text).utf8) == Array(text.trimmingCharacters(in: .whitespaces).utf8))
    }
  }

  /// `trimmedWhitespaceAndNewlines` answers as Foundation's trim of whitespace and newlines:
  /// hostile middles between every pair of hostile ends (each ASCII member of the set, runs of
  /// them, CR LF, NEL, no-break, line and ideographic separators, NUL, DEL, other controls, a
  /// combining accent, a Kelvin sign, printable ASCII), seeded mixes, and lines and runs of lines
  /// of the shipped samples, as they are and with blanks around them.
  @Test func trimmedWhitespaceAndNewlinesIsFoundations() {
    let ends = [
      "", " ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\r\n", " \n\t", "\n\n", "\u{85}", "\u{A0}", "\u{2028}",
      "\u{3000}", "\u{0}", "\u{7F}", "\u{1F}", "\u{1}", "x", "'", "~", "!", "\u{301}", "\u{212A}", "\u{130}",
      "\n\u{301}",
    ]
    var texts: [String] = []
    for head in ends {
      for middle in Self.hostile + ["a b", "x\ny", " ", "\n"] {
        for tail in ends { texts.append(head + middle + tail) }
      }
    }
    var rng = SplitMix64(seed: 7_326)
    for _ in 0..<3_000 {
      texts.append(
        (0..<rng.below(7)).map { _ in rng.below(2) == 0 ? Self.pick(ends, &rng) : Self.pick(Self.hostile, &rng) }
          .joined())
    }
    let lines = ShippedSamples.lines { ["txt", "log", "json", "yaml", "md"].contains($0.pathExtension) }
    #expect(lines.count > 1_000)
    // Every fifth line, so that the reference's Foundation trim keeps the test short.
    for (i, line) in lines.enumerated() where i % 5 == 0 {
      texts.append(line)
      texts.append(" " + line + "\n")
      if i % 35 == 0 { texts.append(lines[i..<min(i + 5, lines.count)].joined(separator: "\n") + "\n") }
    }
    texts.append(String(repeating: " \n", count: 50_000) + "x" + String(repeating: "\r\n", count: 50_000))
    var fast = 0
    for text in texts {
      let trimmed = trimmedWhitespaceAndNewlines(text)
      #expect(Array(trimmed.utf8) == Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8))
      if let first = trimmed.utf8.first, (0x21...0x7E).contains(first) { fast += 1 }
    }
    #expect(fast > 1_000)
  }

  /// `ImagePullFailingRule.regularCount` counts what the filter it replaces kept: seeded lists of
  /// regular, init and ephemeral containers, empty ones included.
  @Test func imagePullRegularCountIsTheFilter() {
    var rng = SplitMix64(seed: 7_320)
    let roles: [ContainerSnapshot.Role] = [.container, .initContainer, .ephemeral]
    var counted = 0
    for _ in 0..<2_000 {
      let containers = (0..<rng.below(6)).map { _ in
        ContainerSnapshot(name: Self.pick(Self.hostile, &rng), role: Self.pick(roles, &rng))
      }
      let reference = containers.filter { $0.role == .container }.count
      #expect(ImagePullFailingRule.regularCount(containers) == reference)
      counted += reference
    }
    #expect(counted > 1_000)
  }
}
