import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// The damages PasteDamageTests found the readers losing facts to, each on a small example of its own.
struct DamagedDescribeTests {
  @Test func aFirstLineThatLostTheStartOfNameStillNamesThePod() throws {
    for first in ["ame:         web-0", "me:  web-0", "e:  web-0", ":            web-0"] {
      let r = parseKubectl(first + "\nNamespace:    shop\nNode:         node-1/10.0.0.1\nStatus:       Running\n")
      let pod = try #require(r.pods.first, "\(first)")
      #expect(pod.name == "web-0" && pod.namespace == "shop" && pod.phase == "Running", "\(first)")
      #expect(r.unrecognised == [], "\(first)")
    }
    // Near misses: a value that is no name, and another key's tail.
    #expect(parseKubectl("e:  two words\nNamespace:    shop\n").pods.first?.name != "two words")
    #expect(DescribeReader.cutName(KubectlLine(Line(number: 1, text: "me:  Web_0"))) == nil)
    #expect(DescribeReader.cutName(KubectlLine(Line(number: 1, text: "ame:  web-0"))) == "web-0")
    #expect(DescribeReader.cutName(KubectlLine(Line(number: 1, text: "ode:  web-0"))) == nil)
  }

  /// Indentation flattened to one space: `Limits:` or `Command:` with their values below are
  /// fields, not containers, and the next container starts after the last one's `Mounts:` list.
  @Test func flattenedIndentationKeepsContainersApart() throws {
    let text = """
      Name:         web-0
      Namespace:    shop
      Containers:
       app:
       Image:          app:1
       Command:
       /app/run
       State:          Waiting
       Reason:       CrashLoopBackOff
       Last State:     Terminated
       Reason:       Error
       Exit Code:    2
       Restart Count:  7
       Limits:
       memory:  64Mi
       Mounts:
       /data from data (rw)
       sidecar:
       Image:          side:1
       State:          Running
       Restart Count:  0
      Conditions:
       Type              Status
       Ready             False

      """
    let r = parseKubectl(text)
    let pod = try #require(r.pods.first)
    #expect(pod.containers.map(\.name) == ["app", "sidecar"])
    let app = try #require(pod.containers.first)
    #expect(app.restartCount == 7 && app.limits == ["memory": "64Mi"])
    #expect(app.state == .waiting(reason: "CrashLoopBackOff", message: nil))
    guard case .terminated(let t)? = app.lastState else {
      Issue.record("no last state: \(String(describing: app.lastState))")
      return
    }
    #expect(t.reason == "Error" && t.exitCode == 2)
    #expect(r.unrecognised == [])
    #expect(DescribeBlock.isContainerName("log-forwarder") && !DescribeBlock.isContainerName("Limits"))
  }

  /// Padding kept as tabs: header offsets say nothing, and a probe's double space is a tab.
  @Test func tabsForPaddingInEventsAndProbes() throws {
    let text =
      "Name:\tweb-0\nNamespace:\tshop\nContainers:\n  app:\n    Readiness:\tgrpc <pod>:9090\tdelay=0s timeout=1s period=5s #success=1 #failure=3\n"
      + "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n"
      + "  Normal\tScheduled\t35s\tdefault-scheduler\tSuccessfully assigned shop/web-0 to node-1\n"
    let r = parseKubectl(text)
    let event = try #require(r.events.first)
    #expect(event.sourceComponent == "default-scheduler")
    #expect(event.message == "Successfully assigned shop/web-0 to node-1")
    let probe = try #require(r.pods.first?.containers.first?.probes[.readiness])
    #expect(probe.periodSeconds == 5 && probe.handler == .grpc(port: "9090", service: ""))
    #expect(r.unrecognised == [])
  }

  @Test func aTableHeaderCutMidWordIsStillTheHeader() throws {
    let rows = "\n35s   Normal   Scheduled   pod/web-0   Successfully assigned shop/web-0 to node-1\n"
    for header in [
      "AST SEEN   TYPE     REASON      OBJECT      MESSAGE", " SEEN   TYPE     REASON      OBJECT      MESSAGE",
    ] {
      let r = parseKubectl(header + rows)
      #expect(r.events.map(\.reason) == ["Scheduled"], "\(header)")
      #expect(r.ignored == [1], "\(header)")
    }
    let pods = parseKubectl(
      "ME    READY   STATUS             RESTARTS   AGE\nweb-0   0/1   CrashLoopBackOff   5   3m\n")
    #expect(pods.ignored == [1] && pods.pods.map(\.name) == ["web-0"])
    // The rest of a header a terminal wrapped is no header of its own.
    #expect(TableHeader(KubectlLine(Line(number: 2, text: "E   IP            NODE       NOMINATED NODE"))) == nil)
  }
}

/// A fragment without its `Name:`: the downward API's variables show the pod's name as kubectl
/// resolved it.
@Test func aDownwardAPIVariableNamesTheFragmentsPod() throws {
  let text = """
        State:              Waiting
          Reason:           CrashLoopBackOff
        Restart Count:      5
        Environment Variables:
          POD_NAME:         ingress-k6vfq (v1:metadata.name)
          POD_NAMESPACE:    edge (v1:metadata.namespace)
          MODE:             fast
    """
  let r = parseKubectl(text)
  let pod = try #require(r.pods.first)
  #expect(pod.name == "ingress-k6vfq" && pod.namespace == "edge")
  #expect(pod.containers.first?.environmentNames == ["POD_NAME", "POD_NAMESPACE", "MODE"])
  #expect(r.unrecognised == [])
  // A variable from another field, or a value that is no name, names nothing.
  let other = parseKubectl(
    "    State:  Running\n    Environment:\n      NODE:  node-1 (v1:spec.nodeName)\n      X:  A B (v1:metadata.name)\n")
  #expect(other.pods.first?.name == "")
}
