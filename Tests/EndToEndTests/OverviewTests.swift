import Foundation
import Testing

/// The text report starts with an overview (findings by severity, one verdict per subject) and
/// shows the timelines of the pods a finding is about; the other pods are counted in one line, and
/// `--all-pods` shows them all (issue 14).
@Suite struct OverviewTests {
  static let all = "samples/_all/describe-pods-A.txt"
  static let now = "2026-11-27T01:00:00Z"

  @Test func overviewComesBeforeTheDetails() throws {
    let out = try BinaryRunner.run(["--now", Self.now, Self.all]).stdout
    let overview = try #require(out.range(of: "Overview: "))
    let firstDetail = try #require(out.range(of: "\nCRITICAL  default/accounts-api-6c8d9f7b5-x9z4w (migrate)"))
    #expect(overview.lowerBound < firstDetail.lowerBound)
    #expect(out.contains("Overview: 14 critical, 3 warnings"))
    #expect(
      out.contains(
        "  CRITICAL  default/postgres-0  liveness probe failing (exec-timeout): container 'postgres' killed twice"))
  }

  @Test func podsWithoutFindingsAreFoldedUnlessAsked() throws {
    let folded = try BinaryRunner.run(["--now", Self.now, Self.all]).stdout
    let healthy = "Timeline — default/catalog-5f6d7c8b9-v8w2x"
    #expect(!folded.contains(healthy))
    #expect(folded.contains("pods without findings are not shown (--all-pods shows their timelines)."))
    let all = try BinaryRunner.run(["--now", Self.now, "--all-pods", Self.all]).stdout
    #expect(all.contains(healthy))
    #expect(!all.contains("--all-pods shows"))
    let markdown = try BinaryRunner.run(["--now", Self.now, "--format", "markdown", Self.all]).stdout
    #expect(markdown.contains("pods without findings are not shown"))
  }

  @Test func oneFindingHasNoOverview() throws {
    let out = try BinaryRunner.run(["--now", Self.now, "samples/oomkilled/describe.txt"]).stdout
    #expect(!out.contains("Overview:"))
    #expect(out.hasPrefix("podmortem: 1 finding about 1 pod from 1 source"))
  }
}
