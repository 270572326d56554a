import Foundation
import Podmortem
import PodmortemCorrelate
import PodmortemModel
import PodmortemReport
import Testing

/// The library's side of the command line: exit outcomes, kubectl's selection flags, suggestions.
@Suite("command logic")
struct CommandLogicTests {
  static func report(lines: Int, parsed: Int, unrecognised: Int, findings: [Severity] = []) -> ReportInput {
    var account = SourceAccount(source: "input.txt")
    account.lines = lines
    account.parsed = parsed
    account.unrecognised = unrecognised
    account.ignored = lines - parsed - unrecognised
    let found = findings.map { severity in
      PodmortemModel.Finding(
        ruleID: "test.rule", category: .containerExit, severity: severity, subject: Subject(namespace: "a", pod: "p"),
        title: "t", explanation: "e", remedy: "", facts: [], evidence: [])
    }
    return ReportInput(
      toolVersion: "0", accounts: [account], diagnostics: [], state: Correlator().finish(),
      findings: found)
  }

  @Test("outcomes in order: nothing read, nothing recognised, unrecognised share, findings, clean")
  func outcomes() {
    #expect(Outcome(Self.report(lines: 0, parsed: 0, unrecognised: 0), failOn: .warning).exitCode == 2)
    let top = Outcome(Self.report(lines: 3, parsed: 0, unrecognised: 3), failOn: .warning)
    #expect(top == .nothingRecognised(lines: 3, sources: 1))
    #expect(!top.hasReport)
    // Blank lines a parser ignores are not recognition: a README of blank and unknown lines is nothing.
    #expect(Outcome(Self.report(lines: 10, parsed: 0, unrecognised: 4), failOn: .warning).exitCode == 2)
    let half = Self.report(lines: 10, parsed: 5, unrecognised: 5, findings: [.critical])
    #expect(Outcome(half, failOn: .warning, unrecognisedLimit: 49.9) == .tooMuchUnrecognised(percent: 50, limit: 49.9))
    #expect(Outcome(half, failOn: .warning, unrecognisedLimit: 50) == .findings(count: 1))
    #expect(Outcome(half, failOn: nil, unrecognisedLimit: 50) == .clean)
    let info = Self.report(lines: 10, parsed: 10, unrecognised: 0, findings: [.info, .warning])
    #expect(Outcome(info, failOn: .critical).exitCode == 0)
    #expect(Outcome(info, failOn: .warning) == .findings(count: 1))
    #expect(Outcome(info, failOn: .info) == .findings(count: 2))
  }

  @Test("percentages: 0 to 100, with or without %")
  func percent() {
    #expect(Outcome.parsePercent("12.5%") == 12.5)
    #expect(Outcome.parsePercent("0") == 0)
    #expect(Outcome.parsePercent("100") == 100)
    for bad in ["101", "-0.1", "inf", "nan", "", "%", "1e400"] { #expect(Outcome.parsePercent(bad) == nil, "\(bad)") }
  }

  @Test("--since: Go durations and RFC 3339; zero, negative, huge and bare numbers refused")
  func since() throws {
    #expect(try Since.parse("10m") == .duration(seconds: 600))
    #expect(try Since.parse("1h30m") == .duration(seconds: 5400))
    let now = Date(timeIntervalSince1970: 1_000_000)
    #expect(try Since.parse("2h").cutoff(now: now) == Date(timeIntervalSince1970: 1_000_000 - 7200))
    #expect(try Since.parse("2026-11-27T00:00:00Z").cutoff(now: now).timeIntervalSince1970 == 1_795_737_600)
    for bad in ["0", "0s", "-1m", "10", "5 minutes", "99999999h", ""] {
      #expect(throws: SelectionError.self, "\(bad)") { try Since.parse(bad) }
    }
  }

  @Test("--for: kubectl's resource names, one slash, globs for the name")
  func forObject() throws {
    #expect(try ObjectSelector.parse("po/web-0") == ObjectSelector(kind: "Pod", name: "web-0"))
    #expect(try ObjectSelector.parse("deployment.apps/api").kind == "Deployment")
    #expect(try ObjectSelector.parse("STS/db").kind == "StatefulSet")
    for bad in ["web-0", "pod/", "a/b/c", "widget/x"] {
      #expect(throws: SelectionError.self, "\(bad)") { try ObjectSelector.parse(bad) }
    }
    let glob = ObjectSelector(kind: "Pod", name: "web-[0-2]*")
    #expect(glob.matches(name: "web-1-abc"))
    #expect(!glob.matches(name: "web-3"))
    #expect(ObjectSelector(kind: "Pod", name: "web-0").matches(name: "web-0"))
    #expect(!ObjectSelector(kind: "Pod", name: "web-0").matches(name: "web-01"))
  }

  @Test("--types: Normal and Warning in any case, nothing else")
  func types() throws {
    #expect(try Selection.parseTypes("Normal,WARNING") == ["normal", "warning"])
    for bad in ["Error", "Normal,", "", "Warning,Info"] {
      #expect(throws: SelectionError.self, "\(bad)") { try Selection.parseTypes(bad) }
    }
  }

  @Test("near-miss command names are suggested; far words and short ones are not")
  func suggestions() {
    let commands = ["analyze", "events", "explain", "completion"]
    #expect(Suggestion.nearest(to: "explian", among: commands) == "explain")
    #expect(Suggestion.nearest(to: "evnets", among: commands) == "events")
    #expect(Suggestion.nearest(to: "analyse", among: commands) == "analyze")
    #expect(Suggestion.nearest(to: "EXPLAIN", among: commands) == "explain")
    #expect(Suggestion.nearest(to: "describe", among: commands) == nil)
    #expect(Suggestion.nearest(to: "ev", among: commands) == nil)
    #expect(Suggestion.nearest(to: "dump", among: commands) == nil)
  }
}
