import Foundation
import PodmortemReport
import Testing

@Suite("events table renderer")
struct EventsTableRendererTests {
  @Test("no events: no table at all, as kubectl prints no header for an empty list; JSON is an empty array")
  func empty() throws {
    let renderer = EventsTableRenderer()
    #expect(renderer.render([]) == "")
    let json = try JSONSerialization.jsonObject(with: Data(renderer.renderJSON([]).utf8)) as? [Any]
    #expect(json?.isEmpty == true)
  }

  @Test("the header is kubectl events' columns plus COUNT and FIRST SEEN")
  func header() {
    #expect(EventsTableRenderer.header == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "FIRST SEEN", "MESSAGE"])
  }
}
