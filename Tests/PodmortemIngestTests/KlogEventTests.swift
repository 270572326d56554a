import Foundation
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// The event recorder's log line (docs/kubernetes.md §10.1) read as the event it logs.
struct KlogEventTests {
  @Test func aRecordedEventIsAnEvent() throws {
    let r = ingest(
      """
      I0330 08:31:17.836238    1362 event.go:278] Event(v1.ObjectReference{Kind:"Pod", Namespace:"ephemeral-5231", Name:"csi-hostpathplugin-0", UID:"ad6006d7-6425-4661-829e-8106640183fb", APIVersion:"v1", ResourceVersion:"1676", FieldPath:"spec.containers{node-driver-registrar}"}): type: 'Warning' reason: 'FailedPreStopHook' Exec lifecycle hook ([/bin/sh -c rm -rf /registration/x]) for Container "node-driver-registrar" in Pod "csi-hostpathplugin-0_ephemeral-5231(ad6006d7-6425-4661-829e-8106640183fb)" failed - error: command '/bin/sh -c rm -rf /registration/x' exited with 126: , message: "OCI runtime exec failed"

      """, name: "kubelet.log")
    let e = try #require(r.events.first)
    #expect(e.involved.kind == "Pod" && e.involved.namespace == "ephemeral-5231")
    #expect(e.involved.name == "csi-hostpathplugin-0")
    #expect(e.involved.fieldPath == "spec.containers{node-driver-registrar}")
    #expect(e.type == .warning && e.reason == "FailedPreStopHook" && e.message.hasPrefix("Exec lifecycle hook"))
    #expect(e.evidence.map(\.ref.line) == [1])
  }

  @Test func beforeOneTwoThereIsNoType() throws {
    let parsed = try #require(
      KlogEvent.parse(
        #"Event(api.ObjectReference{Kind:"Pod", Namespace:"default", Name:"client-fh62u", UID:"f3752ac9", APIVersion:"v1beta3", ResourceVersion:"24269", FieldPath:"spec.containers{client}"}): reason: 'failed' Failed to pull image "gcr.io/x/client:v1.0""#
      ))
    #expect(parsed.involved.name == "client-fh62u" && parsed.type == .warning && parsed.reason == "failed")
    #expect(parsed.message == #"Failed to pull image "gcr.io/x/client:v1.0""#)
  }

  @Test func otherMessagesAreNotEvents() {
    #expect(KlogEvent.parse("Event occurred") == nil)
    #expect(KlogEvent.parse(#"Event(v1.ObjectReference{Kind:"Pod", Name:"x""#) == nil)
    #expect(KlogEvent.parse(#"Event(v1.ObjectReference{Kind:"Pod", Name:""}): type: 'Normal' reason: 'X' y"#) == nil)
  }
}
