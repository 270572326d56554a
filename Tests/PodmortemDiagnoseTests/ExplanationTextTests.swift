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
}
