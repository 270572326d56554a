import Foundation
import PodmortemModel
import PodmortemText
import Testing

@testable import PodmortemIngest

/// Pieces of a pod's YAML pasted on their own read as the pod they belong to, unnamed.
struct YAMLFragmentTests {
  static func terminated(_ state: ContainerState?) -> Termination? {
    if case .terminated(let t)? = state { return t }
    return nil
  }

  @Test func aStatusBlockAloneIsAnUnnamedPod() throws {
    let r = ingest(
      """
      ```
      status:
        conditions:
        - lastProbeTime: null
          message: '0/3 nodes are available: 3 Insufficient cpu.'
          reason: Unschedulable
          status: "False"
          type: PodScheduled
      ```

      """, name: "paste.txt")
    #expect(r.account.formats == ["kubernetes-yaml"] && r.account.unrecognised == 0)
    let pod = try #require(r.pods.first)
    #expect(pod.name.isEmpty && pod.pastedAt == SourceRef(source: "paste.txt", line: 2))
    #expect(pod.conditions.first?.message == "0/3 nodes are available: 3 Insufficient cpu.")
  }

  @Test func anIndentedContainerStatusesListAlone() throws {
    let r = ingest(
      """
        containerStatuses:
        - containerID: containerd://e58d656e
          lastState:
            terminated:
              exitCode: 0
              reason: Completed
          name: test
          restartCount: 2
          state:
            waiting:
              message: back-off 20s restarting failed container=test pod=dns-example_default(f3177e7e)
              reason: CrashLoopBackOff

      """, name: "paste.txt")
    let c = try #require(r.pods.first?.containers.first)
    #expect(c.name == "test" && c.restartCount == 2)
    #expect(
      c.state
        == .waiting(
          reason: "CrashLoopBackOff",
          message: "back-off 20s restarting failed container=test pod=dns-example_default(f3177e7e)"))
    #expect(Self.terminated(c.lastState)?.exitCode == 0)
  }

  @Test func oneContainersStateWhoseFirstLineLostItsIndentation() throws {
    // Copied from the middle of a line: `state:` lost its six spaces, its siblings kept theirs.
    let r = ingest(
      """
      state:
              waiting:
                reason: CrashLoopBackOff
            restartCount: 7
            lastState:
              terminated:
                exitCode: 137
                reason: OOMKilled

      """, name: "paste.txt")
    let c = try #require(r.pods.first?.containers.first)
    #expect(c.state == .waiting(reason: "CrashLoopBackOff", message: nil) && c.restartCount == 7)
    #expect(Self.terminated(c.lastState)?.reason == "OOMKilled" && Self.terminated(c.lastState)?.exitCode == 137)
  }

  @Test func documentsWithTheirOwnKeysAreLeftAlone() {
    #expect(YAMLFragment.document(["status:", "  phase: Running"]) == nil)
    #expect(YAMLFragment.document(["  status:", "    phase: Running"]) == "status:\n  phase: Running")
    #expect(YAMLFragment.document(["phase: Running"]) == "status:\n  phase: Running")
    #expect(YAMLFragment.document(["Name: web-0", "Status: Running"]) == nil)
  }

  @Test func describeOutputIsNotAPodStatusFragment() {
    let describe = ["Name:         web-0", "Namespace:    default", "Status:       Running", "Restart Count:  3"]
    #expect(!YAMLFragment.looksLikePodStatus(describe.map { Substring($0) }))
    let yaml = ["status:", "  phase: Running", "  podIP: 10.1.2.3"]
    #expect(YAMLFragment.looksLikePodStatus(yaml.map { Substring($0) }))
  }

  @Test func aQuoteMarkerOnTheFirstLineAndJSONInAFence() throws {
    let yaml = ingest("> kind: Pod\napiVersion: v1\nmetadata:\n  name: web-0\n", name: "paste.txt")
    #expect(yaml.pods.map(\.name) == ["web-0"] && yaml.diagnostics.isEmpty)

    let json = ingest(
      """
      $ kubectl get pod web-0 -o json
      ```json
      {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
              "name": "web-0",
              "deletionTimestamp": "2017-10-23T08:22:52Z",
              "selfLink": "/api/v1/namespaces/default/pods/web-0",
      """, name: "paste.txt")
    #expect(json.account.formats == ["kubernetes-json"])
    let pod = try #require(json.pods.first)
    #expect(pod.name == "web-0" && pod.deletionTimestamp != nil)
    #expect(
      json.diagnostics.map(\.message) == [
        "truncated value starting at line 3: end of input; read up to its last complete member"
      ])
  }
}

