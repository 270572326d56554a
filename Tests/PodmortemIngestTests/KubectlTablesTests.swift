import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

@Test func getPodsDefaultWideAllNamespacesAndLabels() throws {
  // The layout of samples/*/get-pods*.txt, rendered by the real kubectl.
  let plain = """
    NAME                   READY   STATUS             RESTARTS       AGE
    api-7d9f8b6c5d-q8w4r   1/1     Running            0              2d3h
    api-7d9f8b6c5d-x2x7k   0/1     CrashLoopBackOff   7 (3m4s ago)   38m
    web-6f9c8d7b5-kq2lp    0/1     Running            4 (66s ago)    134m
    worker-0               0/1     Terminating        0              3d4h
    """
  let r = parseKubectl(plain)
  #expect(r.unrecognised == [] && r.ignored == [1] && r.parsed == [2, 3, 4, 5])
  #expect(r.pods.map(\.name) == ["api-7d9f8b6c5d-q8w4r", "api-7d9f8b6c5d-x2x7k", "web-6f9c8d7b5-kq2lp", "worker-0"])
  let crash = r.pods[1]
  #expect(crash.displayStatus == "CrashLoopBackOff" && crash.ready == ReadyCount(ready: 0, total: 1))
  #expect(crash.restarts == 7 && same(crash.lastRestart, agoRange(184, unit: 1)))
  #expect(same(crash.creationTime, agoRange(38 * 60, unit: 60)))
  #expect(same(r.pods[0].creationTime, agoRange(2 * 86400 + 3 * 3600, unit: 3600)))
  #expect(r.pods[0].lastRestart == nil && r.pods[0].restarts == 0)
  #expect(r.pods[3].terminating && !r.pods[0].terminating)
  #expect(r.pods[2].evidence.map(\.ref.line) == [4])
  #expect(r.pods[2].capturedAt == capture)

  let wide = """
    NAMESPACE   NAME                   READY   STATUS             RESTARTS       AGE   IP            NODE            NOMINATED NODE   READINESS GATES   LABELS
    default     api-7d9f8b6c5d-x2x7k   0/1     CrashLoopBackOff   7 (3m4s ago)   38m   10.244.2.31   worker-node-2   <none>           <none>            app=api,pod-template-hash=7d9f8b6c5d
    kube-system coredns-1              1/1     Running            0              30d   <none>        <none>          <none>           <none>            <none>
    """
  let w = parseKubectl(wide)
  #expect(w.unrecognised == [])
  #expect(w.pods[0].namespace == "default" && w.pods[0].podIP == "10.244.2.31" && w.pods[0].node == "worker-node-2")
  #expect(w.pods[0].labels == ["app": "api", "pod-template-hash": "7d9f8b6c5d"])
  #expect(
    w.pods[1].namespace == "kube-system" && w.pods[1].podIP == nil && w.pods[1].node == nil && w.pods[1].labels.isEmpty)
}

@Test(arguments: [
  "Init:0/2", "Init:CrashLoopBackOff", "Init:Error", "Init:ExitCode:1", "Terminating", "Unknown", "Evicted",
  "ContainerStatusUnknown", "SchedulingGated", "NotReady", "Completed", "Error", "OOMKilled", "ImagePullBackOff",
  "ErrImagePull", "CreateContainerConfigError", "PodInitializing", "ContainerCreating", "Pending", "Signal:9",
])
func everyPodStatusIsKept(_ status: String) throws {
  let text = "NAME    READY   STATUS   RESTARTS   AGE\nweb-0   0/2   \(status)   5 (2m ago)   2d\n"
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.pods.first?.displayStatus == status)
  #expect(r.pods.first?.terminating == (status == "Terminating"))
}

