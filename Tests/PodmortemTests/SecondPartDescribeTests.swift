import Foundation
import PodmortemTestSupport
import Testing

@testable import Podmortem

/// `kubectl describe pods` of many pods read in two halves on two threads (`SecondPart` with
/// `KubectlTextParser`, docs/architecture.md "Long and live inputs") gives byte for byte the
/// reports, diagnostics and accounts of reading it in one go: the shipped describes concatenated
/// in a seeded order, with and without what must make the run read on instead (a command line
/// whose namespace spans the cut, a table before the cut, lines no parser reads after it).
@Suite struct SecondPartDescribeTests {
  /// Every shipped describe of a sample directory (`samples/*/describe*.txt`), in path order.
  static let describes: [String] = {
    let samples = SecondPartTests.repo.appendingPathComponent("samples")
    let dirs = (try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []
    var texts: [String] = []
    for dir in dirs.sorted() {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: samples.appendingPathComponent(dir).path)) ?? []
      for file in files.sorted() where file.hasPrefix("describe") && file.hasSuffix(".txt") {
        let url = samples.appendingPathComponent(dir).appendingPathComponent(file)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
        let trimmed = text.trimmingCharacters(in: .newlines)
        if trimmed.hasPrefix("Name:") { texts.append(trimmed) }
      }
    }
    return texts
  }()

  /// What is put before the middle of a generated file, or after it.
  enum Extra: CaseIterable {
    /// Nothing: the file is read in two halves.
    case none
    /// A `get events` command line naming a namespace at the top: its namespace is held to the
    /// end, for a table that may follow.
    case commandNamespace
    /// A `kubectl get events` table before every describe from a quarter of the file on, each ended by
    /// the describe after it: the table is held at every line a second part may start at.
    case tableAtMiddle
    /// A line no parser reads after the middle.
    case unreadAfterMiddle
  }

  /// About `bytes` bytes of shipped describes in a seeded order, one blank line or two between
  /// them, with `extra` in it.
  static func describes(seed: UInt64, bytes: Int, extra: Extra, crlf: Bool) -> String {
    var rng = SplitMix64(seed: seed)
    var blocks: [String] = []
    var size = 0
    if extra == .commandNamespace { blocks.append("$ kubectl get events -n shop") }
    while size < bytes {
      var text = describes[Int.random(in: 0..<describes.count, using: &rng)]
      if extra == .tableAtMiddle, size >= bytes / 4 {
        // Before the describe and before any other object's `Name:` its sample holds.
        let table =
          "LAST SEEN   TYPE      REASON    OBJECT      MESSAGE\n"
          + "2m          Warning   BackOff   pod/web-0   Back-off restarting failed container"
        text = table + "\n\n" + text.replacingOccurrences(of: "\n\nName:", with: "\n\n" + table + "\n\nName:")
      }
      if extra == .unreadAfterMiddle, size >= bytes / 2 + 10_000, size < bytes / 2 + 40_000 {
        blocks.append("lorem ipsum \(Int.random(in: 0..<1000, using: &rng)) dolor sit amet")
      }
      blocks.append(text)
      size += text.utf8.count
      if Bool.random(using: &rng) { blocks.append("") }
    }
    let text = blocks.joined(separator: "\n\n") + "\n"
    return crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
  }

  @Test(arguments: 0..<8)
  func generatedDescribesGiveTheSameReports(seed: UInt64) throws {
    try #require(Self.describes.count > 10)
    let extra = Extra.allCases[Int(seed) % Extra.allCases.count]
    let text = Self.describes(seed: seed, bytes: 300_000 + Int(seed) * 23_000, extra: extra, crlf: seed == 4)
    let used = SecondPartTests.compare(try SecondPartTests.write(text, name: "describes-\(seed).txt"))
    switch extra {
    case .none: #expect(used.count == 1, "\(seed)")
    case .commandNamespace, .tableAtMiddle, .unreadAfterMiddle: #expect(used.isEmpty, "\(seed)")
    }
  }
}
