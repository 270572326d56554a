import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// A describe pasted into a chat: shell prompt, fences, tabs, collapsed padding, stripped
/// indentation, markdown bold, real and literal colour codes, a row wrapped so its message sits on
/// the next line, then a `get pods` table whose last line was cut.
let messyPaste = """
  $ kubectl describe pod web-0
  ```
  Name:\tweb-0
  Namespace: default
  Node: node-1/10.0.0.5
  Status: Running
  Containers:
  web:
  Image: nginx:1.27
  State: Waiting
  Reason: CrashLoopBackOff
  Last State: Terminated
  Reason: OOMKilled
  Exit Code: 137
  Ready: False
  Restart Count: 7
  Liveness: http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
  **Events:**
  Type Reason Age From Message
  ---- ------ ---- ---- -------
  Warning BackOff 60s (x180 over 45m) kubelet Back-off restarting failed container web in pod web-0_default(0f1c)
  \u{1B}[33mWarning\u{1B}[0m  Unhealthy  4m2s (x27 over 52m)  kubelet
  Liveness probe failed: HTTP probe failed with statuscode: 503
  ```

  this is not kubectl output
  ^[[1mNAME^[[0m   READY   STATUS   RESTARTS   AGE
  web-0   0/1   CrashLoopBackOff   9 (60s ago)   52m
  web-1\t1/1\tRunning\t0\t52m
  web-2   0/1   Runn
  """

@Test(arguments: [1, 7, 4096])
func messyPasteIsReadAndAccountedThroughEveryWindow(window: Int) throws {
  let r = parseKubectl(messyPaste, window: window)
  #expect(r.unrecognised == [26, 30])
  #expect(r.ignored == [1, 2, 7, 18, 19, 20, 24, 25, 27])
  #expect(r.parsed == [3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 28, 29])
  let pod = try #require(r.pods.first)
  #expect(pod.name == "web-0" && pod.namespace == "default" && pod.node == "node-1" && pod.phase == "Running")
  let web = try #require(pod.containers.first)
  #expect(web.name == "web" && web.image == "nginx:1.27" && web.restartCount == 7 && web.ready == false)
  #expect(web.state == .waiting(reason: "CrashLoopBackOff", message: nil))
  guard case .terminated(let t)? = web.lastState else { Issue.record("last state"); return }
  #expect(t.reason == "OOMKilled" && t.exitCode == 137)
  #expect(web.probes[.liveness]?.handler == .httpGet(scheme: "http", host: "", port: "8080", path: "/healthz"))
  #expect(r.events.count == 2)
  #expect(r.events[0].reason == "BackOff" && r.events[0].count == 180 && r.events[0].sourceComponent == "kubelet")
  #expect(r.events[1].reason == "Unhealthy" && r.events[1].type == .warning)
  #expect(r.events[1].message == "Liveness probe failed: HTTP probe failed with statuscode: 503")
  #expect(r.events[1].evidence.map(\.ref.line) == [22, 23])
  #expect(r.events.allSatisfy { $0.involved == ObjectRef(kind: "Pod", namespace: "default", name: "web-0") })
  #expect(r.pods.map(\.name) == ["web-0", "web-0", "web-1"])
  #expect(r.pods[1].restarts == 9 && r.pods[2].displayStatus == "Running")
}

@Test func grepSeparatorsCutFirstLineAndCRLF() {
  let text = [
    "ng  Unhealthy  4m2s (x27 over 52m)  kubelet  Liveness probe failed: HTTP probe failed with statuscode: 503",
    "  Normal   Killing    4m2s (x9 over 51m)   kubelet  Container web failed liveness probe, will be restarted",
    "--",
    "Events:",
    "  Type    Reason  Age   From     Message",
    "  ----    ------  ----  ----     -------",
    "  Normal  Pulled  2m    kubelet  Container image \"nginx:1.27\" already present on machine",
    "--",
    "Events:  <none>",
    "",
  ].joined(separator: "\r\n")
  let r = parseKubectl(text)
  #expect(r.unrecognised == [1])
  #expect(r.parsed == [2, 7])
  #expect(r.ignored == [3, 4, 5, 6, 8, 9])
  #expect(r.events.map(\.reason) == ["Killing", "Pulled"])
  // Pasted without the describe above it, the events' owner is unknown: its name is empty.
  #expect(r.events.allSatisfy { $0.involved.name.isEmpty && $0.involved.kind == nil })
  #expect(r.events[1].message == "Container image \"nginx:1.27\" already present on machine")
  #expect(r.records.count == 2)
}