@Test func getPodsWatchAndMultiKindTables() {
  let text = """
    NAME                   READY   STATUS             RESTARTS   AGE
    pod/web-0              0/1     Running            0          5s
    pod/web-0   0/1   Error   0     9s
    pod/web-0      0/1     CrashLoopBackOff   1 (1s ago)     10s

    NAME                         READY   UP-TO-DATE   AVAILABLE   AGE
    deployment.apps/web          0/1     1            0           10s
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.pods.map(\.displayStatus) == ["Running", "Error", "CrashLoopBackOff"])
  #expect(r.pods.allSatisfy { $0.name == "web-0" })
  #expect(r.ignored == [1, 5, 6, 7])
}

@Test func getEventsDefaultAndWide() throws {
  let text = """
    LAST SEEN   TYPE      REASON      OBJECT                     MESSAGE
    38m         Normal    Scheduled   pod/api-7d9f8b6c5d-x2x7k   Successfully assigned default/api-7d9f8b6c5d-x2x7k to worker-node-2
    3m5s        Warning   BackOff     pod/api-7d9f8b6c5d-x2x7k   Back-off restarting failed container api in pod api-7d9f8b6c5d-x2x7k_default(0f1c)
    19m         Normal    NodeNotReady   node/node-1            Node node-1 status is now: NodeNotReady
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [] && r.parsed == [2, 3, 4])
  #expect(r.events.count == 3)
  #expect(r.events[0].involved == ObjectRef(kind: "Pod", name: "api-7d9f8b6c5d-x2x7k"))
  #expect(r.events[0].message == "Successfully assigned default/api-7d9f8b6c5d-x2x7k to worker-node-2")
  #expect(
    same(r.events[1].lastSeen, agoRange(185, unit: 1)) && r.events[1].firstSeen == nil && r.events[1].count == nil)
  #expect(r.events[2].involved.kind == "Node")

  let wide = """
    LAST SEEN   TYPE      REASON      OBJECT                    SUBOBJECT              SOURCE                                      MESSAGE                                                          FIRST SEEN   COUNT   NAME
    75s         Warning   Unhealthy   pod/web-6f9c8d7b5-kq2lp   spec.containers{web}   kubelet, worker-node-1                      Liveness probe failed: HTTP probe failed with statuscode: 503   11m          12      web-6f9c8d7b5-kq2lp.187b1c2d3e4f5a6b
    38m         Normal    Scheduled   pod/api-7d9f8b6c5d-x2x7k                         default-scheduler, default-scheduler-cp-1   Successfully assigned default/api-7d9f8b6c5d-x2x7k to worker-node-2   38m   1   api-7d9f8b6c5d-x2x7k.187b0a0b0c0d0e0f
    """
  let w = parseKubectl(wide)
  #expect(w.unrecognised == [])
  let e = try #require(w.events.first)
  #expect(
    e.involved.fieldPath == "spec.containers{web}" && e.sourceComponent == "kubelet" && e.sourceHost == "worker-node-1")
  #expect(e.message == "Liveness probe failed: HTTP probe failed with statuscode: 503")
  #expect(e.count == 12 && e.eventName == "web-6f9c8d7b5-kq2lp.187b1c2d3e4f5a6b")
  #expect(same(e.firstSeen, agoRange(660, unit: 60)) && same(e.lastSeen, agoRange(75, unit: 1)))
  #expect(w.events[1].involved.fieldPath == nil && w.events[1].sourceHost == "default-scheduler-cp-1")
  #expect(w.events[1].message == "Successfully assigned default/api-7d9f8b6c5d-x2x7k to worker-node-2")
}

