import Foundation
import Testing

@testable import PodmortemModel

/// Time ranges keep their width: a range is never narrower than what the input allows.
@Suite struct TimeRangeTests {
  let t0 = Date(timeIntervalSince1970: 1_800_000_000)

  @Test func boundsAreOrderedWhateverTheArgumentOrder() {
    let r = TimeRange(earliest: t0.addingTimeInterval(60), latest: t0)
    #expect(r.earliest == t0 && r.latest == t0.addingTimeInterval(60))
    #expect(r.width == 60)
    #expect(r.midpoint == t0.addingTimeInterval(30))
    #expect(TimeRange(exactly: t0).width == 0)
  }

  @Test func intersectionIsTheTightestCommonRange() {
    let a = TimeRange(earliest: t0, latest: t0.addingTimeInterval(60))
    let b = TimeRange(earliest: t0.addingTimeInterval(30), latest: t0.addingTimeInterval(90))
    #expect(a.intersection(b) == TimeRange(earliest: t0.addingTimeInterval(30), latest: t0.addingTimeInterval(60)))
    #expect(a.overlaps(b) && b.overlaps(a))
    let later = TimeRange(earliest: t0.addingTimeInterval(61), latest: t0.addingTimeInterval(62))
    #expect(a.intersection(later) == nil && !a.overlaps(later))
    // Touching at one instant is an overlap of width zero.
    let touching = TimeRange(exactly: t0.addingTimeInterval(60))
    #expect(a.intersection(touching)?.width == 0)
  }

  @Test func descriptionShowsTheRangeOnlyWhenItIsWide() {
    #expect(TimeRange(exactly: t0).description == "2027-01-15T08:00:00.000Z")
    #expect(TimeRange(earliest: t0, latest: t0.addingTimeInterval(59)).description.contains(".."))
  }
}

@Suite struct PlausibleTests {
  @Test func numbersOutsideTheirRangeAreRefused() {
    #expect(Plausible.int32("2147483647") == 2_147_483_647)
    #expect(Plausible.int32("2147483648") == nil)
    #expect(Plausible.int32("-2147483648") == -2_147_483_648)
    #expect(Plausible.int32("12a") == nil && Plausible.int32("") == nil)
    #expect(Plausible.duration(.infinity) == nil && Plausible.duration(.nan) == nil)
    #expect(Plausible.duration(Plausible.maxDurationSeconds + 1) == nil)
    #expect(Plausible.duration(30) == 30)
    #expect(Plausible.date(secondsSince1970: 1e300) == nil)
    #expect(Plausible.date(secondsSince1970: 0) == Date(timeIntervalSince1970: 0))
    #expect(Int(saturating: 1e300) == Int.max && Int(saturating: -.infinity) == Int.min)
    #expect(Int(saturating: .nan) == 0)
    #expect(ClosedRange.ordered(5, 2) == 2...5)
  }
}

@Suite struct SourceRefTests {
  @Test func refsSortBySourceThenLineNumberNotText() {
    let refs = [
      SourceRef(source: "b.txt", line: 2), SourceRef(source: "a.txt", line: 10), SourceRef(source: "a.txt", line: 9),
    ]
    #expect(refs.sorted().map(\.description) == ["a.txt:9", "a.txt:10", "b.txt:2"])
    #expect(SourceRef(source: "<stdin>", line: 0).description == "<stdin>")
    let e = [Evidence(ref: refs[0], text: "x"), Evidence(ref: refs[2], text: "y")]
    #expect(e.sorted().first?.ref == refs[2])
  }
}

@Suite struct FindingTests {
  @Test func severitiesOrderInfoWarningCritical() {
    #expect(Severity.info < .warning && Severity.warning < .critical)
    #expect(Severity.allCases.max() == .critical)
  }

  @Test func subjectsNameThePodTheContainerOrTheObject() {
    #expect(Subject(namespace: "shop", pod: "web-0", container: "web").description.contains("shop/web-0"))
    #expect(Subject(namespace: "shop", pod: "web-0", container: "web").description.contains("web"))
    let unnamed = Subject(object: "the pasted pod (name not shown) at input.txt:3")
    #expect(unnamed.description.contains("the pasted pod (name not shown)"))
    #expect(Subject(namespace: "a", pod: "x") < Subject(namespace: "b", pod: "a"))
  }

  @Test func factsAreReadByKey() {
    let f = Finding(
      ruleID: "test.rule", category: .crashloopBackoff, severity: .critical, subject: Subject(pod: "web-0"),
      title: "t", explanation: "e", remedy: "r", facts: [KeyValue("restarts", "5"), KeyValue("exitCode", "137")])
    #expect(f.fact("restarts") == "5" && f.fact("exitCode") == "137" && f.fact("missing") == nil)
  }
}