@Test func severalOutputsGluedTogether() {
  let text =
    describeWeb0 + "\n" + """
      NAME    READY   STATUS             RESTARTS      AGE
      web-0   0/1     CrashLoopBackOff   9 (60s ago)   52m
      LAST SEEN   TYPE      REASON    OBJECT      MESSAGE
      60s         Warning   BackOff   pod/web-0   Back-off restarting failed container web in pod web-0_default(0f1c)
      Name:         web-1
      Namespace:    default
      Node:         node-1/10.0.0.5
      Status:       Pending
      """
  let r = parseKubectl(text)
  #expect(r.unrecognised == [])
  #expect(r.pods.map(\.name) == ["web-0", "web-0", "web-1"])
  #expect(r.pods[1].displayStatus == "CrashLoopBackOff")
  #expect(r.pods[2].phase == "Pending")
  #expect(r.events.count == 4)
  #expect(r.events[3].involved == ObjectRef(kind: "Pod", name: "web-0"))
}

@Test func sniffPicksKubectlTextFromContent() {
  let context = ParseContext(source: SourceInfo(name: "notes"), captureTime: capture, diagnostics: { _ in })
  var records: [Record] = []
  for text in [
    describeWeb0, "NAME   READY   STATUS   RESTARTS   AGE\nweb-0   1/1   Running   0   5m\n",
    "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE\n5m   Normal   Pulled   pod/web-0   pulled\n",
  ] {
    var reader = LineReader(string: text, window: 7)
    let account = Ingestor().ingest(&reader, context: context) { records.append($0) }
    #expect(account.formats == ["kubectl-text"])
    #expect(account.unrecognised == 0)
  }
  var reader = LineReader(string: "hello\nworld\n")
  let account = Ingestor().ingest(&reader, context: context) { records.append($0) }
  #expect(account.formats == ["plain-text"])
  #expect(records.count == 1 + 3 + 1 + 1)
}

@Test(arguments: [
  "No resources found in default namespace.\n", "No events found in default namespace.\n", "No events found.\n",
  "Error from server (NotFound): pods \"does-not-exist\" not found\n",
  "\nNo resources found in kube-system namespace.\nNo resources found in default namespace.\n",
])
func kubectlStderrAloneIsRecognisedAndIgnored(_ text: String) {
  let context = ParseContext(source: SourceInfo(name: "err.txt"), captureTime: capture, diagnostics: { _ in })
  var reader = LineReader(string: text)
  var records: [Record] = []
  let account = Ingestor().ingest(&reader, context: context) { records.append($0) }
  #expect(account.formats == ["kubectl-text"])
  #expect(account.unrecognised == 0 && account.ignored == account.lines && account.lines > 0)
  #expect(records.isEmpty)
}

@Test func kubectlStderrAmongOtherTextIsNotClaimed() {
  let context = ParseContext(source: SourceInfo(name: "notes"), captureTime: capture, diagnostics: { _ in })
  var reader = LineReader(string: "Error from server (NotFound): pods \"x\" not found\nthen I ran it again\n")
  let account = Ingestor().ingest(&reader, context: context) { _ in }
  #expect(account.formats == ["plain-text"])
  #expect(account.unrecognised == 2)
}
@Test func environmentValuesAreNeverKept() throws {
  let pod = try #require(parseKubectl(describeWeb0, keepEnvironmentValues: false).pods.first)
  let names = pod.containers.flatMap(\.environmentNames)
  #expect(names == ["POD_NAME", "DB_PASSWORD"])
  #expect(!names.joined().contains("secret"))
}

