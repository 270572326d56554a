import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// Pastes whose JSON or YAML a copy damaged — indentation flattened or stripped, lines wrapped by a
/// terminal, a first line cut mid-word, an object pasted after kubectl output — read as a person
/// reads them (issue 11's damage property, docs/kubernetes.md §4.4).
struct PasteRepairTests {
  @Test func aBracketedPromptDoesNotOpenJSON() {
    #expect(!ObjectStreamParser.opensJSON("[@@@ ~]# kubectl describe pod web-0"))
    #expect(!ObjectStreamParser.opensJSON("[root@master ~]# kubectl get pods"))
    #expect(!ObjectStreamParser.opensJSON("{web-0} restarted"))
    #expect(ObjectStreamParser.opensJSON("{"))
    #expect(ObjectStreamParser.opensJSON(#"{"kind":"Pod"}"#))
    #expect(ObjectStreamParser.opensJSON(#"[{"type":"Ready"}]"#))
    #expect(ObjectStreamParser.opensJSON("[ true ]") && ObjectStreamParser.opensJSON("[1] see above"))
    // An object or a list of them, not any bracket.
    #expect(!ObjectStreamParser.opensObject("[1] see above") && ObjectStreamParser.opensObject("["))
    // The describe after such a prompt is read as kubectl output.
    let r = ingest(
      """
      [@@@ ~]# kubectl describe pod web-0
      Name:         web-0
      Namespace:    default
      Status:       Running
      Containers:
        app:
          State:          Running
            Started:      Mon, 31 Jul 2017 21:24:16 +0800
          Ready:          True
          Restart Count:  0

      """, name: "paste.txt")
    #expect(r.account.formats == ["kubectl-text"])
    #expect(r.pods.map(\.name) == ["web-0"])
  }

  @Test func jsonWithItsIndentationStrippedKeepsItsNesting() throws {
    let r = ingest(
      """
      {
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": {
      "name": "web-0",
      "namespace": "shop",
      "ownerReferences": [
      {
      "kind": "StatefulSet",
      "name": "web",
      "controller": true
      }
      ]
      }
      }

      """, name: "paste.txt")
    #expect(r.diagnostics.isEmpty)
    let pod = try #require(r.pods.first)
    #expect(pod.name == "web-0" && pod.namespace == "shop" && pod.controlledBy == "StatefulSet/web")
  }

  @Test func aStringATerminalWrappedReadsWhole() throws {
    let name = "client21-test-ns-0-7d9f4c8b5-k2m7q"
    let r = ingest(
      """
      {
          "kind": "Pod",
          "metadata": {
              "name": "\(name.prefix(10))
      \(name.dropFirst(10))",
              "namespace": "test-ns-0"
          }
      }

      """, name: "paste.txt")
    #expect(r.diagnostics.isEmpty)
    #expect(r.pods.map(\.name) == [name])
    // NDJSON has no indentation: a line ending inside a string is a line cut short, as before.
    let cut = ingest(
      """
      {"kind":"Pod","metadata":{"name":"a
      {"kind":"Pod","metadata":{"name":"b"}}

      """, name: "watch.json")
    #expect(cut.pods.map(\.name) == ["b"])
    #expect(cut.diagnostics.map(\.message).first?.hasPrefix("unterminated string") == true)
  }

  @Test func jsonPastedAfterATableIsRead() throws {
    let r = ingest(
      """
      [root@m ~]# kubectl get nodes
      NAME      STATUS     AGE       VERSION
      node-1    NotReady   18h       v1.7.0

      Here is the pod json.

      {
        "kind": "Pod",
        "metadata": {
          "name": "web-0",
          "namespace": "default",
          "deletionTimestamp": "2017-07-14T03:53:01Z",
          "deletionGracePeriodSeconds": 30
        }
      }
      done

      """, name: "paste.txt")
    #expect(r.nodes.map(\.name) == ["node-1"])
    let pod = try #require(r.pods.first)
    #expect(pod.name == "web-0" && pod.deletionGracePeriodSeconds == 30)
    // The sentences are no rows of the nodes table: they are counted, not swallowed.
    #expect(r.account.firstUnrecognised == [5, 16])
  }

