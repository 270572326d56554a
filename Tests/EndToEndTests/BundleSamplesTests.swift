import Foundation
import Testing

/// What `podmortem --format json` said about one run, in the terms these tests compare.
private struct Report {
  struct Source {
    var name: String
    var layout: String?
    var formats: [String]
    var lines: Int
    var unrecognised: Int
  }

  /// A finding as the tests key on it: rule, category, subject and the facts docs/kubernetes.md models.
  struct Finding: Hashable, Comparable, CustomStringConvertible {
    var rule: String
    var category: String
    var pod: String
    var container: String
    var facts: [String: String]

    static func < (a: Finding, b: Finding) -> Bool { a.description < b.description }
    var description: String {
      let keys = facts.keys.sorted().map { "\($0)=\(facts[$0] ?? "")" }.joined(separator: ",")
      return "\(rule)[\(category)] \(pod)/\(container) \(keys)"
    }
  }

  struct Pod {
    var namespace: String
    var name: String
    var events: Int
    var logs: Int
    var snapshots: Int
  }

  struct EventRow: Hashable {
    var object: String
    var reason: String
    var message: String
    var count: Int
  }

  var status: Int32
  var stdout: String
  var sources: [Source]
  var findings: [Finding]
  var pods: [Pod]
  var events: [EventRow]

  /// The facts every finding is compared on (docs/architecture.md "Findings").
  static let keyFacts = ["restarts", "exitCode", "probe", "mode", "cause", "reason"]

  var ruleIDs: [String: [String]] {
    Dictionary(grouping: findings, by: \.pod).mapValues { $0.map(\.rule).sorted() }
  }

  func pod(_ name: String) -> Pod? { pods.first { $0.name == name } }
  func source(_ name: String) -> Source? { sources.first { $0.name == name } }
}

private let samples = BinaryRunner.repoRoot.appendingPathComponent("samples")
private let bundles = samples.appendingPathComponent("bundles")
private let now = "2026-11-27T01:00:00Z"

/// Runs `podmortem --format json --now <capture> <inputs>` in `cwd` and reads the report.
private func analyze(_ inputs: [String], cwd: URL = BinaryRunner.repoRoot) throws -> Report {
  let r = try BinaryRunner.run(["--format", "json", "--now", now] + inputs, cwd: cwd)
  #expect(r.status == 0 || r.status == 1, "podmortem \(inputs): exit \(r.status), stderr: \(r.stderr)")
  let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  let sources = (doc["sources"] as? [[String: Any]] ?? []).map {
    Report.Source(
      name: $0["source"] as? String ?? "", layout: $0["layout"] as? String, formats: $0["formats"] as? [String] ?? [],
      lines: $0["lines"] as? Int ?? -1, unrecognised: $0["unrecognised"] as? Int ?? -1)
  }
  let findings = (doc["findings"] as? [[String: Any]] ?? []).map { f -> Report.Finding in
    let subject = f["subject"] as? [String: String] ?? [:]
    let facts = (f["facts"] as? [String: String] ?? [:]).filter { Report.keyFacts.contains($0.key) }
    return Report.Finding(
      rule: f["rule"] as? String ?? "", category: f["category"] as? String ?? "", pod: subject["pod"] ?? "",
      container: subject["container"] ?? "", facts: facts)
  }
  let pods = (doc["pods"] as? [[String: Any]] ?? []).map {
    Report.Pod(
      namespace: $0["namespace"] as? String ?? "", name: $0["name"] as? String ?? "",
      events: $0["events"] as? Int ?? -1,
      logs: $0["logs"] as? Int ?? -1, snapshots: $0["snapshots"] as? Int ?? -1)
  }
  let events = (doc["events"] as? [[String: Any]] ?? []).map {
    Report.EventRow(
      object: $0["object"] as? String ?? "", reason: $0["reason"] as? String ?? "",
      message: $0["message"] as? String ?? "", count: $0["count"] as? Int ?? -1)
  }
  return Report(
    status: r.status, stdout: r.stdout, sources: sources, findings: findings.sorted(), pods: pods, events: events)
}

/// The findings podmortem draws from a case's describe text: what every bundle holding the case must match.
private func describeFindings(_ cases: [String]) throws -> [Report.Finding] {
  try cases.flatMap { try analyze(["samples/\($0)/describe.txt"]).findings }.sorted()
}

