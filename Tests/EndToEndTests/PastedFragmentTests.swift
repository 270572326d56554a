import Foundation
import Testing

/// What was pasted without the object around it still gets a subject and a finding: an Events
/// table alone, headerless describe rows (docs/findings-schema.md, `subject`).
/// The findings of `text` saved as `name` and analysed at `now`; the run must find a problem (exit 1).
func pastedFindings(
  _ text: String, name: String = "paste.txt", now: String = "2026-12-01T00:00:00Z"
) throws -> [[String: Any]] {
  let dir = try BinaryRunner.temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: dir) }
  try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
  let r = try BinaryRunner.run(["--format", "json", "--now", now, name], cwd: dir)
  #expect(r.status == 1, "stderr: \(r.stderr)")
  let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
  return doc?["findings"] as? [[String: Any]] ?? []
}

@Suite("pasted fragments through the binary")
struct PastedFragmentTests {
  private func findings(_ text: String) throws -> [[String: Any]] { try pastedFindings(text) }

  @Test("an Events table alone: the pasted pod, its container unknown")
  func eventsTableAlone() throws {
    let f = try findings(
      """
      Events:
        Type     Reason     Age                    From     Message
        ----     ------     ----                   ----     -------
        Warning  Unhealthy  115s (x3 over 3m25s)   kubelet  Liveness probe failed: Get "http://10.1.2.3:8080/health": dial tcp 10.1.2.3:8080: connect: connection refused
        Warning  Unhealthy  104s (x13 over 3m36s)  kubelet  Readiness probe failed: Get "http://10.1.2.3:8080/health": dial tcp 10.1.2.3:8080: connect: connection refused

      """)
    let probes = f.filter { $0["category"] as? String == "probe-failure" }
    #expect(!probes.isEmpty)
    let subject = try #require(probes.first?["subject"] as? [String: String])
    #expect(subject["object"] == "the pasted pod (name not shown) at paste.txt:1")
    #expect(subject["container"] == "<unknown>")
    #expect(subject["pod"] == nil)
    let facts = try #require(probes.first?["facts"] as? [String: String])
    #expect(facts["mode"] == "refused")
    // Evidence cites the paste's own lines, the decisive one first.
    let evidence = try #require(probes.first?["evidence"] as? [[String: Any]])
    #expect(evidence.first?["ref"] as? String == "paste.txt:4" || evidence.first?["ref"] as? String == "paste.txt:5")
  }

  @Test("headerless rows whose Scheduled message names the pod")
  func scheduledNamesThePod() throws {
    let f = try findings(
      """
        Normal   Scheduled  10m                    default-scheduler  Successfully assigned shop/api-7d9f8b6c5-x2k4p to node-1
        Warning  Unhealthy  8m50s (x3 over 9m50s)  kubelet            Liveness probe failed: HTTP probe failed with statuscode: 503
        Normal   Killing    8m50s                  kubelet            Container api failed liveness probe, will be restarted

      """)
    let probe = try #require(f.first { $0["rule"] as? String == "probe.liveness-failing" })
    let subject = try #require(probe["subject"] as? [String: String])
    #expect(subject == ["namespace": "shop", "pod": "api-7d9f8b6c5-x2k4p", "container": "api"])
  }

  @Test("a message that names its pod the kubelet's way names the pasted table's pod")
  func aReferenceInsideTheMessage() throws {
    let f = try findings(
      """
        Warning  FailedCreatePodSandBox  1m (x158 over 6m)  kubelet  Failed create pod sandbox: rpc error: code = Unknown desc = NetworkPlugin cni failed to set up pod "kube-dns-5c9e7a3b21-wqx8d_kube-system" network: open /run/flannel/subnet.env: no such file or directory
        Normal   SandboxChanged          1m (x157 over 6m)  kubelet  Pod sandbox changed, it will be killed and re-created.

      """)
    let sandbox = try #require(f.first { $0["category"] as? String == "sandbox" })
    #expect(
      (sandbox["subject"] as? [String: String])?["pod"] == "kube-dns-5c9e7a3b21-wqx8d"
        && (sandbox["subject"] as? [String: String])?["namespace"] == "kube-system")
  }

  @Test("two pasted tables of two pods stay apart")
  func twoBlocksStayApart() throws {
    let f = try findings(
      """
      Events:
        Type     Reason     Age   From     Message
        ----     ------     ----  ----     -------
        Warning  Unhealthy  2m    kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500
        Normal   Killing    2m    kubelet  Container a failed liveness probe, will be restarted

      and the other one:

      Events:
        Type     Reason     Age   From     Message
        ----     ------     ----  ----     -------
        Warning  Unhealthy  1m    kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500
        Normal   Killing    1m    kubelet  Container b failed liveness probe, will be restarted

      """)
    let subjects = f.compactMap {
      ($0["subject"] as? [String: String]).map { "\($0["object"] ?? "") \($0["container"] ?? "")" }
    }
    #expect(
      Set(subjects) == [
        "the pasted pod (name not shown) at paste.txt:1 a", "the pasted pod (name not shown) at paste.txt:9 b",
      ])
  }
}

