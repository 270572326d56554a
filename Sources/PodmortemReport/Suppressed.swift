import PodmortemModel

/// The findings a `.podmortem.yaml` suppressed, so every report can count them (README
/// "Suppressing findings"): nothing a config hides goes unmentioned.
package struct Suppressed: Sendable {
  /// One suppressed finding and the config entry that matched it (`rule probe.*`, `pod kube-system/*`).
  package struct Entry: Sendable {
    package var finding: Finding
    package var reason: String

    package init(finding: Finding, reason: String) {
      self.finding = finding
      self.reason = reason
    }
  }

  /// The config file as named to the user (`.podmortem.yaml`, or the `--config` path).
  package var file: String
  /// Suppressed findings, in report order.
  package var entries: [Entry]
  /// How many findings kept in the report had their severity overridden.
  package var overridden: Int

  package init(file: String, entries: [Entry] = [], overridden: Int = 0) {
    self.file = file
    self.entries = entries
    self.overridden = overridden
  }

  package var count: Int { entries.count }

  /// How many findings each config entry suppressed, in the order the entries first matched.
  package var byReason: [(reason: String, count: Int)] {
    var order: [String] = []
    var counts: [String: Int] = [:]
    for e in entries {
      if counts[e.reason] == nil { order.append(e.reason) }
      counts[e.reason, default: 0] += 1
    }
    return order.map { ($0, counts[$0] ?? 0) }
  }

  /// `3 findings suppressed by .podmortem.yaml (rule probe.readiness-failing: 2, pod kube-system/*: 1)`,
  /// or nil when nothing was suppressed.
  package var line: String? {
    guard count > 0 else { return nil }
    let parts = byReason.map { "\($0.reason): \($0.count)" }.joined(separator: ", ")
    return "\(count) finding\(count == 1 ? "" : "s") suppressed by \(file) (\(parts))"
  }
}
