import PodmortemCorrelate
import PodmortemModel
import PodmortemText

extension UserPatternRule {
  /// The patterns the examples run with, as a `--patterns` file gives them: each example of every
  /// rule runs with these beside the shipped ones, and they match nothing Kubernetes writes.
  package static let examplePatterns = PatternCatalog.load(
    files: [
      (
        "example-patterns.json",
        #"""
        { "patterns": [
          { "id": "example.license-expired", "kinds": ["event"], "literals": ["license "],
            "regex": "^license (?<license>[A-Z0-9-]+) expired",
            "severity": "warning", "title": "the app's license expired",
            "explanation": "The app refuses work once its license has expired.",
            "examples": [ { "text": "license ACME-1234 expired on 2026-11-26",
                            "captures": { "license": "ACME-1234" } } ],
            "counterexamples": [ "license ACME-1234 renewed" ] },
          { "id": "example.disk-scrub", "kinds": ["kubelet"], "literals": ["disk scrub"],
            "regex": "disk scrub found (?<errors>\\d+) bad blocks",
            "severity": "critical", "title": "bad blocks on the node's disk",
            "explanation": "The node's disk scrub reports bad blocks.",
            "examples": [ { "text": "disk scrub found 12 bad blocks", "captures": { "errors": "12" } } ] }
        ] }
        """#
      )
    ], diagnostics: { _ in })

  package static let examples: [RuleExample] = [
    // Fragments as users paste them (docs/kubernetes.md §1.6), matched by the example patterns.
    RuleExample(
      "an Events table alone whose warning an event pattern with a severity matches",
      .text(
        #"""
        Events:
          Type     Reason        Age                From     Message
          ----     ------        ----               ----     -------
          Normal   Started       20m                kubelet  Started container app
        ▶  Warning  LicenseCheck  2m (x3 over 12m)   app      license ACME-1234 expired on 2026-11-26
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "example.license-expired", category: .pattern, severity: .warning,
          facts: [KeyValue("license", "ACME-1234"), KeyValue("matches", "3")])
      ]),
    RuleExample(
      "the same Events table once the license was renewed",
      .text(
        #"""
        Events:
          Type     Reason        Age                From     Message
          ----     ------        ----               ----     -------
          Normal   Started       20m                kubelet  Started container app
          Normal   LicenseCheck  2m                 app      license ACME-1234 renewed
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "the kubelet's journal alone: a kubelet pattern with a severity matches a line that names no pod",
      .text(
        #"""
        Nov 27 00:40:01 worker-7 kubelet[1485]: I1127 00:40:01.261124    1485 kubelet.go:2104] "SyncLoop (PLEG): event for pod"
        ▶Nov 27 00:40:06 worker-7 kubelet[1485]: E1127 00:40:06.262549    1485 disk.go:171] disk scrub found 12 bad blocks
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "example.disk-scrub", category: .pattern, severity: .critical,
          facts: [KeyValue("errors", "12"), KeyValue("matches", "1")])
      ]),
  ]
}
