import Foundation
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// docs/kubernetes.md §11, completed with an init container, resources, every probe handler, env and
/// volumes (1.32 format strings).
let describeWeb0 = """
  Name:             web-0
  Namespace:        default
  Priority:         0
  Service Account:  default
  Node:             node-1/10.0.0.5
  Start Time:       Thu, 26 Nov 2026 23:10:00 +0000
  Labels:           app=web
                    controller-revision-hash=web-7d9f
  Annotations:      <none>
  Status:           Running
  IP:               10.244.1.7
  IPs:
    IP:           10.244.1.7
  Controlled By:  StatefulSet/web
  Init Containers:
    init-db:
      Container ID:  containerd://aaa111
      Image:         busybox:1.36
      Image ID:      docker.io/library/busybox@sha256:bbb222
      Port:          <none>
      Host Port:     <none>
      Command:
        sh
        -c
        until nslookup db; do sleep 2; done
      State:          Terminated
        Reason:       Completed
        Exit Code:    0
        Started:      Thu, 26 Nov 2026 23:10:01 +0000
        Finished:     Thu, 26 Nov 2026 23:10:05 +0000
      Ready:          True
      Restart Count:  0
      Environment:    <none>
      Mounts:         <none>
  Containers:
    web:
      Container ID:   containerd://3f2a0c
      Image:          nginx:1.27
      Image ID:       docker.io/library/nginx@sha256:ccc333
      Port:           80/TCP
      Host Port:      0/TCP
      State:          Waiting
        Reason:       CrashLoopBackOff
      Last State:     Terminated
        Reason:       Error
        Exit Code:    137
        Started:      Fri, 27 Nov 2026 00:55:01 +0000
        Finished:     Fri, 27 Nov 2026 00:55:34 +0000
      Ready:          False
      Restart Count:  9
      Limits:
        memory:  128Mi
      Requests:
        cpu:      100m
        memory:   64Mi
      Liveness:       http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
      Readiness:      exec [cat /tmp/healthy] delay=5s timeout=2s period=5s #success=2 #failure=6
      Startup:        tcp-socket :80 delay=0s timeout=1s period=10s #success=1 #failure=30
      Environment:
        POD_NAME:     web-0 (v1:metadata.name)
        DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false
      Mounts:
        /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
  Conditions:
    Type                        Status
    PodReadyToStartContainers   True
    Initialized                 True
    Ready                       False
    ContainersReady             False
    PodScheduled                True
  Volumes:
    kube-api-access-x7k2p:
      Type:                    Projected (a volume that contains injected data from multiple sources)
      TokenExpirationSeconds:  3607
      ConfigMapName:           kube-root-ca.crt
      ConfigMapOptional:       <nil>
      DownwardAPI:             true
  QoS Class:                   Burstable
  Node-Selectors:              <none>
  Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                               node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
  Events:
    Type     Reason     Age                  From     Message
    ----     ------     ----                 ----     -------
    Warning  Unhealthy  4m2s (x27 over 52m)  kubelet  Liveness probe failed: Get "http://10.244.1.7:80/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
    Normal   Killing    4m2s (x9 over 51m)   kubelet  Container web failed liveness probe, will be restarted
    Warning  BackOff    60s (x180 over 45m)  kubelet  Back-off restarting failed container web in pod web-0_default(0f1c)
  """

