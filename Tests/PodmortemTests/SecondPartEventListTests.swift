import Foundation
import PodmortemTestSupport
import Testing

@testable import Podmortem

/// A large `kubectl get events -A -o json` EventList read in two halves on two threads
/// (`SecondPart` with `ObjectStreamParser`, docs/architecture.md "Long and live inputs") gives byte
/// for byte the reports, diagnostics and accounts of reading it in one go: on seeded generated
/// lists as kubectl prints them, and on lists the split must not be used for (the list's kind
/// before its items, a damaged item after the middle, one item per line).
@Suite struct SecondPartEventListTests {
  enum Shape: CaseIterable {
    /// As kubectl prints it: four spaces a level, `kind` after `items`. Read in two halves.
    case kubectl
    /// `kind` before `items`: the items carry the list's kind, which a second part would not see.
    case kindFirst
    /// Items with a framing problem after the middle: the second part says a diagnostic.
    case damaged
    /// One item per line: no line to cut at.
    case compact
  }

  static let reasons: [(type: String, reason: String, message: String)] = [
    ("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 503"),
    (
      "Warning", "Unhealthy",
      "Readiness probe failed: Get \\\"http://10.244.1.2:8080/ready\\\": context deadline exceeded"
    ),
    ("Warning", "BackOff", "Back-off restarting failed container app in pod POD_prod(UID)"),
    ("Normal", "Pulled", "Container image \\\"registry.example.com/app:1.4.2\\\" already present on machine"),
    ("Normal", "Killing", "Container app failed liveness probe, will be restarted"),
    ("Warning", "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory."),
    ("Warning", "OOMKilling", "Memory cgroup out of memory: Killed process 4242 (app)"),
  ]

  /// An EventList of about `bytes` bytes in `shape`.
  static func list(seed: UInt64, bytes: Int, shape: Shape, crlf: Bool) -> String {
    var rng = SplitMix64(seed: seed)
    var items: [String] = []
    var size = 0
    var i = 0
    while size < bytes {
      let (type, reason, template) = reasons[Int.random(in: 0..<reasons.count, using: &rng)]
      let pod = "app-\(Int.random(in: 0..<30, using: &rng))"
      let uid = "u-\(pod)"
      let minute = Int.random(in: 10..<60, using: &rng)
      let message = template.replacingOccurrences(of: "POD", with: pod).replacingOccurrences(of: "UID", with: uid)
      var members = [
        "\"apiVersion\": \"v1\"", "\"count\": \(Int.random(in: 1..<40, using: &rng))", "\"eventTime\": null",
        "\"firstTimestamp\": \"2026-11-27T00:\(minute):03Z\"",
        "\"involvedObject\": {\n    \"apiVersion\": \"v1\",\n    \"fieldPath\": \"spec.containers{app}\",\n"
          + "    \"kind\": \"Pod\",\n    \"name\": \"\(pod)\",\n    \"namespace\": \"prod\",\n    \"uid\": \"\(uid)\"\n}",
        "\"kind\": \"Event\"", "\"lastTimestamp\": \"2026-11-27T00:\(minute):43Z\"", "\"message\": \"\(message)\"",
        "\"metadata\": {\n    \"name\": \"\(pod).\(i)\",\n    \"namespace\": \"prod\",\n    \"uid\": \"e-\(i)\"\n}",
        "\"reason\": \"\(reason)\"",
        "\"source\": {\n    \"component\": \"kubelet\",\n    \"host\": \"worker-\(i % 3)\"\n}",
        "\"type\": \"\(type)\"",
      ]
      if shape == .damaged, size > bytes / 2 + 8_000, size < bytes / 2 + 40_000, Bool.random(using: &rng) {
        members[1] = "\"count\": \"x\" \"y\""
      }
      let indented = members.map { "    " + $0.replacingOccurrences(of: "\n", with: "\n    ") }
      var item = "{\n" + indented.joined(separator: ",\n") + "\n}"
      if shape == .compact {
        item = item.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
      } else {
        item = "        " + item.replacingOccurrences(of: "\n", with: "\n        ")
      }
      items.append(item)
      size += item.utf8.count
      i += 1
    }
    let kind = "    \"kind\": \"List\",\n"
    var text = "{\n    \"apiVersion\": \"v1\",\n" + (shape == .kindFirst ? kind : "") + "    \"items\": [\n"
    text += items.joined(separator: ",\n") + "\n    ],\n" + (shape == .kindFirst ? "" : kind)
    text += "    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    return crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
  }

  @Test(arguments: 0..<8)
  func generatedEventListsGiveTheSameReports(seed: UInt64) throws {
    let shape = Shape.allCases[Int(seed) % Shape.allCases.count]
    let text = Self.list(seed: seed, bytes: 300_000 + Int(seed) * 19_000, shape: shape, crlf: seed == 4)
    let used = SecondPartTests.compare(try SecondPartTests.write(text, name: "eventlist-\(seed).json"))
    switch shape {
    case .kubectl: #expect(used.count == 1, "\(seed)")
    case .kindFirst, .damaged, .compact: #expect(used.isEmpty, "\(seed)")
    }
  }
}
