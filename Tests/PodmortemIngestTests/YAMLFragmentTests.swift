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

/// JSON pieces: a member cut out of its object, a bare conditions array, the pre-v1 names.
struct JSONPieceTests {
  @Test func aV1Beta1InfoMemberAlone() throws {
    let r = PastedLinesTests.run(
      """
      ```
              "db": {
                  "state": {
                      "termination": {
                          "exitCode": 137,
                          "reason": "OOM Killed",
                          "finishedAt": "2014-12-18T23:22:26Z"
                      }
                  },
                  "restartCount": 3
              },
      ```
      """)
    #expect(r.account.formats == ["kubernetes-json"] && r.account.unrecognised == 0)
    let pod = try #require(r.pods.first)
    #expect(pod.name.isEmpty && pod.pastedAt?.line == 2)
    let c = try #require(pod.containers.first)
    #expect(c.name == "db" && c.restartCount == 3)
    #expect(YAMLFragmentTests.terminated(c.state)?.reason == "OOMKilled")
    #expect(YAMLFragmentTests.terminated(c.state)?.exitCode == 137)
  }

  @Test func aWholeV1Beta1Pod() throws {
    let r = ingest(
      """
      {"kind": "Pod", "id": "web-1", "namespace": "shop", "currentState": {"host": "node-3",
       "info": {"web": {"restartCount": 1, "state": {"running": {"startedAt": "2014-12-18T23:22:25Z"}}}}}}
      """)
    let pod = try #require(r.pods.first)
    #expect(pod.name == "web-1" && pod.namespace == "shop" && pod.node == "node-3")
    #expect(pod.containers.map(\.name) == ["web"] && pod.containers.first?.restartCount == 1)
  }

  @Test func aConditionsArrayAfterTheCommandThatNamesItsNode() throws {
    let r = PastedLinesTests.run(
      """
      curl -s localhost:8080/api/v1/nodes/node-7 | jq .status.conditions
      [
        {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "2020-08-15T03:48:32Z",
         "lastTransitionTime": "2020-08-15T03:49:20Z", "reason": "KubeletHasSufficientMemory"},
        {"type": "Ready", "status": "Unknown", "lastHeartbeatTime": "2020-08-15T03:48:32Z",
         "lastTransitionTime": "2020-08-15T03:49:20Z", "reason": "NodeStatusUnknown",
         "message": "Kubelet stopped posting node status."}
      ]
      """)
    #expect(r.account.formats == ["kubernetes-json"] && r.account.unrecognised == 0)
    let node = try #require(r.nodes.first)
    #expect(r.nodes.count == 1 && node.name == "node-7")
    #expect(node.conditions.map(\.type) == ["MemoryPressure", "Ready"] && node.conditions.last?.status == "Unknown")
  }

  @Test func podConditionsAloneAreTheUnnamedPod() throws {
    let r = PastedLinesTests.run(
      """
      [{"type": "PodScheduled", "status": "False", "lastProbeTime": null,
        "lastTransitionTime": "2020-08-15T03:49:20Z", "reason": "Unschedulable"}]
      """)
    let pod = try #require(r.pods.first)
    #expect(pod.name.isEmpty && pod.conditions.first?.reason == "Unschedulable")
    // An array of other things is not read as conditions.
    #expect(!JSONPieceTests.readsAsObjects("[{\"name\": \"a\", \"value\": 1}]"))
  }

  static func readsAsObjects(_ text: String) -> Bool { !PastedLinesTests.run(text).records.isEmpty }

  @Test func commandsNameTheirObject() {
    #expect(
      PasteCommand.parse("$ kubectl get po -o yaml -n test-ns-0     client21-0")
        == PasteCommand(kind: "Pod", name: "client21-0", namespace: "test-ns-0"))
    #expect(PasteCommand.parse("[root@m ~]# oc get pod/web-0 -ojson") == PasteCommand(kind: "Pod", name: "web-0"))
    #expect(
      PasteCommand.parse("curl -k https://10.0.0.1:6443/api/v1/namespaces/shop/pods/web-0/status")
        == PasteCommand(kind: "Pod", name: "web-0", namespace: "shop"))
    #expect(PasteCommand.parse("kubectl get pods -o yaml") == nil)
    #expect(PasteCommand.parse("kubectl get pod web-0 web-1 -o yaml") == nil)
    #expect(PasteCommand.parse("kubectl get pod $POD -o yaml") == nil)
    #expect(PasteCommand.parse("kubectl get deploy web -o yaml") == nil)
  }

  @Test func aYAMLDocumentCutBeforeItsNameTakesTheCommands() throws {
    let r = PastedLinesTests.run(
      """
      $ kubectl get pod -n shop web-0 -o yaml
      apiVersion: v1
      kind: Pod
      metadata:
        deletionTimestamp: "2021-05-12T09:35:05Z"
        generateName: web-
      """)
    let pod = try #require(r.pods.first)
    #expect(pod.name == "web-0" && pod.namespace == "shop" && pod.deletionTimestamp != nil)
  }

  @Test func aRuntimesErrorQuotedAsAJSONStringAlone() throws {
    let r = PastedLinesTests.run(
      """
      ```
      "API error (500): repository name component must match \\"[a-z0-9]+(?:[._-][a-z0-9]+)*\\"\\n"
      ```
      """)
    let log = try #require(PastedLinesTests.logs(r).first)
    #expect(log.patternID == "node.docker-invalid-repository-name" && log.capture("pullError") == "invalid-name")
    #expect(r.account.unrecognised == 0)
  }

  @Test func anExcerptThatStartsMidObject() throws {
    let r = ingest(
      """
      ```
                  "reason": "ScalingReplicaSet",
                  "count": 1,
                  "type": "Normal"
              },
              {
                  "kind": "Event",
                  "involvedObject": {"kind": "Pod", "name": "web-0", "namespace": "shop"},
                  "reason": "Killing",
                  "message": "Stopping container web",
                  "type": "Normal"
              },
              {
                  "kind": "Event",
                  "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "shop"},
                  "reason": "Started",
                  "type": "Normal"
              }
          ]
      ```
      """, name: "paste.txt")
    #expect(r.account.formats == ["kubernetes-json"] && r.account.unrecognised == 0)
    #expect(r.events.map(\.involved.name) == ["web-0", "web-1"])
    #expect(
      r.diagnostics.map(\.message) == [
        "lines 2-5 are the end of a JSON object whose start is not in the input: not read",
        "line 19 is the end of a JSON object whose start is not in the input: not read",
      ])
  }

  @Test func excerptLinesAreTold() {
    #expect(ObjectStreamParser.isExcerptTail("    \"reason\": null,"))
    #expect(ObjectStreamParser.isExcerptTail("        },"))
    #expect(ObjectStreamParser.isExcerptTail("    ]"))
    #expect(!ObjectStreamParser.isExcerptTail("    \"status\": {"))
    #expect(!ObjectStreamParser.isExcerptTail("    {"))
    #expect(!ObjectStreamParser.isExcerptTail("Name:  web-0"))
  }

  @Test func aCommandInsideABlockScalarIsPartOfTheDocument() throws {
    let r = PastedLinesTests.run(
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-0
        annotations:
          runbook: |
            kubectl get pod web-1 -o yaml
      status:
        phase: Running
      """)
    let pod = try #require(r.pods.first)
    #expect(r.pods.count == 1 && pod.name == "web-0" && pod.phase == "Running")
  }
}