@Test func getEventsWatchDriftWatchEventsAndAllNamespaces() throws {
  // `--watch`: one header, then rows whose widths drift (§3.2).
  let text = """
    NAMESPACE   LAST SEEN   TYPE      REASON    OBJECT      MESSAGE
    default     2m          Warning   BackOff   pod/api-x   Back-off restarting failed container api in pod api-x_default(1)
    default     0s                Warning           BackOff          pod/api-x          Back-off restarting failed container api in pod api-x_default(1)
    prod   0s   Normal   Pulled   pod/db-0   Container image "postgres:16" already present on machine
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.events.map(\.involved.namespace) == ["default", "default", "prod"])
  #expect(r.events[1].reason == "BackOff" && r.events[1].message.hasPrefix("Back-off restarting"))

  let watchEvents = """
    EVENT      LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
    ADDED      38m         Normal    Scheduled   pod/api-x   Successfully assigned default/api-x to node-2
    MODIFIED   0s          Warning   BackOff     pod/api-x   Back-off restarting failed container api in pod api-x_default(1)
    DELETED    61m         Normal    Pulled      pod/api-x   Container image "api:1" already present on machine
    """
  let we = parseKubectl(watchEvents)
  #expect(we.unrecognised == [])
  #expect(we.events.map(\.watchType) == ["ADDED", "MODIFIED", "DELETED"])
}

@Test func preOneTwelveEventTables() throws {
  let text = """
    LAST SEEN   FIRST SEEN   COUNT     NAME      KIND      SUBOBJECT               TYPE      REASON      SOURCE              MESSAGE
    10m         1h           3         web-0     Pod       spec.containers{web}    Warning   Unhealthy   kubelet, node-1     Liveness probe failed: HTTP probe failed with statuscode: 500
    1h          1h           1         web-0     Pod                               Normal    Scheduled   default-scheduler   Successfully assigned web-0 to node-1
    2018-03-01 10:11:12 +0000 UTC   2018-03-01 10:01:12 +0000 UTC   4   web-0   Pod   spec.containers{web}   Warning   Unhealthy   kubelet, node-1   Liveness probe failed: HTTP probe failed with statuscode: 500
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.events.count == 3)
  let e = r.events[0]
  #expect(e.involved == ObjectRef(kind: "Pod", name: "web-0", fieldPath: "spec.containers{web}"))
  // Pre-1.12 ages are ShortHumanDuration: `10m` is 600…659.999 s (§2).
  #expect(same(e.lastSeen, agoRange(600, unit: 60)) && same(e.firstSeen, agoRange(3600, unit: 3600)))
  #expect(e.count == 3 && e.sourceHost == "node-1")
  #expect(r.events[1].involved.fieldPath == nil && r.events[1].sourceComponent == "default-scheduler")
  #expect(r.events[2].lastSeen?.earliest == Date(timeIntervalSince1970: 1_519_899_072))
  #expect(r.events[2].firstSeen?.earliest == Date(timeIntervalSince1970: 1_519_898_472))
  #expect(r.events[2].count == 4)
}