@Test func describePodReadsEveryField() throws {
  let r = parseKubectl(describeWeb0)
  #expect(r.unrecognised == [])
  #expect(
    r.parsed == [
      1, 2, 5, 6, 7, 8, 10, 11, 14, 16, 18, 26, 27, 28, 29, 30, 31, 32, 36, 38, 42, 43, 44, 45, 46, 47, 48, 49, 50, 52,
      54, 55, 56, 57, 58, 60, 61, 66, 67, 68, 69, 70, 78, 80, 81, 85, 86, 87,
    ])
  #expect(r.verdicts.count == 87)
  let pod = try #require(r.pods.first)
  #expect(r.pods.count == 1)
  #expect(pod.name == "web-0" && pod.namespace == "default")
  #expect(pod.node == "node-1" && pod.hostIP == "10.0.0.5")
  #expect(pod.startTime?.earliest == Date(timeIntervalSince1970: 1_795_734_600))
  #expect(pod.labels == ["app": "web", "controller-revision-hash": "web-7d9f"])
  #expect(pod.phase == "Running" && !pod.terminating)
  #expect(pod.podIP == "10.244.1.7")
  #expect(pod.controlledBy == "StatefulSet/web")
  #expect(pod.qosClass == "Burstable")
  #expect(pod.tolerations.count == 2)
  #expect(
    pod.conditions.map(\.type) == [
      "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled",
    ])
  #expect(pod.conditions[2].status == "False")
  #expect(pod.capturedAt == capture)
  #expect(pod.evidence.first?.ref.line == 1)

  #expect(pod.containers.map(\.name) == ["init-db", "web"])
  let initDB = pod.containers[0]
  #expect(initDB.role == .initContainer && initDB.ready == true && initDB.restartCount == 0)
  guard case .terminated(let done)? = initDB.state else { Issue.record("init state"); return }
  #expect(done.reason == "Completed" && done.exitCode == 0)

  let web = pod.containers[1]
  #expect(web.role == .container && web.image == "nginx:1.27")
  #expect(web.state == .waiting(reason: "CrashLoopBackOff", message: nil))
  guard case .terminated(let last)? = web.lastState else { Issue.record("last state"); return }
  #expect(last.reason == "Error" && last.exitCode == 137 && last.signal == nil)
  #expect(last.startedAt?.earliest == Date(timeIntervalSince1970: 1_795_740_901))
  #expect(last.finishedAt?.earliest == Date(timeIntervalSince1970: 1_795_740_934))
  #expect(web.ready == false && web.restartCount == 9)
  #expect(web.limits == ["memory": "128Mi"] && web.requests == ["cpu": "100m", "memory": "64Mi"])
  // Limit and request lines are evidence: an OOM finding quotes the limit and cites its line.
  #expect(web.evidence.contains { $0.ref.line == 52 && $0.text.hasSuffix("memory:  128Mi") })
  #expect(web.evidence.contains { $0.ref.line == 54 && $0.text.hasSuffix("cpu:      100m") })
  #expect(web.environmentNames == ["POD_NAME", "DB_PASSWORD"])
  let liveness = try #require(web.probes[.liveness])
  #expect(liveness.handler == .httpGet(scheme: "http", host: "", port: "80", path: "/healthz"))
  #expect(liveness.failureThreshold == 3 && liveness.periodSeconds == 10)
  #expect(liveness.evidence?.ref.line == 56)
  #expect(web.probes[.readiness]?.handler == .exec(command: ["cat", "/tmp/healthy"]))
  #expect(web.probes[.readiness]?.successThreshold == 2)
  #expect(web.probes[.startup]?.failureThreshold == 30)
  #expect(web.evidence.map(\.ref.line).contains(46))

  #expect(r.events.count == 3)
  let unhealthy = r.events[0]
  #expect(unhealthy.involved == ObjectRef(kind: "Pod", namespace: "default", name: "web-0"))
  #expect(unhealthy.type == .warning && unhealthy.reason == "Unhealthy")
  #expect(unhealthy.message.hasPrefix("Liveness probe failed: Get \"http://10.244.1.7:80/healthz\""))
  #expect(unhealthy.sourceComponent == "kubelet" && unhealthy.sourceHost == nil)
  #expect(unhealthy.count == 27)
  // "A (xN over B)": A is the last occurrence, B the first (§1.6).
  #expect(same(unhealthy.lastSeen, agoRange(242, unit: 1)))
  #expect(same(unhealthy.firstSeen, agoRange(52 * 60, unit: 60)))
  #expect(unhealthy.evidence.map(\.ref.line) == [85])
  #expect(r.events[2].count == 180 && same(r.events[2].lastSeen, agoRange(60, unit: 1)))
  // The pod comes before its events, so a consumer knows the owner first.
  guard case .pod = r.records[0] else { Issue.record("pod first"); return }
}

