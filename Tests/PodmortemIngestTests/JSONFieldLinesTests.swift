import Foundation
import PodmortemIngest
import PodmortemModel
import Testing

/// A pod read from JSON cites the lines of its state fields, as a describe cites its `State:` block
/// (docs/architecture.md "Findings").
@Suite struct JSONFieldLinesTests {
  private static func samplePod(_ name: String, _ sample: String = "oomkilled") throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("samples/\(sample)/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
  }

  @Test func lastStateCitesReasonAndExitCodeLines() throws {
    let run = ingest(try Self.samplePod("pod.json"), name: "pod.json")
    let container = try #require(run.pods.first?.containers.first { $0.name == "report-builder" })
    #expect(container.lastStateEvidence.map(\.ref.line) == [172, 170])
    #expect(container.lastStateEvidence.first?.text == #""reason": "OOMKilled","#)
    #expect(container.lastStateEvidence.last?.text == #""exitCode": 137,"#)
    #expect(container.stateEvidence.map(\.ref.line) == [183, 182])
    #expect(container.stateEvidence.first?.text == #""reason": "CrashLoopBackOff""#)
  }

  /// A watch event wrapping a deleted pod (`{"type":…,"object":…}`): the deletion, finalizer,
  /// probe and status lines of the object inside.
  @Test func deletionProbesAndStatusOfAWatchedPod() throws {
    let text = """
      {
        "type": "MODIFIED",
        "object": {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "name": "web-0",
            "namespace": "shop",
            "deletionTimestamp": "2026-11-27T00:30:00Z",
            "deletionGracePeriodSeconds": 30,
            "finalizers": ["example.com/block"]
          },
          "spec": {
            "containers": [
              {"name": "sidecar", "image": "busybox"},
              {
                "name": "web",
                "image": "nginx",
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}
              }
            ]
          },
          "status": {
            "phase": "Running",
            "reason": "NodeLost",
            "message": "node worker-1 is not responding",
            "containerStatuses": [
              {
                "name": "web",
                "restartCount": 2,
                "state": {
                  "terminated": {
                    "exitCode": 143,
                    "reason": "Error",
                    "signal": 15
                  }
                }
              }
            ]
          }
        }
      }
      """
    let run = ingest(text, name: "watch.json")
    let pod = try #require(run.pods.first)
    #expect(pod.deletionEvidence.map(\.ref.line) == [9, 10, 11])
    #expect(pod.evidence.contains { $0.ref.line == 25 && $0.text.contains("NodeLost") })
    #expect(pod.evidence.contains { $0.ref.line == 26 })
    let web = try #require(pod.containers.first { $0.name == "web" })
    #expect(web.probes[.liveness]?.evidence?.ref.line == 19)
    #expect(web.stateEvidence.map(\.ref.line) == [34, 33, 35])
    #expect(web.stateEvidence.first?.ref.source == "watch.json")
    #expect(pod.containers.first { $0.name == "sidecar" }?.stateEvidence.isEmpty == true)
  }

  /// Hostile nesting, a value cut off mid-string and a value on one line give what was seen,
  /// never a trap.
  @Test func deepCutOrCompactValuesAreFollowedSafely() {
    let deep = Array(("{\n" + String(repeating: "\"a\": {\n", count: 500)).utf8)
    #expect(JSONFieldLines(deep, startLine: 1).fields.isEmpty)
    let cut = Array("{\n \"status\": {\n  \"reason\": \"Evicted\",\n  \"message\": \"The node was lo".utf8)
    let lines = JSONFieldLines(cut, startLine: 7)
    #expect(lines.fields["status.reason"]?.line == 9)
    #expect(lines.fields["status.message"]?.line == 10)
    let compact = Array(#"{"status": {"reason": "Evicted"}}"#.utf8)
    #expect(JSONFieldLines(compact, startLine: 1).fields.isEmpty)
  }

  /// YAML as kubectl writes it cites its field lines the same way.
  @Test func yamlPodCitesItsFieldLines() throws {
    let run = ingest(try Self.samplePod("pod.yaml"), name: "pod.yaml")
    let container = try #require(run.pods.first?.containers.first { $0.name == "report-builder" })
    #expect(container.lastStateEvidence.map(\.ref.line) == [115, 113])
    #expect(container.lastStateEvidence.map(\.text) == ["reason: OOMKilled", "exitCode: 137"])
    #expect(container.stateEvidence.first?.ref.line == 124)
    let deleted = try #require(
      ingest(try Self.samplePod("pod.yaml", "terminating-finalizer"), name: "pod.yaml").pods.first)
    #expect(deleted.deletionEvidence.map(\.ref.line) == [6, 5, 7])
  }

  /// A block scalar is cited by its first line of text, not by `message: |`.
  @Test func yamlBlockScalarCitesItsFirstLine() {
    let lines = [
      "status:", "  containerStatuses:", "  - lastState:", "      terminated:", "        exitCode: 2",
      "        message: |", "          panic: runtime error", "          goroutine 1 [running]:",
      "        reason: Error",
      "    name: inventory",
    ]
    let table = JSONFieldLines(yaml: lines.enumerated().map { (number: $0.offset + 1, text: $0.element) })
    let message = table.fields["status.containerStatuses.0.lastState.terminated.message"]
    #expect(message?.line == 7)
    #expect(message?.text == "panic: runtime error")
    #expect(table.fields["status.containerStatuses.0.lastState.terminated.reason"]?.line == 9)
    #expect(table.names["status.containerStatuses.0.name"] == "inventory")
  }

  /// A paste that flattened the indentation gives no path a pod's fields have: nothing is cited
  /// from it rather than the wrong line.
  @Test func flattenedYAMLCitesNothing() {
    let lines = ["status:", "containerStatuses:", "- name: web", "lastState:", "terminated:", "reason: OOMKilled"]
    let table = JSONFieldLines(yaml: lines.enumerated().map { (number: $0.offset + 1, text: $0.element) })
    #expect(table.fields["status.containerStatuses.0.lastState.terminated.reason"] == nil)
  }
}