@Test func kubectlEventsCommand() throws {
  let text = """
    LAST SEEN              TYPE      REASON      OBJECT                    MESSAGE
    11m                    Normal    Scheduled   Pod/web-6f9c8d7b5-kq2lp   Successfully assigned default/web-6f9c8d7b5-kq2lp to worker-node-1
    75s (x12 over 11m)     Warning   Unhealthy   Pod/web-6f9c8d7b5-kq2lp   Liveness probe failed: HTTP probe failed with statuscode: 503
    <unknown>              Normal    Created     Pod/web-6f9c8d7b5-kq2lp   Created container: web

    NAMESPACE   LAST SEEN   TYPE     REASON    OBJECT       MESSAGE
    prod        95s (x4 over 10m)   Normal   Killing   Pod/db-0   Container db failed liveness probe, will be restarted
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.events.count == 4)
  let e = r.events[1]
  #expect(e.involved == ObjectRef(kind: "Pod", name: "web-6f9c8d7b5-kq2lp"))
  #expect(e.count == 12 && same(e.lastSeen, agoRange(75, unit: 1)) && same(e.firstSeen, agoRange(660, unit: 60)))
  #expect(r.events[2].lastSeen == nil)
  // One occurrence: `kubectl events` prints the first age, which is also the last (§3.3).
  #expect(same(r.events[0].firstSeen, agoRange(660, unit: 60)) && same(r.events[0].lastSeen, r.events[0].firstSeen))
  #expect(r.events[3].involved.namespace == "prod" && r.events[3].count == 4)
}

@Test func getPodsStatusCellBecomesTheStateOfAContainerWhoseNameIsNotShown() throws {
  let text = """
    NAME     READY   STATUS                       RESTARTS        AGE
    crash    0/1     CrashLoopBackOff             13 (2m ago)     1h
    pull     0/2     ImagePullBackOff             0               5m
    init     0/1     Init:CrashLoopBackOff        6               9m
    exit     0/1     ExitCode:3                   2               9m
    oom      0/1     OOMKilled                    4               9m
    evicted  0/1     Evicted                      0               2d
    late     0/1     DeadlineExceeded             0               31m
    nocpu    0/1     OutOfcpu                     0               4m
    affine   0/1     NodeAffinity                 0               4m
    run      1/1     Running                      0               2d
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  let pods = Dictionary(uniqueKeysWithValues: r.pods.map { ($0.name, $0) })
  let crash = try #require(pods["crash"]?.containers.first)
  #expect(crash.name == ContainerSnapshot.unknownName && crash.role == .container)
  #expect(crash.state == .waiting(reason: "CrashLoopBackOff", message: nil))
  // READY x/1: one container, so the row's RESTARTS are its own.
  #expect(crash.restartCount == 13 && crash.ready == false)
  // Two containers: RESTARTS is their sum, so neither is given it.
  let pull = try #require(pods["pull"]?.containers.first)
  #expect(pull.state == .waiting(reason: "ImagePullBackOff", message: nil) && pull.restartCount == nil)
  let initC = try #require(pods["init"]?.containers.first)
  #expect(initC.role == .initContainer && initC.state == .waiting(reason: "CrashLoopBackOff", message: nil))
  #expect(pods["exit"]?.containers.first?.state == .terminated(Termination(exitCode: 3)))
  // A terminated reason with no exit code in the row: no termination is invented.
  #expect(pods["oom"]?.containers == [] && pods["oom"]?.displayStatus == "OOMKilled")
  #expect(pods["evicted"]?.reason == "Evicted" && pods["evicted"]?.phase == "Failed")
  // The kubelet's deadline and admission reasons fail the pod too (docs/kubernetes.md §8.4, §9.2).
  for name in ["late", "nocpu", "affine"] {
    #expect(pods[name]?.phase == "Failed" && pods[name]?.reason == pods[name]?.displayStatus, "\(name)")
  }
  #expect(pods["run"]?.containers == [] && pods["run"]?.phase == "Running")
}

@Test func headerlessGetEventsRowsInEveryLayout() throws {
  // Default (1.14+), then pre-1.12 with `{kubelet host}` and an empty SUBOBJECT, then `-A`.
  let modern = """
    8m23s       Normal    Pulling    pod/api-7d9f8b6c5d-x2x7k   Pulling image "registry.example/api:2.7"
    9m37s       Warning   Failed     pod/api-7d9f8b6c5d-x2x7k   Failed to pull image "registry.example/api:2.7": unauthorized
    """
  let m = parseKubectl(modern)
  #expect(m.unrecognised == [] && m.parsed == [1, 2])
  #expect(m.events.map(\.involved.name) == ["api-7d9f8b6c5d-x2x7k", "api-7d9f8b6c5d-x2x7k"])
  #expect(m.events.map(\.involved.kind) == ["Pod", "Pod"] && m.events.map(\.reason) == ["Pulling", "Failed"])

  let legacy = """
    18s        33s         2         edge-7d9f8b6c5-q8v2n    Pod       spec.containers{edge}    Warning   Failed       {kubelet node-1}    Failed to pull image "quay.io/x/edge:1": not found
    15s        31s         2         edge-7d9f8b6c5-q8v2n    Pod                                 Warning   FailedSync   {kubelet node-1}    Error syncing pod, skipping
    """
  let l = parseKubectl(legacy)
  #expect(l.unrecognised == [])
  #expect(l.events.map(\.involved.fieldPath) == ["spec.containers{edge}", nil])
  #expect(l.events.map(\.count) == [2, 2] && l.events.map(\.sourceHost) == ["node-1", "node-1"])

  let all =
    "prod        2m57s       Warning   FailedScheduling   pod/ledger-0   0/1 nodes are available: 1 Insufficient cpu.\n"
  let a = parseKubectl(all)
  #expect(a.unrecognised == [] && a.events.first?.involved.namespace == "prod")
  // Prose is not a row of any layout.
  #expect(parseKubectl("5m then Normal things happened to the pod\n").unrecognised == [1])
}