@Suite("pasted get pods rows through the binary")
struct PastedPodRowTests {
  @Test("a CrashLoopBackOff row alone is a crash loop of the named pod")
  func crashLoopRow() throws {
    let rows = """
      NAME                     READY   STATUS             RESTARTS       AGE
      api-7d9f8b6c5d-x2x7k     0/1     CrashLoopBackOff   13 (2m ago)    58m

      """
    let findings = try pastedFindings(rows, name: "pods.txt")
    let crash = try #require(findings.first { $0["rule"] as? String == "crashloop.backoff" })
    #expect((crash["subject"] as? [String: String])?["pod"] == "api-7d9f8b6c5d-x2x7k")
    #expect((crash["facts"] as? [String: String])?["restarts"] == "13")
  }
}

@Suite("pasted kubelet journal lines through the binary")
struct PastedJournalTests {
  @Test("a back-off line alone: a crash loop whose restart count is not shown, its delay the kubelet's own")
  func backOffLineAlone() throws {
    let line =
      #"Oct 29 13:16:48 node17 kubelet[4919]: E1029 13:16:48.471488    4919 pod_workers.go:182] Error syncing pod e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8 ("alpine-529174836-kq7wd_default(e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8)"), skipping: failed to "StartContainer" for "alpine" with CrashLoopBackOff: "Back-off 5m0s restarting failed container=alpine pod=alpine-529174836-kq7wd_default(e3b7a91d-bc47-11e7-8d2f-5a0c3e71b4d8)""#
    let findings = try pastedFindings(line + "\n", name: "journal.txt", now: "2017-10-29T13:20:00Z")
    let crash = try #require(findings.first { $0["rule"] as? String == "crashloop.backoff" })
    #expect(
      crash["subject"] as? [String: String] == [
        "namespace": "default", "pod": "alpine-529174836-kq7wd", "container": "alpine",
      ])
    let facts = try #require(crash["facts"] as? [String: String])
    #expect(facts["backoffSeconds"] == "300" && facts["backoffStep"] == "7")
    // Not shown, so not stated: no restart count is invented.
    #expect(facts["restarts"] == nil)
    #expect((crash["title"] as? String)?.contains("restart count not shown") == true)
    #expect((crash["evidence"] as? [[String: Any]])?.first?["ref"] as? String == "journal.txt:1")
  }

  @Test("quoted, grep -n'd journal lines of an unstructured kubelet: the probe failures of the pod the message names")
  func legacyProbeLinesBehindPastePrefixes() throws {
    let lines = """
      > 812:Aug  7 09:12:01 node-2 kubelet[2291]: I0807 09:12:01.118203    2291 prober.go:111] Liveness probe for "orders-7c4dd8b59f-wx2kr_shop(9e71b0c4-9afc-11e8-a5d3-6c2f18e4b07a):orders" failed (failure): Get http://10.200.109.68:6766/warmup: net/http: request canceled (Client.Timeout exceeded while awaiting headers)
      > 813:Aug  7 09:12:11 node-2 kubelet[2291]: I0807 09:12:11.117954    2291 prober.go:111] Liveness probe for "orders-7c4dd8b59f-wx2kr_shop(9e71b0c4-9afc-11e8-a5d3-6c2f18e4b07a):orders" failed (failure): Get http://10.200.109.68:6766/warmup: net/http: request canceled (Client.Timeout exceeded while awaiting headers)

      """
    let findings = try pastedFindings(lines, name: "journal.txt", now: "2018-08-07T09:13:00Z")
    let probe = try #require(findings.first { $0["rule"] as? String == "probe.liveness-failing" })
    #expect(
      probe["subject"] as? [String: String] == [
        "namespace": "shop", "pod": "orders-7c4dd8b59f-wx2kr", "container": "orders",
      ])
    let facts = try #require(probe["facts"] as? [String: String])
    #expect(facts["mode"] == "timeout" && facts["failures"] == "2")
  }
}
