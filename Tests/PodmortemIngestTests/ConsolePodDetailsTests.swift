import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

// Pod details pages copied from web consoles (docs/kubernetes.md §1.8): labels and values on
// separate lines, or a tab between them, and a tab-separated container table.

@Test func consolePageWithLabelsAndValuesOnSeparateLines() throws {
  // OpenShift 3's pod Details tab: `Label:` then its value; one value runs into the next label.
  let r = ingest(
    """
    Status:
    Crash loop back off
    IP:
    10.130.2.44
    Node:
    worker-2.example.internal (10.0.3.7)Restart Policy:
    Always
    Container api

    State:
    Waiting (CrashLoopBackOff)
    Last State
    Terminated at Jun 2, 2018 3:01:44 PM (Error)
    Ready:
    false
    Restart Count:
    12
    """, name: "page.txt")
  #expect(r.account.unrecognised == 0)
  let pod = try #require(r.pods.first)
  #expect(r.pods.count == 1)
  #expect(pod.name == "")
  #expect(pod.pastedAt == SourceRef(source: "page.txt", line: 1))
  #expect(pod.displayStatus == "CrashLoopBackOff")
  #expect(pod.node == "worker-2.example.internal")
  let c = try #require(pod.containers.first)
  #expect(c.name == "api")
  #expect(c.state == .waiting(reason: "CrashLoopBackOff", message: nil))
  // The page shows no exit code: the reason is kept apart, no termination invented.
  #expect(c.lastState == nil)
  #expect(c.terminatedReasonOnly == "Error")
  #expect(c.ready == false)
  #expect(c.restartCount == 12)
  // The value is cited with its label.
  #expect(c.evidence.map(\.ref.line).suffix(2) == [16, 17])
}

@Test func consolePageWithTabsAndAWrappedContainerTable() throws {
  // The GKE console: `Label<TAB>value`, a container table whose State cell wrapped.
  let r = ingest(
    " Name: api-6d8f7b9c4-q2x7z\n" + "Status \tPending\n" + "Namespace \tshop\n" + "Labels \t\n" + "app: api\n"
      + "Containers \t\n" + "Name \tImage \tReady \tRestarts \tState\n"
      + "api \tregistry.example/api:1.4 \tfalse \t0 \t\n" + "Waiting\n" + "Reason: ImagePullBackOff\n",
    name: "page.txt")
  #expect(r.account.unrecognised == 0)
  let pod = try #require(r.pods.first)
  #expect(r.pods.count == 1)
  #expect(pod.name == "api-6d8f7b9c4-q2x7z")
  #expect(pod.namespace == "shop")
  #expect(pod.phase == "Pending")
  #expect(pod.pastedAt == nil)
  let c = try #require(pod.containers.first)
  #expect(c.name == "api")
  #expect(c.image == "registry.example/api:1.4")
  #expect(c.restartCount == 0)
  #expect(c.state == .waiting(reason: "ImagePullBackOff", message: nil))
}

@Test func consolePageWithLabelsWithoutColons() throws {
  // Lens and the OpenShift 4 console drop the colons.
  let r = ingest(
    """
    Name
    worker-5c9f8d7b6-hh2kd
    Namespace
    jobs
    Status
    CrashLoopBackOff
    Restarts
    31
    """, name: "page.txt")
  let pod = try #require(r.pods.first)
  #expect(pod.name == "worker-5c9f8d7b6-hh2kd")
  #expect(pod.namespace == "jobs")
  #expect(pod.displayStatus == "CrashLoopBackOff")
  #expect(pod.containers.first?.restartCount == 31)
  #expect(r.account.unrecognised == 0)
}

@Test func consoleLabelsInProseAreNoPod() {
  // Near miss: labels a person typed, with values no console shows.
  let r = ingest(
    """
    Status:
    still investigating, the pod keeps going away
    Ready:
    not yet
    """, name: "notes.txt")
  #expect(r.pods.isEmpty)
  #expect(r.account.unrecognised == 2)
}

