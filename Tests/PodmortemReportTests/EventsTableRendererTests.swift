import Foundation
import PodmortemReport
import Testing

@Suite("events table renderer")
struct EventsTableRendererTests {
  @Test("no events: no table at all, as kubectl prints no header for an empty list")
  func empty() throws {
    #expect(EventsTableRenderer().render([]) == "")
  }

  @Test("the header is kubectl events' columns plus COUNT and FIRST SEEN")
  func header() {
    #expect(EventsTableRenderer.header == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "FIRST SEEN", "MESSAGE"])
  }
}