@Test func terminatingDuringGraceIsInvalidAndNormal() throws {
  let text = """
    Name:                      worker-0
    Namespace:                 default
    Priority:                  0
    Node:                      node-2/
    Start Time:                Mon, 23 Nov 2026 20:00:00 +0000
    Labels:                    <none>
    Annotations:               <none>
    Status:                    Terminating (lasts <invalid>)
    Termination Grace Period:  30s
    IP:                        10.244.2.9
    Events:                    <none>
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.parsed == [1, 2, 4, 5, 8, 9, 10])
  let pod = try #require(r.pods.first)
  #expect(pod.terminating && pod.phase == nil)
  #expect(pod.node == "node-2" && pod.hostIP == nil)
  #expect(pod.deletionGracePeriodSeconds == 30)
  // deletionTimestamp = request + grace: 2 s … 30 s after the capture (§1.2).
  #expect(
    pod.deletionTimestamp
      == TimeRange(earliest: captureDate.addingTimeInterval(2), latest: captureDate.addingTimeInterval(30)))
  #expect(r.events.isEmpty)
}

@Test func terminatingPastGraceIsAnAge() throws {
  let text = """
    Name:                      worker-0
    Namespace:                 default
    Status:                    Terminating (lasts 47m)
    Termination Grace Period:  30s
    """
  let pod = try #require(parseKubectl(text).pods.first)
  #expect(same(pod.deletionTimestamp, agoRange(47 * 60, unit: 60)))
  let old = "Name:  worker-0\nNamespace:  default\nStatus:  Terminating (expires Fri, 27 Nov 2026 00:13:00 +0000)\n"
  let expiring = try #require(parseKubectl(old).pods.first)
  #expect(expiring.terminating && expiring.deletionTimestamp?.earliest == ago(47 * 60))
}

/// An evicted pod (1.32): `Status: Failed`, `Reason: Evicted`, a zero-time ContainerStatusUnknown
/// state, a multi-line termination message, the ≥1.37 probe spelling, grpc, the 1.35 message
/// prefix and the pre-1.20 `kubelet, node` From.
@Test func evictedPodWithOddStatesAndNewerFormats() throws {
  let text = """
    Name:             api-1
    Namespace:        prod
    Node:             <none>
    Labels:           <none>
    Annotations:      <none>
    Status:           Failed
    Reason:           Evicted
    Message:          The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi.
    IP:
    IPs:              <none>
    Containers:
      api:
        Container ID:
        Image:          api:2.1
        Image ID:
        Port:           8080/TCP (http)
        Host Port:      0/TCP (http)
        State:          Terminated
          Reason:       ContainerStatusUnknown
          Message:      The container could not be located when the pod was terminated
    second line of the message
          Exit Code:    137
          Signal:       9
          Started:      Mon, 01 Jan 0001 00:00:00 +0000
          Finished:     Mon, 01 Jan 0001 00:00:00 +0000
        Ready:          False
        Restart Count:  0
        Liveness:       grpc <pod>:9090 health delay=10s timeout=1s period=10s successThreshold=1 failureThreshold=3
        Readiness:      grpc <pod>:9090  delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3
        Environment:    <none>
        Mounts:         <none>
    Conditions:
      Type              Status
      DisruptionTarget  True
    QoS Class:          BestEffort
    Node-Selectors:     <none>
    Tolerations:        <none>
    Events:
      Type     Reason     Age                From             Message
      ----     ------     ----               ----             -------
      Warning  Evicted    5m                 kubelet, node-3  The node was low on resource: memory.
      Warning  Unhealthy  75s (x12 over 11m)  kubelet          spec.containers{api}: Liveness probe failed: HTTP probe failed with statuscode: 503
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  let pod = try #require(r.pods.first)
  #expect(pod.namespace == "prod" && pod.node == nil && pod.podIP == nil)
  #expect(pod.phase == "Failed" && pod.reason == "Evicted")
  #expect(pod.message?.hasPrefix("The node was low on resource: memory.") == true)
  let api = try #require(pod.containers.first)
  guard case .terminated(let t)? = api.state else { Issue.record("state"); return }
  #expect(t.reason == "ContainerStatusUnknown" && t.exitCode == 137 && t.signal == 9)
  #expect(t.message == "The container could not be located when the pod was terminated\nsecond line of the message")
  #expect(t.startedAt == nil && t.finishedAt == nil)
  #expect(api.probes[.liveness]?.handler == .grpc(port: "9090", service: "health"))
  #expect(api.probes[.liveness]?.initialDelaySeconds == 10)
  #expect(api.probes[.readiness]?.handler == .grpc(port: "9090", service: ""))
  #expect(pod.conditions == [PodCondition(type: "DisruptionTarget", status: "True")])
  #expect(pod.tolerations.isEmpty)
  #expect(r.events.count == 2)
  #expect(r.events[0].sourceComponent == "kubelet" && r.events[0].sourceHost == "node-3")
  #expect(r.events[0].count == nil && same(r.events[0].firstSeen, agoRange(300, unit: 1)))
  #expect(r.events[1].involved.fieldPath == "spec.containers{api}")
  #expect(r.events[1].involved.containerName == "api")
  #expect(r.events[1].message == "Liveness probe failed: HTTP probe failed with statuscode: 503")
}

