import Foundation
import PodmortemCorrelate
import PodmortemModel

/// What the node-scope rules (`NodeNotReadyRule`, `NodeConditionRule`) share: how a finding names
/// its node, and how it words the node's times and conditions.
enum NodeFindings {
  /// The subject of a finding about node `name`; a node the input never names (a Conditions table
  /// or node Events pasted alone) is "the pasted node" (docs/findings-schema.md, `subject`).
  static func subject(_ name: String) -> String { name.isEmpty ? "the pasted node (name not shown)" : "node/\(name)" }

  /// `node 'n1'`, or `the pasted node` when the input does not name it.
  static func label(_ name: String) -> String { name.isEmpty ? "the pasted node" : "node '\(name)'" }

  /// `at 00:12:40Z`, or `between 00:12:00Z and 00:13:00Z` for a time known from an age.
  static func when(_ r: TimeRange) -> String {
    let style = Date.ISO8601FormatStyle(timeZone: .gmt)
    func second(_ d: Date) -> String { Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded()).formatted(style) }
    return r.width < 1 ? "at \(second(r.midpoint))" : "between \(second(r.earliest)) and \(second(r.latest))"
  }

  static func why(_ c: PodCondition) -> String {
    switch (c.reason, c.message) {
    case (let r?, let m?): " (\(r): \(m))"
    case (let r?, nil): " (\(r))"
    case (nil, let m?): " (\(m))"
    case (nil, nil): ""
    }
  }
}

extension String {
  /// The string with its first letter in upper case (`the pasted node` → `The pasted node`).
  var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