@Test func aPostersPlaceholderWithASpaceIsOneCell() throws {
  // Real paste (samples/pastes/get-events-evicted-id-placeholders-j05): the poster hid the pod
  // names behind `<id here>`. Read as two words, the placeholder shifted every cell after it.
  let text = """
    4m11s       Warning   Evicted               pod/egg-<id here>    The node was low on resource: memory. Container egg was using 5053216Ki, which exceeds its request of 0.
    4m7s        Normal    Scheduled             pod/egg-<id2 here>    Successfully assigned fate-10000/egg-<id2 here> to aks-nodepool1-<id>
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [] && r.parsed == [1, 2])
  #expect(r.events.map(\.involved.name) == ["egg-<id here>", "egg-<id2 here>"])
  #expect(r.events.first?.message.hasPrefix("The node was low on resource: memory.") == true)
  #expect(r.events.last?.message == "Successfully assigned fate-10000/egg-<id2 here> to aks-nodepool1-<id>")
  // What is not a placeholder stays words: an operator, a closed tag, one too many words.
  func words(_ s: String) -> [String] { KubectlLine.joiningPlaceholders(s.split(separator: " ")).map(String.init) }
  #expect(words("if a < 5 and b > 3") == ["if", "a", "<", "5", "and", "b", ">", "3"])
  #expect(words("<html> body </html>") == ["<html>", "body", "</html>"])
  #expect(words("pod/<a b c d> x") == ["pod/<a", "b", "c", "d>", "x"])
  #expect(words("pod/<your pod name>.") == ["pod/<your pod name>."])
  // A web page's copy pads with no-break spaces.
  let nbsp = parseKubectl("NAME\u{00A0}\u{00A0}\u{00A0}READY   STATUS\nweb-0\u{00A0}\u{00A0}0/1     Error\n")
  #expect(nbsp.unrecognised == [] && nbsp.pods.map(\.name) == ["web-0"])
}

@Test func preOneZeroGetPodsRowsByPosition() throws {
  // Real paste (samples/pastes/get-pods-v1beta3-image-not-found-2015-j20), Kubernetes 0.17: the
  // pod's row leaves CONTAINER(S) and IMAGE(S) blank, each container's row leaves the pod's cells
  // blank, and CREATED and MESSAGE hold spaces.
  let text = """
    POD       IP          CONTAINER(S)   IMAGE(S)    HOST                  LABELS    STATUS    CREATED          MESSAGE
    foo       10.0.0.53                              127.0.0.1/127.0.0.1   app=web   Pending   About a minute
                          bar1           fooimage1                                   Waiting                    Error: image library/fooimage1:latest not found
                          bar2           fooimage2                                   Running   About a minute
    bar       <none>                                 <unassigned>          <none>    Pending   2 seconds
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [] && r.parsed == [2, 3, 4, 5])
  #expect(r.pods.map(\.name) == ["foo", "bar"])
  let foo = try #require(r.pods.first)
  #expect(foo.podIP == "10.0.0.53" && foo.node == "127.0.0.1" && foo.labels == ["app": "web"] && foo.phase == "Pending")
  #expect(foo.containers.map(\.name) == ["bar1", "bar2"] && foo.containers.map(\.image) == ["fooimage1", "fooimage2"])
  #expect(foo.containers[0].state == .waiting(reason: nil, message: "Error: image library/fooimage1:latest not found"))
  #expect(foo.containers[1].state == .running(startedAt: nil))
  #expect(foo.evidence.map(\.ref.line) == [2] && foo.containers[0].evidence.map(\.ref.line) == [3])
  #expect(r.pods[1].containers.isEmpty && r.pods[1].podIP == nil)
  // Indentation stripped or padding turned to tabs: the rows are read by the shape of their words.
  let stripped = text.split(separator: "\n").map { $0.drop { $0 == " " } }.joined(separator: "\n")
  let tabbed = text.replacing(/\ {2,}/, with: "\t")
  for damaged in [stripped, tabbed] {
    let d = parseKubectl(damaged)
    #expect(d.unrecognised == [] && d.pods.map(\.name) == ["foo", "bar"])
    #expect(d.pods.first?.containers.map(\.state) == foo.containers.map(\.state))
    #expect(d.pods.first?.containers.map(\.image) == foo.containers.map(\.image))
    #expect(
      d.pods.first?.node == "127.0.0.1" && d.pods.first?.podIP == "10.0.0.53" && d.pods.first?.labels == ["app": "web"])
  }
  // `kubectl top pod --containers` also starts with POD: a table podmortem does not read.
  let top = parseKubectl("POD     NAME   CPU(cores)   MEMORY(bytes)\nweb-0   web    1m           12Mi\n")
  #expect(top.unrecognised == [] && top.pods.isEmpty)
}

