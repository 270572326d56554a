import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
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

/// `PodAssembly.sortedUnique` returns a list already in order as it is; every list must come out
/// as the set-and-sort it replaced made it (ordered by line then text, repeats dropped).
struct SortedUniqueTests {
  static func reference(_ list: [Evidence]) -> [Evidence] {
    Array(Set(list)).sorted { ($0.ref, $0.text) < ($1.ref, $1.text) }
  }

  @Test func equalsSetAndSortOnRandomLists() {
    var random = SplitMix64(seed: 16)
    for _ in 0..<2000 {
      let count = Int(random.next() % 8)
      let list = (0..<count).map { _ in
        Evidence(
          ref: SourceRef(source: ["a", "b"][Int(random.next() % 2)], line: Int(random.next() % 4)),
          text: ["x", "y", "e\u{301}", "\u{e9}"][Int(random.next() % 4)])
      }
      #expect(PodAssembly.sortedUnique(list) == Self.reference(list))
      let ordered = Self.reference(list)
      #expect(PodAssembly.sortedUnique(ordered) == ordered)
    }
  }

  @Test func repeatsAndDisorderAreRemoved() {
    let a = Evidence(ref: SourceRef(source: "d.txt", line: 1), text: "Name: web-0")
    let b = Evidence(ref: SourceRef(source: "d.txt", line: 2), text: "Namespace: prod")
    #expect(PodAssembly.sortedUnique([b, a, b]) == [a, b])
    #expect(PodAssembly.sortedUnique([a, b]) == [a, b])
    #expect(PodAssembly.sortedUnique([]) == [])
  }
}