@Test func tenThousandPodsStreamOneAtATime() {
  let block = """
    Name:         web-N
    Namespace:    default
    Node:         node-1/10.0.0.5
    Status:       Running
    Events:       <none>


    """
  var reader = LineReader(MemoryByteSource(String(repeating: block, count: 10_000), window: 4096))
  let context = ParseContext(source: SourceInfo(name: "big"), captureTime: capture, diagnostics: { _ in })
  var parser = KubectlTextParser(context: context)
  var pods = 0
  var unrecognised = 0
  var lastLine = 0
  var linesSeenAtFirstPod = 0
  while let line = reader.next() {
    lastLine = line.number
    if parser.feed(line, emit: { if case .pod = $0 { pods += 1; if pods == 1 { linesSeenAtFirstPod = lastLine } } })
      == .unrecognised
    {
      unrecognised += 1
    }
  }
  parser.finish { if case .pod = $0 { pods += 1 } }
  #expect(pods == 10_000 && unrecognised == 0)
  // The first pod is out as soon as its Events line is read, not at the end of the input.
  #expect(linesSeenAtFirstPod == 5)
}

@Test func tabIndentedDescribeAndWrappedGetEvents() throws {
  let text = [
    "Name:\tweb-0",
    "Namespace:\tdefault",
    "Containers:",
    "\tweb:",
    "\t\tImage:\tnginx:1.27",
    "\t\tState:\tTerminated",
    "\t\t\tReason:\tError",
    "\t\t\tExit Code:\t1",
    "\t\tLimits:",
    "\t\t\tmemory:\t64Mi",
    "\t\tRestart Count:\t3",
    "",
    "LAST SEEN   TYPE      REASON    OBJECT      MESSAGE",
    "2m          Warning   BackOff   pod/web-0",
    "Back-off restarting failed container web in pod web-0_default(1)",
    "5m          Normal    Pulled    pod/web-0   Container image \"nginx:1.27\" already present on machine",
    "what is this",
  ].joined(separator: "\n")
  let r = parseKubectl(text)
  #expect(r.unrecognised == [17])
  let web = try #require(r.pods.first?.containers.first)
  #expect(web.name == "web" && web.image == "nginx:1.27" && web.restartCount == 3 && web.limits == ["memory": "64Mi"])
  guard case .terminated(let t)? = web.state else { Issue.record("state"); return }
  #expect(t.reason == "Error" && t.exitCode == 1)
  #expect(r.events.map(\.reason) == ["BackOff", "Pulled"])
  #expect(r.events[0].message == "Back-off restarting failed container web in pod web-0_default(1)")
  #expect(r.events[0].evidence.map(\.ref.line) == [14, 15])
}

@Test func sniffPicksKubectlTextForFragmentsAtColumnZero() {
  let context = ParseContext(source: SourceInfo(name: "paste"), captureTime: capture, diagnostics: { _ in })
  for text in [
    // A describe row whose message holds `resource:` (once read as a `key: value` line and nothing more).
    "Warning  Evicted  6m5s   kubelet  The node was low on resource: ephemeral-storage. Container x was using 76Ki, which exceeds its request of 0.\n",
    // One container's last state, its indentation stripped.
    "```\nLast State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n```\n",
    // Headerless `get events` and `get nodes` rows.
    "8m23s   Warning   Failed   pod/api-0   Failed to pull image \"x\": not found\n",
    "worker02   NotReady   <none>   421d   v1.29.4\n",
  ] {
    var reader = LineReader(string: text)
    var records: [Record] = []
    let account = Ingestor().ingest(&reader, context: context) { records.append($0) }
    #expect(account.formats == ["kubectl-text"], "\(text)")
    #expect(account.unrecognised == 0, "\(text)")
    #expect(!records.isEmpty, "\(text)")
  }
}