@Test func consoleRestartCountOutOfRangeIsDroppedWithADiagnostic() throws {
  let r = ingest(
    """
    State:
    Waiting (CrashLoopBackOff)
    Restart Count:
    99999999999
    """, name: "page.txt")
  let pod = try #require(r.pods.first)
  #expect(pod.containers.first?.restartCount == nil)
  #expect(pod.containers.first?.state == .waiting(reason: "CrashLoopBackOff", message: nil))
  #expect(r.diagnostics.contains { $0.ref == SourceRef(source: "page.txt", line: 4) })
}

@Test func consoleStateValues() {
  #expect(ConsolePodDetails.state("Waiting (ErrImagePull)") == .waiting(reason: "ErrImagePull", message: nil))
  #expect(ConsolePodDetails.state("waiting: CrashLoopBackOff") == .waiting(reason: "CrashLoopBackOff", message: nil))
  #expect(ConsolePodDetails.state("Running since Jun 2, 2018 3:01:44 PM") == .running(startedAt: nil))
  #expect(
    ConsolePodDetails.state("terminated: OOMKilled (exit code 137)")
      == .terminated(Termination(reason: "OOMKilled", exitCode: 137)))
  #expect(ConsolePodDetails.state("the pod is fine") == nil)
}

@Test func describeAfterAConsolePageIsReadAsDescribe() throws {
  let r = ingest(
    """
    State:
    Waiting (CrashLoopBackOff)
    Restart Count:
    4
    Name:         web-0
    Namespace:    default
    Status:       Running
    Node:         worker-1/10.0.0.5
    """, name: "page.txt")
  #expect(r.pods.count == 2)
  #expect(r.pods.map(\.name).sorted() == ["", "web-0"])
  #expect(r.account.unrecognised == 0)
}

@Test func consoleEventCardsNameTheirPodByItsLink() throws {
  // OpenShift 4's event cards copied as Markdown: the object's badge and link above the message.
  let r = PastedLinesTests.run(
    """
    PodP[api-7d9f8c6b5-k2x9q](https://console.example/k8s/ns/shop/pods/api-7d9f8c6b5-k2x9q)
    NamespaceNS[shop](https://console.example/k8s/cluster/namespaces/shop)
    17 May 2025, 10:16
    Generated from kubelet on [worker-1](https://console.example/k8s/cluster/nodes/worker-1)
    19 times in the last 4 minutes
    `Back-off pulling image "registry.example/api:1.4"`
    P[web-0](https://console.example/k8s/ns/front/pods/web-0)
    Readiness probe failed: HTTP probe failed with statuscode: 503
    """, name: "cards.txt")
  #expect(r.events.count == 2)
  let first = try #require(r.events.first)
  #expect(first.involved.name == "api-7d9f8c6b5-k2x9q")
  #expect(first.involved.namespace == "shop")
  #expect(first.involved.kind == "Pod")
  // The card's count above its message, cited with it.
  #expect(first.count == 19)
  #expect(first.evidence.map(\.ref.line) == [5, 6])
  #expect(r.events.last?.count == nil)
  #expect(r.events.last?.involved.name == "web-0")
  #expect(r.events.last?.involved.namespace == "front")
  #expect(r.account.unrecognised == 0)
}

@Test func linksThatAreNoConsoleObjectStayProse() {
  #expect(ConsoleLink("see [the docs](https://kubernetes.io/docs/)") == nil)
  #expect(ConsoleLink("[Web-0](https://console.example/k8s/ns/a/pods/Web-0)") == nil)
  #expect(ConsoleLink("P[web-0](https://console.example/k8s/ns/a/pods/web-0)")?.namespace == "a")
  #expect(ConsoleLink.isCardTime("26 Apr 2023 at 5:10 PM"))
  #expect(ConsoleLink.isCardTime("17 May 2025, 10:16"))
  #expect(!ConsoleLink.isCardTime("17 pods in 2025 were fine"))
}