@Test func headerlessGetPodsRows() throws {
  let r = parseKubectl(
    """
    rancher-kzf6hq2w9m-hhzwd   0/1     CrashLoopBackOff   121        10h
    kube-system   coredns-1   1/1     Running   0          30d
    """)
  #expect(r.unrecognised == [])
  #expect(r.pods.map(\.name) == ["rancher-kzf6hq2w9m-hhzwd", "coredns-1"])
  #expect(r.pods.map(\.namespace) == [nil, "kube-system"])
  #expect(r.pods.first?.containers.first?.state == .waiting(reason: "CrashLoopBackOff", message: nil))
}

@Test func headerlessRowsOfTheFirstSeenFirstEraKeepTheirTimesInOrder() throws {
  // 1.2 printed FIRSTSEEN before LASTSEEN; the ages tell the order (first seen is the older).
  let r = parseKubectl(
    "33s        18s         2         edge-0    Pod       spec.containers{edge}    Warning   Failed       {kubelet node-1}    Failed to pull image \"x\": not found\n"
  )
  let e = try #require(r.events.first)
  let first = try #require(e.firstSeen)
  let last = try #require(e.lastSeen)
  #expect(first.earliest < last.earliest)
}

@Test func podRowsInInlineCodeAndAHeaderCutByTheTerminal() throws {
  let code = parseKubectl(
    "`rancher-kzf6hq2w9m-hhzwd   0/1     CrashLoopBackOff   121        23h   10.42.3.113   node-3   <none>           <none> `\n"
  )
  #expect(code.unrecognised == [] && code.pods.first?.restarts == 121)
  let cut = parseKubectl(
    """
    NAMESPACE     NAME                                      READY   STATUS
    kube-system   traefik-ccs4xblwk5-jc2hd                  0/1     CreateContainerConfigError
    """)
  #expect(cut.unrecognised == [])
  #expect(cut.pods.first?.containers.first?.state == .waiting(reason: "CreateContainerConfigError", message: nil))
  #expect(KubectlLine.uncode("```yaml") == "```yaml" && KubectlLine.uncode("`a b`") == "a b")
  // The opening backtick cut off with the start of the line: the closing one goes too, when alone.
  #expect(KubectlLine.uncode("ncher-x   0/1   Running   3   23h `") == "ncher-x   0/1   Running   3   23h ")
  #expect(KubectlLine.uncode("run `ls`") == "run `ls`")
}