@Test func describePodsEmitsEachPodWhenItsBlockEnds() throws {
  var text = ""
  for i in 0..<3 {
    text += """
      Name:         web-\(i)
      Namespace:    default
      Node:         node-1/10.0.0.5
      Status:       Running
      Events:
        Type    Reason   Age   From     Message
        ----    ------   ----  ----     -------
        Normal  Pulled   \(i + 2)m    kubelet  Container image "nginx:1.27" already present on machine


      """
  }
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.pods.map(\.name) == ["web-0", "web-1", "web-2"])
  #expect(r.events.map(\.involved.name) == ["web-0", "web-1", "web-2"])
  let order = r.records.map { record -> String in
    switch record {
    case .pod(let p): "pod \(p.name)"
    case .event(let e): "event \(e.involved.name)"
    default: "other"
    }
  }
  #expect(order == ["pod web-0", "event web-0", "pod web-1", "event web-1", "pod web-2", "event web-2"])
}

@Test func messageContinuesAtColumnZeroAndFromMayBeEmpty() throws {
  let text = """
    Name:       web-0
    Namespace:  default
    Node:       node-1/10.0.0.5
    Events:
      Type     Reason     Age   From               Message
      ----     ------     ----  ----               -------
      Normal   Scheduled  10m   default-scheduler  Successfully assigned default/web-0 to node-1
      Normal   Custom     9m                       something happened here
      Warning  Failed     3m    kubelet            Error: failed to create containerd task: OCI runtime create failed:
    runc create failed: unable to start container process: exec: "/app": permission denied
      Normal   Pulled     2m    kubelet            Container image "x" already present on machine
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.events.count == 4)
  #expect(r.events[1].sourceComponent == nil && r.events[1].message == "something happened here")
  #expect(
    r.events[2].message.hasSuffix(
      "create failed:\nrunc create failed: unable to start container process: exec: \"/app\": permission denied"))
  #expect(r.events[2].evidence.map(\.ref.line) == [9, 10])
  #expect(r.events[3].reason == "Pulled")
}

@Test func aRowWithAnAgeKubectlNeverPrintsIsItsOwnRow() throws {
  // HumanDuration never prints `1m50s` (under 2 minutes it is `110s`), but consoles and hand-edited
  // pastes do: the row reads as its own event (an age precise to the second), never as more of the
  // previous event's message.
  let text = """
    Events:
      Type     Reason    Age                 From     Message
      ----     ------    ----                ----     -------
      Normal   Killing   22s (x4 over 2m)    kubelet  FailedPostStartHook
      Warning  BackOff   5s (x9 over 1m50s)  kubelet  Back-off restarting failed container web in pod web-0_default(1)
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(
    r.events.map(\.message) == [
      "FailedPostStartHook", "Back-off restarting failed container web in pod web-0_default(1)",
    ])
  #expect(r.events.map { $0.evidence.map(\.ref.line) } == [[4], [5]])
  #expect(r.events.last?.count == 9)
}

