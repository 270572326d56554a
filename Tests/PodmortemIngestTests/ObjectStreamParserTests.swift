import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import Testing

/// `kubectl get events -o json`: a List, keys sorted, 4-space indent (docs/kubernetes.md §3.2, §4.1).
private let eventList = #"""
  {
      "apiVersion": "v1",
      "items": [
          {
              "apiVersion": "v1",
              "count": 17,
              "eventTime": null,
              "firstTimestamp": "2026-11-27T00:50:03Z",
              "involvedObject": {
                  "apiVersion": "v1",
                  "fieldPath": "spec.containers{web}",
                  "kind": "Pod",
                  "name": "web-0",
                  "namespace": "default",
                  "resourceVersion": "4711",
                  "uid": "0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11"
              },
              "kind": "Event",
              "lastTimestamp": "2026-11-27T01:02:03Z",
              "message": "Readiness probe failed: HTTP probe failed with statuscode: 503",
              "metadata": {
                  "creationTimestamp": "2026-11-27T00:50:03Z",
                  "name": "web-0.187b1c2d3e4f5a6b",
                  "namespace": "default",
                  "resourceVersion": "5123",
                  "uid": "6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
              },
              "reason": "Unhealthy",
              "reportingComponent": "kubelet",
              "reportingInstance": "node-1",
              "source": {
                  "component": "kubelet",
                  "host": "node-1"
              },
              "type": "Warning"
          },
          {
              "action": "Scheduling",
              "apiVersion": "v1",
              "eventTime": "2026-11-27T00:49:58.123456Z",
              "firstTimestamp": null,
              "involvedObject": {
                  "apiVersion": "v1",
                  "kind": "Pod",
                  "name": "web-1",
                  "namespace": "default",
                  "resourceVersion": "4702",
                  "uid": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
              },
              "kind": "Event",
              "lastTimestamp": null,
              "message": "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
              "metadata": {
                  "creationTimestamp": "2026-11-27T00:49:58Z",
                  "name": "web-1.187b1c2a00000000",
                  "namespace": "default",
                  "resourceVersion": "5001",
                  "uid": "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
              },
              "reason": "FailedScheduling",
              "reportingComponent": "default-scheduler",
              "reportingInstance": "default-scheduler-cp-1",
              "series": {
                  "count": 4,
                  "lastObservedTime": "2026-11-27T00:55:01.654321Z"
              },
              "source": {},
              "type": "Warning"
          }
      ],
      "kind": "List",
      "metadata": {
          "resourceVersion": ""
      }
  }
  """#

/// `kubectl get pod web-0 -o json` of a crash-looping, terminating pod with a sidecar.
private let podJSON = #"""
  {
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": {
          "creationTimestamp": "2026-11-27T00:40:00Z",
          "deletionGracePeriodSeconds": 30,
          "deletionTimestamp": "2026-11-27T01:00:30Z",
          "finalizers": [
              "example.com/drain"
          ],
          "labels": {
              "app": "web",
              "pod-template-hash": "5d4f8b7c9",
              "token": "***HIDDEN***"
          },
          "name": "web-0",
          "namespace": "default",
          "ownerReferences": [
              {
                  "apiVersion": "apps/v1",
                  "blockOwnerDeletion": true,
                  "controller": true,
                  "kind": "ReplicaSet",
                  "name": "web-5d4f8b7c9",
                  "uid": "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a"
              }
          ],
          "resourceVersion": "5200",
          "uid": "0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11"
      },
      "spec": {
          "containers": [
              {
                  "env": [
                      {
                          "name": "DB_PASSWORD",
                          "value": "hunter2"
                      },
                      {
                          "name": "API_TOKEN",
                          "valueFrom": {
                              "secretKeyRef": {
                                  "key": "token",
                                  "name": "api"
                              }
                          }
                      }
                  ],
                  "image": "registry.example.com/web:1.4.2",
                  "imagePullPolicy": "IfNotPresent",
                  "lifecycle": {
                      "preStop": {
                          "exec": {
                              "command": [
                                  "sleep",
                                  "40"
                              ]
                          }
                      }
                  },
                  "livenessProbe": {
                      "failureThreshold": 3,
                      "httpGet": {
                          "path": "/healthz",
                          "port": 8080,
                          "scheme": "HTTP"
                      },
                      "initialDelaySeconds": 5,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "timeoutSeconds": 1
                  },
                  "name": "web",
                  "readinessProbe": {
                      "httpGet": {
                          "path": "ready",
                          "port": "http"
                      }
                  },
                  "resources": {
                      "limits": {
                          "cpu": "500m",
                          "memory": "256Mi"
                      },
                      "requests": {
                          "cpu": "250m",
                          "memory": "128Mi"
                      }
                  }
              }
          ],
          "initContainers": [
              {
                  "image": "registry.example.com/proxy:2.0",
                  "lifecycle": {
                      "postStart": {
                          "httpGet": {
                              "path": "/drain",
                              "port": 8080
                          }
                      },
                      "preStop": {
                          "sleep": {
                              "seconds": 40
                          }
                      }
                  },
                  "name": "proxy",
                  "restartPolicy": "Always",
                  "startupProbe": {
                      "failureThreshold": 30,
                      "tcpSocket": {
                          "port": 15021
                      }
                  }
              }
          ],
          "nodeName": "node-1",
          "terminationGracePeriodSeconds": 60,
          "tolerations": [
              {
                  "effect": "NoExecute",
                  "key": "node.kubernetes.io/not-ready",
                  "operator": "Exists",
                  "tolerationSeconds": 300
              }
          ]
      },
      "status": {
          "conditions": [
              {
                  "lastProbeTime": null,
                  "lastTransitionTime": "2026-11-27T00:52:00Z",
                  "message": "containers with unready status: [web]",
                  "reason": "ContainersNotReady",
                  "status": "False",
                  "type": "Ready"
              }
          ],
          "containerStatuses": [
              {
                  "containerID": "containerd://4c1d",
                  "image": "registry.example.com/web:1.4.2",
                  "imageID": "registry.example.com/web@sha256:abc",
                  "lastState": {
                      "terminated": {
                          "containerID": "containerd://3b2a",
                          "exitCode": 137,
                          "finishedAt": "2026-11-27T00:58:44Z",
                          "reason": "Error",
                          "startedAt": "2026-11-27T00:57:14Z"
                      }
                  },
                  "name": "web",
                  "ready": false,
                  "restartCount": 7,
                  "started": false,
                  "state": {
                      "waiting": {
                          "message": "back-off 5m0s restarting failed container=web pod=web-0_default(0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11)",
                          "reason": "CrashLoopBackOff"
                      }
                  }
              }
          ],
          "hostIP": "10.0.0.11",
          "initContainerStatuses": [
              {
                  "image": "registry.example.com/proxy:2.0",
                  "lastState": {},
                  "name": "proxy",
                  "ready": true,
                  "restartCount": 0,
                  "started": true,
                  "state": {
                      "running": {
                          "startedAt": "2026-11-27T00:40:05Z"
                      }
                  }
              }
          ],
          "phase": "Running",
          "podIP": "10.244.1.17",
          "qosClass": "Burstable",
          "startTime": "2026-11-27T00:40:02Z"
      }
  }
  """#

@Suite struct ObjectStreamParserTests {
  @Test(arguments: [1, 7, 4096])
  func readsAnEventListWithLegacyAndSchedulerEvents(window: Int) throws {
    let run = ingest(eventList, window: window, name: "default/events.json")
    #expect(run.account.formats == ["kubernetes-json"])
    #expect(run.diagnostics.isEmpty)
    try #require(run.events.count == 2)
    let kubelet = run.events[0]
    #expect(
      kubelet.involved
        == ObjectRef(
          kind: "Pod", namespace: "default", name: "web-0", uid: "0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11",
          fieldPath: "spec.containers{web}"))
    #expect(kubelet.involved.containerName == "web")
    #expect(kubelet.type == .warning)
    #expect(kubelet.reason == "Unhealthy")
    #expect(kubelet.message == "Readiness probe failed: HTTP probe failed with statuscode: 503")
    #expect(kubelet.sourceComponent == "kubelet")
    #expect(kubelet.sourceHost == "node-1")
    #expect(kubelet.eventName == "web-0.187b1c2d3e4f5a6b")
    #expect(kubelet.count == 17)
    #expect(
      kubelet.firstSeen
        == TimeRange(
          earliest: date("2026-11-27T00:50:03Z"), latest: date("2026-11-27T00:50:03Z").addingTimeInterval(0.999)))
    #expect(kubelet.lastSeen?.earliest == date("2026-11-27T01:02:03Z"))
    #expect(abs((kubelet.lastSeen?.width ?? 0) - 0.999) < 1e-6)
    #expect(!kubelet.isSeries)
    #expect(kubelet.watchType == nil)
    #expect(kubelet.evidence.map(\.ref.line) == [20])
    #expect(
      kubelet.evidence.first?.text == #""message": "Readiness probe failed: HTTP probe failed with statuscode: 503","#)

    let scheduler = run.events[1]
    #expect(scheduler.isSeries)
    #expect(scheduler.count == 4)
    #expect(scheduler.sourceComponent == "default-scheduler")
    #expect(scheduler.sourceHost == "default-scheduler-cp-1")
    #expect(scheduler.involved.fieldPath == nil)
    let eventTime = try #require(scheduler.firstSeen)
    #expect(abs(eventTime.earliest.timeIntervalSince(date("2026-11-27T00:49:58Z").addingTimeInterval(0.123456))) < 1e-5)
    #expect(eventTime.width < 2e-6)
    let observed = try #require(scheduler.lastSeen)
    #expect(abs(observed.earliest.timeIntervalSince(date("2026-11-27T00:55:01Z").addingTimeInterval(0.654321))) < 1e-5)

    // Each item's lines are parsed, and so are the wrapper's lines before `items` (it is not yet known to
    // be a list); the rest of the wrapper is ignored.
    #expect(run.account.lines == 75)
    #expect(run.account.parsed == 68)
    #expect(run.account.ignored == 7)
    #expect(run.account.unrecognised == 0)
  }

  @Test(arguments: [1, 7, 4096])
  func readsAPodWithItsContainersProbesAndStatus(window: Int) throws {
    let run = ingest(podJSON, window: window, name: "web-0.json")
    #expect(run.diagnostics.isEmpty)
    let pod = try #require(run.pods.first)
    #expect(run.pods.count == 1)
    #expect(pod.namespace == "default")
    #expect(pod.name == "web-0")
    #expect(pod.uid == "0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11")
    #expect(pod.node == "node-1")
    #expect(pod.hostIP == "10.0.0.11")
    #expect(pod.podIP == "10.244.1.17")
    #expect(pod.phase == "Running")
    #expect(pod.qosClass == "Burstable")
    #expect(pod.terminating)
    #expect(pod.deletionTimestamp?.earliest == date("2026-11-27T01:00:30Z"))
    #expect(pod.deletionGracePeriodSeconds == 30)
    #expect(pod.terminationGracePeriodSeconds == 60)
    #expect(pod.creationTime?.earliest == date("2026-11-27T00:40:00Z"))
    #expect(pod.startTime?.earliest == date("2026-11-27T00:40:02Z"))
    #expect(pod.finalizers == ["example.com/drain"])
    #expect(pod.labels == ["app": "web", "pod-template-hash": "5d4f8b7c9"])
    #expect(pod.controlledBy == "ReplicaSet/web-5d4f8b7c9")
    #expect(pod.tolerations == ["node.kubernetes.io/not-ready:NoExecute op=Exists for 300s"])
    #expect(
      pod.conditions == [
        PodCondition(
          type: "Ready", status: "False", reason: "ContainersNotReady", message: "containers with unready status: [web]"
        )
      ])
    #expect(pod.capturedAt?.date == objectCaptureDate)
    #expect(pod.evidence.first?.text == #""name": "web-0","#)
    #expect(pod.containers.map(\.name) == ["proxy", "web"])

    let proxy = pod.containers[0]
    #expect(proxy.role == .initContainer)
    #expect(proxy.restartPolicyAlways)
    #expect(proxy.postStart == "http-get http://:8080/drain")
    #expect(proxy.preStop == "sleep 40s")
    // Each probe cites the line its key is on (JSONFieldLines).
    #expect(
      proxy.probes[.startup]
        == ProbeSpec(
          handler: .tcpSocket(host: "", port: "15021"), failureThreshold: 30,
          evidence: Evidence(ref: SourceRef(source: "web-0.json", line: 110), text: #""startupProbe": {"#)))
    #expect(
      proxy.state
        == .running(
          startedAt: TimeRange(
            earliest: date("2026-11-27T00:40:05Z"), latest: date("2026-11-27T00:40:05Z").addingTimeInterval(0.999))))
    #expect(proxy.lastState == nil)
    #expect(proxy.started == true)

    let web = pod.containers[1]
    #expect(web.role == .container)
    #expect(!web.restartPolicyAlways)
    #expect(web.image == "registry.example.com/web:1.4.2")
    #expect(web.preStop == "exec [sleep 40]")
    #expect(web.postStart == nil)
    #expect(web.environmentNames == ["DB_PASSWORD", "API_TOKEN"])
    #expect(web.limits == ["cpu": "500m", "memory": "256Mi"])
    #expect(web.requests == ["cpu": "250m", "memory": "128Mi"])
    #expect(
      web.probes[.liveness]
        == ProbeSpec(
          handler: .httpGet(scheme: "HTTP", host: "", port: "8080", path: "/healthz"), initialDelaySeconds: 5,
          evidence: Evidence(ref: SourceRef(source: "web-0.json", line: 61), text: #""livenessProbe": {"#)))
    // §6.1 defaults fill what the object leaves out.
    #expect(
      web.probes[.readiness]
        == ProbeSpec(
          handler: .httpGet(scheme: "HTTP", host: "", port: "http", path: "ready"),
          evidence: Evidence(ref: SourceRef(source: "web-0.json", line: 74), text: #""readinessProbe": {"#)))
    #expect(web.probes[.startup] == nil)
    #expect(
      web.state
        == .waiting(
          reason: "CrashLoopBackOff",
          message:
            "back-off 5m0s restarting failed container=web pod=web-0_default(0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11)"))
    guard case .terminated(let last) = web.lastState else {
      Issue.record("no last termination")
      return
    }
    #expect(last.exitCode == 137)
    #expect(last.reason == "Error")
    #expect(last.finishedAt?.earliest == date("2026-11-27T00:58:44Z"))
    #expect(web.ready == false)
    #expect(web.started == false)
    #expect(web.restartCount == 7)
    #expect(run.account.parsed == run.account.lines)
  }

  @Test func neverKeepsEnvironmentValues() {
    let run = ingest(podJSON)
    let dump = String(describing: run.records)
    #expect(!dump.contains("hunter2"))
    #expect(!dump.contains("***HIDDEN***"))
  }

  @Test func aDeletedPodThatFinishedIsNotTerminating() throws {
    let json = #"""
      {"apiVersion":"v1","kind":"Pod","metadata":{"deletionTimestamp":"2026-11-27T01:00:30Z","name":"job-x","namespace":"batch"},"spec":{"containers":[]},"status":{"phase":"Succeeded"}}
      """#
    let pod = try #require(ingest(json).pods.first)
    #expect(!pod.terminating)
    #expect(pod.deletionTimestamp != nil)
  }

  @Test(arguments: [1, 7, 4096])
  func readsAWatchOfPrettyObjectsConcatenated(window: Int) throws {
    // `kubectl get events -w -o json`: each object pretty, one after another (§3.2).
    let stream = #"""
      {
          "apiVersion": "v1",
          "count": 1,
          "eventTime": null,
          "firstTimestamp": "2026-11-27T01:00:00Z",
          "involvedObject": {
              "apiVersion": "v1",
              "fieldPath": "spec.containers{web}",
              "kind": "Pod",
              "name": "web-0",
              "namespace": "default",
              "uid": "0f5c1b7e-3c1a-4f7e-9b1e-2d8f6a0c9e11"
          },
          "kind": "Event",
          "lastTimestamp": "2026-11-27T01:00:00Z",
          "message": "Container web failed liveness probe, will be restarted",
          "metadata": {
              "name": "web-0.187b1c2d3e4f5a70",
              "namespace": "default"
          },
          "reason": "Killing",
          "reportingComponent": "kubelet",
          "reportingInstance": "node-1",
          "source": {
              "component": "kubelet",
              "host": "node-1"
          },
          "type": "Normal"
      }
      {
          "object": {
              "apiVersion": "v1",
              "count": 2,
              "eventTime": null,
              "firstTimestamp": "2026-11-27T01:00:00Z",
              "involvedObject": {
                  "kind": "Pod",
                  "name": "web-0",
                  "namespace": "default"
              },
              "kind": "Event",
              "lastTimestamp": "2026-11-27T01:00:40Z",
              "message": "Container web failed liveness probe, will be restarted",
              "metadata": {
                  "name": "web-0.187b1c2d3e4f5a70",
                  "namespace": "default"
              },
              "reason": "Killing",
              "reportingComponent": "",
              "reportingInstance": "",
              "source": {
                  "component": "kubelet",
                  "host": "node-1"
              },
              "type": "Normal"
          },
          "type": "MODIFIED"
      }
      """#
    let run = ingest(stream, window: window)
    #expect(run.diagnostics.isEmpty)
    #expect(run.events.map(\.count) == [1, 2])
    #expect(run.events.map(\.watchType) == [nil, "MODIFIED"])
    #expect(run.events.map(\.reason) == ["Killing", "Killing"])
    #expect(run.events[1].lastSeen?.earliest == date("2026-11-27T01:00:40Z"))
    #expect(run.events[1].evidence.first?.ref.line == 43)
    #expect(run.account.parsed == run.account.lines)
  }

  @Test(arguments: [1, 7, 4096])
  func readsWatchNDJSONWithBookmarksAndErrors(window: Int) {
    let stream = #"""
      {"type":"ADDED","object":{"apiVersion":"v1","count":3,"eventTime":null,"firstTimestamp":"2026-11-27T00:59:00Z","involvedObject":{"apiVersion":"v1","kind":"Node","name":"node-2","uid":"node-2"},"kind":"Event","lastTimestamp":"2026-11-27T01:01:00Z","message":"Node node-2 status is now: NodeNotReady","metadata":{"name":"node-2.187b1c2d3e4f0000","namespace":"default"},"reason":"NodeNotReady","reportingComponent":"node-controller","reportingInstance":"","source":{"component":"node-controller"},"type":"Normal"}}
      {"type":"BOOKMARK","object":{"kind":"Event","apiVersion":"v1","metadata":{"resourceVersion":"9001"}}}
      {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 4711 (9001)","reason":"Expired","code":410}}
      {"type":"DELETED","object":{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"web-0","namespace":"default"},"message":"Started container web","metadata":{"name":"web-0.1","namespace":"default"},"reason":"Started","type":"Normal"}}
      """#
    let run = ingest(stream, window: window, name: "watch.ndjson")
    #expect(run.events.map(\.watchType) == ["ADDED", "DELETED"])
    // A node event lives in namespace `default`, but the node has no namespace (§4.1).
    #expect(run.events.map(\.involved.namespace) == [nil, "default"])
    #expect(run.events.first?.sourceComponent == "node-controller")
    #expect(run.events.first?.sourceHost == nil)
    #expect(run.diagnostics.map(\.message) == ["watch error: 410 'Expired' too old resource version: 4711 (9001)"])
    #expect(run.diagnostics.map(\.ref.line) == [3])
    #expect(run.account.parsed == 2)
    #expect(run.account.ignored == 2)
  }

  @Test(arguments: [1, 7, 4096])
  func readsEventrouterLinesBehindAKlogHeader(window: Int) throws {
    let log = #"""
      I1127 01:02:03.000001       1 eventrouter.go:79] Starting eventrouter
      I1127 01:02:03.456789       1 glog.go:58] {"verb":"UPDATED","event":{"metadata":{"name":"web-0.187b1c2d3e4f5a6b","namespace":"default","uid":"6a1d2c3b","resourceVersion":"5124","creationTimestamp":"2026-11-27T00:50:03Z"},"involvedObject":{"kind":"Pod","namespace":"default","name":"web-0","uid":"0f5c1b7e","apiVersion":"v1","resourceVersion":"4711","fieldPath":"spec.containers{web}"},"reason":"BackOff","message":"Back-off restarting failed container web in pod web-0_default(0f5c1b7e)","source":{"component":"kubelet","host":"node-1"},"firstTimestamp":"2026-11-27T00:51:00Z","lastTimestamp":"2026-11-27T01:02:03Z","count":42,"type":"Warning","eventTime":null,"reportingComponent":"kubelet","reportingInstance":"node-1"},"old_event":{"metadata":{"name":"web-0.187b1c2d3e4f5a6b","namespace":"default"},"involvedObject":{"kind":"Pod","name":"web-0"},"reason":"BackOff","message":"Back-off restarting failed container web in pod web-0_default(0f5c1b7e)","count":41,"type":"Warning"}}
      """#
    let run = ingest(log, window: window, name: "eventrouter.log")
    #expect(run.account.formats == ["kubernetes-json"])
    #expect(run.diagnostics.isEmpty)
    let event = try #require(run.events.first)
    #expect(run.events.count == 1)
    #expect(event.watchType == "UPDATED")
    #expect(event.count == 42)
    #expect(event.reason == "BackOff")
    #expect(event.involved.containerName == "web")
    #expect(event.evidence.first?.text.hasPrefix("I1127 01:02:03.456789       1 glog.go:58] {\"verb\"") == true)
    #expect(run.account.parsed == 1)
    #expect(run.account.ignored == 1)
  }

  @Test func readsEventExporterLinesWithoutKind() throws {
    let lines = #"""
      {"metadata":{"name":"web-0.187b1c2d3e4f5a6b","namespace":"default","uid":"6a1d2c3b","creationTimestamp":"2026-11-27T00:50:03Z"},"reason":"Unhealthy","message":"Liveness probe failed: Get \"http://10.244.1.17:8080/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)","source":{"component":"kubelet","host":"node-1"},"firstTimestamp":"2026-11-27T00:50:03Z","lastTimestamp":"2026-11-27T01:02:03Z","count":9,"type":"Warning","eventTime":null,"reportingComponent":"kubelet","reportingInstance":"node-1","clusterName":"prod-eu","involvedObject":{"kind":"Pod","namespace":"default","name":"web-0","uid":"0f5c1b7e","apiVersion":"v1","fieldPath":"spec.containers{web}","labels":{"app":"web"},"annotations":{},"ownerReferences":[{"kind":"ReplicaSet","name":"web-5d4f8b7c9"}],"deleted":false}}
      """#
    let run = ingest(lines, name: "exporter.log")
    let event = try #require(run.events.first)
    #expect(event.message.hasPrefix("Liveness probe failed: Get \"http://10.244.1.17:8080/healthz\""))
    #expect(event.count == 9)
    #expect(event.involved.fieldPath == "spec.containers{web}")
  }

  @Test func readsEventsK8sIOEventsWithSeriesAndDeprecatedFields() throws {
    let json = #"""
      {"apiVersion":"events.k8s.io/v1","items":[
      {"action":"Scheduling","apiVersion":"events.k8s.io/v1","eventTime":"2026-11-27T00:49:58.123456Z","kind":"Event","metadata":{"name":"web-1.187b1c2a00000000","namespace":"default"},"note":"0/3 nodes are available: 3 Insufficient memory.","reason":"FailedScheduling","regarding":{"apiVersion":"v1","kind":"Pod","name":"web-1","namespace":"default","uid":"1a2b3c4d"},"reportingController":"default-scheduler","reportingInstance":"default-scheduler-cp-1","series":{"count":5,"lastObservedTime":"2026-11-27T00:59:58.000001Z"},"type":"Warning"},
      {"apiVersion":"events.k8s.io/v1","deprecatedCount":6,"deprecatedFirstTimestamp":"2026-11-27T00:50:03Z","deprecatedLastTimestamp":"2026-11-27T01:01:03Z","deprecatedSource":{"component":"kubelet","host":"node-1"},"eventTime":null,"kind":"Event","metadata":{"name":"web-0.187b1c2d3e4f5a6b","namespace":"default"},"note":"Pulling image \"registry.example.com/web:1.4.3\"","reason":"Pulling","regarding":{"fieldPath":"spec.containers{web}","kind":"Pod","name":"web-0","namespace":"default"},"reportingController":"kubelet","reportingInstance":"node-1","type":"Normal"}
      ],"kind":"EventList","metadata":{"resourceVersion":"9100"}}
      """#
    let run = ingest(json)
    #expect(run.diagnostics.isEmpty)
    try #require(run.events.count == 2)
    let series = run.events[0]
    #expect(series.isSeries)
    #expect(series.count == 5)
    #expect(series.message == "0/3 nodes are available: 3 Insufficient memory.")
    #expect(series.sourceComponent == "default-scheduler")
    #expect(
      series.firstSeen.map {
        abs($0.earliest.timeIntervalSince(date("2026-11-27T00:49:58Z").addingTimeInterval(0.123456))) < 1e-5
      } == true)
    #expect(
      series.lastSeen.map {
        abs($0.earliest.timeIntervalSince(date("2026-11-27T00:59:58Z").addingTimeInterval(0.000001))) < 1e-5
      } == true)
    let legacy = run.events[1]
    #expect(!legacy.isSeries)
    #expect(legacy.count == 6)
    #expect(legacy.sourceComponent == "kubelet")
    #expect(legacy.sourceHost == "node-1")
    #expect(legacy.firstSeen?.earliest == date("2026-11-27T00:50:03Z"))
    #expect(legacy.lastSeen?.earliest == date("2026-11-27T01:01:03Z"))
    #expect(legacy.involved.containerName == "web")
    #expect(run.account.parsed == 2)
    #expect(run.account.ignored == 2)
  }

  @Test func readsAMixedListOfNodesWorkloadsAndKindsItDoesNotModel() throws {
    let json = #"""
      {
          "apiVersion": "v1",
          "items": [
              {
                  "apiVersion": "v1",
                  "kind": "Service",
                  "metadata": {
                      "name": "web",
                      "namespace": "default"
                  },
                  "spec": {
                      "ports": [
                          {
                              "port": 80
                          }
                      ]
                  }
              },
              {
                  "apiVersion": "v1",
                  "kind": "Node",
                  "metadata": {
                      "name": "node-2",
                      "uid": "5e6f7a8b"
                  },
                  "spec": {
                      "taints": [
                          {
                              "effect": "NoSchedule",
                              "key": "node.kubernetes.io/unreachable",
                              "timeAdded": "2026-11-27T00:59:10Z"
                          },
                          {
                              "effect": "NoExecute",
                              "key": "dedicated",
                              "value": "gpu"
                          }
                      ],
                      "unschedulable": true
                  },
                  "status": {
                      "conditions": [
                          {
                              "lastHeartbeatTime": "2026-11-27T00:58:10Z",
                              "message": "Kubelet stopped posting node status.",
                              "reason": "NodeStatusUnknown",
                              "status": "Unknown",
                              "type": "Ready"
                          }
                      ]
                  }
              },
              {
                  "apiVersion": "apps/v1",
                  "kind": "Deployment",
                  "metadata": {
                      "name": "web",
                      "namespace": "default"
                  },
                  "spec": {
                      "replicas": 3,
                      "template": {
                          "spec": {
                              "containers": [
                                  {
                                      "name": "web"
                                  }
                              ]
                          }
                      }
                  },
                  "status": {
                      "availableReplicas": 1,
                      "conditions": [
                          {
                              "message": "Deployment does not have minimum availability.",
                              "reason": "MinimumReplicasUnavailable",
                              "status": "False",
                              "type": "Available"
                          }
                      ],
                      "replicas": 3,
                      "unavailableReplicas": 2,
                      "updatedReplicas": 3
                  }
              },
              {
                  "apiVersion": "batch/v1",
                  "kind": "Job",
                  "metadata": {
                      "name": "migrate",
                      "namespace": "default"
                  },
                  "spec": {
                      "completions": 1,
                      "parallelism": 1
                  },
                  "status": {
                      "failed": 4,
                      "ready": 0
                  }
              }
          ],
          "kind": "List",
          "metadata": {
              "resourceVersion": ""
          }
      }
      """#
    let run = ingest(json, name: "all.json")
    #expect(run.diagnostics.isEmpty)
    let node = try #require(run.nodes.first)
    #expect(node.name == "node-2")
    #expect(node.uid == "5e6f7a8b")
    #expect(node.taints == ["node.kubernetes.io/unreachable:NoSchedule", "dedicated=gpu:NoExecute"])
    #expect(node.unschedulable == true)
    #expect(
      node.conditions == [
        PodCondition(
          type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status."
        )
      ])
    #expect(run.workloads.map(\.kind) == ["Deployment", "Job"])
    #expect(run.workloads[0].replicas == "3 desired | 3 updated | 3 total | 1 available | 2 unavailable")
    #expect(run.workloads[0].conditions.first?.reason == "MinimumReplicasUnavailable")
    #expect(run.workloads[1].podsStatus == "0 Active (0 Ready) / 0 Succeeded / 4 Failed")
    // The Service's lines from its `kind` on are ignored (its first two count as parsed), and so are the
    // wrapper's lines from `items` on.
    #expect(run.account.unrecognised == 0)
    #expect(run.account.ignored == 1 + 13 + 6)
  }

  @Test(arguments: [1, 7, 4096])
  func reportsMalformedObjectsAndReadsOn(window: Int) {
    let stream = #"""
      {"type":"ADDED","object":{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"a"},"reason":["X"],"type":"Normal"}}
      this line is not JSON
      {"type":"ADDED","object":{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"b"},"reason":"Y","message":"cut
      {"type":"ADDED","object":{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"c"},"reason":"Z","type":"Normal"}}
      {"type":"ADDED","object":{"apiVersion":"v1","kind":"Event","involvedObject":{"kind":"Pod","name":"d"}
      """#
    let run = ingest(stream, window: window, name: "watch.json")
    // The last object, cut off at the end, is read up to its last complete member.
    #expect(run.events.map(\.involved.name) == ["c", "d"])
    #expect(
      run.diagnostics.map(\.description) == [
        "watch.json:1: warning: cannot read object on line 1: 'object.reason': expected to decode String but found an array instead",
        "watch.json:2: warning: unexpected text between objects: 'this line is not JSON'",
        "watch.json:3: warning: unterminated string in value starting at line 3",
        "watch.json:5: warning: truncated value starting at line 5: end of input; read up to its last complete member",
      ])
    #expect(run.account.parsed == 2)
    #expect(run.account.unrecognised == 3)
    #expect(run.account.firstUnrecognised == [1, 2, 3])
  }

  @Test func limitsNestingToTwoHundredFiftySixLevels() {
    let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
    let stream = "{\"kind\":\"Pod\",\"x\":\(deep)}\n" + #"{"kind":"Pod","metadata":{"name":"ok"}}"#
    let run = ingest(stream)
    #expect(run.pods.map(\.name) == ["ok"])
    #expect(run.diagnostics.map(\.message) == ["nesting deeper than 256 levels in value starting at line 1"])
  }

  @Test func streamsALargeEventList() {
    let count = 20_000
    var text = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"
    for i in 0..<count {
      if i > 0 { text += ",\n" }
      text += """
                {
                    "apiVersion": "v1",
                    "count": \(i % 7 + 1),
                    "firstTimestamp": "2026-11-27T00:50:03Z",
                    "involvedObject": {
                        "kind": "Pod",
                        "name": "web-\(i)",
                        "namespace": "default"
                    },
                    "kind": "Event",
                    "lastTimestamp": "2026-11-27T01:02:03Z",
                    "message": "Back-off restarting failed container web in pod web-\(i)_default(\\"quoted\\" {braces})",
                    "metadata": {
                        "name": "web-\(i).187b1c2d3e4f5a6b",
                        "namespace": "default"
                    },
                    "reason": "BackOff",
                    "source": {
                        "component": "kubelet",
                        "host": "node-1"
                    },
                    "type": "Warning"
                }
        """
    }
    text += "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    let run = ingest(text, window: 4096, name: "events.json")
    #expect(run.diagnostics.isEmpty)
    #expect(run.events.count == count)
    #expect(run.events.last?.involved.name == "web-\(count - 1)")
    #expect(run.events.last?.message.hasSuffix("(\"quoted\" {braces})") == true)
    let total: Int = run.events.reduce(0) { $0 + ($1.count ?? 0) }
    let expected: Int = (0..<count).reduce(0) { $0 + $1 % 7 + 1 }
    #expect(total == expected)
    // Each item is 23 lines; the wrapper's first two lines count as parsed (it is not yet known to be a list).
    #expect(run.account.parsed == count * 23 + 2)
  }

  /// `kubectl cluster-info dump` prints typed lists: `kind` first, on the list only, never on the items
  /// (docs/kubernetes.md §10.3).
  @Test(arguments: [1, 7, 4096])
  func readsTypedListItemsThatNameNoKind(window: Int) throws {
    let text = """
      {
          "kind": "PodList",
          "apiVersion": "v1",
          "metadata": {
              "resourceVersion": "612041"
          },
          "items": [
              {
                  "metadata": {
                      "name": "web-0",
                      "namespace": "default"
                  },
                  "spec": {
                      "nodeName": "node-1"
                  },
                  "status": {
                      "phase": "Running"
                  }
              }
          ]
      }
      {
          "kind": "NodeList",
          "apiVersion": "v1",
          "metadata": {},
          "items": [
              {
                  "metadata": {
                      "name": "node-1"
                  }
              }
          ]
      }

      """
    let run = ingest(text, window: window, name: "dump.txt")
    #expect(run.diagnostics.isEmpty)
    #expect(run.pods.map(\.name) == ["web-0"])
    #expect(run.pods.first?.node == "node-1")
    #expect(run.nodes.map(\.name) == ["node-1"])
    #expect(run.account.unrecognised == 0)
  }

  /// Older troubleshoot.sh bundles write a bare array of typed pods: the bundle path says what it lists.
  @Test func readsABareArrayByItsBundlePath() throws {
    let text = #"[{"metadata":{"name":"web-0","namespace":"prod"},"status":{"phase":"Pending"}}]"#
    let run = ingest(text, window: 7, name: "bundle/cluster-resources/pods/prod.json")
    #expect(run.pods.map(\.name) == ["web-0"])
    #expect(run.pods.first?.phase == "Pending")
    let elsewhere = ingest(text, window: 7, name: "list.json")
    #expect(elsewhere.pods.isEmpty)
  }

  @Test func sniffsObjectStreamsOnly() {
    func score(_ text: String) -> Int {
      var reader = LineReader(string: text)
      var head: [Line] = []
      while let line = reader.next() { head.append(line) }
      return ObjectStreamParser.sniff(head: head, info: SourceInfo(name: "x"))
    }
    #expect(score(eventList) == 90)
    #expect(score(#"{"type":"ADDED","object":{"kind":"Event"}}"#) == 95)
    #expect(score(#"I1127 01:02:03.456789       1 glog.go:58] {"verb":"ADDED","event":{}}"#) == 95)
    #expect(score(#"{"ts":1795741323000.123,"caller":"prober/prober.go:107","msg":"Probe failed","kind":"Pod"}"#) == 0)
    #expect(score("apiVersion: v1\nkind: Pod\n") == 0)
    #expect(score(#"{"hello":"world"}"#) == 0)
  }
}
