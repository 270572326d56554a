import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import Testing

/// `kubectl get events -o yaml`: a List whose items are not indented under `items:`.
private let eventListYAML = """
  apiVersion: v1
  items:
  - apiVersion: v1
    count: 5
    eventTime: null
    firstTimestamp: "2026-11-27T00:55:00Z"
    involvedObject:
      apiVersion: v1
      fieldPath: spec.containers{web}
      kind: Pod
      name: web-0
      namespace: default
      uid: 0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11
    kind: Event
    lastTimestamp: "2026-11-27T01:01:00Z"
    message: 'Liveness probe failed: Get "http://10.244.1.17:8080/healthz": context
      deadline exceeded (Client.Timeout exceeded while awaiting headers)'
    metadata:
      creationTimestamp: "2026-11-27T00:55:00Z"
      name: web-0.187b1c2d3e4f6000
      namespace: default
    reason: Unhealthy
    reportingComponent: kubelet
    reportingInstance: node-1
    source:
      component: kubelet
      host: node-1
    type: Warning
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
  - apiVersion: v1
    count: 1
    eventTime: null
    firstTimestamp: "2026-11-27T01:01:00Z"
    involvedObject:
      kind: Pod
      name: web-0
      namespace: default
    kind: Event
    lastTimestamp: "2026-11-27T01:01:00Z"
    message: |-
      Exec lifecycle hook ([/bin/sh -c sleep 40]) for Container "web" in Pod "web-0_default(0f5c1b7e)" failed - error: command '/bin/sh -c sleep 40' exited with 137: , message: ""
    metadata:
      name: web-0.187b1c2d3e4f7000
      namespace: default
    reason: FailedPreStopHook
    source:
      component: kubelet
      host: node-1
    type: Warning
  kind: List
  metadata:
    resourceVersion: ""
  """

@Suite struct YAMLObjectParserTests {
  @Test(arguments: [1, 7, 4096])
  func readsAYAMLListItemByItem(window: Int) throws {
    let run = ingest(eventListYAML, window: window, name: "namespaces/default/core/events.yaml")
    #expect(run.account.formats == ["kubernetes-yaml"])
    #expect(run.diagnostics.isEmpty)
    try #require(run.events.count == 2)
    let probe = run.events[0]
    #expect(probe.count == 5)
    #expect(probe.reason == "Unhealthy")
    #expect(
      probe.message
        == #"Liveness probe failed: Get "http://10.244.1.17:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"#
    )
    #expect(probe.involved.containerName == "web")
    #expect(probe.firstSeen?.earliest == date("2026-11-27T00:55:00Z"))
    #expect(abs((probe.lastSeen?.width ?? 0) - 0.999) < 1e-6)
    #expect(probe.eventName == "web-0.187b1c2d3e4f6000")
    #expect(probe.evidence.map(\.ref) == [SourceRef(source: "namespaces/default/core/events.yaml", line: 16)])
    let hook = run.events[1]
    #expect(hook.reason == "FailedPreStopHook")
    #expect(hook.message.hasSuffix("exited with 137: , message: \"\""))
    #expect(run.account.unrecognised == 0)
    // Ignored: `items:`, the ConfigMap from its `kind:` on, and the wrapper after the items.
    #expect(run.account.ignored == 1 + 3 + 3)
    #expect(run.account.parsed == run.account.lines - 7)
  }

  @Test(arguments: [1, 7, 4096])
  func readsMultipleDocuments(window: Int) throws {
    let yaml = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-0
        namespace: default
        deletionTimestamp: "2026-11-27T01:00:30Z"
      spec:
        containers:
        - name: web
          image: registry.example.com/web:1.4.2
          env:
          - name: DB_PASSWORD
            value: '***HIDDEN***'
          livenessProbe:
            exec:
              command: [cat, /tmp/healthy]
            periodSeconds: 5
          resources:
            limits:
              cpu: 1
              memory: 256Mi
      status:
        phase: Pending
      ---
      apiVersion: v1
      kind: Node
      metadata:
        name: node-1
      spec:
        taints:
        - key: node.kubernetes.io/not-ready
          effect: NoSchedule
      ---
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: db
        namespace: default
      spec:
        replicas: 3
      status:
        replicas: 2
      """
    let run = ingest(yaml, window: window, name: "objects.yaml")
    #expect(run.diagnostics.isEmpty)
    let pod = try #require(run.pods.first)
    #expect(pod.name == "web-0")
    #expect(pod.terminating)
    #expect(pod.containers.first?.environmentNames == ["DB_PASSWORD"])
    #expect(pod.containers.first?.limits == ["cpu": "1", "memory": "256Mi"])
    #expect(
      pod.containers.first?.probes[.liveness]
        == ProbeSpec(
          handler: .exec(command: ["cat", "/tmp/healthy"]), periodSeconds: 5,
          evidence: Evidence(ref: SourceRef(source: "objects.yaml", line: 14), text: "livenessProbe:")))
    #expect(!String(describing: run.records).contains("HIDDEN"))
    #expect(run.nodes.first?.taints == ["node.kubernetes.io/not-ready:NoSchedule"])
    #expect(run.workloads.first?.replicas == "3 desired | 2 total")
    #expect(run.account.ignored == 2)
    #expect(run.account.parsed == run.account.lines - 2)
  }

  @Test func reportsABadDocumentAndReadsTheNext() {
    let yaml = """
      apiVersion: v1
      kind: Event
      reason: [not, a, string]
      involvedObject: {kind: Pod, name: a}
      ---
      apiVersion: v1
      kind: Event
      involvedObject: {kind: Pod, name: b}
      reason: Started
      type: Normal
      """
    let run = ingest(yaml, name: "events.yaml")
    #expect(run.events.map(\.involved.name) == ["b"])
    #expect(run.diagnostics.count == 1)
    #expect(run.diagnostics.first?.ref == SourceRef(source: "events.yaml", line: 1))
    #expect(run.diagnostics.first?.message.hasPrefix("cannot read YAML document starting at line 1: 'reason'") == true)
  }

  @Test func sniffsYAMLObjects() {
    func score(_ text: String) -> Int {
      var reader = LineReader(string: text)
      var head: [Line] = []
      while let line = reader.next() { head.append(line) }
      return YAMLObjectParser.sniff(head: head, info: SourceInfo(name: "x"))
    }
    #expect(score(eventListYAML) == 85)
    #expect(score("---\n# a pod\napiVersion: v1\nkind: Pod\n") == 85)
    #expect(score(#"{"apiVersion":"v1","kind":"Pod"}"#) == 0)
    #expect(score("Name:         web-0\nNamespace:    default\n") == 0)
  }
}