@Test func oneZeroEventTablesWithoutTypeWithTimesAndCutHeaders() throws {
  // 1.0–1.1 `get events`: FIRSTSEEN first, RFC1123Z times, no TYPE, `{component host}` sources.
  let text = """
    FIRSTSEEN                         LASTSEEN                          COUNT   NAME     KIND   SUBOBJECT                REASON    SOURCE              MESSAGE
    Tue, 03 Mar 2015 10:00:00 +0000   Tue, 03 Mar 2015 10:05:00 +0000   4       web-0    Pod    spec.containers{web}     failed    {kubelet node-1}    Failed to pull image "web:1"
    Tue, 03 Mar 2015 10:00:00 +0000   Tue, 03 Mar 2015 10:00:00 +0000   1       node-1   Node                            created   {nodecontroller }
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [] && r.parsed == [2, 3])
  let e = try #require(r.events.first)
  #expect(e.involved == ObjectRef(kind: "Pod", name: "web-0", fieldPath: "spec.containers{web}"))
  #expect(e.reason == "failed" && e.type == .other("") && e.count == 4 && e.sourceHost == "node-1")
  #expect(e.firstSeen?.earliest == Date(timeIntervalSince1970: 1_425_376_800))
  #expect(e.lastSeen?.earliest == Date(timeIntervalSince1970: 1_425_377_100))
  #expect(
    r.events[1].involved.kind == "Node" && r.events[1].message == "" && r.events[1].sourceComponent == "nodecontroller")

  // A header cut before REASON by the width of the window: its rows are read as rows, and those
  // cut as short as their header say nothing to conclude from.
  let cut = """
    FIRSTSEEN                         LASTSEEN                          COUNT   NAME    KIND   SUBOBJECT
    Tue, 03 Mar 2015 10:00:00 +0000   Tue, 03 Mar 2015 10:00:00 +0000   1       web-0   Pod    spec.containers{web}
    """
  let c = parseKubectl(cut)
  #expect(c.unrecognised == [] && c.ignored == [1, 2] && c.events.isEmpty)

  // Headerless 1.1 rows, any kind of object.
  let rows = """
    3s    3s    1    my-nginx         ReplicationController                             SuccessfulCreate   {replication-controller }   Created pod: my-nginx-r8wde
    2s    2s    1    my-nginx-r8wde   Pod                     spec.containers{my-nginx}  Pulling            {kubelet 127.0.0.1}         pulling image "ngixn"
    """
  let h = parseKubectl(rows)
  #expect(h.unrecognised == [] && h.events.map(\.reason) == ["SuccessfulCreate", "Pulling"])
  #expect(h.events.map(\.involved.kind) == ["ReplicationController", "Pod"])
  #expect(h.events[1].involved.fieldPath == "spec.containers{my-nginx}" && h.events[1].sourceHost == "127.0.0.1")
}

@Test func customColumnsEventTables() throws {
  let text = """
    TIME                   REASON      MSG
    <nil>                  Scheduled   Successfully assigned kube-system/tracer-k4w9p to node-3
    2021-07-01T13:58:33Z   Unhealthy   Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [] && r.ignored == [1] && r.parsed == [2, 3])
  #expect(r.events.map(\.reason) == ["Scheduled", "Unhealthy"])
  #expect(r.events[0].lastSeen == nil)
  #expect(r.events[1].lastSeen?.earliest == Date(timeIntervalSince1970: 1_625_147_913))
  #expect(r.events[1].message == "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory")
  // Every row belongs to the table's one unnamed object until a message names its pod.
  #expect(r.events.allSatisfy { $0.involved.name.isEmpty && $0.involved.pastedAt?.line == 1 })

  let named = parseKubectl(
    """
    NAMESPACE   NAME            KIND   REASON    MESSAGE
    shop        web-0.17a3b2c   Pod    BackOff   Back-off restarting failed container web in pod web-0_shop(uid)
    """)
  #expect(named.unrecognised == [] && named.events.first?.involved.kind == "Pod")
  // Not a custom-columns header: no REASON, or the message not last.
  #expect(TableHeader(KubectlLine(Line(number: 1, text: "TIME   MSG"))) == nil)
  #expect(TableHeader(KubectlLine(Line(number: 1, text: "REASON   MSG   TIME"))) == nil)
}

