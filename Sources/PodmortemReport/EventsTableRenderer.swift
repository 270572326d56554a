import Foundation
import PodmortemCorrelate
import PodmortemModel

/// `podmortem events`: the deduplicated history like `kubectl events`, merged across inputs and
/// sorted by time, with absolute times (a range when the source only gave an age).
package struct EventsTableRenderer: Sendable {
  package init() {}

  package static let header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "FIRST SEEN", "MESSAGE"]

  /// The table; nothing at all when there are no events (kubectl prints no header for an empty list).
  package func render(_ events: [MergedEvent]) -> String {
    guard !events.isEmpty else { return "" }
    var rows = [Self.header]
    for e in events {
      let object = e.involved.kind.map { "\($0)/\(e.involved.name)" } ?? e.involved.name
      rows.append([
        Self.time(e.lastSeen), e.type.description, e.reason, object, String(e.count), Self.time(e.firstSeen),
        Self.oneLine(e.template ?? e.message),
      ])
    }
    return Self.align(rows)
  }

  /// An exact time as ISO 8601; a range as `start…end` with the end shortened to its time of day.
  static func time(_ range: TimeRange?) -> String {
    guard let range else { return "<unknown>" }
    return ReportTime.text(range)
  }

  static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).joined(separator: " ")
  }

  /// Pads every column but the last to its widest cell plus three spaces, as kubectl's tabwriter does.
  static func align(_ rows: [[String]]) -> String {
    guard let columns = rows.first?.count else { return "" }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count) }
    }
    var out = ""
    for row in rows {
      var line = ""
      for (i, cell) in row.enumerated() {
        line += cell
        if i < columns - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 3) }
      }
      out += line + "\n"
    }
    return out
  }
}