@Test func markdownSeparatorUnderConsoleRowsIsIgnored() {
  let r = PastedLinesTests.run(
    """
    4:05:14 PM | Normal | Back-off | Back-off pulling image "registry.example/api:1.4"
    -- | -- | -- | --
    3:30:17 PM | Warning | Failed | Error: ImagePullBackOff
    """, name: "rows.txt")
  #expect(r.account.unrecognised == 0)
  #expect(r.events.count == 2)
}

@Test func nodeConditionsTableWithoutItsDescribeIsAnUnnamedNode() throws {
  // A node's Conditions section pasted alone, tabs for padding, one row wrapped mid-reason.
  let r = ingest(
    "Conditions:\n"
      + "  Type\t\t\tStatus\t\tLastHeartbeatTime\t\t\tLastTransitionTime\t\t\tReason\t\t\t\tMessage\n"
      + "  ----\t\t\t------\t\t-----------------\t\t\t------------------\t\t\t------\t\t\t\t-------\n"
      + "  DiskPressure \tTrue \tSat, 05 Nov 2016 00:01:27 +0000 \tSat, 05 Nov 2016 00:01:27 +0000 \tKubeletHasDisk\n"
      + "Pressure \tkubelet has disk pressure\n"
      + "  Ready \tTrue \tSat, 05 Nov 2016 00:01:27 +0000 \tSat, 05 Nov 2016 00:01:27 +0000 \tKubeletReady \tkubelet is posting ready status\n",
    name: "node.txt")
  #expect(r.account.unrecognised == 0)
  let node = try #require(r.nodes.first)
  #expect(r.nodes.count == 1)
  #expect(node.name == "")
  #expect(node.conditions.map(\.type) == ["DiskPressure", "Ready"])
  #expect(node.conditions.first?.reason == "KubeletHasDiskPressure")
  #expect(node.conditions.first?.message == "kubelet has disk pressure")
}

@Test func aPodsConditionsTableIsNoNode() {
  let r = ingest(
    """
    Conditions:
      Type              Status
      Ready             False
      ContainersReady   False
    """, name: "pod.txt")
  #expect(r.nodes.isEmpty)
}

@Test func consoleEventListTitlesAreRead() {
  let r = PastedLinesTests.run(
    """
    Type | Reason | Age | Source | Message
    -- | -- | -- | -- | --
    Warning | FailedScheduling | 21h13m | default-scheduler | 0/4 nodes are available: 4 Insufficient cpu.
    """, name: "list.txt")
  #expect(r.account.unrecognised == 0)
  #expect(r.events.map(\.reason) == ["FailedScheduling"])
}

@Test func kubectlCommandsWithoutAPromptSeparateOutputs() {
  #expect(KubectlTextParser.isKubectlCommand("./cluster/kubectl.sh get po"))
  #expect(KubectlTextParser.isKubectlCommand("| kubectl -n shop get pod"))
  #expect(KubectlTextParser.isKubectlCommand("oc describe pod web-0"))
  #expect(KubectlTextParser.isKubectlCommand("### kubectl describe node worker-0.example.com"))
  // Near misses: prose that names the client.
  #expect(!KubectlTextParser.isKubectlCommand("kubectl is installed"))
  #expect(!KubectlTextParser.isKubectlCommand("the oc client"))
  // A copy that lost the first characters keeps the rest of the client's name, when a verb follows.
  #expect(KubectlTextParser.isKubectlCommand("ctl describe pod prometheus-k8s-0 -n monitoring"))
  #expect(KubectlTextParser.isKubectlCommand("bectl get events"))
  #expect(!KubectlTextParser.isKubectlCommand("ctl -n shop get pod"))
  #expect(!KubectlTextParser.isKubectlCommand("ectl is the end of a word"))
  let r = PastedLinesTests.run(
    """
    ./cluster/kubectl.sh get po
    NAME               READY     STATUS             RESTARTS   AGE
    web-1              0/1       CrashLoopBackOff   6          9m
    """, name: "pods.txt")
  #expect(r.account.unrecognised == 0)
  #expect(r.pods.map(\.name) == ["web-1"])
}