@Test func oldDescribeEventTables() throws {
  // 1.2–1.7: tab-separated, ShortHumanDuration ages, `{component host}` or `component, host`.
  let v17 =
    "Name:\tweb-0\nNamespace:\tdefault\nNode:\tnode-1/10.0.0.5\nEvents:\n"
    + "  FirstSeen\tLastSeen\tCount\tFrom\t\t\tSubObjectPath\t\tType\t\tReason\t\tMessage\n"
    + "  ---------\t--------\t-----\t----\t\t\t-------------\t\t--------\t------\t\t-------\n"
    + "  10m\t\t10m\t\t1\t{default-scheduler }\t\t\t\tNormal\t\tScheduled\tSuccessfully assigned web-0 to node-1\n"
    + "  10m\t\t1m\t\t7\t{kubelet node-1}\tspec.containers{web}\tWarning\t\tUnhealthy\tLiveness probe failed: HTTP probe failed with statuscode: 500\n"
    + "  3h\t\t2m\t\t40\tkubelet, node-1\t\tspec.containers{web}\tWarning\t\tBackOff\t\tBack-off restarting failed docker container\n"
  let r = parseKubectl(v17)
  #expect(r.unrecognised == [])
  #expect(r.events.count == 3)
  #expect(r.events[0].sourceComponent == "default-scheduler" && r.events[0].sourceHost == nil)
  #expect(r.events[0].involved.fieldPath == nil && r.events[0].count == 1)
  #expect(same(r.events[0].firstSeen, agoRange(600, unit: 60)))
  #expect(r.events[1].sourceHost == "node-1" && r.events[1].involved.fieldPath == "spec.containers{web}")
  #expect(r.events[1].count == 7 && same(r.events[1].lastSeen, agoRange(60, unit: 60)))
  #expect(same(r.events[2].firstSeen, agoRange(3 * 3600, unit: 3600)))
  #expect(r.events[2].sourceComponent == "kubelet" && r.events[2].sourceHost == "node-1")

  // ≤1.1: absolute RFC1123Z times, no Type column.
  let v11 = """
    Name:       web-0
    Namespace:  default
    Events:
      FirstSeen                         LastSeen                          Count   From                 SubobjectPath                         Reason    Message
      Thu, 12 Feb 2015 01:38:06 +0000   Thu, 12 Feb 2015 01:38:06 +0000   1       {scheduler }                                               scheduled Successfully assigned web-0 to node-1
      Thu, 12 Feb 2015 01:38:10 +0000   Thu, 12 Feb 2015 01:40:10 +0000   3       {kubelet node-1}     implicitly required container POD     pulled    Successfully pulled image "kubernetes/pause:latest"
    """
  let old = parseKubectl(v11)
  #expect(old.unrecognised == [])
  #expect(old.events.count == 2)
  #expect(old.events[0].type == .other("") && old.events[0].reason == "scheduled")
  #expect(old.events[0].firstSeen?.earliest == Date(timeIntervalSince1970: 1_423_705_086))
  #expect(old.events[1].involved.fieldPath == "implicitly required container POD")
  #expect(old.events[1].count == 3 && old.events[1].sourceHost == "node-1")
}