/// Every case rendered with a pod.json beside its describe.txt.
private let allCases: [String] = {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
  return names.filter {
    FileManager.default.fileExists(atPath: samples.appendingPathComponent("\($0)/pod.json").path)
  }.sorted()
}()

/// A file that podmortem reads (not a layout's `other`, not `unknown`) must be understood line by line.
private func expectEveryKnownLineRecognised(_ report: Report) {
  for source in report.sources where source.layout.map({ !$0.hasSuffix(" other") && $0 != "unknown" }) ?? true {
    #expect(source.unrecognised == 0, "\(source.name): \(source.unrecognised) unrecognised lines")
  }
}

@Suite("bundle samples through the binary")
struct BundleSamplesTests {
  static let dumpFiles = [
    "default/checkout-6b8f9c7d54-qv7xk/logs.txt", "default/daemonsets.json", "default/deployments.json",
    "default/events.json", "default/frontend-5c8d7f9b6-r2k4m/logs.txt", "default/inventory-6d8f7b5c9-zt8mx/logs.txt",
    "default/pods.json", "default/replicasets.json", "default/replication-controllers.json",
    "default/report-builder-7f9d6c8b5-c7v2n/logs.txt", "default/services.json",
    "kube-system/coredns-7c65d6cfc9-x6q2m/logs.txt", "kube-system/daemonsets.json", "kube-system/deployments.json",
    "kube-system/events.json", "kube-system/pods.json", "kube-system/replicasets.json",
    "kube-system/replication-controllers.json", "kube-system/services.json", "nodes.json",
  ]
  static let dumpCases = ["crashloop-max", "imagepullbackoff", "liveness-http-timeout", "oomkilled"]
  /// The rule each dumped pod's story ends in (samples/<case>/README.md).
  static let dumpRules = [
    "checkout-6b8f9c7d54-qv7xk": ["probe.liveness-failing"], "frontend-5c8d7f9b6-r2k4m": ["image.pull-failing"],
    "inventory-6d8f7b5c9-zt8mx": ["crashloop.backoff"], "report-builder-7f9d6c8b5-c7v2n": ["container.oom-killed"],
  ]

  private func expectDumpStory(_ report: Report) throws {
    #expect(report.status == 1)
    #expect(report.ruleIDs == Self.dumpRules)
    #expect(report.findings == (try describeFindings(Self.dumpCases)))
    #expect(report.pods.map(\.name) == Self.dumpRules.keys.sorted() + ["coredns-7c65d6cfc9-x6q2m"])
    #expect(report.pods.allSatisfy { $0.snapshots == 1 })
    // Events per pod as in each case's events.json; logs: the last run's lines (none for the pod whose image
    // never pulled: its section holds kubectl's `Request log error`).
    #expect(report.pods.map(\.events) == [10, 6, 7, 7, 0])
    #expect(report.pods.map(\.logs) == [7, 0, 13, 5, 4])
    #expect(!report.stdout.contains("==== START"))
  }

  @Test("cluster-info dump directory tree, as a tar.gz")
  func clusterInfoDumpTree() throws {
    let report = try analyze(["cluster-info-dump.tar.gz"], cwd: bundles.appendingPathComponent("cluster-info-dump"))
    #expect(report.sources.map(\.name) == Self.dumpFiles.map { "cluster-info-dump.tar.gz!cluster-state/\($0)" })
    let layouts = Dictionary(uniqueKeysWithValues: report.sources.map { ($0.name, $0.layout ?? "") })
    let prefix = "cluster-info-dump.tar.gz!cluster-state/"
    #expect(layouts[prefix + "default/events.json"] == "cluster-info-dump event-list")
    #expect(layouts[prefix + "default/pods.json"] == "cluster-info-dump pod-list")
    #expect(layouts[prefix + "nodes.json"] == "cluster-info-dump nodes")
    #expect(layouts[prefix + "default/inventory-6d8f7b5c9-zt8mx/logs.txt"] == "cluster-info-dump container-log")
    #expect(layouts[prefix + "default/services.json"] == "cluster-info-dump other")
    #expect(report.sources.allSatisfy { $0.unrecognised == 0 })
    try expectDumpStory(report)
  }