@Test func webConsoleEventRowsWithTheirRepeatCounts() throws {
  let r = parseKubectl(
    """
    3:05:26 PM  Normal  Pulling   pulling image "registry.example/api:7e4b09c2"
    3 times in the last minute
    3:05:26 PM  Warning  Failed   Failed to pull image "registry.example/api:7e4b09c2": rpc error: code = 2 desc = manifest unknown
    4:05:14 PM | Normal | Back-off | Back-off pulling image "registry.example/api:7e4b09c2"201 times in the last 47 minutes
    """)
  #expect(r.unrecognised == [])
  #expect(r.events.map(\.reason) == ["Pulling", "Failed", "Back-off"])
  #expect(r.events.map(\.count) == [3, nil, 201])
  #expect(r.events.last?.message == "Back-off pulling image \"registry.example/api:7e4b09c2\"")
  // One pasted block, one unnamed object; no date, so no times.
  #expect(Set(r.events.map(\.involved.pastedAt)) == [SourceRef(source: "paste.txt", line: 1)])
  #expect(r.events.allSatisfy { $0.firstSeen == nil && $0.lastSeen == nil })
}

@Test func markdownTableRowsReadAsPaddedColumns() {
  #expect(
    KubectlLine.unpipe("Warning | FailedScheduling | 21h13m | default-scheduler | 0/4 nodes are available")
      == "Warning   FailedScheduling   21h13m   default-scheduler   0/4 nodes are available")
  #expect(KubectlLine.unpipe("| a | b | c |") == "a   b   c")
  #expect(KubectlLine.unpipe("cat x | grep y") == "cat x | grep y")
  let r = parseKubectl(
    """
    Type | Reason | Age | Source | Message
    -- | -- | -- | -- | --
    Warning | FailedScheduling | 21h13m | default-scheduler | 0/4 nodes are available: 4 Insufficient cpu.
    """)
  #expect(r.parsed == [3])
  #expect(r.events.first?.reason == "FailedScheduling")
}

@Test func aDescribeCommandLineNamesTheFragmentBelowIt() throws {
  for (command, namespace) in [
    ("kubectl describe pod prometheus-k8s-0 -n monitoring", Optional("monitoring")),
    ("$ k describe po prometheus-k8s-0", nil),
    ("KUBECONFIG=/etc/kubernetes/admin.conf kubectl -n kube-system describe pod prometheus-k8s-0", "kube-system"),
    ("ops@ops:~$ oc describe pod/prometheus-k8s-0 --namespace=monitoring", "monitoring"),
    ("`[root@m1 ~]# kubectl describe pod prometheus-k8s-0 -n monitoring", "monitoring"),
    ("ops@ops:~$kubectl describe pod prometheus-k8s-0", nil),
  ] {
    let r = parseKubectl(
      """
      \(command)
      Events:
        Type     Reason     Age   From     Message
        ----     ------     ----  ----     -------
        Warning  Unhealthy  2m    kubelet  Startup probe failed: HTTP probe failed with statuscode: 503
      """)
    #expect(r.unrecognised == [], "\(command)")
    #expect(r.events.first?.involved.name == "prometheus-k8s-0", "\(command)")
    #expect(r.events.first?.involved.pastedAt == nil, "\(command)")
    #expect(r.pods.first?.namespace == namespace, "\(command)")
    #expect(r.pods.first?.evidence.first?.ref.line == 1, "\(command)")
  }
  // Not a pod, a placeholder, or another verb: the fragment stays unnamed.
  for command in ["kubectl describe node worker-1", "kubectl describe pod <pod-name>", "kubectl get pod web-0"] {
    #expect(DescribeCommand.pod(in: KubectlLine(Line(number: 1, text: command))) == nil, "\(command)")
  }
}

@Test func aDescribeQuotedInMarkdownReadsAsTheDescribe() throws {
  let quoted = describeWeb0.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(
    separator: "\n")
  let plain = parseKubectl(describeWeb0)
  let r = parseKubectl("> **kubectl describe pod web-0**\n" + quoted)
  #expect(r.unrecognised == [])
  #expect(r.pods.map(\.name) == plain.pods.map(\.name))
  #expect(r.events.map(\.message) == plain.events.map(\.message))
  #expect(KubectlLine.unquote("> > - x") == "- x" && KubectlLine.unquote(">") == "")
}
