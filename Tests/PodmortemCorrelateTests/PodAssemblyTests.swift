import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct PodAssemblyTests {
  @Test func snapshotsWithoutUIDJoinTheUIDWhoseLifeFits() {
    var old = Fixture.pod(uid: "a", capture: 0)
    old.creationTime = Fixture.exact(-100)
    var new = Fixture.pod(uid: "b", capture: 1000)
    new.creationTime = Fixture.exact(800)
    let earlyRow = Fixture.pod(capture: 10, source: "get-1.txt")
    let lateRow = Fixture.pod(capture: 900, source: "get-2.txt")
    let split = PodAssembly.split(namespace: "prod", name: "web-0", [old, new, earlyRow, lateRow])
    #expect(split[PodKey(namespace: "prod", name: "web-0", uid: "a")]?.count == 2)
    #expect(split[PodKey(namespace: "prod", name: "web-0", uid: "b")]?.contains(lateRow) == true)
  }

  @Test func withoutAnyUIDThereIsOnePod() {
    let split = PodAssembly.split(
      namespace: "prod", name: "web-0", [Fixture.pod(capture: 0), Fixture.pod(capture: 5, source: "x")])
    #expect(split.keys.map(\.uid) == [nil])
    #expect(split.values.first?.count == 2)
  }

  @Test func containersMergeByNameNewestWins() {
    var a = Fixture.pod(capture: 0)
    var web = ContainerSnapshot(name: "web")
    web.ready = false
    web.limits = ["memory": "256Mi"]
    var side = ContainerSnapshot(name: "sidecar")
    side.ready = true
    a.containers = [web, side]
    var b = Fixture.pod(capture: 10)
    var web2 = ContainerSnapshot(name: "web")
    web2.ready = true
    b.containers = [web2]
    b.terminating = false
    a.terminating = true
    let latest = PodAssembly.latest([a, b], key: PodKey(namespace: "prod", name: "web-0"))
    #expect(latest.containers.map(\.name) == ["web", "sidecar"])
    #expect(latest.containers.first?.ready == true)
    #expect(latest.containers.first?.limits == ["memory": "256Mi"])
    #expect(latest.terminating)
  }

  @Test func unknownNamespaceIsDefault() {
    let s = Fixture.correlate([.pod(Fixture.pod(namespace: nil, capture: 0))])
    #expect(s.pods.map(\.key) == [PodKey(namespace: "default", name: "web-0")])
  }
}