  @Test("cluster-info dump to stdout: JSON objects, then each namespace's log sections")
  func clusterInfoDumpStdout() throws {
    let report = try analyze(
      ["cluster-info-dump-stdout.txt"], cwd: bundles.appendingPathComponent("cluster-info-dump"))
    #expect(report.sources.map(\.name) == ["cluster-info-dump-stdout.txt"])
    #expect(report.sources.first?.formats == ["kubernetes-json"])
    #expect(report.sources.first?.unrecognised == 0)
    try expectDumpStory(report)
  }

  @Test("must-gather: YAML lists and objects, timestamped logs, nodes, the masters' kubelet journal")
  func mustGather() throws {
    let report = try analyze(["must-gather.local.1234"], cwd: bundles.appendingPathComponent("must-gather"))
    let image = "must-gather.local.1234/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/"
    let layouts = Dictionary(uniqueKeysWithValues: report.sources.map { ($0.name, $0.layout ?? "") })
    #expect(report.sources.count == 17)
    #expect(layouts[image + "namespaces/default/core/pods.yaml"] == "must-gather pod-list")
    #expect(layouts[image + "namespaces/default/core/events.yaml"] == "must-gather event-list")
    #expect(
      layouts[image + "namespaces/default/pods/inventory-6d8f7b5c9-zt8mx/inventory-6d8f7b5c9-zt8mx.yaml"]
        == "must-gather pod-object")
    #expect(
      layouts[image + "namespaces/default/pods/inventory-6d8f7b5c9-zt8mx/inventory/inventory/logs/previous.log"]
        == "must-gather container-log")
    #expect(layouts[image + "cluster-scoped-resources/core/nodes/worker-3.yaml"] == "must-gather nodes")
    #expect(layouts[image + "host_service_logs/masters/kubelet_service.log"] == "must-gather kubelet-journal")
    // The gather's start and end times: no layout names the file, so the accounting lists it.
    #expect(layouts["must-gather.local.1234/timestamp"] == "unknown")
    expectEveryKnownLineRecognised(report)

    #expect(
      report.ruleIDs == [
        "checkout-6b8f9c7d54-qv7xk": ["probe.liveness-failing"], "inventory-6d8f7b5c9-zt8mx": ["crashloop.backoff"],
        "search-7b8c9d6f5-k3m2p": ["crashloop.backoff"],
      ])
    #expect(report.findings == (try describeFindings(["crashloop-max", "liveness-http-timeout", "multi-container"])))
    #expect(report.findings.first { $0.pod == "search-7b8c9d6f5-k3m2p" }?.container == "log-forwarder")
    let workloads = report.pods.filter { $0.namespace == "default" }
    #expect(
      workloads.map(\.name) == ["checkout-6b8f9c7d54-qv7xk", "inventory-6d8f7b5c9-zt8mx", "search-7b8c9d6f5-k3m2p"])
    // Each pod is in core/pods.yaml and in its own <pod>.yaml; its events once each.
    #expect(workloads.map(\.snapshots) == [2, 2, 2])
    #expect(workloads.map(\.events) == [10, 7, 11])
    // current.log + previous.log (inventory, waiting in back-off, serves its last run as both); of lines no
    // pattern knows, a pod keeps the first and last LogSample.keep (10): at most 20, plus inventory's Go
    // panic line in each file (pattern container.go-panic).
    #expect(workloads.map(\.logs) == [20, 22, 17])
    // The masters' kubelet speaks of static pods only.
    #expect(report.pods.filter { $0.namespace != "default" }.allSatisfy { $0.snapshots == 0 && $0.logs > 0 })
  }

  @Test("troubleshoot.sh bundle: typed lists, logs, redactions and a file no layout knows")
  func troubleshoot() throws {
    let report = try analyze(["troubleshoot.tar.gz"], cwd: bundles.appendingPathComponent("troubleshoot"))
    let root = "troubleshoot.tar.gz!supportbundle-2026-11-27T01_00_00/"
    let layouts = Dictionary(uniqueKeysWithValues: report.sources.map { ($0.name, $0.layout ?? "") })
    #expect(report.sources.count == 12)
    #expect(layouts[root + "cluster-resources/pods/default.json"] == "troubleshoot pod-list")
    #expect(layouts[root + "cluster-resources/events/default.json"] == "troubleshoot event-list")
    #expect(layouts[root + "cluster-resources/nodes.json"] == "troubleshoot nodes")
    #expect(layouts[root + "cluster-resources/namespaces.json"] == "troubleshoot other")
    #expect(
      layouts[root + "cluster-resources/pods/logs/default/postgres-0/postgres-previous.log"]
        == "troubleshoot container-log")
    #expect(
      layouts[root + "cluster-resources/pods/logs/default/accounts-api-6c8d9f7b5-x9z4w/api-logs-errors.log"]
        == "troubleshoot other")
    #expect(layouts[root + "analysis.json"] == "unknown")
    #expect((report.source(root + "analysis.json")?.unrecognised ?? 0) > 0)
    expectEveryKnownLineRecognised(report)

    #expect(
      report.ruleIDs == [
        "accounts-api-6c8d9f7b5-x9z4w": ["init.container-failing"], "postgres-0": ["probe.liveness-failing"],
        "report-builder-7f9d6c8b5-c7v2n": ["container.oom-killed"],
      ])
    #expect(
      report.findings == (try describeFindings(["exec-probe-timeout", "init-container-crash", "oomkilled"])))
    #expect(report.pods.map(\.snapshots) == [1, 1, 1])
    #expect(report.pods.map(\.events) == [7, 10, 7])
    // The error file is no container's log: accounts-api has migrate's two logs only (14 lines each), of
    // which the first and last 10 are kept.
    #expect(report.pods.map(\.logs) == [20, 12, 10])

    // A redacted value is never printed, as data or as the mask, in any format.
    for format in ["json", "text", "markdown"] {
      let r = try BinaryRunner.run(
        ["--format", format, "--now", now, "troubleshoot.tar.gz"], cwd: bundles.appendingPathComponent("troubleshoot"))
      #expect(!r.stdout.contains("***HIDDEN***"), "--format \(format)")
      #expect(!r.stdout.contains("flyway-credentials"), "--format \(format)")
    }
  }

  @Test("a ?watch=1 NDJSON stream and kubectl get events -w -o json tell the same history")
  func eventWatch() throws {
    let dir = bundles.appendingPathComponent("events-watch")
    let raw = try analyze(["events-watch.ndjson"], cwd: dir)
    let pretty = try analyze(["events-watch-kubectl.json"], cwd: dir)
    for report in [raw, pretty] {
      #expect(report.sources.count == 1)
      #expect(report.sources.first?.formats == ["kubernetes-json"])
      #expect(report.sources.first?.unrecognised == 0)
      // The liveness event's count is its latest, 12, not the sum of its MODIFIED writes.
      let unhealthy = report.events.filter { $0.reason == "Unhealthy" }
      #expect(unhealthy.first { $0.message.hasPrefix("Liveness") }?.count == 12)
      #expect(unhealthy.first { $0.message.hasPrefix("Readiness") }?.count == 20)
      #expect(report.pods.map(\.name) == ["checkout-6b8f9c7d54-p8zrx", "checkout-6b8f9c7d54-qv7xk"])
      #expect(report.pods.map(\.events) == [1, 10])
    }
    #expect(Set(raw.events) == Set(pretty.events))
    // The final state is the case's events.json: the same events and the same conclusions.
    let final = try analyze(["samples/liveness-http-timeout/events.json"])
    #expect(Set(raw.events.filter { $0.object.hasSuffix("qv7xk") }) == Set(final.events))
    #expect(raw.findings == final.findings)
  }

  @Test("eventrouter lines behind a klog header")
  func eventrouter() throws {
    let report = try analyze(["eventrouter.log"], cwd: bundles.appendingPathComponent("eventrouter"))
    #expect(report.sources.first?.formats == ["kubernetes-json"])
    #expect(report.sources.first?.unrecognised == 0)
    let final = try analyze(["samples/tcp-probe-refused/events.json"])
    #expect(Set(report.events) == Set(final.events))
    #expect(report.events.first { $0.reason == "Unhealthy" }?.count == 18)
    #expect(report.pods.map(\.name) == ["redis-cache-7c5d9f6b8-wq4zr"])
    #expect(report.findings == final.findings)
  }

  @Test("the kubelet's journal: every line read and attributed to the pods the describe samples explain")
  func kubeletJournal() throws {
    let journal = try analyze(["kubelet-journal.log"], cwd: bundles.appendingPathComponent("kubelet-journal"))
    #expect(journal.sources.first?.formats == ["kubelet-log"])
    #expect(journal.sources.first?.lines == 421)
    #expect(journal.sources.first?.unrecognised == 0)
    #expect(journal.pods.map(\.name) == ["checkout-6b8f9c7d54-qv7xk", "inventory-6d8f7b5c9-zt8mx"])
    // Per pattern a pod keeps the first and last 10 lines it matched (the counts keep the rest): 70 each here.
    #expect(journal.pods.map(\.logs) == [70, 70])
    // Its "Event occurred" lines are occurrences of the pods' events: the history they give alone, and the
    // conclusions, are the ones the describe samples give.
    #expect(journal.pods.map(\.events) == [7, 4])
    #expect(Set(journal.findings.map(\.rule)) == ["probe.liveness-failing", "crashloop.backoff"])

    // Read beside the describe text, the log joins the same pods and changes no conclusion.
    let describes = ["samples/liveness-http-timeout/describe.txt", "samples/crashloop-max/describe.txt"]
    let both = try analyze(describes + ["samples/bundles/kubelet-journal/kubelet-journal.log"])
    #expect(both.pods.map(\.name) == ["checkout-6b8f9c7d54-qv7xk", "inventory-6d8f7b5c9-zt8mx"])
    #expect(both.pods.map(\.logs) == journal.pods.map(\.logs))
    #expect(both.findings == (try describeFindings(["crashloop-max", "liveness-http-timeout"])))
  }

  @Test("/var/log/pods: rotated plain and gzipped files, P chunks joined, owners from the path")
  func varLogPods() throws {
    let report = try analyze(["pods"], cwd: bundles.appendingPathComponent("var-log-pods"))
    let checkout = "pods/default_checkout-6b8f9c7d54-qv7xk_ec1490bc-d3c9-5df0-ab98-6b52b3a7dd7e/checkout/"
    let names = report.sources.map(\.name)
    // 3.log is empty: the hung JVM wrote nothing after the last rotation.
    #expect(
      names == [
        checkout + "3.log.20261127-005640.gz", checkout + "3.log.20261127-005650", checkout + "4.log",
        "pods/default_inventory-6d8f7b5c9-zt8mx_30e1938b-b5b9-5090-bbe2-d2012366fb27/inventory/9.log",
      ])
    #expect(report.sources.allSatisfy { $0.layout == "var-log-pods container-log" && $0.formats == ["container-log"] })
    #expect(report.sources.allSatisfy { $0.unrecognised == 0 })
    // 17 checkout lines, one of them the P chunk of a long line joined to its F: 16 records.
    #expect(report.sources.prefix(3).map(\.lines).reduce(0, +) == 17)
    #expect(report.pods.map(\.name) == ["checkout-6b8f9c7d54-qv7xk", "inventory-6d8f7b5c9-zt8mx"])
    #expect(report.pods.map(\.logs) == [16, 14])
    // inventory's log ends in a Go panic: a crash, though no pod object shows its exit.
    #expect(report.findings.map(\.rule) == ["container.exit-code"])
    #expect(
      report.findings.first?.pod == "inventory-6d8f7b5c9-zt8mx" && report.findings.first?.container == "inventory")
  }

  /// The same incident read from `describe` text and from its JSON must give the same facts.
  @Test("describe text and pod/event JSON give the same findings", arguments: allCases)
  func describeAgreesWithJSON(name: String) throws {
    let text = try analyze(["samples/\(name)/describe.txt"])
    let json = try analyze(["samples/\(name)/pod.json", "samples/\(name)/events.json"])
    switch name {
    case "terminating-finalizer":
      // describe (1.32) does not print metadata.finalizers (docs/kubernetes.md §1.2), so only the JSON shows why the
      // finished pod is still there.
      #expect(text.findings.isEmpty)
      #expect(json.findings.map(\.rule) == ["terminating.stuck"])
      #expect(json.findings.first?.facts["cause"] == "finalizers")
    case "terminating-prestop-grace":
      // describe prints no lifecycle hooks: from text, the exit 137 at grace + 2 s after the Killing event says
      // only that SIGTERM did not stop the container; the JSON names the preStop hook that used the grace.
      #expect(text.findings.map(\.rule) == ["termination.grace-expired"])
      #expect(json.findings.map(\.rule) == ["lifecycle.hook-failed"])
      #expect(json.findings.first?.category == "lifecycle-hook")
    default:
      #expect(text.findings == json.findings)
    }
    #expect(text.pods.map(\.name) == json.pods.map(\.name))
  }
}