@Test func describeNodeConditionsTaintsAndEvents() throws {
  let text = """
    Name:               node-1
    Roles:              <none>
    Labels:             kubernetes.io/hostname=node-1
    Annotations:        node.alpha.kubernetes.io/ttl: 0
    CreationTimestamp:  Mon, 23 Nov 2026 10:00:00 +0000
    Taints:             node.kubernetes.io/unreachable:NoExecute
                        node.kubernetes.io/unreachable:NoSchedule
    Unschedulable:      false
    Lease:
      HolderIdentity:  node-1
      AcquireTime:     <unset>
      RenewTime:       Fri, 27 Nov 2026 00:40:00 +0000
    Conditions:
      Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
      ----             ------    -----------------                 ------------------                ------              -------
      MemoryPressure   Unknown   Fri, 27 Nov 2026 00:40:00 +0000   Fri, 27 Nov 2026 00:41:00 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
      Ready            Unknown   Fri, 27 Nov 2026 00:40:00 +0000   Fri, 27 Nov 2026 00:41:00 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
    Addresses:
      InternalIP:  10.0.0.5
      Hostname:    node-1
    Capacity:
      cpu:                2
      memory:             4025836Ki
    System Info:
      Kubelet Version:            v1.32.4
    Non-terminated Pods:          (1 in total)
      Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
      ---------                   ----     ------------  ----------  ---------------  -------------  ---
      default                     web-0    0 (0%)        0 (0%)      0 (0%)           0 (0%)         2d
    Allocated resources:
      (Total limits may be over 100 percent, i.e., overcommitted.)
      Resource           Requests    Limits
      cpu                750m (37%)  0 (0%)
    Events:
      Type     Reason        Age   From             Message
      ----     ------        ----  ----             -------
      Normal   NodeNotReady  19m   node-controller  Node node-1 status is now: NodeNotReady
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  let node = try #require(r.nodes.first)
  #expect(r.pods.isEmpty && r.nodes.count == 1)
  #expect(node.name == "node-1")
  #expect(node.taints == ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"])
  #expect(node.unschedulable == false)
  #expect(node.conditions.count == 2)
  #expect(
    node.conditions[1]
      == PodCondition(
        type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status."))
  #expect(r.events.first?.involved == ObjectRef(kind: "Node", name: "node-1"))
  #expect(r.events.first?.sourceComponent == "node-controller")
}

@Test func describeWorkloads() throws {
  let text = """
    Name:                   web
    Namespace:              default
    CreationTimestamp:      Wed, 25 Nov 2026 10:00:00 +0000
    Labels:                 app=web
    Annotations:            deployment.kubernetes.io/revision: 1
    Selector:               app=web
    Replicas:               3 desired | 3 updated | 3 total | 1 available | 2 unavailable
    StrategyType:           RollingUpdate
    MinReadySeconds:        0
    RollingUpdateStrategy:  25% max unavailable, 25% max surge
    Pod Template:
      Labels:  app=web
      Containers:
       nginx:
        Image:         nginx:1.27
        Port:          80/TCP
        Environment:   <none>
        Mounts:        <none>
      Volumes:         <none>
    Conditions:
      Type           Status  Reason
      ----           ------  ------
      Available      False   MinimumReplicasUnavailable
      Progressing    True    ReplicaSetUpdated
    OldReplicaSets:  <none>
    NewReplicaSet:   web-5d4f8b7c9 (3/3 replicas created)
    Events:
      Type    Reason             Age   From                   Message
      ----    ------             ----  ----                   -------
      Normal  ScalingReplicaSet  10m   deployment-controller  Scaled up replica set web-5d4f8b7c9 from 0 to 3


    Name:           web-5d4f8b7c9
    Namespace:      default
    Selector:       app=web,pod-template-hash=5d4f8b7c9
    Labels:         app=web
    Annotations:    deployment.kubernetes.io/desired-replicas: 3
    Controlled By:  Deployment/web
    Replicas:       3 current / 3 desired
    Pods Status:    1 Running / 2 Waiting / 0 Succeeded / 0 Failed
    Pod Template:
      Labels:  app=web
      Containers:
       nginx:
        Image:        nginx:1.27
    Events:
      Type    Reason            Age   From                   Message
      ----    ------            ----  ----                   -------
      Normal  SuccessfulCreate  10m   replicaset-controller  Created pod: web-5d4f8b7c9-abcde


    Name:               db
    Namespace:          default
    Selector:           app=db
    Labels:             <none>
    Annotations:        <none>
    Replicas:           3 desired | 2 total
    Update Strategy:    RollingUpdate
      Partition:        0
    Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed
    Events:             <none>


    Name:             migrate
    Namespace:        default
    Selector:         batch.kubernetes.io/controller-uid=1234
    Labels:           <none>
    Annotations:      <none>
    Parallelism:      1
    Completions:      1
    Completion Mode:  NonIndexed
    Start Time:       Fri, 27 Nov 2026 00:30:00 +0000
    Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 1 Failed
    Events:
      Type     Reason                Age   From            Message
      ----     ------                ----  ----            -------
      Warning  DeadlineExceeded      5m    job-controller  Job was active longer than specified deadline
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.pods.isEmpty)
  #expect(r.workloads.map(\.kind) == ["Deployment", "ReplicaSet", "StatefulSet", "Job"])
  let deploy = r.workloads[0]
  #expect(deploy.replicas == "3 desired | 3 updated | 3 total | 1 available | 2 unavailable")
  #expect(
    deploy.conditions.first == PodCondition(type: "Available", status: "False", reason: "MinimumReplicasUnavailable"))
  #expect(r.workloads[1].podsStatus == "1 Running / 2 Waiting / 0 Succeeded / 0 Failed")
  #expect(r.workloads[3].podsStatus == "0 Active (0 Ready) / 0 Succeeded / 1 Failed")
  #expect(r.events.map(\.involved.kind) == ["Deployment", "ReplicaSet", "Job"])
  #expect(r.events.map(\.involved.name) == ["web", "web-5d4f8b7c9", "migrate"])
}