@Test func aRowsMessageGoesOnUnderItWhenTheOutputItQuotesHeldANewline() throws {
  let text = """
    LAST SEEN   TYPE      REASON      OBJECT          MESSAGE
    41s         Warning   Unhealthy   pod/mysql-0     Startup probe failed: Warning: Using a password on the command line interface can be insecure.
    mysqladmin: connect to server at 'localhost' failed
    12m         Warning   FailedPreStopHook   pod/nginx-0   Exec lifecycle hook ([sh -c nginx -s quit]) for Container "nginx" in Pod "nginx-0_default(4a1f8c3e)" failed - error: command 'sh -c nginx -s quit' exited with 137: signal process started
    , message: "signal process started\\n"

    not part of any row
    """
  let r = parseKubectl(text)
  #expect(r.parsed == [2, 3, 4, 5] && r.unrecognised == [7])
  #expect(r.events.count == 2)
  #expect(
    r.events[0].message
      == "Startup probe failed: Warning: Using a password on the command line interface can be insecure.\nmysqladmin: connect to server at 'localhost' failed"
  )
  #expect(r.events[0].evidence.map(\.ref.line) == [2, 3])
  #expect(r.events[1].message.hasSuffix("signal process started\n, message: \"signal process started\\n\""))
  // A describe after the table still starts one, and a long run of lines is not one message.
  let describe = parseKubectl(
    "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE\n1s   Normal   Pulled   pod/web-0   Pulled\nName:         web-0\nNamespace:    default\n"
  )
  #expect(describe.events.first?.message == "Pulled")
  let many = (0..<30).map { "output line \($0)" }.joined(separator: "\n")
  let long = parseKubectl("1s   Warning   Unhealthy   pod/web-0   Liveness probe failed: x\n" + many + "\n")
  #expect(long.parsed.count == 1 + KubectlTextParser.maxContinuations)
  #expect(long.unrecognised.count == 30 - KubectlTextParser.maxContinuations)
}

@Test func aGetCommandAboveATableNamesTheNamespaceOfItsRows() throws {
  let text = """
    # kubectl get events -n kube-system --field-selector involvedObject.name=coredns-5d8c9e1f47-k2x7w
    LAST SEEN   FIRST SEEN   COUNT     NAME                                        KIND      SUBOBJECT                  TYPE      REASON      SOURCE                    MESSAGE
    5m          20h          1256      coredns-5d8c9e1f47-k2x7w.1568eaa1fd9216d2   Pod       spec.containers{coredns}   Warning   Unhealthy   kubelet, node-7   Liveness probe failed: HTTP probe failed with statuscode: 503
    41m         20h          245       coredns-5d8c9e1f47-k2x7w.1568eab25f0acb02   Pod       spec.containers{coredns}   Normal    Killing     kubelet, node-7   Killing container with id docker://coredns:Container failed liveness probe.. Container will be killed and recreated.
    ```
    $ kubectl get pods --namespace=shop
    ```
    NAME    READY   STATUS    RESTARTS   AGE
    web-0   1/1     Running   0          5m
    $ kubectl get pods -A
    NAME    READY   STATUS    RESTARTS   AGE
    web-1   1/1     Running   0          5m
    """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  // Some 1.11 clients print the event's own name under NAME: the object is its part before the time.
  #expect(r.events.map(\.involved.name) == ["coredns-5d8c9e1f47-k2x7w", "coredns-5d8c9e1f47-k2x7w"])
  #expect(
    r.events.map(\.eventName) == [
      "coredns-5d8c9e1f47-k2x7w.1568eaa1fd9216d2", "coredns-5d8c9e1f47-k2x7w.1568eab25f0acb02",
    ])
  #expect(r.events.map(\.involved.namespace) == ["kube-system", "kube-system"])
  #expect(r.pods.map(\.namespace) == ["shop", nil])
  #expect(KubectlCommand.namespace("kubectl -nprod get pods") == "prod")
  #expect(KubectlCommand.namespace("kubectl describe pod x -n prod") == nil)
  #expect(KubectlCommand.namespace("kubectl get pods -n <namespace>") == nil)
}
