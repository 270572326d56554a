import Foundation
import PodmortemCorrelate
import PodmortemModel
import Testing

struct EventQueryTests {
  static let state: CorrelatedState = {
    var c = Correlator()
    c.add(.event(Fixture.jsonEvent(name: "web-0.a", count: 3, first: 0, last: 100)))
    c.add(
      .event(
        Fixture.jsonEvent(
          type: "Normal", reason: "Pulled", message: "Container image \"web:1\" already present on machine",
          name: "web-0.b", count: 1, first: 50, last: 50)))
    var node = Fixture.jsonEvent(
      pod: "node-1", namespace: "default", uid: "node-1", reason: "NodeNotReady",
      message: "Node node-1 status is now: NodeNotReady",
      fieldPath: nil, name: "node-1.c", count: 1, first: 500, last: 500)
    node.involved.kind = "Node"
    c.add(.event(node))
    c.add(
      .event(
        Fixture.describeEvent(
          pod: "db-0", reason: "BackOff", message: "Back-off restarting failed container db", count: 2, first: 10,
          last: 900, capture: 1000)))
    return c.finish()
  }()

  @Test func everythingWithoutFilters() {
    #expect(Self.state.events(for: nil).map(\.reason) == ["Pulled", "Unhealthy", "NodeNotReady", "BackOff"])
  }

  @Test func filtersByKindAndName() {
    #expect(Self.state.events(for: "pod/web-0").map(\.reason) == ["Pulled", "Unhealthy"])
    #expect(Self.state.events(for: "Pod/web-0").count == 2)
    #expect(Self.state.events(for: "node/node-1").map(\.reason) == ["NodeNotReady"])
    #expect(Self.state.events(for: "pod/node-1").isEmpty)
    // describe shows no kind: it matches whatever kind is asked for.
    #expect(Self.state.events(for: "pod/db-0").map(\.reason) == ["BackOff"])
  }

  @Test func filtersByTypeNamespaceAndTime() {
    #expect(Self.state.events(types: ["warning"]).map(\.reason) == ["Unhealthy", "NodeNotReady", "BackOff"])
    #expect(Self.state.events(namespace: "default").map(\.reason) == ["NodeNotReady"])
    #expect(Self.state.events(since: Fixture.at(400)).map(\.reason) == ["NodeNotReady", "BackOff"])
  }

  @Test func mergedEventsCarryTheEventsTableColumns() throws {
    let e = try #require(Self.state.events(for: "pod/web-0", types: ["Warning"]).first)
    #expect(e.lastSeen == Fixture.exact(100))
    #expect(e.type == .warning)
    #expect(e.reason == "Unhealthy")
    #expect(e.involved.description == "prod/pod/web-0")
    #expect(e.count == 3)
    #expect(e.firstSeen == Fixture.exact(0))
    #expect(e.message.hasPrefix("Readiness probe failed"))
  }
}