  @Test func yamlPastedBesideADescribeIsRead() throws {
    let r = ingest(
      """
      ```yaml
          state:
            waiting:
              message: secret "redis-url" not found
              reason: CreateContainerConfigError


          State:          Waiting
            Reason:       CreateContainerConfigError
      ```

      """, name: "paste.txt")
    #expect(r.account.unrecognised == 0)
    let waiting = r.pods.compactMap { pod -> String? in
      guard case .waiting(_, let message)? = pod.containers.first?.state else { return nil }
      return message
    }
    #expect(waiting.contains("secret \"redis-url\" not found"))
    // A capitalised label is kubectl's, never the start of a piece of YAML.
    #expect(!EmbeddedYAML.starts(KubectlLine(Line(number: 1, text: "    State:  Waiting"))))
    #expect(EmbeddedYAML.starts(KubectlLine(Line(number: 1, text: "  containerStatuses:"))))
  }

  @Test func describeFragmentsStartAtAFieldOnlyTheirKindHas() throws {
    let container = ingest(
      """
          Ready:          False
          Restart Count:  1069
          Liveness:     http-get https://:8443/health delay=150s timeout=1s period=10s #success=1 #failure=3
          Environment:  <none>
      Conditions:
        Type              Status
        Ready             False
        PodScheduled      True

      """, name: "paste.txt")
    #expect(container.account.unrecognised == 0)
    let c = try #require(container.pods.first?.containers.first)
    #expect(c.restartCount == 1069 && c.ready == false && c.probes[.liveness] != nil)
    let node = ingest(
      """
      Taints:             node.kubernetes.io/disk-pressure:NoSchedule
      Unschedulable:      false
      Lease:
        HolderIdentity:  kubernetes-master
        AcquireTime:     <unset>
      Conditions:
        Type                 Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
        ----                 ------  -----------------                 ------------------                ------                       -------
        DiskPressure         True    Wed, 05 Aug 2020 12:43:36 +0530   Tue, 04 Aug 2020 23:02:06 +0530   KubeletHasDiskPressure       kubelet has disk pressure

      """, name: "paste.txt")
    #expect(node.account.unrecognised == 0)
    #expect(node.nodes.map(\.name) == ["kubernetes-master"])
    #expect(node.nodes.first?.conditions.map(\.type) == ["DiskPressure"])
    // Prose with such a word is not a fragment: the value must be the field's own.
    #expect(
      !DescribeReader.isContainerField("Ready", "to go") && !DescribeReader.startsNodeTop("Taints", "none at all"))
  }

  @Test func aManifestThenTheEventsItsPodHad() throws {
    let r = ingest(
      """
      $ kubectl create -f /dev/stdin <<EOF
      apiVersion: v1
      kind: Pod
      metadata:
        name: liveness-exec
      spec:
        containers:
        - image: gcr.io/google_containers/busybox
          livenessProbe:
            exec:
              command:
              - cat
              - /tmp/health
            timeoutSeconds: 1
          name: liveness
      EOF
      pod "liveness-exec" created
      $ kubectl get events --watch | grep Unhealthy
      2016-08-30T10:27:35-07:00   2016-08-30T10:23:05-07:00   8         liveness-exec                         Pod       spec.containers{liveness}   Warning   Unhealthy                 {kubelet gke-test-default-pool-5c1e8a07-qbnt}      Liveness probe failed: 

      """, name: "paste.txt")
    #expect(r.account.unrecognised == 0 && r.diagnostics.isEmpty)
    let c = try #require(r.pods.first?.containers.first)
    #expect(c.name == "liveness" && c.probes[.liveness] != nil)
    #expect(r.events.map(\.reason) == ["Unhealthy"] && r.events.first?.count == 8)
    #expect(KubectlCommand.printsText("$ kubectl get events --watch | grep Unhealthy"))
    #expect(!KubectlCommand.printsText("$ kubectl get pod web-0 -o yaml"))
    #expect(!KubectlCommand.printsText("kubectl -n shop get pod web-0 -ojson"))
    #expect(YAMLObjectParser.isApplyOutput("deployment.apps/web configured"))
    #expect(!YAMLObjectParser.isApplyOutput("reason: created"))
  }

  @Test func yamlBelowAJournalExcerptIsRead() throws {
    let r = ingest(
      """
      May 29 15:30:03 node-5 kubelet[181927]: I0529 15:30:03.406317  181927 eviction_manager.go:458] "Eviction manager: pods successfully cleaned up" pods=["istio-system/istiod-5d8c4b7f9-w2xkp"]

      status:
        conditions:
        - lastTransitionTime: "2025-05-29T07:30:02Z"
          reason: TerminationByKubelet
          status: "True"
          type: DisruptionTarget
        phase: Failed
        startTime: "2025-05-29T07:12:38Z"

      """, name: "paste.txt")
    #expect(r.account.formats == ["kubelet-log", "kubernetes-yaml"] && r.account.unrecognised == 0)
    #expect(r.pods.first?.conditions.map(\.reason) == ["TerminationByKubelet"])
  }

  @Test func eventMonitorLinesAreEventsOfTheObjectTheyName() throws {
    let r = PastedLinesTests.run(
      """
      Nov 25 01:24:22.203 W pod=package-server-cd45b7ddf-8spgh ns=openshift-operator-lifecycle-manager Liveness probe failed: Get https://10.129.0.11:5443/healthz: net/http: request canceled (Client.Timeout exceeded while awaiting headers)
      Nov 25 01:26:51.938 I pod=prometheus-operator-5df85db767-8q95s ns=openshift-monitoring Created container

      """)
    #expect(r.account.unrecognised == 0)
    let e = try #require(r.events.first)
    #expect(
      e.involved.name == "package-server-cd45b7ddf-8spgh"
        && e.involved.namespace == "openshift-operator-lifecycle-manager")
    #expect(e.type == .warning && e.reason == "Unhealthy")
    #expect(MonitorLine("Nov 25 W pod=x hello") == nil && MonitorLine("Nov 25 01:24:22.203 W hello there") == nil)
  }

  @Test func topAndServiceTablesAreTablesPodmortemDoesNotRead() {
    let r = ingest(
      """
      NAME            CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%
      k8s-107   1072m        2%     127894Mi        100%
      NAME                        TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)          AGE
      service/kubernetes          ClusterIP      10.96.0.1      <none>        443/TCP          3h28m

      """, name: "paste.txt")
    #expect(r.account.unrecognised == 0 && r.account.ignored == 4)
  }

  @Test func aCommandQuotedInASentenceNamesTheRowsBelowIt() throws {
    let r = ingest(
      """
       `kubectl describe node 10.0.10.132` shows:

      ```
        MemoryPressure       True    Tue, 01 Feb 2022 09:44:34 +0100   Thu, 20 Jan 2022 04:54:21 +0100   KubeletHasInsufficientMemory   kubelet has insufficient memory available
      ```

      """, name: "paste.txt")
    #expect(r.nodes.map(\.name) == ["10.0.10.132"])
    #expect(r.nodes.first?.conditions.map(\.type) == ["MemoryPressure"])
    #expect(r.nodes.first?.evidence.map(\.ref.line) == [1, 4])
  }

  @Test func aStatusAloneIsAPodsByItsPhaseAndReason() throws {
    let r = ingest(
      """
      status:
        message: 'Pod The node was low on resource: [MemoryPressure].'
        phase: Failed
        reason: Evicted

      """, name: "paste.txt")
    #expect(r.pods.first?.reason == "Evicted")
    // A phase alone says nothing of the kind (a PVC is Pending too).
    #expect(ingest("status:\n  phase: Pending\n", name: "paste.txt").pods.isEmpty)
  }

  @Test func yamlWhoseIndentationWasFlattenedIsReadByItsKeys() throws {
    // Flattened to one space: it still parses as YAML, into the wrong nesting.
    let r = ingest(
      """
      status:
       conditions:
       - lastProbeTime: null
       lastTransitionTime: 2019-07-18T07:04:38Z
       message: '0/3 nodes are available: 3 Insufficient cpu.'
       reason: Unschedulable
       status: "False"
       type: PodScheduled
       phase: Pending

      """, name: "paste.txt")
    let pod = try #require(r.pods.first)
    #expect(pod.phase == "Pending")
    #expect(pod.conditions.map { "\($0.type)=\($0.status)" } == ["PodScheduled=False"])
    #expect(r.diagnostics.map(\.message).contains { $0.contains("indentation flattened") })
  }

  @Test func strippedYAMLDropsTheBlocksItDoesNotRead() throws {
    let r = ingest(
      """
      apiVersion: v1
      kind: Pod
      metadata:
      name: prometheus-0
      namespace: lens-metrics
      deletionTimestamp: '2021-04-22T23:49:27Z'
      finalizers:
      - foregroundDeletion
      labels:
      name: prometheus
      ownerReferences:
      - apiVersion: apps/v1
      kind: StatefulSet
      name: prometheus
      controller: true
      uid: fd81b34b
      managedFields:
      - manager: kubelet
      apiVersion: v1
      time: '2021-04-22T23:42:15Z'
      uid: 70e2e30b
      status:
      containerStatuses:
      - name: app
      image: >-
      registry.example/app:1
      imageID: >-
      registry.example/app@sha256:7b6c
      ready: false
      restartCount: 3

      """, name: "paste.txt")
    let pod = try #require(r.pods.first)
    #expect(pod.name == "prometheus-0" && pod.namespace == "lens-metrics")
    #expect(pod.controlledBy == "StatefulSet/prometheus" && pod.finalizers == ["foregroundDeletion"])
    #expect(pod.uid == "70e2e30b" && pod.terminating)
    let c = try #require(pod.containers.first)
    #expect(c.image == "registry.example/app:1" && c.ready == false && c.restartCount == 3)
  }

  @Test func yamlLinesATerminalWrappedAreJoined() throws {
    let long = "  message: 'The node was low on resource: ephemeral-storage. Threshold quantity: 1G"
    let lines = ["metadata:", long, "i, available: 898240Ki.'", "  namespace: x", "- a", "status:"]
    let joined = YAMLReindent.unwrapped(lines, numbers: Array(1...6))
    #expect(joined.lines == ["metadata:", long + "i, available: 898240Ki.'", "  namespace: x", "- a", "status:"])
    #expect(joined.numbers == [1, 2, 4, 5, 6])
    // The rest of a quoted value joins even when it looks like a key (`quantity:` cut before `y:`).
    let quoted = "    message: 'The node was low on resource: ephemeral-storage. Threshold quantit"
    #expect(
      YAMLReindent.unwrapped([quoted, "y:", "      1Gi, available: 898240Ki.'"], numbers: [1, 2, 3]).lines == [
        quoted + "y:", "      1Gi, available: 898240Ki.'",
      ])
    #expect(YAMLReindent.openQuote(after: "  message: 'one line'", open: nil) == nil)
    #expect(YAMLReindent.openQuote(after: "  message: 'goes on", open: nil) == "'")
    #expect(YAMLReindent.openQuote(after: "    and ends here.'", open: "'") == nil)
    // A short line was not wrapped: what follows it in column 0 is something else (a heredoc's end).
    let heredoc = ["spec:", "  - name: liveness", "EOF", "pod \"liveness-exec\" created"]
    #expect(YAMLReindent.unwrapped(heredoc, numbers: Array(1...4)).lines == heredoc)
  }

  @Test func aFirstLineCutMidWordKeepsItsKey() {
    #expect(YAMLObjectParser.restoringCutKey("ind: Pod") == "kind: Pod")
    #expect(YAMLObjectParser.restoringCutKey("Version: v1") == "apiVersion: v1")
    #expect(YAMLObjectParser.restoringCutKey("tatus:") == "status:")
    // A key of its own, or one letter, is left as it is.
    #expect(YAMLObjectParser.restoringCutKey("kind: Pod") == "kind: Pod")
    #expect(YAMLObjectParser.restoringCutKey("d: x") == "d: x")
    #expect(ObjectStreamParser.isCutFence("``") && ObjectStreamParser.isCutFence("`json"))
    #expect(!ObjectStreamParser.isCutFence("`web-0` restarted"))
  }

  @Test func tabsForPaddingKeepCommentedRowsAndTwoWordReasons() throws {
    let r = ingest(
      "#\tType\tReason\tAge\tFrom\tMessage\n#\t----\t------\t----\t----\t-------\n"
        + "#\tNormal\tSuccessfulCreate\t13m\tjob-controller\tCreated pod: hello-r8t2w\n", name: "paste.txt")
    #expect(r.events.map(\.reason) == ["SuccessfulCreate"])
    // An OpenShift 3 console's reason in words, its cells apart by padding or a tab.
    for row in [
      "3:04:58 PM  Normal  Back off   Back-off pulling image \"skyforge/exporter:7e4b\"",
      "3:04:58 PM\tNormal\tBack off\tBack-off pulling image \"skyforge/exporter:7e4b\"",
    ] {
      let e = try #require(ingest(row + "\n", name: "paste.txt").events.first)
      #expect(e.reason == "Back off" && e.message == "Back-off pulling image \"skyforge/exporter:7e4b\"")
    }
  }

  @Test func aWebConsolePageWhoseIndentationWasStrippedKeepsItsName() throws {
    let r = ingest(
      "Name: hello-node-wq7ck\nStatus \tRunning on\nNamespace \tdefault\nContainers \t\n"
        + "Name \tImage \tReady \tRestarts \tState\nhello-node \tgcr.io/x/hello-node:v2 \tfalse \t7 \t\n"
        + "Waiting\nReason: CrashLoopBackOff\n", name: "paste.txt")
    #expect(r.pods.map(\.name) == ["hello-node-wq7ck"])
  }
}