/// A pod shown without its name is named by its own messages.
struct PodNamedInMessageTests {
  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  @Test func aBackOffMessageNamesTheContainerStatusesPod() throws {
    let run = PastedLinesTests.run(
      """
        containerStatuses:
        - name: test
          state:
            waiting:
              message: back-off 20s restarting failed container=test pod=dns-example_default(f3177e7e-8c92-637e-64b6-ba0865ef5aa3)
              reason: CrashLoopBackOff

      """)
    let pod = try #require(run.pods.first)
    #expect(pod.name == "dns-example" && pod.namespace == "default" && pod.pastedAt == nil)
    #expect(pod.uid == "f3177e7e-8c92-637e-64b6-ba0865ef5aa3")
  }

  @Test func messagesNamingTwoPodsOrNoneLeaveItUnnamed() throws {
    let two = PastedLinesTests.run(
      """
      containerStatuses:
      - name: a
        state:
          waiting:
            message: back-off 20s restarting failed container=a pod=web-0_default(f3177e7e-8c92-637e-64b6-ba0865ef5aa3)
            reason: CrashLoopBackOff
      - name: b
        state:
          waiting:
            message: back-off 40s restarting failed container=b pod=web-1_default(0f3177e7-8c92-637e-64b6-ba0865ef5aa3)
            reason: CrashLoopBackOff

      """)
    #expect(two.pods.map(\.name) == [""] && two.pods.first?.pastedAt != nil)
    let none = PastedLinesTests.run("state:\n  waiting:\n    reason: CrashLoopBackOff\n    message: back-off 20s\n")
    #expect(none.pods.map(\.name) == [""])
  }
}

/// A pod's YAML damaged by the paste — elisions, markdown bold, indentation that no longer nests —
/// read by what its keys mean.
struct DamagedYAMLTests {
  @Test func elisionsThatDropAListsDash() throws {
    let r = ingest(
      """
      ```
      status:
        ...
        containerStatuses:
        ...
          state:
            terminated:
              exitCode: 0
              reason: OOMKilled
        [...]
        phase: Succeeded
      ```

      """, name: "paste.txt")
    #expect(r.account.formats == ["kubernetes-yaml"] && r.account.unrecognised == 0)
    let pod = try #require(r.pods.first)
    #expect(pod.phase == "Succeeded")
    let c = try #require(pod.containers.first)
    #expect(YAMLFragmentTests.terminated(c.state)?.reason == "OOMKilled")
    #expect(YAMLFragmentTests.terminated(c.state)?.exitCode == 0)
    #expect(r.diagnostics.map(\.level) == [.note])
  }

  @Test func boldKeysAndFlattenedIndentation() throws {
    let r = ingest(
      """
      *******************************
            **containerStatuses**:
                - containerID: docker://d40cca85f0f5
                 image: debian
                **lastState**:
                terminated:
                exitCode: 0
                **message: |
                       Timer elapsed**
                reason: Completed
                name: demo
               ready: false
               restartCount: 30
               state:

      """, name: "paste.txt")
    #expect(r.account.unrecognised == 0)
    let c = try #require(r.pods.first?.containers.first)
    #expect(c.name == "demo" && c.restartCount == 30 && c.ready == false && c.image == "debian")
    let last = try #require(YAMLFragmentTests.terminated(c.lastState))
    #expect(last.exitCode == 0 && last.reason == "Completed" && last.message == "Timer elapsed\n")
  }

  @Test func keysFindTheirMappings() {
    #expect(
      YAMLReindent.document(["state:", "waiting:", "reason: CrashLoopBackOff", "restartCount: 4", "name: web"])
        == """
        status:
          containerStatuses:
            - state:
                waiting:
                  reason: CrashLoopBackOff
              restartCount: 4
              name: web
        """)
    // A key the item already has starts the next item; fields podmortem does not read are dropped.
    #expect(
      YAMLReindent.document(["conditions:", "type: Ready", "status: \"False\"", "type: PodScheduled", "foo: 1"])
        == """
        status:
          conditions:
            - type: Ready
              status: "False"
            - type: PodScheduled
        """)
    #expect(YAMLReindent.document(["Name: web-0", "Status: Running"]) == nil)
  }

  @Test func boldIsTakenOffKeysAndValuesOnly() {
    #expect(YAMLFragment.unemphasised("  **lastState**:") == "  lastState:")
    #expect(YAMLFragment.unemphasised("    **message: |") == "    message: |")
    #expect(YAMLFragment.unemphasised("      Timer elapsed**") == "      Timer elapsed")
    #expect(YAMLFragment.unemphasised("  - **name**: web") == "  - name: web")
    // A glob in a value is left alone.
    #expect(YAMLFragment.unemphasised("  args: --include src/**/*.js") == "  args: --include src/**/*.js")
  }

  @Test func validYAMLThatIsNotAPodIsNotRebuilt() {
    let r = ingest("kind: Event\nmessage: [unclosed\n", name: "paste.txt")
    #expect(r.records.isEmpty)
    #expect(r.diagnostics.map(\.level) == [.warning])
  }
}