@Test func sidecarInitContainerIsRestartable() throws {
  let text = """
    Name:         web-0
    Namespace:    default
    Init Containers:
      proxy:
        Image:           envoy:1.30
        Restart Policy:  Always
        State:           Running
          Started:       Fri, 27 Nov 2026 00:10:00 +0000
        Ready:           True
        Restart Count:   0
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  let proxy = try #require(r.pods.first?.containers.first)
  #expect(proxy.role == .initContainer && proxy.restartPolicyAlways)
  #expect(
    proxy.state == .running(startedAt: TimeRange(earliest: ago(3000), latest: ago(3000).addingTimeInterval(0.999))))
}

@Test func strippedVolumesKeepTheirNameAndBlocksSplitWithoutBlankLines() {
  let text = """
    Name: a
    Namespace: default
    Node: n/10.0.0.1
    Volumes:
    config:
    Type: ConfigMap (a volume populated by a ConfigMap)
    Name: app-config
    Optional: false
    QoS Class: BestEffort
    Priority: 0
    Name: b
    Namespace: default
    Node: n/10.0.0.1
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.pods.map(\.name) == ["a", "b"])
  #expect(r.ignored == [4, 5, 6, 7, 8, 10])
  #expect(r.pods[0].qosClass == "BestEffort")
}

@Test func describeFragmentsWithoutNameAreAnUnnamedPod() throws {
  // One container's state lines, indentation stripped, as pasted into a chat.
  let state = parseKubectl(
    """
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
    Restart Count:  7
    """)
  #expect(state.unrecognised == [])
  let pod = try #require(state.pods.first)
  #expect(pod.name.isEmpty && pod.pastedAt?.line == 1)
  let c = try #require(pod.containers.first)
  #expect(c.name == ContainerSnapshot.unknownName && c.restartCount == 7)
  #expect(c.state == .waiting(reason: "CrashLoopBackOff", message: nil))
  #expect(c.lastState == .terminated(Termination(reason: "OOMKilled", exitCode: 137)))

  // An `Init Containers:` section alone, with the 1.0–1.2 `Last Termination State` label.
  let section = parseKubectl(
    """
    Init Containers:
      init:
        Image:          registry.example/init:1.0
        State:          Waiting
          Reason:       CrashLoopBackOff
        Last Termination State:     Terminated
          Exit Code:    1
        Restart Count:  16
    """)
  #expect(section.unrecognised == [])
  let initC = try #require(section.pods.first?.containers.first)
  #expect(initC.name == "init" && initC.role == .initContainer && initC.restartCount == 16)
  #expect(initC.lastState == .terminated(Termination(exitCode: 1)))
}

@Test func describeFragmentsFromAPodTopFieldAndNamelessContainers() throws {
  // A describe whose first lines were cut: it starts at `Status:`, and each section lost its
  // container name line.
  let cut = parseKubectl(
    """
    Status:                    Terminating (lasts 90d)
    Termination Grace Period:  0s

    Init Containers:

        State:          Terminated
          Reason:       Completed
          Exit Code:    0

    Containers:

        State:          Terminated
          Reason:       Error
          Exit Code:    137
    """)
  #expect(cut.unrecognised == [])
  let pod = try #require(cut.pods.first)
  #expect(pod.terminating && pod.deletionTimestamp != nil)
  #expect(pod.containers.map(\.role) == [.initContainer, .container])
  #expect(pod.containers.allSatisfy { $0.name == ContainerSnapshot.unknownName })
  #expect(pod.containers.last?.state == .terminated(Termination(reason: "Error", exitCode: 137)))

  // Prose with a `Status:` line is not a describe.
  #expect(parseKubectl("Status: we are still looking into it").pods.isEmpty)
}
